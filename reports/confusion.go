package reports

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/svmbench/svmbench/results"
	"gonum.org/v1/plot/palette"
	"gonum.org/v1/plot/palette/moreland"
	"gonum.org/v1/plot/vg"
)

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
			if m.Model == results.CNNModel(r.Variant) {
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
