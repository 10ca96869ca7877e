package linalg

import (
	"fmt"
	"math/rand/v2"
	"os"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas32"
)

// threadTimes returns the CPU time each thread of the process has used so
// far, by thread id, from Linux's /proc/self/task/TID/schedstat (the first
// field: nanoseconds on a CPU). The test skips where there is no such file.
func threadTimes(t *testing.T) map[int]time.Duration {
	t.Helper()
	ents, err := os.ReadDir("/proc/self/task")
	if err != nil {
		t.Skipf("per-thread CPU times need Linux's /proc: %v", err)
	}
	out := make(map[int]time.Duration, len(ents))
	for _, e := range ents {
		tid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		b, err := os.ReadFile(fmt.Sprintf("/proc/self/task/%d/schedstat", tid))
		if err != nil {
			continue // the thread exited, or no schedstat: counted as 0
		}
		f := strings.Fields(string(b))
		if len(f) == 0 {
			continue
		}
		ns, err := strconv.ParseInt(f[0], 10, 64)
		if err != nil {
			continue
		}
		out[tid] = time.Duration(ns)
	}
	return out
}

// callingThreadShare runs an m×n×k NT product reps times on a goroutine
// locked to its OS thread, with GOMAXPROCS set to procs, and returns the
// share of the CPU time the process's threads spent meanwhile that the
// calling thread spent: about 1 when the BLAS computes on the calling thread
// alone, about 1/T when T threads share the work, about 0 when other
// goroutines do it while the caller waits. Unlike CPU time over wall time it
// counts which threads did the work, so another program's load on the
// machine does not change it.
func callingThreadShare(t *testing.T, m, n, k, procs, reps int) float64 {
	t.Helper()
	rng := rand.New(rand.NewPCG(1, 1))
	a := make([]float32, max(m, n)*k)
	for i := range a {
		a[i] = rng.Float32()
	}
	c := make([]float32, m*n)
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(procs))
	// No garbage collection during the measurement: while the calling
	// thread is inside a cgo call the runtime runs GC workers on its other
	// threads, which would count as work not done by the caller (seen in
	// CI: a share of 0.64 with one OpenBLAS thread).
	runtime.GC()
	defer debug.SetGCPercent(debug.SetGCPercent(-1))
	share := make(chan float64)
	go func() {
		runtime.LockOSThread()
		defer runtime.UnlockOSThread()
		tid := syscall.Gettid()
		before := threadTimes(t)
		for r := 0; r < reps; r++ {
			blas32.Implementation().Sgemm(blas.NoTrans, blas.Trans, m, n, k, 1, a, k, a, k, 0, c, n)
		}
		after := threadTimes(t)
		var mine, all time.Duration
		for id, d := range after {
			d -= before[id]
			all += d
			if id == tid {
				mine = d
			}
		}
		share <- mine.Seconds() / all.Seconds()
	}()
	return <-share
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
