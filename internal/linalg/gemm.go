package linalg

import (
	"github.com/svmbench/svmbench/internal/f32"
	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas32"
)

// GemmNT sets the m×n matrix c (row stride ldc) to a·bᵀ, a m×k (stride
// lda) and b n×k (stride ldb), all row-major float32: every element is the
// inner product of a row of a with a row of b, as kernel matrices need.
//
// With OpenBLAS it is OpenBLAS's sgemm. In the default build on a CPU with
// AVX2 and FMA it is this package's own kernel (internal/f32: a 4×3 block of
// inner products per pass over k, eight float32 lanes, fused multiply-add,
// k cut into chunks of 512 so that the rows stay in cache; its measured
// rate against gonum's is in docs/kernels.md); elsewhere gonum's Sgemm. It
// runs on the calling goroutine.
func GemmNT(m, n, k int, a []float32, lda int, b []float32, ldb int, c []float32, ldc int) {
	if m == 0 || n == 0 {
		return
	}
	if DotKernel() && k >= 8 {
		dotGemmNT(m, n, k, a, lda, b, ldb, c, ldc)
		return
	}
	blas32.Implementation().Sgemm(blas.NoTrans, blas.Trans, m, n, k, 1, a, lda, b, ldb, 0, c, ldc)
}

// dotKernelOff turns the AVX2 kernel off (SetDotKernel), for benchmarks and
// tests that compare it with gonum's Sgemm.
var dotKernelOff bool

// SetDotKernel turns GemmNT's own AVX2 kernel on or off and returns the
// previous setting; it has no effect where the kernel is not used (OpenBLAS,
// CPUs without AVX2). For benchmarks and tests only: not safe to call while
// products run.
func SetDotKernel(on bool) bool {
	prev := !dotKernelOff
	dotKernelOff = !on
	return prev
}

// DotKernel reports whether GemmNT uses this package's own kernel.
func DotKernel() bool { return f32.Available && !viaOpenBLAS && !dotKernelOff }

// dotChunk is the length of the pieces of k one kernel call covers: four
// rows of a (8 KB) stay in L1 while the block's rows of b (n·2 KB) are read
// from L2.
const dotChunk = 512

// dotGemmNT is GemmNT with f32.Dot4x3, k ≥ 8. Edge blocks repeat the last
// row of a or b and drop the surplus results.
func dotGemmNT(m, n, k int, a []float32, lda int, b []float32, ldb int, c []float32, ldc int) {
	k8 := k &^ 7
	var out [12]float32
	for k0 := 0; k0 < k8; k0 += dotChunk {
		kl := min(dotChunk, k8-k0)
		for i := 0; i < m; i += 4 {
			ra := min(4, m-i)
			a0 := &a[i*lda+k0]
			a1 := &a[(i+min(1, ra-1))*lda+k0]
			a2 := &a[(i+min(2, ra-1))*lda+k0]
			a3 := &a[(i+min(3, ra-1))*lda+k0]
			for j := 0; j < n; j += 3 {
				rb := min(3, n-j)
				f32.Dot4x3(a0, a1, a2, a3, &b[j*ldb+k0], &b[(j+min(1, rb-1))*ldb+k0], &b[(j+min(2, rb-1))*ldb+k0], kl, &out)
				for r := range ra {
					row := c[(i+r)*ldc+j : (i+r)*ldc+j+rb]
					if k0 == 0 {
						copy(row, out[3*r:3*r+rb])
						continue
					}
					for s := range row {
						row[s] += out[3*r+s]
					}
				}
			}
		}
	}
	if k8 == k {
		return
	}
	for i := range m {
		ar := a[i*lda+k8 : i*lda+k]
		row := c[i*ldc : i*ldc+n]
		for j := range row {
			br := b[j*ldb+k8 : j*ldb+k]
			var s float32
			for l, v := range ar {
				s += v * br[l]
			}
			row[j] += s
		}
	}
}
