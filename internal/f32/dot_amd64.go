//go:build !noasm

package f32

import "golang.org/x/sys/cpu"

// Available reports whether this CPU runs Dot4x3 (AVX2 and FMA).
var Available = cpu.X86.HasAVX2 && cpu.X86.HasFMA

// Dot4x3 sets c[3i+j] = Σ_{l<k} a_i[l]·b_j[l] for four rows a_i and three
// rows b_j; k must be a positive multiple of 8 (dot_amd64.s).
//
//go:noescape
func Dot4x3(a0, a1, a2, a3, b0, b1, b2 *float32, k int, c *[12]float32)
