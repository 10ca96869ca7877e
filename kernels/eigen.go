package kernels

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"runtime"
	"slices"
	"sync"

	"github.com/svmbench/svmbench/matrix"
	"gonum.org/v1/gonum/mat"
)

// DefaultEigenSample is the number of rows MinEigen samples when asked for
// 0: a 1000×1000 eigenvalue problem, about a second with gonum's EigenSym.
const DefaultEigenSample = 1000

// Spectrum is the extent of the eigenvalues of a kernel's Gram matrix on a
// sample of rows.
type Spectrum struct {
	Min, Max float64 // smallest and largest eigenvalue
	Rows     int     // the sample size (rows of the Gram matrix)
}

// PSD reports whether the Gram matrix is positive semi-definite to within
// the relative tolerance tol: Min ≥ −tol·max(|Max|, |Min|). With the float64
// Gram matrix MinEigen builds, rounding alone gives |Min| well below
// 1e-10·Max; tol = 1e-6 leaves room for kernels that are only PSD in exact
// arithmetic.
func (s Spectrum) PSD(tol float64) bool {
	return s.Min >= -tol*max(s.Max, -s.Min)
}

// ErrEigen is returned when the symmetric eigenvalue decomposition fails.
var ErrEigen = errors.New("kernels: eigenvalue decomposition did not converge")

// MinEigen returns the smallest eigenvalue of the Gram matrix of k on a
// sample of the rows of x: sample rows (0 means DefaultEigenSample) drawn
// without replacement by rng, or all rows when there are no more than
// sample. rng may be nil only then. The Gram matrix is built in float64
// (inner products by gonum's Dgemm, then FromDot, or Eval for kernels that
// are not DotKernels) and decomposed by gonum's mat.EigenSym. A negative
// value well below −1e-6·(largest eigenvalue) means k is not PSD on this
// data; see Sigmoid for where that happens. Use Eigen for both ends of the
// spectrum.
func MinEigen(k Kernel, x *matrix.Matrix, sample int, rng *rand.Rand) (float64, error) {
	s, err := Eigen(k, x, sample, rng)
	return s.Min, err
}

// Eigen is MinEigen returning the smallest and the largest eigenvalue, so
// that callers can judge the smallest on the scale of the matrix.
func Eigen(k Kernel, x *matrix.Matrix, sample int, rng *rand.Rand) (Spectrum, error) {
	if err := Validate(k); err != nil {
		return Spectrum{}, err
	}
	if x == nil || x.Rows == 0 {
		return Spectrum{}, fmt.Errorf("kernels: MinEigen: no samples")
	}
	if sample < 0 {
		return Spectrum{}, fmt.Errorf("kernels: MinEigen sample = %d: want ≥ 0 (0 = %d)", sample, DefaultEigenSample)
	}
	if sample == 0 {
		sample = DefaultEigenSample
	}
	n := x.Rows
	var idx []int
	if sample < n {
		if rng == nil {
			return Spectrum{}, fmt.Errorf("kernels: MinEigen: sampling %d of %d rows needs a *rand.Rand", sample, n)
		}
		idx = rng.Perm(n)[:sample]
		slices.Sort(idx)
	} else {
		idx = make([]int, n)
		for i := range idx {
			idx[i] = i
		}
	}
	g := gram64(k, x, idx)
	var es mat.EigenSym
	if !es.Factorize(g, false) {
		return Spectrum{}, ErrEigen
	}
	vals := es.Values(nil)
	s := Spectrum{Min: vals[0], Max: vals[0], Rows: len(idx)}
	for _, v := range vals {
		s.Min, s.Max = min(s.Min, v), max(s.Max, v)
	}
	return s, nil
}

// gram64 is the float64 Gram matrix of k on rows idx of x.
func gram64(k Kernel, x *matrix.Matrix, idx []int) *mat.SymDense {
	m, d := len(idx), x.Cols
	out := make([]float64, m*m)
	dk, isDot := k.(DotKernel)
	if isDot && d > 0 {
		xs := mat.NewDense(m, d, nil)
		for i, r := range idx {
			row := xs.RawRowView(i)
			for j, v := range x.Row(r) {
				row[j] = float64(v)
			}
		}
		dots := mat.NewDense(m, m, out)
		dots.Mul(xs, xs.T())
	}
	norms := make([]float64, m)
	for i, r := range idx {
		norms[i] = dot64(x.Row(r), x.Row(r))
	}
	// The upper triangle, rows split over goroutines (row i has m−i entries,
	// so rows are dealt round-robin).
	w := min(runtime.GOMAXPROCS(0), m)
	var wg sync.WaitGroup
	for p := 0; p < w; p++ {
		wg.Add(1)
		go func(p int) {
			defer wg.Done()
			for i := p; i < m; i += w {
				row := out[i*m : (i+1)*m]
				if isDot {
					for j := i; j < m; j++ {
						dot := row[j]
						if j == i {
							dot = norms[i]
						}
						row[j] = dk.FromDot(dot, norms[i], norms[j])
					}
					continue
				}
				xi := x.Row(idx[i])
				for j := i; j < m; j++ {
					row[j] = k.Eval(xi, x.Row(idx[j]))
				}
			}
		}(p)
	}
	wg.Wait()
	return mat.NewSymDense(m, out)
}
