package reports

import (
	"gonum.org/v1/plot/vg"

	"github.com/svmbench/svmbench/results"
)

// TrainTimeFigure is the training time of each model × features as bars.
func TrainTimeFigure(in *Inputs) *Figure {
	p := newPlot("Training time by model and feature set", "model", "training time (s, log scale)")
	groupedBars(p, in.Models, func(m results.ModelResult) float64 { return m.TrainSeconds }, secs, true)
	p.Y.Padding, p.X.Padding = 0, 0
	return &Figure{
		Name:    "train-time",
		Caption: "Wall-clock training time of each model on each feature set, in seconds on a log axis (bars start at a power of ten below the fastest; feature extraction excluded).",
		Width:   9 * vg.Inch, Height: 4.5 * vg.Inch,
		draw: withLegend(p, 1.7*vg.Inch),
	}
}
