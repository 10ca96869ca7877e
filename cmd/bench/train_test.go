package main

import (
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/svmbench/svmbench/dataset"
	"github.com/svmbench/svmbench/matrix"
)

// accuracyOf returns the accuracy predict printed on its first line.
func accuracyOf(t *testing.T, out string) float64 {
	t.Helper()
	m := regexp.MustCompile(`(?m)^accuracy ([0-9.]+) \((\d+)/(\d+)\)`).FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("no accuracy line in predict output:\n%s", out)
	}
	a, _ := strconv.ParseFloat(m[1], 64)
	return a
}

// readLabels reads a -out file: one integer label a line.
func readLabels(t *testing.T, path string) []string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(string(b), "\n"), "\n")
	for i, l := range lines {
		if _, err := strconv.Atoi(l); err != nil {
			t.Fatalf("%s line %d: %q is not a label", path, i+1, l)
		}
	}
	return lines
}

var pairLine = regexp.MustCompile(`^pair -?\d+ vs -?\d+: obj = .*, rho = .*, nSV = \d+, nBSV = \d+, iter = \d+$`)

// On synthetic:200,100 (seed 1) rbf C=10 reaches 0.37 and sigmoid
// (α = 0.001, c = 0, C = 1) 0.36; chance is 0.10.
func TestTrainPredictSynthetic(t *testing.T) {
	const data = "synthetic:200,100"
	for _, tc := range []struct {
		name string
		args []string
	}{
		{"rbf", []string{"-kernel", "rbf", "-C", "10"}},
		{"sigmoid", []string{"-kernel", "sigmoid", "-alpha", "0.001", "-coef0", "0"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			model := filepath.Join(dir, tc.name+".model")
			args := append([]string{"train", "-data", data, "-model", model, "-v"}, tc.args...)
			code, out, errs, _ := runBench(t, args...)
			if code != 0 {
				t.Fatalf("train: exit %d: %s", code, errs)
			}
			if _, err := os.Stat(model); err != nil {
				t.Fatalf("no model file: %v", err)
			}
			if _, err := os.Stat(model + ".json"); err != nil {
				t.Errorf("no model side file: %v", err)
			}
			pairs := 0
			for _, l := range strings.Split(out, "\n") {
				if strings.HasPrefix(l, "pair ") {
					if !pairLine.MatchString(l) {
						t.Errorf("-v line %q does not match %s", l, pairLine)
					}
					pairs++
				}
			}
			if pairs != 45 {
				t.Errorf("%d pair lines with -v, want 45 (10 classes one-vs-one):\n%s", pairs, out)
			}
			if !regexp.MustCompile(`(?m)^trained .* on 200 samples × 3072 features, 10 classes: total nSV = \d+`).MatchString(out) {
				t.Errorf("no summary line:\n%s", out)
			}

			labels := filepath.Join(dir, "pred.txt")
			code, out, errs, _ = runBench(t, "predict", "-data", data, "-model", model, "-out", labels)
			if code != 0 {
				t.Fatalf("predict: exit %d: %s", code, errs)
			}
			if a := accuracyOf(t, out); a <= 0.25 || a > 1 {
				t.Errorf("accuracy %.4f, want well above chance (0.10):\n%s", a, out)
			}
			if !strings.Contains(out, "confusion (rows: true label, columns: predicted)") {
				t.Errorf("no confusion matrix:\n%s", out)
			}
			if got := readLabels(t, labels); len(got) != 100 {
				t.Errorf("-out holds %d labels, want 100", len(got))
			}
		})
	}
}

func TestTrainNegativeAlphaWarns(t *testing.T) {
	model := filepath.Join(t.TempDir(), "neg.model")
	code, _, errs, prog := runBench(t, "train", "-data", "synthetic:100,20", "-kernel", "sigmoid", "-alpha", "-0.001", "-model", model)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	if !regexp.MustCompile(`(?m)^warning: .*alpha = -0\.001 < 0`).MatchString(prog) {
		t.Errorf("no warning about α < 0 on stderr:\n%s", prog)
	}
	if _, err := os.Stat(model); err != nil {
		t.Errorf("no model written: %v", err)
	}
}

// libsvmPair writes a 3-class, 2-feature problem of well-separated blobs
// as LIBSVM train and test files.
func libsvmPair(t *testing.T) (train, test string) {
	dir := t.TempDir()
	r := rand.New(rand.NewPCG(7, 7))
	centers := [][2]float64{{0, 0}, {3, 0}, {0, 3}}
	write := func(name string, n int) string {
		x := matrix.New(n, 2)
		y := make([]int, n)
		for i := 0; i < n; i++ {
			c := i % 3
			y[i] = c + 1 // labels 1, 2, 3
			x.Set(i, 0, float32(centers[c][0]+0.5*r.NormFloat64()))
			x.Set(i, 1, float32(centers[c][1]+0.5*r.NormFloat64()))
		}
		p := filepath.Join(dir, name)
		if err := dataset.WriteLIBSVMFile(p, x, y); err != nil {
			t.Fatal(err)
		}
		return p
	}
	return write("train.txt", 90), write("test.txt", 60)
}

