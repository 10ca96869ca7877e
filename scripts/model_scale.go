//go:build ignore

// model_scale.go measures reading a LIBSVM model file of the size the
// 50000-image CIFAR-10 RBF model has (45160 support vectors of 3072
// pixel values, 10 classes), without training one: -write makes such a
// file from random pixels k/255 (the values CIFAR-10's support vectors
// hold; the text has the same length per value), -read loads it with
// svm.Load and prints the seconds, the support vectors' float32 size and
// the Go heap at its peak (run it under /usr/bin/time -v for the process's
// peak RSS).
//
//	go run scripts/model_scale.go -write /tmp/scale.model -n 45160
//	go build -o /tmp/model_scale scripts/model_scale.go
//	/usr/bin/time -v /tmp/model_scale -read /tmp/scale.model
package main

import (
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"runtime"
	"runtime/metrics"
	"time"

	"github.com/svmbench/svmbench/kernels"
	"github.com/svmbench/svmbench/matrix"
	"github.com/svmbench/svmbench/svm"
)

func main() {
	write := flag.String("write", "", "write a model of -n support vectors to `FILE`")
	read := flag.String("read", "", "load the model `FILE` and print the time and memory")
	n := flag.Int("n", 45160, "support vectors")
	d := flag.Int("d", 3072, "features")
	flag.Parse()
	switch {
	case *write != "":
		m := pixelModel(*n, *d)
		t0 := time.Now()
		if err := m.Save(*write); err != nil {
			fail(err)
		}
		st, _ := os.Stat(*write)
		fmt.Printf("wrote %s: %d SVs × %d, %d bytes in %.2f s\n", *write, *n, *d, st.Size(), time.Since(t0).Seconds())
	case *read != "":
		t0 := time.Now()
		m, err := svm.Load(*read)
		if err != nil {
			fail(err)
		}
		secs := time.Since(t0).Seconds()
		st, _ := os.Stat(*read)
		sv := int64(m.SV.Rows) * int64(m.SV.Cols) * 4
		fmt.Printf("read %s (%d bytes) in %.2f s: %d SVs × %d, %d MiB of float32; Go heap now %d MiB, total from the OS %d MiB; GOMAXPROCS %d\n",
			*read, st.Size(), secs, m.SV.Rows, m.SV.Cols, sv>>20, heap()>>20, fromOS()>>20, runtime.GOMAXPROCS(0))
	default:
		fail(fmt.Errorf("give -write FILE or -read FILE"))
	}
}

func heap() uint64 {
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.HeapAlloc
}

func fromOS() uint64 {
	s := []metrics.Sample{{Name: "/memory/classes/total:bytes"}}
	metrics.Read(s)
	return s[0].Value.Uint64()
}

// pixelModel is a 10-class RBF model whose n support vectors hold random
// pixel values k/255 and whose coefficients are random.
func pixelModel(n, d int) *svm.Model {
	rng := rand.New(rand.NewPCG(1, 2))
	m := &svm.Model{Kernel: kernels.RBF{Gamma: 0.005}, SV: matrix.New(n, d), SVIndex: make([]int, n)}
	for c := range 10 {
		m.Labels = append(m.Labels, c)
		m.NSVClass = append(m.NSVClass, n/10+min(1, max(0, n%10-c)))
	}
	for range 45 {
		m.Rho = append(m.Rho, rng.NormFloat64())
	}
	for i := range m.SV.Data {
		m.SV.Data[i] = float32(rng.IntN(256)) / 255
	}
	m.Coef = make([][]float64, 9)
	for r := range m.Coef {
		m.Coef[r] = make([]float64, n)
		for v := range n {
			m.Coef[r][v] = (rng.Float64() - 0.5) * 20
		}
	}
	return m
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "model_scale:", err)
	os.Exit(1)
}
