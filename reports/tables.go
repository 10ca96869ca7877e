package reports

import (
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/svmbench/svmbench/kernels"
	"github.com/svmbench/svmbench/results"
	"github.com/svmbench/svmbench/stats"
)

// Tables returns every table of the report, the main table first.
func Tables(in *Inputs) []*Table {
	var ts []*Table
	for _, t := range []*Table{RepeatsTable(in), PairsTable(in)} {
		if t != nil {
			ts = append(ts, t)
		}
	}
	if len(in.Models) > 0 {
		ts = append(ts, ModelsTable(in))
		if pc := PerClassTable(in); pc != nil {
			ts = append(ts, pc)
		}
	}
	if len(in.Grids) > 0 {
		ts = append(ts, GridSummaryTable(in))
		for _, g := range in.Grids {
			if len(g.Cells) > 0 {
				ts = append(ts, GridTable(g))
			}
			if h := HalvingTable(g); h != nil {
				ts = append(ts, h)
			}
		}
	}
	if t := SearchTable(in); t != nil {
		ts = append(ts, t)
	}
	if len(in.Scaling) > 0 {
		ts = append(ts, ScalingTable(in))
	}
	for _, t := range []*Table{NoiseTable(in), CostTable(in)} {
		if t != nil {
			ts = append(ts, t)
		}
	}
	if len(in.CNN) > 0 {
		ts = append(ts, CNNTable(in))
	}
	if in.Manifest != nil {
		ts = append(ts, ManifestTable(in))
	}
	if len(in.Files) > 0 {
		ts = append(ts, FilesTable(in))
	}
	return ts
}

// MainTable is the table PrintMain prints: the models at one training
// size with intervals when there are trials, else the models × features
// table when there are model results, else the grid summary, else nil.
func MainTable(in *Inputs) *Table {
	if t := RepeatsTable(in); t != nil {
		return t
	}
	switch {
	case len(in.Models) > 0:
		return ModelsTable(in)
	case len(in.Grids) > 0:
		return GridSummaryTable(in)
	}
	return nil
}

// PrintMain writes the main table to w with ASCII borders.
func PrintMain(w io.Writer, in *Inputs) error {
	t := MainTable(in)
	if t == nil {
		_, err := fmt.Fprintln(w, "no model results and no grids to tabulate")
		return err
	}
	if _, err := fmt.Fprintln(w, t.Title); err != nil {
		return err
	}
	if err := t.WriteText(w); err != nil {
		return err
	}
	if t.Note != "" {
		_, err := fmt.Fprintln(w, t.Note)
		return err
	}
	return nil
}

// ModelsTable is the main table: one row per model × features with
// accuracy, train and predict seconds, support vectors and peak heap.
func ModelsTable(in *Inputs) *Table {
	t := &Table{
		Name:      "models",
		Title:     "Models × features on the test set",
		Note:      "Accuracy on the test split with Wilson's 95% interval over its test images (from the confusion matrix). Train and predict are wall-clock seconds; peak heap is the Go heap's peak while the model trained (runtime/metrics), not the process RSS.",
		Header:    []string{"Model", "Features", "Parameters", "Accuracy (%)", "95% interval", "Train (s)", "Predict (s)", "SVs", "Peak heap (MiB)"},
		CSVHeader: []string{"model", "features", "params", "accuracy", "interval", "train_seconds", "predict_seconds", "n_sv", "peak_heap_bytes"},
		Right:     []bool{false, false, false, true, true, true, true, true, true},
	}
	capped := false
	for _, m := range in.Models {
		capped = capped || m.Capped
	}
	if capped {
		t.Header = append(t.Header, "Capped")
		t.CSVHeader = append(t.CSVHeader, "capped")
		t.Right = append(t.Right, false)
		t.Note += " Capped: an SVM sub-problem stopped at the solver's iteration cap."
	}
	for _, m := range in.Models {
		nsv := Cell{Text: "–"}
		if m.NSV > 0 {
			nsv = txt(strconv.Itoa(m.NSV))
		}
		t.Rows = append(t.Rows, []Cell{
			txt(m.Model), txt(m.Features),
			{Text: paramString(m.Params), CSV: paramRaw(m.Params)},
			{Text: pct(m.Accuracy), CSV: raw(m.Accuracy)},
			wilsonCell(m.Confusion),
			{Text: secs(m.TrainSeconds), CSV: raw(m.TrainSeconds)},
			{Text: secs(m.PredictSeconds), CSV: raw(m.PredictSeconds)},
			nsv,
			{Text: mib(m.PeakHeapBytes), CSV: strconv.FormatUint(m.PeakHeapBytes, 10)},
		})
		if capped {
			c := Cell{Text: "no", CSV: "false"}
			if m.NSV == 0 && !m.Capped {
				c = Cell{Text: "–", CSV: "false"} // not an SVM
			}
			if m.Capped {
				c = Cell{Text: "yes", CSV: "true"}
			}
			t.Rows[len(t.Rows)-1] = append(t.Rows[len(t.Rows)-1], c)
		}
	}
	return t
}