func TestTrainPredictLIBSVM(t *testing.T) {
	train, test := libsvmPair(t)
	dir := t.TempDir()
	model := filepath.Join(dir, "blobs.model")
	data := "libsvm:" + train + "," + test
	code, out, errs, _ := runBench(t, "train", "-data", data, "-kernel", "rbf", "-gamma", "0.5", "-C", "1", "-model", model)
	if code != 0 {
		t.Fatalf("train: exit %d: %s", code, errs)
	}
	if !strings.Contains(out, "on 90 samples × 2 features, 3 classes") {
		t.Errorf("summary:\n%s", out)
	}
	ours := filepath.Join(dir, "ours.txt")
	code, out, errs, _ = runBench(t, "predict", "-data", data, "-model", model, "-out", ours)
	if code != 0 {
		t.Fatalf("predict: exit %d: %s", code, errs)
	}
	if a := accuracyOf(t, out); a < 0.9 {
		t.Errorf("accuracy %.4f on separated blobs, want ≥ 0.9:\n%s", a, out)
	}
	got := readLabels(t, ours)
	if len(got) != 60 {
		t.Fatalf("-out holds %d labels, want 60", len(got))
	}

	// LIBSVM's svm-predict reads our model and predicts the same labels.
	sp, err := exec.LookPath("svm-predict")
	if err != nil {
		t.Skip("svm-predict is not on PATH: skipping the LIBSVM cross-check")
	}
	theirs := filepath.Join(dir, "theirs.txt")
	if b, err := exec.Command(sp, test, model, theirs).CombinedOutput(); err != nil {
		t.Fatalf("svm-predict: %v\n%s", err, b)
	}
	want := readLabels(t, theirs)
	if len(want) != len(got) {
		t.Fatalf("svm-predict wrote %d labels, we %d", len(want), len(got))
	}
	for i := range want {
		if want[i] != got[i] {
			t.Errorf("test sample %d: svm-predict %s, bench predict %s", i+1, want[i], got[i])
		}
	}
}

func TestTrainPredictErrors(t *testing.T) {
	model := filepath.Join(t.TempDir(), "m.model")
	base := []string{"train", "-data", "synthetic:50,10"}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"-kernel", "rbf"}, "-model"},
		{[]string{"-kernel", "bogus", "-model", model}, "bogus"},
		{[]string{"-model", model}, "-kernel"},
		{[]string{"-kernel", "rbf", "-C", "0", "-model", model}, "-C 0"},
		{[]string{"-kernel", "rbf", "-C", "-1", "-model", model}, "-C -1"},
		{[]string{"-kernel", "rbf", "-gamma", "-1", "-model", model}, "-gamma"},
		{[]string{"-kernel", "rbf", "-alpha", "0.1", "-model", model}, "rbf"},
		{[]string{"-kernel", "rbf", "-eps", "0", "-model", model}, "-eps"},
		{[]string{"-kernel", "rbf", "-model", model, "extra"}, "extra"},
		{[]string{"-kernel", "rbf", "-no-such-flag"}, "no-such-flag"},
	} {
		code, _, errs, _ := runBench(t, append(base, tc.args...)...)
		if code != 2 {
			t.Errorf("%q: exit %d, want 2 (stderr %q)", tc.args, code, errs)
		}
		if !strings.Contains(errs, tc.want) || !strings.Contains(errs, "Usage: bench train") {
			t.Errorf("%q: stderr does not name %q with the usage:\n%s", tc.args, tc.want, errs)
		}
	}
	if _, err := os.Stat(model); err == nil {
		t.Errorf("a refused train wrote %s", model)
	}

	code, _, errs, _ := runBench(t, "predict", "-data", "synthetic:50,10")
	if code != 2 || !strings.Contains(errs, "-model") {
		t.Errorf("predict without -model: exit %d, %q", code, errs)
	}
	missing := filepath.Join(t.TempDir(), "nothing.model")
	code, _, errs, _ = runBench(t, "predict", "-data", "synthetic:50,10", "-model", missing)
	if code != 1 {
		t.Errorf("predict of a missing model: exit %d, want 1 (%q)", code, errs)
	}
	oneLine(t, errs, regexp.QuoteMeta(missing))
}
