package stats

import (
	"math"
	"math/rand/v2"
	"testing"
)

// The reference values below come from scipy 1.10.1 (Debian
// python3-scipy 1.10.1-2, numpy 1.24.2), computed with /usr/bin/python3 on
// 2026-11-28; the call is quoted with each table.

func close(t *testing.T, what string, got, want, tol float64) {
	t.Helper()
	if math.Abs(got-want) > tol {
		t.Errorf("%s = %.12g, want %.12g (±%g)", what, got, want, tol)
	}
}

var binomCases = []struct {
	k, n                 int
	wLo, wHi, cpLo, cpHi float64
}{
	// r = scipy.stats.binomtest(k, n); r.proportion_ci(0.95, 'wilson'), r.proportion_ci(0.95, 'exact')
	{437, 1000, 0.40655624686835734, 0.4679259247008226, 0.4059815065249006, 0.4683904385112332},
	{0, 20, 0.0, 0.16112515805281935, 0.0, 0.16843347098308548},
	{20, 20, 0.8388748419471808, 1.0, 0.8315665290169145, 1.0},
	{3, 10, 0.10779126740630102, 0.6032218525388546, 0.06673951117773447, 0.652452850060008},
	{530, 1000, 0.49901030909301664, 0.5607600853978499, 0.49851631792434187, 0.5613065880589609},
}

func TestWilsonScipy(t *testing.T) {
	for _, c := range binomCases {
		iv := Wilson(c.k, c.n, 0.95)
		close(t, "Wilson lo", iv.Lo, c.wLo, 1e-9)
		close(t, "Wilson hi", iv.Hi, c.wHi, 1e-9)
		close(t, "Wilson est", iv.Est, float64(c.k)/float64(c.n), 0)
	}
}

func TestClopperPearsonScipy(t *testing.T) {
	for _, c := range binomCases {
		iv := ClopperPearson(c.k, c.n, 0.95)
		close(t, "Clopper-Pearson lo", iv.Lo, c.cpLo, 1e-9)
		close(t, "Clopper-Pearson hi", iv.Hi, c.cpHi, 1e-9)
	}
}

func TestMeanTScipy(t *testing.T) {
	// a = numpy.array(xs); scipy.stats.t.interval(0.95, len(a)-1, loc=a.mean(), scale=scipy.stats.sem(a))
	cases := []struct {
		xs           []float64
		mean, lo, hi float64
	}{
		{[]float64{0.43, 0.45, 0.41}, 0.43, 0.38031724576312487, 0.4796827542368751},
		{[]float64{0.512, 0.498, 0.530, 0.505, 0.521}, 0.5132, 0.49745973544857763, 0.5289402645514223},
	}
	for _, c := range cases {
		iv := MeanT(c.xs, 0.95)
		close(t, "mean", iv.Est, c.mean, 1e-12)
		close(t, "t lo", iv.Lo, c.lo, 1e-9)
		close(t, "t hi", iv.Hi, c.hi, 1e-9)
	}
	if iv := MeanT([]float64{0.4}, 0.95); iv.Lo != 0.4 || iv.Hi != 0.4 {
		t.Errorf("MeanT of one value = %+v, want a point", iv)
	}
}

func TestMcNemarExactScipy(t *testing.T) {
	// scipy.stats.binomtest(min(b, c), b + c, 0.5).pvalue; for (10, 3) also
	// statsmodels 0.13.5 mcnemar([[0, 10], [3, 0]], exact=True).pvalue = 0.09228515625
	cases := []struct {
		b, c int
		p    float64
	}{
		{10, 3, 0.09228515625},
		{25, 40, 0.08168153394154003},
		{0, 5, 0.0625},
		{12, 12, 1.0},
		{100, 130, 0.05561357778139239},
		{0, 0, 1},
	}
	for _, c := range cases {
		close(t, "McNemar p", McNemarExact(c.b, c.c), c.p, 1e-10)
		close(t, "McNemar p (swapped)", McNemarExact(c.c, c.b), c.p, 1e-10)
	}
}

