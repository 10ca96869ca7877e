package svm

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/svmbench/svmbench/internal/memory"
	"github.com/svmbench/svmbench/internal/textnum"
	"github.com/svmbench/svmbench/kernels"
	"github.com/svmbench/svmbench/matrix"
)

const goodHeader = "svm_type c_svc\nkernel_type rbf\ngamma 0.5\nnr_class 2\ntotal_sv 2\nrho 0.1\nlabel 1 -1\nnr_sv 1 1\nSV\n"

// TestLoadBadHeaders: header counts that disagree with each other or with
// the body, or promise more than the file can hold, are one-line errors
// naming the line (never an allocation of total_sv rows).
func TestLoadBadHeaders(t *testing.T) {
	body := "1 1:0.5\n-1 2:0.5\n"
	for _, c := range []struct {
		name, text string
		line       int
		want       string
	}{
		{"huge total_sv", strings.Replace(goodHeader, "total_sv 2", "total_sv 100000000000", 1) + body, 5, "total_sv"},
		{"huge nr_class", strings.Replace(goodHeader, "nr_class 2", "nr_class 2000000000", 1) + body, 4, "cannot hold"},
		{"total_sv above the body", strings.Replace(strings.Replace(goodHeader, "total_sv 2", "total_sv 3", 1), "nr_sv 1 1", "nr_sv 2 1", 1) + body, 5, "total_sv 3, but the file has 2"},
		{"total_sv below the body", strings.Replace(strings.Replace(goodHeader, "total_sv 2", "total_sv 1", 1), "nr_sv 1 1", "nr_sv 1 0", 1) + body, 11, "total_sv (line 5) is 1"},
		{"nr_sv sum", strings.Replace(goodHeader, "nr_sv 1 1", "nr_sv 2 1", 1) + body, 8, "nr_sv sums to 3"},
		{"rho count", strings.Replace(goodHeader, "rho 0.1", "rho 0.1 0.2", 1) + body, 6, "rho has 2 values, want 1"},
		{"label count", strings.Replace(goodHeader, "label 1 -1", "label 1", 1) + body, 7, "label has 1 values"},
		{"probA count", strings.Replace(goodHeader, "label 1 -1\n", "label 1 -1\nprobA 1 2\nprobB 1\n", 1) + body, 8, "probA has 2 values"},
		{"descending indices", goodHeader + "1 2:0.5 1:0.5\n-1 2:0.5\n", 10, "must be ascending"},
		{"no SV", "svm_type c_svc\nkernel_type rbf\n", 2, "no SV section"},
		// Found by the red-team pass of 7 December: these were accepted
		// (svm-predict accepts them too) and predicted NaN or nonsense.
		{"nr_sv overflowing", strings.Replace(goodHeader, "nr_sv 1 1", "nr_sv 9223372036854775807 1", 1) + body, 8, "nr_sv: 9223372036854775807 is more than total_sv (line 5) 2"},
		{"duplicate label", strings.Replace(goodHeader, "label 1 -1", "label 1 1", 1) + body, 7, "label 1 appears twice"},
		{"rho NaN", strings.Replace(goodHeader, "rho 0.1", "rho nan", 1) + body, 6, `rho: "nan" is not a finite number`},
		{"probB Inf", strings.Replace(goodHeader, "label 1 -1\n", "label 1 -1\nprobA 1\nprobB -inf\n", 1) + body, 9, `probB: "-inf" is not a finite number`},
		{"coefficient NaN", goodHeader + "NaN 1:0.5\n-1 2:0.5\n", 10, `coefficient "NaN" is not a finite number`},
		{"SV value Inf", goodHeader + "1 1:0.5\n-1 2:inf\n", 11, `feature "2:inf": the value is not a finite float32 number`},
		{"gamma NaN", strings.Replace(goodHeader, "gamma 0.5", "gamma nan", 1) + body, 3, "gamma NaN: want a finite value > 0"},
		{"gamma missing", strings.Replace(goodHeader, "gamma 0.5\n", "", 1) + body, 2, "kernel_type rbf needs gamma"},
		{"degree 0", strings.Replace(goodHeader, "kernel_type rbf\ngamma 0.5", "kernel_type polynomial\ndegree 0\ngamma 0.5\ncoef0 0", 1) + body, 3, "degree 0: want an integer ≥ 1"},
		{"degree 2.5", strings.Replace(goodHeader, "kernel_type rbf\ngamma 0.5", "kernel_type polynomial\ndegree 2.5\ngamma 0.5\ncoef0 0", 1) + body, 3, `degree: "2.5" is not an integer`},
		{"degree 1e30", strings.Replace(goodHeader, "kernel_type rbf\ngamma 0.5", "kernel_type polynomial\ndegree 1e30\ngamma 0.5\ncoef0 0", 1) + body, 3, `degree: "1e30" is not an integer`},
		// Digit separators and values below the smallest normal float64:
		// strconv reads them, svm-train's strtod does not (svm-predict
		// reads "1_000" as 1, the digits before the '_').
		{"gamma with separator", strings.Replace(goodHeader, "gamma 0.5", "gamma 0_5", 1) + body, 3, `gamma: "0_5" has a digit separator '_'`},
		{"rho with separator", strings.Replace(goodHeader, "rho 0.1", "rho 1_0", 1) + body, 6, `rho: "1_0" has a digit separator '_'`},
		{"coefficient with separator", goodHeader + "1_0 1:0.5\n-1 2:0.5\n", 10, `coefficient "1_0" has a digit separator '_'`},
		{"SV value with separator", goodHeader + "1 1:0.5\n-1 2:1_000\n", 11, `feature "2:1_000": the value "1_000" has a digit separator '_'`},
		{"SV value underflowing", goodHeader + "1 1:1e-400\n-1 2:0.5\n", 10, `feature "1:1e-400": the value "1e-400" is nonzero but below`},
		{"SV value past float32", goodHeader + "1 1:1e39\n-1 2:0.5\n", 10, `feature "1:1e39": the value is not a finite float32 number`},
		// A field of 100 kB is quoted in part (a binary file given as a
		// model was one header key of megabytes, all in the error).
		{"long header key", strings.Repeat("x", 100000) + "\n" + goodHeader + body, 1, `unknown header key "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"… (100000 bytes)`},
		{"long gamma", strings.Replace(goodHeader, "gamma 0.5", "gamma "+strings.Repeat("x", 100000), 1) + body, 3, "(100000 bytes) is not a number"},
		{"long coefficient", goodHeader + strings.Repeat("x", 100000) + " 1:0.5\n-1 2:0.5\n", 10, "(100000 bytes) is not a finite number"},
		{"long feature", goodHeader + "1 1:" + strings.Repeat("x", 100000) + "\n-1 2:0.5\n", 10, "(100002 bytes): want INDEX:VALUE"},
	} {
		p := filepath.Join(t.TempDir(), "m")
		os.WriteFile(p, []byte(c.text), 0o644)
		_, err := Load(p)
		var pe *ParseError
		if !errors.As(err, &pe) || pe.Line != c.line || !strings.Contains(err.Error(), c.want) || strings.Contains(err.Error(), "\n") || len(err.Error()) > 300 {
			t.Errorf("%s: %v; want a one-line ParseError at line %d saying %q", c.name, err, c.line, c.want)
		}
	}
}

