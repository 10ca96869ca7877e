package svm

import (
	"github.com/svmbench/svmbench/kernels"
	"github.com/svmbench/svmbench/matrix"
)

// QMatrix hands out columns of the symmetric l×l matrix
// Q_ij = y_i y_j K(x_i, x_j) of a dual problem. It knows nothing of the
// solver: it only answers for columns.
type QMatrix interface {
	// N is l, the number of variables.
	N() int
	// Column returns column i of Q (length l). The slice is owned by the
	// QMatrix and stays valid through the next call to Column (not the
	// one after): the solver holds two columns at a time.
	Column(i int) []float32
	// Diag returns Q_ii (length l, shared, not modified by the caller).
	Diag() []float64
}

// gatherQ reads columns of Q from a precomputed kernel matrix k over a
// larger index set: Q_ij = y_i y_j k[idx_i][idx_j]. The pairs of a
// one-vs-one model share one k this way. The gather is O(l), the same
// order as the gradient update that follows each column request.
type gatherQ struct {
	k    *matrix.Matrix
	idx  []int
	y    []int8
	diag []float64
	buf  [2][]float32
	next int
}

func newGatherQ(k *matrix.Matrix, idx []int, y []int8) *gatherQ {
	l := len(idx)
	q := &gatherQ{k: k, idx: idx, y: y, diag: make([]float64, l)}
	for t, g := range idx {
		q.diag[t] = float64(k.Data[g*k.Stride+g])
	}
	q.buf[0] = make([]float32, l)
	q.buf[1] = make([]float32, l)
	return q
}

func (q *gatherQ) N() int          { return len(q.idx) }
func (q *gatherQ) Diag() []float64 { return q.diag }
func (q *gatherQ) Column(i int) []float32 {
	out := q.buf[q.next]
	q.next ^= 1
	row := q.k.Row(q.idx[i])
	if q.y[i] > 0 {
		for t, g := range q.idx {
			v := row[g]
			if q.y[t] < 0 {
				v = -v
			}
			out[t] = v
		}
	} else {
		for t, g := range q.idx {
			v := row[g]
			if q.y[t] > 0 {
				v = -v
			}
			out[t] = v
		}
	}
	return out
}

// denseQ holds the whole Q (signs applied) of one sub-problem.
type denseQ struct {
	q    *matrix.Matrix
	diag []float64
}

// newDenseQ turns k (l×l kernel values, overwritten) into Q.
func newDenseQ(k *matrix.Matrix, y []int8) *denseQ {
	l := k.Rows
	d := &denseQ{q: k, diag: make([]float64, l)}
	for i := range l {
		row := k.Row(i)
		if y[i] < 0 {
			for j := range row {
				row[j] = -row[j]
			}
		}
		for j := range row {
			if y[j] < 0 {
				row[j] = -row[j]
			}
		}
		d.diag[i] = float64(row[i])
	}
	return d
}

// newQFrom wraps q, which already holds Q (signs applied).
func newQFrom(q *matrix.Matrix) *denseQ {
	d := &denseQ{q: q, diag: make([]float64, q.Rows)}
	for i := range q.Rows {
		d.diag[i] = float64(q.Data[i*q.Stride+i])
	}
	return d
}

func (d *denseQ) N() int                 { return d.q.Rows }
func (d *denseQ) Diag() []float64        { return d.diag }
func (d *denseQ) Column(i int) []float32 { return d.q.Row(i) }

// cachedQ is an LRU cache of Q columns with a fixed budget. A missing
// column is computed through a kernels.Engine over the whole training set
// (sub-problems index into it with idx), together with up to batch−1
// further missing columns named by Prefetch, so that kernel values come
// from matrix products rather than one at a time.
type cachedQ struct {
	eng  *kernels.Engine
	idx  []int // global row of each variable
	y    []int8
	diag []float64

	slots  []float32 // capacity × l
	owner  []int32   // slot → column, −1 when empty
	slotOf []int32   // column → slot, −1 when not cached
	prev   []int32   // LRU list over slots (head = most recent)
	nxt    []int32
	head   int32
	tail   int32
	used   int

	// last is the slot most recently returned; it is never evicted, so a
	// column stays valid through the next call.
	last int32

	// batch computation. The batch size adapts: it halves when fewer
	// than half of the prefetched columns are used before eviction (a
	// cache much smaller than the working set thrashes, and extra columns
	// are wasted products) and doubles back up to maxBatch when most are.
	batch    int
	maxBatch int
	pref     []bool // slot holds a prefetched column not yet used
	pfIn     int    // prefetched columns stored since the last adjustment
	pfUsed   int    // of which used

	pending []int // columns waiting to be computed (the miss first)
	want    []int // prefetch hints
	rows    []int // global rows of the batch
	blk     *matrix.Matrix

	hits, misses int64
}

