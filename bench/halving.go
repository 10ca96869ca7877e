package bench

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"sync"

	"github.com/svmbench/svmbench/kernels"
	"github.com/svmbench/svmbench/matrix"
	"github.com/svmbench/svmbench/results"
)

// halvingPerFold is how many images of its rarest class the smallest rung
// of a halving search puts in every validation fold: with k folds the
// smallest rung holds at least halvingPerFold·k images of each class (of
// a balanced set of K classes, halvingPerFold·k·K images). scikit-learn's
// HalvingGridSearchCV takes 2 per class and fold ("smallest"); on
// 10-class images a rung that small ranks cells by noise (a 3-fold CV on
// 60 images has a standard error of about 6 points).
const halvingPerFold = 5

// halvingRung is one rung of a successive-halving search: cells settings
// cross-validated on the first n images of the stratified order.
type halvingRung struct {
	n, cells int
}

// halving is a successive-halving search over a grid's lattice: every
// cell on the smallest rung, then the best ⌈cells/η⌉ of each rung on η
// times as many images, the last rung on all of them. A range
// extension's step is a halving search of its own over the step's cells
// (halving.step) on the top rungs of the grid's.
type halving struct {
	cfg   *GridConfig
	y     []int
	all   []GridCell // the lattice, in the grid's cell order (a step's: its cells)
	rungs []halvingRung
	order []int // training rows in stratified order; a rung of n is its first n
	nMin  int   // the smallest rung allowed
	// rung0 is the number of the grid's rungs below this search's first
	// (0 for the grid's own search): rung r is journalled as rung0+r+1
	// of rung0+len(rungs), so a rung number means the same images
	// whichever search ran it. why prefixes each cell's reason (a step's
	// "extend: …; step 1 of 2; "), and first says what the first rung
	// holds.
	rung0      int
	why, first string
	// shared holds, per rung size n, what the runCellsOn calls on those
	// rows share across the search and its extension's steps (one map for
	// all of them): on all rows, the inner products, convexity checks and
	// PSD cache (shareRows); on fewer, the PSD cache (the rung's inner
	// products are taken from all rows' for each call, not kept).
	shared map[int]*sharedRows
}

// newHalving plans cfg's halving search over the lattice all on the
// training labels y: the stratified order (seeded by the search seed),
// the smallest rung allowed and the rungs.
func newHalving(cfg *GridConfig, y []int, all []GridCell) (*halving, error) {
	h := &halving{cfg: cfg, y: y, all: all, first: "every cell of the grid", shared: map[int]*sharedRows{}}
	count := map[int]int{}
	for _, l := range y {
		count[l]++
	}
	rarest := len(y)
	for _, n := range count {
		rarest = min(rarest, n)
	}
	h.nMin = (halvingPerFold*cfg.Folds*len(y) + rarest - 1) / rarest
	h.rungs = halvingSchedule(len(all), len(y), h.nMin, cfg.Eta)
	h.order = stratifiedOrder(y, rand.New(rand.NewPCG(cfg.searchSeed(), 0x68616c76696e67))) // "halving"
	for r := range h.rungs {
		if err := checkFoldable(h.labels(h.subset(r)), cfg.Folds); err != nil {
			return nil, fmt.Errorf("%w (halving rung %d of %d, %d images)", err, r+1, len(h.rungs), h.rungs[r].n)
		}
	}
	return h, nil
}

// halvingSchedule returns the rungs of a halving search over nCells cells
// and n images with factor eta, the smallest rung at least nMin images.
// As scikit-learn's HalvingGridSearchCV (min_resources="exhaust"): the
// rungs needed to bring the cells down to fewer than eta (each keeps
// ⌈cells/eta⌉), as many as fit between nMin and n when that is fewer;
// rung r of R has round(n/eta^(R−1−r)) images, the last all n.
func halvingSchedule(nCells, n, nMin int, eta float64) []halvingRung {
	need := rungsNeeded(nCells, eta)
	can := 1
	for s := float64(n) / eta; s >= float64(nMin); s /= eta {
		can++
	}
	rungs := make([]halvingRung, min(need, can))
	c := nCells
	for r := range rungs {
		rungs[r] = halvingRung{n: int(math.Round(float64(n) / math.Pow(eta, float64(len(rungs)-1-r)))), cells: c}
		c = int(math.Ceil(float64(c) / eta))
	}
	rungs[len(rungs)-1].n = n
	return rungs
}

// rungsNeeded is the number of rungs that bring nCells cells below eta,
// each keeping ⌈cells/eta⌉: 36 cells, η = 3: 4 (36, 12, 4, 2).
func rungsNeeded(nCells int, eta float64) int {
	need := 1
	for c := float64(nCells); c >= eta; c = math.Ceil(c / eta) {
		need++
	}
	return need
}

