package kernels

import (
	"sync"

	"github.com/svmbench/svmbench/internal/linalg"
	"github.com/svmbench/svmbench/matrix"
	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas32"
)

// operand is one side of a kernel block: the rows idx of m (all rows when
// idx is nil), with the squared norms of m's rows.
type operand struct {
	m     *matrix.Matrix
	idx   []int
	norms []float64 // indexed by row of m; nil when not needed
}

func (o *operand) count() int {
	if o.idx == nil {
		return o.m.Rows
	}
	return len(o.idx)
}

// at is the row of m behind position i.
func (o *operand) at(i int) int {
	if o.idx == nil {
		return i
	}
	return o.idx[i]
}

func (o *operand) row(i int) []float32 { return o.m.Row(o.at(i)) }

// inPlace returns the rows [lo, hi) of o as a BLAS operand (data and
// stride) read in place, or ok false when they must be gathered.
func (o *operand) inPlace(lo, hi int) (data []float32, stride int, ok bool) {
	if o.idx == nil {
		return o.m.Data[lo*o.m.Stride:], o.m.Stride, true
	}
	if first, ok := consecutive(o.idx[lo:hi]); ok {
		return o.m.Data[first*o.m.Stride:], o.m.Stride, true
	}
	return nil, 0, false
}

// tiles computes dst = K(A, B) block by block. The output is cut into panels
// of tm rows and each panel into tiles of tn columns; a tile is one item of
// the parallel job: one float32 matrix product A_tile·B_tileᵀ written
// straight into dst, then the kernel map over the tile while it is in cache.
// Rows selected by an index set are first gathered into the participant's
// scratch buffers. When A and B select the same rows (sym), each panel
// computes the tiles left of the diagonal with Sgemm and its diagonal block
// with Ssyrk (lower triangle only), so exactly the lower triangle is
// computed; mirror copies it up afterwards.
type tiles struct {
	dst    *matrix.Matrix
	km     kmap
	a, b   operand
	same   bool // A and B are the same matrix: exact diagonal where rows meet
	sym    bool // A and B select the same rows: lower triangle only
	tm, tn int
	nr, nc int
	start  []int // start[p] is the first item of panel p; len = panels+1
}

var tilesPool = sync.Pool{New: func() any { return new(tiles) }}

// plan fills start and returns the number of items. A panel's items are its
// column tiles; in the symmetric case, the tiles of columns [0, r0) followed
// by the diagonal block [r0, r1)×[r0, r1) as the panel's last item.
func (t *tiles) plan() int {
	panels := (t.nr + t.tm - 1) / t.tm
	if cap(t.start) < panels+1 {
		t.start = make([]int, panels+1)
	}
	t.start = t.start[:panels+1]
	n := 0
	for p := 0; p < panels; p++ {
		t.start[p] = n
		if t.sym {
			n += (p*t.tm+t.tn-1)/t.tn + 1
		} else {
			n += (t.nc + t.tn - 1) / t.tn
		}
	}
	t.start[panels] = n
	return n
}

func (t *tiles) release() {
	t.dst, t.km, t.a, t.b = nil, kmap{}, operand{}, operand{}
	tilesPool.Put(t)
}

func (t *tiles) run(s *scratch, item int) {
	// Find the panel: start is increasing, so binary search.
	lo, hi := 0, len(t.start)-2
	for lo < hi {
		mid := (lo + hi + 1) / 2
		if t.start[mid] <= item {
			lo = mid
		} else {
			hi = mid - 1
		}
	}
	p := lo
	r0 := p * t.tm
	r1 := min(r0+t.tm, t.nr)
	c0 := (item - t.start[p]) * t.tn
	c1 := min(c0+t.tn, t.nc)
	diag := false
	if t.sym {
		if item == t.start[p+1]-1 {
			c0, c1, diag = r0, r1, true
		} else {
			c1 = min(c1, r0)
		}
	}
	if t.km.isDot() {
		t.dotTile(s, p, r0, r1, c0, c1, diag)
	} else {
		t.evalTile(r0, r1, c0, c1, diag)
	}
}

// evalTile computes a tile by Eval; a diagonal tile only on and below the
// diagonal.
func (t *tiles) evalTile(r0, r1, c0, c1 int, diag bool) {
	k := t.km.k
	for i := r0; i < r1; i++ {
		x := t.a.row(i)
		out := t.dst.Row(i)[c0:c1]
		if diag {
			out = out[:i-r0+1]
		}
		for j := range out {
			out[j] = float32(k.Eval(x, t.b.row(c0+j)))
		}
	}
}

// dotTile computes a tile as a matrix product and maps it. A diagonal tile
// (symmetric case, rows = cols = [r0, r1)) is computed by Ssyrk on and below
// the diagonal only.
func (t *tiles) dotTile(s *scratch, p, r0, r1, c0, c1 int, diag bool) {
	t.productTile(s, p, r0, r1, c0, c1, diag)
	t.mapTile(s, r0, r1, c0, c1, diag)
}

