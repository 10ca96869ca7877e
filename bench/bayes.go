package bench

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/svmbench/svmbench/kernels"
	"github.com/svmbench/svmbench/matrix"
	"github.com/svmbench/svmbench/results"
)

// searchSpace is the lattice of a grid's ranges mapped into the unit
// cube: each axis with more than one value is a coordinate, log2 of the
// value for ranges written 2^a:2^b:k, the value itself otherwise, scaled
// to [0, 1]. Axes with one value are held fixed.
type searchSpace struct {
	cells  []GridCell  // the lattice, in the grid's cell order
	coord  [][]float64 // each cell's coordinates
	active []string    // the axes searched
	fixed  []string    // axes of one value
	scale  []axisScale // the active axes' maps into [0, 1]
	// shearC, when it is not shearS, is the active C axis whose
	// coordinate is log2(s·C), s the active axis shearS (see shearAxes);
	// equal (−1, or 0 in a searchSpace built by hand), C keeps its own.
	shearC, shearS int
}

// axisScale maps an active axis's values into [0, 1]: log2 of the value
// when log, then lo and hi (of the range as written) to 0 and 1.
type axisScale struct {
	name   string
	lo, hi float64
	log    bool
}

func newSearchSpace(cfg *GridConfig) *searchSpace {
	lat := *cfg
	lat.Search = "grid"
	sp := &searchSpace{cells: lat.Cells()}
	for _, n := range cfg.axes() {
		r := cfg.rangeOf(n)
		if len(r.Values) < 2 {
			sp.fixed = append(sp.fixed, n)
			continue
		}
		a := axisScale{name: n, lo: math.Inf(1), hi: math.Inf(-1), log: logScaled(r)}
		for _, v := range r.Values {
			t := v
			if a.log {
				t = math.Log2(v)
			}
			a.lo, a.hi = min(a.lo, t), max(a.hi, t)
		}
		sp.scale = append(sp.scale, a)
		sp.active = append(sp.active, n)
	}
	sp.shearC, sp.shearS = sp.shearAxes(cfg)
	for _, c := range sp.cells {
		sp.coord = append(sp.coord, sp.coordOf(c))
	}
	return sp
}

// coordOf maps cell c into the search's coordinates (outside [0, 1] for
// values a range extension added beyond the range).
func (sp *searchSpace) coordOf(c GridCell) []float64 {
	x := make([]float64, len(sp.scale))
	for d, a := range sp.scale {
		t := c.Param(a.name)
		if a.log {
			t = math.Log2(t)
		}
		x[d] = (t - a.lo) / (a.hi - a.lo)
	}
	if sp.shearC != sp.shearS {
		a, b := sp.scale[sp.shearS], sp.scale[sp.shearC]
		u := math.Log2(c.Param(a.name)) + math.Log2(c.C)
		x[sp.shearC] = (u - a.lo - b.lo) / (a.hi + b.hi - a.lo - b.lo)
	}
	return x
}

// shearAxes returns the active axes of C and of the kernel's scale
// parameter s (kernels.Param.Scale: the sigmoid's α, the RBF's γ) when
// both are searched on a log scale, and −1, −1 otherwise; coordOf then
// replaces the C coordinate by log2(s·C), scaled to [0, 1] over the
// ranges as written. For small s the SVM depends on s and C through s·C,
// so the accuracy has ridges along log s + log C = const, diagonal in
// (log s, log C); the GP's kernel has one length scale per axis and
// cannot follow a diagonal ridge, but in (log s, log s·C) the ridge lies
// along an axis. The lattice and its cells are unchanged; only the GP's
// coordinates are. Measured on the six sigmoid grids of the two main-job
// profiles (pixels, HOG, CNN features), 200 search seeds each, it
// brought bayes closer to the grid's best on all six: 0.09–0.82 points
// behind without it, 0.01–0.73 with it (docs/search.md).
func (sp *searchSpace) shearAxes(cfg *GridConfig) (int, int) {
	spec, err := kernels.Lookup(cfg.Kernel)
	if err != nil {
		return -1, -1
	}
	ic, is := slices.Index(sp.active, "C"), -1
	for _, p := range spec.Params {
		if p.Scale {
			is = slices.Index(sp.active, p.Name)
		}
	}
	if ic < 0 || is < 0 || !sp.scale[ic].log || !sp.scale[is].log {
		return -1, -1
	}
	return ic, is
}

// logScaled reports whether a search treats r on a log2 scale
// (results.LogScaled).
func logScaled(r *Range) bool {
	return results.LogScaled(r.Kind.String(), r.Text, r.Values)
}

