package results

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"maps"
	"math"
	"reflect"
	"slices"
	"strings"

	"github.com/svmbench/svmbench/kernels"
)

// Setting returns cell c without its results: the index and parameters
// that say which grid point it is.
func Setting(c GridCell) GridCell {
	return GridCell{Index: c.Index, Kernel: c.Kernel, Features: c.Features, Alpha: c.Alpha,
		Coef0: c.Coef0, Gamma: c.Gamma, Degree: c.Degree, C: c.C, Folds: c.Folds}
}

// SameSetting reports whether two cells describe the same grid point.
func SameSetting(a, b GridCell) bool {
	return a.Index == b.Index && a.Kernel == b.Kernel && a.Features == b.Features &&
		a.Alpha == b.Alpha && a.Coef0 == b.Coef0 && a.Gamma == b.Gamma &&
		a.Degree == b.Degree && a.C == b.C && a.Folds == b.Folds
}

// SameResults reports whether two cells hold the same cross-validation
// results (CV accuracy, fold accuracies, failure): two runs of one cell that
// do not are two runs that disagree.
func SameResults(a, b GridCell) bool {
	return a.CVAccuracy == b.CVAccuracy && slices.Equal(a.FoldAccuracy, b.FoldAccuracy) && a.Failed == b.Failed
}

// Range returns the spec's range of the parameter called name ("alpha",
// "coef0", "gamma" or "C"); the zero SpecRange for any other name.
func (s *GridSpec) Range(name string) SpecRange {
	switch name {
	case "alpha":
		return s.Alpha
	case "coef0":
		return s.Coef0
	case "gamma":
		return s.Gamma
	case "C":
		return s.C
	}
	return SpecRange{}
}

// ForeignCell returns the position in cells of the first cell that is not
// one of the cells of the grid (or shard) spec describes, with what is
// wrong with it; -1 and "" when every cell belongs. A journal that fails
// this check mixes runs (or was edited) and must not be read as one grid;
// a cell recorded under another spec (OtherSpec), or whose rung does not
// fit the others' (rungWhy), fails it too.
// For a full grid (search "grid") the cells are listed from the spec's
// values, as bench lists them, and compared exactly; for searches that draw
// or choose their cells (random, …) each cell must have the spec's
// kernel, features, folds and degree and parameters inside the spec's
// ranges (bench.ForeignCell also redraws random cells exactly). A grid,
// random, bayes or halving search with Extend may hold cells past its Cells whose
// parameters lie up to Extend steps beyond its ranges (ExtendedValues;
// between them, for a random search's draws).
func ForeignCell(spec GridSpec, cells []GridCell) (int, string, error) {
	ks, err := kernels.Lookup(spec.Kernel)
	if err != nil {
		return -1, "", fmt.Errorf("results: the grid spec: %w", err)
	}
	axes := append(ks.GridParams(), "C")
	i, why, err := foreignSetting(spec, axes, cells)
	if err != nil {
		return i, why, err
	}
	// A cell run under another spec: after the settings' check, so that a
	// line of another grid is named by what differs in it.
	end := len(cells)
	if i >= 0 {
		end = i // the cells before the first of another setting
	}
	sizes := map[int][2]int{}
	digest := "" // SpecDigest(spec), once, when a cell records a digest
	for k, c := range cells[:end] {
		if c.Spec != "" && digest == "" {
			digest = SpecDigest(spec)
		}
		if w := OtherSpec(digest, c); w != "" {
			return k, w, nil
		}
		if w := rungWhy(spec, c, sizes); w != "" {
			return k, w, nil
		}
	}
	if i < 0 && spec.Search == "halving" {
		return notSurvivor(spec, cells)
	}
	return i, why, nil
}

