package linalg

import (
	"math"
	"math/rand/v2"
	"syscall"
	"testing"
	"time"

	"github.com/svmbench/svmbench/internal/f32"
	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas32"
)

// randRows returns r rows of length k at stride ld (≥ k), uniform in
// [0, 1) like pixels/255, with the padding set to NaN so that reading past
// a row shows.
func randRows(rng *rand.Rand, r, k, ld int) []float32 {
	x := make([]float32, r*ld)
	for i := range x {
		if i%ld < k {
			x[i] = rng.Float32()
		} else {
			x[i] = float32(math.NaN())
		}
	}
	return x
}

// TestGemmNT checks GemmNT against float64 inner products on shapes that
// exercise every edge of the 4×3 blocks (m, n not multiples), k below 8,
// not a multiple of 8, and across several 512-long chunks, strides larger
// than the rows, and that c outside the m×n block is left alone. The bound
// is float32 summation's: k·2⁻²⁴·Σ|a_l·b_l| (the values are positive).
func TestGemmNT(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, sh := range [][3]int{{1, 1, 1}, {1, 1, 8}, {4, 3, 8}, {5, 4, 7}, {7, 5, 17}, {9, 7, 512}, {13, 11, 1100}, {192, 64, 3072}, {3, 2, 1537}} {
		m, n, k := sh[0], sh[1], sh[2]
		lda, ldb, ldc := k+3, k+5, n+2
		a, b := randRows(rng, m, k, lda), randRows(rng, n, k, ldb)
		c := make([]float32, m*ldc)
		for i := range c {
			c[i] = -7 // must be overwritten inside the block, kept outside
		}
		GemmNT(m, n, k, a, lda, b, ldb, c, ldc)
		for i := range m {
			for j := range ldc {
				got := c[i*ldc+j]
				if j >= n {
					if got != -7 {
						t.Fatalf("%v: c[%d][%d] = %g outside the block, want -7 kept", sh, i, j, got)
					}
					continue
				}
				var want float64
				for l := range k {
					want += float64(a[i*lda+l]) * float64(b[j*ldb+l])
				}
				if tol := float64(k) * 0x1p-24 * want; math.Abs(float64(got)-want) > tol {
					t.Fatalf("%v (dot kernel %v): c[%d][%d] = %g, want %g ± %g", sh, DotKernel(), i, j, got, want, tol)
				}
			}
		}
	}
}

// TestGemmNTKernelSwitch checks that SetDotKernel(false) falls back to
// gonum's Sgemm exactly, and reports which path this machine takes.
func TestGemmNTKernelSwitch(t *testing.T) {
	t.Logf("GemmNT: own AVX2 kernel %v (%s build)", DotKernel(), Implementation())
	prev := SetDotKernel(false)
	defer SetDotKernel(prev)
	if DotKernel() {
		t.Fatal("SetDotKernel(false): DotKernel still true")
	}
	rng := rand.New(rand.NewPCG(3, 4))
	m, n, k := 10, 9, 100
	a, b := randRows(rng, m, k, k), randRows(rng, n, k, k)
	got, want := make([]float32, m*n), make([]float32, m*n)
	GemmNT(m, n, k, a, k, b, k, got, n)
	blas32.Implementation().Sgemm(blas.NoTrans, blas.Trans, m, n, k, 1, a, k, b, k, 0, want, n)
	for i := range got {
		if got[i] != want[i] {
			t.Fatalf("kernel off: element %d = %g, Sgemm %g", i, got[i], want[i])
		}
	}
}

// BenchmarkGemmNT192x64x3072 times one default-build Gram tile (192×64
// inner products of 3072-long rows) on one goroutine: the own AVX2 kernel
// (own, called directly, so that the openblas build compares it too)
// against blas32's Sgemm (sgemm: gonum's, or OpenBLAS's with -tags
// openblas). GFLOP/s counts 2·m·n·k.
func BenchmarkGemmNT192x64x3072(b *testing.B) { benchGemmNT(b, 192, 64, 3072) }

// BenchmarkGemmNT512x512x3072 is the openblas build's tile shape.
func BenchmarkGemmNT512x512x3072(b *testing.B) { benchGemmNT(b, 512, 512, 3072) }

func benchGemmNT(b *testing.B, m, n, k int) {
	rng := rand.New(rand.NewPCG(5, 6))
	x, y := randRows(rng, m, k, k), randRows(rng, n, k, k)
	c := make([]float32, m*n)
	flop := 2 * float64(m*n*k)
	b.Run("own", func(b *testing.B) {
		if !f32.Available {
			b.Skip("no own kernel on this CPU")
		}
		cpu0 := processCPU()
		for b.Loop() {
			dotGemmNT(m, n, k, x, k, y, k, c, n)
		}
		reportRates(b, flop, processCPU()-cpu0)
	})
	b.Run("sgemm", func(b *testing.B) {
		cpu0 := processCPU()
		for b.Loop() {
			blas32.Implementation().Sgemm(blas.NoTrans, blas.Trans, m, n, k, 1, x, k, y, k, 0, c, n)
		}
		reportRates(b, flop, processCPU()-cpu0)
	})
}

// reportRates reports flop per operation as GFLOP per second of wall time
// and per CPU-second of the process (the steadier figure on a shared
// machine: one goroutine computes).
func reportRates(b *testing.B, flop float64, cpu time.Duration) {
	b.ReportMetric(flop*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
	if cpu > 0 {
		b.ReportMetric(flop*float64(b.N)/cpu.Seconds()/1e9, "GFLOP/cpu-s")
	}
}

// processCPU is the CPU time (user + system) of the whole process so far.
func processCPU() time.Duration {
	var r syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &r) != nil {
		return 0
	}
	return time.Duration(r.Utime.Nano() + r.Stime.Nano())
}
