package kernels

import (
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

// Mercer is implemented by kernels that know from their parameters that
// every Gram matrix they make is positive semidefinite (a Mercer kernel),
// so that an SVM's dual with them is convex on any data. Sigmoid does not
// implement it: whether its matrix is (conditionally) positive definite
// depends on the data (bench checks it where it matters).
type Mercer interface {
	// PositiveSemidefinite reports whether every Gram matrix of the
	// kernel, on any points, is positive semidefinite.
	PositiveSemidefinite() bool
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
	_ Mercer    = RBF{}
	_ Mercer    = Linear{}
	_ Mercer    = Poly{}
	_ Validator = Sigmoid{}
	_ Validator = RBF{}
	_ Validator = Poly{}
)

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
