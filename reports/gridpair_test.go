package reports

import (
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/svmbench/svmbench/results"
)

// TestGridSearchNamed: the grid of a random search (3 of 4 cells) is
// titled with its search and its figure says the grey cells were not run,
// and by which search; a whole grid says neither, and an interrupted one
// (no search named) only that cells were not run.
func TestGridSearchNamed(t *testing.T) {
	cell := func(i int, alpha, coef0 float64) string {
		return fmt.Sprintf(`{"cell":%d,"kernel":"sigmoid","features":"pixels","alpha":%g,"coef0":%g,"C":1,"folds":2,"fold_accuracy":[0.4,0.5],"cv_accuracy":0.45,"seconds":1,"n_sv":10,"capped":false}`, i, alpha, coef0)
	}
	spec := func(search string, cells int) string {
		trials := ""
		if search == "random" {
			trials = `"trials":3,`
		}
		return fmt.Sprintf(`{"kernel":"sigmoid","features":"pixels","search":%q,%s"alpha":{"text":"0.5,1","kind":"list","values":[0.5,1]},"coef0":{"text":"-1,0","kind":"list","values":[-1,0]},"C":{"text":"1","kind":"list","values":[1]},"folds":2,"cells":%d,"shard":0,"shards":1}`, search, trials, cells)
	}
	for _, tc := range []struct {
		search, journal      string
		cells                int
		title, caption, none string
	}{
		{"random", cell(0, 1, 0) + "\n" + cell(1, 0.5, -1) + "\n" + cell(2, 1, -1) + "\n", 3,
			"(random search, 3 cells)", "grey cells were not run (a random search)", ""},
		{"grid", cell(0, 0.5, -1) + "\n" + cell(1, 0.5, 0) + "\n" + cell(2, 1, -1) + "\n" + cell(3, 1, 0) + "\n", 4,
			"(4 cells)", "", "grey cells"},
		{"grid", cell(0, 0.5, -1) + "\n" + cell(3, 1, 0) + "\n", 4,
			"(2 cells)", "grey cells were not run.", "search"},
	} {
		dir := t.TempDir()
		writeFile(t, dir, "grid-sigmoid-pixels.spec.json", spec(tc.search, tc.cells))
		writeFile(t, dir, "grid-sigmoid-pixels.jsonl", tc.journal)
		in, err := Load(dir)
		if err != nil {
			t.Fatal(err)
		}
		g := in.Grids[0]
		title, caption := GridTable(g).Title, GridFigure(g).Caption
		if !strings.HasSuffix(title, tc.title) || !strings.Contains(caption, tc.caption) || (tc.none != "" && strings.Contains(caption, tc.none)) {
			t.Errorf("%s, %d cells: title %q (want …%s), caption %q (want %q, not %q)", tc.search, tc.cells, title, tc.title, caption, tc.caption, tc.none)
		}
	}
}

// A setting shows the last rung it reached: one scored on rung 1 that
// went on and failed on rung 2 reads failed (not its rung-1 score,
// marked as dropped after rung 1), and one that failed on rung 1 and
// scored on rung 2 reads its score.
func TestCellMapLastRung(t *testing.T) {
	mk := func(i, rung int, alpha float64, failed bool) results.GridCell {
		c := results.GridCell{Index: i, Kernel: "sigmoid", Alpha: alpha, C: 1, Folds: 2, FoldAccuracy: []float64{0.5, 0.5}, CVAccuracy: 0.5, Rung: rung}
		if failed {
			c.Failed, c.FoldAccuracy, c.CVAccuracy = "not finite", []float64{}, 0
		}
		return c
	}
	cells := []results.GridCell{mk(0, 1, 0.1, false), mk(1, 1, 0.2, true), mk(2, 1, 0.3, false), mk(3, 2, 0.1, true), mk(4, 2, 0.2, false)}
	z, rung, failed, filled := cellMap(cells, 3, 1, func(c results.GridCell) (int, int, bool) {
		return int(c.Alpha*10+0.5) - 1, 0, true
	})
	if filled != 3 {
		t.Errorf("filled %d, want 3", filled)
	}
	if !math.IsNaN(z[0][0]) || !failed[[2]int{0, 0}] {
		t.Errorf("α=0.1, failed on rung 2: z %v, failed %v", z[0][0], failed[[2]int{0, 0}])
	}
	if z[1][0] != 50 || rung[1][0] != 2 || failed[[2]int{1, 0}] {
		t.Errorf("α=0.2, scored on rung 2: z %v rung %v, failed %v", z[1][0], rung[1][0], failed[[2]int{1, 0}])
	}
	if z[2][0] != 50 || rung[2][0] != 1 || failed[[2]int{2, 0}] {
		t.Errorf("α=0.3, dropped after rung 1: z %v rung %v, failed %v", z[2][0], rung[2][0], failed[[2]int{2, 0}])
	}
}
