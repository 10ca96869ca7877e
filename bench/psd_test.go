package bench

import (
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/svmbench/svmbench/kernels"
	"github.com/svmbench/svmbench/matrix"
)

// minEigenSym returns the smallest eigenvalue of the symmetric matrix g
// (float64 arithmetic, LAPACK's dsyev through gonum), as psdCache does.
func minEigenSym(g *matrix.Matrix) (float64, error) {
	return smallestEigen(symOf(g))
}

// minEigenZeroSum is minEigenZeroSumSym on g, as psdCache computes it.
func minEigenZeroSum(g *matrix.Matrix) (float64, error) {
	return minEigenZeroSumSym(symOf(g))
}

// zeroSumDirect computes the smallest eigenvalue of g on Σu = 0 another
// way: PGP (P = I − 11ᵀ/m) has the eigenvalues of g on that subspace and a
// 0 for the vector 1; adding L·11ᵀ/m moves that one to L, above the rest.
func zeroSumDirect(g *matrix.Matrix) float64 {
	m := g.Rows
	k := mat.NewDense(m, m, nil)
	for i := range m {
		for j := range m {
			k.Set(i, j, (g.At(i, j)+g.At(j, i))/2)
		}
	}
	p := mat.NewDense(m, m, nil)
	for i := range m {
		for j := range m {
			p.Set(i, j, -1/float64(m))
		}
		p.Set(i, i, 1-1/float64(m))
	}
	var pk, pkp mat.Dense
	pk.Mul(p, k)
	pkp.Mul(&pk, p)
	L := 1 + 10*mat.Norm(k, 1)
	s := mat.NewSymDense(m, nil)
	for i := range m {
		for j := i; j < m; j++ {
			s.SetSym(i, j, (pkp.At(i, j)+pkp.At(j, i))/2+L/float64(m))
		}
	}
	var es mat.EigenSym
	if !es.Factorize(s, false) {
		panic("no convergence")
	}
	return es.Values(nil)[0]
}

func randomSym(m int, seed uint64) *matrix.Matrix {
	rng := rand.New(rand.NewPCG(seed, 2))
	g := matrix.New(m, m)
	for i := range m {
		for j := i; j < m; j++ {
			v := float32(rng.NormFloat64())
			g.Set(i, j, v)
			g.Set(j, i, v)
		}
	}
	return g
}

func TestMinEigenZeroSum(t *testing.T) {
	// 2×2: the subspace is u = (1, −1)/√2, so the value is (a + d − 2b)/2.
	g := matrix.New(2, 2)
	g.Set(0, 0, 3)
	g.Set(1, 1, 1)
	g.Set(0, 1, 2)
	g.Set(1, 0, 2)
	if v, err := minEigenZeroSum(g); err != nil || math.Abs(v-0) > 1e-12 {
		t.Errorf("2×2 [[3 2] [2 1]]: %g, %v; want 0", v, err)
	}
	g.Set(0, 1, -1)
	g.Set(1, 0, -1)
	if v, _ := minEigenZeroSum(g); math.Abs(v-3) > 1e-12 {
		t.Errorf("2×2 [[3 -1] [-1 1]]: %g, want 3", v)
	}
	for _, m := range []int{3, 7, 20} {
		g := randomSym(m, uint64(m))
		v, err := minEigenZeroSum(g)
		if err != nil {
			t.Fatal(err)
		}
		if d := zeroSumDirect(g); math.Abs(v-d) > 1e-9*math.Max(1, math.Abs(d)) {
			t.Errorf("m=%d: %g, direct %g", m, v, d)
		}
		// A constant added to every entry changes nothing on Σu = 0,
		// and does change the plain smallest eigenvalue.
		plain, _ := minEigenSym(g)
		for i := range m {
			for j := range m {
				g.Set(i, j, float32(g.At(i, j)+5))
			}
		}
		shifted, _ := minEigenZeroSum(g)
		plain5, _ := minEigenSym(g)
		if math.Abs(shifted-v) > 1e-5*math.Max(1, math.Abs(v)) {
			t.Errorf("m=%d: K+5 gives %g, K %g", m, shifted, v)
		}
		if math.Abs(plain5-plain) < 1e-3 {
			t.Errorf("m=%d: the plain λmin did not move with K+5 (%g, %g): the test does not test", m, plain, plain5)
		}
	}
	if _, err := minEigenZeroSum(matrix.New(1, 1)); err == nil {
		t.Error("1×1: no error")
	}
}

// The sigmoid kernel tanh(α⟨x,y⟩ + c) with c = −1 and small α is about
// tanh(−1)·11ᵀ plus a kernel with positive coefficients: conditionally
// positive definite, far from positive definite.
func TestMinEigenZeroSumSigmoidCPD(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 3))
	const m, d = 5, 6 // m ≤ d: the inner products are positive definite
	x := matrix.New(m, d)
	for i := range m {
		for j := range d {
			x.Set(i, j, float32(rng.NormFloat64()))
		}
	}
	k := kernels.Sigmoid{Alpha: 0.01, Coef0: -1}
	g := matrix.New(m, m)
	for i := range m {
		for j := range m {
			g.Set(i, j, float32(k.Eval(x.Row(i), x.Row(j))))
		}
	}
	plain, _ := minEigenSym(g)
	zs, err := minEigenZeroSum(g)
	if err != nil {
		t.Fatal(err)
	}
	if plain >= 0 || zs <= 0 {
		t.Errorf("sigmoid α=0.01 c=-1: λmin %g (want < 0), on Σu=0 %g (want > 0)", plain, zs)
	}
	if dv := zeroSumDirect(g); math.Abs(zs-dv) > 1e-6 {
		t.Errorf("on Σu=0 %g, direct %g", zs, dv)
	}
}
