package kernels

import (
	"fmt"
	"math"
)

// Kernel is a symmetric kernel function K(x, y) = K(y, x). Users plug in
// their own kernel by implementing it; the engine calls Eval from several
// goroutines at once, so Eval must not modify shared state.
//
// A kernel need not be positive semi-definite (Sigmoid is not, in general);
// MinEigen measures how far a kernel's Gram matrix is from PSD on a sample.
type Kernel interface {
	// Name is the short name for reports and file names: "sigmoid", "rbf".
	Name() string
	// Eval returns K(x, y). len(x) == len(y).
	Eval(x, y []float32) float64
}

// DotKernel is implemented by kernels that are a function of ⟨x,y⟩, ‖x‖²
// and ‖y‖² only. The Gram engine computes such kernels as a float32 matrix
// product followed by an elementwise map, and derives any number of them
// from one DotGram. FromDot must agree with Eval (up to rounding) and is
// called from several goroutines at once.
type DotKernel interface {
	Kernel
	// FromDot returns K(x, y) given dot = ⟨x,y⟩, xx = ‖x‖² and yy = ‖y‖².
	FromDot(dot, xx, yy float64) float64
}

// Validator is implemented by kernels whose parameters have allowed ranges.
type Validator interface {
	// Validate returns an error naming the field and its allowed range
	// (a *ParamError for the kernels of this package).
	Validate() error
}

// Validate checks k's parameters when k implements Validator. It returns
// ErrNoKernel for a nil kernel.
func Validate(k Kernel) error {
	if k == nil {
		return ErrNoKernel
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
	_ Validator = Sigmoid{}
	_ Validator = RBF{}
	_ Validator = Poly{}
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
func (Sigmoid) Name() string { return "sigmoid" }

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

// RBF is the Gaussian kernel K(x, y) = exp(−γ‖x−y‖²), LIBSVM's -t 2 -g γ
// (scikit-learn's kernel="rbf", gamma=γ). It is positive definite for every
// γ > 0 on distinct points. FromDot (and so the engine) uses the expansion
// ‖x−y‖² = ‖x‖² + ‖y‖² − 2⟨x,y⟩, clamped at 0 against rounding.
type RBF struct {
	Gamma float64 // γ > 0
}

// Name returns "rbf".
func (RBF) Name() string { return "rbf" }

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

func (k RBF) String() string { return fmt.Sprintf("rbf(gamma=%g)", k.Gamma) }

// Validate requires a finite γ > 0.
func (k RBF) Validate() error {
	if !(k.Gamma > 0) || math.IsInf(k.Gamma, 0) {
		return &ParamError{"RBF", "Gamma", k.Gamma, "a finite value > 0"}
	}
	return nil
}

// Linear is K(x, y) = ⟨x,y⟩, always PSD: LIBSVM's -t 0 (scikit-learn's
// kernel="linear").
type Linear struct{}

// Name returns "linear".
func (Linear) Name() string { return "linear" }

// Eval returns ⟨x,y⟩ accumulated in float64.
func (Linear) Eval(x, y []float32) float64 { return dot64(x, y) }

// FromDot returns dot.
func (Linear) FromDot(dot, _, _ float64) float64 { return dot }

func (Linear) String() string { return "linear" }

// Poly is K(x, y) = (γ⟨x,y⟩ + c)^d: LIBSVM's -t 1 -g γ -r c -d d
// (scikit-learn's kernel="poly", gamma, coef0, degree). It is PSD for γ > 0,
// c ≥ 0 and integer d ≥ 1 (a sum of PSD products of the linear kernel).
type Poly struct {
	Gamma  float64 // γ > 0
	Coef0  float64 // c, any finite value
	Degree int     // d ≥ 1
}

// Name returns "poly".
func (Poly) Name() string { return "poly" }

// Eval returns (γ⟨x,y⟩ + c)^d.
func (k Poly) Eval(x, y []float32) float64 { return powi(k.Gamma*dot64(x, y)+k.Coef0, k.Degree) }

// FromDot returns (γ·dot + c)^d.
func (k Poly) FromDot(dot, _, _ float64) float64 { return powi(k.Gamma*dot+k.Coef0, k.Degree) }

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

// dot64 is ⟨x,y⟩ accumulated in float64 (four partial sums, so that the
// additions pipeline).
func dot64(x, y []float32) float64 {
	y = y[:len(x)]
	var s0, s1, s2, s3 float64
	i := 0
	for ; i+4 <= len(x); i += 4 {
		s0 += float64(x[i]) * float64(y[i])
		s1 += float64(x[i+1]) * float64(y[i+1])
		s2 += float64(x[i+2]) * float64(y[i+2])
		s3 += float64(x[i+3]) * float64(y[i+3])
	}
	for ; i < len(x); i++ {
		s0 += float64(x[i]) * float64(y[i])
	}
	return (s0 + s1) + (s2 + s3)
}
