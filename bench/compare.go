package bench

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"path/filepath"

	"github.com/svmbench/svmbench/dataset"
	"github.com/svmbench/svmbench/matrix"
	"github.com/svmbench/svmbench/results"
)

// CompareSearches runs the grid cfg (every cell), then for each seed (as
// SearchSeed: the folds stay cfg.Seed's) a random search and a bayes
// search of cfg.Trials cells (0: a quarter of the grid) and a halving
// search with factor cfg.Eta (0: 3) on the same ranges, and records each
// one's best CV accuracy against cells evaluated and seconds. Random and
// halving search are run (halving's lower rungs fit subsets no grid cell
// has; its last rung, on all images with the grid's folds, scores its
// cells as the grid does). Bayes search
// proposes lattice cells, whose CV accuracy with cfg.Seed's folds is the
// grid's cell's, so its trials are replayed on the grid's cells through
// the same loop a bayes run uses (bayesLoop) and charged the seconds the
// grid measured for them. The comparison is written to cfg.Out when set.
func CompareSearches(ctx context.Context, d *dataset.Dataset, train *matrix.Matrix, cfg GridConfig, seeds []uint64) (*SearchComparison, error) {
	cfg.Search, cfg.NoRetrain, cfg.Resume, cfg.Shards, cfg.Shard = "grid", true, false, 0, 0
	eta := cmp.Or(cfg.Eta, 3)
	cfg.Eta = 0
	out := cfg.Out
	cfg.Out = ""
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	_, cells, err := Grid(ctx, d, train, nil, cfg)
	if err != nil {
		return nil, err
	}
	cmpn := newComparison(d, &cfg, cells)
	cmpn.Eta = eta
	for _, seed := range seeds {
		tr, budget, err := bayesOnGrid(cfg, seed, cells)
		if err != nil {
			return nil, err
		}
		cmpn.Budget = budget
		cmpn.Traces = append(cmpn.Traces, tr)

		r := cfg
		r.Search, r.SearchSeed, r.Trials = "random", seed, budget
		rc, err := searchRun(ctx, d, train, r)
		if err != nil {
			return nil, err
		}
		cmpn.Traces = append(cmpn.Traces, trace("random", seed, rc))

		h := cfg
		h.Search, h.SearchSeed, h.Trials, h.Eta = "halving", seed, 0, eta
		hc, err := searchRun(ctx, d, train, h)
		if err != nil {
			return nil, err
		}
		cmpn.Traces = append(cmpn.Traces, trace("halving", seed, hc))
	}
	if out != "" {
		if err := WriteJSON(filepath.Join(out, SearchFile(cfg.Kernel, cfg.Features)), cmpn); err != nil {
			return nil, err
		}
	}
	return cmpn, nil
}

// searchRun runs the search cfg of a comparison and returns its cells. A
// search whose every cell failed (Failed) found nothing: its trace stays
// at 0, and the comparison goes on.
func searchRun(ctx context.Context, d *dataset.Dataset, train *matrix.Matrix, cfg GridConfig) ([]GridCell, error) {
	_, cells, err := Grid(ctx, d, train, nil, cfg)
	if fe := (*allFailedError)(nil); errors.As(err, &fe) {
		err = nil
	}
	return cells, err
}

// newComparison starts the comparison of searches on the grid cfg whose
// cells (every cell, in cell order) are given: its best and its trace.
func newComparison(d *dataset.Dataset, cfg *GridConfig, cells []GridCell) *SearchComparison {
	best, _ := BestCell(cells)
	return &SearchComparison{Manifest: NewManifest(d, cfg.Seed, cfg.Args), Kernel: cfg.Kernel, Features: cfg.Features,
		GridCells: len(cells), GridBest: best.CVAccuracy, Traces: []SearchTrace{trace("grid", cfg.Seed, cells)}}
}

// bayesOnGrid replays the bayes search of cfg's ranges with SearchSeed
// seed on the finished grid's cells (see replayBayes); budget is its
// number of trials (GridConfig.Trials, filled by Validate).
func bayesOnGrid(cfg GridConfig, seed uint64, cells []GridCell) (tr SearchTrace, budget int, err error) {
	b := cfg
	b.Search, b.SearchSeed, b.Extend = "bayes", seed, 0 // the comparison is on the lattice
	quarter := b.Trials == 0
	if err := b.Validate(); err != nil {
		return SearchTrace{}, 0, err
	}
	if quarter {
		// Searches are compared at a quarter of the grid, the issue's
		// budget, even where a bayes search's own default (at least its
		// initial design) would take more.
		b.Trials = (b.latticeCells() + 3) / 4
	}
	if tr, err = replayBayes(&b, cells); err != nil {
		return SearchTrace{}, 0, err
	}
	tr.Seed = seed
	return tr, b.Trials, nil
}

// replayBayes runs the bayes search b (whose folds are those of the grid
// that produced cells, in the grid's order) on the grid's results.
func replayBayes(b *GridConfig, cells []GridCell) (SearchTrace, error) {
	sp := newSearchSpace(b)
	if len(sp.cells) != len(cells) {
		return SearchTrace{}, fmt.Errorf("bench: CompareSearches: %d grid cells for a lattice of %d", len(cells), len(sp.cells))
	}
	var trials []GridCell
	err := bayesLoop(sp, b, func(batch []GridCell) ([]GridCell, error) {
		var out []GridCell
		for _, c := range batch {
			for _, g := range cells {
				g2 := g
				g2.Index = c.Index
				if results.SameSetting(g2, c) {
					g2.Why = c.Why
					out = append(out, g2)
					break
				}
			}
		}
		if len(out) != len(batch) {
			return nil, fmt.Errorf("bench: CompareSearches: a bayes trial is not a grid cell")
		}
		trials = append(trials, out...)
		return out, nil
	})
	tr := trace("bayes", b.SearchSeed, trials)
	tr.Replayed = true
	return tr, err
}

// trace is the best-so-far curve of cells in their index order; for a
// halving search only its last rung's cells count towards the best, and
// each evaluation's images are recorded.
func trace(search string, seed uint64, cells []GridCell) SearchTrace {
	tr := SearchTrace{Search: search, Seed: seed}
	best, secs := 0.0, 0.0
	top := results.TopRung(cells)
	for _, c := range cells {
		if c.Rung == top {
			best = max(best, c.CVAccuracy)
		}
		if c.RungN > 0 {
			tr.N = append(tr.N, c.RungN)
		}
		secs += c.Seconds
		tr.BestCV = append(tr.BestCV, best)
		tr.Seconds = append(tr.Seconds, secs)
	}
	return tr
}