func trainSmall(t *testing.T) (*Model, *matrix.Matrix, []int) {
	t.Helper()
	x, y := blobs(60, 4, []int{1, 2}, 1, 5)
	m, err := Train(context.Background(), x, y, Params{Kernel: kernels.RBF{Gamma: 0.3}})
	if err != nil {
		t.Fatal(err)
	}
	return m, x, y
}

// TestSidecarNeeded: a model whose features need its sidecar refuses to
// load without it, or with one whose checksum does not match; a pixels
// model without a sidecar loads (svm-train's models have none).
func TestSidecarNeeded(t *testing.T) {
	m, _, _ := trainSmall(t)
	dir := t.TempDir()
	p := filepath.Join(dir, "hog.model")
	m.Meta.Features = "hog"
	if err := m.Save(p); err != nil {
		t.Fatal(err)
	}
	if back, err := Load(p); err != nil || back.Meta.Features != "hog" || back.Dim != 4 {
		t.Fatalf("intact pair: %v", err)
	}
	// The sidecar holds the file's SHA-256 (sha256sum's), and Load finds
	// it so when the file is read in many chunks, hashed beside the parsing.
	raw, _ := os.ReadFile(p)
	side, _ := os.ReadFile(p + ".json")
	if sum := sha256.Sum256(raw); !strings.Contains(string(side), `"libsvm_sha256": "`+hex.EncodeToString(sum[:])+`"`) {
		t.Errorf("the sidecar does not hold the model file's SHA-256 %x", sum)
	}
	old := textnum.SetBlockSize(7)
	back, err := Load(p)
	textnum.SetBlockSize(old)
	if err != nil || back.Meta.Features != "hog" {
		t.Fatalf("intact pair read in small chunks: %v", err)
	}
	// A one-space edit of the model file: the checksum no longer matches.
	b, _ := os.ReadFile(p)
	os.WriteFile(p, append([]byte(strings.Replace(string(b), "rho ", "rho  ", 1)), 0), 0o644)
	os.WriteFile(p, []byte(strings.Replace(string(b), "rho ", "rho  ", 1)), 0o644)
	if _, err := Load(p); err == nil || !strings.Contains(err.Error(), "features hog") {
		t.Errorf("edited model: %v, want an error naming the features", err)
	}
	os.WriteFile(p, b, 0o644)
	os.Remove(p + ".json")
	if _, err := Load(p); err == nil || !strings.Contains(err.Error(), "needs its sidecar") {
		t.Errorf("missing sidecar: %v", err)
	}
	// svm-predict ignores the mark after the support vectors.
	if _, err := exec.LookPath("svm-predict"); err == nil {
		_, x, y := trainSmall(t)
		data := filepath.Join(dir, "data")
		writeLIBSVMData(t, data, x, y)
		run(t, "svm-predict", data, p, filepath.Join(dir, "out"))
	}
	os.Mkdir(p+".json", 0o755) // unreadable as a file
	if _, err := Load(p); err == nil {
		t.Errorf("unreadable sidecar: no error")
	}

	// Pixels: the sidecar is optional, and a stale one is ignored with a warning.
	m.Meta.Features = "pixels"
	q := filepath.Join(dir, "px.model")
	if err := m.Save(q); err != nil {
		t.Fatal(err)
	}
	b, _ = os.ReadFile(q)
	if strings.Contains(string(b), sidecarMark) {
		t.Errorf("a pixels model carries the sidecar mark")
	}
	os.WriteFile(q, []byte(strings.Replace(string(b), "rho ", "rho  ", 1)), 0o644)
	if back, err := Load(q); err != nil || len(back.Warnings()) == 0 {
		t.Errorf("pixels model with a stale sidecar: %v, warnings %v", err, back.Warnings())
	}
}

