package cnn

import (
	"fmt"
	"math"
	"math/rand/v2"
)

// Shape is the shape of one sample's activations, stored channel-last
// (NHWC): element (y, x, c) of a sample is at (y·W + x)·C + c. A flat
// vector of n values has H = W = 1 and C = n.
type Shape struct {
	H, W, C int
}

// Size is H·W·C, the number of values per sample.
func (s Shape) Size() int { return s.H * s.W * s.C }

func (s Shape) String() string { return fmt.Sprintf("%d×%d×%d", s.H, s.W, s.C) }

// Layer is one stage of a Network. The concrete layers are Conv2D,
// MaxPool, ReLU, Sigmoid, Flatten and Dense; the unexported methods keep
// the set closed, so that every layer can be saved and loaded.
type Layer interface {
	// Kind is the layer's name in saved files and messages ("conv2d").
	Kind() string
	// OutShape is the shape of the output for input shape in, or an error
	// when the layer cannot take that input.
	OutShape(in Shape) (Shape, error)
	// Params returns the learnable parameters (weights, then bias), which
	// alias the layer's storage. Nil for layers without parameters.
	Params() [][]float32

	// init draws the parameters as PyTorch's reset_parameters does.
	init(rng *rand.Rand)
	// newScratch allocates the layer's work space for batches of up to
	// maxN samples of input shape in.
	newScratch(in Shape, maxN int) *scratch
	// forward computes out from in for n samples.
	forward(s *scratch, in, out []float32, n int)
	// backward computes the parameter gradients into grads (same layout as
	// Params, overwritten) and, when dIn is not nil, the input gradient.
	backward(s *scratch, in, out, dOut, dIn []float32, grads [][]float32, n int)
}

// scratch is a layer's per-worker work space.
type scratch struct {
	in, out Shape
	f       []float32 // im2col matrix (conv)
	idx     []int32   // argmax positions (max-pool)
	acc     []float64 // bias-gradient sums
	wt      []float32 // transposed weights (gonum forward)
}

// transpose writes the r×c matrix a into dst as c×r.
func transpose(dst, a []float32, r, c int) {
	for i := 0; i < r; i++ {
		for j, v := range a[i*c : i*c+c] {
			dst[j*r+i] = v
		}
	}
}

// uniform fills p with draws from U(−bound, bound).
func uniform(p []float32, bound float64, rng *rand.Rand) {
	for i := range p {
		p[i] = float32((2*rng.Float64() - 1) * bound)
	}
}

// biasGrad sets db[c] to the sum over rows of d (rows×len(db)), summing in
// float64.
func biasGrad(db []float32, acc []float64, d []float32, rows int) {
	c := len(db)
	clear(acc)
	for r := 0; r < rows; r++ {
		for j, v := range d[r*c : r*c+c] {
			acc[j] += float64(v)
		}
	}
	for j := range db {
		db[j] = float32(acc[j])
	}
}

// fillBias sets each of the rows of out (rows×len(b)) to b.
func fillBias(out, b []float32, rows int) {
	c := len(b)
	for r := 0; r < rows; r++ {
		copy(out[r*c:r*c+c], b)
	}
}

// Conv2D is a 2-D convolution (cross-correlation, as in PyTorch) of square
// K×K kernels with zero padding Pad and stride Stride. W holds Out·K·K·In
// weights ordered [out][ky][kx][in]; B holds Out biases.
type Conv2D struct {
	In, Out, K, Stride, Pad int
	W, B                    []float32
}

// NewConv2D returns a convolution with zeroed parameters.
func NewConv2D(in, out, k, stride, pad int) *Conv2D {
	c := &Conv2D{In: in, Out: out, K: k, Stride: stride, Pad: pad}
	if in > 0 && out > 0 && k > 0 {
		c.W = make([]float32, out*k*k*in)
		c.B = make([]float32, out)
	}
	return c
}

func (c *Conv2D) Kind() string        { return "conv2d" }
func (c *Conv2D) Params() [][]float32 { return [][]float32{c.W, c.B} }

