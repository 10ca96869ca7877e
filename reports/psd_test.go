package reports

import (
	"cmp"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/recorder"

	"github.com/svmbench/svmbench/results"
)

// cpdFixture is the fixture's sigmoid grid with min_eigen_cpd added: the
// plain value plus 0.003, so that some cells are conditionally PSD where
// they are not PSD.
func cpdFixture(t *testing.T) *Grid {
	t.Helper()
	for _, g := range loadFixture(t).Grids {
		if g.Kernel != "sigmoid" {
			continue
		}
		c := *g
		c.Cells = slices.Clone(g.Cells)
		for i := range c.Cells {
			v := *c.Cells[i].MinEigen + 0.003
			c.Cells[i].MinEigenCPD = &v
		}
		return &c
	}
	t.Fatal("no sigmoid grid in the fixture")
	return nil
}

func TestPSDPanels(t *testing.T) {
	g := cpdFixture(t)
	f := GridFigure(g)
	if !strings.Contains(f.Caption, "The CPD map shows the smallest eigenvalue of K on the vectors u with Σu = 0") {
		t.Errorf("caption does not explain the CPD map: %s", f.Caption)
	}
	got, err := f.png()
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join("testdata", "figures", "grid-sigmoid-pixels-cpd.png")
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	} else if want, err := os.ReadFile(path); err != nil {
		t.Fatalf("%v (go test ./reports -update writes it)", err)
	} else if share, err := pixelDiff(got, want); err != nil || share > maxDiffShare {
		t.Errorf("%.3f%% of pixels differ from %s (%v)", 100*share, path, err)
	}
	tab := GridTable(g)
	if !slices.Contains(tab.Header, "λmin Σu=0") || !slices.Contains(tab.CSVHeader, "min_eigen_cpd") || !strings.Contains(tab.Note, "λmin Σu=0:") {
		t.Errorf("grid table: header %q, csv %q, note %q", tab.Header, tab.CSVHeader, tab.Note)
	}
	// An old journal (no min_eigen_cpd): the PSD map alone, and the
	// caption says what is missing.
	old := loadFixture(t).Grids
	i := slices.IndexFunc(old, func(g *Grid) bool { return g.Kernel == "sigmoid" })
	best := old[i].Cells[old[i].BestCell()]
	alphas := uniq(old[i].Cells, func(c results.GridCell) float64 { return c.Alpha })
	coefs := uniq(old[i].Cells, func(c results.GridCell) float64 { return c.Coef0 })
	if n := len(psdPanels(old[i], "alpha", "coef0", alphas, coefs, best)); n != 1 {
		t.Errorf("old journal: %d eigenvalue maps, want 1", n)
	}
	if f := GridFigure(old[i]); !strings.Contains(f.Caption, "min_eigen_cpd, which this grid's results") {
		t.Errorf("old journal's caption: %s", f.Caption)
	}
	if tab := GridTable(old[i]); slices.Contains(tab.CSVHeader, "min_eigen_cpd") {
		t.Errorf("old journal's table has a min_eigen_cpd column")
	}
	var none []results.GridCell
	if len(eigenColumns(none)) != 0 {
		t.Error("no cells: eigen columns")
	}
}

// TestSignedLog checks the eigenvalue maps' colour scale: every negative
// value lands at −floor or below, every positive one at floor or above,
// 0 at 0, in the values' order, the extremes at ±1.
func TestSignedLog(t *testing.T) {
	vals := []float64{-451, -3.2e-5, -0.1, 0, 3.6e-6, 7.4e-5, 1e-5}
	s := newSignedLog(vals)
	sorted := slices.Sorted(slices.Values(vals))
	prev := math.Inf(-1)
	for _, v := range sorted {
		at := s.at(v)
		switch {
		case v < 0 && !(at <= -floor && at >= -1), v > 0 && !(at >= floor && at <= 1), v == 0 && at != 0:
			t.Errorf("%g at %g: outside its side's range", v, at)
		case at <= prev:
			t.Errorf("%g at %g: not above the previous value's %g", v, at, prev)
		}
		prev = at
	}
	if s.at(-451) != -1 || s.at(7.4e-5) != 1 {
		t.Errorf("extremes at %g and %g, want -1 and 1", s.at(-451), s.at(7.4e-5))
	}
	if only := newSignedLog([]float64{-2}); only.at(-2) != -1 || only.pos != nil {
		t.Errorf("a single negative value: at %g, positive side %v", only.at(-2), only.pos)
	}
}