// classNames returns the class names of the model results, or "0".."k-1"
// when the files name none.
func classNames(in *Inputs) []string {
	k := 0
	for _, m := range in.Models {
		if len(m.Classes) > 0 {
			return m.Classes
		}
		k = max(k, len(m.PerClassAccuracy))
	}
	names := make([]string, k)
	for i := range names {
		names[i] = strconv.Itoa(i)
	}
	return names
}

// PerClassTable is the accuracy on each class's test images, per model ×
// features; nil when no record has per-class accuracies.
func PerClassTable(in *Inputs) *Table {
	classes := classNames(in)
	if len(classes) == 0 {
		return nil
	}
	t := &Table{
		Name:      "per-class",
		Title:     "Per-class test accuracy (%)",
		Header:    append([]string{"Model", "Features"}, classes...),
		CSVHeader: []string{"model", "features"},
		Right:     []bool{false, false},
	}
	for _, c := range classes {
		t.CSVHeader = append(t.CSVHeader, "accuracy_"+c)
		t.Right = append(t.Right, true)
	}
	for _, m := range in.Models {
		row := []Cell{txt(m.Model), txt(m.Features)}
		for i := range classes {
			if i < len(m.PerClassAccuracy) {
				row = append(row, Cell{Text: pct(m.PerClassAccuracy[i]), CSV: raw(m.PerClassAccuracy[i])})
			} else {
				row = append(row, Cell{Text: "–"})
			}
		}
		t.Rows = append(t.Rows, row)
	}
	return t
}

// gridParams lists the parameters of a kernel's grid cells: the kernel's
// (kernels.Spec.ParamNames) and C; for a kernel the registry does not
// know, every kernel parameter and C.
func gridParams(kernel string) []string {
	if spec, err := kernels.Lookup(kernel); err == nil {
		return append(spec.ParamNames(), "C")
	}
	return append(kernels.ParamNames(), "C")
}

func cellParams(c results.GridCell) map[string]float64 {
	m := map[string]float64{}
	for _, p := range gridParams(c.Kernel) {
		m[p] = c.Param(p)
	}
	return m
}

// eigenColumns returns the eigenvalue columns the cells have values for:
// λmin (min_eigen) and λmin on Σu = 0 (min_eigen_cpd).
func eigenColumns(cells []results.GridCell) []eigenMap {
	var out []eigenMap
	for _, e := range eigenMaps {
		for _, c := range cells {
			if e.value(c) != nil {
				out = append(out, e)
				break
			}
		}
	}
	return out
}

// cell formats c's value, "–" when it has none.
func (e eigenMap) cell(c results.GridCell) Cell {
	if v := e.value(c); v != nil {
		return Cell{Text: strconv.FormatFloat(*v, 'g', 3, 64), CSV: raw(*v)}
	}
	return Cell{Text: "–"}
}

// eigenNote explains n eigenvalue columns (1: λmin only; 2: and on Σu = 0).
func eigenNote(n int) string {
	s := "λmin: smallest eigenvalue of the kernel matrix K on a sample of training images (negative: K not PSD)."
	if n > 1 {
		s += " λmin Σu=0: its smallest eigenvalue on the vectors u with Σu = 0 (negative: K not conditionally PSD and the SVM's dual not convex; ≥ 0 with λmin < 0: not PSD, yet the SVM's problem convex)."
	}
	return s
}

