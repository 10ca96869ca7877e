//go:build openblas

package linalg

import (
	"strings"
	"testing"
)

// TestOpenBLASSingleThreaded checks the thread ownership decision: OpenBLAS
// is set to one thread at init and a call really uses one core (CPU time
// about equal to wall time with GOMAXPROCS=1). With two threads the ratio
// approaches 2 on an idle machine; the test logs it for comparison.
func TestOpenBLASSingleThreaded(t *testing.T) {
	if Implementation() != "openblas" || !strings.Contains(Config(), "OpenBLAS") {
		t.Fatalf("Implementation %q, Config %q: want OpenBLAS", Implementation(), Config())
	}
	if n := Threads(); n != 1 {
		t.Fatalf("OpenBLAS threads = %d, want 1", n)
	}
	one := sgemmLoad(t, 1024, 1024, 1024, 1, 4)
	prev := SetThreads(2)
	two := sgemmLoad(t, 1024, 1024, 1024, 1, 4)
	SetThreads(prev)
	if Threads() != 1 {
		t.Fatalf("SetThreads did not restore 1 thread: %d", Threads())
	}
	t.Logf("CPU/wall time of one Sgemm call: %.2f with 1 OpenBLAS thread, %.2f with 2", one, two)
	if one > 1.3 {
		t.Errorf("CPU/wall time %.2f with 1 OpenBLAS thread: OpenBLAS runs more than one thread", one)
	}
}
