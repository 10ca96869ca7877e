package reports

import (
	"bytes"
	"fmt"
	"image/color"
	"io"
	"math"
	"strconv"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
	"gonum.org/v1/plot/vg/vgsvg"
)

// Figure is one figure of the report, drawable as PNG and SVG.
type Figure struct {
	// Name is the file stem: "accuracy", "grid-sigmoid-pixels".
	Name string
	// Caption is the sentence shown under the figure in the report.
	Caption string
	// Width and Height are the figure's size.
	Width, Height vg.Length
	draw          func(dc draw.Canvas)
}

// DPI is the resolution of the PNG figures.
const DPI = 120

// WritePNG draws the figure as a PNG image at DPI dots per inch.
func (f *Figure) WritePNG(w io.Writer) error {
	c := vgimg.NewWith(vgimg.UseWH(f.Width, f.Height), vgimg.UseDPI(DPI), vgimg.UseBackgroundColor(color.White))
	if err := f.drawOn(c); err != nil {
		return err
	}
	_, err := vgimg.PngCanvas{Canvas: c}.WriteTo(w)
	return err
}

// WriteSVG draws the figure as an SVG document.
func (f *Figure) WriteSVG(w io.Writer) error {
	c := vgsvg.New(f.Width, f.Height)
	if err := f.drawOn(c); err != nil {
		return err
	}
	_, err := c.WriteTo(w)
	return err
}

// drawOn draws the figure, turning a panic inside gonum/plot (it panics
// on some degenerate inputs) into an error naming the figure.
func (f *Figure) drawOn(c vg.CanvasSizer) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("reports: drawing figure %s: %v", f.Name, r)
		}
	}()
	dc := draw.New(c)
	// A white background for SVG as well, so dark themes show the figure.
	dc.SetColor(color.White)
	dc.Fill(dc.Rectangle.Path())
	f.draw(dc)
	return nil
}

// png renders the figure to PNG bytes.
func (f *Figure) png() ([]byte, error) {
	var b bytes.Buffer
	err := f.WritePNG(&b)
	return b.Bytes(), err
}

// Fonts and sizes: a sans-serif face, large enough to read at the written
// size (DPI), in the fonts embedded in gonum/plot (nothing to install).
var sans = font.Font{Typeface: "Liberation", Variant: "Sans"}

const (
	titleSize  = 13
	labelSize  = 12
	tickSize   = 10.5
	legendSize = 10.5
	cellSize   = 9.5
)

// newPlot makes a plot with the report's fonts, title and axis labels.
func newPlot(title, xlabel, ylabel string) *plot.Plot {
	p := plot.New()
	p.Title.Text = title
	p.Title.TextStyle.Font = font.From(sans, titleSize)
	p.Title.Padding = vg.Points(6)
	p.X.Label.Text = xlabel
	p.Y.Label.Text = ylabel
	for _, a := range []*plot.Axis{&p.X, &p.Y} {
		a.Label.TextStyle.Font = font.From(sans, labelSize)
		a.Tick.Label.Font = font.From(sans, tickSize)
	}
	p.Legend.TextStyle.Font = font.From(sans, legendSize)
	p.Legend.ThumbnailWidth = vg.Points(20)
	return p
}

// textStyle is the style of in-plot labels, centred on their point.
func textStyle(size float64, c color.Color) text.Style {
	return text.Style{
		Font:    font.From(sans, vg.Length(size)),
		Color:   c,
		XAlign:  draw.XCenter,
		YAlign:  draw.YCenter,
		Handler: plot.DefaultTextHandler,
	}
}

// newLabels places texts at (xs[i], ys[i]) in the styles style(i).
func newLabels(xs, ys []float64, texts []string, style func(i int) text.Style) *plotter.Labels {
	l := &plotter.Labels{XYs: make(plotter.XYs, len(xs)), Labels: texts, TextStyle: make([]text.Style, len(xs))}
	for i := range xs {
		l.XYs[i] = plotter.XY{X: xs[i], Y: ys[i]}
		l.TextStyle[i] = style(i)
	}
	return l
}

// series colours: a qualitative palette that stays apart in grey scale
// and for colour-blind readers (Okabe–Ito).
var seriesColors = []color.Color{
	color.RGBA{0, 114, 178, 255},   // blue
	color.RGBA{230, 159, 0, 255},   // orange
	color.RGBA{0, 158, 115, 255},   // green
	color.RGBA{204, 121, 167, 255}, // purple
	color.RGBA{213, 94, 0, 255},    // vermillion
	color.RGBA{86, 180, 233, 255},  // sky blue
	color.RGBA{120, 120, 120, 255}, // grey
	color.RGBA{240, 228, 66, 255},  // yellow
}

func seriesColor(i int) color.Color { return seriesColors[i%len(seriesColors)] }

// luminance is the relative luminance of c in [0, 1], to choose black or
// white text on a coloured cell.
func luminance(c color.Color) float64 {
	r, g, b, _ := c.RGBA()
	return (0.2126*float64(r) + 0.7152*float64(g) + 0.0722*float64(b)) / 0xffff
}

func textOn(c color.Color) color.Color {
	if luminance(c) < 0.45 {
		return color.White
	}
	return color.Black
}

// logTicks125 labels a log axis at 1, 2 and 5 times powers of ten, so
// that a range inside one decade still gets labelled ticks.
type logTicks125 struct{}

func (logTicks125) Ticks(min, max float64) []plot.Tick {
	if min <= 0 || max <= 0 || min > max {
		return nil
	}
	var ticks []plot.Tick
	for e := math.Floor(math.Log10(min)) - 1; e <= math.Ceil(math.Log10(max)); e++ {
		base := math.Pow(10, e)
		for _, m := range []float64{1, 2, 5} {
			v := m * base
			if v < min*(1-1e-9) || v > max*(1+1e-9) {
				continue
			}
			ticks = append(ticks, plot.Tick{Value: v, Label: strconv.FormatFloat(v, 'g', -1, 64)})
		}
	}
	if len(ticks) < 2 {
		// Add minor ticks 1..9 without labels, and the ends labelled.
		ticks = append(ticks, plot.Tick{Value: min, Label: strconv.FormatFloat(min, 'g', 2, 64)},
			plot.Tick{Value: max, Label: strconv.FormatFloat(max, 'g', 2, 64)})
	}
	return ticks
}

// fixedTicks labels exactly the given values.
func fixedTicks(vals []float64, label func(float64) string) plot.ConstantTicks {
	t := make(plot.ConstantTicks, len(vals))
	for i, v := range vals {
		t[i] = plot.Tick{Value: v, Label: label(v)}
	}
	return t
}

// indexTicks labels positions 0..len(labels)-1.
func indexTicks(labels []string) plot.ConstantTicks {
	t := make(plot.ConstantTicks, len(labels))
	for i, l := range labels {
		t[i] = plot.Tick{Value: float64(i), Label: l}
	}
	return t
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
