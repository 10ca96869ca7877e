package reports

import (
	"fmt"
	"math"
	"slices"
	"sort"
	"strconv"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/svmbench/svmbench/results"
)

// fitSlope fits log y = a + b log x by least squares and returns b; ok is
// false with fewer than two usable points.
func fitSlope(xs, ys []float64) (b float64, ok bool) {
	var n, sx, sy, sxx, sxy float64
	for i := range xs {
		if xs[i] <= 0 || ys[i] <= 0 {
			continue
		}
		lx, ly := math.Log(xs[i]), math.Log(ys[i])
		n++
		sx += lx
		sy += ly
		sxx += lx * lx
		sxy += lx * ly
	}
	d := n*sxx - sx*sx
	if n < 2 || d == 0 {
		return 0, false
	}
	return (n*sxy - sx*sy) / d, true
}

// ScalingFigure draws train and predict time against n on log–log axes,
// with the fitted slope of each line in the legend; nil without scaling
// points.
func ScalingFigure(in *Inputs) *Figure {
	if len(in.Scaling) == 0 {
		return nil
	}
	type key struct{ model, feats string }
	var keys []key
	series := map[key][]results.ScalingPoint{}
	for _, p := range in.Scaling {
		k := key{p.Model, p.Features}
		if _, ok := series[k]; !ok {
			keys = append(keys, k)
		}
		series[k] = append(series[k], p)
	}
	p := newPlot("Training and prediction time against training set size", "training images n (log scale)", "wall-clock time (s, log scale)")
	p.X.Scale, p.Y.Scale = plot.LogScale{}, plot.LogScale{}
	var ns []float64
	ymin, ymax := math.Inf(1), math.Inf(-1)
	testN := 0
	for i, k := range keys {
		pts := series[k]
		sort.Slice(pts, func(a, b int) bool { return pts[a].N < pts[b].N })
		for _, what := range []string{"train", "predict"} {
			var xs, ys []float64
			for _, q := range pts {
				t := q.TrainSeconds
				if what == "predict" {
					t = q.PredictSeconds
					testN = q.TestN
				}
				if t <= 0 {
					continue
				}
				xs, ys = append(xs, float64(q.N)), append(ys, t)
				if !slices.Contains(ns, float64(q.N)) {
					ns = append(ns, float64(q.N))
				}
				ymin, ymax = math.Min(ymin, t), math.Max(ymax, t)
			}
			if len(xs) == 0 {
				continue
			}
			xys := make(plotter.XYs, len(xs))
			for j := range xs {
				xys[j] = plotter.XY{X: xs[j], Y: ys[j]}
			}
			l, s, _ := plotter.NewLinePoints(xys)
			l.Color, s.Color = seriesColor(i), seriesColor(i)
			l.Width, s.Radius = vg.Points(2), vg.Points(3.5)
			s.Shape = draw.CircleGlyph{}
			if what == "predict" {
				l.Dashes = []vg.Length{vg.Points(5), vg.Points(3)}
				s.Shape = draw.TriangleGlyph{}
			}
			label := fmt.Sprintf("%s (%s) %s", k.model, k.feats, what)
			if b, ok := fitSlope(xs, ys); ok {
				label += fmt.Sprintf(", slope %.2f", b)
			}
			p.Add(l, s)
			p.Legend.Add(label, l, s)
		}
	}
	if len(ns) == 0 {
		return nil
	}
	sort.Float64s(ns)
	p.X.Tick.Marker = fixedTicks(ns, func(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) })
	p.Y.Tick.Marker = logTicks125{}
	p.X.Min, p.X.Max = ns[0]/1.15, ns[len(ns)-1]*1.15
	p.Y.Min, p.Y.Max = ymin/1.5, ymax*1.5
	caption := "Training (solid) and prediction (dashed) wall-clock time against the number of training images, log–log; the legend gives each line's least-squares slope (time ∝ n^slope)."
	if testN > 0 {
		caption += fmt.Sprintf(" Prediction is on %d test images.", testN)
	}
	return &Figure{Name: "scaling", Caption: caption, Width: 10.5 * vg.Inch, Height: 5 * vg.Inch, draw: withLegend(p, 3.3*vg.Inch)}
}