// TestWiderSamples: samples with more features than the training data are
// refused unless the extra ones are zero; narrower ones are padded.
func TestWiderSamples(t *testing.T) {
	m, x, _ := trainSmall(t)
	want, err := m.Predict(nil, x)
	if err != nil {
		t.Fatal(err)
	}
	wide := matrix.New(x.Rows, 6)
	for i := range x.Rows {
		copy(wide.Row(i), x.Row(i))
	}
	got, err := m.Predict(nil, wide)
	if err != nil || !slices.Equal(got, want) {
		t.Errorf("zero extra columns: %v", err)
	}
	wide.Set(3, 5, 1)
	if _, err := m.Predict(nil, wide); err == nil || !strings.Contains(err.Error(), "sample 4 has feature 6") {
		t.Errorf("non-zero extra column: %v", err)
	}
	// A model read without its sidecar does not know the width: LIBSVM's
	// convention, the extra features take part in the kernel.
	m.Dim = 0
	if _, err := m.Predict(nil, wide); err != nil {
		t.Errorf("unknown width: %v", err)
	}
}

func TestWeightForUnknownLabel(t *testing.T) {
	x, y := blobs(40, 3, []int{1, 2, 3}, 1, 2)
	_, err := Train(context.Background(), x, y, Params{Kernel: kernels.Linear{}, Weights: map[int]float64{9: 3}})
	if err == nil || !strings.Contains(err.Error(), "label 9") {
		t.Errorf("weight for label 9: %v", err)
	}
}

