package bench

import (
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/svmbench/svmbench/kernels"
	"github.com/svmbench/svmbench/matrix"
)

// projectedMinEig returns the smallest eigenvalue of K on the subspace
// Σu = 0 (the eigenvalues of PKP, P = I − 11ᵀ/m, less the 0 of the
// direction 1) and the smallest eigenvalue of K itself, from a full
// eigendecomposition: the reference the Cholesky test is checked against.
func projectedMinEig(t *testing.T, g *matrix.Matrix) (cond, plain float64) {
	t.Helper()
	m := g.Rows
	k := mat.NewSymDense(m, nil)
	for a := range m {
		for b := a; b < m; b++ {
			k.SetSym(a, b, float64(g.At(a, b)))
		}
	}
	var e mat.EigenSym
	if !e.Factorize(k, false) {
		t.Fatal("eigendecomposition failed")
	}
	plain = e.Values(nil)[0]
	p := mat.NewDense(m, m, nil)
	for a := range m {
		for b := range m {
			v := -1 / float64(m)
			if a == b {
				v++
			}
			p.Set(a, b, v)
		}
	}
	var pk, pkp mat.Dense
	pk.Mul(p, k)
	pkp.Mul(&pk, p)
	s := mat.NewSymDense(m, nil)
	for a := range m {
		for b := a; b < m; b++ {
			s.SetSym(a, b, (pkp.At(a, b)+pkp.At(b, a))/2)
		}
	}
	if !e.Factorize(s, false) {
		t.Fatal("eigendecomposition failed")
	}
	vals := e.Values(nil)
	// The smallest in absolute value is the direction 1's zero; the
	// smallest of the others decides.
	zero := 0
	for i, v := range vals {
		if math.Abs(v) < math.Abs(vals[zero]) {
			zero = i
		}
	}
	cond = vals[(zero+1)%m]
	if zero != 0 {
		cond = vals[0]
	}
	return cond, plain
}

// TestConvexityConditional checks the pair convexity test against the
// eigenvalues of the kernel matrix on the subspace Σu = 0, where the dual
// of a pair lives (yᵀα = 0): sigmoid kernels whose matrix is not positive
// definite (tanh(c) < 0 adds a negative constant) but conditionally so
// are convex; kernels with a negative eigenvalue on the subspace are not.
func TestConvexityConditional(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	const m, dim = 40, 100
	x := matrix.New(m, dim)
	for i := range x.Data {
		x.Data[i] = r.Float32()
	}
	y := make([]int, m)
	for i := m / 2; i < m; i++ {
		y[i] = 1
	}
	dg := kernels.NewDotGram(x)
	rows := make([]int, m)
	for i := range rows {
		rows[i] = i
	}
	var condOnly, neither int
	for _, k := range []kernels.Sigmoid{{Alpha: 1e-4, Coef0: -1}, {Alpha: 1e-3, Coef0: -2}, {Alpha: 0.01, Coef0: -1},
		{Alpha: 0.01, Coef0: 0}, {Alpha: 0.05, Coef0: 0}, {Alpha: 0.2, Coef0: -1}, {Alpha: 1, Coef0: 0}} {
		g := matrix.New(m, m)
		dg.Gram(g, k, rows, rows)
		cond, plain := projectedMinEig(t, g)
		got := newConvexity(dg, y).convex(k, 0, 1)
		t.Logf("%v: smallest eigenvalue %.3g, on Σu = 0 %.3g; convex %v", k, plain, cond, got)
		if want := cond > 1e-9; got != want && math.Abs(cond) > 1e-6 {
			t.Errorf("%v: convex %v, but the smallest eigenvalue on Σu = 0 is %.3g", k, got, cond)
		}
		switch {
		case cond > 1e-6 && plain < -1e-6:
			condOnly++
		case cond < -1e-6:
			neither++
		}
	}
	if condOnly == 0 || neither == 0 {
		t.Errorf("%d kernels conditionally but not plainly positive definite, %d neither: the cases do not cover both", condOnly, neither)
	}
}
