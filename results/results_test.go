package results_test

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/svmbench/svmbench/results"
)

func cell(i int, acc float64) results.GridCell {
	return results.GridCell{Index: i, Kernel: "rbf", Features: "pixels", Gamma: 0.5, C: 1,
		Folds: 2, FoldAccuracy: []float64{acc, acc}, CVAccuracy: acc, NSV: 3}
}

// The journal writer and WriteCells write the same bytes, one
// json.Marshal line a cell, and ReadJournal reads them back.
func TestJournalRoundTrip(t *testing.T) {
	dir := t.TempDir()
	cells := []results.GridCell{cell(0, 0.5), cell(1, 0.75)}
	a, b := filepath.Join(dir, "a.jsonl"), filepath.Join(dir, "b.jsonl")
	w, err := results.OpenJournal(a, -1)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cells {
		if err := w.Append(c); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if err := results.WriteCells(b, cells); err != nil {
		t.Fatal(err)
	}
	da, _ := os.ReadFile(a)
	db, _ := os.ReadFile(b)
	line, _ := json.Marshal(cells[0])
	if string(da) != string(db) || !strings.HasPrefix(string(da), string(line)+"\n") {
		t.Errorf("journal %q and WriteCells %q differ", da, db)
	}
	j, err := results.ReadJournal(a)
	if err != nil || len(j.Cells) != 2 || j.TornOffset != -1 || j.Cells[1].CVAccuracy != 0.75 {
		t.Errorf("ReadJournal = %+v, %v", j, err)
	}
	if j, err := results.ReadJournal(filepath.Join(dir, "missing.jsonl")); err != nil || len(j.Cells) != 0 {
		t.Errorf("missing journal: %+v, %v", j, err)
	}
}

func TestJournalTornAndBad(t *testing.T) {
	dir := t.TempDir()
	good, _ := json.Marshal(cell(0, 0.5))
	for _, tc := range []struct {
		name, text string
		cells      int
		torn       int64
		tornLine   int
		err        string
	}{
		{"clean", string(good) + "\n", 1, -1, 0, ""},
		{"torn JSON", string(good) + "\n{\"cell\":1,\"ker", 1, int64(len(good) + 1), 2, ""},
		{"unterminated record", string(good) + "\n" + string(good), 1, int64(len(good) + 1), 2, ""},
		{"bad middle line", string(good) + "\n{oops\n" + string(good) + "\n", 0, -1, 0, "x.jsonl:2: invalid JSON"},
		{"percent", strings.Replace(string(good), `"cv_accuracy":0.5`, `"cv_accuracy":50`, 1) + "\n", 0, -1, 0, "x.jsonl:1: cv_accuracy: want a fraction in [0, 1], got 50"},
		{"folds", strings.Replace(string(good), `"folds":2`, `"folds":3`, 1) + "\n", 0, -1, 0, "cell 0 has 2 fold accuracies for 3 folds"},
		// A hand-edited or concatenated journal: a cell index twice is
		// refused naming both lines (resume kept the last silently, the
		// report the first), and a CV accuracy outside its folds' range
		// cannot be their weighted mean.
		{"repeated cell", string(good) + "\n" + string(good) + "\n", 0, -1, 0, "x.jsonl:2: cell 0 again (line 1 holds it)"},
		{"repeated cell, other results", string(good) + "\n" + strings.Replace(string(good), `"n_sv":3`, `"n_sv":4`, 1) + "\n", 0, -1, 0, "x.jsonl:2: cell 0 again (line 1 holds it)"},
		{"cv outside its folds", strings.Replace(string(good), `"cv_accuracy":0.5`, `"cv_accuracy":0.9`, 1) + "\n", 0, -1, 0, "x.jsonl:1: cell 0: cv_accuracy 0.9 is outside its fold accuracies' range 0.5…0.5"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := filepath.Join(dir, "x.jsonl")
			if err := os.WriteFile(p, []byte(tc.text), 0o644); err != nil {
				t.Fatal(err)
			}
			j, err := results.ReadJournal(p)
			if tc.err != "" {
				var fe *results.FileError
				if err == nil || !strings.Contains(err.Error(), tc.err) || !errors.As(err, &fe) {
					t.Fatalf("err = %v, want a *FileError containing %q", err, tc.err)
				}
				return
			}
			if err != nil || len(j.Cells) != tc.cells || j.TornOffset != tc.torn || j.TornLine != tc.tornLine {
				t.Errorf("ReadJournal = %d cells, torn %d line %d (%v), %v; want %d, %d, %d", len(j.Cells), j.TornOffset, j.TornLine, j.TornErr, err, tc.cells, tc.torn, tc.tornLine)
			}
		})
	}
}

