package bench

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/svmbench/svmbench/kernels"
	"github.com/svmbench/svmbench/svm"
)

// failingGrid is a poly grid of degree 9 on blobs whose cells of γ = 1e6
// overflow float32 ((γ⟨x,y⟩)^9 past 3.4e38): svm.ErrNotFinite in every
// fold.
func failingGrid(out string, gammas ...float64) GridConfig {
	return GridConfig{
		Kernel: "poly", Features: "pixels", Degree: 9,
		Gamma: Values(gammas...), Coef0: Values(0), C: Values(1),
		Folds: 3, Seed: 7, Out: out, MemBytes: 1 << 28,
	}
}

// TestFailedCellIsRecorded: a cell whose kernel values overflow is
// journalled as failed (its reason, no fold accuracies), the grid goes on
// and its best is the other cell; -resume runs it not again.
func TestFailedCellIsRecorded(t *testing.T) {
	d := blobs(3, 30, 6, 3)
	cfg := failingGrid(filepath.Join(t.TempDir(), "g"), 0.1, 1e6)
	fits := countFits(t, svmFitGram)
	best, cells, err := Grid(context.Background(), d, d.Train.X, d.Test.X, cfg)
	if err != nil {
		t.Fatalf("a grid with one failing cell: %v", err)
	}
	if len(cells) != 2 || cells[1].Failed == "" || cells[0].Failed != "" {
		t.Fatalf("cells %+v: want cell 1 (γ=1e6) failed, cell 0 not", cells)
	}
	if f := cells[1]; !strings.Contains(f.Failed, "not finite") || len(f.FoldAccuracy) != 0 || f.CVAccuracy != 0 {
		t.Errorf("failed cell %+v: want the reason, no fold accuracies, cv_accuracy 0", f)
	}
	if best == nil || best.Cell.Index != 0 {
		t.Fatalf("best %+v: want cell 0", best)
	}
	onDisk, _, err := ReadCells(filepath.Join(cfg.Out, GridFile("poly", "pixels")))
	if err != nil || len(onDisk) != 2 {
		t.Fatalf("journal: %d cells, %v", len(onDisk), err)
	}
	fits.Store(0)
	cfg.Resume = true
	best, cells, err = Grid(context.Background(), d, d.Train.X, d.Test.X, cfg)
	if err != nil || fits.Load() != 0 || len(cells) != 2 || cells[1].Failed == "" || best == nil || best.Cell.Index != 0 {
		t.Errorf("resumed: %d fits, cells %+v, best %+v, %v; want no fit, cell 1 failed, best cell 0", fits.Load(), cells, best, err)
	}
}

// TestEveryCellFailed: a grid whose every cell fails ends with an error
// naming the first cell and why, its cells journalled; resumed, it says
// the same without fitting them again.
func TestEveryCellFailed(t *testing.T) {
	d := blobs(3, 30, 6, 3)
	cfg := failingGrid(filepath.Join(t.TempDir(), "g"), 1e6, 1e7)
	fits := countFits(t, svmFitGram)
	for _, resume := range []bool{false, true} {
		cfg.Resume = resume
		fits.Store(0)
		best, cells, err := Grid(context.Background(), d, d.Train.X, d.Test.X, cfg)
		if err == nil || !strings.Contains(err.Error(), "every cell failed (2 of 2)") || !strings.Contains(err.Error(), "cell 0 (γ=1e+06") || !strings.Contains(err.Error(), "not finite") {
			t.Errorf("resume %v: error %v, want every cell failed naming cell 0 and why", resume, err)
		}
		if best != nil || len(cells) != 2 {
			t.Errorf("resume %v: best %v, %d cells; want none and both cells", resume, best, len(cells))
		}
		if resume && fits.Load() != 0 {
			t.Errorf("resumed: %d fits, want none", fits.Load())
		}
	}
}

