package bench

import (
	"context"
	"fmt"

	"github.com/svmbench/svmbench/internal/memory"
	"github.com/svmbench/svmbench/matrix"
	"github.com/svmbench/svmbench/svm"
)

type retrained struct {
	accuracy, seconds float64
	nsv               int
	peak              memory.Peak
}

// retrainBest trains cell c on all of x, y with the solver's default
// iteration cap, saves the model to modelPath (when not ""), and scores
// it on the test data; meta goes into the model's sidecar.
func retrainBest(ctx context.Context, c GridCell, x *matrix.Matrix, y []int, test *matrix.Matrix, ytest []int, tol float64, memBytes int64, modelPath string, meta svm.Meta) (retrained, error) {
	m, secs, peak, err := trainSVM(ctx, x, y, c, tol, memBytes, nil)
	if err != nil {
		return retrained{}, fmt.Errorf("bench: retraining the best cell %d: %w", c.Index, err)
	}
	r := retrained{seconds: secs, nsv: m.NSV(), peak: peak}
	if modelPath != "" {
		m.Meta = meta
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
