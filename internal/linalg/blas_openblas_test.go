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
// and a call then runs on the calling thread alone: that thread spends at
// least 90% of the process's CPU time during a 1024³ product (the rest is
// the Go runtime's own threads). As a check of the measurement, with two
// OpenBLAS threads the calling thread's share falls to at most 75% (about
// half is expected: OpenBLAS splits the product statically between its
// threads, however busy the machine is).
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
	t.Logf("calling thread's share of the CPU time of one Sgemm call: %.2f with 1 OpenBLAS thread, %.2f with 2", one, two)
	if one < 0.9 {
		t.Errorf("the calling thread did %.0f%% of the work with 1 OpenBLAS thread: OpenBLAS runs other threads", 100*one)
	}
	if two > 0.75 {
		t.Errorf("the calling thread did %.0f%% of the work with 2 OpenBLAS threads: the measurement does not see OpenBLAS's threads", 100*two)
	}
}
