package bench

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/svmbench/svmbench/kernels"
	"github.com/svmbench/svmbench/matrix"
	"github.com/svmbench/svmbench/svm"
)

// runCells cross-validates the cells todo on x, y and emits each finished
// cell. Inner products are computed once; every fit takes its fold Gram
// and validation block from them (see fitMode for the other modes).
func runCells(ctx context.Context, x *matrix.Matrix, y []int, todo []GridCell, cfg *GridConfig, prog *fitProgress, emit func(GridCell) error) error {
	return runCellsOn(ctx, x, y, nil, todo, cfg, prog, emit)
}

// sharedRows is what several runCellsOn calls on the same rows share:
// the inner products of all of them (nil: each call computes its own when
// its plan needs them), the convexity checks of their one-vs-one pairs
// under each kernel met (nil: each call makes its own, when seeding) and,
// with cfg.PSD, the minimum eigenvalues' cache (sharedPSD; nil: each call
// makes its own).
type sharedRows struct {
	dots *kernels.DotGram
	conv *convexity
	psd  func() *psdCache
}

// shareRows computes the inner products of all rows of x once, for the
// runCellsOn calls of a search that runs its cells in several steps on
// them (bayes batches, range extension, halving's rungs on all rows),
// with the convexity cache they share when fits are seeded and the PSD
// cache with cfg.PSD.
func shareRows(cfg *GridConfig, x *matrix.Matrix, y []int) *sharedRows {
	sh := &sharedRows{dots: allDots(cfg, x, y), psd: sharedPSD(cfg, x)}
	if sh.dots != nil && cfg.seedsPairs() {
		sh.conv = newConvexity(sh.dots, y)
	}
	return sh
}

// seedsPairs reports whether cfg's fits seed their convex one-vs-one
// pairs: alpha seeding on, without class weights or one-vs-rest.
func (cfg *GridConfig) seedsPairs() bool {
	return !cfg.ColdStart && cfg.svm.weights == nil && !cfg.svm.ovr
}

// allDots computes the inner products of all rows of x once, for
// several runCellsOn calls on x or on subsets of its rows, unless the
// grid's plan cannot hold them (then each call's fits compute kernel
// columns from the rows, and nil is returned). The plan's mode does not
// depend on the number of fits, only on the memory budget.
func allDots(cfg *GridConfig, x *matrix.Matrix, y []int) *kernels.DotGram {
	folds, err := makeFolds(y, cfg.Folds, cfg.Seed)
	if err != nil {
		return nil // runCellsOn reports it
	}
	plan, err := planFits(cfg, len(y), x.Cols, folds, 1)
	if err != nil || plan.mode == foldRows {
		return nil
	}
	return kernels.NewDotGram(x)
}

// runCellsOn is runCells on rows whose inner products, and the convexity
// of whose pairs, are shared with other calls (sh; nil: none), as a
// halving search takes each rung's inner products from those of all the
// rows and a bayes search's batches share theirs.
func runCellsOn(ctx context.Context, x *matrix.Matrix, y []int, sh *sharedRows, todo []GridCell, cfg *GridConfig, prog *fitProgress, emit func(GridCell) error) error {
	return runFits(ctx, x, y, sh, cellRun{cells: todo}, cfg, prog, emit)
}

// cellRun is what runFits fits: cells, of which those marked in replay
// are fitted only to seed the fits after them in their chain (they are in
// the journal: neither emitted nor counted in the progress), with the
// folds split into subsets chains (chainSubsets; 0: those of cells), a
// resumed run's those of the uninterrupted run (runResumed).
type cellRun struct {
	cells   []GridCell
	replay  []bool
	subsets int
}

// runResumed runs the cells todo of cells, the others being in the
// journal, so that each is fitted as in an uninterrupted runCellsOn of
// all of cells (in that order): with alpha seeding a fit starts from the
// one before it in its chain (makeChains), so the journalled cells before
// a missing one in its run of equal kernels are fitted again to seed it,
// and the chains keep the uninterrupted run's shape. Without seeding it is
// runCellsOn of todo.
func runResumed(ctx context.Context, x *matrix.Matrix, y []int, sh *sharedRows, cells, todo []GridCell, cfg *GridConfig, prog *fitProgress, emit func(GridCell) error) error {
	if len(todo) == 0 || len(todo) == len(cells) || !cfg.seedsPairs() {
		return runCellsOn(ctx, x, y, sh, todo, cfg, prog, emit)
	}
	return runFits(ctx, x, y, sh, resumeRun(cells, todo, cfg.Folds), cfg, prog, emit)
}

