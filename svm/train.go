package svm

import (
	"context"
	"fmt"
	"math"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/svmbench/svmbench/kernels"
	"github.com/svmbench/svmbench/matrix"
)

// PairStats describes the binary sub-problem of classes I and J (labels;
// for one-vs-rest, J is −1 and means "all other classes"), as svm-train
// prints it.
type PairStats struct {
	I, J   int
	Obj    float64 // final dual objective
	Rho    float64 // bias: the decision value is Σ coef·K − Rho
	NSV    int     // variables with α > 0
	NBSV   int     // variables with α at the upper bound
	Iter   int     // SMO iterations
	Status Status
	// NonPSDSteps counts steps where the quadratic coefficient was ≤ 0
	// and τ was used instead (the kernel matrix is not PSD there).
	NonPSDSteps int
}

// Train fits a C-SVC on the rows of x with integer labels y.
func Train(ctx context.Context, x *matrix.Matrix, y []int, p Params) (*Model, error) {
	p = p.defaults()
	if err := p.validate(true); err != nil {
		return nil, err
	}
	if x == nil || x.Rows != len(y) {
		return nil, fmt.Errorf("svm: %d labels for %v: want one label a row", len(y), x)
	}
	if len(y) == 0 {
		return nil, fmt.Errorf("svm: no training samples")
	}
	n := x.Rows
	budget := int64(p.CacheMB * (1 << 20))
	if matrix.Bytes(n, n) > budget {
		eng, err := kernels.NewEngine(p.Kernel, x)
		if err != nil {
			return nil, fmt.Errorf("svm: %w", err)
		}
		m, err := train(ctx, y, p, &qSource{eng: eng, budget: budget, workers: p.Workers})
		if err != nil {
			return nil, err
		}
		m.SV = x.Gather(m.SVIndex)
		m.Dim = x.Cols
		return m, nil
	}
	// The whole Gram matrix fits: compute it once for all sub-problems,
	// with the samples grouped by class (label order, data order within a
	// class), so that each sub-problem's block is made of contiguous runs.
	_, members := groupClasses(y)
	perm := make([]int, 0, n)
	for _, mc := range members {
		perm = append(perm, mc...)
	}
	yg := make([]int, n)
	for a, g := range perm {
		yg[a] = y[g]
	}
	eng, err := kernels.NewEngine(p.Kernel, x)
	if err != nil {
		return nil, fmt.Errorf("svm: %w", err)
	}
	k := matrix.New(n, n)
	eng.Block(k, perm, perm) // symmetric: one triangle computed
	m, err := train(ctx, yg, p, &qSource{k: k, budget: budget - matrix.Bytes(n, n), workers: p.Workers, perm: perm})
	if err != nil {
		return nil, err
	}
	for v, a := range m.SVIndex {
		m.SVIndex[v] = perm[a]
	}
	m.Dim = x.Cols
	// The Gram matrix is no longer needed: when the support vectors fill
	// at least half of its memory, which is already paged in, they are
	// stored there instead of in a fresh allocation.
	nsv, d := len(m.SVIndex), x.Cols
	if sz := nsv * d; sz > 0 && sz <= len(k.Data) && 2*sz >= len(k.Data) {
		m.SV = matrix.NewFrom(nsv, d, k.Data[:sz])
		for v, g := range m.SVIndex {
			copy(m.SV.Row(v), x.Row(g))
		}
	} else {
		m.SV = x.Gather(m.SVIndex)
		if matrix.Bytes(n, n) >= 1<<30 {
			// Collect the big Gram matrix now: left to the GC's pacing, the
			// heap could grow to twice the training peak before it goes.
			runtime.GC()
		}
	}
	return m, nil
}

