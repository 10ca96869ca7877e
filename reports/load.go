package reports

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/svmbench/svmbench/bench"
	"github.com/svmbench/svmbench/kernels"
)

// Inputs is everything Load found under a folder, ready for Write.
type Inputs struct {
	// Dir is the folder that was searched.
	Dir string
	// Manifest describes the run: the manifest of results.json, else of
	// the first other file that has one. Nil when no file carries one.
	Manifest *bench.Manifest
	// Models holds the model × features records of every results.json,
	// in file order.
	Models []bench.ModelResult
	// Grids holds one grid per kernel and feature set, in the order
	// sigmoid, rbf, linear, poly, other; then pixels, hog, cnn, other.
	Grids []*Grid
	// Scaling holds the points of every scaling.json.
	Scaling []bench.ScalingPoint
	// CNN holds the CNN runs, seed before fixed.
	CNN []bench.CNNRun
	// Trials is trials.json (repeats, learning curve, noise studies) and
	// Cost is cost.json, when the folder has them.
	Trials *bench.Trials
	Cost   *bench.Cost
	// Files lists the files read, relative to Dir, in the order read.
	Files []Source
	// Warnings lists what Load tolerated: a torn last line of a grid
	// file, duplicate grid cells.
	Warnings []string
}

// Source is one results file Load read.
type Source struct {
	Path     string          // relative to Inputs.Dir
	Kind     string          // "results", "grid", "best", "scaling", "cnn"
	Manifest *bench.Manifest // nil for grid files, which carry none
}

