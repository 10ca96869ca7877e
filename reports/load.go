package reports

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/svmbench/svmbench/kernels"
	"github.com/svmbench/svmbench/results"
)

// Inputs is everything Load found under a folder, ready for Write.
type Inputs struct {
	// Dir is the folder that was searched.
	Dir string
	// Manifest describes the run: the manifest of results.json, else of
	// the first other file that has one. Nil when no file carries one.
	Manifest *results.Manifest
	// Models holds the model × features records of every results.json,
	// in file order.
	Models []results.ModelResult
	// Grids holds one grid per kernel and feature set, in the order
	// sigmoid, rbf, linear, poly, other; then pixels, hog, cnn, other.
	Grids []*Grid
	// Scaling holds the points of every scaling.json.
	Scaling []results.ScalingPoint
	// CNN holds the CNN runs, seed before fixed.
	CNN []results.CNNRun
	// Trials is trials.json (repeats, learning curve, noise studies) and
	// Cost is cost.json, when the folder has them.
	Trials *results.Trials
	Cost   *results.Cost
	// Searches holds the search comparisons (search-KERNEL-FEATURES.json)
	// in the order read.
	Searches []*results.SearchComparison
	// Files lists the files read, relative to Dir, in the order read.
	Files []Source
	// Warnings lists what Load tolerated: a torn last line of a grid
	// file, duplicate grid cells.
	Warnings []string
}

// Source is one results file Load read.
type Source struct {
	Path     string            // relative to Inputs.Dir
	Kind     string            // "results", "grid", "best", "scaling", "cnn"
	Manifest *results.Manifest // nil for grid files, which carry none
}

// Grid is one grid search: the cross-validated cells of
// grid-KERNEL-FEATURES.jsonl and, when present, best-KERNEL-FEATURES.json.
type Grid struct {
	Kernel   string
	Features string
	// Cells in ascending cell index, one per index.
	Cells []results.GridCell
	// Best is the contents of the best file, nil if there was none
	// (an interrupted grid).
	Best *results.Best
	// Extend is the spec's limit of range extension (steps beyond each
	// edge; 0: none) and Extended the steps the cells hold beyond the
	// spec's range of each parameter, below and above
	// (results.ExtendedSteps).
	Extend   int
	Extended map[string][2]int
	// SearchCells is the spec's cells, those of the search before its
	// range extension (with Extend > 0; 0 otherwise): a halving
	// search's extension evaluations have indices from it on.
	SearchCells int
	// Search is the spec's search: "random", "bayes" or "halving", which
	// evaluate some of the grid's cells; "" for a whole grid or a
	// journal without a spec.
	Search string
	// SpecCells is the cells of the spec's ranges (the product of their
	// values' counts, before any range extension): the lattice a bayes
	// or halving search, or a random search over lists, picks its cells
	// from; 0 without a spec, or for a random search that draws off the
	// lattice (a range that is not a list).
	SpecCells int
	// spec is the grid's spec, nil for a journal without one: the ranges
	// a random search's draws are read against (edgeNote).
	spec *results.GridSpec
}

// BestCell returns the index in g.Cells of the grid's best cell: the
// cell named by the best file when there is one, else the best by the
// rule bench uses (highest CV accuracy; ties: smaller C, smaller α or γ,
// c closer to 0, earlier cell; for a halving search among the last
// rung's cells; never a failed cell). It returns -1 for a grid without
// cells, or whose every cell failed.
func (g *Grid) BestCell() int {
	if g.Best != nil {
		for i, c := range g.Cells {
			if c.Index == g.Best.Cell.Index {
				return i
			}
		}
	}
	// In a halving journal only the last rung's cells compete.
	top := results.TopRung(g.Cells)
	best := -1
	for i, c := range g.Cells {
		if c.Rung == top && c.Failed == "" && (best < 0 || betterCell(c, g.Cells[best])) {
			best = i
		}
	}
	return best
}