// searchPrefix names a search that evaluated only some of the grid's
// cells ("random search, "), for a title's count of cells.
func searchPrefix(g *Grid) string {
	if g.Search == "" {
		return ""
	}
	return g.Search + " search, "
}

// GridTable lists a grid's cells in cell order, the best cell marked.
func GridTable(g *Grid) *Table {
	params := gridParams(g.Kernel)
	eig := eigenColumns(g.Cells)
	t := &Table{
		Name:  "grid-" + g.Kernel + "-" + g.Features,
		Title: fmt.Sprintf("Grid search: %s kernel on %s features (%s%d cells)", g.Kernel, g.Features, searchPrefix(g), len(g.Cells)),
		Note:  "* marks the best cell (highest CV accuracy; ties: smaller C, smaller α or γ, c closer to 0). CV accuracy is the mean over folds; SVs the mean over folds; capped: the fit hit its iteration cap.",
	}
	t.Header = []string{"Best", "Cell"}
	t.CSVHeader = []string{"best", "cell"}
	for _, p := range params {
		t.Header = append(t.Header, kernels.Symbol(p))
		t.CSVHeader = append(t.CSVHeader, p)
	}
	t.Header = append(t.Header, "CV acc (%)", "Fold range (%)", "SVs", "Time (s)", "Capped")
	t.CSVHeader = append(t.CSVHeader, "cv_accuracy", "fold_accuracy", "n_sv", "seconds", "capped")
	for _, e := range eig {
		t.Header = append(t.Header, e.header)
		t.CSVHeader = append(t.CSVHeader, e.csv)
	}
	if len(eig) > 0 {
		t.Note += " " + eigenNote(len(eig))
	}
	nFailed, _, _ := results.Failures(g.Cells)
	if nFailed > 0 {
		t.Header = append(t.Header, "Failed")
		t.CSVHeader = append(t.CSVHeader, "failed")
		t.Note += " Failed: the cell could not be cross-validated, and why (it has no CV accuracy and is never the best)."
	}
	fate := halvingFate(g)
	if fate != nil {
		t.Header = append(t.Header, "Rung", "Images", "Halving")
		t.CSVHeader = append(t.CSVHeader, "rung", "rung_n", "halving")
		t.Note += " Rung, Images: the successive-halving rung the cell was evaluated on and its training images; Halving: kept (went on to the next rung), dropped, or last rung (on all images)."
	}
	t.Right = make([]bool, len(t.Header))
	for i := 1; i < len(t.Right); i++ {
		t.Right[i] = true
	}
	best := g.BestCell()
	for i, c := range g.Cells {
		mark := Cell{Text: "", CSV: "false"}
		if i == best {
			mark = Cell{Text: "*", CSV: "true"}
		}
		row := []Cell{mark, txt(strconv.Itoa(c.Index))}
		for _, p := range params {
			v := c.Param(p)
			row = append(row, Cell{Text: num(v), CSV: raw(v)})
		}
		lo, hi := math.Inf(1), math.Inf(-1)
		folds := make([]string, len(c.FoldAccuracy))
		for k, a := range c.FoldAccuracy {
			lo, hi = math.Min(lo, a), math.Max(hi, a)
			folds[k] = raw(a)
		}
		fr := Cell{Text: "–", CSV: strings.Join(folds, ";")}
		if len(c.FoldAccuracy) > 0 {
			fr.Text = pct(lo) + "–" + pct(hi)
		}
		capped := "no"
		if c.Capped {
			capped = "yes"
		}
		cv, nsv := Cell{Text: pct(c.CVAccuracy), CSV: raw(c.CVAccuracy)}, Cell{Text: strconv.FormatFloat(c.NSV, 'f', 0, 64), CSV: raw(c.NSV)}
		if c.Failed != "" { // no score and no model: its 0s are no values
			cv, nsv = Cell{Text: "failed", CSV: ""}, Cell{Text: "–", CSV: ""}
		}
		row = append(row,
			cv,
			fr,
			nsv,
			Cell{Text: secs(c.Seconds), CSV: raw(c.Seconds)},
			Cell{Text: capped, CSV: strconv.FormatBool(c.Capped)},
		)
		for _, e := range eig {
			row = append(row, e.cell(c))
		}
		if nFailed > 0 {
			row = append(row, txt(c.Failed))
		}
		if fate != nil {
			row = append(row, txt(strconv.Itoa(c.Rung)), txt(strconv.Itoa(c.RungN)), txt(fate[c.Index]))
		}
		t.Rows = append(t.Rows, row)
	}
	return t
}

