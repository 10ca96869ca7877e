package testio

import (
	"io"
	"strings"
	"testing"
	"testing/iotest"
)

// TestCancelReader: Cancel is not called up to After bytes, is called
// first when the count passes it, and the text reads through whole.
func TestCancelReader(t *testing.T) {
	at := -1
	c := &CancelReader{R: iotest.OneByteReader(strings.NewReader("0123456789")), After: 4}
	c.Cancel = func() {
		if at < 0 {
			at = c.N
		}
	}
	b, err := io.ReadAll(c)
	if err != nil || string(b) != "0123456789" || c.N != 10 || at != 5 {
		t.Errorf("read %q (%v), N %d, first cancel after %d bytes (want 5)", b, err, c.N, at)
	}
}
