package textnum

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"math/big"
	"math/rand/v2"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"testing/iotest"

	"github.com/svmbench/svmbench/internal/testio"
)

// same reports whether ParseFloat32 and ParseFloat64 agree with strconv
// on s, bit for bit, and fail on the same inputs.
func checkSame(t *testing.T, s string) {
	t.Helper()
	w32, err32 := strconv.ParseFloat(s, 32)
	if err32 == nil && !strtodWould(s) {
		err32 = errors.New("strtod refuses it")
	}
	g32, ok32 := ParseFloat32([]byte(s))
	if ok32 != (err32 == nil) || (ok32 && math.Float32bits(g32) != math.Float32bits(float32(w32))) {
		t.Fatalf("ParseFloat32(%q) = %v (%x), %v; strconv: %v (%x), %v", s, g32, math.Float32bits(g32), ok32, float32(w32), math.Float32bits(float32(w32)), err32)
	}
	w64, err64 := strconv.ParseFloat(s, 64)
	if err64 == nil && !strtodWould(s) {
		err64 = errors.New("strtod refuses it")
	}
	g64, ok64 := ParseFloat64([]byte(s))
	if ok64 != (err64 == nil) || (ok64 && math.Float64bits(g64) != math.Float64bits(w64)) {
		t.Fatalf("ParseFloat64(%q) = %v, %v; strconv: %v, %v", s, g64, ok64, w64, err64)
	}
	wi, erri := strconv.ParseInt(s, 10, 64)
	gi, oki := ParseInt([]byte(s))
	if oki != (erri == nil) || (oki && gi != wi) {
		t.Fatalf("ParseInt(%q) = %v, %v; strconv: %v, %v", s, gi, oki, wi, erri)
	}
}

// strtodWould reports whether svm-train reads s, a text strconv reads:
// not with a digit separator, and not when its exact value (big.Float,
// whose exponent does not underflow) is nonzero and below the smallest
// normal float64, where strtod reports a range error.
func strtodWould(s string) bool {
	if strings.Contains(s, "_") {
		return false
	}
	x, _, err := new(big.Float).SetPrec(64).Parse(s, 0)
	if err != nil {
		return true // inf, nan: the callers refuse those themselves
	}
	x.Abs(x)
	return x.Sign() == 0 || x.Cmp(big.NewFloat(0x1p-1022)) >= 0
}

// TestStrtodForms checks the forms of numbers Go and C do not read alike
// against what svm-train (libsvm-tools 3.24, Debian) did with a value
// `1 1:TEXT` of a data file: accept or "Wrong input format at line 1".
func TestStrtodForms(t *testing.T) {
	for _, c := range []struct {
		text   string
		svm    bool   // svm-train reads it
		refuse string // StrtodRefusal's reason begins so, when strconv reads it and we do not
	}{
		{"1_000", false, "has a digit separator"}, {"1_0.5", false, "has a digit separator"},
		{"0x1_0p0", false, "has a digit separator"}, {"1e-400", false, "is nonzero but below"},
		{"1e-310", false, "is nonzero but below"}, {"2.225073858507201e-308", false, "is nonzero but below"},
		{"4.9406564584124654e-324", false, "is nonzero but below"},
		{"2.2250738585072014e-308", true, ""}, {"1e-40", true, ""}, {"1e-50", true, ""},
		{"0e-500", true, ""}, {"0.0e-400", true, ""}, {"0x0p-2000", true, ""},
		{"0x1p-3", true, ""}, {"0x1.8p1", true, ""}, {"+1", true, ""}, {".5", true, ""}, {"5.", true, ""},
		{"1e+05", true, ""}, {"1E5", true, ""}, {"007", true, ""},
	} {
		_, ok64 := ParseFloat64([]byte(c.text))
		_, ok32 := ParseFloat32([]byte(c.text))
		why := StrtodRefusal([]byte(c.text), "")
		if ok64 != c.svm || ok32 != c.svm || !strings.HasPrefix(why, c.refuse) || (c.refuse == "") != (why == "") {
			t.Errorf("%q: ParseFloat64 ok %v, ParseFloat32 ok %v, StrtodRefusal %q; svm-train reads it: %v", c.text, ok64, ok32, why, c.svm)
		}
	}
	// Not read by strconv either: no reason of this kind.
	for _, s := range []string{"abc", "0x10", "1e", "-nan"} {
		if why := StrtodRefusal([]byte(s), ""); why != "" {
			t.Errorf("StrtodRefusal(%q) = %q, want \"\"", s, why)
		}
	}
}

