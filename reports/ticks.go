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
