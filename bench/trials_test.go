package bench

import (
	"context"
	"errors"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/svmbench/svmbench/cnn"
	"github.com/svmbench/svmbench/dataset"
	"github.com/svmbench/svmbench/matrix"
)

func TestRunTrials(t *testing.T) {
	d := dataset.Synthetic(300, 100, 3)
	out := t.TempDir()
	// An untrained network stands for the cnn stage's: scored, not trained.
	net, err := cnn.NewBaseline(cnn.VariantFixed, rand.New(rand.NewPCG(1, 1)))
	if err != nil {
		t.Fatal(err)
	}
	pred := make([]int, d.Test.Len())
	if err := net.Predict(pred, d.Test.X); err != nil {
		t.Fatal(err)
	}
	cnnAcc := accuracy(pred, d.Test.Y) // labels are the class indices here
	cfg := TrialsConfig{Models: []string{"svm-rbf", "svm-linear"}, Sizes: []int{50, 150}, Repeats: 2,
		NoiseN: 100, LabelNoise: []float64{0, 0.4}, PixelNoise: []float64{0, 0.2}, TestN: 100, Seed: 1, Out: out, Resume: true,
		CNNs:      []CNNTrial{{Model: "cnn-fixed", N: 300, Net: net, Params: map[string]float64{"epochs": 0}, TrainSeconds: 1.5}},
		NoiseCNNs: []string{cnn.VariantFixed}, CNNRecipe: cnn.TrainConfig{Epochs: 1, Seed: 1}}
	// The first run stops after three trials, as Ctrl-C would.
	ctx, cancel := context.WithCancel(context.Background())
	n := 0
	cfg.Stage = func(Trial) {
		if n++; n == 4 {
			cancel()
		}
	}
	if _, err := RunTrials(ctx, d, cfg); !errors.Is(err, context.Canceled) {
		t.Fatalf("interrupted run: %v", err)
	}
	cfg.Stage = nil
	res, err := RunTrials(context.Background(), d, cfg)
	if err != nil {
		t.Fatal(err)
	}
	// Curve: 2 repeats × 2 sizes × 2 models and the CNN scored; noise: 1
	// repeat × 2 studies × 2 models (0 is the curve's), and the noise
	// CNN: trained clean at NoiseN and once per study.
	if want := 2*2*2 + 1 + 2*2 + 3; len(res.Trials) != want {
		t.Fatalf("%d trials, want %d", len(res.Trials), want)
	}
	seen := map[string]bool{}
	for _, tr := range res.Trials {
		if seen[tr.Key()] {
			t.Errorf("trial %s twice", tr.Key())
		}
		seen[tr.Key()] = true
		if len(tr.Correct) != 100 || strings.Trim(tr.Correct, "01") != "" {
			t.Errorf("%s: correct %q", tr.Key(), tr.Correct)
		}
		if k := strings.Count(tr.Correct, "1"); math.Abs(float64(k)/100-tr.Accuracy) > 1e-12 {
			t.Errorf("%s: %d right but accuracy %g", tr.Key(), k, tr.Accuracy)
		}
	}
	// The CNN is scored on the same 100 test images (all of them, in the
	// trials' order): its accuracy is the network's on the test split.
	i := slices.IndexFunc(res.Trials, func(tr Trial) bool { return tr.Model == "cnn-fixed" })
	if i < 0 || res.Trials[i].Accuracy != cnnAcc || res.Trials[i].N != 300 || res.Trials[i].Study != StudyCurve || res.Trials[i].TrainSeconds != 1.5 {
		t.Errorf("CNN trial %d: %+v, want accuracy %g at n 300", i, res.Trials[i], cnnAcc)
	}
	for _, k := range []string{"curve/cnn-fixed/pixels/100/0/0", "labels/cnn-fixed/pixels/100/0/0.4", "pixels/cnn-fixed/pixels/100/0/0.2"} {
		if !seen[k] {
			t.Errorf("no trial %s", k)
		}
	}
	// Other repeats train on other subsets: not all accuracies equal.
	acc := map[float64]bool{}
	for _, tr := range res.Trials {
		if tr.Study == StudyCurve && tr.N == 50 {
			acc[tr.Accuracy] = true
		}
	}
	if len(acc) < 2 {
		t.Errorf("all repeats at n=50 scored the same: %v", acc)
	}
	// The file resumes to the same trials; another test set is refused.
	again, err := RunTrials(context.Background(), d, cfg)
	if err != nil || len(again.Trials) != len(res.Trials) {
		t.Fatalf("resume: %v, %d trials", err, len(again.Trials))
	}
	cfg.TestN = 50
	var me *MismatchError
	if _, err := RunTrials(context.Background(), d, cfg); !errors.As(err, &me) {
		t.Errorf("other test set: %v, want a MismatchError", err)
	}
}