var cases = []string{
	"0", "-0", "+0", "0.0", ".5", "5.", ".", "-", "+", "", "e5", "1e", "1e+", "1e-5", "1E5", "-1.5E-3",
	"0.0039215689", "0.003921569", "0.0039215686", "1", "255", "0.99607843", "1e-45", "1.4e-45",
	"3.4028235e38", "3.4028236e38", "3.5e38", "1e39", "1e-39", "1.1754944e-38", "1.1754942e-38",
	"inf", "-Inf", "NaN", "infinity", "0x1p-2", "1_0", "1__0", " 1", "1 ", "1..2", "1e5.5", "--1",
	"9007199254740993", "9007199254740992", "123456789012345678901234567890", "0.000000000000000000000001",
	"1_000", "1_0.5", "0x1_0p0", "1e-400", "-1e-310", "1e-320", "0x1p-1074", "0e-999", "0x0.0p-2000",
	"2.2250738585072014e-308", "2.225073858507201e-308", "1e22", "1e23", "1e-22", "1e-23", "16777217", "16777216", "33554431", "33554433",
	"8.589973e9", "8.589974e9", "0.1", "0.30000000000000004", "2.5", "1.00000005960464477539062",
	"1.0000000596046448", "1.00000017881393432617187", "9223372036854775807", "-9223372036854775808",
	"9223372036854775808", "000000000000000000000000001", "1e0000000000000000000001",
}

func TestParseCases(t *testing.T) {
	for _, s := range cases {
		checkSame(t, s)
	}
}

// TestDigits8 checks the eight-at-a-time digit reader against one digit at
// a time, for every count of leading digits and every byte after them.
func TestDigits8(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for k := 0; k <= 8; k++ {
		for stop := range 256 {
			b := make([]byte, 8)
			var want uint64
			for i := range b {
				b[i] = byte(rng.IntN(256))
				if i < k {
					b[i] = '0' + byte(rng.IntN(10))
					want = want*10 + uint64(b[i]-'0')
				}
			}
			if k < 8 {
				b[k] = byte(stop)
				if stop >= '0' && stop <= '9' {
					continue
				}
			}
			if v, n := digits8(b); v != want || n != k {
				t.Fatalf("digits8(%q) = %d, %d; want %d, %d", b, v, n, want, k)
			}
		}
	}
}

// TestParseInText checks the numbers parsed where they stand in a line,
// with bytes after them (where eight are read at a time): decimalAt must
// stop at the end of the number and give what decimal gives for it alone.
func TestParseInText(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	var all []string
	all = append(all, cases...)
	for range 20000 {
		v := math.Float32frombits(rng.Uint32())
		all = append(all, strconv.FormatFloat(float64(v), 'g', -1, 64), strconv.FormatFloat(float64(v), 'g', -1, 32),
			strconv.FormatFloat(float64(rng.IntN(256))/255, 'g', -1, 64), fmt.Sprintf("%.8g", v), fmt.Sprintf("%d", rng.Uint64()>>rng.IntN(64)))
	}
	for _, s := range all {
		for _, after := range []string{"", " 12:0.5 13:0.25", "\t9", ":123456789"} {
			text := []byte("1:" + s + after)
			m, exp, neg, end, ok := decimalAt(text, 2)
			wm, wexp, wneg, wok := decimal([]byte(s))
			if wok && (!ok || end != 2+len(s) || m != wm || exp != wexp || neg != wneg) {
				t.Fatalf("decimalAt(%q) = %d, %d, %v, end %d, %v; decimal(%q) = %d, %d, %v", text, m, exp, neg, end, ok, s, wm, wexp, wneg)
			}
		}
		checkSame(t, s)
		checkScan(t, s)
	}
}

