package bench

import (
	"context"
	"fmt"
	"time"

	"github.com/svmbench/svmbench/matrix"
	"github.com/svmbench/svmbench/svm"
)

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
