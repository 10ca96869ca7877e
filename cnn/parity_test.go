package cnn

import (
	"encoding/binary"
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"

	"github.com/svmbench/svmbench/matrix"
)

// The PyTorch parity fixture in testdata/ was written once by
//
//	/usr/bin/python3 scripts/torch_cnn.py -data $CIFAR10_DIR -fixture cnn/testdata -steps 5 -batch 10
//
// (PyTorch 1.13, Debian's python3-torch, 2 threads): the first 50 records of
// CIFAR-10's data_batch_1.bin, and for each variant PyTorch's loss at each of 5
// SGD steps (lr 0.001, momentum 0.9, mini-batches of 10 in file order) from
// deterministic initial weights (splitmixWeights, computed identically on both
// sides, so no weights are stored), and the change of every parameter tensor
// after the last step: a strided sample of it and its sum over each output
// unit. The test needs neither PyTorch nor CIFAR10_DIR.
type parityFixture struct {
	Torch    string
	Steps    int
	Batch    int
	LR       float64
	Momentum float64
	Variants map[string]struct {
		Losses  []float64
		Tensors []struct {
			Name                  string
			Shape                 []int
			Stride, Sample, Units int
		}
	}
}

// Tolerances. Both sides compute in float32 (unit roundoff u = 2⁻²⁴ ≈ 6e-8)
// but sum in different orders: our blocked products and per-worker gradient
// sums against MKL-DNN's, over up to 4096 terms (fc1), and the mean loss over
// the batch. Each step's loss is a float32 value near 2.3 whose rounding
// differences stay within a few hundred u even after the weights have moved
// 4 steps: parityLossTol = 1e-5 relative (about 170 u; measured 9.4e-8).
//
// A weight's change is final − initial, both float32: each of the S steps'
// updates p −= lr·v rounds p to its ulp, so two correct programs may differ
// by up to S ulps of the weight whatever the gradients; beyond that the
// changes are sums of momentum-weighted gradients carrying the same
// reordering errors as the loss, compared relative to the largest change in
// the tensor: parityDeltaTol = 1e-4 (measured 2.4e-5 over the ulp
// allowance). A wrong gradient, layout, learning rate or momentum is off by
// orders of magnitude more.
const (
	parityLossTol  = 1e-5
	parityDeltaTol = 1e-4
)

