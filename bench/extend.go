package bench

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"

	"github.com/svmbench/svmbench/kernels"
	"github.com/svmbench/svmbench/matrix"
	"github.com/svmbench/svmbench/results"
)

// maxExtend bounds GridConfig.Extend.
const maxExtend = 20

// extension is the state of a grid's range extension: each axis's values
// so far (ascending) and the steps added below ([0]) and above ([1]).
type extension struct {
	cfg   *GridConfig
	axes  []string
	vals  map[string][]float64
	steps map[string][2]int
	round int // steps taken (rounds of grow), for a random search's draws
}

// growth is one step of one axis: its new value beyond the edge on side
// (-1 below, +1 above).
type growth struct {
	name  string
	side  int
	value float64
}

func newExtension(cfg *GridConfig) *extension {
	e := &extension{cfg: cfg, axes: cfg.axes(), vals: map[string][]float64{}, steps: map[string][2]int{}}
	for _, n := range e.axes {
		e.vals[n] = results.SortedValues(cfg.rangeOf(n).Values)
	}
	return e
}

// specRange is axis name's range as the spec records it.
func (e *extension) specRange(name string) SpecRange {
	r := e.cfg.rangeOf(name)
	return SpecRange{Text: r.Text, Kind: r.Kind.String(), Values: r.Values}
}

// grow returns the steps to take after cells: one for each axis whose
// best value (the best cell's, results.BestCell) is on an edge that is
// open and has had fewer than Extend steps, and why ("extend: best C=64
// on the upper edge; step 1 of 2"). An edge is not taken when a cell that
// ties the best's CV accuracy has another value of that axis: the
// surface is flat there, and the tie rule (smaller C, α, γ first), not
// the data, put the best on the edge.
func (e *extension) grow(cells []GridCell) ([]growth, string) {
	best, ok := BestCell(cells)
	if !ok {
		return nil, ""
	}
	var gs []growth
	var why []string
	for _, n := range e.axes {
		vals := e.vals[n]
		if len(vals) < 2 || results.TiedOff(cells, best, n) {
			continue
		}
		v, side, edge, k := best.Param(n), 0, "", 0
		switch v {
		case vals[0]:
			side, edge, k = -1, "lower", 0
		case vals[len(vals)-1]:
			side, edge, k = +1, "upper", 1
		default:
			continue
		}
		if e.steps[n][k] >= e.cfg.Extend {
			continue
		}
		nv, ok := results.ExtendStep(e.cfg.Kernel, n, e.specRange(n), vals, side)
		if !ok {
			continue
		}
		gs = append(gs, growth{name: n, side: side, value: nv})
		why = append(why, fmt.Sprintf("best %s=%g on the %s edge; step %d of %d", kernels.Symbol(n), v, edge, e.steps[n][k]+1, e.cfg.Extend))
	}
	if len(gs) == 0 {
		return nil, ""
	}
	return gs, "extend: " + strings.Join(why, "; ")
}

// apply takes the steps gs and returns the cells they add, numbered from
// next: every cell of the grown lattice (the nested loop over the axes,
// values ascending, C fastest) that has a new value, each with why.
func (e *extension) apply(gs []growth, next int, why string) []GridCell {
	isNew := map[string]float64{}
	for _, g := range gs {
		vals, st := e.vals[g.name], e.steps[g.name]
		if g.side < 0 {
			vals, st[0] = append([]float64{g.value}, vals...), st[0]+1
		} else {
			vals, st[1] = append(slices.Clone(vals), g.value), st[1]+1
		}
		e.vals[g.name], e.steps[g.name] = vals, st
		isNew[g.name] = g.value
	}
	cfg := e.cfg
	base := GridCell{Kernel: cfg.Kernel, Features: cfg.Features, Folds: cfg.Folds, Degree: cfg.Degree, Why: why}
	var cells []GridCell
	var rec func(d int, c GridCell, fresh bool)
	rec = func(d int, c GridCell, fresh bool) {
		if d == len(e.axes) {
			if fresh {
				c.Index = next + len(cells)
				cells = append(cells, c)
			}
			return
		}
		n := e.axes[d]
		for _, v := range e.vals[n] {
			c.SetParam(n, v)
			nv, grown := isNew[n]
			rec(d+1, c, fresh || (grown && nv == v))
		}
	}
	rec(0, base, false)
	return cells
}

