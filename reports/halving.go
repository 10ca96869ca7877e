package reports

import (
	"fmt"
	"slices"
	"strconv"

	"github.com/svmbench/svmbench/kernels"
	"github.com/svmbench/svmbench/results"
)

// This file shows a successive-halving search (bench grid -search
// halving): its journal holds every (cell, rung) it evaluated, each with
// its rung and the rung's training images (rung, rung_n).

// halvingRung is one rung of a halving grid: its cells in journal order.
// ext marks the rungs of the range extension's steps (their cells
// pooled: each step halves its own cells on the search's rungs).
type halvingRung struct {
	rung, n int
	ext     bool
	cells   []results.GridCell
}

// settingKey identifies a cell's parameters across rungs: its kernel
// values (GridCell.Values) and C.
type settingKey struct {
	v kernels.Values
	c float64
}

func keyOf(c results.GridCell) settingKey { return settingKey{c.Values(), c.C} }

// halvingRungs splits a grid's cells by rung, lowest first: the search's
// rungs, then (with g.SearchCells) those of its range extension, each
// group a ladder of its own; nil for any search but halving.
func halvingRungs(g *Grid) [][]halvingRung {
	top := results.TopRung(g.Cells)
	if top == 0 {
		return nil
	}
	groups := [][]halvingRung{make([]halvingRung, top)}
	for _, c := range g.Cells {
		if c.Rung < 1 {
			continue
		}
		k := 0
		if g.SearchCells > 0 && c.Index >= g.SearchCells {
			if len(groups) == 1 {
				groups = append(groups, make([]halvingRung, top))
			}
			k = 1
		}
		r := &groups[k][c.Rung-1]
		r.rung, r.ext = c.Rung, k == 1
		r.n = max(r.n, c.RungN)
		r.cells = append(r.cells, c)
	}
	// An extension's steps may start above rung 1.
	for k, rs := range groups {
		groups[k] = slices.DeleteFunc(rs, func(r halvingRung) bool { return len(r.cells) == 0 })
	}
	return groups
}

// keptSet is the settings rung r+1 evaluated (the survivors of rung r).
func keptSet(rungs []halvingRung, r int) map[settingKey]bool {
	if r+1 >= len(rungs) {
		return nil
	}
	kept := map[settingKey]bool{}
	for _, c := range rungs[r+1].cells {
		kept[keyOf(c)] = true
	}
	return kept
}

// HalvingTable lists the rungs of a successive-halving grid: images,
// cells, how many went on, the rung's best cell and its cut-off; then,
// when a range extension added cells, its rungs (every step's pooled,
// each step halved on the search's rungs). Nil for any other search.
func HalvingTable(g *Grid) *Table {
	groups := halvingRungs(g)
	if groups == nil {
		return nil
	}
	t := &Table{
		Name:      "halving-" + g.Kernel + "-" + g.Features,
		Title:     fmt.Sprintf("Successive halving: %s kernel on %s features, %d rungs", g.Kernel, g.Features, len(groups[0])),
		Header:    []string{"Rung", "Images", "Cells", "Kept", "Best cell of the rung", "Its CV acc (%)", "Lowest kept CV acc (%)", "Σ cell time (s)"},
		CSVHeader: []string{"rung", "n", "cells", "kept", "best_params", "best_cv_accuracy", "cutoff_cv_accuracy", "cell_seconds_sum"},
		Right:     []bool{true, true, true, true, false, true, true, true},
		Note: "Each rung cross-validates its cells on a nested stratified subset of the training images (the next rung's subset contains it; the last is all of them, with the grid's folds); " +
			"the best cells by CV accuracy (ties as for the best cell) go on to the next rung, the others are dropped. Only the last rung's cells compete for the grid's best cell. " +
			"Lowest kept: the CV accuracy of the last cell that went on, the rung's cut-off; the grid table marks each cell kept or dropped.",
	}
	if len(groups) > 1 {
		t.Title += ", and its range extension"
		t.Note += " Rows marked (extension): the cells range extension added, every step's together; each step halved its own cells on the search's top rungs, " +
			"and its last rung's cells competed with the best on all images."
	}
	for _, rungs := range groups {
		for r, rg := range rungs {
			t.Rows = append(t.Rows, halvingRow(rg, keptSet(rungs, r)))
		}
	}
	return t
}

// halvingRow is rung rg's row of the halving table, kept the settings
// that went on (nil: the last rung).
func halvingRow(rg halvingRung, kept map[settingKey]bool) []Cell {
	best, ok := results.BestCell(rg.cells)
	cut := Cell{Text: "–"}
	nKept := 0
	if kept != nil {
		lo := 2.0
		for _, c := range rg.cells {
			if !kept[keyOf(c)] {
				continue
			}
			nKept++ // a failed cell that went on too: it has no score for the cut-off
			if c.Failed == "" {
				lo = min(lo, c.CVAccuracy)
			}
		}
		if lo <= 1 {
			cut = Cell{Text: pct(lo), CSV: raw(lo)}
		}
	}
	var total float64
	for _, c := range rg.cells {
		total += c.Seconds
	}
	// Kept counts this rung's cells that went on: an extension step that
	// starts on a higher rung has cells there that come from none.
	keptText := "– (last)"
	if kept != nil {
		keptText = strconv.Itoa(nKept)
	}
	rung := Cell{Text: strconv.Itoa(rg.rung)}
	if rg.ext {
		rung = Cell{Text: rung.Text + " (extension)", CSV: rung.Text + " extension"}
	}
	params, cv := Cell{Text: "–"}, Cell{Text: "–"} // every cell of the rung failed
	if ok {
		params = Cell{Text: paramString(cellParams(best)), CSV: paramRaw(cellParams(best))}
		cv = Cell{Text: pct(best.CVAccuracy), CSV: raw(best.CVAccuracy)}
	}
	return []Cell{
		rung, txt(strconv.Itoa(rg.n)), txt(strconv.Itoa(len(rg.cells))), txt(keptText),
		params, cv, cut,
		{Text: secs(total), CSV: raw(total)},
	}
}

// halvingFate says what became of each cell of a halving grid, by index:
// "kept" (it went on to the next rung), "dropped", or "last rung".
func halvingFate(g *Grid) map[int]string {
	groups := halvingRungs(g)
	if groups == nil {
		return nil
	}
	fate := map[int]string{}
	for _, rungs := range groups {
		for r, rg := range rungs {
			kept := keptSet(rungs, r)
			for _, c := range rg.cells {
				switch {
				case kept == nil:
					fate[c.Index] = "last rung"
				case kept[keyOf(c)]:
					fate[c.Index] = "kept"
				default:
					fate[c.Index] = "dropped"
				}
			}
		}
	}
	return fate
}
