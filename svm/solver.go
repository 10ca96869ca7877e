package svm

// The problem the solver minimises (LIBSVM's Solver class, C-SVC form):
//
//	min_α  f(α) = ½ αᵀQα + pᵀα
//	s.t.   yᵀα = Δ,  0 ≤ α_t ≤ C_t,  t = 1..l,
//
// with y_t ∈ {+1, −1}. For the C-SVC dual, p = −e, Δ = 0, C_t = C·w_{y_t}
// and Q_ij = y_i y_j K(x_i, x_j). The gradient is G = Qα + p.
//
// Each iteration picks a working set {i, j} by the second-order rule of
// Fan, Chen and Lin (JMLR 2005):
//
//	i = argmax { −y_t G_t : t ∈ I_up(α) }
//	j = argmin { −b_it² / a_it : t ∈ I_low(α), −y_t G_t < −y_i G_i }
//
// where a_it = Q_ii + Q_tt − 2 y_i y_t Q_it (replaced by τ = 1e-12 when it is
// not positive, as happens for a Gram matrix that is not PSD) and
// b_it = −y_i G_i + y_t G_t > 0. It stops when the maximal violation
// m(α) − M(α) = max_{I_up} −y_t G_t − min_{I_low} −y_t G_t is below Tol.
// The two-variable sub-problem is solved analytically and clipped to the
// box; G is updated with columns i and j of Q.
//
// Shrinking: every min(l, 1000) iterations, variables at a bound whose
// gradient says they will stay there are removed from the active set.
// Ḡ_t = Σ_{α_s = C_s} C_s Q_ts is kept up to date so the gradient of the
// removed variables can be rebuilt (G_t = Ḡ_t + p_t + Σ_{0<α_s<C_s} α_s Q_ts)
// when the active problem converges, after which the whole problem is
// checked again. When the violation first falls below 10·Tol, the solver
// unshrinks once, as LIBSVM does.

import (
	"context"
	"math"
)

// tau replaces a non-positive quadratic coefficient a_ij (LIBSVM's TAU).
const tau = 1e-12

const (
	lowerBound = iota
	upperBound
	free
)

// solver holds the state of one SMO run. All of its buffers are allocated
// in newSolver; solve allocates nothing per iteration.
type solver struct {
	l      int
	q      QMatrix
	qd     []float64 // Q_ii
	y      []int8
	p      []float64
	cp, cn float64 // upper bounds for y = +1 and y = −1
	eps    float64
	shrink bool
	maxIt  int

	alpha  []float64
	g      []float64
	gbar   []float64
	status []uint8
	active []int32 // active set, increasing order
	inact  []int32 // scratch: complement of active
	isAct  []bool
	unshr  bool
	warm   bool // started from a given α (warmStart)

	// batching hints for a caching QMatrix
	pf    prefetcher
	hints []int
	hval  []float64

	// results
	iter    int
	obj     float64
	rho     float64
	capped  bool
	nonPSD  int // steps where the quadratic coefficient was ≤ 0
	ctxErr  error
	nActive int
}

func newSolver(q QMatrix, y []int8, cp, cn, eps float64, shrink bool, maxIt int) *solver {
	l := q.N()
	s := &solver{
		l: l, q: q, qd: q.Diag(), y: y, cp: cp, cn: cn, eps: eps, shrink: shrink, maxIt: maxIt,
		p:      make([]float64, l),
		alpha:  make([]float64, l),
		g:      make([]float64, l),
		gbar:   make([]float64, l),
		status: make([]uint8, l),
		active: make([]int32, l),
		inact:  make([]int32, 0, l),
		isAct:  make([]bool, l),
	}
	if pf, ok := q.(prefetcher); ok && pf.BatchSize() > 1 {
		s.pf = pf
		s.hints = make([]int, 0, pf.BatchSize())
		s.hval = make([]float64, 0, pf.BatchSize())
	}
	for t := range l {
		s.p[t] = -1
		s.g[t] = -1 // α = 0: G = p
		s.active[t] = int32(t)
		s.isAct[t] = true
	}
	return s
}