// step returns the cells of the next step of a grid's or a random
// search's extension after cells (none: the extension is over), and why, numbered
// from next: a grid's are the grown lattice's new cells (apply), a random
// search's are drawn (draw), the edges seen on its draws moved to the
// nearest values of the ranges (snap).
func (e *extension) step(cells []GridCell, next int) ([]GridCell, string) {
	if e.cfg.Search != "random" {
		gs, why := e.grow(cells)
		return e.apply(gs, next, why), why
	}
	gs, why := e.grow(e.snap(cells))
	if len(gs) == 0 {
		return nil, ""
	}
	return e.draw(gs, next, why), why
}

// extendGrid runs the range extension of cfg after the grid's (or the
// random search's) nBase cells (in sink) are done: while the best cell
// lies on an open edge, it adds that step's cells (step: a random
// search's are draws), taking each from the journal (done) when it is there
// and running the others, all steps sharing with the grid's cells the
// inner products and the pairs' convexity checks that rows returns
// (shareRows). It returns the number of cells added. Cells the journal
// holds past the grid that this extension does not add are an error: the
// journal is another run's.
func extendGrid(ctx context.Context, x *matrix.Matrix, y []int, cfg *GridConfig, nBase int, done map[int]GridCell, prog *fitProgress, sink *cellSink, rows func() *sharedRows) (int, error) {
	e := newExtension(cfg)
	next := nBase
	var reused []GridCell
	for {
		cells, why := e.step(sink.finished, next)
		if len(cells) == 0 {
			break
		}
		next += len(cells)
		found, todo, err := splitJournal(cfg, cells, done, func(dc, c GridCell) string {
			if results.SameSetting(dc, c) {
				return ""
			}
			return fmt.Sprintf("cell %d has %s, the extension's cell %d has %s", dc.Index, ParamString(dc), c.Index, ParamString(c))
		})
		reused = append(reused, found...)
		sink.finished = append(sink.finished, found...)
		if err != nil {
			return next - nBase, fmt.Errorf("bench: cannot resume: %w", err)
		}
		cfg.logf("grid %s/%s: %s: %d cells (%d found in the journal)", cfg.Kernel, cfg.Features, why, len(cells), len(cells)-len(todo))
		prog.grow(int64(len(cells))*int64(cfg.Folds), int64(len(cells)-len(todo))*int64(cfg.Folds))
		if len(todo) == 0 {
			continue
		}
		if err := runResumed(ctx, x, y, rows(), cells, todo, cfg, prog, sink.emit); err != nil {
			return next - nBase, err
		}
	}
	return next - nBase, unusedJournal(cfg, done, nBase, reused, fmt.Sprintf(" past the grid's %d", nBase), "this extension adds")
}

