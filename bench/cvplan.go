package bench

import (
	"fmt"
	"math/rand/v2"
	"runtime"
	"slices"

	"github.com/svmbench/svmbench/dataset"
	"github.com/svmbench/svmbench/internal/memory"
	"github.com/svmbench/svmbench/matrix"
)

// cvFolds are the stratified cross-validation folds of a grid.
type cvFolds struct {
	val              [][]int // validation rows of each fold
	train            [][]int // training rows of each fold, grouped by class (stably)
	ytrain           [][]int // labels of train
	y                []int   // labels of all rows
	maxTrain, maxVal int
}

func (f *cvFolds) label(row int) int { return f.y[row] }

// makeFolds splits the labels y into k stratified folds seeded by seed.
// Training rows are grouped by class: every one-vs-one pair of a fit is
// then two runs of consecutive rows of the fold Gram, which the solver
// copies as blocks.
func makeFolds(y []int, k int, seed uint64) (*cvFolds, error) {
	folds, err := dataset.StratifiedFolds(y, k, rand.New(rand.NewPCG(seed, 0x666f6c6473))) // "folds"
	if err != nil {
		return nil, fmt.Errorf("bench: %w", err)
	}
	f := &cvFolds{y: y, val: folds, train: make([][]int, k), ytrain: make([][]int, k)}
	for i := range folds {
		tr := dataset.FoldTrain(folds, i)
		slices.SortStableFunc(tr, func(a, b int) int { return y[a] - y[b] })
		f.train[i] = tr
		f.ytrain[i] = make([]int, len(tr))
		for j, r := range tr {
			f.ytrain[i][j] = y[r]
		}
		f.maxTrain = max(f.maxTrain, len(tr))
		f.maxVal = max(f.maxVal, len(folds[i]))
	}
	return f, nil
}

// fitMode is where a fit's kernel values come from.
type fitMode int

const (
	// foldGrams: each fit derives its fold Gram and validation block from
	// the n×n inner products.
	foldGrams fitMode = iota
	// groupGram: each run of consecutive cells with the same kernel (the
	// C values of one α, c) shares that kernel's n×n Gram matrix, derived
	// once and gathered from by all of the group's fits: (k−1)× fewer
	// kernel evaluations. At most one group Gram per fit running is alive.
	groupGram
	// foldRows: the inner products do not fit the budget; each fit holds
	// its fold's rows and the solver computes kernel columns from them
	// into an LRU cache (svm.Train), as LIBSVM does: slower, but bounded.
	foldRows
)

// fitPlan is how a grid's fits share the memory budget and the cores.
type fitPlan struct {
	mode    fitMode
	workers int     // fits run at once
	inner   int     // sub-problems solved at once inside each fit
	cacheMB float64 // foldRows: each fit's kernel cache
	dot     int64   // bytes of the n×n inner products
}

// planFits chooses the mode and the number of fits run at once, at most
// nFits (a run's fits, or its chains of fits run in turn), over n samples
// of dimension cols within cfg.MemBytes (float32 matrices): the inner
// products, then per fit running a fold Gram and a validation block, plus
// in group mode a group Gram.
func planFits(cfg *GridConfig, n, cols int, f *cvFolds, nFits int) (fitPlan, error) {
	p := fitPlan{dot: matrix.Bytes(n, n)}
	perFit := matrix.Bytes(f.maxTrain, f.maxTrain) + matrix.Bytes(f.maxVal, f.maxTrain) + svmWorkBytes(f.maxTrain)
	want := cfg.Workers
	if want == 0 {
		want = runtime.GOMAXPROCS(0)
	}
	want = min(want, nFits)
	fitting := func(per int64) int { return int(min(max((cfg.MemBytes-p.dot)/per, 0), int64(want))) }
	wFold, wGroup := fitting(perFit), fitting(perFit+p.dot)
	p.mode, p.workers = foldGrams, wFold
	if wGroup >= 1 && wGroup >= wFold/2 {
		p.mode, p.workers = groupGram, wGroup
	}
	if p.workers < 1 {
		// The cache: at least the fold's whole kernel matrix or 64 MiB,
		// whichever is less.
		minCache := min(64<<20, matrix.Bytes(f.maxTrain, f.maxTrain))
		rows := matrix.Bytes(f.maxTrain, cols) + matrix.Bytes(f.maxVal, cols) + svmWorkBytes(f.maxTrain)
		p.mode = foldRows
		p.workers = int(min(cfg.MemBytes/(rows+minCache), int64(want)))
		if p.workers < 1 {
			return p, fmt.Errorf("bench: Grid: %d training samples need %s per fit (fold rows and a minimal kernel cache), more than the memory budget of %s: lower the training size or raise the budget",
				n, memory.Bytes(rows+minCache), memory.Bytes(cfg.MemBytes))
		}
		p.cacheMB = float64((cfg.MemBytes-int64(p.workers)*rows)/int64(p.workers)) / (1 << 20)
	}
	p.inner = max(1, runtime.GOMAXPROCS(0)/p.workers)
	return p, nil
}

// String describes the mode for the grid's log.
func (p fitPlan) String() string {
	switch p.mode {
	case groupGram:
		return "one kernel matrix per α, c (or γ) shared by its C values and folds"
	case foldRows:
		return fmt.Sprintf("the %s of inner products do not fit the budget: kernel columns computed per fit, %.0f MiB cache each", memory.Bytes(p.dot), p.cacheMB)
	}
	return "fold Grams derived per fit"
}
