//go:build openblas

package linalg

import (
	"strings"
	"testing"

	"gonum.org/v1/gonum/blas/blas32"
	"gonum.org/v1/netlib/blas/netlib"
)

// TestOpenBLASSingleThreaded checks what this build does: blas32 calls
// OpenBLAS (through gonum/netlib), OpenBLAS is set to one thread at init,
// and SetThreads changes and restores that number.
func TestOpenBLASSingleThreaded(t *testing.T) {
	if Implementation() != "openblas" || !strings.Contains(Config(), "OpenBLAS") {
		t.Fatalf("Implementation %q, Config %q: want OpenBLAS", Implementation(), Config())
	}
	if _, ok := blas32.Implementation().(netlib.Implementation); !ok {
		t.Fatalf("blas32 uses %T, want netlib.Implementation (OpenBLAS)", blas32.Implementation())
	}
	if n := Threads(); n != 1 {
		t.Fatalf("OpenBLAS threads = %d, want 1", n)
	}
	one := callingThreadShare(t, 1024, 1024, 1024, 1, 4)
	prev := SetThreads(2)
	two := callingThreadShare(t, 1024, 1024, 1024, 1, 4)
	SetThreads(prev)
	if Threads() != 1 {
		t.Fatalf("SetThreads did not restore 1 thread: %d", Threads())
	}
	// The shares are logged, not asserted: on 28 November CI measured the
	// calling thread's share at 0.57–0.65 with one OpenBLAS thread on an
	// idle machine (the rest went to other threads of the process, not
	// yet explained), which no threshold separates from the 0.50 of two
	// threads. What is asserted is what the build configures: blas32 calls
	// OpenBLAS, and OpenBLAS is set to one thread and restored to it.
	t.Logf("calling thread's share of the CPU time of one Sgemm call: %.2f with 1 OpenBLAS thread, %.2f with 2", one, two)
}
