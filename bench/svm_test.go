package bench

import (
	"bufio"
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"sync"
	"testing"

	"github.com/svmbench/svmbench/dataset"
	"github.com/svmbench/svmbench/features"
	"github.com/svmbench/svmbench/matrix"
)

// firstPerClass returns the first per samples of each class of s, in data
// order.
func firstPerClass(s *dataset.Split, per int) []int {
	count := map[int]int{}
	var idx []int
	for i, l := range s.Y {
		if count[l] < per {
			count[l]++
			idx = append(idx, i)
		}
	}
	return idx
}

var (
	cifarOnce sync.Once
	cifarFull *dataset.Dataset
	cifarErr  error
)

// smallData is CIFAR-10 (first per a class of each split) when CIFAR10_DIR
// is set, else the synthetic data set; the features are pixels/255.
func smallData(t testing.TB, perTrain, perTest int) (*dataset.Dataset, *matrix.Matrix, *matrix.Matrix) {
	t.Helper()
	var d *dataset.Dataset
	if dir := os.Getenv("CIFAR10_DIR"); dir != "" {
		cifarOnce.Do(func() { cifarFull, cifarErr = dataset.Load(context.Background(), dataset.Options{Spec: dir}) })
		full, err := cifarFull, cifarErr
		if err != nil {
			t.Fatalf("CIFAR10_DIR=%s: %v", dir, err)
		}
		d = &dataset.Dataset{Source: full.Source, Classes: full.Classes, Image: full.Image, Files: full.Files,
			Train: *full.Train.Subset(firstPerClass(&full.Train, perTrain)),
			Test:  *full.Test.Subset(firstPerClass(&full.Test, perTest))}
	} else {
		t.Log("CIFAR10_DIR not set: using the synthetic data set")
		d = dataset.Synthetic(10*perTrain, 10*perTest, 1)
	}
	train, test, err := features.Apply(features.Pixels{}, d)
	if err != nil {
		t.Fatal(err)
	}
	return d, train, test
}

