package dataset

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/svmbench/svmbench/internal/textnum"
	"github.com/svmbench/svmbench/matrix"
)

func writeText(t *testing.T, dir, name, text string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestReadLIBSVM(t *testing.T) {
	text := "# a header comment\n" +
		"1 1:0.5 3:2   # trailing comment\n" +
		"-1\t2:1e-3\r\n" +
		"\n" +
		"   \n" +
		"+1 1:1 2:2 3:3\n" +
		"2.0 4:0\n" +
		"3" // no newline at the end, no features
	p := writeText(t, t.TempDir(), "a.txt", text)
	x, y, err := ReadLIBSVMFile(context.Background(), p)
	if err != nil {
		t.Fatal(err)
	}
	want := [][]float32{{0.5, 0, 2, 0}, {0, 1e-3, 0, 0}, {1, 2, 3, 0}, {0, 0, 0, 0}, {0, 0, 0, 0}}
	if x.Rows != 5 || x.Cols != 4 {
		t.Fatalf("x is %v, want 5×4", x)
	}
	for i, r := range want {
		if !slices.Equal(x.Row(i), r) {
			t.Errorf("row %d = %v, want %v", i, x.Row(i), r)
		}
	}
	if !slices.Equal(y, []int{1, -1, 1, 2, 3}) {
		t.Errorf("y = %v", y)
	}
}

func TestReadLIBSVMErrors(t *testing.T) {
	dir := t.TempDir()
	for _, c := range []struct {
		text string
		line int
		want string
	}{
		{"1 3:0.5 2:0.1\n", 1, "index 2 follows 3; indices must be strictly ascending"},
		{"1 1:1\n# c\n\n1 2:0.5 2:0.1\n", 4, "index 2 follows 2"},
		{"1.5 1:1\n", 1, `label "1.5" is not an integer`},
		{"a 1:1\n", 1, `label "a" is not a number`},
		{"1 0:1\n", 1, `index "0" is not a positive integer`},
		{"1 -3:1\n", 1, `index "-3" is not a positive integer`},
		{"1 qid:3 1:1\n", 1, `index "qid" is not a positive integer`},
		{"1 1:\n", 1, "no value after ':'"},
		{"1 1:x\n", 1, `value "x" is not a finite float32 number`},
		// strconv reads these, svm-train refuses the line ("Wrong input
		// format at line 2", libsvm-tools 3.24).
		{"1 1:1\n1 1:1_000\n", 2, `feature "1:1_000": value "1_000" has a digit separator '_', which C's strtod (LIBSVM's reader) does not read`},
		{"1 1:1\n1 1:0.5 2:0x1_0p0\n", 2, `value "0x1_0p0" has a digit separator`},
		{"1_0 1:1\n", 1, `label "1_0" has a digit separator`},
		{"1 1:1e-400\n", 1, `value "1e-400" is nonzero but below 2.2250738585072014e-308`},
		{"1 1:0.5 2:1e-310\n", 1, `value "1e-310" is nonzero but below`},
		{"1 1:nan\n", 1, "not a finite"},
		{"1 1:inf\n", 1, "not a finite"},
		{"1 1:1e39\n", 1, "not a finite"},
		{"1 1\n", 1, "want index:value"},
		{"1 99999999999:1\n", 1, "larger than"},
		// svm-train reads this one (its indices are C ints); we hold
		// samples dense, and the error says so.
		{"1 20000000:1\n", 1, "index 20000000 is larger than 16777216, the largest this reader takes (samples are held dense"},
		{"1 1:1\n2 1:1 1:2\n", 2, "follows"},
		{"1e10 1:1\n", 1, "not an integer"},
	} {
		p := writeText(t, dir, "bad.txt", c.text)
		_, _, err := ReadLIBSVMFile(context.Background(), p)
		var pe *ParseError
		if !errors.As(err, &pe) || pe.File != p || pe.Line != c.line || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: error %v, want line %d saying %q", c.text, err, c.line, c.want)
			continue
		}
		if prefix := "dataset: " + p + ":" + string(rune('0'+c.line)) + ": "; !strings.HasPrefix(err.Error(), prefix) {
			t.Errorf("error %q does not start %q", err, prefix)
		}
	}
	// A field of 100 kB (a binary file has no spaces: its first "label"
	// was megabytes) is quoted in part: the error stays one short line.
	long := strings.Repeat("9", 100000)
	for _, text := range []string{long + " 1:1\n", "1 1:" + long + "x\n", "1 " + long + ":1\n", "1 " + long + "\n"} {
		p := writeText(t, dir, "long.txt", text)
		_, _, err := ReadLIBSVMFile(context.Background(), p)
		if err == nil || len(err.Error()) > 300 || !strings.Contains(err.Error(), "…") {
			t.Errorf("a 100 kB field: error of %d bytes, want under 300 quoting part of it: %.300v", len(fmt.Sprint(err)), err)
		}
	}
	for _, text := range []string{"", "# only a comment\n\n"} {
		p := writeText(t, dir, "empty.txt", text)
		if _, _, err := ReadLIBSVMFile(context.Background(), p); err == nil || !strings.Contains(err.Error(), "no samples") {
			t.Errorf("%q: error %v, want no samples", text, err)
		}
	}
	if _, _, err := ReadLIBSVMFile(context.Background(), filepath.Join(dir, "none.txt")); err == nil || !strings.Contains(err.Error(), "none.txt") {
		t.Errorf("missing file: %v", err)
	}
}