// TestParseFloat32Round checks every form a float32 is written in by
// LIBSVM (%.8g) and by us (shortest) for random values, and the midpoints
// between neighbouring float32 values (the double-rounding cases).
func TestParseFloat32Round(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for range 200000 {
		v := math.Float32frombits(rng.Uint32())
		if math.IsNaN(float64(v)) || math.IsInf(float64(v), 0) {
			continue
		}
		for _, s := range []string{
			strconv.FormatFloat(float64(v), 'g', -1, 32),
			strconv.FormatFloat(float64(v), 'g', 8, 64),
			strconv.FormatFloat(float64(v), 'g', 9, 64),
			strconv.FormatFloat(float64(v), 'e', -1, 64),
			fmt.Sprintf("%.17g", float64(v)),
		} {
			checkSame(t, s)
		}
		// Halfway to the next float32, written exactly and nearly.
		next := math.Nextafter32(v, float32(math.Inf(1)))
		mid := (float64(v) + float64(next)) / 2
		for _, s := range []string{
			strconv.FormatFloat(mid, 'g', -1, 64),
			strconv.FormatFloat(mid, 'g', 16, 64),
			strconv.FormatFloat(mid, 'g', 10, 64),
		} {
			checkSame(t, s)
		}
	}
	for k := range 256 { // pixels/255, the values of CIFAR-10 text files
		v := float32(k) / 255
		checkSame(t, strconv.FormatFloat(float64(v), 'g', -1, 32))
		checkSame(t, strconv.FormatFloat(float64(v), 'g', 8, 64))
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range cases {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		checkSame(t, s)
		checkScan(t, s)
	})
}

// scanMemo is the memory checkScan uses, kept from one text to the next.
var scanMemo Float32Memo

// checkScan checks ScanFloat32 on s in a line, followed by other text:
// when it reads a number, ParseFloat32 must give the same for its text;
// Float32Memo.Scan must give what ScanFloat32 gives, twice.
func checkScan(t *testing.T, s string) {
	t.Helper()
	for _, after := range []string{"", " 12:0.5 13:0.25", "\t9", ":123456789", "x", " 1:0.0470588244497776 2:3"} {
		text := []byte("1:" + s + after)
		v, end, ok := ScanFloat32(text, 2)
		for range 2 {
			if mv, mend, mok := scanMemo.Scan(text, 2); mok != ok || mend != end || math.Float32bits(mv) != math.Float32bits(v) {
				t.Fatalf("Float32Memo.Scan(%q) = %v, %d, %v; ScanFloat32: %v, %d, %v", text, mv, mend, mok, v, end, ok)
			}
		}
		if !ok {
			continue
		}
		if math.IsInf(float64(v), 0) || math.IsNaN(float64(v)) {
			t.Fatalf("ScanFloat32(%q) = %v", text, v)
		}
		if w, wok := ParseFloat32(text[2:end]); !wok || math.Float32bits(v) != math.Float32bits(w) {
			t.Fatalf("ScanFloat32(%q) = %v up to %d; ParseFloat32(%q) = %v, %v", text, v, end, text[2:end], w, wok)
		}
	}
}

func TestAppendFloat32(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	var memo Float32Text
	for i := range 200000 {
		v := math.Float32frombits(rng.Uint32())
		if i%2 == 1 {
			v = float32(rng.IntN(256)) / 255 // values seen again
		}
		if math.IsNaN(float64(v)) || math.IsInf(float64(v), 0) {
			continue
		}
		s := AppendFloat32(nil, v)
		if m := memo.Append([]byte("x"), v); string(m[1:]) != string(s) {
			t.Fatalf("Float32Text wrote %s for %s", m[1:], s)
		}
		if g, ok := ParseFloat32(s); !ok || math.Float32bits(g) != math.Float32bits(v) {
			t.Fatalf("%x written as %s reads back as %x", math.Float32bits(v), s, math.Float32bits(g))
		}
		if c := fmt.Sprintf("%.9g", float64(v)); len(s) > len(c) {
			t.Fatalf("%s is longer than %%.9g's %s", s, c)
		}
	}
}

