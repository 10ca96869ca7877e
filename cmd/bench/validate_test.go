package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/svmbench/svmbench/results"
)

// Issue 13, defects 5 and 6: every flag is checked before any work, an
// explicit zero is never a silent default, and a bad value is a usage
// error (exit 2) whatever it is (NaN, Inf, 0). Each case would have
// started work (loaded data, trained, written DIR) or exited 1 before.
func TestFlagsCheckedBeforeAnyWork(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "out")
	data := []string{"-data", "synthetic:200,50"}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"grid", "-out", out, "-kernel", "linear", "-C", "1", "-search", "random", "-trials", "0"}, "-trials 0"},
		{[]string{"grid", "-out", out, "-kernel", "linear", "-C", "1", "-folds", "0"}, "-folds 0"},
		{[]string{"grid", "-out", out, "-kernel", "linear", "-C", "1", "-eps", "0"}, "-eps 0"},
		{[]string{"grid", "-out", out, "-kernel", "linear", "-C", "1", "-eps", "NaN"}, "-eps NaN"},
		{[]string{"grid", "-out", out, "-kernel", "poly", "-gamma", "1", "-C", "1", "-degree", "0"}, "-degree 0"},
		{[]string{"grid", "-out", out, "-kernel", "linear", "-C", "NaN"}, "-C"},
		// These two named RunConfig.Models and MainConfig.GridTrain, not the flags.
		{[]string{"run", "-out", out, "-models", "svm-linear,svm-foo"}, `-models "svm-foo": want svm-KERNEL`},
		{[]string{"all", "-out", out, "-train", "100", "-grid-train", "150"}, "-grid-train 150: more than -train 100"},
		{[]string{"all", "-out", out, "-grid-train", "20000"}, "-grid-train 20000: more than the quick profile's -train 10000"},
		{[]string{"run", "-out", out, "-models", "svm-linear", "-params", filepath.Join(dir, "nofile")}, "-params"},
		{[]string{"run", "-out", out, "-models", "svm-linear", "-eps", "0"}, "-eps 0"},
		{[]string{"run", "-out", out, "-models", "svm-linear", "-train", "100", "-scaling", "50,150"}, "-scaling size 150 is larger than -train 100"},
		{[]string{"train", "-model", filepath.Join(dir, "nodir", "m"), "-kernel", "linear"}, "does not exist"},
		{[]string{"train", "-model", filepath.Join(dir, "m"), "-kernel", "linear", "-C", "NaN"}, "-C NaN"},
		{[]string{"train", "-model", filepath.Join(dir, "m"), "-kernel", "linear", "-C", "Inf"}, "-C +Inf"},
		{[]string{"train", "-model", filepath.Join(dir, "m"), "-kernel", "linear", "-C", "0"}, "-C 0"},
		{[]string{"train", "-model", filepath.Join(dir, "m"), "-kernel", "sigmoid", "-alpha", "NaN"}, "-alpha NaN"},
		{[]string{"train", "-model", filepath.Join(dir, "m"), "-kernel", "rbf", "-w", "1:inf"}, `-w "1:inf": want LABEL:WEIGHT pairs with WEIGHT finite and > 0`},
		{[]string{"train", "-model", filepath.Join(dir, "m"), "-kernel", "poly", "-degree", "0"}, "-degree 0"},
		{[]string{"train", "-model", filepath.Join(dir, "m"), "-kernel", "rbf", "-gamma", "NaN"}, "-gamma NaN"},
		// These named MainConfig's, GridConfig's or cnn.TrainConfig's
		// fields; -max-iter and -C exited 1 after the cnn stage.
		{[]string{"all", "-out", out, "-noise-cnn", "resnet"}, `-noise-cnn "resnet": want sigmoid-loss or fixed`},
		{[]string{"all", "-out", out, "-cnn-variants", "resnet"}, `-cnn-variants "resnet": want`},
		{[]string{"all", "-out", out, "-kernels", "foo"}, `-kernels "foo": want sigmoid`},
		{[]string{"all", "-out", out, "-features", "foo"}, `-features "foo": want pixels`},
		{[]string{"all", "-out", out, "-skip", "foo"}, `-skip "foo": want stages of cnn`},
		{[]string{"all", "-out", out, "-profile", "bogus"}, `-profile "bogus": want quick or full`},
		{[]string{"all", "-out", out, "-train", "100", "-scaling", "500"}, "-scaling 500: want at most the training subset's 100 images"},
		{[]string{"all", "-out", out, "-lr", "-1"}, "-lr -1: want"},
		{[]string{"all", "-out", out, "-batch", "-3"}, "-batch -3: want"},
		{[]string{"all", "-out", out, "-repeats", "-1"}, "-repeats -1: want"},
		{[]string{"all", "-out", out, "-psd-sample", "1"}, "-psd-sample 1: want"},
		{[]string{"all", "-out", out, "-compare", "200"}, "-compare 200: want"},
		{[]string{"all", "-out", out, "-max-iter", "-5"}, "-max-iter -5: want"},
		{[]string{"all", "-out", out, "-C", "0"}, "-C 0: want values > 0"},
		{[]string{"all", "-out", out, "-kernels", "rbf", "-gamma", "0,1"}, "-gamma 0: want values > 0"},
		{[]string{"grid", "-out", out, "-kernel", "linear", "-C", "1,0"}, "-C 0: want values > 0"},
		{[]string{"grid", "-out", out, "-kernel", "linear", "-C", "1", "-max-iter", "-4"}, "-max-iter -4: want"},
		{[]string{"grid", "-out", out, "-kernel", "foo"}, `-kernel "foo": want sigmoid`},
		{[]string{"grid", "-out", out, "-kernel", "linear", "-C", "1", "-workers", "-1"}, "-workers -1: want"},
		{[]string{"grid", "-out", out, "-kernel", "linear", "-C", "1", "-extend", "99"}, "-extend 99: want 0 (off) to 20 steps"},
		{[]string{"grid", "-out", out, "-kernel", "linear", "-gamma", "1"}, `-gamma "1": want none: the linear kernel has no parameter gamma`},
		{[]string{"all", "-out", out, "-extend", "99"}, "-extend 99: want 0 (off) to 20 steps"},
	} {
		args := append(append([]string(nil), tc.args...), data...)
		code, _, errs, prog := runBench(t, args...)
		first, _, _ := strings.Cut(errs, "\n")
		if code != 2 || !strings.Contains(first, tc.want) {
			t.Errorf("bench %s: exit %d, %q; want exit 2 naming %q", strings.Join(args, " "), code, first, tc.want)
		}
		if prog != "" {
			t.Errorf("bench %s: work started before the error: %q", strings.Join(args, " "), prog)
		}
		if _, err := os.Stat(out); err == nil {
			t.Fatalf("bench %s: %s was made", strings.Join(args, " "), out)
		}
	}
}

