package reports

import (
	"bytes"
	"strings"
	"testing"

	"github.com/svmbench/svmbench/results"
)

// halvingCells is a halving journal: 4 cells on 100 images, the best two
// (cells 1 and 3) on 300. Cell 0 scores best of all, on rung 1 only.
func halvingCells() []results.GridCell {
	mk := func(i, rung, n int, alpha, cv float64) results.GridCell {
		return results.GridCell{Index: i, Kernel: "sigmoid", Features: "pixels", Alpha: alpha, Coef0: -1, C: 1,
			Folds: 2, FoldAccuracy: []float64{cv, cv}, CVAccuracy: cv, Rung: rung, RungN: n, Seconds: 1}
	}
	return []results.GridCell{
		mk(0, 1, 100, 0.1, 0.2), mk(1, 1, 100, 0.2, 0.9), mk(2, 1, 100, 0.3, 0.1), mk(3, 1, 100, 0.4, 0.5),
		mk(4, 2, 300, 0.2, 0.4), mk(5, 2, 300, 0.4, 0.45),
	}
}

// The report ranks only the last rung for the best cell, lists the rungs
// with their cut-off, and marks each cell kept, dropped or last rung.
func TestHalvingTables(t *testing.T) {
	g := &Grid{Kernel: "sigmoid", Features: "pixels", Cells: halvingCells()}
	if b := g.BestCell(); b != 5 {
		t.Errorf("best cell %d, want 5 (the last rung's best)", b)
	}
	h := HalvingTable(g)
	if h == nil || len(h.Rows) != 2 {
		t.Fatalf("halving table %+v", h)
	}
	r1, r2 := h.Rows[0], h.Rows[1]
	if r1[1].Text != "100" || r1[2].Text != "4" || r1[3].Text != "2" || r1[5].Text != "90.0" || r1[6].Text != "50.0" {
		t.Errorf("rung 1 row %v", r1)
	}
	if r2[1].Text != "300" || r2[2].Text != "2" || !strings.Contains(r2[4].Text, "α=0.4") || r2[5].Text != "45.0" {
		t.Errorf("rung 2 row %v", r2)
	}
	gt := GridTable(g)
	var fates []string
	for _, row := range gt.Rows {
		fates = append(fates, row[len(row)-1].Text)
	}
	if got := strings.Join(fates, ","); got != "dropped,kept,dropped,kept,last rung,last rung" {
		t.Errorf("fates %s", got)
	}
	if gt.Rows[5][0].Text != "*" {
		t.Errorf("best mark not on the last rung's best: %v", gt.Rows[5])
	}
	var b bytes.Buffer
	if err := WriteGridCells(&b, g.Cells, nil); err != nil || !strings.Contains(strings.ToUpper(b.String()), "RUNG") {
		t.Errorf("terminal table without the rung: %v\n%s", err, b.String())
	}
	if f := GridFigure(g); f == nil || !strings.Contains(f.Caption, "Successive halving") {
		t.Error("the figure's caption does not explain the rungs")
	}

	plain := &Grid{Kernel: "sigmoid", Features: "pixels", Cells: halvingCells()[:4]}
	for i := range plain.Cells {
		plain.Cells[i].Rung, plain.Cells[i].RungN = 0, 0
	}
	if HalvingTable(plain) != nil || plain.BestCell() != 1 || len(GridTable(plain).Header) != len(gt.Header)-3 {
		t.Error("a grid without rungs is shown as halving")
	}
}

// A halving grid with a range extension (cells from SearchCells on: a
// step of two cells halved on both rungs, and a step of one cell on the
// last rung alone) shows the extension's rungs as rows of their own,
// every step's together, and each cell's fate within its own ladder; the
// best cell is the best on all images, the extension's included.
func TestHalvingTablesExtended(t *testing.T) {
	mk := func(i, rung, n int, alpha, cv float64) results.GridCell {
		return results.GridCell{Index: i, Kernel: "sigmoid", Features: "pixels", Alpha: alpha, Coef0: -1, C: 1,
			Folds: 2, FoldAccuracy: []float64{cv, cv}, CVAccuracy: cv, Rung: rung, RungN: n, Seconds: 1}
	}
	cells := append(halvingCells(), mk(6, 1, 100, 0.8, 0.3), mk(7, 1, 100, 1.6, 0.6), mk(8, 2, 300, 1.6, 0.5), mk(9, 2, 300, 3.2, 0.42))
	g := &Grid{Kernel: "sigmoid", Features: "pixels", Cells: cells, Extend: 2, SearchCells: 6}
	if b := g.BestCell(); b != 8 {
		t.Errorf("best cell %d, want 8 (the best on all images, from the extension)", b)
	}
	h := HalvingTable(g)
	if h == nil || len(h.Rows) != 4 || !strings.Contains(h.Title, "range extension") {
		t.Fatalf("halving table %+v", h)
	}
	var rows []string
	for _, r := range h.Rows {
		rows = append(rows, r[0].Text+"|"+r[1].Text+"|"+r[2].Text+"|"+r[3].Text+"|"+r[6].Text)
	}
	want := "1|100|4|2|50.0,2|300|2|– (last)|–,1 (extension)|100|2|1|60.0,2 (extension)|300|2|– (last)|–"
	if got := strings.Join(rows, ","); got != want {
		t.Errorf("rows %s\nwant %s", got, want)
	}
	var fates []string
	for _, row := range GridTable(g).Rows {
		fates = append(fates, row[len(row)-1].Text)
	}
	if got := strings.Join(fates, ","); got != "dropped,kept,dropped,kept,last rung,last rung,dropped,kept,last rung,last rung" {
		t.Errorf("fates %s", got)
	}
}

// A failed cell that went on (a rung keeps failed cells when fewer scored
// cells than survivors are left) is counted in Kept but gives no cut-off;
// a rung whose every cell failed has no best cell to name.
func TestHalvingTableFailed(t *testing.T) {
	cells := halvingCells()
	fail := func(c results.GridCell) results.GridCell {
		c.Failed, c.FoldAccuracy, c.CVAccuracy = "fold 1: svm: not finite", []float64{}, 0
		return c
	}
	// Rung 1: cells 0, 2, 3 failed, so cell 1 and the failed cell 0 (the
	// first of the failed by the tie rule) went on; cell 4 is cell 1 on
	// rung 2, cell 5 cell 0, failed again.
	cells[0], cells[2], cells[3] = fail(cells[0]), fail(cells[2]), fail(cells[3])
	cells[5].Alpha = cells[0].Alpha
	cells[5] = fail(cells[5])
	g := &Grid{Kernel: "sigmoid", Features: "pixels", Cells: cells}
	h := HalvingTable(g)
	if h == nil || len(h.Rows) != 2 {
		t.Fatalf("halving table %+v", h)
	}
	if r1 := h.Rows[0]; r1[2].Text != "4" || r1[3].Text != "2" || r1[5].Text != "90.0" || r1[6].Text != "90.0" {
		t.Errorf("rung 1 row %v: want 4 cells, 2 kept (one failed), best and cut-off 90.0", r1)
	}
	for i := range cells[:4] {
		cells[i] = fail(cells[i])
	}
	cells[4] = fail(cells[4])
	h = HalvingTable(&Grid{Kernel: "sigmoid", Features: "pixels", Cells: cells})
	for _, r := range h.Rows {
		if r[4].Text != "–" || r[5].Text != "–" {
			t.Errorf("rung %s of failed cells only: best %q, CV %q; want none", r[0].Text, r[4].Text, r[5].Text)
		}
	}
}
