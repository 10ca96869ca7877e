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
}

// BestCell returns the index in g.Cells of the grid's best cell: the
// cell named by the best file when there is one, else the best by the
// rule bench uses (highest CV accuracy; ties: smaller C, smaller α or γ,
// c closer to 0, earlier cell). It returns -1 for a grid without cells.
func (g *Grid) BestCell() int {
	if g.Best != nil {
		for i, c := range g.Cells {
			if c.Index == g.Best.Cell.Index {
				return i
			}
		}
	}
	best := -1
	for i, c := range g.Cells {
		if best < 0 || betterCell(c, g.Cells[best]) {
			best = i
		}
	}
	return best
}

// betterCell is bench's ranking, so the report marks the cell bench chose.
func betterCell(a, b results.GridCell) bool { return results.Better(a, b) }

// Load reads every results file under dir, recursively: results.json,
// grid-KERNEL-FEATURES.jsonl, best-KERNEL-FEATURES.json, scaling.json and
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
	in := &Inputs{Dir: dir}
	grids := map[string]*Grid{}
	journals := map[string][]results.GridCell{} // grid file path → its cells
	bests := map[string]results.Best{}          // best file path → contents
	var primary *results.Manifest
	err = filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return fmt.Errorf("reports: %w", err)
		}
		if d.IsDir() {
			return nil
		}
		name := d.Name()
		rel, _ := filepath.Rel(dir, path)
		switch {
		case name == results.ResultsFile:
			var r results.Results
			if err := readJSON(path, &r); err != nil {
				return err
			}
			for i, m := range r.Results {
				if err := results.CheckModel(m); err != nil {
					return &FileError{Path: path, Err: fmt.Errorf("record %d (results[%d]): %v", i+1, i, err)}
				}
			}
			in.Models = append(in.Models, r.Results...)
			man := r.Manifest
			if primary == nil {
				primary = &man
			}
			in.Files = append(in.Files, Source{Path: rel, Kind: "results", Manifest: &man})
		case strings.HasPrefix(name, "grid-") && strings.HasSuffix(name, ".jsonl"):
			cells, lines, warn, err := readGridFile(path)
			if err != nil {
				return err
			}
			if err := checkGridFile(path, cells, lines); err != nil {
				return err
			}
			journals[path] = cells
			if warn != "" {
				in.Warnings = append(in.Warnings, warn)
			}
			kernel, feats := splitGridName(strings.TrimSuffix(strings.TrimPrefix(name, "grid-"), ".jsonl"))
			for _, c := range cells {
				key := c.Kernel + "\x00" + c.Features
				if c.Kernel == "" {
					key = kernel + "\x00" + feats
				}
				g := grids[key]
				if g == nil {
					g = &Grid{Kernel: c.Kernel, Features: c.Features}
					if c.Kernel == "" {
						g.Kernel, g.Features = kernel, feats
					}
					grids[key] = g
				}
				g.Cells = append(g.Cells, c)
			}
			if len(cells) == 0 {
				if _, ok := grids[kernel+"\x00"+feats]; !ok {
					grids[kernel+"\x00"+feats] = &Grid{Kernel: kernel, Features: feats}
				}
			}
			in.Files = append(in.Files, Source{Path: rel, Kind: "grid"})
		case strings.HasPrefix(name, "best-") && strings.HasSuffix(name, ".json"):
			var b results.Best
			if err := readJSON(path, &b); err != nil {
				return err
			}
			if err := results.CheckFraction("test_accuracy", b.TestAccuracy); err != nil {
				return &FileError{Path: path, Err: err}
			}
			key := b.Cell.Kernel + "\x00" + b.Cell.Features
			if b.Cell.Kernel == "" {
				k, f := splitGridName(strings.TrimSuffix(strings.TrimPrefix(name, "best-"), ".json"))
				key = k + "\x00" + f
				b.Cell.Kernel, b.Cell.Features = k, f
			}
			g := grids[key]
			if g == nil {
				g = &Grid{Kernel: b.Cell.Kernel, Features: b.Cell.Features}
				grids[key] = g
			}
			if g.Best == nil {
				bb := b
				g.Best = &bb
			}
			bests[path] = b
			in.Files = append(in.Files, Source{Path: rel, Kind: "best", Manifest: &b.Manifest})
		case name == results.ScalingFile:
			var s results.Scaling
			if err := readJSON(path, &s); err != nil {
				return err
			}
			for i, p := range s.Points {
				if p.N <= 0 || p.TrainSeconds < 0 || p.PredictSeconds < 0 {
					return &FileError{Path: path, Err: fmt.Errorf("point %d (points[%d]): want n > 0 and non-negative times, got n=%d train_seconds=%g predict_seconds=%g", i+1, i, p.N, p.TrainSeconds, p.PredictSeconds)}
				}
			}
			in.Scaling = append(in.Scaling, s.Points...)
			in.Files = append(in.Files, Source{Path: rel, Kind: "scaling", Manifest: &s.Manifest})
		case name == results.TrialsFile || name == results.CostFile:
			if err := loadStudy(in, path, rel, name); err != nil {
				return err
			}
		case strings.HasPrefix(name, "cnn-") && strings.HasSuffix(name, ".json"):
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
			in.CNN = append(in.CNN, r)
			in.Files = append(in.Files, Source{Path: rel, Kind: "cnn", Manifest: &r.Manifest})
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if err := checkBestFiles(bests, journals); err != nil {
		return nil, err
	}
	if len(in.Files) == 0 {
		return nil, &ErrNoResults{Dir: dir}
	}
	if primary == nil {
		for _, f := range in.Files {
			if f.Manifest != nil {
				primary = f.Manifest
				break
			}
		}
	}
	in.Manifest = primary
	// Models in a fixed order (SVM kernels, then the CNNs; feature sets in
	// order), whatever order the runs wrote them in.
	slices.SortStableFunc(in.Models, func(a, b results.ModelResult) int {
		if c := orderOf(modelOrder(), a.Model) - orderOf(modelOrder(), b.Model); c != 0 {
			return c
		}
		return orderOf(featureOrder, a.Features) - orderOf(featureOrder, b.Features)
	})
	for _, g := range grids {
		g.Cells, in.Warnings = dedupeCells(g, in.Warnings)
		in.Grids = append(in.Grids, g)
	}
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
	slices.SortStableFunc(in.CNN, func(a, b results.CNNRun) int {
		if c := orderOf(variantOrder, a.Variant) - orderOf(variantOrder, b.Variant); c != 0 {
			return c
		}
		return strings.Compare(a.Variant, b.Variant)
	})
	return in, nil
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
// grid merged from overlapping shards may repeat one).
func dedupeCells(g *Grid, warnings []string) ([]results.GridCell, []string) {
	slices.SortStableFunc(g.Cells, func(a, b results.GridCell) int { return a.Index - b.Index })
	out := g.Cells[:0]
	dups := 0
	for _, c := range g.Cells {
		if len(out) > 0 && out[len(out)-1].Index == c.Index {
			dups++
			continue
		}
		out = append(out, c)
	}
	if dups > 0 {
		warnings = append(warnings, fmt.Sprintf("grid %s/%s: %d duplicate cells ignored (the first of each kept)", g.Kernel, g.Features, dups))
	}
	return out, warnings
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