// TestTorchParity trains both variants of the seed network from the
// fixture's weights on the fixture's batches, with one worker and with two
// (another summation order), and asserts that the losses and the weight
// changes are PyTorch's within the tolerances above.
func TestTorchParity(t *testing.T) {
	var fx parityFixture
	b, err := os.ReadFile(filepath.Join("testdata", "torch_parity.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &fx); err != nil {
		t.Fatal(err)
	}
	x, y := parityImages(t, fx.Steps*fx.Batch)
	for _, variant := range []string{VariantFixed, VariantSigmoidLoss} {
		ref, ok := fx.Variants[variant]
		if !ok || len(ref.Losses) != fx.Steps {
			t.Fatalf("fixture: variant %s: want %d losses", variant, fx.Steps)
		}
		want := readF32(t, filepath.Join("testdata", "torch_parity_"+variant+".f32"))
		for _, workers := range []int{1, 2} {
			net, err := NewBaseline(variant, rand.New(rand.NewPCG(1, 1)))
			if err != nil {
				t.Fatal(err)
			}
			init := splitmixWeights(net)
			setTorchLayout(net, init)
			cfg, err := TrainConfig{Batch: fx.Batch, LR: fx.LR, Momentum: fx.Momentum, Workers: workers}.withDefaults()
			if err != nil {
				t.Fatal(err)
			}
			tr, err := newTrainer(net, x, y, cfg)
			if err != nil {
				t.Fatal(err)
			}
			worst := 0.0
			rows := make([]int, fx.Batch)
			for s, tl := range ref.Losses {
				for i := range rows {
					rows[i] = s*fx.Batch + i
				}
				got := tr.step(rows)
				rel := math.Abs(got-tl) / math.Abs(tl)
				worst = max(worst, rel)
				if rel > parityLossTol {
					t.Errorf("%s, %d workers, step %d: loss %.9g, PyTorch %.9g (relative difference %.2g > %g)", variant, workers, s+1, got, tl, rel, parityLossTol)
				}
			}
			tr.close()
			final := torchLayout(net)
			delta := make([]float32, len(final))
			for i := range final {
				delta[i] = final[i] - init[i]
			}
			dworst := compareDeltas(t, fmt.Sprintf("%s, %d workers", variant, workers), final, delta, want, ref.Tensors, fx.Steps)
			t.Logf("%s, %d workers: largest relative loss difference %.2g, weight-change difference %.2g", variant, workers, worst, dworst)
		}
	}
}

// compareDeltas checks our weight changes (delta = final − initial, in
// PyTorch's layout) against the fixture's samples and per-unit sums, each
// within parityDeltaTol of the tensor's largest change plus steps ulps of
// its largest final weight (per element summed), and returns the largest
// difference beyond the ulp allowance relative to the largest change.
func compareDeltas(t *testing.T, what string, final, delta, want []float32, tensors []struct {
	Name                  string
	Shape                 []int
	Stride, Sample, Units int
}, steps int) float64 {
	t.Helper()
	worst, off, pos, bad := 0.0, 0, 0, 0
	for _, ts := range tensors {
		size := 1
		for _, d := range ts.Shape {
			size *= d
		}
		if off+size > len(delta) || pos+ts.Sample+ts.Units > len(want) || ts.Units != ts.Shape[0] {
			t.Fatalf("fixture: tensor %s does not fit the network or the data file", ts.Name)
		}
		d := delta[off : off+size]
		scale, wmax := 0.0, float32(0)
		for i, v := range d {
			scale = max(scale, math.Abs(float64(v)))
			wmax = max(wmax, float32(math.Abs(float64(final[off+i]))))
		}
		ulp := float64(math.Nextafter32(wmax, 2*wmax+1) - wmax)
		check := func(kind string, i int, got float64, ref float32, sc, slack float64) {
			rel := max(0, math.Abs(got-float64(ref))-slack) / sc
			worst = max(worst, rel)
			if !(rel <= parityDeltaTol) {
				if bad++; bad > 10 {
					return
				}
				t.Errorf("%s: %s %s[%d]: change %.6g, PyTorch %.6g (difference beyond %d ulps %.2g of the largest change, > %g)", what, ts.Name, kind, i, got, ref, steps, rel, parityDeltaTol)
			}
		}
		for i := 0; i < ts.Sample; i++ {
			check("element", i*ts.Stride, float64(d[i*ts.Stride]), want[pos+i], scale, float64(steps)*ulp)
		}
		pos += ts.Sample
		per := size / ts.Units
		for u := 0; u < ts.Units; u++ {
			var sum float64
			for _, v := range d[u*per : (u+1)*per] {
				sum += float64(v)
			}
			check("unit sum", u, sum, want[pos+u], scale*float64(per), float64(steps*per)*ulp)
		}
		pos += ts.Units
		off += size
	}
	if off != len(delta) || pos != len(want) {
		t.Fatalf("fixture: %d of %d parameters and %d of %d values used", off, len(delta), pos, len(want))
	}
	if bad > 10 {
		t.Errorf("%s: %d weight changes differ in all", what, bad)
	}
	return worst
}

// parityImages reads the fixture's CIFAR-10 records as the dataset stores
// images: raw 0–255 intensities in R, G, B planes.
func parityImages(t *testing.T, n int) (*matrix.Matrix, []int) {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("testdata", "torch_parity_images.bin"))
	if err != nil {
		t.Fatal(err)
	}
	if len(raw) != n*3073 {
		t.Fatalf("fixture: %d bytes of images, want %d records of 3073", len(raw), n)
	}
	x, y := matrix.New(n, 3072), make([]int, n)
	for i := range n {
		rec := raw[i*3073 : (i+1)*3073]
		y[i] = int(rec[0])
		for j, v := range rec[1:] {
			x.Row(i)[j] = float32(v)
		}
	}
	return x, y
}

func readF32(t *testing.T, path string) []float32 {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	v := make([]float32, len(b)/4)
	for i := range v {
		v[i] = math.Float32frombits(binary.LittleEndian.Uint32(b[4*i:]))
	}
	return v
}

