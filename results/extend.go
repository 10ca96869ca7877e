package results

import (
	"fmt"
	"math"
	"slices"
	"strings"
)

// The bounds inside which a grid extends the sigmoid bias c (GridSpec.Extend).
// Above 0: Lin and Lin (2003) find the sigmoid kernel closest to PSD, and
// best, for α > 0 and c ≤ 0, and a large c > 0 drives the Gram matrix
// towards the all-ones matrix. Below -4: tanh(α⟨x,y⟩ + c) ≤ tanh(-2) =
// -0.96 wherever α⟨x,y⟩ ≤ 2 (the main job centres α on the features' scale,
// so α⟨x,y⟩ ≤ 2 on its grids), so the kernel is within 0.04 of the
// constant -1 matrix and carries almost nothing of the data.
const (
	Coef0Floor = -4.0
	Coef0Ceil  = 0.0
)

// LogScaled reports whether a range (its kind, text and values, as in a
// SpecRange) is searched and extended on a log2 scale: a range written
// 2^a:2^b:k, or a list of positive values written in powers of two
// (2^-3,2^-1,2^1) or in geometric progression with a ratio of at least 2
// (1,8,64, the main job's C values).
func LogScaled(kind, text string, values []float64) bool {
	for _, v := range values {
		if !(v > 0) {
			return false
		}
	}
	switch {
	case kind == "pow2":
		return true
	case kind != "list" || len(values) < 2:
		return false
	case strings.Contains(text, "^"):
		return true
	}
	ratio := values[1] / values[0]
	for i := 1; i < len(values); i++ {
		q := values[i] / values[i-1]
		if math.Abs(math.Log2(q)-math.Log2(ratio)) > 1e-9 {
			return false
		}
	}
	return math.Abs(math.Log2(ratio)) >= 1
}

// ExtendStep returns the value one step beyond the edge of vals (sorted
// ascending, at least two) on side (-1: below the smallest, +1: above the
// largest) for parameter name of kernel, whose range as written is r: the
// edge times the ratio of the two outermost values on that side when r is
// LogScaled, else the edge plus their difference. It returns false when
// that side is closed: C, γ and α must stay > 0; the sigmoid c stays in
// [Coef0Floor, Coef0Ceil]; other parameters (poly c) are not extended.
func ExtendStep(kernel, name string, r SpecRange, vals []float64, side int) (float64, bool) {
	n := len(vals)
	if n < 2 || side == 0 {
		return 0, false
	}
	edge, next := vals[n-1], vals[n-2]
	if side < 0 {
		edge, next = vals[0], vals[1]
	}
	var v float64
	if LogScaled(r.Kind, r.Text, r.Values) {
		v = edge * (edge / next)
	} else {
		v = edge + (edge - next)
	}
	if math.IsNaN(v) || math.IsInf(v, 0) || v == edge {
		return 0, false
	}
	switch {
	case name == "C" || name == "gamma" || name == "alpha":
		return v, v > 0
	case name == "coef0" && kernel == "sigmoid":
		eps := 1e-9 * max(math.Abs(v), 1)
		return v, v >= Coef0Floor-eps && v <= Coef0Ceil+eps
	}
	return 0, false
}

// ExtendedValues returns the values a grid with GridSpec.Extend n may add
// to parameter name beyond each edge of its range r: up to n steps below
// (nearest first) and above, as ExtendStep makes them one after another.
func ExtendedValues(kernel, name string, r SpecRange, n int) (below, above []float64) {
	vals := SortedValues(r.Values)
	cur := vals
	for range n {
		v, ok := ExtendStep(kernel, name, r, cur, -1)
		if !ok {
			break
		}
		below = append(below, v)
		cur = append([]float64{v}, cur...)
	}
	cur = vals
	for range n {
		v, ok := ExtendStep(kernel, name, r, cur, +1)
		if !ok {
			break
		}
		above = append(above, v)
		cur = append(slices.Clone(cur), v)
	}
	return below, above
}

// RangeValues returns the values of parameter name that a search of
// spec covers with steps extension steps taken below ([0]) and above ([1])
// its range (ExtendedSteps): the range's values and those steps'
// (ExtendedValues), ascending.
func RangeValues(spec GridSpec, name string, steps [2]int) []float64 {
	r := spec.Range(name)
	below, above := ExtendedValues(spec.Kernel, name, r, spec.Extend)
	return SortedValues(slices.Concat(below[:min(steps[0], len(below))], r.Values, above[:min(steps[1], len(above))]))
}

// Snap returns the value of vals nearest v, on the log2 scale when log
// (LogScaled): how a random search's draw, off the lattice, is read
// against its range's edges. A draw within half a step of an edge is on it.
func Snap(vals []float64, v float64, log bool) float64 {
	scale := func(u float64) float64 { return u }
	if log {
		scale = math.Log2
	}
	out, best := v, math.Inf(1)
	for _, u := range vals {
		if d := math.Abs(scale(u) - scale(v)); d < best {
			out, best = u, d
		}
	}
	return out
}

// SortedValues returns the distinct values of vs in ascending order.
func SortedValues(vs []float64) []float64 {
	out := slices.Clone(vs)
	slices.Sort(out)
	return slices.Compact(out)
}

