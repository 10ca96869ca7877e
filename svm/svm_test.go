package svm

import (
	"context"
	"errors"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/svmbench/svmbench/kernels"
	"github.com/svmbench/svmbench/matrix"
)

func gramOf(t testing.TB, k kernels.Kernel, x *matrix.Matrix) *matrix.Matrix {
	eng, err := kernels.NewEngine(k, x)
	if err != nil {
		t.Fatal(err)
	}
	g := matrix.New(x.Rows, x.Rows)
	eng.Gram(g)
	return g
}

func sameModel(t *testing.T, what string, a, b *Model, tol float64) {
	t.Helper()
	if len(a.Pairs) != len(b.Pairs) {
		t.Fatalf("%s: %d vs %d pairs", what, len(a.Pairs), len(b.Pairs))
	}
	for p := range a.Pairs {
		x, y := a.Pairs[p], b.Pairs[p]
		if math.Abs(x.Obj-y.Obj) > tol*math.Abs(x.Obj) || math.Abs(x.Rho-y.Rho) > 1e-3 || x.NSV != y.NSV {
			t.Errorf("%s: pair %d: obj %g/%g rho %g/%g nSV %d/%d", what, p, x.Obj, y.Obj, x.Rho, y.Rho, x.NSV, y.NSV)
		}
	}
}

