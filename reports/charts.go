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
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/palette"
	"gonum.org/v1/plot/palette/moreland"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/svmbench/svmbench/bench"
)

// Figures returns every figure the inputs allow, in report order.
func Figures(in *Inputs) []*Figure {
	var fs []*Figure
	if len(in.Models) > 0 {
		fs = append(fs, AccuracyFigure(in), TrainTimeFigure(in))
	}
	for _, g := range in.Grids {
		if f := GridFigure(g); f != nil {
			fs = append(fs, f)
		}
	}
	if f := ScalingFigure(in); f != nil {
		fs = append(fs, f)
	}
	if f := CNNFigure(in); f != nil {
		fs = append(fs, f)
	}
	fs = append(fs, ConfusionFigures(in)...)
	return fs
}

// modelFeatureAxes returns the models in order of first appearance and the
// feature sets in the order pixels, hog, cnn, then others.
func modelFeatureAxes(ms []bench.ModelResult) (models, feats []string) {
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
// x, coloured by feature set, each labelled with label(value).
func groupedBars(p *plot.Plot, ms []bench.ModelResult, value func(bench.ModelResult) float64, label func(float64) string) {
	models, feats := modelFeatureAxes(ms)
	const group = 0.8 // share of each x unit filled by a group
	barW := group / float64(len(feats))
	var lx, ly []float64
	var lt []string
	top := 0.0
	used := make([]bool, len(feats))
	for mi, model := range models {
		// The bars of one model, in feature order, centred on its tick.
		var rows []bench.ModelResult
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
			v := value(m)
			top = math.Max(top, v)
			x := float64(mi) + barW*(float64(k)-float64(len(rows)-1)/2)
			p.Add(&dataBar{x: x, w: barW, v: v, c: seriesColor(fi)})
			lx, ly, lt = append(lx, x), append(ly, v), append(lt, label(v))
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
}

// dataBar is one bar in data units: centred at x, w wide, from 0 to v.
// (plotter.BarChart sizes bars in page units; a data-unit width keeps the
// groups aligned with the model ticks at any figure size.)
type dataBar struct {
	x, w, v float64
	c       color.Color
}

func (b *dataBar) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	x0, x1 := trX(b.x-b.w/2), trX(b.x+b.w/2)
	y0, y1 := trY(0), trY(b.v)
	pts := []vg.Point{{X: x0, Y: y0}, {X: x1, Y: y0}, {X: x1, Y: y1}, {X: x0, Y: y1}}
	c.FillPolygon(b.c, c.ClipPolygonXY(pts))
	c.StrokeLines(draw.LineStyle{Color: color.Black, Width: vg.Points(0.5)}, c.ClipLinesXY(append(pts, pts[0]))...)
}

func (b *dataBar) DataRange() (xmin, xmax, ymin, ymax float64) {
	return b.x - b.w/2, b.x + b.w/2, math.Min(0, b.v), math.Max(0, b.v)
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

// AccuracyFigure is the test accuracy of each model × features as bars,
// grouped by model (SVM kernels beside the CNN variants).
func AccuracyFigure(in *Inputs) *Figure {
	p := newPlot("Test accuracy by model and feature set", "model", "test accuracy (%)")
	groupedBars(p, in.Models, func(m bench.ModelResult) float64 { return 100 * m.Accuracy }, func(v float64) string { return strconv.FormatFloat(v, 'f', 1, 64) })
	if k := len(classNames(in)); k > 1 {
		chanceLine(p, 100/float64(k), fmt.Sprintf("chance (%.0f%%)", 100/float64(k)))
	}
	p.Y.Max = math.Min(100, math.Max(p.Y.Max, 15))
	p.Y.Tick.Marker = stepTicks(10)
	p.Y.Padding, p.X.Padding = 0, 0
	return &Figure{
		Name:    "accuracy",
		Caption: "Test accuracy of each model on each feature set (percent of the test images classified correctly).",
		Width:   9 * vg.Inch, Height: 4.5 * vg.Inch,
		draw: withLegend(p, 1.7*vg.Inch),
	}
}

// TrainTimeFigure is the training time of each model × features as bars.
func TrainTimeFigure(in *Inputs) *Figure {
	p := newPlot("Training time by model and feature set", "model", "training time (s, wall clock)")
	groupedBars(p, in.Models, func(m bench.ModelResult) float64 { return m.TrainSeconds }, secs)
	p.Y.Padding, p.X.Padding = 0, 0
	return &Figure{
		Name:    "train-time",
		Caption: "Wall-clock training time of each model on each feature set, in seconds (feature extraction excluded).",
		Width:   9 * vg.Inch, Height: 4.5 * vg.Inch,
		draw: withLegend(p, 1.7*vg.Inch),
	}
}

// gridZ adapts a value table to plotter.GridXYZ: columns and rows at
// integer positions, z[col][row].
type gridZ [][]float64

func (g gridZ) Dims() (c, r int)   { return len(g), len(g[0]) }
func (g gridZ) Z(c, r int) float64 { return g[c][r] }
func (g gridZ) X(c int) float64    { return float64(c) }
func (g gridZ) Y(r int) float64    { return float64(r) }

// heatPanel is one heat map with its colour bar.
type heatPanel struct {
	title          string
	xlabel, ylabel string
	xticks, yticks []string
	z              gridZ
	cm             palette.ColorMap // Min and Max set
	cellText       func(v float64) string
	barLabel       string
	bestX, bestY   int // -1: no best cell in this panel
	rotateX        bool
	barTicks       plot.Ticker           // nil: trimmed default ticks
	rawText        func(i, j int) string // overrides cellText
	bar            palette.ColorMap      // the colour bar's map, nil: cm
}

func (h *heatPanel) draw(dc draw.Canvas) {
	barW := vg.Length(1.05) * vg.Inch
	heatC := draw.Crop(dc, 0, -barW, 0, 0)
	barC := draw.Crop(dc, dc.Size().X-barW+vg.Points(10), 0, 0, 0)

	p := newPlot(h.title, h.xlabel, h.ylabel)
	hm := plotter.NewHeatMap(h.z, sampled(h.cm, 255))
	hm.Min, hm.Max = h.cm.Min(), h.cm.Max()
	hm.NaN = color.Gray{225}
	p.Add(hm)
	var xs, ys []float64
	var ts []string
	var styles []text.Style
	cols, rows := h.z.Dims()
	for i := range cols {
		for j := range rows {
			v := h.z[i][j]
			if math.IsNaN(v) {
				continue
			}
			label := ""
			if h.rawText != nil {
				label = h.rawText(i, j)
			} else {
				label = h.cellText(v)
			}
			xs, ys, ts = append(xs, float64(i)), append(ys, float64(j)), append(ts, label)
			c, err := h.cm.At(math.Max(h.cm.Min(), math.Min(h.cm.Max(), v)))
			if err != nil {
				c = color.White
			}
			styles = append(styles, textStyle(cellSize, textOn(c)))
		}
	}
	p.Add(newLabels(xs, ys, ts, func(i int) text.Style { return styles[i] }))
	if h.bestX >= 0 {
		x, y := float64(h.bestX), float64(h.bestY)
		sq := plotter.XYs{{X: x - 0.46, Y: y - 0.46}, {X: x + 0.46, Y: y - 0.46}, {X: x + 0.46, Y: y + 0.46}, {X: x - 0.46, Y: y + 0.46}, {X: x - 0.46, Y: y - 0.46}}
		outer, _ := plotter.NewLine(sq)
		outer.Color, outer.Width = color.Black, vg.Points(4)
		inner, _ := plotter.NewLine(sq)
		inner.Color, inner.Width = color.White, vg.Points(1.5)
		p.Add(outer, inner)
	}
	p.X.Tick.Marker = indexTicks(h.xticks)
	p.Y.Tick.Marker = indexTicks(h.yticks)
	if h.rotateX {
		p.X.Tick.Label.Rotation = math.Pi / 4
		p.X.Tick.Label.XAlign = draw.XRight
		p.X.Tick.Label.YAlign = draw.YCenter
	}
	p.X.Padding, p.Y.Padding = 0, 0
	p.Draw(heatC)

	// The colour bar spans the heat map's data area.
	data := p.DataCanvas(heatC)
	barC.Min.Y, barC.Max.Y = data.Min.Y, data.Max.Y
	b := newPlot("", "", h.barLabel)
	b.HideX()
	bar := h.bar
	if bar == nil {
		bar = h.cm
	}
	b.Add(&plotter.ColorBar{ColorMap: bar, Vertical: true})
	b.Y.Padding = 0
	b.Y.Label.TextStyle.Font = font.From(sans, tickSize)
	b.Y.Tick.Marker = trimTicks{}
	if h.barTicks != nil {
		b.Y.Tick.Marker = h.barTicks
	}
	b.Draw(barC)
}

// uniq returns the sorted distinct values of f over cells.
func uniq(cells []bench.GridCell, f func(bench.GridCell) float64) []float64 {
	var vs []float64
	for _, c := range cells {
		v := f(c)
		if !slices.Contains(vs, v) {
			vs = append(vs, v)
		}
	}
	sort.Float64s(vs)
	return vs
}

func labelsOf(vs []float64) []string {
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = num(v)
	}
	return out
}

// accuracyMap returns the sequential colour map for accuracies in percent
// over [lo, hi].
func accuracyMap(lo, hi float64) palette.ColorMap {
	cm := moreland.BlackBody()
	if hi <= lo {
		lo, hi = lo-1, hi+1
	}
	cm.SetMax(hi)
	cm.SetMin(lo)
	return cm
}

func nanGrid(nx, ny int) gridZ {
	z := make(gridZ, nx)
	for i := range z {
		z[i] = make([]float64, ny)
		for j := range z[i] {
			z[i][j] = math.NaN()
		}
	}
	return z
}

// GridFigure draws a grid search: for a sigmoid grid the CV accuracy over
// α × c for each C with the best cell outlined, and the PSD map beside
// it; for an RBF grid the CV accuracy over γ × C; for a linear grid the CV
// accuracy against C. It returns nil for a grid it cannot draw (no cells,
// or a kernel with more parameters than two axes show).
func GridFigure(g *Grid) *Figure {
	if len(g.Cells) == 0 {
		return nil
	}
	switch g.Kernel {
	case "sigmoid":
		return sigmoidGridFigure(g)
	case "rbf":
		return rbfGridFigure(g)
	case "linear":
		return linearGridFigure(g)
	}
	return nil
}

func accRange(cells []bench.GridCell) (lo, hi float64) {
	lo, hi = math.Inf(1), math.Inf(-1)
	for _, c := range cells {
		lo, hi = math.Min(lo, 100*c.CVAccuracy), math.Max(hi, 100*c.CVAccuracy)
	}
	return lo, hi
}

func pctText(v float64) string { return strconv.FormatFloat(v, 'f', 1, 64) }

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

// tiledPanels lays panels out in rows of up to three (four as 2×2) under
// a title.
func tiledPanels(name, title string, panels []*heatPanel) *Figure {
	cols := min(3, len(panels))
	if len(panels) == 4 {
		cols = 2 // 2×2 rather than 3 + 1
	}
	rows := (len(panels) + cols - 1) / cols
	pw, ph := 4.9*vg.Inch, 4.0*vg.Inch
	if cols == 1 {
		pw = 7 * vg.Inch // room for the figure title
	}
	head := vg.Points(30)
	f := &Figure{Name: name, Width: vg.Length(cols) * pw, Height: vg.Length(rows)*ph + head}
	f.draw = func(dc draw.Canvas) {
		sty := textStyle(titleSize+1, color.Black)
		sty.YAlign = draw.YTop
		dc.FillText(sty, vg.Point{X: (dc.Min.X + dc.Max.X) / 2, Y: dc.Max.Y - vg.Points(6)}, title)
		body := draw.Crop(dc, 0, 0, 0, -head)
		tiles := draw.Tiles{Cols: cols, Rows: rows, PadX: vg.Points(18), PadY: vg.Points(14), PadLeft: vg.Points(6), PadRight: vg.Points(6), PadBottom: vg.Points(4)}
		for i, p := range panels {
			p.draw(tiles.At(body, i%cols, i/cols))
		}
	}
	return f
}

func linearGridFigure(g *Grid) *Figure {
	cells := slices.Clone(g.Cells)
	sort.SliceStable(cells, func(i, j int) bool { return cells[i].C < cells[j].C })
	best := g.Cells[g.BestCell()]
	p := newPlot(fmt.Sprintf("Linear kernel on %s features: %d-fold CV accuracy against C", g.Features, best.Folds), "C (box constraint, log scale)", "CV accuracy (%)")
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
	p.X.Scale = plot.LogScale{}
	Cs := make([]float64, len(cells))
	for i, c := range cells {
		Cs[i] = c.C
	}
	p.X.Tick.Marker = fixedTicks(Cs, num)
	p.X.Min, p.X.Max = Cs[0]/1.5, Cs[len(Cs)-1]*1.5
	return &Figure{
		Name:    "grid-" + g.Kernel + "-" + g.Features,
		Caption: fmt.Sprintf("Cross-validated accuracy of the linear kernel on %s features against C; the best cell (C=%s) is ringed.", g.Features, num(best.C)),
		Width:   8.5 * vg.Inch, Height: 4.5 * vg.Inch,
		draw: withLegend(p, 1.6*vg.Inch),
	}
}

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
	series := map[key][]bench.ScalingPoint{}
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

// CNNFigure draws training loss and test accuracy per epoch for each CNN
// variant, side by side; nil without CNN runs.
func CNNFigure(in *Inputs) *Figure {
	if len(in.CNN) == 0 {
		return nil
	}
	loss := newPlot("Training loss", "epoch", "mean cross-entropy loss (nats)")
	acc := newPlot("Test accuracy", "epoch", "test accuracy (%)")
	maxEp := 0
	for i, r := range in.CNN {
		var lxy, axy plotter.XYs
		for _, e := range r.Epochs {
			lxy = append(lxy, plotter.XY{X: float64(e.Epoch), Y: e.TrainLoss})
			axy = append(axy, plotter.XY{X: float64(e.Epoch), Y: 100 * e.TestAccuracy})
			maxEp = max(maxEp, e.Epoch)
		}
		if len(lxy) == 0 {
			continue
		}
		for _, pl := range []struct {
			p   *plot.Plot
			xys plotter.XYs
		}{{loss, lxy}, {acc, axy}} {
			l, s, _ := plotter.NewLinePoints(pl.xys)
			l.Color, s.Color, l.Width, s.Radius = seriesColor(i), seriesColor(i), vg.Points(2), vg.Points(3.5)
			s.Shape = draw.CircleGlyph{}
			pl.p.Add(l, s)
			if pl.p == acc {
				pl.p.Legend.Add(r.Variant+" variant", l, s)
			}
		}
	}
	if maxEp == 0 {
		return nil
	}
	eps := make([]float64, maxEp)
	for i := range eps {
		eps[i] = float64(i + 1)
	}
	step := max(1, maxEp/10)
	for _, p := range []*plot.Plot{loss, acc} {
		var ticks []float64
		for i := 0; i < maxEp; i += step {
			ticks = append(ticks, eps[i])
		}
		p.X.Tick.Marker = fixedTicks(ticks, func(v float64) string { return strconv.Itoa(int(v)) })
		p.X.Min, p.X.Max = 0.7, float64(maxEp)+0.3
	}
	acc.Y.Min = 0
	// The loss axis is not pinned at 0: a loss moving from 2.30 to 2.15 must show.
	loss.Y.Tick.Marker = trimTicks{}
	f := &Figure{
		Name:    "cnn-epochs",
		Caption: "The CNN, epoch by epoch: mean training loss (left) and accuracy on the test split (right), for each variant.",
		Width:   11 * vg.Inch, Height: 4.2 * vg.Inch,
	}
	legW := 1.4 * vg.Inch
	f.draw = func(dc draw.Canvas) {
		t := draw.Tiles{Cols: 2, Rows: 1, PadX: vg.Points(24), PadLeft: vg.Points(4), PadRight: vg.Points(8), PadTop: vg.Points(4), PadBottom: vg.Points(4)}
		body := draw.Crop(dc, 0, -legW, 0, 0)
		loss.Draw(t.At(body, 0, 0))
		right := t.At(body, 1, 0)
		right.Max.X = dc.Max.X
		withLegend(acc, legW)(right)
	}
	return f
}

// ConfusionFigures draws one confusion matrix per model × features of
// the results, plus those of CNN runs that no results record covers.
func ConfusionFigures(in *Inputs) []*Figure {
	var fs []*Figure
	seen := map[string]bool{}
	for _, m := range in.Models {
		if len(m.Confusion) == 0 {
			continue
		}
		name := "confusion-" + m.Model + "-" + m.Features
		if seen[name] {
			continue
		}
		seen[name] = true
		fs = append(fs, confusionFigure(name, fmt.Sprintf("%s on %s features: %.1f%% test accuracy", m.Model, m.Features, 100*m.Accuracy), m.Classes, m.Confusion))
	}
	for _, r := range in.CNN {
		if len(r.Confusion) == 0 {
			continue
		}
		covered := false
		for _, m := range in.Models {
			if m.Model == "cnn-"+r.Variant {
				covered = true
			}
		}
		if covered {
			continue
		}
		acc := 0.0
		if n := len(r.Epochs); n > 0 {
			acc = r.Epochs[n-1].TestAccuracy
		}
		fs = append(fs, confusionFigure("confusion-cnn-"+r.Variant, fmt.Sprintf("CNN %s variant, last epoch: %.1f%% test accuracy", r.Variant, 100*acc), r.Classes, r.Confusion))
	}
	return fs
}

func confusionFigure(name, title string, classes []string, conf [][]int) *Figure {
	k := len(conf)
	if len(classes) != k {
		classes = make([]string, k)
		for i := range classes {
			classes[i] = strconv.Itoa(i)
		}
	}
	// Row-normalised: the share of each true class predicted as each
	// class. Row 0 (the first class) is drawn at the top.
	z := nanGrid(k, k)
	for t, row := range conf {
		sum := 0
		for _, v := range row {
			sum += v
		}
		for p, v := range row {
			if sum > 0 {
				z[p][k-1-t] = 100 * float64(v) / float64(sum)
			}
		}
	}
	bb := moreland.BlackBody()
	bb.SetMax(100)
	bb.SetMin(0)
	cm := palette.Reverse(bb)
	yl := make([]string, k)
	for i := range yl {
		yl[i] = classes[k-1-i]
	}
	h := &heatPanel{
		title: title, xlabel: "predicted class", ylabel: "true class",
		xticks: classes, yticks: yl, z: z, cm: cm,
		cellText: func(v float64) string {
			if v < 0.5 {
				return ""
			}
			return strconv.FormatFloat(v, 'f', 0, 64)
		},
		barLabel: "share of the true class (%)", bestX: -1, bestY: -1,
	}
	f := &Figure{
		Name:    name,
		Caption: "Confusion matrix of " + strings.SplitN(title, ":", 2)[0] + ": each row is a true class, each cell the percentage of that class's test images predicted as the column's class.",
		Width:   7.2 * vg.Inch, Height: 6 * vg.Inch,
	}
	h.rotateX = true
	f.draw = h.draw
	return f
}

const psdTitle = "PSD map: λmin of the Gram (red: not PSD)"

// psdPanel draws λ_min over α × c. Its colour scale is linear on each side
// of zero separately (negative values over [λneg, 0], positive over
// [0, λpos]) so that the sign, which decides convexity, shows at a glance
// even when one side's values are orders of magnitude smaller.
func psdPanel(g *Grid, alphas, coefs []float64, best bench.GridCell) *heatPanel {
	z := nanGrid(len(alphas), len(coefs))
	have := false
	neg, pos := 0.0, 0.0
	for _, c := range g.Cells {
		if c.MinEigen != nil {
			v := *c.MinEigen
			neg, pos = math.Min(neg, v), math.Max(pos, v)
			have = true
		}
	}
	if !have {
		return nil
	}
	scale := func(v float64) float64 {
		switch {
		case v < 0:
			return v / -neg
		case v > 0:
			return v / pos
		}
		return 0
	}
	for _, c := range g.Cells {
		if c.MinEigen != nil {
			z[slices.Index(alphas, c.Alpha)][slices.Index(coefs, c.Coef0)] = scale(*c.MinEigen)
		}
	}
	// Cell text shows λ itself, so keep the raw values beside.
	rawZ := nanGrid(len(alphas), len(coefs))
	for _, c := range g.Cells {
		if c.MinEigen != nil {
			rawZ[slices.Index(alphas, c.Alpha)][slices.Index(coefs, c.Coef0)] = *c.MinEigen
		}
	}
	// The diverging map spans [-1, 1]; the colour bar shows only the side
	// (or sides) the data occupy.
	cm := moreland.SmoothBlueRed()
	cm.SetMax(1)
	cm.SetMin(-1)
	bar := palette.Reverse(cm)
	ticks := plot.ConstantTicks{{Value: 0, Label: "0"}}
	if neg < 0 {
		ticks = append(ticks, plot.Tick{Value: -1, Label: sig3(neg)}, plot.Tick{Value: -0.5, Label: sig3(neg / 2)})
	}
	if pos > 0 {
		ticks = append(ticks, plot.Tick{Value: 1, Label: sig3(pos)}, plot.Tick{Value: 0.5, Label: sig3(pos / 2)})
	}
	switch {
	case neg == 0:
		bar = &subMap{bar, 0, 1}
	case pos == 0:
		bar = &subMap{bar, -1, 0}
	}
	p := &heatPanel{
		title:  psdTitle,
		xlabel: "α (kernel slope)", ylabel: "c (kernel offset)",
		xticks: labelsOf(alphas), yticks: labelsOf(coefs),
		z: z, cm: palette.Reverse(cm), bar: bar,
		barLabel: "smallest eigenvalue λmin", barTicks: ticks,
		bestX: slices.Index(alphas, best.Alpha), bestY: slices.Index(coefs, best.Coef0),
	}
	p.cellText = nil
	p.rawText = func(i, j int) string { return sig3(rawZ[i][j]) }
	return p
}

// withLegend draws p with its legend outside the data area, in a column
// w wide on the right.
func withLegend(p *plot.Plot, w vg.Length) func(dc draw.Canvas) {
	return func(dc draw.Canvas) {
		leg := p.Legend
		p.Legend = plot.NewLegend()
		defer func() { p.Legend = leg }()
		p.Draw(draw.Crop(dc, 0, -w, 0, 0))
		lc := draw.Crop(dc, dc.Size().X-w+vg.Points(8), 0, 0, 0)
		data := p.DataCanvas(draw.Crop(dc, 0, -w, 0, 0))
		lc.Max.Y = data.Max.Y
		l := leg
		l.Top, l.Left = true, true
		l.Draw(lc)
	}
}

// stepTicks labels multiples of step.
type stepTicks float64

func (s stepTicks) Ticks(min, max float64) []plot.Tick {
	var t []plot.Tick
	for v := math.Ceil(min/float64(s)) * float64(s); v <= max+1e-9; v += float64(s) {
		t = append(t, plot.Tick{Value: v, Label: strconv.FormatFloat(v, 'f', -1, 64)})
	}
	return t
}

// trimTicks are gonum/plot's default ticks with labels in the shortest
// form ("42.5", not "42.50").
type trimTicks struct{}

func (trimTicks) Ticks(min, max float64) []plot.Tick {
	ts := plot.DefaultTicks{}.Ticks(min, max)
	for i := range ts {
		if ts[i].Label != "" {
			ts[i].Label = strconv.FormatFloat(ts[i].Value, 'g', 6, 64)
		}
	}
	return ts
}

// sig3 writes v with three significant digits: -122, -0.0214, 6.1e-05.
func sig3(v float64) string { return strconv.FormatFloat(v, 'g', 3, 64) }

// subMap is the part [min, max] of a colour map, for a colour bar that
// shows only the range the data occupy.
type subMap struct {
	palette.ColorMap
	min, max float64
}

func (s *subMap) Min() float64 { return s.min }
func (s *subMap) Max() float64 { return s.max }

// sampled returns n colours of cm from its Min to its Max. (gonum/plot's
// palette.Reverse drops the middle colour of an odd-sized Palette, which
// left the cells at the middle of the range unfilled.)
func sampled(cm palette.ColorMap, n int) palette.Palette {
	cs := make(colors, n)
	for i := range cs {
		v := cm.Min() + (cm.Max()-cm.Min())*float64(i)/float64(n-1)
		c, err := cm.At(math.Max(cm.Min(), math.Min(cm.Max(), v)))
		if err != nil {
			c = color.Gray{200}
		}
		cs[i] = c
	}
	return cs
}

type colors []color.Color

func (c colors) Colors() []color.Color { return c }
