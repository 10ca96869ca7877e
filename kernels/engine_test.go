package kernels

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"sync"
	"testing"

	"github.com/svmbench/svmbench/internal/linalg"
	"github.com/svmbench/svmbench/matrix"
)

// u is the unit roundoff of float32.
const u = 1.0 / (1 << 24)

// normalMatrix returns n×d standard normal samples (mixed signs).
func normalMatrix(rng *rand.Rand, n, d int) *matrix.Matrix {
	m := matrix.New(n, d)
	for i := range m.Data {
		m.Data[i] = float32(rng.NormFloat64())
	}
	return m
}

// cifarMatrix returns n×d samples scaled like CIFAR pixels: k/255, k uniform
// in 0..255.
func cifarMatrix(rng *rand.Rand, n, d int) *matrix.Matrix {
	m := matrix.New(n, d)
	for i := range m.Data {
		m.Data[i] = float32(rng.IntN(256)) / 255
	}
	return m
}

// absDot is Σ|x_l·y_l|, the scale of the rounding error of ⟨x,y⟩.
func absDot(x, y []float32) float64 {
	var s float64
	for i := range x {
		s += math.Abs(float64(x[i]) * float64(y[i]))
	}
	return s
}

// tolerance bounds |K_engine − K_naive| for one element: the float32 inner
// product of d terms is off by at most δ = γ_d·Σ|x_l·y_l| (γ_d = d·u/(1−d·u),
// Higham, Accuracy and Stability of Numerical Algorithms, §3.1), which moves
// K by at most max|∂K/∂dot|·δ; the float32 result adds one rounding, u·|K|.
// Kernels the test does not know get a relative tolerance of 1e-5.
func tolerance(k Kernel, x, y []float32, naive float64) float64 {
	d := float64(len(x))
	gd := d * u / (1 - d*u)
	delta := gd * absDot(x, y)
	var slope float64
	switch k := k.(type) {
	case Linear:
		slope = 1
	case Sigmoid:
		slope = math.Abs(k.Alpha)
	case RBF:
		slope = 2 * k.Gamma * math.Min(1, naive*math.Exp(2*k.Gamma*delta))
	case Poly:
		if k.Degree > 0 {
			b := math.Abs(k.Gamma*dot64(x, y)+k.Coef0) + k.Gamma*delta
			slope = float64(k.Degree) * k.Gamma * math.Pow(b, float64(k.Degree-1))
		}
	case cosine:
		slope = 1 / (math.Sqrt(dot64(x, x)*dot64(y, y)) + 1)
	default:
		return 1e-5*math.Abs(naive) + 1e-7
	}
	return slope*delta + 2*u*math.Abs(naive) + 1e-12
}

// checkBlock compares got (len(rows)×len(cols)) with the float64 definition
// of k on rows of a and b, element by element.
func checkBlock(t *testing.T, what string, k Kernel, got *matrix.Matrix, a, b *matrix.Matrix, rows, cols []int) {
	t.Helper()
	worst, bad := 0.0, 0
	for i := 0; i < got.Rows; i++ {
		x := a.Row(at(rows, i))
		for j := 0; j < got.Cols; j++ {
			y := b.Row(at(cols, j))
			want := k.Eval(x, y)
			tol := tolerance(k, x, y, want)
			diff := math.Abs(float64(got.Data[i*got.Stride+j]) - want)
			if r := diff / tol; r > worst {
				worst = r
			}
			if !(diff <= tol) {
				if bad < 5 {
					t.Errorf("%s %v: [%d][%d] = %v, want %v (±%.3g)", what, k, i, j, got.Data[i*got.Stride+j], want, tol)
				}
				bad++
			}
		}
	}
	if bad > 0 {
		t.Errorf("%s %v: %d of %d elements outside tolerance", what, k, bad, got.Rows*got.Cols)
	}
	t.Logf("%s %v: %d×%d, largest error %.3f of tolerance", what, k, got.Rows, got.Cols, worst)
}

// testKernels returns the built-in kernels with parameters that keep their
// values away from saturation on data with inner products of size about s.
func testKernels(s float64) []Kernel {
	return []Kernel{
		Linear{},
		Sigmoid{Alpha: 1 / s, Coef0: -1},
		Sigmoid{Alpha: 0.3 / s, Coef0: 0.5},
		RBF{Gamma: 0.5 / s},
		Poly{Gamma: 1 / s, Coef0: 1, Degree: 3},
	}
}

