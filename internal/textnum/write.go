package textnum

import (
	"io"
	"runtime"
	"strconv"
)

// AppendInt appends the decimal text of v.
func AppendInt(b []byte, v int) []byte { return strconv.AppendInt(b, int64(v), 10) }

// WriteOrdered writes blocks pieces of text to w in order 0, 1, …, n−1,
// piece k being what format appends to an empty buffer for k; pieces are
// formatted on GOMAXPROCS goroutines at once while earlier ones are
// written. It returns the first write error (and formats no more).
func WriteOrdered(w io.Writer, blocks int, format func(b []byte, k int) []byte) error {
	workers := runtime.GOMAXPROCS(0)
	pending := make(chan chan []byte, 2*workers)
	free := make(chan []byte, 2*workers+1)
	stop := make(chan struct{})
	go func() {
		defer close(pending)
		for k := range blocks {
			done := make(chan []byte, 1)
			select {
			case pending <- done:
			case <-stop:
				return
			}
			var buf []byte
			select {
			case buf = <-free:
			default:
			}
			go func() { done <- format(buf[:0], k) }()
		}
	}()
	var err error
	for done := range pending {
		b := <-done
		if err == nil {
			if _, err = w.Write(b); err != nil {
				close(stop)
			}
		}
		select {
		case free <- b:
		default:
		}
	}
	return err
}
