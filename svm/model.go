package svm

import (
	"fmt"
	"math"

	"github.com/svmbench/svmbench/kernels"
	"github.com/svmbench/svmbench/matrix"
)

// Model is a trained C-SVC, laid out as LIBSVM lays it out.
type Model struct {
	// Kernel of the model; nil for a TrainGram model trained without one.
	Kernel kernels.Kernel
	// C is the penalty it was trained with (0 when loaded from a LIBSVM
	// file, which does not record it).
	C float64
	// Labels are the class labels in LIBSVM's order (first appearance in
	// the training data).
	Labels []int
	// OneVsRest is true for a one-vs-rest model.
	OneVsRest bool
	// SV holds the support vectors, one a row, grouped by class in label
	// order; nil for a TrainGram model.
	SV *matrix.Matrix
	// SVIndex is the training row of each support vector (0-based).
	SVIndex []int
	// NSVClass is the number of support vectors of each class.
	NSVClass []int
	// Coef are the coefficients y_t α_t. One-vs-one: (classes−1) rows in
	// LIBSVM's layout (the coefficients of class c's support vectors for
	// its pair with class d are in row d−1 if d > c, row d if d < c).
	// One-vs-rest: one row per class.
	Coef [][]float64
	// Rho are the biases, one per pair in the order (0,1), (0,2), …,
	// (1,2), … of class indices; one per class for one-vs-rest.
	Rho []float64
	// ProbA and ProbB are the sigmoid parameters of each pair's probability
	// model, in the order of Rho (LIBSVM's probA, probB); nil without one
	// (Params.Probability).
	ProbA, ProbB []float64
	// Dim is the number of features of the training data (LIBSVM's
	// num_features); 0 when unknown (a model file without its sidecar).
	// Samples with more features are refused unless the extra ones are 0.
	Dim int
	// Pairs are the statistics of each binary sub-problem, in the order
	// of Rho (empty for a loaded model).
	Pairs []PairStats
	// Gram is true for a model trained by TrainGram: its support vectors
	// are training rows referenced by SVIndex.
	Gram bool
	// Meta is stored in MODEL.json beside the model file.
	Meta Meta

	capped   bool
	warnings []string
}

// NSV is the total number of support vectors.
func (m *Model) NSV() int { return len(m.SVIndex) }

// Capped reports whether some sub-problem reached MaxIter.
func (m *Model) Capped() bool { return m.capped }

// Err returns ErrNotConverged (wrapped, with the first sub-problem named)
// when the model is capped, else nil.
func (m *Model) Err() error {
	for _, st := range m.Pairs {
		if st.Status == IterationCap {
			return fmt.Errorf("%w (%s after %d iterations)", ErrNotConverged, m.PairName(st), st.Iter)
		}
	}
	if m.capped {
		return ErrNotConverged
	}
	return nil
}

// Warnings are conditions the caller should show: α < 0 accepted, a
// non-PSD kernel matrix met (τ fallback used), iteration cap reached.
func (m *Model) Warnings() []string { return append([]string(nil), m.warnings...) }

// NDecision is the number of decision values per sample: one per pair
// (one-vs-one) or per class (one-vs-rest).
func (m *Model) NDecision() int { return len(m.Rho) }

// predictBlock is the number of test samples whose kernel values against
// all support vectors are computed in one product.
func (m *Model) predictBlock() int {
	nsv := max(m.NSV(), 1)
	b := (64 << 20) / (4 * nsv) // 64 MiB of kernel values
	return max(16, min(b, 2048))
}

// DecisionValues sets dst (m×NDecision, row-major, m = x.Rows) to the
// decision values Σ_s coef_s K(sv_s, x) − ρ of every sample and returns
// it; dst is allocated when too short. Kernel values are computed as
// support-vector × test-block products (kernels.Cross).
func (m *Model) DecisionValues(dst []float64, x *matrix.Matrix) ([]float64, error) {
	if m.Kernel == nil || m.SV == nil {
		return nil, ErrNoKernel
	}
	x, err := m.Conform(x)
	if err != nil {
		return nil, err
	}
	sv := m.SV
	// Absent features are zeros (LIBSVM's sparse convention; a LIBSVM
	// file omits trailing zeros), so the narrower side is zero past its
	// width. For a kernel of ⟨x,y⟩, ‖x‖², ‖y‖² the wider side's extra
	// features count in its norm alone: they fold into one column of
	// their norm, against a zero column of the other side. Padding the
	// narrower side instead could take gigabytes (208 support vectors
	// widened to a sample's index 2^24: 14 GB) and as many flops. Other
	// kernels see the narrower side padded.
	_, dot := m.Kernel.(kernels.DotKernel)
	switch {
	case x.Cols > sv.Cols && dot:
		x, sv = foldTail(x, sv.Cols), resize(sv, sv.Cols+1)
	case x.Cols < sv.Cols && dot:
		x, sv = resize(x, x.Cols+1), foldTail(sv, x.Cols)
	case x.Cols > sv.Cols:
		sv = resize(sv, x.Cols)
	case x.Cols < sv.Cols:
		x = resize(x, sv.Cols)
	}
	dst = grow(dst, x.Rows*m.NDecision())
	bs := m.predictBlock()
	kb := matrix.New(m.NSV(), min(bs, x.Rows))
	for s := 0; s < x.Rows; s += bs {
		e := min(s+bs, x.Rows)
		blk := x.Slice(s, e)
		kv := &matrix.Matrix{General: kb.General}
		kv.Cols, kv.Stride = e-s, e-s
		kv.Data = kb.Data[:m.NSV()*(e-s)]
		if m.NSV() > 0 {
			if err := kernels.Cross(kv, m.Kernel, sv, blk); err != nil {
				return nil, fmt.Errorf("svm: %w", err)
			}
		}
		m.decide(dst[s*m.NDecision():e*m.NDecision()], kv, e-s)
	}
	return dst, nil
}

