//go:build !amd64 || noasm

package f32

// Available is false: the AVX2 kernel exists for amd64 only.
const Available = false

// Dot4x3 panics: callers check Available.
func Dot4x3(a0, a1, a2, a3, b0, b1, b2 *float32, k int, c *[12]float32) {
	panic("f32: no dot kernel in this build")
}