// proposal is a lattice cell chosen as the next trial, and why.
type proposal struct {
	lattice int
	why     string
}

// bayesOpt proposes trials: first a seeded Latin hypercube design of n0
// lattice cells, then batches chosen by expected improvement under a
// Gaussian-process surrogate (gp) of the CV accuracy, the batch filled by
// the kriging believer (each chosen cell is added to the model at its
// predicted mean before the next is chosen), so that a batch keeps every
// worker busy and the trials depend only on the seed and the results.
type bayesOpt struct {
	sp     *searchSpace
	rng    *rand.Rand
	tried  []bool
	from   int // proposals are lattice cells from this one on (extend.go)
	design []proposal
	obsX   [][]float64
	obsY   []float64
	failX  [][]float64 // the failed trials' coordinates (fail)
}

func newBayesOpt(sp *searchSpace, seed uint64, n0 int) *bayesOpt {
	b := &bayesOpt{sp: sp, rng: rand.New(rand.NewPCG(seed, 0x6261796573)), tried: make([]bool, len(sp.cells))} // "bayes"
	n0 = min(n0, len(sp.cells))
	b.design = b.latinHypercube(n0)
	return b
}

// latinHypercube picks n lattice cells: per active axis, n strata of the
// unit interval in a seeded random order, a point drawn in each; each
// point is taken to its nearest lattice cell not taken yet.
func (b *bayesOpt) latinHypercube(n int) []proposal {
	dims := len(b.sp.active)
	perms := make([][]int, dims)
	for d := range perms {
		perms[d] = b.rng.Perm(n)
	}
	taken := make([]bool, len(b.sp.cells))
	var out []proposal
	for i := range n {
		p := make([]float64, dims)
		for d := range p {
			p[d] = (float64(perms[d][i]) + b.rng.Float64()) / float64(n)
		}
		best, bd := -1, math.Inf(1)
		for c, x := range b.sp.coord {
			if taken[c] {
				continue
			}
			if dd := dist2(p, x); dd < bd {
				best, bd = c, dd
			}
		}
		taken[best] = true
		out = append(out, proposal{best, fmt.Sprintf("initial design: Latin hypercube point %d of %d", i+1, n)})
	}
	return out
}

func dist2(a, b []float64) float64 {
	var s float64
	for i := range a {
		s += (a[i] - b[i]) * (a[i] - b[i])
	}
	return s
}

// observe records the CV accuracy of lattice cell c.
func (b *bayesOpt) observe(c int, acc float64) {
	b.tried[c] = true
	b.obsX = append(b.obsX, b.sp.coord[c])
	b.obsY = append(b.obsY, acc)
}

// fail records that lattice cell c failed (results.GridCell.Failed): it
// is not proposed again, and the GP sees it at CV accuracy 0 (it gives
// no classifier), so that expected improvement steers away from its
// neighbourhood (a γ whose kernel values overflow). At the lowest
// accuracy scored instead, a search whose only scored trial was its best
// (so the failures looked as good) proposed a third cell of a failing γ
// by expected improvement (poly, degree 9, 300 CIFAR-10 images, 6
// trials); at 0 it proposed none.
func (b *bayesOpt) fail(c int) {
	b.tried[c] = true
	b.failX = append(b.failX, b.sp.coord[c])
}

// observations returns the trials' coordinates and CV accuracies for the
// GP: the scored ones, then the failed ones at 0.
func (b *bayesOpt) observations() ([][]float64, []float64) {
	xs, ys := slices.Clone(b.obsX), slices.Clone(b.obsY)
	for _, x := range b.failX {
		xs, ys = append(xs, x), append(ys, 0)
	}
	return xs, ys
}