func TestHolm(t *testing.T) {
	// statsmodels 0.13.5 (Debian python3-statsmodels 0.13.5+dfsg):
	// multipletests([0.01, 0.04, 0.03, 0.005], method='holm')[1] = [0.03, 0.06, 0.06, 0.02]
	// multipletests([0.5, 0.9], method='holm')[1] = [1.0, 1.0]
	// (R's p.adjust(p, "holm") computes the same step-down values.)
	cases := []struct{ p, want []float64 }{
		{[]float64{0.01, 0.04, 0.03, 0.005}, []float64{0.03, 0.06, 0.06, 0.02}},
		{[]float64{0.5, 0.9}, []float64{1, 1}},
		{[]float64{0.02}, []float64{0.02}},
		{nil, []float64{}},
	}
	for _, c := range cases {
		got := Holm(c.p)
		if len(got) != len(c.want) {
			t.Fatalf("Holm(%v) has %d values", c.p, len(got))
		}
		for i := range got {
			close(t, "Holm", got[i], c.want[i], 1e-12)
		}
	}
}

// bootVectors are the correctness vectors of /tmp/report-boot.py:
// i = numpy.arange(1000); a = (i*7)%10 < 5; b = ((i*7)%10 < 4) | (i%13 == 0)
func bootVectors() (a, b []bool) {
	for i := range 1000 {
		a = append(a, (i*7)%10 < 5)
		b = append(b, (i*7)%10 < 4 || i%13 == 0)
	}
	return a, b
}

func TestBootstrapScipy(t *testing.T) {
	// scipy.stats.bootstrap((a,), mean, method='percentile', n_resamples=20000) → (0.469, 0.531)
	// scipy.stats.bootstrap((a, b), mean(a)-mean(b), paired=True, method='percentile',
	//     n_resamples=20000) → (0.033, 0.077)
	// The resamples differ from scipy's, so the bounds agree to Monte Carlo error.
	a, b := bootVectors()
	rng := rand.New(rand.NewPCG(1, 2))
	iv := BootstrapAccuracy(a, 20000, 0.95, rng)
	close(t, "accuracy", iv.Est, 0.5, 0)
	close(t, "bootstrap lo", iv.Lo, 0.469, 0.004)
	close(t, "bootstrap hi", iv.Hi, 0.531, 0.004)
	pr := PairedBootstrap(a, b, 20000, 0.95, rng)
	close(t, "difference", pr.Diff.Est, 0.055, 1e-12)
	close(t, "paired lo", pr.Diff.Lo, 0.033, 0.004)
	close(t, "paired hi", pr.Diff.Hi, 0.077, 0.004)
	if pr.P > 0.001 {
		t.Errorf("paired bootstrap p = %g, want < 0.001 (interval excludes 0 by far)", pr.P)
	}
	// The same classifier against itself: no difference, p = 1.
	same := PairedBootstrap(a, a, 1000, 0.95, rng)
	if same.Diff.Lo != 0 || same.Diff.Hi != 0 || same.P != 1 {
		t.Errorf("a against itself = %+v, want [0, 0] and p = 1", same)
	}
	// McNemar agrees that the difference is real: b, c = Discordant(a, b).
	nb, nc := Discordant(a, b)
	if nb-nc != 55 || McNemarExact(nb, nc) > 0.001 {
		t.Errorf("Discordant = %d, %d; McNemar p = %g", nb, nc, McNemarExact(nb, nc))
	}
}

func TestQuantileNumpy(t *testing.T) {
	// numpy.quantile([1, 2, 3, 4], [0, 0.25, 0.5, 0.9, 1]) = [1, 1.75, 2.5, 3.7, 4]
	xs := []float64{1, 2, 3, 4}
	for i, q := range []float64{0, 0.25, 0.5, 0.9, 1} {
		close(t, "quantile", Quantile(xs, q), []float64{1, 1.75, 2.5, 3.7, 4}[i], 1e-12)
	}
}

