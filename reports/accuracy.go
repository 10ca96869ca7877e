package reports

import (
	"fmt"
	"math"
	"strconv"

	"gonum.org/v1/plot/vg"

	"github.com/svmbench/svmbench/results"
)

// AccuracyFigure is the test accuracy of each model × features as bars,
// grouped by model (SVM kernels beside the CNN variants): with trials the
// main table's rows (the mean over repeats at its n, a model trained on
// another n labelled with it), so that figure and table show the same
// numbers; else the models × features table's.
func AccuracyFigure(in *Inputs) *Figure {
	ms, caption := in.Models, "Test accuracy of each model on each feature set (percent of the test images classified correctly; the models × features table)."
	if gs := mainGroups(in); len(gs) > 0 {
		ms = mainAccuracies(in, gs)
		caption = fmt.Sprintf("Test accuracy of each model on each feature set: the mean over repeats at n = %d (a model trained on another n says so), as in the first table, which gives the intervals (percent of the test images classified correctly).", gs[0].at)
	}
	p := newPlot("Test accuracy by model and feature set", "model", "test accuracy (%)")
	groupedBars(p, ms, func(m results.ModelResult) float64 { return 100 * m.Accuracy }, func(v float64) string { return strconv.FormatFloat(v, 'f', 1, 64) }, false)
	if k := len(classNames(in)); k > 1 {
		chanceLine(p, 100/float64(k), fmt.Sprintf("chance (%.0f%%)", 100/float64(k)))
	}
	p.Y.Max = math.Min(100, math.Max(p.Y.Max, 15))
	p.Y.Tick.Marker = stepTicks(10)
	p.Y.Padding, p.X.Padding = 0, 0
	return &Figure{
		Name:    "accuracy",
		Caption: caption,
		Width:   9 * vg.Inch, Height: 4.5 * vg.Inch,
		draw: withLegend(p, 1.7*vg.Inch),
	}
}

// mainAccuracies are the accuracies of the main table's rows (RepeatsTable):
// the groups gs, then the CNNs scored once.
func mainAccuracies(in *Inputs, gs []*trialGroup) []results.ModelResult {
	var ms []results.ModelResult
	for _, g := range gs {
		ms = append(ms, results.ModelResult{Model: g.name(), Features: g.Features, Accuracy: g.repeatInterval().Est})
	}
	for _, m := range unrepeatedCNNs(in, gs) {
		n, k := confusionCounts(m.Confusion)
		if in.Manifest != nil {
			m.Model += nNote(in.Manifest.TrainN, gs[0].at)
		}
		m.Accuracy = float64(k) / float64(n)
		ms = append(ms, m)
	}
	return ms
}
