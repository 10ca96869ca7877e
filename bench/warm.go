package bench

import (
	"fmt"
	"slices"
	"sync"

	"gonum.org/v1/gonum/mat"

	"github.com/svmbench/svmbench/kernels"
	"github.com/svmbench/svmbench/matrix"
	"github.com/svmbench/svmbench/svm"
)

// Alpha seeding. A grid's fits come in chains run by one worker in order:
// the cells of one kernel setting (one α, c or γ; their C values in the
// range's order) × the folds, C-major. The first C's folds are seeded
// each from the previous fold (Wen et al., AAAI 2017): the samples that
// stay keep their α, and each sample leaving hands its α to the entering
// sample of the same label most similar to it in the kernel (their single
// instance replacement, SIR), so that yᵀα = 0 still holds and the solver
// rescales nothing. Every later C's fold is seeded from the same fold at
// the previous C (Chu et al.; on CIFAR-10 RBF cells that saved 1.8× where
// seeding from the previous fold saved 1.1×): an α at the old bound moves
// to the new bound, a free α is kept as it is when C grows (inside the
// larger box) and scaled by C_new/C_old when C shrinks. The solver then
// runs to the same stopping rule as a cold start.
//
// Only convex sub-problems are seeded. A pair's dual is min ½αᵀQα − 1ᵀα
// with Q = YKY over the box and the plane yᵀα = 0, so it is strictly
// convex exactly when dᵀQd > 0 for every d ≠ 0 with yᵀd = 0, that is
// (u = Yd, Σu = yᵀd) when uᵀKu > 0 for every u ≠ 0 with Σu = 0: K
// conditionally positive definite. That is weaker than positive definite:
// a constant added to K changes nothing on Σu = 0, and the sigmoid kernel
// tanh(α⟨x,y⟩ + c) with c < 0 and moderate α is a negative constant plus
// a nearly polynomial kernel with positive coefficients (Lin and Lin,
// 2003), conditionally positive definite where it is not positive
// definite. A one-vs-one pair is seeded when its kernel matrix over all
// the grid's rows of its two classes is conditionally positive definite
// (a Cholesky factorisation in float64 of the float32 values the solver
// reads, in the basis e_a − e_m of Σu = 0, succeeds); every fold's
// sub-problem of that pair is a principal submatrix (u zero outside it
// keeps Σu = 0), so it is conditionally positive definite too, its optimum
// α is unique, and a seeded and a cold start stop within Tol of the same
// point. Elsewhere (sigmoid cells whose tanh bends enough on the data)
// the problem is not convex, a seeded start can end at another
// stationary point, and the pair starts cold, from α = 0, exactly as
// LIBSVM does.
//
// For a kernel positive semidefinite on any data (RBF, linear,
// polynomial with c ≥ 0: kernels.Mercer) convexity holds by theory and
// nothing is checked: its decision function is unique even where K is
// singular, and a fit whose seeded pair meets a quadratic coefficient
// ≤ 0 after all (float32 rounding of a nearly singular K) is redone
// cold, and that pair is not seeded again in its chain. The check costs m³/3 flops for a pair of m rows, as much as the
// fits it would seed on CIFAR-10 sigmoid grids of 2,000 to 5,000 images,
// so a chain makes it only where its remaining fits are expected to save
// more (worthChecking; seedGate); else the pair starts cold. Pairs larger
// than maxSeedRows rows, and grids whose inner products do not fit in
// memory (foldRows mode), are not checked and start cold.

// maxSeedRows bounds the rows of a pair whose convexity is checked (the
// check holds its m×m kernel matrix in float64 and costs m³/3 flops).
const maxSeedRows = 2500

// The check's cost against what seeding saves. On CIFAR-10 (a sigmoid
// grid of 2,000 images, 4 α × 3 c × C ∈ {1, 2, 4, 8}, pixels) the
// iterations seeding saved took 7.6 ns per iteration and row of the
// sub-problem (553,000 fewer iterations, 1.35 s less CPU) and the check
// 0.27 ns a flop (gonum's Cholesky), so a saved iteration-row is worth
// about iterRowFlops of the check's flops; seeded fits of convex pairs
// took about half the iterations of cold ones or fewer (seedSaving). A
// chain checks a pair only when the fits it has left are expected to save
// more than the check costs (worthChecking); else the pair starts cold,
// as it would if it were not convex. Without this the checks cost more
// than seeding saved: 5,000 images, the quick profile's sigmoid grid,
// 87.7 s of CPU seeded against 64.6 s cold (docs/search.md).
const (
	iterRowFlops = 28
	seedSaving   = 0.5
)

