package kernels

import (
	"math/rand/v2"
	"runtime"
	"syscall"
	"testing"
	"time"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas32"

	"github.com/svmbench/svmbench/internal/linalg"
	"github.com/svmbench/svmbench/matrix"
)

// The benchmarks put the engine beside two baselines of the same shape, run
// in the same process so that their ratio means something on a shared
// machine:
//
//	sgemm-1goroutine  one blas32 Sgemm call C = X·Xᵀ with GOMAXPROCS=1
//	                  (OpenBLAS: one thread): what one core does alone
//	sgemm             the same call with GOMAXPROCS as given (-cpu); in the
//	                  openblas build OpenBLAS then uses that many threads
//	naive             float64 dot products, rows split over GOMAXPROCS
//	                  goroutines (the engine before this package was fast);
//	                  at 4096 only the first 256 rows, timed as a rate
//
// Every sub-benchmark reports effective rates, crediting 2·m·n·d flops for
// an m×n output whether it computed every element or not, per second of
// wall time (eff-GFLOP/s) and per second of the process's CPU time
// (eff-GFLOP/cpu-s); and the rate of the flops it actually did per CPU
// second (done-GFLOP/cpu-s), the work per core. They differ only for the
// engine's symmetric Gram matrices, which compute the lower triangle,
// n(n+1)·d flops, and mirror it: there the effective rate is nearly twice
// the work done.
//
//	go test -run '^$' -bench 'Gram|Columns' -benchtime 3x ./kernels/
//	go test -tags openblas -run '^$' -bench 'Gram|Columns' -benchtime 3x ./kernels/

// prefault writes every page of m, so that the first timed call does not
// pay the kernel's page faults for a fresh allocation.
func prefault(m *matrix.Matrix) *matrix.Matrix {
	for i := 0; i < len(m.Data); i += 1024 {
		m.Data[i] = 0
	}
	return m
}

// warmUp runs one small product on every worker, so that one-time costs (the
// helper goroutines, OpenBLAS's per-call buffers) fall outside the first
// timed sub-benchmark.
func warmUp() {
	tm, _ := linalg.TileShape()
	x := benchMatrix(2*tm+1, 256)
	e, _ := NewEngine(Linear{}, x)
	e.Gram(matrix.New(x.Rows, x.Rows))
}

func benchMatrix(n, d int) *matrix.Matrix {
	return cifarMatrix(rand.New(rand.NewPCG(uint64(n), uint64(d))), n, d)
}

// cpuNow is the CPU time (user + system) of the whole process so far.
func cpuNow() time.Duration {
	var r syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &r) != nil {
		return 0
	}
	return time.Duration(r.Utime.Nano() + r.Stime.Nano())
}

// reportGFLOPs reports the effective rate of an m×n×d product (2·m·n·d
// flops an operation) per second of wall time and per second of CPU time
// used by the process since cpu0 (taken just before the timed loop), and
// the rate of the flops actually done, done an operation, per CPU second:
// on a machine shared with other work the CPU rates measure efficiency per
// core, the wall rate what a user waits for.
func reportGFLOPs(b *testing.B, m, n, d int, done float64, cpu0 time.Duration) {
	flop := 2 * float64(m) * float64(n) * float64(d) * float64(b.N)
	b.ReportMetric(flop/b.Elapsed().Seconds()/1e9, "eff-GFLOP/s")
	if c := (cpuNow() - cpu0).Seconds(); c > 0 {
		b.ReportMetric(flop/c/1e9, "eff-GFLOP/cpu-s")
		b.ReportMetric(done*float64(b.N)/c/1e9, "done-GFLOP/cpu-s")
	}
}

// full is the flops of an m×n×d product computed element by element.
func full(m, n, d int) float64 { return 2 * float64(m) * float64(n) * float64(d) }

// lower is the flops of the lower triangle of an n×n Gram matrix of d-dim
// rows, diagonal included: what Engine.Gram computes before mirroring.
func lower(n, d int) float64 { return float64(n) * float64(n+1) * float64(d) }

// benchSgemm times one NT Sgemm of rows a (m×d) against rows x (n×d), with
// GOMAXPROCS and the OpenBLAS thread count set to procs.
func benchSgemm(b *testing.B, a, x *matrix.Matrix, procs int) {
	c := prefault(matrix.New(a.Rows, x.Rows))
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(procs))
	defer linalg.SetThreads(linalg.SetThreads(procs))
	impl := blas32.Implementation()
	cpu0 := cpuNow()
	for b.Loop() {
		impl.Sgemm(blas.NoTrans, blas.Trans, a.Rows, x.Rows, x.Cols, 1, a.Data, a.Stride, x.Data, x.Stride, 0, c.Data, c.Stride)
	}
	reportGFLOPs(b, a.Rows, x.Rows, x.Cols, full(a.Rows, x.Rows, x.Cols), cpu0)
}

// naiveBlock sets dst = K(x_rows, x) with float64 dot products, rows split
// over GOMAXPROCS goroutines.
func naiveBlock(dst *matrix.Matrix, k Kernel, x *matrix.Matrix, rows []int) {
	w := runtime.GOMAXPROCS(0)
	done := make(chan struct{}, w)
	for p := 0; p < w; p++ {
		go func(p int) {
			for i := p; i < dst.Rows; i += w {
				xi := x.Row(rows[i])
				out := dst.Row(i)
				for j := range out {
					out[j] = float32(k.Eval(xi, x.Row(j)))
				}
			}
			done <- struct{}{}
		}(p)
	}
	for p := 0; p < w; p++ {
		<-done
	}
}