// bench help states the exit statuses.
func TestHelpStatesExitStatus(t *testing.T) {
	_, _, errs, _ := runBench(t, "help")
	for _, want := range []string{"Exit status", "2 usage error", "1 data or I/O error", "130 interrupted"} {
		if !strings.Contains(errs, want) {
			t.Errorf("bench help lacks %q:\n%s", want, errs)
		}
	}
}

// Issue 13, defect 6: after Ctrl-C, bench train said "run again to
// resume", but train has no resume.
func TestInterruptedMessage(t *testing.T) {
	var b strings.Builder
	if code := exitStatus(&b, cmdTrain, context.Canceled); code != 130 || strings.Contains(b.String(), "resume") && !strings.Contains(b.String(), "no resume") {
		t.Errorf("train interrupted: exit %d, %q; want 130 and no promise of a resume", code, b.String())
	}
	b.Reset()
	if code := exitStatus(&b, cmdGrid, context.Canceled); code != 130 || !strings.Contains(b.String(), "-resume") {
		t.Errorf("grid interrupted: exit %d, %q; want 130 and how to resume (-resume)", code, b.String())
	}
}

// bench help report names every results file the report reads (it listed
// five of the eight: trials.json, cost.json and the search comparison were
// read but not named).
func TestHelpReportNamesItsFiles(t *testing.T) {
	_, _, errs, _ := runBench(t, "help", "report")
	for _, want := range []string{results.ResultsFile, "grid-KERNEL-FEATURES.jsonl", "best-KERNEL-FEATURES.json",
		results.ScalingFile, results.TrialsFile, results.CostFile, "search-KERNEL-FEATURES.json", "cnn-VARIANT.json"} {
		if !strings.Contains(errs, want) {
			t.Errorf("bench help report lacks %q:\n%s", want, errs)
		}
	}
}