func (c *Conv2D) OutShape(in Shape) (Shape, error) {
	switch {
	case c.In < 1 || c.Out < 1 || c.K < 1 || c.Stride < 1 || c.Pad < 0:
		return Shape{}, fmt.Errorf("want In, Out, K, Stride ≥ 1 and Pad ≥ 0, have In %d Out %d K %d Stride %d Pad %d", c.In, c.Out, c.K, c.Stride, c.Pad)
	case len(c.W) != c.Out*c.K*c.K*c.In || len(c.B) != c.Out:
		return Shape{}, fmt.Errorf("want %d weights and %d biases, have %d and %d", c.Out*c.K*c.K*c.In, c.Out, len(c.W), len(c.B))
	case in.C != c.In:
		return Shape{}, fmt.Errorf("want %d input channels", c.In)
	}
	h := (in.H+2*c.Pad-c.K)/c.Stride + 1
	w := (in.W+2*c.Pad-c.K)/c.Stride + 1
	if in.H+2*c.Pad < c.K || in.W+2*c.Pad < c.K {
		return Shape{}, fmt.Errorf("want an input of at least %d×%d with padding %d", c.K-2*c.Pad, c.K-2*c.Pad, c.Pad)
	}
	return Shape{h, w, c.Out}, nil
}

func (c *Conv2D) fanIn() int { return c.In * c.K * c.K }

// init follows torch.nn.Conv2d.reset_parameters: kaiming_uniform_ with
// a = √5 gives the bound gain·√(3/fan_in) with gain = √(2/(1+a²)) = √(1/3),
// that is 1/√fan_in; the bias bound is 1/√fan_in too.
func (c *Conv2D) init(rng *rand.Rand) {
	b := 1 / math.Sqrt(float64(c.fanIn()))
	uniform(c.W, b, rng)
	uniform(c.B, b, rng)
}

func (c *Conv2D) newScratch(in Shape, maxN int) *scratch {
	out, _ := c.OutShape(in)
	return &scratch{in: in, out: out,
		f:   make([]float32, maxN*out.H*out.W*c.fanIn()),
		acc: make([]float64, c.Out),
		wt:  make([]float32, len(c.W))}
}

// im2col writes one row per output position (sample, oy, ox) holding the
// K·K·In input values under the kernel, ordered (ky, kx, c) as W is.
func (c *Conv2D) im2col(cols, in []float32, n int, is, os Shape) {
	C, k := is.C, c.K
	kk := k * k * C
	row := 0
	for s := 0; s < n; s++ {
		img := in[s*is.Size() : (s+1)*is.Size()]
		for oy := 0; oy < os.H; oy++ {
			for ox := 0; ox < os.W; ox++ {
				dst := cols[row*kk : row*kk+kk]
				row++
				x0 := ox*c.Stride - c.Pad
				inside := x0 >= 0 && x0+k <= is.W
				p := 0
				for ky := 0; ky < k; ky++ {
					iy := oy*c.Stride - c.Pad + ky
					if iy < 0 || iy >= is.H {
						clear(dst[p : p+k*C])
						p += k * C
						continue
					}
					if inside {
						copy(dst[p:p+k*C], img[(iy*is.W+x0)*C:])
						p += k * C
						continue
					}
					for kx := 0; kx < k; kx++ {
						ix := x0 + kx
						if ix < 0 || ix >= is.W {
							clear(dst[p : p+C])
						} else {
							copy(dst[p:p+C], img[(iy*is.W+ix)*C:])
						}
						p += C
					}
				}
			}
		}
	}
}

