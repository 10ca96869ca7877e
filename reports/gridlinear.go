package reports

import (
	"fmt"
	"image/color"
	"math"
	"slices"
	"sort"

	"github.com/svmbench/svmbench/kernels"
	"github.com/svmbench/svmbench/results"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

func linearGridFigure(g *Grid, spec *kernels.Spec) *Figure {
	cells := slices.DeleteFunc(slices.Clone(g.Cells), func(c results.GridCell) bool { return c.Failed != "" })
	sort.SliceStable(cells, func(i, j int) bool { return cells[i].C < cells[j].C })
	best := g.Cells[g.BestCell()]
	title := fmt.Sprintf("%s kernel on %s features: %d-fold CV accuracy against C%s", upperFirst(spec.Title), g.Features, best.Folds, searchTitle(g))
	p := newPlot(title, "C (box constraint, log scale)", "CV accuracy (%)")
	const width, legend = 8.5 * vg.Inch, 1.6 * vg.Inch
	p.Title.TextStyle = fitWidth(p.Title.TextStyle, title, width-legend-vg.Points(12)) // a search's title is long; the plot is left of the legend
	var xys plotter.XYs
	var lo, hi plotter.XYs
	for _, c := range cells {
		xys = append(xys, plotter.XY{X: c.C, Y: 100 * c.CVAccuracy})
		if len(c.FoldAccuracy) > 0 {
			mn, mx := math.Inf(1), math.Inf(-1)
			for _, a := range c.FoldAccuracy {
				mn, mx = math.Min(mn, a), math.Max(mx, a)
			}
			lo = append(lo, plotter.XY{X: c.C, Y: 100 * mn})
			hi = append(hi, plotter.XY{X: c.C, Y: 100 * mx})
		}
	}
	line, pts, _ := plotter.NewLinePoints(xys)
	line.Color, line.Width = seriesColor(0), vg.Points(2)
	pts.Color, pts.Shape, pts.Radius = seriesColor(0), draw.CircleGlyph{}, vg.Points(3.5)
	p.Add(line, pts)
	p.Legend.Add("mean over folds", line, pts)
	if len(lo) == len(xys) {
		for _, band := range []plotter.XYs{lo, hi} {
			l, _ := plotter.NewLine(band)
			l.Color, l.Dashes, l.Width = seriesColor(0), []vg.Length{vg.Points(3), vg.Points(3)}, vg.Points(1)
			p.Add(l)
			if &band[0] == &lo[0] {
				p.Legend.Add("fold min / max", l)
			}
		}
	}
	bp, _ := plotter.NewScatter(plotter.XYs{{X: best.C, Y: 100 * best.CVAccuracy}})
	bp.Shape, bp.Radius, bp.Color = draw.RingGlyph{}, vg.Points(8), color.Black
	p.Add(bp)
	p.Legend.Add("best cell", bp)
	p.Y.Tick.Marker = niceTicks{} // gonum/plot's default read 35.00, 37.50, …
	p.X.Scale = plot.LogScale{}
	Cs := make([]float64, len(cells))
	for i, c := range cells {
		Cs[i] = c.C
	}
	p.X.Tick.Marker = linearCTicks(g, Cs)
	p.X.Min, p.X.Max = Cs[0]/1.5, Cs[len(Cs)-1]*1.5
	return &Figure{
		Name:    "grid-" + g.Kernel + "-" + g.Features,
		Caption: fmt.Sprintf("Cross-validated accuracy of the %s kernel on %s features against C; the best cell (C=%s) is ringed.", spec.Title, g.Features, num(best.C)),
		Width:   width, Height: 4.5 * vg.Inch,
		draw: withLegend(p, legend),
	}
}

// linearCTicks labels the C axis at the grid's values Cs, or at powers of
// two for a random search off any lattice, whose every draw is its own C.
func linearCTicks(g *Grid, Cs []float64) plot.Ticker {
	if offLattice(g) {
		return pow2Ticks{}
	}
	return fixedTicks(Cs, num)
}