// notSurvivor returns the position of the first cell of a halving
// search's rung above the first (its range extension's evaluations
// aside) whose setting is not among the best ⌈cells/η⌉ of the rung below
// by Better, as the search keeps them, with why; -1 and "" when there is
// none.
func notSurvivor(spec GridSpec, cells []GridCell) (int, string, error) {
	type setting struct{ alpha, coef0, gamma, c float64 }
	key := func(c GridCell) setting { return setting{c.Alpha, c.Coef0, c.Gamma, c.C} }
	rungs := map[int][]GridCell{}
	for _, c := range cells {
		if c.Index < spec.Cells {
			rungs[c.Rung] = append(rungs[c.Rung], c)
		}
	}
	kept := map[int]map[setting]bool{} // rung → its survivors' settings, sorted out once a rung
	for i, c := range cells {
		below := rungs[c.Rung-1]
		if c.Index >= spec.Cells || c.Rung < 2 || len(below) == 0 || spec.Eta < 2 {
			continue
		}
		keep := int(math.Ceil(float64(len(below)) / spec.Eta))
		if kept[c.Rung-1] == nil {
			kept[c.Rung-1] = map[setting]bool{}
			for _, p := range Ranked(below)[:keep] {
				kept[c.Rung-1][key(below[p])] = true
			}
		}
		if !kept[c.Rung-1][key(c)] {
			return i, fmt.Sprintf("cell %d on rung %d has %s, not among the best %d of rung %d (of %d cells), the survivors the search keeps",
				c.Index, c.Rung, ParamString(c), keep, c.Rung-1, len(below)), nil
		}
	}
	return -1, "", nil
}

// rungWhy says how cell c's rung does not fit spec or the rungs of the
// cells before it (sizes: rung → its images and the cell that showed
// them, added to), or returns "": only a halving journal has rungs, each
// of one size, larger for a higher rung and at most spec.TrainN.
func rungWhy(spec GridSpec, c GridCell, sizes map[int][2]int) string {
	switch {
	case spec.Search != "halving" && (c.Rung != 0 || c.RungN != 0):
		return fmt.Sprintf("cell %d has rung %d (n=%d) in a -search %s journal", c.Index, c.Rung, c.RungN, spec.Search)
	case spec.Search != "halving":
		return ""
	case c.Rung < 1 || c.RungN < 1:
		return fmt.Sprintf("cell %d has no rung (rung %d, n=%d) in a halving journal", c.Index, c.Rung, c.RungN)
	case spec.TrainN > 0 && c.RungN > spec.TrainN:
		return fmt.Sprintf("cell %d: rung %d has %d images, more than the %d training images", c.Index, c.Rung, c.RungN, spec.TrainN)
	}
	if s, ok := sizes[c.Rung]; ok && s[0] != c.RungN {
		return fmt.Sprintf("cell %d: rung %d has %d images, cell %d on it %d", c.Index, c.Rung, c.RungN, s[1], s[0])
	}
	rungs := slices.Sorted(maps.Keys(sizes))
	for _, r := range rungs {
		s := sizes[r]
		if r < c.Rung && s[0] >= c.RungN {
			return fmt.Sprintf("cell %d: rung %d has %d images, no more than rung %d's %d", c.Index, c.Rung, c.RungN, r, s[0])
		}
		if r > c.Rung && s[0] <= c.RungN {
			return fmt.Sprintf("cell %d: rung %d has %d images, no fewer than rung %d's %d", c.Index, c.Rung, c.RungN, r, s[0])
		}
	}
	sizes[c.Rung] = [2]int{c.RungN, c.Index}
	return ""
}

