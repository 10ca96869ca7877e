package reports

import (
	"bytes"
	"slices"
	"strings"
	"testing"

	"github.com/svmbench/svmbench/dataset"
	"github.com/svmbench/svmbench/results"
)

// The grid command's table lists the kernel's parameters from the
// registry (poly's degree too) and marks the best cell.
func TestWriteGridCells(t *testing.T) {
	cells := []results.GridCell{
		{Index: 0, Kernel: "poly", Gamma: 0.5, Coef0: 1, Degree: 2, C: 1, Folds: 2, FoldAccuracy: []float64{0.4, 0.6}, CVAccuracy: 0.5},
		{Index: 1, Kernel: "poly", Gamma: 0.5, Coef0: 1, Degree: 2, C: 8, Folds: 2, FoldAccuracy: []float64{0.7, 0.7}, CVAccuracy: 0.7, Capped: true},
	}
	var b bytes.Buffer
	if err := WriteGridCells(&b, cells, &cells[1]); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, want := range []string{"GAMMA", "COEF0", "DEGREE", "CV ACC %", "70.00", "40.00", "yes", "*"} {
		if !strings.Contains(strings.ToUpper(out), strings.ToUpper(want)) {
			t.Errorf("table lacks %q:\n%s", want, out)
		}
	}
	b.Reset()
	if WriteGridCells(&b, nil, nil); b.String() != "(no cells)\n" {
		t.Errorf("no cells: %q", b.String())
	}
}

func TestWriteRunTables(t *testing.T) {
	var b bytes.Buffer
	err := WriteModelResults(&b, []results.ModelResult{{Model: "svm-rbf", Features: "pixels", Accuracy: 0.4125, TrainSeconds: 1.5, NSV: 10, PeakHeapBytes: 3 << 20}})
	if err != nil || !strings.Contains(b.String(), "41.25") || !strings.Contains(b.String(), "unknown") || !strings.Contains(b.String(), "3.0 MiB") {
		t.Errorf("WriteModelResults: %v\n%s", err, b.String())
	}
	b.Reset()
	err = WriteScalingPoints(&b, []results.ScalingPoint{{Model: "svm-rbf", Features: "pixels", N: 1000, TestN: 500, Accuracy: 0.5}})
	if err != nil || !strings.Contains(b.String(), "1000") || !strings.Contains(b.String(), "50.00") {
		t.Errorf("WriteScalingPoints: %v\n%s", err, b.String())
	}
}

func TestWriteDataTables(t *testing.T) {
	var b strings.Builder
	rows := []ClassCount{{Label: -1, Name: "-1", Train: 3, Test: 1}, {Label: 7, Name: "seven", Train: 2, Test: 0}}
	if err := WriteClassCounts(&b, rows); err != nil {
		t.Fatal(err)
	}
	if err := WriteFileSums(&b, []dataset.FileSum{{Name: "a.txt", Bytes: 12, SHA256: "ab", MD5: "cd"}}); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"|    -1 | -1    |     3 |    1 |", "|     7 | seven |     2 |    0 |", "| total |     5 |    1 |", "| a.txt |    12 | sha256 ab, md5 cd |"} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("missing %q in\n%s", want, b.String())
		}
	}
}

// A failed cell reads "failed" in the grid's tables, with its reason;
// the heat map marks it and its caption says why; a grid whose every
// cell failed has no figure, and its summary says no cell was scored.
func TestFailedCells(t *testing.T) {
	const why = "fold 1: svm: pair 0 vs 1: the solution is not finite"
	cells := []results.GridCell{
		{Index: 0, Kernel: "poly", Features: "pixels", Gamma: 1000, Degree: 9, C: 1, Folds: 3, FoldAccuracy: []float64{}, Failed: why},
		{Index: 1, Kernel: "poly", Features: "pixels", Gamma: 1, Degree: 9, C: 1, Folds: 3, FoldAccuracy: []float64{0.1, 0.2, 0.3}, CVAccuracy: 0.2},
	}
	var b bytes.Buffer
	if err := WriteGridCells(&b, cells, &cells[1]); err != nil {
		t.Fatal(err)
	}
	if out := b.String(); !strings.Contains(out, "failed |") || !strings.Contains(out, "failed (cell 0: not scored, never the best, not rerun by -resume): "+why) {
		t.Errorf("terminal table:\n%s", out)
	}
	g := &Grid{Kernel: "poly", Features: "pixels", Cells: cells}
	if g.BestCell() != 1 {
		t.Errorf("BestCell = %d, want 1", g.BestCell())
	}
	var md bytes.Buffer
	if err := GridTable(g).WriteMarkdown(&md); err != nil || !strings.Contains(md.String(), "failed") || !strings.Contains(md.String(), why) {
		t.Errorf("GridTable: %v\n%s", err, md.String())
	}
	// Its SVs are no count either: "–", empty in the CSV (it has 0).
	gt := GridTable(g)
	if k := slices.Index(gt.CSVHeader, "n_sv"); k < 0 || gt.Rows[0][k].Text != "–" || gt.Rows[0][k].CSV != "" {
		t.Errorf("GridTable: the failed cell's n_sv column %+v, want – and empty", gt.Rows[0])
	}
	f := GridFigure(g)
	if f == nil || !strings.Contains(f.Caption, "marked “failed” could not be cross-validated") || !strings.Contains(f.Caption, why) {
		t.Fatalf("GridFigure: %+v", f)
	}
	all := &Grid{Kernel: "poly", Features: "pixels", Cells: cells[:1]}
	if all.BestCell() != -1 || GridFigure(all) != nil {
		t.Errorf("every cell failed: BestCell %d, a figure %v", all.BestCell(), GridFigure(all) != nil)
	}
	md.Reset()
	if err := GridSummaryTable(&Inputs{Grids: []*Grid{all}}).WriteMarkdown(&md); err != nil || !strings.Contains(md.String(), "no cell scored") || !strings.Contains(md.String(), "1 (1 failed)") {
		t.Errorf("GridSummaryTable: %v\n%s", err, md.String())
	}
}