// productTile writes the inner products of rows [r0, r1) of a with rows
// [c0, c1) of b into the tile (on and below the diagonal for a diagonal
// tile).
func (t *tiles) productTile(s *scratch, p, r0, r1, c0, c1 int, diag bool) {
	d := t.a.m.Cols
	ldc := t.dst.Stride
	m, n := r1-r0, c1-c0
	if d == 0 {
		for i := r0; i < r1; i++ {
			clear(t.dst.Row(i)[c0:c1])
		}
		return
	}
	a, lda, ok := t.a.inPlace(r0, r1)
	if !ok {
		if s.aPanel != p {
			s.a = gather(s.a, t.a.m, t.a.idx[r0:r1])
			s.aPanel = p
		}
		a, lda = s.a, d
	}
	c := t.dst.Data[r0*ldc+c0:]
	if diag {
		blas32.Implementation().Ssyrk(blas.Lower, blas.NoTrans, m, d, 1, a, lda, 0, c, ldc)
		return
	}
	b, ldb, ok := t.b.inPlace(c0, c1)
	if !ok {
		s.b = gather(s.b, t.b.m, t.b.idx[c0:c1])
		b, ldb = s.b, d
	}
	linalg.GemmNT(m, n, d, a, lda, b, ldb, c, ldc)
}

// mapTile maps the inner products in the tile through the kernel, row by
// row, and sets the diagonal entries exactly when a and b are the same rows.
func (t *tiles) mapTile(s *scratch, r0, r1, c0, c1 int, diag bool) {
	ldc := t.dst.Stride
	var nj []float64
	if t.km.needNorms() {
		if t.b.idx == nil {
			nj = t.b.norms[c0:c1]
		} else {
			s.bn = grow64(s.bn, c1-c0)
			for j, c := range t.b.idx[c0:c1] {
				s.bn[j] = t.b.norms[c]
			}
			nj = s.bn
		}
	}
	for i := r0; i < r1; i++ {
		ri := t.a.at(i)
		var ni float64
		if t.a.norms != nil {
			ni = t.a.norms[ri]
		}
		out := t.dst.Data[i*ldc+c0 : i*ldc+c1]
		if diag {
			out = out[:i-r0+1]
		}
		if t.km.kind != kLinear {
			t.km.row(out, out, ni, nj)
		}
		if !t.same {
			continue
		}
		if t.b.idx == nil {
			if ri >= c0 && ri < c0+len(out) {
				out[ri-c0] = t.km.diag(ni)
			}
		} else {
			for j, c := range t.b.idx[c0 : c0+len(out)] {
				if c == ri {
					out[j] = t.km.diag(ni)
				}
			}
		}
	}
}

// consecutive reports whether idx is a run of consecutive rows first, first+1, ...,
// which the product can read in place instead of gathering them.
func consecutive(idx []int) (first int, ok bool) {
	if len(idx) == 0 {
		return 0, false
	}
	first = idx[0]
	for j, v := range idx {
		if v != first+j {
			return 0, false
		}
	}
	return first, true
}

// gather copies rows idx of m into buf (compact, stride m.Cols).
func gather(buf []float32, m *matrix.Matrix, idx []int) []float32 {
	d := m.Cols
	buf = grow32(buf, len(idx)*d)
	for k, i := range idx {
		copy(buf[k*d:(k+1)*d], m.Row(i))
	}
	return buf
}

// mirror copies the strict lower triangle of the square matrix dst onto its
// upper triangle, one strip of mirrorBlock rows per item.
//
// A Gram matrix's stride is often a power of two (4096 floats = 16 KB), at
// which every row of a column maps to the same cache set: a plain transposed
// copy, reading a column or writing one, then misses on almost every
// element. The copy therefore goes through 16×16 blocks held in a local
// array: 16 source lines read once, 16 destination lines written whole.
type mirror struct {
	dst *matrix.Matrix
}

const mirrorBlock = 16

var mirrorPool = sync.Pool{New: func() any { return new(mirror) }}

func mirrorLower(dst *matrix.Matrix, workers int) {
	mr := mirrorPool.Get().(*mirror)
	mr.dst = dst
	runItems(mr, (dst.Rows+mirrorBlock-1)/mirrorBlock, workers, false)
	mr.dst = nil
	mirrorPool.Put(mr)
}

func (mr *mirror) run(_ *scratch, bi int) {
	c, ld := mr.dst.Data, mr.dst.Stride
	i0 := bi * mirrorBlock
	i1 := min(i0+mirrorBlock, mr.dst.Rows)
	j0 := 0
	if i1-i0 == mirrorBlock {
		var blk [mirrorBlock][mirrorBlock]float32
		for ; j0+mirrorBlock <= i0; j0 += mirrorBlock {
			for r := range mirrorBlock {
				copy(blk[r][:], c[(i0+r)*ld+j0:(i0+r)*ld+j0+mirrorBlock])
			}
			for q := range mirrorBlock {
				row := (*[mirrorBlock]float32)(c[(j0+q)*ld+i0 : (j0+q)*ld+i0+mirrorBlock])
				for r := range mirrorBlock {
					row[r] = blk[r][q]
				}
			}
		}
	}
	// The rest: the diagonal block and a short last strip.
	for i := i0; i < i1; i++ {
		row := c[i*ld : i*ld+i]
		for j := j0; j < i; j++ {
			c[j*ld+i] = row[j]
		}
	}
}

// sameRows reports whether two index sets select the same rows in the same
// order (nil selects all rows).
func sameRows(a, b []int, n int) bool {
	if a == nil && b == nil {
		return true
	}
	if a == nil {
		a, b = b, a
	}
	if b == nil {
		if len(a) != n {
			return false
		}
		for i, v := range a {
			if v != i {
				return false
			}
		}
		return true
	}
	if len(a) != len(b) {
		return false
	}
	if len(a) > 0 && &a[0] == &b[0] {
		return true
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