// GridSummaryTable has one row per grid: its best cell, CV and test
// accuracy.
func GridSummaryTable(in *Inputs) *Table {
	t := &Table{
		Name:      "grids",
		Title:     "Grid searches: best cell of each",
		Note:      "CV: mean cross-validated accuracy of the best cell on the training split; Test: the model retrained on all training data with it, on the test split. Best on edge: the best value of a parameter is the smallest (low) or largest (high) searched, so the optimum may lie outside the grid: widen that range; a range extended past its edge (bench grid -extend, with any -search; on in the main job) says by how many steps, and \"the limit\" when the best was still on the edge after the last; \"tied with another C\": a cell of the same CV accuracy has another value there, so the surface is flat and the edge is not extended. Σ cell time sums the cells' seconds (cells run in parallel, so it exceeds the wall time).",
		Header:    []string{"Kernel", "Features", "Cells", "Best parameters", "CV acc (%)", "Test acc (%)", "Best on edge", "Capped cells", "Σ cell time (s)"},
		CSVHeader: []string{"kernel", "features", "cells", "best_params", "cv_accuracy", "test_accuracy", "best_on_edge", "capped_cells", "cell_seconds_sum"},
		Right:     []bool{false, false, true, false, true, true, false, true, true},
	}
	for _, g := range in.Grids {
		b := g.BestCell()
		var cell results.GridCell
		switch {
		case b >= 0:
			cell = g.Cells[b]
		case g.Best != nil:
			cell = g.Best.Cell
		}
		capped, total := 0, 0.0
		for _, c := range g.Cells {
			if c.Capped {
				capped++
			}
			total += c.Seconds
		}
		test := Cell{Text: "–"}
		if g.Best != nil {
			test = Cell{Text: pct(g.Best.TestAccuracy), CSV: raw(g.Best.TestAccuracy)}
		}
		cells := strconv.Itoa(len(g.Cells))
		if g.Best != nil && g.Best.GridCells > len(g.Cells) {
			cells = fmt.Sprintf("%d of %d", len(g.Cells), g.Best.GridCells)
		}
		if n, _, _ := results.Failures(g.Cells); n > 0 {
			cells += fmt.Sprintf(" (%d failed)", n)
		}
		cv := Cell{Text: "–"}
		if b >= 0 || g.Best != nil {
			cv = Cell{Text: pct(cell.CVAccuracy), CSV: raw(cell.CVAccuracy)}
		}
		params, edge := Cell{Text: paramString(cellParams(cell)), CSV: paramRaw(cellParams(cell))}, edgeCell(g, cell)
		if b < 0 && g.Best == nil {
			params, edge = Cell{Text: "– (no cell scored)"}, Cell{Text: "–"}
		}
		t.Rows = append(t.Rows, []Cell{
			txt(g.Kernel), txt(g.Features), txt(cells),
			params,
			cv, test,
			edge,
			txt(strconv.Itoa(capped)),
			{Text: secs(total), CSV: raw(total)},
		})
	}
	return t
}

// ScalingTable lists train and predict time against n.
func ScalingTable(in *Inputs) *Table {
	t := &Table{
		Name:      "scaling",
		Title:     "Training and prediction time against the number of training images",
		Header:    []string{"Model", "Features", "n", "Test n", "Train (s)", "Predict (s)", "Accuracy (%)", "SVs"},
		CSVHeader: []string{"model", "features", "n", "test_n", "train_seconds", "predict_seconds", "accuracy", "n_sv"},
		Right:     []bool{false, false, true, true, true, true, true, true},
	}
	for _, p := range in.Scaling {
		t.Rows = append(t.Rows, []Cell{
			txt(p.Model), txt(p.Features), txt(strconv.Itoa(p.N)), txt(strconv.Itoa(p.TestN)),
			{Text: secs(p.TrainSeconds), CSV: raw(p.TrainSeconds)},
			{Text: secs(p.PredictSeconds), CSV: raw(p.PredictSeconds)},
			{Text: pct(p.Accuracy), CSV: raw(p.Accuracy)},
			txt(strconv.Itoa(p.NSV)),
		})
	}
	return t
}