type dataCase struct {
	name string
	x    *matrix.Matrix
	s    float64 // typical |⟨x,y⟩| scale
}

func dataCases() []dataCase {
	rng := rand.New(rand.NewPCG(1, 1))
	return []dataCase{
		{"normal 130×37", normalMatrix(rng, 130, 37), 37},
		{"cifar 150×3072", cifarMatrix(rng, 150, 3072), 3072 / 3},
	}
}

func TestGramAgainstNaive(t *testing.T) {
	for _, dc := range dataCases() {
		for _, k := range testKernels(dc.s) {
			e, err := NewEngine(k, dc.x)
			if err != nil {
				t.Fatal(err)
			}
			n := dc.x.Rows
			g := matrix.New(n, n)
			e.Gram(g)
			checkBlock(t, dc.name+" Gram", k, g, dc.x, dc.x, nil, nil)
			checkSymmetric(t, dc.name+" Gram", g)
		}
	}
}

func checkSymmetric(t *testing.T, what string, g *matrix.Matrix) {
	t.Helper()
	for i := 0; i < g.Rows; i++ {
		for j := 0; j < i; j++ {
			if g.Data[i*g.Stride+j] != g.Data[j*g.Stride+i] {
				t.Fatalf("%s: [%d][%d] = %v but [%d][%d] = %v", what, i, j, g.Data[i*g.Stride+j], j, i, g.Data[j*g.Stride+i])
			}
		}
	}
}

// oddSizes returns index-set lengths around the tile shape of this build:
// one short of a panel, one over, and more than two panels plus an odd rest.
func oddSizes() (rows, cols int) {
	tm, tn := linalg.TileShape()
	return 2*tm + 13, 2*tn + 7
}

// randomIndex returns m indices in [0, n) with repeats and in no order.
func randomIndex(rng *rand.Rand, m, n int) []int {
	idx := make([]int, m)
	for i := range idx {
		idx[i] = rng.IntN(n)
	}
	if m > 3 {
		idx[1] = idx[0] // a certain repeat
		idx[3] = idx[2]
	}
	return idx
}

func TestBlockIndexSets(t *testing.T) {
	rng := rand.New(rand.NewPCG(2, 2))
	nr, nc := oddSizes()
	n := nr + 5
	x := normalMatrix(rng, n, 19)
	rows := randomIndex(rng, nr, n)
	cols := randomIndex(rng, nc, n)
	cols[5] = rows[5] // a row meets itself off the diagonal position
	for _, k := range testKernels(19) {
		e, err := NewEngine(k, x)
		if err != nil {
			t.Fatal(err)
		}
		b := matrix.New(nr, nc)
		e.Block(b, rows, cols)
		checkBlock(t, "Block rows×cols", k, b, x, x, rows, cols)
		// nil on one side.
		b2 := matrix.New(nr, n)
		e.Block(b2, rows, nil)
		checkBlock(t, "Block rows×all", k, b2, x, x, rows, nil)
		b3 := matrix.New(n, nc)
		e.Block(b3, nil, cols)
		checkBlock(t, "Block all×cols", k, b3, x, x, nil, cols)
		// The transposed block.
		bt := matrix.New(nc, nr)
		e.Block(bt, cols, rows)
		worst := 0.0
		for i := 0; i < nr; i++ {
			for j := 0; j < nc; j++ {
				p, q := float64(b.Data[i*nc+j]), float64(bt.Data[j*nr+i])
				tol := 2 * tolerance(k, x.Row(rows[i]), x.Row(cols[j]), p)
				if d := math.Abs(p - q); d > tol {
					t.Fatalf("%v: Block(rows, cols)[%d][%d] = %v, Block(cols, rows)[%d][%d] = %v", k, i, j, p, j, i, q)
				} else if d/tol > worst {
					worst = d / tol
				}
			}
		}
		t.Logf("%v: block and transposed block differ by at most %.3f of tolerance", k, worst)
		// A symmetric block over an index set with repeats.
		s := matrix.New(nr, nr)
		e.Block(s, rows, rows)
		checkBlock(t, "Block rows×rows", k, s, x, x, rows, rows)
		checkSymmetric(t, fmt.Sprintf("%v Block rows×rows", k), s)
	}
}