// betterCell is bench's ranking, so the report marks the cell bench chose.
func betterCell(a, b results.GridCell) bool { return results.Better(a, b) }

// Load reads every results file under dir, recursively: results.json,
// grid-KERNEL-FEATURES.jsonl, best-KERNEL-FEATURES.json, scaling.json,
// trials.json, cost.json, search-KERNEL-FEATURES.json and
// cnn-VARIANT.json. A torn last line of a grid file (an interrupted
// append) is dropped with a warning; any other bad content is an error
// that names the file, the line or record, and what was expected.
func Load(dir string) (*Inputs, error) {
	st, err := os.Stat(dir)
	if err != nil {
		return nil, fmt.Errorf("reports: %w", err)
	}
	if !st.IsDir() {
		return nil, fmt.Errorf("reports: %s is not a folder", dir)
	}
	l := &loader{dir: dir, in: &Inputs{Dir: dir}, grids: map[string]*Grid{},
		journals: map[string][]results.GridCell{}, bests: map[string]results.Best{}, specs: map[string]seenSpec{}}
	if err := filepath.WalkDir(dir, l.visit); err != nil {
		return nil, err
	}
	in := l.in
	warn, err := checkBestFiles(l.bests, l.journals)
	if err != nil {
		return nil, err
	}
	in.Warnings = append(in.Warnings, warn...)
	if len(in.Files) == 0 {
		return nil, &ErrNoResults{Dir: dir}
	}
	in.Manifest = l.primary
	if in.Manifest == nil {
		for _, f := range in.Files {
			if f.Manifest != nil {
				in.Manifest = f.Manifest
				break
			}
		}
	}
	for _, g := range l.grids {
		if g.Cells, in.Warnings, err = dedupeCells(g, in.Warnings); err != nil {
			return nil, err
		}
		in.Grids = append(in.Grids, g)
	}
	in.sort()
	return in, nil
}

// loader is the state of Load's walk.
type loader struct {
	dir      string
	in       *Inputs
	grids    map[string]*Grid              // by kernel "\x00" features
	journals map[string][]results.GridCell // grid file path → its cells
	bests    map[string]results.Best       // best file path → contents
	primary  *results.Manifest             // of the first results.json
	specs    map[string]seenSpec           // by kernel "\x00" features: the first grid spec read
}

// visit reads the file at path if it is a results file (a WalkDirFunc).
func (l *loader) visit(path string, d fs.DirEntry, err error) error {
	if err != nil {
		return fmt.Errorf("reports: %w", err)
	}
	if d.IsDir() {
		return nil
	}
	name := d.Name()
	rel, _ := filepath.Rel(l.dir, path)
	switch {
	case name == results.ResultsFile:
		return l.loadResults(path, rel)
	case strings.HasPrefix(name, "grid-") && strings.HasSuffix(name, ".jsonl"):
		return l.loadGrid(path, rel, name)
	case strings.HasPrefix(name, "best-") && strings.HasSuffix(name, ".json"):
		return l.loadBest(path, rel, name)
	case name == results.ScalingFile:
		return l.loadScaling(path, rel)
	case name == results.TrialsFile || name == results.CostFile:
		return loadStudy(l.in, path, rel, name)
	case strings.HasPrefix(name, "search-") && strings.HasSuffix(name, ".json"):
		return l.loadSearch(path, rel)
	case strings.HasPrefix(name, "cnn-") && strings.HasSuffix(name, ".json"):
		return l.loadCNN(path, rel, name)
	}
	return nil
}

func (l *loader) loadResults(path, rel string) error {
	var r results.Results
	if err := readJSON(path, &r); err != nil {
		return err
	}
	for i, m := range r.Results {
		if err := results.CheckModel(m); err != nil {
			return &FileError{Path: path, Err: fmt.Errorf("record %d (results[%d]): %v", i+1, i, err)}
		}
	}
	l.in.Models = append(l.in.Models, r.Results...)
	man := r.Manifest
	if l.primary == nil {
		l.primary = &man
	}
	l.in.Files = append(l.in.Files, Source{Path: rel, Kind: "results", Manifest: &man})
	return nil
}

