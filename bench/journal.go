package bench

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sync"

	"github.com/svmbench/svmbench/internal/atomicfile"
)

// ReadCells reads a grid journal (one GridCell per line). A last line
// that is unterminated or not valid JSON is a write that an interruption
// tore; it is ignored, and torn reports its byte offset (-1 when the file
// ends cleanly) so that a resuming writer can truncate it. Any other bad
// line is an error naming the file and line. A missing file has no cells.
func ReadCells(path string) (cells []GridCell, torn int64, err error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, -1, nil
	}
	if err != nil {
		return nil, -1, fmt.Errorf("bench: %w", err)
	}
	torn = -1
	off := 0
	line := 0
	for off < len(data) {
		line++
		end := bytes.IndexByte(data[off:], '\n')
		last := end < 0
		var rec []byte
		if last {
			rec = data[off:]
		} else {
			rec = data[off : off+end]
			last = off+end+1 == len(data)
		}
		if len(bytes.TrimSpace(rec)) > 0 {
			var c GridCell
			if err := json.Unmarshal(rec, &c); err != nil || end < 0 {
				if last {
					torn = int64(off)
					break
				}
				return nil, -1, fmt.Errorf("bench: %s:%d: not a grid cell record: %v", path, line, err)
			}
			if c.Folds <= 0 || len(c.FoldAccuracy) != c.Folds {
				return nil, -1, fmt.Errorf("bench: %s:%d: cell %d has %d fold accuracies for %d folds", path, line, c.Index, len(c.FoldAccuracy), c.Folds)
			}
			cells = append(cells, c)
		}
		if end < 0 {
			break
		}
		off += end + 1
	}
	return cells, torn, nil
}

// journal appends cells to a grid's JSONL file, one line each, and syncs
// the file after every line so that a finished cell survives a crash.
type journal struct {
	mu sync.Mutex
	f  *os.File
}

// openJournal opens path for appending, first cutting it at torn (≥ 0).
func openJournal(path string, torn int64) (*journal, error) {
	if torn >= 0 {
		if err := os.Truncate(path, torn); err != nil {
			return nil, fmt.Errorf("bench: dropping the torn last line of %s: %w", path, err)
		}
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
	if err != nil {
		return nil, fmt.Errorf("bench: %w", err)
	}
	return &journal{f: f}, nil
}

func (j *journal) append(c GridCell) error {
	b, err := json.Marshal(c)
	if err != nil {
		return fmt.Errorf("bench: encoding cell %d: %w", c.Index, err)
	}
	b = append(b, '\n')
	j.mu.Lock()
	defer j.mu.Unlock()
	if _, err := j.f.Write(b); err != nil {
		return fmt.Errorf("bench: appending to %s: %w", j.f.Name(), err)
	}
	if err := j.f.Sync(); err != nil {
		return fmt.Errorf("bench: syncing %s: %w", j.f.Name(), err)
	}
	return nil
}

func (j *journal) close() error { return j.f.Close() }

// WriteJSON writes v as indented JSON to path through a temporary file in
// the same folder and a rename, so that path is never half written.
func WriteJSON(path string, v any) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return fmt.Errorf("bench: encoding %s: %w", filepath.Base(path), err)
	}
	return writeAtomic(path, append(b, '\n'))
}

func writeAtomic(path string, data []byte) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return fmt.Errorf("bench: %w", err)
	}
	if err := atomicfile.WriteBytes(path, data); err != nil {
		return fmt.Errorf("bench: writing %s: %w", path, err)
	}
	return nil
}

// ReadJSON reads the JSON file path into v, with an error naming the file.
func ReadJSON(path string, v any) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("bench: %w", err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		return fmt.Errorf("bench: %s: %w", path, err)
	}
	return nil
}
