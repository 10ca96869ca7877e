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

func ExampleModel_PredictProbability() {
	// Labels 2 and 7, kept as given; -b 1's probability model.
	x := matrix.NewFrom(12, 1, []float32{-3, -2.5, -2, -1.5, -1, -0.5, 0.5, 1, 1.5, 2, 2.5, 3})
	y := []int{2, 2, 2, 2, 2, 7, 2, 7, 7, 7, 7, 7}
	m, err := svm.Train(context.Background(), x, y, svm.Params{Kernel: kernels.RBF{Gamma: 0.5}, Probability: true, Seed: 1})
	if err != nil {
		fmt.Println(err)
		return
	}
	pred, prob, _ := m.PredictProbability(matrix.NewFrom(2, 1, []float32{-3, 3}))
	fmt.Println("labels", m.Labels)
	for i, p := range pred {
		fmt.Printf("%d: P(2) > P(7): %v\n", p, prob[2*i] > prob[2*i+1])
	}
	// Output:
	// labels [2 7]
	// 2: P(2) > P(7): true
	// 7: P(2) > P(7): false
}
