package bench

import (
	"context"
	"sync"

	"github.com/svmbench/svmbench/kernels"
	"github.com/svmbench/svmbench/matrix"
	"github.com/svmbench/svmbench/svm"
)

// fitJob is one cross-validation fit: cell (an index into the cells
// being run; index in the grid's order) with kernel kern and penalty c,
// trained on fold's training rows and scored on its nval validation rows.
type fitJob struct {
	cell, index int
	fold, nval  int
	kern        kernels.DotKernel
	c           float64
	// from is the position in the job's chain of the fit whose solution
	// seeds this one (alpha seeding), or -1 for a cold start; start is
	// that seed, set when the job runs.
	from  int
	start func(i, j int, rows []int, alpha []float64)
}

// fitOut is what a fit returns.
type fitOut struct {
	nsv    int  // support vectors
	capped bool // a sub-problem reached the iteration cap
	iter   int  // SMO iterations, all sub-problems
	// nonPSD: some step met a quadratic coefficient ≤ 0, so the kernel is
	// not PSD on the fold and the problem not convex.
	nonPSD bool
	// seeded counts the sub-problems that alpha seeding started from a
	// neighbouring fit's solution.
	seeded int
	// model is the fitted model, kept to seed the next fit of a chain
	// (nil when the fitter has none, as in tests).
	model *svm.Model
	// failed says why the fit could not be made (svm.ErrNotFinite: the
	// kernel values of the cell overflow); "" for a fit made. A failed fit
	// predicts nothing, and fails its cell (GridCell.Failed).
	failed string
}

// foldFitter runs fits, predicting a fold's validation rows into pred.
// The modes of fitMode differ only in where the kernel values come from;
// each worker has its own foldFitter (its buffers), sharing what the
// mode shares.
type foldFitter interface {
	fit(ctx context.Context, j fitJob, pred []int) (fitOut, error)
}

// fitArgs are the settings of one fit that do not depend on the mode.
type fitArgs struct {
	fold    int   // the cross-validation fold (tests tell fits apart by it)
	y, pred []int // training labels; predictions of the validation rows
	kern    kernels.DotKernel
	c, tol  float64
	maxIter int // 0: the solver's default
	workers int // sub-problems solved at once inside the fit
	// start seeds the solver (svm.Params.Start); nil for a cold start.
	start func(i, j int, rows []int, alpha []float64)
	// opts are the solver options beyond the cell's (CrossValidate's).
	opts svmOptions
}

// svmOptions are the solver options a cross-validation may add to its
// fits (CVConfig's Weights, OneVsRest, Probability); grids leave them
// zero. With probability, a fit's validation rows are predicted as their
// most probable labels (svm-train -v K -b 1 scores them so).
type svmOptions struct {
	weights   map[int]float64
	ovr, prob bool
	probSeed  uint64
}

// gramFit is a fit on a precomputed fold Gram (n×n, labels y) with the
// validation block val (m×n) of kernel values against the training rows.
type gramFit struct {
	fitArgs
	gram, val *matrix.Matrix
}

// rowsFit is a fit on the fold's training rows and validation rows; the
// solver computes kernel columns into a cache of cacheMB MiB.
type rowsFit struct {
	fitArgs
	rows, val *matrix.Matrix
	cacheMB   float64
}

// trainGram and trainRows are the solver calls of the two kinds of fit:
// svm.TrainGram with PredictGram, svm.Train with Predict. Tests replace
// trainGram to check the grid's mechanics quickly.
var (
	trainGram = svmFitGram
	trainRows = svmFitRows
)

func svmFitGram(ctx context.Context, a gramFit) (fitOut, error) {
	m, err := svm.TrainGram(ctx, a.gram, a.y, a.params())
	if err != nil {
		return fitOut{}, err
	}
	dv, err := m.DecisionValuesGram(nil, a.val)
	if err != nil {
		return fitOut{}, err
	}
	return modelOut(m, dv, a.pred), nil
}

