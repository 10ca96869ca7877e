package bench

import (
	"context"
	"errors"
	"math"
	"os"
	"path/filepath"
	"testing"

	"github.com/svmbench/svmbench/cnn"
	"github.com/svmbench/svmbench/dataset"
	"github.com/svmbench/svmbench/matrix"
)

func TestRun(t *testing.T) {
	d := dataset.Synthetic(200, 100, 3)
	out := t.TempDir()
	// A best file for the sigmoid on pixels: Run must use its parameters.
	best := Best{Cell: GridCell{Kernel: "sigmoid", Features: "pixels", Alpha: 1.0 / 1024, Coef0: -0.5, C: 4, Folds: 5}}
	if err := WriteJSON(filepath.Join(out, BestFile("sigmoid", "pixels")), best); err != nil {
		t.Fatal(err)
	}
	var stages []string
	cfg := RunConfig{Models: []string{"svm-sigmoid", "svm-linear", "cnn-fixed"}, Features: []string{"pixels", "cnn"},
		ParamsDir: out, Out: out, Seed: 1, CNN: cnn.TrainConfig{Epochs: 1}, Args: []string{"bench", "run"},
		Stage: func(m, f string) { stages = append(stages, m+"/"+f) }}
	res, err := Run(context.Background(), d, cfg)
	if err != nil {
		t.Fatal(err)
	}
	wantStages := []string{"cnn-fixed/pixels", "svm-sigmoid/pixels", "svm-linear/pixels", "svm-sigmoid/cnn", "svm-linear/cnn"}
	if len(stages) != len(wantStages) {
		t.Fatalf("stages %v, want %v", stages, wantStages)
	}
	for i := range stages {
		if stages[i] != wantStages[i] {
			t.Fatalf("stages %v, want %v", stages, wantStages)
		}
	}
	if len(res.Results) != 5 {
		t.Fatalf("%d results", len(res.Results))
	}
	for _, r := range res.Results {
		if len(r.Confusion) != 10 || len(r.PerClassAccuracy) != 10 || len(r.Classes) != 10 || r.TrainSeconds <= 0 || r.PredictSeconds <= 0 || r.PeakHeapBytes == 0 {
			t.Errorf("%s/%s: %+v", r.Model, r.Features, r)
		}
		total, diag := 0, 0
		var mean float64
		for i, row := range r.Confusion {
			for j, v := range row {
				total += v
				if i == j {
					diag += v
				}
			}
			mean += r.PerClassAccuracy[i] / 10
		}
		if total != 100 || math.Abs(float64(diag)/100-r.Accuracy) > 1e-12 {
			t.Errorf("%s/%s: confusion sums to %d with %d right, accuracy %g", r.Model, r.Features, total, diag, r.Accuracy)
		}
		if math.Abs(mean-r.Accuracy) > 1e-9 { // balanced test split: 10 a class
			t.Errorf("%s/%s: mean per-class accuracy %g, accuracy %g", r.Model, r.Features, mean, r.Accuracy)
		}
		if r.Model == "svm-sigmoid" && r.Features == "pixels" && (r.Params["alpha"] != 1.0/1024 || r.Params["coef0"] != -0.5 || r.Params["C"] != 4) {
			t.Errorf("sigmoid on pixels did not take the best file's parameters: %v", r.Params)
		}
		if r.Model == "svm-linear" && (r.Params["C"] != 1 || r.NSV == 0) {
			t.Errorf("linear: params %v, n_sv %d", r.Params, r.NSV)
		}
		if r.Model == "svm-sigmoid" && r.Features == "cnn" && r.Params["alpha"] != 1.0/512 {
			t.Errorf("sigmoid on 512 cnn features: default alpha %v, want 1/512", r.Params["alpha"])
		}
	}
	if res.Results[1].Accuracy < 0.2 {
		t.Errorf("sigmoid SVM on synthetic pixels: accuracy %g, want well above chance", res.Results[1].Accuracy)
	}
	var disk Results
	if err := ReadJSON(filepath.Join(out, ResultsFile), &disk); err != nil || len(disk.Results) != 5 || disk.Manifest.TrainN != 200 || disk.DataSHA256 == "" {
		t.Fatalf("results.json: %+v, %v", disk.Manifest, err)
	}
	if _, err := os.Stat(filepath.Join(out, "cnn-fixed.cnn")); err != nil {
		t.Error(err)
	}

	// Resume: nothing left to train, the saved CNN feeds nothing new.
	stages = nil
	cfg.Resume = true
	if _, err := Run(context.Background(), d, cfg); err != nil || len(stages) != 0 {
		t.Errorf("resume retrained %v (%v)", stages, err)
	}
	// A new model on resume trains only that one.
	cfg.Models = append(cfg.Models, "svm-rbf")
	res, err = Run(context.Background(), d, cfg)
	if err != nil || len(stages) != 2 || len(res.Results) != 7 {
		t.Errorf("resume with svm-rbf added: stages %v, %d results, %v", stages, len(res.Results), err)
	}
	cfg.Resume = false
	if _, err := Run(context.Background(), d, cfg); err == nil {
		t.Error("Run without Resume overwrote results.json")
	}
	other := dataset.Synthetic(200, 100, 4)
	cfg.Resume = true
	if _, err := Run(context.Background(), other, cfg); err == nil {
		t.Error("Run resumed results made on other data")
	}
}

