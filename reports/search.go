package reports

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/svmbench/svmbench/results"
)

// This file draws the search comparisons (search-KERNEL-FEATURES.json,
// written by bench grid -compare and the main job): best CV accuracy
// found against cells evaluated and against fit seconds, per search
// (whatever searches the file holds), averaged over its seeds.

// loadSearch reads a search comparison.
func (l *loader) loadSearch(path, rel string) error {
	var c results.SearchComparison
	if err := readJSON(path, &c); err != nil {
		return err
	}
	if err := checkSearch(&c); err != nil {
		return &FileError{Path: path, Err: err}
	}
	l.in.Searches = append(l.in.Searches, &c)
	l.in.Files = append(l.in.Files, Source{Path: rel, Kind: "search", Manifest: &c.Manifest})
	return nil
}

// checkSearch checks what the format promises: a kernel, fractions, and
// traces whose best CV never falls and has a time for every cell.
func checkSearch(c *results.SearchComparison) error {
	// (a halving trace's best CV is 0 before its last rung)
	if c.Kernel == "" || len(c.Traces) == 0 {
		return errors.New("a search comparison without a kernel or traces")
	}
	if err := results.CheckFraction("grid_best_cv", c.GridBest); err != nil {
		return err
	}
	for i, tr := range c.Traces {
		if tr.Search == "" || len(tr.BestCV) == 0 || len(tr.BestCV) != len(tr.Seconds) || (len(tr.N) > 0 && len(tr.N) != len(tr.BestCV)) {
			return fmt.Errorf("traces[%d]: want a search name and as many seconds (and n, if any) as best_cv values (%d, %d, %d)", i, len(tr.BestCV), len(tr.Seconds), len(tr.N))
		}
		for j, n := range tr.N {
			if n <= 0 {
				return fmt.Errorf("traces[%d].n[%d] = %d: want training images > 0", i, j, n)
			}
		}
		for j, v := range tr.BestCV {
			if err := results.CheckFraction(fmt.Sprintf("traces[%d].best_cv[%d]", i, j), v); err != nil {
				return err
			}
			if j > 0 && (v < tr.BestCV[j-1] || tr.Seconds[j] < tr.Seconds[j-1]) {
				return fmt.Errorf("traces[%d] at cell %d: the best so far and the seconds cannot fall", i, j+1)
			}
		}
	}
	return nil
}

// meanTrace is a search's traces averaged over seeds: after evaluation
// i+1 (while every trace has it), the mean cells evaluated (counted at
// their training images for halving: a rung of n/9 images counts 1/9),
// mean best CV and mean fit seconds. Evaluations before a halving's last
// rung (best CV 0: not comparable) are left out.
type meanTrace struct {
	search  string
	runs    int
	atN     bool // its cells are counted at their training images (halving)
	cells   []float64
	bestCV  []float64
	seconds []float64
}

func meanTraces(c *results.SearchComparison) []meanTrace {
	var out []meanTrace
	for _, name := range c.Searches() {
		var trs []results.SearchTrace
		n := math.MaxInt
		for _, tr := range c.Traces {
			if tr.Search == name {
				trs = append(trs, tr)
				n = min(n, len(tr.BestCV))
			}
		}
		m := meanTrace{search: name, runs: len(trs)}
		cum, full := make([]float64, len(trs)), make([]float64, len(trs))
		for t, tr := range trs {
			if len(tr.N) > 0 {
				full[t] = float64(slices.Max(tr.N))
				m.atN = true
			}
		}
		for i := 0; i < n; i++ {
			var b, s, x float64
			skip := false
			for t, tr := range trs {
				cum[t] += cellWeight(tr, i, full[t])
				b, s, x = b+tr.BestCV[i], s+tr.Seconds[i], x+cum[t]
				skip = skip || tr.BestCV[i] == 0
			}
			if skip {
				continue
			}
			k := float64(len(trs))
			m.cells, m.bestCV, m.seconds = append(m.cells, x/k), append(m.bestCV, b/k), append(m.seconds, s/k)
		}
		if len(m.cells) > 0 {
			out = append(out, m)
		}
	}
	return out
}

// cellWeight is evaluation i of tr counted at its training images: 1, or
// for a trace with N its images over full, the largest.
func cellWeight(tr results.SearchTrace, i int, full float64) float64 {
	if len(tr.N) == 0 {
		return 1
	}
	return float64(tr.N[i]) / full
}

func (m meanTrace) label() string {
	s := m.search
	if m.runs > 1 {
		s += fmt.Sprintf(" (mean of %d seeds)", m.runs)
	}
	return s
}

