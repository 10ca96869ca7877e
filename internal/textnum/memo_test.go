package textnum

import (
	"math"
	"math/rand/v2"
	"strconv"
	"testing"
)

// TestFloat32Memo checks Scan against ScanFloat32 on a line of pixel
// values in both the forms files hold (shortest float32 and float64 text)
// mixed with other numbers and bad fields, read three times (the second
// and third times from the memory), and that the memory holds all 256
// pixel texts of each form at once and stays on for them.
func TestFloat32Memo(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	var line []byte
	var starts []int
	add := func(s string) {
		starts = append(starts, len(line))
		line = append(append(line, s...), ' ')
	}
	for k := range 256 {
		v := float32(k) / 255
		add(strconv.FormatFloat(float64(v), 'g', -1, 64))
		add(strconv.FormatFloat(float64(v), 'g', -1, 32))
	}
	for range 300 {
		add(strconv.FormatFloat(float64(math.Float32frombits(rng.Uint32())), 'g', -1, 32))
		add(strconv.FormatFloat(rng.NormFloat64(), 'g', -1, 64))
	}
	for _, s := range []string{"", "x", "1e", "0.5:3", "-0", "123456789012345678901234567", "1\t", "0.25\r"} {
		add(s)
	}
	line = append(line, "0.0470588244497776"...) // the last field, near the end
	starts = append(starts, len(line)-18)
	var f Float32Memo
	for pass := range 3 {
		for _, i := range starts {
			v, end, ok := f.Scan(line, i)
			wv, wend, wok := ScanFloat32(line, i)
			if ok != wok || (ok && (end != wend || math.Float32bits(v) != math.Float32bits(wv))) {
				t.Fatalf("pass %d: Scan at %d (%q) = %v, %d, %v; ScanFloat32: %v, %d, %v", pass, i, line[i:min(len(line), i+20)], v, end, ok, wv, wend, wok)
			}
		}
	}
	for form := range 2 { // starts[2k]: float64 texts, starts[2k+1]: float32
		f = Float32Memo{}
		for range 20 * 256 {
			f.Scan(line, starts[2*rng.IntN(256)+form])
		}
		if f.misses != 256 || f.off {
			t.Errorf("form %d: %d misses reading 5120 pixel texts (want 256, one each); off %v", form, f.misses, f.off)
		}
	}
}

// TestFloat32MemoOff checks that data of distinct values switches the
// memory off, and that it still reads them right.
func TestFloat32MemoOff(t *testing.T) {
	rng := rand.New(rand.NewPCG(13, 14))
	var f Float32Memo
	for k := range 8 * memoTrial {
		s := strconv.FormatFloat(rng.Float64(), 'g', -1, 64) + " 1:2 3:4 5:6 7:8"
		v, end, ok := f.Scan([]byte(s), 0)
		wv, wend, wok := ScanFloat32([]byte(s), 0)
		if ok != wok || end != wend || v != wv {
			t.Fatalf("value %d: Scan(%q) = %v, %d, %v; ScanFloat32: %v, %d, %v", k, s, v, end, ok, wv, wend, wok)
		}
	}
	if !f.off {
		t.Errorf("still on after %d distinct values (%d misses)", 8*memoTrial, f.misses)
	}
}

// BenchmarkScanFloat32Distinct reads a line of 4096 distinct random values
// (shortest float64 texts, 16–17 digits, as a file written from doubles
// holds) with Float32Memo.Scan, whose memory finds none of them and should
// switch itself off, and with ScanFloat32 alone: the two should take the
// same time.
func BenchmarkScanFloat32Distinct(b *testing.B) {
	rng := rand.New(rand.NewPCG(15, 16))
	benchScanValues(b, rng.Float64)
}

// BenchmarkScanFloat32Pixels is BenchmarkScanFloat32Distinct for the 256
// pixel values k/255 (shortest float64 texts), which the memory holds.
func BenchmarkScanFloat32Pixels(b *testing.B) {
	rng := rand.New(rand.NewPCG(17, 18))
	benchScanValues(b, func() float64 { return float64(float32(rng.IntN(256)) / 255) })
}

// benchScanValues scans a line of 4096 values from next (shortest
// float64 texts) with a Float32Memo and with plain ScanFloat32.
func benchScanValues(b *testing.B, next func() float64) {
	var line []byte
	var starts []int
	for range 4096 {
		starts = append(starts, len(line))
		line = strconv.AppendFloat(line, next(), 'g', -1, 64)
		line = append(line, ' ')
	}
	b.Run("memo", func(b *testing.B) {
		var f Float32Memo
		for b.Loop() {
			for _, i := range starts {
				f.Scan(line, i)
			}
		}
	})
	b.Run("plain", func(b *testing.B) {
		for b.Loop() {
			for _, i := range starts {
				ScanFloat32(line, i)
			}
		}
	})
}
