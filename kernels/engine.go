package kernels

import (
	"fmt"
	"runtime"
	"sync"

	"github.com/svmbench/svmbench/internal/linalg"
)

// Engine computes kernel values between the rows of one sample matrix X.
// The squared norms ‖x_i‖² are computed once, when the engine is made.
// An Engine is safe for concurrent use: its methods only read X.
//
// Memory is the caller's: every method writes into a destination the caller
// allocated and sized, so a caller that budgets its destinations budgets the
// engine.
type Engine struct {
	k     Kernel
	x     *linalg.Matrix
	norms []float64
}

// NewEngine validates k and returns an engine over the rows of x.
func NewEngine(k Kernel, x *linalg.Matrix) (*Engine, error) {
	if err := Validate(k); err != nil {
		return nil, err
	}
	return &Engine{k: k, x: x, norms: SquaredNorms(nil, x)}, nil
}

// Kernel returns the engine's kernel.
func (e *Engine) Kernel() Kernel { return e.k }

// X returns the engine's sample matrix.
func (e *Engine) X() *linalg.Matrix { return e.x }

// N is the number of samples.
func (e *Engine) N() int { return e.x.Rows }

// Norms returns ‖x_i‖² for every row (shared, do not modify).
func (e *Engine) Norms() []float64 { return e.norms }

// Block sets dst[i][j] = K(x_rows[i], x_cols[j]). A nil rows or cols means
// every row 0..n-1. dst must be len(rows)×len(cols).
func (e *Engine) Block(dst *linalg.Matrix, rows, cols []int) {
	nr, nc := count(rows, e.x.Rows), count(cols, e.x.Rows)
	if dst.Rows != nr || dst.Cols != nc {
		panic(fmt.Sprintf("kernels: Block destination is %d×%d, want %d×%d", dst.Rows, dst.Cols, nr, nc))
	}
	parallelRows(nr, func(i int) {
		ri := at(rows, i)
		xi := e.x.Row(ri)
		out := dst.Row(i)
		for j := range out {
			cj := at(cols, j)
			out[j] = float32(e.eval(xi, ri, cj))
		}
	})
}

// Columns sets row j of dst to column idx[j] of the Gram matrix, that is
// K(x_i, x_idx[j]) for every i: what an SMO column cache asks for.
// dst must be len(idx)×n.
func (e *Engine) Columns(dst *linalg.Matrix, idx []int) { e.Block(dst, idx, nil) }

// Gram sets dst (n×n) to the symmetric Gram matrix K(X, X).
func (e *Engine) Gram(dst *linalg.Matrix) { e.Block(dst, nil, nil) }

func (e *Engine) eval(xi []float32, i, j int) float64 {
	if dk, ok := e.k.(DotKernel); ok {
		return dk.FromDot(dot64(xi, e.x.Row(j)), e.norms[i], e.norms[j])
	}
	return e.k.Eval(xi, e.x.Row(j))
}

// Cross sets dst[i][j] = K(a_i, b_j) for the rows of two sample matrices,
// as prediction needs (support vectors × test samples). dst must be
// a.Rows×b.Rows.
func Cross(dst *linalg.Matrix, k Kernel, a, b *linalg.Matrix) error {
	if err := Validate(k); err != nil {
		return err
	}
	if a.Cols != b.Cols {
		return fmt.Errorf("kernels: Cross of %d- and %d-dimensional samples", a.Cols, b.Cols)
	}
	if dst.Rows != a.Rows || dst.Cols != b.Rows {
		panic(fmt.Sprintf("kernels: Cross destination is %d×%d, want %d×%d", dst.Rows, dst.Cols, a.Rows, b.Rows))
	}
	parallelRows(a.Rows, func(i int) {
		out := dst.Row(i)
		for j := range out {
			out[j] = float32(k.Eval(a.Row(i), b.Row(j)))
		}
	})
	return nil
}

// SquaredNorms sets dst[i] = ‖x_i‖² (accumulated in float64) and returns
// it; dst is allocated when it is too short.
func SquaredNorms(dst []float64, x *linalg.Matrix) []float64 {
	if cap(dst) < x.Rows {
		dst = make([]float64, x.Rows)
	}
	dst = dst[:x.Rows]
	for i := range dst {
		r := x.Row(i)
		dst[i] = dot64(r, r)
	}
	return dst
}

// DotGram holds the inner products ⟨x_i, x_j⟩ of a sample set and the squared
// norms ‖x_i‖². It is computed once; the Gram matrix of any DotKernel, with
// any parameters, on any subset of rows and columns (a cross-validation
// fold, a validation block), is then an elementwise pass over it, with no
// further matrix product. A grid search over α × c (or γ) and k folds costs
// one matrix product in total.
type DotGram struct {
	// Dot is the n×n symmetric matrix of inner products (both triangles).
	Dot *linalg.Matrix
	// Norms holds ‖x_i‖², equal to the diagonal of Dot up to rounding but
	// accumulated in float64.
	Norms []float64
}

// NewDotGram computes the inner products of the rows of x.
func NewDotGram(x *linalg.Matrix) *DotGram {
	g := &DotGram{Dot: linalg.New(x.Rows, x.Rows), Norms: SquaredNorms(nil, x)}
	parallelRows(x.Rows, func(i int) {
		out := g.Dot.Row(i)
		for j := range out {
			out[j] = float32(dot64(x.Row(i), x.Row(j)))
		}
	})
	return g
}

// N is the number of samples.
func (g *DotGram) N() int { return len(g.Norms) }

// Gram sets dst[i][j] = K(x_rows[i], x_cols[j]) for the dot-product kernel k,
// from the stored inner products. A nil rows or cols means every row. dst
// must be len(rows)×len(cols); with rows and cols both nil, dst may be g.Dot
// itself (the map is then done in place and the inner products are lost).
func (g *DotGram) Gram(dst *linalg.Matrix, k DotKernel, rows, cols []int) {
	n := g.N()
	nr, nc := count(rows, n), count(cols, n)
	if dst.Rows != nr || dst.Cols != nc {
		panic(fmt.Sprintf("kernels: DotGram.Gram destination is %d×%d, want %d×%d", dst.Rows, dst.Cols, nr, nc))
	}
	parallelRows(nr, func(i int) {
		ri := at(rows, i)
		src := g.Dot.Row(ri)
		out := dst.Row(i)
		for j := range out {
			cj := at(cols, j)
			out[j] = float32(k.FromDot(float64(src[cj]), g.Norms[ri], g.Norms[cj]))
		}
	})
}

func count(idx []int, n int) int {
	if idx == nil {
		return n
	}
	return len(idx)
}

func at(idx []int, i int) int {
	if idx == nil {
		return i
	}
	return idx[i]
}

// parallelRows calls f(i) for i in [0, n), split over GOMAXPROCS goroutines.
func parallelRows(n int, f func(i int)) {
	w := runtime.GOMAXPROCS(0)
	if w > n {
		w = n
	}
	if w <= 1 {
		for i := 0; i < n; i++ {
			f(i)
		}
		return
	}
	var wg sync.WaitGroup
	chunk := (n + w - 1) / w
	for s := 0; s < n; s += chunk {
		e := min(s+chunk, n)
		wg.Add(1)
		go func(s, e int) {
			defer wg.Done()
			for i := s; i < e; i++ {
				f(i)
			}
		}(s, e)
	}
	wg.Wait()
}
