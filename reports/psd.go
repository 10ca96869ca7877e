package reports

import (
	"math"
	"slices"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/palette"
	"gonum.org/v1/plot/palette/moreland"

	"github.com/svmbench/svmbench/results"
)

const psdTitle = "PSD map: λmin of the Gram (red: not PSD)"

// psdPanel draws λ_min over the parameters px × py (α × c for the
// sigmoid), whose values are alphas and coefs. Its colour scale is linear on each side
// of zero separately (negative values over [λneg, 0], positive over
// [0, λpos]) so that the sign, which decides convexity, shows at a glance
// even when one side's values are orders of magnitude smaller.
func psdPanel(g *Grid, px, py string, alphas, coefs []float64, best results.GridCell) *heatPanel {
	z := nanGrid(len(alphas), len(coefs))
	have := false
	neg, pos := 0.0, 0.0
	for _, c := range g.Cells {
		if c.MinEigen != nil {
			v := *c.MinEigen
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
	for _, c := range g.Cells {
		if c.MinEigen != nil {
			z[slices.Index(alphas, c.Param(px))][slices.Index(coefs, c.Param(py))] = scale(*c.MinEigen)
		}
	}
	// Cell text shows λ itself, so keep the raw values beside.
	rawZ := nanGrid(len(alphas), len(coefs))
	for _, c := range g.Cells {
		if c.MinEigen != nil {
			rawZ[slices.Index(alphas, c.Param(px))][slices.Index(coefs, c.Param(py))] = *c.MinEigen
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
		title:  psdTitle,
		xlabel: "α (kernel slope)", ylabel: "c (kernel offset)",
		xticks: labelsOf(alphas), yticks: labelsOf(coefs),
		z: z, cm: palette.Reverse(cm), bar: bar,
		barLabel: "smallest eigenvalue λmin", barTicks: ticks,
		bestX: slices.Index(alphas, best.Param(px)), bestY: slices.Index(coefs, best.Param(py)),
	}
	p.cellText = nil
	p.rawText = func(i, j int) string { return sig3(rawZ[i][j]) }
	return p
}
