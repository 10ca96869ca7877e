// Package matrix holds the dense float32 matrix that every numeric package
// of svmbench shares, and that a Go program outside this module uses to hand
// data to the library (kernels, svm, features, bench).
//
// # Storage
//
// A Matrix is row-major over gonum's blas32.General: element (i, j) is
// Data[i*Stride+j], with Stride ≥ Cols. gonum's mat package is float64 only,
// which would double the memory of a Gram matrix (a 50000² float64 Gram needs
// 20 GB); kernel values and CNN activations are stored as float32 and
// accumulated in float64 where accuracy needs it.
//
// # Building one
//
// New allocates a zeroed r×c matrix; NewFrom wraps a flat row-major slice
// without copying; FromRows copies a [][]float32 whose rows all have the
// same length. At and Dims read it element by element (into gonum's
// float64 types, for example).
package matrix
