package kernels

import (
	"fmt"

	"github.com/svmbench/svmbench/internal/linalg"
	"github.com/svmbench/svmbench/matrix"
)

// Options tune an Engine. The zero value is the default.
type Options struct {
	// Workers is the number of goroutines one call uses, the caller's
	// included; 0 means runtime.GOMAXPROCS(0) at the time of the call.
	Workers int
}

// Validate checks the options; the error names the field.
func (o Options) Validate() error {
	if o.Workers < 0 {
		return fmt.Errorf("kernels: Options.Workers = %d: want ≥ 0 (0 = GOMAXPROCS)", o.Workers)
	}
	return nil
}

// Engine computes kernel values between the rows of one sample matrix X.
// The squared norms ‖x_i‖² are computed once, when the engine is made.
// An Engine is safe for concurrent use: its methods only read X, and each
// call takes its temporary buffers from a pool.
//
// Memory is the caller's: every method writes into a destination the caller
// allocated and sized. The only temporaries are the gather buffers of calls
// with index sets, at most ScratchBytes in all, reused across calls.
type Engine struct {
	k       Kernel
	km      kmap
	x       *matrix.Matrix
	norms   []float64
	workers int
}

// NewEngine validates k and returns an engine over the rows of x with the
// default Options.
func NewEngine(k Kernel, x *matrix.Matrix) (*Engine, error) {
	return NewEngineOptions(k, x, Options{})
}

// NewEngineOptions validates k and o and returns an engine over the rows of x.
func NewEngineOptions(k Kernel, x *matrix.Matrix, o Options) (*Engine, error) {
	if err := Validate(k); err != nil {
		return nil, err
	}
	if err := o.Validate(); err != nil {
		return nil, err
	}
	if x == nil {
		return nil, fmt.Errorf("kernels: NewEngine: no sample matrix")
	}
	return &Engine{k: k, km: newKmap(k), x: x, norms: SquaredNorms(nil, x), workers: o.Workers}, nil
}

// WithKernel returns an engine over the same samples and norms with another
// kernel, without recomputing anything.
func (e *Engine) WithKernel(k Kernel) (*Engine, error) {
	if err := Validate(k); err != nil {
		return nil, err
	}
	return &Engine{k: k, km: newKmap(k), x: e.x, norms: e.norms, workers: e.workers}, nil
}

// Kernel returns the engine's kernel.
func (e *Engine) Kernel() Kernel { return e.k }

// X returns the engine's sample matrix.
func (e *Engine) X() *matrix.Matrix { return e.x }

// N is the number of samples.
func (e *Engine) N() int { return e.x.Rows }

// Norms returns ‖x_i‖² for every row (shared, do not modify).
func (e *Engine) Norms() []float64 { return e.norms }

// Workers is the number of goroutines a call uses now.
func (e *Engine) Workers() int { return workerCount(e.workers) }

// ScratchBytes bounds the temporary memory of one call, in bytes: each of
// Workers() goroutines may hold a gather buffer of tm+tn rows of X (float32)
// and tn float64 norms, where tm×tn is linalg.TileShape() (192×64 in the
// default build, 512×512 with openblas). For 3072-dimensional rows that is
// 3.1 MB a worker (default) or 12.6 MB (openblas). The buffers are pooled and
// reused by later calls. Calls without index sets gather nothing.
func (e *Engine) ScratchBytes() int64 {
	tm, tn := linalg.TileShape()
	return int64(e.Workers()) * (int64(tm+tn)*int64(e.x.Cols)*4 + int64(tn)*8)
}

// Block sets dst[i][j] = K(x_rows[i], x_cols[j]). A nil rows or cols means
// every row 0..n-1; indices may repeat and come in any order. dst must be
// len(rows)×len(cols). When rows and cols select the same rows, only the
// lower triangle is computed and then mirrored, so dst is exactly symmetric.
// Wherever a row meets itself the value is K(x, x) computed from the float64
// norm (an RBF diagonal is exactly 1).
func (e *Engine) Block(dst *matrix.Matrix, rows, cols []int) {
	n := e.x.Rows
	checkIndex("Block rows", rows, n)
	checkIndex("Block cols", cols, n)
	nr, nc := count(rows, n), count(cols, n)
	if dst.Rows != nr || dst.Cols != nc {
		panic(fmt.Sprintf("kernels: Block destination is %d×%d, want %d×%d", dst.Rows, dst.Cols, nr, nc))
	}
	e.block(dst, e.km, rows, cols, e.norms)
}

