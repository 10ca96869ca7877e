package bench

import (
	"fmt"

	"github.com/svmbench/svmbench/results"
)

// ForeignCell returns the position in cells of the first cell that is not
// one of the cells of the grid (or shard) spec describes, with what is
// wrong with it; -1 and "" when every cell belongs (results.ForeignCell).
// It first checks that the spec's range texts expand to the values it
// lists, and for random search redraws the cells from the spec's seed and
// compares them exactly (past them, a range extension's draws are checked
// against the extended ranges).
func ForeignCell(spec GridSpec, cells []GridCell) (int, string, error) {
	cfg, err := configFromSpec(spec)
	if err != nil {
		return -1, "", fmt.Errorf("bench: the grid spec cannot be read back: %w", err)
	}
	if cfg.Search != "random" {
		return results.ForeignCell(spec, cells)
	}
	all := cfg.Cells()
	if len(all) != spec.Cells {
		return -1, "", fmt.Errorf("bench: the grid spec's ranges give %d cells, it says %d", len(all), spec.Cells)
	}
	shards := max(spec.Shards, 1)
	byIndex := map[int]GridCell{}
	for _, c := range ShardCells(all, spec.Shard, shards) {
		byIndex[c.Index] = c
	}
	for i, c := range cells {
		want, ok := byIndex[c.Index]
		if !ok && spec.Extend > 0 && c.Index >= spec.Cells { // a draw of the range extension
			if j, why, err := results.ForeignCell(spec, []GridCell{c}); err != nil || j >= 0 {
				return i, why, err
			}
			continue
		}
		switch {
		case !ok && c.Index >= 0 && c.Index < spec.Cells:
			return i, fmt.Sprintf("cell %d belongs to another shard than %d/%d", c.Index, spec.Shard, shards), nil
		case !ok:
			return i, fmt.Sprintf("cell %d is outside the grid's %d cells", c.Index, spec.Cells), nil
		case !results.SameSetting(want, c):
			return i, fmt.Sprintf("cell %d has %s, the grid's cell %d has %s", c.Index, cellParamsText(c), c.Index, cellParamsText(want)), nil
		}
	}
	return -1, "", nil
}

func cellParamsText(c GridCell) string {
	return fmt.Sprintf("%s/%s %s folds=%d", c.Kernel, c.Features, ParamString(c), c.Folds)
}

// CheckBest is results.CheckBest.
var CheckBest = results.CheckBest