// TestSaveLeavesNeitherOnFailure: when the sidecar cannot be written, the
// model file is not left behind without it.
func TestSaveLeavesNeitherOnFailure(t *testing.T) {
	m, _, _ := trainSmall(t)
	dir := t.TempDir()
	p := filepath.Join(dir, "m")
	if err := os.MkdirAll(filepath.Join(p+".json", "x"), 0o755); err != nil { // a folder in the sidecar's place
		t.Fatal(err)
	}
	if err := m.Save(p); err == nil {
		t.Fatal("Save over a folder: no error")
	}
	es, _ := os.ReadDir(dir)
	for _, e := range es {
		if e.Name() != "m.json" {
			t.Errorf("a failed Save left %s", e.Name())
		}
	}
}

// TestLoadBadJSONModels: a MODEL.json written alone (one-vs-rest), or the
// sidecar of a LIBSVM file, whose fields disagree is an error naming the
// file, never a panic: "dim" -5 or 1e12 panicked in Conform (slice bounds,
// makeslice; exit status 2, a usage error's), and a repeated label, nr_sv
// that do not add up, a missing "sv", an invalid kernel parameter or
// probA/probB of the wrong length were read.
func TestLoadBadJSONModels(t *testing.T) {
	x, y := blobs(90, 4, []int{1, 2, 3}, 1, 5)
	ovr, err := Train(context.Background(), x, y, Params{Kernel: kernels.RBF{Gamma: 0.3}, OneVsRest: true})
	if err != nil {
		t.Fatal(err)
	}
	ovo, _, _ := trainSmall(t)
	dir := t.TempDir()
	for _, c := range []struct {
		name string
		m    *Model
		edit func(map[string]any)
		want string
	}{
		{"dim -5", ovr, func(j map[string]any) { j["dim"] = -5 }, "dim -5"},
		{"dim 1e12", ovr, func(j map[string]any) { j["dim"] = 1e12 }, "dim 1000000000000"},
		{"sidecar dim -5", ovo, func(j map[string]any) { j["dim"] = -5 }, "dim -5"},
		{"repeated label", ovr, func(j map[string]any) { j["labels"] = []int{1, 1, 3} }, "label 1 appears twice"},
		{"nr_sv", ovr, func(j map[string]any) { j["nr_sv"] = []int{1, 1, 1} }, "nr_sv"},
		{"no sv", ovr, func(j map[string]any) { delete(j, "sv") }, "no sv"},
		{"gamma -1", ovr, func(j map[string]any) { j["kernel"].(map[string]any)["gamma"] = -1 }, "gamma -1: want a finite value > 0"},
		{"probA", ovr, func(j map[string]any) { j["probA"], j["probB"] = []float64{1}, []float64{1} }, "probA"},
	} {
		p := filepath.Join(dir, strings.ReplaceAll(c.name, " ", "-"))
		if err := c.m.Save(p); err != nil {
			t.Fatal(err)
		}
		jp := p + ".json"
		if _, err := os.Stat(jp); err != nil {
			t.Fatal(err)
		}
		var j map[string]any
		b, _ := os.ReadFile(jp)
		if err := json.Unmarshal(b, &j); err != nil {
			t.Fatal(err)
		}
		c.edit(j)
		b, _ = json.Marshal(j)
		os.WriteFile(jp, b, 0o644)
		load := p
		if c.m.OneVsRest {
			load = jp
		}
		var pe *ParseError
		m, err := Load(load)
		if err == nil {
			func() {
				defer func() {
					if r := recover(); r != nil {
						t.Errorf("%s: loaded, then predicting panicked: %v", c.name, r)
					}
				}()
				m.Predict(nil, x)
			}()
		}
		if !errors.As(err, &pe) || pe.File != jp || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v; want a ParseError naming %s and saying %q", c.name, err, filepath.Base(jp), c.want)
		}
	}
}