// modelOut votes the decision values dv of the validation rows into pred
// and describes the fit.
func modelOut(m *svm.Model, dv []float64, pred []int) fitOut {
	if m.HasProbability() {
		p, _ := m.VoteProbability(dv)
		copy(pred, p)
	} else {
		m.Vote(pred, dv)
	}
	out := fitOut{nsv: m.NSV(), capped: m.Capped(), model: m}
	for _, p := range m.Pairs {
		out.iter += p.Iter
		out.nonPSD = out.nonPSD || p.NonPSDSteps > 0
	}
	return out
}

func svmFitRows(ctx context.Context, a rowsFit) (fitOut, error) {
	p := a.params()
	p.CacheMB = max(a.cacheMB, 1)
	m, err := svm.Train(ctx, a.rows, a.y, p)
	if err != nil {
		return fitOut{}, err
	}
	dv, err := m.DecisionValues(nil, a.val)
	if err != nil {
		return fitOut{}, err
	}
	return modelOut(m, dv, a.pred), nil
}

func (a fitArgs) params() svm.Params {
	return svm.Params{Kernel: a.kern, C: a.c, Tol: a.tol, MaxIter: a.maxIter, Workers: a.workers, Start: a.start,
		Weights: a.opts.weights, OneVsRest: a.opts.ovr, Probability: a.opts.prob, Seed: a.opts.probSeed}
}

// sharedDots returns the inner products the Gram fitters share, or nil
// (foldRows mode: they do not fit in memory).
func sharedDots(fs []foldFitter) *kernels.DotGram {
	if len(fs) == 0 {
		return nil
	}
	if g, ok := fs[0].(*gramFitter); ok {
		return g.sh.dg
	}
	return nil
}

// svmWorkBytes estimates the solver's own memory for a fit on n samples
// whose kernel matrix is given: the pairs gather their columns from it,
// so per sub-problem only a few vectors of length n.
func svmWorkBytes(n int) int64 { return 64 * int64(n) }

// fitEnv is what every fit of a grid shares.
type fitEnv struct {
	x     *matrix.Matrix
	folds *cvFolds
	cfg   *GridConfig
	plan  fitPlan
	dots  *kernels.DotGram // x's inner products when given; nil: computed
}

func (e *fitEnv) args(j fitJob, pred []int) fitArgs {
	maxIter := e.cfg.MaxIter
	if maxIter == 0 {
		maxIter = 20 * len(e.folds.train[j.fold])
	} else if maxIter < 0 {
		maxIter = 0
	}
	return fitArgs{fold: j.fold, y: e.folds.ytrain[j.fold], pred: pred, kern: j.kern, c: j.c, tol: e.cfg.Tol,
		maxIter: maxIter, workers: e.plan.inner, start: j.start, opts: e.cfg.svm}
}

// newFitters returns one foldFitter per worker for the plan's mode; cells
// are the kernels of the cells run, in order, for the group mode.
func newFitters(e *fitEnv, cells []kernels.DotKernel) []foldFitter {
	fs := make([]foldFitter, e.plan.workers)
	if e.plan.mode == foldRows {
		for w := range fs {
			fs[w] = &rowsFitter{env: e,
				rows: make([]float32, e.folds.maxTrain*e.x.Cols),
				val:  make([]float32, e.folds.maxVal*e.x.Cols)}
		}
		return fs
	}
	dg := e.dots
	if dg == nil {
		dg = kernels.NewDotGram(e.x)
	}
	sh := &gramShared{dg: dg}
	if e.plan.mode == groupGram {
		sh.groups = kernelGroups(cells, len(e.folds.val))
		sh.free = make(chan []float32, e.plan.workers)
	}
	for w := range fs {
		fs[w] = &gramFitter{env: e, sh: sh,
			gram: make([]float32, e.folds.maxTrain*e.folds.maxTrain),
			val:  make([]float32, e.folds.maxVal*e.folds.maxTrain)}
	}
	return fs
}

// rowsFitter is the foldRows mode.
type rowsFitter struct {
	env       *fitEnv
	rows, val []float32
}

