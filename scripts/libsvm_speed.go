//go:build ignore

// libsvm_speed.go is the Go half of scripts/libsvm_speed.sh: it exports the
// CIFAR-10 subset as LIBSVM text files (-export), or trains and predicts it
// with package svm and prints one line of timings for the shell script.
//
// Data: the first -n images of data_batch_1..5 and the first -m of
// test_batch in $CIFAR10_DIR, as pixels/255 in float32; the text files
// hold the exact decimal of each float32 value, so LIBSVM and we see the same numbers.
package main

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"runtime/pprof"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/svmbench/svmbench/internal/linalg"
	"github.com/svmbench/svmbench/kernels"
	"github.com/svmbench/svmbench/matrix"
	"github.com/svmbench/svmbench/svm"
)

func main() {
	dir := flag.String("dir", "", "work folder (required)")
	n := flag.Int("n", 5000, "training images")
	m := flag.Int("m", 2000, "test images")
	export := flag.Bool("export", false, "write DIR/train.txt and DIR/test.txt and exit")
	gamma := flag.Float64("gamma", 0.005, "RBF γ")
	c := flag.Float64("C", 10, "C")
	cacheMB := flag.Float64("cache-mb", 1000, "kernel memory budget, MiB")
	libsvmLog := flag.String("libsvm-log", "", "svm-train's stdout, to compare the objectives")
	cpuProfile := flag.String("cpuprofile", "", "write a CPU profile of training to `FILE`")
	flag.Parse()
	if *dir == "" {
		fail("-dir is required")
	}
	cdir := os.Getenv("CIFAR10_DIR")
	if cdir == "" {
		fail("set CIFAR10_DIR to the folder of data_batch_1.bin …")
	}
	x, y := readCIFAR(cdir, []string{"data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin", "data_batch_4.bin", "data_batch_5.bin"}, *n)
	xt, yt := readCIFAR(cdir, []string{"test_batch.bin"}, *m)
	if *export {
		writeLIBSVM(filepath.Join(*dir, "train.txt"), x, y)
		writeLIBSVM(filepath.Join(*dir, "test.txt"), xt, yt)
		return
	}
	blas := linalg.Implementation()
	p := svm.Params{Kernel: kernels.RBF{Gamma: *gamma}, C: *c, Tol: 1e-3, CacheMB: *cacheMB}
	if *cpuProfile != "" {
		f, err := os.Create(*cpuProfile)
		if err != nil {
			fail(err.Error())
		}
		pprof.StartCPUProfile(f)
	}
	c0, t0 := cpuSeconds(), time.Now()
	model, err := svm.Train(context.Background(), x, y, p)
	if err != nil {
		fail(err.Error())
	}
	if *cpuProfile != "" {
		pprof.StopCPUProfile()
	}
	trainS, trainCPU := time.Since(t0).Seconds(), cpuSeconds()-c0
	c0, t0 = cpuSeconds(), time.Now()
	pred, err := model.Predict(nil, xt)
	if err != nil {
		fail(err.Error())
	}
	predS, predCPU := time.Since(t0).Seconds(), cpuSeconds()-c0
	ok := 0
	for i := range pred {
		if pred[i] == yt[i] {
			ok++
		}
	}
	base := filepath.Join(*dir, "ours-"+blas)
	if err := model.Save(base + ".model"); err != nil {
		fail(err.Error())
	}
	f, err := os.Create(base + ".pred")
	if err != nil {
		fail(err.Error())
	}
	for _, p := range pred {
		fmt.Fprintln(f, p)
	}
	f.Close()
	objRel := "n/a"
	if *libsvmLog != "" {
		objRel = fmt.Sprintf("%.2g", maxObjDiff(*libsvmLog, model))
	}
	fmt.Printf("ours-%s train_s %.3f predict_s %.3f train_cpu_s %.3f predict_cpu_s %.3f nSV %d accuracy %.4f max_rel_obj_diff %s gomaxprocs %d\n",
		blas, trainS, predS, trainCPU, predCPU, model.NSV(), float64(ok)/float64(len(yt)), objRel, runtime.GOMAXPROCS(0))
}

// cpuSeconds is the user+system CPU time of the process, all threads.
func cpuSeconds() float64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return float64(ru.Utime.Nano()+ru.Stime.Nano()) / 1e9
}

func fail(msg string) {
	fmt.Fprintln(os.Stderr, "libsvm_speed:", msg)
	os.Exit(1)
}

func readCIFAR(dir string, files []string, n int) (*matrix.Matrix, []int) {
	const rec = 1 + 3072
	x := matrix.New(n, 3072)
	y := make([]int, n)
	i := 0
	for _, name := range files {
		if i == n {
			break
		}
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			fail(err.Error())
		}
		for off := 0; off+rec <= len(b) && i < n; off += rec {
			y[i] = int(b[off])
			row := x.Row(i)
			for j, v := range b[off+1 : off+rec] {
				row[j] = float32(v) / 255
			}
			i++
		}
	}
	if i < n {
		fail(fmt.Sprintf("only %d images in %v", i, files))
	}
	return x, y
}

func writeLIBSVM(path string, x *matrix.Matrix, y []int) {
	f, err := os.Create(path)
	if err != nil {
		fail(err.Error())
	}
	w := bufio.NewWriterSize(f, 1<<20)
	var b []byte
	for i := range x.Rows {
		b = strconv.AppendInt(b[:0], int64(y[i]), 10)
		for j, v := range x.Row(i) {
			if v != 0 {
				b = append(b, ' ')
				b = strconv.AppendInt(b, int64(j+1), 10)
				b = append(b, ':')
				b = strconv.AppendFloat(b, float64(v), 'g', -1, 64)
			}
		}
		b = append(b, '\n')
		w.Write(b)
	}
	if err := w.Flush(); err != nil {
		fail(err.Error())
	}
	if err := f.Close(); err != nil {
		fail(err.Error())
	}
}

// maxObjDiff is the largest relative difference between our per-pair
// objectives and svm-train's (printed with 6 decimals), in pair order.
func maxObjDiff(log string, m *svm.Model) float64 {
	b, err := os.ReadFile(log)
	if err != nil {
		fail(err.Error())
	}
	re := regexp.MustCompile(`obj = (\S+), rho`)
	var objs []float64
	for _, l := range strings.Split(string(b), "\n") {
		if s := re.FindStringSubmatch(l); s != nil {
			v, _ := strconv.ParseFloat(s[1], 64)
			objs = append(objs, v)
		}
	}
	if len(objs) != len(m.Pairs) {
		fail(fmt.Sprintf("svm-train reported %d pairs, we have %d", len(objs), len(m.Pairs)))
	}
	worst := 0.0
	for i, o := range objs {
		worst = max(worst, math.Abs(m.Pairs[i].Obj-o)/math.Abs(o))
	}
	return worst
}
