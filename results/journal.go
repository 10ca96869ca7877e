package results

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"sync"
)

// Journal is what ReadJournal found in a grid journal
// (grid-KERNEL-FEATURES.jsonl): the cells, and the torn last line if any.
type Journal struct {
	Cells []GridCell
	// Lines are the 1-based line numbers of the cells.
	Lines []int
	// TornOffset is the byte offset of a torn last line (-1 when the file
	// ends cleanly), where a resuming writer truncates the file; TornLine
	// is its line number and TornErr what was wrong with it.
	TornOffset int64
	TornLine   int
	TornErr    error
}

// ReadJournal reads a grid journal, one GridCell a line. A last line that
// is unterminated or not valid JSON is a write that an interruption tore:
// it is left out and described in TornOffset, TornLine and TornErr. Any
// other bad line, a cell that fails CheckCell, or a cell index that an
// earlier line holds already, is a *FileError naming the file and line.
// A missing file has no cells.
func ReadJournal(path string) (Journal, error) {
	j := Journal{TornOffset: -1}
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return j, nil
	}
	if err != nil {
		return j, fmt.Errorf("results: %w", err)
	}
	off, line := 0, 0
	seen := map[int]int{} // cell index → its line
	for off < len(data) {
		line++
		end := bytes.IndexByte(data[off:], '\n')
		rec, last := data[off:], true
		if end >= 0 {
			rec, last = data[off:off+end], off+end+1 == len(data)
		}
		if len(bytes.TrimSpace(rec)) > 0 {
			var c GridCell
			err := json.Unmarshal(rec, &c)
			if err == nil && end < 0 {
				err = errors.New("no newline at the end of the record")
			}
			if err != nil {
				if last {
					j.TornOffset, j.TornLine, j.TornErr = int64(off), line, describeJSONError(err)
					break
				}
				return Journal{TornOffset: -1}, &FileError{Path: path, Line: line, Err: describeJSONError(err)}
			}
			if err := CheckCell(c); err != nil {
				return Journal{TornOffset: -1}, &FileError{Path: path, Line: line, Err: err}
			}
			if prev, ok := seen[c.Index]; ok {
				return Journal{TornOffset: -1}, &FileError{Path: path, Line: line,
					Err: fmt.Errorf("cell %d again (line %d holds it): a journal holds each cell once, so the file was edited or joined from two runs", c.Index, prev)}
			}
			seen[c.Index] = line
			j.Cells = append(j.Cells, c)
			j.Lines = append(j.Lines, line)
		}
		if end < 0 {
			break
		}
		off += end + 1
	}
	return j, nil
}

// ReadCells reads a grid journal as ReadJournal does and returns its
// cells and the byte offset of a torn last line (-1 when there is none).
func ReadCells(path string) (cells []GridCell, torn int64, err error) {
	j, err := ReadJournal(path)
	return j.Cells, j.TornOffset, err
}

// JournalWriter appends cells to a grid's JSONL file, one line each, and
// syncs the file after every line so that a finished cell survives a
// crash. It is safe for concurrent use.
type JournalWriter struct {
	mu sync.Mutex
	f  *os.File
}

// OpenJournal opens path for appending, first cutting it at torn (≥ 0;
// ReadCells' torn offset).
func OpenJournal(path string, torn int64) (*JournalWriter, error) {
	if torn >= 0 {
		if err := os.Truncate(path, torn); err != nil {
			return nil, fmt.Errorf("results: dropping the torn last line of %s: %w", path, err)
		}
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
	if err != nil {
		return nil, fmt.Errorf("results: %w", err)
	}
	return &JournalWriter{f: f}, nil
}

// Append writes c as one line and syncs the file.
func (j *JournalWriter) Append(c GridCell) error {
	b, err := json.Marshal(c)
	if err != nil {
		return fmt.Errorf("results: encoding cell %d: %w", c.Index, err)
	}
	b = append(b, '\n')
	j.mu.Lock()
	defer j.mu.Unlock()
	if _, err := j.f.Write(b); err != nil {
		return fmt.Errorf("results: appending to %s: %w", j.f.Name(), err)
	}
	if err := j.f.Sync(); err != nil {
		return fmt.Errorf("results: syncing %s: %w", j.f.Name(), err)
	}
	return nil
}

// Close closes the file.
func (j *JournalWriter) Close() error { return j.f.Close() }

// EncodeCells returns cells as the lines of a grid journal, one
// json.Marshal line a cell in the order given: what JournalWriter appends.
func EncodeCells(cells []GridCell) ([]byte, error) {
	var b []byte
	for _, c := range cells {
		line, err := json.Marshal(c)
		if err != nil {
			return nil, fmt.Errorf("results: encoding cell %d: %w", c.Index, err)
		}
		b = append(append(b, line...), '\n')
	}
	return b, nil
}

// WriteCells writes cells as a whole grid journal (EncodeCells) through a
// temporary file and a rename.
func WriteCells(path string, cells []GridCell) error {
	b, err := EncodeCells(cells)
	if err != nil {
		return err
	}
	return writeAtomic(path, b)
}