func benchGram(b *testing.B, n, d, naiveRows int) {
	x := benchMatrix(n, d)
	k := RBF{Gamma: 0.005}
	warmUp()
	b.Run("engine", func(b *testing.B) {
		e, _ := NewEngine(k, x)
		g := prefault(matrix.New(n, n))
		cpu0 := cpuNow()
		for b.Loop() {
			e.Gram(g)
		}
		reportGFLOPs(b, n, n, d, lower(n, d), cpu0)
	})
	b.Run("engine-1worker", func(b *testing.B) {
		e, _ := NewEngineOptions(k, x, Options{Workers: 1})
		g := prefault(matrix.New(n, n))
		cpu0 := cpuNow()
		for b.Loop() {
			e.Gram(g)
		}
		reportGFLOPs(b, n, n, d, lower(n, d), cpu0)
	})
	b.Run("sgemm-1goroutine", func(b *testing.B) { benchSgemm(b, x, x, 1) })
	b.Run("sgemm", func(b *testing.B) { benchSgemm(b, x, x, runtime.GOMAXPROCS(0)) })
	b.Run("naive", func(b *testing.B) {
		rows := make([]int, naiveRows)
		for i := range rows {
			rows[i] = i
		}
		g := prefault(matrix.New(naiveRows, n))
		cpu0 := cpuNow()
		for b.Loop() {
			naiveBlock(g, k, x, rows)
		}
		reportGFLOPs(b, naiveRows, n, d, full(naiveRows, n, d), cpu0)
	})
}

// BenchmarkGram1024x3072 is the 1024×1024 RBF Gram matrix of 3072-dim rows.
func BenchmarkGram1024x3072(b *testing.B) { benchGram(b, 1024, 3072, 1024) }

// BenchmarkGram4096x3072 is the 4096×4096 RBF Gram matrix of 3072-dim rows
// (naive: 256 rows of it).
func BenchmarkGram4096x3072(b *testing.B) { benchGram(b, 4096, 3072, 256) }

// BenchmarkColumns64x5000x3072 is one SMO cache refill: 64 Gram columns
// (random rows) against 5000 rows of 3072 dimensions.
func BenchmarkColumns64x5000x3072(b *testing.B) {
	const m, n, d = 64, 5000, 3072
	x := benchMatrix(n, d)
	rng := rand.New(rand.NewPCG(64, 5000))
	idx := rng.Perm(n)[:m]
	k := RBF{Gamma: 0.005}
	warmUp()
	b.Run("engine", func(b *testing.B) {
		e, _ := NewEngine(k, x)
		c := prefault(matrix.New(m, n))
		b.ReportAllocs()
		cpu0 := cpuNow()
		for b.Loop() {
			e.Columns(c, idx)
		}
		reportGFLOPs(b, m, n, d, full(m, n, d), cpu0)
	})
	b.Run("engine-1worker", func(b *testing.B) {
		e, _ := NewEngineOptions(k, x, Options{Workers: 1})
		c := prefault(matrix.New(m, n))
		cpu0 := cpuNow()
		for b.Loop() {
			e.Columns(c, idx)
		}
		reportGFLOPs(b, m, n, d, full(m, n, d), cpu0)
	})
	a := x.Gather(idx)
	b.Run("sgemm-1goroutine", func(b *testing.B) { benchSgemm(b, a, x, 1) })
	b.Run("sgemm", func(b *testing.B) { benchSgemm(b, a, x, runtime.GOMAXPROCS(0)) })
	b.Run("naive", func(b *testing.B) {
		c := prefault(matrix.New(m, n))
		cpu0 := cpuNow()
		for b.Loop() {
			naiveBlock(c, k, x, idx)
		}
		reportGFLOPs(b, m, n, d, full(m, n, d), cpu0)
	})
}

// BenchmarkDotGramMap4096 is the cost of one more grid point once the
// DotGram of 4096 rows exists: the elementwise pass alone (lower triangle
// and mirror), reported per kernel value.
func BenchmarkDotGramMap4096(b *testing.B) {
	const n = 4096
	g := NewDotGram(benchMatrix(n, 64))
	dst := prefault(matrix.New(n, n))
	for _, k := range []DotKernel{Sigmoid{Alpha: 3e-4, Coef0: -1}, RBF{Gamma: 0.005}, Linear{}} {
		b.Run(k.Name(), func(b *testing.B) {
			b.ReportAllocs()
			cpu0 := cpuNow()
			for b.Loop() {
				g.Gram(dst, k, nil, nil)
			}
			b.ReportMetric(b.Elapsed().Seconds()*1e9/float64(b.N)/(n*n), "ns/value")
			b.ReportMetric(float64((cpuNow()-cpu0).Nanoseconds())/float64(b.N)/(n*n), "cpu-ns/value")
		})
	}
}

// BenchmarkMinEigen1000x3072 is one PSD diagnostic: the float64 Gram matrix
// of 1000 sampled rows of 3072 dimensions and its eigenvalues.
func BenchmarkMinEigen1000x3072(b *testing.B) {
	x := benchMatrix(2000, 3072)
	k := Sigmoid{Alpha: 0.001, Coef0: -1}
	cpu0 := cpuNow()
	for b.Loop() {
		if _, err := MinEigen(k, x, 0, rand.New(rand.NewPCG(1, 2))); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric((cpuNow()-cpu0).Seconds()/float64(b.N), "cpu-s/op")
}
