package dataset

import (
	"errors"
	"fmt"
)

// ErrNoData is matched (errors.Is) by the error Load returns when the spec
// "auto" finds no CIFAR-10 anywhere: not in $CIFAR10_DIR, not in the cache,
// and the download was not allowed or failed.
var ErrNoData = errors.New("dataset: no CIFAR-10 data found")

// ErrChecksum is matched (errors.Is) by errors about a file whose checksum is
// not the one expected (a corrupt download, a changed batch file).
var ErrChecksum = errors.New("dataset: checksum mismatch")

// RecordError reports a bad record of a CIFAR-10 batch file. Record is
// 1-based; 0 means the file as a whole (empty, missing).
type RecordError struct {
	File   string
	Record int
	Msg    string
}

func (e *RecordError) Error() string {
	if e.Record <= 0 {
		return fmt.Sprintf("dataset: %s: %s", e.File, e.Msg)
	}
	return fmt.Sprintf("dataset: %s: record %d %s", e.File, e.Record, e.Msg)
}

// ParseError reports a bad line of a LIBSVM text file. Line is 1-based.
type ParseError struct {
	File string
	Line int
	Msg  string
}

func (e *ParseError) Error() string {
	if e.Line <= 0 {
		return fmt.Sprintf("dataset: %s: %s", e.File, e.Msg)
	}
	return fmt.Sprintf("dataset: %s:%d: %s", e.File, e.Line, e.Msg)
}

// ImageError reports an image file of an images:DIR data set that cannot be
// used (undecodable, or a size other than the first image's).
type ImageError struct {
	File string
	Msg  string
}

func (e *ImageError) Error() string { return fmt.Sprintf("dataset: %s: %s", e.File, e.Msg) }

// checksumError is a mismatch between a computed and an expected digest.
type checksumError struct {
	File, Algo, Got, Want, Hint string
}

func (e *checksumError) Error() string {
	s := fmt.Sprintf("dataset: %s: %s %s does not match the expected %s", e.File, e.Algo, e.Got, e.Want)
	if e.Hint != "" {
		s += "; " + e.Hint
	}
	return s
}

func (e *checksumError) Is(target error) bool { return target == ErrChecksum }