// SearchFigure draws comparison c: the mean best CV accuracy found by
// each search against the cells it evaluated (left) and against its fit
// seconds (right), with the whole grid's best as a dashed line.
func SearchFigure(c *results.SearchComparison) *Figure {
	ms := meanTraces(c)
	if len(ms) == 0 {
		return nil
	}
	what := c.Kernel + "/" + c.Features
	left := newPlot("Best CV accuracy found against cells evaluated ("+what+")", cellsLabel(ms), "best CV accuracy so far (%)")
	right := newPlot("… and against fit seconds", "fit seconds (summed over workers)", "best CV accuracy so far (%)")
	right.Legend.Padding = vg.Points(2)
	// Whole cells labelled between the ends, and 1-2-5 steps of seconds
	// and of accuracy (the default gave 15, 25, 35 on a 20-point range).
	left.X.Tick.Marker, right.X.Tick.Marker = niceTicks{integer: true}, niceTicks{}
	left.Y.Tick.Marker, right.Y.Tick.Marker = niceTicks{}, niceTicks{}
	lo := 100 * c.GridBest
	for i, m := range ms {
		col := seriesColor(i)
		for _, side := range []struct {
			p  *plot.Plot
			xs []float64
		}{{left, m.cells}, {right, m.seconds}} {
			var xys plotter.XYs
			for j, x := range side.xs {
				xys = append(xys, plotter.XY{X: x, Y: 100 * m.bestCV[j]})
			}
			l, s, _ := plotter.NewLinePoints(xys)
			l.Color, s.Color, l.Width, s.Radius, s.Shape = col, col, vg.Points(2), vg.Points(2.5), draw.CircleGlyph{}
			side.p.Add(l, s)
			if side.p == right {
				side.p.Legend.Add(m.label(), l, s)
			}
		}
		lo = math.Min(lo, 100*m.bestCV[0])
	}
	for _, p := range []*plot.Plot{left, right} {
		xmax := p.X.Max
		g, _ := plotter.NewLine(plotter.XYs{{X: 0, Y: 100 * c.GridBest}, {X: xmax, Y: 100 * c.GridBest}})
		g.Color, g.Dashes, g.Width = seriesColor(len(ms)+1), []vg.Length{vg.Points(4), vg.Points(3)}, vg.Points(1)
		p.Add(g)
		if p == right {
			p.Legend.Add(fmt.Sprintf("the grid's best, %s%%", pct(c.GridBest)), g)
		}
		p.X.Min = 0
		p.Y.Min, p.Y.Max = math.Floor(lo-1), math.Ceil(100*c.GridBest+1)
	}
	caption := searchCaption(c, ms)
	legendW := 2.6 * vg.Inch
	return &Figure{Name: "search-" + c.Kernel + "-" + c.Features, Caption: caption, Width: 13 * vg.Inch, Height: 4.5 * vg.Inch,
		draw: func(dc draw.Canvas) {
			half := (dc.Size().X - legendW) / 2
			left.Draw(draw.Crop(dc, 0, -(dc.Size().X - half), 0, 0))
			withLegend(right, legendW)(draw.Crop(dc, half, 0, 0, 0))
		}}
}

// cellsLabel is the x label of the cells-evaluated plot: it says how
// cells are counted at their images only when a trace drawn is so
// counted (halving), and names those searches.
func cellsLabel(ms []meanTrace) string {
	var at []string
	for _, m := range ms {
		if m.atN {
			at = append(at, m.search)
		}
	}
	if len(at) == 0 {
		return "cells evaluated"
	}
	return "cells evaluated (" + strings.Join(at, ", ") + ": counted at their images)"
}

// searchCaption explains the search figure of c, whose drawn traces are
// ms: the budget of random and bayes and the counting of halving's cells
// only when such a trace is drawn.
func searchCaption(c *results.SearchComparison, ms []meanTrace) string {
	what := c.Kernel + "/" + c.Features
	s := fmt.Sprintf("Search comparison on the %s grid of %d cells: the best cross-validated accuracy each search had found after each cell it evaluated (left) and against the fit seconds it had spent (right, summed over workers), averaged over its seeds at each step.", what, c.GridCells)
	budget, atN := false, false
	for _, m := range ms {
		budget = budget || m.search == "random" || m.search == "bayes"
		atN = atN || m.atN
	}
	if budget {
		s += fmt.Sprintf(" Random and bayes searches had %d cells.", c.Budget)
	}
	if atN {
		s += " A halving search's cells are counted at their rung's images (a cell on a ninth of the images counts 1/9) and its curve starts at its last rung, whose cells are on all the images."
	}
	return s + " Replayed searches read their cells' results from the grid's (same folds, same fits) and are charged the seconds the grid measured for them."
}