func (s *solver) c(t int) float64 {
	if s.y[t] > 0 {
		return s.cp
	}
	return s.cn
}

func (s *solver) updateStatus(t int) {
	switch {
	case s.alpha[t] >= s.c(t):
		s.status[t] = upperBound
	case s.alpha[t] <= 0:
		s.status[t] = lowerBound
	default:
		s.status[t] = free
	}
}

func (s *solver) isUpper(t int) bool { return s.status[t] == upperBound }
func (s *solver) isLower(t int) bool { return s.status[t] == lowerBound }
func (s *solver) isFree(t int) bool  { return s.status[t] == free }

// solve runs SMO until the violation is below eps, the iteration cap is
// reached or ctx is done (checked every min(l, 1000) iterations).
func (s *solver) solve(ctx context.Context) {
	l := s.l
	for t := range l {
		s.updateStatus(t)
	}
	counter := min(l, 1000) + 1
	for s.iter < s.maxIt {
		counter--
		if counter == 0 {
			counter = min(l, 1000)
			if err := ctx.Err(); err != nil {
				s.ctxErr = err
				return
			}
			if s.shrink {
				s.doShrinking()
			}
		}
		i, j, ok := s.selectWorkingSet()
		if !ok {
			s.reconstructGradient()
			s.setAllActive()
			i, j, ok = s.selectWorkingSet()
			if !ok {
				break
			}
			counter = 1 // shrink at the next iteration
		}
		s.iter++
		s.step(i, j)
	}
	if s.iter >= s.maxIt {
		s.capped = true
		s.reconstructGradient()
		s.setAllActive()
	}
	if s.warm {
		s.snapBounds()
	}
	s.rho = s.calculateRho()
	var v float64
	for t := range l {
		v += s.alpha[t] * (s.g[t] + s.p[t])
	}
	s.obj = v / 2
}

// selectWorkingSet is WSS2; ok is false when the active problem is optimal
// within eps.
func (s *solver) selectWorkingSet() (int, int, bool) {
	gmax, gmax2 := math.Inf(-1), math.Inf(-1)
	gmaxIdx, gminIdx := -1, -1
	objDiffMin := math.Inf(1)
	g, y := s.g, s.y
	for _, t32 := range s.active {
		t := int(t32)
		if y[t] > 0 {
			if !s.isUpper(t) && -g[t] >= gmax {
				gmax, gmaxIdx = -g[t], t
			}
		} else if !s.isLower(t) && g[t] >= gmax {
			gmax, gmaxIdx = g[t], t
		}
	}
	i := gmaxIdx
	var qi []float32
	var yi float64
	var qdi float64
	if i != -1 {
		s.hint(i)
		qi = s.q.Column(i)
		yi = float64(y[i])
		qdi = s.qd[i]
	}
	for _, t32 := range s.active {
		t := int(t32)
		if y[t] > 0 {
			if !s.isLower(t) {
				gd := gmax + g[t]
				if g[t] >= gmax2 {
					gmax2 = g[t]
				}
				if gd > 0 {
					quad := qdi + s.qd[t] - 2*yi*float64(qi[t])
					var od float64
					if quad > 0 {
						od = -(gd * gd) / quad
					} else {
						od = -(gd * gd) / tau
					}
					if od <= objDiffMin {
						gminIdx, objDiffMin = t, od
					}
				}
			}
		} else if !s.isUpper(t) {
			gd := gmax - g[t]
			if -g[t] >= gmax2 {
				gmax2 = -g[t]
			}
			if gd > 0 {
				quad := qdi + s.qd[t] + 2*yi*float64(qi[t])
				var od float64
				if quad > 0 {
					od = -(gd * gd) / quad
				} else {
					od = -(gd * gd) / tau
				}
				if od <= objDiffMin {
					gminIdx, objDiffMin = t, od
				}
			}
		}
	}
	if gmax+gmax2 < s.eps || gminIdx == -1 {
		return 0, 0, false
	}
	return gmaxIdx, gminIdx, true
}

