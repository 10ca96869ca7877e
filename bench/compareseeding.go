package bench

import (
	"context"
	"fmt"
	"path/filepath"

	"github.com/svmbench/svmbench/dataset"
	"github.com/svmbench/svmbench/matrix"
	"github.com/svmbench/svmbench/results"
	"github.com/svmbench/svmbench/svm"
)

// CompareSeeding runs the grid cfg (every cell, cfg.Seed's folds) twice:
// with alpha seeding, then from cold starts, and pairs the two runs cell
// by cell: SMO iterations, fit seconds and CV accuracy (see
// results.SeedingComparison). It is how a user measures on their own data
// what seeding saves and checks that it changes no accuracy (at a small
// cfg.Tol, such as 1e-5, every fold's accuracy should be equal). The
// comparison is written to cfg.Out when set; the runs keep no journal
// and retrain nothing.
func CompareSeeding(ctx context.Context, d *dataset.Dataset, train *matrix.Matrix, cfg GridConfig) (*results.SeedingComparison, error) {
	if cfg.Search != "" && cfg.Search != "grid" {
		return nil, fmt.Errorf("bench: comparing seeding runs the whole grid, not -search %s", cfg.Search)
	}
	cfg.Search, cfg.NoRetrain, cfg.Resume, cfg.Shards, cfg.Shard, cfg.Extend = "grid", true, false, 0, 0, 0
	out := cfg.Out
	cfg.Out = ""
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	var runs [2][]GridCell
	for k, cold := range []bool{false, true} {
		cfg.ColdStart = cold
		_, cells, err := Grid(ctx, d, train, nil, cfg)
		if err != nil {
			return nil, err
		}
		runs[k] = cells
	}
	cmp, err := pairSeeding(runs[0], runs[1])
	if err != nil {
		return nil, err
	}
	cmp.Manifest = NewManifest(d, cfg.Seed, cfg.Args)
	cmp.Kernel, cmp.Features, cmp.Folds, cmp.Eps = cfg.Kernel, cfg.Features, cfg.Folds, cfg.Tol
	if cmp.Eps == 0 {
		cmp.Eps = svm.DefaultTol
	}
	if out != "" {
		if err := WriteJSON(filepath.Join(out, results.SeedingFile(cfg.Kernel, cfg.Features)), cmp); err != nil {
			return nil, err
		}
	}
	return cmp, nil
}

// pairSeeding pairs a seeded and a cold run's cells by index.
func pairSeeding(seeded, cold []GridCell) (*results.SeedingComparison, error) {
	byIndex := make(map[int]GridCell, len(cold))
	for _, c := range cold {
		byIndex[c.Index] = c
	}
	cmp := &results.SeedingComparison{}
	for _, s := range seeded {
		c, ok := byIndex[s.Index]
		if !ok || (s.Failed == "" && c.Failed == "" && len(c.FoldAccuracy) != len(s.FoldAccuracy)) {
			return nil, fmt.Errorf("bench: cell %d of the seeded run has no counterpart in the cold run", s.Index)
		}
		sc := results.SeedingCell{Index: s.Index, Alpha: s.Alpha, Coef0: s.Coef0, Gamma: s.Gamma, Degree: s.Degree, C: s.C,
			SeededPairs: s.SeededPairs, IterSeeded: s.SMOIter, IterCold: c.SMOIter,
			SecondsSeeded: s.Seconds, SecondsCold: c.Seconds, CVSeeded: s.CVAccuracy, CVCold: c.CVAccuracy,
			FailedSeeded: s.Failed, FailedCold: c.Failed}
		if s.Failed == "" && c.Failed == "" { // a failed run has no folds to compare
			for f := range s.FoldAccuracy {
				if s.FoldAccuracy[f] != c.FoldAccuracy[f] {
					sc.FoldsDiffer++
				}
			}
		}
		cmp.Cells = append(cmp.Cells, sc)
	}
	if len(cmp.Cells) != len(cold) {
		return nil, fmt.Errorf("bench: %d seeded cells against %d cold", len(cmp.Cells), len(cold))
	}
	return cmp, nil
}