// next proposes the trials t, t+1, …, t+k−1 (t trials done so far).
func (b *bayesOpt) next(t, k int) []proposal {
	var out []proposal
	for ; t < len(b.design) && len(out) < k; t++ {
		out = append(out, b.design[t])
	}
	if len(out) == k {
		return out
	}
	chosen := b.closed()
	for _, p := range out {
		chosen[p.lattice] = true
	}
	if len(b.obsY) == 0 {
		return b.untried(out, k, chosen)
	}
	xs, ys := b.observations()
	nObs := len(xs)
	// The hyperparameters are fitted once, to the observations; the
	// believed values of the batch's cells only condition the posterior.
	// Refitting θ to them, as this did before, fits the model to its own
	// predictions: between the two cells of one batch a length scale
	// moved from 1.5 to 10 (full profile, HOG grid, seed 10).
	// g0 is conditioned on the observations already; it is conditioned
	// anew only once the batch holds believed values.
	g0 := fitGP(xs, ys)
	best := g0.incumbent(b.obsX) // over the scored trials: a failed one is no best
	for len(out) < k {
		g := g0
		if len(xs) > nObs {
			g = g0.condition(xs, ys)
		}
		bi, bei, bmu := -1, -1.0, 0.0
		for c, x := range b.sp.coord {
			if chosen[c] {
				continue
			}
			mu, sd := g.predict(x)
			if ei := expectedImprovement(mu, sd, best); ei > bei {
				bi, bei, bmu = c, ei, mu
			}
		}
		if bi < 0 {
			break // every lattice cell tried
		}
		chosen[bi] = true
		out = append(out, proposal{bi, fmt.Sprintf("expected improvement %.3g (GP mean %.4f) over the trials' best GP mean %.4f", bei, bmu, best)})
		xs, ys = append(xs, b.sp.coord[bi]), append(ys, bmu) // kriging believer
	}
	return out
}

// untried fills out up to k proposals with seeded random lattice cells
// not chosen (tried, or in out), when the design is spent and no trial
// was scored (every one failed: results.GridCell.Failed), so the GP has
// nothing to fit and the search still spends its budget.
func (b *bayesOpt) untried(out []proposal, k int, chosen []bool) []proposal {
	var open []int
	for c, done := range chosen {
		if !done {
			open = append(open, c)
		}
	}
	for len(out) < k && len(open) > 0 {
		i := b.rng.IntN(len(open))
		out = append(out, proposal{open[i], "no trial scored yet (every one failed): a seeded random untried cell"})
		open = slices.Delete(open, i, i+1)
	}
	return out
}

// describeFixed says which axes a search holds fixed, for the log.
func (sp *searchSpace) describeFixed(cfg *GridConfig) string {
	if len(sp.fixed) == 0 {
		return ""
	}
	var parts []string
	for _, n := range sp.fixed {
		parts = append(parts, n+" = "+strconv.FormatFloat(cfg.rangeOf(n).Values[0], 'g', -1, 64))
	}
	if len(sp.active) == 0 {
		return fmt.Sprintf("every range has one value (%s): the search evaluates that one cell", strings.Join(parts, ", "))
	}
	return fmt.Sprintf("%s has one value: searching %s only", strings.Join(parts, ", "), strings.Join(sp.active, ", "))
}

// runBayes runs cfg's bayes search on x, y: batches of cfg.Batch trials
// proposed by bayesOpt from the results before them. Trials found in done
// (a resumed journal) are replayed: each must be the cell the search
// proposes at its index, else the journal is another search's. It
// returns the replayed cells (new ones go to emit) and the number of
// trials its range extension added past cfg.Trials.
func runBayes(ctx context.Context, x *matrix.Matrix, y []int, cfg *GridConfig, done map[int]GridCell, prog *fitProgress, emit func(GridCell) error) ([]GridCell, int, error) {
	sp := newSearchSpace(cfg)
	if msg := sp.describeFixed(cfg); msg != "" {
		cfg.logf("grid %s/%s: bayes: %s", cfg.Kernel, cfg.Features, msg)
	}
	var replayed []GridCell
	added := 0
	// The inner products of all rows, the convexity of their pairs and the
	// PSD cache, made for the first batch that runs cells and kept for the
	// others.
	rows := sync.OnceValue(func() *sharedRows { return shareRows(cfg, x, y) })
	tl := &trialLog{cfg: cfg}
	err := bayesLoop(sp, cfg, func(batch []GridCell) ([]GridCell, error) {
		if batch[0].Index >= cfg.Trials { // a range extension's trials
			added += len(batch)
			prog.grow(int64(len(batch))*int64(cfg.Folds), 0)
		}
		found, todo, err := splitJournal(cfg, batch, done, func(dc, c GridCell) string {
			if results.SameSetting(c, dc) {
				return ""
			}
			return fmt.Sprintf("trial %d is %s in the journal, but this search proposes %s there (another seed, batch or data?)", c.Index, ParamString(dc), ParamString(c))
		})
		replayed = append(replayed, found...)
		prog.add(int64(len(found)) * int64(cfg.Folds))
		if err != nil {
			return nil, err
		}
		tl.found(found)
		out := slices.Clone(found)
		if len(todo) == 0 {
			return out, nil
		}
		var mu sync.Mutex
		err = runResumed(ctx, x, y, rows(), batch, todo, tl.quiet(), prog, func(c GridCell) error {
			mu.Lock()
			out = append(out, c)
			tl.done(c)
			mu.Unlock()
			return emit(c)
		})
		return out, err
	})
	if err == nil {
		err = unusedJournal(cfg, done, 0, replayed, "", "this search proposes")
	}
	return replayed, added, err
}

