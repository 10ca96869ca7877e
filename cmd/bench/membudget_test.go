package main

// The memory budget holds (issue 13): bench train and bench grid run as
// child processes at two -mem budgets on synthetic data whose whole kernel
// matrix is far larger than the small budget, and each child's peak RSS
// (getrusage's ru_maxrss) is compared with a baseline child that only
// loads the same data and makes the same features, measured the same way.
// docs/reliability.md states the margin and what it covers.

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"syscall"
	"testing"

	"github.com/svmbench/svmbench/features"
	"github.com/svmbench/svmbench/internal/memory"
)

// loadOnly is the baseline child (SVMBENCH_FAULT_MAIN=load): it reads the
// data flags and -features as bench train and grid do, loads the data,
// makes the features (of the training split, or with -both of both splits,
// as grid does) and exits 0 holding them.
func loadOnly(args []string) int {
	fs := flag.NewFlagSet("load", flag.ContinueOnError)
	df, ff := addDataFlags(fs), addFeatureFlags(fs)
	both := fs.Bool("both", false, "features of both splits, as bench grid")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	ext, err := ff.extractor()
	if err == nil {
		err = df.validate()
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	prog := newProgress()
	d, err := df.load(context.Background(), prog)
	if err == nil && *both {
		_, _, err = features.Apply(ext, d)
	} else if err == nil {
		_, err = trainFeatures(ext, d)
	}
	prog.Wait()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	runtime.KeepAlive(d)
	return 0
}

// peakRSS runs bench (or the baseline child when args[0] is "load") to the
// end and returns its peak resident set size in bytes.
func peakRSS(t *testing.T, args ...string) int64 {
	t.Helper()
	cmd := benchProc(args...)
	if args[0] == "load" {
		cmd = benchProc(args[1:]...)
		cmd.Env = append(cmd.Env, "SVMBENCH_FAULT_MAIN=load")
	}
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("bench %v: %v\n%s", args, err, out)
	}
	ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage)
	if !ok || ru.Maxrss <= 0 {
		t.Skip("no peak RSS from getrusage on this system")
	}
	return ru.Maxrss << 10 // KiB
}

// memMargin is what a run may hold beyond the baseline (its data and
// features) and the budget, besides the one copy of the training features
// the model's support vectors may take: memory.LimitMargin (the engine's
// gather tiles, the solver's per-variable state, the writers' buffers, the
// garbage of a collection cycle), and 8 MiB a core for what the Go
// runtime's limit does not count: goroutine stacks beyond the baseline's
// and, in the openblas build, OpenBLAS's per-thread buffers.
func memMargin() int64 { return memory.LimitMargin + int64(runtime.GOMAXPROCS(0))<<23 }

// The memory budget holds for bench train (one-vs-one and one-vs-rest)
// and bench grid at two budgets each.
func TestMemoryBudgetHolds(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: six training runs and grids")
	}
	tmp := t.TempDir()
	for _, c := range []struct {
		name    string
		n, dim  int      // training samples and their features
		data    []string // data and feature flags, as the baseline reads them
		args    []string // the command, without -mem and its output
		out     string   // the output flag
		budgets []int64
	}{
		// 4000 gray images: the whole kernel matrix is 64 MB of float32,
		// eight times the small budget; the large budget holds it.
		{"train", 4000, 1024, []string{"-data", "synthetic:4000,200", "-seed", "7", "-features", "gray"},
			[]string{"train", "-kernel", "rbf", "-eps", "0.1"}, "-model", []int64{8 << 20, 64 << 20}},
		// One-vs-rest on 1000 pixel images: its model is written as JSON
		// (it held 200 MB of text in memory before it was streamed).
		{"train -ovr", 1000, 3072, []string{"-data", "synthetic:1000,200", "-seed", "7"},
			[]string{"train", "-ovr", "-kernel", "rbf", "-eps", "0.1"}, "-model", []int64{8 << 20}},
		// 2000 gray images, 3 folds: the inner products (16 MB) fit the
		// small budget, a fold's fits do not (kernel columns computed per
		// fit); the large budget holds a kernel matrix the cells share.
		{"grid", 2000, 1024, []string{"-data", "synthetic:2000,200", "-seed", "7", "-features", "gray"},
			[]string{"grid", "-kernel", "rbf", "-gamma", "2^-10", "-C", "1,4", "-folds", "3", "-eps", "0.1"}, "-out", []int64{16 << 20, 64 << 20}},
	} {
		load := append([]string{"load"}, c.data...)
		if c.args[0] == "grid" {
			load = append(load, "-both")
		}
		base := peakRSS(t, load...)
		for _, budget := range c.budgets {
			out := filepath.Join(tmp, fmt.Sprint(c.args[0], len(c.args), budget))
			args := append(append(append([]string(nil), c.args...), "-mem", fmt.Sprint(budget>>20, "MiB"), c.out, out), c.data...)
			check(t, c.name, budget, base, int64(c.n)*int64(c.dim)*4, peakRSS(t, args...))
		}
	}
}

// check fails when peak exceeds base + budget + the training features
// (the model's support vectors) + memMargin, and logs the figures.
func check(t *testing.T, what string, budget, base, feats, peak int64) {
	t.Helper()
	margin := memMargin()
	limit := base + budget + feats + margin
	t.Logf("bench %s -mem %s: peak RSS %s = baseline %s + %s (limit %s: + budget + features %s + margin %s)",
		what, memory.Bytes(budget), memory.Bytes(peak), memory.Bytes(base), memory.Bytes(peak-base),
		memory.Bytes(limit), memory.Bytes(feats), memory.Bytes(margin))
	if peak > limit {
		t.Errorf("bench %s -mem %s: peak RSS %s exceeds baseline %s + budget + features %s + margin %s = %s",
			what, memory.Bytes(budget), memory.Bytes(peak), memory.Bytes(base), memory.Bytes(feats), memory.Bytes(margin), memory.Bytes(limit))
	}
}
