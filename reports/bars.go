package reports

import (
	"image/color"
	"math"
	"slices"
	"sort"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/svmbench/svmbench/results"
)

// modelFeatureAxes returns the models in order of first appearance and the
// feature sets in the order pixels, hog, cnn, then others.
func modelFeatureAxes(ms []results.ModelResult) (models, feats []string) {
	for _, m := range ms {
		if !slices.Contains(models, m.Model) {
			models = append(models, m.Model)
		}
		if !slices.Contains(feats, m.Features) {
			feats = append(feats, m.Features)
		}
	}
	sort.SliceStable(feats, func(i, j int) bool { return orderOf(featureOrder, feats[i]) < orderOf(featureOrder, feats[j]) })
	return models, feats
}

// groupedBars draws one bar per model × features, grouped by model along
// x, coloured by feature set, each labelled with label(value). With logY
// the y axis is logarithmic and the bars rise from the power of ten below
// the smallest positive value (values spanning decades, as training
// times, stay visible side by side). The log axis is drawn as a linear
// axis of log10 values with ticks at 1, 2, 5 × 10^k: gonum/plot's
// LogScale places a centred axis label's glyph box at the arithmetic
// midpoint of the range, which shrinks the plot.
func groupedBars(p *plot.Plot, ms []results.ModelResult, value func(results.ModelResult) float64, label func(float64) string, logY bool) {
	models, feats := modelFeatureAxes(ms)
	const group = 0.8 // share of each x unit filled by a group
	barW := group / float64(len(feats))
	var lx, ly []float64
	var lt []string
	top, base := 0.0, 0.0
	y := func(v float64) float64 { return v }
	if logY {
		base = math.Log10(logFloor(ms, value))
		y = func(v float64) float64 { return math.Max(base, math.Log10(v)) }
	}
	used := make([]bool, len(feats))
	for mi, model := range models {
		// The bars of one model, in feature order, centred on its tick.
		var rows []results.ModelResult
		for _, f := range feats {
			for _, m := range ms {
				if m.Model == model && m.Features == f {
					rows = append(rows, m)
					break
				}
			}
		}
		for k, m := range rows {
			fi := slices.Index(feats, m.Features)
			used[fi] = true
			v := y(value(m))
			top = math.Max(top, v)
			x := float64(mi) + barW*(float64(k)-float64(len(rows)-1)/2)
			p.Add(&dataBar{x: x, w: barW, v: v, base: base, c: seriesColor(fi)})
			lx, ly, lt = append(lx, x), append(ly, v), append(lt, label(value(m)))
		}
	}
	for fi, f := range feats {
		if used[fi] {
			p.Legend.Add(f+" features", &swatch{seriesColor(fi)})
		}
	}
	p.Add(newLabelsAbove(lx, ly, lt))
	p.NominalX(models...)
	p.X.Min, p.X.Max = -0.5, float64(len(models))-0.5
	p.Y.Min, p.Y.Max = 0, top*1.15
	if top == 0 {
		p.Y.Max = 1
	}
	if logY {
		// Labels above the tallest bar need a share of a decade, not of
		// the value.
		p.Y.Tick.Marker = log10Ticks{}
		p.Y.Min, p.Y.Max = base, math.Max(top, base)+math.Log10(2)
	}
}

// log10Ticks labels an axis of log10 values at 1, 2 and 5 times powers of
// ten (logTicks125 of the values).
type log10Ticks struct{}

func (log10Ticks) Ticks(min, max float64) []plot.Tick {
	ts := logTicks125{}.Ticks(math.Pow(10, min), math.Pow(10, max))
	for i := range ts {
		ts[i].Value = math.Log10(ts[i].Value)
	}
	return ts
}

// logFloor is the power of ten at or below the smallest positive value of
// ms (1 when none is positive).
func logFloor(ms []results.ModelResult, value func(results.ModelResult) float64) float64 {
	lo := math.Inf(1)
	for _, m := range ms {
		if v := value(m); v > 0 {
			lo = math.Min(lo, v)
		}
	}
	if math.IsInf(lo, 1) {
		return 1
	}
	return math.Pow(10, math.Floor(math.Log10(lo)))
}

// dataBar is one bar in data units: centred at x, w wide, from base
// (0 on a linear axis) to v.
// (plotter.BarChart sizes bars in page units; a data-unit width keeps the
// groups aligned with the model ticks at any figure size.)
type dataBar struct {
	x, w, v, base float64
	c             color.Color
}

func (b *dataBar) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	x0, x1 := trX(b.x-b.w/2), trX(b.x+b.w/2)
	y0, y1 := trY(b.base), trY(b.v)
	pts := []vg.Point{{X: x0, Y: y0}, {X: x1, Y: y0}, {X: x1, Y: y1}, {X: x0, Y: y1}}
	c.FillPolygon(b.c, c.ClipPolygonXY(pts))
	c.StrokeLines(draw.LineStyle{Color: color.Black, Width: vg.Points(0.5)}, c.ClipLinesXY(append(pts, pts[0]))...)
}

func (b *dataBar) DataRange() (xmin, xmax, ymin, ymax float64) {
	return b.x - b.w/2, b.x + b.w/2, math.Min(b.base, b.v), math.Max(b.base, b.v)
}

// swatch is a legend thumbnail: a filled square.
type swatch struct{ c color.Color }

func (s *swatch) Thumbnail(c *draw.Canvas) {
	pts := []vg.Point{{X: c.Min.X, Y: c.Min.Y}, {X: c.Max.X, Y: c.Min.Y}, {X: c.Max.X, Y: c.Max.Y}, {X: c.Min.X, Y: c.Max.Y}}
	c.FillPolygon(s.c, pts)
	c.StrokeLines(draw.LineStyle{Color: color.Black, Width: vg.Points(0.5)}, append(pts, pts[0]))
}

// newLabelsAbove puts value labels just above bar tops.
func newLabelsAbove(xs, ys []float64, texts []string) *plotter.Labels {
	l := newLabels(xs, ys, texts, func(int) text.Style {
		s := textStyle(cellSize, color.Black)
		s.YAlign = draw.YBottom
		return s
	})
	l.Offset = vg.Point{Y: vg.Points(2)}
	return l
}

// chanceLine draws a dashed horizontal line at y across the plot.
func chanceLine(p *plot.Plot, y float64, label string) {
	l, err := plotter.NewLine(plotter.XYs{{X: p.X.Min, Y: y}, {X: p.X.Max, Y: y}})
	if err != nil {
		return
	}
	l.Color = color.Gray{110}
	l.Dashes = []vg.Length{vg.Points(4), vg.Points(3)}
	l.Width = vg.Points(1)
	p.Add(l)
	p.Legend.Add(label, l)
}
