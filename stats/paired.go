package stats

import (
	"math"
	"math/rand/v2"
	"slices"

	"gonum.org/v1/gonum/stat/distuv"
)

// Discordant counts the images where only a is right (b) and where only
// y is right (c). a and y must have the same length.
func Discordant(a, y []bool) (b, c int) {
	if len(a) != len(y) {
		panic("stats: paired vectors of different length")
	}
	for i := range a {
		switch {
		case a[i] && !y[i]:
			b++
		case !a[i] && y[i]:
			c++
		}
	}
	return b, c
}

// McNemarExact returns the two-sided p-value of McNemar's exact test for
// b and c discordant pairs: 2·P(X ≤ min(b, c)) with X ~ Binomial(b+c,
// 1/2), at most 1. With no discordant pairs it is 1.
func McNemarExact(b, c int) float64 {
	if b < 0 || c < 0 {
		panic("stats: negative discordant count")
	}
	n := b + c
	if n == 0 {
		return 1
	}
	p := 2 * distuv.Binomial{N: float64(n), P: 0.5}.CDF(float64(min(b, c)))
	return math.Min(1, p)
}

// PairedResult is a paired comparison of two classifiers on the same
// images: the accuracy difference first − second with its interval and
// the two-sided p-value.
type PairedResult struct {
	Diff Interval
	P    float64
}

// PairedBootstrap resamples the images reps times with rng, keeping each
// image's two answers together, and returns the percentile interval of
// the accuracy difference a − y and the two-sided bootstrap p-value
// 2·min((1 + #{d* ≤ 0})/(reps + 1), (1 + #{d* ≥ 0})/(reps + 1)), at most 1.
func PairedBootstrap(a, y []bool, reps int, level float64, rng *rand.Rand) PairedResult {
	checkLevel(level)
	if len(a) != len(y) {
		panic("stats: paired vectors of different length")
	}
	n := len(a)
	if n == 0 || reps < 1 {
		panic("stats: PairedBootstrap needs images and reps ≥ 1")
	}
	// Only the per-image difference (−1, 0, +1) matters.
	d := make([]int8, n)
	sum := 0
	for i := range a {
		d[i] = b2i(a[i]) - b2i(y[i])
		sum += int(d[i])
	}
	diffs := make([]float64, reps)
	le, ge := 0, 0
	for r := range diffs {
		s := 0
		for range n {
			s += int(d[rng.IntN(n)])
		}
		diffs[r] = float64(s) / float64(n)
		if s <= 0 {
			le++
		}
		if s >= 0 {
			ge++
		}
	}
	lo, hi := percentiles(diffs, level)
	p := 2 * math.Min(float64(1+le), float64(1+ge)) / float64(reps+1)
	return PairedResult{
		Diff: Interval{Est: float64(sum) / float64(n), Lo: lo, Hi: hi, Level: level},
		P:    math.Min(1, p),
	}
}

func b2i(b bool) int8 {
	if b {
		return 1
	}
	return 0
}

// Holm returns Holm's step-down adjusted p-values, in the order of p
// (R's p.adjust(p, method = "holm")).
func Holm(p []float64) []float64 {
	m := len(p)
	idx := make([]int, m)
	for i := range idx {
		idx[i] = i
	}
	slices.SortStableFunc(idx, func(i, j int) int {
		switch {
		case p[i] < p[j]:
			return -1
		case p[i] > p[j]:
			return 1
		}
		return 0
	})
	adj := make([]float64, m)
	run := 0.0
	for rank, i := range idx {
		v := math.Min(1, float64(m-rank)*p[i])
		run = math.Max(run, v)
		adj[i] = run
	}
	return adj
}

// PairedT is Student's paired t test of two classifiers scored on the same
// images, from per-image scores a and y: each image's share of repeats
// answered right (0 or 1 for a single run). It returns the mean difference
// a − y with its Student-t interval over the images and the two-sided
// p-value (scipy.stats.ttest_rel). With all differences equal the
// interval has no width and p is 1 when they are 0, else 0. It needs at
// least two images.
func PairedT(a, y []float64, level float64) PairedResult {
	if len(a) != len(y) {
		panic("stats: paired vectors of different length")
	}
	if len(a) < 2 {
		panic("stats: PairedT needs at least two images")
	}
	d := make([]float64, len(a))
	for i := range a {
		d[i] = a[i] - y[i]
	}
	iv := MeanT(d, level)
	m, s := MeanStd(d)
	if s == 0 {
		p := 0.0
		if m == 0 {
			p = 1
		}
		return PairedResult{Diff: iv, P: p}
	}
	se := s / math.Sqrt(float64(len(d)))
	t := distuv.StudentsT{Mu: 0, Sigma: 1, Nu: float64(len(d) - 1)}
	return PairedResult{Diff: iv, P: math.Min(1, 2*t.CDF(-math.Abs(m/se)))}
}