func TestRunCancelKeepsFinished(t *testing.T) {
	d := dataset.Synthetic(200, 50, 3)
	out := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	cfg := RunConfig{Models: []string{"svm-linear", "svm-rbf"}, Out: out,
		Stage: func(m, f string) {
			if m == "svm-rbf" {
				cancel()
			}
		}}
	res, err := Run(ctx, d, cfg)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err %v", err)
	}
	var disk Results
	if err := ReadJSON(filepath.Join(out, ResultsFile), &disk); err != nil || len(disk.Results) != 1 || len(res.Results) != 1 {
		t.Errorf("after cancel: %d on disk, %d returned, %v", len(disk.Results), len(res.Results), err)
	}
}

func TestRunScaling(t *testing.T) {
	d := dataset.Synthetic(400, 100, 3)
	out := t.TempDir()
	s, err := RunScaling(context.Background(), d, ScalingConfig{Models: []string{"svm-rbf", "svm-linear"}, Sizes: []int{100, 200, 400}, TestN: 50, Out: out})
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Points) != 6 {
		t.Fatalf("%d points", len(s.Points))
	}
	for _, p := range s.Points {
		if p.TestN != 50 || p.TrainSeconds <= 0 || p.NSV <= 0 || p.NSV > p.N || p.Accuracy <= 0 {
			t.Errorf("point %+v", p)
		}
	}
	var disk Scaling
	if err := ReadJSON(filepath.Join(out, ScalingFile), &disk); err != nil || len(disk.Points) != 6 {
		t.Fatalf("scaling.json: %d points, %v", len(disk.Points), err)
	}
	if _, err := RunScaling(context.Background(), d, ScalingConfig{Sizes: []int{1000}}); err == nil {
		t.Error("a size above the training split was accepted")
	}
}

// TestSVMCacheZeroBudgetIsDefault: a zero budget (TrialsConfig and
// CostConfig pass theirs through) means DefaultMemBytes, not a 1 MiB cache.
func TestSVMCacheZeroBudgetIsDefault(t *testing.T) {
	n := 5000
	whole := float64(matrix.Bytes(n, n)+matrix.Bytes(n, n)/8) / (1 << 20)
	want := min(whole, float64(DefaultMemBytes())/(1<<20))
	if got := svmCacheMB(n, 0); got != want {
		t.Errorf("svmCacheMB(%d, 0) = %.1f MiB, want %.1f (the default budget's)", n, got, want)
	}
	if got := svmCacheMB(n, 8<<20); got != 8 {
		t.Errorf("svmCacheMB(%d, 8 MiB) = %.1f MiB, want 8", n, got)
	}
	if got := svmCacheMB(10, 1); got != 1 {
		t.Errorf("svmCacheMB(10, 1 byte) = %.3f MiB, want the 1 MiB floor", got)
	}
}
