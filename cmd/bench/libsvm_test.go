package main

import (
	"fmt"
	"math"
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

// blobFile writes n samples of well-separated 2-feature blobs with the
// given labels (in turn) as a LIBSVM file.
func blobFile(t *testing.T, path string, n int, labels []int, seed uint64) {
	t.Helper()
	r := rand.New(rand.NewPCG(seed, 3))
	x := matrix.New(n, 2)
	y := make([]int, n)
	for i := range n {
		c := i % len(labels)
		y[i] = labels[c]
		x.Set(i, 0, float32(2*float64(c%2)+0.7*r.NormFloat64()))
		x.Set(i, 1, float32(2*float64(c/2)+0.7*r.NormFloat64()))
	}
	if err := dataset.WriteLIBSVMFile(path, x, y); err != nil {
		t.Fatal(err)
	}
}

func mustRun(t *testing.T, args ...string) string {
	t.Helper()
	code, out, errs, _ := runBench(t, args...)
	if code != 0 {
		t.Fatalf("bench %s: exit %d: %s", strings.Join(args, " "), code, errs)
	}
	return out
}

// TestLIBSVMDropIn is the svm-train/svm-predict workflow on one file each,
// labels 2 7 9 kept as written: train, predict (-out), -w, -b 1 (our
// probabilities read back by svm-predict -b 1), -cv, and an unseen test
// label shown as its own confusion row.
func TestLIBSVMDropIn(t *testing.T) {
	dir := t.TempDir()
	train, test := filepath.Join(dir, "train.txt"), filepath.Join(dir, "test.txt")
	blobFile(t, train, 150, []int{2, 7, 9}, 1)
	blobFile(t, test, 60, []int{2, 7, 9}, 2)
	model := filepath.Join(dir, "m")
	out := mustRun(t, "train", "-data", "libsvm:"+train, "-kernel", "rbf", "-C", "2", "-w", "7:2", "-b", "1", "-model", model)
	if !strings.Contains(out, "150 samples × 2 features, 3 classes") {
		t.Errorf("train summary: %s", out)
	}
	b, _ := os.ReadFile(model)
	if !strings.Contains(string(b), "\nlabel 2 7 9\n") || !strings.Contains(string(b), "\nprobA ") || !strings.Contains(string(b), "gamma 0.5\n") {
		t.Errorf("model header (want label 2 7 9, probA, gamma 1/2):\n%.400s", b)
	}
	plain, probOut := filepath.Join(dir, "plain.out"), filepath.Join(dir, "prob.out")
	out = mustRun(t, "predict", "-data", "libsvm:"+test, "-model", model, "-out", plain)
	if a := accuracyOf(t, out); a < 0.8 {
		t.Errorf("accuracy %.3f", a)
	}
	for _, l := range readLabels(t, plain) {
		if l != "2" && l != "7" && l != "9" {
			t.Fatalf("-out label %s: want the file's labels", l)
		}
	}
	mustRun(t, "predict", "-data", "libsvm:"+train+","+test, "-model", model, "-b", "1", "-out", probOut)
	ours, _ := os.ReadFile(probOut)
	if !strings.HasPrefix(string(ours), "labels 2 7 9\n") {
		t.Errorf("-b 1 output starts %q", ours[:min(len(ours), 40)])
	}
	if _, err := exec.LookPath("svm-predict"); err == nil {
		theirs := filepath.Join(dir, "theirs.out")
		if o, err := exec.Command("svm-predict", "-b", "1", test, model, theirs).CombinedOutput(); err != nil {
			t.Fatalf("svm-predict -b 1: %v\n%s", err, o)
		}
		tb, _ := os.ReadFile(theirs)
		ol, tl := strings.Split(string(ours), "\n"), strings.Split(string(tb), "\n")
		if len(ol) != len(tl) || ol[0] != tl[0] {
			t.Fatalf("svm-predict -b 1 wrote %d lines headed %q, we %d headed %q", len(tl), tl[0], len(ol), ol[0])
		}
		for i := 1; i < len(ol); i++ {
			of, tf := strings.Fields(ol[i]), strings.Fields(tl[i])
			for j := range of {
				a, _ := strconv.ParseFloat(of[j], 64)
				c, _ := strconv.ParseFloat(tf[j], 64)
				if math.Abs(a-c) > 1e-4 {
					t.Fatalf("line %d: ours %q, svm-predict %q", i+1, ol[i], tl[i])
				}
			}
		}
	}

	// Standardised features: their mean and σ travel in the sidecar, so
	// predicting reads no training data; without the sidecar, an error.
	std := filepath.Join(dir, "std")
	mustRun(t, "train", "-data", "libsvm:"+train, "-kernel", "rbf", "-features", "standard", "-model", std)
	if a := accuracyOf(t, mustRun(t, "predict", "-data", "libsvm:"+test, "-model", std)); a < 0.8 {
		t.Errorf("standard features: accuracy %.3f", a)
	}
	os.Remove(std + ".json")
	if code, _, errs, _ := runBench(t, "predict", "-data", "libsvm:"+test, "-model", std); code != 1 || !strings.Contains(errs, "needs its sidecar") {
		t.Errorf("standard model without its sidecar: exit %d, %s", code, errs)
	}

	// svm-train's model, read by bench predict: svm-predict's labels.
	if _, err := exec.LookPath("svm-train"); err == nil {
		lmodel := filepath.Join(dir, "libsvm.model")
		if o, err := exec.Command("svm-train", "-q", "-t", "2", "-c", "2", "-b", "1", train, lmodel).CombinedOutput(); err != nil {
			t.Fatalf("svm-train: %v\n%s", err, o)
		}
		lout, bout := filepath.Join(dir, "libsvm.out"), filepath.Join(dir, "bench.out")
		if o, err := exec.Command("svm-predict", "-b", "1", test, lmodel, lout).CombinedOutput(); err != nil {
			t.Fatalf("svm-predict: %v\n%s", err, o)
		}
		mustRun(t, "predict", "-data", "libsvm:"+test, "-model", lmodel, "-b", "1", "-out", bout)
		lb, _ := os.ReadFile(lout)
		bb, _ := os.ReadFile(bout)
		ll, bl := strings.Split(string(lb), "\n"), strings.Split(string(bb), "\n")
		for i := range ll {
			if lf, bf := strings.Fields(ll[i]), strings.Fields(bl[i]); len(lf) > 0 && lf[0] != bf[0] {
				t.Fatalf("svm-train's model, line %d: svm-predict %q, bench predict %q", i+1, ll[i], bl[i])
			}
		}
	}

	// -cv K: svm-train -v K's line, no model.
	out = mustRun(t, "train", "-data", "libsvm:"+train, "-kernel", "rbf", "-C", "2", "-cv", "5")
	if !regexp.MustCompile(`^Cross Validation Accuracy = [0-9.]+%\n$`).MatchString(out) {
		t.Errorf("-cv output %q", out)
	}
	// With -w, -b 1 and -ovr as svm-train -v takes -w and -b (the numbers
	// are checked against svm-train on the same folds in bench's
	// TestCrossValidateOptions); -w with an absent label and -b 1 with
	// -ovr are refused.
	for _, opts := range [][]string{{"-w", "7:3"}, {"-b", "1"}, {"-ovr"}, {"-w", "9:2", "-b", "1"}} {
		out = mustRun(t, append([]string{"train", "-data", "libsvm:" + train, "-kernel", "rbf", "-C", "2", "-cv", "5"}, opts...)...)
		if !regexp.MustCompile(`^Cross Validation Accuracy = [0-9.]+%\n$`).MatchString(out) {
			t.Errorf("-cv 5 %v output %q", opts, out)
		}
	}
	if code, _, errs, _ := runBench(t, "train", "-data", "libsvm:"+train, "-kernel", "rbf", "-cv", "5", "-w", "3:2"); code != 1 || !strings.Contains(errs, "label 3") {
		t.Errorf("-cv -w 3:2 (no label 3): exit %d, %q", code, errs)
	}
	if code, _, _, _ := runBench(t, "train", "-data", "libsvm:"+train, "-kernel", "rbf", "-cv", "5", "-b", "1", "-ovr"); code != 2 {
		t.Errorf("-cv -b 1 -ovr: exit %d, want 2", code)
	}

	// A weight for a label the data lacks is refused.
	code, _, errs, _ := runBench(t, "train", "-data", "libsvm:"+train, "-kernel", "rbf", "-w", "3:2", "-model", filepath.Join(dir, "w"))
	if code == 0 || !strings.Contains(errs, "label 3") {
		t.Errorf("-w 3:2: exit %d, %s", code, errs)
	}

	// A test label the model never saw: predicted as usual, counted
	// wrong, its own confusion row.
	unseen := filepath.Join(dir, "unseen.txt")
	os.WriteFile(unseen, []byte("5 1:0 2:0\n2 1:0 2:0\n"), 0o644)
	out = mustRun(t, "predict", "-data", "libsvm:"+unseen, "-model", model)
	if !strings.Contains(out, "/2)") || !regexp.MustCompile(`(?m)^\s+5\s+1\s+0\s+0\s+0\s+5$`).MatchString(out) {
		t.Errorf("unseen label 5:\n%s", out)
	}
}

// TestPredictBadModel: a model promising 1e11 support vectors is a
// one-line error naming the line, exit 1, without running out of memory.
func TestPredictBadModel(t *testing.T) {
	dir := t.TempDir()
	test := filepath.Join(dir, "t")
	os.WriteFile(test, []byte("1 1:1\n"), 0o644)
	model := filepath.Join(dir, "m")
	os.WriteFile(model, []byte("svm_type c_svc\nkernel_type linear\nnr_class 2\ntotal_sv 100000000000\nrho 0\nlabel 1 -1\nnr_sv 1 1\nSV\n1 1:1\n-1 1:2\n"), 0o644)
	code, _, errs, _ := runBench(t, "predict", "-data", "libsvm:"+test, "-model", model)
	if code != 1 {
		t.Errorf("exit %d, want 1", code)
	}
	oneLine(t, errs, regexp.QuoteMeta(model)+`:4:`, `total_sv`)
}

// TestDefaultSlopeIsLIBSVMs: without -alpha (or with -alpha 0) the
// sigmoid's slope is 1/features, svm-train -t 3's default γ, as -gamma's is
// for rbf and poly: a 2-feature file gives `gamma 0.5` in the model, what
// svm-train -t 3 writes for it. (It was 0.001, undocumented, so `bench
// train -kernel sigmoid` and `svm-train -t 3` trained different models.)
func TestDefaultSlopeIsLIBSVMs(t *testing.T) {
	dir := t.TempDir()
	train := filepath.Join(dir, "train.txt")
	blobFile(t, train, 60, []int{1, -1}, 1)
	for _, extra := range [][]string{nil, {"-alpha", "0"}} {
		model := filepath.Join(dir, "m")
		out := mustRun(t, append([]string{"train", "-data", "libsvm:" + train, "-kernel", "sigmoid", "-model", model}, extra...)...)
		b, _ := os.ReadFile(model)
		if !strings.Contains(string(b), "\nkernel_type sigmoid\ngamma 0.5\n") || !strings.Contains(out, "sigmoid(alpha=0.5,") {
			t.Errorf("bench train -kernel sigmoid %v: the model's header and summary should give α = 1/2:\n%s\n%s", extra, b[:min(len(b), 120)], out)
		}
	}
}

// TestPredictWiderSampleNamesLine: a test sample with a non-zero feature
// past the model's training width is an error naming the test file and
// the sample's line (past comments and blank lines), as every error about
// a data file does; it said "svm: sample 2 has feature 3 = 1", no file,
// and the sample's number, not its line.
func TestPredictWiderSampleNamesLine(t *testing.T) {
	dir := t.TempDir()
	train, test := filepath.Join(dir, "train.txt"), filepath.Join(dir, "test.txt")
	blobFile(t, train, 60, []int{1, -1}, 1)
	os.WriteFile(test, []byte("# test\n1 1:1\n\n-1 1:1 3:1\n"), 0o644)
	model := filepath.Join(dir, "m")
	mustRun(t, "train", "-data", "libsvm:"+train, "-kernel", "linear", "-model", model)
	code, _, errs, _ := runBench(t, "predict", "-data", "libsvm:"+test, "-model", model)
	if code != 1 {
		t.Errorf("exit %d, want 1", code)
	}
	oneLine(t, errs, regexp.QuoteMeta(test)+`:4: `, `sample 2 has feature 3 = 1`)
}

// TestCVAccuracyFormat: -cv prints the accuracy as svm-train -v does,
// C's %g (6 significant digits): 9 identical samples of 3 classes are all
// predicted as one class, 3 of 9 right, `33.3333%` (it printed Go's
// shortest %g, 33.33333333333333%).
func TestCVAccuracyFormat(t *testing.T) {
	train := filepath.Join(t.TempDir(), "train.txt")
	os.WriteFile(train, []byte(strings.Repeat("1 1:1\n2 1:1\n3 1:1\n", 3)), 0o644)
	out := mustRun(t, "train", "-data", "libsvm:"+train, "-kernel", "linear", "-cv", "3")
	if out != "Cross Validation Accuracy = 33.3333%\n" {
		t.Errorf("-cv 3 printed %q, want svm-train -v 3's Cross Validation Accuracy = 33.3333%%", out)
	}
}

// TestTrainReadsTrainOnly: bench train -data libsvm:TRAIN,TEST trains on
// TRAIN and reads nothing else, as bench predict reads TEST alone: a TEST
// that is missing or malformed does not stop it (it read TEST and failed
// on it), and the model's manifest lists TRAIN alone.
func TestTrainReadsTrainOnly(t *testing.T) {
	dir := t.TempDir()
	train, bad := filepath.Join(dir, "train.txt"), filepath.Join(dir, "bad.txt")
	blobFile(t, train, 60, []int{2, 7, 9}, 1)
	os.WriteFile(bad, []byte("2 1:1 9:x\n"), 0o644)
	for _, test := range []string{bad, filepath.Join(dir, "missing.txt")} {
		model := filepath.Join(dir, "m")
		mustRun(t, "train", "-data", "libsvm:"+train+","+test, "-kernel", "linear", "-model", model)
		side, _ := os.ReadFile(model + ".json")
		if !strings.Contains(string(side), "train.txt") || strings.Contains(string(side), filepath.Base(test)) {
			t.Errorf("libsvm:train.txt,%s: the sidecar should list train.txt alone:\n%s", filepath.Base(test), side)
		}
	}
}

// TestPredictManyClassesNoTable: with more than 30 labels bench predict
// prints the accuracy and says why there is no confusion table, instead of
// a table of labels² counts (545 kB of stdout for a 300-class file).
func TestPredictManyClassesNoTable(t *testing.T) {
	dir := t.TempDir()
	train := filepath.Join(dir, "train.txt")
	var b strings.Builder
	for i := range 80 {
		fmt.Fprintf(&b, "%d 1:%d 2:1\n", i%40+1, i%40)
	}
	os.WriteFile(train, []byte(b.String()), 0o644)
	model := filepath.Join(dir, "m")
	mustRun(t, "train", "-data", "libsvm:"+train, "-kernel", "linear", "-model", model)
	out := mustRun(t, "predict", "-data", "libsvm:"+train, "-model", model)
	if lines := strings.Count(out, "\n"); lines > 3 || !strings.HasPrefix(out, "accuracy ") || !strings.Contains(out, "40 labels") {
		t.Errorf("bench predict on 40 labels printed %d lines, want the accuracy and a note:\n%.500s", lines, out)
	}
}

// TestVerbosePairNames: -v names a pair of labels 1 and -1 as such, and
// the classes of a one-vs-rest model: it printed "pair 1--1", and with
// -ovr on two classes, whose model is one pair, "class 1-rest".
func TestVerbosePairNames(t *testing.T) {
	dir := t.TempDir()
	train := filepath.Join(dir, "train.txt")
	blobFile(t, train, 60, []int{1, -1}, 1)
	for _, ovr := range []bool{false, true} {
		args := []string{"train", "-data", "libsvm:" + train, "-kernel", "linear", "-v", "-model", filepath.Join(dir, "m")}
		if ovr {
			args = append(args, "-ovr")
		}
		out := mustRun(t, args...)
		if !strings.HasPrefix(out, "pair 1 vs -1: obj = ") {
			t.Errorf("-v (ovr %v) on labels 1, -1: %q, want a line for pair 1 vs -1", ovr, out)
		}
	}
	blobFile(t, train, 60, []int{2, -1, 7}, 1)
	out := mustRun(t, "train", "-data", "libsvm:"+train, "-kernel", "linear", "-v", "-ovr", "-model", filepath.Join(dir, "m"))
	if !strings.Contains(out, "\nclass -1 vs rest: obj = ") {
		t.Errorf("-v -ovr on labels 2, -1, 7: %q, want a line for class -1 vs rest", out)
	}
}
