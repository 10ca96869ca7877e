package textnum

import (
	"bytes"
	"encoding/binary"
	"math"
	"math/bits"
	"strconv"
)

// pow10 holds the powers of ten that are exact float64 values.
var pow10 = [23]float64{1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10,
	1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22}

// decimal reads b as [+-]digits[.digits][(e|E)[+-]digits], the value
// m·10^exp, and reports ok when m has at most 19 significant digits (so
// m < 10^19 < 2^64) and the form is exactly that; ok is false for every
// other text (the caller then asks strconv).
func decimal(b []byte) (m uint64, exp int, neg, ok bool) {
	m, exp, neg, end, ok := decimalAt(b, 0)
	return m, exp, neg, ok && end == len(b)
}

// decimalAt is decimal for the longest text of that form in b from i,
// which ends at end (b[end] is not part of it).
func decimalAt(b []byte, i int) (m uint64, exp int, neg bool, end int, ok bool) {
	n := len(b)
	if i >= n {
		return 0, 0, false, i, false
	}
	neg = b[i] == '-'
	if neg || b[i] == '+' {
		i++
	}
	z := i
	for i < n && b[i] == '0' { // leading zeros are not significant
		i++
	}
	zeros := i - z
	digits := 0
	if i < n && b[i]-'0' <= 9 {
		m, digits, i = appendDigits(b, i, 0)
	}
	if i < n && b[i] == '.' {
		i++
		frac := i
		if digits == 0 {
			for i < n && b[i] == '0' {
				i++
			}
			zeros += i - frac
		}
		var d int
		m, d, i = appendDigits(b, i, m)
		digits += d
		exp = frac - i
	}
	if digits+zeros == 0 || digits > 19 {
		return 0, 0, false, i, false
	}
	if i < n && (b[i] == 'e' || b[i] == 'E') {
		var e int
		if e, i, ok = exponentAt(b, i+1); !ok {
			return 0, 0, false, i, false
		}
		exp += e
	}
	return m, exp, neg, i, true
}

// exponentAt reads [+-]digits from i (at least one digit, at most 10000).
func exponentAt(b []byte, i int) (e, end int, ok bool) {
	n := len(b)
	eneg := false
	if i < n && (b[i] == '-' || b[i] == '+') {
		eneg = b[i] == '-'
		i++
	}
	start := i
	for ; i < n && b[i]-'0' <= 9; i++ {
		if e > 10000 {
			return 0, i, false
		}
		e = e*10 + int(b[i]-'0')
	}
	if i == start {
		return 0, i, false
	}
	if eneg {
		e = -e
	}
	return e, i, true
}

// pow10u holds 10^0 … 10^8.
var pow10u = [9]uint64{1, 10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000}

// appendDigits reads the decimal digits of b from i into m (m·10^k plus
// their value, wrapping past 2^64: the caller rejects more than 19
// digits), and returns m, their number k and the position after them.
// Eight digits are read at a time while eight bytes remain.
func appendDigits(b []byte, i int, m uint64) (uint64, int, int) {
	start := i
	for i+8 <= len(b) {
		v, k := digits8(b[i : i+8])
		m = m*pow10u[k] + v
		i += k
		if k < 8 {
			return m, i - start, i
		}
	}
	for i < len(b) && b[i]-'0' <= 9 {
		m = m*10 + uint64(b[i]-'0')
		i++
	}
	return m, i - start, i
}

// digits8 returns the value and the number k of the decimal digits that
// start b (len(b) = 8), read as one little-endian word: the 17-digit
// values of files written from doubles take three such steps instead of a
// chain of 17 multiplications.
func digits8(b []byte) (v uint64, k int) {
	x := binary.LittleEndian.Uint64(b)
	// A byte is a digit when its high nibble is 3, and still 3 after
	// adding 6. A carry out of a byte ≥ 0xFA reaches only later bytes,
	// which follow a non-digit and are not counted.
	const hi = 0xF0F0F0F0F0F0F0F0
	nd := (x&hi ^ 0x3030303030303030) | ((x+0x0606060606060606)&hi ^ 0x3030303030303030)
	k = bits.TrailingZeros64(nd) / 8
	if k == 0 {
		return 0, 0
	}
	// The k digits to the top bytes (the bytes below are zeros, leading
	// zeros of the number), then pairs, quads and the eight combined.
	x = (x - 0x3030303030303030) << (64 - 8*k)
	x = (x * 10) + (x >> 8)
	x = ((x&0x000000FF000000FF)*(100+(1000000<<32)) + ((x>>16)&0x000000FF000000FF)*(1+(10000<<32))) >> 32
	return x, k
}

