package kernels

import (
	"fmt"
	"math"
)

// RBF is the Gaussian kernel K(x, y) = exp(−γ‖x−y‖²), LIBSVM's -t 2 -g γ
// (scikit-learn's kernel="rbf", gamma=γ). It is positive definite for every
// γ > 0 on distinct points. FromDot (and so the engine) uses the expansion
// ‖x−y‖² = ‖x‖² + ‖y‖² − 2⟨x,y⟩, clamped at 0 against rounding.
type RBF struct {
	Gamma float64 // γ > 0
}

// Name returns "rbf".
func (RBF) Name() string { return rbfSpec.Name }

// Eval returns exp(−γ‖x−y‖²), the distance accumulated in float64.
func (k RBF) Eval(x, y []float32) float64 {
	var s float64
	for i := range x {
		d := float64(x[i]) - float64(y[i])
		s += d * d
	}
	return math.Exp(-k.Gamma * s)
}

// FromDot returns exp(−γ·max(0, xx + yy − 2·dot)).
func (k RBF) FromDot(dot, xx, yy float64) float64 {
	d := xx + yy - 2*dot
	if d < 0 { // rounding of the expansion
		d = 0
	}
	return math.Exp(-k.Gamma * d)
}

// PositiveSemidefinite returns true: the Gaussian kernel is positive
// definite on distinct points for every γ > 0 (Schoenberg).
func (RBF) PositiveSemidefinite() bool { return true }

func (k RBF) String() string { return fmt.Sprintf("rbf(gamma=%g)", k.Gamma) }

// Validate requires a finite γ > 0.
func (k RBF) Validate() error {
	if !(k.Gamma > 0) || math.IsInf(k.Gamma, 0) {
		return &ParamError{"RBF", "Gamma", k.Gamma, "a finite value > 0"}
	}
	return nil
}

var rbfSpec = &Spec{
	Name:  "rbf",
	Title: "RBF", Formula: "exp(-γ |x-y|²)",
	Params: []Param{
		{Name: "gamma", Symbol: "γ", LIBSVM: "gamma", Log: true, Scale: true, Range: "2^3:2^-15:-2", PerFeature: true, Want: "a finite value > 0", Label: "RBF width"},
	},
	C:          gridC,
	LIBSVMType: 2, LIBSVMName: "rbf",
	New: func(v Values) Kernel { return RBF{Gamma: v.Gamma} },
	Values: func(k Kernel) (Values, bool) {
		r, ok := k.(RBF)
		return Values{Gamma: r.Gamma}, ok
	},
}
