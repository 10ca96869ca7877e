// Package linalg holds the dense float32 matrix that every numeric package of
// svmbench shares, and the one place where the BLAS implementation is chosen.
//
// # Storage
//
// A Matrix is row-major over gonum's blas32.General: element (i, j) is
// Data[i*Stride+j], with Stride ≥ Cols. gonum's mat package is float64 only,
// which would double the memory of a Gram matrix (a 50000² float64 Gram needs
// 20 GB); kernel values and CNN activations are stored as float32 and
// accumulated in float64 where accuracy needs it.
//
// # The BLAS
//
// Every float32 matrix product in the module goes through gonum's
// blas32 package. The default build uses gonum's pure-Go BLAS. Built with
// the tag openblas (cgo, Debian's libopenblas-dev), this package registers
// OpenBLAS with blas32.Use at init and sets OpenBLAS to one thread, because the
// callers (the Gram engine, the CNN) already split their work over GOMAXPROCS
// goroutines and two layers of threads would fight over the same cores.
// Implementation reports which one is in use.
package linalg
