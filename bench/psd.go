package bench

import (
	"fmt"
	"math/rand/v2"
	"slices"

	"gonum.org/v1/gonum/mat"

	"github.com/svmbench/svmbench/kernels"
	"github.com/svmbench/svmbench/matrix"
)

// psdCache computes the smallest eigenvalue of a kernel's Gram matrix on
// a fixed seeded sample of training rows, from the sample's inner
// products, once per kernel (cells that differ only in C share it).
type psdCache struct {
	dg     *kernels.DotGram // of the sample
	sample []int
	vals   onceMap[kernels.DotKernel, psdValue]
}

// psdValue is a kernel's minimum eigenvalue on the sample, or why it has
// none.
type psdValue struct {
	v   float64
	err error
}

func newPSDCache(x *matrix.Matrix, size int, seed uint64) *psdCache {
	n := x.Rows
	rng := rand.New(rand.NewPCG(seed, 0x707364)) // "psd"
	s := rng.Perm(n)[:min(size, n)]
	slices.Sort(s)
	return &psdCache{dg: kernels.NewDotGram(x.Gather(s)), sample: s}
}

func (p *psdCache) minEigen(k kernels.DotKernel) (float64, error) {
	e := p.vals.get(k, func() psdValue {
		m := len(p.sample)
		g := matrix.New(m, m)
		p.dg.Gram(g, k, nil, nil)
		v, err := minEigenSym(g)
		return psdValue{v, err}
	})
	return e.v, e.err
}

// minEigenSym returns the smallest eigenvalue of the symmetric matrix g
// (float64 arithmetic, LAPACK's dsyev through gonum).
func minEigenSym(g *matrix.Matrix) (float64, error) {
	m := g.Rows
	s := mat.NewSymDense(m, nil)
	for i := 0; i < m; i++ {
		r := g.Row(i)
		for j := i; j < m; j++ {
			// Symmetrise: the two triangles may differ by float32 rounding.
			s.SetSym(i, j, (float64(r[j])+g.At(j, i))/2)
		}
	}
	var es mat.EigenSym
	if !es.Factorize(s, false) {
		return 0, fmt.Errorf("bench: the eigenvalue decomposition of a %d×%d kernel sample did not converge", m, m)
	}
	return es.Values(nil)[0], nil
}
