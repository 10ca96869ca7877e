package memory

import (
	"errors"
	"runtime/debug"
	"testing"
)

var sink []byte

// A function that holds 64 MiB of touched memory shows at least that much
// in both peaks (the RSS one when the machine lets it be reset).
func TestMeasure(t *testing.T) {
	const size = 64 << 20
	want := errors.New("the function's error")
	p, err := Measure(func() error {
		sink = make([]byte, size)
		for i := 0; i < len(sink); i += 4096 {
			sink[i] = 1
		}
		return want
	})
	sink = nil
	t.Logf("peaks: RSS %d, Go heap %d bytes", p.RSSBytes, p.HeapBytes)
	if err != want {
		t.Errorf("error %v, want the function's", err)
	}
	if p.HeapBytes < size {
		t.Errorf("peak Go heap %d bytes, want ≥ %d", p.HeapBytes, size)
	}
	if p.RSSBytes != 0 && p.RSSBytes < size {
		t.Errorf("peak RSS %d bytes, want ≥ %d (or 0 when unknown)", p.RSSBytes, size)
	}
	if p.RSSBytes == 0 {
		t.Log("peak RSS unknown here: /proc/self/clear_refs refused")
	}
}

// Limit sets the runtime's soft limit above what it holds, by extra; a
// GOMEMLIMIT of the user's is left alone.
func TestLimit(t *testing.T) {
	defer debug.SetMemoryLimit(debug.SetMemoryLimit(-1))
	t.Setenv("GOMEMLIMIT", "")
	const extra = 100 << 20
	got := Limit(extra)
	if got <= extra || debug.SetMemoryLimit(-1) != got {
		t.Errorf("Limit(%d) = %d, runtime limit %d: want the runtime's limit, above extra", extra, got, debug.SetMemoryLimit(-1))
	}
	t.Setenv("GOMEMLIMIT", "1GiB")
	if got := Limit(extra); got != 0 {
		t.Errorf("with GOMEMLIMIT set, Limit = %d, want 0 (the user's limit kept)", got)
	}
	if Limit(0) != 0 {
		t.Error("Limit(0) set a limit")
	}
}