// The grid figure's title names the search and how many cells it
// evaluated, as the caption does: for a heat map (sigmoid, rbf) and for
// the linear kernel's plot; a whole grid's title names none.
func TestGridFigureTitleNamesSearch(t *testing.T) {
	var sig []results.GridCell
	for i, a := range []float64{1e-4, 1e-3, 1e-2, 1e-1} {
		for j, c := range []float64{-1, -0.5, 0} {
			for k, C := range []float64{1, 8, 64} {
				if n := len(sig); (i+j+k)%2 == 0 && n < 20 || n < 20 && i == 3 {
					sig = append(sig, results.GridCell{Index: n, Kernel: "sigmoid", Features: "pixels", Alpha: a, Coef0: c, C: C,
						Folds: 3, FoldAccuracy: []float64{0.2, 0.3, 0.4}, CVAccuracy: 0.3 + 0.01*float64(n%5)})
				}
			}
		}
	}
	lin := []results.GridCell{
		{Index: 0, Kernel: "linear", Features: "hog", C: 0.73, Folds: 3, FoldAccuracy: []float64{0.3, 0.3, 0.3}, CVAccuracy: 0.3},
		{Index: 1, Kernel: "linear", Features: "hog", C: 5.1, Folds: 3, FoldAccuracy: []float64{0.4, 0.4, 0.4}, CVAccuracy: 0.4},
	}
	rbf := []results.GridCell{
		{Index: 0, Kernel: "rbf", Features: "pixels", Gamma: 0.01, C: 1, Folds: 3, FoldAccuracy: []float64{0.3, 0.3, 0.3}, CVAccuracy: 0.3, Rung: 1, RungN: 100},
		{Index: 1, Kernel: "rbf", Features: "pixels", Gamma: 0.1, C: 1, Folds: 3, FoldAccuracy: []float64{0.2, 0.2, 0.2}, CVAccuracy: 0.2, Rung: 1, RungN: 100},
		{Index: 2, Kernel: "rbf", Features: "pixels", Gamma: 0.01, C: 1, Folds: 3, FoldAccuracy: []float64{0.4, 0.4, 0.4}, CVAccuracy: 0.4, Rung: 2, RungN: 300},
	}
	for _, c := range []struct {
		g    *Grid
		want string
	}{
		{&Grid{Kernel: "sigmoid", Features: "pixels", Cells: sig, Search: "random", SpecCells: 36}, "accuracy — random search, 20 of 36 cells"},
		{&Grid{Kernel: "sigmoid", Features: "pixels", Cells: sig, Search: "bayes", SpecCells: 36, SearchCells: 18}, "bayes search, 18 of 36 cells, 2 more by range extension"},
		{&Grid{Kernel: "linear", Features: "hog", Cells: lin, Search: "random"}, "against C — random search, 2 draws"},
		{&Grid{Kernel: "rbf", Features: "pixels", Cells: rbf, Search: "halving", SpecCells: 2}, "accuracy — halving search, 3 evaluations of 2 cells"},
		{&Grid{Kernel: "rbf", Features: "pixels", Cells: rbf[:2]}, "accuracy</text>"},
	} {
		var b bytes.Buffer
		if err := GridFigure(c.g).WriteSVG(&b); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(b.String(), c.want) {
			t.Errorf("%s %s: the SVG has no %q", c.g.Kernel, c.g.Search, c.want)
		}
	}
}

// The lattice a search picks from: the product of the ranges' values,
// none for a random search that draws from a range that is not a list.
func TestLatticeCells(t *testing.T) {
	r := func(kind string, n int) results.SpecRange {
		return results.SpecRange{Kind: kind, Values: make([]float64, n)}
	}
	for _, c := range []struct {
		spec results.GridSpec
		want int
	}{
		{results.GridSpec{Kernel: "sigmoid", Search: "random", Alpha: r("list", 4), Coef0: r("list", 3), C: r("list", 3)}, 36},
		{results.GridSpec{Kernel: "sigmoid", Search: "random", Alpha: r("pow2", 4), Coef0: r("list", 3), C: r("list", 3)}, 0},
		{results.GridSpec{Kernel: "sigmoid", Search: "bayes", Alpha: r("pow2", 6), Coef0: r("linear", 5), C: r("pow2", 5)}, 150},
		{results.GridSpec{Kernel: "rbf", Search: "random", Gamma: r("pow2", 1), C: r("list", 4)}, 4},
		{results.GridSpec{Kernel: "linear", Search: "halving", C: r("pow2", 11)}, 11},
	} {
		if got := latticeCells(&c.spec); got != c.want {
			t.Errorf("%s %s: %d cells, want %d", c.spec.Kernel, c.spec.Search, got, c.want)
		}
	}
}
