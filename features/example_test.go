package features_test

import (
	"fmt"

	"github.com/svmbench/svmbench/dataset"
	"github.com/svmbench/svmbench/features"
)

// Every model trains on features made by name; fitted extractors
// (standard) learn from the training split only.
func Example() {
	d := dataset.Synthetic(100, 20, 1)
	for _, name := range features.Names() {
		e, err := features.ByName(name)
		if err != nil {
			panic(err)
		}
		train, test, err := features.Apply(e, d)
		if err != nil {
			panic(err)
		}
		fmt.Printf("%-8s train %d×%d, test %d×%d\n", e.Name(), train.Rows, train.Cols, test.Rows, test.Cols)
	}
	// Output:
	// pixels   train 100×3072, test 20×3072
	// standard train 100×3072, test 20×3072
	// gray     train 100×1024, test 20×1024
	// hog      train 100×324, test 20×324
}

func ExampleHOG_Dim() {
	n, _ := features.HOG{}.Dim(dataset.ImageShape{Height: 32, Width: 32, Channels: 3})
	fmt.Println(n, "= 3×3 blocks × 2×2 cells × 9 bins")
	// Output: 324 = 3×3 blocks × 2×2 cells × 9 bins
}
