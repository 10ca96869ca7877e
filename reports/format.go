package reports

import (
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"

	"github.com/svmbench/svmbench/kernels"
)

// pct formats a fraction as a percentage with one decimal: 0.4391 → "43.9".
func pct(f float64) string { return strconv.FormatFloat(100*f, 'f', 1, 64) }

// secs formats seconds with three significant digits and no exponent:
// 0.0123, 1.23, 123, 4567.
func secs(s float64) string {
	switch {
	case s == 0:
		return "0"
	case s < 0.001:
		return strconv.FormatFloat(s, 'g', 2, 64)
	case s < 1:
		return strconv.FormatFloat(s, 'f', 3, 64)
	case s < 10:
		return strconv.FormatFloat(s, 'f', 2, 64)
	case s < 100:
		return strconv.FormatFloat(s, 'f', 1, 64)
	}
	return strconv.FormatFloat(s, 'f', 0, 64)
}

// mib formats bytes as MiB.
func mib(b uint64) string {
	if b == 0 {
		return "–"
	}
	return strconv.FormatFloat(float64(b)/(1<<20), 'f', 0, 64)
}

// num formats a parameter: powers of two below 1/8 or above 1024 as 2^k
// (α = 2^-11 reads better than 0.00048828125), others in the shortest
// decimal form.
func num(v float64) string {
	if k, ok := log2Exact(v); ok && (k >= 11 || k <= -4) {
		return fmt.Sprintf("2^%d", k)
	}
	return strconv.FormatFloat(v, 'g', 4, 64)
}

// log2Exact reports whether v is an exact power of two and its exponent.
func log2Exact(v float64) (int, bool) {
	if v <= 0 || math.IsInf(v, 0) || math.IsNaN(v) {
		return 0, false
	}
	frac, exp := math.Frexp(v)
	if frac != 0.5 {
		return 0, false
	}
	return exp - 1, true
}

// raw formats a number for CSV: shortest exact form.
func raw(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }

// paramOrder is the order parameters are listed in: the kernels'
// (kernels.ParamNames), C, then the CNN's.
var paramOrder = append(kernels.ParamNames(), "C", "epochs", "lr", "momentum", "batch")

// paramKeys returns p's keys in paramOrder, unknown ones after in name order.
func paramKeys(p map[string]float64) []string {
	keys := make([]string, 0, len(p))
	for k := range p {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		oi, oj := orderOf(paramOrder, keys[i]), orderOf(paramOrder, keys[j])
		if oi != oj {
			return oi < oj
		}
		return keys[i] < keys[j]
	})
	return keys
}

// paramString writes a parameter map as "α=2^-11 c=-0.5 C=8".
func paramString(p map[string]float64) string {
	keys := paramKeys(p)
	var b strings.Builder
	for _, k := range keys {
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(kernels.Symbol(k) + "=" + num(p[k]))
	}
	return b.String()
}

// paramRaw writes a parameter map for CSV: "alpha=0.00048828125;C=8".
func paramRaw(p map[string]float64) string {
	keys := paramKeys(p)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = k + "=" + raw(p[k])
	}
	return strings.Join(parts, ";")
}
