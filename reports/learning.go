package reports

import (
	"fmt"
	"image/color"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/svmbench/svmbench/stats"
)

// cnnPoint is a CNN's test accuracy after training on n images: one
// point of its learning curve, with the budget it was trained with.
type cnnPoint struct {
	label  string
	n      int
	iv     stats.Interval
	budget string
}

// cnnPoints are the CNN rows of results.json, at the run's training size.
func cnnPoints(in *Inputs) []cnnPoint {
	var ps []cnnPoint
	if in.Manifest == nil || in.Manifest.TrainN == 0 {
		return nil
	}
	for _, m := range in.Models {
		if !strings.HasPrefix(m.Model, "cnn-") {
			continue
		}
		n, k := confusionCounts(m.Confusion)
		if n == 0 {
			continue
		}
		budget := fmt.Sprintf("%g epochs", m.Params["epochs"])
		ps = append(ps, cnnPoint{label: m.Model, n: in.Manifest.TrainN, iv: stats.Wilson(k, n, confidence), budget: budget})
	}
	return ps
}

// band is a filled polygon between lo and hi over xs.
func band(xs, lo, hi []float64, c color.Color) *plotter.Polygon {
	var pts plotter.XYs
	for i := range xs {
		pts = append(pts, plotter.XY{X: xs[i], Y: 100 * lo[i]})
	}
	for i := len(xs) - 1; i >= 0; i-- {
		pts = append(pts, plotter.XY{X: xs[i], Y: 100 * hi[i]})
	}
	poly, _ := plotter.NewPolygon(pts)
	r, g, b, _ := c.RGBA()
	poly.Color = color.NRGBA{R: uint8(r >> 8), G: uint8(g >> 8), B: uint8(b >> 8), A: 50}
	poly.LineStyle.Width = 0
	return poly
}

// featureDashes tells the feature sets apart on a curve.
func featureDashes(f string) []vg.Length {
	switch f {
	case "hog":
		return []vg.Length{vg.Points(6), vg.Points(3)}
	case "cnn":
		return []vg.Length{vg.Points(2), vg.Points(2)}
	}
	return nil
}

// LearningCurveFigure draws test accuracy against the number of training
// images (log axis) for every model × features of the trials' learning
// curve, each with its 95% band (t interval over repeats, or Wilson's
// with one repeat), and each CNN of results.json as a point with its
// interval and training budget. Nil without a curve.
func LearningCurveFigure(in *Inputs) *Figure {
	type key struct{ model, feats string }
	var keys []key
	series := map[key][]*trialGroup{}
	for _, g := range groupTrials(in.Trials, "curve") {
		if isCNN(g.Model) {
			continue // a CNN is one point, drawn from results.json below
		}
		k := key{g.Model, g.Features}
		if _, ok := series[k]; !ok {
			keys = append(keys, k)
		}
		series[k] = append(series[k], g)
	}
	if len(keys) == 0 {
		return nil
	}
	var models []string
	for _, k := range keys {
		if !slices.Contains(models, k.model) {
			models = append(models, k.model)
		}
	}
	p := newPlot("Learning curves: test accuracy against training set size", "training images n (log scale)", "test accuracy (%)")
	p.X.Scale = plot.LogScale{}
	var ns []float64
	for _, k := range keys {
		gs := series[k]
		sort.Slice(gs, func(i, j int) bool { return gs[i].N < gs[j].N })
		var xs, lo, hi []float64
		var xys plotter.XYs
		for _, g := range gs {
			iv := g.repeatInterval()
			xs, lo, hi = append(xs, float64(g.N)), append(lo, iv.Lo), append(hi, iv.Hi)
			xys = append(xys, plotter.XY{X: float64(g.N), Y: 100 * iv.Est})
			if !slices.Contains(ns, float64(g.N)) {
				ns = append(ns, float64(g.N))
			}
		}
		c := seriesColor(slices.Index(models, k.model))
		l, s, _ := plotter.NewLinePoints(xys)
		l.Color, s.Color, l.Width, s.Radius = c, c, vg.Points(2), vg.Points(3)
		l.Dashes, s.Shape = featureDashes(k.feats), draw.CircleGlyph{}
		p.Add(band(xs, lo, hi, c), l, s)
		p.Legend.Add(fmt.Sprintf("%s (%s)", k.model, k.feats), l, s)
	}
	for i, cp := range cnnPoints(in) {
		c := seriesColor(len(models) + i)
		x := float64(cp.n)
		bar, _ := plotter.NewLine(plotter.XYs{{X: x, Y: 100 * cp.iv.Lo}, {X: x, Y: 100 * cp.iv.Hi}})
		bar.Color, bar.Width = c, vg.Points(2)
		s, _ := plotter.NewScatter(plotter.XYs{{X: x, Y: 100 * cp.iv.Est}})
		s.Color, s.Shape, s.Radius = c, draw.PyramidGlyph{}, vg.Points(5)
		p.Add(bar, s)
		p.Legend.Add(fmt.Sprintf("%s (pixels, %s)", cp.label, cp.budget), s)
		if !slices.Contains(ns, x) {
			ns = append(ns, x)
		}
	}
	sort.Float64s(ns)
	p.X.Tick.Marker = fixedTicks(ns, func(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) })
	p.X.Min, p.X.Max = ns[0]/1.2, ns[len(ns)-1]*1.2
	p.Y.Min = math.Max(0, p.Y.Min-2)
	p.Y.Tick.Marker = stepTicks(5)
	caption := "Test accuracy against the number of training images (log axis), each SVM at its grid's best parameters, on the same test images at every n. Bands: 95% interval (Student t over repeats on other balanced subsets; Wilson's over the test images with one repeat). Triangles: each CNN of the main run at its training size and budget, with Wilson's interval; a budget-limited CNN is a point on its curve, not the model's result."
	return &Figure{Name: "learning-curves", Caption: caption, Width: 10.5 * vg.Inch, Height: 5 * vg.Inch, draw: withLegend(p, 3.3*vg.Inch)}
}