// TrainGram fits a C-SVC on a precomputed n×n kernel matrix k (for example
// a cross-validation fold's Gram derived from a kernels.DotGram). k is only
// read. p.Kernel is recorded for reports and may be nil; the model
// predicts with PredictGram, or with Predict when p.Kernel is set and the
// caller sets Model.SV to the training rows of Model.SVIndex.
func TrainGram(ctx context.Context, k *matrix.Matrix, y []int, p Params) (*Model, error) {
	p = p.defaults()
	if err := p.validate(false); err != nil {
		return nil, err
	}
	if k == nil || k.Rows != k.Cols || k.Rows != len(y) {
		return nil, fmt.Errorf("svm: kernel matrix %v with %d labels: want n×n with n labels", k, len(y))
	}
	if len(y) == 0 {
		return nil, fmt.Errorf("svm: no training samples")
	}
	m, err := train(ctx, y, p, &qSource{k: k, budget: int64(p.CacheMB * (1 << 20)), workers: p.Workers})
	if err != nil {
		return nil, err
	}
	m.Gram = true
	return m, nil
}

// qSource makes the Q matrix of each sub-problem: from one precomputed
// kernel matrix k over all samples when there is one, else from the
// engine. Either way the sub-problem gets its whole Q when it fits a
// worker's share of the budget left (budget), so that a column is a row
// of memory and not a gather or a product; otherwise columns are gathered
// from k on every request, or kept in an LRU column cache.
type qSource struct {
	k       *matrix.Matrix
	eng     *kernels.Engine
	budget  int64 // bytes left for per-sub-problem matrices or caches
	workers int
	perm    []int // the caller's row of each training index (nil: the same)
}

// cacheBatch is the most Q columns a cache miss computes in one product.
const cacheBatch = 64

// q returns the Q matrix of the sub-problem (idx, y). buf is the worker's
// scratch for a whole Q, reused from one sub-problem to the next.
func (s *qSource) q(idx []int, y []int8, buf *[]float32) QMatrix {
	l := len(idx)
	share := s.budget / int64(max(s.workers, 1))
	fits := matrix.Bytes(l, l) <= share
	if !fits {
		if s.k != nil {
			return newGatherQ(s.k, idx, y)
		}
		return newCachedQ(s.eng, idx, y, max(share, 0), cacheBatch)
	}
	if cap(*buf) < l*l {
		*buf = make([]float32, l*l)
	}
	k := matrix.NewFrom(l, l, (*buf)[:l*l])
	if s.k == nil {
		s.eng.Block(k, idx, idx)
		return newDenseQ(k, y)
	}
	// Copy the block of the shared Gram run by run of consecutive
	// indices, with the signs of y applied.
	runs := indexRuns(idx)
	for a, ga := range idx {
		src := s.k.Row(ga)
		dst := k.Row(a)
		if len(runs) > l/8 { // short runs: gather element by element
			for b, gb := range idx {
				dst[b] = src[gb]
			}
		} else {
			for _, r := range runs {
				copy(dst[r.at:r.at+r.n], src[r.from:r.from+r.n])
			}
		}
		ya := y[a]
		for b := range dst {
			if y[b] != ya {
				dst[b] = -dst[b]
			}
		}
	}
	return newQFrom(k)
}

// start asks f for the initial α of sub-problem sp, in the caller's rows.
func (s *qSource) start(f func(i, j int, rows []int, alpha []float64), labels []int, sp *subproblem) []float64 {
	rows := sp.idx
	if s.perm != nil {
		rows = make([]int, len(sp.idx))
		for t, a := range sp.idx {
			rows[t] = s.perm[a]
		}
	}
	j := -1
	if sp.j >= 0 {
		j = labels[sp.j]
	}
	alpha := make([]float64, len(rows))
	f(labels[sp.i], j, rows, alpha)
	return alpha
}

type indexRun struct{ at, from, n int }

// indexRuns splits idx into runs of consecutive values.
func indexRuns(idx []int) []indexRun {
	var runs []indexRun
	for a := 0; a < len(idx); {
		b := a + 1
		for b < len(idx) && idx[b] == idx[b-1]+1 {
			b++
		}
		runs = append(runs, indexRun{at: a, from: idx[a], n: b - a})
		a = b
	}
	return runs
}

