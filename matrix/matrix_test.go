package matrix_test

import (
	"fmt"
	"testing"

	"github.com/svmbench/svmbench/matrix"
)

func TestFromRows(t *testing.T) {
	m, err := matrix.FromRows([][]float32{{1, 2, 3}, {4, 5, 6}})
	if err != nil {
		t.Fatal(err)
	}
	if r, c := m.Dims(); r != 2 || c != 3 || m.At(1, 2) != 6 || m.Row(0)[1] != 2 {
		t.Fatalf("got %v with rows %v %v", m, m.Row(0), m.Row(1))
	}
	if _, err := matrix.FromRows([][]float32{{1, 2}, {3}}); err == nil {
		t.Fatal("ragged rows accepted")
	}
	if m, err := matrix.FromRows(nil); err != nil || m.Rows != 0 {
		t.Fatalf("empty: %v %v", m, err)
	}
}

func ExampleNewFrom() {
	m := matrix.NewFrom(2, 2, []float32{1, 2, 3, 4}) // row-major, not copied
	fmt.Println(m.Row(1), m.At(0, 1))
	// Output: [3 4] 2
}
