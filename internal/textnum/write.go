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

// appendShort appends the first n bytes of text: with room in b, as one
// 16-byte store (the texts of the model writers are 2 to 15 bytes, and
// append's call to memmove cost more than the copy).
func appendShort(b []byte, text *[16]byte, n int) []byte {
	l := len(b)
	if cap(b)-l < 16 {
		return append(b, text[:n]...)
	}
	*(*[16]byte)(b[l : l+16]) = *text
	return b[:l+n]
}

// IndexText holds the texts "1:", "2:", …, "n:" of LIBSVM's feature
// indices, so that writing a row copies each index's text instead of
// formatting it (a model of 5000 CIFAR-10 images writes 15 million).
type IndexText struct {
	text [][16]byte // index i's text is text[i-1][:len[i-1]]
	len  []uint8
}

// NewIndexText returns the texts of the indices 1 to n (n < 10^15).
func NewIndexText(n int) *IndexText {
	t := &IndexText{text: make([][16]byte, n), len: make([]uint8, n)}
	var s [16]byte
	for i := 1; i <= n; i++ {
		t.len[i-1] = uint8(copy(t.text[i-1][:], append(AppendInt(s[:0], i), ':')))
	}
	return t
}

// Append appends "i:" for 1 ≤ i ≤ n.
func (t *IndexText) Append(b []byte, i int) []byte {
	return appendShort(b, &t.text[i-1], int(t.len[i-1]))
}
