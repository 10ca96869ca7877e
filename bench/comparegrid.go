package bench

import (
	"fmt"

	"github.com/svmbench/svmbench/dataset"
	"github.com/svmbench/svmbench/results"
)

// CompareOnGrid is CompareSearches at no cost, on the finished grid cfg
// whose cells (in cell order; cells a range extension added past the
// lattice are left out) are given: for each seed (as SearchSeed) the bayes
// search and the random search of cfg.Trials cells (0: a quarter of the
// grid) are replayed on the grid's cells. Both are exact replays when
// every range is a list: bayes proposes lattice cells, and random search
// draws distinct cells of the grid (GridConfig.Cells), so each of their
// cells is a grid cell, with the CV accuracy a fit on the same folds
// gives and charged the seconds the grid measured for it. A random draw that is not a grid cell (a
// range written start:stop:step or 2^a:2^b:k, which random search samples
// continuously) is an error: run CompareSearches instead.
func CompareOnGrid(d *dataset.Dataset, cfg GridConfig, cells []GridCell, seeds []uint64) (*SearchComparison, error) {
	cfg.Search, cfg.Extend, cfg.Shards, cfg.Shard = "grid", 0, 0, 0
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	n := len(cfg.Cells())
	var lattice []GridCell
	for _, c := range cells {
		if c.Index < n {
			lattice = append(lattice, c)
		}
	}
	if len(lattice) != n {
		return nil, fmt.Errorf("bench: CompareOnGrid: %d of the grid's %d cells", len(lattice), n)
	}
	cmpn := newComparison(d, &cfg, lattice)
	for _, seed := range seeds {
		tr, budget, err := bayesOnGrid(cfg, seed, lattice)
		if err != nil {
			return nil, err
		}
		cmpn.Budget = budget
		r := cfg
		r.Search, r.SearchSeed, r.Trials = "random", seed, budget
		if err := r.Validate(); err != nil {
			return nil, err
		}
		rt, err := replayRandom(&r, lattice)
		if err != nil {
			return nil, err
		}
		cmpn.Traces = append(cmpn.Traces, tr, rt)
	}
	return cmpn, nil
}

// replayRandom reads the cells of the random search r (the draws of
// r.Cells()) from the grid's cells.
func replayRandom(r *GridConfig, lattice []GridCell) (SearchTrace, error) {
	var got []GridCell
	for _, c := range r.Cells() {
		found := false
		for _, g := range lattice {
			g2 := g
			g2.Index = c.Index
			if results.SameSetting(g2, c) {
				got, found = append(got, g2), true
				break
			}
		}
		if !found {
			return SearchTrace{}, fmt.Errorf("bench: CompareOnGrid: random draw %d (%s) is not a grid cell: its ranges are not lists", c.Index, ParamString(c))
		}
	}
	tr := trace("random", r.SearchSeed, got)
	tr.Replayed = true
	return tr, nil
}