func TestGridEndToEnd(t *testing.T) {
	d, train, test := smallData(t, 30, 10)
	out := t.TempDir()
	cfg := GridConfig{Kernel: "sigmoid", Alpha: Values(1.0/4096, 1.0/1024), Coef0: Values(-1, 0), C: Values(1, 8),
		Folds: 3, Seed: 1, Out: out, PSD: true, PSDSample: 100}
	var calls int
	cfg.Progress = func(done, total int64) {
		calls++
		if total != 24 || done > total {
			t.Errorf("progress %d/%d, want total 24", done, total)
		}
	}
	best, cells, err := Grid(context.Background(), d, train, test, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if len(cells) != 8 || calls < 8 {
		t.Fatalf("%d cells, %d progress calls", len(cells), calls)
	}
	// cv_accuracy is correct over all folds / n; with equal-sized folds that
	// is exactly the mean of the fold accuracies, so the two may differ only
	// by the rounding of their two summation orders (1e-12). Stratified folds
	// are equal-sized when every class's count divides by the folds: checked.
	counts := map[int]int{}
	for _, y := range d.Train.Y {
		counts[y]++
	}
	for label, n := range counts {
		if n%3 != 0 {
			t.Fatalf("class %d has %d training samples: the folds would not be equal-sized", label, n)
		}
	}
	for _, c := range cells {
		if c.CVAccuracy < 0.15 || c.CVAccuracy > 1 || c.NSV <= 0 || c.MinEigen == nil || len(c.FoldAccuracy) != 3 {
			t.Errorf("cell %+v", c)
		}
		var mean float64
		for _, a := range c.FoldAccuracy {
			mean += a / 3
		}
		if math.Abs(mean-c.CVAccuracy) > 1e-12 {
			t.Errorf("cell %d: cv_accuracy %g far from the fold mean %g", c.Index, c.CVAccuracy, mean)
		}
	}
	if want, _ := BestCell(cells); best == nil || best.Cell.Index != want.Index {
		t.Fatalf("best %+v, want cell %d", best, want.Index)
	}
	if best.TestAccuracy < 0.15 || best.NSV <= 0 || !best.Retrained || best.Model != ModelFile("sigmoid", "pixels") {
		t.Errorf("best %+v", best)
	}
	for _, f := range []string{GridFile("sigmoid", "pixels"), SpecFile("sigmoid", "pixels"), BestFile("sigmoid", "pixels"), best.Model} {
		if _, err := os.Stat(filepath.Join(out, f)); err != nil {
			t.Error(err)
		}
	}
	var onDisk Best
	if err := ReadJSON(filepath.Join(out, BestFile("sigmoid", "pixels")), &onDisk); err != nil || onDisk.Cell.Index != best.Cell.Index || onDisk.GridCells != 8 {
		t.Errorf("best file: %+v, %v", onDisk, err)
	}
}

// writeLIBSVM writes x, y in LIBSVM's text format with 1-based indices,
// omitting zeros, values with float32 precision.
func writeLIBSVM(t *testing.T, path string, x *matrix.Matrix, y []int) {
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w := bufio.NewWriter(f)
	for i, l := range y {
		fmt.Fprint(w, l)
		for j, v := range x.Row(i) {
			if v != 0 {
				fmt.Fprintf(w, " %d:%s", j+1, strconv.FormatFloat(float64(v), 'g', -1, 32))
			}
		}
		w.WriteByte('\n')
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	f.Close()
}

// TestCVAgainstLIBSVM compares grid cells' cross-validation accuracy
// with svm-train -v 5 (LIBSVM 3.24) on the same 1000 images (100 a
// class), HOG features, and the same parameters. The folds differ (LIBSVM
// shuffles with rand(); we use a seeded generator), so each side is
// averaged over two fold draws (two data orders for LIBSVM, two seeds for
// us) and the means must agree within 3 points. HOG rather than pixels
// keeps LIBSVM at a few seconds a run and fold noise low; on 500 pixel
// images a single -v 5 run varied by 8 points with the data order alone.
func TestCVAgainstLIBSVM(t *testing.T) {
	bin, err := exec.LookPath("svm-train")
	if err != nil {
		t.Skip("svm-train not on the PATH (Debian package libsvm-tools): skipping the LIBSVM cross-check")
	}
	if testing.Short() {
		t.Skip("-short")
	}
	d, _, _ := smallData(t, 100, 1)
	train, _, err := features.Apply(features.HOG{}, d)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	const draws = 2
	var files []string
	for s := 0; s < draws; s++ {
		perm := rand.New(rand.NewPCG(uint64(s), 9)).Perm(len(d.Train.Y))
		y := make([]int, len(perm))
		for i, j := range perm {
			y[i] = d.Train.Y[j]
		}
		f := filepath.Join(dir, fmt.Sprintf("train%d.libsvm", s))
		writeLIBSVM(t, f, train.Gather(perm), y)
		files = append(files, f)
	}
	re := regexp.MustCompile(`Cross Validation Accuracy = ([0-9.]+)%`)
	g := func(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }
	for _, tc := range []struct {
		name string
		cfg  GridConfig
		args []string
	}{
		{"sigmoid", GridConfig{Kernel: "sigmoid", Alpha: Values(0.125), Coef0: Values(-1), C: Values(4)},
			[]string{"-t", "3", "-g", g(0.125), "-r", "-1", "-c", "4"}},
		{"sigmoid-c0", GridConfig{Kernel: "sigmoid", Alpha: Values(0.03125), Coef0: Values(0), C: Values(16)},
			[]string{"-t", "3", "-g", g(0.03125), "-r", "0", "-c", "16"}},
		{"rbf", GridConfig{Kernel: "rbf", Gamma: Values(0.25), C: Values(4)},
			[]string{"-t", "2", "-g", g(0.25), "-c", "4"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var ref, got float64
			args := append([]string{"-v", "5", "-q", "-m", "200"}, tc.args...)
			for s, f := range files {
				outb, err := exec.Command(bin, append(args, f)...).CombinedOutput()
				if err != nil {
					t.Fatalf("svm-train %v: %v\n%s", args, err, outb)
				}
				m := re.FindSubmatch(outb)
				if m == nil {
					t.Fatalf("svm-train printed no cross-validation accuracy:\n%s", outb)
				}
				r, _ := strconv.ParseFloat(string(m[1]), 64)
				cfg := tc.cfg
				cfg.Features, cfg.Folds, cfg.Seed, cfg.NoRetrain = "hog", 5, uint64(s), true
				_, cells, err := Grid(context.Background(), d, train, nil, cfg)
				if err != nil {
					t.Fatal(err)
				}
				t.Logf("draw %d: ours %.2f%%, svm-train %v: %.2f%%", s, 100*cells[0].CVAccuracy, args, r)
				ref += r / draws
				got += 100 * cells[0].CVAccuracy / draws
			}
			t.Logf("%s: mean ours %.2f%%, mean svm-train -v 5 %.2f%%", tc.name, got, ref)
			if math.Abs(got-ref) > 3 {
				t.Errorf("CV accuracy %.2f%%, svm-train -v 5 gives %.2f%%: more than 3 points apart", got, ref)
			}
		})
	}
}