func TestColumns(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 3))
	_, tn := linalg.TileShape()
	n := 3*tn + 11
	x := cifarMatrix(rng, n, 300)
	idx := randomIndex(rng, 67, n)
	for _, k := range testKernels(100) {
		e, err := NewEngine(k, x)
		if err != nil {
			t.Fatal(err)
		}
		c := matrix.New(len(idx), n)
		e.Columns(c, idx)
		// Row j of c is column idx[j] of the Gram matrix: K(x_i, x_idx[j]).
		checkBlock(t, "Columns", k, c, x, x, idx, nil)
		// And it is column idx[j] of the Gram matrix (row idx[j], by
		// symmetry), up to the rounding of differently blocked products.
		g := matrix.New(n, n)
		e.Gram(g)
		same(t, fmt.Sprintf("%v Columns vs Gram", k), c, g.Gather(idx), k, x, idx, nil)
	}
}

func TestExactDiagonal(t *testing.T) {
	rng := rand.New(rand.NewPCG(4, 4))
	x := cifarMatrix(rng, 70, 3072)
	e, err := NewEngine(RBF{Gamma: 0.005}, x)
	if err != nil {
		t.Fatal(err)
	}
	g := matrix.New(70, 70)
	e.Gram(g)
	idx := []int{5, 5, 69, 0}
	c := matrix.New(4, 70)
	e.Columns(c, idx)
	for i := 0; i < 70; i++ {
		if g.At(i, i) != 1 {
			t.Fatalf("RBF Gram diagonal [%d] = %v, want exactly 1", i, g.At(i, i))
		}
	}
	for j, i := range idx {
		if c.At(j, i) != 1 {
			t.Fatalf("RBF Columns [%d][%d] = %v, want exactly 1", j, i, c.At(j, i))
		}
	}
}

func TestCross(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 5))
	nr, nc := oddSizes()
	a := normalMatrix(rng, nr, 23)
	b := normalMatrix(rng, nc, 23)
	for _, k := range append(testKernels(23), laplacian{Gamma: 0.1}, cosine{}) {
		dst := matrix.New(nr, nc)
		if err := Cross(dst, k, a, b); err != nil {
			t.Fatal(err)
		}
		checkBlock(t, "Cross", k, dst, a, b, nil, nil)
	}
	// A 3-row matrix against itself through Cross: no exact-diagonal rule,
	// but still within tolerance.
	dst := matrix.New(3, 3)
	if err := Cross(dst, RBF{Gamma: 1}, a.Slice(0, 3), a.Slice(0, 3)); err != nil {
		t.Fatal(err)
	}
	checkBlock(t, "Cross self", RBF{Gamma: 1}, dst, a, a, nil, nil)

	if err := Cross(matrix.New(nr, 2), Linear{}, a, matrix.New(2, 5)); err == nil || !strings.Contains(err.Error(), "23- and 5-dimensional") {
		t.Errorf("Cross of mismatched dimensions: err = %v", err)
	}
	if err := CrossNorms(dst, RBF{Gamma: 1}, a.Slice(0, 3), a.Slice(0, 3), nil, nil); err == nil || !strings.Contains(err.Error(), "norms") {
		t.Errorf("CrossNorms RBF without norms: err = %v", err)
	}
	if err := Cross(dst, RBF{Gamma: -1}, a, b); err == nil || !strings.Contains(err.Error(), "RBF.Gamma") {
		t.Errorf("Cross with RBF{Gamma: -1}: err = %v", err)
	}
}

// laplacian is a user kernel that is not a DotKernel: exp(−γ‖x−y‖₁).
type laplacian struct{ Gamma float64 }

func (laplacian) Name() string { return "laplacian" }
func (k laplacian) Eval(x, y []float32) float64 {
	var s float64
	for i := range x {
		s += math.Abs(float64(x[i]) - float64(y[i]))
	}
	return math.Exp(-k.Gamma * s)
}

// cosine is a user DotKernel not known to the engine: ⟨x,y⟩/(‖x‖‖y‖ + 1).
type cosine struct{}

func (cosine) Name() string { return "cosine" }
func (c cosine) Eval(x, y []float32) float64 {
	return c.FromDot(dot64(x, y), dot64(x, x), dot64(y, y))
}
func (cosine) FromDot(dot, xx, yy float64) float64 { return dot / (math.Sqrt(xx*yy) + 1) }