// TestWiderSamplesUnknownWidth: with a model of unknown training width
// (svm-train's, read without a sidecar), samples wider than its support
// vectors are predicted as LIBSVM predicts them, their extra features in
// ‖x‖² (RBF) and nowhere else, without widening the support vectors to
// the samples' width: a 30-byte test file with index 2^24 made bench
// predict allocate 14 GB for svm-train's 208 support vectors. The
// decision values are those of the support vectors widened (the old way)
// for rbf, poly and sigmoid, and for a kernel that is not a function of
// inner products.
func TestWiderSamplesUnknownWidth(t *testing.T) {
	x, y := blobs(60, 4, []int{1, 2, 3}, 1, 5)
	wide := matrix.New(x.Rows, 9)
	for i := range x.Rows {
		copy(wide.Row(i), x.Row(i))
		wide.Set(i, 4+i%5, float32(i%3)-0.5)
	}
	for _, k := range []kernels.Kernel{kernels.RBF{Gamma: 0.3}, kernels.Poly{Gamma: 0.2, Coef0: 1, Degree: 2}, kernels.Sigmoid{Alpha: 0.1, Coef0: -0.5}, l1Kernel{}} {
		m, got := unknownWidthDecisions(t, k, x, y, wide)
		widened := *m
		widened.SV = resize(m.SV, wide.Cols)
		want, _ := widened.DecisionValues(nil, wide)
		sameDecisions(t, k.Name()+": with the support vectors widened", got, want)
	}
	// And the other way: support vectors wider than the samples (a model
	// whose one support vector has index 2^24 padded every test sample to
	// 64 MiB: 5 s for 50 samples, svm-predict's instant).
	for _, k := range []kernels.Kernel{kernels.RBF{Gamma: 0.3}, kernels.Linear{}, l1Kernel{}} {
		m, got := unknownWidthDecisions(t, k, wide, y, x)
		want, _ := m.DecisionValues(nil, resize(x, wide.Cols))
		sameDecisions(t, k.Name()+": narrower samples padded", got, want)
	}
	m, _, _ := trainSmall(t)
	m.Dim = 0
	huge := matrix.New(1, 1<<24)
	huge.Set(0, 1<<24-1, 1)
	peak, err := memory.Measure(func() error { _, err := m.Predict(nil, huge); return err })
	if err != nil {
		t.Fatal(err)
	}
	if peak.HeapBytes > 1<<30 {
		t.Errorf("predicting one sample of 2^24 features with %d support vectors: Go heap peak %d MiB, want it near the sample's 64 MiB", m.NSV(), peak.HeapBytes>>20)
	}
	m.SV = resize(m.SV, 1<<22)
	m.SV.Set(0, 1<<22-1, 1)
	svBytes := uint64(matrix.Bytes(m.SV.Rows, m.SV.Cols))
	narrow := x.Slice(0, 50)
	peak, err = memory.Measure(func() error { _, err := m.Predict(nil, narrow); return err })
	if err != nil {
		t.Fatal(err)
	}
	if peak.HeapBytes > svBytes+(256<<20) {
		t.Errorf("predicting 50 samples of 4 features with support vectors of 2^22: Go heap peak %d MiB, want it near the support vectors' %d MiB", peak.HeapBytes>>20, svBytes>>20)
	}
}

// unknownWidthDecisions trains a model with kernel k on x, y, forgets its
// training width (Dim 0, as svm-train's model read without a sidecar) and
// returns it with its decision values on test.
func unknownWidthDecisions(t *testing.T, k kernels.Kernel, x *matrix.Matrix, y []int, test *matrix.Matrix) (*Model, []float64) {
	t.Helper()
	m, err := Train(context.Background(), x, y, Params{Kernel: k})
	if err != nil {
		t.Fatal(err)
	}
	m.Dim = 0
	got, err := m.DecisionValues(nil, test)
	if err != nil {
		t.Fatal(err)
	}
	return m, got
}