func TestMisusePanics(t *testing.T) {
	for name, f := range map[string]func(){
		"level":  func() { Wilson(1, 2, 1.5) },
		"k > n":  func() { ClopperPearson(3, 2, 0.95) },
		"length": func() { Discordant([]bool{true}, nil) },
		"t len":  func() { PairedT([]float64{1, 0}, []float64{1}, 0.95) },
		"t one":  func() { PairedT([]float64{1}, []float64{0}, 0.95) },
	} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("%s: no panic", name)
				}
			}()
			f()
		}()
	}
}

func TestBootstrapGeneric(t *testing.T) {
	// The generic bootstrap of the mean is BootstrapAccuracy's interval
	// (scipy's (0.469, 0.531) above), to Monte Carlo error.
	a, _ := bootVectors()
	iv := Bootstrap(len(a), 20000, 0.95, rand.New(rand.NewPCG(5, 6)), func(idx []int) float64 {
		k := 0
		for _, i := range idx {
			if a[i] {
				k++
			}
		}
		return float64(k) / float64(len(idx))
	})
	close(t, "estimate", iv.Est, 0.5, 0)
	close(t, "lo", iv.Lo, 0.469, 0.004)
	close(t, "hi", iv.Hi, 0.531, 0.004)
}

func TestPairedTScipy(t *testing.T) {
	// r = scipy.stats.ttest_rel(a, b); r.pvalue, r.confidence_interval(0.95)
	// (scipy 1.10.1, installed from Debian python3-scipy 1.10.1-2 on
	// 2026-12-07). The first case has repeat-averaged scores (thirds), the
	// second single runs (0 or 1).
	cases := []struct {
		a, b            []float64
		diff, p, lo, hi float64
	}{
		{[]float64{1, 2. / 3, 1, 0, 1. / 3, 1, 2. / 3, 1, 0, 1, 1, 1. / 3, 2. / 3, 1, 0, 1, 2. / 3, 1, 1, 1. / 3},
			[]float64{1, 0, 0, 1, 0, 1, 0, 1, 0, 0, 1, 0, 0, 1, 1, 0, 1, 0, 1, 0},
			0.23333333333333325, 0.09472487797448027, -0.0443561370337254, 0.5110228037003919},
		{[]float64{1, 1, 0, 1, 0, 1, 1, 0, 1, 1, 0, 1}, []float64{1, 0, 0, 1, 1, 0, 0, 0, 1, 0, 0, 1},
			0.25, 0.1910542980965691, -0.14493408174893851, 0.6449340817489385},
	}
	for _, c := range cases {
		r := PairedT(c.a, c.b, 0.95)
		close(t, "PairedT diff", r.Diff.Est, c.diff, 1e-12)
		close(t, "PairedT p", r.P, c.p, 1e-9)
		close(t, "PairedT lo", r.Diff.Lo, c.lo, 1e-9)
		close(t, "PairedT hi", r.Diff.Hi, c.hi, 1e-9)
		// Swapping the classifiers flips the difference, keeps p.
		s := PairedT(c.b, c.a, 0.95)
		close(t, "PairedT swapped diff", s.Diff.Est, -c.diff, 1e-12)
		close(t, "PairedT swapped p", s.P, c.p, 1e-12)
	}
	// No spread: equal answers everywhere (p 1), or one always ahead (p 0).
	if r := PairedT([]float64{1, 0, 1}, []float64{1, 0, 1}, 0.95); r.P != 1 || r.Diff.Est != 0 {
		t.Errorf("PairedT of equal scores = %+v, want diff 0, p 1", r)
	}
	if r := PairedT([]float64{1, 1, 1}, []float64{0, 0, 0}, 0.95); r.P != 0 || r.Diff.Est != 1 {
		t.Errorf("PairedT of a classifier always ahead = %+v, want diff 1, p 0", r)
	}
}