// worthChecking reports whether checking a pair of m rows (m³/3 flops)
// pays for itself: fits more fits of the chain on sub-problems of rows
// rows, each expected to take iters iterations cold, seeded.
func worthChecking(m, rows, iters, fits int) bool {
	saved := float64(fits) * float64(iters) * float64(rows) * iterRowFlops * seedSaving
	return saved >= float64(m)*float64(m)*float64(m)/3
}

// convexity decides, once per kernel and class pair, whether a pair's
// sub-problems are convex (see above), from the grid's inner products.
type convexity struct {
	dg      *kernels.DotGram
	byClass map[int][]int
	pairs   onceMap[convexKey, bool]
}

type convexKey struct {
	k    kernels.DotKernel
	i, j int
}

func newConvexity(dg *kernels.DotGram, y []int) *convexity {
	c := &convexity{dg: dg, byClass: map[int][]int{}}
	for r, l := range y {
		c.byClass[l] = append(c.byClass[l], r)
	}
	return c
}

// pairRows is the number of the grid's rows of labels i and j.
func (c *convexity) pairRows(i, j int) int { return len(c.byClass[i]) + len(c.byClass[j]) }

// convex reports whether the pair of labels i, j (j < 0: one-vs-rest, not
// checked) has a conditionally positive definite kernel matrix under k:
// by theory for a kernel that is positive semidefinite on any data
// (kernels.Mercer), else by the check, made once.
func (c *convexity) convex(k kernels.DotKernel, i, j int) bool {
	if c == nil || j < 0 {
		return false
	}
	if mercer(k) {
		return true
	}
	key := convexKey{k, min(i, j), max(i, j)}
	return c.pairs.get(key, func() bool {
		rows := append(slices.Clone(c.byClass[key.i]), c.byClass[key.j]...)
		if len(rows) > maxSeedRows {
			return false
		}
		// A sample first: a principal submatrix that is not conditionally
		// positive definite settles it cheaply, as it does for sigmoid
		// cells that bend too much.
		step := max(1, len(rows)/128)
		var sample []int
		for t := 0; t < len(rows); t += step {
			sample = append(sample, rows[t])
		}
		return c.positiveDefinite(k, sample) && (step == 1 || c.positiveDefinite(k, rows))
	})
}

// mercer reports whether k is positive semidefinite on any data.
func mercer(k kernels.DotKernel) bool {
	m, ok := k.(kernels.Mercer)
	return ok && m.PositiveSemidefinite()
}

// seedGate decides, for one chain, which pairs of a fit are seeded: the
// convex ones whose check pays (worthChecking), judged on the chain's own
// fits so that the decisions, and so the iteration counts, do not depend
// on what other chains ran first. A fit asks about its pairs concurrently
// (svm.Params.Start), each pair once.
type seedGate struct {
	conv    *convexity
	mu      sync.Mutex
	checked map[convexKey]bool // pairs this chain has checked, and the answer
}

func newSeedGate(conv *convexity) *seedGate {
	if conv == nil {
		return nil
	}
	return &seedGate{conv: conv, checked: map[convexKey]bool{}}
}

// seeds reports whether pair i, j of fit j (rows its sub-problem's rows,
// fits the chain's fits from this one on) is seeded from prev, the fit
// before it in the chain. A pair whose previous fit met a quadratic
// coefficient ≤ 0 is not convex (a direction of non-positive curvature on
// yᵀd = 0) and needs no check.
func (g *seedGate) seeds(k kernels.DotKernel, i, j int, prev *svm.Model, rows, fits int) bool {
	if g == nil || j < 0 {
		return false
	}
	key := convexKey{k, min(i, j), max(i, j)}
	g.mu.Lock()
	v, ok := g.checked[key]
	g.mu.Unlock()
	if ok {
		return v
	}
	if mercer(k) {
		return true
	}
	st, ok := prev.Pair(i, j)
	if !ok || st.NonPSDSteps > 0 || !worthChecking(g.conv.pairRows(i, j), rows, st.Iter, fits) {
		return false
	}
	v = g.conv.convex(k, i, j)
	g.mu.Lock()
	g.checked[key] = v
	g.mu.Unlock()
	return v
}

// refuse marks the pairs of k that met a quadratic coefficient ≤ 0 in
// a seeded fit (redone cold) as not to be seeded again in this chain: a
// Mercer kernel's matrix, or one that passed the check, can be that
// singular in float32, and seeding it in every later fit would do every
// fit twice.
func (g *seedGate) refuse(k kernels.DotKernel, pairs [][2]int) {
	g.mu.Lock()
	for _, p := range pairs {
		g.checked[convexKey{k, min(p[0], p[1]), max(p[0], p[1])}] = false
	}
	g.mu.Unlock()
}

