package main

import (
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/svmbench/svmbench/bench"
	"github.com/svmbench/svmbench/cnn"
	"github.com/svmbench/svmbench/internal/memory"
	"github.com/svmbench/svmbench/internal/progress"
)

// parseBytes reads a memory size with an optional unit: 512MiB, 12GiB,
// 1.5GB, 800M, 1024 (bytes). Binary units (KiB, MiB, GiB, TiB) are powers of
// 1024, decimal ones (kB, MB, GB, TB) powers of 1000; K, M, G, T alone are
// binary, as in most memory flags.
func parseBytes(s string) (int64, error) {
	t := strings.TrimSpace(s)
	i := len(t)
	for i > 0 && (t[i-1] < '0' || t[i-1] > '9') && t[i-1] != '.' {
		i--
	}
	num, unit := t[:i], strings.ToLower(strings.TrimSpace(t[i:]))
	v, err := strconv.ParseFloat(num, 64)
	if err != nil || v < 0 {
		return 0, fmt.Errorf("invalid memory size %q: want a number with an optional unit, e.g. 12GiB, 800MB", s)
	}
	mult := map[string]float64{
		"": 1, "b": 1,
		"k": 1 << 10, "kib": 1 << 10, "kb": 1e3,
		"m": 1 << 20, "mib": 1 << 20, "mb": 1e6,
		"g": 1 << 30, "gib": 1 << 30, "gb": 1e9,
		"t": 1 << 40, "tib": 1 << 40, "tb": 1e12,
	}[unit]
	if mult == 0 {
		return 0, fmt.Errorf("invalid memory size %q: unknown unit %q (want B, KiB, MiB, GiB, TiB, kB, MB, GB, TB)", s, t[i:])
	}
	return int64(v * mult), nil
}

// peakString labels both memory peaks of a measurement (internal/memory):
// "peak RSS 1.2 GiB, peak Go heap 800.0 MiB".
func peakString(rss, heap uint64) string {
	r := "unknown"
	if rss > 0 {
		r = memory.Bytes(int64(rss))
	}
	return fmt.Sprintf("peak RSS %s, peak Go heap %s", r, memory.Bytes(int64(heap)))
}

// positive reports a flag value that is not a finite number > 0 as a usage
// error: NaN, ±Inf, 0 and negative values are all refused, and an explicit
// 0 never means "the default".
func positive(flag string, v float64) error {
	if !(v > 0) || math.IsInf(v, 1) {
		return usagef("-%s %g: want a finite value > 0", flag, v)
	}
	return nil
}

// flagged returns a library's validation error as a usage error that
// names the flag: a *bench.ConfigError or *cnn.ConfigError whose field
// flags maps ("MainConfig.Kernels": "-kernels"; cnn's as
// "TrainConfig.LR") reads `-kernels "foo": want sigmoid, rbf, linear or
// poly`, as train.go turns a kernels.ParamError into its flag. Any other
// error is a usage error with its own text.
func flagged(err error, flags map[string]string) error {
	var field, want string
	var value any
	var be *bench.ConfigError
	var ce *cnn.ConfigError
	switch {
	case errors.As(err, &be):
		field, value, want = be.Field, be.Value, be.Want
	case errors.As(err, &ce):
		field, value, want = "TrainConfig."+ce.Field, ce.Value, ce.Want
	}
	flag, ok := flags[field]
	if !ok {
		return usagef("%w", err)
	}
	if s, isString := value.(string); isString {
		value = strconv.Quote(s)
	}
	return &usageError{msg: fmt.Sprintf("%s %v: want %s", flag, value, want), err: err}
}

// rangeFlags are the flags of GridConfig's ranges and iteration cap, in
// bench grid and bench all.
var rangeFlags = map[string]string{"GridConfig.Alpha": "-alpha", "GridConfig.Coef0": "-coef0",
	"GridConfig.Gamma": "-gamma", "GridConfig.C": "-C", "GridConfig.MaxIter": "-max-iter", "GridConfig.Extend": "-extend"}

// writableDir checks, before any work, that the folder a file is to be
// written in exists, so that a run does not fail only when it saves.
func writableDir(flag, file string) error {
	dir := filepath.Dir(file)
	st, err := os.Stat(dir)
	if err != nil {
		return usagef("-%s %s: the folder %s does not exist", flag, file, dir)
	}
	if !st.IsDir() {
		return usagef("-%s %s: %s is not a folder", flag, file, dir)
	}
	return nil
}

// Where commands write. Results (tables, counts, paths) go to stdout; errors,
// messages and progress to stderr. Tests point them at buffers.
var (
	stdout io.Writer = os.Stdout
	stderr io.Writer = os.Stderr
)

// newProgress returns the progress display of a command, on stderr: bars
// on a terminal, a plain line every few seconds otherwise (see
// internal/progress). Call Wait on it before the command returns.
func newProgress() *progress.Progress { return progress.New(stderr) }

// commandLine is the command line recorded in the main job's manifests.
func commandLine() []string { return append([]string{"bench"}, os.Args[1:]...) }
