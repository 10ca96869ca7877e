package bench

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/svmbench/svmbench/results"
)

// readFinishedGrid reads a finished grid's configuration (from its spec)
// and lattice cells (from its journal, cells a range extension added left
// out), and names it by its results folder's parent and features.
func readFinishedGrid(t *testing.T, journal string) (string, GridConfig, []GridCell) {
	t.Helper()
	var spec GridSpec
	if err := results.ReadJSON(strings.TrimSuffix(journal, ".jsonl")+".spec.json", &spec); err != nil {
		t.Fatal(err)
	}
	spec.Search, spec.Extend = "grid", 0
	cfg, err := configFromSpec(spec)
	if err != nil {
		t.Fatal(err)
	}
	all, _, err := results.ReadCells(journal)
	if err != nil {
		t.Fatal(err)
	}
	n := len(cfg.Cells())
	var cells []GridCell
	for _, c := range all {
		if c.Index < n {
			cells = append(cells, c)
		}
	}
	slices.SortFunc(cells, func(a, b GridCell) int { return a.Index - b.Index })
	return filepath.Base(filepath.Dir(filepath.Dir(journal))) + "/" + spec.Kernel + "/" + spec.Features, cfg, cells
}

// TestBayesOnFinishedGrids is a measurement, skipped unless asked for: it
// replays bayes (and random) search on finished grids at no cost, as the
// main job's comparison does (CompareOnGrid, a quarter of the grid's
// cells), and logs how far behind the grid's best each ends:
// SVMBENCH_BAYES_GRIDS lists the grids' journals (comma-separated),
// SVMBENCH_BAYES_SEEDS the search seeds 1..N (default 20),
// SVMBENCH_BAYES_BATCH the batch (default 2, the main job's on 2 cores);
// SVMBENCH_BAYES_TRACE=1 logs each seed's trials. It fails only when a
// search does not spend its budget or beats the grid it replays.
func TestBayesOnFinishedGrids(t *testing.T) {
	env := os.Getenv("SVMBENCH_BAYES_GRIDS")
	if env == "" {
		t.Skip("SVMBENCH_BAYES_GRIDS not set")
	}
	nseeds, batch := 20, 2
	var err error
	if v := os.Getenv("SVMBENCH_BAYES_SEEDS"); v != "" {
		if nseeds, err = strconv.Atoi(v); err != nil || nseeds < 3 {
			t.Fatalf("SVMBENCH_BAYES_SEEDS=%q: want an integer ≥ 3", v)
		}
	}
	if v := os.Getenv("SVMBENCH_BAYES_BATCH"); v != "" {
		if batch, err = strconv.Atoi(v); err != nil || batch < 1 {
			t.Fatalf("SVMBENCH_BAYES_BATCH=%q: want an integer ≥ 1", v)
		}
	}
	seeds := make([]uint64, nseeds)
	for i := range seeds {
		seeds[i] = uint64(i + 1)
	}
	t.Logf("%-30s %7s %6s | %-28s | %-28s | %s", "grid", "best", "budget", "bayes: behind 1-3, 1-N; found", "random: behind 1-3, 1-N; found", "bayes behind, seed by seed")
	for _, j := range strings.Split(env, ",") {
		name, cfg, cells := readFinishedGrid(t, j)
		cfg.Batch = batch
		cmpn, err := CompareOnGrid(nil, cfg, cells, seeds)
		if err != nil {
			t.Fatal(err)
		}
		line := fmt.Sprintf("%-30s %6.2f%% %3d/%-3d", name, 100*cmpn.GridBest, cmpn.Budget, cmpn.GridCells)
		var each []string
		for _, search := range []string{"bayes", "random"} {
			var gaps []float64
			found3, found := 0, 0
			for _, tr := range cmpn.Traces {
				if tr.Search != search {
					continue
				}
				if len(tr.BestCV) != cmpn.Budget {
					t.Errorf("%s: %s seed %d evaluated %d cells, budget %d", name, search, tr.Seed, len(tr.BestCV), cmpn.Budget)
					continue
				}
				gap := 100 * (cmpn.GridBest - tr.BestCV[len(tr.BestCV)-1])
				if gap < 0 {
					t.Errorf("%s: %s seed %d beat the grid's best by %.2f points", name, search, tr.Seed, -gap)
				}
				gaps = append(gaps, gap)
				if gap == 0 {
					found++
					if tr.Seed <= 3 {
						found3++
					}
				}
				if search == "bayes" {
					each = append(each, fmt.Sprintf("%.2f", gap))
				}
			}
			line += fmt.Sprintf(" | %5.2f %5.2f; %d/3 %3d/%-3d", mean(gaps[:3]), mean(gaps), found3, found, len(gaps))
		}
		t.Logf("%s | %s", line, strings.Join(each, " "))
		if os.Getenv("SVMBENCH_BAYES_TRACE") != "" {
			logBayesTrials(t, name, cfg, cells, seeds)
		}
	}
}

// logBayesTrials logs the trials of each seed's bayes search on the grid
// cells, with their CV accuracy and why they were chosen.
func logBayesTrials(t *testing.T, name string, cfg GridConfig, cells []GridCell, seeds []uint64) {
	for _, seed := range seeds {
		b := cfg
		b.Search, b.SearchSeed, b.Trials = "bayes", seed, 0
		if err := b.Validate(); err != nil {
			t.Fatal(err)
		}
		sp := newSearchSpace(&b)
		err := bayesLoop(sp, &b, func(batch []GridCell) ([]GridCell, error) {
			var out []GridCell
			for _, c := range batch {
				for _, g := range cells {
					g.Index = c.Index
					if results.SameSetting(g, c) {
						t.Logf("%s seed %d trial %d: %s  %.2f%%  %s", name, seed, c.Index, ParamString(c), 100*g.CVAccuracy, c.Why)
						out = append(out, g)
					}
				}
			}
			return out, nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
}

func mean(v []float64) float64 {
	var s float64
	for _, x := range v {
		s += x
	}
	return s / float64(len(v))
}