// step solves the two-variable sub-problem on {i, j} and updates G and Ḡ.
func (s *solver) step(i, j int) {
	qi := s.q.Column(i)
	s.hint(j)
	qj := s.q.Column(j)
	ci, cj := s.c(i), s.c(j)
	a, g := s.alpha, s.g
	oldAi, oldAj := a[i], a[j]
	if s.y[i] != s.y[j] {
		quad := s.qd[i] + s.qd[j] + 2*float64(qi[j])
		if quad <= 0 {
			quad = tau
			s.nonPSD++
		}
		delta := (-g[i] - g[j]) / quad
		diff := a[i] - a[j]
		a[i] += delta
		a[j] += delta
		if diff > 0 {
			if a[j] < 0 {
				a[j] = 0
				a[i] = diff
			}
		} else if a[i] < 0 {
			a[i] = 0
			a[j] = -diff
		}
		if diff > ci-cj {
			if a[i] > ci {
				a[i] = ci
				a[j] = ci - diff
			}
		} else if a[j] > cj {
			a[j] = cj
			a[i] = cj + diff
		}
	} else {
		quad := s.qd[i] + s.qd[j] - 2*float64(qi[j])
		if quad <= 0 {
			quad = tau
			s.nonPSD++
		}
		delta := (g[i] - g[j]) / quad
		sum := a[i] + a[j]
		a[i] -= delta
		a[j] += delta
		if sum > ci {
			if a[i] > ci {
				a[i] = ci
				a[j] = sum - ci
			}
		} else if a[j] < 0 {
			a[j] = 0
			a[i] = sum
		}
		if sum > cj {
			if a[j] > cj {
				a[j] = cj
				a[i] = sum - cj
			}
		} else if a[i] < 0 {
			a[i] = 0
			a[j] = sum
		}
	}
	dai, daj := a[i]-oldAi, a[j]-oldAj
	for _, t32 := range s.active {
		t := int(t32)
		g[t] += float64(qi[t])*dai + float64(qj[t])*daj
	}
	ui, uj := s.isUpper(i), s.isUpper(j)
	s.updateStatus(i)
	s.updateStatus(j)
	if ui != s.isUpper(i) {
		s.addGbar(qi, ci, ui)
	}
	if uj != s.isUpper(j) {
		s.addGbar(qj, cj, uj)
	}
}

// addGbar removes (wasUpper) or adds C·Q_t from Ḡ over all l entries. q
// is a full column, so Ḡ of shrunk variables stays exact.
func (s *solver) addGbar(q []float32, c float64, wasUpper bool) {
	if wasUpper {
		c = -c
	}
	gb := s.gbar
	for k := range gb {
		gb[k] += c * float64(q[k])
	}
}

func (s *solver) setAllActive() {
	if len(s.active) == s.l {
		return
	}
	s.active = s.active[:s.l]
	for t := range s.l {
		s.active[t] = int32(t)
		s.isAct[t] = true
	}
}

// reconstructGradient rebuilds G of the shrunk variables from Ḡ and the
// free variables' columns.
func (s *solver) reconstructGradient() {
	if len(s.active) == s.l {
		return
	}
	s.inact = s.inact[:0]
	for t := range s.l {
		if !s.isAct[t] {
			s.inact = append(s.inact, int32(t))
			s.g[t] = s.gbar[t] + s.p[t]
		}
	}
	nFree := 0
	for _, t := range s.active {
		if s.isFree(int(t)) {
			nFree++
		}
	}
	// Columns are full length, so either loop reads one column per
	// variable visited; take the side with fewer columns.
	if len(s.inact) < nFree {
		for _, i32 := range s.inact {
			i := int(i32)
			qi := s.q.Column(i)
			var sum float64
			for _, j := range s.active {
				if s.isFree(int(j)) {
					sum += s.alpha[j] * float64(qi[j])
				}
			}
			s.g[i] += sum
		}
	} else {
		for _, i32 := range s.active {
			i := int(i32)
			if !s.isFree(i) {
				continue
			}
			qi := s.q.Column(i)
			ai := s.alpha[i]
			for _, j := range s.inact {
				s.g[j] += ai * float64(qi[j])
			}
		}
	}
}

