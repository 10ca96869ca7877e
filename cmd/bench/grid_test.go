package main

import (
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/svmbench/svmbench/bench"
)

// tinyGrid is a 2 α × 2 c × 1 C sigmoid grid, 3 folds, on synthetic data.
var tinyGrid = []string{"grid", "-data", "synthetic:200,100", "-kernel", "sigmoid",
	"-alpha", "2^-10,2^-8", "-coef0", "-0.5,0", "-C", "1", "-folds", "3"}

func gridArgs(extra ...string) []string {
	return append(append([]string{}, tinyGrid...), extra...)
}

// cvByCell reads a grid journal as cell index → CV accuracy.
func cvByCell(t *testing.T, path string) map[int]float64 {
	t.Helper()
	cells, torn, err := bench.ReadCells(path)
	if err != nil || torn != -1 {
		t.Fatalf("reading %s: %v (torn %d)", path, err, torn)
	}
	m := map[int]float64{}
	for _, c := range cells {
		if _, dup := m[c.Index]; dup {
			t.Errorf("%s: cell %d twice", path, c.Index)
		}
		m[c.Index] = c.CVAccuracy
		if c.Folds != 3 || len(c.FoldAccuracy) != 3 || c.CVAccuracy < 0 || c.CVAccuracy > 1 {
			t.Errorf("%s: cell %+v", path, c)
		}
	}
	return m
}

func TestGridResumeShardMerge(t *testing.T) {
	dir := t.TempDir()
	full := filepath.Join(dir, "full")
	code, out, errs, _ := runBench(t, gridArgs("-out", full)...)
	if code != 0 {
		t.Fatalf("grid: exit %d: %s", code, errs)
	}
	journal := filepath.Join(full, "grid-sigmoid-pixels.jsonl")
	raw, err := os.ReadFile(journal)
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(string(raw), "\n"); n != 4 {
		t.Errorf("%s holds %d lines, want 4", journal, n)
	}
	want := cvByCell(t, journal)
	if len(want) != 4 {
		t.Fatalf("cells %v, want 0..3", want)
	}
	var best bench.Best
	if err := bench.ReadJSON(filepath.Join(full, "best-sigmoid-pixels.json"), &best); err != nil {
		t.Fatalf("best file: %v", err)
	}
	if best.GridCells != 4 || !best.Retrained || best.Cell.CVAccuracy != max(want[0], want[1], want[2], want[3]) ||
		best.TestAccuracy < 0 || best.TestAccuracy > 1 {
		t.Errorf("best %+v, cells %v", best, want)
	}
	if !strings.Contains(out, "4 cells in "+journal) || !strings.Contains(out, "best: cell ") {
		t.Errorf("grid output:\n%s", out)
	}
	// Every range of the tiny grid has two values (or one), so its best
	// lies on an edge; without -extend the summary says how to step past it.
	if !strings.Contains(out, "\nbest on edge: ") || !strings.Contains(out, "add -extend N") {
		t.Errorf("grid output does not flag the best on the edge:\n%s", out)
	}

	// A second run into the same folder is refused without -resume and
	// leaves the journal alone; with -resume it computes nothing new.
	code, _, errs, _ = runBench(t, gridArgs("-out", full)...)
	if code == 0 || !strings.Contains(errs, "resume") {
		t.Errorf("rerun without -resume: exit %d, %q; want refused, naming -resume", code, errs)
	}
	if again, _ := os.ReadFile(journal); string(again) != string(raw) {
		t.Errorf("a refused rerun changed the journal")
	}
	code, _, errs, _ = runBench(t, gridArgs("-out", full, "-resume")...)
	if code != 0 {
		t.Fatalf("-resume: exit %d: %s", code, errs)
	}
	if again, _ := os.ReadFile(journal); string(again) != string(raw) {
		t.Errorf("-resume of a finished grid changed the journal:\n%s\nwas\n%s", again, raw)
	}

	// Resumed with the other -warm-start, or merged with a shard run with
	// it, the grid would mix seeded and cold CV accuracies: refused, naming
	// the cell's line and the flag (alpha seeding on is the default).
	code, _, errs, _ = runBench(t, gridArgs("-out", full, "-resume", "-warm-start=false")...)
	if code != 1 || !strings.Contains(errs, journal+":1") || !strings.Contains(errs, "with alpha seeding") || !strings.Contains(errs, "-warm-start") {
		t.Errorf("-resume -warm-start=false of a seeded journal: exit %d, %q; want exit 1 naming the line and -warm-start", code, errs)
	}
	cold := filepath.Join(dir, "cold")
	if code, _, errs, _ = runBench(t, gridArgs("-out", cold, "-shard", "1/2", "-warm-start=false")...); code != 0 {
		t.Fatalf("cold shard: exit %d: %s", code, errs)
	}
	seeded := filepath.Join(dir, "seeded")
	if code, _, errs, _ = runBench(t, gridArgs("-out", seeded, "-shard", "0/2")...); code != 0 {
		t.Fatalf("seeded shard: exit %d: %s", code, errs)
	}
	code, _, errs, _ = runBench(t, "merge", "-out", filepath.Join(dir, "mixed"), seeded, cold)
	if code != 1 || !strings.Contains(errs, "from cold starts") || !strings.Contains(errs, filepath.Join(seeded, "grid-sigmoid-pixels.jsonl")+":1 was fitted with alpha seeding") {
		t.Errorf("merge of a seeded and a cold shard: exit %d, %q; want refused naming both", code, errs)
	}

	// Two shards merged give the cells of the whole grid.
	s0, s1, merged := filepath.Join(dir, "s0"), filepath.Join(dir, "s1"), filepath.Join(dir, "merged")
	for i, s := range []string{s0, s1} {
		code, _, errs, _ = runBench(t, gridArgs("-out", s, "-shard", []string{"0/2", "1/2"}[i])...)
		if code != 0 {
			t.Fatalf("shard %d/2: exit %d: %s", i, code, errs)
		}
		if _, err := os.Stat(filepath.Join(s, "best-sigmoid-pixels.json")); err == nil {
			t.Errorf("shard %d/2 wrote a best file", i)
		}
		if n := len(cvByCell(t, filepath.Join(s, "grid-sigmoid-pixels.jsonl"))); n != 2 {
			t.Errorf("shard %d/2 holds %d cells, want 2", i, n)
		}
	}
	code, out, errs, _ = runBench(t, "merge", "-out", merged, s0, s1)
	if code != 0 {
		t.Fatalf("merge: exit %d: %s", code, errs)
	}
	if !strings.Contains(out, "grid sigmoid/pixels: 4 of 4 cells from 2 folders") || strings.Contains(out, "missing cells") {
		t.Errorf("merge output:\n%s", out)
	}
	if !strings.Contains(out, "\nbest on edge: ") || !strings.Contains(out, "run bench grid -resume -extend N on "+merged) {
		t.Errorf("merge output does not flag the best on the edge, or not how to extend the merged grid:\n%s", out)
	}
	got := cvByCell(t, filepath.Join(merged, "grid-sigmoid-pixels.jsonl"))
	if len(got) != len(want) {
		t.Errorf("merged cells %v, unsharded %v", got, want)
	}
	for i, a := range want {
		if g, ok := got[i]; !ok || g != a {
			t.Errorf("cell %d: merged cv_accuracy %v (present %v), unsharded %v", i, g, ok, a)
		}
	}

	// One shard alone merges with the rest reported missing.
	code, out, errs, _ = runBench(t, "merge", "-out", filepath.Join(dir, "half"), s1)
	if code != 0 || !strings.Contains(out, "2 of 4 cells") || !strings.Contains(out, "missing cells: 0, 2") {
		t.Errorf("merge of one shard: exit %d, %s\n%s", code, errs, out)
	}
}

