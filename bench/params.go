package bench

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strconv"
	"strings"
)

// RangeKind says how a Range was written, which decides how random search
// samples it.
type RangeKind int

const (
	// List is an explicit list of values, "-1,-0.5,0" or one value "10".
	// Random search picks one of the values uniformly.
	List RangeKind = iota
	// Linear is "start:stop:step": start, start+step, … up to stop.
	// Random search samples uniformly over [start, stop].
	Linear
	// Pow2 is "2^a:2^b:k": 2^a, 2^(a+k), … up to 2^b, as LIBSVM's grid.py
	// writes -log2c a,b,k. Random search samples the exponent uniformly
	// over [a, b] (log-uniform values).
	Pow2
)

func (k RangeKind) String() string {
	switch k {
	case List:
		return "list"
	case Linear:
		return "linear"
	case Pow2:
		return "pow2"
	}
	return fmt.Sprintf("RangeKind(%d)", int(k))
}

// Range is the values of one grid parameter. The zero Range means "the
// kernel's default" wherever a GridConfig takes one.
type Range struct {
	// Values in the order the grid visits them.
	Values []float64
	// Kind is how the range was written.
	Kind RangeKind
	// Lo and Hi bound the range for random search: the start and stop of a
	// Linear range, the exponents a and b of a Pow2 range; unused for List.
	Lo, Hi float64
	// Text is the range as written (or as it would be written), for
	// manifests and error messages.
	Text string
}

// Values returns a List range of the given values.
func Values(v ...float64) Range {
	parts := make([]string, len(v))
	for i, x := range v {
		parts[i] = strconv.FormatFloat(x, 'g', -1, 64)
	}
	return Range{Values: append([]float64(nil), v...), Kind: List, Text: strings.Join(parts, ",")}
}

// IsZero reports whether r is the zero Range (no values: use the default).
func (r Range) IsZero() bool { return len(r.Values) == 0 }

// String returns r.Text.
func (r Range) String() string { return r.Text }

// maxRangeValues bounds how many values one range may expand to, so that a
// typo such as "0:1:1e-9" is an error rather than an exhausted memory.
const maxRangeValues = 10000

// ParseRange reads a parameter list as the grid flags take it:
//
//	-1,-0.5,0      comma-separated values, in that order
//	-2:0:0.5       start:stop:step, a linear range including stop when
//	               it falls on the step (within rounding)
//	2^-15:2^-5:2   2^a:2^b:k, the powers of two with exponents a, a+k, …, b
//
// Steps may be negative when stop < start. Errors name the text and what
// was expected.
func ParseRange(s string) (Range, error) {
	t := strings.TrimSpace(s)
	if t == "" {
		return Range{}, fmt.Errorf("bench: empty parameter list: want values such as 1,2,4, a range start:stop:step or 2^a:2^b:k")
	}
	if strings.Contains(t, ":") {
		parts := strings.Split(t, ":")
		if len(parts) != 3 {
			return Range{}, fmt.Errorf("bench: parameter range %q: want start:stop:step or 2^a:2^b:k (three fields separated by ':')", s)
		}
		pow := strings.HasPrefix(strings.TrimSpace(parts[0]), "2^")
		if pow != strings.HasPrefix(strings.TrimSpace(parts[1]), "2^") {
			return Range{}, fmt.Errorf("bench: parameter range %q: start and stop must both be powers 2^a and 2^b, or both plain numbers", s)
		}
		var a, b, step float64
		var err error
		if pow {
			if a, err = parseExp(parts[0], s); err != nil {
				return Range{}, err
			}
			if b, err = parseExp(parts[1], s); err != nil {
				return Range{}, err
			}
		} else {
			if a, err = parseNum(parts[0], s, "start"); err != nil {
				return Range{}, err
			}
			if b, err = parseNum(parts[1], s, "stop"); err != nil {
				return Range{}, err
			}
		}
		if step, err = parseNum(parts[2], s, "step"); err != nil {
			return Range{}, err
		}
		vals, err := expand(a, b, step, s)
		if err != nil {
			return Range{}, err
		}
		r := Range{Kind: Linear, Lo: a, Hi: b, Text: t, Values: vals}
		if pow {
			r.Kind = Pow2
			for i, e := range vals {
				r.Values[i] = math.Exp2(e)
			}
		}
		return r, nil
	}
	var vals []float64
	for _, p := range strings.Split(t, ",") {
		p = strings.TrimSpace(p)
		var v float64
		var err error
		if strings.HasPrefix(p, "2^") {
			var e float64
			if e, err = parseExp(p, s); err != nil {
				return Range{}, err
			}
			v = math.Exp2(e)
		} else if v, err = parseNum(p, s, "value"); err != nil {
			return Range{}, err
		}
		vals = append(vals, v)
	}
	return Range{Kind: List, Values: vals, Text: t}, nil
}

func parseNum(p, whole, what string) (float64, error) {
	p = strings.TrimSpace(p)
	v, err := strconv.ParseFloat(p, 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		return 0, fmt.Errorf("bench: parameter list %q: %s %q is not a finite number", whole, what, p)
	}
	return v, nil
}

func parseExp(p, whole string) (float64, error) {
	p = strings.TrimSpace(p)
	e, ok := strings.CutPrefix(p, "2^")
	if !ok {
		return 0, fmt.Errorf("bench: parameter list %q: %q is not of the form 2^a", whole, p)
	}
	v, err := strconv.ParseFloat(strings.TrimSpace(e), 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) || math.Abs(v) > 1000 {
		return 0, fmt.Errorf("bench: parameter list %q: exponent %q in %q is not a number in [-1000, 1000]", whole, e, p)
	}
	return v, nil
}

// expand lists a, a+step, … while not past b, allowing for rounding so
// that 0:1:0.1 ends at 1. Values are computed as a + i·step, not by
// repeated addition, and snapped to b when within rounding of it.
func expand(a, b, step float64, whole string) ([]float64, error) {
	if step == 0 {
		return nil, fmt.Errorf("bench: parameter range %q: step is 0", whole)
	}
	if (b-a)*step < 0 {
		return nil, fmt.Errorf("bench: parameter range %q: step %g goes away from stop %g (use a negative step to count down)", whole, step, b)
	}
	span := (b - a) / step
	n := int(math.Floor(span+1e-9)) + 1
	if n > maxRangeValues {
		return nil, fmt.Errorf("bench: parameter range %q: %d values, more than %d", whole, n, maxRangeValues)
	}
	out := make([]float64, n)
	for i := range out {
		v := a + float64(i)*step
		if math.Abs(v-b) <= 1e-9*math.Max(1, math.Abs(step)) {
			v = b
		}
		if math.Abs(v) < 1e-12*math.Max(1, math.Abs(step)) {
			v = 0
		}
		out[i] = v
	}
	return out, nil
}

// sample draws one value of r for random search.
func (r Range) sample(rng *rand.Rand) float64 {
	switch r.Kind {
	case Linear:
		return r.Lo + rng.Float64()*(r.Hi-r.Lo)
	case Pow2:
		return math.Exp2(r.Lo + rng.Float64()*(r.Hi-r.Lo))
	}
	return r.Values[rng.IntN(len(r.Values))]
}
