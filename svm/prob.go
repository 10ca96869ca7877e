package svm

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/svmbench/svmbench/matrix"
)

// ErrNoProbability is returned by PredictProbability for a model trained
// without Params.Probability (a LIBSVM model file without probA/probB).
var ErrNoProbability = errors.New("svm: model has no probability information (train with Params.Probability, svm-train -b 1)")

// probFolds is the number of folds of the internal cross-validation that
// gives the decision values Platt's sigmoid is fitted to (LIBSVM's 5).
const probFolds = 5

// binaryProbability fits Platt's sigmoid P(y=+1|f) = 1/(1+exp(A·f+B)) to
// the decision values of sub-problem sp, each obtained by a model that did
// not see the sample: LIBSVM's svm_binary_svc_probability. The samples are
// shuffled (by rng, where LIBSVM uses rand()) and cut into 5 folds; each
// fold's values come from a C-SVC trained on the other four with the
// sub-problem's Cp and Cn, its +1 class first. A training part with only
// one class gives the fold +1 or −1 (0 when empty), as LIBSVM does.
func binaryProbability(ctx context.Context, src *qSource, sp *subproblem, p Params, rng *rand.Rand, buf *[]float32) (a, b float64, err error) {
	l := len(sp.idx)
	perm := make([]int, l)
	for i := range perm {
		perm[i] = i
	}
	for i := range l {
		j := i + rng.IntN(l-i)
		perm[i], perm[j] = perm[j], perm[i]
	}
	dec := make([]float64, l)
	for f := range probFolds {
		begin, end := f*l/probFolds, (f+1)*l/probFolds
		// The training part, its +1 samples first (LIBSVM's grouping).
		var idx []int
		var y []int8
		for _, sign := range []int8{1, -1} {
			for k, t := range perm {
				if (k < begin || k >= end) && sp.y[t] == sign {
					idx = append(idx, sp.idx[t])
					y = append(y, sign)
				}
			}
		}
		npos := 0
		for _, s := range y {
			if s > 0 {
				npos++
			}
		}
		held := perm[begin:end]
		switch {
		case len(y) == 0 || npos == 0 || npos == len(y):
			v := 0.0
			if len(y) > 0 {
				v = float64(y[0])
			}
			for _, t := range held {
				dec[t] = v
			}
			continue
		}
		q := src.q(idx, y, buf)
		s := newSolver(q, y, sp.cp, sp.cn, p.Tol, !p.NoShrinking, p.maxIter(len(idx)))
		s.solve(ctx)
		if s.ctxErr != nil {
			return 0, 0, s.ctxErr
		}
		var svRows []int
		var coef []float64
		for t, al := range s.alpha {
			if al > 0 {
				svRows = append(svRows, idx[t])
				coef = append(coef, al*float64(y[t]))
			}
		}
		rows := make([]int, len(held))
		for h, t := range held {
			rows[h] = sp.idx[t]
		}
		src.decisions(dec, held, rows, svRows, coef, s.rho)
	}
	a, b = sigmoidTrain(dec, sp.y)
	return a, b, nil
}

// decisions sets dec[held[h]] = Σ_v coef_v K(x_rows[h], x_svRows[v]) − rho,
// computing the kernel values in blocks of rows.
func (s *qSource) decisions(dec []float64, held, rows, svRows []int, coef []float64, rho float64) {
	const blk = 256
	var kb *matrix.Matrix
	for lo := 0; lo < len(rows); lo += blk {
		hi := min(lo+blk, len(rows))
		r := rows[lo:hi]
		if s.k == nil && len(svRows) > 0 {
			if kb == nil || kb.Rows != len(r) {
				kb = matrix.New(len(r), len(svRows))
			}
			s.eng.Block(kb, r, svRows)
		}
		for h, g := range r {
			sum := -rho
			for v, sv := range svRows {
				var kv float32
				if s.k != nil {
					kv = s.k.Data[g*s.k.Stride+sv]
				} else {
					kv = kb.Data[h*kb.Stride+v]
				}
				sum += coef[v] * float64(kv)
			}
			dec[held[lo+h]] = sum
		}
	}
}