func TestUserKernels(t *testing.T) {
	rng := rand.New(rand.NewPCG(6, 6))
	nr, nc := oddSizes()
	n := nr + 3
	x := normalMatrix(rng, n, 11)
	rows := randomIndex(rng, nr, n)
	cols := randomIndex(rng, nc, n)
	for _, k := range []Kernel{laplacian{Gamma: 0.2}, cosine{}} {
		e, err := NewEngine(k, x)
		if err != nil {
			t.Fatal(err)
		}
		g := matrix.New(n, n)
		e.Gram(g)
		checkBlock(t, "user Gram", k, g, x, x, nil, nil)
		checkSymmetric(t, k.Name(), g)
		b := matrix.New(nr, nc)
		e.Block(b, rows, cols)
		checkBlock(t, "user Block", k, b, x, x, rows, cols)
		c := matrix.New(len(cols), n)
		e.Columns(c, cols)
		checkBlock(t, "user Columns", k, c, x, x, cols, nil)
	}
}

func TestDotGram(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 7))
	nr, nc := oddSizes()
	n := nr + 9
	x := cifarMatrix(rng, n, 41)
	g := NewDotGram(x)
	checkBlock(t, "DotGram.Dot", Linear{}, g.Dot, x, x, nil, nil)
	checkSymmetric(t, "DotGram.Dot", g.Dot)
	rows := randomIndex(rng, nr, n)
	cols := randomIndex(rng, nc, n)
	cols[2] = rows[2]
	for _, k := range append(testKernels(14), cosine{}) {
		dk := k.(DotKernel)
		e, err := NewEngine(k, x)
		if err != nil {
			t.Fatal(err)
		}
		want := matrix.New(n, n)
		e.Gram(want)
		got := matrix.New(n, n)
		g.Gram(got, dk, nil, nil)
		same(t, fmt.Sprintf("%v DotGram.Gram vs Engine.Gram", k), got, want, k, x, nil, nil)

		wb := matrix.New(nr, nc)
		e.Block(wb, rows, cols)
		gb := matrix.New(nr, nc)
		g.Gram(gb, dk, rows, cols)
		same(t, fmt.Sprintf("%v DotGram.Gram vs Engine.Block", k), gb, wb, k, x, rows, cols)

		wr := matrix.New(nr, n)
		e.Block(wr, rows, nil)
		gr := matrix.New(nr, n)
		g.Gram(gr, dk, rows, nil)
		same(t, fmt.Sprintf("%v DotGram.Gram vs Engine.Block, rows×all", k), gr, wr, k, x, rows, nil)

		wc := matrix.New(n, nc)
		e.Block(wc, nil, cols)
		gc := matrix.New(n, nc)
		g.Gram(gc, dk, nil, cols)
		same(t, fmt.Sprintf("%v DotGram.Gram vs Engine.Block, all×cols", k), gc, wc, k, x, nil, cols)

		ws := matrix.New(nr, nr)
		e.Block(ws, rows, rows)
		gs := matrix.New(nr, nr)
		g.Gram(gs, dk, rows, rows)
		same(t, fmt.Sprintf("%v DotGram.Gram vs Engine.Block, symmetric", k), gs, ws, k, x, rows, rows)
		checkSymmetric(t, "DotGram.Gram rows×rows", gs)

		// In place.
		g2 := &DotGram{Dot: g.Dot.Clone(), Norms: g.Norms}
		g2.Gram(g2.Dot, dk, nil, nil)
		same(t, fmt.Sprintf("%v DotGram.Gram in place", k), g2.Dot, want, k, x, nil, nil)
	}
	// A DotGram of a subset equals the DotGram of the gathered rows.
	sub := mustEngine(t, Linear{}, x).DotGram(rows)
	ref := NewDotGram(x.Gather(rows))
	same(t, "Engine.DotGram(rows)", sub.Dot, ref.Dot, Linear{}, x, rows, rows)
	for i := range rows {
		if sub.Norms[i] != ref.Norms[i] {
			t.Fatalf("Engine.DotGram(rows).Norms[%d] = %v, want %v", i, sub.Norms[i], ref.Norms[i])
		}
	}
}

