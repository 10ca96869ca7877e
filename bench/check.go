package bench

import (
	"fmt"
	"math"
	"slices"
)

// ForeignCell returns the position in cells of the first cell that is not
// one of the cells of the grid (or shard) spec describes, with what is
// wrong with it; -1 and "" when every cell belongs. A journal that fails
// this check mixes runs (or was edited) and must not be read as one grid.
// For grid and random search the cells are listed from the spec and
// compared exactly; for other searches, which choose their cells as they
// go, each cell must have the spec's kernel, features, folds and degree
// and parameters inside the spec's ranges.
func ForeignCell(spec GridSpec, cells []GridCell) (int, string, error) {
	cfg, err := configFromSpec(spec)
	if err != nil {
		return -1, "", fmt.Errorf("bench: the grid spec cannot be read back: %w", err)
	}
	shards := max(spec.Shards, 1)
	var byIndex map[int]GridCell
	if cfg.Search == "grid" || cfg.Search == "random" {
		all := cfg.Cells()
		if len(all) != spec.Cells {
			return -1, "", fmt.Errorf("bench: the grid spec's ranges give %d cells, it says %d", len(all), spec.Cells)
		}
		byIndex = map[int]GridCell{}
		for _, c := range ShardCells(all, spec.Shard, shards) {
			byIndex[c.Index] = c
		}
	}
	for i, c := range cells {
		if byIndex != nil {
			want, ok := byIndex[c.Index]
			switch {
			case !ok && c.Index >= 0 && c.Index < spec.Cells:
				return i, fmt.Sprintf("cell %d belongs to another shard than %d/%d", c.Index, spec.Shard, shards), nil
			case !ok:
				return i, fmt.Sprintf("cell %d is outside the grid's %d cells", c.Index, spec.Cells), nil
			case !sameParams(want, stripResult(c)):
				return i, fmt.Sprintf("cell %d has %s, the grid's cell %d has %s", c.Index, cellParamsText(c), c.Index, cellParamsText(want)), nil
			}
			continue
		}
		if why := outsideRanges(cfg, c); why != "" {
			return i, why, nil
		}
	}
	return -1, "", nil
}

// outsideRanges says how cell c falls outside the grid cfg, or "".
func outsideRanges(cfg GridConfig, c GridCell) string {
	if c.Kernel != cfg.Kernel || c.Features != cfg.Features || c.Folds != cfg.Folds || c.Degree != cfg.Degree {
		return fmt.Sprintf("cell %d is a %s/%s cell with %d folds, degree %d; the grid is %s/%s with %d folds, degree %d",
			c.Index, c.Kernel, c.Features, c.Folds, c.Degree, cfg.Kernel, cfg.Features, cfg.Folds, cfg.Degree)
	}
	for _, n := range cfg.axes() {
		r := cfg.rangeOf(n).Values
		if len(r) == 0 {
			continue
		}
		lo, hi := slices.Min(r), slices.Max(r)
		eps := 1e-9 * max(math.Abs(lo), math.Abs(hi), 1)
		if v := c.Param(n); v < lo-eps || v > hi+eps {
			return fmt.Sprintf("cell %d has %s=%g outside the grid's range %g…%g", c.Index, n, v, lo, hi)
		}
	}
	return ""
}

func cellParamsText(c GridCell) string {
	return fmt.Sprintf("%s/%s %s folds=%d", c.Kernel, c.Features, ParamString(c), c.Folds)
}

// CheckBest returns an error unless b, the contents of a best file, is the
// best of cells, the grid journal beside it: the same cell (index and
// parameters), the same cross-validation results, and no cell of the
// journal ranking above it. A best file that fails is left from another
// grid (or the journal changed since) and its figures are not this grid's.
func CheckBest(b Best, cells []GridCell) error {
	var mine *GridCell
	for i := range cells {
		if cells[i].Index == b.Cell.Index {
			mine = &cells[i]
			break
		}
	}
	switch {
	case mine == nil:
		return fmt.Errorf("bench: the best cell %d (%s) is not in the grid journal", b.Cell.Index, cellParamsText(b.Cell))
	case !sameParams(*mine, stripResult(b.Cell)):
		return fmt.Errorf("bench: the best cell %d has %s, the journal's cell %d has %s", b.Cell.Index, cellParamsText(b.Cell), mine.Index, cellParamsText(*mine))
	case mine.CVAccuracy != b.Cell.CVAccuracy || !slices.Equal(mine.FoldAccuracy, b.Cell.FoldAccuracy):
		return fmt.Errorf("bench: the best cell %d has CV accuracy %g, the journal's cell %d has %g", b.Cell.Index, b.Cell.CVAccuracy, mine.Index, mine.CVAccuracy)
	}
	if bc, _ := BestCell(cells); bc.Index != b.Cell.Index {
		return fmt.Errorf("bench: the best file names cell %d (CV accuracy %g) but the journal's best is cell %d (CV accuracy %g)", b.Cell.Index, b.Cell.CVAccuracy, bc.Index, bc.CVAccuracy)
	}
	return nil
}
