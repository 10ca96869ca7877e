package reports

import (
	"fmt"
	"slices"

	"github.com/svmbench/svmbench/bench"
)

func rbfGridFigure(g *Grid) *Figure {
	gammas := uniq(g.Cells, func(c bench.GridCell) float64 { return c.Gamma })
	Cs := uniq(g.Cells, func(c bench.GridCell) float64 { return c.C })
	lo, hi := accRange(g.Cells)
	best := g.Cells[g.BestCell()]
	z := nanGrid(len(gammas), len(Cs))
	for _, c := range g.Cells {
		z[slices.Index(gammas, c.Gamma)][slices.Index(Cs, c.C)] = 100 * c.CVAccuracy
	}
	p := &heatPanel{
		title:  "best cell outlined",
		xlabel: "γ (RBF width)", ylabel: "C (box constraint)",
		xticks: labelsOf(gammas), yticks: labelsOf(Cs),
		z: z, cm: accuracyMap(lo, hi), cellText: pctText, barLabel: "CV accuracy (%)",
		bestX: slices.Index(gammas, best.Gamma), bestY: slices.Index(Cs, best.C),
	}
	title := fmt.Sprintf("RBF kernel exp(-γ |x-y|²) on %s features: %d-fold CV accuracy", g.Features, best.Folds)
	f := tiledPanels("grid-"+g.Kernel+"-"+g.Features, title, []*heatPanel{p})
	f.Caption = fmt.Sprintf("Cross-validated accuracy of the RBF kernel on %s features over γ × C; the best cell (%s) is outlined; grey cells were not run.", g.Features, paramString(cellParams(best)))
	return f
}