// CNNTable lists the CNN runs epoch by epoch.
func CNNTable(in *Inputs) *Table {
	t := &Table{
		Name:      "cnn-epochs",
		Title:     "CNN training, epoch by epoch",
		Header:    []string{"Variant", "Epoch", "Train loss", "Test acc (%)", "Time (s)"},
		CSVHeader: []string{"variant", "epoch", "train_loss", "test_accuracy", "seconds"},
		Right:     []bool{false, true, true, true, true},
	}
	for _, r := range in.CNN {
		for _, e := range r.Epochs {
			t.Rows = append(t.Rows, []Cell{
				txt(r.Variant), txt(strconv.Itoa(e.Epoch)),
				{Text: strconv.FormatFloat(e.TrainLoss, 'f', 4, 64), CSV: raw(e.TrainLoss)},
				{Text: pct(e.TestAccuracy), CSV: raw(e.TestAccuracy)},
				{Text: secs(e.Seconds), CSV: raw(e.Seconds)},
			})
		}
	}
	return t
}

// ManifestTable is the run manifest as field/value rows.
func ManifestTable(in *Inputs) *Table {
	m := in.Manifest
	t := &Table{
		Name:      "manifest",
		Title:     "Run manifest",
		Header:    []string{"Field", "Value"},
		CSVHeader: []string{"field", "value"},
	}
	add := func(k, v string) { t.Rows = append(t.Rows, []Cell{txt(k), txt(v)}) }
	add("svmbench version", m.Version)
	add("Go", m.GoVersion)
	add("OS/arch", m.GOOS+"/"+m.GOARCH)
	add("CPU", m.CPU)
	add("GOMAXPROCS", strconv.Itoa(m.GOMAXPROCS))
	add("BLAS", m.BLAS)
	add("data source", m.DataSource)
	for _, f := range m.DataFiles {
		sum := f.SHA256
		if len(sum) > 16 {
			sum = sum[:16] + "…"
		}
		t.Rows = append(t.Rows, []Cell{txt("data file"), {Text: fmt.Sprintf("%s (%d bytes, sha256 %s)", f.Name, f.Bytes, sum), CSV: fmt.Sprintf("%s %d %s", f.Name, f.Bytes, f.SHA256)}})
	}
	add("train images", strconv.Itoa(m.TrainN))
	add("test images", strconv.Itoa(m.TestN))
	add("seed", strconv.FormatUint(m.Seed, 10))
	add("command line", strings.Join(m.CommandLine, " "))
	add("started", m.Started)
	return t
}

// FilesTable lists the results files the report was built from.
func FilesTable(in *Inputs) *Table {
	t := &Table{
		Name:      "files",
		Title:     "Results files read",
		Header:    []string{"File", "Kind", "Started", "Command line"},
		CSVHeader: []string{"file", "kind", "started", "command_line"},
	}
	for _, f := range in.Files {
		started, cmd := "–", "–"
		if f.Manifest != nil {
			started, cmd = f.Manifest.Started, strings.Join(f.Manifest.CommandLine, " ")
		}
		t.Rows = append(t.Rows, []Cell{txt(f.Path), txt(f.Kind), txt(started), txt(cmd)})
	}
	return t
}

// edgeCell says which parameters of the best cell lie at the edge of the
// range the grid searched, extension included: "α low, C high"; "–" when
// none (or the grid has one value of a parameter). A range the grid
// extended says so: "C high (extended by 2 steps, the limit)", or
// "– (C extended by 1 step)" when the best came inside; a best that
// another cell of the same CV accuracy ties with another value of the
// parameter says "tied with another C" (the surface is flat there, and a
// range extension does not take that edge: results.TiedOff).
func edgeCell(g *Grid, best results.GridCell) Cell {
	spec := results.GridSpec{Kernel: g.Kernel, Extend: g.Extend}
	if g.spec != nil {
		spec = *g.spec
	}
	c, _ := edgeNote(spec, g.Cells, best, g.Extended)
	return c
}