// resumeRun is what runResumed fits: per run of equal kernels of cells,
// its cells up to the last one of todo (those in the journal marked to
// replay, to seed the fits after them), none past it, with the chains of
// all of cells on k folds.
func resumeRun(cells, todo []GridCell, k int) cellRun {
	missing := make(map[int]bool, len(todo))
	for _, c := range todo {
		missing[c.Index] = true
	}
	kerns := cellKernels(cells)
	r := cellRun{subsets: chainSubsets(kerns, k)}
	for _, g := range kernelRuns(kerns) {
		last := -1
		for i := g[0]; i < g[1]; i++ {
			if missing[cells[i].Index] {
				last = i
			}
		}
		for i := g[0]; i <= last; i++ {
			r.cells = append(r.cells, cells[i])
			r.replay = append(r.replay, !missing[cells[i].Index])
		}
	}
	return r
}

// cellKernels returns the kernel of each cell (checked by Grid).
func cellKernels(cells []GridCell) []kernels.DotKernel {
	kerns := make([]kernels.DotKernel, len(cells))
	for i, c := range cells {
		kerns[i], _ = CellKernel(c)
	}
	return kerns
}

// runFits cross-validates the cells of r (runCellsOn, runResumed).
func runFits(ctx context.Context, x *matrix.Matrix, y []int, sh *sharedRows, r cellRun, cfg *GridConfig, prog *fitProgress, emit func(GridCell) error) error {
	k, todo := cfg.Folds, r.cells
	if len(todo) == 0 {
		return nil
	}
	folds, err := makeFolds(y, k, cfg.Seed)
	if err != nil {
		return err
	}
	kerns, subsets := cellKernels(todo), r.subsets
	if subsets == 0 {
		subsets = chainSubsets(kerns, k)
	}
	chains := makeChains(todo, kerns, folds, !cfg.ColdStart, subsets)
	// A chain's fits run in turn: no more fits at once than chains (a
	// cold run has one per fit); the cores left go to each fit's
	// sub-problems.
	plan, err := planFits(cfg, len(y), x.Cols, folds, len(chains))
	if err != nil {
		return err
	}
	replays := 0
	for _, rp := range r.replay {
		if rp {
			replays++
		}
	}
	seed := ""
	if replays > 0 {
		seed = fmt.Sprintf(" (and %d cells of the journal again, to seed them as in an uninterrupted run)", replays)
	}
	cfg.logf("grid %s/%s: %d cells × %d folds on %d samples%s; %d fits at once, %s",
		cfg.Kernel, cfg.Features, len(todo)-replays, k, len(y), seed, plan.workers, plan)
	var dots *kernels.DotGram
	var conv *convexity
	if sh != nil {
		dots, conv = sh.dots, sh.conv
	}
	fitters := newFitters(&fitEnv{x: x, folds: folds, cfg: cfg, plan: plan, dots: dots}, kerns)
	if err := ctx.Err(); err != nil {
		return err
	}
	tally := newCVTally(todo, folds, y)
	tally.warm = !cfg.ColdStart
	var psd *psdCache
	switch {
	case sh != nil && sh.psd != nil:
		psd = sh.psd()
	case cfg.PSD:
		psd = newPSDCache(x, cfg.PSDSample, cfg.Seed)
	}
	// finish completes a cross-validated cell and emits it.
	finish := func(i int, out GridCell) error {
		if psd != nil {
			v, v0, err := psd.minEigen(kerns[i])
			if err != nil {
				return fmt.Errorf("bench: cell %d: %w", out.Index, err)
			}
			out.MinEigen, out.MinEigenCPD = &v, &v0
		}
		return emit(out)
	}
	if dg := sharedDots(fitters); conv == nil && dg != nil && cfg.seedsPairs() {
		conv = newConvexity(dg, y)
	}
	return runPool(ctx, fitters, chains, folds, conv, func(j fitJob, fo fitOut, pred []int, secs float64) error {
		out, done := tally.add(j, fo, pred, secs)
		if r.replay != nil && r.replay[j.cell] {
			return nil // in the journal already
		}
		var err error
		if done {
			err = finish(j.cell, out)
		}
		prog.add(1)
		return err
	})
}

// runPool runs the chains of fits on one goroutine per fitter, each
// chain in order (a fit seeded from an earlier one of its chain), and
// hands each finished fit, with its predictions of the validation rows,
// to record (which must be safe for concurrent use). The first error
// cancels the rest and is returned; else ctx's error, if any.
func runPool(ctx context.Context, fitters []foldFitter, chains [][]fitJob, folds *cvFolds, conv *convexity, record func(j fitJob, out fitOut, pred []int, secs float64) error) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var (
		mu       sync.Mutex
		firstErr error
		wg       sync.WaitGroup
	)
	fail := func(err error) {
		mu.Lock()
		if firstErr == nil {
			firstErr = err
		}
		mu.Unlock()
		cancel()
	}
	tasks := make(chan []fitJob)
	for _, ft := range fitters {
		wg.Add(1)
		go func() {
			defer wg.Done()
			buf := make([]int, folds.maxVal)
			for ch := range tasks {
				if err := runChain(ctx, ft, ch, folds, conv, buf, record); err != nil && ctx.Err() == nil {
					fail(err)
				}
			}
		}()
	}
