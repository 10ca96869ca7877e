package matrix

import (
	"fmt"

	"gonum.org/v1/gonum/blas/blas32"
)

// Matrix is a dense row-major float32 matrix. The zero value is an empty
// matrix. Its fields are those of blas32.General so that it can be handed to
// blas32 without copying.
type Matrix struct {
	blas32.General
}

// New returns a zeroed r×c matrix with Stride c.
func New(r, c int) *Matrix {
	if r < 0 || c < 0 {
		panic("matrix: negative dimension")
	}
	return &Matrix{blas32.General{Rows: r, Cols: c, Stride: c, Data: make([]float32, r*c)}}
}

// NewFrom wraps data (len r*c, row-major) without copying.
func NewFrom(r, c int, data []float32) *Matrix {
	if r < 0 || c < 0 || len(data) != r*c {
		panic("matrix: data length does not match dimensions")
	}
	return &Matrix{blas32.General{Rows: r, Cols: c, Stride: c, Data: data}}
}

// Dims returns the number of rows and columns.
func (m *Matrix) Dims() (r, c int) { return m.Rows, m.Cols }

// Row returns row i as a slice of length Cols that aliases the matrix.
func (m *Matrix) Row(i int) []float32 {
	if uint(i) >= uint(m.Rows) {
		panic("matrix: row index out of range")
	}
	return m.Data[i*m.Stride : i*m.Stride+m.Cols]
}

// At returns element (i, j) as a float64.
func (m *Matrix) At(i, j int) float64 {
	if uint(i) >= uint(m.Rows) || uint(j) >= uint(m.Cols) {
		panic("matrix: index out of range")
	}
	return float64(m.Data[i*m.Stride+j])
}

// Set sets element (i, j).
func (m *Matrix) Set(i, j int, v float32) {
	if uint(i) >= uint(m.Rows) || uint(j) >= uint(m.Cols) {
		panic("matrix: index out of range")
	}
	m.Data[i*m.Stride+j] = v
}

// Slice returns rows [i, k) as a matrix that shares storage with m.
func (m *Matrix) Slice(i, k int) *Matrix {
	if i < 0 || k < i || k > m.Rows {
		panic("matrix: slice out of range")
	}
	if i == k {
		return &Matrix{blas32.General{Rows: 0, Cols: m.Cols, Stride: m.Stride}}
	}
	return &Matrix{blas32.General{Rows: k - i, Cols: m.Cols, Stride: m.Stride,
		Data: m.Data[i*m.Stride : (k-1)*m.Stride+m.Cols]}}
}

// Gather returns a new matrix holding rows idx of m, in that order.
func (m *Matrix) Gather(idx []int) *Matrix {
	out := New(len(idx), m.Cols)
	for k, i := range idx {
		copy(out.Row(k), m.Row(i))
	}
	return out
}

// Clone returns a compact copy of m (Stride == Cols).
func (m *Matrix) Clone() *Matrix {
	out := New(m.Rows, m.Cols)
	for i := 0; i < m.Rows; i++ {
		copy(out.Row(i), m.Row(i))
	}
	return out
}

// Bytes is the memory a compact r×c float32 matrix takes.
func Bytes(r, c int) int64 { return int64(r) * int64(c) * 4 }

// String describes the shape, for error messages.
func (m *Matrix) String() string { return fmt.Sprintf("%d×%d float32 matrix", m.Rows, m.Cols) }

// FromRows copies rows into a new compact matrix. Every row must have the
// same length; an empty slice gives a 0×0 matrix.
func FromRows(rows [][]float32) (*Matrix, error) {
	if len(rows) == 0 {
		return New(0, 0), nil
	}
	c := len(rows[0])
	out := New(len(rows), c)
	for i, r := range rows {
		if len(r) != c {
			return nil, fmt.Errorf("matrix: row %d has %d values, want %d (the length of row 0)", i, len(r), c)
		}
		copy(out.Row(i), r)
	}
	return out, nil
}
