package reports

import (
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"

	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/svmbench/svmbench/results"
	"github.com/svmbench/svmbench/stats"
)

// noiseRow is one model at one noise level, with its clean counterpart
// (the learning curve's trials at the same n on pixels).
type noiseRow struct {
	study, model string
	level        float64
	g, clean     *trialGroup
	rel          stats.Interval // accuracy relative to clean, bootstrap over images
}

// noiseRows returns the rows of one study, by model then level, level 0
// first (the clean trials); nil without that study or its clean trials.
func noiseRows(in *Inputs, study string) []noiseRow {
	gs := groupTrials(in.Trials, study)
	if len(gs) == 0 {
		return nil
	}
	clean := map[string]*trialGroup{}
	for _, g := range groupTrials(in.Trials, results.StudyCurve) {
		if g.Features == "pixels" && g.N == gs[0].N {
			clean[g.Model] = g
		}
	}
	var models []string
	for _, g := range gs {
		if !slices.Contains(models, g.Model) && clean[g.Model] != nil {
			models = append(models, g.Model)
		}
	}
	rng := bootRNG()
	var rows []noiseRow
	for _, m := range models {
		c := clean[m]
		rows = append(rows, noiseRow{study: study, model: m, g: c, clean: c, rel: stats.Interval{Est: 1, Lo: 1, Hi: 1, Level: confidence}})
		var mine []*trialGroup
		for _, g := range gs {
			if g.Model == m {
				mine = append(mine, g)
			}
		}
		sort.Slice(mine, func(i, j int) bool { return mine[i].Noise < mine[j].Noise })
		for _, g := range mine {
			rel := stats.Bootstrap(len(g.correct[0]), bootReps, confidence, rng, func(idx []int) float64 {
				return g.meanOver(idx) / c.meanOver(idx)
			})
			rows = append(rows, noiseRow{study: study, model: m, level: g.Noise, g: g, clean: c, rel: rel})
		}
	}
	return rows
}

func noiseLevelName(study string) string {
	if study == results.StudyLabels {
		return "labels flipped (%)"
	}
	return "pixel noise σ (on [0, 1])"
}

func levelText(study string, v float64) string {
	if study == results.StudyLabels {
		return strconv.FormatFloat(100*v, 'f', -1, 64)
	}
	return strconv.FormatFloat(v, 'f', -1, 64)
}

// NoiseTable is the noise studies: each SVM's accuracy as training labels
// are flipped and as the pixels get Gaussian noise, and relative to its
// clean accuracy. Nil without noise trials.
func NoiseTable(in *Inputs) *Table {
	var rows []noiseRow
	for _, s := range []string{results.StudyLabels, results.StudyPixels} {
		rows = append(rows, noiseRows(in, s)...)
	}
	if len(rows) == 0 {
		return nil
	}
	t := &Table{
		Name:      "noise",
		Title:     fmt.Sprintf("Noise: accuracy with flipped training labels and noisy pixels (n = %d, pixels)", rows[0].g.N),
		Header:    []string{"Noise", "Level", "Model", "Accuracy (%)", "95% interval", "Relative to clean (%)", "95% interval (relative)"},
		CSVHeader: []string{"study", "level", "model", "accuracy", "interval", "relative", "interval_relative"},
		Right:     []bool{false, true, false, true, true, true, true},
		Note: fmt.Sprintf("Labels: each training label replaced by another class with the stated probability; pixels: Gaussian noise of σ (on the [0, 1] scale) added to every training and test pixel, clipped. Level 0 is the learning curve's clean trial at the same n. Intervals: Student t over repeats (Wilson's with one repeat); the relative accuracy (noisy / clean) is a percentile bootstrap over the %d test images (%d resamples).",
			len(rows[0].g.correct[0]), bootReps),
	}
	for _, r := range rows {
		iv := r.g.repeatInterval()
		study := "labels %"
		if r.study == results.StudyPixels {
			study = "pixels σ"
		}
		t.Rows = append(t.Rows, []Cell{txt(study), {Text: levelText(r.study, r.level), CSV: raw(r.level)}, txt(r.model),
			{Text: pct(iv.Est), CSV: raw(iv.Est)}, {Text: ivText(iv), CSV: ivCSV(iv)},
			{Text: pct(r.rel.Est), CSV: raw(r.rel.Est)}, {Text: ivText(r.rel), CSV: ivCSV(r.rel)}})
	}
	return t
}

