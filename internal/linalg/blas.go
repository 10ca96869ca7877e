//go:build !openblas

package linalg

// Implementation names the BLAS behind blas32 in this build: "gonum" (pure
// Go) by default, "openblas" when built with -tags openblas.
func Implementation() string { return "gonum" }
