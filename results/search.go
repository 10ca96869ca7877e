package results

import "slices"

// SearchTrace is one search's progress on one grid: after each cell it
// evaluated (in its order), the best CV accuracy so far and the fit
// seconds so far (summed over workers).
type SearchTrace struct {
	Search  string    `json:"search"` // "grid", "random", "bayes" or "halving"
	Seed    uint64    `json:"seed"`
	BestCV  []float64 `json:"best_cv"`
	Seconds []float64 `json:"seconds"`
	// N is, for halving, the training images of each evaluation (its
	// rung's); BestCV then counts only the last rung's cells, on all the
	// images (0 before it: the lower rungs' accuracies are on fewer
	// images and not comparable). Empty for the other searches, whose
	// cells all use every image.
	N []int `json:"n,omitempty"`
	// Replayed: the bayes trials were not fitted again but read from the
	// grid's cells, which are the cells it would fit (same folds, same
	// fits; see CompareSearches).
	Replayed bool `json:"replayed,omitempty"`
}

// SearchComparison is DIR/search-KERNEL-FEATURES.json: grid, random,
// bayes and halving search on one grid's ranges and data.
type SearchComparison struct {
	Manifest  Manifest      `json:"manifest"`
	Kernel    string        `json:"kernel"`
	Features  string        `json:"features"`
	GridCells int           `json:"grid_cells"`
	Budget    int           `json:"budget"`        // cells of each random and bayes run
	Eta       float64       `json:"eta,omitempty"` // the halving runs' factor
	GridBest  float64       `json:"grid_best_cv"`
	Traces    []SearchTrace `json:"traces"`
}

// SearchFile names a comparison's file in a results folder.
func SearchFile(kernel, features string) string {
	return "search-" + fileTag(kernel, features) + ".json"
}

// SearchSummary is one search's row of a comparison, averaged over seeds.
type SearchSummary struct {
	Search string
	Runs   int
	Cells  float64 // cells evaluated
	// CellsAtN counts each cell evaluated at its training images over
	// all of them: a halving rung of n/9 images counts 1/9 a cell; the
	// other searches' cells count 1.
	CellsAtN float64
	BestCV   float64 // best CV accuracy at the end
	Behind   float64 // grid's best minus BestCV (points, ×100)
	// ToHalfPoint is the mean number of cells before the best is within
	// 0.5 points of the grid's best (runs that never get there count
	// their whole budget), and Reached how many runs got there.
	ToHalfPoint float64
	Reached     int
	FoundBest   int     // runs whose best equals the grid's best
	Seconds     float64 // fit seconds at the end
}

// Searches returns the searches of the traces in the order they first
// appear.
func (c *SearchComparison) Searches() []string {
	var names []string
	for _, tr := range c.Traces {
		if !slices.Contains(names, tr.Search) {
			names = append(names, tr.Search)
		}
	}
	return names
}

// Summary averages the traces of each search (Searches, in that order).
func (c *SearchComparison) Summary() []SearchSummary {
	var out []SearchSummary
	for _, name := range c.Searches() {
		s := SearchSummary{Search: name}
		for _, tr := range c.Traces {
			if tr.Search != name || len(tr.BestCV) == 0 {
				continue
			}
			n := len(tr.BestCV)
			s.Runs++
			s.Cells += float64(n)
			s.CellsAtN += tr.cellsAtN()
			s.BestCV += tr.BestCV[n-1]
			s.Seconds += tr.Seconds[n-1]
			if tr.BestCV[n-1] >= c.GridBest {
				s.FoundBest++
			}
			at := n
			for i, v := range tr.BestCV {
				if v >= c.GridBest-0.005 {
					at = i + 1
					s.Reached++
					break
				}
			}
			s.ToHalfPoint += float64(at)
		}
		if s.Runs == 0 {
			continue
		}
		r := float64(s.Runs)
		s.Cells, s.CellsAtN, s.BestCV, s.Seconds, s.ToHalfPoint = s.Cells/r, s.CellsAtN/r, s.BestCV/r, s.Seconds/r, s.ToHalfPoint/r
		s.Behind = 100 * (c.GridBest - s.BestCV)
		out = append(out, s)
	}
	return out
}

// cellsAtN is the trace's cells, each counted at its images over the
// largest (SearchSummary.CellsAtN).
func (tr SearchTrace) cellsAtN() float64 {
	if len(tr.N) == 0 {
		return float64(len(tr.BestCV))
	}
	full, sum := 0, 0
	for _, n := range tr.N {
		full, sum = max(full, n), sum+n
	}
	return float64(sum) / float64(full)
}
