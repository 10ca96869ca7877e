package reports

import (
	"strconv"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

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
	acc.Y.Tick.Marker = stepTicks(10)
	// The loss axis is not pinned at 0: a loss moving from 2.30 to 2.15 must show.
	loss.Y.Tick.Marker = trimTicks{}
	f := &Figure{
		Name:    "cnn-epochs",
		Caption: "The CNN, epoch by epoch: mean training loss (left) and accuracy on the test split (right), for each variant.",
		Width:   11 * vg.Inch, Height: 4.2 * vg.Inch,
	}
	legW := 2 * vg.Inch // "sigmoid-loss variant" is cut off at 1.4 inches
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