// positiveDefinite reports whether the kernel matrix K of rows under k
// is conditionally positive definite: uᵀKu > 0 for every u ≠ 0 with
// Σu = 0. In the basis e_a − e_m of that subspace (m the last row) its
// matrix is M_ab = K_ab − K_am − K_mb + K_mm, and the test is whether M has
// a Cholesky factorisation.
func (c *convexity) positiveDefinite(k kernels.DotKernel, rows []int) bool {
	m := len(rows)
	if m < 2 {
		return true
	}
	g := matrix.New(m, m)
	c.dg.Gram(g, k, rows, rows)
	last := g.Row(m - 1)
	kmm := float64(last[m-1])
	s := mat.NewSymDense(m-1, nil)
	for a := range m - 1 {
		r := g.Row(a)
		for b := a; b < m-1; b++ {
			s.SetSym(a, b, float64(r[b])-float64(r[m-1])-float64(last[b])+kmm)
		}
	}
	var ch mat.Cholesky
	return ch.Factorize(s)
}

// kernelRuns returns the runs of consecutive equal kernels in kerns, as
// [first, end) index pairs: the cells makeChains chains together.
func kernelRuns(kerns []kernels.DotKernel) [][2]int {
	var groups [][2]int
	for i := range kerns {
		if i == 0 || kerns[i] != kerns[i-1] {
			groups = append(groups, [2]int{i, i})
		}
		groups[len(groups)-1][1] = i + 1
	}
	return groups
}

// chainTarget is the chains a seeded run of few kernel settings aims at,
// splitting each setting's folds: two, as many as this project's machines
// have cores (more would seed fewer folds from their neighbours: on the
// 5-fold CIFAR-10 grids measured in docs/search.md a fold seeded from the
// previous one saves iterations a fold started cold does not).
const chainTarget = 2

// chainSubsets is the number of subsets makeChains splits the k folds
// into for cells of kernels kerns: enough that a run has at least
// chainTarget chains where its folds allow it. It depends on the grid
// alone, not on the workers, so that seeded CV accuracies (which depend
// on each fit's start, within the tolerance) are the same for every
// -workers and machine; a run with fewer chains than workers plans for
// fewer fits at once (runFits) and gives the cores left to each fit's
// one-vs-one sub-problems.
func chainSubsets(kerns []kernels.DotKernel, k int) int {
	groups := max(1, len(kernelRuns(kerns)))
	return min(k, max(1, (chainTarget+groups-1)/groups))
}

// makeChains returns the fits of the cells todo (with kernels kerns) on k
// folds as chains. Cold (warm false): one fit a chain, cell by cell, fold
// by fold. Warm: per run of consecutive cells with the same kernel, the
// folds split into subsets (chainSubsets), each subset C-major with its
// seeds.
func makeChains(todo []GridCell, kerns []kernels.DotKernel, folds *cvFolds, warm bool, subsets int) [][]fitJob {
	k := len(folds.val)
	job := func(i, f int) fitJob {
		return fitJob{cell: i, index: todo[i].Index, fold: f, nval: len(folds.val[f]), kern: kerns[i], c: todo[i].C, from: -1}
	}
	var chains [][]fitJob
	if !warm {
		for i := range todo {
			for f := range k {
				chains = append(chains, []fitJob{job(i, f)})
			}
		}
		return chains
	}
	for _, g := range kernelRuns(kerns) {
		for s := range subsets {
			var fs []int
			for f := s; f < k; f += subsets {
				fs = append(fs, f)
			}
			var ch []fitJob
			for i := g[0]; i < g[1]; i++ {
				for a, f := range fs {
					j := job(i, f)
					switch {
					case i > g[0]:
						j.from = len(ch) - len(fs) // same fold, previous C
					case a > 0:
						j.from = len(ch) - 1 // first C: previous fold
					}
					ch = append(ch, j)
				}
			}
			chains = append(chains, ch)
		}
	}
	return chains
}