// TestFloat32TextPixels checks that the memory holds all 256 pixel values
// k/255 at once, so that writing image data formats each value once.
func TestFloat32TextPixels(t *testing.T) {
	var f Float32Text
	for k := range 256 {
		f.Append(nil, float32(k)/255)
	}
	for k := range 256 {
		bits := math.Float32bits(float32(k) / 255)
		if e := f.slot(bits); e.n == 0 || e.bits != bits {
			t.Errorf("%d/255 is no longer in the memory (its slot holds %x)", k, e.bits)
		}
	}
}

// slowWriter appends what it is given one byte at a time.
type slowWriter struct{ b []byte }

func (w *slowWriter) Write(p []byte) (int, error) {
	for _, c := range p {
		w.b = append(w.b, c)
	}
	return len(p), nil
}

// TestLinesTee checks that LinesTee's writer gets the whole text in order
// while every line is parsed, for block sizes that cut lines everywhere
// (run with -race: a buffer read again before the writer is done with it
// is a race), and that a write error is returned.
func TestLinesTee(t *testing.T) {
	defer func(b int) { blockSize = b }(blockSize)
	var text strings.Builder
	for i := 1; i <= 2000; i++ {
		fmt.Fprintf(&text, "%d %s\n", i, strings.Repeat("y", i%53))
	}
	text.WriteString("tail")
	for _, bs := range []int{1, 13, 500, 1 << 20} {
		blockSize = bs
		var w slowWriter
		var lines atomic.Int64
		err := LinesTee(context.Background(), iotest.HalfReader(strings.NewReader(text.String())), 1, &w, func(c Chunk) error {
			lines.Add(int64(bytes.Count(c.Data, []byte("\n"))))
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if string(w.b) != text.String() || lines.Load() != 2000 {
			t.Fatalf("block %d: the writer got %d of %d bytes (same: %v), %d lines parsed", bs, len(w.b), text.Len(), string(w.b) == text.String(), lines.Load())
		}
	}
	blockSize = 64
	werr := errors.New("disk gone")
	err := LinesTee(context.Background(), strings.NewReader(text.String()), 1, errWriter{werr}, func(Chunk) error { return nil })
	if !errors.Is(err, werr) {
		t.Fatalf("write error: got %v", err)
	}
}

type errWriter struct{ err error }

func (w errWriter) Write([]byte) (int, error) { return 0, w.err }

// TestLinesTeeStops checks that LinesTee returns, with the earliest failing
// line's error or the read error, when the text is bad or cannot be read
// part way through while its writer is still busy with the start, and that
// the writer was given a start of the text.
func TestLinesTeeStops(t *testing.T) {
	defer func(b int) { blockSize = b }(blockSize)
	var text strings.Builder
	for i := 1; i <= 2000; i++ {
		fmt.Fprintf(&text, "%d %s\n", i, strings.Repeat("z", i%41))
	}
	rerr := errors.New("disk gone")
	for _, bs := range []int{1, 13, 500, 1 << 20} {
		blockSize = bs
		var w slowWriter
		err := LinesTee(context.Background(), strings.NewReader(text.String()), 1, &w, func(c Chunk) error {
			for i, n := 0, c.Line; i < len(c.Data); n++ {
				if _, i = NextLine(c.Data, i); n%1000 == 999 {
					return fmt.Errorf("line %d", n)
				}
			}
			return nil
		})
		if err == nil || err.Error() != "line 999" || !strings.HasPrefix(text.String(), string(w.b)) {
			t.Fatalf("block %d: error %v, want line 999; the writer got %d bytes, a start of the text: %v", bs, err, len(w.b), strings.HasPrefix(text.String(), string(w.b)))
		}
		w = slowWriter{}
		half := text.String()[:text.Len()/2]
		err = LinesTee(context.Background(), io.MultiReader(strings.NewReader(half), iotest.ErrReader(rerr)), 1, &w, func(Chunk) error { return nil })
		var re *ReadError
		if !errors.As(err, &re) || !errors.Is(err, rerr) || !strings.HasPrefix(half, string(w.b)) {
			t.Fatalf("block %d: read error %v; the writer got %d bytes, a start of the text: %v", bs, err, len(w.b), strings.HasPrefix(half, string(w.b)))
		}
	}
}

// TestLinesMemo checks that every chunk comes with a memory of value
// texts, which is empty at the first chunk of each text a goroutine parses
// (a memory switched off by one text of distinct values, or judged on one
// of few, would otherwise carry that over to the next text).
func TestLinesMemo(t *testing.T) {
	defer func(b int) { blockSize = b }(blockSize)
	blockSize = 100
	var text strings.Builder
	for i := range 3000 {
		fmt.Fprintf(&text, "%v %v %v %v\n", float32(i%256)/255, float32(i)/7, float32((i+1)%256)/255, float32(i)/3)
	}
	var mu sync.Mutex
	for pass := range 2 {
		seen := map[*Float32Memo]bool{}
		err := LinesTee(context.Background(), strings.NewReader(text.String()), 1, nil, func(c Chunk) error {
			mu.Lock()
			fresh := !seen[c.Memo]
			seen[c.Memo] = true
			mu.Unlock()
			if c.Memo == nil || (fresh && (c.Memo.seen != 0 || c.Memo.off)) {
				return fmt.Errorf("pass %d, line %d: memory %p, used before: %v", pass, c.Line, c.Memo, c.Memo != nil && c.Memo.seen != 0)
			}
			for i := 0; i < len(c.Data); {
				var l []byte
				l, i = NextLine(c.Data, i)
				for j := 0; j < len(l); j++ {
					v, end, ok := c.Memo.Scan(l, j)
					if w, wok := ParseFloat32(l[j:end]); !ok || v != w || !wok {
						return fmt.Errorf("line %q at %d: %v, want %v", l, j, v, w)
					}
					j = end
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
}

// TestLines checks that LinesTee (no writer) hands every line exactly once
// with its number, counted from the first line's number it is given, for
// block sizes that cut lines everywhere, and reports the earliest failing
// line and a read error's line.
func TestLines(t *testing.T) {
	defer func(b int) { blockSize = b }(blockSize)
	var text strings.Builder
	for i := 1; i <= 500; i++ {
		fmt.Fprintf(&text, "line %d %s\n", i, strings.Repeat("x", i%37))
	}
	text.WriteString("last 501") // no final newline
	for _, bs := range []int{1, 7, 64, 1000, 1 << 20} {
		blockSize = bs
		for _, first := range []int{1, 1000} {
			var mu sync.Mutex
			seen := map[int]string{}
			err := LinesTee(context.Background(), iotest.HalfReader(strings.NewReader(text.String())), first, nil, func(c Chunk) error {
				for i, n := 0, c.Line; i < len(c.Data); n++ {
					var l []byte
					l, i = NextLine(c.Data, i)
					mu.Lock()
					seen[n] = string(l)
					mu.Unlock()
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			if len(seen) != 501 {
				t.Fatalf("block %d, first line %d: %d lines", bs, first, len(seen))
			}
			for n, l := range seen {
				if f := strings.Fields(l); len(f) < 2 || f[1] != strconv.Itoa(n-first+1) {
					t.Fatalf("block %d, first line %d: line %d is %q", bs, first, n, l)
				}
			}
		}
		err := LinesTee(context.Background(), strings.NewReader(text.String()), 1, nil, func(c Chunk) error {
			for i, n := 0, c.Line; i < len(c.Data); n++ {
				var l []byte
				l, i = NextLine(c.Data, i)
				if bytes.HasSuffix(l, []byte("x")) && n%100 == 99 {
					return fmt.Errorf("line %d", n)
				}
			}
			return nil
		})
		if err == nil || err.Error() != "line 99" {
			t.Fatalf("block %d: error %v, want line 99", bs, err)
		}
	}
	rerr := errors.New("disk gone")
	for _, first := range []int{1, 40} {
		err := LinesTee(context.Background(), iotest.ErrReader(rerr), first, nil, func(Chunk) error { return nil })
		var re *ReadError
		if !errors.As(err, &re) || !errors.Is(err, rerr) || re.Line != first {
			t.Fatalf("read error, first line %d: %v", first, err)
		}
	}
}

func BenchmarkParseFloat32Pixels(b *testing.B) {
	var vals [][]byte
	for k := range 256 {
		vals = append(vals, AppendFloat32(nil, float32(k)/255))
	}
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		ParseFloat32(vals[i&255])
	}
}

func BenchmarkStrconvFloat32Pixels(b *testing.B) {
	var vals []string
	for k := range 256 {
		vals = append(vals, string(AppendFloat32(nil, float32(k)/255)))
	}
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		strconv.ParseFloat(vals[i&255], 32)
	}
}

func BenchmarkAppendFloat32Pixels(b *testing.B) {
	var buf []byte
	for i := 0; b.Loop(); i++ {
		buf = AppendFloat32(buf[:0], float32(i&255)/255)
	}
}

func BenchmarkFloat32TextPixels(b *testing.B) {
	var buf []byte
	var f Float32Text
	for i := 0; b.Loop(); i++ {
		buf = f.Append(buf[:0], float32(i&255)/255)
	}
}

func TestIndexText(t *testing.T) {
	it := NewIndexText(1234)
	for _, i := range []int{1, 9, 10, 99, 100, 1234} {
		if got, want := string(it.Append([]byte("x"), i)), fmt.Sprintf("x%d:", i); got != want {
			t.Errorf("Append(%d) = %q, want %q", i, got, want)
		}
	}
}

// TestLinesContext: a done context stops LinesTee before any chunk (already
// cancelled) or after the chunk being read when it is cancelled, with
// ctx.Err(), and nothing is written to the tee after it.
func TestLinesContext(t *testing.T) {
	defer SetBlockSize(SetBlockSize(64))
	text := strings.Repeat("1 1:0.5 2:0.25\n", 1000) // 15000 bytes, about 235 chunks
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var parsed atomic.Int32
	err := LinesTee(ctx, strings.NewReader(text), 1, nil, func(Chunk) error { parsed.Add(1); return nil })
	if !errors.Is(err, context.Canceled) || parsed.Load() != 0 {
		t.Errorf("cancelled before: %v, %d chunks parsed", err, parsed.Load())
	}

	ctx, cancel = context.WithCancel(context.Background())
	defer cancel()
	cr := &testio.CancelReader{R: strings.NewReader(text), After: 1000, Cancel: cancel}
	var tee bytes.Buffer
	parsed.Store(0)
	err = LinesTee(ctx, cr, 1, &tee, func(c Chunk) error { parsed.Add(int32(len(c.Data))); return nil })
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled after 1000 bytes: %v", err)
	}
	// Reading stops with the block in which the context was cancelled.
	if cr.N > 1000+64 || parsed.Load() > 1000+64 || tee.Len() > 1000+64 {
		t.Errorf("cancelled after 1000 bytes: read %d bytes, parsed %d, teed %d", cr.N, parsed.Load(), tee.Len())
	}
	// A parse error before the cancel still reads whole with a live context.
	perr := errors.New("bad chunk")
	if err := LinesTee(context.Background(), strings.NewReader(text), 1, nil, func(c Chunk) error {
		if c.Seq == 3 {
			return perr
		}
		return nil
	}); err != perr {
		t.Errorf("live context, bad chunk 3: %v", err)
	}
}

func TestQuote(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"", `""`},
		{"1:x", `"1:x"`},
		{"a\tb\xff", `"a\tb\xff"`},
		{strings.Repeat("7", 32), `"` + strings.Repeat("7", 32) + `"`},
		{strings.Repeat("7", 33), `"` + strings.Repeat("7", 32) + `"… (33 bytes)`},
	} {
		if got := Quote(c.in); got != c.want || Quote([]byte(c.in)) != c.want {
			t.Errorf("Quote(%.40q) = %s, want %s", c.in, got, c.want)
		}
	}
}
