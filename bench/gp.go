package bench

import (
	"math"

	"gonum.org/v1/gonum/mat"
)

// gp is a Gaussian-process regression model with a Matérn 5/2 kernel with
// one length scale per input dimension (automatic relevance
// determination):
//
//	k(x, x') = σf² (1 + √5 r + 5r²/3) exp(−√5 r),  r² = Σ_d (x_d − x'_d)² / ℓ_d²
//
// plus noise σn² on the diagonal. The outputs are standardised (mean 0,
// standard deviation 1) before fitting. The hyperparameters θ = log(ℓ_1 …
// ℓ_D, σf, σn) maximise the log marginal likelihood plus the log prior of
// θ (logPrior: a maximum a posteriori fit)
//
//	log p(y | X, θ) = −½ yᵀK⁻¹y − Σ_i log L_ii − (n/2) log 2π,  K = LLᵀ,
//
// found by Nelder–Mead from three fixed starts (deterministic). Without
// the prior, the likelihood of the 2–10 points a search fits first is
// maximised at degenerate θ: measured on the main job's sigmoid grids,
// length scales ran to the box's ends (ℓ = 0.01 on one axis, every cell
// uncorrelated with the next, and 10 on another, the surface flat along
// it) and flipped between them from one batch to the next. (gonum's
// optimize package would pull golang.org/x/tools into the module through
// its CMA-ES; the 40 lines of nelderMead below do not.)
type gp struct {
	x      [][]float64
	y      []float64 // standardised
	mean   float64
	scale  float64
	theta  []float64 // log ℓ_d…, log σf, log σn
	chol   mat.Cholesky
	alphaV *mat.VecDense // K⁻¹y
}

func matern52(a, b, logLen []float64, sf2 float64) float64 {
	var r2 float64
	for d := range a {
		t := (a[d] - b[d]) / math.Exp(logLen[d])
		r2 += t * t
	}
	r := math.Sqrt(5 * r2)
	return sf2 * (1 + r + r*r/3) * math.Exp(-r)
}

// fitGP fits a GP to observations y at points x (each in [0,1]^D): the
// hyperparameters maximise the log marginal likelihood plus the log prior
// (logPrior), by Nelder–Mead from each of a few fixed starts (the
// posterior of so few points has several modes), keeping the best.
func fitGP(x [][]float64, y []float64) *gp {
	g := &gp{x: x}
	var m, s float64
	for _, v := range y {
		m += v
	}
	m /= float64(len(y))
	for _, v := range y {
		s += (v - m) * (v - m)
	}
	s = math.Sqrt(s / float64(len(y)))
	if s < 1e-9 {
		s = 1
	}
	g.mean, g.scale = m, s
	g.y = make([]float64, len(y))
	for i, v := range y {
		g.y[i] = (v - m) / s
	}
	dim := len(x[0])
	obj := func(th []float64) float64 { return -(g.factor(th) + logPrior(th)) }
	bestV := math.Inf(1)
	for _, l := range []float64{0.2, 0.5, 1} {
		start := make([]float64, dim+2)
		for d := range dim {
			start[d] = math.Log(l)
		}
		start[dim], start[dim+1] = 0, math.Log(0.1)
		th := clampTheta(nelderMead(obj, start, 0.5, 400))
		if v := obj(th); v < bestV || g.theta == nil {
			g.theta, bestV = th, v
		}
	}
	g.factor(g.theta) // leaves the factorisation of θ in g
	return g
}

// condition returns the GP with g's hyperparameters and standardisation
// conditioned on the observations y at x instead (for the kriging
// believer: the real observations and the batch's fantasies).
func (g *gp) condition(x [][]float64, y []float64) *gp {
	c := &gp{x: x, mean: g.mean, scale: g.scale, theta: g.theta, y: make([]float64, len(y))}
	for i, v := range y {
		c.y[i] = (v - g.mean) / g.scale
	}
	c.factor(c.theta)
	return c
}

// logPrior is the log density of the hyperparameters θ (logs of ℓ_d, σf,
// σn) under the priors of BoTorch's SingleTaskGP for inputs in the unit
// cube and standardised outputs, evaluated on the parameters themselves
// (as GPyTorch does): ℓ_d ~ Gamma(3, 6) (mode 1/3 of the cube; its
// density vanishes at ℓ → 0, where every cell is its own island, and
// decays as e^(−6ℓ) beyond the cube, where the surface is flat), σf² ~
// Gamma(2, 0.15), σn² ~ Gamma(1.1, 0.05).
func logPrior(th []float64) float64 {
	c := clampTheta(th)
	d := len(c) - 2
	var lp float64
	gamma := func(v, a, b float64) float64 { return (a-1)*math.Log(v) - b*v }
	for _, t := range c[:d] {
		lp += gamma(math.Exp(t), 3, 6)
	}
	lp += gamma(math.Exp(2*c[d]), 2, 0.15)
	lp += gamma(math.Exp(2*c[d+1]), 1.1, 0.05)
	return lp
}

// clampTheta keeps the hyperparameters in a sensible box: length scales
// 0.01 … 10 of the unit cube, σf 0.1 … 10, σn 1e-3 … 1 (standardised
// units).
func clampTheta(th []float64) []float64 {
	out := make([]float64, len(th))
	d := len(th) - 2
	for i, v := range th {
		lo, hi := math.Log(0.01), math.Log(10)
		switch i {
		case d:
			lo, hi = math.Log(0.1), math.Log(10)
		case d + 1:
			lo, hi = math.Log(1e-3), 0
		}
		out[i] = min(max(v, lo), hi)
	}
	return out
}