// The LRU column cache (budget far below the problem) and the per-pair
// dense matrix must give the solution of the shared precomputed Gram.
func TestColumnProvidersAgree(t *testing.T) {
	x, y := blobs(600, 16, []int{0, 1, 2}, 1.3, 5)
	k := kernels.RBF{Gamma: 0.05}
	ctx := context.Background()
	full, err := Train(ctx, x, y, Params{Kernel: k, C: 5, Tol: 1e-5})
	if err != nil {
		t.Fatal(err)
	}
	// 600² floats = 1.4 MB > 1 MB: no shared Gram; each of 2 workers gets
	// 0.5 MB, enough for its pair (≈400² floats = 0.64 MB)? No: forces
	// the LRU cache for pairs above 362 samples.
	cached, err := Train(ctx, x, y, Params{Kernel: k, C: 5, Tol: 1e-5, CacheMB: 1, Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	sameModel(t, "cache 1 MiB", full, cached, 1e-6)
	tiny, err := Train(ctx, x, y, Params{Kernel: k, C: 5, Tol: 1e-5, CacheMB: 0.01, Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	sameModel(t, "cache 0.01 MiB", full, tiny, 1e-6)
	dense, err := Train(ctx, x, y, Params{Kernel: k, C: 5, Tol: 1e-5, CacheMB: 1.2, Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	sameModel(t, "per-pair dense", full, dense, 1e-6)
	gm, err := TrainGram(ctx, gramOf(t, k, x), y, Params{C: 5, Tol: 1e-5})
	if err != nil {
		t.Fatal(err)
	}
	sameModel(t, "TrainGram", full, gm, 1e-6)

	// PredictGram on the test × train kernel equals Predict.
	xt, _ := blobs(200, 16, []int{0, 1, 2}, 1.3, 6)
	kt := matrix.New(xt.Rows, x.Rows)
	if err := kernels.Cross(kt, k, xt, x); err != nil {
		t.Fatal(err)
	}
	p1, err := full.Predict(nil, xt)
	if err != nil {
		t.Fatal(err)
	}
	p2, err := gm.PredictGram(nil, kt)
	if err != nil {
		t.Fatal(err)
	}
	diff := 0
	for i := range p1 {
		if p1[i] != p2[i] {
			diff++
		}
	}
	if diff > 0 {
		t.Errorf("PredictGram differs from Predict on %d of %d", diff, len(p1))
	}
}

// The cache must stay consistent when evicting: columns returned equal the
// kernel matrix.
func TestCachedQColumns(t *testing.T) {
	x, _ := blobs(50, 4, []int{0, 1}, 1, 2)
	k := kernels.RBF{Gamma: 0.3}
	eng, _ := kernels.NewEngine(k, x)
	idx := []int{3, 5, 7, 9, 11, 13, 20, 21, 30, 31, 40, 49}
	y := []int8{1, 1, -1, 1, -1, -1, 1, 1, -1, 1, -1, 1}
	g := gramOf(t, k, x)
	q := newCachedQ(eng, idx, y, 4*int64(len(idx))*3, 2) // 3 columns
	for rep := range 40 {
		i := (rep * 7) % len(idx)
		q.Prefetch([]int{(i + 1) % len(idx), (i + 5) % len(idx)})
		prev := q.Column((i + 3) % len(idx))
		c := q.Column(i)
		for tt := range idx {
			want := float32(y[i]*y[tt]) * float32(g.At(idx[i], idx[tt]))
			if c[tt] != want {
				t.Fatalf("rep %d column %d entry %d: %g, want %g", rep, i, tt, c[tt], want)
			}
			j := (i + 3) % len(idx)
			want = float32(y[j]*y[tt]) * float32(g.At(idx[j], idx[tt]))
			if prev[tt] != want {
				t.Fatalf("rep %d: previous column %d overwritten", rep, j)
			}
		}
		if again := q.Column(i); &again[0] != &c[0] {
			t.Fatalf("rep %d: column %d asked twice in a row was recomputed", rep, i)
		}
	}
	if q.hits == 0 || q.misses == 0 {
		t.Errorf("hits %d misses %d: the test should exercise both", q.hits, q.misses)
	}
}

// No allocation per SMO iteration, with every column provider.
func TestSolverIterationDoesNotAllocate(t *testing.T) {
	x, yl := blobs(400, 8, []int{1, -1}, 1.5, 9)
	k := kernels.RBF{Gamma: 0.1}
	y := make([]int8, len(yl))
	idx := make([]int, len(yl))
	for i := range yl {
		y[i] = int8(yl[i])
		idx[i] = i
	}
	g := gramOf(t, k, x)
	eng, _ := kernels.NewEngine(k, x)
	kk := matrix.New(x.Rows, x.Rows)
	copy(kk.Data, g.Data)
	for _, tc := range []struct {
		name string
		q    QMatrix
	}{
		{"gather", newGatherQ(g, idx, y)},
		{"dense", newDenseQ(kk, y)},
		{"cache-warm", newCachedQ(eng, idx, y, matrix.Bytes(400, 400), 64)},
	} {
		s := newSolver(tc.q, y, 1, 1, 1e-9, true, 1<<30)
		for t := range s.l {
			s.updateStatus(t)
		}
		iter := func() {
			i, j, ok := s.selectWorkingSet()
			if ok {
				s.step(i, j)
			}
			if s.iter++; s.iter%50 == 0 {
				s.doShrinking()
			}
			if s.iter%170 == 0 {
				s.reconstructGradient()
				s.setAllActive()
			}
		}
		for range 300 { // warm the cache
			iter()
		}
		if a := testing.AllocsPerRun(500, iter); a != 0 {
			t.Errorf("%s: %v allocations per SMO iteration", tc.name, a)
		}
	}
}

func TestOneVsRest(t *testing.T) {
	x, y := blobs(300, 10, []int{4, 5, 6, 7}, 0.8, 11)
	xt, yt := blobs(600, 10, []int{4, 5, 6, 7}, 0.8, 11)
	xt, yt = xt.Slice(300, 600), yt[300:]
	m, err := Train(context.Background(), x, y, Params{Kernel: kernels.RBF{Gamma: 0.1}, C: 1, OneVsRest: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Pairs) != 4 || m.NDecision() != 4 {
		t.Fatalf("%d sub-problems, want 4", len(m.Pairs))
	}
	pred, err := m.Predict(nil, xt)
	if err != nil {
		t.Fatal(err)
	}
	if acc := accuracy(pred, yt); acc < 0.9 {
		t.Errorf("one-vs-rest accuracy %.3f on separable blobs", acc)
	}
	path := filepath.Join(t.TempDir(), "ovr.model")
	if err := m.Save(path); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(path); err == nil {
		t.Errorf("a one-vs-rest model must be written as MODEL.json alone")
	}
	m2, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if m2.SV == nil || !slices.Equal(m2.SV.Data[:m2.SV.Rows*m2.SV.Cols], m.SV.Data[:m.SV.Rows*m.SV.Cols]) {
		t.Errorf("the loaded one-vs-rest model's support vectors differ from the saved ones (streamed row by row)")
	}
	pred2, err := m2.Predict(nil, xt)
	if err != nil {
		t.Fatal(err)
	}
	for i := range pred {
		if pred[i] != pred2[i] {
			t.Fatalf("loaded one-vs-rest model predicts %d for %d, saved one %d", pred2[i], i, pred[i])
		}
	}
}

func accuracy(pred, y []int) float64 {
	ok := 0
	for i := range pred {
		if pred[i] == y[i] {
			ok++
		}
	}
	return float64(ok) / float64(len(y))
}

func TestSaveLoadRoundTrip(t *testing.T) {
	x, y := blobs(200, 6, []int{2, 0, 1}, 1, 13)
	dir := t.TempDir()
	for _, k := range []kernels.Kernel{kernels.RBF{Gamma: 0.2}, kernels.Linear{}, kernels.Poly{Gamma: 0.1, Coef0: 1, Degree: 3},
		kernels.Sigmoid{Alpha: -0.01, Coef0: 0.5}} {
		m, err := Train(context.Background(), x, y, Params{Kernel: k, C: 2})
		if err != nil {
			t.Fatal(err)
		}
		m.Meta.Features = "pixels"
		path := filepath.Join(dir, k.Name()+".model")
		if err := m.Save(path); err != nil {
			t.Fatal(err)
		}
		m2, err := Load(path)
		if err != nil {
			t.Fatal(err)
		}
		if m2.Kernel != m.Kernel || m2.Meta.Features != "pixels" || len(m2.Pairs) != 3 || m2.C != 2 {
			t.Errorf("%s: loaded kernel %v meta %+v pairs %d C %g", k.Name(), m2.Kernel, m2.Meta, len(m2.Pairs), m2.C)
		}
		d1, _ := m.DecisionValues(nil, x)
		d2, _ := m2.DecisionValues(nil, x)
		for i := range d1 {
			if d1[i] != d2[i] {
				t.Fatalf("%s: decision value %d: %v after load, %v before", k.Name(), i, d2[i], d1[i])
			}
		}
		if sg, ok := k.(kernels.Sigmoid); ok && sg.Alpha < 0 {
			if w := m2.Warnings(); len(w) == 0 || !strings.Contains(w[0], "alpha") {
				t.Errorf("alpha < 0: want a warning, got %q", w)
			}
		}
	}
}

func TestParamsValidation(t *testing.T) {
	x, y := blobs(20, 2, []int{0, 1}, 1, 1)
	for _, tc := range []struct {
		p    Params
		want string
	}{
		{Params{Kernel: kernels.RBF{Gamma: 1}, C: -1}, "Params.C"},
		{Params{Kernel: kernels.RBF{Gamma: 1}, Tol: math.NaN()}, "Params.Tol"},
		{Params{Kernel: kernels.RBF{Gamma: 1}, CacheMB: -2}, "Params.CacheMB"},
		{Params{Kernel: kernels.RBF{Gamma: 1}, MaxIter: -1}, "Params.MaxIter"},
		{Params{Kernel: kernels.RBF{Gamma: 1}, Weights: map[int]float64{1: 0}}, "Params.Weights[1]"},
		{Params{Kernel: kernels.RBF{Gamma: -1}}, "RBF.Gamma"},
		{Params{}, "Params.Kernel"},
	} {
		_, err := Train(context.Background(), x, y, tc.p)
		if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.HasPrefix(err.Error(), "svm: ") {
			t.Errorf("%+v: error %v, want one naming %s", tc.p, err, tc.want)
		}
	}
}

func TestIterationCapIsReported(t *testing.T) {
	x, y := blobs(200, 5, []int{0, 1}, 2, 3)
	m, err := Train(context.Background(), x, y, Params{Kernel: kernels.RBF{Gamma: 0.5}, C: 100, MaxIter: 5})
	if err != nil {
		t.Fatal(err)
	}
	if !m.Capped() || !errors.Is(m.Err(), ErrNotConverged) || m.Pairs[0].Status != IterationCap {
		t.Errorf("capped %v err %v status %v", m.Capped(), m.Err(), m.Pairs[0].Status)
	}
}

func TestCancel(t *testing.T) {
	x, y := blobs(300, 5, []int{0, 1}, 2, 3)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := Train(ctx, x, y, Params{Kernel: kernels.RBF{Gamma: 0.5}})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled training: %v", err)
	}
}

// TestLoadContext: a model loaded with a live context equals Load's, and
// one loaded with a cancelled context returns its error, not a model.
func TestLoadContext(t *testing.T) {
	x, y := blobs(300, 5, []int{0, 1}, 2, 3)
	m, err := Train(context.Background(), x, y, Params{Kernel: kernels.RBF{Gamma: 0.5}})
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), "m.model")
	if err := m.Save(p); err != nil {
		t.Fatal(err)
	}
	a, err := Load(p)
	if err != nil {
		t.Fatal(err)
	}
	b, err := LoadContext(context.Background(), p)
	if err != nil {
		t.Fatal(err)
	}
	pa, _ := a.Predict(nil, x)
	pb, err := b.Predict(nil, x)
	if err != nil || !slices.Equal(pa, pb) {
		t.Fatalf("LoadContext's model predicts otherwise than Load's: %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if c, err := LoadContext(ctx, p); !errors.Is(err, context.Canceled) || c != nil {
		t.Errorf("cancelled load: model %v, error %v", c != nil, err)
	}
}

func TestOneClass(t *testing.T) {
	x, _ := blobs(10, 3, []int{0}, 1, 1)
	y := make([]int, 10)
	for i := range y {
		y[i] = 5
	}
	m, err := Train(context.Background(), x, y, Params{Kernel: kernels.Linear{}})
	if err != nil {
		t.Fatal(err)
	}
	p, err := m.Predict(nil, x)
	if err != nil || p[0] != 5 {
		t.Errorf("one-class model predicts %v, %v", p, err)
	}
}

func TestLoadErrorsNameLine(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "bad.model")
	os.WriteFile(path, []byte("svm_type c_svc\nkernel_type rbf\nbogus 1\n"), 0o644)
	_, err := Load(path)
	var pe *ParseError
	if !errors.As(err, &pe) || pe.Line != 3 || !strings.Contains(err.Error(), "bogus") {
		t.Errorf("error %v: want a ParseError at line 3 naming the key", err)
	}
}

// TestNonFiniteKernelIsAnError: kernel values that overflow float32 (a
// poly kernel of high degree, or a linear kernel on values near 1e20:
// LIBSVM's own Q is float too, and svm-train writes `rho -nan`) make the
// solution NaN. Train says so, naming the pair, instead of panicking while
// building the model (it did: index out of range in addPair) or writing a
// model that cannot be read back. (Labels 9 and 2 come first in these
// blobs, so pair 9 vs 2 is the first sub-problem.)
func TestNonFiniteKernelIsAnError(t *testing.T) {
	x, y := blobs(60, 4, []int{2, 7, 9}, 1, 3)
	big := x.Clone()
	for i := range big.Rows {
		big.Row(i)[0] = 1e20
	}
	for _, tc := range []struct {
		name string
		x    *matrix.Matrix
		k    kernels.Kernel
	}{
		{"poly degree 400", x, kernels.Poly{Gamma: 10, Coef0: 1, Degree: 400}},
		{"linear on 1e20", big, kernels.Linear{}},
	} {
		_, err := Train(context.Background(), tc.x, y, Params{Kernel: tc.k})
		if !errors.Is(err, ErrNotFinite) || !strings.HasPrefix(err.Error(), "svm: ") || !strings.Contains(err.Error(), "not finite") || !strings.Contains(err.Error(), "pair 9 vs 2") {
			t.Errorf("%s: error %v, want one saying the kernel values of pair 9 vs 2 (the first) are not finite", tc.name, err)
		}
	}
	g := gramOf(t, kernels.RBF{Gamma: 0.5}, x)
	g.Row(0)[1], g.Row(1)[0] = float32(math.Inf(1)), float32(math.Inf(1))
	if _, err := TrainGram(context.Background(), g, y, Params{}); !errors.Is(err, ErrNotFinite) || !strings.Contains(err.Error(), "not finite") {
		t.Errorf("TrainGram with an infinite kernel value: error %v, want one saying so", err)
	}
}

// TestNonPSDWarning: the warning about quadratic coefficients ≤ 0 names a
// −1/+1 pair as the pair it is (it said "class 1 vs rest": −1, the label,
// was taken for one-vs-rest's "rest"), and it is not given for a kernel
// that is PSD on any data (kernels.Mercer), where such a step comes from a
// singular K (here, empty samples), not from a non-convex
// problem.
func TestNonPSDWarning(t *testing.T) {
	x, y := blobs(80, 3, []int{-1, 1}, 1, 5)
	// Empty samples (LIBSVM lines holding only their label) in both
	// classes: for the linear kernel K is all zero.
	empty := matrix.New(4, 3)
	lin, err := Train(context.Background(), empty, []int{-1, 1, -1, 1}, Params{Kernel: kernels.Linear{}})
	if err != nil {
		t.Fatal(err)
	}
	if lin.Pairs[0].NonPSDSteps == 0 {
		t.Fatalf("linear: no step with a quadratic coefficient ≤ 0; the test data do not test the warning")
	}
	if w := lin.Warnings(); len(w) > 0 {
		t.Errorf("linear kernel (PSD) on a repeated sample: warnings %q, want none", w)
	}
	sig, err := Train(context.Background(), x, y, Params{Kernel: kernels.Sigmoid{Alpha: 2, Coef0: -1}})
	if err != nil {
		t.Fatal(err)
	}
	if sig.Pairs[0].NonPSDSteps == 0 {
		t.Fatalf("sigmoid: no step with a quadratic coefficient ≤ 0; the test data do not test the warning")
	}
	w := sig.Warnings()
	if len(w) == 0 || !strings.Contains(w[0], "pair 1 vs -1") || strings.Contains(w[0], "rest") {
		t.Errorf("sigmoid, labels 1 and -1: warnings %q, want one naming pair 1 vs -1", w)
	}
}
