package kernels_test

import (
	"fmt"

	"github.com/svmbench/svmbench/kernels"
	"github.com/svmbench/svmbench/matrix"
)

// A grid search over the sigmoid's slope α and bias c costs one matrix
// product: the inner products are computed once, and each grid point's Gram
// matrix is an elementwise pass over them. Cross-validation folds are index
// sets into the same DotGram. (The eigenvalues agree with numpy's eigvalsh
// of tanh(α·XXᵀ + c) to the digits shown: no sigmoid here is PSD.)
func Example_dotGramGrid() {
	x := matrix.NewFrom(6, 3, []float32{
		1, 0, 0,
		0, 1, 0,
		1, 1, 0,
		0, 0, 2,
		1, 0, 1,
		2, 1, 1,
	})
	g := kernels.NewDotGram(x) // the one matrix product

	train, val := []int{0, 1, 2, 3}, []int{4, 5}
	kTrain := matrix.New(len(train), len(train))
	kVal := matrix.New(len(val), len(train))
	for _, alpha := range []float64{0.5, 2} {
		for _, c := range []float64{-1, 1} {
			k := kernels.Sigmoid{Alpha: alpha, Coef0: c}
			g.Gram(kTrain, k, train, train) // the fold's training Gram matrix
			g.Gram(kVal, k, val, train)     // validation rows against it
			s, _ := kernels.Eigen(k, x, 0, nil)
			fmt.Printf("%-30v K(x2,x2)=%6.3f K(x5,x2)=%6.3f eigenvalues [%6.3f, %5.3f]\n",
				k, kTrain.At(2, 2), kVal.At(1, 2), s.Min, s.Max)
		}
	}
	// Output:
	// sigmoid(alpha=0.5, coef0=-1)   K(x2,x2)= 0.000 K(x5,x2)= 0.462 eigenvalues [-2.434, 1.604]
	// sigmoid(alpha=0.5, coef0=1)    K(x2,x2)= 0.964 K(x5,x2)= 0.987 eigenvalues [-0.083, 5.367]
	// sigmoid(alpha=2, coef0=-1)     K(x2,x2)= 0.995 K(x5,x2)= 1.000 eigenvalues [-1.651, 3.654]
	// sigmoid(alpha=2, coef0=1)      K(x2,x2)= 1.000 K(x5,x2)= 1.000 eigenvalues [-0.143, 5.605]
}

// An Engine hands out what an SMO solver's column cache asks for: Gram
// columns for a few indices, each stored as a row, computed as one blocked
// matrix product on every core.
func ExampleEngine_Columns() {
	x := matrix.NewFrom(4, 2, []float32{
		0, 0,
		1, 0,
		0, 1,
		1, 1,
	})
	e, err := kernels.NewEngine(kernels.RBF{Gamma: 0.5}, x)
	if err != nil {
		fmt.Println(err)
		return
	}
	cols := matrix.New(2, e.N())
	e.Columns(cols, []int{3, 0}) // columns 3 and 0 of the 4×4 Gram matrix
	for j := 0; j < cols.Rows; j++ {
		fmt.Printf("%.4f\n", cols.Row(j))
	}
	_, err = kernels.NewEngine(kernels.RBF{Gamma: 0}, x)
	fmt.Println(err)
	// Output:
	// [0.3679 0.6065 0.6065 1.0000]
	// [1.0000 0.6065 0.6065 0.3679]
	// kernels: RBF.Gamma = 0: want a finite value > 0
}