// seedFrom returns the start of fit j from prev, the model of fit p of
// the same chain, for the pairs gate seeds (fits: the chain's fits from
// j on; the others get no start: α = 0, a cold start); log records the
// pairs seeded. A sample in
// both fits' training rows keeps its α from p (scaled into j's box when
// j's C is smaller: that keeps yᵀα = 0). A sample leaving hands its α to
// the entering sample of its label with the largest kernel value against
// it (SIR), so the start is feasible as it is.
func seedFrom(prev *svm.Model, p, j fitJob, folds *cvFolds, gate *seedGate, fits int, log *seedLog) func(i, jl int, rows []int, alpha []float64) {
	scale := 1.0
	if j.c < p.c {
		scale = j.c / p.c
	}
	trFrom, trTo := folds.train[p.fold], folds.train[j.fold]
	inTo, inFrom := make([]bool, len(folds.y)), make([]bool, len(folds.y))
	for _, r := range trTo {
		inTo[r] = true
	}
	for _, r := range trFrom {
		inFrom[r] = true
	}
	return func(i, jl int, rows []int, alpha []float64) {
		if !gate.seeds(j.kern, i, jl, prev, len(rows), fits) {
			return
		}
		byRow := map[int]float64{}
		prev.PairAlpha(i, jl, func(r int, a float64) {
			a = min(a*scale, j.c)
			if a >= p.c*scale {
				a = j.c // at the bound stays exactly there (a·scale can miss it by rounding)
			}
			byRow[trFrom[r]] = a
		})
		var leaving []int
		for g := range byRow {
			if !inTo[g] {
				leaving = append(leaving, g)
			}
		}
		var entering []int // positions in rows
		for t, r := range rows {
			if g := trTo[r]; inFrom[g] {
				alpha[t] = byRow[g]
			} else {
				entering = append(entering, t)
			}
		}
		replace(gate.conv, j.kern, folds, leaving, entering, byRow, rows, trTo, alpha)
		log.add(i, jl)
	}
}

// replace gives each leaving row's α (byRow) to the unused entering
// position (into alpha; rows and trTo map positions to rows) of the same
// label whose kernel value against it is largest: Wen et al.'s single
// instance replacement. A leaving α with no entering sample of its label
// left is dropped (the solver then restores yᵀα = 0).
func replace(conv *convexity, k kernels.DotKernel, folds *cvFolds, leaving, entering []int, byRow map[int]float64, rows, trTo []int, alpha []float64) {
	if len(leaving) == 0 || len(entering) == 0 {
		return
	}
	slices.Sort(leaving)
	eg := make([]int, len(entering))
	for e, t := range entering {
		eg[e] = trTo[rows[t]]
	}
	kv := matrix.New(len(leaving), len(eg))
	conv.dg.Gram(kv, k, leaving, eg)
	used := make([]bool, len(eg))
	for a, g := range leaving {
		best := -1
		for e, ge := range eg {
			if !used[e] && folds.label(ge) == folds.label(g) && (best < 0 || kv.At(a, e) > kv.At(a, best)) {
				best = e
			}
		}
		if best >= 0 {
			used[best] = true
			alpha[entering[best]] = byRow[g]
		}
	}
}

// seedLog records the one-vs-one pairs of a fit that were seeded.
type seedLog struct {
	mu    sync.Mutex
	pairs [][2]int
}

func (l *seedLog) add(i, j int) {
	l.mu.Lock()
	l.pairs = append(l.pairs, [2]int{i, j})
	l.mu.Unlock()
}

// count is the number of pairs seeded (0 for a nil log).
func (l *seedLog) count() int {
	if l == nil {
		return 0
	}
	return len(l.pairs)
}

// nonConvex returns the seeded pairs of m that met a quadratic
// coefficient ≤ 0 after all (a matrix at the edge of positive
// definiteness, within rounding): that fit is then redone cold.
func (l *seedLog) nonConvex(m *svm.Model) [][2]int {
	if l == nil || m == nil {
		return nil
	}
	var bad [][2]int
	for _, p := range l.pairs {
		if st, ok := m.Pair(p[0], p[1]); ok && st.NonPSDSteps > 0 {
			bad = append(bad, p)
		}
	}
	return bad
}

// SolveSummary is the grid summary line about its solves: the SMO
// iterations and fit seconds of cells, and how many were run with alpha
// seeding (and how many of their sub-problems it seeded) or cold.
func SolveSummary(cells []GridCell) string {
	var it, warm, seeded int
	var secs float64
	for _, c := range cells {
		it += c.SMOIter
		secs += c.Seconds
		seeded += c.SeededPairs
		if c.WarmStart {
			warm++
		}
	}
	how := "cold starts"
	switch {
	case warm == len(cells) && warm > 0:
		how = fmt.Sprintf("alpha seeding (%d sub-problems seeded: convex ones, where it pays; -warm-start=false for cold starts, -compare-seeding to compare the two)", seeded)
	case warm > 0:
		how = fmt.Sprintf("alpha seeding in %d of %d cells (%d sub-problems seeded)", warm, len(cells), seeded)
	}
	return fmt.Sprintf("solves: %d SMO iterations, %.1f s of fits (summed over workers), %s", it, secs, how)
}
