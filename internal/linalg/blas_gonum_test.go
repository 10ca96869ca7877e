//go:build !openblas

package linalg

import (
	"testing"

	"gonum.org/v1/gonum/blas/blas32"
	"gonum.org/v1/gonum/blas/gonum"
)

// TestGonumTileRunsSerially checks what TileShape relies on, in this
// build's BLAS (gonum's pure Go, as blas32's default): with GOMAXPROCS=2
// gonum computes a TileShape-sized product on the calling goroutine (whose
// thread spends at least 90% of the process's CPU time meanwhile), while it
// hands a larger one to worker goroutines on other threads (the caller's
// share falls to at most 50%: it only waits), which also shows that the
// measurement tells the two apart.
func TestGonumTileRunsSerially(t *testing.T) {
	if Implementation() != "gonum" {
		t.Fatalf("Implementation %q, want gonum", Implementation())
	}
	if _, ok := blas32.Implementation().(gonum.Implementation); !ok {
		t.Fatalf("blas32 uses %T, want gonum.Implementation", blas32.Implementation())
	}
	m, n := TileShape()
	tile := callingThreadShare(t, m, n, 3072, 2, 20)
	big := callingThreadShare(t, 512, 512, 1024, 2, 4)
	t.Logf("calling thread's share of the CPU time with GOMAXPROCS=2: %.2f for a %d×%d×3072 tile, %.2f for 512×512×1024", tile, m, n, big)
	if tile < 0.9 {
		t.Errorf("the calling thread did %.0f%% of a %d×%d tile: gonum split it over goroutines", 100*tile, m, n)
	}
	if big > 0.5 {
		t.Errorf("the calling thread did %.0f%% of a 512×512×1024 product: gonum did not hand it to worker goroutines (or the measurement does not see them)", 100*big)
	}
}