// TestBayesGoesOnAfterFailures: a bayes search whose initial design
// fails whole still spends its budget (seeded random untried cells until
// one is scored), and the same seed gives the same trials.
func TestBayesGoesOnAfterFailures(t *testing.T) {
	d := blobs(3, 30, 6, 3)
	useFitter(t, oneCellScores)
	var runs [][]GridCell
	for range 2 {
		cfg := failingGrid(filepath.Join(t.TempDir(), "g"), 1e6, 1e5, 1e4, 0.1)
		cfg.C = Values(1, 4, 16)
		cfg.Search, cfg.Trials, cfg.Batch, cfg.NoRetrain = "bayes", 10, 2, true
		var logs []string
		cfg.Log = func(f string, a ...any) { logs = append(logs, fmt.Sprintf(f, a...)) }
		_, cells, err := Grid(context.Background(), d, d.Train.X, nil, cfg)
		if err != nil {
			t.Fatal(err)
		}
		// A failed trial has no score: before any is scored, the log has
		// no best so far (not 0%).
		log := strings.Join(logs, "\n")
		if !strings.Contains(log, "bayes trial 1 of 10: ") || strings.Contains(log, "best so far 0.00%") ||
			!strings.Contains(log, "failed (fold 1: svm: pair 0 vs 1: the solution is not finite") || !strings.Contains(log, "no trial scored yet (initial design") {
			t.Errorf("the log of a search whose design failed: %q", logs)
		}
		if len(cells) != 10 {
			t.Fatalf("%d trials, want the budget of 10", len(cells))
		}
		if _, ok := BestCell(cells); !ok {
			t.Errorf("no trial scored: %+v", cells)
		}
		runs = append(runs, cells)
	}
	equalCells(t, "same seed", runs[1], runs[0])
}

// TestCompareSearchesFailedDraws: bench grid -compare on a grid where
// most cells fail: a random search whose every draw failed is a run that
// found nothing (its trace stays at 0), not an error that stops the
// comparison ("every cell failed (3 of 3)").
func TestCompareSearchesFailedDraws(t *testing.T) {
	d := blobs(3, 30, 6, 3)
	useFitter(t, oneCellScores)
	cfg := failingGrid("", 1e6, 1e5, 1e4, 0.1)
	cfg.C = Values(1, 4, 16)
	seeds := []uint64{1, 2, 3, 4, 5, 6, 7, 8}
	cmp, err := CompareSearches(context.Background(), d, d.Train.X, cfg, seeds)
	if err != nil {
		t.Fatalf("comparison: %v", err)
	}
	nothing := 0
	for _, tr := range cmp.Traces {
		if tr.Search == "random" && tr.BestCV[len(tr.BestCV)-1] == 0 {
			nothing++
		}
	}
	if nothing == 0 {
		t.Errorf("no random run of %d seeds drew only failed cells: the test tests nothing", len(seeds))
	}
}

// TestCrossValidateNotFinite: CrossValidate (bench train -cv K) of a
// setting whose kernel values overflow is an error wrapping
// svm.ErrNotFinite, as the fit's was before failed grid cells: not a
// cross-validation accuracy of 0 (the failed cell's cv_accuracy).
func TestCrossValidateNotFinite(t *testing.T) {
	d := blobs(3, 30, 6, 3)
	acc, _, err := CrossValidate(context.Background(), d.Train.X, d.Train.Y, CVConfig{Kernel: kernels.Poly{Gamma: 1e6, Degree: 9}, Folds: 3, Seed: 7})
	if !errors.Is(err, svm.ErrNotFinite) || !strings.Contains(err.Error(), "fold 1") {
		t.Errorf("CrossValidate of an overflowing kernel: accuracy %v, error %v; want svm.ErrNotFinite naming the fold", acc, err)
	}
}

// oneCellScores fits as meanFit does the one cell of failingGrid's 12
// (γ = 0.1, C ≥ 10) that scores, and fails the others as a kernel that
// overflows does.
func oneCellScores(ctx context.Context, a gramFit) (fitOut, error) {
	if p, ok := a.kern.(kernels.Poly); ok && (p.Gamma > 1 || a.c < 10) {
		return fitOut{}, fmt.Errorf("svm: pair 0 vs 1: %w", svm.ErrNotFinite)
	}
	return meanFit(ctx, a)
}
