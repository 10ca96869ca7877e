package svm_test

import (
	"context"
	"fmt"

	"github.com/svmbench/svmbench/kernels"
	"github.com/svmbench/svmbench/matrix"
	"github.com/svmbench/svmbench/svm"
)

func ExampleTrain() {
	// Two classes on a line: label 1 left of 0, label 2 right of it.
	x := matrix.NewFrom(6, 1, []float32{-3, -2, -1, 1, 2, 3})
	y := []int{1, 1, 1, 2, 2, 2}
	m, err := svm.Train(context.Background(), x, y, svm.Params{Kernel: kernels.Linear{}, C: 10})
	if err != nil {
		fmt.Println(err)
		return
	}
	st := m.Pairs[0]
	fmt.Printf("pair %d-%d: nSV = %d, rho = %.3f\n", st.I, st.J, st.NSV, st.Rho)
	pred, _ := m.Predict(nil, matrix.NewFrom(3, 1, []float32{-0.5, 0.2, 5}))
	fmt.Println(pred)
	// Output:
	// pair 1-2: nSV = 2, rho = 0.000
	// [1 2 2]
}
