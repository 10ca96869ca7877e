package cnn

import (
	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas32"

	"github.com/svmbench/svmbench/internal/linalg"
)

// tileGEMM is true when blas32 is gonum's pure-Go BLAS. That Sgemm starts
// a goroutine per 64×64 block of C whenever C has at least four blocks,
// which allocates on every call; the CNN already runs one worker per core,
// so gemm hands gonum one 64×64×64 block at a time (gonum's own blocking,
// run serially) and training allocates nothing per step. OpenBLAS (one
// thread, see internal/linalg) gets the whole product at once.
var tileGEMM = linalg.Implementation() == "gonum"

const tile = 64

func trans(t bool) blas.Transpose {
	if t {
		return blas.Trans
	}
	return blas.NoTrans
}

// gemm computes C = alpha·op(A)·op(B) + beta·C for row-major slices, where
// op(A) is m×k, op(B) is k×n and C is m×n.
func gemm(tA, tB bool, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	impl := blas32.Implementation()
	if !tileGEMM {
		impl.Sgemm(trans(tA), trans(tB), m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
		return
	}
	if beta != 1 {
		for i := 0; i < m; i++ {
			row := c[i*ldc : i*ldc+n]
			if beta == 0 {
				clear(row)
			} else {
				for j := range row {
					row[j] *= beta
				}
			}
		}
	}
	for i := 0; i < m; i += tile {
		mi := min(tile, m-i)
		for j := 0; j < n; j += tile {
			nj := min(tile, n-j)
			cs := c[i*ldc+j:]
			for l := 0; l < k; l += tile {
				kl := min(tile, k-l)
				var as, bs []float32
				if tA {
					as = a[l*lda+i:]
				} else {
					as = a[i*lda+l:]
				}
				if tB {
					bs = b[j*ldb+l:]
				} else {
					bs = b[l*ldb+j:]
				}
				impl.Sgemm(trans(tA), trans(tB), mi, nj, kl, alpha, as, lda, bs, ldb, 1, cs, ldc)
			}
		}
	}
}