func TestGridMergeUsageErrors(t *testing.T) {
	usageErrors(t, []usageCase{
		{[]string{"grid", "-data", "synthetic:50,10"}, "-out"},
		{gridArgs("-out", t.TempDir(), "-shard", "2/2"), "shard"},
		{gridArgs("-out", t.TempDir(), "-C", "x"), "-C"},
		{[]string{"merge", t.TempDir()}, "-out"},
		{[]string{"merge", "-out", t.TempDir()}, "no shard folders"},
	})
	// A folder without a grid is an error, not a usage error.
	code, _, errs, _ := runBench(t, "merge", "-out", filepath.Join(t.TempDir(), "m"), t.TempDir())
	if code != 1 {
		t.Errorf("merge of an empty folder: exit %d, %q", code, errs)
	}
}

func TestRunResults(t *testing.T) {
	out := t.TempDir()
	code, stdoutText, errs, _ := runBench(t, "run", "-models", "svm-rbf,svm-linear", "-features", "pixels",
		"-data", "synthetic:200,100", "-out", out)
	if code != 0 {
		t.Fatalf("run: exit %d: %s", code, errs)
	}
	var res bench.Results
	if err := bench.ReadJSON(filepath.Join(out, bench.ResultsFile), &res); err != nil {
		t.Fatal(err)
	}
	if len(res.Results) != 2 {
		t.Fatalf("%d records, want 2", len(res.Results))
	}
	models := map[string]bool{}
	for _, r := range res.Results {
		models[r.Model] = true
		if r.Features != "pixels" || r.Accuracy < 0 || r.Accuracy > 1 {
			t.Errorf("record %s/%s accuracy %v", r.Model, r.Features, r.Accuracy)
		}
		sum, diag := 0, 0
		for i, row := range r.Confusion {
			for j, v := range row {
				sum += v
				if i == j {
					diag += v
				}
			}
		}
		if sum != 100 {
			t.Errorf("%s: confusion sums to %d, want the 100 test samples", r.Model, sum)
		}
		if float64(diag)/100 != r.Accuracy {
			t.Errorf("%s: confusion diagonal %d/100, accuracy %v", r.Model, diag, r.Accuracy)
		}
	}
	if !models["svm-rbf"] || !models["svm-linear"] {
		t.Errorf("models %v", models)
	}
	if !strings.Contains(stdoutText, "svm-rbf") || !strings.Contains(stdoutText, "results.json (200 training, 100 test samples)") {
		t.Errorf("run output:\n%s", stdoutText)
	}
	code, _, errs, _ = runBench(t, "run", "-data", "synthetic:50,10")
	if code != 2 || !strings.Contains(errs, "-out") {
		t.Errorf("run without -out: exit %d, %q", code, errs)
	}
}

