package bench

import (
	"errors"
	"fmt"
)

// ErrExists is wrapped by the error of a Grid, Run or RunScaling that
// finds results of an earlier run in its folder without Resume: nothing is
// overwritten.
var ErrExists = errors.New("results exist: resume them or choose another folder")

// MismatchError is returned when a grid journal, a shard or a results
// file to be resumed or merged was made with another grid or other data.
type MismatchError struct {
	File string // the file that does not match
	Why  string // what differs
}

func (e *MismatchError) Error() string {
	return fmt.Sprintf("bench: %s is not the same grid or data: %s", e.File, e.Why)
}
