//go:build openblas

package linalg

/*
#cgo linux,amd64 LDFLAGS: -L/usr/lib/x86_64-linux-gnu/openblas-pthread
#cgo linux,arm64 LDFLAGS: -L/usr/lib/aarch64-linux-gnu/openblas-pthread
#cgo LDFLAGS: -lopenblas
void openblas_set_num_threads(int);
int openblas_get_num_threads(void);
char* openblas_get_config(void);
*/
import "C"

import (
	"sync"

	"gonum.org/v1/gonum/blas/blas32"
	"gonum.org/v1/netlib/blas/netlib"
)

// threadsMu serialises SetThreads: OpenBLAS's setting is process-wide.
var threadsMu sync.Mutex

func init() {
	// Thread ownership: Go code (the Gram engine, the CNN) splits matrix work
	// over GOMAXPROCS goroutines itself, so OpenBLAS runs each call on the
	// calling thread. Two layers of threads on the same cores would
	// oversubscribe them and slow both down.
	C.openblas_set_num_threads(1)
	blas32.Use(netlib.Implementation{})
}

// Implementation names the BLAS behind blas32 in this build.
func Implementation() string { return "openblas" }

// Config returns OpenBLAS's configuration string (version, CPU kernel,
// maximum threads), for run manifests.
func Config() string { return C.GoString(C.openblas_get_config()) }

// Threads is the number of threads one OpenBLAS call may use: 1, set at
// init, unless SetThreads changed it.
func Threads() int { return int(C.openblas_get_num_threads()) }

// SetThreads sets the number of threads OpenBLAS uses for one call and
// returns the previous setting. It exists for benchmarks that compare
// against OpenBLAS's own threading; the rest of the module assumes 1, and
// every benchmark that changes it must restore it.
func SetThreads(n int) int {
	threadsMu.Lock()
	defer threadsMu.Unlock()
	prev := Threads()
	if n < 1 {
		n = 1
	}
	C.openblas_set_num_threads(C.int(n))
	return prev
}

// TileShape returns the shape m×n of a block C = A·Bᵀ (A m×k, B n×k, any k)
// that one goroutine computes fastest with this BLAS, for callers that split
// a large product into blocks over goroutines themselves. OpenBLAS packs its
// operands, so larger blocks amortise the packing (measured on one core,
// 1024×1024×3072: 512×512 blocks 95 GFLOP/s, 192×64 blocks 68).
func TileShape() (m, n int) { return 512, 512 }

// viaOpenBLAS is true in the openblas build, where GemmNT is OpenBLAS's sgemm.
const viaOpenBLAS = true