// splitmixWeights returns deterministic initial weights for n in PyTorch's
// layout, as scripts/torch_cnn.py's init_params makes them: parameter i is
// bound·(k − 2²³)/2²³, k the top 24 bits of the i-th output of splitmix64
// seeded with 0, bound = 1/√fan_in of its layer; the product is taken in
// float64 and rounded to float32 once, as NumPy does.
func splitmixWeights(n *Network) []float32 {
	var bounds []float64 // one per parameter, in PyTorch's order
	for _, l := range n.Layers {
		var fanIn, size int
		switch l := l.(type) {
		case *Conv2D:
			fanIn, size = l.In*l.K*l.K, l.Out*l.In*l.K*l.K+l.Out
		case *Dense:
			fanIn, size = l.In, l.Out*l.In+l.Out
		default:
			continue
		}
		b := 1 / math.Sqrt(float64(fanIn))
		for range size {
			bounds = append(bounds, b)
		}
	}
	w := make([]float32, len(bounds))
	var z uint64
	for i, b := range bounds {
		z += 0x9E3779B97F4A7C15
		v := z
		v = (v ^ v>>30) * 0xBF58476D1CE4E5B9
		v = (v ^ v>>27) * 0x94D049BB133111EB
		v ^= v >> 31
		u := float64(int64(v>>40)-1<<23) / (1 << 23)
		w[i] = float32(u * b)
	}
	return w
}

// torchOrder returns pointers to the parameters of a seed-style network in
// the order of PyTorch's state_dict (conv weights [out][in][ky][kx], fc1's
// inputs in channel-first order, each layer's weights before its biases).
func torchOrder(n *Network) []*float32 {
	var ptrs []*float32
	shapes, _ := n.Shapes()
	for li, l := range n.Layers {
		switch l := l.(type) {
		case *Conv2D:
			for o := 0; o < l.Out; o++ {
				for c := 0; c < l.In; c++ {
					for ky := 0; ky < l.K; ky++ {
						for kx := 0; kx < l.K; kx++ {
							ptrs = append(ptrs, &l.W[((o*l.K+ky)*l.K+kx)*l.In+c])
						}
					}
				}
			}
			for i := range l.B {
				ptrs = append(ptrs, &l.B[i])
			}
		case *Dense:
			if _, ok := n.Layers[li-1].(Flatten); ok {
				s := shapes[li-1] // the shape before flattening
				for j := 0; j < l.Out; j++ {
					row := l.W[j*l.In : (j+1)*l.In]
					for c := 0; c < s.C; c++ {
						for y := 0; y < s.H; y++ {
							for x := 0; x < s.W; x++ {
								ptrs = append(ptrs, &row[(y*s.W+x)*s.C+c])
							}
						}
					}
				}
			} else {
				for i := range l.W {
					ptrs = append(ptrs, &l.W[i])
				}
			}
			for i := range l.B {
				ptrs = append(ptrs, &l.B[i])
			}
		}
	}
	return ptrs
}

// torchLayout returns n's parameters in PyTorch's layout (torchOrder).
func torchLayout(n *Network) []float32 {
	ptrs := torchOrder(n)
	v := make([]float32, len(ptrs))
	for i, p := range ptrs {
		v[i] = *p
	}
	return v
}

// setTorchLayout sets n's parameters from v in PyTorch's layout.
func setTorchLayout(n *Network, v []float32) {
	for i, p := range torchOrder(n) {
		*p = v[i]
	}
}

// TestTorchLayoutRoundTrip checks that torchOrder visits every parameter
// exactly once, so that the fixture's layout is the whole network.
func TestTorchLayoutRoundTrip(t *testing.T) {
	net, _ := NewBaseline(VariantSigmoidLoss, rand.New(rand.NewPCG(3, 4)))
	seen := map[*float32]bool{}
	for _, p := range torchOrder(net) {
		if seen[p] {
			t.Fatal("a parameter appears twice in PyTorch's layout")
		}
		seen[p] = true
	}
	total := 0
	for _, l := range net.Layers {
		for _, p := range l.Params() {
			total += len(p)
		}
	}
	if len(seen) != total {
		t.Fatalf("PyTorch's layout holds %d of the network's %d parameters", len(seen), total)
	}
}
