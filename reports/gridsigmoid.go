package reports

import (
	"fmt"
	"slices"

	"github.com/svmbench/svmbench/bench"
)

func sigmoidGridFigure(g *Grid) *Figure {
	alphas := uniq(g.Cells, func(c bench.GridCell) float64 { return c.Alpha })
	coefs := uniq(g.Cells, func(c bench.GridCell) float64 { return c.Coef0 })
	Cs := uniq(g.Cells, func(c bench.GridCell) float64 { return c.C })
	lo, hi := accRange(g.Cells)
	best := g.Cells[g.BestCell()]
	var panels []*heatPanel
	for _, C := range Cs {
		z := nanGrid(len(alphas), len(coefs))
		for _, c := range g.Cells {
			if c.C == C {
				z[slices.Index(alphas, c.Alpha)][slices.Index(coefs, c.Coef0)] = 100 * c.CVAccuracy
			}
		}
		p := &heatPanel{
			title:  "C = " + num(C),
			xlabel: "α (kernel slope)", ylabel: "c (kernel offset)",
			xticks: labelsOf(alphas), yticks: labelsOf(coefs),
			z: z, cm: accuracyMap(lo, hi), cellText: pctText,
			barLabel: "CV accuracy (%)", bestX: -1, bestY: -1,
		}
		if best.C == C {
			p.title += "  (best cell outlined)"
			p.bestX, p.bestY = slices.Index(alphas, best.Alpha), slices.Index(coefs, best.Coef0)
		}
		panels = append(panels, p)
	}
	// The PSD map: λ_min does not depend on C; take it from any cell.
	if p := psdPanel(g, alphas, coefs, best); p != nil {
		panels = append(panels, p)
	}
	have := panels[len(panels)-1].title == psdTitle
	folds := best.Folds
	title := fmt.Sprintf("Sigmoid kernel tanh(α x·y + c) on %s features: %d-fold CV accuracy", g.Features, folds)
	f := tiledPanels("grid-"+g.Kernel+"-"+g.Features, title, panels)
	f.Caption = fmt.Sprintf("Cross-validated accuracy of the sigmoid kernel on %s features over α × c, one map per C; the best cell (%s) is outlined. ", g.Features, paramString(cellParams(best))) +
		"The PSD map shows the smallest eigenvalue of the sigmoid Gram matrix on a sample of training images: where it is negative (red) the kernel is not positive semi-definite and the SVM's problem is not convex."
	if !have {
		f.Caption = fmt.Sprintf("Cross-validated accuracy of the sigmoid kernel on %s features over α × c, one map per C; the best cell (%s) is outlined. (No min_eigen in this grid: run bench grid with -psd for the PSD map.)", g.Features, paramString(cellParams(best)))
	}
	return f
}