// step is the halving search of a range extension's step over its cells
// (extension.apply), why the step's reason: the same η, stratified order
// and subsets as h, on the top rungs of h's schedule, as many as its cells
// need (rungsNeeded) and at most h's, so that its last rung is on all
// images and each of its rungs is one of h's, with h's number.
func (h *halving) step(cells []GridCell, why string) *halving {
	k := min(rungsNeeded(len(cells), h.cfg.Eta), len(h.rungs))
	s := &halving{cfg: h.cfg, y: h.y, all: cells, order: h.order, nMin: h.nMin,
		rung0: len(h.rungs) - k, why: why + "; ", first: "every cell of the step", shared: h.shared}
	c := len(cells)
	for _, r := range h.rungs[len(h.rungs)-k:] {
		s.rungs = append(s.rungs, halvingRung{n: r.n, cells: c})
		c = int(math.Ceil(float64(c) / h.cfg.Eta))
	}
	return s
}

// stratifiedOrder orders the rows of labels y so that every prefix is a
// stratified sample: each class's rows in a seeded random order, the j-th
// of class c (of n_c) at key (j+½)/n_c, rows sorted by key, then class.
// A prefix of m rows then holds m·n_c/n of class c, within one.
func stratifiedOrder(y []int, rng *rand.Rand) []int {
	byClass := map[int][]int{}
	var classes []int
	for i, l := range y {
		if byClass[l] == nil {
			classes = append(classes, l)
		}
		byClass[l] = append(byClass[l], i)
	}
	slices.Sort(classes)
	type keyed struct {
		row, class int
		key        float64
	}
	var all []keyed
	for _, c := range classes {
		rows := byClass[c]
		rng.Shuffle(len(rows), func(i, j int) { rows[i], rows[j] = rows[j], rows[i] })
		for j, r := range rows {
			all = append(all, keyed{r, c, (float64(j) + 0.5) / float64(len(rows))})
		}
	}
	slices.SortFunc(all, func(a, b keyed) int {
		return cmp.Or(cmp.Compare(a.key, b.key), cmp.Compare(a.class, b.class))
	})
	order := make([]int, len(all))
	for i, k := range all {
		order[i] = k.row
	}
	return order
}

// subset returns the training rows of rung r in ascending order: the
// first n of the stratified order, so that every rung holds the rows of
// the rungs below it, and the last rung is every row in training order.
func (h *halving) subset(r int) []int {
	rows := slices.Clone(h.order[:h.rungs[r].n])
	slices.Sort(rows)
	return rows
}

func (h *halving) labels(rows []int) []int {
	out := make([]int, len(rows))
	for i, r := range rows {
		out[i] = h.y[r]
	}
	return out
}

// evaluations is the number of (cell, rung) cross-validations.
func (h *halving) evaluations() int {
	n := 0
	for _, r := range h.rungs {
		n += r.cells
	}
	return n
}

// rungCells returns the cells rung r evaluates, the lattice cells lat
// (indices into h.all, ascending), numbered from first on; rank[i] is
// lat[i]'s rank on the rung before.
func (h *halving) rungCells(r, first int, lat, rank []int) []GridCell {
	cells := make([]GridCell, len(lat))
	of := h.rung0 + len(h.rungs)
	for i, l := range lat {
		c := h.all[l]
		c.Index, c.Rung, c.RungN = first+i, h.rung0+r+1, h.rungs[r].n
		c.Why = fmt.Sprintf("%srung %d of %d: n=%d, %s", h.why, c.Rung, of, c.RungN, h.first)
		if r > 0 {
			c.Why = fmt.Sprintf("%srung %d of %d: n=%d, survivor of rung %d (rank %d of %d)", h.why, c.Rung, of, c.RungN, c.Rung-1, rank[i], h.rungs[r-1].cells)
		}
		cells[i] = c
	}
	return cells
}

// survivors ranks the cells of a rung (lat[i] the lattice cell of
// cells[i], in any order of finishing) by results.Better and returns the
// best keep lattice cells in ascending order with their ranks (1-based).
func survivors(cells []GridCell, lat []int, keep int) (next, rank []int) {
	pos := results.Ranked(cells)
	type kept struct{ lat, rank int }
	var ks []kept
	for r, p := range pos[:keep] {
		ks = append(ks, kept{lat[p], r + 1})
	}
	slices.SortFunc(ks, func(a, b kept) int { return a.lat - b.lat })
	for _, k := range ks {
		next, rank = append(next, k.lat), append(rank, k.rank)
	}
	return next, rank
}

// run runs the halving search on the training features x, then its range
// extension when cfg.Extend > 0 (extendHalving): the cells found in done
// (a resumed journal) replayed (each must be the cell the search
// evaluates at its index), the others cross-validated on their rung's
// rows and emitted. The inner products of all rows are computed once and
// every rung's, the extension's included, are taken from them. It returns
// the replayed cells and the evaluations the extension added.
func (h *halving) run(ctx context.Context, x *matrix.Matrix, done map[int]GridCell, prog *fitProgress, emit func(GridCell) error) ([]GridCell, int, error) {
	cfg := h.cfg
	cfg.logf("grid %s/%s: halving, η = %g: %s", cfg.Kernel, cfg.Features, cfg.Eta, h.describe())
	h.shared[len(h.y)] = shareRows(cfg, x, h.y)
	replayed, top, err := h.runRungs(ctx, x, 0, done, prog, emit)
	if err != nil || cfg.Extend == 0 {
		return replayed, 0, err
	}
	rep, added, err := extendHalving(ctx, h, x, top, done, prog, emit)
	return append(replayed, rep...), added, err
}