// A halving grid's rungs sample K from their own training subsets, so a
// setting's eigenvalues differ between rungs (here the sign of the CPD
// value): each map shows, at every α, c, the value of the cell on the
// most images (the last rung's, all of them, as in a plain grid), whatever
// the journal's order, and its colour scale and bar name only values
// shown.
func TestPSDPanelHalving(t *testing.T) {
	mk := func(i, rung, n int, alpha, cpd float64) results.GridCell {
		plain := cpd - 1
		return results.GridCell{Index: i, Kernel: "sigmoid", Features: "pixels", Alpha: alpha, Coef0: 0, C: 1, Folds: 2,
			CVAccuracy: 0.3, Rung: rung, RungN: n, MinEigen: &plain, MinEigenCPD: &cpd}
	}
	// The extension's rung-1 cell of α = 1 is journalled after rung 2's.
	cells := []results.GridCell{mk(0, 1, 200, 1, -0.5), mk(1, 1, 200, 2, -2), mk(2, 2, 600, 1, 0.25), mk(3, 1, 200, 1, -0.5)}
	g := &Grid{Kernel: "sigmoid", Features: "pixels", Cells: cells}
	p := psdPanel(g, cpdMap, "alpha", "coef0", []float64{1, 2}, []float64{0}, cells[2])
	if got := p.rawText(0, 0); got != sig3(0.25) || p.z[0][0] <= 0 {
		t.Errorf("α = 1: shows %s at %g, want the last rung's %s (positive)", got, p.z[0][0], sig3(0.25))
	}
	var labels []string
	for _, tk := range p.barTicks.Ticks(-1, 1) {
		labels = append(labels, tk.Label)
	}
	if slices.Contains(labels, sig3(-0.5)) {
		t.Errorf("the colour bar names %s, a rung-1 value not shown (ticks %q)", sig3(-0.5), labels)
	}
}

// TestPSDPanelTextFits: on a panel of the size tiledPanels gives, with
// six α columns and values of nine characters (the quick profile's CPD
// map on CNN features), the title lies inside the panel, no two cell
// labels of a row overlap (they ran together, hiding the signs) and the
// colour bar keeps its width beside its long tick labels.
func TestPSDPanelTextFits(t *testing.T) {
	alphas, coefs := []float64{1, 2, 3, 4, 5, 6}, []float64{-1, -0.5, 0}
	var cells []results.GridCell
	for i, a := range alphas {
		for j, c := range coefs {
			v := -5.84e-9 * math.Pow(10, float64(i+j)) * float64(1-2*(i%2))
			cells = append(cells, results.GridCell{Index: len(cells), Kernel: "sigmoid", Features: "cnn", Alpha: a, Coef0: c, C: 1, MinEigen: &v, MinEigenCPD: &v})
		}
	}
	g := &Grid{Kernel: "sigmoid", Features: "cnn", Cells: cells}
	p := psdPanel(g, cpdMap, "alpha", "coef0", alphas, coefs, cells[0])
	var rec recorder.Canvas
	w := 4.9 * vg.Inch
	p.draw(draw.NewCanvas(&rec, w, 4*vg.Inch))
	type span struct{ lo, hi vg.Length }
	rows := map[vg.Length][]span{}
	for _, a := range rec.Actions {
		if im, ok := a.(*recorder.DrawImage); ok {
			// The colour bar, squeezed to a sliver by long tick labels.
			if bw := im.Rectangle.Size().X; bw < vg.Points(15) {
				t.Errorf("the colour bar is %.1f pt wide", bw)
			}
		}
		fs, ok := a.(*recorder.FillString)
		if !ok {
			continue
		}
		width := text.Style{Font: fs.Font, Handler: plot.DefaultTextHandler}.Width(fs.String)
		switch {
		case fs.String == cpdMap.title:
			if fs.Point.X < -0.01 || fs.Point.X+width > w+0.01 { // rounding: a fitted title fills its width
				t.Errorf("title from %.1f to %.1f pt, outside the panel's 0 to %.1f", fs.Point.X, fs.Point.X+width, w)
			}
		case strings.Contains(fs.String, "e-") && fs.Point.X < w-p.barWidth(): // not the colour bar's ticks
			y := vg.Length(math.Round(float64(fs.Point.Y)/20) * 20) // baselines differ with the font size
			rows[y] = append(rows[y], span{fs.Point.X, fs.Point.X + width})
		}
	}
	if len(rows) != len(coefs) {
		t.Fatalf("%d rows of cell labels, want %d", len(rows), len(coefs))
	}
	for y, r := range rows {
		slices.SortFunc(r, func(a, b span) int { return cmp.Compare(a.lo, b.lo) })
		for i := 1; i < len(r); i++ {
			if r[i].lo < r[i-1].hi {
				t.Errorf("row at %.1f pt: label %d ends at %.1f, label %d starts at %.1f", y, i-1, r[i-1].hi, i, r[i].lo)
			}
		}
	}
}
