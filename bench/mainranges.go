package bench

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strings"

	"github.com/svmbench/svmbench/kernels"
	"github.com/svmbench/svmbench/matrix"
)

// MainGridRanges sets the parameter ranges of a grid of the main job for the
// training features x. With kind GridsQuick it centres small grids on
// the features' scale: with s the mean squared norm ‖x‖² of the rows and
// k = round(log2(1/s)), sigmoid α ∈ {2^(k-5), 2^(k-3), 2^(k-1), 2^(k+1)},
// c ∈ {-1, -0.5, 0}, C ∈ {1, 8, 64}; rbf γ ∈ {2^(g-2), 2^g, 2^(g+2)} with
// g = round(log2(1/d²)), d² the mean squared distance between 2000 seeded
// pairs of rows, C ∈ {1, 8, 64}; linear C ∈ {2^(k-2), 2^(k+1), 2^(k+4),
// 2^(k+7)}. With GridsDefault it keeps GridConfig's defaults, moving the
// sigmoid α range to 2^(k-5):2^(k+5):2 for feature sets other than pixels
// (the default is centred for pixels/255, where k ≈ -10).
func MainGridRanges(cfg *GridConfig, kind string, x *matrix.Matrix, seed uint64) {
	// The profiles are known for the built-in kernel types; a kernel added
	// to the registry gets its spec's default ranges.
	spec, err := kernels.Lookup(cfg.Kernel)
	if err != nil {
		return
	}
	kern := spec.New(kernels.Values{})
	k := math.Round(math.Log2(1 / meanSqNorm(x)))
	if kind == GridsDefault {
		if _, ok := kern.(kernels.Sigmoid); ok && cfg.Features != "pixels" {
			cfg.Alpha, _ = ParseRange(fmt.Sprintf("2^%g:2^%g:2", k-5, k+5))
		}
		return
	}
	switch kern.(type) {
	case kernels.Sigmoid:
		cfg.Alpha = pow2(k-5, k-3, k-1, k+1)
		cfg.Coef0 = Values(-1, -0.5, 0)
		cfg.C = Values(1, 8, 64)
	case kernels.RBF:
		g := math.Round(math.Log2(1 / meanSqDist(x, seed)))
		cfg.Gamma = pow2(g-2, g, g+2)
		cfg.C = Values(1, 8, 64)
	case kernels.Linear:
		cfg.C = pow2(k-2, k+1, k+4, k+7)
	}
}

// pow2 is the list 2^e for each exponent, written as powers.
func pow2(es ...float64) Range {
	vs := make([]float64, len(es))
	parts := make([]string, len(es))
	for i, e := range es {
		vs[i] = math.Exp2(e)
		parts[i] = fmt.Sprintf("2^%g", e)
	}
	r := Values(vs...)
	r.Text = strings.Join(parts, ",")
	return r
}

// meanSqNorm is the mean of ‖x_i‖² over the rows of x (1 when x is empty
// or zero).
func meanSqNorm(x *matrix.Matrix) float64 {
	var s float64
	for i := 0; i < x.Rows; i++ {
		for _, v := range x.Row(i) {
			s += float64(v) * float64(v)
		}
	}
	if s == 0 || x.Rows == 0 {
		return 1
	}
	return s / float64(x.Rows)
}

// meanSqDist estimates the mean of ‖x_i − x_j‖² over 2000 seeded pairs of
// rows (1 when x has fewer than two rows or the estimate is 0).
func meanSqDist(x *matrix.Matrix, seed uint64) float64 {
	if x.Rows < 2 {
		return 1
	}
	r := rand.New(rand.NewPCG(seed, 0x64697374)) // "dist"
	var s float64
	const pairs = 2000
	for p := 0; p < pairs; p++ {
		a, b := x.Row(r.IntN(x.Rows)), x.Row(r.IntN(x.Rows))
		for i := range a {
			d := float64(a[i]) - float64(b[i])
			s += d * d
		}
	}
	if s == 0 {
		return 1
	}
	return s / pairs
}
