package reports_test

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/svmbench/svmbench/reports"
)

// Load the results of a run and print its grid summary as Markdown; the
// same table is in tables/grids.csv after Write.
func ExampleLoad() {
	in, err := reports.Load(filepath.Join("testdata", "run"))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%d models, %d grids, %d CNN runs\n", len(in.Models), len(in.Grids), len(in.CNN))
	g := in.Grids[0]
	best := g.Cells[g.BestCell()]
	fmt.Printf("best %s cell on %s: alpha=%g coef0=%g C=%g, CV accuracy %.1f%%\n", g.Kernel, g.Features, best.Alpha, best.Coef0, best.C, 100*best.CVAccuracy)
	// Output:
	// 8 models, 3 grids, 2 CNN runs
	// best sigmoid cell on pixels: alpha=0.000244140625 coef0=-1 C=8, CV accuracy 43.1%
}

func ExampleTable_WriteMarkdown() {
	t := &reports.Table{
		Header: []string{"Kernel", "CV acc (%)"},
		Right:  []bool{false, true},
		Rows: [][]reports.Cell{
			{{Text: "sigmoid"}, {Text: "43.1", CSV: "0.431"}},
			{{Text: "rbf"}, {Text: "45.0", CSV: "0.45"}},
		},
	}
	if err := t.WriteMarkdown(os.Stdout); err != nil {
		fmt.Println(err)
	}
	// Output:
	// | Kernel  | CV acc (%) |
	// |:--------|-----------:|
	// | sigmoid |       43.1 |
	// | rbf     |       45.0 |
}