// Conform returns x with the training data's width m.Dim: narrower
// samples are padded with zeros (absent features are 0, LIBSVM's sparse
// convention), wider ones lose their extra features, which must all be 0
// (a *WidthError naming the first sample that has one otherwise). x itself is
// returned when it has the width already or m.Dim is unknown (0).
func (m *Model) Conform(x *matrix.Matrix) (*matrix.Matrix, error) {
	if m.Dim == 0 || x.Cols == m.Dim {
		return x, nil
	}
	if x.Cols > m.Dim {
		for i := range x.Rows {
			for j, v := range x.Row(i)[m.Dim:] {
				if v != 0 {
					return nil, &WidthError{Sample: i, Feature: m.Dim + j + 1, Value: v, Dim: m.Dim}
				}
			}
		}
	}
	return resize(x, m.Dim), nil
}

// foldTail returns x cut to cols columns plus one holding the norm of
// each row's features past cols, so that inner products with rows zero
// past cols, and every row's norm, are x's.
func foldTail(x *matrix.Matrix, cols int) *matrix.Matrix {
	w := matrix.New(x.Rows, cols+1)
	for i := range x.Rows {
		r := x.Row(i)
		var ss float64
		for _, v := range r[cols:] {
			ss += float64(v) * float64(v)
		}
		dst := w.Row(i)
		copy(dst, r[:cols])
		dst[cols] = float32(math.Sqrt(ss))
	}
	return w
}

// resize returns a copy of x with cols columns, cut or padded with zeros.
func resize(x *matrix.Matrix, cols int) *matrix.Matrix {
	w := matrix.New(x.Rows, cols)
	for i := range x.Rows {
		copy(w.Row(i), x.Row(i))
	}
	return w
}

// DecisionValuesGram is DecisionValues for a kernel matrix k (m×n_train,
// k[t][i] = K(x_t, training row i)), as TrainGram models need.
func (m *Model) DecisionValuesGram(dst []float64, k *matrix.Matrix) ([]float64, error) {
	for _, g := range m.SVIndex {
		if g < 0 || g >= k.Cols {
			return nil, fmt.Errorf("svm: kernel matrix has %d columns; the model references training row %d", k.Cols, g)
		}
	}
	dst = grow(dst, k.Rows*m.NDecision())
	bs := m.predictBlock()
	kb := matrix.New(m.NSV(), min(bs, k.Rows))
	for s := 0; s < k.Rows; s += bs {
		e := min(s+bs, k.Rows)
		w := e - s
		kv := &matrix.Matrix{General: kb.General}
		kv.Cols, kv.Stride = w, w
		kv.Data = kb.Data[:m.NSV()*w]
		for v, g := range m.SVIndex {
			row := kv.Data[v*w : (v+1)*w]
			for t := range w {
				row[t] = k.Data[(s+t)*k.Stride+g]
			}
		}
		m.decide(dst[s*m.NDecision():e*m.NDecision()], kv, w)
	}
	return dst, nil
}

// decide computes decision values from kv (nSV×w kernel values).
func (m *Model) decide(dst []float64, kv *matrix.Matrix, w int) {
	nd := m.NDecision()
	acc := make([]float64, w)
	start := m.classStart()
	axpy := func(coef []float64, from, to int) {
		for v := from; v < to; v++ {
			c := coef[v]
			if c == 0 {
				continue
			}
			row := kv.Data[v*w : (v+1)*w]
			for t, kk := range row {
				acc[t] += c * float64(kk)
			}
		}
	}
	if m.OneVsRest {
		for c := range nd {
			clear(acc)
			axpy(m.Coef[c], 0, m.NSV())
			for t := range w {
				dst[t*nd+c] = acc[t] - m.Rho[c]
			}
		}
		return
	}
	nc := len(m.Labels)
	p := 0
	for i := range nc {
		for j := i + 1; j < nc; j++ {
			clear(acc)
			axpy(m.Coef[j-1], start[i], start[i+1])
			axpy(m.Coef[i], start[j], start[j+1])
			for t := range w {
				dst[t*nd+p] = acc[t] - m.Rho[p]
			}
			p++
		}
	}
}

