package memory

import (
	"errors"
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
