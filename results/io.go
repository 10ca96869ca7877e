package results

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/svmbench/svmbench/internal/atomicfile"
)

// FileError is a results file that does not hold what its format says:
// its path, the line (of a JSON Lines record, or where a JSON file stops
// parsing; 0 when unknown) and what was wrong.
type FileError struct {
	Path string
	Line int
	Err  error
}

func (e *FileError) Error() string { return "results: " + e.Where() }

// Where is the error without its package prefix: "PATH:LINE: what".
func (e *FileError) Where() string {
	if e.Line > 0 {
		return fmt.Sprintf("%s:%d: %v", e.Path, e.Line, e.Err)
	}
	return fmt.Sprintf("%s: %v", e.Path, e.Err)
}

func (e *FileError) Unwrap() error { return e.Err }

// ReadJSON reads the JSON file path into v. A file that cannot be read is
// an error wrapping the os error (errors.Is(err, fs.ErrNotExist) works); a
// file that does not decode, or has data after its JSON value, is a
// *FileError naming the line and the field.
func ReadJSON(path string, v any) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("results: %w", err)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(v); err != nil {
		return &FileError{Path: path, Line: lineOf(data, dec, err), Err: describeJSONError(err)}
	}
	if _, err := dec.Token(); err != io.EOF {
		return &FileError{Path: path, Err: errors.New("unexpected data after the JSON value")}
	}
	return nil
}

// WriteJSON writes v as indented JSON to path through a temporary file in
// the same folder and a rename, so that path is never half written.
func WriteJSON(path string, v any) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return fmt.Errorf("results: encoding %s: %w", filepath.Base(path), err)
	}
	return writeAtomic(path, append(b, '\n'))
}

func writeAtomic(path string, data []byte) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return fmt.Errorf("results: %w", err)
	}
	if err := atomicfile.WriteBytes(path, data); err != nil {
		return fmt.Errorf("results: writing %s: %w", path, err)
	}
	return nil
}

// lineOf returns the 1-based line of a JSON decoding error, when the
// error carries an offset.
func lineOf(data []byte, dec *json.Decoder, err error) int {
	var off int64
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se):
		off = se.Offset
	case errors.As(err, &te):
		off = te.Offset
	default:
		off = dec.InputOffset()
	}
	if off < 0 || off > int64(len(data)) {
		return 0
	}
	return bytes.Count(data[:off], []byte{'\n'}) + 1
}

func describeJSONError(err error) error {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		return fmt.Errorf("field %q: want a JSON %s, got %s", te.Field, jsonKind(te.Type.Kind().String()), te.Value)
	}
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return errors.New("the file is empty or ends in the middle of the JSON value")
	}
	return fmt.Errorf("invalid JSON: %v", err)
}

func jsonKind(goKind string) string {
	switch goKind {
	case "float64", "float32", "int", "int64", "uint64", "uint32", "int32":
		return "number"
	case "slice", "array":
		return "array"
	case "map", "struct":
		return "object"
	case "bool":
		return "true or false"
	}
	return goKind
}
