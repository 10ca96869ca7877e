package svm

import (
	"errors"
	"fmt"
)

// ErrNotConverged is returned by Model.Err when some binary sub-problem
// stopped at Params.MaxIter before reaching the tolerance. The model is
// still usable; Model.Capped reports the same condition.
var ErrNotConverged = errors.New("svm: iteration cap reached before the stopping tolerance")

// ErrNotFinite is wrapped by the error Train and TrainGram return when a
// binary sub-problem's solution is not finite because kernel values are
// not (float32 overflows past 3.4e38): a condition of the data and the
// kernel's parameters, which a grid records against the cell.
var ErrNotFinite = errors.New("the solution is not finite because kernel values are not (float32 overflows past 3.4e38: scale the features, or lower γ or the degree)")

// ErrNoKernel is returned by prediction on a model whose kernel is not
// known (a model trained with TrainGram and no Params.Kernel, or a saved
// model with a user kernel that Load cannot rebuild).
var ErrNoKernel = errors.New("svm: model has no kernel; predict with PredictGram or set Model.Kernel")

// Status says how the solver of one binary sub-problem stopped.
type Status int

const (
	// Converged: the maximal violation fell below Tol.
	Converged Status = iota
	// IterationCap: MaxIter iterations were done first.
	IterationCap
)

func (s Status) String() string {
	switch s {
	case Converged:
		return "converged"
	case IterationCap:
		return "iteration cap"
	}
	return fmt.Sprintf("Status(%d)", int(s))
}

// ParseError is a malformed model file: file, line and what was expected.
type ParseError struct {
	File string
	Line int // 1-based; 0 when not about one line
	Msg  string
}

func (e *ParseError) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("svm: %s:%d: %s", e.File, e.Line, e.Msg)
	}
	return fmt.Sprintf("svm: %s: %s", e.File, e.Msg)
}

// WidthError is a sample with a non-zero feature past the training
// width, which Model.Conform (and so prediction) refuses: LIBSVM's sparse
// convention allows only zeros there.
type WidthError struct {
	Sample  int // the row of the sample, 0-based
	Feature int // the feature, 1-based
	Value   float32
	Dim     int // the model's training width
}

func (e *WidthError) Error() string {
	return fmt.Sprintf("svm: sample %d has feature %d = %g, but the model was trained on %d features (only zeros may follow them)", e.Sample+1, e.Feature, e.Value, e.Dim)
}
