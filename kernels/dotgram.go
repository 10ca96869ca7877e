package kernels

import (
	"fmt"
	"sync"

	"github.com/svmbench/svmbench/matrix"
)

// DotGram holds the inner products ⟨x_i, x_j⟩ of a sample set and the squared
// norms ‖x_i‖². It is computed once; the Gram matrix of any DotKernel, with
// any parameters, on any subset of rows and columns (a cross-validation
// fold, a validation block), is then an elementwise pass over it, with no
// further matrix product. A grid search over α × c (or γ) and k folds costs
// one matrix product in total.
//
// Its memory is the n×n float32 matrix Dot (4·n² bytes: 100 MB for 5000
// samples, 10 GB for 50000); Gram needs no temporaries and may be called
// from several goroutines at once with different destinations.
type DotGram struct {
	// Dot is the n×n symmetric matrix of inner products (both triangles);
	// its diagonal is Norms rounded to float32.
	Dot *matrix.Matrix
	// Norms holds ‖x_i‖², accumulated in float64.
	Norms []float64
	// Workers is the number of goroutines Gram uses; 0 means GOMAXPROCS.
	Workers int
}

// NewDotGram computes the inner products of the rows of x: one float32
// matrix product over GOMAXPROCS goroutines, one triangle mirrored. Use
// Engine.DotGram for a subset of rows or other Options.
func NewDotGram(x *matrix.Matrix) *DotGram {
	e := &Engine{k: Linear{}, km: newKmap(Linear{}), x: x, norms: SquaredNorms(nil, x)}
	return e.DotGram(nil)
}

// N is the number of samples.
func (g *DotGram) N() int { return len(g.Norms) }

// Gram sets dst[i][j] = K(x_rows[i], x_cols[j]) for the dot-product kernel k,
// from the stored inner products. A nil rows or cols means every row;
// indices may repeat and come in any order. dst must be len(rows)×len(cols).
// With rows and cols both nil, dst may be g.Dot itself: the map is then done
// in place and the inner products are lost. k must pass Validate (validate
// user input once, up front); Gram panics with Validate's error otherwise.
//
// The values are those of an Engine with the same kernel on the same rows:
// the same map from the same kind of float32 inner products, with K(x, x)
// from the float64 norm where a row meets itself. For all rows (rows and
// cols nil) they are bit for bit the same; for index sets the engine sums
// gathered copies of the rows, which can change the last bit of an inner
// product.
func (g *DotGram) Gram(dst *matrix.Matrix, k DotKernel, rows, cols []int) {
	if err := Validate(k); err != nil {
		panic(err.Error())
	}
	n := g.N()
	checkIndex("DotGram.Gram rows", rows, n)
	checkIndex("DotGram.Gram cols", cols, n)
	nr, nc := count(rows, n), count(cols, n)
	if dst.Rows != nr || dst.Cols != nc {
		panic(fmt.Sprintf("kernels: DotGram.Gram destination is %d×%d, want %d×%d", dst.Rows, dst.Cols, nr, nc))
	}
	if (rows != nil || cols != nil) && len(dst.Data) > 0 && len(g.Dot.Data) > 0 && &dst.Data[0] == &g.Dot.Data[0] {
		panic("kernels: DotGram.Gram in place needs rows and cols nil")
	}
	m := dotMapPool.Get().(*dotMap)
	m.g, m.dst, m.km, m.rows, m.cols = g, dst, newKmap(k), rows, cols
	m.sym = sameRows(rows, cols, n)
	m.nr = nr
	w := workerCount(g.Workers)
	runItems(m, (nr+dotMapRows-1)/dotMapRows, w, false)
	sym := m.sym
	m.g, m.dst, m.km, m.rows, m.cols = nil, nil, kmap{}, nil, nil
	dotMapPool.Put(m)
	if sym {
		mirrorLower(dst, w)
	}
}

// dotMap maps stored inner products to kernel values, dotMapRows output rows
// per item; when rows and cols select the same rows only the lower triangle
// is mapped (then mirrored), which also makes the in-place map safe: every
// element is read and written by the same goroutine.
type dotMap struct {
	g          *DotGram
	dst        *matrix.Matrix
	km         kmap
	rows, cols []int
	sym        bool
	nr         int
}

const dotMapRows = 16

var dotMapPool = sync.Pool{New: func() any { return new(dotMap) }}

func (m *dotMap) run(_ *scratch, item int) {
	i0 := item * dotMapRows
	i1 := min(i0+dotMapRows, m.nr)
	for i := i0; i < i1; i++ {
		ri := at(m.rows, i)
		src := m.g.Dot.Row(ri)
		out := m.dst.Row(i)
		if m.sym {
			out = out[:i+1]
		}
		ni := m.g.Norms[ri]
		if m.cols == nil {
			m.km.row(out, src, ni, m.g.Norms)
			if ri < len(out) {
				out[ri] = m.km.diag(ni)
			}
			continue
		}
		cols := m.cols[:len(out)]
		m.km.rowGather(out, src, cols, ni, m.g.Norms)
		for j, c := range cols {
			if c == ri {
				out[j] = m.km.diag(ni)
			}
		}
	}
}
