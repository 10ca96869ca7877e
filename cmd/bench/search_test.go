package main

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/svmbench/svmbench/bench"
	"github.com/svmbench/svmbench/results"
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

// usageCase is one bad command line and a string its error must contain.
type usageCase struct {
	args []string
	want string
}

// usageErrors runs each case and wants exit 2 with an error naming its
// want on the first line, then the usage line and where the flags are
// (not the whole flag list, which would push the error off the screen).
func usageErrors(t *testing.T, cases []usageCase) {
	t.Helper()
	for _, tc := range cases {
		code, _, errs, _ := runBench(t, tc.args...)
		first, rest, _ := strings.Cut(errs, "\n")
		if code != 2 || !strings.Contains(first, tc.want) {
			t.Errorf("%q: exit %d, %q; want 2 naming %q on the first line", tc.args, code, errs, tc.want)
		}
		if !strings.HasPrefix(rest, "Usage: bench ") || !strings.Contains(rest, "Run 'bench help ") || strings.Contains(rest, "Flags:") {
			t.Errorf("%q: after the error %q; want the usage line and a pointer to the flags", tc.args, rest)
		}
	}
}

func TestGridSearchUsageErrors(t *testing.T) {
	usageErrors(t, []usageCase{
		{gridArgs("-out", t.TempDir(), "-search", "random", "-trials", "0"), "-trials"},
		{gridArgs("-out", t.TempDir(), "-search", "bayes", "-trials", "-3"), "-trials"},
		{gridArgs("-out", t.TempDir(), "-trials", "5"), "-trials"},
		{gridArgs("-out", t.TempDir(), "-search", "bayes", "-batch", "-1"), "-batch"},
		// These three named GridConfig's fields, not the flags.
		{gridArgs("-out", t.TempDir(), "-search", "bayes", "-trials", "1000"), "-trials 1000"},
		{gridArgs("-out", t.TempDir(), "-search", "bayes", "-shard", "0/2"), "-shard"},
		{gridArgs("-out", t.TempDir(), "-search", "halving", "-shard", "1/2"), "-shard"},
		{gridArgs("-out", t.TempDir(), "-search", "annealing"), "bayes"},
		{gridArgs("-out", t.TempDir(), "-extend", "-1"), "-extend -1"},
		{gridArgs("-out", t.TempDir(), "-extend", "2", "-shard", "0/2"), "then run 'bench grid -resume -extend 2' on the merged folder"},
		{gridArgs("-out", t.TempDir(), "-extend", "2", "-compare", "3"), "-extend"},
		{[]string{"all", "-out", t.TempDir(), "-extend", "-2"}, "-extend -2"},
		{[]string{"all", "-out", t.TempDir(), "-compare", "-1"}, "-compare -1"},
		{[]string{"all", "-out", t.TempDir(), "-eta", "4"}, "-eta: only with -search halving"},
		{[]string{"all", "-out", t.TempDir(), "-search", "halving", "-eta", "1.5"}, "-eta 1.5"},
	})
}

// bench grid -search halving journals each (cell, rung) with its rung and
// reason, keeps the last rung's best, and refuses to be resumed as bayes.
func TestGridHalving(t *testing.T) {
	out := filepath.Join(t.TempDir(), "h")
	// 600 images, 2 folds, 10 classes: the smallest rung holds at least
	// 5·2·10 = 100, so η = 3 gives 12 cells on 200 images, 4 on 600.
	args := []string{"grid", "-data", "synthetic:600,100", "-kernel", "sigmoid", "-alpha", "2^-12,2^-9,2^-6",
		"-coef0", "-1,0", "-C", "1,4", "-folds", "2", "-search", "halving", "-eta", "3", "-out", out}
	code, stdout, errs, _ := runBench(t, args...)
	if code != 0 {
		t.Fatalf("halving: exit %d: %s", code, errs)
	}
	cells, _, err := bench.ReadCells(filepath.Join(out, "grid-sigmoid-pixels.jsonl"))
	if err != nil || len(cells) != 16 {
		t.Fatalf("%d cells journalled, %v", len(cells), err)
	}
	rungs := map[int]int{}
	for _, c := range cells {
		rungs[c.RungN]++
		if !strings.HasPrefix(c.Why, "rung ") {
			t.Errorf("cell %d: why %q", c.Index, c.Why)
		}
	}
	if rungs[200] != 12 || rungs[600] != 4 {
		t.Errorf("cells per rung size: %v", rungs)
	}
	var b bench.Best
	if err := bench.ReadJSON(filepath.Join(out, "best-sigmoid-pixels.json"), &b); err != nil || b.Cell.Rung != 2 || b.Cell.RungN != 600 {
		t.Errorf("best cell %+v, %v", b.Cell, err)
	}
	if !strings.Contains(stdout, "best: cell ") {
		t.Errorf("no best line: %s", stdout)
	}
	bayes := append(append([]string{}, args[:len(args)-6]...), "-search", "bayes", "-out", out, "-resume")
	code, _, errs, _ = runBench(t, bayes...)
	if code == 0 || !strings.Contains(errs, "-search halving") || !strings.Contains(errs, "-search bayes") {
		t.Errorf("resumed as bayes: exit %d, %q", code, errs)
	}
}