// sameGridAsBefore refuses the spec of the journal at path when a journal
// of the same kernel and features read before (another subfolder: a shard,
// a merged folder) has a spec of another grid (results.GridDiff): their
// cells would be drawn as one grid's. A nil spec (a journal without one)
// is checked by its cells alone (dedupeCells).
func (l *loader) sameGridAsBefore(path string, spec *results.GridSpec) error {
	if spec == nil {
		return nil
	}
	spath := strings.TrimSuffix(path, ".jsonl") + ".spec.json"
	key := spec.Kernel + "\x00" + spec.Features
	first, ok := l.specs[key]
	if !ok {
		l.specs[key] = seenSpec{spec: *spec, path: spath}
		return nil
	}
	if why := results.GridDiff(first.spec, *spec); why != "" {
		return &FileError{Path: spath, Err: fmt.Errorf("another %s/%s grid than %s (%s): the folder holds two runs; report each from its own folder, or join the shards of one grid with bench merge",
			spec.Kernel, spec.Features, first.path, why)}
	}
	return nil
}

// seenSpec is the first spec read of a kernel and feature set, and its file.
type seenSpec struct {
	spec results.GridSpec
	path string
}

// grid returns the grid of kernel and features, adding it if it is new.
func (l *loader) grid(kernel, features string) *Grid {
	key := kernel + "\x00" + features
	g := l.grids[key]
	if g == nil {
		g = &Grid{Kernel: kernel, Features: features}
		l.grids[key] = g
	}
	return g
}

// loadGrid reads a grid journal; cells that do not name their kernel and
// features (hand-written fixtures) take them from the file name.
func (l *loader) loadGrid(path, rel, name string) error {
	cells, lines, warn, err := readGridFile(path)
	if err != nil {
		return err
	}
	spec, err := checkGridFile(path, cells, lines)
	if err != nil {
		return err
	}
	if err := l.sameGridAsBefore(path, spec); err != nil {
		return err
	}
	l.journals[path] = cells
	if warn != "" {
		l.in.Warnings = append(l.in.Warnings, warn)
	}
	kernel, feats := splitGridName(strings.TrimSuffix(strings.TrimPrefix(name, "grid-"), ".jsonl"))
	for _, c := range cells {
		k, f := c.Kernel, c.Features
		if k == "" {
			k, f = kernel, feats
		}
		g := l.grid(k, f)
		g.Cells = append(g.Cells, c)
	}
	if len(cells) == 0 {
		l.grid(kernel, feats)
	}
	if spec != nil {
		l.grid(spec.Kernel, spec.Features).spec = spec
	}
	if spec != nil && spec.Search != "grid" {
		g := l.grid(spec.Kernel, spec.Features)
		g.Search, g.SpecCells = spec.Search, latticeCells(spec)
	}
	if spec != nil && spec.Extend > 0 {
		g := l.grid(spec.Kernel, spec.Features)
		g.Extend, g.Extended = spec.Extend, results.ExtendedSteps(*spec, gridParams(spec.Kernel), cells)
		g.SearchCells = spec.Cells
	}
	l.in.Files = append(l.in.Files, Source{Path: rel, Kind: "grid"})
	return nil
}

// latticeCells is Grid.SpecCells of spec.
func latticeCells(spec *results.GridSpec) int {
	n := 1
	for _, name := range gridParams(spec.Kernel) {
		r := spec.Range(name)
		if spec.Search == "random" && r.Kind != "list" && len(r.Values) > 1 {
			return 0 // drawn from the range, not among its values
		}
		n *= max(1, len(r.Values))
	}
	return n
}

