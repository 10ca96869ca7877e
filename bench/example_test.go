package bench_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/svmbench/svmbench/bench"
	"github.com/svmbench/svmbench/dataset"
	"github.com/svmbench/svmbench/kernels"
	"github.com/svmbench/svmbench/matrix"
)

// A grid's ranges are written as lists, linear ranges or power-of-two
// ranges; its cells come in a fixed order with C varying fastest, and a
// shard takes every N-th cell of that order.
func Example() {
	alpha, _ := bench.ParseRange("2^-11:2^-9:2")
	coef0, _ := bench.ParseRange("-1:0:1")
	cfg := bench.GridConfig{Kernel: "sigmoid", Alpha: alpha, Coef0: coef0, C: bench.Values(1, 10)}
	if err := cfg.Validate(); err != nil {
		fmt.Println(err)
		return
	}
	cells := cfg.Cells()
	for _, c := range cells {
		fmt.Printf("cell %d: alpha=%g coef0=%g C=%g\n", c.Index, c.Alpha, c.Coef0, c.C)
	}
	for _, c := range bench.ShardCells(cells, 1, 3) {
		fmt.Print(c.Index, " ")
	}
	fmt.Println("in shard 1/3")
	// Output:
	// cell 0: alpha=0.00048828125 coef0=-1 C=1
	// cell 1: alpha=0.00048828125 coef0=-1 C=10
	// cell 2: alpha=0.00048828125 coef0=0 C=1
	// cell 3: alpha=0.00048828125 coef0=0 C=10
	// cell 4: alpha=0.001953125 coef0=-1 C=1
	// cell 5: alpha=0.001953125 coef0=-1 C=10
	// cell 6: alpha=0.001953125 coef0=0 C=1
	// cell 7: alpha=0.001953125 coef0=0 C=10
	// 1 4 7 in shard 1/3
}

// Ties in cross-validation accuracy go to the smaller C, then the smaller
// α (or γ), then the c closer to 0, then the earlier cell.
func ExampleBestCell() {
	cells := []bench.GridCell{
		{Index: 0, Alpha: 0.001, Coef0: -1, C: 8, CVAccuracy: 0.41},
		{Index: 1, Alpha: 0.001, Coef0: -1, C: 2, CVAccuracy: 0.41},
		{Index: 2, Alpha: 0.0005, Coef0: -0.5, C: 2, CVAccuracy: 0.41},
		{Index: 3, Alpha: 0.0005, Coef0: 0, C: 2, CVAccuracy: 0.41},
		{Index: 4, Alpha: 0.004, Coef0: 0, C: 0.5, CVAccuracy: 0.39},
	}
	best, _ := bench.BestCell(cells)
	fmt.Println("best cell", best.Index)
	// Output: best cell 3
}

// The main job from Go: here on synthetic images, only the data and run
// stages, the SVM with LIBSVM's default parameters (no grid has run).
// Progress comes through MainProgress; results go to Out/results.
func ExampleMainJob() {
	out, err := os.MkdirTemp("", "svmbench-example")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer os.RemoveAll(out)
	cfg := bench.MainConfig{
		Out:      out,
		Data:     dataset.Options{Spec: "synthetic:100,50"},
		Seed:     1,
		Train:    100,
		Test:     50,
		Features: []string{"pixels"},
		Kernels:  []string{"linear"},
		Skip:     []string{"cnn", "grids", "scaling", "trials", "cost", "report"},
	}
	res, err := bench.MainJob(context.Background(), cfg, bench.MainProgress{})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, s := range res.Stages {
		fmt.Println("stage", s.Name)
	}
	var rs bench.Results
	if err := bench.ReadJSON(filepath.Join(res.ResultsDir, bench.ResultsFile), &rs); err != nil {
		fmt.Println(err)
		return
	}
	for _, r := range rs.Results {
		fmt.Printf("%s on %s: %d test samples in a %d×%d confusion matrix\n", r.Model, r.Features, sum(r.Confusion), len(r.Confusion), len(r.Confusion))
	}
	// Output:
	// stage run
	// svm-linear on pixels: 50 test samples in a 10×10 confusion matrix
}

func sum(m [][]int) int {
	n := 0
	for _, row := range m {
		for _, v := range row {
			n += v
		}
	}
	return n
}

// CrossValidate is svm-train -v K: one setting's K-fold accuracy.
func ExampleCrossValidate() {
	// Two classes, labelled -1 and +1, apart on the line: -1 on 0…9,
	// +1 on 20…29.
	rows := make([][]float32, 20)
	y := make([]int, 20)
	for i := range rows {
		rows[i] = []float32{float32(i)}
		y[i] = -1
		if i >= 10 {
			rows[i][0] += 10
			y[i] = 1
		}
	}
	x, _ := matrix.FromRows(rows)
	acc, cell, err := bench.CrossValidate(context.Background(), x, y, bench.CVConfig{Kernel: kernels.Linear{}, C: 1, Folds: 5, Seed: 1})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("Cross Validation Accuracy = %g%% over %d folds\n", 100*acc, len(cell.FoldAccuracy))
	// Output:
	// Cross Validation Accuracy = 100% over 5 folds
}
