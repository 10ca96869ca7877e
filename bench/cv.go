package bench

import (
	"cmp"
	"context"
	"fmt"
	"slices"

	"github.com/svmbench/svmbench/kernels"
	"github.com/svmbench/svmbench/matrix"
)

// CVConfig is one setting to cross-validate (svm-train -v K). The zero
// value of every field but Kernel is a documented default.
type CVConfig struct {
	// Kernel is required: a registered kernel (sigmoid, rbf, linear, poly).
	Kernel kernels.DotKernel
	// C is the penalty; 0 means 1 (LIBSVM's -c).
	C float64
	// Folds is the number of stratified folds, ≥ 2; 0 means 5.
	Folds int
	// Tol is the solver's stopping tolerance; 0 means 1e-3.
	Tol float64
	// Seed drives the fold assignment and the probability model's
	// internal folds.
	Seed uint64
	// Weights multiply C for the samples of a class label, OneVsRest
	// trains one class against the rest, as svm.Params's (svm-train -w).
	Weights   map[int]float64
	OneVsRest bool
	// Probability fits each fold's probability model (svm.Params) and
	// scores a validation sample by its most probable label instead of the
	// vote, as svm-train -v K -b 1 does (svm.cpp's svm_cross_validation
	// calls svm_predict_probability then). One-vs-one only.
	Probability bool
	// MemBytes and Workers bound the memory and the fits run at once, as
	// GridConfig's; 0 means the defaults.
	MemBytes int64
	Workers  int
	// Progress, when not nil, is called after each fold's fit.
	Progress func(done, total int64)
}

// CrossValidate returns the K-fold cross-validation accuracy of one
// setting on x, y: the fraction of samples predicted correctly by the
// model trained without their fold (the figure svm-train -v K prints as
// "Cross Validation Accuracy"), and the cell with each fold's accuracy.
// It runs on the grid's machinery: the inner products are computed once
// and every fold's Gram matrix derived from them (kernels.DotGram), or,
// when they do not fit MemBytes, each fold trains on its rows. Folds are
// stratified (dataset.StratifiedFolds): every class needs at least Folds
// samples. The solver runs to its own iteration cap, as svm-train does.
func CrossValidate(ctx context.Context, x *matrix.Matrix, y []int, cfg CVConfig) (float64, GridCell, error) {
	spec, v, ok := kernels.Of(cfg.Kernel)
	if !ok {
		return 0, GridCell{}, fmt.Errorf("bench: CVConfig.Kernel %v: want a registered kernel (kernels.Register)", cfg.Kernel)
	}
	if x == nil || x.Rows != len(y) {
		return 0, GridCell{}, fmt.Errorf("bench: CrossValidate: %d labels for %v: want one a row", len(y), x)
	}
	cell := GridCell{Kernel: spec.Name, C: cmp.Or(cfg.C, 1)}
	g := GridConfig{Kernel: spec.Name, Degree: v.Degree, Folds: cfg.Folds, Tol: cfg.Tol, Seed: cfg.Seed,
		MemBytes: cfg.MemBytes, Workers: cfg.Workers, MaxIter: -1, Progress: cfg.Progress, C: Values(cell.C),
		ColdStart: true} // every fold from α = 0, as svm-train -v does
	for _, name := range spec.ParamNames() {
		cell.SetParam(name, v.Get(name))
	}
	for _, name := range spec.GridParams() {
		*g.rangeOf(name) = Values(v.Get(name))
	}
	if err := g.Validate(); err != nil {
		return 0, GridCell{}, err
	}
	if err := checkFoldable(y, g.Folds); err != nil {
		return 0, GridCell{}, err
	}
	for l := range cfg.Weights {
		if !slices.Contains(y, l) {
			return 0, GridCell{}, fmt.Errorf("bench: CVConfig.Weights[%d]: no sample has label %d", l, l)
		}
	}
	if cfg.Probability && cfg.OneVsRest {
		return 0, GridCell{}, fmt.Errorf("bench: CVConfig: Probability needs one-vs-one (OneVsRest is set)")
	}
	g.svm = svmOptions{weights: cfg.Weights, ovr: cfg.OneVsRest, prob: cfg.Probability, probSeed: cfg.Seed}
	cell.Folds, cell.Features = g.Folds, g.Features
	var out GridCell
	prog := newFitProgress(g.Progress, 0, int64(g.Folds))
	err := runCells(ctx, x, y, []GridCell{cell}, &g, prog, func(c GridCell) error {
		out = c
		return nil
	})
	if err != nil {
		return 0, GridCell{}, err
	}
	if out.Failed != "" {
		// A grid records the failed cell and goes on; a setting
		// cross-validated alone has no accuracy to give.
		return 0, out, notFiniteError(out.Failed)
	}
	return out.CVAccuracy, out, nil
}