func (r *rowsFitter) fit(ctx context.Context, j fitJob, pred []int) (fitOut, error) {
	x, tr, val := r.env.x, r.env.folds.train[j.fold], r.env.folds.val[j.fold]
	g := matrix.NewFrom(len(tr), x.Cols, r.rows[:len(tr)*x.Cols])
	vb := matrix.NewFrom(len(val), x.Cols, r.val[:len(val)*x.Cols])
	gatherRows(g, x, tr)
	gatherRows(vb, x, val)
	return trainRows(ctx, rowsFit{fitArgs: r.env.args(j, pred), rows: g, val: vb, cacheMB: r.env.plan.cacheMB})
}

// gramFitter is the foldGrams and groupGram modes.
type gramFitter struct {
	env       *fitEnv
	sh        *gramShared
	gram, val []float32
}

// gramShared is what the Gram fitters share: the inner products and, in
// group mode, the group Grams with their lifetime.
type gramShared struct {
	dg     *kernels.DotGram
	mu     sync.Mutex
	groups []*kernelGroup // per cell; nil in foldGrams mode
	free   chan []float32 // n×n buffers of finished groups
}

// kernelGroup is a run of consecutive cells with the same kernel.
type kernelGroup struct {
	once sync.Once
	g    *matrix.Matrix
	left int // fits not finished, guarded by gramShared.mu
}

// kernelGroups returns each cell's group: runs of consecutive equal
// kernels, each of k fits a cell.
func kernelGroups(cells []kernels.DotKernel, k int) []*kernelGroup {
	gs := make([]*kernelGroup, len(cells))
	for i, kern := range cells {
		if i == 0 || kern != cells[i-1] {
			gs[i] = &kernelGroup{}
		} else {
			gs[i] = gs[i-1]
		}
		gs[i].left += k
	}
	return gs
}

func (g *gramFitter) fit(ctx context.Context, j fitJob, pred []int) (fitOut, error) {
	tr, val := g.env.folds.train[j.fold], g.env.folds.val[j.fold]
	gm := matrix.NewFrom(len(tr), len(tr), g.gram[:len(tr)*len(tr)])
	vb := matrix.NewFrom(len(val), len(tr), g.val[:len(val)*len(tr)])
	if g.sh.groups == nil {
		g.sh.dg.Gram(gm, j.kern, tr, tr)
		g.sh.dg.Gram(vb, j.kern, val, tr)
		return trainGram(ctx, gramFit{fitArgs: g.env.args(j, pred), gram: gm, val: vb})
	}
	grp := g.sh.groups[j.cell]
	grp.once.Do(func() {
		n := g.env.x.Rows
		grp.g = matrix.NewFrom(n, n, g.sh.buffer(n*n))
		g.sh.dg.Gram(grp.g, j.kern, nil, nil)
	})
	gather(gm, grp.g, tr, tr)
	gather(vb, grp.g, val, tr)
	defer g.sh.release(grp)
	return trainGram(ctx, gramFit{fitArgs: g.env.args(j, pred), gram: gm, val: vb})
}

// buffer returns a finished group's n×n buffer, or a new one.
func (s *gramShared) buffer(size int) []float32 {
	select {
	case b := <-s.free:
		return b
	default:
		return make([]float32, size)
	}
}

// release counts one fit of grp done; the last hands its Gram's memory on.
func (s *gramShared) release(grp *kernelGroup) {
	s.mu.Lock()
	defer s.mu.Unlock()
	grp.left--
	if grp.left == 0 {
		select {
		case s.free <- grp.g.Data:
		default:
		}
		grp.g = nil
	}
}

// gather sets dst[i][j] = src[rows[i]][cols[j]].
func gather(dst, src *matrix.Matrix, rows, cols []int) {
	for i, r := range rows {
		s := src.Row(r)
		d := dst.Row(i)
		for j, c := range cols {
			d[j] = s[c]
		}
	}
}

// gatherRows sets row i of dst to row rows[i] of src.
func gatherRows(dst, src *matrix.Matrix, rows []int) {
	for i, r := range rows {
		copy(dst.Row(i), src.Row(r))
	}
}
