package svm

import (
	"context"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/svmbench/svmbench/kernels"
)

// readProbOutput reads svm-predict -b 1 output: a "labels L1 L2 …" line,
// then "label p1 p2 …" a sample.
func readProbOutput(t *testing.T, path string) (labels []int, pred []int, prob [][]float64) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	head := strings.Fields(lines[0])
	if head[0] != "labels" {
		t.Fatalf("%s: first line %q, want labels …", path, lines[0])
	}
	for _, f := range head[1:] {
		l, _ := strconv.Atoi(f)
		labels = append(labels, l)
	}
	for _, ln := range lines[1:] {
		f := strings.Fields(ln)
		p, _ := strconv.ParseFloat(f[0], 64)
		pred = append(pred, int(p))
		row := make([]float64, len(f)-1)
		for i, s := range f[1:] {
			row[i], _ = strconv.ParseFloat(s, 64)
		}
		prob = append(prob, row)
	}
	return labels, pred, prob
}

// TestLIBSVMProbability checks -b 1 both ways (svm-train 3.24 -b 1, and
// svm-predict -b 1 on our model) with labels -1/+1, 1..3 and 2 7 9 and a
// class weight: svm-predict's probabilities on our model equal ours within
// 1e-4; against svm-train's own -b 1 model (its internal CV folds come from
// rand(), ours from a seeded generator) the mean absolute difference is at
// most 0.02 and the most probable label the same for ≥ 98% of samples.
func TestLIBSVMProbability(t *testing.T) {
	needLIBSVM(t)
	for _, c := range []struct {
		name   string
		labels []int
		w      map[int]float64
	}{
		{"pm1", []int{-1, 1}, nil},
		{"1to3", []int{1, 2, 3}, nil},
		{"2-7-9-weighted", []int{2, 7, 9}, map[int]float64{7: 2}},
	} {
		t.Run(c.name, func(t *testing.T) {
			x, y := blobs(900, 8, c.labels, 1.3, 11)
			xt, yt := x.Slice(600, 900), y[600:]
			x, y = x.Slice(0, 600), y[:600]
			k := kernels.RBF{Gamma: 0.1}
			m, err := Train(context.Background(), x, y, Params{Kernel: k, C: 2, Weights: c.w, Probability: true, Seed: 1})
			if err != nil {
				t.Fatal(err)
			}
			pred, prob, err := m.PredictProbability(xt)
			if err != nil {
				t.Fatal(err)
			}
			dir := t.TempDir()
			train, test := filepath.Join(dir, "train"), filepath.Join(dir, "test")
			writeLIBSVMData(t, train, x, y)
			writeLIBSVMData(t, test, xt, yt)
			ours := filepath.Join(dir, "ours.model")
			if err := m.Save(ours); err != nil {
				t.Fatal(err)
			}
			// Our model re-read keeps probA/probB.
			back, err := Load(ours)
			if err != nil || !back.HasProbability() {
				t.Fatalf("Load: %v, probability kept: %v", err, err == nil && back.HasProbability())
			}
			run(t, "svm-predict", "-b", "1", test, ours, filepath.Join(dir, "ours.out"))
			labels, lpred, lprob := readProbOutput(t, filepath.Join(dir, "ours.out"))
			if len(labels) != len(m.Labels) {
				t.Fatalf("svm-predict labels %v, ours %v", labels, m.Labels)
			}
			nc := len(m.Labels)
			worst := 0.0
			for i := range lprob {
				if lpred[i] != pred[i] {
					t.Errorf("sample %d: svm-predict -b 1 on our model says %d, we say %d", i, lpred[i], pred[i])
				}
				for c := range nc {
					if labels[c] != m.Labels[c] {
						t.Fatalf("svm-predict labels %v, ours %v", labels, m.Labels)
					}
					worst = max(worst, math.Abs(lprob[i][c]-prob[i*nc+c]))
				}
			}
			t.Logf("svm-predict -b 1 on our model: largest difference %.2g", worst)
			if worst > 1e-4 {
				t.Errorf("svm-predict -b 1 on our model differs from ours by %g > 1e-4", worst)
			}

			// svm-train -b 1 on the same data.
			args := append(libsvmKernelArgs(k), "-c", "2", "-b", "1", "-q")
			for l, w := range c.w {
				args = append(args, "-w"+strconv.Itoa(l), strconv.FormatFloat(w, 'g', -1, 64))
			}
			lmodel := filepath.Join(dir, "libsvm.model")
			run(t, "svm-train", append(args, train, lmodel)...)
			ref, err := Load(lmodel)
			if err != nil || !ref.HasProbability() {
				t.Fatalf("svm-train -b 1 model: %v", err)
			}
			run(t, "svm-predict", "-b", "1", test, lmodel, filepath.Join(dir, "libsvm.out"))
			_, rpred, rprob := readProbOutput(t, filepath.Join(dir, "libsvm.out"))
			var sum float64
			same := 0
			for i := range rprob {
				if rpred[i] == pred[i] {
					same++
				}
				for c := range nc {
					sum += math.Abs(rprob[i][c] - prob[i*nc+c])
				}
			}
			mad := sum / float64(len(rprob)*nc)
			agree := float64(same) / float64(len(rprob))
			t.Logf("against svm-train -b 1: mean |Δp| %.4f, same most probable label %.1f%%", mad, 100*agree)
			if mad > 0.02 || agree < 0.98 {
				t.Errorf("against svm-train -b 1: mean |Δp| %.4f (want ≤ 0.02), same label %.1f%% (want ≥ 98%%)", mad, 100*agree)
			}
			// Our reading of svm-train's probability model matches svm-predict's.
			_, rp, err := ref.PredictProbability(xt)
			if err != nil {
				t.Fatal(err)
			}
			for i := range rprob {
				for c := range nc {
					if d := math.Abs(rp[i*nc+c] - rprob[i][c]); d > 1e-4 {
						t.Fatalf("sample %d class %d: our probability with svm-train's model %g, svm-predict %g", i, c, rp[i*nc+c], rprob[i][c])
					}
				}
			}
		})
	}
}

func TestSigmoidTrainSeparable(t *testing.T) {
	// Larger decision values mean class +1: A < 0, and P(+1|f) rises with f.
	f := []float64{-2, -1.5, -1, -0.2, 0.3, 1, 1.4, 2}
	y := []int8{-1, -1, -1, 1, -1, 1, 1, 1}
	a, b := sigmoidTrain(f, y)
	if !(a < 0) || sigmoidPredict(2, a, b) <= sigmoidPredict(-2, a, b) {
		t.Errorf("A = %g, B = %g: want A < 0", a, b)
	}
}

func TestMulticlassProbabilitySumsToOne(t *testing.T) {
	r := [][]float64{{0, 0.7, 0.9}, {0.3, 0, 0.6}, {0.1, 0.4, 0}}
	p := make([]float64, 3)
	multiclassProbability(p, r, make([]float64, 12))
	if s := p[0] + p[1] + p[2]; math.Abs(s-1) > 1e-9 || !(p[0] > p[1] && p[1] > p[2]) {
		t.Errorf("p = %v (sum %g)", p, s)
	}
}
