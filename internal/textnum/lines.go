package textnum

import (
	"bytes"
	"errors"
	"io"
	"runtime"
	"sync"
)

// A Chunk is whole lines of a text: Data ends after a newline, or at the
// end of the text. Line is the 1-based number of its first line and Seq its
// 0-based position among the chunks.
type Chunk struct {
	Seq, Line int
	Data      []byte
}

// blockSize is the size Lines reads at a time (a longer line makes a
// longer chunk); tests make it small.
var blockSize = 4 << 20

// chunkError is an error of parse for one chunk.
type chunkError struct {
	seq int
	err error
}

// Lines reads r in chunks of whole lines and calls parse on each, from
// GOMAXPROCS goroutines at once (chunks may be parsed in any order; Seq
// says where each belongs). parse must not keep c.Data after it returns.
// When parse fails, no further chunks are started and Lines returns the
// error of the earliest failing chunk; a read error is returned as it
// comes, with the number of the line being read (errors.As *ReadError).
func Lines(r io.Reader, parse func(c Chunk) error) error {
	return LinesFrom(r, 1, parse)
}

// LinesFrom is Lines for a text whose first line is line number line (the
// rest of a file whose start was read otherwise).
func LinesFrom(r io.Reader, line int, parse func(c Chunk) error) error {
	workers := runtime.GOMAXPROCS(0)
	work := make(chan Chunk, workers)
	free := make(chan []byte, 2*workers+1)
	var (
		mu    sync.Mutex
		first *chunkError
		wg    sync.WaitGroup
	)
	failed := func() bool {
		mu.Lock()
		defer mu.Unlock()
		return first != nil
	}
	for range workers {
		wg.Go(func() {
			for c := range work {
				if !failed() {
					if err := parse(c); err != nil {
						mu.Lock()
						if first == nil || c.Seq < first.seq {
							first = &chunkError{c.Seq, err}
						}
						mu.Unlock()
					}
				}
				select {
				case free <- c.Data[:0]:
				default:
				}
			}
		})
	}
	rerr := split(r, line, work, free, failed)
	close(work)
	wg.Wait()
	if first != nil {
		return first.err
	}
	return rerr
}

// ReadError is a failure to read the text (not a bad line).
type ReadError struct {
	Line int
	Err  error
}

func (e *ReadError) Error() string { return e.Err.Error() }
func (e *ReadError) Unwrap() error { return e.Err }

// split reads r into chunks sent on work; buffers come back on free.
func split(r io.Reader, line int, work chan<- Chunk, free chan []byte, failed func() bool) error {
	var carry []byte // the start of a line not yet complete
	seq := 0
	for !failed() {
		var buf []byte
		select {
		case buf = <-free:
		default:
		}
		need := max(blockSize, 2*len(carry))
		if cap(buf) < need {
			buf = make([]byte, 0, need)
		}
		buf = append(buf[:0], carry...)
		n, err := io.ReadFull(r, buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		eof := err == io.EOF || errors.Is(err, io.ErrUnexpectedEOF)
		if err != nil && !eof {
			return &ReadError{Line: line + bytes.Count(buf, []byte{'\n'}), Err: err}
		}
		cut := len(buf)
		if !eof {
			cut = bytes.LastIndexByte(buf, '\n') + 1
		}
		carry = append(carry[:0], buf[cut:]...)
		if cut > 0 {
			work <- Chunk{Seq: seq, Line: line, Data: buf[:cut]}
			seq++
			line += bytes.Count(buf[:cut], []byte{'\n'})
		}
		if eof {
			return nil
		}
	}
	return nil
}

// NextLine returns the line of data that starts at i (without its newline)
// and the position after it.
func NextLine(data []byte, i int) (line []byte, next int) {
	k := bytes.IndexByte(data[i:], '\n')
	if k < 0 {
		return data[i:], len(data)
	}
	return data[i : i+k], i + k + 1
}

// SetBlockSize sets the size Lines reads at a time and returns the one it
// replaces; tests use it to cut small texts into many chunks.
func SetBlockSize(n int) (old int) {
	old, blockSize = blockSize, max(n, 1)
	return old
}
