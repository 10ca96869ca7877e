package kernels

import (
	"fmt"
	"math"
)

// Poly is K(x, y) = (γ⟨x,y⟩ + c)^d: LIBSVM's -t 1 -g γ -r c -d d
// (scikit-learn's kernel="poly", gamma, coef0, degree). It is PSD for γ > 0,
// c ≥ 0 and integer d ≥ 1 (a sum of PSD products of the linear kernel).
type Poly struct {
	Gamma  float64 // γ > 0
	Coef0  float64 // c, any finite value
	Degree int     // d ≥ 1
}

// Name returns "poly".
func (Poly) Name() string { return polySpec.Name }

// Eval returns (γ⟨x,y⟩ + c)^d.
func (k Poly) Eval(x, y []float32) float64 { return powi(k.Gamma*dot64(x, y)+k.Coef0, k.Degree) }

// FromDot returns (γ·dot + c)^d.
func (k Poly) FromDot(dot, _, _ float64) float64 { return powi(k.Gamma*dot+k.Coef0, k.Degree) }

// PositiveSemidefinite reports whether c ≥ 0 (with γ > 0 and d ≥ 1):
// then (γ⟨x,y⟩ + c)^d is a sum of powers ⟨x,y⟩^k with coefficients
// binom(d,k)·γ^k·c^(d−k) ≥ 0, each an entrywise power of a Gram matrix,
// positive semidefinite by the Schur product theorem. With c < 0 it can
// be indefinite.
func (k Poly) PositiveSemidefinite() bool { return k.Gamma > 0 && k.Degree >= 1 && k.Coef0 >= 0 }

func (k Poly) String() string {
	return fmt.Sprintf("poly(gamma=%g, coef0=%g, degree=%d)", k.Gamma, k.Coef0, k.Degree)
}

// Validate requires a finite γ > 0, a finite c and d ≥ 1.
func (k Poly) Validate() error {
	switch {
	case !(k.Gamma > 0) || math.IsInf(k.Gamma, 0):
		return &ParamError{"Poly", "Gamma", k.Gamma, "a finite value > 0"}
	case !finite(k.Coef0):
		return &ParamError{"Poly", "Coef0", k.Coef0, "a finite value"}
	case k.Degree < 1:
		return &ParamError{"Poly", "Degree", k.Degree, "an integer ≥ 1"}
	}
	return nil
}

var polySpec = &Spec{
	Name:  "poly",
	Title: "polynomial", Formula: "(γ x·y + c)^d",
	Params: []Param{
		{Name: "gamma", Symbol: "γ", LIBSVM: "gamma", Log: true, Range: "2^3:2^-15:-2", PerFeature: true, Want: "a finite value > 0", Label: "kernel scale"},
		{Name: "coef0", Symbol: "c", LIBSVM: "coef0", Range: "0", Want: "a finite value", Label: "kernel offset"},
		{Name: "degree", Symbol: "d", LIBSVM: "degree", Int: true, Fixed: true, Range: "3", Default: 3, Want: "an integer ≥ 1", Label: "degree"},
	},
	C:          gridC,
	LIBSVMType: 1, LIBSVMName: "polynomial",
	New: func(v Values) Kernel { return Poly{Gamma: v.Gamma, Coef0: v.Coef0, Degree: v.Degree} },
	Values: func(k Kernel) (Values, bool) {
		p, ok := k.(Poly)
		return Values{Gamma: p.Gamma, Coef0: p.Coef0, Degree: p.Degree}, ok
	},
}
