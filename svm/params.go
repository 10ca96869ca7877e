package svm

import (
	"fmt"
	"math"
	"runtime"

	"github.com/svmbench/svmbench/kernels"
)

// DefaultTol is the solver's stopping tolerance when Params.Tol is 0:
// LIBSVM's default -e 1e-3.
const DefaultTol = 1e-3

// Params are the settings of C-SVC training. The zero value of every field
// but Kernel is a documented default (LIBSVM's where LIBSVM has one).
type Params struct {
	// Kernel is required by Train; TrainGram records it for reports and
	// prediction from samples, and accepts nil.
	Kernel kernels.Kernel
	// C is the penalty, > 0; 0 means 1 (LIBSVM's -c).
	C float64
	// Tol is the stopping tolerance ε on the maximal violation, > 0;
	// 0 means DefaultTol (LIBSVM's -e).
	Tol float64
	// CacheMB is the kernel memory budget in MiB (2^20 bytes) of float32
	// entries, like LIBSVM's -m; 0 means 200. When the whole n×n kernel
	// matrix fits, it is computed once for all sub-problems; otherwise each
	// concurrent sub-problem gets an equal share as an LRU column cache.
	CacheMB float64
	// NoShrinking turns shrinking off (LIBSVM's -h 0). The zero value,
	// shrinking on, is LIBSVM's default.
	NoShrinking bool
	// MaxIter caps the SMO iterations of each binary sub-problem;
	// 0 means max(1e7, 100·l) with l the sub-problem's size. A sub-problem
	// that reaches it has Status IterationCap (Model.Capped).
	MaxIter int
	// Weights multiplies C for the samples of a class label (LIBSVM's
	// -wLABEL w); absent labels have weight 1. Weights must be > 0.
	Weights map[int]float64
	// OneVsRest trains one class against all others instead of the
	// one-vs-one pairs. Such a model is saved as MODEL.json only.
	// Weights then scale the positive class of each sub-problem only.
	OneVsRest bool
	// Probability also fits LIBSVM's probability model (svm-train -b 1):
	// for every pair, Platt's sigmoid on decision values from an internal
	// 5-fold cross-validation (Model.ProbA, ProbB), for PredictProbability.
	// About five more trainings of each pair. One-vs-one only.
	Probability bool
	// Seed drives the shuffles of that internal cross-validation (LIBSVM
	// uses rand()): the same seed gives the same probability model.
	Seed uint64
	// Workers is the number of sub-problems solved at once; 0 means
	// GOMAXPROCS.
	Workers int
	// Start, when not nil, seeds SMO with an initial point (alpha
	// seeding, for example a neighbouring C's or fold's solution; see
	// Model.PairAlpha). It is called, possibly concurrently, once per
	// binary sub-problem with the class labels i and j (j = −1 for
	// one-vs-rest), the sub-problem's training rows (indices of x or k)
	// and a zeroed alpha of the same length to fill. The start is made
	// feasible (clipped into [0, C_t], then yᵀα = 0 restored by lowering
	// as few α of the heavier side as needed, free ones first) and the
	// gradient rebuilt from it, so any start is
	// accepted; the solver then stops on the same criterion (Tol), at an
	// optimum within Tol of a cold start's, usually after fewer
	// iterations. nil, the default, is LIBSVM's start from α = 0.
	Start func(i, j int, rows []int, alpha []float64)
	// Progress, when not nil, is called after each binary sub-problem
	// with the number finished and the total.
	Progress func(done, total int64)
}

// defaults returns p with zero fields replaced by their defaults.
func (p Params) defaults() Params {
	if p.C == 0 {
		p.C = 1
	}
	if p.Tol == 0 {
		p.Tol = DefaultTol
	}
	if p.CacheMB == 0 {
		p.CacheMB = 200
	}
	if p.Workers == 0 {
		p.Workers = runtime.GOMAXPROCS(0)
	}
	return p
}

// validate checks the filled-in parameters; needKernel for Train.
func (p Params) validate(needKernel bool) error {
	switch {
	case !(p.C > 0) || math.IsInf(p.C, 0):
		return fmt.Errorf("svm: Params.C = %v: want a finite value > 0", p.C)
	case !(p.Tol > 0) || math.IsInf(p.Tol, 0):
		return fmt.Errorf("svm: Params.Tol = %v: want a finite value > 0", p.Tol)
	case !(p.CacheMB > 0) || math.IsInf(p.CacheMB, 0):
		return fmt.Errorf("svm: Params.CacheMB = %v: want a finite value > 0 (MiB)", p.CacheMB)
	case p.MaxIter < 0:
		return fmt.Errorf("svm: Params.MaxIter = %d: want ≥ 0 (0 means max(1e7, 100·n))", p.MaxIter)
	case p.Probability && p.OneVsRest:
		return fmt.Errorf("svm: Params.Probability: the probability model is one-vs-one only (Params.OneVsRest is set)")
	case p.Workers < 0:
		return fmt.Errorf("svm: Params.Workers = %d: want ≥ 0 (0 means GOMAXPROCS)", p.Workers)
	}
	for l, w := range p.Weights {
		if !(w > 0) || math.IsInf(w, 0) {
			return fmt.Errorf("svm: Params.Weights[%d] = %v: want a finite value > 0", l, w)
		}
	}
	if needKernel || p.Kernel != nil {
		if err := kernels.Validate(p.Kernel); err != nil {
			return fmt.Errorf("svm: Params.Kernel: %w", err)
		}
	}
	return nil
}

func (p Params) weight(label int) float64 {
	if w, ok := p.Weights[label]; ok {
		return w
	}
	return 1
}

func (p Params) maxIter(l int) int {
	if p.MaxIter > 0 {
		return p.MaxIter
	}
	return max(10_000_000, 100*l)
}
