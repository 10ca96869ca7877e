package results_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/svmbench/svmbench/results"
)

// FuzzJournal reads arbitrary bytes as a grid journal and, when they read,
// checks the cells against specs of each search (with range extension)
// and ranks them: none of it may panic, and a journal that reads holds
// each cell index once.
func FuzzJournal(f *testing.F) {
	good, _ := json.Marshal(cell(0, 0.5))
	f.Add(append(good, '\n'))
	f.Add([]byte(`{"cell":1,"kernel":"rbf","features":"pixels","gamma":0.02,"C":1,"folds":2,"fold_accuracy":[0.5,0.5],"cv_accuracy":0.5,"rung":2,"rung_n":10,"seconds":1,"n_sv":3}` + "\n"))
	f.Add([]byte(`{"cell":9,"kernel":"rbf","features":"pixels","gamma":0.08,"C":4,"folds":2,"fold_accuracy":[0.5,0.5],"cv_accuracy":0.5}` + "\n{\"cell\":"))
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, data []byte) {
		p := filepath.Join(dir, "grid-rbf-pixels.jsonl")
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		j, err := results.ReadJournal(p)
		if err != nil {
			return
		}
		seen := map[int]bool{}
		for _, c := range j.Cells {
			if seen[c.Index] {
				t.Fatalf("cell %d read twice", c.Index)
			}
			seen[c.Index] = true
		}
		for _, search := range []string{"grid", "random", "bayes", "halving"} {
			for _, extend := range []int{0, 2} {
				s := results.GridSpec{Kernel: "rbf", Features: "pixels", Search: search, Folds: 2, Cells: 4, TrainN: 90, Eta: 3, Extend: extend,
					Gamma: results.SpecRange{Text: "2^-6:2^-5:1", Kind: "pow2", Values: []float64{1.0 / 64, 1.0 / 32}},
					C:     results.SpecRange{Text: "1,2", Kind: "list", Values: []float64{1, 2}}, Shards: 1}
				results.ForeignCell(s, j.Cells)
				results.ExtendedSteps(s, []string{"gamma"}, j.Cells)
			}
		}
		results.BestCell(j.Cells)
	})
}
