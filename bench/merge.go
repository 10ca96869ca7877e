package bench

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/svmbench/svmbench/internal/atomicfile"
	"github.com/svmbench/svmbench/results"
)

// MergeSummary describes one merged grid.
type MergeSummary struct {
	Spec    GridSpec   // the merged spec, as written to out (Spec.Cells: cells in the whole grid)
	Cells   []GridCell // the distinct cells merged, in cell order, as written to out
	Sources int        // folders that held this grid
	Missing []int
	Best    *GridCell // best of the merged cells, nil when none
	// Removed lists the best file and model that out held for this grid
	// and that no longer belonged to the merged journal (file names).
	Removed []string
	// Dropped lists the torn last lines (an interrupted append) of the
	// journals read, left out of the merge: "FILE:LINE (what was wrong)".
	Dropped []string
}

// Merge joins the grid outputs (journals and specs) found in dirs, for
// example the folders of the shards of one grid, into out: for each
// kernel and feature set one journal with every distinct cell in cell
// order and one spec marked as shard 0 of 1. It refuses grids whose specs
// differ (other parameter lists, folds, seed, kernel settings or training
// data) and cells that do not match the grid's cell order; a cell found
// in two folders is taken once, and refused when the two disagree (other
// CV or fold accuracies). A journal's torn last line is left out and
// listed in the summary's Dropped. Merge does not retrain the best cell: run
// the grid again on out with Resume to do that (no cell is recomputed).
//
// The folder out is left complete and consistent, or untouched: Merge holds
// its lock (LockOut); an out holding grid specs is merged as one more
// input (its cells are kept; another grid there is a MismatchError); an
// out holding a merged grid's journal, best file or model without its spec
// is refused; a best file and model that are not the merged journal's best
// (CheckBest) are removed before the journal is written. A cancelled ctx
// (Ctrl-C) stops Merge before it writes, never in the middle of a grid.
func Merge(ctx context.Context, dirs []string, out string) ([]MergeSummary, error) {
	if len(dirs) == 0 {
		return nil, fmt.Errorf("bench: merge: no input folders")
	}
	outIsInput, err := sameFolderAsAny(out, dirs)
	if err != nil {
		return nil, fmt.Errorf("bench: merge: %w", err)
	}
	var m merger
	for _, dir := range dirs {
		if err := m.readFolder(dir); err != nil {
			return nil, err
		}
		if err := ctx.Err(); err != nil {
			return nil, err
		}
	}
	// out is read only under its lock: another run may be writing it.
	unlock, err := LockOut(out)
	if err != nil {
		return nil, err
	}
	defer unlock()
	if held, _ := filepath.Glob(filepath.Join(out, "grid-*.spec.json")); !outIsInput && len(held) > 0 {
		// An out that holds grids takes part in the merge, so that merging
		// again (a re-run job) keeps its cells and another grid there is
		// refused as a mismatch rather than replaced.
		if err := m.readFolder(out); err != nil {
			return nil, err
		}
		outIsInput = true
	}
	// Refuse before writing anything: a folder that is not an input but
	// holds files of a merged grid (without its spec) would end with a
	// journal of one grid beside a best file or model of another.
	if !outIsInput {
		if err := m.checkOut(out); err != nil {
			return nil, err
		}
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	var sums []MergeSummary
	for _, tag := range m.order {
		s, err := writeMerged(out, m.groups[tag])
		if err != nil {
			return nil, err
		}
		sums = append(sums, s)
	}
	return sums, nil
}

// merger collects the cells of each grid (by journal file name) found in
// the folders merged.
type merger struct {
	groups map[string]*mergeGroup
	order  []string // journal file names in the order first found
}

// mergeGroup is one grid's spec (as first found) and its distinct cells.
type mergeGroup struct {
	spec    GridSpec
	from    string // the spec file first found
	cells   map[int]GridCell
	where   map[int]string // file:line each cell was taken from
	dropped []string       // torn last lines left out, file:line (why)
	n       int            // folders that held the grid
	// seeded is whether the first cell that says so was fitted with alpha
	// seeding (results.OtherSeeding), known once one has said.
	seeded, known bool
	seededAt      string // file:line of that cell
}

// otherSeeding says why c (at where) was fitted otherwise, seeded or
// cold, than the grid's cells before it, or returns ""
// (results.OtherSeeding).
func (g *mergeGroup) otherSeeding(c GridCell, where string) string {
	if g.known {
		return results.OtherSeeding(c, g.seeded, g.seededAt+" was fitted")
	}
	if c.Failed == "" && c.SMOIter > 0 {
		g.seeded, g.known, g.seededAt = c.WarmStart, true, where
	}
	return ""
}

// readFolder adds the grids whose specs dir holds.
func (m *merger) readFolder(dir string) error {
	specs, err := filepath.Glob(filepath.Join(dir, "grid-*.spec.json"))
	if err != nil {
		return fmt.Errorf("bench: merge: %w", err)
	}
	if len(specs) == 0 {
		return fmt.Errorf("bench: merge: %s holds no grid (no grid-*.spec.json)", dir)
	}
	slices.Sort(specs)
	for _, sp := range specs {
		if err := m.readGrid(sp); err != nil {
			return err
		}
	}
	return nil
}

// readGrid adds the spec file sp and the cells of its journal, refusing a
// spec that differs from the same grid's found before and a cell that is
// not the grid's.
func (m *merger) readGrid(sp string) error {
	var s GridSpec
	if err := ReadJSON(sp, &s); err != nil {
		return err
	}
	jpath := strings.TrimSuffix(sp, ".spec.json") + ".jsonl"
	if filepath.Base(jpath) != GridFile(s.Kernel, s.Features) {
		return fmt.Errorf("bench: merge: %s describes the %s grid on %s, not its file name's", sp, s.Kernel, s.Features)
	}
	tag := GridFile(s.Kernel, s.Features)
	g, ok := m.groups[tag]
	if !ok {
		g = &mergeGroup{spec: s, from: sp, cells: map[int]GridCell{}, where: map[int]string{}}
		if m.groups == nil {
			m.groups = map[string]*mergeGroup{}
		}
		m.groups[tag] = g
		m.order = append(m.order, tag)
	} else if why := results.GridDiff(g.spec, s); why != "" {
		return fmt.Errorf("bench: merge: %w", &MismatchError{File: sp, Why: fmt.Sprintf("against %s: %s", g.from, why)})
	}
	g.n++
	cfg, err := configFromSpec(s)
	if err != nil {
		return fmt.Errorf("bench: merge: %s: %w", sp, err)
	}
	all := cfg.Cells()
	if len(all) != s.Cells && !fromLattice(s.Search) {
		return fmt.Errorf("bench: merge: %s: the spec's ranges give %d cells, it says %d", sp, len(all), s.Cells)
	}
	j, err := results.ReadJournal(jpath)
	if err != nil {
		return err
	}
	if j.TornOffset >= 0 {
		g.dropped = append(g.dropped, fmt.Sprintf("%s:%d (%v)", jpath, j.TornLine, j.TornErr))
	}
	digest := results.SpecDigest(s)
	for i, c := range j.Cells {
		where := fmt.Sprintf("%s:%d", jpath, j.Lines[i])
		if why := results.OtherSpec(digest, c); why != "" {
			return fmt.Errorf("bench: merge: %w", &MismatchError{File: where, Why: why})
		}
		if why := g.otherSeeding(c, where); why != "" {
			return fmt.Errorf("bench: merge: %w", &MismatchError{File: where, Why: why})
		}
		if !specAdmits(s, all, c) {
			why := fmt.Sprintf("cell %d (%s) is not a cell of the grid %s describes", c.Index, ParamString(c), filepath.Base(sp))
			if _, w, err := results.ForeignCell(s, []GridCell{c}); err == nil && w != "" {
				why = w
			}
			return fmt.Errorf("bench: merge: %w", &MismatchError{File: where, Why: why})
		}
		prev, dup := g.cells[c.Index]
		switch {
		case !dup:
			g.cells[c.Index] = c
			g.where[c.Index] = where
		case !results.SameSetting(prev, c) || !results.SameResults(prev, c):
			// Two runs of one cell that disagree: taking either would
			// make the merge depend on the folders' order.
			return fmt.Errorf("bench: merge: %w", &MismatchError{File: where, Why: fmt.Sprintf(
				"cell %d (%s) has CV accuracy %g, folds %v; %s has %s, CV accuracy %g, folds %v: two runs of this cell disagree, merge only one of them",
				c.Index, ParamString(c), c.CVAccuracy, c.FoldAccuracy, g.where[c.Index], ParamString(prev), prev.CVAccuracy, prev.FoldAccuracy)})
		}
	}
	// What no single cell shows: the rungs of a halving journal, the spec
	// each cell was run under (results.ForeignCell, as the report reads it).
	i, why, err := results.ForeignCell(s, j.Cells)
	if err != nil {
		return fmt.Errorf("bench: merge: %s: %w", sp, err)
	}
	if i >= 0 {
		return fmt.Errorf("bench: merge: %w", &MismatchError{File: fmt.Sprintf("%s:%d", jpath, j.Lines[i]), Why: why})
	}
	return nil
}

// checkOut refuses an out that is not an input but holds a file of one of
// the merged grids.
func (m *merger) checkOut(out string) error {
	for _, tag := range m.order {
		s := m.groups[tag].spec
		for _, name := range gridFiles(s.Kernel, s.Features) {
			if _, err := os.Lstat(filepath.Join(out, name)); err == nil {
				return fmt.Errorf("bench: merge: %s already holds %s from another run: merge into a new folder, or list %s among the folders to merge", out, name, out)
			}
		}
	}
	return nil
}

// writeMerged writes g's cells in cell order and its spec, as shard 0 of
// 1, into out, after removing a best file and model that are not the
// merged journal's best, and summarises the merge.
func writeMerged(out string, g *mergeGroup) (MergeSummary, error) {
	cells := make([]GridCell, 0, len(g.cells))
	for _, c := range g.cells {
		cells = append(cells, c)
	}
	slices.SortFunc(cells, func(a, b GridCell) int { return a.Index - b.Index })
	removed, err := dropStaleBest(out, g.spec, cells)
	if err != nil {
		return MergeSummary{}, err
	}
	journal, err := results.EncodeCells(cells)
	if err != nil {
		return MergeSummary{}, fmt.Errorf("bench: merge: %w", err)
	}
	spec := g.spec
	spec.Shard, spec.Shards = 0, 1
	specJSON, err := json.MarshalIndent(spec, "", "  ")
	if err != nil {
		return MergeSummary{}, fmt.Errorf("bench: merge: %w", err)
	}
	// The journal and its spec are written all or none.
	jpath, spath := filepath.Join(out, GridFile(spec.Kernel, spec.Features)), filepath.Join(out, SpecFile(spec.Kernel, spec.Features))
	if err := atomicfile.WriteAll(
		atomicfile.File{Path: jpath, Write: func(w io.Writer) error { _, err := w.Write(journal); return err }},
		atomicfile.File{Path: spath, Write: func(w io.Writer) error { _, err := w.Write(append(specJSON, '\n')); return err }},
	); err != nil {
		return MergeSummary{}, fmt.Errorf("bench: merge: writing %s and %s: %w", jpath, spath, err)
	}
	s := MergeSummary{Spec: spec, Cells: cells, Sources: g.n, Removed: removed, Dropped: g.dropped}
	for i := 0; i < spec.Cells; i++ {
		if _, ok := g.cells[i]; !ok {
			s.Missing = append(s.Missing, i)
		}
	}
	if b, ok := BestCell(cells); ok {
		s.Best = &b
	}
	return s, nil
}

// configFromSpec rebuilds the grid configuration a spec describes, enough
// to list its cells.
func configFromSpec(s GridSpec) (GridConfig, error) {
	cfg := GridConfig{Kernel: s.Kernel, Features: s.Features, Search: s.Search, Trials: s.Trials,
		Eta: s.Eta, Degree: s.Degree, Folds: s.Folds, Seed: s.Seed, Extend: s.Extend}
	for _, p := range []struct {
		name string
		sr   SpecRange
	}{{"alpha", s.Alpha}, {"coef0", s.Coef0}, {"gamma", s.Gamma}, {"C", s.C}} {
		if p.sr.Text == "" {
			continue
		}
		r, err := ParseRange(p.sr.Text)
		if err != nil {
			return cfg, err
		}
		if !slices.Equal(r.Values, p.sr.Values) {
			return cfg, fmt.Errorf("%s range %q does not expand to the values listed", p.name, p.sr.Text)
		}
		*cfg.rangeOf(p.name) = r
	}
	if err := cfg.Validate(); err != nil {
		return cfg, err
	}
	return cfg, nil
}

// gridFiles names every file a grid writes in its folder.
func gridFiles(kernel, features string) []string {
	return []string{GridFile(kernel, features), SpecFile(kernel, features), BestFile(kernel, features), ModelFile(kernel, features)}
}

// sameFolderAsAny reports whether folder out is one of dirs (an out that
// does not exist yet is none of them).
func sameFolderAsAny(out string, dirs []string) (bool, error) {
	st, err := os.Stat(out)
	if err != nil {
		if os.IsNotExist(err) {
			return false, nil
		}
		return false, err
	}
	for _, d := range dirs {
		if ds, err := os.Stat(d); err == nil && os.SameFile(st, ds) {
			return true, nil
		}
	}
	return false, nil
}

// dropStaleBest removes the best file and model of spec's grid from out
// unless the best file is the best of cells, the merged journal (see
// CheckBest): a best file and model always belong to the journal beside
// them. The best file goes first, so that an interruption never leaves a
// best file without its model. It returns the names removed.
func dropStaleBest(out string, spec GridSpec, cells []GridCell) ([]string, error) {
	bpath := filepath.Join(out, BestFile(spec.Kernel, spec.Features))
	var b Best
	err := ReadJSON(bpath, &b)
	if err == nil && CheckBest(b, cells) == nil {
		return nil, nil
	}
	return removeFiles(out, BestFile(spec.Kernel, spec.Features), ModelFile(spec.Kernel, spec.Features))
}

// removeFiles removes the files names from folder out in that order (a
// best file before its model, so that an interruption never leaves a best
// file without its model) and returns those it removed; a file that is
// not there is skipped.
func removeFiles(out string, names ...string) ([]string, error) {
	var removed []string
	for _, name := range names {
		err := os.Remove(filepath.Join(out, name))
		switch {
		case err == nil:
			removed = append(removed, name)
		case !os.IsNotExist(err):
			return removed, fmt.Errorf("bench: removing the stale %s: %w", name, err)
		}
	}
	return removed, nil
}

// fromLattice reports whether search chooses its cells among the grid's
// lattice as it runs (bayes, halving): its spec's Cells counts the
// evaluations, and the cell at an index may be any lattice cell.
func fromLattice(search string) bool { return search == "bayes" || search == "halving" }

// specAdmits reports whether cell c belongs to the search of spec s whose
// cells (grid, random) or lattice (bayes, halving) are all: the cell at
// c's index, or for bayes and halving any lattice cell, with c's index
// below the trials (evaluations); past a grid's cells, a random or
// bayes search's trials or a halving search's evaluations, a cell its
// range extension may add (results.ForeignCell).
func specAdmits(s GridSpec, all []GridCell, c GridCell) bool {
	if s.Extend > 0 && c.Index >= s.Cells && (s.Search == "halving") == (c.Rung > 0) {
		// The setting alone: readGrid checks c's spec digest (without
		// it, ForeignCell would compute the spec's digest again per cell).
		c.Spec = ""
		i, _, err := results.ForeignCell(s, []GridCell{c})
		return err == nil && i < 0
	}
	if c.Index < 0 || c.Index >= s.Cells || (s.Search == "halving") != (c.Rung > 0) {
		return false
	}
	if !fromLattice(s.Search) {
		return c.Index < len(all) && results.SameSetting(all[c.Index], c)
	}
	for _, a := range all {
		a.Index = c.Index
		if results.SameSetting(a, c) {
			return true
		}
	}
	return false
}