// randomSparse returns an r×c matrix, about half zeros, with awkward
// float32 values, and labels 0..k-1; every column has a non-zero.
func randomSparse(rng *rand.Rand, r, c, k int) (*matrix.Matrix, []int) {
	x := matrix.New(r, c)
	special := []float32{1, -1, 0.1, 1.0 / 3, math.MaxFloat32, -math.SmallestNonzeroFloat32, 1e-38, 123456789, 1.17549435e-38}
	for i := range x.Data {
		switch rng.IntN(4) {
		case 0:
			x.Data[i] = special[rng.IntN(len(special))]
		case 1:
			x.Data[i] = float32(rng.NormFloat64() * math.Pow(10, float64(rng.IntN(20)-10)))
		}
	}
	for j := 0; j < c; j++ {
		x.Set(rng.IntN(r), j, 0.25)
	}
	y := make([]int, r)
	for i := range y {
		y[i] = rng.IntN(k)
	}
	return x, y
}

// writeRead writes x and y to the LIBSVM file p and reads them back.
func writeRead(t *testing.T, p string, x *matrix.Matrix, y []int) (*matrix.Matrix, []int) {
	t.Helper()
	if err := WriteLIBSVMFile(p, x, y); err != nil {
		t.Fatal(err)
	}
	x2, y2, err := ReadLIBSVMFile(context.Background(), p)
	if err != nil {
		t.Fatal(err)
	}
	return x2, y2
}

func TestLIBSVMRoundTrip(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	x, y := randomSparse(rng, 40, 17, 3)
	y[0] = -5
	p := filepath.Join(t.TempDir(), "rt.txt")
	x2, y2 := writeRead(t, p, x, y)
	if !slices.Equal(y, y2) || x2.Rows != x.Rows || x2.Cols != x.Cols || !slices.Equal(x.Data, x2.Data) {
		t.Fatalf("round trip changed the data")
	}
	if names, _ := filepath.Glob(filepath.Join(filepath.Dir(p), "*")); len(names) != 1 {
		t.Errorf("folder holds %q, want only rt.txt", names)
	}
	// Only non-zero values are written, in the documented form.
	var buf bytes.Buffer
	if err := WriteLIBSVM(&buf, matrix.NewFrom(2, 3, []float32{0, 0.1, 0, 0, 0, 0}), []int{7, -1}); err != nil {
		t.Fatal(err)
	}
	if got, want := buf.String(), "7 2:0.1\n-1\n"; got != want {
		t.Errorf("wrote %q, want %q", got, want)
	}
	// Misuse and values LIBSVM cannot hold are errors, and leave no file.
	if err := WriteLIBSVM(&buf, x, y[1:]); err == nil {
		t.Error("no error for 40 rows and 39 labels")
	}
	x.Set(3, 4, float32(math.NaN()))
	p2 := filepath.Join(t.TempDir(), "nan.txt")
	if err := WriteLIBSVMFile(p2, x, y); err == nil || !strings.Contains(err.Error(), "row 4, column 5 is NaN") {
		t.Errorf("NaN: error %v", err)
	}
	if names, _ := filepath.Glob(filepath.Join(filepath.Dir(p2), "*")); len(names) != 0 {
		t.Errorf("a failed write left %q", names)
	}
}

