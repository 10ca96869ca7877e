package bench

import (
	"context"
	"errors"

	"github.com/svmbench/svmbench/internal/linalg"
	"github.com/svmbench/svmbench/kernels"
)

// svmWorkBytes estimates the solver's own memory for a fit on n samples
// whose kernel matrix is given: per sub-problem a few vectors of length n.
func svmWorkBytes(n int) int64 { return 64 * int64(n) }

func svmFitGram(ctx context.Context, k *linalg.Matrix, y []int, val *linalg.Matrix, pred []int, kern kernels.DotKernel, c, tol float64, maxIter int) (int, bool, error) {
	return 0, false, errors.New("svm.TrainGram not integrated yet")
}

type retrained struct {
	accuracy, seconds float64
	nsv               int
}

func retrainBest(ctx context.Context, c GridCell, x *linalg.Matrix, y []int, test *linalg.Matrix, ytest []int, tol float64, modelPath string) (retrained, error) {
	return retrained{}, errors.New("svm.Train not integrated yet")
}