// sigmoidTrain fits A, B of Platt's sigmoid to decision values f and
// labels y (±1) by minimising the regularised cross-entropy with Newton's
// method and a backtracking line search, with the improvements of Lin, Lin
// and Weng (2007) that LIBSVM's sigmoid_train implements: targets
// (N₊+1)/(N₊+2) and 1/(N₋+2) instead of 1 and 0, a numerically stable
// objective, and H + σI (σ = 1e-12) for a strictly positive definite
// Hessian. It stops when both gradient components are below 1e-5, after
// 100 iterations, or when the line search cannot decrease the objective.
func sigmoidTrain(f []float64, y []int8) (a, b float64) {
	var prior1, prior0 float64
	for _, s := range y {
		if s > 0 {
			prior1++
		} else {
			prior0++
		}
	}
	const (
		maxIter = 100
		minStep = 1e-10
		sigma   = 1e-12
		eps     = 1e-5
	)
	hiTarget := (prior1 + 1) / (prior1 + 2)
	loTarget := 1 / (prior0 + 2)
	t := make([]float64, len(f))
	for i, s := range y {
		t[i] = loTarget
		if s > 0 {
			t[i] = hiTarget
		}
	}
	obj := func(a, b float64) float64 {
		var v float64
		for i, fi := range f {
			fApB := fi*a + b
			if fApB >= 0 {
				v += t[i]*fApB + math.Log1p(math.Exp(-fApB))
			} else {
				v += (t[i]-1)*fApB + math.Log1p(math.Exp(fApB))
			}
		}
		return v
	}
	a, b = 0, math.Log((prior0+1)/(prior1+1))
	fval := obj(a, b)
	for range maxIter {
		h11, h22, h21, g1, g2 := sigma, sigma, 0.0, 0.0, 0.0
		for i, fi := range f {
			fApB := fi*a + b
			var p, q float64
			if fApB >= 0 {
				e := math.Exp(-fApB)
				p, q = e/(1+e), 1/(1+e)
			} else {
				e := math.Exp(fApB)
				p, q = 1/(1+e), e/(1+e)
			}
			d2 := p * q
			h11 += fi * fi * d2
			h22 += d2
			h21 += fi * d2
			d1 := t[i] - p
			g1 += fi * d1
			g2 += d1
		}
		if math.Abs(g1) < eps && math.Abs(g2) < eps {
			break
		}
		det := h11*h22 - h21*h21
		dA := -(h22*g1 - h21*g2) / det
		dB := -(-h21*g1 + h11*g2) / det
		gd := g1*dA + g2*dB
		step := 1.0
		for step >= minStep {
			na, nb := a+step*dA, b+step*dB
			if nf := obj(na, nb); nf < fval+1e-4*step*gd {
				a, b, fval = na, nb, nf
				break
			}
			step /= 2
		}
		if step < minStep {
			break // the line search failed: keep the last point
		}
	}
	return a, b
}

// sigmoidPredict is 1/(1+exp(f·A+B)), computed without overflow.
func sigmoidPredict(f, a, b float64) float64 {
	fApB := f*a + b
	if fApB >= 0 {
		e := math.Exp(-fApB)
		return e / (1 + e)
	}
	return 1 / (1 + math.Exp(fApB))
}

// multiclassProbability couples the pairwise probabilities r (r[i][j] =
// P(class i | class i or j), r[j][i] = 1 − r[i][j]) into class
// probabilities p (len k), by the second method of Wu, Lin and Weng,
// "Probability estimates for multi-class classification by pairwise
// coupling", JMLR 2004, as LIBSVM's multiclass_probability: minimise
// ½pᵀQp subject to Σp = 1 by coordinate steps, stopping when
// max_t |(Qp)_t − pᵀQp| < 0.005/k or after max(100, k) sweeps. qp is
// scratch of k·k + k values.
func multiclassProbability(p []float64, r [][]float64, qp []float64) {
	k := len(p)
	q, qpv := qp[:k*k], qp[k*k:k*k+k]
	for t := range k {
		p[t] = 1 / float64(k)
		q[t*k+t] = 0
		for j := range t {
			q[t*k+t] += r[j][t] * r[j][t]
			q[t*k+j] = q[j*k+t]
		}
		for j := t + 1; j < k; j++ {
			q[t*k+t] += r[j][t] * r[j][t]
			q[t*k+j] = -r[j][t] * r[t][j]
		}
	}
	eps := 0.005 / float64(k)
	for range max(100, k) {
		var pQp float64
		for t := range k {
			qpv[t] = 0
			for j := range k {
				qpv[t] += q[t*k+j] * p[j]
			}
			pQp += p[t] * qpv[t]
		}
		maxErr := 0.0
		for t := range k {
			maxErr = max(maxErr, math.Abs(qpv[t]-pQp))
		}
		if maxErr < eps {
			break
		}
		for t := range k {
			diff := (-qpv[t] + pQp) / q[t*k+t]
			p[t] += diff
			pQp = (pQp + diff*(diff*q[t*k+t]+2*qpv[t])) / (1 + diff) / (1 + diff)
			for j := range k {
				qpv[j] = (qpv[j] + diff*q[t*k+j]) / (1 + diff)
				p[j] /= 1 + diff
			}
		}
	}
}

