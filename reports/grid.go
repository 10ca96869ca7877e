package reports

import (
	"fmt"
	"math"
	"strconv"
	"unicode"
	"unicode/utf8"

	"github.com/svmbench/svmbench/kernels"
	"github.com/svmbench/svmbench/results"
)

// GridFigure draws a grid search by the number of kernel parameters it
// ranges over (kernels.Spec.GridParams): for two (sigmoid α × c) the CV
// accuracy over them for each C with the best cell outlined, and the PSD
// map beside it (gridpair.go); for one (rbf γ) the CV accuracy over it × C
// (gridone.go); for none (linear) the CV accuracy against C
// (gridlinear.go). A failed cell (results.GridCell.Failed) is marked
// "failed" on a grey square and its reason given in the caption. It
// returns nil for a grid it cannot draw (no cells, or only failed ones, a
// kernel the registry does not know, or more parameters than two axes
// show).
func GridFigure(g *Grid) *Figure {
	if g.BestCell() < 0 {
		return nil // no cells, or every one failed: the grid's table says why
	}
	f := gridFigure(g)
	if f != nil {
		f.Caption += failedNote(g.Cells)
	}
	if f != nil && halvingRungs(g) != nil {
		f.Caption += " Successive halving: each setting shows its CV accuracy on the last rung it reached, on that rung's images (rN: dropped after rung N; the rungs table gives their sizes); only the last rung's cells were scored on all images and compete for the best."
	}
	return f
}

func gridFigure(g *Grid) *Figure {
	if len(g.Cells) == 0 {
		return nil
	}
	spec, err := kernels.Lookup(g.Kernel)
	if err != nil {
		return nil
	}
	if offLattice(g) && len(spec.GridParams()) > 0 { // the linear kernel's plot is one already
		return sliceGridFigure(g, spec)
	}
	switch axes := spec.GridParams(); len(axes) {
	case 2:
		x, _ := spec.Param(axes[0])
		y, _ := spec.Param(axes[1])
		return pairGridFigure(g, spec, x, y)
	case 1:
		x, _ := spec.Param(axes[0])
		return oneGridFigure(g, spec, x)
	case 0:
		return linearGridFigure(g, spec)
	}
	return nil
}

// axisLabel is "α (kernel slope)".
func axisLabel(p kernels.Param) string { return p.Symbol + " (" + p.Label + ")" }

// upperFirst is s with its first letter in upper case: "Sigmoid", "RBF".
func upperFirst(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	return string(unicode.ToUpper(r)) + s[n:]
}

func accRange(cells []results.GridCell) (lo, hi float64) {
	lo, hi = math.Inf(1), math.Inf(-1)
	for _, c := range cells {
		if c.Failed == "" {
			lo, hi = math.Min(lo, 100*c.CVAccuracy), math.Max(hi, 100*c.CVAccuracy)
		}
	}
	return lo, hi
}

// searchTitle names, for a figure's title, the search that evaluated
// some of g's cells and how many: " — random search, 20 of 36 cells",
// " — halving search, 48 evaluations of 36 cells", with ", 4 more by
// range extension" when an extension added some; "" for a whole grid.
func searchTitle(g *Grid) string {
	if g.Search == "" {
		return ""
	}
	settings, ext := map[string]bool{}, map[string]bool{}
	for _, c := range g.Cells {
		if g.SearchCells > 0 && c.Index >= g.SearchCells {
			ext[paramString(cellParams(c))] = true
		} else {
			settings[paramString(cellParams(c))] = true
		}
	}
	var s string
	switch {
	case g.Search == "halving":
		return fmt.Sprintf(" — halving search, %d evaluations of %d cells", len(g.Cells), len(settings)+len(ext))
	case g.SpecCells > 0:
		s = fmt.Sprintf(" — %s search, %d of %d cells", g.Search, len(settings), g.SpecCells)
	case g.Search == "random":
		s = fmt.Sprintf(" — random search, %d draws", len(settings))
	default:
		s = fmt.Sprintf(" — %s search, %d cells", g.Search, len(settings))
	}
	if len(ext) > 0 {
		s += fmt.Sprintf(", %d more by range extension", len(ext))
	}
	return s
}

// failedNote says, for a caption, which cells failed and why (the first
// failed cell's reason), or "" when none did.
func failedNote(cells []results.GridCell) string {
	n, c, ok := results.Failures(cells)
	if !ok {
		return ""
	}
	return fmt.Sprintf(" %d cell(s) marked \u201cfailed\u201d could not be cross-validated and are not scored (cell %d, %s: %s).", n, c.Index, paramString(cellParams(c)), c.Failed)
}

func pctText(v float64) string { return strconv.FormatFloat(v, 'f', 1, 64) }
