package reports

import (
	"math"
	"strconv"

	"gonum.org/v1/plot"
)

// stepTicks labels multiples of step, or of a finer step (step/2, /5,
// /10, ...) when the range holds fewer than three multiples of step: the
// pixel-noise figure of the full profile (relative accuracy 84–104) was
// left with the single label 100.
type stepTicks float64

func (s stepTicks) Ticks(min, max float64) []plot.Tick {
	step := float64(s)
	for k := 0; k < 9 && math.Floor(max/step+1e-9)-math.Ceil(min/step-1e-9) < 2; k++ {
		step /= [...]float64{2, 2.5, 2}[k%3]
	}
	var t []plot.Tick
	for v := math.Ceil(min/step-1e-9) * step; v <= max+1e-9; v += step {
		if v == 0 {
			v = 0 // not -0: Ceil of a hair below 0
		}
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

// niceTicks labels the multiples of a step of 1, 2 or 5 × 10^k, the
// finest that leaves at most 8 labels on the range, with unlabelled minor
// ticks at a fifth of the step (a half for 2 × 10^k). For a count axis
// (integer) the step is at least 1 and minor ticks fall on whole numbers
// only. gonum/plot's default ticks aim at about three labels: the search
// figure's cells axis read 0, 2.50, 5.00 on a 5-cell axis.
type niceTicks struct{ integer bool }

func (t niceTicks) Ticks(min, max float64) []plot.Tick {
	if !(max > min) || math.IsInf(max-min, 0) { // one point, or no range
		return []plot.Tick{{Value: min, Label: strconv.FormatFloat(min, 'g', 10, 64)}}
	}
	count := func(step float64) float64 {
		return math.Floor(max/step+1e-9) - math.Ceil(min/step-1e-9) + 1
	}
	var step, sub float64
	for e := math.Floor(math.Log10((max-min)/8)) - 1; step == 0; e++ {
		for _, m := range []float64{1, 2, 5} {
			s := m * math.Pow(10, e)
			if (!t.integer || s >= 1) && count(s) <= 8 {
				step, sub = s, s/5
				if m == 2 {
					sub = s / 2
				}
				break
			}
		}
	}
	if t.integer && (sub < 1 || sub != math.Round(sub)) {
		sub = 0
	}
	label := func(v float64) string {
		if v == 0 {
			return "0" // not -0
		}
		return strconv.FormatFloat(v, 'g', 10, 64)
	}
	var ts []plot.Tick
	for i := math.Ceil(min/step - 1e-9); i*step <= max+1e-9*step; i++ {
		ts = append(ts, plot.Tick{Value: i * step, Label: label(i * step)})
	}
	if sub > 0 {
		for i := math.Ceil(min/sub - 1e-9); i*sub <= max+1e-9*sub; i++ {
			if r := math.Mod(i, step/sub); math.Abs(r) > 1e-6 && math.Abs(r-step/sub) > 1e-6 {
				ts = append(ts, plot.Tick{Value: i * sub})
			}
		}
	}
	return ts
}
