package cnn

import (
	"fmt"
	"math/rand/v2"
	"runtime"

	"github.com/svmbench/svmbench/matrix"
)

// Network is a feed-forward network: a list of layers applied in order to
// samples of shape Input. It is plain data: build one with NewBaseline or by
// listing layers, then call Init (or set the parameters) before use.
type Network struct {
	// Name describes the network in saved files and reports
	// ("sigmoid-loss", "fixed"; "seed" in files saved before the rename).
	Name  string
	Input Shape
	// Layers are applied in order. The last layer's outputs are the
	// scores fed to the softmax cross-entropy loss.
	Layers []Layer
}

// Variants of the baseline network accepted by NewBaseline.
const (
	// VariantSigmoidLoss is the seed document's network exactly as
	// written: a sigmoid on the outputs before CrossEntropyLoss. Its old
	// name, "seed", is still accepted (OldVariantSigmoidLoss).
	VariantSigmoidLoss = "sigmoid-loss"
	// VariantFixed is the same network without that sigmoid.
	VariantFixed = "fixed"
	// OldVariantSigmoidLoss is the name VariantSigmoidLoss had until
	// November 2026, found in older command lines, results files and
	// saved networks.
	OldVariantSigmoidLoss = "seed"
)

// CanonicalVariant returns the name of a baseline variant, mapping the
// old name "seed" to VariantSigmoidLoss; ok is false for any other name.
func CanonicalVariant(name string) (variant string, ok bool) {
	switch name {
	case VariantSigmoidLoss, OldVariantSigmoidLoss:
		return VariantSigmoidLoss, true
	case VariantFixed:
		return VariantFixed, true
	}
	return name, false
}

// NewBaseline returns the seed document's CIFAR-10 network (the baseline
// the SVMs are compared with), initialised from rng as PyTorch
// initialises it: conv 3→32 (3×3, padding 1), ReLU, max-pool 2; conv
// 32→64 (3×3, padding 1), ReLU, max-pool 2; flatten; dense 4096→512,
// ReLU; dense 512→10; and for VariantSigmoidLoss a sigmoid on the 10
// outputs. The variant may be given by its old name ("seed").
func NewBaseline(variant string, rng *rand.Rand) (*Network, error) {
	variant, ok := CanonicalVariant(variant)
	if !ok {
		return nil, fmt.Errorf("cnn: unknown variant %q: want %q or %q (old name %q)", variant, VariantSigmoidLoss, VariantFixed, OldVariantSigmoidLoss)
	}
	n := &Network{Name: variant, Input: Shape{32, 32, 3}, Layers: []Layer{
		NewConv2D(3, 32, 3, 1, 1), ReLU{}, &MaxPool{2},
		NewConv2D(32, 64, 3, 1, 1), ReLU{}, &MaxPool{2},
		Flatten{},
		NewDense(64*8*8, 512), ReLU{},
		NewDense(512, 10),
	}}
	if variant == VariantSigmoidLoss {
		n.Layers = append(n.Layers, Sigmoid{})
	}
	n.Init(rng)
	return n, nil
}

// Init draws every parameter from rng as PyTorch's default initialisation
// does (uniform in ±1/√fan_in), layer by layer, weights before biases.
func (n *Network) Init(rng *rand.Rand) {
	for _, l := range n.Layers {
		l.init(rng)
	}
}

// Shapes checks that the layers fit together and returns the shape after
// each layer (shapes[0] is Input, shapes[i+1] the output of layer i).
func (n *Network) Shapes() ([]Shape, error) {
	if n.Input.H < 1 || n.Input.W < 1 || n.Input.C < 1 {
		return nil, fmt.Errorf("cnn: network input shape %v: want positive sizes", n.Input)
	}
	if len(n.Layers) == 0 {
		return nil, fmt.Errorf("cnn: network has no layers")
	}
	s := make([]Shape, len(n.Layers)+1)
	s[0] = n.Input
	for i, l := range n.Layers {
		if l == nil {
			return nil, fmt.Errorf("cnn: layer %d is nil", i)
		}
		out, err := l.OutShape(s[i])
		if err != nil {
			return nil, &ShapeError{Layer: i, Kind: l.Kind(), In: s[i], Msg: err.Error()}
		}
		s[i+1] = out
	}
	return s, nil
}