// TestLIBSVMShortestRoundTrip writes float32 values of every magnitude
// (random bit patterns: subnormals, 1e6 and more where plain notation is
// shorter, negatives, pixel/255 values) and reads them back bit for bit;
// every value's text is the shortest that does so: no longer than
// strconv's shortest float32 digits, and never the 9 digits of %.9g when
// fewer read back.
func TestLIBSVMShortestRoundTrip(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	const r, c = 50, 40
	x := matrix.New(r, c)
	for i := range x.Data {
		switch i % 3 {
		case 0:
			x.Data[i] = float32(rng.IntN(256)) / 255
		default:
			v := math.Float32frombits(rng.Uint32())
			for math.IsNaN(float64(v)) || math.IsInf(float64(v), 0) {
				v = math.Float32frombits(rng.Uint32())
			}
			x.Data[i] = v
		}
	}
	y := make([]int, r)
	p := filepath.Join(t.TempDir(), "short.txt")
	x2, _ := writeRead(t, p, x, y)
	if x2.Rows != r || x2.Cols > c {
		t.Fatalf("read back %d×%d, want %d×%d", x2.Rows, x2.Cols, r, c)
	}
	for i := range r {
		for j := range c {
			want, got := x.Row(i)[j], float32(0)
			if j < x2.Cols {
				got = x2.Row(i)[j]
			}
			if math.Float32bits(got) != math.Float32bits(want) && !(got == 0 && want == 0) {
				t.Fatalf("row %d, column %d: wrote %g (%#x), read %g (%#x)", i+1, j+1, want, math.Float32bits(want), got, math.Float32bits(got))
			}
		}
	}
	text, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range strings.Fields(string(text)) {
		_, v, ok := strings.Cut(f, ":")
		if !ok {
			continue
		}
		x, err := strconv.ParseFloat(v, 32)
		if err != nil {
			t.Fatalf("%q: %v", f, err)
		}
		if short := strconv.FormatFloat(x, 'g', -1, 32); len(v) > len(short) {
			t.Fatalf("%q is longer than the shortest text %q", v, short)
		}
	}
	var buf bytes.Buffer
	if err := WriteLIBSVM(&buf, matrix.NewFrom(1, 3, []float32{0.5, 7473306, 1e-45}), []int{1}); err != nil {
		t.Fatal(err)
	}
	if got, want := buf.String(), "1 1:0.5 2:7473306 3:1e-45\n"; got != want {
		t.Errorf("wrote %q, want %q", got, want)
	}
}