feed:
	for _, ch := range chains {
		select {
		case tasks <- ch:
		case <-ctx.Done():
			break feed
		}
	}
	close(tasks)
	wg.Wait()
	if firstErr != nil {
		return firstErr
	}
	return ctx.Err()
}

// runChain runs the fits of one chain in order, each seeded from the
// model of the fit its from names, in the pairs conv finds convex (nil
// conv: every fit cold). A fit whose seeded pair still met a quadratic
// coefficient ≤ 0 is redone cold, so that the CV accuracies are those of
// cold starts.
func runChain(ctx context.Context, ft foldFitter, ch []fitJob, folds *cvFolds, conv *convexity, buf []int, record func(fitJob, fitOut, []int, float64) error) error {
	outs := make([]fitOut, len(ch))
	gate := newSeedGate(conv)
	for pos, j := range ch {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		var log *seedLog
		if j.from >= 0 && outs[j.from].model != nil && conv != nil {
			log = &seedLog{}
			j.start = seedFrom(outs[j.from].model, ch[j.from], j, folds, gate, len(ch)-pos, log)
		}
		t0 := time.Now()
		pred := buf[:j.nval]
		out, err := ft.fit(ctx, j, pred)
		if bad := log.nonConvex(out.model); err == nil && len(bad) > 0 {
			gate.refuse(j.kern, bad)
			j.start, log = nil, nil
			out, err = ft.fit(ctx, j, pred)
		}
		if errors.Is(err, svm.ErrNotFinite) {
			// A condition of the cell's parameters and the data, not of
			// the run: the cell is recorded as failed, the grid goes on.
			out, err = fitOut{failed: fmt.Sprintf("fold %d: %v", j.fold+1, err)}, nil
		}
		if err != nil {
			return fmt.Errorf("bench: cell %d fold %d: %w", j.index, j.fold, err)
		}
		out.seeded = log.count()
		outs[pos] = out
		if err := record(j, out, pred, time.Since(t0).Seconds()); err != nil {
			return err
		}
	}
	return nil
}

// cvTally gathers the folds of each cell into its cross-validated record.
type cvTally struct {
	mu    sync.Mutex
	cells []GridCell
	y     []int
	folds *cvFolds
	warm  bool // alpha seeding on: recorded in each cell
	state []cellTally
}

type cellTally struct {
	res  []fitResult
	left int
	secs float64
}

// fitResult is one fold of one cell.
type fitResult struct {
	correct int
	fitOut
}

func newCVTally(cells []GridCell, folds *cvFolds, y []int) *cvTally {
	t := &cvTally{cells: cells, y: y, folds: folds, state: make([]cellTally, len(cells))}
	for i := range t.state {
		t.state[i] = cellTally{res: make([]fitResult, len(folds.val)), left: len(folds.val)}
	}
	return t
}

// add records fit j (its predictions pred of the fold's validation rows)
// and, when it was the cell's last fold, returns the finished cell.
func (t *cvTally) add(j fitJob, out fitOut, pred []int, secs float64) (GridCell, bool) {
	r := fitResult{fitOut: out}
	for i, row := range t.folds.val[j.fold] {
		if out.failed == "" && pred[i] == t.y[row] {
			r.correct++
		}
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	st := &t.state[j.cell]
	st.res[j.fold] = r
	st.secs += secs
	st.left--
	if st.left > 0 {
		return GridCell{}, false
	}
	c := t.cells[j.cell]
	k := len(st.res)
	var correct, sv int
	c.FoldAccuracy = make([]float64, k)
	for f, fr := range st.res {
		c.FoldAccuracy[f] = float64(fr.correct) / float64(len(t.folds.val[f]))
		correct += fr.correct
		sv += fr.nsv
		c.SMOIter += fr.iter
		c.SeededPairs += fr.seeded
		c.Capped = c.Capped || fr.capped
	}
	c.CVAccuracy = float64(correct) / float64(len(t.y))
	c.NSV = float64(sv) / float64(k)
	c.Seconds = st.secs
	c.WarmStart = t.warm
	for _, fr := range st.res {
		if fr.failed != "" { // the first failed fold, in fold order
			c.Failed, c.FoldAccuracy, c.CVAccuracy, c.NSV = fr.failed, []float64{}, 0, 0
			c.SeededPairs, c.Capped = 0, false
			break
		}
	}
	return c, true
}

// fitProgress reports fits done to a Progress callback: calls are
// serialised and their counts never go back.
type fitProgress struct {
	mu          sync.Mutex
	fn          func(done, total int64)
	done, total int64
}

func newFitProgress(fn func(done, total int64), done, total int64) *fitProgress {
	p := &fitProgress{fn: fn, done: done, total: total}
	if fn != nil {
		fn(done, total)
	}
	return p
}

func (p *fitProgress) add(n int64) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.done += n
	if p.fn != nil {
		p.fn(p.done, p.total)
	}
}

// grow adds total fits to the total, done of them already (resumed), and
// reports.
func (p *fitProgress) grow(total, done int64) {
	p.mu.Lock()
	p.total += total
	p.mu.Unlock()
	p.add(done)
}
