// Command library uses svmbench as a Go library from another module, with
// the public API only: it writes a small LIBSVM file and loads it, trains
// C-SVCs with a built-in kernel and with a kernel of its own, predicts,
// saves and loads the models, cross-validates one setting and runs a
// small grid. It exits non-zero if any step fails or a result is not what
// the data makes certain (CI builds and runs it: see .ci/run).
//
//	cd examples && go run ./library
package main

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"

	"github.com/svmbench/svmbench/bench"
	"github.com/svmbench/svmbench/dataset"
	"github.com/svmbench/svmbench/kernels"
	"github.com/svmbench/svmbench/matrix"
	"github.com/svmbench/svmbench/svm"
)

// laplace is a kernel of our own: exp(−γ‖x−y‖₁). It is not a function of
// inner products, so the engine calls Eval for every pair.
type laplace struct{ gamma float64 }

func (laplace) Name() string { return "laplace" }

func (k laplace) Eval(x, y []float32) float64 {
	var d float64
	for i := range x {
		d += math.Abs(float64(x[i]) - float64(y[i]))
	}
	return math.Exp(-k.gamma * d)
}

var _ kernels.Kernel = laplace{}

func main() {
	if err := run(context.Background()); err != nil {
		fmt.Fprintln(os.Stderr, "library:", err)
		os.Exit(1)
	}
}

// blobs is three Gaussian classes labelled 2, 7 and 9 around the corners
// of a triangle: well separated, so any reasonable kernel scores > 90%.
func blobs(n int, rng *rand.Rand) (*matrix.Matrix, []int, error) {
	centres := [][2]float64{{0, 0}, {4, 0}, {2, 3.5}}
	labels := []int{2, 7, 9}
	rows := make([][]float32, n)
	y := make([]int, n)
	for i := range rows {
		c := i % 3
		rows[i] = []float32{float32(centres[c][0] + rng.NormFloat64()), float32(centres[c][1] + rng.NormFloat64())}
		y[i] = labels[c]
	}
	x, err := matrix.FromRows(rows)
	return x, y, err
}

// run writes and loads the data, then trains, checks and searches.
func run(ctx context.Context) error {
	dir, err := os.MkdirTemp("", "svmbench-example-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)

	d, err := loadData(ctx, dir)
	if err != nil {
		return err
	}
	// Train, predict, save and load, with a built-in and a user kernel.
	for _, k := range []kernels.Kernel{kernels.RBF{Gamma: 0.5}, laplace{gamma: 0.5}} {
		if err := trainKernel(ctx, dir, d, k); err != nil {
			return err
		}
	}
	return search(ctx, d)
}

// loadData writes training and test blobs as LIBSVM text files in dir and
// loads them back.
func loadData(ctx context.Context, dir string) (*dataset.Dataset, error) {
	rng := rand.New(rand.NewPCG(1, 2))
	trainFile, testFile := filepath.Join(dir, "train.txt"), filepath.Join(dir, "test.txt")
	for _, f := range []struct {
		path string
		n    int
	}{{trainFile, 300}, {testFile, 150}} {
		x, y, err := blobs(f.n, rng)
		if err != nil {
			return nil, err
		}
		if err := dataset.WriteLIBSVMFile(f.path, x, y); err != nil {
			return nil, err
		}
	}
	d, err := dataset.Load(ctx, dataset.Options{Spec: "libsvm:" + trainFile + "," + testFile})
	if err != nil {
		return nil, err
	}
	var labels []int
	for _, c := range d.Classes {
		labels = append(labels, c.Label)
	}
	fmt.Printf("data: %d training and %d test samples, %d features, labels %v\n",
		d.Train.Len(), d.Test.Len(), d.Train.X.Cols, labels)
	return d, nil
}

// trainKernel trains a C-SVC with kernel k, predicts the test set with
// probabilities, saves the model in dir, loads it and predicts again.
func trainKernel(ctx context.Context, dir string, d *dataset.Dataset, k kernels.Kernel) error {
	m, err := svm.Train(ctx, d.Train.X, d.Train.Y, svm.Params{Kernel: k, C: 1, Probability: true, Seed: 1})
	if err != nil {
		return err
	}
	pred, prob, err := m.PredictProbability(d.Test.X)
	if err != nil {
		return err
	}
	acc := accuracy(pred, d.Test.Y)
	path := filepath.Join(dir, k.Name()+".model")
	if err := m.Save(path); err != nil {
		return err
	}
	back, err := svm.Load(path)
	if err != nil {
		return err
	}
	if back.Kernel == nil { // a user kernel is not rebuilt by Load
		back.Kernel = k
	}
	again, err := back.Predict(nil, d.Test.X)
	if err != nil {
		return err
	}
	fmt.Printf("%s: labels %v, %d support vectors, test accuracy %.1f%%, P(first sample is %d) = %.3f; reloaded model agrees on %.1f%%\n",
		k.Name(), m.Labels, m.NSV(), 100*acc, m.Labels[0], prob[0], 100*agreement(again, pred))
	if acc < 0.9 {
		return fmt.Errorf("%s: test accuracy %.3f on well-separated blobs, want ≥ 0.9", k.Name(), acc)
	}
	return nil
}

// search cross-validates one setting and runs a small grid search.
func search(ctx context.Context, d *dataset.Dataset) error {
	cv, _, err := bench.CrossValidate(ctx, d.Train.X, d.Train.Y, bench.CVConfig{Kernel: kernels.RBF{Gamma: 0.5}, C: 1, Folds: 5, Seed: 1})
	if err != nil {
		return err
	}
	fmt.Printf("5-fold cross-validation accuracy of rbf γ=0.5 C=1: %.1f%%\n", 100*cv)
	best, cells, err := bench.Grid(ctx, d, d.Train.X, d.Test.X, bench.GridConfig{
		Kernel: "rbf", Gamma: bench.Values(0.1, 1), C: bench.Values(0.5, 8), Folds: 3, Seed: 1})
	if err != nil {
		return err
	}
	fmt.Printf("grid: %d cells; best γ=%g C=%g, CV %.1f%%, test %.1f%%\n",
		len(cells), best.Cell.Gamma, best.Cell.C, 100*best.Cell.CVAccuracy, 100*best.TestAccuracy)
	return nil
}

func accuracy(pred, y []int) float64 {
	return agreement(pred, y)
}

func agreement(a, b []int) float64 {
	same := 0
	for i := range a {
		if a[i] == b[i] {
			same++
		}
	}
	return float64(same) / float64(len(a))
}
