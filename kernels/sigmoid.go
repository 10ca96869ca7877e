package kernels

import (
	"fmt"
	"math"
)

// Sigmoid is K(x, y) = tanh(α⟨x,y⟩ + c), the kernel of a one-layer network
// with a tanh unit. Alpha is the slope α and Coef0 the bias c: LIBSVM's
// -t 3 -g α -r c; scikit-learn's kernel="sigmoid", gamma=α, coef0=c. The bias
// is never called C, which is the SVM penalty.
//
// The Gram matrix of the sigmoid kernel is in general not positive
// semi-definite. Lin and Lin (2003) show it is conditionally PSD only in
// part of the (α, c) plane and recommend α > 0 with c < 0. Two ways it
// fails, both easy to see:
// c < 0 makes K(x, x) = tanh(α‖x‖² + c) negative for small ‖x‖ (a negative
// diagonal); a large α saturates tanh, and K tends to the ±1 matrix
// sign(⟨x,y⟩ + c/α), which is indefinite unless it has rank one (its trace is
// n and its squared Frobenius norm n², while the eigenvalues of a PSD matrix
// with trace n have squares summing to at most n², with equality only at
// rank one). Use MinEigen to check on your data. The SVM solver handles
// non-PSD kernels but the problem is then not convex.
type Sigmoid struct {
	Alpha float64 // slope α; any finite value (α < 0 is allowed for study)
	Coef0 float64 // bias c; any finite value
}

// Name returns "sigmoid".
func (Sigmoid) Name() string { return sigmoidSpec.Name }

// Eval returns tanh(α⟨x,y⟩ + c), the inner product accumulated in float64.
func (k Sigmoid) Eval(x, y []float32) float64 { return math.Tanh(k.Alpha*dot64(x, y) + k.Coef0) }

// FromDot returns tanh(α·dot + c).
func (k Sigmoid) FromDot(dot, _, _ float64) float64 { return math.Tanh(k.Alpha*dot + k.Coef0) }

func (k Sigmoid) String() string { return fmt.Sprintf("sigmoid(alpha=%g, coef0=%g)", k.Alpha, k.Coef0) }

// Validate requires finite parameters.
func (k Sigmoid) Validate() error {
	if !finite(k.Alpha) {
		return &ParamError{"Sigmoid", "Alpha", k.Alpha, "a finite value"}
	}
	if !finite(k.Coef0) {
		return &ParamError{"Sigmoid", "Coef0", k.Coef0, "a finite value"}
	}
	return nil
}

var sigmoidSpec = &Spec{
	Name:  "sigmoid",
	Title: "sigmoid", Formula: "tanh(α x·y + c)",
	Params: []Param{
		{Name: "alpha", Symbol: "α", LIBSVM: "gamma", Log: true, Scale: true, Range: "2^-15:2^-5:2", PerFeature: true, Want: "a finite value", Label: "kernel slope"},
		{Name: "coef0", Symbol: "c", LIBSVM: "coef0", Range: "-2:0:0.5", Want: "a finite value", Label: "kernel offset"},
	},
	C:          "2^-1:2^7:2",
	LIBSVMType: 3, LIBSVMName: "sigmoid",
	Indefinite: true,
	New:        func(v Values) Kernel { return Sigmoid{Alpha: v.Alpha, Coef0: v.Coef0} },
	Values: func(k Kernel) (Values, bool) {
		s, ok := k.(Sigmoid)
		return Values{Alpha: s.Alpha, Coef0: s.Coef0}, ok
	},
}