// bayesLoop runs cfg's bayes search over the lattice sp: it proposes
// batches of cfg.Batch trials (Index the trial number, Why the reason)
// and learns from the cells eval returns for them (in any order); with
// cfg.Extend it then extends the ranges whose edge holds the best cell
// (extendBayes).
func bayesLoop(sp *searchSpace, cfg *GridConfig, eval func([]GridCell) ([]GridCell, error)) error {
	// The initial design: 2(D+1) cells, but at most a third of the budget
	// (and at least one batch), so that small budgets are mostly guided.
	n0 := min(cfg.Trials, max(cfg.Batch, min(bayesDesign(len(sp.active)), (cfg.Trials+2)/3)))
	bo := newBayesOpt(sp, cfg.searchSeed(), n0)
	seen, err := bo.trials(cfg, 0, cfg.Trials, eval, nil)
	if err != nil || cfg.Extend == 0 {
		return err
	}
	return extendBayes(bo, cfg, seen, eval)
}

// trials runs trials t … t+n−1 in batches of cfg.Batch, each proposed
// from the results before it, and returns the cells evaluated; why (nil:
// the proposal's own reason) writes the k-th one's reason. It stops early
// when no cell is left to propose.
func (b *bayesOpt) trials(cfg *GridConfig, t, n int, eval func([]GridCell) ([]GridCell, error), why func(k int, p proposal) string) ([]GridCell, error) {
	var seen []GridCell
	for end := t + n; t < end; {
		props := b.next(t, min(cfg.Batch, end-t))
		if len(props) == 0 {
			break
		}
		batch := make([]GridCell, len(props))
		for i, p := range props {
			batch[i] = b.sp.cells[p.lattice]
			batch[i].Index, batch[i].Why = t+i, p.why
			if why != nil {
				batch[i].Why = why(t+i-(end-n), p)
			}
		}
		results, err := eval(batch)
		if err != nil {
			return seen, err
		}
		slices.SortFunc(results, func(a, b GridCell) int { return a.Index - b.Index })
		for _, c := range results {
			if c.Failed != "" {
				b.fail(props[c.Index-t].lattice)
				continue
			}
			b.observe(props[c.Index-t].lattice, c.CVAccuracy)
		}
		seen = append(seen, results...)
		t += len(props)
	}
	return seen, nil
}

// trialLog writes a bayes search's log: a line per trial as it finishes
// (its parameters, CV accuracy, the best so far and why it was chosen,
// as Optuna logs its trials), and the plan of the fits only for the
// first batch that runs (every batch shares it).
type trialLog struct {
	cfg     *GridConfig
	best    float64 // the best CV accuracy of the trials scored so far
	scored  bool    // some trial was scored (not Failed)
	planned bool
}

// found counts the trials a resumed journal holds in the best so far.
func (l *trialLog) found(cells []GridCell) {
	for _, c := range cells {
		l.count(c)
	}
}

// count takes trial c into the best so far; a failed trial has no score.
func (l *trialLog) count(c GridCell) {
	if c.Failed == "" {
		l.best, l.scored = max(l.best, c.CVAccuracy), true
	}
}

// done logs trial c. A range extension's trial is counted past the
// budget, with the part of its reason after the step the log has named.
func (l *trialLog) done(c GridCell) {
	l.count(c)
	n, why := fmt.Sprintf("%d of %d", c.Index+1, l.cfg.Trials), c.Why
	if c.Index >= l.cfg.Trials {
		n = fmt.Sprintf("%d (range extension)", c.Index+1)
		if i := strings.LastIndex(why, "; trial "); i >= 0 {
			why = why[i+2:]
		}
	}
	cv := fmt.Sprintf("CV %.2f%%", 100*c.CVAccuracy)
	if c.Failed != "" {
		cv = "failed (" + c.Failed + ")"
	}
	best := fmt.Sprintf("best so far %.2f%%", 100*l.best)
	if !l.scored {
		best = "no trial scored yet"
	}
	l.cfg.logf("grid %s/%s: bayes trial %s: %s: %s, %s (%s)", l.cfg.Kernel, l.cfg.Features,
		n, ParamString(c), cv, best, why)
}

// quiet returns the configuration a batch's fits run with: cfg itself
// for the first batch, then cfg without its log.
func (l *trialLog) quiet() *GridConfig {
	if !l.planned {
		l.planned = true
		return l.cfg
	}
	q := *l.cfg
	q.Log = nil
	return &q
}
