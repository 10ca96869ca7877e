package reports

import (
	"math"
	"strconv"

	"gonum.org/v1/plot"
)

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