// Classes is the number of outputs of the last layer.
func (n *Network) Classes() int {
	s, err := n.Shapes()
	if err != nil {
		return 0
	}
	return s[len(s)-1].Size()
}

// NumParams is the number of learnable values.
func (n *Network) NumParams() int {
	t := 0
	for _, l := range n.Layers {
		for _, p := range l.Params() {
			t += len(p)
		}
	}
	return t
}

// workspace is one worker's buffers for batches of up to maxN samples.
type workspace struct {
	maxN  int
	acts  [][]float32   // acts[0] input, acts[i+1] output of layer i
	dActs [][]float32   // gradients of acts; dActs[0] is nil
	scr   []*scratch    // per layer
	grads [][][]float32 // per layer, per parameter (nil when not training)
	loss  float64       // sum of sample losses of the last step
}

func newWorkspace(n *Network, shapes []Shape, maxN int, train bool) *workspace {
	L := len(n.Layers)
	w := &workspace{maxN: maxN,
		acts: make([][]float32, L+1), dActs: make([][]float32, L+1),
		scr: make([]*scratch, L), grads: make([][][]float32, L)}
	for i := range w.acts {
		w.acts[i] = make([]float32, maxN*shapes[i].Size())
		if train && i > 0 {
			w.dActs[i] = make([]float32, maxN*shapes[i].Size())
		}
	}
	for i, l := range n.Layers {
		w.scr[i] = l.newScratch(shapes[i], maxN)
		if train {
			for _, p := range l.Params() {
				w.grads[i] = append(w.grads[i], make([]float32, len(p)))
			}
		}
	}
	return w
}

// load writes rows idx of x (raw samples in channel planes, 0–255) into the
// input buffer as channel-last values scaled by 1/255.
func (w *workspace) load(x *matrix.Matrix, idx []int, in Shape) {
	hw := in.H * in.W
	dst := w.acts[0]
	const scale = 1.0 / 255
	for s, r := range idx {
		src := x.Row(r)
		d := dst[s*in.Size() : (s+1)*in.Size()]
		for c := 0; c < in.C; c++ {
			plane := src[c*hw : (c+1)*hw]
			for p, v := range plane {
				d[p*in.C+c] = v * scale
			}
		}
	}
}

// forward runs the network on the m samples in acts[0] and returns the
// output of the last layer.
func (w *workspace) forward(n *Network, m int) []float32 {
	for i, l := range n.Layers {
		l.forward(w.scr[i], w.acts[i], w.acts[i+1], m)
	}
	return w.acts[len(n.Layers)]
}

// backward propagates dActs[L] (already set) back through the layers,
// leaving parameter gradients in grads.
func (w *workspace) backward(n *Network, m int) {
	for i := len(n.Layers) - 1; i >= 0; i-- {
		n.Layers[i].backward(w.scr[i], w.acts[i], w.acts[i+1], w.dActs[i+1], w.dActs[i], w.grads[i], m)
	}
}

// pool runs tasks on persistent worker goroutines, one per workspace, so
// that a training step starts no goroutine and allocates nothing.
type pool struct {
	ws   []*workspace
	jobs []chan task
	done chan struct{}
}

// task is work split over the workers; run is called with the worker's
// index and workspace.
type task interface {
	run(worker int, w *workspace)
}

func newPool(n *Network, shapes []Shape, workers, maxN int, train bool) *pool {
	p := &pool{done: make(chan struct{}, workers)}
	for i := 0; i < workers; i++ {
		w := newWorkspace(n, shapes, maxN, train)
		ch := make(chan task, 1)
		p.ws = append(p.ws, w)
		p.jobs = append(p.jobs, ch)
		go func(i int) {
			for t := range ch {
				t.run(i, w)
				p.done <- struct{}{}
			}
		}(i)
	}
	return p
}