func mustEngine(t *testing.T, k Kernel, x *matrix.Matrix) *Engine {
	t.Helper()
	en, err := NewEngine(k, x)
	if err != nil {
		t.Fatal(err)
	}
	return en
}

// same checks that two computations of one block agree to within the
// rounding tolerance of one of them (they use the same float32 inner
// products in the default build, and are then equal).
func same(t *testing.T, what string, got, want *matrix.Matrix, k Kernel, x *matrix.Matrix, rows, cols []int) {
	t.Helper()
	differ := 0
	for i := 0; i < got.Rows; i++ {
		for j := 0; j < got.Cols; j++ {
			p, q := float64(got.Data[i*got.Stride+j]), float64(want.Data[i*want.Stride+j])
			if p == q {
				continue
			}
			differ++
			tol := 2 * tolerance(k, x.Row(at(rows, i)), x.Row(at(cols, j)), q)
			if math.Abs(p-q) > tol {
				t.Fatalf("%s: [%d][%d] = %v, want %v (±%.3g)", what, i, j, p, q, tol)
			}
		}
	}
	if differ > 0 {
		t.Logf("%s: %d of %d elements differ in the last bits", what, differ, got.Rows*got.Cols)
	}
}

func TestWorkersGiveSameResult(t *testing.T) {
	rng := rand.New(rand.NewPCG(8, 8))
	nr, _ := oddSizes()
	x := normalMatrix(rng, nr, 33)
	var ref *matrix.Matrix
	for _, w := range []int{1, 2, 3, 7} {
		en, err := NewEngineOptions(Sigmoid{Alpha: 0.03, Coef0: -0.5}, x, Options{Workers: w})
		if err != nil {
			t.Fatal(err)
		}
		if en.Workers() != w {
			t.Fatalf("Workers() = %d, want %d", en.Workers(), w)
		}
		g := matrix.New(nr, nr)
		en.Gram(g)
		if ref == nil {
			ref = g
			continue
		}
		for i := range g.Data {
			if g.Data[i] != ref.Data[i] {
				t.Fatalf("Workers %d: element %d = %v, with 1 worker %v", w, i, g.Data[i], ref.Data[i])
			}
		}
	}
}

func TestConcurrentCalls(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 9))
	n := 300
	x := normalMatrix(rng, n, 29)
	en := mustEngine(t, RBF{Gamma: 0.02}, x)
	// References computed one call at a time.
	idxs := make([][]int, 8)
	wants := make([]*matrix.Matrix, 8)
	for w := range idxs {
		idxs[w] = randomIndex(rng, 50+w, n)
		wants[w] = matrix.New(len(idxs[w]), n)
		en.Columns(wants[w], idxs[w])
	}
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for w := range idxs {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			c := matrix.New(len(idxs[w]), n)
			for rep := 0; rep < 5; rep++ {
				en.Columns(c, idxs[w])
				for i, v := range c.Data {
					if v != wants[w].Data[i] {
						errs <- fmt.Errorf("goroutine %d: Columns element %d = %v, alone %v", w, i, v, wants[w].Data[i])
						return
					}
				}
			}
		}(w)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
}

func TestNoAllocationInSteadyState(t *testing.T) {
	rng := rand.New(rand.NewPCG(10, 10))
	n := 700
	x := cifarMatrix(rng, n, 64)
	en := mustEngine(t, RBF{Gamma: 0.01}, x)
	idx := randomIndex(rng, 64, n)
	c := matrix.New(len(idx), n)
	g := NewDotGram(x.Slice(0, 200))
	gd := matrix.New(200, 200)
	sub := idx[:40]
	gs := matrix.New(40, 40)
	for i := 0; i < 3; i++ { // warm the pools and start the helpers
		en.Columns(c, idx)
		g.Gram(gd, Sigmoid{Alpha: 0.01, Coef0: -1}, nil, nil)
		en.Block(gs, sub, sub)
	}
	for name, f := range map[string]func(){
		"Columns":      func() { en.Columns(c, idx) },
		"Block sym":    func() { en.Block(gs, sub, sub) },
		"DotGram.Gram": func() { g.Gram(gd, Sigmoid{Alpha: 0.01, Coef0: -1}, nil, nil) },
	} {
		if a := testing.AllocsPerRun(20, f); a >= 1 {
			t.Errorf("%s: %v allocations per call in steady state, want 0", name, a)
		}
	}
}

