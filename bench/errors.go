package bench

import (
	"errors"
	"fmt"
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
