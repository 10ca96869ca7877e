package reports

import (
	"image/color"
	"math"
	"slices"
	"sort"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/palette"
	"gonum.org/v1/plot/palette/moreland"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/svmbench/svmbench/results"
)

// gridZ adapts a value table to plotter.GridXYZ: columns and rows at
// integer positions, z[col][row].
type gridZ [][]float64

func (g gridZ) Dims() (c, r int) { return len(g), len(g[0]) }

func (g gridZ) Z(c, r int) float64 { return g[c][r] }

func (g gridZ) X(c int) float64 { return float64(c) }

func (g gridZ) Y(r int) float64 { return float64(r) }

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
	nanText        func(i, j int) string // a label on a cell without a value ("failed"); nil: none
	bar            palette.ColorMap      // the colour bar's map, nil: cm
}

// labelNaN is nanText's label of cell i, j, "" without nanText.
func (h *heatPanel) labelNaN(i, j int) string {
	if h.nanText == nil {
		return ""
	}
	return h.nanText(i, j)
}

func (h *heatPanel) draw(dc draw.Canvas) {
	barW := h.barWidth()
	heatC := draw.Crop(dc, 0, -barW, 0, 0)
	barC := draw.Crop(dc, dc.Size().X-barW+vg.Points(10), 0, 0, 0)

	p := newPlot(h.title, h.xlabel, h.ylabel)
	p.Title.TextStyle = fitWidth(p.Title.TextStyle, h.title, heatC.Size().X)
	hm := plotter.NewHeatMap(h.z, sampled(h.cm, 255))
	hm.Min, hm.Max = h.cm.Min(), h.cm.Max()
	hm.NaN = color.Gray{225}
	p.Add(hm)
	h.axes(p)
	// A cell's text is made to fit its cell (long ones ran together).
	cellW := p.DataCanvas(heatC).Size().X / vg.Length(len(h.z))
	var xs, ys []float64
	var ts []string
	var styles []text.Style
	cols, rows := h.z.Dims()
	for i := range cols {
		for j := range rows {
			v := h.z[i][j]
			if math.IsNaN(v) {
				if l := h.labelNaN(i, j); l != "" {
					xs, ys, ts = append(xs, float64(i)), append(ys, float64(j)), append(ts, l)
					styles = append(styles, fitWidth(textStyle(cellSize, color.Black), l, 0.8*cellW))
				}
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
			styles = append(styles, fitWidth(textStyle(cellSize, textOn(c)), label, 0.8*cellW)) // inside the best cell's outline
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
	b.Y.Label.TextStyle = fitWidth(b.Y.Label.TextStyle, h.barLabel, barC.Size().Y)
	b.Y.Tick.Marker = trimTicks{}
	if h.barTicks != nil {
		b.Y.Tick.Marker = h.barTicks
	}
	b.Draw(barC)
}

// barWidth is the width of the colour bar's column: 1.05 inch, wider when
// its tick labels are longer than an accuracy's (an eigenvalue's
// "-5.84e-09" left the bar no width at all).
func (h *heatPanel) barWidth() vg.Length {
	w := vg.Length(1.05) * vg.Inch
	if h.barTicks == nil {
		return w
	}
	sty := textStyle(tickSize, color.Black)
	for _, t := range h.barTicks.Ticks(h.cm.Min(), h.cm.Max()) {
		w = max(w, sty.Width(t.Label)+vg.Points(58))
	}
	return w
}

// axes sets the heat map's ticks and padding.
func (h *heatPanel) axes(p *plot.Plot) {
	p.X.Tick.Marker = indexTicks(h.xticks)
	p.Y.Tick.Marker = indexTicks(h.yticks)
	if h.rotateX {
		p.X.Tick.Label.Rotation = math.Pi / 4
		p.X.Tick.Label.XAlign = draw.XRight
		p.X.Tick.Label.YAlign = draw.YCenter
	}
	p.X.Padding, p.Y.Padding = 0, 0
}

// fitWidth returns sty with its font made smaller, if need be, for s to
// be at most w wide.
func fitWidth(sty text.Style, s string, w vg.Length) text.Style {
	if tw := sty.Width(s); tw > w && w > 0 {
		sty.Font.Size *= w / tw
	}
	return sty
}

// uniq returns the sorted distinct values of f over cells.
func uniq(cells []results.GridCell, f func(results.GridCell) float64) []float64 {
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

// panel is one tile of a tiled figure (a heat map, a plot).
type panel interface{ draw(dc draw.Canvas) }

// tiledPanels lays panels out in rows of up to three (four as 2×2) under
// a title.
func tiledPanels[P panel](name, title string, panels []P) *Figure {
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
		sty := fitWidth(textStyle(titleSize+1, color.Black), title, dc.Max.X-dc.Min.X-vg.Points(24)) // a search's title is long
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
