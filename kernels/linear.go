package kernels

// Linear is K(x, y) = ⟨x,y⟩, always PSD: LIBSVM's -t 0 (scikit-learn's
// kernel="linear").
type Linear struct{}

// Name returns "linear".
func (Linear) Name() string { return linearSpec.Name }

// Eval returns ⟨x,y⟩ accumulated in float64.
func (Linear) Eval(x, y []float32) float64 { return dot64(x, y) }

// FromDot returns dot.
func (Linear) FromDot(dot, _, _ float64) float64 { return dot }

// PositiveSemidefinite returns true: a linear kernel's matrix is a Gram
// matrix XXᵀ.
func (Linear) PositiveSemidefinite() bool { return true }

func (Linear) String() string { return linearSpec.Name }

var linearSpec = &Spec{
	Name:  "linear",
	Title: "linear", Formula: "x·y",
	C:          gridC,
	LIBSVMType: 0, LIBSVMName: "linear",
	New: func(Values) Kernel { return Linear{} },
	Values: func(k Kernel) (Values, bool) {
		_, ok := k.(Linear)
		return Values{}, ok
	},
}