func TestReadJSONErrors(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "results.json")
	os.WriteFile(p, []byte("{\n\"results\": [{\"model\": \"svm-rbf\",\n \"accuracy\": \"high\"}]}"), 0o644)
	var r results.Results
	err := results.ReadJSON(p, &r)
	if err == nil || !strings.Contains(err.Error(), `results.json:3: field "results.accuracy": want a JSON number, got string`) {
		t.Errorf("ReadJSON = %v", err)
	}
	if err := results.ReadJSON(filepath.Join(dir, "none.json"), &r); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing file: %v, want fs.ErrNotExist", err)
	}
	w := results.Results{Results: []results.ModelResult{{Model: results.SVMModel("rbf"), Accuracy: 0.5}}}
	if err := results.WriteJSON(p, w); err != nil {
		t.Fatal(err)
	}
	if err := results.ReadJSON(p, &r); err != nil || r.Results[0].Model != "svm-rbf" {
		t.Errorf("round trip: %+v, %v", r, err)
	}
}

func TestNames(t *testing.T) {
	for _, tc := range [][2]string{
		{results.GridFile("sigmoid", "hog"), "grid-sigmoid-hog.jsonl"},
		{results.SpecFile("rbf", "a/b"), "grid-rbf-a_b.spec.json"},
		{results.BestFile("poly", "cnn"), "best-poly-cnn.json"},
		{results.ModelFile("linear", "pixels"), "svm-linear-pixels.model"},
		{results.CNNFile("fixed"), "cnn-fixed.json"},
		{results.CNNModel("seed"), "cnn-seed"},
	} {
		if tc[0] != tc[1] {
			t.Errorf("%q, want %q", tc[0], tc[1])
		}
	}
	c := results.GridCell{Kernel: "sigmoid", Alpha: 0.001, Coef0: -1, C: 8}
	if got := results.ParamString(c); got != "α=0.001 c=-1 C=8" {
		t.Errorf("ParamString = %q", got)
	}
	c.SetParam("coef0", 0.5)
	if c.Param("coef0") != 0.5 || c.Param("C") != 8 {
		t.Errorf("SetParam/Param: %+v", c)
	}
}

// GridDiff compares the fields of both specs: a field one of them omits
// (extend, trials, eta… are omitempty) differs from the other's value
// whichever spec is first. Before, only the first spec's fields were
// compared, so bench merge took a shard run with -extend 2 after one run
// without it as the same grid.
func TestGridDiff(t *testing.T) {
	a := results.GridSpec{Kernel: "rbf", Features: "pixels", Search: "grid", Folds: 3, Cells: 4, TrainN: 10, TrainSHA256: "ab",
		Shard: 0, Shards: 2}
	b := a
	b.Shard = 1
	b.Manifest.Seed = 7
	if d := results.GridDiff(a, b); d != "" {
		t.Errorf("specs differing only in shard and manifest: %q", d)
	}
	b.Extend = 2
	for _, d := range []string{results.GridDiff(a, b), results.GridDiff(b, a)} {
		if !strings.Contains(d, "extend") {
			t.Errorf("specs with and without extend 2: %q, want it named", d)
		}
	}
	b = a
	b.TrainSHA256 = "cd"
	if d := results.GridDiff(a, b); !strings.Contains(d, "different training data") {
		t.Errorf("specs of other data: %q", d)
	}
}

// SpecDigest is one for the shards of a grid and for a search before and
// after -extend, another for another seed or tolerance; ForeignCell
// refuses a cell recorded under another spec.
func TestSpecDigest(t *testing.T) {
	a := results.GridSpec{Kernel: "rbf", Features: "pixels", Search: "grid", Folds: 2, Cells: 2, Seed: 1,
		Gamma: results.SpecRange{Text: "0.01,0.02", Kind: "list", Values: []float64{0.01, 0.02}},
		C:     results.SpecRange{Text: "1", Kind: "list", Values: []float64{1}}, Shards: 1}
	b := a
	b.Shard, b.Shards, b.Extend, b.Manifest.Seed = 1, 2, 3, 9
	if results.SpecDigest(a) != results.SpecDigest(b) {
		t.Error("a shard's or an extended run's spec has another digest")
	}
	b = a
	b.Seed = 2
	if results.SpecDigest(a) == results.SpecDigest(b) {
		t.Error("specs of seeds 1 and 2 have one digest")
	}
	c := cell(1, 0.5)
	c.Gamma = 0.02
	c.Spec = results.SpecDigest(b)
	if i, why, err := results.ForeignCell(a, []results.GridCell{c}); err != nil || i != 0 || !strings.Contains(why, "another grid spec") {
		t.Errorf("ForeignCell of a cell run under seed 2's spec: %d %q %v", i, why, err)
	}
	c.Spec = results.SpecDigest(a)
	if i, why, err := results.ForeignCell(a, []results.GridCell{c}); err != nil || i != -1 {
		t.Errorf("ForeignCell of a cell of the spec: %d %q %v", i, why, err)
	}
}

