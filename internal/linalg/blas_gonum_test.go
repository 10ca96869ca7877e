//go:build !openblas

package linalg

import (
	"runtime"
	"testing"
)

// TestGonumTileRunsSerially checks what TileShape relies on: gonum computes
// a TileShape-sized product on the calling goroutine (CPU time about equal
// to wall time with GOMAXPROCS=2), while a larger one spreads over
// GOMAXPROCS goroutines (logged for comparison: up to 2 on an idle machine).
func TestGonumTileRunsSerially(t *testing.T) {
	if Implementation() != "gonum" {
		t.Fatalf("Implementation %q, want gonum", Implementation())
	}
	if runtime.NumCPU() < 2 {
		t.Skip("one CPU: nothing to tell apart")
	}
	m, n := TileShape()
	tile := sgemmLoad(t, m, n, 3072, 2, 20)
	big := sgemmLoad(t, 512, 512, 1024, 2, 4)
	t.Logf("CPU/wall time with GOMAXPROCS=2: %.2f for a %d×%d×3072 tile, %.2f for 512×512×1024", tile, m, n, big)
	if tile > 1.3 {
		t.Errorf("CPU/wall time %.2f: gonum split a %d×%d tile over goroutines", tile, m, n)
	}
}