func TestTrialsConfigRefuses(t *testing.T) {
	d := dataset.Synthetic(100, 20, 3)
	for _, cfg := range []TrialsConfig{
		{Models: []string{"cnn-fixed"}, Sizes: []int{50}},
		{Sizes: []int{5000}},
		{Sizes: []int{50}, NoiseN: 50, LabelNoise: []float64{1.5}},
		{Sizes: []int{50}, NoiseN: 50, PixelNoise: []float64{-1}},
		{Sizes: []int{50}, CNNs: []CNNTrial{{Model: "cnn-fixed", N: 50}}}, // no network
		{Sizes: []int{50}, NoiseN: 50, NoiseCNNs: []string{"resnet"}},
		{Sizes: []int{50}, CNNs: []CNNTrial{{Model: "svm-rbf", N: 50, Net: &cnn.Network{}}}}, // not a CNN
	} {
		if _, err := RunTrials(context.Background(), d, cfg); err == nil || !strings.HasPrefix(err.Error(), "bench: ") {
			t.Errorf("%+v: error %v", cfg, err)
		}
	}
}

func TestFlipLabels(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	y := make([]int, 20000)
	for i := range y {
		y[i] = i % 4 * 10 // labels 0, 10, 20, 30
	}
	labels := []int{0, 10, 20, 30}
	got := FlipLabels(y, 0.2, labels, rng)
	flipped, to := 0, map[int]int{}
	for i := range y {
		if got[i] != y[i] {
			flipped++
			if y[i] == 0 {
				to[got[i]]++
			}
		}
	}
	// 20% ± 4 standard errors; each other label about a third of class 0's flips.
	if f := float64(flipped) / float64(len(y)); math.Abs(f-0.2) > 4*math.Sqrt(0.2*0.8/float64(len(y))) {
		t.Errorf("flipped %.4f, want 0.2", f)
	}
	for _, l := range []int{10, 20, 30} {
		if n := to[l]; n < 250 || n > 420 {
			t.Errorf("class 0 flipped to %d %d times, want about 333", l, n)
		}
	}
	if y[0] != 0 || y[1] != 10 {
		t.Error("FlipLabels changed its input")
	}
}

func TestAddPixelNoise(t *testing.T) {
	x := matrix.New(200, 50)
	for i := range x.Data {
		x.Data[i] = 128
	}
	got := AddPixelNoise(x, 0.1, rand.New(rand.NewPCG(3, 4)))
	var sum, ss float64
	for _, v := range got.Data {
		d := float64(v) - 128
		sum += d
		ss += d * d
	}
	n := float64(len(got.Data))
	if sd := math.Sqrt(ss/n - (sum/n)*(sum/n)); math.Abs(sd-25.5) > 0.5 {
		t.Errorf("noise sd %.2f on 0–255, want 25.5 (σ = 0.1 on [0, 1])", sd)
	}
	if x.Data[0] != 128 {
		t.Error("AddPixelNoise changed its input")
	}
	clip := AddPixelNoise(x, 10, rand.New(rand.NewPCG(3, 4)))
	for _, v := range clip.Data {
		if v < 0 || v > 255 {
			t.Fatalf("value %g outside [0, 255]", v)
		}
	}
}

func TestRunCost(t *testing.T) {
	d := dataset.Synthetic(200, 20, 3)
	out := t.TempDir()
	c, err := RunCost(context.Background(), d, CostConfig{N: 150, Repeats: 2, Seed: 1, Out: out})
	if err != nil {
		t.Fatal(err)
	}
	if c.N != 150 || len(c.Kernels) != 3 || c.DotNsPerValue <= 0 {
		t.Fatalf("%+v", c)
	}
	for _, k := range c.Kernels {
		if k.MapNsPerValue <= 0 || k.GramNsPerValue <= 0 || k.TrainSeconds <= 0 || k.MapShareOfTrain <= 0 {
			t.Errorf("%+v", k)
		}
	}
	var back Cost
	if err := ReadJSON(out+"/"+CostFile, &back); err != nil || len(back.Kernels) != 3 {
		t.Errorf("cost.json: %v %+v", err, back)
	}
}

// TestTrialPlanAllImagesOnce: a curve size of all the pool's training
// images is trained once; smaller sizes Repeats times.
func TestTrialPlanAllImagesOnce(t *testing.T) {
	cfg := TrialsConfig{Sizes: []int{100, 200}, Repeats: 3}
	count := map[int]int{}
	for _, tr := range cfg.plan([]string{"svm-rbf"}, []string{"pixels"}, 200) {
		count[tr.N]++
	}
	if count[100] != 3 || count[200] != 1 {
		t.Errorf("trials per size = %v, want 3 at 100 and 1 at 200 (all the images)", count)
	}
}