func (s *solver) beShrunk(t int, gmax1, gmax2 float64) bool {
	if s.isUpper(t) {
		if s.y[t] > 0 {
			return -s.g[t] > gmax1
		}
		return -s.g[t] > gmax2
	}
	if s.isLower(t) {
		if s.y[t] > 0 {
			return s.g[t] > gmax2
		}
		return s.g[t] > gmax1
	}
	return false
}

func (s *solver) doShrinking() {
	gmax1, gmax2 := math.Inf(-1), math.Inf(-1)
	for _, t32 := range s.active {
		t := int(t32)
		if s.y[t] > 0 {
			if !s.isUpper(t) {
				gmax1 = max(gmax1, -s.g[t])
			}
			if !s.isLower(t) {
				gmax2 = max(gmax2, s.g[t])
			}
		} else {
			if !s.isUpper(t) {
				gmax2 = max(gmax2, -s.g[t])
			}
			if !s.isLower(t) {
				gmax1 = max(gmax1, s.g[t])
			}
		}
	}
	if !s.unshr && gmax1+gmax2 <= s.eps*10 {
		s.unshr = true
		s.reconstructGradient()
		s.setAllActive()
	}
	k := 0
	for _, t32 := range s.active {
		t := int(t32)
		if s.beShrunk(t, gmax1, gmax2) {
			s.isAct[t] = false
			continue
		}
		s.active[k] = t32
		k++
	}
	s.active = s.active[:k]
}

func (s *solver) calculateRho() float64 {
	nFree := 0
	ub, lb := math.Inf(1), math.Inf(-1)
	var sumFree float64
	for _, t32 := range s.active {
		t := int(t32)
		yg := float64(s.y[t]) * s.g[t]
		switch {
		case s.isUpper(t):
			if s.y[t] < 0 {
				ub = min(ub, yg)
			} else {
				lb = max(lb, yg)
			}
		case s.isLower(t):
			if s.y[t] > 0 {
				ub = min(ub, yg)
			} else {
				lb = max(lb, yg)
			}
		default:
			nFree++
			sumFree += yg
		}
	}
	if nFree > 0 {
		return sumFree / float64(nFree)
	}
	return (ub + lb) / 2
}

// prefetcher is implemented by a QMatrix that computes missing columns in
// batches (cachedQ): the solver names the columns it expects to need.
type prefetcher interface {
	Cached(i int) bool
	Prefetch(cols []int)
	BatchSize() int
}

// hint, when column c is about to miss, names as prefetch candidates the
// active variables with the largest violation of the optimality
// conditions: those most likely to enter the next working sets.
func (s *solver) hint(c int) {
	if s.pf == nil || s.pf.Cached(c) {
		return
	}
	b := cap(s.hints)
	s.hints, s.hval = s.hints[:0], s.hval[:0]
	for _, t32 := range s.active {
		t := int(t32)
		if t == c || s.pf.Cached(t) {
			continue
		}
		// violation: −y_t G_t for I_up, y_t G_t for I_low; the larger.
		v := math.Inf(-1)
		yg := float64(s.y[t]) * s.g[t]
		up := (s.y[t] > 0 && !s.isUpper(t)) || (s.y[t] < 0 && !s.isLower(t))
		low := (s.y[t] > 0 && !s.isLower(t)) || (s.y[t] < 0 && !s.isUpper(t))
		if up {
			v = -yg
		}
		if low {
			v = max(v, yg)
		}
		if s.isFree(t) {
			v = math.Inf(1) // free variables are revisited most
		}
		if len(s.hints) < b {
			s.hints = append(s.hints, t)
			s.hval = append(s.hval, v)
			s.siftUp(len(s.hints) - 1)
		} else if v > s.hval[0] {
			s.hints[0], s.hval[0] = t, v
			s.siftDown(0)
		}
	}
	s.pf.Prefetch(s.hints)
}