// col2im adds each row of cols back to the input positions it came from.
func (c *Conv2D) col2im(dIn, cols []float32, n int, is, os Shape) {
	C, k := is.C, c.K
	kk := k * k * C
	clear(dIn[:n*is.Size()])
	row := 0
	for s := 0; s < n; s++ {
		img := dIn[s*is.Size() : (s+1)*is.Size()]
		for oy := 0; oy < os.H; oy++ {
			for ox := 0; ox < os.W; ox++ {
				src := cols[row*kk : row*kk+kk]
				row++
				x0 := ox*c.Stride - c.Pad
				p := 0
				for ky := 0; ky < k; ky++ {
					iy := oy*c.Stride - c.Pad + ky
					if iy < 0 || iy >= is.H {
						p += k * C
						continue
					}
					for kx := 0; kx < k; kx++ {
						ix := x0 + kx
						if ix >= 0 && ix < is.W {
							d := img[(iy*is.W+ix)*C : (iy*is.W+ix)*C+C]
							for j, v := range src[p : p+C] {
								d[j] += v
							}
						}
						p += C
					}
				}
			}
		}
	}
}

func (c *Conv2D) forward(s *scratch, in, out []float32, n int) {
	rows := n * s.out.H * s.out.W
	kk := c.fanIn()
	c.im2col(s.f, in, n, s.in, s.out)
	fillBias(out, c.B, rows)
	// out (rows×Out) += cols (rows×kk) · Wᵀ (kk×Out)
	if tileGEMM && kk >= 64 {
		// gonum's A·B loop skips the zeros of A (padding and the ReLU
		// zeros of a hidden layer's input); it needs Wᵀ as a matrix. On
		// conv2's shape this takes 15% less CPU than the A·Bᵀ dot
		// products; on conv1's (kk = 27) it is slower.
		transpose(s.wt, c.W, c.Out, kk)
		gemm(false, false, rows, c.Out, kk, 1, s.f, kk, s.wt, c.Out, 1, out, c.Out)
		return
	}
	gemm(false, true, rows, c.Out, kk, 1, s.f, kk, c.W, kk, 1, out, c.Out)
}

func (c *Conv2D) backward(s *scratch, in, out, dOut, dIn []float32, grads [][]float32, n int) {
	rows := n * s.out.H * s.out.W
	kk := c.fanIn()
	// dW (Out×kk) = dOutᵀ (Out×rows) · cols (rows×kk); cols still holds
	// the forward im2col of in.
	gemm(true, false, c.Out, kk, rows, 1, dOut, c.Out, s.f, kk, 0, grads[0], kk)
	biasGrad(grads[1], s.acc, dOut, rows)
	if dIn == nil {
		return
	}
	// dCols (rows×kk) = dOut (rows×Out) · W (Out×kk), into the cols buffer.
	gemm(false, false, rows, kk, c.Out, 1, dOut, c.Out, c.W, kk, 0, s.f, kk)
	c.col2im(dIn, s.f, n, s.in, s.out)
}

// MaxPool takes the maximum over non-overlapping Size×Size windows
// (stride Size, no padding; rows and columns that do not fill a window are
// dropped, as in PyTorch). Ties go to the first maximum in scan order.
type MaxPool struct{ Size int }

func (p *MaxPool) Kind() string        { return "maxpool" }
func (p *MaxPool) Params() [][]float32 { return nil }
func (p *MaxPool) init(*rand.Rand)     {}

func (p *MaxPool) OutShape(in Shape) (Shape, error) {
	if p.Size < 1 {
		return Shape{}, fmt.Errorf("want Size ≥ 1, have %d", p.Size)
	}
	if in.H < p.Size || in.W < p.Size {
		return Shape{}, fmt.Errorf("want at least %d×%d pixels", p.Size, p.Size)
	}
	return Shape{in.H / p.Size, in.W / p.Size, in.C}, nil
}

func (p *MaxPool) newScratch(in Shape, maxN int) *scratch {
	out, _ := p.OutShape(in)
	return &scratch{in: in, out: out, idx: make([]int32, maxN*out.Size())}
}