func (m *Model) classStart() []int {
	s := make([]int, len(m.NSVClass)+1)
	for c, n := range m.NSVClass {
		s[c+1] = s[c] + n
	}
	return s
}

// Predict sets dst[t] to the predicted label of row t of x and returns
// dst (allocated when too short). One-vs-one: each pair votes for its class
// i when its decision value is > 0, else for j; most votes win, ties go to
// the class first in label order (LIBSVM's rule). One-vs-rest: the largest
// decision value wins, ties to the first.
func (m *Model) Predict(dst []int, x *matrix.Matrix) ([]int, error) {
	dv, err := m.DecisionValues(nil, x)
	if err != nil {
		return nil, err
	}
	return m.vote(dst, dv, x.Rows), nil
}

// PredictGram is Predict for a kernel matrix k (m×n_train) against the
// training rows, as TrainGram models need.
func (m *Model) PredictGram(dst []int, k *matrix.Matrix) ([]int, error) {
	dv, err := m.DecisionValuesGram(nil, k)
	if err != nil {
		return nil, err
	}
	return m.vote(dst, dv, k.Rows), nil
}

// Vote sets dst[t] to the label that decision values dv (n×NDecision, as
// DecisionValues returns them) predict for sample t, by Predict's rule,
// and returns dst (allocated when too short).
func (m *Model) Vote(dst []int, dv []float64) []int {
	return m.vote(dst, dv, len(dv)/max(m.NDecision(), 1))
}

func (m *Model) vote(dst []int, dv []float64, n int) []int {
	if cap(dst) < n {
		dst = make([]int, n)
	}
	dst = dst[:n]
	nc := len(m.Labels)
	nd := m.NDecision()
	votes := make([]int, nc)
	for t := range n {
		d := dv[t*nd : (t+1)*nd]
		if m.OneVsRest {
			best := 0
			for c := 1; c < nc; c++ {
				if d[c] > d[best] || math.IsNaN(d[best]) {
					best = c
				}
			}
			dst[t] = m.Labels[best]
			continue
		}
		clear(votes)
		p := 0
		for i := range nc {
			for j := i + 1; j < nc; j++ {
				if d[p] > 0 {
					votes[i]++
				} else {
					votes[j]++
				}
				p++
			}
		}
		best := 0
		for c := 1; c < nc; c++ {
			if votes[c] > votes[best] {
				best = c
			}
		}
		dst[t] = m.Labels[best]
	}
	return dst
}

func grow(dst []float64, n int) []float64 {
	if cap(dst) < n {
		return make([]float64, n)
	}
	return dst[:n]
}

// Pair returns the statistics of the binary sub-problem of labels i and j
// (in either order), and false when the model has none.
func (m *Model) Pair(i, j int) (PairStats, bool) {
	for _, st := range m.Pairs {
		if (st.I == i && st.J == j) || (st.I == j && st.J == i) {
			return st, true
		}
	}
	return PairStats{}, false
}

// PairName names sub-problem st as the model's warnings do: "pair 1 vs
// -1" (labels I and J, −1 included), or "class 2 vs rest" in a
// one-vs-rest model.
func (m *Model) PairName(st PairStats) string { return pairName(st, m.OneVsRest) }

// PairAlpha calls set(row, α) for every support vector of the binary
// sub-problem of labels i and j (j = −1: class i against the rest, in a
// one-vs-rest model), with row its training row (as in SVIndex) and α > 0
// its dual variable. It is how one solution seeds the next
// (Params.Start). Labels the model does not have give no calls.
func (m *Model) PairAlpha(i, j int, set func(row int, alpha float64)) {
	ci, cj := -1, -1
	for c, l := range m.Labels {
		if l == i {
			ci = c
		}
		if l == j {
			cj = c
		}
	}
	start := m.classStart()
	emit := func(coef []float64, from, to int) {
		for v := from; v < to; v++ {
			if a := math.Abs(coef[v]); a > 0 {
				set(m.SVIndex[v], a)
			}
		}
	}
	switch {
	case ci < 0:
	case m.OneVsRest:
		if j == -1 {
			emit(m.Coef[ci], 0, m.NSV())
		}
	case cj >= 0 && ci != cj:
		ci, cj = min(ci, cj), max(ci, cj)
		emit(m.Coef[cj-1], start[ci], start[ci+1])
		emit(m.Coef[ci], start[cj], start[cj+1])
	}
}
