package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

func TestReportCommand(t *testing.T) {
	out := t.TempDir()
	code, stdoutText, errs, prog := runBench(t, "report", "-in", filepath.Join("..", "..", "reports", "testdata", "run"), "-out", out)
	if code != 0 {
		t.Fatalf("bench report: exit %d\n%s%s", code, errs, prog)
	}
	if !strings.Contains(stdoutText, "Models × features on the test set") || !strings.Contains(stdoutText, "| svm-rbf ") {
		t.Errorf("bench report printed no main table:\n%s", stdoutText)
	}
	for _, f := range []string{"report.md", "report.html", "figures/accuracy.png", "figures/accuracy.svg", "tables/models.csv"} {
		if _, err := os.Stat(filepath.Join(out, f)); err != nil {
			t.Errorf("bench report did not write %s: %v", f, err)
		}
	}
}

func TestReportUsage(t *testing.T) {
	if code, _, errs, _ := runBench(t, "report"); code != 2 || !strings.Contains(errs, "-in DIR is required") {
		t.Errorf("bench report without -in: exit %d, %q; want 2 and a usage error", code, errs)
	}
	if code, _, errs, _ := runBench(t, "report", "-in", t.TempDir()); code != 1 || !strings.Contains(errs, "no results files") {
		t.Errorf("bench report on an empty folder: exit %d, %q; want 1 and \"no results files\"", code, errs)
	}
}

func TestDefaultReportDir(t *testing.T) {
	for in, want := range map[string]string{"svmbench-report/results": "svmbench-report", "svmbench-report/results/": "svmbench-report", "shard3": "shard3"} {
		if got := defaultReportDir(in); got != filepath.FromSlash(want) {
			t.Errorf("defaultReportDir(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestAllSyntheticResumes runs the main job on small synthetic images in
// two steps (the second resumes what the first finished), then checks a
// rerun with other sizes is refused rather than mixed.
func TestAllSyntheticResumes(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the whole pipeline on synthetic data")
	}
	out := t.TempDir()
	args := []string{"all", "-data", "synthetic:400,200", "-train", "200", "-test", "100", "-grid-train", "100",
		"-folds", "2", "-epochs", "1", "-features", "pixels,hog", "-kernels", "sigmoid,linear", "-scaling", "50,100",
		"-cnn-variants", "sigmoid-loss,fixed", "-curve", "50,200", "-repeats", "2", "-out", out}
	code, _, errs, prog := runBench(t, append(args, "-skip", "run,scaling,report")...)
	if code != 0 {
		t.Fatalf("first step: exit %d\n%s\n%s", code, errs, prog)
	}
	if _, err := os.Stat(filepath.Join(out, "results", "best-sigmoid-hog.json")); err != nil {
		t.Fatalf("first step wrote no grid: %v", err)
	}
	code, stdoutText, errs, prog := runBench(t, args...)
	if code != 0 {
		t.Fatalf("second step: exit %d\n%s\n%s", code, errs, prog)
	}
	for _, want := range []string{"cnn sigmoid-loss: done already", "cnn fixed: done already", "grid sigmoid/pixels: done already", "grid linear/hog: done already"} {
		if !strings.Contains(prog, want) {
			t.Errorf("second step did not skip finished work: no %q in\n%s", want, prog)
		}
	}
	for _, row := range []string{`\| svm-sigmoid +\| pixels`, `\| svm-linear +\| hog`, `\| cnn-fixed +\| pixels`, `\| cnn-sigmoid-loss +\| pixels`} {
		if !regexp.MustCompile(row).MatchString(stdoutText) {
			t.Errorf("main table has no row %q:\n%s", row, stdoutText)
		}
	}
	for _, f := range []string{"report.html", "figures/grid-sigmoid-hog.png", "figures/scaling.png", "figures/cnn-epochs.png", "tables/models.csv",
		"results/trials.json", "results/cost.json", "figures/learning-curves.png", "figures/noise-labels.png", "tables/pairs.csv", "tables/cost.csv"} {
		if _, err := os.Stat(filepath.Join(out, f)); err != nil {
			t.Errorf("no %s: %v", f, err)
		}
	}
	other := append(append([]string(nil), args...), "-train", "300")
	if code, _, errs, _ := runBench(t, other...); code == 0 || !strings.Contains(errs, "other settings") {
		t.Errorf("rerun with other -train: exit %d, %q; want a refusal naming other settings", code, errs)
	}
}

// Flags without a command go to the main job, as `bench -data synthetic`
// in the README does; help flags still print the command list.
func TestFlagsWithoutCommandRunDefault(t *testing.T) {
	code, _, errs, _ := runBench(t, "-profile", "bogus")
	if code != 2 || !strings.Contains(errs, "bench all") {
		t.Errorf("bench -profile bogus: exit %d, stderr %q; want the main job's usage error (exit 2)", code, errs)
	}
	code, _, errs, _ = runBench(t, "-h")
	if code != 0 || !strings.Contains(errs, "Commands:") {
		t.Errorf("bench -h: exit %d, stderr %q; want the command list", code, errs)
	}
}
