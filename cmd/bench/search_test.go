package main

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/svmbench/svmbench/bench"
)

// bench grid -search bayes runs its trials, journals why each was chosen,
// prints the solves line, and refuses to be resumed as a grid.
func TestGridBayes(t *testing.T) {
	out := filepath.Join(t.TempDir(), "b")
	args := []string{"grid", "-data", "synthetic:200,100", "-kernel", "sigmoid", "-alpha", "2^-12:2^-6:2",
		"-coef0", "-1,0", "-C", "1,4", "-folds", "3", "-search", "bayes", "-trials", "5", "-batch", "2",
		"-warm-start", "-out", out}
	code, stdout, errs, _ := runBench(t, args...)
	if code != 0 {
		t.Fatalf("bayes: exit %d: %s", code, errs)
	}
	if !strings.Contains(stdout, "SMO iterations") || !strings.Contains(stdout, "alpha seeding") {
		t.Errorf("no solves line: %s", stdout)
	}
	cells, _, err := bench.ReadCells(filepath.Join(out, "grid-sigmoid-pixels.jsonl"))
	if err != nil || len(cells) != 5 {
		t.Fatalf("%d trials journalled, %v", len(cells), err)
	}
	for _, c := range cells {
		if c.Why == "" || c.SMOIter == 0 || !c.WarmStart {
			t.Errorf("trial %+v: no reason, iterations or warm_start", c)
		}
	}
	grid := append(append([]string{}, args[:len(args)-9]...), "-out", out, "-resume")
	code, _, errs, _ = runBench(t, grid...)
	if code == 0 || !strings.Contains(errs, "-search bayes") || !strings.Contains(errs, "-search grid") {
		t.Errorf("resumed as a grid: exit %d, %q", code, errs)
	}
}

func TestGridSearchUsageErrors(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{gridArgs("-out", t.TempDir(), "-search", "random", "-trials", "0"), "-trials"},
		{gridArgs("-out", t.TempDir(), "-search", "bayes", "-trials", "-3"), "-trials"},
		{gridArgs("-out", t.TempDir(), "-trials", "5"), "-trials"},
		{gridArgs("-out", t.TempDir(), "-search", "bayes", "-batch", "-1"), "-batch"},
		{gridArgs("-out", t.TempDir(), "-search", "annealing"), "bayes"},
	} {
		code, _, errs, _ := runBench(t, tc.args...)
		if code != 2 || !strings.Contains(errs, tc.want) {
			t.Errorf("%q: exit %d, %q; want 2 naming %q", tc.args, code, errs, tc.want)
		}
	}
}