// foreignSetting is ForeignCell without the spec digests: the first cell
// whose setting (index, parameters, shard) is not one of spec's.
func foreignSetting(spec GridSpec, axes []string, cells []GridCell) (int, string, error) {
	if spec.Search != "grid" {
		for i, c := range cells {
			why := outsideSpec(spec, axes, c)
			switch {
			case spec.Extend > 0 && c.Index >= spec.Cells && spec.Search == "random":
				why = extensionDraw(spec, axes, c)
			case spec.Extend > 0 && c.Index >= spec.Cells:
				why = extensionCell(spec, axes, c) // a bayes trial's or a halving evaluation's
			case c.Index >= spec.Cells:
				why = fmt.Sprintf("cell %d is past the search's %d cells (trials or evaluations), and the search extends no range", c.Index, spec.Cells)
			}
			if why != "" {
				return i, why, nil
			}
		}
		return -1, "", nil
	}
	all := specGridCells(spec, axes)
	if len(all) != spec.Cells {
		return -1, "", fmt.Errorf("results: the grid spec's ranges give %d cells, it says %d", len(all), spec.Cells)
	}
	shards := max(spec.Shards, 1)
	for i, c := range cells {
		if spec.Extend > 0 && c.Index >= len(all) {
			if why := extensionCell(spec, axes, c); why != "" {
				return i, why, nil
			}
			continue
		}
		switch {
		case c.Index < 0 || c.Index >= len(all):
			return i, fmt.Sprintf("cell %d is outside the grid's %d cells", c.Index, spec.Cells), nil
		case c.Index%shards != spec.Shard:
			return i, fmt.Sprintf("cell %d belongs to another shard than %d/%d", c.Index, spec.Shard, shards), nil
		case !SameSetting(all[c.Index], c):
			want := all[c.Index]
			return i, fmt.Sprintf("cell %d has %s, the grid's cell %d has %s", c.Index, cellText(c), c.Index, cellText(want)), nil
		}
	}
	return -1, "", nil
}

// SpecDigest identifies the grid spec s describes, for its cells
// (GridCell.Spec): the first 16 hex digits of the SHA-256 of s's JSON
// without its manifest, shard, shards and extend, which are the same for
// every shard of one grid and for a search before and after -resume
// -extend.
//
// Fields at their zero value are left out of the digest, so that a field
// added to GridSpec later (zero in the specs of runs that do not use it)
// does not change the digest of the journals written before.
func SpecDigest(s GridSpec) string {
	s.Manifest, s.Shard, s.Shards, s.Extend = Manifest{}, 0, 0, 0
	b, _ := json.Marshal(specFields(s)) // map keys in sorted order
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:8])
}

// OtherSpec says why cell c was not run under the spec whose SpecDigest
// is d (its Spec digest is another's), or returns "" (the same digest, or
// none recorded). The digest is a parameter so that a journal's cells are
// checked against one digest computed once: SpecDigest encodes the whole
// spec, whose lists may hold thousands of values.
func OtherSpec(d string, c GridCell) string {
	if c.Spec != "" && c.Spec != d {
		return fmt.Sprintf("cell %d was run under another grid spec (digest %s; this spec's is %s): the spec file was edited or copied from another run (another seed, tolerance, …)", c.Index, c.Spec, d)
	}
	return ""
}

// OtherSeeding says why cell c was not fitted as fits with alpha seeding
// on (warm true) or off (as other says: "this run fits", "FILE:LINE was
// fitted"), or returns "": a cell whose fits were counted (smo_iter)
// records whether they were seeded (warm_start), and seeded and cold fits
// agree only within the solver's tolerance, so one grid must not hold
// both. A failed cell, or one written before these fields existed (no
// smo_iter), says nothing.
func OtherSeeding(c GridCell, warm bool, other string) string {
	if c.Failed != "" || c.SMOIter == 0 || c.WarmStart == warm {
		return ""
	}
	was, is := "with alpha seeding (warm_start)", "from cold starts (-warm-start=false)"
	if !c.WarmStart {
		was, is = is, was
	}
	return fmt.Sprintf("cell %d was fitted %s, %s %s: the grid's CV accuracies would mix the two (they agree only within the tolerance)", c.Index, was, other, is)
}

// specGridCells lists the cells of a full grid from the spec's values: the
// nested loop over axes, outermost first, C varying fastest.
func specGridCells(spec GridSpec, axes []string) []GridCell {
	cells := []GridCell{{Kernel: spec.Kernel, Features: spec.Features, Folds: spec.Folds, Degree: spec.Degree}}
	for _, name := range axes {
		vals := spec.Range(name).Values
		next := make([]GridCell, 0, len(cells)*len(vals))
		for _, c := range cells {
			for _, v := range vals {
				c.SetParam(name, v)
				next = append(next, c)
			}
		}
		cells = next
	}
	for i := range cells {
		cells[i].Index = i
	}
	return cells
}

