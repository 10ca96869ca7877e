package results

import (
	"math"
	"slices"
	"strconv"

	"github.com/svmbench/svmbench/kernels"
)

// ParamString writes a cell's parameters for people: "α=0.001 c=-1 C=8"
// (the kernel's parameters as kernels.Spec.Format writes them, then C).
func ParamString(c GridCell) string {
	ps := ""
	if spec, err := kernels.Lookup(c.Kernel); err == nil {
		ps = spec.Format(c.Values(), nil)
	}
	if ps != "" {
		ps += " "
	}
	return ps + "C=" + strconv.FormatFloat(c.C, 'g', -1, 64)
}

// Better reports whether cell a ranks above cell b: scored (a failed
// cell ranks below every scored one), then higher cv_accuracy;
// on a tie smaller C, then smaller α (sigmoid) or γ (rbf, poly), then c
// closer to 0, then earlier in the cell order.
func Better(a, b GridCell) bool {
	if (a.Failed == "") != (b.Failed == "") {
		return a.Failed == "" // a scored cell ranks above a failed one
	}
	if a.CVAccuracy != b.CVAccuracy {
		return a.CVAccuracy > b.CVAccuracy
	}
	if a.C != b.C {
		return a.C < b.C
	}
	if a.Alpha != b.Alpha {
		return a.Alpha < b.Alpha
	}
	if a.Gamma != b.Gamma {
		return a.Gamma < b.Gamma
	}
	if ac, bc := math.Abs(a.Coef0), math.Abs(b.Coef0); ac != bc {
		return ac < bc
	}
	return a.Index < b.Index
}

// Ranked returns the positions in cells of its cells, best first by
// Better: the order in which a halving search keeps the survivors of a
// rung (bench), and ForeignCell checks them.
func Ranked(cells []GridCell) []int {
	pos := make([]int, len(cells))
	for i := range pos {
		pos[i] = i
	}
	slices.SortFunc(pos, func(a, b int) int {
		if Better(cells[a], cells[b]) {
			return -1
		}
		if Better(cells[b], cells[a]) {
			return 1
		}
		return 0
	})
	return pos
}

// BestCell returns the best of cells by Better, and false when there are
// none but failed ones (Failed). In a successive-halving journal (cells
// with a Rung) only the cells of the highest rung compete: the lower
// rungs scored their cells on fewer images, so their accuracies are not
// comparable.
func BestCell(cells []GridCell) (GridCell, bool) {
	top := TopRung(cells)
	var best GridCell
	found := false
	for _, c := range cells {
		if c.Rung == top && c.Failed == "" && (!found || Better(c, best)) {
			best, found = c, true
		}
	}
	return best, found
}

// TiedOff reports whether a cell of cells (of best's rung) ties best's CV
// accuracy with another value of parameter name: the surface is flat
// there, and the tie rule of Better, not the data, chose best's value. A
// range extension does not extend an edge the best holds only so
// (bench.GridConfig.Extend).
func TiedOff(cells []GridCell, best GridCell, name string) bool {
	return slices.ContainsFunc(cells, func(c GridCell) bool {
		return c.Rung == best.Rung && c.Failed == "" && c.CVAccuracy == best.CVAccuracy && c.Param(name) != best.Param(name)
	})
}

// Failures counts the failed cells of cells (Failed) and returns the
// first of them in cell order (ok false when none failed).
func Failures(cells []GridCell) (n int, first GridCell, ok bool) {
	for _, c := range cells {
		if c.Failed == "" {
			continue
		}
		n++
		if !ok || c.Index < first.Index {
			first, ok = c, true
		}
	}
	return n, first, ok
}

// TopRung is the highest Rung of cells: 0 for any search but halving.
func TopRung(cells []GridCell) int {
	top := 0
	for _, c := range cells {
		top = max(top, c.Rung)
	}
	return top
}
