package bench

import (
	"context"
	"fmt"
	"time"

	"github.com/svmbench/svmbench/kernels"
	"github.com/svmbench/svmbench/matrix"
	"github.com/svmbench/svmbench/svm"
)

// fitArgs is one cross-validation fit: train on the fold Gram k (n×n,
// labels y), predict the validation block val (m×n) into pred (len m).
// For fitRows, k and val are instead the fold's training and validation
// samples (rows).
type fitArgs struct {
	k, val  *matrix.Matrix
	y, pred []int
	kern    kernels.DotKernel
	c, tol  float64
	maxIter int     // 0: the solver's default
	workers int     // sub-problems solved at once inside the fit
	cacheMB float64 // fitRows: the solver's kernel cache
}

// gramFitter runs one fit and returns the number of support vectors and
// whether a sub-problem reached the iteration cap.
type gramFitter func(ctx context.Context, a fitArgs) (nsv int, capped bool, err error)

// fitGram is the fitter the grid uses: svm.TrainGram and PredictGram.
// Tests replace it to check the grid's mechanics quickly.
var fitGram gramFitter = svmFitGram

// fitRows is the fitter for grids whose inner products do not fit the
// memory budget: svm.Train on the fold's rows, Predict on its validation
// rows.
var fitRows gramFitter = svmFitRows

func svmFitRows(ctx context.Context, a fitArgs) (int, bool, error) {
	m, err := svm.Train(ctx, a.k, a.y, svm.Params{Kernel: a.kern, C: a.c, Tol: a.tol, MaxIter: a.maxIter,
		Workers: a.workers, CacheMB: max(a.cacheMB, 1)})
	if err != nil {
		return 0, false, err
	}
	if _, err := m.Predict(a.pred, a.val); err != nil {
		return 0, false, err
	}
	return m.NSV(), m.Capped(), nil
}

// svmWorkBytes estimates the solver's own memory for a fit on n samples
// whose kernel matrix is given: the pairs gather their columns from it,
// so per sub-problem only a few vectors of length n.
func svmWorkBytes(n int) int64 { return 64 * int64(n) }

func svmFitGram(ctx context.Context, a fitArgs) (int, bool, error) {
	m, err := svm.TrainGram(ctx, a.k, a.y, svm.Params{Kernel: a.kern, C: a.c, Tol: a.tol, MaxIter: a.maxIter, Workers: a.workers})
	if err != nil {
		return 0, false, err
	}
	if _, err := m.PredictGram(a.pred, a.val); err != nil {
		return 0, false, err
	}
	return m.NSV(), m.Capped(), nil
}

type retrained struct {
	accuracy, seconds float64
	nsv               int
}

// retrainBest trains cell c on all of x, y with the solver's default
// iteration cap, saves the model to modelPath (when not ""), and scores
// it on the test data.
func retrainBest(ctx context.Context, c GridCell, x *matrix.Matrix, y []int, test *matrix.Matrix, ytest []int, tol float64, memBytes int64, modelPath string) (retrained, error) {
	kern, err := CellKernel(c)
	if err != nil {
		return retrained{}, err
	}
	n := x.Rows
	// Let the solver hold the whole Gram matrix when the budget allows.
	cache := float64(min(memBytes, matrix.Bytes(n, n)+matrix.Bytes(n, n)/8)) / (1 << 20)
	t0 := time.Now()
	m, err := svm.Train(ctx, x, y, svm.Params{Kernel: kern, C: c.C, Tol: tol, CacheMB: max(cache, 1)})
	if err != nil {
		return retrained{}, fmt.Errorf("bench: retraining the best cell %d: %w", c.Index, err)
	}
	r := retrained{seconds: time.Since(t0).Seconds(), nsv: m.NSV()}
	if modelPath != "" {
		m.Meta.Features = c.Features
		if err := m.Save(modelPath); err != nil {
			return r, err
		}
	}
	pred, err := m.Predict(nil, test)
	if err != nil {
		return r, fmt.Errorf("bench: scoring the best cell's model: %w", err)
	}
	r.accuracy = accuracy(pred, ytest)
	return r, nil
}

func accuracy(pred, y []int) float64 {
	if len(y) == 0 {
		return 0
	}
	ok := 0
	for i, p := range pred {
		if p == y[i] {
			ok++
		}
	}
	return float64(ok) / float64(len(y))
}
