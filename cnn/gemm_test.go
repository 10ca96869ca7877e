package cnn

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestGEMM compares gemm (tiled for gonum, whole for OpenBLAS) with a
// float64 triple loop for every transpose combination, sizes that cross
// the 64-block edges, and alpha/beta values.
func TestGEMM(t *testing.T) {
	rng := rand.New(rand.NewPCG(41, 42))
	for _, sz := range [][3]int{{1, 1, 1}, {5, 7, 3}, {64, 64, 64}, {130, 65, 129}, {200, 10, 300}, {3, 150, 70}} {
		m, n, k := sz[0], sz[1], sz[2]
		for _, tA := range []bool{false, true} {
			for _, tB := range []bool{false, true} {
				for _, ab := range [][2]float32{{1, 0}, {0.5, 1}, {-2, 0.25}} {
					a := randSlice(rng, m*k, -1, 1)
					b := randSlice(rng, k*n, -1, 1)
					c := randSlice(rng, m*n, -1, 1)
					lda, ldb := k, n
					if tA {
						lda = m
					}
					if tB {
						ldb = k
					}
					want := make([]float64, m*n)
					for i := 0; i < m; i++ {
						for j := 0; j < n; j++ {
							var s float64
							for l := 0; l < k; l++ {
								var av, bv float32
								if tA {
									av = a[l*lda+i]
								} else {
									av = a[i*lda+l]
								}
								if tB {
									bv = b[j*ldb+l]
								} else {
									bv = b[l*ldb+j]
								}
								s += float64(av) * float64(bv)
							}
							want[i*n+j] = float64(ab[0])*s + float64(ab[1])*float64(c[i*n+j])
						}
					}
					gemm(tA, tB, m, n, k, ab[0], a, lda, b, ldb, ab[1], c, n)
					for i, w := range want {
						if math.Abs(float64(c[i])-w) > 1e-4*(1+math.Abs(w))*math.Sqrt(float64(k)) {
							t.Fatalf("%d×%d×%d tA=%v tB=%v alpha=%v beta=%v: C[%d] = %v, want %v", m, n, k, tA, tB, ab[0], ab[1], i, c[i], w)
						}
					}
				}
			}
		}
	}
}