// NoiseFigures draws, per study, each SVM's accuracy relative to its
// clean accuracy against the noise level, with 95% bands.
func NoiseFigures(in *Inputs) []*Figure {
	var fs []*Figure
	for _, study := range []string{results.StudyLabels, results.StudyPixels} {
		rows := noiseRows(in, study)
		if len(rows) == 0 {
			continue
		}
		title := "Label noise: accuracy relative to clean"
		if study == results.StudyPixels {
			title = "Pixel noise: accuracy relative to clean"
		}
		p := newPlot(title, noiseLevelName(study), "accuracy relative to clean (%)")
		var models []string
		for _, r := range rows {
			if !slices.Contains(models, r.model) {
				models = append(models, r.model)
			}
		}
		for i, m := range models {
			var xs, lo, hi []float64
			var xys plotter.XYs
			for _, r := range rows {
				if r.model == m {
					x := r.level
					if study == results.StudyLabels {
						x *= 100
					}
					xs, lo, hi = append(xs, x), append(lo, r.rel.Lo), append(hi, r.rel.Hi)
					xys = append(xys, plotter.XY{X: x, Y: 100 * r.rel.Est})
				}
			}
			l, s, _ := plotter.NewLinePoints(xys)
			l.Color, s.Color, l.Width, s.Radius, s.Shape = seriesColor(i), seriesColor(i), vg.Points(2), vg.Points(3), draw.CircleGlyph{}
			p.Add(band(xs, lo, hi, seriesColor(i)), l, s)
			p.Legend.Add(m, l, s)
		}
		p.Y.Tick.Marker = stepTicks(10)
		name := "noise-" + study
		caption := fmt.Sprintf("Accuracy with noise divided by the same model's clean accuracy (n = %d on pixels, same test images), with 95%% bootstrap bands over the test images. The seed's claim is that the sigmoid kernel keeps performing well on noisy data: its line should stay above the others.", rows[0].g.N)
		fs = append(fs, &Figure{Name: name, Caption: caption, Width: 7.5 * vg.Inch, Height: 4.5 * vg.Inch, draw: withLegend(p, 1.8*vg.Inch)})
	}
	return fs
}

// NoiseVerdict says, per study, whether the sigmoid SVM keeps more of its
// clean accuracy than each other SVM at the highest noise level: the
// difference of relative accuracies with a bootstrap interval over the
// test images. A CNN of the noise studies is compared too but left out of
// the verdict (the seed's claim is about kernels). "" without noise
// trials or without a sigmoid SVM.
func NoiseVerdict(in *Inputs) string {
	var parts []string
	rng := bootRNG()
	for _, study := range []string{results.StudyLabels, results.StudyPixels} {
		rows := noiseRows(in, study)
		top := map[string]noiseRow{}
		for _, r := range rows {
			if cur, ok := top[r.model]; !ok || r.level > cur.level {
				top[r.model] = r
			}
		}
		sig, ok := top["svm-sigmoid"]
		if !ok || sig.level == 0 {
			continue
		}
		var cmp, cnns []string
		better, worse := 0, 0
		for _, r := range rows {
			if r.model == sig.model || r.level != sig.level {
				continue
			}
			d := stats.Bootstrap(len(sig.g.correct[0]), bootReps, confidence, rng, func(idx []int) float64 {
				return sig.g.meanOver(idx)/sig.clean.meanOver(idx) - r.g.meanOver(idx)/r.clean.meanOver(idx)
			})
			if isCNN(r.model) {
				// The claim is about kernels: the CNN is shown, not counted.
				cnns = append(cnns, fmt.Sprintf("the %s CNN keeps %s%% (the sigmoid SVM minus it: %+.1f points %s)", r.model, pct(r.rel.Est), 100*d.Est, ivText(d)))
				continue
			}
			word := "no significant difference from"
			switch {
			case d.Lo > 0:
				word, better = "more robust than", better+1
			case d.Hi < 0:
				word, worse = "less robust than", worse+1
			}
			cmp = append(cmp, fmt.Sprintf("%s %s (relative accuracy %s against %s points, difference %+.1f %s)",
				word, r.model, pct(sig.rel.Est), pct(r.rel.Est), 100*d.Est, ivText(d)))
		}
		verdict := "not shown"
		switch {
		case worse > 0:
			verdict = "refuted"
		case better > 0 && better == len(cmp):
			verdict = "supported"
		}
		what := "labels flipped at " + levelText(study, sig.level) + "%"
		if study == results.StudyPixels {
			what = "pixel noise σ = " + levelText(study, sig.level)
		}
		cnnText := ""
		if len(cnns) > 0 {
			cnnText = " Beside it, not in the verdict: " + strings.Join(cnns, "; ") + "."
		}
		parts = append(parts, fmt.Sprintf("With %s the sigmoid SVM keeps %s%% of its clean accuracy: %s. Verdict: %s.%s", what, pct(sig.rel.Est), strings.Join(cmp, "; "), verdict, cnnText))
	}
	if len(parts) == 0 {
		return ""
	}
	return "The seed's claim that the sigmoid kernel \"is robust and keeps performing well when the data is noisy\", tested at the highest noise level (95% bootstrap intervals over the test images; a difference counts when its interval excludes 0). " + strings.Join(parts, " ")
}