// groupClasses returns the labels in order of first appearance (LIBSVM's
// order, including its swap that puts +1 first in a −1/+1 problem where −1
// comes first) and, per class, the sample indices in data order.
func groupClasses(y []int) (labels []int, members [][]int) {
	pos := map[int]int{}
	for i, v := range y {
		c, ok := pos[v]
		if !ok {
			c = len(labels)
			pos[v] = c
			labels = append(labels, v)
			members = append(members, nil)
		}
		members[c] = append(members[c], i)
	}
	if len(labels) == 2 && labels[0] == -1 && labels[1] == 1 {
		labels[0], labels[1] = labels[1], labels[0]
		members[0], members[1] = members[1], members[0]
	}
	return labels, members
}

// subproblem is one binary problem: idx are training rows, y their signs.
type subproblem struct {
	i, j   int // class indices (j = -1 for one-vs-rest)
	idx    []int
	y      []int8
	cp, cn float64
	// results
	alpha []float64
	stats PairStats
	nan   bool // the solution is not finite (kernel values were not)
}

func train(ctx context.Context, y []int, p Params, src *qSource) (*Model, error) {
	labels, members := groupClasses(y)
	for l := range p.Weights {
		if !slices.Contains(labels, l) {
			return nil, fmt.Errorf("svm: Params.Weights[%d]: no training sample has label %d (labels: %s)", l, l, labelList(labels))
		}
	}
	subs, ovr := makeSubproblems(labels, members, p)
	p.OneVsRest = ovr
	// Solve the sub-problems in parallel, largest first so that the
	// workers finish together.
	order := make([]int, len(subs))
	for k := range order {
		order[k] = k
	}
	sortBy(order, func(a, b int) bool { return len(subs[a].idx) > len(subs[b].idx) })
	var (
		wg       sync.WaitGroup
		mu       sync.Mutex
		done     int64
		firstErr error
	)
	jobs := make(chan *subproblem)
	workers := max(1, min(p.Workers, len(subs)))
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var buf []float32
			for sp := range jobs {
				if ctx.Err() != nil {
					continue
				}
				q := src.q(sp.idx, sp.y, &buf)
				s := newSolver(q, sp.y, sp.cp, sp.cn, p.Tol, !p.NoShrinking, p.maxIter(len(sp.idx)))
				if p.Start != nil {
					s.warmStart(src.start(p.Start, labels, sp))
				}
				s.solve(ctx)
				mu.Lock()
				if s.ctxErr != nil {
					if firstErr == nil {
						firstErr = s.ctxErr
					}
					mu.Unlock()
					continue
				}
				sp.nan = !s.finite()
				sp.alpha = s.alpha
				sp.stats = s.stats(sp)
				done++
				d := done
				mu.Unlock()
				if p.Progress != nil {
					p.Progress(d, int64(len(subs)))
				}
			}
		}()
	}
	for _, k := range order {
		jobs <- subs[k]
	}
	close(jobs)
	wg.Wait()
	if firstErr == nil {
		firstErr = ctx.Err()
	}
	if firstErr != nil {
		return nil, fmt.Errorf("svm: training stopped: %w", firstErr)
	}
	for _, sp := range subs {
		if sp.nan {
			return nil, fmt.Errorf("svm: %s: %w", subName(sp, labels, ovr), ErrNotFinite)
		}
	}
	m := buildModel(labels, members, subs, p)
	if p.Probability && !m.OneVsRest && len(labels) > 1 {
		var err error
		if m.ProbA, m.ProbB, err = fitProbability(ctx, src, subs, p); err != nil {
			return nil, err
		}
	}
	return m, nil
}