func TestGridHalvingUsageErrors(t *testing.T) {
	usageErrors(t, []usageCase{
		{gridArgs("-out", t.TempDir(), "-search", "halving", "-eta", "1.5"), "-eta 1.5"},
		{gridArgs("-out", t.TempDir(), "-search", "halving", "-eta", "0"), "-eta 0"},
		{gridArgs("-out", t.TempDir(), "-search", "halving", "-eta", "NaN"), "-eta NaN"},
		{gridArgs("-out", t.TempDir(), "-search", "halving", "-eta", "-Inf"), "-eta -Inf"},
		{gridArgs("-out", t.TempDir(), "-search", "halving", "-eta", "three"), "-eta"},
		{gridArgs("-out", t.TempDir(), "-eta", "3"), "-eta: only with -search halving"},
		{gridArgs("-out", t.TempDir(), "-search", "bayes", "-eta", "3"), "-eta: only with -search halving"},
		{gridArgs("-out", t.TempDir(), "-search", "halving", "-trials", "5"), "-trials"},
		{gridArgs("-out", t.TempDir(), "-search", "halving", "-shard", "0/2"), "sharded"},
	})
}

func TestAllHalvingUsageErrors(t *testing.T) {
	usageErrors(t, []usageCase{
		{[]string{"all", "-search", "halving", "-trials", "3", "-out", t.TempDir()}, "-trials"},
		{[]string{"all", "-search", "annealing", "-out", t.TempDir()}, "halving"},
	})
}

// bench grid -extend on the tiny grid (α and c each on an edge, C a single
// value) journals its added cells with their reasons, and bench report and
// bench merge read the extended journal as the grid's.
func TestGridExtendReportMerge(t *testing.T) {
	out := t.TempDir()
	if code, _, errs, _ := runBench(t, gridArgs("-extend", "1", "-out", out)...); code != 0 {
		t.Fatalf("grid -extend 1: exit %d, %s", code, errs)
	}
	cells, _, err := bench.ReadCells(filepath.Join(out, bench.GridFile("sigmoid", "pixels")))
	if err != nil || len(cells) <= 4 {
		t.Fatalf("%d cells (%v): want the 4 of the grid and those extension added", len(cells), err)
	}
	for _, c := range cells[4:] {
		if !strings.HasPrefix(c.Why, "extend: best ") || !strings.Contains(c.Why, "step 1 of 1") {
			t.Errorf("cell %d: why %q", c.Index, c.Why)
		}
	}
	if code, _, errs, _ := runBench(t, "report", "-in", out, "-out", filepath.Join(out, "report")); code != 0 {
		t.Errorf("report of an extended grid: exit %d, %s", code, errs)
	}
	if code, _, errs, _ := runBench(t, "merge", "-out", filepath.Join(out, "merged"), out); code != 0 {
		t.Errorf("merge of an extended grid: exit %d, %s", code, errs)
	}
}

// bench grid -search bayes|random -extend on the tiny grid (every cell is
// on an edge of α, a two-value range, so the best is too): the
// extension's trials come after the budget with their reasons, and bench
// report and bench merge read the journal as the search's.
func TestGridSearchExtendReportMerge(t *testing.T) {
	for _, search := range []string{"bayes", "random"} {
		out := t.TempDir()
		code, _, errs, _ := runBench(t, gridArgs("-search", search, "-trials", "2", "-extend", "1", "-out", out)...)
		if code != 0 {
			t.Fatalf("grid -search %s -extend 1: exit %d, %s", search, code, errs)
		}
		cells, _, err := bench.ReadCells(filepath.Join(out, bench.GridFile("sigmoid", "pixels")))
		if err != nil || len(cells) <= 2 {
			t.Fatalf("%s: %d trials (%v): want the 2 of the budget and those extension added", search, len(cells), err)
		}
		for _, c := range cells[2:] {
			if !strings.HasPrefix(c.Why, "extend: best ") || !strings.Contains(c.Why, "step 1 of 1; ") {
				t.Errorf("%s: trial %d: why %q", search, c.Index, c.Why)
			}
		}
		if code, _, errs, _ := runBench(t, "report", "-in", out, "-out", filepath.Join(out, "report")); code != 0 {
			t.Errorf("report of an extended %s search: exit %d, %s", search, code, errs)
		}
		if code, _, errs, _ := runBench(t, "merge", "-out", filepath.Join(out, "merged"), out); code != 0 {
			t.Errorf("merge of an extended %s search: exit %d, %s", search, code, errs)
		}
	}
}