// A halving journal's rungs must be consistent: each rung one size, sizes
// growing with the rung, none above train_n, and rungs only in a halving
// journal. A cell edited to rung 99 was drawn by the report as the best
// (the only cell of the top rung), and a rung of 999999 images shown.
func TestForeignCellRungs(t *testing.T) {
	spec := results.GridSpec{Kernel: "rbf", Features: "pixels", Search: "halving", Folds: 2, Cells: 4, TrainN: 100, Eta: 3,
		Gamma: results.SpecRange{Text: "0.01,0.02", Kind: "list", Values: []float64{0.01, 0.02}},
		C:     results.SpecRange{Text: "1", Kind: "list", Values: []float64{1}}, Shards: 1}
	rung := func(i int, gamma float64, r, n int) results.GridCell {
		c := cell(i, 0.5)
		c.Gamma, c.Rung, c.RungN = gamma, r, n
		return c
	}
	good := []results.GridCell{rung(0, 0.01, 1, 33), rung(1, 0.02, 1, 33), rung(2, 0.02, 2, 100)}
	good[1].CVAccuracy, good[1].FoldAccuracy = 0.6, []float64{0.6, 0.6} // rung 1's best: the survivor
	if i, why, err := results.ForeignCell(spec, good); err != nil || i != -1 {
		t.Fatalf("a consistent halving journal: %d %q %v", i, why, err)
	}
	for _, tc := range []struct {
		name string
		c    results.GridCell
		want string
	}{
		{"rung 99 of rung 1's size", rung(2, 0.02, 99, 33), "rung 99 has 33 images, no more than rung 1's 33"},
		{"more images than train_n", rung(2, 0.02, 2, 999999), "999999 images, more than the 100"},
		{"two sizes for one rung", rung(1, 0.02, 1, 50), "rung 1 has 50 images, cell 0 on it 33"},
		{"no rung", rung(2, 0.02, 0, 0), "no rung"},
	} {
		cells := append(slices.Clone(good[:2]), tc.c)
		if tc.name == "two sizes for one rung" {
			cells = []results.GridCell{good[0], tc.c}
		}
		if i, why, err := results.ForeignCell(spec, cells); err != nil || i < 0 || !strings.Contains(why, tc.want) {
			t.Errorf("%s: %d %q %v, want %q", tc.name, i, why, err, tc.want)
		}
	}
	// An evaluation past the spec's cells, in a search without -extend.
	if i, why, _ := results.ForeignCell(spec, append(slices.Clone(good), rung(9, 0.01, 2, 100))); i != 3 || !strings.Contains(why, "cell 9 is past the search's 4 cells") {
		t.Errorf("a halving evaluation past the search's: %d %q", i, why)
	}
	grid := spec
	grid.Search, grid.Cells = "grid", 2
	if i, why, _ := results.ForeignCell(grid, []results.GridCell{rung(0, 0.01, 1, 33)}); i != 0 || !strings.Contains(why, "rung") {
		t.Errorf("a rung in a grid journal: %d %q", i, why)
	}
}