// labelList is "1, 2, 3" for error messages.
func labelList(labels []int) string {
	s := make([]string, len(labels))
	for i, l := range labels {
		s[i] = strconv.Itoa(l)
	}
	return strings.Join(s, ", ")
}

// makeSubproblems returns the binary sub-problems: one-vs-rest when
// p.OneVsRest and there are more than two classes (ovr), else the
// one-vs-one pairs in label order.
func makeSubproblems(labels []int, members [][]int, p Params) (subs []*subproblem, ovr bool) {
	nc := len(labels)
	if p.OneVsRest && nc > 2 {
		for c := range nc {
			sp := &subproblem{i: c, j: -1, cp: p.C * p.weight(labels[c]), cn: p.C}
			sp.idx = append(sp.idx, members[c]...)
			for d := range nc {
				if d != c {
					sp.idx = append(sp.idx, members[d]...)
				}
			}
			sp.y = make([]int8, len(sp.idx))
			for t := range sp.y {
				sp.y[t] = -1
				if t < len(members[c]) {
					sp.y[t] = 1
				}
			}
			subs = append(subs, sp)
		}
	} else {
		for i := range nc {
			for j := i + 1; j < nc; j++ {
				sp := &subproblem{i: i, j: j, cp: p.C * p.weight(labels[i]), cn: p.C * p.weight(labels[j])}
				sp.idx = append(append(sp.idx, members[i]...), members[j]...)
				sp.y = make([]int8, len(sp.idx))
				for t := range sp.y {
					sp.y[t] = -1
					if t < len(members[i]) {
						sp.y[t] = 1
					}
				}
				subs = append(subs, sp)
			}
		}
	}

	return subs, p.OneVsRest && nc > 2
}

// finite reports whether the solution is a number: kernel values that
// are not (a float32 overflow) make it NaN.
func (s *solver) finite() bool {
	if math.IsNaN(s.obj) || math.IsInf(s.obj, 0) || math.IsNaN(s.rho) || math.IsInf(s.rho, 0) {
		return false
	}
	for _, a := range s.alpha {
		if math.IsNaN(a) {
			return false
		}
	}
	return true
}

// subName names sub-problem sp as pairName does.
func subName(sp *subproblem, labels []int, ovr bool) string {
	st := PairStats{I: labels[sp.i]}
	if !ovr {
		st.J = labels[sp.j]
	}
	return pairName(st, ovr)
}

func (s *solver) stats(sp *subproblem) PairStats {
	st := PairStats{I: -1, J: -1, Obj: s.obj, Rho: s.rho, Iter: s.iter, NonPSDSteps: s.nonPSD}
	if s.capped {
		st.Status = IterationCap
	}
	for t, a := range s.alpha {
		if a > 0 {
			st.NSV++
			if a >= s.c(t) {
				st.NBSV++
			}
		}
	}
	return st
}

// buildModel gathers the support vectors of all sub-problems, grouped by
// class in label order (LIBSVM's layout), and their coefficients.
func buildModel(labels []int, members [][]int, subs []*subproblem, p Params) *Model {
	m := &Model{Kernel: p.Kernel, Labels: labels, OneVsRest: p.OneVsRest, C: p.C}
	svPos := m.groupSVs(members, subs)
	nrow := len(labels) - 1
	if m.OneVsRest {
		nrow = len(labels)
	}
	m.Coef = make([][]float64, nrow)
	for r := range m.Coef {
		m.Coef[r] = make([]float64, len(m.SVIndex))
	}
	for k, sp := range subs {
		m.addPair(k, sp, svPos)
	}
	m.warnPairs(p.Tol)
	if sg, ok := p.Kernel.(kernels.Sigmoid); ok && sg.Alpha < 0 {
		m.warnings = append([]string{fmt.Sprintf(
			"sigmoid kernel with alpha = %g < 0: accepted for study (LIBSVM refuses it); its Gram matrix is not PSD", sg.Alpha)},
			m.warnings...)
	}
	return m
}

