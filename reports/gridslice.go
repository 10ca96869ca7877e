package reports

import (
	"fmt"
	"image/color"
	"math"
	"slices"
	"strconv"

	"github.com/svmbench/svmbench/kernels"
	"github.com/svmbench/svmbench/results"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// offLattice reports whether g's cells lie on no lattice (offLatticeSpec).
func offLattice(g *Grid) bool { return g.spec != nil && offLatticeSpec(g.spec) }

// offLatticeSpec reports whether a search of spec draws its cells off any
// lattice: a random search over a range that is not a list draws every
// value afresh, so a heat map would give every draw its own row, column
// and map, and its edges are read against the ranges (edgeNote).
func offLatticeSpec(spec *results.GridSpec) bool {
	return spec.Search == "random" && latticeCells(spec) == 0
}

// sliceGridFigure draws a search whose cells lie off any lattice
// (offLattice) as Optuna's slice plot does: one panel per parameter that
// takes more than one value, the CV accuracy of every draw against that
// parameter (log scale for the parameters searched on one, and C), the
// best draw ringed and the range extension's draws in a second colour.
func sliceGridFigure(g *Grid, spec *kernels.Spec) *Figure {
	best := g.Cells[g.BestCell()]
	var panels []plotPanel
	for _, name := range gridParams(g.Kernel) {
		if len(uniq(g.Cells, func(c results.GridCell) float64 { return c.Param(name) })) < 2 {
			continue
		}
		p, _ := spec.Param(name)
		logScale := name == "C" || p.Log
		label := axisLabel(p)
		if name == "C" {
			label = "C (box constraint)"
		}
		if logScale {
			label += ", log scale"
		}
		panels = append(panels, slicePanel(g, best, name, label, logScale))
	}
	if len(panels) == 0 {
		return nil
	}
	title := fmt.Sprintf("%s kernel %s on %s features: %d-fold CV accuracy%s", upperFirst(spec.Title), spec.Formula, g.Features, best.Folds, searchTitle(g))
	f := tiledPanels("grid-"+g.Kernel+"-"+g.Features, title, panels)
	f.Caption = fmt.Sprintf("Cross-validated accuracy of the %s kernel on %s features against each parameter, one point per draw of the random search (its values are drawn from the ranges, not from a grid, so there is no map to draw); the best draw (%s) is ringed.", spec.Title, g.Features, paramString(cellParams(best)))
	if g.SearchCells > 0 && slices.ContainsFunc(g.Cells, func(c results.GridCell) bool { return c.Index >= g.SearchCells }) {
		f.Caption += " Orange points are the range extension's draws, beyond the ranges' edges."
	}
	return f
}

// plotPanel is a plot drawn as a tile.
type plotPanel struct{ *plot.Plot }

func (p plotPanel) draw(dc draw.Canvas) { p.Plot.Draw(dc) }

// slicePanel is the CV accuracy of g's scored cells against parameter name.
func slicePanel(g *Grid, best results.GridCell, name, label string, logScale bool) plotPanel {
	p := newPlot("", label, "CV accuracy (%)")
	var drawn, extended plotter.XYs
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, c := range g.Cells {
		if c.Failed != "" {
			continue
		}
		xy := plotter.XY{X: c.Param(name), Y: 100 * c.CVAccuracy}
		lo, hi = min(lo, xy.X), max(hi, xy.X)
		if g.SearchCells > 0 && c.Index >= g.SearchCells {
			extended = append(extended, xy)
		} else {
			drawn = append(drawn, xy)
		}
	}
	for i, pts := range []plotter.XYs{drawn, extended} {
		if len(pts) == 0 {
			continue
		}
		s, _ := plotter.NewScatter(pts)
		s.Shape, s.Radius, s.Color = draw.CircleGlyph{}, vg.Points(3.5), seriesColor(i)
		p.Add(s)
	}
	b, _ := plotter.NewScatter(plotter.XYs{{X: best.Param(name), Y: 100 * best.CVAccuracy}})
	b.Shape, b.Radius, b.Color = draw.RingGlyph{}, vg.Points(8), color.Black
	p.Add(b)
	p.Y.Tick.Marker = niceTicks{}
	ylo, yhi := accRange(g.Cells)
	p.Y.Min, p.Y.Max = ylo-(yhi-ylo)/20-0.5, yhi+(yhi-ylo)/20+0.5 // room for the ring
	if logScale {
		p.X.Scale, p.X.Tick.Marker = plot.LogScale{}, pow2Ticks{}
		p.X.Min, p.X.Max = lo/1.2, hi*1.2
	} else {
		p.X.Tick.Marker = niceTicks{}
		pad := (hi - lo) / 20
		p.X.Min, p.X.Max = lo-pad, hi+pad
	}
	return plotPanel{p}
}

// pow2Ticks labels a log axis at powers of two, 2^k for every k (or every
// second, third … k, at most 7 labels), as the ranges 2^a:2^b:k are
// written.
type pow2Ticks struct{}

func (pow2Ticks) Ticks(min, max float64) []plot.Tick {
	if !(min > 0) || !(max > min) {
		return nil
	}
	a, b := int(math.Ceil(math.Log2(min))), int(math.Floor(math.Log2(max)))
	if b-a < 1 { // within a factor of 2 or so: 1, 2, 5 × 10^k
		return logTicks125{}.Ticks(min, max)
	}
	step := (b-a)/6 + 1
	var t []plot.Tick
	for k := a; k <= b; k++ {
		tk := plot.Tick{Value: math.Ldexp(1, k)}
		if (k-a)%step == 0 {
			tk.Label = "2^" + strconv.Itoa(k)
		}
		t = append(t, tk)
	}
	return t
}