func TestEmptyAndDegenerate(t *testing.T) {
	// No samples.
	x0 := matrix.New(0, 5)
	en := mustEngine(t, RBF{Gamma: 1}, x0)
	en.Gram(matrix.New(0, 0))
	// Zero-dimensional samples: every inner product is 0.
	xd := matrix.New(4, 0)
	en = mustEngine(t, Sigmoid{Alpha: 1, Coef0: 0.5}, xd)
	g := matrix.New(4, 4)
	en.Gram(g)
	for i, v := range g.Data {
		if want := float32(math.Tanh(0.5)); v != want {
			t.Fatalf("0-dim Gram element %d = %v, want %v", i, v, want)
		}
	}
	// Empty index sets.
	x := normalMatrix(rand.New(rand.NewPCG(11, 11)), 5, 3)
	en = mustEngine(t, Linear{}, x)
	en.Block(matrix.New(0, 5), []int{}, nil)
	en.Columns(matrix.New(0, 5), []int{})
}

func TestMisusePanics(t *testing.T) {
	x := normalMatrix(rand.New(rand.NewPCG(12, 12)), 5, 3)
	en := mustEngine(t, Linear{}, x)
	g := NewDotGram(x)
	for name, f := range map[string]func(){
		"Block shape":        func() { en.Block(matrix.New(2, 2), []int{0}, nil) },
		"Block index":        func() { en.Block(matrix.New(1, 5), []int{5}, nil) },
		"Columns negative":   func() { en.Columns(matrix.New(1, 5), []int{-1}) },
		"DotGram.Gram shape": func() { g.Gram(matrix.New(4, 5), RBF{Gamma: 1}, nil, nil) },
		"DotGram in place":   func() { g.Gram(&matrix.Matrix{General: g.Dot.General}, RBF{Gamma: 1}, []int{0, 1, 2, 3, 4}, nil) },
		"DotGram invalid k":  func() { g.Gram(matrix.New(5, 5), RBF{}, nil, nil) },
	} {
		func() {
			defer func() {
				r := recover()
				if r == nil {
					t.Errorf("%s: no panic", name)
					return
				}
				if !strings.HasPrefix(fmt.Sprint(r), "kernels: ") {
					t.Errorf("%s: panic %q lacks the package prefix", name, r)
				}
			}()
			f()
		}()
	}
}

func TestValidateNamesTheField(t *testing.T) {
	for _, c := range []struct {
		k     Kernel
		field string
	}{
		{Sigmoid{Alpha: math.NaN()}, "Sigmoid.Alpha"},
		{Sigmoid{Alpha: 1, Coef0: math.Inf(-1)}, "Sigmoid.Coef0"},
		{RBF{}, "RBF.Gamma"},
		{RBF{Gamma: -1}, "RBF.Gamma"},
		{RBF{Gamma: math.Inf(1)}, "RBF.Gamma"},
		{Poly{Gamma: 0, Degree: 2}, "Poly.Gamma"},
		{Poly{Gamma: 1, Coef0: math.NaN(), Degree: 2}, "Poly.Coef0"},
		{Poly{Gamma: 1, Degree: 0}, "Poly.Degree"},
	} {
		err := Validate(c.k)
		var pe *ParamError
		if err == nil || !errors.As(err, &pe) || !strings.HasPrefix(err.Error(), "kernels: "+c.field+" = ") || !strings.Contains(err.Error(), "want") {
			t.Errorf("Validate(%#v) = %v, want a ParamError naming %s and the allowed range", c.k, err, c.field)
			continue
		}
		if _, err := NewEngine(c.k, matrix.New(1, 1)); err == nil || err.Error() != Validate(c.k).Error() {
			t.Errorf("NewEngine(%#v) = %v, want the Validate error", c.k, err)
		}
	}
	for _, k := range []Kernel{Sigmoid{Alpha: -1, Coef0: 3}, RBF{Gamma: 1e-9}, Linear{}, Poly{Gamma: 1, Degree: 1}, laplacian{}} {
		if err := Validate(k); err != nil {
			t.Errorf("Validate(%#v) = %v, want nil", k, err)
		}
	}
	if err := Validate(nil); !errors.Is(err, ErrNoKernel) {
		t.Errorf("Validate(nil) = %v, want ErrNoKernel", err)
	}
	if _, err := NewEngineOptions(Linear{}, matrix.New(1, 1), Options{Workers: -1}); err == nil || !strings.Contains(err.Error(), "Options.Workers") {
		t.Errorf("Workers -1: err = %v", err)
	}
}