// groupSVs sets m.SVIndex and m.NSVClass from the training rows with a
// non-zero α in any sub-problem, grouped by class (members), and returns
// the position of each such row among the support vectors.
func (m *Model) groupSVs(members [][]int, subs []*subproblem) map[int]int {
	nz := map[int]bool{}
	for _, sp := range subs {
		for t, a := range sp.alpha {
			if a > 0 {
				nz[sp.idx[t]] = true
			}
		}
	}
	svPos := map[int]int{}
	m.NSVClass = make([]int, len(members))
	for c := range members {
		for _, g := range members[c] {
			if nz[g] {
				svPos[g] = len(m.SVIndex)
				m.SVIndex = append(m.SVIndex, g)
				m.NSVClass[c]++
			}
		}
	}
	return svPos
}

// addPair adds sub-problem k's statistics (with labels), its ρ and its
// coefficients, placed in LIBSVM's layout, to m.
func (m *Model) addPair(k int, sp *subproblem, svPos map[int]int) {
	st := sp.stats
	st.I = m.Labels[sp.i]
	if sp.j >= 0 {
		st.J = m.Labels[sp.j]
	}
	m.Pairs = append(m.Pairs, st)
	m.Rho = append(m.Rho, st.Rho)
	for t, a := range sp.alpha {
		if a == 0 {
			continue
		}
		g := sp.idx[t]
		coef := a * float64(sp.y[t])
		switch {
		case m.OneVsRest:
			m.Coef[k][svPos[g]] = coef
		case sp.y[t] > 0: // class i: row j−1
			m.Coef[sp.j-1][svPos[g]] = coef
		default: // class j: row i
			m.Coef[sp.i][svPos[g]] = coef
		}
	}
}

// warnPairs adds the warnings of the sub-problems: each that stopped at
// the iteration cap, and one for all that met a non-PSD kernel matrix.
// A kernel PSD on any data (kernels.Mercer) gets no such warning: its
// steps with a quadratic coefficient ≤ 0 come from a singular K (samples
// repeated in both classes, empty samples), and the problem is convex.
func (m *Model) warnPairs(tol float64) {
	var nonPSD, nonPSDSteps, allSteps int
	first := ""
	for _, st := range m.Pairs {
		if st.Status == IterationCap {
			m.capped = true
			m.warnings = append(m.warnings, fmt.Sprintf("%s: iteration cap %d reached before Tol %g",
				m.PairName(st), st.Iter, tol))
		}
		if st.NonPSDSteps > 0 {
			nonPSD++
			nonPSDSteps += st.NonPSDSteps
			if first == "" {
				first = m.PairName(st)
			}
		}
		allSteps += st.Iter
	}
	if mk, ok := m.Kernel.(kernels.Mercer); ok && mk.PositiveSemidefinite() {
		nonPSD = 0
	}
	if nonPSD > 0 {
		m.warnings = append(m.warnings, fmt.Sprintf(
			"the kernel matrix is not PSD on %d of %d sub-problems (first: %s): %d of %d SMO steps had a quadratic coefficient ≤ 0 and used τ = %g; the problem is non-convex and the solution a stationary point (PairStats.NonPSDSteps per sub-problem)",
			nonPSD, len(m.Pairs), first, nonPSDSteps, allSteps, tau))
	}
}

// pairName is Model.PairName for a model being built (one-vs-rest when
// ovr).
func pairName(st PairStats, ovr bool) string {
	if ovr {
		return fmt.Sprintf("class %d vs rest", st.I)
	}
	return fmt.Sprintf("pair %d vs %d", st.I, st.J)
}

// sortBy is an insertion sort (the sub-problem lists are short).
func sortBy(a []int, less func(x, y int) bool) {
	for i := 1; i < len(a); i++ {
		for j := i; j > 0 && less(a[j], a[j-1]); j-- {
			a[j], a[j-1] = a[j-1], a[j]
		}
	}
}
