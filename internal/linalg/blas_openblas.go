//go:build openblas

package linalg

/*
#cgo LDFLAGS: -L/usr/lib/x86_64-linux-gnu/openblas-pthread -lopenblas
void openblas_set_num_threads(int);
*/
import "C"

import (
	"gonum.org/v1/gonum/blas/blas32"
	"gonum.org/v1/netlib/blas/netlib"
)

func init() {
	// Go code splits matrix work over GOMAXPROCS goroutines; OpenBLAS runs
	// one thread per call so the two do not compete for the same cores.
	C.openblas_set_num_threads(1)
	blas32.Use(netlib.Implementation{})
}

// Implementation names the BLAS behind blas32 in this build.
func Implementation() string { return "openblas" }
