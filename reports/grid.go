package reports

import (
	"math"
	"strconv"

	"github.com/svmbench/svmbench/bench"
)

// GridFigure draws a grid search: for a sigmoid grid the CV accuracy over
// α × c for each C with the best cell outlined, and the PSD map beside
// it; for an RBF grid the CV accuracy over γ × C; for a linear grid the CV
// accuracy against C. It returns nil for a grid it cannot draw (no cells,
// or a kernel with more parameters than two axes show).
func GridFigure(g *Grid) *Figure {
	if len(g.Cells) == 0 {
		return nil
	}
	switch g.Kernel {
	case "sigmoid":
		return sigmoidGridFigure(g)
	case "rbf":
		return rbfGridFigure(g)
	case "linear":
		return linearGridFigure(g)
	}
	return nil
}

func accRange(cells []bench.GridCell) (lo, hi float64) {
	lo, hi = math.Inf(1), math.Inf(-1)
	for _, c := range cells {
		lo, hi = math.Min(lo, 100*c.CVAccuracy), math.Max(hi, 100*c.CVAccuracy)
	}
	return lo, hi
}

func pctText(v float64) string { return strconv.FormatFloat(v, 'f', 1, 64) }