// Grid is one grid search: the cross-validated cells of
// grid-KERNEL-FEATURES.jsonl and, when present, best-KERNEL-FEATURES.json.
type Grid struct {
	Kernel   string
	Features string
	// Cells in ascending cell index, one per index.
	Cells []bench.GridCell
	// Best is the contents of the best file, nil if there was none
	// (an interrupted grid).
	Best *bench.Best
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
func betterCell(a, b bench.GridCell) bool { return bench.Better(a, b) }

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
	journals := map[string][]bench.GridCell{} // grid file path → its cells
	bests := map[string]bench.Best{}          // best file path → contents
	var primary *bench.Manifest
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
		case name == "results.json":
			var r bench.Results
			if err := readJSON(path, &r); err != nil {
				return err
			}
			for i, m := range r.Results {
				if err := checkModel(m); err != nil {
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
			var b bench.Best
			if err := readJSON(path, &b); err != nil {
				return err
			}
			if err := checkFraction("test_accuracy", b.TestAccuracy); err != nil {
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
		case name == "scaling.json":
			var s bench.Scaling
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
		case name == bench.TrialsFile || name == bench.CostFile:
			if err := loadStudy(in, path, rel, name); err != nil {
				return err
			}
		case strings.HasPrefix(name, "cnn-") && strings.HasSuffix(name, ".json"):
			var r bench.CNNRun
			if err := readJSON(path, &r); err != nil {
				return err
			}
			if r.Variant == "" {
				r.Variant = strings.TrimSuffix(strings.TrimPrefix(name, "cnn-"), ".json")
			}
			for i, e := range r.Epochs {
				if err := checkFraction("test_accuracy", e.TestAccuracy); err != nil {
					return &FileError{Path: path, Err: fmt.Errorf("epoch record %d (epochs[%d]): %v", i+1, i, err)}
				}
			}
			if err := checkConfusion(r.Confusion); err != nil {
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
	slices.SortStableFunc(in.Models, func(a, b bench.ModelResult) int {
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
	slices.SortStableFunc(in.CNN, func(a, b bench.CNNRun) int {
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
		out = append(out, "svm-"+k)
	}
	for _, v := range variantOrder {
		out = append(out, "cnn-"+v)
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
func dedupeCells(g *Grid, warnings []string) ([]bench.GridCell, []string) {
	slices.SortStableFunc(g.Cells, func(a, b bench.GridCell) int { return a.Index - b.Index })
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

func readJSON(path string, v any) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("reports: %w", err)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(v); err != nil {
		return &FileError{Path: path, Line: lineOf(data, dec, err), Err: describeJSONError(err)}
	}
	if _, err := dec.Token(); err != io.EOF {
		return &FileError{Path: path, Err: errors.New("unexpected data after the JSON value")}
	}
	return nil
}

// lineOf returns the 1-based line of a JSON decoding error, when the
// error carries an offset.
func lineOf(data []byte, dec *json.Decoder, err error) int {
	var off int64 = -1
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se):
		off = se.Offset
	case errors.As(err, &te):
		off = te.Offset
	default:
		off = dec.InputOffset()
	}
	if off < 0 || off > int64(len(data)) {
		return 0
	}
	return bytes.Count(data[:off], []byte{'\n'}) + 1
}

func describeJSONError(err error) error {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		return fmt.Errorf("field %q: want a JSON %s, got %s", te.Field, jsonKind(te.Type.Kind().String()), te.Value)
	}
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return errors.New("the file is empty or ends in the middle of the JSON value")
	}
	return fmt.Errorf("invalid JSON: %v", err)
}

func jsonKind(goKind string) string {
	switch goKind {
	case "float64", "float32", "int", "int64", "uint64", "uint32", "int32":
		return "number"
	case "slice", "array":
		return "array"
	case "map", "struct":
		return "object"
	case "bool":
		return "true or false"
	}
	return goKind
}

// readGridFile reads the cells of one grid-*.jsonl file. A last line that
// does not parse (a write torn by an interruption) is dropped and reported
// in warn; a bad line before it is an error.
func readGridFile(path string) (cells []bench.GridCell, lines []int, warn string, err error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, "", fmt.Errorf("reports: %w", err)
	}
	defer f.Close()
	r := bufio.NewReader(f)
	type pending struct {
		line int
		err  error
	}
	var bad *pending
	line := 0
	for {
		text, rerr := r.ReadBytes('\n')
		if len(text) > 0 {
			line++
			if bad != nil {
				// A bad line followed by more data is not a torn tail.
				return nil, nil, "", &FileError{Path: path, Line: bad.line, Err: bad.err}
			}
			t := bytes.TrimSpace(text)
			if len(t) > 0 {
				var c bench.GridCell
				if err := json.Unmarshal(t, &c); err != nil {
					bad = &pending{line, describeJSONError(err)}
				} else if err := checkCell(c); err != nil {
					return nil, nil, "", &FileError{Path: path, Line: line, Err: err}
				} else {
					cells = append(cells, c)
					lines = append(lines, line)
				}
			}
		}
		if rerr == io.EOF {
			break
		}
		if rerr != nil {
			return nil, nil, "", fmt.Errorf("reports: %w", rerr)
		}
	}
	if bad != nil {
		warn = fmt.Sprintf("%s:%d: dropped a torn last line (%v)", path, bad.line, bad.err)
	}
	return cells, lines, warn, nil
}

func checkCell(c bench.GridCell) error {
	if err := checkFraction("cv_accuracy", c.CVAccuracy); err != nil {
		return err
	}
	for i, a := range c.FoldAccuracy {
		if err := checkFraction(fmt.Sprintf("fold_accuracy[%d]", i), a); err != nil {
			return err
		}
	}
	if c.Index < 0 {
		return fmt.Errorf("cell: want an index >= 0, got %d", c.Index)
	}
	return nil
}

func checkModel(m bench.ModelResult) error {
	if m.Model == "" {
		return errors.New("missing model name")
	}
	if err := checkFraction("accuracy", m.Accuracy); err != nil {
		return err
	}
	for i, a := range m.PerClassAccuracy {
		if err := checkFraction(fmt.Sprintf("per_class_accuracy[%d]", i), a); err != nil {
			return err
		}
	}
	return checkConfusion(m.Confusion)
}

func checkConfusion(c [][]int) error {
	for i, row := range c {
		if len(row) != len(c) {
			return fmt.Errorf("confusion: want a square matrix, row %d has %d entries for %d rows", i, len(row), len(c))
		}
		for j, v := range row {
			if v < 0 {
				return fmt.Errorf("confusion[%d][%d]: want a count >= 0, got %d", i, j, v)
			}
		}
	}
	return nil
}

func checkFraction(field string, v float64) error {
	if math.IsNaN(v) || v < 0 || v > 1 {
		return fmt.Errorf("%s: want a fraction in [0, 1], got %g", field, v)
	}
	return nil
}
