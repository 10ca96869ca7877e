package bench

import (
	"context"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/svmbench/svmbench/results"
)

// CompareSeeding pairs a seeded and a cold run of one grid cell by cell:
// at eps 1e-5 no fold's accuracy differs, seeding takes fewer SMO
// iterations, the totals add the cells up, and the file it writes reads
// back equal.
func TestCompareSeeding(t *testing.T) {
	d := blobs(4, 40, 100, 3)
	out := t.TempDir()
	cfg := GridConfig{Kernel: "rbf", Gamma: Values(0.002, 0.01), C: Values(0.5, 2, 8, 32),
		Folds: 5, Seed: 1, Tol: 1e-5, Workers: 2, Out: out, Features: "pixels"}
	cmp, err := CompareSeeding(context.Background(), d, d.Train.X, cfg)
	if err != nil {
		t.Fatal(err)
	}
	tot := cmp.Totals()
	if len(cmp.Cells) != 8 || tot.Cells != 8 || cmp.Eps != 1e-5 || cmp.Folds != 5 {
		t.Fatalf("%d cells (totals %d), eps %g, %d folds; want 8, 1e-5, 5", len(cmp.Cells), tot.Cells, cmp.Eps, cmp.Folds)
	}
	if tot.FoldsDiffer != 0 || tot.CellsDiffer != 0 {
		t.Errorf("%d folds in %d cells differ between seeded and cold runs at eps 1e-5", tot.FoldsDiffer, tot.CellsDiffer)
	}
	if tot.SeededPairs == 0 || tot.IterSeeded >= tot.IterCold || tot.IterRatio <= 1 {
		t.Errorf("%d sub-problems seeded, %d SMO iterations against %d cold (ratio %.2f)", tot.SeededPairs, tot.IterSeeded, tot.IterCold, tot.IterRatio)
	}
	var sum int
	for _, c := range cmp.Cells {
		sum += c.IterCold
		if c.Gamma == 0 || c.C == 0 || c.IterCold == 0 {
			t.Errorf("cell %+v: parameters or cold iterations missing", c)
		}
	}
	if sum != tot.IterCold {
		t.Errorf("cold iterations: cells add to %d, totals say %d", sum, tot.IterCold)
	}
	var back results.SeedingComparison
	if err := results.ReadJSON(filepath.Join(out, results.SeedingFile("rbf", "pixels")), &back); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(back.Cells, cmp.Cells) || back.Kernel != "rbf" {
		t.Errorf("read back %+v; want %+v", back, *cmp)
	}
	cfg.Search = "bayes"
	if _, err := CompareSeeding(context.Background(), d, d.Train.X, cfg); err == nil || !strings.Contains(err.Error(), "-search bayes") {
		t.Errorf("bayes: %v; want an error naming -search bayes", err)
	}
}

// pairSeeding refuses runs whose cells do not match.
func TestPairSeedingMismatch(t *testing.T) {
	a := []GridCell{{Index: 0, FoldAccuracy: []float64{0.5}}, {Index: 1, FoldAccuracy: []float64{0.5}}}
	if _, err := pairSeeding(a, a[:1]); err == nil {
		t.Error("a cold run missing a cell: no error")
	}
	if _, err := pairSeeding(a[:1], a); err == nil {
		t.Error("a seeded run missing a cell: no error")
	}
}

// A failed cell (Failed) is paired, not refused, and not compared: its
// cv_accuracy 0 is no score. Failed in both runs it differs in nothing;
// failed in one run only it is no difference of 40 points of accuracy.
func TestPairSeedingFailed(t *testing.T) {
	const why = "fold 1: svm: pair 0 vs 1: the solution is not finite"
	ok := GridCell{Index: 0, Folds: 2, FoldAccuracy: []float64{0.5, 0.5}, CVAccuracy: 0.5}
	failed := GridCell{Index: 1, Folds: 2, FoldAccuracy: []float64{}, Failed: why}
	scored := GridCell{Index: 1, Folds: 2, FoldAccuracy: []float64{0.4, 0.4}, CVAccuracy: 0.4}
	for _, c := range []struct {
		name             string
		seeded, cold     GridCell
		inSeeded, inCold string
	}{
		{"both runs", failed, failed, why, why},
		{"the seeded run", failed, scored, why, ""},
		{"the cold run", scored, failed, "", why},
	} {
		cmp, err := pairSeeding([]GridCell{ok, c.seeded}, []GridCell{ok, c.cold})
		if err != nil {
			t.Errorf("failed in %s: %v", c.name, err)
			continue
		}
		if f := cmp.Cells[1]; f.FailedSeeded != c.inSeeded || f.FailedCold != c.inCold {
			t.Errorf("failed in %s: cell %+v", c.name, f)
		}
		if tot := cmp.Totals(); tot.Cells != 2 || tot.Failed != 1 || tot.CellsDiffer != 0 || tot.MaxCVDiff != 0 || tot.FoldsDiffer != 0 {
			t.Errorf("failed in %s: totals %+v; want 2 cells, 1 failed, none differing", c.name, tot)
		}
	}
}
