package reports

import (
	"fmt"
	"slices"

	"github.com/svmbench/svmbench/kernels"
	"github.com/svmbench/svmbench/results"
)

// oneGridFigure draws a grid over one kernel parameter px and C as one
// heat map.
func oneGridFigure(g *Grid, spec *kernels.Spec, px kernels.Param) *Figure {
	gammas := uniq(g.Cells, func(c results.GridCell) float64 { return c.Param(px.Name) })
	Cs := uniq(g.Cells, func(c results.GridCell) float64 { return c.C })
	lo, hi := accRange(g.Cells)
	best := g.Cells[g.BestCell()]
	z, _, failed, _ := cellMap(g.Cells, len(gammas), len(Cs), func(c results.GridCell) (int, int, bool) {
		return slices.Index(gammas, c.Param(px.Name)), slices.Index(Cs, c.C), true
	})
	p := &heatPanel{
		title:  "best cell outlined",
		xlabel: axisLabel(px), ylabel: "C (box constraint)",
		xticks: labelsOf(gammas), yticks: labelsOf(Cs),
		z: z, cm: accuracyMap(lo, hi), cellText: pctText, barLabel: "CV accuracy (%)",
		bestX: slices.Index(gammas, best.Param(px.Name)), bestY: slices.Index(Cs, best.C),
		nanText: failedText(failed),
	}
	title := fmt.Sprintf("%s kernel %s on %s features: %d-fold CV accuracy%s", upperFirst(spec.Title), spec.Formula, g.Features, best.Folds, searchTitle(g))
	f := tiledPanels("grid-"+g.Kernel+"-"+g.Features, title, []*heatPanel{p})
	f.Caption = fmt.Sprintf("Cross-validated accuracy of the %s kernel on %s features over %s × C; the best cell (%s) is outlined; grey cells were not run.", spec.Title, g.Features, px.Symbol, paramString(cellParams(best)))
	return f
}