// bench grid -search halving -extend 1 on 600 images (two rungs, 200 and
// 600 images) with α a two-value range, so that the best is on one of its
// edges: the step's 4 cells are halved on the same rungs (4 on 200
// images, 2 on 600) and journalled with their step and rung; bench
// report shows the extension's rungs in the halving table and bench
// merge takes the folder.
func TestGridHalvingExtend(t *testing.T) {
	out := filepath.Join(t.TempDir(), "h")
	args := []string{"grid", "-data", "synthetic:600,100", "-kernel", "sigmoid", "-alpha", "2^-12,2^-9",
		"-coef0", "-1,0", "-C", "1,4", "-folds", "2", "-search", "halving", "-extend", "1", "-out", out}
	if code, _, errs, _ := runBench(t, args...); code != 0 {
		t.Fatalf("halving -extend 1: exit %d: %s", code, errs)
	}
	cells, _, err := bench.ReadCells(filepath.Join(out, "grid-sigmoid-pixels.jsonl"))
	if err != nil || len(cells) <= 8+3 {
		t.Fatalf("%d evaluations journalled (%v), want 8 + 3 of the search and those of a step", len(cells), err)
	}
	for _, c := range cells {
		if ext := c.Index >= 11; ext != strings.HasPrefix(c.Why, "extend: best ") || (ext && !strings.Contains(c.Why, " of 1; rung ")) || c.RungN != []int{200, 600}[c.Rung-1] {
			t.Errorf("evaluation %d: rung %d, n = %d, why %q", c.Index, c.Rung, c.RungN, c.Why)
		}
	}
	rep := filepath.Join(out, "report")
	if code, _, errs, _ := runBench(t, "report", "-in", out, "-out", rep); code != 0 {
		t.Fatalf("report of an extended halving grid: exit %d, %s", code, errs)
	}
	csv, err := os.ReadFile(filepath.Join(rep, "tables", "halving-sigmoid-pixels.csv"))
	if err != nil || !strings.Contains(string(csv), "\n1 extension,200,") || !strings.Contains(string(csv), "\n2 extension,600,") {
		t.Errorf("halving table (%v):\n%s", err, csv)
	}
	if code, _, errs, _ := runBench(t, "merge", "-out", filepath.Join(out, "merged"), out); code != 0 {
		t.Errorf("merge of an extended halving grid: exit %d, %s", code, errs)
	}
}

// bench grid as 2 shards without -extend, bench merge, then bench grid
// -resume -extend 1 on the merged folder: the same cells (CV accuracies,
// reasons) and best cell as bench grid -extend 1 unsharded (cold starts:
// alpha seeding chains a shard's cells otherwise, and the fits would
// agree only within the tolerance).
func TestGridExtendMergedShards(t *testing.T) {
	tmp := t.TempDir()
	grid := func(out string, extra ...string) {
		t.Helper()
		args := gridArgs(append([]string{"-warm-start=false", "-out", out}, extra...)...)
		if code, _, errs, _ := runBench(t, args...); code != 0 {
			t.Fatalf("%q: exit %d, %s", args, code, errs)
		}
	}
	whole, merged := filepath.Join(tmp, "whole"), filepath.Join(tmp, "merged")
	grid(whole, "-extend", "1")
	grid(filepath.Join(tmp, "s0"), "-shard", "0/2")
	grid(filepath.Join(tmp, "s1"), "-shard", "1/2")
	if code, _, errs, _ := runBench(t, "merge", "-out", merged, filepath.Join(tmp, "s0"), filepath.Join(tmp, "s1")); code != 0 {
		t.Fatalf("merge: exit %d, %s", code, errs)
	}
	grid(merged, "-resume", "-extend", "1")
	read := func(dir string) ([]bench.GridCell, bench.Best) {
		cells, _, err := bench.ReadCells(filepath.Join(dir, "grid-sigmoid-pixels.jsonl"))
		var b bench.Best
		if err == nil {
			err = bench.ReadJSON(filepath.Join(dir, "best-sigmoid-pixels.json"), &b)
		}
		if err != nil {
			t.Fatal(err)
		}
		slices.SortFunc(cells, func(a, b bench.GridCell) int { return a.Index - b.Index })
		return cells, b
	}
	want, wantBest := read(whole)
	got, gotBest := read(merged)
	if len(want) <= 4 || len(got) != len(want) {
		t.Fatalf("%d cells, want %d (4 and the extension's)", len(got), len(want))
	}
	for i := range got {
		g, w := got[i], want[i]
		if g.Index != w.Index || bench.ParamString(g) != bench.ParamString(w) || g.CVAccuracy != w.CVAccuracy || g.Why != w.Why {
			t.Errorf("cell %d: %s %v %q, want %s %v %q", i, bench.ParamString(g), g.CVAccuracy, g.Why, bench.ParamString(w), w.CVAccuracy, w.Why)
		}
	}
	if gotBest.Cell.Index != wantBest.Cell.Index || gotBest.GridCells != wantBest.GridCells || gotBest.TestAccuracy != wantBest.TestAccuracy {
		t.Errorf("best cell %d of %d (test %v), want %d of %d (test %v)", gotBest.Cell.Index, gotBest.GridCells, gotBest.TestAccuracy,
			wantBest.Cell.Index, wantBest.GridCells, wantBest.TestAccuracy)
	}
}

