package bench

import (
	"errors"
	"fmt"

	"github.com/svmbench/svmbench/svm"
)

// ErrExists is wrapped by the error of a Grid, Run or RunScaling that
// finds results of an earlier run in its folder without Resume: nothing is
// overwritten.
var ErrExists = errors.New("results exist: resume them or choose another folder")

// MismatchError is returned (wrapped in "bench: cannot resume: " or
// "bench: merge: ") when a grid journal, a shard or a results file to be
// resumed or merged (a CNN run, results.json, trials.json) was made with
// other settings or other data. Its message carries no package prefix:
// the wrapping error names the package once.
type MismatchError struct {
	File string // the file that does not match
	Why  string // what differs
}

func (e *MismatchError) Error() string {
	return fmt.Sprintf("%s does not match: %s", e.File, e.Why)
}

// ConfigError is a field of a configuration (MainConfig, RunConfig,
// GridConfig) out of range, as kernels.ParamError and cnn.ConfigError
// are for theirs: it names the field, the value refused and what is
// allowed, so that a command line can name its flag instead
// (cmd/bench's flagged).
type ConfigError struct {
	Field string // "MainConfig.Kernels", "GridConfig.C"
	Value any    // the value refused; of a list field, the item
	Item  bool   // Value is an item of the list Field
	Want  string // what is allowed, in words
}

func (e *ConfigError) Error() string {
	v := fmt.Sprintf("= %v", e.Value)
	if s, ok := e.Value.(string); ok {
		v = fmt.Sprintf("= %q", s)
	}
	if e.Item {
		v = "has " + v[2:]
	}
	return fmt.Sprintf("bench: %s %s: want %s", e.Field, v, e.Want)
}

// notFiniteError is CrossValidate's error for a setting whose fit failed
// (GridCell.Failed: "fold 1: svm: pair 0 vs 1: the solution is not
// finite …"): its reason, wrapping svm.ErrNotFinite.
type notFiniteError string

func (e notFiniteError) Error() string { return "bench: " + string(e) }
func (e notFiniteError) Unwrap() error { return svm.ErrNotFinite }