func (p *MaxPool) forward(s *scratch, in, out []float32, n int) {
	is, os, C, k := s.in, s.out, s.in.C, p.Size
	o := 0
	for smp := 0; smp < n; smp++ {
		base := smp * is.Size()
		for oy := 0; oy < os.H; oy++ {
			for ox := 0; ox < os.W; ox++ {
				first := base + (oy*k*is.W+ox*k)*C
				dst := out[o : o+C]
				idx := s.idx[o : o+C]
				copy(dst, in[first:first+C])
				for j := range idx {
					idx[j] = int32(first + j)
				}
				for dy := 0; dy < k; dy++ {
					for dx := 0; dx < k; dx++ {
						if dy == 0 && dx == 0 {
							continue
						}
						q := base + ((oy*k+dy)*is.W+ox*k+dx)*C
						for j, v := range in[q : q+C] {
							if v > dst[j] {
								dst[j] = v
								idx[j] = int32(q + j)
							}
						}
					}
				}
				o += C
			}
		}
	}
}

func (p *MaxPool) backward(s *scratch, in, out, dOut, dIn []float32, grads [][]float32, n int) {
	if dIn == nil {
		return
	}
	clear(dIn[:n*s.in.Size()])
	for o, i := range s.idx[:n*s.out.Size()] {
		dIn[i] += dOut[o]
	}
}

// ReLU is max(0, x). Its derivative at 0 is taken as 0, as in PyTorch.
type ReLU struct{}

func (ReLU) Kind() string                        { return "relu" }
func (ReLU) Params() [][]float32                 { return nil }
func (ReLU) init(*rand.Rand)                     {}
func (ReLU) OutShape(in Shape) (Shape, error)    { return in, nil }
func (ReLU) newScratch(in Shape, _ int) *scratch { return &scratch{in: in, out: in} }

func (ReLU) forward(s *scratch, in, out []float32, n int) {
	m := n * s.in.Size()
	for i, v := range in[:m] {
		out[i] = max(v, 0)
	}
}

func (ReLU) backward(s *scratch, in, out, dOut, dIn []float32, grads [][]float32, n int) {
	if dIn == nil {
		return
	}
	m := n * s.in.Size()
	for i, v := range out[:m] {
		if v > 0 {
			dIn[i] = dOut[i]
		} else {
			dIn[i] = 0
		}
	}
}

// Sigmoid is 1/(1+e^−x), computed without overflow for either sign.
type Sigmoid struct{}

func (Sigmoid) Kind() string                        { return "sigmoid" }
func (Sigmoid) Params() [][]float32                 { return nil }
func (Sigmoid) init(*rand.Rand)                     {}
func (Sigmoid) OutShape(in Shape) (Shape, error)    { return in, nil }
func (Sigmoid) newScratch(in Shape, _ int) *scratch { return &scratch{in: in, out: in} }

func sigmoid(x float64) float64 {
	if x >= 0 {
		return 1 / (1 + math.Exp(-x))
	}
	e := math.Exp(x)
	return e / (1 + e)
}

// minNormal is the smallest normal float32. The sigmoid of a score below
// −87 is subnormal, and so are the gradients that flow back from it; x86
// cores compute on subnormal floats many times more slowly. Values below
// minNormal are flushed to zero, as a CPU in flush-to-zero mode would;
// they are 10⁻³⁸ of the values that matter. (This was added when a seed-
// variant run took more CPU per step than a fixed one; a later check found
// no subnormals in the first 125 steps of a seed-variant run, and the CPU
// time per step varied as much with the machine's load, so that cause is
// not confirmed. The flush is kept as a guard.)
const minNormal = 0x1p-126

func ftz(v float32) float32 {
	if v < minNormal && v > -minNormal {
		return 0
	}
	return v
}

func (Sigmoid) forward(s *scratch, in, out []float32, n int) {
	m := n * s.in.Size()
	for i, v := range in[:m] {
		out[i] = ftz(float32(sigmoid(float64(v))))
	}
}

func (Sigmoid) backward(s *scratch, in, out, dOut, dIn []float32, grads [][]float32, n int) {
	if dIn == nil {
		return
	}
	m := n * s.in.Size()
	for i, y := range out[:m] {
		dIn[i] = ftz(dOut[i] * y * (1 - y))
	}
}