// SearchTable summarises every comparison: per search, the mean over its
// seeds of the best CV accuracy at the end, how far behind the grid's
// best, how often it found it, the cells until within 0.5 points, and the
// fit seconds.
func SearchTable(in *Inputs) *Table {
	if len(in.Searches) == 0 {
		return nil
	}
	t := &Table{
		Name:      "searches",
		Title:     "Searches compared: grid, random, Bayesian, … on the same grid",
		Header:    []string{"Kernel", "Features", "Search", "Runs", "Cells", "Cells at all images", "Best CV (%)", "Behind the grid's best (points)", "Found the grid's best", "Cells to ≤ 0.5 points", "Fit seconds"},
		CSVHeader: []string{"kernel", "features", "search", "runs", "cells", "cells_at_n", "best_cv", "behind_points", "found_best", "cells_to_half_point", "fit_seconds"},
		Right:     []bool{false, false, false, true, true, true, true, true, true, true, true},
	}
	for _, c := range in.Searches {
		for _, s := range c.Summary() {
			t.Rows = append(t.Rows, []Cell{txt(c.Kernel), txt(c.Features), txt(s.Search), txt(strconv.Itoa(s.Runs)),
				{Text: strconv.FormatFloat(s.Cells, 'f', -1, 64), CSV: raw(s.Cells)},
				{Text: strconv.FormatFloat(s.CellsAtN, 'f', 1, 64), CSV: raw(s.CellsAtN)},
				{Text: pct(s.BestCV), CSV: raw(s.BestCV)},
				{Text: strconv.FormatFloat(s.Behind, 'f', 2, 64), CSV: raw(s.Behind)},
				txt(fmt.Sprintf("%d/%d", s.FoundBest, s.Runs)),
				{Text: fmt.Sprintf("%.1f (%d/%d reached)", s.ToHalfPoint, s.Reached, s.Runs), CSV: raw(s.ToHalfPoint)},
				{Text: secs(s.Seconds), CSV: raw(s.Seconds)}})
		}
	}
	t.Note = "Means over each search's seeds (the grid runs once, in its cell order). Cells at all images counts a halving cell on n/9 images as 1/9. Cells to ≤ 0.5 points: cells until the best found is within 0.5 points of the grid's best (a run that never gets there counts its whole budget)."
	return t
}

// SearchAdvice says for every comparison which search to pick for which
// budget, from its numbers (searchAdvice); "" without comparisons.
func SearchAdvice(in *Inputs) string {
	var parts []string
	for _, c := range in.Searches {
		if a := searchAdvice(c); a != "" {
			parts = append(parts, a)
		}
	}
	if len(parts) == 0 {
		return ""
	}
	return "Which search for which budget, from these numbers (mean fit seconds at the end of each search; a search is named only if it finds more than every cheaper one; costs within 10% count as one budget): " + strings.Join(parts, " ")
}

// searchAdvice says, from comparison c's numbers, which search to pick
// for which budget of fit seconds: the searches other than the grid by
// their mean cost at the end, cheapest first, keeping each that finds a
// higher mean best CV than every cheaper one (the cost-accuracy
// frontier; costs within 10% of each other count as one budget, the
// better search kept); then the whole grid, the only search sure of its
// best.
func searchAdvice(c *results.SearchComparison) string {
	what := c.Kernel + "/" + c.Features
	var front []results.SearchSummary
	var grid *results.SearchSummary
	sums := c.Summary()
	slices.SortStableFunc(sums, func(a, b results.SearchSummary) int {
		switch {
		case a.Seconds < b.Seconds:
			return -1
		case a.Seconds > b.Seconds:
			return 1
		}
		return 0
	})
	for i, s := range sums {
		if s.Search == "grid" {
			grid = &sums[i]
			continue
		}
		switch last := len(front) - 1; {
		case last >= 0 && s.Seconds <= 1.1*front[last].Seconds:
			// Within 10%: one budget (the seconds vary that much with
			// the load); the better of the two.
			if s.BestCV > front[last].BestCV {
				front[last] = s
			}
		case last < 0 || s.BestCV > front[last].BestCV:
			front = append(front, s)
		}
	}
	var parts []string
	for _, s := range front {
		parts = append(parts, fmt.Sprintf("up to about %s s of fits, %s (%s%% mean best CV, %.2f points behind the grid's best, found it in %d of %d runs, %.1f cells at all images)",
			secs(s.Seconds), s.Search, pct(s.BestCV), s.Behind, s.FoundBest, s.Runs, s.CellsAtN))
	}
	if grid != nil {
		parts = append(parts, fmt.Sprintf("with %s s (%.0f cells), the whole grid, the only search sure to find its best", secs(grid.Seconds), grid.Cells))
	}
	if len(parts) == 0 {
		return ""
	}
	return what + ": for a budget of " + strings.Join(parts, "; ") + "."
}