// TestGridBestModelPredicts: the model bench grid saves for its best cell
// carries what its features need in its sidecar (the fitted mean and σ of
// standard; the feature name of gray and hog), so that bench predict on
// the same data reproduces the grid's test accuracy exactly.
func TestGridBestModelPredicts(t *testing.T) {
	for _, feat := range []string{"standard", "gray", "hog"} {
		out := filepath.Join(t.TempDir(), feat)
		args := []string{"grid", "-data", "synthetic:200,100", "-kernel", "rbf", "-gamma", "2^-7", "-C", "1,4",
			"-folds", "3", "-features", feat, "-out", out}
		if code, _, errs, _ := runBench(t, args...); code != 0 {
			t.Fatalf("grid -features %s: exit %d: %s", feat, code, errs)
		}
		var best bench.Best
		if err := bench.ReadJSON(filepath.Join(out, bench.BestFile("rbf", feat)), &best); err != nil {
			t.Fatal(err)
		}
		model := filepath.Join(out, bench.ModelFile("rbf", feat))
		side, err := os.ReadFile(model + ".json")
		if err != nil {
			t.Fatal(err)
		}
		if fitted := strings.Contains(string(side), `"fitted"`); fitted != (feat == "standard") {
			t.Errorf("%s: sidecar holds fitted parameters: %v\n%s", feat, fitted, side)
		}
		code, got, errs, _ := runBench(t, "predict", "-data", "synthetic:200,100", "-model", model)
		if code != 0 {
			t.Fatalf("predict %s: exit %d: %s", feat, code, errs)
		}
		want := fmt.Sprintf("accuracy %.4f (%d/100)", best.TestAccuracy, int(math.Round(100*best.TestAccuracy)))
		if !strings.Contains(got, want) || !strings.Contains(got, feat+" features") {
			t.Errorf("%s: bench predict says\n%s\nwant %q (the grid's test accuracy) with %s features", feat, got, want, feat)
		}
	}
}

// TestGridFailedCells: a poly grid whose γ = 1e6 cells overflow float32
// finishes, prints them as failed with the reason, and reports; a grid
// whose every cell fails exits 1 naming the first cell and why, also
// when resumed (without fitting again), and merge and report read it.
func TestGridFailedCells(t *testing.T) {
	dir := t.TempDir()
	args := func(out, gammas string, extra ...string) []string {
		return append([]string{"grid", "-data", "synthetic:150,60", "-kernel", "poly", "-degree", "9",
			"-gamma", gammas, "-coef0", "0", "-C", "1", "-folds", "3", "-out", filepath.Join(dir, out)}, extra...)
	}
	code, out, errs, _ := runBench(t, args("some", "1e6,1e-3")...)
	if code != 0 || !strings.Contains(out, "failed |") || !strings.Contains(out, "not finite") || !strings.Contains(out, "best: cell 1") {
		t.Errorf("one failing cell: exit %d\n%s\n%s", code, out, errs)
	}
	if code, out, errs, _ := runBench(t, "report", "-in", filepath.Join(dir, "some"), "-out", filepath.Join(dir, "rep")); code != 0 || !strings.Contains(out, "(1 failed)") {
		t.Errorf("report: exit %d\n%s\n%s", code, out, errs)
	}
	for _, resume := range []string{"-resume=false", "-resume"} {
		code, out, errs, _ = runBench(t, args("all", "1e6,1e7", resume)...)
		if code != 1 || !strings.Contains(errs, "every cell failed (2 of 2)") || !strings.Contains(errs, "cell 0 (γ=1e+06") || !strings.Contains(out, "failed (cells 0, 1") {
			t.Errorf("%s, every cell failing: exit %d\n%s\n%s", resume, code, out, errs)
		}
	}
	if code, out, errs, _ := runBench(t, "merge", "-out", filepath.Join(dir, "merged"), filepath.Join(dir, "all")); code != 0 || !strings.Contains(out, "failed (cells 0, 1") {
		t.Errorf("merge: exit %d\n%s\n%s", code, out, errs)
	}
	if code, out, errs, _ := runBench(t, "report", "-in", filepath.Join(dir, "all"), "-out", filepath.Join(dir, "rep2")); code != 0 || !strings.Contains(out, "no cell scored") {
		t.Errorf("report of a grid whose every cell failed: exit %d\n%s\n%s", code, out, errs)
	}
}