// extendHalving runs the range extension of the halving search h after
// its rungs (top: its last rung's cells, on all images), by the grid's
// rule: while the best cell on all images lies on an open edge
// (extension.grow), the cells that step adds (extension.apply: the new
// value crossed with every value of the other ranges) run a successive
// halving of their own (halving.step: the same η and nested subsets, on
// the top rungs of h's schedule), and the cells of its last rung, on all
// images, join those the next step's edge test sees. Evaluations are
// numbered on from h's, each (cell, rung) taken from the journal (done)
// when it is there; what runs on the same rows as h's rungs shares with
// them (halving.shared: inner products, convexity checks, PSD cache). It
// returns the cells replayed and the evaluations added.
func extendHalving(ctx context.Context, h *halving, x *matrix.Matrix, top []GridCell, done map[int]GridCell, prog *fitProgress, emit func(GridCell) error) (replayed []GridCell, added int, err error) {
	cfg := h.cfg
	e := newExtension(cfg)
	first := h.evaluations()
	next, full := first, slices.Clone(top)
	for {
		gs, why := e.grow(full)
		if len(gs) == 0 {
			break
		}
		st := h.step(e.apply(gs, 0, why), why)
		cfg.logf("grid %s/%s: halving: %s: %d cells added, %s", cfg.Kernel, cfg.Features, why, len(st.all), st.describe())
		prog.grow(int64(st.evaluations())*int64(cfg.Folds), 0)
		rep, last, err := st.runRungs(ctx, x, next, done, prog, emit)
		replayed = append(replayed, rep...)
		next += st.evaluations()
		if err != nil {
			return replayed, next - first, err
		}
		full = append(full, last...)
	}
	return replayed, next - first, unusedJournal(cfg, done, first, replayed, fmt.Sprintf(" past the search's %d evaluations", first), "this extension evaluates")
}

// unusedJournal refuses a resumed journal (done) that holds cells from
// index from on that this run did not take up (used: those it took), as a
// run that finished takes up all it has, naming the first such cell and
// its line. what qualifies those cells (" past the grid's 36") and run
// says what this run did with them ("this extension adds").
func unusedJournal(cfg *GridConfig, done map[int]GridCell, from int, used []GridCell, what, run string) error {
	took := make(map[int]bool, len(used))
	for _, c := range used {
		took[c.Index] = true
	}
	var extra, unused []int
	for i := range done {
		if i >= from {
			extra = append(extra, i)
			if !took[i] {
				unused = append(unused, i)
			}
		}
	}
	if len(unused) == 0 {
		return nil
	}
	slices.Sort(extra)
	slices.Sort(unused)
	u := done[unused[0]]
	return fmt.Errorf("bench: cannot resume: %w", &MismatchError{File: cfg.journalAt(u.Index),
		Why: fmt.Sprintf("the journal holds %d cells%s, from cell %d, but %s %d of them: cell %d (%s) is none of them",
			len(extra), what, extra[0], run, len(extra)-len(unused), u.Index, ParamString(u))})
}

// extendBayes extends the ranges of cfg's bayes search bo after its
// trials (seen: the cells they evaluated), by the grid's rule: while the
// best cell lies on an open edge (extension.grow), that step's cells
// (extension.apply: the new value crossed with every value of the other
// ranges) join the lattice and the search goes on among them alone, for
// stepTrials of them, chosen by expected improvement under the GP of
// every observation so far. Each trial's reason says which step it
// serves ("extend: best C=64 on the upper edge; step 1 of 2; trial 2 of
// 3: expected improvement …").
func extendBayes(bo *bayesOpt, cfg *GridConfig, seen []GridCell, eval func([]GridCell) ([]GridCell, error)) error {
	e := newExtension(cfg)
	lattice, t := cfg.latticeCells(), len(seen)
	for {
		gs, why := e.grow(seen)
		if len(gs) == 0 {
			return nil
		}
		cells := e.apply(gs, 0, why)
		bo.widen(cells)
		n := stepTrials(len(cells), cfg.Trials, lattice, cfg.Batch)
		cfg.logf("grid %s/%s: bayes: %s: %d cells added, %d trials among them", cfg.Kernel, cfg.Features, why, len(cells), n)
		got, err := bo.trials(cfg, t, n, eval, func(k int, p proposal) string {
			return fmt.Sprintf("%s; trial %d of %d: %s", why, k+1, n, p.why)
		})
		seen, t = append(seen, got...), t+len(got)
		if err != nil {
			return err
		}
	}
}

// stepTrials is a search's budget for an extension step that added cells
// to a lattice of lattice cells searched with trials: the search's own
// share of them, rounded up, at least a batch, at most all of them.
func stepTrials(cells, trials, lattice, batch int) int {
	share := (cells*trials + lattice - 1) / lattice
	return min(cells, max(share, batch))
}

