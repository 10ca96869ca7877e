package reports

import (
	"fmt"

	"github.com/svmbench/svmbench/results"
)

// FileError reports a results file that could not be read: its path, the
// line (for JSON Lines files and where a JSON file stops parsing; 0
// otherwise) and what was wrong, as results.FileError does, with this
// package's prefix.
type FileError struct {
	Path string
	Line int
	Err  error
}

func (e *FileError) Error() string {
	return "reports: " + (&results.FileError{Path: e.Path, Line: e.Line, Err: e.Err}).Where()
}

func (e *FileError) Unwrap() error { return e.Err }

// ErrNoResults is returned by Load when a folder holds no results file.
type ErrNoResults struct{ Dir string }

func (e *ErrNoResults) Error() string {
	return fmt.Sprintf("reports: no results files under %s (want results.json, grid-*.jsonl, best-*.json, scaling.json or cnn-*.json)", e.Dir)
}
