package dataset_test

import (
	"context"
	"fmt"
	"log"
	"math/rand/v2"
	"os"

	"github.com/svmbench/svmbench/dataset"
	"github.com/svmbench/svmbench/matrix"
)

// Load a data set by spec, draw a balanced subset and split it into
// stratified folds for cross-validation.
func Example() {
	d, err := dataset.Load(context.Background(), dataset.Options{Spec: "synthetic:1000,200", Seed: 1})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(d.Source)
	fmt.Println(d.Train.Len(), "training images of", *d.Image)

	rng := rand.New(rand.NewPCG(1, 2))
	small, err := d.Balanced(105, 50, rng)
	if err != nil {
		log.Fatal(err)
	}
	perClass := make([]int, len(small.Classes))
	for _, l := range small.Train.Y {
		perClass[l]++
	}
	fmt.Println("per class:", perClass)

	folds, err := dataset.StratifiedFolds(small.Train.Y, 5, rng)
	if err != nil {
		log.Fatal(err)
	}
	for i, f := range folds {
		fmt.Printf("fold %d: validate on %d, train on %d\n", i, len(f), len(dataset.FoldTrain(folds, i)))
	}
	// Output:
	// synthetic seed=1 train=1000 test=200
	// 1000 training images of {32 32 3}
	// per class: [10 10 11 10 10 11 11 11 11 10]
	// fold 0: validate on 21, train on 84
	// fold 1: validate on 21, train on 84
	// fold 2: validate on 21, train on 84
	// fold 3: validate on 21, train on 84
	// fold 4: validate on 21, train on 84
}

func ExampleWriteLIBSVM() {
	x := matrix.NewFrom(2, 3, []float32{0.5, 0, 0.1, 0, 0, 0})
	if err := dataset.WriteLIBSVM(os.Stdout, x, []int{1, -1}); err != nil {
		log.Fatal(err)
	}
	// Output:
	// 1 1:0.5 3:0.1
	// -1
}