// outsideSpec says how cell c falls outside the grid spec, or "".
func outsideSpec(spec GridSpec, axes []string, c GridCell) string {
	if c.Kernel != spec.Kernel || c.Features != spec.Features || c.Folds != spec.Folds || c.Degree != spec.Degree {
		return fmt.Sprintf("cell %d is a %s/%s cell with %d folds, degree %d; the grid is %s/%s with %d folds, degree %d",
			c.Index, c.Kernel, c.Features, c.Folds, c.Degree, spec.Kernel, spec.Features, spec.Folds, spec.Degree)
	}
	for _, n := range axes {
		r := spec.Range(n).Values
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

func cellText(c GridCell) string {
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
		return fmt.Errorf("results: the best cell %d (%s) is not in the grid journal", b.Cell.Index, cellText(b.Cell))
	case !SameSetting(*mine, b.Cell):
		return fmt.Errorf("results: the best cell %d has %s, the journal's cell %d has %s", b.Cell.Index, cellText(b.Cell), mine.Index, cellText(*mine))
	case !SameResults(*mine, b.Cell):
		return fmt.Errorf("results: the best cell %d has CV accuracy %g, the journal's cell %d has %g", b.Cell.Index, b.Cell.CVAccuracy, mine.Index, mine.CVAccuracy)
	}
	bc, ok := BestCell(cells)
	switch {
	case !ok:
		return fmt.Errorf("results: the best file names cell %d, but every cell of the journal failed (that one: %s), so it has no best", b.Cell.Index, mine.Failed)
	case bc.Index != b.Cell.Index:
		return fmt.Errorf("results: the best file names cell %d (CV accuracy %g) but the journal's best is cell %d (CV accuracy %g)", b.Cell.Index, b.Cell.CVAccuracy, bc.Index, bc.CVAccuracy)
	}
	return nil
}

// GridDiff explains how two grid specs differ as grids on data (shard,
// shards and manifest aside), or returns "" when they describe one grid:
// what -resume, bench merge and the report check before they take cells
// of two runs as one grid's.
func GridDiff(a, b GridSpec) string {
	a.Shard, b.Shard, a.Shards, b.Shards = 0, 0, 0, 0
	a.Manifest, b.Manifest = Manifest{}, Manifest{}
	switch {
	case a.TrainSHA256 != b.TrainSHA256 || a.TrainN != b.TrainN:
		return fmt.Sprintf("different training data (%d samples, sha256 %.12s… against %d samples, %.12s…)", a.TrainN, a.TrainSHA256, b.TrainN, b.TrainSHA256)
	case a.Kernel != b.Kernel || a.Features != b.Features:
		return fmt.Sprintf("kernel/features %s/%s against %s/%s", a.Kernel, a.Features, b.Kernel, b.Features)
	}
	ma, mb := specFields(a), specFields(b)
	for k, vb := range mb { // a field at its zero value in a that b sets
		if _, ok := ma[k]; !ok {
			ma[k] = zeroLike(vb)
		}
	}
	var diffs []string
	for k, va := range ma {
		vb, ok := mb[k]
		if !ok {
			vb = zeroLike(va)
		}
		if !reflect.DeepEqual(va, vb) {
			sa, _ := json.Marshal(va)
			sb, _ := json.Marshal(vb)
			diffs = append(diffs, fmt.Sprintf("%s %s against %s", k, sa, sb))
		}
	}
	slices.Sort(diffs)
	return strings.Join(diffs, "; ")
}

// specFields returns the fields of s's JSON without those at their zero
// value (zeroLike): a field a spec omits (omitempty, or added to GridSpec
// after it was written) and one at its zero value are one, for SpecDigest
// and GridDiff alike.
func specFields(s GridSpec) map[string]any {
	var m map[string]any
	b, _ := json.Marshal(s)
	json.Unmarshal(b, &m)
	for k, v := range m {
		if reflect.DeepEqual(v, zeroLike(v)) {
			delete(m, k)
		}
	}
	return m
}

// zeroLike is the zero value of a decoded JSON value's type: what an
// omitempty field left out of a spec stands for.
func zeroLike(v any) any {
	switch v.(type) {
	case float64:
		return 0.0
	case string:
		return ""
	case bool:
		return false
	}
	return nil
}
