package textnum

import (
	"encoding/binary"
	"math/bits"
)

// Float32Memo is ScanFloat32 with a memory of the texts it read last: a
// data file of images (pixel/255) holds a few hundred distinct value
// texts, 15 to 17 digits each when written from doubles, which are then
// recognised rather than parsed again. Data with too many distinct values
// for the memory switches it off after a few thousand values. The zero
// value is ready; it is not safe for use by several goroutines at once.
type Float32Memo struct {
	memo         [1 << 12]memoText
	seen, misses int // values looked up, and not found
	off          bool
}

// memoText is a value and its text, up to 24 bytes in three words
// (little-endian, zero beyond n).
type memoText struct {
	w0, w1, w2 uint64
	n          uint32
	v          float32
}

// memoTrial is how many values Float32Memo misses before it judges
// itself: it stays on when at least three in four of those it looked up
// were found.
const memoTrial = 1024

// Scan returns what ScanFloat32(b, i) returns.
func (f *Float32Memo) Scan(b []byte, i int) (v float32, end int, ok bool) {
	if f.off || i+24 > len(b) {
		return ScanFloat32(b, i)
	}
	w0, w1, w2, n := fieldWords(b[i : i+24])
	if n == 0 {
		return ScanFloat32(b, i)
	}
	f.seen++
	// Two entries per hash (one cache line): texts that meet in one
	// entry would otherwise push each other out over and over.
	h := (w0 ^ bits.RotateLeft64(w1, 21) ^ bits.RotateLeft64(w2, 42) ^ uint64(n)) * 0x9E3779B97F4A7C15
	j := h >> 52 &^ 1
	e0, e1 := &f.memo[j], &f.memo[j+1]
	if e0.w0 == w0 && e0.w1 == w1 && e0.w2 == w2 && e0.n == uint32(n) {
		return e0.v, i + n, true
	}
	if e1.w0 == w0 && e1.w1 == w1 && e1.w2 == w2 && e1.n == uint32(n) {
		return e1.v, i + n, true
	}
	return f.miss(b, i, w0, w1, w2, n, e0, e1)
}

// miss reads the value at b[i] with ScanFloat32 and remembers it in e0 or
// e1 (when its text is the field's n bytes, w0 to w2).
func (f *Float32Memo) miss(b []byte, i int, w0, w1, w2 uint64, n int, e0, e1 *memoText) (float32, int, bool) {
	f.misses++
	if f.misses == memoTrial && f.seen < 4*f.misses {
		f.off = true
	}
	v, end, ok := ScanFloat32(b, i)
	if ok && end == i+n {
		e := e0
		if e.n != 0 {
			e = e1
		}
		*e = memoText{w0: w0, w1: w1, w2: w2, n: uint32(n), v: v}
	}
	return v, end, ok
}

// fieldWords returns the bytes of b (24 of them) before the first one at
// most ' ' (a space, tab or line end, where a number ends), as three
// little-endian words zero beyond them, and their number n; n is 0 when
// no such byte is among the first 24, or b starts with one.
func fieldWords(b []byte) (w0, w1, w2 uint64, n int) {
	w0 = binary.LittleEndian.Uint64(b)
	w1 = binary.LittleEndian.Uint64(b[8:])
	w2 = binary.LittleEndian.Uint64(b[16:])
	switch {
	case below21(w0) != 0:
		m := bits.TrailingZeros64(below21(w0)) &^ 7
		return w0 & (1<<m - 1), 0, 0, m / 8
	case below21(w1) != 0:
		m := bits.TrailingZeros64(below21(w1)) &^ 7
		return w0, w1 & (1<<m - 1), 0, 8 + m/8
	case below21(w2) != 0:
		m := bits.TrailingZeros64(below21(w2)) &^ 7
		return w0, w1, w2 & (1<<m - 1), 16 + m/8
	}
	return 0, 0, 0, 0
}

// below21 sets the high bit of each byte of x below 0x21 (exact for the
// first such byte, which is the one that counts).
func below21(x uint64) uint64 {
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	return (x - 0x21*ones) &^ x & highs
}
