package reports

import (
	"fmt"
	"slices"
	"strconv"

	"github.com/svmbench/svmbench/kernels"
	"github.com/svmbench/svmbench/results"
)

// pairGridFigure draws a grid over two kernel parameters px × py and C:
// one heat map per C, and the PSD map.
func pairGridFigure(g *Grid, spec *kernels.Spec, px, py kernels.Param) *Figure {
	alphas := uniq(g.Cells, func(c results.GridCell) float64 { return c.Param(px.Name) })
	coefs := uniq(g.Cells, func(c results.GridCell) float64 { return c.Param(py.Name) })
	Cs := uniq(g.Cells, func(c results.GridCell) float64 { return c.C })
	lo, hi := accRange(g.Cells)
	best := g.Cells[g.BestCell()]
	var panels []*heatPanel
	for _, C := range Cs {
		z := nanGrid(len(alphas), len(coefs))
		rung := nanGrid(len(alphas), len(coefs))
		for _, c := range g.Cells {
			if c.C == C {
				i, j := slices.Index(alphas, c.Param(px.Name)), slices.Index(coefs, c.Param(py.Name))
				z[i][j], rung[i][j] = 100*c.CVAccuracy, float64(c.Rung)
			}
		}
		p := &heatPanel{
			title:  "C = " + num(C),
			xlabel: axisLabel(px), ylabel: axisLabel(py),
			xticks: labelsOf(alphas), yticks: labelsOf(coefs),
			z: z, cm: accuracyMap(lo, hi), cellText: pctText,
			barLabel: "CV accuracy (%)", bestX: -1, bestY: -1,
		}
		if top := results.TopRung(g.Cells); top > 0 {
			// Halving: a setting dropped before the last rung is marked
			// with the rung it stopped on ("16.2 r1").
			p.rawText = func(i, j int) string {
				if r := int(rung[i][j]); r < top {
					return pctText(z[i][j]) + " r" + strconv.Itoa(r)
				}
				return pctText(z[i][j])
			}
		}
		if best.C == C {
			p.title += "  (best cell outlined)"
			p.bestX, p.bestY = slices.Index(alphas, best.Param(px.Name)), slices.Index(coefs, best.Param(py.Name))
		}
		panels = append(panels, p)
	}
	// The PSD map: λ_min does not depend on C; take it from any cell.
	if p := psdPanel(g, px.Name, py.Name, alphas, coefs, best); p != nil {
		panels = append(panels, p)
	}
	have := panels[len(panels)-1].title == psdTitle
	folds := best.Folds
	title := fmt.Sprintf("%s kernel %s on %s features: %d-fold CV accuracy", upperFirst(spec.Title), spec.Formula, g.Features, folds)
	f := tiledPanels("grid-"+g.Kernel+"-"+g.Features, title, panels)
	f.Caption = fmt.Sprintf("Cross-validated accuracy of the %s kernel on %s features over %s × %s, one map per C; the best cell (%s) is outlined. ", spec.Title, g.Features, px.Symbol, py.Symbol, paramString(cellParams(best))) +
		"The PSD map shows the smallest eigenvalue of the " + spec.Title + " Gram matrix on a sample of training images: where it is negative (red) the kernel is not positive semi-definite and the SVM's problem is not convex."
	if !have {
		f.Caption = fmt.Sprintf("Cross-validated accuracy of the %s kernel on %s features over %s × %s, one map per C; the best cell (%s) is outlined. (No min_eigen in this grid: run bench grid with -psd for the PSD map.)", spec.Title, g.Features, px.Symbol, py.Symbol, paramString(cellParams(best)))
	}
	return f
}
