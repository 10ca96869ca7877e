package bench

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"sync"

	"gonum.org/v1/gonum/floats"
	"gonum.org/v1/gonum/mat"

	"github.com/svmbench/svmbench/kernels"
	"github.com/svmbench/svmbench/matrix"
)

// psdCache computes the smallest eigenvalues of a kernel's Gram matrix on
// a fixed seeded sample of training rows, from the sample's inner
// products, once per kernel (cells that differ only in C share them).
type psdCache struct {
	dg     *kernels.DotGram // of the sample
	sample []int
	vals   onceMap[kernels.DotKernel, psdValue]
}

// psdValue is a kernel's minimum eigenvalue on the sample, plain and on
// the subspace Σu = 0, or why it has none.
type psdValue struct {
	plain, zeroSum float64
	err            error
}

// sharedPSD returns, with cfg.PSD, a function that makes the psdCache of
// the rows x on its first call and returns it on every call, for the
// runCellsOn calls on those rows to share (sharedRows); nil without.
func sharedPSD(cfg *GridConfig, x *matrix.Matrix) func() *psdCache {
	if !cfg.PSD {
		return nil
	}
	size, seed := cfg.PSDSample, cfg.Seed
	return sync.OnceValue(func() *psdCache { return newPSDCache(x, size, seed) })
}

func newPSDCache(x *matrix.Matrix, size int, seed uint64) *psdCache {
	n := x.Rows
	rng := rand.New(rand.NewPCG(seed, 0x707364)) // "psd"
	s := rng.Perm(n)[:min(size, n)]
	slices.Sort(s)
	return &psdCache{dg: kernels.NewDotGram(x.Gather(s)), sample: s}
}

// minEigen returns the smallest eigenvalue of k's Gram matrix on the
// sample (smallestEigen) and the smallest on Σu = 0 (minEigenZeroSumSym).
func (p *psdCache) minEigen(k kernels.DotKernel) (plain, zeroSum float64, err error) {
	e := p.vals.get(k, func() psdValue {
		m := len(p.sample)
		g := matrix.New(m, m)
		p.dg.Gram(g, k, nil, nil)
		s := symOf(g)
		plain, err := smallestEigen(s)
		if err != nil {
			return psdValue{err: err}
		}
		zeroSum, err := minEigenZeroSumSym(s)
		return psdValue{plain, zeroSum, err}
	})
	return e.plain, e.zeroSum, e.err
}

// symOf returns g in float64, symmetrised: the two triangles of a float32
// Gram matrix may differ by rounding.
func symOf(g *matrix.Matrix) *mat.SymDense {
	m := g.Rows
	s := mat.NewSymDense(m, nil)
	for i := 0; i < m; i++ {
		r := g.Row(i)
		for j := i; j < m; j++ {
			s.SetSym(i, j, (float64(r[j])+g.At(j, i))/2)
		}
	}
	return s
}

// minEigenZeroSumSym returns the smallest eigenvalue of the symmetric
// matrix s on the subspace Σu = 0: min uᵀSu over unit vectors u with
// Σu = 0, the smallest eigenvalue of PSP (P = I − 11ᵀ/m) restricted to
// that subspace. It is ≥ 0 exactly when s is conditionally positive
// semi-definite, which is what decides whether the SVM's dual is convex
// (see warm.go), and a constant added to every entry of s does not
// change it. The Householder
// reflection H = I − τvvᵀ, v = 1/√m + e₀, maps 1/√m to −e₀, so the
// columns 1..m−1 of H are an orthonormal basis of Σu = 0 and the
// trailing (m−1)×(m−1) block of HSH is S restricted to it:
// (HSH)_ij = S_ij − τ(v_i p_j + p_i v_j) + τ²β v_i v_j with p = Sv,
// β = vᵀSv.
func minEigenZeroSumSym(s *mat.SymDense) (float64, error) {
	m := s.SymmetricDim()
	if m < 2 {
		return 0, fmt.Errorf("bench: the eigenvalues on Σu = 0 need at least 2 rows, have %d", m)
	}
	v := make([]float64, m)
	for i := range v {
		v[i] = 1 / math.Sqrt(float64(m))
	}
	v[0]++
	tau := 2 / floats.Dot(v, v)
	p := mat.NewVecDense(m, nil)
	p.MulVec(s, mat.NewVecDense(m, v))
	beta := mat.Dot(p, mat.NewVecDense(m, v))
	r := mat.NewSymDense(m-1, nil)
	for i := 1; i < m; i++ {
		for j := i; j < m; j++ {
			h := s.At(i, j) - tau*(v[i]*p.AtVec(j)+p.AtVec(i)*v[j]) + tau*tau*beta*v[i]*v[j]
			r.SetSym(i-1, j-1, h)
		}
	}
	return smallestEigen(r)
}

// smallestEigen returns the smallest eigenvalue of s (float64
// arithmetic, LAPACK's dsyev through gonum).
func smallestEigen(s *mat.SymDense) (float64, error) {
	m := s.SymmetricDim()
	var es mat.EigenSym
	if !es.Factorize(s, false) {
		return 0, fmt.Errorf("bench: the eigenvalue decomposition of a %d×%d kernel sample did not converge", m, m)
	}
	return es.Values(nil)[0], nil
}
