package bench

import (
	"math/rand/v2"

	"github.com/svmbench/svmbench/matrix"
)

// FlipLabels returns a copy of y in which each label, with probability p,
// is replaced by one of the other labels, chosen uniformly.
func FlipLabels(y []int, p float64, labels []int, rng *rand.Rand) []int {
	out := append([]int(nil), y...)
	if len(labels) < 2 {
		return out
	}
	for i, l := range out {
		if rng.Float64() >= p {
			continue
		}
		o := labels[rng.IntN(len(labels)-1)]
		if o == l {
			o = labels[len(labels)-1]
		}
		out[i] = o
	}
	return out
}

// AddPixelNoise returns a copy of x (raw intensities 0–255) with Gaussian
// noise of standard deviation sigma on the [0, 1] scale added to every
// value, clipped to [0, 255].
func AddPixelNoise(x *matrix.Matrix, sigma float64, rng *rand.Rand) *matrix.Matrix {
	out := x.Clone()
	if sigma == 0 {
		return out
	}
	s := 255 * sigma
	for i, v := range out.Data {
		out.Data[i] = float32(min(255, max(0, float64(v)+s*rng.NormFloat64())))
	}
	return out
}