// runRungs runs h's rungs (runRung), its cells numbered from first on. It returns the cells replayed from
// done and the cells of the last rung, finished.
func (h *halving) runRungs(ctx context.Context, x *matrix.Matrix, first int, done map[int]GridCell, prog *fitProgress, emit func(GridCell) error) (replayed, top []GridCell, err error) {
	lat := make([]int, len(h.all))
	for i := range lat {
		lat[i] = i
	}
	var rank []int
	for r := range h.rungs {
		cells := h.rungCells(r, first, lat, rank)
		out, rep, err := h.runRung(ctx, r, x, cells, done, prog, emit)
		replayed = append(replayed, rep...)
		if err != nil {
			return replayed, nil, err
		}
		if r+1 == len(h.rungs) {
			return replayed, out, nil
		}
		// Map each finished cell back to its lattice cell.
		outLat := make([]int, len(out))
		for i, c := range out {
			outLat[i] = lat[c.Index-first]
		}
		lat, rank = survivors(out, outLat, h.rungs[r+1].cells)
		first += len(cells)
	}
	return replayed, nil, nil
}

// describe is the schedule for the log: "36 cells on 333 images → 12 on
// 1000".
func (h *halving) describe() string {
	s := ""
	for i, r := range h.rungs {
		if i > 0 {
			s += " → "
		}
		s += fmt.Sprintf("%d cells on %d images", r.cells, r.n)
	}
	if len(h.rungs) == 1 && h.rung0 == 0 {
		s += fmt.Sprintf(" (one rung: a second would need at least %d images a rung, %d of each class per fold)", h.nMin, halvingPerFold)
	}
	return s
}

// runRung replays the cells of rung r found in done and cross-validates
// the others on the rung's rows, the inner products taken from those of
// all rows (h.shared; nil: computed from the rows) and the PSD cache and
// convexity checks shared with the other rungs on the same rows. It
// returns the rung's cells, finished, and those replayed.
func (h *halving) runRung(ctx context.Context, r int, x *matrix.Matrix, cells []GridCell, done map[int]GridCell, prog *fitProgress, emit func(GridCell) error) (out, replayed []GridCell, err error) {
	cfg := h.cfg
	replayed, todo, err := splitJournal(cfg, cells, done, func(dc, c GridCell) string {
		if results.SameSetting(c, dc) && dc.Rung == c.Rung && dc.RungN == c.RungN {
			return ""
		}
		return fmt.Sprintf("cell %d is %s on rung %d (n=%d) in the journal, but this search evaluates %s on rung %d (n=%d) there (another seed, eta or data?)",
			c.Index, ParamString(dc), dc.Rung, dc.RungN, ParamString(c), c.Rung, c.RungN)
	})
	prog.add(int64(len(replayed)) * int64(cfg.Folds))
	if err != nil {
		return nil, replayed, err
	}
	out = slices.Clone(replayed)
	if len(todo) == 0 {
		return out, replayed, nil
	}
	cfg.logf("grid %s/%s: %shalving rung %d of %d: %d cells on %d of %d images (%d found in the journal)",
		cfg.Kernel, cfg.Features, h.why, h.rung0+r+1, h.rung0+len(h.rungs), len(cells), h.rungs[r].n, len(h.y), len(cells)-len(todo))
	rows := h.subset(r)
	sh, dots := h.shared[len(rows)], h.shared[len(h.y)].dots
	rx, ry, rd, rcfg := x, h.y, dots, *cfg
	if len(rows) < len(h.y) {
		rx = matrix.New(len(rows), x.Cols)
		gatherRows(rx, x, rows)
		ry = h.labels(rows)
		if dots != nil {
			rd = subDotGram(dots, rows)
			// The inner products of all rows stay alive beside the rung's.
			rcfg.MemBytes = max(cfg.MemBytes-matrix.Bytes(dots.Dot.Rows, dots.Dot.Cols), 1)
		}
		if sh == nil {
			sh = &sharedRows{psd: sharedPSD(cfg, rx)}
			h.shared[len(rows)] = sh
		}
	}
	var mu sync.Mutex
	err = runResumed(ctx, rx, ry, &sharedRows{dots: rd, conv: sh.conv, psd: sh.psd}, cells, todo, &rcfg, prog, func(c GridCell) error {
		mu.Lock()
		out = append(out, c)
		mu.Unlock()
		return emit(c)
	})
	return out, replayed, err
}

// subDotGram is the inner products of the rows of g, taken from g.
func subDotGram(g *kernels.DotGram, rows []int) *kernels.DotGram {
	s := &kernels.DotGram{Dot: matrix.New(len(rows), len(rows)), Norms: make([]float64, len(rows)), Workers: g.Workers}
	gather(s.Dot, g.Dot, rows, rows)
	for i, r := range rows {
		s.Norms[i] = g.Norms[r]
	}
	return s
}
