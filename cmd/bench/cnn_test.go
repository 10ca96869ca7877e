package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/svmbench/svmbench/bench"
)

func TestCNNOneEpochAndResume(t *testing.T) {
	out := t.TempDir()
	args := []string{"cnn", "-variant", "fixed", "-epochs", "1", "-data", "synthetic:200,100", "-out", out}
	code, _, errs, prog := runBench(t, args...)
	if code != 0 {
		t.Fatalf("cnn: exit %d: %s", code, errs)
	}
	jsonPath := filepath.Join(out, "cnn-fixed.json")
	var run bench.CNNRun
	if err := bench.ReadJSON(jsonPath, &run); err != nil {
		t.Fatal(err)
	}
	if run.Variant != "fixed" || len(run.Epochs) != 1 || run.Epochs[0].Epoch != 1 {
		t.Fatalf("run %s: variant %q, epochs %+v; want one epoch record", jsonPath, run.Variant, run.Epochs)
	}
	e := run.Epochs[0]
	if !(e.TrainLoss > 0) || e.TestAccuracy < 0 || e.TestAccuracy > 1 || !(e.Seconds > 0) {
		t.Errorf("epoch record %+v", e)
	}
	if run.Manifest.TrainN != 200 || run.Manifest.TestN != 100 {
		t.Errorf("manifest %d/%d samples, want 200/100", run.Manifest.TrainN, run.Manifest.TestN)
	}
	sum := 0
	for _, row := range run.Confusion {
		for _, v := range row {
			sum += v
		}
	}
	if sum != 100 {
		t.Errorf("confusion sums to %d, want 100", sum)
	}
	for _, f := range []string{"cnn-fixed.cnn", "cnn-fixed.ckpt"} {
		if _, err := os.Stat(filepath.Join(out, f)); err != nil {
			t.Errorf("no %s: %v", f, err)
		}
	}
	if !strings.Contains(prog, "epoch  1  train loss") {
		t.Errorf("no epoch line on stderr:\n%s", prog)
	}

	// The same command again finds the finished epoch and trains no more.
	code, _, errs, prog = runBench(t, args...)
	if code != 0 {
		t.Fatalf("second run: exit %d: %s", code, errs)
	}
	if !strings.Contains(prog, "(from "+filepath.Join(out, "cnn-fixed.ckpt")+")") || strings.Contains(prog, "epoch 1/1") {
		t.Errorf("second run did not resume from the checkpoint:\n%s", prog)
	}
	var again bench.CNNRun
	if err := bench.ReadJSON(jsonPath, &again); err != nil {
		t.Fatal(err)
	}
	if len(again.Epochs) != 1 || again.Epochs[0] != e {
		t.Errorf("after the second run: epochs %+v, want the first run's %+v", again.Epochs, e)
	}

	// A different learning rate in the same folder is refused.
	code, _, errs, _ = runBench(t, append(args, "-lr", "0.01")...)
	if code != 1 || !strings.Contains(errs, "lr") {
		t.Errorf("other -lr in the same folder: exit %d, %q", code, errs)
	}
}

func TestCNNUsageErrors(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"cnn", "-variant", "bogus", "-out", t.TempDir()}, "bogus"},
		{[]string{"cnn", "-out", t.TempDir()}, "-variant"},
		{[]string{"cnn", "-variant", "fixed"}, "-out"},
		{[]string{"cnn", "-variant", "fixed", "-out", t.TempDir(), "-epochs", "0"}, "-epochs"},
		{[]string{"cnn", "-variant", "fixed", "-out", t.TempDir(), "-momentum", "1"}, "-momentum"},
	} {
		code, _, errs, _ := runBench(t, tc.args...)
		if code != 2 || !strings.Contains(errs, tc.want) || !strings.Contains(errs, "Usage: bench cnn") {
			t.Errorf("%q: exit %d, %q; want 2 naming %q", tc.args, code, errs, tc.want)
		}
	}
}
