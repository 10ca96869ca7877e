package bench_test

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/svmbench/svmbench/bench"
	"github.com/svmbench/svmbench/dataset"
)

// A rerun of the main job into a folder made with alpha seeding (or
// another search comparison) is refused naming the flag and both values:
// before, all.json did not record them and the rerun reused grids
// finished with the other setting. An all.json written before these
// fields existed still resumes with the old defaults, and is rewritten
// with them.
func TestMainJobStampNamesFlag(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the main job's grids")
	}
	out := t.TempDir()
	cfg := bench.MainConfig{Out: out, Data: dataset.Options{Spec: "synthetic:200,100"}, Seed: 1,
		Train: 100, Test: 50, GridTrain: 60, Folds: 2, Features: []string{"pixels"}, Kernels: []string{"linear"},
		C: bench.Values(1, 8), Extend: -1, Skip: []string{"cnn", "run", "scaling", "trials", "cost", "report"}}
	job := func(c bench.MainConfig) error {
		_, err := bench.MainJob(context.Background(), c, bench.MainProgress{})
		return err
	}
	if err := job(cfg); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		set  func(*bench.MainConfig)
		want string
	}{
		{func(c *bench.MainConfig) { c.ColdStart = true }, "-warm-start true there, false now"},
		{func(c *bench.MainConfig) { c.Compare = 5 }, "-compare 3 there, 5 now"},
		{func(c *bench.MainConfig) { c.Compare = -1 }, "-compare 3 there, 0 (none) now"},
		{func(c *bench.MainConfig) { c.Grids = bench.GridsDefault }, "MainConfig.Grids quick there, default now"},
		{func(c *bench.MainConfig) { c.Curve = []int{40} }, "-curve 500,1000,2000,5000,10000 there, 40 now"},
		{func(c *bench.MainConfig) { c.ColdStart, c.Folds = true, 3 }, "-folds 2 there, 3 now; -warm-start true there, false now"},
	} {
		other := cfg
		tc.set(&other)
		if err := job(other); err == nil || !strings.Contains(err.Error(), "other settings") || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("rerun: %v; want a refusal naming %q", err, tc.want)
		}
	}

	// Settings that only add records may change (docs/cli.md).
	for i, set := range []func(*bench.MainConfig){
		func(c *bench.MainConfig) { c.Repeats = 5 },
		func(c *bench.MainConfig) { c.NoiseCNNs = []string{"fixed"} },
		func(c *bench.MainConfig) { c.LabelNoise, c.PixelNoise = []float64{0, 0.3}, []float64{0} },
		func(c *bench.MainConfig) { c.Scaling, c.CNNVariants = []int{40}, []string{"fixed"} },
		func(c *bench.MainConfig) { c.MemBytes, c.Skip = 1<<30, append(c.Skip, "grids") },
	} {
		other := cfg
		set(&other)
		if err := job(other); err != nil {
			t.Errorf("rerun %d with a setting that only adds records: %v", i, err)
		}
	}

	// An all.json of an older build: no grids, compare, curve or noise_n
	// (nor cold_start, absent when seeding is on).
	path := filepath.Join(out, "results", bench.MainStampFile)
	var m map[string]any
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatal(err)
	}
	if m["compare"] != 3.0 || m["grids"] != "quick" {
		t.Fatalf("all.json %s: want compare 3 and grids quick", data)
	}
	delete(m, "compare")
	for _, k := range []string{"grids", "curve", "noise_n"} {
		delete(m, k)
	}
	if err := bench.WriteJSON(path, m); err != nil {
		t.Fatal(err)
	}
	if err := job(cfg); err != nil {
		t.Fatalf("resume of an older all.json: %v", err)
	}
	if data, _ := os.ReadFile(path); !strings.Contains(string(data), `"compare": 3`) {
		t.Errorf("older all.json not rewritten with the defaults it was read with: %s", data)
	}
	other := cfg
	other.ColdStart = true
	if err := job(other); err == nil || !strings.Contains(err.Error(), "-warm-start true there") {
		t.Errorf("-warm-start=false on an older all.json (absent: seeding on): %v; want a refusal", err)
	}
}