// scale returns m·10^exp (negated when neg) by one float64 operation on
// float64(m), or ok false when 10^|exp| is not an exact float64. For
// exp < 0, exact divides by 10^-exp: the result is then the correctly
// rounded value when m < 2^53 (then exact as a float64). Otherwise it
// multiplies by the float64 nearest to 10^exp, which takes a fraction of
// a division's time and is within 3 ulps of the exact value (exact32).
func scale(m uint64, exp int, neg, exact bool) (v float64, ok bool) {
	v = float64(m)
	switch {
	case m == 0:
	case exp < 0 && exp >= -22:
		if exact {
			v /= pow10[-exp]
		} else {
			v *= pow10neg[-exp]
		}
	case exp > 0 && exp <= 22:
		v *= pow10[exp]
	case exp != 0:
		return 0, false
	}
	if neg {
		v = -v
	}
	return v, true
}

// ParseFloat64 returns strconv.ParseFloat(string(b), 64) without its error
// value: ok is false exactly when strconv fails or when C's strtod, as
// svm-train and svm-predict call it, refuses the text (StrtodRefusal).
func ParseFloat64(b []byte) (float64, bool) {
	if m, exp, neg, ok := decimal(b); ok && m < 1<<53 {
		if v, ok := scale(m, exp, neg, true); ok {
			return v, true
		}
	}
	v, err := strconv.ParseFloat(string(b), 64)
	return v, err == nil && strtodReads(b, v)
}

// ParseFloat32 returns strconv.ParseFloat(string(b), 32) as a float32
// without its error value: ok is false exactly when strconv fails or when
// C's strtod, as svm-train and svm-predict call it, refuses the text
// (StrtodRefusal).
func ParseFloat32(b []byte) (float32, bool) {
	if m, exp, neg, ok := decimal(b); ok {
		if v, ok := exact32(m, exp, neg); ok {
			return v, true
		}
	}
	v, err := strconv.ParseFloat(string(b), 32)
	if err != nil {
		return float32(v), false
	}
	d := v
	if v == 0 && nonzeroDigits(b) { // below float32's range: strtod reads the float64
		d, _ = strconv.ParseFloat(string(b), 64)
	}
	return float32(v), strtodReads(b, d)
}

// strtodReads reports whether svm-train's strtod reads b, a text that
// strconv.ParseFloat reads as v (as a float64, or as a float32 that is
// not 0: its magnitude, at least 2^-149, is a normal float64). strconv
// reads digit separators (1_000), where strtod stops at the '_' and
// svm-train refuses the field; strtod reports a range error (errno
// ERANGE, which svm-train refuses) for a nonzero value below the smallest
// normal float64, where strconv returns the subnormal or zero without an
// error. (glibc's strtod does not for an exact subnormal such as
// 0x1p-1074; that one is refused here all the same.) Only the slow path
// asks: the fast path reads neither form.
func strtodReads(b []byte, v float64) bool {
	if bytes.IndexByte(b, '_') >= 0 {
		return false
	}
	if a := math.Abs(v); a >= 0x1p-1022 || math.IsNaN(v) {
		return true
	}
	return v == 0 && !nonzeroDigits(b)
}

// nonzeroDigits reports whether the significand of the number text b
// (decimal, or hexadecimal after 0x) holds a digit other than 0.
func nonzeroDigits(b []byte) bool {
	if len(b) > 0 && (b[0] == '+' || b[0] == '-') {
		b = b[1:]
	}
	hex := len(b) > 1 && b[0] == '0' && (b[1] == 'x' || b[1] == 'X')
	if hex {
		b = b[2:]
	}
	for _, c := range b {
		switch {
		case c == 'p' || c == 'P' || (!hex && (c == 'e' || c == 'E')):
			return false
		case c >= '1' && c <= '9', hex && (c|0x20) >= 'a' && (c|0x20) <= 'f':
			return true
		}
	}
	return false
}

// StrtodRefusal says why svm-train would refuse the number text b that
// strconv.ParseFloat reads (and ParseFloat32 and ParseFloat64 therefore
// refuse), for an error message; it is otherwise for every other text,
// numbers both read and texts neither reads (the readers pass their own
// reason, "is not a number", or "" to tell the cases apart).
func StrtodRefusal(b []byte, otherwise string) string {
	v, err := strconv.ParseFloat(string(b), 64)
	switch {
	case err != nil:
		return otherwise
	case bytes.IndexByte(b, '_') >= 0:
		return "has a digit separator '_', which C's strtod (LIBSVM's reader) does not read"
	case !strtodReads(b, v):
		return "is nonzero but below 2.2250738585072014e-308, the smallest normal float64, which C's strtod (LIBSVM's reader) reports out of range"
	}
	return otherwise
}

// ScanFloat32 reads the number that starts at b[i] in the common form
// [+-]digits[.digits][(e|E)[+-]digits] and returns its value, the one
// ParseFloat32(b[i:end]) returns (always finite), and where it ends. ok is
// false when there is no such number at i or its value needs strconv: the
// caller then finds where the field ends and calls ParseFloat32. It reads
// each byte once, where the field's end must otherwise be found first.
func ScanFloat32(b []byte, i int) (v float32, end int, ok bool) {
	m, exp, neg, end, ok := decimalAt(b, i)
	if ok {
		v, ok = exact32(m, exp, neg)
	}
	return v, end, ok
}