// bench grid -compare-seeding runs the grid seeded and cold, prints both
// cell by cell and in total, writes the comparison, and refuses the flags
// it does not combine with; interrupted, it says it keeps no journal.
func TestGridCompareSeeding(t *testing.T) {
	out := t.TempDir()
	code, stdout, errs, _ := runBench(t, "grid", "-data", "synthetic:200,100", "-kernel", "rbf", "-gamma", "2^-12,2^-10", "-C", "1,2,4",
		"-folds", "3", "-eps", "1e-5", "-compare-seeding", "-out", out)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	for _, want := range []string{"each cell run with alpha seeding and from cold starts", "SMO iterations: ", "seeded against", "every fold's accuracy is the same in all 6 cells"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("output lacks %q:\n%s", want, stdout)
		}
	}
	var cmp results.SeedingComparison
	if err := results.ReadJSON(filepath.Join(out, results.SeedingFile("rbf", "pixels")), &cmp); err != nil || len(cmp.Cells) != 6 {
		t.Fatalf("%d cells in the comparison file: %v", len(cmp.Cells), err)
	}
	usageErrors(t, []usageCase{
		{gridArgs("-out", t.TempDir(), "-compare-seeding", "-compare", "2"), "-compare-seeding: one comparison a run"},
		{gridArgs("-out", t.TempDir(), "-compare-seeding", "-search", "bayes"), "drop -search bayes"},
		{gridArgs("-out", t.TempDir(), "-compare-seeding", "-warm-start=false"), "drop -warm-start=false"},
		{gridArgs("-out", t.TempDir(), "-compare-seeding", "-extend", "2"), "drop -extend"},
		{gridArgs("-out", t.TempDir(), "-compare-seeding", "-resume"), "drop -extend, -shard and -resume"},
	})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	for _, flag := range [][]string{{"-compare-seeding"}, {"-compare", "1"}} {
		code, _, errs, _ = runBenchCtx(t, ctx, gridArgs(append(flag, "-out", t.TempDir())...)...)
		if code != 130 || !strings.Contains(errs, flag[0]+" keeps no journal") || strings.Contains(errs, "-resume") {
			t.Errorf("%s interrupted: exit %d, %q; want 130 saying it keeps no journal", flag[0], code, errs)
		}
	}
}

// A cell that failed (bench grid's "failed") reads failed in the seeding
// table, not 0.00%, and the totals say it was not compared.
func TestPrintSeedingFailed(t *testing.T) {
	const why = "fold 1: svm: pair 0 vs 1: the solution is not finite"
	cmp := &results.SeedingComparison{Kernel: "poly", Features: "pixels", Folds: 3, Eps: 1e-3, Cells: []results.SeedingCell{
		{Index: 0, Gamma: 1, Degree: 9, C: 1, IterSeeded: 10, IterCold: 20, CVSeeded: 0.5, CVCold: 0.5},
		{Index: 1, Gamma: 1000, Degree: 9, C: 1, FailedSeeded: why, FailedCold: why},
	}}
	var b strings.Builder
	printSeeding(&b, cmp, 100)
	out := b.String()
	for _, want := range []string{"failed    failed", "failed: cell 1 could not be cross-validated (seeded and cold: " + why + "): not compared",
		"every fold's accuracy is the same in the 1 cell scored in both runs"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	for _, l := range strings.Split(out, "\n") {
		if strings.Contains(l, "γ=1000") && strings.Contains(l, "%") {
			t.Errorf("a failed cell printed with a CV accuracy: %s", l)
		}
	}
}
