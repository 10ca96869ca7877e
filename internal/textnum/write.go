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

// IndexText holds the texts "1:", "2:", …, "n:" of LIBSVM's feature
// indices, so that writing a row copies each index's text instead of
// formatting it (a model of 5000 CIFAR-10 images writes 15 million).
type IndexText struct {
	text []byte
	at   []int32 // index i's text is text[at[i-1]:at[i]]
}

// NewIndexText returns the texts of the indices 1 to n.
func NewIndexText(n int) *IndexText {
	t := &IndexText{at: make([]int32, 1, n+1)}
	for i := 1; i <= n; i++ {
		t.text = append(AppendInt(t.text, i), ':')
		t.at = append(t.at, int32(len(t.text)))
	}
	return t
}

// Append appends "i:" for 1 ≤ i ≤ n.
func (t *IndexText) Append(b []byte, i int) []byte {
	return append(b, t.text[t.at[i-1]:t.at[i]]...)
}