// a min-heap on hval over the hint slots.
func (s *solver) siftUp(k int) {
	for k > 0 {
		p := (k - 1) / 2
		if s.hval[p] <= s.hval[k] {
			return
		}
		s.hval[p], s.hval[k] = s.hval[k], s.hval[p]
		s.hints[p], s.hints[k] = s.hints[k], s.hints[p]
		k = p
	}
}

func (s *solver) siftDown(k int) {
	n := len(s.hval)
	for {
		m := k
		if l := 2*k + 1; l < n && s.hval[l] < s.hval[m] {
			m = l
		}
		if r := 2*k + 2; r < n && s.hval[r] < s.hval[m] {
			m = r
		}
		if m == k {
			return
		}
		s.hval[m], s.hval[k] = s.hval[k], s.hval[m]
		s.hints[m], s.hints[k] = s.hints[k], s.hints[m]
		k = m
	}
}

// warmStart sets the initial point α0 (alpha seeding) before solve, as
// LIBSVM's Solver does when given an initial α: α0 is made feasible
// (clipped into [0, C_t], then yᵀα = 0 restored by lowering the heavier
// side's α, free ones first, as few as needed: every other α keeps its
// value, a variable at a bound stays exactly there), and G = p + Qα and
// Ḡ = Σ_{α_s = C_s} C_s Q_s are built from the columns of the variables
// that are not at 0. α0 is not kept.
func (s *solver) warmStart(alpha0 []float64) {
	var sp, sn float64
	for t, a := range alpha0 {
		a = min(max(a, 0), s.c(t))
		if math.IsNaN(a) {
			a = 0
		}
		s.alpha[t] = a
		if s.y[t] > 0 {
			sp += a
		} else {
			sn += a
		}
	}
	if sp == 0 || sn == 0 {
		clear(s.alpha) // no feasible point but 0 keeps both classes' mass
		return
	}
	s.balance(sp - sn)
	s.warm = true
	for t := range s.l {
		s.updateStatus(t)
		if s.isLower(t) {
			continue
		}
		qt := s.q.Column(t)
		at := s.alpha[t]
		for k := range s.g {
			s.g[k] += at * float64(qt[k])
		}
		if s.isUpper(t) {
			s.addGbar(qt, s.c(t), false)
		}
	}
}

// snapBounds puts every α within a relative 1e-12 of a bound onto it (G
// updated). SMO's steps can leave a variable a rounding error below C or
// above 0; it then counts as free and alone sets ρ where the optimum has
// no free variable (ρ is otherwise the middle of its feasible interval).
// A cold start lands on the bounds exactly in the runs compared, so a
// seeded run snaps to give the same ρ. Only seeded runs snap: the cold
// path stays LIBSVM's.
func (s *solver) snapBounds() {
	for t := range s.l {
		a, c := s.alpha[t], s.c(t)
		var to float64
		switch {
		case a > 0 && a <= 1e-12*c:
			to = 0
		case a < c && a >= c*(1-1e-12):
			to = c
		default:
			continue
		}
		wasUpper := s.isUpper(t)
		qt := s.q.Column(t)
		for k := range s.g {
			s.g[k] += (to - a) * float64(qt[k])
		}
		s.alpha[t] = to
		s.updateStatus(t)
		if wasUpper != s.isUpper(t) {
			s.addGbar(qt, c, wasUpper)
		}
	}
}

// balance removes the excess d = Σ_{y=+1} α − Σ_{y=−1} α by lowering the
// α of the heavier side (y = +1 when d > 0): first the variables strictly
// inside the box, then those at C, each down to 0 at most, in index order.
func (s *solver) balance(d float64) {
	var heavy int8 = 1
	if d < 0 {
		heavy, d = -1, -d
	}
	for _, atBound := range []bool{false, true} {
		for t := range s.l {
			if d <= 0 {
				return
			}
			if a := s.alpha[t]; s.y[t] == heavy && a > 0 && (a >= s.c(t)) == atBound {
				take := min(a, d)
				s.alpha[t] = a - take
				d -= take
			}
		}
	}
}
