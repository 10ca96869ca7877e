// Package f32 holds the default build's own float32 product kernel in
// assembly: Dot4x3, twelve inner products of four rows with three rows at
// once (AVX2 and FMA on amd64). It is a package of its own because
// internal/linalg uses cgo in the openblas build, and a cgo package cannot
// hold Go assembly. linalg.GemmNT is its only caller.
package f32