// widen adds cells (an extension step's) to the search space and makes
// them the only cells proposed from now on.
func (b *bayesOpt) widen(cells []GridCell) {
	b.from = len(b.sp.cells)
	for _, c := range cells {
		b.sp.cells = append(b.sp.cells, c)
		b.sp.coord = append(b.sp.coord, b.sp.coordOf(c))
		b.tried = append(b.tried, false)
	}
}

// closed marks the lattice cells next may not propose: those tried and
// those before b.from.
func (b *bayesOpt) closed() []bool {
	c := slices.Clone(b.tried)
	for i := range b.from {
		c[i] = true
	}
	return c
}

// snap returns cells with each parameter moved to the nearest value of
// its range as extended so far (on the range's log2 scale when it is
// log-scaled): a random search's draws seen as cells of the lattice, so
// that the grid's edge rule applies to them. A draw within half a step of
// an edge is on it.
func (e *extension) snap(cells []GridCell) []GridCell {
	out := slices.Clone(cells)
	for i := range out {
		for _, n := range e.axes {
			out[i].SetParam(n, results.Snap(e.vals[n], out[i].Param(n), logScaled(e.cfg.rangeOf(n))))
		}
	}
	return out
}

// draw takes the steps gs for a random search and returns its draws for
// them, numbered from next: its share of the cells the steps add to the
// lattice (stepTrials: Trials over the lattice's cells, at least one),
// each drawn from the ranges as grown (sampleAxis) until at least one
// grown parameter lies in the part its step added; when every range is a
// list, distinct cells among those the steps add (as Cells draws).
func (e *extension) draw(gs []growth, next int, why string) []GridCell {
	old := map[string][2]float64{}
	for _, g := range gs {
		vals := e.vals[g.name]
		old[g.name] = [2]float64{vals[0], vals[len(vals)-1]}
	}
	added := e.apply(gs, 0, why)
	k := stepTrials(len(added), e.cfg.Trials, e.cfg.latticeCells(), 1)
	e.round++
	rng := rand.New(rand.NewPCG(e.cfg.searchSeed(), 0x657874656e64+uint64(e.round))) // "extend"
	cfg := e.cfg
	var cells []GridCell
	if cfg.listsOnly() {
		for i, j := range rng.Perm(len(added))[:k] {
			c := added[j]
			c.Index, c.Why = next+i, fmt.Sprintf("%s; draw %d of %d", why, i+1, k)
			cells = append(cells, c)
		}
		return cells
	}
	base := GridCell{Kernel: cfg.Kernel, Features: cfg.Features, Folds: cfg.Folds, Degree: cfg.Degree}
	for len(cells) < k {
		c, grown := base, false
		for _, n := range e.axes {
			v := e.sampleAxis(n, rng)
			c.SetParam(n, v)
			if b, ok := old[n]; ok && (v < b[0] || v > b[1]) {
				grown = true
			}
		}
		if grown {
			c.Index, c.Why = next+len(cells), fmt.Sprintf("%s; draw %d of %d", why, len(cells)+1, k)
			cells = append(cells, c)
		}
	}
	return cells
}

// sampleAxis draws a value of axis n as random search does (Range.sample)
// from its range widened to the values extension added: one of the
// values for a list, else uniformly on the range's scale between the
// lower of its bound and its smallest value and the higher of its bound
// and its largest.
func (e *extension) sampleAxis(n string, rng *rand.Rand) float64 {
	r, vals := *e.cfg.rangeOf(n), e.vals[n]
	first, last := vals[0], vals[len(vals)-1]
	if r.Kind == Pow2 { // Lo and Hi are exponents
		first, last = math.Log2(first), math.Log2(last)
	}
	r.Lo, r.Hi, r.Values = min(r.Lo, r.Hi, first), max(r.Lo, r.Hi, last), vals
	return r.sample(rng)
}