// loadBest reads a best file; one that does not name its kernel and
// features takes them from the file name.
func (l *loader) loadBest(path, rel, name string) error {
	var b results.Best
	if err := readJSON(path, &b); err != nil {
		return err
	}
	if err := results.CheckBestFile(b); err != nil {
		return &FileError{Path: path, Err: err}
	}
	if b.Cell.Kernel == "" {
		b.Cell.Kernel, b.Cell.Features = splitGridName(strings.TrimSuffix(strings.TrimPrefix(name, "best-"), ".json"))
	}
	g := l.grid(b.Cell.Kernel, b.Cell.Features)
	if g.Best == nil {
		bb := b
		g.Best = &bb
	}
	l.bests[path] = b
	l.in.Files = append(l.in.Files, Source{Path: rel, Kind: "best", Manifest: &b.Manifest})
	return nil
}

func (l *loader) loadScaling(path, rel string) error {
	var s results.Scaling
	if err := readJSON(path, &s); err != nil {
		return err
	}
	for i, p := range s.Points {
		if p.N <= 0 || p.TrainSeconds < 0 || p.PredictSeconds < 0 {
			return &FileError{Path: path, Err: fmt.Errorf("point %d (points[%d]): want n > 0 and non-negative times, got n=%d train_seconds=%g predict_seconds=%g", i+1, i, p.N, p.TrainSeconds, p.PredictSeconds)}
		}
	}
	l.in.Scaling = append(l.in.Scaling, s.Points...)
	l.in.Files = append(l.in.Files, Source{Path: rel, Kind: "scaling", Manifest: &s.Manifest})
	return nil
}

// loadCNN reads a CNN run; one that does not name its variant takes it
// from the file name.
func (l *loader) loadCNN(path, rel, name string) error {
	var r results.CNNRun
	if err := readJSON(path, &r); err != nil {
		return err
	}
	if r.Variant == "" {
		r.Variant = strings.TrimSuffix(strings.TrimPrefix(name, "cnn-"), ".json")
	}
	for i, e := range r.Epochs {
		if err := results.CheckFraction("test_accuracy", e.TestAccuracy); err != nil {
			return &FileError{Path: path, Err: fmt.Errorf("epoch record %d (epochs[%d]): %v", i+1, i, err)}
		}
	}
	if err := results.CheckConfusion(r.Confusion); err != nil {
		return &FileError{Path: path, Err: err}
	}
	l.in.CNN = append(l.in.CNN, r)
	l.in.Files = append(l.in.Files, Source{Path: rel, Kind: "cnn", Manifest: &r.Manifest})
	return nil
}

// sort puts the models, grids and CNN runs in a fixed order (SVM kernels
// in the registry's order, then the CNNs; feature sets in order), whatever
// order the runs wrote them in.
func (in *Inputs) sort() {
	slices.SortStableFunc(in.Models, func(a, b results.ModelResult) int {
		if c := orderOf(modelOrder(), a.Model) - orderOf(modelOrder(), b.Model); c != 0 {
			return c
		}
		return orderOf(featureOrder, a.Features) - orderOf(featureOrder, b.Features)
	})
	slices.SortStableFunc(in.Grids, func(a, b *Grid) int {
		if c := orderOf(kernels.Names(), a.Kernel) - orderOf(kernels.Names(), b.Kernel); c != 0 {
			return c
		}
		if a.Kernel != b.Kernel {
			return strings.Compare(a.Kernel, b.Kernel)
		}
		if c := orderOf(featureOrder, a.Features) - orderOf(featureOrder, b.Features); c != 0 {
			return c
		}
		return strings.Compare(a.Features, b.Features)
	})
	slices.SortStableFunc(in.Searches, func(a, b *results.SearchComparison) int {
		if c := strings.Compare(a.Kernel, b.Kernel); c != 0 {
			return c
		}
		return orderOf(featureOrder, a.Features) - orderOf(featureOrder, b.Features)
	})
	slices.SortStableFunc(in.CNN, func(a, b results.CNNRun) int {
		if c := orderOf(variantOrder, a.Variant) - orderOf(variantOrder, b.Variant); c != 0 {
			return c
		}
		return strings.Compare(a.Variant, b.Variant)
	})
}