// pow10neg holds the float64 values nearest to 10^0 … 10^-22.
var pow10neg = [23]float64{1e0, 1e-1, 1e-2, 1e-3, 1e-4, 1e-5, 1e-6, 1e-7, 1e-8, 1e-9, 1e-10,
	1e-11, 1e-12, 1e-13, 1e-14, 1e-15, 1e-16, 1e-17, 1e-18, 1e-19, 1e-20, 1e-21, 1e-22}

// exact32 returns m·10^exp (negated when neg) correctly rounded to
// float32, and ok, when float64 arithmetic decides it.
//
// The float64 d = float64(m)·10^exp, 10^exp itself rounded for exp < 0
// (scale's multiplication, where a division takes several times as long),
// is within 3 float64 ulps of the exact value x (three roundings of at
// most half an ulp each: m when m ≥ 2^53, 10^exp, the product), so when d
// is more than 4 ulps from every float32 midpoint (its low 29 mantissa
// bits, in the float32 normal range, are 1<<28 at a midpoint), no midpoint
// lies between x and d and float32(d) is x correctly rounded.
func exact32(m uint64, exp int, neg bool) (float32, bool) {
	d, ok := scale(m, exp, neg, false)
	if !ok {
		return 0, false
	}
	a := math.Abs(d)
	if a == 0 {
		return float32(d), true
	}
	if low := int64(math.Float64bits(d) & (1<<29 - 1)); a >= 0x1p-126 && a < math.MaxFloat32 && (low < 1<<28-4 || low > 1<<28+4) {
		return float32(d), true
	}
	return 0, false
}

// ParseInt reads b as a decimal integer [+-]digits that fits an int64, as
// strconv.ParseInt(string(b), 10, 64) does; ok is false otherwise.
func ParseInt(b []byte) (int64, bool) {
	if len(b) == 0 || len(b) > 18 {
		v, err := strconv.ParseInt(string(b), 10, 64)
		return v, err == nil
	}
	i, neg := 0, false
	if b[0] == '-' || b[0] == '+' {
		neg = b[0] == '-'
		i++
		if len(b) == 1 {
			return 0, false
		}
	}
	var v int64
	for ; i < len(b); i++ {
		c := b[i] - '0'
		if c > 9 {
			return 0, false
		}
		v = v*10 + int64(c)
	}
	if neg {
		v = -v
	}
	return v, true
}

// AppendFloat32 appends the shortest decimal that reads back as v:
// strconv's shortest digits ('g', -1, 32), in plain notation when that is
// shorter than the exponent notation 'g' picks for values of 1e6 and more
// (7473306 rather than 7.473306e+06).
func AppendFloat32(b []byte, v float32) []byte {
	n := len(b)
	b = strconv.AppendFloat(b, float64(v), 'g', -1, 32)
	if v >= 1e6 || v <= -1e6 {
		var tmp [48]byte
		if f := strconv.AppendFloat(tmp[:0], float64(v), 'f', -1, 32); len(f) < len(b)-n {
			b = append(b[:n], f...)
		}
	}
	return b
}

// AppendFloat64 appends the shortest decimal that reads back as v
// (strconv's 'g', -1, 64; LIBSVM writes %.17g, never shorter).
func AppendFloat64(b []byte, v float64) []byte {
	return strconv.AppendFloat(b, v, 'g', -1, 64)
}

// Float32Text is AppendFloat32 with a memory of the values it wrote last:
// data such as images (pixel/255) has a few hundred distinct values, each
// then formatted once. The zero value is ready; it is not safe for use by
// several goroutines at once.
type Float32Text struct {
	memo [1 << 12]memoEntry
}

type memoEntry struct {
	text [16]byte
	bits uint32
	n    uint8 // text length; 0: empty entry
}

// slot is the memory's entry for a value's bits: the top 12 bits of a
// 64-bit Fibonacci hash. (The 32-bit one, (bits·0x9E3779B1)>>20, put 44 of
// the 256 pixel values k/255 in shared slots, which then missed over and
// over: 14% more time writing a CIFAR-10 model.)
func (f *Float32Text) slot(bits uint32) *memoEntry {
	return &f.memo[(uint64(bits)*0x9E3779B97F4A7C15)>>52]
}

// Append appends AppendFloat32's text of v.
func (f *Float32Text) Append(b []byte, v float32) []byte {
	bits := math.Float32bits(v)
	e := f.slot(bits)
	if e.n > 0 && e.bits == bits {
		return appendShort(b, &e.text, int(e.n))
	}
	n := len(b)
	b = AppendFloat32(b, v)
	if t := b[n:]; len(t) <= len(e.text) {
		e.bits, e.n = bits, uint8(copy(e.text[:], t))
	}
	return b
}
