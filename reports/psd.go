package reports

import (
	"math"
	"slices"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/palette"
	"gonum.org/v1/plot/palette/moreland"

	"github.com/svmbench/svmbench/results"
)

// eigenMap is one of the two eigenvalue maps beside a grid's accuracy
// maps: which value of a cell it shows, and its words in the figure and
// as a grid table's column.
type eigenMap struct {
	value           func(results.GridCell) *float64
	title, barLabel string
	header, csv     string
}

var (
	// psdMap: the smallest eigenvalue of the sample's kernel matrix K.
	psdMap = eigenMap{
		value:    func(c results.GridCell) *float64 { return c.MinEigen },
		title:    "PSD map: λmin of K (red: K not PSD)",
		barLabel: "λmin of K (log scale each side of 0)",
		header:   "λmin", csv: "min_eigen",
	}
	// cpdMap: the smallest eigenvalue of K on Σu = 0, whose sign decides
	// whether the SVM's dual is convex.
	cpdMap = eigenMap{
		value:    func(c results.GridCell) *float64 { return c.MinEigenCPD },
		title:    "CPD map: λmin on Σu = 0 (red: SVM not convex)",
		barLabel: "λmin of K on Σu = 0 (log scale each side of 0)",
		header:   "λmin Σu=0", csv: "min_eigen_cpd",
	}
	// eigenMaps are the maps in the order figures and tables show them.
	eigenMaps = []eigenMap{psdMap, cpdMap}
)

// psdPanels returns the eigenvalue maps the grid's cells have values for
// (none, the PSD map, or the PSD and CPD maps).
func psdPanels(g *Grid, px, py string, alphas, coefs []float64, best results.GridCell) []*heatPanel {
	var out []*heatPanel
	for _, e := range eigenMaps {
		if p := psdPanel(g, e, px, py, alphas, coefs, best); p != nil {
			out = append(out, p)
		}
	}
	return out
}

// psdPanel draws the eigenvalue e over the parameters px × py (α × c for
// the sigmoid), whose values are alphas and coefs. The sign is what the
// map is for, and on real data the values run from −400 to 1e-5, so each
// side of zero has its own logarithmic scale (signedLog): every negative
// value is at least a clearly red, every positive one a clearly blue, and
// only an exact 0 is white. A halving grid's rungs sample K from their own
// training subsets, so a setting's values differ between rungs: each
// α, c shows that of its cell on the most images (the last rung's: all
// of them, as in a plain grid), and the scale spans the values shown.
func psdPanel(g *Grid, e eigenMap, px, py string, alphas, coefs []float64, best results.GridCell) *heatPanel {
	// Cell text shows λ itself, so keep the raw values beside.
	rawZ, rungN := nanGrid(len(alphas), len(coefs)), map[[2]int]int{}
	for _, c := range g.Cells {
		i, j := slices.Index(alphas, c.Param(px)), slices.Index(coefs, c.Param(py))
		if n, seen := rungN[[2]int{i, j}]; e.value(c) != nil && (!seen || c.RungN > n) {
			rawZ[i][j], rungN[[2]int{i, j}] = *e.value(c), c.RungN
		}
	}
	if len(rungN) == 0 {
		return nil
	}
	var vals []float64
	for k := range rungN {
		vals = append(vals, rawZ[k[0]][k[1]])
	}
	sl := newSignedLog(vals)
	z := nanGrid(len(alphas), len(coefs))
	for k := range rungN {
		z[k[0]][k[1]] = sl.at(rawZ[k[0]][k[1]])
	}
	// The diverging map spans [-1, 1]; the colour bar shows only the side
	// (or sides) the data occupy.
	cm := moreland.SmoothBlueRed()
	cm.SetMax(1)
	cm.SetMin(-1)
	bar := palette.Reverse(cm)
	ticks := sl.ticks()
	switch {
	case sl.neg == nil:
		bar = &subMap{bar, 0, 1}
	case sl.pos == nil:
		bar = &subMap{bar, -1, 0}
	}
	p := &heatPanel{
		title:  e.title,
		xlabel: "α (kernel slope)", ylabel: "c (kernel offset)",
		xticks: labelsOf(alphas), yticks: labelsOf(coefs),
		z: z, cm: palette.Reverse(cm), bar: bar,
		barLabel: e.barLabel, barTicks: ticks,
		bestX: slices.Index(alphas, best.Param(px)), bestY: slices.Index(coefs, best.Param(py)),
	}
	p.cellText = nil
	p.rawText = func(i, j int) string { return sig3(rawZ[i][j]) }
	return p
}

// signedLog maps eigenvalues to [−1, 1] for a diverging colour map: each
// side of zero logarithmically, its smallest magnitude to ±floor and its
// largest to ±1, so that a value's sign shows whatever its size.
type signedLog struct {
	neg, pos *[2]float64 // the side's smallest and largest magnitude; nil: no value there
}

// floor is where a side's smallest magnitude lands: a clearly saturated
// colour.
const floor = 0.3

func newSignedLog(vals []float64) signedLog {
	var s signedLog
	for _, v := range vals {
		side := &s.pos
		if v < 0 {
			side = &s.neg
		}
		a := math.Abs(v)
		switch {
		case v == 0:
		case *side == nil:
			*side = &[2]float64{a, a}
		default:
			(*side)[0], (*side)[1] = math.Min((*side)[0], a), math.Max((*side)[1], a)
		}
	}
	return s
}

// at is v's position in [−1, 1].
func (s signedLog) at(v float64) float64 {
	side, sign := s.pos, 1.0
	if v < 0 {
		side, sign = s.neg, -1
	}
	if v == 0 || side == nil {
		return 0
	}
	lo, hi := math.Log(side[0]), math.Log(side[1])
	if hi == lo {
		return sign
	}
	return sign * (1 - (1-floor)*(hi-math.Log(math.Abs(v)))/(hi-lo))
}

// ticks labels 0 and, on each side with values, its smallest and largest
// magnitude.
func (s signedLog) ticks() plot.ConstantTicks {
	ticks := plot.ConstantTicks{{Value: 0, Label: "0"}}
	for _, side := range []struct {
		r    *[2]float64
		sign float64
	}{{s.neg, -1}, {s.pos, 1}} {
		if side.r == nil {
			continue
		}
		ticks = append(ticks, plot.Tick{Value: side.sign, Label: sig3(side.sign * side.r[1])})
		if side.r[0] != side.r[1] {
			ticks = append(ticks, plot.Tick{Value: side.sign * floor, Label: sig3(side.sign * side.r[0])})
		}
	}
	return ticks
}
