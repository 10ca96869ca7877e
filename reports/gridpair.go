package reports

import (
	"fmt"
	"math"
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
	filled := 0 // cells of the maps with a result
	for _, C := range Cs {
		z, rung, failed, n := cellMap(g.Cells, len(alphas), len(coefs), func(c results.GridCell) (int, int, bool) {
			return slices.Index(alphas, c.Param(px.Name)), slices.Index(coefs, c.Param(py.Name)), c.C == C
		})
		filled += n
		p := &heatPanel{
			title:  "C = " + num(C),
			xlabel: axisLabel(px), ylabel: axisLabel(py),
			xticks: labelsOf(alphas), yticks: labelsOf(coefs),
			z: z, cm: accuracyMap(lo, hi), cellText: pctText,
			barLabel: "CV accuracy (%)", bestX: -1, bestY: -1,
			nanText: failedText(failed),
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
	// The eigenvalue maps do not depend on C; take them from any cell.
	eig := psdPanels(g, px.Name, py.Name, alphas, coefs, best)
	panels = append(panels, eig...)
	folds := best.Folds
	title := fmt.Sprintf("%s kernel %s on %s features: %d-fold CV accuracy%s", upperFirst(spec.Title), spec.Formula, g.Features, folds, searchTitle(g))
	f := tiledPanels("grid-"+g.Kernel+"-"+g.Features, title, panels)
	f.Caption = fmt.Sprintf("Cross-validated accuracy of the %s kernel on %s features over %s × %s, one map per C; the best cell (%s) is outlined%s. ", spec.Title, g.Features, px.Symbol, py.Symbol, paramString(cellParams(best)), notRun(g, filled < len(alphas)*len(coefs)*len(Cs))) +
		psdCaption(spec.Title, len(eig))
	return f
}

// cellMap lays the cells that at places (i, j, true) on an nx × ny map:
// each place shows the last of its cells in cell order (of a halving
// search, the last rung its setting reached), its CV accuracy in percent
// in z and its rung in rung, or, when that cell failed, NaN and
// failed[{i, j}]. filled counts the places that have a cell.
func cellMap(cells []results.GridCell, nx, ny int, at func(results.GridCell) (i, j int, ok bool)) (z, rung gridZ, failed map[[2]int]bool, filled int) {
	z, rung, failed = nanGrid(nx, ny), nanGrid(nx, ny), map[[2]int]bool{}
	seen := map[[2]int]bool{}
	for _, c := range cells {
		i, j, ok := at(c)
		if !ok {
			continue
		}
		k := [2]int{i, j}
		if !seen[k] {
			seen[k], filled = true, filled+1
		}
		if c.Failed != "" {
			failed[k], z[i][j], rung[i][j] = true, math.NaN(), math.NaN()
			continue
		}
		delete(failed, k)
		z[i][j], rung[i][j] = 100*c.CVAccuracy, float64(c.Rung)
	}
	return z, rung, failed, filled
}

// failedText labels the failed cells of a map ("failed"), none when
// failed is empty.
func failedText(failed map[[2]int]bool) func(i, j int) string {
	if len(failed) == 0 {
		return nil
	}
	return func(i, j int) string {
		if failed[[2]int{i, j}] {
			return "failed"
		}
		return ""
	}
}

// notRun says, for a caption, that the grey cells of g's maps were not
// run, and by which search, when some were not (missing).
func notRun(g *Grid, missing bool) string {
	if !missing {
		return ""
	}
	if g.Search != "" {
		return "; grey cells were not run (a " + g.Search + " search)"
	}
	return "; grey cells were not run"
}

// psdCaption explains the eigenvalue maps a grid figure has (n of them:
// none, the PSD map, or the PSD and CPD maps).
func psdCaption(kernel string, n int) string {
	const psd = "The PSD map shows λmin, the smallest eigenvalue of the %s kernel matrix K on a sample of training images: where it is negative (red) K is not positive semi-definite. "
	const cpd = "The CPD map shows the smallest eigenvalue of K on the vectors u with Σu = 0 (min uᵀKu over unit u, Σu = 0), which a constant added to K does not change: where it is ≥ 0 K is conditionally positive semi-definite and the SVM's dual, whose constraint yᵀα = 0 keeps it on that subspace, is convex even where λmin is negative; where it is negative (red) the dual is not convex. Both maps colour each side of 0 on its own log scale, so that the sign shows however small the value: a value within about 1e-6 of 0 is at the float32 kernel matrix's rounding level (its float32 and float64 values differed by about 2e-8 at 2e-6 on 1000 CIFAR-10 images), and its colour is no verdict on the kernel."
	switch n {
	case 0:
		return "(No min_eigen in this grid: run bench grid with -psd for the PSD map.)"
	case 1:
		return fmt.Sprintf(psd, kernel) + "Whether the SVM's dual is convex depends on K on Σu = 0 only (a CPD map, min_eigen_cpd, which this grid's results, written before it existed, lack)."
	}
	return fmt.Sprintf(psd, kernel) + cpd
}
