package reports

import (
	"math"
	"slices"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/palette"
	"gonum.org/v1/plot/palette/moreland"

	"github.com/svmbench/svmbench/results"
)

// eigenMap is one of the two eigenvalue maps beside a grid's accuracy
// maps: which value of a cell it shows, and its words.
type eigenMap struct {
	value           func(results.GridCell) *float64
	title, barLabel string
}

var (
	// psdMap: the smallest eigenvalue of the sample's kernel matrix K.
	psdMap = eigenMap{
		value:    func(c results.GridCell) *float64 { return c.MinEigen },
		title:    "PSD map: λmin of K (red: K not PSD)",
		barLabel: "smallest eigenvalue λmin of K",
	}
	// cpdMap: the smallest eigenvalue of K on Σu = 0, whose sign decides
	// whether the SVM's dual is convex.
	cpdMap = eigenMap{
		value:    func(c results.GridCell) *float64 { return c.MinEigenCPD },
		title:    "CPD map: λmin of K on Σu = 0 (red: SVM not convex)",
		barLabel: "smallest eigenvalue of K on Σu = 0",
	}
)

// psdPanels returns the eigenvalue maps the grid's cells have values for
// (none, the PSD map, or the PSD and CPD maps).
func psdPanels(g *Grid, px, py string, alphas, coefs []float64, best results.GridCell) []*heatPanel {
	var out []*heatPanel
	for _, e := range []eigenMap{psdMap, cpdMap} {
		if p := psdPanel(g, e, px, py, alphas, coefs, best); p != nil {
			out = append(out, p)
		}
	}
	return out
}

// psdPanel draws the eigenvalue e over the parameters px × py (α × c for
// the sigmoid), whose values are alphas and coefs. Its colour scale is
// linear on each side of zero separately (negative values over [λneg, 0],
// positive over [0, λpos]) so that the sign shows at a glance even when
// one side's values are orders of magnitude smaller.
func psdPanel(g *Grid, e eigenMap, px, py string, alphas, coefs []float64, best results.GridCell) *heatPanel {
	z := nanGrid(len(alphas), len(coefs))
	have := false
	neg, pos := 0.0, 0.0
	for _, c := range g.Cells {
		if e.value(c) != nil {
			v := *e.value(c)
			neg, pos = math.Min(neg, v), math.Max(pos, v)
			have = true
		}
	}
	if !have {
		return nil
	}
	scale := func(v float64) float64 {
		switch {
		case v < 0:
			return v / -neg
		case v > 0:
			return v / pos
		}
		return 0
	}
	// Cell text shows λ itself, so keep the raw values beside.
	rawZ := nanGrid(len(alphas), len(coefs))
	for _, c := range g.Cells {
		if v := e.value(c); v != nil {
			i, j := slices.Index(alphas, c.Param(px)), slices.Index(coefs, c.Param(py))
			z[i][j], rawZ[i][j] = scale(*v), *v
		}
	}
	// The diverging map spans [-1, 1]; the colour bar shows only the side
	// (or sides) the data occupy.
	cm := moreland.SmoothBlueRed()
	cm.SetMax(1)
	cm.SetMin(-1)
	bar := palette.Reverse(cm)
	ticks := plot.ConstantTicks{{Value: 0, Label: "0"}}
	if neg < 0 {
		ticks = append(ticks, plot.Tick{Value: -1, Label: sig3(neg)}, plot.Tick{Value: -0.5, Label: sig3(neg / 2)})
	}
	if pos > 0 {
		ticks = append(ticks, plot.Tick{Value: 1, Label: sig3(pos)}, plot.Tick{Value: 0.5, Label: sig3(pos / 2)})
	}
	switch {
	case neg == 0:
		bar = &subMap{bar, 0, 1}
	case pos == 0:
		bar = &subMap{bar, -1, 0}
	}
	p := &heatPanel{
		title:  e.title,
		xlabel: "α (kernel slope)", ylabel: "c (kernel offset)",
		xticks: labelsOf(alphas), yticks: labelsOf(coefs),
		z: z, cm: palette.Reverse(cm), bar: bar,
		barLabel: e.barLabel, barTicks: ticks,
		bestX: slices.Index(alphas, best.Param(px)), bestY: slices.Index(coefs, best.Param(py)),
	}
	p.cellText = nil
	p.rawText = func(i, j int) string { return sig3(rawZ[i][j]) }
	return p
}
