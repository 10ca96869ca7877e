package textnum

import (
	"math"
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
	i, n := 0, len(b)
	if n == 0 {
		return 0, 0, false, false
	}
	neg = b[0] == '-'
	if neg || b[0] == '+' {
		i++
	}
	z := i
	for i < n && b[i] == '0' { // leading zeros are not significant
		i++
	}
	zeros := i - z
	start := i
	for i < n && b[i]-'0' <= 9 {
		m = m*10 + uint64(b[i]-'0')
		i++
	}
	digits := i - start
	if i < n && b[i] == '.' {
		i++
		frac := i
		if digits == 0 {
			for i < n && b[i] == '0' {
				i++
			}
			zeros += i - frac
		}
		start = i
		for i < n && b[i]-'0' <= 9 {
			m = m*10 + uint64(b[i]-'0')
			i++
		}
		digits += i - start
		exp = frac - i
	}
	if digits+zeros == 0 || digits > 19 {
		return 0, 0, false, false
	}
	if i < n && (b[i] == 'e' || b[i] == 'E') {
		i++
		eneg := false
		if i < n && (b[i] == '-' || b[i] == '+') {
			eneg = b[i] == '-'
			i++
		}
		if i == n {
			return 0, 0, false, false
		}
		e := 0
		for ; i < n; i++ {
			c := b[i] - '0'
			if c > 9 || e > 10000 {
				return 0, 0, false, false
			}
			e = e*10 + int(c)
		}
		if eneg {
			e = -e
		}
		exp += e
	}
	return m, exp, neg, i == n
}

// scale returns m·10^exp rounded to float64 by one multiplication or
// division, or ok false when 10^|exp| is not an exact float64. It is the
// correctly rounded value when m < 2^53 (then exact as a float64).
func scale(m uint64, exp int, neg bool) (v float64, ok bool) {
	v = float64(m)
	switch {
	case m == 0:
	case exp < 0 && exp >= -22:
		v /= pow10[-exp]
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
// value: ok is false exactly when strconv fails.
func ParseFloat64(b []byte) (float64, bool) {
	if m, exp, neg, ok := decimal(b); ok && m < 1<<53 {
		if v, ok := scale(m, exp, neg); ok {
			return v, true
		}
	}
	v, err := strconv.ParseFloat(string(b), 64)
	return v, err == nil
}

// ParseFloat32 returns strconv.ParseFloat(string(b), 32) as a float32
// without its error value: ok is false exactly when strconv fails.
//
// The float64 d computed by scale is within 2 float64 ulps of the exact
// value x (m rounded once when m ≥ 2^53, then one rounded operation), so
// when d is more than 4 ulps from every float32 midpoint (its low 29
// mantissa bits, in the float32 normal range, are 1<<28 at a midpoint), no
// midpoint lies between x and d and float32(d) is x correctly rounded.
func ParseFloat32(b []byte) (float32, bool) {
	if m, exp, neg, ok := decimal(b); ok {
		if d, ok := scale(m, exp, neg); ok {
			a := math.Abs(d)
			if a == 0 {
				return float32(d), true
			}
			if low := int64(math.Float64bits(d) & (1<<29 - 1)); a >= 0x1p-126 && a < math.MaxFloat32 && (low < 1<<28-4 || low > 1<<28+4) {
				return float32(d), true
			}
		}
	}
	v, err := strconv.ParseFloat(string(b), 32)
	return float32(v), err == nil
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
	bits uint32
	n    uint8 // text length; 0: empty entry
	text [15]byte
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
		return append(b, e.text[:e.n]...)
	}
	n := len(b)
	b = AppendFloat32(b, v)
	if t := b[n:]; len(t) <= len(e.text) {
		e.bits, e.n = bits, uint8(copy(e.text[:], t))
	}
	return b
}
