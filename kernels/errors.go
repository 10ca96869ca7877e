package kernels

import (
	"errors"
	"fmt"
)

// ErrNoKernel is returned by Validate for a nil Kernel.
var ErrNoKernel = errors.New("kernels: no kernel")

// ParamError reports a kernel parameter outside its allowed range. Callers
// that map errors to configuration fields can read Kernel and Field.
type ParamError struct {
	Kernel string // the kernel's Go type: "Sigmoid", "RBF", "Poly"
	Field  string // the parameter's field: "Alpha", "Gamma"
	Value  any    // the rejected value
	Want   string // the allowed range, in words
}

func (e *ParamError) Error() string {
	return fmt.Sprintf("kernels: %s.%s = %v: want %s", e.Kernel, e.Field, e.Value, e.Want)
}