// do runs t on every worker and waits for all of them.
func (p *pool) do(t task) {
	for _, ch := range p.jobs {
		ch <- t
	}
	for range p.jobs {
		<-p.done
	}
}

func (p *pool) close() {
	for _, ch := range p.jobs {
		close(ch)
	}
}

// share returns worker i's half-open range of m items split into
// contiguous near-equal parts.
func share(i, workers, m int) (lo, hi int) {
	return i * m / workers, (i + 1) * m / workers
}

func workersFor(requested, m int) int {
	w := requested
	if w <= 0 {
		w = runtime.GOMAXPROCS(0)
	}
	return max(1, min(w, m))
}

// evalTask runs the forward pass over rows of x in rounds of maxN samples
// per worker and hands each worker's outputs to emit.
type evalTask struct {
	net   *Network
	x     *matrix.Matrix
	upTo  int // layer whose output is wanted (len(Layers) for the scores)
	emit  func(row int, out []float32)
	rows  []int // scratch index list per worker
	lo    int   // first row of this round
	per   int   // samples per worker this round
	total int
}

func (t *evalTask) run(i int, w *workspace) {
	lo := t.lo + i*t.per
	hi := min(lo+t.per, t.total)
	if lo >= hi {
		return
	}
	idx := t.rows[i*w.maxN : i*w.maxN+hi-lo]
	for k := range idx {
		idx[k] = lo + k
	}
	w.load(t.x, idx, t.net.Input)
	m := hi - lo
	for l := 0; l < t.upTo; l++ {
		t.net.Layers[l].forward(w.scr[l], w.acts[l], w.acts[l+1], m)
	}
	out := w.acts[t.upTo]
	size := len(out) / w.maxN
	for k := 0; k < m; k++ {
		t.emit(lo+k, out[k*size:(k+1)*size])
	}
}

// eval runs the first upTo layers over every row of x with the workers of
// p, calling emit once per row (concurrently from different workers, each
// with distinct rows).
func (n *Network) eval(p *pool, x *matrix.Matrix, upTo int, emit func(row int, out []float32)) {
	maxN := p.ws[0].maxN
	t := &evalTask{net: n, x: x, upTo: upTo, emit: emit,
		rows: make([]int, maxN*len(p.ws)), per: maxN, total: x.Rows}
	for t.lo = 0; t.lo < x.Rows; t.lo += maxN * len(p.ws) {
		p.do(t)
	}
}

func (n *Network) checkInput(x *matrix.Matrix) error {
	if x == nil {
		return fmt.Errorf("cnn: nil input matrix")
	}
	if x.Cols != n.Input.Size() {
		return fmt.Errorf("cnn: input has %d values per sample, network %q wants %d (%v)", x.Cols, n.Name, n.Input.Size(), n.Input)
	}
	return nil
}

// evalBatch is the number of samples a worker evaluates at a time.
const evalBatch = 100

// Predict writes into dst the class (index of the largest output) of each
// row of x. Rows hold raw samples as dataset.Split.X does: intensities
// 0–255 in channel planes, scaled by 1/255 here. It uses GOMAXPROCS
// workers.
func (n *Network) Predict(dst []int, x *matrix.Matrix) error {
	shapes, err := n.Shapes()
	if err != nil {
		return err
	}
	if err := n.checkInput(x); err != nil {
		return err
	}
	if len(dst) != x.Rows {
		return fmt.Errorf("cnn: Predict dst has length %d for %d samples", len(dst), x.Rows)
	}
	if x.Rows == 0 {
		return nil
	}
	p := newPool(n, shapes, workersFor(0, x.Rows), min(evalBatch, x.Rows), false)
	defer p.close()
	n.eval(p, x, len(n.Layers), func(r int, out []float32) { dst[r] = argmax(out) })
	return nil
}

func argmax(v []float32) int {
	b := 0
	for i, x := range v {
		if x > v[b] {
			b = i
		}
	}
	return b
}