// newCachedQ makes a cache of at most budget bytes of columns (at least
// two columns), computing up to batch columns per engine call.
func newCachedQ(eng *kernels.Engine, idx []int, y []int8, budget int64, batch int) *cachedQ {
	l := len(idx)
	capacity := int(budget / (4 * int64(max(l, 1))))
	capacity = max(capacity, 2)
	capacity = min(capacity, l)
	batch = max(1, min(batch, capacity-1))
	q := &cachedQ{
		eng: eng, idx: idx, y: y, diag: make([]float64, l),
		slots:  make([]float32, capacity*l),
		owner:  make([]int32, capacity),
		slotOf: make([]int32, l),
		prev:   make([]int32, capacity),
		nxt:    make([]int32, capacity),
		head:   -1, tail: -1,
		last:     -1,
		batch:    batch,
		maxBatch: batch,
		pref:     make([]bool, capacity),
		pending:  make([]int, 0, batch),
		want:     make([]int, 0, batch),
		rows:     make([]int, 0, batch),
		blk:      matrix.New(batch, l),
	}
	for s := range q.owner {
		q.owner[s] = -1
	}
	for t := range q.slotOf {
		q.slotOf[t] = -1
	}
	// Q_ii = K(x_i, x_i); one kernel value each.
	k := eng.Kernel()
	x := eng.X()
	for t, g := range idx {
		if dk, ok := k.(kernels.DotKernel); ok {
			nn := eng.Norms()[g]
			q.diag[t] = dk.FromDot(nn, nn, nn)
		} else {
			r := x.Row(g)
			q.diag[t] = k.Eval(r, r)
		}
	}
	return q
}

func (q *cachedQ) N() int          { return len(q.idx) }
func (q *cachedQ) Diag() []float64 { return q.diag }

func (q *cachedQ) col(s int32) []float32 {
	l := len(q.idx)
	return q.slots[int(s)*l : int(s+1)*l]
}

func (q *cachedQ) unlink(s int32) {
	p, n := q.prev[s], q.nxt[s]
	if p >= 0 {
		q.nxt[p] = n
	} else {
		q.head = n
	}
	if n >= 0 {
		q.prev[n] = p
	} else {
		q.tail = p
	}
}

func (q *cachedQ) pushFront(s int32) {
	q.prev[s] = -1
	q.nxt[s] = q.head
	if q.head >= 0 {
		q.prev[q.head] = s
	}
	q.head = s
	if q.tail < 0 {
		q.tail = s
	}
}

// Prefetch names columns likely to be asked for soon; the next miss
// computes them in the same batch. It never evicts by itself.
func (q *cachedQ) Prefetch(cols []int) {
	q.want = q.want[:0]
	for _, c := range cols {
		if len(q.want) == cap(q.want) {
			break
		}
		if q.slotOf[c] < 0 {
			q.want = append(q.want, c)
		}
	}
}

func (q *cachedQ) Column(i int) []float32 {
	if s := q.slotOf[i]; s >= 0 {
		q.hits++
		if q.pref[s] {
			q.pref[s] = false
			q.pfUsed++
		}
		q.unlink(s)
		q.pushFront(s)
		q.touch(s)
		return q.col(s)
	}
	q.misses++
	q.adapt()
	q.pending = append(q.pending[:0], i)
	for _, c := range q.want {
		if len(q.pending) == q.batch {
			break
		}
		if c != i && q.slotOf[c] < 0 {
			q.pending = append(q.pending, c)
		}
	}
	q.want = q.want[:0]
	q.fill()
	s := q.slotOf[i]
	q.unlink(s)
	q.pushFront(s)
	q.touch(s)
	return q.col(s)
}

func (q *cachedQ) touch(s int32) { q.last = s }

// adapt resizes the batch from the use of the prefetched columns.
func (q *cachedQ) adapt() {
	if q.pfIn < 4*q.maxBatch {
		return
	}
	switch {
	case 2*q.pfUsed < q.pfIn:
		q.batch = max(2, q.batch/2) // 2, not 1: keep measuring
	case 5*q.pfUsed > 4*q.pfIn:
		q.batch = min(q.maxBatch, 2*q.batch)
	}
	q.pfIn, q.pfUsed = 0, 0
}

// Cached reports whether column i is in the cache.
func (q *cachedQ) Cached(i int) bool { return q.slotOf[i] >= 0 }

// BatchSize is the most columns one miss computes.
func (q *cachedQ) BatchSize() int { return q.maxBatch }

// fill computes the pending columns in one engine call and stores them.
func (q *cachedQ) fill() {
	q.rows = q.rows[:0]
	for _, c := range q.pending {
		q.rows = append(q.rows, q.idx[c])
	}
	l := len(q.idx)
	blk := q.blk.Slice(0, len(q.rows))
	q.eng.Block(blk, q.rows, q.idx)
	// Insert in reverse so that the requested column ends most recent.
	for b := len(q.pending) - 1; b >= 0; b-- {
		c := q.pending[b]
		s := q.freeSlot()
		q.owner[s] = int32(c)
		q.slotOf[c] = s
		q.pref[s] = b > 0
		if b > 0 {
			q.pfIn++
		}
		q.pushFront(s)
		dst := q.col(s)
		src := blk.Data[b*blk.Stride : b*blk.Stride+l]
		if q.y[c] > 0 {
			for t, v := range src {
				if q.y[t] < 0 {
					v = -v
				}
				dst[t] = v
			}
		} else {
			for t, v := range src {
				if q.y[t] > 0 {
					v = -v
				}
				dst[t] = v
			}
		}
	}
}

// freeSlot returns an empty slot, evicting the least recently used column
// that is not the last returned.
func (q *cachedQ) freeSlot() int32 {
	if q.used < len(q.owner) {
		s := int32(q.used)
		q.used++
		return s
	}
	s := q.tail
	if s == q.last {
		s = q.prev[s]
	}
	q.unlink(s)
	q.slotOf[q.owner[s]] = -1
	q.owner[s] = -1
	return s
}
