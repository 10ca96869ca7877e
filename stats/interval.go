package stats

import (
	"math"
	"math/rand/v2"
	"slices"

	"gonum.org/v1/gonum/stat/distuv"
)

// Interval is an estimate with a confidence interval [Lo, Hi] at Level.
type Interval struct {
	Est, Lo, Hi float64
	Level       float64 // e.g. 0.95
}

// HalfWidth returns half the interval's width, the "±" of a symmetric
// interval.
func (iv Interval) HalfWidth() float64 { return (iv.Hi - iv.Lo) / 2 }

// Contains reports whether x lies in [Lo, Hi].
func (iv Interval) Contains(x float64) bool { return iv.Lo <= x && x <= iv.Hi }

func checkLevel(level float64) {
	if !(level > 0 && level < 1) {
		panic("stats: confidence level outside (0, 1)")
	}
}

func checkCount(k, n int) {
	if n <= 0 || k < 0 || k > n {
		panic("stats: need 0 ≤ k ≤ n and n > 0")
	}
}

// Wilson returns Wilson's score interval for k successes in n trials.
func Wilson(k, n int, level float64) Interval {
	checkLevel(level)
	checkCount(k, n)
	z := distuv.UnitNormal.Quantile(1 - (1-level)/2)
	nf, p := float64(n), float64(k)/float64(n)
	z2 := z * z
	den := 1 + z2/nf
	centre := (p + z2/(2*nf)) / den
	half := z / den * math.Sqrt(p*(1-p)/nf+z2/(4*nf*nf))
	return Interval{Est: p, Lo: math.Max(0, centre-half), Hi: math.Min(1, centre+half), Level: level}
}

// ClopperPearson returns the exact (Clopper–Pearson) interval for k
// successes in n trials.
func ClopperPearson(k, n int, level float64) Interval {
	checkLevel(level)
	checkCount(k, n)
	a := (1 - level) / 2
	iv := Interval{Est: float64(k) / float64(n), Lo: 0, Hi: 1, Level: level}
	if k > 0 {
		iv.Lo = distuv.Beta{Alpha: float64(k), Beta: float64(n - k + 1)}.Quantile(a)
	}
	if k < n {
		iv.Hi = distuv.Beta{Alpha: float64(k + 1), Beta: float64(n - k)}.Quantile(1 - a)
	}
	return iv
}

// MeanT returns the mean of xs with its Student-t interval. With one
// value the interval is that value alone (Lo = Hi = Est): one repeat says
// nothing about the spread.
func MeanT(xs []float64, level float64) Interval {
	checkLevel(level)
	if len(xs) == 0 {
		panic("stats: MeanT of no values")
	}
	m, s := MeanStd(xs)
	iv := Interval{Est: m, Lo: m, Hi: m, Level: level}
	if len(xs) < 2 {
		return iv
	}
	t := distuv.StudentsT{Mu: 0, Sigma: 1, Nu: float64(len(xs) - 1)}.Quantile(1 - (1-level)/2)
	h := t * s / math.Sqrt(float64(len(xs)))
	iv.Lo, iv.Hi = m-h, m+h
	return iv
}

// MeanStd returns the mean and the sample standard deviation (n − 1 in
// the denominator; 0 for fewer than two values).
func MeanStd(xs []float64) (mean, std float64) {
	for _, x := range xs {
		mean += x
	}
	mean /= float64(len(xs))
	if len(xs) < 2 {
		return mean, 0
	}
	var ss float64
	for _, x := range xs {
		ss += (x - mean) * (x - mean)
	}
	return mean, math.Sqrt(ss / float64(len(xs)-1))
}

// BootstrapAccuracy returns the accuracy of correct (true where the
// classifier was right) with a percentile bootstrap interval from reps
// resamples of the images drawn with rng.
func BootstrapAccuracy(correct []bool, reps int, level float64, rng *rand.Rand) Interval {
	checkLevel(level)
	n := len(correct)
	if n == 0 || reps < 1 {
		panic("stats: BootstrapAccuracy needs images and reps ≥ 1")
	}
	k := 0
	for _, c := range correct {
		if c {
			k++
		}
	}
	acc := make([]float64, reps)
	for r := range acc {
		s := 0
		for range n {
			if correct[rng.IntN(n)] {
				s++
			}
		}
		acc[r] = float64(s) / float64(n)
	}
	lo, hi := percentiles(acc, level)
	return Interval{Est: float64(k) / float64(n), Lo: lo, Hi: hi, Level: level}
}

// percentiles sorts xs and returns its (1−level)/2 and 1−(1−level)/2
// quantiles, linearly interpolated (numpy's default).
func percentiles(xs []float64, level float64) (lo, hi float64) {
	slices.Sort(xs)
	a := (1 - level) / 2
	return Quantile(xs, a), Quantile(xs, 1-a)
}

// Quantile returns the q-quantile of sorted xs, interpolating linearly
// between order statistics (numpy.quantile's default, R's type 7).
func Quantile(sorted []float64, q float64) float64 {
	if len(sorted) == 0 {
		panic("stats: Quantile of no values")
	}
	h := q * float64(len(sorted)-1)
	i := int(math.Floor(h))
	if i >= len(sorted)-1 {
		return sorted[len(sorted)-1]
	}
	return sorted[i] + (h-float64(i))*(sorted[i+1]-sorted[i])
}

// Bootstrap returns the percentile bootstrap interval of a statistic of n
// paired observations (images): stat is called with reps resamples, each
// a list of n indices drawn with replacement by rng, and once with 0..n−1
// for the estimate. Use it for statistics of several classifiers' answers
// on the same images (a ratio of accuracies, a difference of ratios).
func Bootstrap(n, reps int, level float64, rng *rand.Rand, stat func(idx []int) float64) Interval {
	checkLevel(level)
	if n == 0 || reps < 1 {
		panic("stats: Bootstrap needs observations and reps ≥ 1")
	}
	idx := make([]int, n)
	for i := range idx {
		idx[i] = i
	}
	iv := Interval{Est: stat(idx), Level: level}
	vals := make([]float64, 0, reps)
	for range reps {
		for i := range idx {
			idx[i] = rng.IntN(n)
		}
		if v := stat(idx); !math.IsNaN(v) {
			vals = append(vals, v)
		}
	}
	if len(vals) == 0 {
		iv.Lo, iv.Hi = math.NaN(), math.NaN()
		return iv
	}
	iv.Lo, iv.Hi = percentiles(vals, level)
	return iv
}