func (e *Engine) block(dst *matrix.Matrix, km kmap, rows, cols []int, norms []float64) {
	// An index set that selects every row in order needs no gathering.
	if isIdentity(rows, e.x.Rows) {
		rows = nil
	}
	if isIdentity(cols, e.x.Rows) {
		cols = nil
	}
	t := tilesPool.Get().(*tiles)
	t.dst, t.km = dst, km
	t.a = operand{m: e.x, idx: rows, norms: norms}
	t.b = operand{m: e.x, idx: cols, norms: norms}
	t.same = km.isDot()
	t.sym = sameRows(rows, cols, e.x.Rows)
	t.nr, t.nc = t.a.count(), t.b.count()
	t.tm, t.tn = linalg.TileShape()
	nItems := t.plan()
	w := workerCount(e.workers)
	runItems(t, nItems, w, km.isDot() && (rows != nil || cols != nil))
	sym := t.sym
	t.release()
	if sym {
		mirrorLower(dst, w)
	}
}

// Columns sets row j of dst to column idx[j] of the Gram matrix, that is
// K(x_i, x_idx[j]) for every i: what an SMO column cache asks for (the Gram
// matrix is symmetric, so a column is stored as a row). dst must be
// len(idx)×n.
func (e *Engine) Columns(dst *matrix.Matrix, idx []int) { e.Block(dst, idx, nil) }

// Gram sets dst (n×n) to the symmetric Gram matrix K(X, X), computing one
// triangle and mirroring it.
func (e *Engine) Gram(dst *matrix.Matrix) { e.Block(dst, nil, nil) }

// DotGram computes the inner products of the rows selected by rows (nil: all
// rows, in order) as a DotGram, whatever the engine's kernel, reusing the
// engine's norms. The result is len(rows)×len(rows).
func (e *Engine) DotGram(rows []int) *DotGram {
	n := e.x.Rows
	checkIndex("DotGram rows", rows, n)
	m := count(rows, n)
	g := &DotGram{Dot: matrix.New(m, m), Norms: make([]float64, m), Workers: e.workers}
	for i := range g.Norms {
		g.Norms[i] = e.norms[at(rows, i)]
	}
	e.block(g.Dot, newKmap(Linear{}), rows, rows, e.norms)
	return g
}

// Cross sets dst[i][j] = K(a_i, b_j) for the rows of two sample matrices,
// as prediction needs (support vectors × test samples). dst must be
// a.Rows×b.Rows. The squared norms are computed on each call when the kernel
// needs them (RBF, user DotKernels); CrossNorms takes them precomputed.
func Cross(dst *matrix.Matrix, k Kernel, a, b *matrix.Matrix) error {
	var an, bn []float64
	if km := newKmap(k); km.needNorms() {
		an, bn = SquaredNorms(nil, a), SquaredNorms(nil, b)
	}
	return CrossNorms(dst, k, a, b, an, bn)
}

// CrossNorms is Cross with the squared norms of a's and b's rows given
// (see SquaredNorms); they may be nil when the kernel does not read them
// (Sigmoid, Linear, Poly, kernels that are not DotKernels). It splits the
// work over GOMAXPROCS goroutines like the engine and allocates nothing in
// steady state.
func CrossNorms(dst *matrix.Matrix, k Kernel, a, b *matrix.Matrix, an, bn []float64) error {
	if err := Validate(k); err != nil {
		return err
	}
	if a == nil || b == nil {
		return fmt.Errorf("kernels: Cross: no sample matrix")
	}
	if a.Cols != b.Cols {
		return fmt.Errorf("kernels: Cross of %d- and %d-dimensional samples", a.Cols, b.Cols)
	}
	km := newKmap(k)
	if km.needNorms() && (len(an) != a.Rows || len(bn) != b.Rows) {
		return fmt.Errorf("kernels: Cross with %s needs %d and %d norms, have %d and %d",
			k.Name(), a.Rows, b.Rows, len(an), len(bn))
	}
	if dst.Rows != a.Rows || dst.Cols != b.Rows {
		panic(fmt.Sprintf("kernels: Cross destination is %d×%d, want %d×%d", dst.Rows, dst.Cols, a.Rows, b.Rows))
	}
	t := tilesPool.Get().(*tiles)
	t.dst, t.km = dst, km
	t.a = operand{m: a, norms: an}
	t.b = operand{m: b, norms: bn}
	t.same, t.sym = false, false
	t.nr, t.nc = a.Rows, b.Rows
	t.tm, t.tn = linalg.TileShape()
	runItems(t, t.plan(), workerCount(0), false)
	t.release()
	return nil
}

// SquaredNorms sets dst[i] = ‖x_i‖² (accumulated in float64) and returns
// it; dst is allocated when it is too short.
func SquaredNorms(dst []float64, x *matrix.Matrix) []float64 {
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

// isIdentity reports whether idx is 0, 1, ..., n-1.
func isIdentity(idx []int, n int) bool {
	if len(idx) != n || idx == nil {
		return false
	}
	for i, v := range idx {
		if v != i {
			return false
		}
	}
	return true
}

// checkIndex panics when an index is out of range: a programming error,
// like a destination of the wrong shape.
func checkIndex(what string, idx []int, n int) {
	for _, i := range idx {
		if uint(i) >= uint(n) {
			panic(fmt.Sprintf("kernels: %s index %d out of range [0, %d)", what, i, n))
		}
	}
}
