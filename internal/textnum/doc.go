// Package textnum reads and writes the numbers of LIBSVM text (data files
// and model files) fast and exactly, and splits a text into chunks of whole
// lines that can be parsed on all cores.
//
// # Parsing
//
// ParseFloat32 and ParseFloat64 return exactly what strconv.ParseFloat
// returns for the same text (bit for bit), failing where it fails and where
// C's strtod, as svm-train calls it, refuses what strconv reads: digit
// separators (1_000) and nonzero values below the smallest normal float64
// (StrtodRefusal says which, for error messages); and they do so
// without strconv's per-call overhead for the common forms
// [+-]digits[.digits][(e|E)[+-]digits]. A decimal with mantissa m
// (m < 2^53) and exponent e (|e| ≤ 22) is m·10^e with m and 10^|e| exact
// float64 values, so one IEEE multiplication or division gives the
// correctly rounded float64 (Clinger's fast path). For float32, m may have
// up to 19 significant digits (the 17 of a float64's shortest text, as
// files written from doubles hold), and 10^e for e < 0 is the float64
// nearest to it, multiplied rather than divided by: the float64 computed
// is then within 3 ulps of the exact value, and rounding it to float32
// gives the correctly rounded float32 unless it lies within 4 ulps of a
// midpoint between two float32 values (every float32 value and midpoint is
// a float64 value, and rounding is monotone, so it cannot cross one).
// Those cases, float32 subnormals, and every other form go to strconv.
// Digits are read eight at a time as one 64-bit word where eight bytes
// remain (ScanFloat32 reads a number where it stands in a line, so they
// nearly always do).
//
// # Formatting
//
// AppendFloat32 writes the shortest decimal that reads back as the same
// float32 (strconv's shortest digits): at most 9 significant digits and never
// longer than C's %.9g; LIBSVM's %.8g is not always enough to read back the
// same float32, and for most values it is longer. Quote quotes a field for
// an error message, its first 32 bytes only when it is longer.
//
// # Chunks
//
// LinesTee reads a text in blocks cut after a newline and hands each block,
// with the number of its first line, to parse on GOMAXPROCS goroutines. An
// error is reported for the earliest failing block, so the line it names is
// the first bad line of the text.
package textnum