// The cells of a halving search's rung above the first are survivors of
// the rung below: the best ⌈cells/η⌉ by Better. A journal edited to put a
// dropped setting on rung 2 was reported (and merged) as the search's.
func TestForeignCellSurvivors(t *testing.T) {
	spec := results.GridSpec{Kernel: "rbf", Features: "pixels", Search: "halving", Folds: 2, Cells: 6, TrainN: 90, Eta: 3,
		Gamma: results.SpecRange{Text: "0.01,0.02", Kind: "list", Values: []float64{0.01, 0.02}},
		C:     results.SpecRange{Text: "1,2", Kind: "list", Values: []float64{1, 2}}, Shards: 1}
	ev := func(i int, gamma, c, acc float64, r, n int) results.GridCell {
		x := cell(i, acc)
		x.Gamma, x.C, x.Rung, x.RungN = gamma, c, r, n
		return x
	}
	// Rung 1: four cells on 30 images; rung 2 keeps ⌈4/3⌉ = 2 on 90.
	rung1 := []results.GridCell{ev(0, 0.01, 1, 0.5, 1, 30), ev(1, 0.01, 2, 0.7, 1, 30), ev(2, 0.02, 1, 0.6, 1, 30), ev(3, 0.02, 2, 0.4, 1, 30)}
	good := append(slices.Clone(rung1), ev(4, 0.01, 2, 0.8, 2, 90), ev(5, 0.02, 1, 0.75, 2, 90))
	if i, why, err := results.ForeignCell(spec, good); err != nil || i != -1 {
		t.Fatalf("a halving journal of survivors: %d %q %v", i, why, err)
	}
	bad := append(slices.Clone(rung1), ev(4, 0.01, 2, 0.8, 2, 90), ev(5, 0.02, 2, 0.95, 2, 90))
	if i, why, err := results.ForeignCell(spec, bad); err != nil || i != 5 || !strings.Contains(why, "not among the best 2 of rung 1") {
		t.Errorf("a dropped setting on rung 2: %d %q %v", i, why, err)
	}
	// An interrupted rung 2 (one of its two cells) is still the search's.
	if i, why, err := results.ForeignCell(spec, good[:5]); err != nil || i != -1 {
		t.Errorf("an interrupted rung 2: %d %q %v", i, why, err)
	}
}

// TestFailedCell: a failed cell (Failed) has no fold accuracies and
// cv_accuracy 0, ranks below every scored cell and is never the best.
func TestFailedCell(t *testing.T) {
	scored := results.GridCell{Index: 1, Kernel: "poly", Gamma: 1, C: 4, Folds: 3, FoldAccuracy: []float64{0.1, 0.1, 0.1}, CVAccuracy: 0.1}
	failed := results.GridCell{Index: 0, Kernel: "poly", Gamma: 1000, C: 1, Folds: 3, FoldAccuracy: []float64{}, Failed: "fold 1: svm: not finite"}
	if err := results.CheckCell(failed); err != nil {
		t.Errorf("CheckCell(failed): %v", err)
	}
	for _, bad := range []results.GridCell{
		{Index: 0, Folds: 3, FoldAccuracy: []float64{0.5, 0.5, 0.5}, CVAccuracy: 0.5, Failed: "x"},
		{Index: 0, Folds: 3, CVAccuracy: 0.5, Failed: "x"},
		{Index: 0, Folds: 0, Failed: "x"},
		{Index: 0, Folds: 3, Seconds: -1, Failed: "x"},
		{Index: 0, Folds: 3, SeededPairs: -1, Failed: "x"},
	} {
		if err := results.CheckCell(bad); err == nil {
			t.Errorf("CheckCell(%+v): no error", bad)
		}
	}
	if !results.Better(scored, failed) || results.Better(failed, scored) {
		t.Error("Better: a failed cell (earlier, smaller C) ranks above a scored one")
	}
	if b, ok := results.BestCell([]results.GridCell{failed, scored}); !ok || b.Index != 1 {
		t.Errorf("BestCell = %+v, %v; want the scored cell 1", b, ok)
	}
	if _, ok := results.BestCell([]results.GridCell{failed}); ok {
		t.Error("BestCell of failed cells only: found one")
	}
	f2 := failed
	f2.Index = 2
	if n, first, ok := results.Failures([]results.GridCell{f2, scored, failed}); n != 2 || !ok || first.Index != 0 {
		t.Errorf("Failures = %d, cell %d, %v; want 2, cell 0", n, first.Index, ok)
	}
	if results.SameResults(failed, results.GridCell{FoldAccuracy: []float64{}}) {
		t.Error("SameResults: a failed cell and a scored one with no folds agree")
	}
}

// TestCheckBestFailed: a best file never names a failed cell, not even
// in a journal whose every cell failed (BestCell finds none there; its
// zero cell has index 0, the failed cell's).
func TestCheckBestFailed(t *testing.T) {
	failed := results.GridCell{Index: 0, Kernel: "poly", Gamma: 1000, C: 1, Folds: 3, FoldAccuracy: []float64{}, Failed: "fold 1: svm: not finite"}
	if err := results.CheckBest(results.Best{Cell: failed}, []results.GridCell{failed}); err == nil {
		t.Error("CheckBest: a best file naming the failed cell 0 of a journal of failed cells passes")
	}
}
