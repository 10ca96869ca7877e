package cnn

import (
	"math"
	"math/rand/v2"
	"testing"
)

// The gradient checks compare each analytic gradient with the central
// difference (f(x+ε) − f(x−ε))/2ε of a float64 sum over float32 layer
// outputs. Inputs are drawn away from the kinks of ReLU and max-pooling.

func randSlice(rng *rand.Rand, n int, lo, hi float64) []float32 {
	s := make([]float32, n)
	for i := range s {
		s[i] = float32(lo + (hi-lo)*rng.Float64())
	}
	return s
}

// awayFromZero draws values with |v| in [0.1, 1].
func awayFromZero(rng *rand.Rand, n int) []float32 {
	s := randSlice(rng, n, 0.1, 1)
	for i := range s {
		if rng.IntN(2) == 0 {
			s[i] = -s[i]
		}
	}
	return s
}

// distinct returns a random permutation of evenly spaced values, so that
// the maximum of any window is unique by a wide margin.
func distinct(rng *rand.Rand, n int) []float32 {
	s := make([]float32, n)
	for i, p := range rng.Perm(n) {
		s[i] = float32(p)/float32(n)*2 - 1
	}
	return s
}

func closeEnough(a, num float64) bool {
	return math.Abs(a-num) <= 2e-3*max(math.Abs(a), math.Abs(num))+2e-3
}

// checkLayer checks dIn and every parameter gradient of l for n samples of
// shape in, with x the input and r the weights of the scalar loss Σ r·out.
func checkLayer(t *testing.T, l Layer, in Shape, n int, x []float32, eps float64, rng *rand.Rand) {
	t.Helper()
	out, err := l.OutShape(in)
	if err != nil {
		t.Fatal(err)
	}
	s := l.newScratch(in, n)
	y := make([]float32, n*out.Size())
	r := randSlice(rng, len(y), -1, 1)
	loss := func() float64 {
		l.forward(s, x, y, n)
		var sum float64
		for i, v := range y {
			sum += float64(v) * float64(r[i])
		}
		return sum
	}
	loss()
	dIn := make([]float32, len(x))
	var grads [][]float32
	for _, p := range l.Params() {
		grads = append(grads, make([]float32, len(p)))
	}
	l.backward(s, x, y, r, dIn, grads, n)

	check := func(what string, v []float32, analytic []float32) {
		t.Helper()
		idx := rng.Perm(len(v))
		if len(idx) > 60 {
			idx = idx[:60]
		}
		for _, i := range idx {
			old := v[i]
			v[i] = old + float32(eps)
			lp := loss()
			v[i] = old - float32(eps)
			lm := loss()
			v[i] = old
			num := (lp - lm) / (2 * eps)
			if !closeEnough(float64(analytic[i]), num) {
				t.Errorf("%s %s[%d]: analytic %.6g, finite difference %.6g", l.Kind(), what, i, analytic[i], num)
			}
		}
	}
	check("input", x, dIn)
	for j, p := range l.Params() {
		check([]string{"weight", "bias"}[j], p, grads[j])
	}
}

func TestGradConv2D(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, tc := range []struct {
		in                 Shape
		out, k, stride, pd int
	}{
		{Shape{5, 6, 3}, 4, 3, 1, 1},
		{Shape{7, 7, 2}, 3, 3, 2, 1},
		{Shape{6, 5, 2}, 2, 2, 2, 0},
		{Shape{4, 4, 3}, 5, 1, 1, 0},
		{Shape{5, 5, 1}, 2, 5, 1, 2},
	} {
		c := NewConv2D(tc.in.C, tc.out, tc.k, tc.stride, tc.pd)
		c.init(rng)
		x := randSlice(rng, 3*tc.in.Size(), -1, 1)
		checkLayer(t, c, tc.in, 3, x, 1e-2, rng)
	}
}

func TestGradDense(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	d := NewDense(70, 9)
	d.init(rng)
	checkLayer(t, d, Shape{1, 1, 70}, 4, randSlice(rng, 4*70, -1, 1), 1e-2, rng)
}

func TestGradMaxPool(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	in := Shape{6, 7, 3}
	checkLayer(t, &MaxPool{2}, in, 2, distinct(rng, 2*in.Size()), 1e-3, rng)
	checkLayer(t, &MaxPool{3}, in, 2, distinct(rng, 2*in.Size()), 1e-3, rng)
}

func TestGradActivations(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	in := Shape{3, 4, 5}
	checkLayer(t, ReLU{}, in, 2, awayFromZero(rng, 2*in.Size()), 1e-2, rng)
	checkLayer(t, Sigmoid{}, in, 2, randSlice(rng, 2*in.Size(), -4, 4), 1e-3, rng)
	checkLayer(t, Flatten{}, in, 2, randSlice(rng, 2*in.Size(), -1, 1), 1e-2, rng)
}

func TestSigmoidExtremes(t *testing.T) {
	for _, x := range []float64{-1000, -50, 0, 50, 1000} {
		s := sigmoid(x)
		if math.IsNaN(s) || s < 0 || s > 1 {
			t.Errorf("sigmoid(%v) = %v", x, s)
		}
	}
}

