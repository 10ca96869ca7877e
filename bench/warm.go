package bench

import (
	"fmt"
	"slices"

	"github.com/svmbench/svmbench/kernels"
)

// Alpha seeding. A grid's fits come in chains run by one worker in order:
// the cells of one kernel setting (one α, c or γ; their C values in the
// range's order) × the folds, C-major. The first C's folds are seeded
// each from the previous fold (Wen et al., AAAI 2017): the samples that
// stay keep their α, those entering start at 0, those leaving are
// dropped, and the solver restores yᵀα = 0 by scaling down the heavier
// side (svm.Params.Start). Every later C's fold is seeded from the same
// fold at the previous C (Chu et al.): kept as it is when C grows (it is
// inside the larger box, and on our data that beat scaling it by the
// ratio of the C values, which pushes the free variables far from their
// optimum), scaled by C_new/C_old into the box when C shrinks. The solver
// then runs to the same stopping rule as a cold start, so the optimum is
// the same within Tol (for a PSD kernel; for a non-PSD sigmoid kernel the
// problem is not convex and a stationary point can differ).

// makeChains returns the fits of the cells todo (with kernels kerns) on k
// folds as chains. Cold (warm false): one fit a chain, cell by cell, fold
// by fold. Warm: per run of consecutive cells with the same kernel, the
// folds split into enough subsets that there are at least workers chains
// where the grid allows it, each subset C-major with its seeds.
func makeChains(todo []GridCell, kerns []kernels.DotKernel, folds *cvFolds, warm bool, workers int) [][]fitJob {
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
	var groups [][2]int // [first, end) runs of equal kernels
	for i := range todo {
		if i == 0 || kerns[i] != kerns[i-1] {
			groups = append(groups, [2]int{i, i})
		}
		groups[len(groups)-1][1] = i + 1
	}
	subsets := min(k, max(1, (workers+len(groups)-1)/len(groups)))
	for _, g := range groups {
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
					case a > 0:
						j.from = len(ch) - 1 // previous fold, same C
					case i > g[0]:
						j.from = len(ch) - len(fs) // first fold, previous C
					}
					ch = append(ch, j)
				}
			}
			chains = append(chains, ch)
		}
	}
	return chains
}

// seedFrom returns the start of fit j from out, the result of fit p of
// the same chain. A sample in both fits' training rows keeps its α from
// p (scaled into j's box when j's C is smaller); a sample entering j's
// training rows was one of p's validation rows, so p's decision value
// f(x) says where the optimality conditions put it: α = C when
// y·f(x) < 1 (inside the margin), else 0 (as Wen et al.'s adjustment
// does with the alphas of the samples that enter). The solver makes the
// start feasible.
func seedFrom(out fitOut, p, j fitJob, folds *cvFolds, n int) func(i, jl int, rows []int, alpha []float64) {
	prev := out.model
	scale := 1.0
	if j.c < p.c {
		scale = j.c / p.c
	}
	trFrom, trTo := folds.train[p.fold], folds.train[j.fold]
	inFrom := make([]bool, n)
	for _, r := range trFrom {
		inFrom[r] = true
	}
	valPos := make([]int32, n)
	if p.fold != j.fold {
		for t, r := range folds.val[p.fold] {
			valPos[r] = int32(t)
		}
	}
	nd := prev.NDecision()
	return func(i, jl int, rows []int, alpha []float64) {
		byRow := make([]float64, n)
		prev.PairAlpha(i, jl, func(r int, a float64) { byRow[trFrom[r]] = a * scale })
		pair := pairIndex(prev.Labels, i, jl)
		for t, r := range rows {
			g := trTo[r]
			switch {
			case inFrom[g]:
				alpha[t] = byRow[g]
			case pair >= 0 && out.dv != nil:
				f := out.dv[int(valPos[g])*nd+pair]
				if folds.label(g) != i {
					f = -f
				}
				if f < 1 {
					alpha[t] = j.c
				}
			}
		}
	}
}

// pairIndex is the position of the one-vs-one pair of labels i and j in
// a model's decision values, or -1.
func pairIndex(labels []int, i, j int) int {
	ci, cj := slices.Index(labels, i), slices.Index(labels, j)
	if ci < 0 || cj < 0 || ci >= cj {
		return -1
	}
	nc := len(labels)
	return ci*(2*nc-ci-1)/2 + (cj - ci - 1)
}

// SolveSummary is the grid summary line about its solves: the SMO
// iterations and fit seconds of cells, and how many were seeded (alpha
// seeding) or cold.
func SolveSummary(cells []GridCell) string {
	var it, warm int
	var secs float64
	for _, c := range cells {
		it += c.SMOIter
		secs += c.Seconds
		if c.WarmStart {
			warm++
		}
	}
	how := "cold starts"
	switch {
	case warm == len(cells) && warm > 0:
		how = "alpha seeding (-warm-start)"
	case warm > 0:
		how = fmt.Sprintf("alpha seeding in %d of %d cells", warm, len(cells))
	}
	return fmt.Sprintf("solves: %d SMO iterations, %.1f s of fits (summed over workers), %s", it, secs, how)
}
