package textnum

import (
	"bytes"
	"context"
	"errors"
	"io"
	"math"
	"runtime"
	"sync"
	"sync/atomic"
)

// A Chunk is whole lines of a text: Data ends after a newline, or at the
// end of the text. Line is the 1-based number of its first line and Seq its
// 0-based position among the chunks. Memo is the memory of value texts of
// the goroutine parsing the chunk, for its values: it is kept from one
// chunk to the next of one text (a file of images repeats a few hundred
// value texts) and starts empty for each text (one of distinct values
// switches it off).
type Chunk struct {
	Seq, Line int
	Data      []byte
	Memo      *Float32Memo
}

// blockSize is the size LinesTee reads at a time (a longer line makes a
// longer chunk); tests make it small.
var blockSize = 4 << 20

// chunkError is an error of parse for one chunk.
type chunkError struct {
	seq int
	err error
}

// piece is a chunk on its way to the parsers and the tee; the last of them
// to finish with it gives its buffer back.
type piece struct {
	Chunk
	users atomic.Int32
}

// LinesTee reads r in chunks of whole lines and calls parse on each, from
// GOMAXPROCS goroutines at once (chunks may be parsed in any order; Seq
// says where each belongs); the first line of r is line number line (1 for
// a whole text; more for the rest of a file whose start was read
// otherwise). parse must not keep c.Data after it returns. When parse
// fails, reading stops, no chunk after the failing one is started (those
// before it still are) and LinesTee returns the error of the earliest
// failing chunk; a read error is returned as it comes, with the number of
// the line being read (errors.As *ReadError).
//
// When w is not nil, LinesTee also writes the whole text to w, in order,
// from a goroutine of its own while the chunks are parsed (w is a hash of
// the text, say): w's time overlaps the parsing instead of adding to the
// one goroutine that reads. When parse fails, w may have been given only
// the start of the text. A write error of w is returned when nothing else
// failed.
//
// ctx is checked once per chunk (read, parsed or written to w), not per
// line: once it is done no chunk is started or written and LinesTee
// returns ctx.Err(), after at most the chunks already being parsed; a done
// ctx comes before every other error.
func LinesTee(ctx context.Context, r io.Reader, line int, w io.Writer, parse func(c Chunk) error) error {
	workers := runtime.GOMAXPROCS(0)
	work := make(chan *piece, workers)
	free := make(chan []byte, 4*workers+1)
	var (
		mu    sync.Mutex
		first *chunkError
		wg    sync.WaitGroup
	)
	// failedBefore reports a failure of a chunk before seq: a chunk after
	// a failure need not be parsed, one before it must be, as its error
	// comes first (split stops reading at any failure).
	failedBefore := func(seq int) bool {
		mu.Lock()
		defer mu.Unlock()
		return first != nil && first.seq < seq
	}
	release := func(p *piece) {
		if p.users.Add(-1) == 0 {
			select {
			case free <- p.Data[:0]:
			default:
			}
		}
	}
	for range workers {
		wg.Go(func() {
			memo := new(Float32Memo)
			for p := range work {
				if ctx.Err() == nil && !failedBefore(p.Seq) {
					c := p.Chunk
					c.Memo = memo
					if err := parse(c); err != nil {
						mu.Lock()
						if first == nil || p.Seq < first.seq {
							first = &chunkError{p.Seq, err}
						}
						mu.Unlock()
					}
				}
				release(p)
			}
		})
	}
	var tee chan *piece
	var werr error
	var teeDone sync.WaitGroup
	if w != nil {
		tee = make(chan *piece, 2*workers+1)
		teeDone.Go(func() {
			for p := range tee {
				if werr == nil && ctx.Err() == nil {
					_, werr = w.Write(p.Data)
				}
				release(p)
			}
		})
	}
	rerr := split(r, line, work, tee, free, func() bool { return ctx.Err() != nil || failedBefore(math.MaxInt) })
	close(work)
	if tee != nil {
		close(tee)
	}
	wg.Wait()
	teeDone.Wait()
	switch {
	case ctx.Err() != nil:
		// Chunks may have been skipped: the text is not whole.
		return ctx.Err()
	case first != nil:
		return first.err
	case rerr != nil:
		return rerr
	}
	return werr
}

// ReadError is a failure to read the text (not a bad line).
type ReadError struct {
	Line int
	Err  error
}

func (e *ReadError) Error() string { return e.Err.Error() }
func (e *ReadError) Unwrap() error { return e.Err }

// split reads r into chunks sent on work, and on tee too when it is not
// nil; buffers come back on free.
func split(r io.Reader, line int, work, tee chan<- *piece, free chan []byte, failed func() bool) error {
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
			p := &piece{Chunk: Chunk{Seq: seq, Line: line, Data: buf[:cut]}}
			if tee != nil {
				p.users.Store(2)
				tee <- p
			} else {
				p.users.Store(1)
			}
			work <- p
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

// SetBlockSize sets the size LinesTee reads at a time and returns the one it
// replaces; tests use it to cut small texts into many chunks.
func SetBlockSize(n int) (old int) {
	old, blockSize = blockSize, max(n, 1)
	return old
}
