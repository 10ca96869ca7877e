package svm

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"

	"github.com/svmbench/svmbench/kernels"
	"github.com/svmbench/svmbench/matrix"
)

// cifar reads the first n records of a CIFAR-10 binary batch file of
// $CIFAR10_DIR as pixels/255 (the read is local so that these tests do not
// depend on package dataset). It skips when CIFAR10_DIR is unset and fails
// when it is set but unreadable.
func cifar(t testing.TB, file string, n int) (*matrix.Matrix, []int) {
	t.Helper()
	dir := os.Getenv("CIFAR10_DIR")
	if dir == "" {
		t.Skip("CIFAR10_DIR is not set: skipping the CIFAR-10 check (set it to the folder of data_batch_1.bin …)")
	}
	const rec = 1 + 3072
	f, err := os.Open(filepath.Join(dir, file))
	if err != nil {
		t.Fatalf("CIFAR10_DIR is set but: %v", err)
	}
	defer f.Close()
	buf := make([]byte, n*rec)
	if _, err := f.ReadAt(buf, 0); err != nil {
		t.Fatalf("CIFAR10_DIR: reading %d records of %s: %v", n, file, err)
	}
	x := matrix.New(n, 3072)
	y := make([]int, n)
	for i := range n {
		r := buf[i*rec : (i+1)*rec]
		if r[0] > 9 {
			t.Fatalf("%s: record %d has label %d, want 0–9", file, i, r[0])
		}
		y[i] = int(r[0])
		row := x.Row(i)
		for j, v := range r[1:] {
			row[j] = float32(v) / 255
		}
	}
	return x, y
}

// cifarLike makes n dense 3072-dimensional samples of k classes in [0, 1],
// quantised to 1/255 like pixels: a random mean image per class plus noise.
func cifarLike(n, k int, seed uint64) (*matrix.Matrix, []int) {
	r := rand.New(rand.NewPCG(seed, 3))
	const d = 3072
	means := make([][]float64, k)
	for c := range means {
		means[c] = make([]float64, d)
		base := r.Float64()
		for j := range d {
			means[c][j] = 0.5*base + 0.5*r.Float64()
		}
	}
	x := matrix.New(n, d)
	y := make([]int, n)
	for i := range n {
		c := r.IntN(k)
		y[i] = c
		row := x.Row(i)
		for j := range d {
			v := means[c][j] + 0.35*r.NormFloat64()
			v = min(max(v, 0), 1)
			row[j] = float32(int(v*255+0.5)) / 255
		}
	}
	return x, y
}

// TestLIBSVMCIFAR cross-checks on real images: 500 training and 200 test
// images of data_batch_1 / test_batch (LIBSVM takes a few seconds a
// kernel on these). The sigmoid cases run from near PSD (α=0.0003 c=0) to
// far from it (α=2^-9 c=−1.5, the grid cell where CV accuracies once
// differed; α=1 c=−768, where tanh saturates to a sign matrix).
func TestLIBSVMCIFAR(t *testing.T) {
	needLIBSVM(t)
	x, y := cifar(t, "data_batch_1.bin", 500)
	xt, yt := cifar(t, "test_batch.bin", 200)
	dir := t.TempDir()
	for _, cc := range []crossCase{
		{name: "rbf-g0.005-C10", k: kernels.RBF{Gamma: 0.005}, c: 10, shrink: true},
		{name: "linear-C0.01", k: kernels.Linear{}, c: 0.01, shrink: true},
		{name: "sigmoid-a0.0003-c0-C10", k: kernels.Sigmoid{Alpha: 0.0003, Coef0: 0}, c: 10, shrink: true},
		{name: "sigmoid-a0.001-c-1-C10", k: kernels.Sigmoid{Alpha: 0.001, Coef0: -1}, c: 10, shrink: true},
		{name: "sigmoid-a0.01-c1-C1-nonpsd", k: kernels.Sigmoid{Alpha: 0.01, Coef0: 1}, c: 1, shrink: true},
		{name: "sigmoid-a2^-9-c-1.5-C8-nonpsd", k: kernels.Sigmoid{Alpha: 0.001953125, Coef0: -1.5}, c: 8, shrink: true},
		{name: "sigmoid-a1-c-768-C1-sign", k: kernels.Sigmoid{Alpha: 1, Coef0: -768}, c: 1, shrink: true},
	} {
		t.Run(cc.name, func(t *testing.T) { crossCheck(t, dir, x, y, xt, yt, cc) })
	}
}

func TestCIFARLikeIsLearnable(t *testing.T) {
	x, y := cifarLike(300, 3, 1)
	xt, yt := cifarLike(600, 3, 1)
	xt, yt = xt.Slice(300, 600), yt[300:]
	m, err := Train(t.Context(), x, y, Params{Kernel: kernels.RBF{Gamma: 0.005}, C: 10})
	if err != nil {
		t.Fatal(err)
	}
	p, _ := m.Predict(nil, xt)
	if a := accuracy(p, yt); a < 0.5 {
		t.Errorf("accuracy %.3f: the benchmark data should be learnable", a)
	}
	_ = fmt.Sprint
}