// factor factorises K for θ (clamped) and returns the log marginal
// likelihood, minus a penalty for leaving the box.
func (g *gp) factor(th []float64) float64 {
	c := clampTheta(th)
	var pen float64
	for i := range th {
		pen += (th[i] - c[i]) * (th[i] - c[i])
	}
	n, d := len(g.x), len(c)-2
	sf2, sn2 := math.Exp(2*c[d]), math.Exp(2*c[d+1])
	k := mat.NewSymDense(n, nil)
	for i := range n {
		for j := i; j < n; j++ {
			v := matern52(g.x[i], g.x[j], c[:d], sf2)
			if i == j {
				v += sn2 + 1e-8
			}
			k.SetSym(i, j, v)
		}
	}
	if !g.chol.Factorize(k) {
		return math.Inf(-1)
	}
	yv := mat.NewVecDense(n, append([]float64(nil), g.y...))
	g.alphaV = mat.NewVecDense(n, nil)
	if err := g.chol.SolveVecTo(g.alphaV, yv); err != nil {
		return math.Inf(-1)
	}
	lml := -0.5*mat.Dot(yv, g.alphaV) - 0.5*g.chol.LogDet() - float64(n)/2*math.Log(2*math.Pi)
	return lml - 10*pen
}

// predict returns the posterior mean and standard deviation at x, in the
// units of the observations.
func (g *gp) predict(x []float64) (mu, sd float64) {
	c := clampTheta(g.theta)
	d := len(c) - 2
	sf2 := math.Exp(2 * c[d])
	n := len(g.x)
	ks := mat.NewVecDense(n, nil)
	for i := range n {
		ks.SetVec(i, matern52(x, g.x[i], c[:d], sf2))
	}
	mu = mat.Dot(ks, g.alphaV)
	v := mat.NewVecDense(n, nil)
	var vv float64
	if err := g.chol.SolveVecTo(v, ks); err == nil {
		vv = mat.Dot(ks, v)
	}
	s2 := max(sf2-vv, 1e-12)
	return g.mean + g.scale*mu, g.scale * math.Sqrt(s2)
}

// incumbent is the plug-in incumbent of expected improvement for noisy
// observations: the highest posterior mean at the points xs observed
// (Picheny et al. 2013, "plug-in EI"; Vazquez et al. 2008). The GP
// treats each observation as the surface plus noise σn² (fitted: about
// the CV's own standard error, a point of accuracy here), so the best
// observation is, more often than not, a lucky draw above the surface;
// improving on it is improving on its noise too.
func (g *gp) incumbent(xs [][]float64) float64 {
	best := math.Inf(-1)
	for _, x := range xs {
		mu, _ := g.predict(x)
		best = max(best, mu)
	}
	return best
}

// expectedImprovement of a maximisation over the incumbent best:
// E[max(f − best, 0)] under N(mu, sd²), Jones et al. (1998)'s form,
// with no exploration margin ξ: the margin this had, ξ = 0.001, was a
// constant in units of accuracy, so its weight changed with the spread
// of each grid's surface (docs/search.md measures the change).
func expectedImprovement(mu, sd, best float64) float64 {
	if sd <= 0 {
		return max(mu-best, 0)
	}
	z := (mu - best) / sd
	cdf := 0.5 * math.Erfc(-z/math.Sqrt2)
	pdf := math.Exp(-z*z/2) / math.Sqrt(2*math.Pi)
	return (mu-best)*cdf + sd*pdf
}

// nelderMead minimises f from x0 with an initial simplex of side step,
// for at most evals evaluations (standard coefficients: reflection 1,
// expansion 2, contraction ½, shrink ½). Non-finite values count as +∞.
func nelderMead(f func([]float64) float64, x0 []float64, step float64, evals int) []float64 {
	n := len(x0)
	val := func(x []float64) float64 {
		evals--
		v := f(x)
		if math.IsNaN(v) {
			return math.Inf(1)
		}
		return v
	}
	pts := make([][]float64, n+1)
	fs := make([]float64, n+1)
	for i := range pts {
		pts[i] = append([]float64(nil), x0...)
		if i > 0 {
			pts[i][i-1] += step
		}
		fs[i] = val(pts[i])
	}
	at := func(c []float64, t float64, w []float64) []float64 {
		out := make([]float64, n)
		for d := range out {
			out[d] = c[d] + t*(w[d]-c[d])
		}
		return out
	}
	for evals > 0 {
		// Order: best first.
		for i := 1; i <= n; i++ {
			for j := i; j > 0 && fs[j] < fs[j-1]; j-- {
				fs[j], fs[j-1] = fs[j-1], fs[j]
				pts[j], pts[j-1] = pts[j-1], pts[j]
			}
		}
		if fs[n]-fs[0] < 1e-9*(1+math.Abs(fs[0])) {
			break
		}
		c := make([]float64, n) // centroid of all but the worst
		for _, p := range pts[:n] {
			for d := range c {
				c[d] += p[d] / float64(n)
			}
		}
		r := at(c, -1, pts[n])
		fr := val(r)
		switch {
		case fr < fs[0]:
			e := at(c, -2, pts[n])
			if fe := val(e); fe < fr {
				pts[n], fs[n] = e, fe
			} else {
				pts[n], fs[n] = r, fr
			}
		case fr < fs[n-1]:
			pts[n], fs[n] = r, fr
		default:
			k := at(c, 0.5, pts[n])
			if fk := val(k); fk < fs[n] {
				pts[n], fs[n] = k, fk
				continue
			}
			for i := 1; i <= n; i++ {
				pts[i] = at(pts[0], 0.5, pts[i])
				fs[i] = val(pts[i])
			}
		}
	}
	best := 0
	for i := range fs {
		if fs[i] < fs[best] {
			best = i
		}
	}
	return pts[best]
}
