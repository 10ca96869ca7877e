package linalg

import (
	"math/rand/v2"
	"runtime"
	"syscall"
	"testing"
	"time"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas32"
)

// cpuTime is the user+system time of the whole process.
func cpuTime(t *testing.T) time.Duration {
	var r syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &r); err != nil {
		t.Skipf("getrusage: %v", err)
	}
	return time.Duration(r.Utime.Nano() + r.Stime.Nano())
}

// sgemmLoad runs an m×n×k NT product reps times on one goroutine with
// GOMAXPROCS set to procs and returns CPU time over wall time: about 1 when
// the BLAS computes on the calling thread alone, up to the number of threads
// it uses otherwise (less on a loaded machine, never more).
func sgemmLoad(t *testing.T, m, n, k, procs, reps int) float64 {
	rng := rand.New(rand.NewPCG(1, 1))
	a := make([]float32, max(m, n)*k)
	for i := range a {
		a[i] = rng.Float32()
	}
	c := make([]float32, m*n)
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(procs))
	c0, w0 := cpuTime(t), time.Now()
	for r := 0; r < reps; r++ {
		blas32.Implementation().Sgemm(blas.NoTrans, blas.Trans, m, n, k, 1, a, k, a, k, 0, c, n)
	}
	return (cpuTime(t) - c0).Seconds() / time.Since(w0).Seconds()
}

func TestTileShape(t *testing.T) {
	m, n := TileShape()
	if m < 1 || n < 1 {
		t.Fatalf("TileShape() = %d, %d", m, n)
	}
	if Implementation() == "gonum" && (m+63)/64*((n+63)/64) >= 4 {
		t.Errorf("TileShape() = %d×%d: gonum splits products of four or more 64×64 blocks over goroutines", m, n)
	}
	if Config() == "" {
		t.Error("Config() is empty")
	}
	t.Logf("%s: %s, tiles %d×%d, %d threads a call", Implementation(), Config(), m, n, Threads())
}