// Flatten turns an H×W×C sample into a vector of H·W·C values in
// channel-last order (PyTorch flattens channel-first; since the next
// layer's weights are learnt from a random start the order does not change
// what the network can learn).
type Flatten struct{}

func (Flatten) Kind() string        { return "flatten" }
func (Flatten) Params() [][]float32 { return nil }
func (Flatten) init(*rand.Rand)     {}
func (Flatten) OutShape(in Shape) (Shape, error) {
	return Shape{1, 1, in.Size()}, nil
}
func (f Flatten) newScratch(in Shape, _ int) *scratch {
	out, _ := f.OutShape(in)
	return &scratch{in: in, out: out}
}

func (Flatten) forward(s *scratch, in, out []float32, n int) {
	copy(out[:n*s.in.Size()], in)
}

func (Flatten) backward(s *scratch, in, out, dOut, dIn []float32, grads [][]float32, n int) {
	if dIn != nil {
		copy(dIn[:n*s.in.Size()], dOut)
	}
}

// Dense is a fully connected layer y = W·x + b. W holds Out×In weights,
// row-major (PyTorch's nn.Linear layout); B holds Out biases. Its input
// must be flat (use Flatten after a convolution).
type Dense struct {
	In, Out int
	W, B    []float32
}

// NewDense returns a fully connected layer with zeroed parameters.
func NewDense(in, out int) *Dense {
	d := &Dense{In: in, Out: out}
	if in > 0 && out > 0 {
		d.W = make([]float32, out*in)
		d.B = make([]float32, out)
	}
	return d
}

func (d *Dense) Kind() string        { return "dense" }
func (d *Dense) Params() [][]float32 { return [][]float32{d.W, d.B} }

func (d *Dense) OutShape(in Shape) (Shape, error) {
	switch {
	case d.In < 1 || d.Out < 1:
		return Shape{}, fmt.Errorf("want In, Out ≥ 1, have In %d Out %d", d.In, d.Out)
	case len(d.W) != d.In*d.Out || len(d.B) != d.Out:
		return Shape{}, fmt.Errorf("want %d weights and %d biases, have %d and %d", d.In*d.Out, d.Out, len(d.W), len(d.B))
	case in.H != 1 || in.W != 1:
		return Shape{}, fmt.Errorf("want a flat input (add a flatten layer)")
	case in.C != d.In:
		return Shape{}, fmt.Errorf("want %d inputs", d.In)
	}
	return Shape{1, 1, d.Out}, nil
}

// init follows torch.nn.Linear.reset_parameters: weights and biases
// uniform in ±1/√In (see Conv2D.init).
func (d *Dense) init(rng *rand.Rand) {
	b := 1 / math.Sqrt(float64(d.In))
	uniform(d.W, b, rng)
	uniform(d.B, b, rng)
}

func (d *Dense) newScratch(in Shape, maxN int) *scratch {
	return &scratch{in: in, out: Shape{1, 1, d.Out}, acc: make([]float64, d.Out)}
}

func (d *Dense) forward(s *scratch, in, out []float32, n int) {
	fillBias(out, d.B, n)
	gemm(false, true, n, d.Out, d.In, 1, in, d.In, d.W, d.In, 1, out, d.Out)
}

func (d *Dense) backward(s *scratch, in, out, dOut, dIn []float32, grads [][]float32, n int) {
	gemm(true, false, d.Out, d.In, n, 1, dOut, d.Out, in, d.In, 0, grads[0], d.In)
	biasGrad(grads[1], s.acc, dOut, n)
	if dIn != nil {
		gemm(false, false, n, d.In, d.Out, 1, dOut, d.Out, d.W, d.In, 0, dIn, d.In)
	}
}

var (
	_ Layer = (*Conv2D)(nil)
	_ Layer = (*MaxPool)(nil)
	_ Layer = ReLU{}
	_ Layer = Sigmoid{}
	_ Layer = Flatten{}
	_ Layer = (*Dense)(nil)
)