// sameDecisions fails t unless got and want, decision values, agree to
// 1e-5 relative.
func sameDecisions(t *testing.T, what string, got, want []float64) {
	t.Helper()
	for i := range want {
		if math.Abs(got[i]-want[i]) > 1e-5*(1+math.Abs(want[i])) {
			t.Fatalf("%s: decision value %d is %g, want %g", what, i, got[i], want[i])
		}
	}
}

// l1Kernel is exp(−‖x−y‖₁), not a function of inner products.
type l1Kernel struct{}

func (l1Kernel) Name() string { return "l1" }

func (l1Kernel) Eval(x, y []float32) float64 {
	var d float64
	for i := range x {
		d += math.Abs(float64(x[i]) - float64(y[i]))
	}
	return math.Exp(-d)
}

// TestLoadModelNamedJSON: a model saved as NAME.json (a LIBSVM file, with
// its sidecar NAME.json.json) loads from NAME.json, as does an svm-train
// model file named so (no sidecar); Load took NAME.json for a sidecar and
// failed: "not a model JSON file". A one-vs-rest model saved as NAME.json
// (written to NAME.json.json alone) loads from either name.
func TestLoadModelNamedJSON(t *testing.T) {
	m, _, _ := trainSmall(t)
	dir := t.TempDir()
	p := filepath.Join(dir, "m.json")
	if err := m.Save(p); err != nil {
		t.Fatal(err)
	}
	if back, err := Load(p); err != nil || back.Dim != m.Dim || back.NSV() != m.NSV() {
		t.Errorf("Load(%s) of a saved model: %v", filepath.Base(p), err)
	}
	plain := filepath.Join(dir, "svm-train.json")
	os.WriteFile(plain, []byte(goodHeader+"1 1:0.5\n-1 2:0.5\n"), 0o644)
	if _, err := Load(plain); err != nil {
		t.Errorf("Load of an svm-train model named .json: %v", err)
	}
	xo, yo := blobs(60, 4, []int{1, 2, 3}, 1, 5)
	ovr, err := Train(context.Background(), xo, yo, Params{Kernel: kernels.RBF{Gamma: 0.3}, OneVsRest: true})
	if err != nil {
		t.Fatal(err)
	}
	po := filepath.Join(dir, "ovr.json")
	if err := ovr.Save(po); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{po, po + ".json"} {
		if back, err := Load(name); err != nil || !back.OneVsRest {
			t.Errorf("Load(%s) of a one-vs-rest model saved as %s: %v", filepath.Base(name), filepath.Base(po), err)
		}
	}
}

// TestTooWideModelNamesLine: a model too wide to hold dense names the line
// of its widest support vector (it named total_sv's line, or no line when
// that vector came after the first 4 MiB).
func TestTooWideModelNamesLine(t *testing.T) {
	head := strings.Replace(strings.Replace(goodHeader, "total_sv 2", "total_sv 200", 1), "nr_sv 1 1", "nr_sv 100 100", 1)
	narrow := "1 1:0.5 " + strings.Repeat(" ", 30000) + "\n"
	for _, c := range []struct {
		name string
		text string
		line int
	}{
		{"in the first 4 MiB", head + strings.Repeat(narrow, 5) + "1 16777216:1\n" + strings.Repeat(narrow, 194), 15},
		{"past the first 4 MiB", head + strings.Repeat(narrow, 150) + "1 16777216:1\n" + strings.Repeat(narrow, 49), 160},
	} {
		p := filepath.Join(t.TempDir(), "m")
		os.WriteFile(p, []byte(c.text), 0o644)
		_, err := Load(p)
		var pe *ParseError
		if !errors.As(err, &pe) || pe.Line != c.line || !strings.Contains(err.Error(), "too many to hold dense") {
			t.Errorf("%s: %v; want a ParseError at line %d", c.name, err, c.line)
		}
	}
}