// BestOnEdge is the report's "Best on edge" of a grid searched as spec
// says (its kernel, range extension and, for a random search that draws
// off the lattice, its ranges) whose cells are cells: "α low, C high
// (extended by 2 steps, the limit)"; "" when best lies inside every range.
func BestOnEdge(spec results.GridSpec, cells []results.GridCell, best results.GridCell) string {
	extended := results.ExtendedSteps(spec, gridParams(spec.Kernel), cells)
	if c, onEdge := edgeNote(spec, cells, best, extended); onEdge {
		return c.Text
	}
	return ""
}

// edgeNote is edgeCell's cell of a grid (spec, cells, extended as
// BestOnEdge takes them), and whether best lies on an edge. A grid's
// edges are its cells' lowest and highest values; a random search's
// draws off the lattice are read against its ranges as its range
// extension reads them (results.Snap): a best draw within half a step of
// a range's end is on that edge, and the lowest draw is not the low edge
// when the range goes further.
func edgeNote(spec results.GridSpec, cells []results.GridCell, best results.GridCell, extended map[string][2]int) (Cell, bool) {
	var parts, raw, inside []string
	drawn := offLatticeSpec(&spec)
	for _, p := range gridParams(spec.Kernel) {
		lo, hi := math.Inf(1), math.Inf(-1)
		for _, c := range cells {
			v := c.Param(p)
			lo, hi = math.Min(lo, v), math.Max(hi, v)
		}
		if !(lo < hi) {
			continue
		}
		bv := best.Param(p)
		if r := spec.Range(p); drawn && len(r.Values) > 1 {
			vals := results.RangeValues(spec, p, extended[p])
			lo, hi, bv = vals[0], vals[len(vals)-1], results.Snap(vals, bv, results.LogScaled(r.Kind, r.Text, r.Values))
		}
		name, st := kernels.Symbol(p), extended[p]
		side := -1
		switch bv {
		case lo:
			side = 0
		case hi:
			side = 1
		}
		if side < 0 {
			if st[0]+st[1] > 0 {
				inside = append(inside, name+" extended by "+steps(st[0]+st[1]))
				raw = append(raw, fmt.Sprintf("%s=inside:extended%d", p, st[0]+st[1]))
			}
			continue
		}
		var notes []string
		r := fmt.Sprintf("%s=%s", p, [2]string{"low", "high"}[side])
		if k := st[side]; k > 0 {
			notes = append(notes, "extended by "+steps(k))
			if k >= spec.Extend {
				notes[0] += ", the limit"
			}
			r += fmt.Sprintf(":extended%d", k)
		}
		if results.TiedOff(cells, best, p) {
			notes = append(notes, "tied with another "+name)
			r += ":tied"
		}
		text := name + [2]string{" low", " high"}[side]
		if len(notes) > 0 {
			text += " (" + strings.Join(notes, "; ") + ")"
		}
		parts = append(parts, text)
		raw = append(raw, r)
	}
	text := strings.Join(parts, ", ")
	if len(parts) == 0 {
		text = "–"
	}
	if len(inside) > 0 {
		text += " (" + strings.Join(inside, ", ") + ")"
	}
	return Cell{Text: text, CSV: strings.Join(raw, ";")}, len(parts) > 0
}

func steps(k int) string {
	if k == 1 {
		return "1 step"
	}
	return strconv.Itoa(k) + " steps"
}

// wilsonCell is Wilson's 95% interval of a confusion matrix's accuracy,
// "–" without one.
func wilsonCell(conf [][]int) Cell {
	n, k := confusionCounts(conf)
	if n == 0 {
		return Cell{Text: "–"}
	}
	iv := stats.Wilson(k, n, confidence)
	return Cell{Text: ivText(iv), CSV: ivCSV(iv)}
}
