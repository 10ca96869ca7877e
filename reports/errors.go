package reports

import "fmt"

// FileError reports a results file that could not be read: its path, the
// line (for JSON Lines files; 0 otherwise) and what was wrong.
type FileError struct {
	Path string
	Line int
	Err  error
}

func (e *FileError) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("reports: %s:%d: %v", e.Path, e.Line, e.Err)
	}
	return fmt.Sprintf("reports: %s: %v", e.Path, e.Err)
}

func (e *FileError) Unwrap() error { return e.Err }

// ErrNoResults is returned by Load when a folder holds no results file.
type ErrNoResults struct{ Dir string }

func (e *ErrNoResults) Error() string {
	return fmt.Sprintf("reports: no results files under %s (want results.json, grid-*.jsonl, best-*.json, scaling.json or cnn-*.json)", e.Dir)
}