func TestLoadLIBSVM(t *testing.T) {
	dir := t.TempDir()
	tr := writeText(t, dir, "train", "+1 1:1\n-1 2:1\n1 1:2 3:0\n")
	te := writeText(t, dir, "test", "-1 2:1\n3 1:1\n")
	d, err := LoadLIBSVM(context.Background(), tr, te)
	if err != nil {
		t.Fatal(err)
	}
	if d.Train.X.Cols != 3 || d.Test.X.Cols != 3 {
		t.Errorf("dimensions %d, %d; want 3 (the training file's largest index)", d.Train.X.Cols, d.Test.X.Cols)
	}
	// Labels as the files write them, never renumbered.
	if !slices.Equal(d.Train.Y, []int{1, -1, 1}) || !slices.Equal(d.Test.Y, []int{-1, 3}) {
		t.Errorf("labels %v, %v", d.Train.Y, d.Test.Y)
	}
	if !slices.Equal(d.Classes, []Class{{-1, "-1"}, {1, "1"}, {3, "3"}}) || d.Image != nil {
		t.Errorf("Classes %v, Image %v", d.Classes, d.Image)
	}
	if len(d.Files) != 2 || d.Files[0].Name != tr || d.Files[0].Bytes != 24 || len(d.Files[0].SHA256) != 64 {
		t.Errorf("Files %+v", d.Files)
	}
	// The checksum is the file's SHA-256 (sha256sum's), also when the file
	// is read in many chunks and hashed beside the parsing.
	defer textnum.SetBlockSize(textnum.SetBlockSize(5))
	for _, f := range []string{tr, te} {
		raw, _ := os.ReadFile(f)
		if _, sum, err := readSparse(context.Background(), f); err != nil || sum != fileSum(f, raw) {
			t.Errorf("%s: checksum %+v, %v; want %+v", f, sum, err, fileSum(f, raw))
		}
	}
	if d.Test.X.At(0, 1) != 1 {
		t.Errorf("test x = %v", d.Test.X.Data)
	}
	d2, err := Load(t.Context(), Options{Spec: "libsvm:" + tr + "," + te})
	if err != nil || !slices.Equal(d2.Train.X.Data, d.Train.X.Data) {
		t.Errorf("Load(libsvm:…): %v", err)
	}
	bad := writeText(t, dir, "bad", "1 1:1\n1 3:0.5 2:0.1\n")
	if _, err := LoadLIBSVM(context.Background(), tr, bad); err == nil || !strings.Contains(err.Error(), bad+":2: ") {
		t.Errorf("error %v, want one naming %s line 2", err, bad)
	}
}

func TestLoadLIBSVMOneFile(t *testing.T) {
	dir := t.TempDir()
	tr := writeText(t, dir, "train", "2 1:1\n7 2:1\n9 4:2\n")
	d, err := Load(t.Context(), Options{Spec: "libsvm:" + tr})
	if err != nil {
		t.Fatal(err)
	}
	if d.Train.Len() != 3 || d.Test.Len() != 0 || d.Train.X.Cols != 4 || d.Test.X.Cols != 4 || len(d.Files) != 1 {
		t.Errorf("libsvm:FILE: train %d×%d, test %d×%d, files %d", d.Train.Len(), d.Train.X.Cols, d.Test.Len(), d.Test.X.Cols, len(d.Files))
	}
	if !slices.Equal(d.Train.Y, []int{2, 7, 9}) {
		t.Errorf("labels %v, want 2 7 9", d.Train.Y)
	}
	// Predicting reads the file predicted alone, as the test split.
	te := writeText(t, dir, "test", "7 1:1 2:3\n")
	for _, spec := range []string{"libsvm:" + te, "libsvm:/no/such/train," + te} {
		d, err := Load(t.Context(), Options{Spec: spec, PredictOnly: true})
		if err != nil {
			t.Fatalf("%s: %v", spec, err)
		}
		if d.Train.Len() != 0 || d.Test.Len() != 1 || d.Test.X.Cols != 2 || len(d.Files) != 1 || d.Files[0].Name != te {
			t.Errorf("%s predict-only: train %d, test %d×%d, files %+v", spec, d.Train.Len(), d.Test.Len(), d.Test.X.Cols, d.Files)
		}
	}
	// Training reads the training file alone.
	d, err = Load(t.Context(), Options{Spec: "libsvm:" + te + ",/no/such/test", TrainOnly: true})
	if err != nil || d.Train.Len() != 1 || d.Test.Len() != 0 || len(d.Files) != 1 {
		t.Errorf("train-only: %v, files %+v", err, d)
	}
}

func TestLoadLIBSVMWiderTest(t *testing.T) {
	dir := t.TempDir()
	tr := writeText(t, dir, "train", "1 1:1\n2 2:1\n")
	zeros := writeText(t, dir, "zeros", "1 1:1 5:0\n")
	d, err := LoadLIBSVM(context.Background(), tr, zeros)
	if err != nil || d.Test.X.Cols != 2 {
		t.Fatalf("zeros beyond the training width: %v (want them dropped)", err)
	}
	// The error names the sample's line, past a comment and a blank line.
	wide := writeText(t, dir, "wide", "# test\n1 1:1\n\n2 1:1 5:0.5\n")
	_, err = LoadLIBSVM(context.Background(), tr, wide)
	if err == nil || !strings.Contains(err.Error(), wide+":4: sample 2 has 5:0.5, beyond the 2 features") {
		t.Errorf("non-zero beyond the training width: %v", err)
	}
	d, err = LoadLIBSVM(context.Background(), "", wide)
	if err != nil || !slices.Equal(d.Test.Lines, []int{2, 4}) || d.Train.Lines != nil {
		t.Errorf("lines of the samples: %v, %v; want [2 4]", d.Test.Lines, err)
	}
	if sub := d.Test.Subset([]int{1}); !slices.Equal(sub.Lines, []int{4}) {
		t.Errorf("lines of a subset: %v, want [4]", sub.Lines)
	}
}

