package kernels

import (
	"fmt"
	"math"
)

// Kernel is a positive (or, for Sigmoid, not necessarily positive) kernel
// function. Users plug in their own kernel by implementing it.
type Kernel interface {
	// Name is the short name for reports and file names: "sigmoid", "rbf".
	Name() string
	// Eval returns K(x, y). len(x) == len(y).
	Eval(x, y []float32) float64
}

// DotKernel is implemented by kernels that are a function of ⟨x,y⟩, ‖x‖²
// and ‖y‖² only. The Gram engine computes such kernels as a float32 matrix
// product followed by an elementwise map, and derives any number of them
// from one DotGram.
type DotKernel interface {
	Kernel
	// FromDot returns K(x, y) given dot = ⟨x,y⟩, xx = ‖x‖² and yy = ‖y‖².
	FromDot(dot, xx, yy float64) float64
}

// Validator is implemented by kernels whose parameters have allowed ranges.
type Validator interface {
	// Validate returns an error naming the field and its allowed range.
	Validate() error
}

// Validate checks k's parameters when k implements Validator.
func Validate(k Kernel) error {
	if k == nil {
		return fmt.Errorf("kernels: no kernel")
	}
	if v, ok := k.(Validator); ok {
		return v.Validate()
	}
	return nil
}

var (
	_ DotKernel = Sigmoid{}
	_ DotKernel = RBF{}
	_ DotKernel = Linear{}
	_ DotKernel = Poly{}
)

// Sigmoid is K(x, y) = tanh(α⟨x,y⟩ + c), the kernel of a one-layer network
// with a tanh unit. Alpha is the slope α and Coef0 the bias c (LIBSVM's
// -t 3 -g α -r c; scikit-learn's gamma and coef0). The bias is never called
// C, which is the SVM penalty.
//
// The Gram matrix of the sigmoid kernel is in general not positive
// semi-definite. Lin and Lin (2003) show it is conditionally PSD only in
// part of the (α, c) plane and recommend α > 0 with c < 0 (small α makes it
// behave like a linear kernel); use MinEigen to check on your data. The SVM
// solver handles non-PSD kernels but the problem is then non-convex.
type Sigmoid struct {
	Alpha float64 // slope α; any finite value (α < 0 is allowed for study)
	Coef0 float64 // bias c; any finite value
}

func (Sigmoid) Name() string { return "sigmoid" }

func (k Sigmoid) Eval(x, y []float32) float64 { return math.Tanh(k.Alpha*dot64(x, y) + k.Coef0) }

func (k Sigmoid) FromDot(dot, _, _ float64) float64 { return math.Tanh(k.Alpha*dot + k.Coef0) }

func (k Sigmoid) String() string { return fmt.Sprintf("sigmoid(alpha=%g, coef0=%g)", k.Alpha, k.Coef0) }

// Validate requires finite parameters.
func (k Sigmoid) Validate() error {
	if !finite(k.Alpha) {
		return fmt.Errorf("kernels: Sigmoid.Alpha = %v: want a finite value", k.Alpha)
	}
	if !finite(k.Coef0) {
		return fmt.Errorf("kernels: Sigmoid.Coef0 = %v: want a finite value", k.Coef0)
	}
	return nil
}

// RBF is the Gaussian kernel K(x, y) = exp(−γ‖x−y‖²), computed as
// exp(−γ(‖x‖² + ‖y‖² − 2⟨x,y⟩)). It is PSD for every γ > 0
// (LIBSVM's -t 2 -g γ).
type RBF struct {
	Gamma float64 // γ > 0
}

func (RBF) Name() string { return "rbf" }

func (k RBF) Eval(x, y []float32) float64 {
	var s float64
	for i := range x {
		d := float64(x[i]) - float64(y[i])
		s += d * d
	}
	return math.Exp(-k.Gamma * s)
}

func (k RBF) FromDot(dot, xx, yy float64) float64 {
	d := xx + yy - 2*dot
	if d < 0 { // rounding of the expansion
		d = 0
	}
	return math.Exp(-k.Gamma * d)
}

func (k RBF) String() string { return fmt.Sprintf("rbf(gamma=%g)", k.Gamma) }

// Validate requires γ > 0.
func (k RBF) Validate() error {
	if !(k.Gamma > 0) || math.IsInf(k.Gamma, 0) {
		return fmt.Errorf("kernels: RBF.Gamma = %v: want a finite value > 0", k.Gamma)
	}
	return nil
}

// Linear is K(x, y) = ⟨x,y⟩, always PSD (LIBSVM's -t 0).
type Linear struct{}

func (Linear) Name() string                      { return "linear" }
func (Linear) Eval(x, y []float32) float64       { return dot64(x, y) }
func (Linear) FromDot(dot, _, _ float64) float64 { return dot }
func (Linear) String() string                    { return "linear" }

// Poly is K(x, y) = (γ⟨x,y⟩ + c)^d, PSD for γ > 0, c ≥ 0 and integer d ≥ 1
// (LIBSVM's -t 1 -g γ -r c -d d).
type Poly struct {
	Gamma  float64 // γ > 0
	Coef0  float64 // c, any finite value
	Degree int     // d ≥ 1
}

func (Poly) Name() string { return "poly" }

func (k Poly) Eval(x, y []float32) float64 { return powi(k.Gamma*dot64(x, y)+k.Coef0, k.Degree) }

func (k Poly) FromDot(dot, _, _ float64) float64 { return powi(k.Gamma*dot+k.Coef0, k.Degree) }

func (k Poly) String() string {
	return fmt.Sprintf("poly(gamma=%g, coef0=%g, degree=%d)", k.Gamma, k.Coef0, k.Degree)
}

// Validate requires γ > 0, finite c and d ≥ 1.
func (k Poly) Validate() error {
	switch {
	case !(k.Gamma > 0) || math.IsInf(k.Gamma, 0):
		return fmt.Errorf("kernels: Poly.Gamma = %v: want a finite value > 0", k.Gamma)
	case !finite(k.Coef0):
		return fmt.Errorf("kernels: Poly.Coef0 = %v: want a finite value", k.Coef0)
	case k.Degree < 1:
		return fmt.Errorf("kernels: Poly.Degree = %d: want an integer ≥ 1", k.Degree)
	}
	return nil
}

func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }

func powi(b float64, n int) float64 {
	r := 1.0
	for ; n > 0; n >>= 1 {
		if n&1 == 1 {
			r *= b
		}
		b *= b
	}
	return r
}

// dot64 is ⟨x,y⟩ accumulated in float64.
func dot64(x, y []float32) float64 {
	var s float64
	for i := range x {
		s += float64(x[i]) * float64(y[i])
	}
	return s
}