var (
	featureOrder = []string{"pixels", "hog", "cnn"}
	variantOrder = []string{"sigmoid-loss", "seed", "fixed"}
)

// modelOrder is the order models are listed in: the SVMs in the order of
// the kernel registry, then the CNN variants.
func modelOrder() []string {
	var out []string
	for _, k := range kernels.Names() {
		out = append(out, results.SVMModel(k))
	}
	for _, v := range variantOrder {
		out = append(out, results.CNNModel(v))
	}
	return out
}

func orderOf(order []string, s string) int {
	if i := slices.Index(order, s); i >= 0 {
		return i
	}
	return len(order)
}

// splitGridName splits "sigmoid-pixels" into kernel and features. Kernel
// names have no dash; feature names may.
func splitGridName(s string) (kernel, features string) {
	k, f, _ := strings.Cut(s, "-")
	return k, f
}

// dedupeCells sorts a grid's cells by index and keeps one per index (a
// grid merged from overlapping shards may repeat one). One index at two
// settings is two grids' journals (without specs to tell them apart, as
// sameGridAsBefore does): an error.
func dedupeCells(g *Grid, warnings []string) ([]results.GridCell, []string, error) {
	slices.SortStableFunc(g.Cells, func(a, b results.GridCell) int { return a.Index - b.Index })
	out := g.Cells[:0]
	var dups, disagree []int
	for _, c := range g.Cells {
		if len(out) > 0 && out[len(out)-1].Index == c.Index {
			prev := out[len(out)-1]
			if !results.SameSetting(prev, c) {
				return nil, warnings, fmt.Errorf("reports: grid %s/%s: cell %d is %s in one journal and %s in another: the folder holds two runs; report each from its own folder",
					g.Kernel, g.Features, c.Index, results.ParamString(prev), results.ParamString(c))
			}
			dups = append(dups, c.Index)
			if !results.SameResults(prev, c) {
				disagree = append(disagree, c.Index)
			}
			continue
		}
		out = append(out, c)
	}
	if len(dups) > 0 {
		w := fmt.Sprintf("grid %s/%s: %d duplicate cells ignored (the first of each kept)", g.Kernel, g.Features, len(dups))
		if len(disagree) > 0 {
			w += fmt.Sprintf("; %d of them with other CV accuracies than the first (cells %v): two runs of them disagree, and bench merge would refuse them", len(disagree), disagree[:min(len(disagree), 10)])
		}
		warnings = append(warnings, w)
	}
	return out, warnings, nil
}

// readJSON reads a results JSON file (results.ReadJSON), its format
// errors as this package's *FileError.
func readJSON(path string, v any) error {
	return fileError(results.ReadJSON(path, v))
}

// fileError turns a *results.FileError into a *FileError (so that every
// error of Load starts "reports: "); other errors pass unchanged.
func fileError(err error) error {
	var fe *results.FileError
	if errors.As(err, &fe) {
		return &FileError{Path: fe.Path, Line: fe.Line, Err: fe.Err}
	}
	if err != nil {
		return fmt.Errorf("reports: %w", err)
	}
	return nil
}

// readGridFile reads the cells of one grid-*.jsonl file
// (results.ReadJournal) and the line of each. A torn last line is dropped
// and reported in warn; a bad line before it is an error.
func readGridFile(path string) (cells []results.GridCell, lines []int, warn string, err error) {
	j, err := results.ReadJournal(path)
	if err != nil {
		return nil, nil, "", fileError(err)
	}
	if j.TornOffset >= 0 {
		warn = fmt.Sprintf("%s:%d: dropped a torn last line (%v)", path, j.TornLine, j.TornErr)
	}
	return j.Cells, j.Lines, warn, nil
}