// TestSVMTrainReads checks that svm-train (LIBSVM 3.24) accepts what
// WriteLIBSVM writes, and reads the same number of samples and classes.
func TestSVMTrainReads(t *testing.T) {
	svmTrain, err := exec.LookPath("svm-train")
	if err != nil {
		t.Skip("svm-train is not on PATH (Debian: apt-get install libsvm-tools)")
	}
	rng := rand.New(rand.NewPCG(3, 4))
	x, y := randomSparse(rng, 60, 9, 3)
	for i := range x.Data {
		x.Data[i] = float32(math.Max(-10, math.Min(10, float64(x.Data[i])))) // keep the kernel finite
	}
	dir := t.TempDir()
	data, model := filepath.Join(dir, "train.txt"), filepath.Join(dir, "model")
	if err := WriteLIBSVMFile(data, x, y); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(svmTrain, "-q", "-t", "0", data, model).CombinedOutput()
	if err != nil {
		t.Fatalf("svm-train: %v\n%s", err, out)
	}
	m, err := os.ReadFile(model)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(m), "nr_class 3\n") {
		t.Errorf("svm-train's model does not have 3 classes:\n%.300s", m)
	}
}

// TestTooLargeNamesLine: a file too large to hold dense names the line of
// its largest index (it named no line). maxDense is lowered for the test.
func TestTooLargeNamesLine(t *testing.T) {
	defer func(v int64) { maxDense = v }(maxDense)
	maxDense = 1000
	p := writeText(t, t.TempDir(), "wide.txt", "1 1:1\n# c\n2 400:1\n1 2:1\n2 400:2\n")
	_, _, err := ReadLIBSVMFile(context.Background(), p)
	var pe *ParseError
	if !errors.As(err, &pe) || pe.Line != 3 || !strings.Contains(err.Error(), "4 samples × 400 features is too large to hold dense") {
		t.Errorf("error %v, want a ParseError at line 3, the first with index 400", err)
	}
}

// TestValueFormsAsSVMTrain reads a value in each form C's strtod and Go's
// strconv might read differently, with svm-train (when on PATH) and with
// ReadLIBSVMFile: both accept the file or both refuse it. Left out, the
// differences kept by design (libsvm.md): inf, nan, 0x10 and 1e39,
// which svm-train reads and we refuse.
func TestValueFormsAsSVMTrain(t *testing.T) {
	svmTrain, err := exec.LookPath("svm-train")
	if err != nil {
		t.Skip("svm-train is not on PATH (Debian: apt-get install libsvm-tools)")
	}
	dir := t.TempDir()
	for _, v := range []string{"1_000", "1_0.5", "0x1_0p0", "1e-400", "1e-310", "2.225073858507201e-308",
		"2.2250738585072014e-308", "1e-40", "1e-50", "0e-500", "0x1p-3", "0x1.8p1", "0X1P-3", "+1", "+.5",
		".5", "5.", "-0", "1e+05", "1E5", "007", "1e", "1.2.3", "--1", "1e5x"} {
		p := writeText(t, dir, "v.txt", "1 1:"+v+"\n-1 1:0.2\n")
		ours := false
		if _, _, err := ReadLIBSVMFile(context.Background(), p); err == nil {
			ours = true
		}
		out, err := exec.Command(svmTrain, "-q", p, filepath.Join(dir, "m")).CombinedOutput()
		if theirs := err == nil; ours != theirs {
			t.Errorf("value %q: we read it: %v; svm-train: %v %s", v, ours, err, out)
		}
	}
}
