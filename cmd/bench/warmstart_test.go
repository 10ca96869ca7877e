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

// bench all into a folder made with alpha seeding, rerun with
// -warm-start=false (or another -compare, -curve), is refused naming the
// flag and both values, exit 1 as other settings are; before, all.json
// did not record them and the rerun reused the seeded grids.
func TestAllResumeRefusesOtherWarmStart(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the main job")
	}
	out := t.TempDir()
	args := append(faultMain(out), "-skip", "cnn,run,trials,cost,report") // the last -skip counts
	if code, _, errs, _ := runBench(t, args...); code != 0 {
		t.Fatalf("first run: exit %d\n%s", code, errs)
	}
	for _, tc := range []struct{ flags, want []string }{
		{[]string{"-warm-start=false"}, []string{"-warm-start true there, false now"}},
		{[]string{"-compare", "2"}, []string{"-compare 3 there, 2 now"}},
		{[]string{"-curve", "100", "-folds", "2"}, []string{"-folds 3 there, 2 now", "-curve 500,1000,2000,5000,10000 there, 100 now"}},
	} {
		code, _, errs, _ := runBench(t, append(append([]string(nil), args...), tc.flags...)...)
		for _, w := range tc.want {
			if code != 1 || !strings.Contains(errs, w) {
				t.Errorf("rerun with %v: exit %d, %q; want exit 1 naming %q", tc.flags, code, errs, w)
			}
		}
	}
	if code, _, errs, _ := runBench(t, append(args, "-repeats", "2", "-noise-cnn", "none")...); code != 0 {
		t.Errorf("rerun with other -repeats and -noise-cnn (they add trials): exit %d\n%s", code, errs)
	}
}