// ExtendedSteps counts, for each parameter of the grid spec describes, the
// steps cells hold beyond the spec's range below ([0]) and above ([1]); a
// parameter that was not extended is absent. nil for a spec without
// Extend. A value between two steps (a random search's draw) counts as
// the farther one: the step that added the interval it lies in.
func ExtendedSteps(spec GridSpec, axes []string, cells []GridCell) map[string][2]int {
	if spec.Extend <= 0 {
		return nil
	}
	out := map[string][2]int{}
	for _, name := range axes {
		r := spec.Range(name)
		vals := SortedValues(r.Values)
		if len(vals) == 0 {
			continue
		}
		below, above := ExtendedValues(spec.Kernel, name, r, spec.Extend)
		var st [2]int
		for _, c := range cells {
			v := c.Param(name)
			st[0] = max(st[0], stepOf(vals, below, v, -1))
			st[1] = max(st[1], stepOf(vals, above, v, +1))
		}
		if st != [2]int{} {
			out[name] = st
		}
	}
	return out
}

// stepOf returns the step of steps (ExtendedValues' below or above the
// sorted range values vals, on side -1 or +1) that added the interval v
// lies in: the first step at or beyond v (within rounding), 0 when v is
// not beyond the range, len(steps)+1 past the last step.
func stepOf(vals, steps []float64, v float64, side int) int {
	eps, s := 1e-9*max(math.Abs(v), 1), float64(side)
	edge := vals[len(vals)-1]
	if side < 0 {
		edge = vals[0]
	}
	if s*(v-edge) <= eps {
		return 0
	}
	for i, st := range steps {
		if s*(v-st) <= eps {
			return i + 1
		}
	}
	return len(steps) + 1
}

// extensionCell says how cell c (index at or past the spec's cells) falls
// outside the extension of spec's grid, or "": each parameter is one of
// its range's values or of the steps beyond (ExtendedValues), at least one
// is beyond, and the index is below the cells of the fully extended grid
// (for a halving search, below its evaluations and at most 4 for each
// cell the extension can add).
func extensionCell(spec GridSpec, axes []string, c GridCell) string {
	if c.Kernel != spec.Kernel || c.Features != spec.Features || c.Folds != spec.Folds || c.Degree != spec.Degree {
		return outsideSpec(spec, axes, c)
	}
	total, lattice, outside := 1, 1, false
	for _, name := range axes {
		r := spec.Range(name)
		below, above := ExtendedValues(spec.Kernel, name, r, spec.Extend)
		lattice *= len(SortedValues(r.Values))
		total *= len(SortedValues(r.Values)) + len(below) + len(above)
		v := c.Param(name)
		switch {
		case slices.Contains(below, v) || slices.Contains(above, v):
			outside = true
		case !slices.Contains(r.Values, v):
			return fmt.Sprintf("cell %d has %s=%g, neither in the grid's range nor up to %d steps beyond it", c.Index, name, v, spec.Extend)
		}
	}
	switch {
	case !outside:
		return fmt.Sprintf("cell %d is past the grid's %d cells but extends no range", c.Index, spec.Cells)
	case spec.Search == "halving" && c.Index >= spec.Cells+4*(total-lattice):
		// A step's m cells run a halving of their own: with η ≥ 2 each
		// rung but the last keeps at most ¾ of at least 2 cells, so at
		// most 4m evaluations.
		return fmt.Sprintf("cell %d is outside the %d evaluations an extended halving search can make", c.Index, spec.Cells+4*(total-lattice))
	case spec.Search != "halving" && c.Index >= total:
		return fmt.Sprintf("cell %d is outside the extended grid's %d cells", c.Index, total)
	}
	return ""
}

// extensionDraw says how cell c (index at or past the spec's draws) falls
// outside what the range extension of spec's random search may draw, or
// "": each parameter within its range widened by up to Extend steps
// (one of the values, for a list), at least one beyond the range.
func extensionDraw(spec GridSpec, axes []string, c GridCell) string {
	if c.Kernel != spec.Kernel || c.Features != spec.Features || c.Folds != spec.Folds || c.Degree != spec.Degree {
		return outsideSpec(spec, axes, c)
	}
	outside := false
	for _, name := range axes {
		r := spec.Range(name)
		vals := SortedValues(r.Values)
		below, above := ExtendedValues(spec.Kernel, name, r, spec.Extend)
		v := c.Param(name)
		lo, hi := stepOf(vals, below, v, -1), stepOf(vals, above, v, +1)
		list := r.Kind == "list" && !slices.Contains(vals, v) && !slices.Contains(below, v) && !slices.Contains(above, v)
		if lo > len(below) || hi > len(above) || list {
			return fmt.Sprintf("cell %d has %s=%g, neither in the search's range nor up to %d steps beyond it", c.Index, name, v, spec.Extend)
		}
		outside = outside || lo > 0 || hi > 0
	}
	if !outside {
		return fmt.Sprintf("cell %d is past the search's %d draws but extends no range", c.Index, spec.Cells)
	}
	return ""
}