func TestSoftmaxXentStable(t *testing.T) {
	z := []float32{1000, -1000, 999}
	dz := make([]float32, 3)
	l := softmaxXent(dz, z, 2, 1)
	want := math.Log(1 + math.Exp(1)) // −log(e^999/(e^1000+e^999))
	if math.Abs(l-want) > 1e-9 {
		t.Errorf("loss %v, want %v", l, want)
	}
	var sum float64
	for _, v := range dz {
		if math.IsNaN(float64(v)) {
			t.Fatalf("NaN gradient %v", dz)
		}
		sum += float64(v)
	}
	if math.Abs(sum) > 1e-6 {
		t.Errorf("gradient %v does not sum to 0", dz)
	}
}

// smallNet is a seed-like network on 8×8×3 images with 3 classes.
func smallNet(sig bool, rng *rand.Rand) *Network {
	n := &Network{Name: "small", Input: Shape{8, 8, 3}, Layers: []Layer{
		NewConv2D(3, 4, 3, 1, 1), ReLU{}, &MaxPool{2},
		NewConv2D(4, 6, 3, 1, 1), ReLU{}, &MaxPool{2},
		Flatten{}, NewDense(24, 10), ReLU{}, NewDense(10, 3),
	}}
	if sig {
		n.Layers = append(n.Layers, Sigmoid{})
	}
	n.Init(rng)
	return n
}

// TestGradNetwork checks every parameter gradient of a whole network under
// the mean softmax cross-entropy, with and without the output sigmoid.
func TestGradNetwork(t *testing.T) {
	for _, sig := range []bool{false, true} {
		rng := rand.New(rand.NewPCG(9, 10))
		net := smallNet(sig, rng)
		shapes, err := net.Shapes()
		if err != nil {
			t.Fatal(err)
		}
		const n = 4
		w := newWorkspace(net, shapes, n, true)
		copy(w.acts[0], randSlice(rng, n*net.Input.Size(), 0, 1))
		labels := []int{0, 2, 1, 2}
		L := len(net.Layers)
		loss := func() float64 {
			z := w.forward(net, n)
			var s float64
			for i := 0; i < n; i++ {
				s += softmaxXent(w.dActs[L][i*3:i*3+3], z[i*3:i*3+3], labels[i], 1.0/n)
			}
			return s / n
		}
		// kinks records which side of every ReLU kink and which max-pool
		// winner each value is on; a difference quotient is only compared
		// when neither perturbation changes it (else the loss is not
		// differentiable in between).
		kinks := func() uint64 {
			h := uint64(14695981039346656037)
			mix := func(v uint64) { h = (h ^ v) * 1099511628211 }
			for i, l := range net.Layers {
				switch l.(type) {
				case ReLU:
					for _, v := range w.acts[i+1] {
						if v > 0 {
							mix(1)
						} else {
							mix(2)
						}
					}
				case *MaxPool:
					for _, v := range w.scr[i].idx {
						mix(uint64(v))
					}
				}
			}
			return h
		}
		loss()
		base := kinks()
		w.backward(net, n)
		var grads [][]float32
		for _, g := range w.grads {
			for _, p := range g {
				grads = append(grads, append([]float32(nil), p...))
			}
		}
		k, compared, skipped := 0, 0, 0
		for li, l := range net.Layers {
			for pi, p := range l.Params() {
				g := grads[k]
				k++
				for _, i := range rng.Perm(len(p))[:min(len(p), 25)] {
					old := p[i]
					const eps = 2e-3
					p[i] = old + eps
					lp := loss()
					kp := kinks()
					p[i] = old - eps
					lm := loss()
					km := kinks()
					p[i] = old
					if kp != base || km != base {
						skipped++
						continue
					}
					compared++
					num := (lp - lm) / (2 * eps)
					if math.Abs(float64(g[i])-num) > 1e-2*max(math.Abs(num), math.Abs(float64(g[i])))+2e-4 {
						t.Errorf("sigmoid=%v layer %d (%s) param %d[%d]: analytic %.6g, finite difference %.6g", sig, li, l.Kind(), pi, i, g[i], num)
					}
				}
			}
		}
		t.Logf("sigmoid=%v: %d differences compared, %d skipped at kinks", sig, compared, skipped)
		if compared < 2*skipped {
			t.Errorf("too many perturbations crossed a kink (%d compared, %d skipped)", compared, skipped)
		}
	}
}

// TestNoSubnormals checks that a saturated sigmoid and a confident softmax
// give zeros rather than subnormal floats (see minNormal).
func TestNoSubnormals(t *testing.T) {
	sub := func(v float32) bool { return v != 0 && v < minNormal && v > -minNormal }
	in := []float32{-100, -90, 0, 90, 100}
	out := make([]float32, len(in))
	s := Sigmoid{}.newScratch(Shape{1, 1, len(in)}, 1)
	Sigmoid{}.forward(s, in, out, 1)
	dIn := make([]float32, len(in))
	Sigmoid{}.backward(s, in, out, []float32{1e-3, 1e-3, 1e-3, 1e-3, 1e-3}, dIn, nil, 1)
	dz := make([]float32, 3)
	softmaxXent(dz, []float32{0, 100, 0}, 1, 0.01)
	for i, v := range append(append(out, dIn...), dz...) {
		if sub(v) {
			t.Errorf("value %d is subnormal: %g", i, v)
		}
	}
}
