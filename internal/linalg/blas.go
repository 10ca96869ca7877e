//go:build !openblas

package linalg

import "runtime"

// Implementation names the BLAS behind blas32 in this build: "gonum" (pure
// Go) by default, "openblas" when built with -tags openblas.
func Implementation() string { return "gonum" }

// Config describes the BLAS library in more detail, for run manifests:
// "gonum (pure Go)" here; OpenBLAS's own configuration string (version,
// kernel, threading) in the openblas build.
func Config() string { return "gonum (pure Go)" }

// Threads is the number of threads one BLAS call may use. gonum's Sgemm
// splits a product of at least four 64×64 blocks of C over GOMAXPROCS
// goroutines, so this build reports runtime.GOMAXPROCS(0); smaller products
// run on the calling goroutine (see TileShape).
func Threads() int { return runtime.GOMAXPROCS(0) }

// SetThreads sets the number of threads OpenBLAS uses for one call and
// returns the previous setting. It does nothing in this build and returns
// Threads(). It exists for benchmarks that compare against a multi-threaded
// BLAS; the rest of the module assumes the BLAS is single-threaded.
func SetThreads(n int) int { return Threads() }

// TileShape returns the shape m×n of a block C = A·Bᵀ (A m×k, B n×k, any k)
// that one goroutine computes fastest with this BLAS, for callers that split
// a large product into blocks over goroutines themselves.
//
// gonum computes a product with fewer than four 64×64 blocks of C serially,
// one full-length SSE dot product per element, which is about twice its
// per-core rate on the 64-long pieces of its parallel path (measured:
// 18.6 against 9.9 GFLOP/s, 1024×1024×3072 on one core); 192×64 is the
// largest such block and the fastest measured.
func TileShape() (m, n int) { return 192, 64 }

// viaOpenBLAS is true in the openblas build, where GemmNT is OpenBLAS's sgemm.
const viaOpenBLAS = false