// HasProbability reports whether the model holds a probability model
// (ProbA and ProbB, one per pair).
func (m *Model) HasProbability() bool {
	n := len(m.Labels) * (len(m.Labels) - 1) / 2
	return !m.OneVsRest && n > 0 && len(m.ProbA) == n && len(m.ProbB) == n
}

// PredictProbability returns, for every row of x, the probability of each
// class (row-major, x.Rows × len(Labels), classes in Labels order) and the
// most probable label, as LIBSVM's svm_predict_probability: each pair's
// decision value f gives r_ij = 1/(1+exp(A·f+B)) clipped to [1e-7, 1−1e-7];
// two classes take (r_01, r_10), more are coupled by
// multiclassProbability. Ties go to the class first in label order. The
// most probable label can differ from Predict's vote.
func (m *Model) PredictProbability(x *matrix.Matrix) (pred []int, prob []float64, err error) {
	if !m.HasProbability() {
		return nil, nil, ErrNoProbability
	}
	dv, err := m.DecisionValues(nil, x)
	if err != nil {
		return nil, nil, err
	}
	pred, prob = m.VoteProbability(dv)
	return pred, prob, nil
}

// VoteProbability is PredictProbability from decision values dv
// (n×NDecision, as DecisionValues or DecisionValuesGram return them): the
// most probable label of each sample and the class probabilities. The
// model must have a probability model (HasProbability).
func (m *Model) VoteProbability(dv []float64) (pred []int, prob []float64) {
	if !m.HasProbability() {
		panic("svm: VoteProbability of a model without a probability model")
	}
	nc, nd := len(m.Labels), m.NDecision()
	n := len(dv) / nd
	pred = make([]int, n)
	prob = make([]float64, n*nc)
	r := make([][]float64, nc)
	for i := range r {
		r[i] = make([]float64, nc)
	}
	scratch := make([]float64, nc*nc+nc)
	const minProb = 1e-7
	for t := range n {
		d := dv[t*nd : (t+1)*nd]
		k := 0
		for i := range nc {
			for j := i + 1; j < nc; j++ {
				r[i][j] = min(max(sigmoidPredict(d[k], m.ProbA[k], m.ProbB[k]), minProb), 1-minProb)
				r[j][i] = 1 - r[i][j]
				k++
			}
		}
		pt := prob[t*nc : (t+1)*nc]
		if nc == 2 {
			pt[0], pt[1] = r[0][1], r[1][0]
		} else {
			multiclassProbability(pt, r, scratch)
		}
		best := 0
		for c := 1; c < nc; c++ {
			if pt[c] > pt[best] {
				best = c
			}
		}
		pred[t] = m.Labels[best]
	}
	return pred, prob
}

// fitProbability fits ProbA, ProbB of every one-vs-one sub-problem.
func fitProbability(ctx context.Context, src *qSource, subs []*subproblem, p Params) (probA, probB []float64, err error) {
	probA = make([]float64, len(subs))
	probB = make([]float64, len(subs))
	errs := make([]error, len(subs))
	jobs := make(chan int)
	done := make(chan struct{})
	workers := max(1, min(p.Workers, len(subs)))
	for range workers {
		go func() {
			defer func() { done <- struct{}{} }()
			var buf []float32
			for k := range jobs {
				rng := rand.New(rand.NewPCG(p.Seed, uint64(k)))
				probA[k], probB[k], errs[k] = binaryProbability(ctx, src, subs[k], p, rng, &buf)
			}
		}()
	}
	for k := range subs {
		jobs <- k
	}
	close(jobs)
	for range workers {
		<-done
	}
	for _, e := range errs {
		if e != nil {
			return nil, nil, fmt.Errorf("svm: probability model: %w", e)
		}
	}
	return probA, probB, nil
}
