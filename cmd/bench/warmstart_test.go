package main

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/svmbench/svmbench/bench"
)

// Alpha seeding is on by default and -warm-start=false turns it off: the
// summary line and the journal say which, and at -eps 1e-5 the CV
// accuracies of every cell are those of cold starts.
func TestGridWarmStartFlag(t *testing.T) {
	cv := map[bool]map[int]float64{}
	for _, warm := range []bool{true, false} {
		out := filepath.Join(t.TempDir(), "g")
		args := gridArgs("-eps", "1e-5", "-out", out, "-no-retrain")
		if !warm {
			args = append(args, "-warm-start=false")
		}
		code, stdout, errs, _ := runBench(t, args...)
		if code != 0 {
			t.Fatalf("warm %v: exit %d: %s", warm, code, errs)
		}
		if want := map[bool]string{true: "alpha seeding (", false: "cold starts"}[warm]; !strings.Contains(stdout, want) {
			t.Errorf("warm %v: no %q in the summary: %s", warm, want, stdout)
		}
		path := filepath.Join(out, "grid-sigmoid-pixels.jsonl")
		cells, _, err := bench.ReadCells(path)
		if err != nil || len(cells) == 0 {
			t.Fatalf("%d cells, %v", len(cells), err)
		}
		for _, c := range cells {
			if c.WarmStart != warm {
				t.Errorf("warm %v: cell %d journalled warm_start %v", warm, c.Index, c.WarmStart)
			}
		}
		cv[warm] = cvByCell(t, path)
	}
	for i, a := range cv[true] {
		if b := cv[false][i]; a != b {
			t.Errorf("cell %d: CV accuracy %v seeded, %v cold", i, a, b)
		}
	}
}