func TestNamesAndStrings(t *testing.T) {
	for _, c := range []struct {
		k          Kernel
		name, text string
	}{
		{Sigmoid{Alpha: 0.001, Coef0: -1}, "sigmoid", "sigmoid(alpha=0.001, coef0=-1)"},
		{RBF{Gamma: 0.005}, "rbf", "rbf(gamma=0.005)"},
		{Linear{}, "linear", "linear"},
		{Poly{Gamma: 0.5, Coef0: 1, Degree: 3}, "poly", "poly(gamma=0.5, coef0=1, degree=3)"},
	} {
		if c.k.Name() != c.name || fmt.Sprint(c.k) != c.text {
			t.Errorf("%#v: Name %q String %q, want %q %q", c.k, c.k.Name(), fmt.Sprint(c.k), c.name, c.text)
		}
	}
}

func TestIdentityIndexIsAllRows(t *testing.T) {
	rng := rand.New(rand.NewPCG(13, 13))
	n := 100
	x := normalMatrix(rng, n, 17)
	en := mustEngine(t, RBF{Gamma: 0.05}, x)
	all := make([]int, n)
	for i := range all {
		all[i] = i
	}
	g, b := matrix.New(n, n), matrix.New(n, n)
	en.Gram(g)
	en.Block(b, all, all)
	for i := range g.Data {
		if g.Data[i] != b.Data[i] {
			t.Fatalf("Block(all, all) element %d = %v, Gram %v", i, b.Data[i], g.Data[i])
		}
	}
}

// TestConsecutiveIndexRuns covers index sets whose tiles are runs of
// consecutive rows (read in place) next to tiles that are not (gathered).
func TestConsecutiveIndexRuns(t *testing.T) {
	rng := rand.New(rand.NewPCG(14, 14))
	nr, nc := oddSizes()
	n := nr + nc + 10
	x := normalMatrix(rng, n, 21)
	rows := make([]int, nr)
	for i := range rows {
		rows[i] = i + 3 // one run, not starting at 0
	}
	cols := make([]int, nc)
	for j := range cols {
		cols[j] = n - nc + j // a run ...
	}
	cols[nc-2], cols[nc-1] = 0, 0 // ... broken at the end
	for _, k := range []Kernel{RBF{Gamma: 0.05}, Sigmoid{Alpha: 0.05, Coef0: -0.2}} {
		en := mustEngine(t, k, x)
		b := matrix.New(nr, nc)
		en.Block(b, rows, cols)
		checkBlock(t, "runs Block", k, b, x, x, rows, cols)
		s := matrix.New(nr, nr)
		en.Block(s, rows, rows)
		checkBlock(t, "runs Block sym", k, s, x, x, rows, rows)
		checkSymmetric(t, "runs Block sym", s)
	}
}

func TestDotGramConcurrentCalls(t *testing.T) {
	rng := rand.New(rand.NewPCG(15, 15))
	n := 200
	x := cifarMatrix(rng, n, 50)
	g := NewDotGram(x)
	ks := []DotKernel{RBF{Gamma: 0.1}, Sigmoid{Alpha: 0.01, Coef0: -0.1}, Linear{}, Poly{Gamma: 0.1, Coef0: 1, Degree: 2}}
	wants := make([]*matrix.Matrix, len(ks))
	for i, k := range ks {
		wants[i] = matrix.New(n, n)
		g.Gram(wants[i], k, nil, nil)
	}
	var wg sync.WaitGroup
	errs := make(chan error, len(ks))
	for i, k := range ks {
		wg.Add(1)
		go func() {
			defer wg.Done()
			dst := matrix.New(n, n)
			for rep := 0; rep < 10; rep++ {
				g.Gram(dst, k, nil, nil)
				for e, v := range dst.Data {
					if v != wants[i].Data[e] {
						errs <- fmt.Errorf("%v: element %d = %v, alone %v", k, e, v, wants[i].Data[e])
						return
					}
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
}
