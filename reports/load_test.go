package reports

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/svmbench/svmbench/results"
)

func TestLoadFixture(t *testing.T) {
	in := loadFixture(t)
	if len(in.Models) != 8 || len(in.Grids) != 3 || len(in.Scaling) != 9 || len(in.CNN) != 2 {
		t.Fatalf("loaded %d models, %d grids, %d scaling points, %d CNN runs; want 8, 3, 9, 2", len(in.Models), len(in.Grids), len(in.Scaling), len(in.CNN))
	}
	if in.Manifest == nil || in.Manifest.CommandLine[1] != "run" {
		t.Errorf("manifest %+v: want the one of results.json", in.Manifest)
	}
	want := []string{"sigmoid/pixels", "rbf/pixels", "linear/hog"}
	for i, g := range in.Grids {
		if got := g.Kernel + "/" + g.Features; got != want[i] {
			t.Errorf("grid %d is %s, want %s", i, got, want[i])
		}
	}
	if in.Grids[1].Best != nil {
		t.Error("rbf grid has no best file in the fixture, but Best is set")
	}
	if in.CNN[0].Variant != "seed" || in.CNN[1].Variant != "fixed" {
		t.Errorf("CNN order %s, %s; want seed, fixed", in.CNN[0].Variant, in.CNN[1].Variant)
	}
}

func writeFile(t *testing.T, dir, name, content string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

const cell0 = `{"cell":0,"kernel":"rbf","features":"pixels","gamma":0.01,"C":1,"folds":2,"fold_accuracy":[0.4,0.5],"cv_accuracy":0.45,"seconds":1,"n_sv":10,"capped":false}`
const cell1 = `{"cell":1,"kernel":"rbf","features":"pixels","gamma":0.02,"C":1,"folds":2,"fold_accuracy":[0.5,0.5],"cv_accuracy":0.5,"seconds":1,"n_sv":10,"capped":false}`

// spec01 is the spec of the grid cell0 and cell1 belong to.
const spec01 = `{"kernel":"rbf","features":"pixels","search":"grid","gamma":{"text":"0.01,0.02","kind":"list","values":[0.01,0.02]},"C":{"text":"1","kind":"list","values":[1]},"folds":2,"cells":2,"shard":0,"shards":1}`

func TestLoadTornLastLine(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "grid-rbf-pixels.spec.json", spec01)
	writeFile(t, dir, "grid-rbf-pixels.jsonl", cell0+"\n"+cell1+"\n"+`{"cell":2,"kernel":"rbf","feat`)
	in, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(in.Grids) != 1 || len(in.Grids[0].Cells) != 2 {
		t.Fatalf("want 1 grid of 2 cells, got %+v", in.Grids)
	}
	if len(in.Warnings) != 1 || !strings.Contains(in.Warnings[0], "grid-rbf-pixels.jsonl:3") {
		t.Errorf("warnings %q: want one naming line 3", in.Warnings)
	}
	if b := in.Grids[0].BestCell(); b != 1 {
		t.Errorf("best cell %d, want 1 (higher CV accuracy)", b)
	}
}

func TestLoadErrors(t *testing.T) {
	for _, tc := range []struct {
		name, file, content, want string
	}{
		{"bad middle line", "grid-rbf-pixels.jsonl", cell0 + "\n{oops\n" + cell1 + "\n", "grid-rbf-pixels.jsonl:2: invalid JSON"},
		{"accuracy as percent", "grid-rbf-pixels.jsonl", strings.Replace(cell0, `"cv_accuracy":0.45`, `"cv_accuracy":45`, 1) + "\n", "grid-rbf-pixels.jsonl:1: cv_accuracy: want a fraction in [0, 1], got 45"},
		{"wrong type", "results.json", "{\n\"results\": [{\"model\": \"svm-rbf\",\n \"accuracy\": \"high\"}]}", `results.json:3: field "results.accuracy": want a JSON number, got string`},
		{"missing model", "results.json", `{"results": [{"accuracy": 0.5}]}`, "results.json: record 1 (results[0]): missing model name"},
		{"truncated", "scaling.json", `{"points": [`, "scaling.json:1: the file is empty or ends in the middle"},
		{"trailing data", "cnn-seed.json", `{"variant":"seed"} {}`, "cnn-seed.json: unexpected data after the JSON value"},
		{"ragged confusion", "cnn-seed.json", `{"variant":"seed","confusion":[[1,2],[3]]}`, "confusion: want a square matrix, row 1 has 1 entries"},
		// Counts and times are never negative: the report drew -1e+308 s
		// and -50 SVs from hand-edited files.
		{"negative seconds", "grid-rbf-pixels.jsonl", strings.Replace(cell0, `"seconds":1`, `"seconds":-1e308`, 1) + "\n", "grid-rbf-pixels.jsonl:1: seconds: want a count or time >= 0, got -1e+308"},
		{"negative SVs", "grid-rbf-pixels.jsonl", strings.Replace(cell0, `"n_sv":10`, `"n_sv":-50`, 1) + "\n", "grid-rbf-pixels.jsonl:1: n_sv: want a count or time >= 0, got -50"},
		{"negative rung", "grid-rbf-pixels.jsonl", strings.Replace(cell0, `"n_sv":10`, `"n_sv":10,"rung":-4`, 1) + "\n", "grid-rbf-pixels.jsonl:1: rung: want a count or time >= 0, got -4"},
		{"negative train time", "results.json", `{"results": [{"model":"svm-rbf","features":"pixels","accuracy":0.5,"train_seconds":-5}]}`, "results.json: record 1 (results[0]): train_seconds: want a count or time >= 0, got -5"},
		{"best negative SVs", "best-rbf-pixels.json", `{"cell":` + cell0 + `,"grid_cells":2,"test_accuracy":0.5,"n_sv":-5}`, "best-rbf-pixels.json: n_sv: want a count or time >= 0, got -5"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			writeFile(t, dir, tc.file, tc.content)
			_, err := Load(dir)
			if err == nil {
				t.Fatalf("Load: no error, want one containing %q", tc.want)
			}
			if !strings.Contains(err.Error(), tc.want) || !strings.HasPrefix(err.Error(), "reports: ") {
				t.Errorf("Load error %q: want it to start with \"reports: \" and contain %q", err, tc.want)
			}
			var fe *FileError
			if !errors.As(err, &fe) {
				t.Errorf("error %T is not a *FileError", err)
			}
		})
	}
}

func TestLoadEmpty(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "notes.txt", "nothing here")
	_, err := Load(dir)
	var nr *ErrNoResults
	if !errors.As(err, &nr) {
		t.Errorf("Load of a folder without results: %v, want *ErrNoResults", err)
	}
	if _, err := Load(filepath.Join(dir, "missing")); err == nil {
		t.Error("Load of a missing folder: no error")
	}
}

func TestLoadShardsDedupe(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "shard0/grid-rbf-pixels.jsonl", cell0+"\n"+cell1+"\n")
	writeFile(t, dir, "shard1/grid-rbf-pixels.jsonl", cell1+"\n")
	writeFile(t, dir, "shard0/grid-rbf-pixels.spec.json", spec01)
	writeFile(t, dir, "shard1/grid-rbf-pixels.spec.json", spec01)
	in, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(in.Grids) != 1 || len(in.Grids[0].Cells) != 2 {
		t.Fatalf("want one grid of 2 cells from two shard folders, got %d grids", len(in.Grids))
	}
	if len(in.Warnings) != 1 {
		t.Errorf("warnings %q: want one about the duplicate cell", in.Warnings)
	}
	// A duplicate with other results is said to disagree (merge refuses it).
	writeFile(t, dir, "shard1/grid-rbf-pixels.jsonl", strings.Replace(strings.Replace(cell1, `"cv_accuracy":0.5`, `"cv_accuracy":0.55`, 1), `[0.5,0.5]`, `[0.5,0.6]`, 1)+"\n")
	in, err = Load(dir)
	if err != nil || len(in.Warnings) != 1 || !strings.Contains(in.Warnings[0], "1 of them with other CV accuracies than the first (cells [1])") {
		t.Errorf("duplicate cells that disagree: %v, warnings %q", err, in.Warnings)
	}
}

// Two runs of one kernel and feature set in two subfolders are shards of
// one grid only when their specs agree: runs on other data, or over other
// ranges, were drawn as one grid (the first file's cell at each index kept,
// "12 duplicate cells ignored"), with the best of one and cells of both.
func TestLoadRefusesTwoGridsInSubfolders(t *testing.T) {
	otherData := strings.Replace(spec01, `"cells":2`, `"cells":2,"train_n":90,"train_sha256":"beef"`, 1)
	otherRange := strings.Replace(strings.Replace(spec01, `0.01,0.02`, `0.01,0.04`, 1), `[0.01,0.02]`, `[0.01,0.04]`, 1)
	cell1b := strings.Replace(cell1, `"gamma":0.02`, `"gamma":0.04`, 1)
	for _, tc := range []struct{ name, spec, cells, want string }{
		{"other data", otherData, cell0 + "\n" + cell1 + "\n", "different training data"},
		{"other range", otherRange, cell0 + "\n" + cell1b + "\n", "gamma"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			writeFile(t, dir, "a/grid-rbf-pixels.spec.json", spec01)
			writeFile(t, dir, "a/grid-rbf-pixels.jsonl", cell0+"\n"+cell1+"\n")
			writeFile(t, dir, "b/grid-rbf-pixels.spec.json", tc.spec)
			writeFile(t, dir, "b/grid-rbf-pixels.jsonl", tc.cells)
			_, err := Load(dir)
			if err == nil || !strings.Contains(err.Error(), filepath.Join("b", "grid-rbf-pixels.spec.json")) ||
				!strings.Contains(err.Error(), filepath.Join("a", "grid-rbf-pixels.spec.json")) || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("Load of two grids' journals: %v, want an error naming both specs and %q", err, tc.want)
			}
		})
	}
	// Without specs (hand-written journals), a cell index that holds two
	// settings is still two grids.
	dir := t.TempDir()
	writeFile(t, dir, "a/grid-rbf-pixels.jsonl", cell0+"\n"+cell1+"\n")
	writeFile(t, dir, "b/grid-rbf-pixels.jsonl", cell1b+"\n")
	if _, err := Load(dir); err == nil || !strings.Contains(err.Error(), "cell 1") {
		t.Errorf("Load of two journals with cell 1 at other settings: %v", err)
	}
}

func TestBestCellTies(t *testing.T) {
	in := loadFixture(t)
	g := *in.Grids[0]
	g.Best = nil
	g.Cells = append(g.Cells[:0:0], g.Cells...)
	for i := range g.Cells {
		g.Cells[i].CVAccuracy = 0.5
	}
	// All tie: smaller C, then smaller α, then c closer to 0.
	b := g.Cells[g.BestCell()]
	if b.C != 0.5 || b.Alpha != 1.0/32768 || b.Coef0 != 0 {
		t.Errorf("best of a tied grid: C=%g α=%g c=%g; want C=0.5 α=2^-15 c=0", b.C, b.Alpha, b.Coef0)
	}
}

// Issue 13, defect 1: a journal holding the lines of two grids was drawn
// as one grid with a duplicates warning; defect 2: a best file of another
// grid was reported beside the journal. Both are errors now.
func TestLoadRefusesMixedGrids(t *testing.T) {
	foreign := strings.Replace(cell1, `"C":1,`, `"C":8,`, 1)
	dir := t.TempDir()
	writeFile(t, dir, "grid-rbf-pixels.spec.json", spec01)
	writeFile(t, dir, "grid-rbf-pixels.jsonl", cell0+"\n"+foreign+"\n")
	_, err := Load(dir)
	if err == nil || !strings.Contains(err.Error(), "grid-rbf-pixels.jsonl:2: not a cell of the grid") || !strings.Contains(err.Error(), "C=8") {
		t.Errorf("Load of a journal with another grid's line 2: %v", err)
	}

	dir = t.TempDir()
	writeFile(t, dir, "grid-rbf-pixels.spec.json", spec01)
	writeFile(t, dir, "grid-rbf-pixels.jsonl", cell0+"\n"+cell1+"\n")
	best := `{"cell":` + strings.Replace(cell1, `"C":1,`, `"C":8,`, 1) + `,"grid_cells":2,"test_accuracy":0.56}`
	writeFile(t, dir, "best-rbf-pixels.json", best)
	if _, err := Load(dir); err == nil || !strings.Contains(err.Error(), "best-rbf-pixels.json") {
		t.Errorf("Load of a best file of another grid: %v", err)
	}
	writeFile(t, dir, "best-rbf-pixels.json", `{"cell":`+cell1+`,"grid_cells":2,"test_accuracy":0.56,"retrained":true,"model":"svm-rbf-pixels.model"}`)
	// Results shipped without their models (docs/results/cifar10-full):
	// read, and the report says the models were not there.
	in, err := Load(dir)
	if err != nil || len(in.Warnings) != 1 || !strings.Contains(in.Warnings[0], "model files named by the best files were not present (svm-rbf-pixels.model)") {
		t.Fatalf("Load of a best file whose model is missing: %v, warnings %q", err, in.Warnings)
	}
	if in.Grids[0].Best == nil || in.Grids[0].Best.TestAccuracy != 0.56 {
		t.Errorf("the best file's numbers were not kept: %+v", in.Grids[0].Best)
	}
	var md bytes.Buffer
	if err := buildDoc(in).writeMarkdown(&md); err != nil || !strings.Contains(md.String(), "Warnings: the model files named by the best files were not present (svm-rbf-pixels.model)") {
		t.Errorf("the report does not say the model is missing (%v)", err)
	}
	// A model that cannot be looked at (a path through a file) is refused.
	writeFile(t, dir, "afile", "x")
	writeFile(t, dir, "best-rbf-pixels.json", `{"cell":`+cell1+`,"grid_cells":2,"test_accuracy":0.56,"retrained":true,"model":"afile/svm-rbf-pixels.model"}`)
	if _, err := Load(dir); err == nil || !strings.Contains(err.Error(), "its model afile/svm-rbf-pixels.model") {
		t.Errorf("Load of a best file whose model path goes through a file: %v", err)
	}
	writeFile(t, dir, "best-rbf-pixels.json", `{"cell":`+cell1+`,"grid_cells":2,"test_accuracy":0.56,"retrained":true,"model":"svm-rbf-pixels.model"}`)
	writeFile(t, dir, "svm-rbf-pixels.model", "svm_type c_svc\n")
	if in, err := Load(dir); err != nil || len(in.Warnings) != 0 {
		t.Errorf("Load of a consistent grid: %v, warnings %q", err, in.Warnings)
	}
}

// TestLoadExtendedGrid: cells a grid's range extension added past its
// spec's cells are read as the grid's, the edge flag is the extended
// range's and says how far it was extended; a cell between the steps is
// refused.
func TestLoadExtendedGrid(t *testing.T) {
	ext := `{"cell":2,"kernel":"rbf","features":"pixels","gamma":0.04,"C":1,"folds":2,"fold_accuracy":[0.6,0.6],"cv_accuracy":0.6,"seconds":1,"n_sv":10,"capped":false,"why":"extend: best γ=0.02 on the upper edge; step 1 of 2"}`
	for _, tc := range []struct {
		extend int
		want   string
	}{{2, "γ high (extended by 1 step)"}, {1, "γ high (extended by 1 step, the limit)"}} {
		dir := t.TempDir()
		writeFile(t, dir, "grid-rbf-pixels.spec.json", strings.Replace(spec01, `"cells":2`, `"cells":2,"extend":`+strconv.Itoa(tc.extend), 1))
		writeFile(t, dir, "grid-rbf-pixels.jsonl", cell0+"\n"+cell1+"\n"+ext+"\n")
		in, err := Load(dir)
		if err != nil {
			t.Fatal(err)
		}
		g := in.Grids[0]
		if got := edgeCell(g, g.Cells[g.BestCell()]).Text; got != tc.want {
			t.Errorf("extend %d: edge %q, want %q", tc.extend, got, tc.want)
		}
	}
	dir := t.TempDir()
	writeFile(t, dir, "grid-rbf-pixels.spec.json", strings.Replace(spec01, `"cells":2`, `"cells":2,"extend":2`, 1))
	writeFile(t, dir, "grid-rbf-pixels.jsonl", cell0+"\n"+cell1+"\n"+strings.Replace(ext, "0.04", "0.03", 1)+"\n")
	if _, err := Load(dir); err == nil || !strings.Contains(err.Error(), "jsonl:3") {
		t.Errorf("Load of a cell between the extension's steps: %v", err)
	}
	// Inside after extension.
	g := &Grid{Kernel: "rbf", Extend: 2, Extended: map[string][2]int{"gamma": {0, 1}}, Cells: []results.GridCell{
		{Kernel: "rbf", Gamma: 0.01, C: 1}, {Kernel: "rbf", Gamma: 0.02, C: 1}, {Kernel: "rbf", Gamma: 0.04, C: 1}}}
	if got := edgeCell(g, g.Cells[1]).Text; got != "– (γ extended by 1 step)" {
		t.Errorf("interior after extension: %q", got)
	}
	if got := BestOnEdge(results.GridSpec{Kernel: g.Kernel, Extend: g.Extend, Gamma: results.SpecRange{Text: "0.01,0.02", Kind: "list", Values: []float64{0.01, 0.02}}}, g.Cells, g.Cells[1]); got != "" {
		t.Errorf("BestOnEdge of an interior best: %q, want \"\"", got)
	}
	for i := range g.Cells {
		g.Cells[i].CVAccuracy = 0.3 + 0.1*float64(i)
	}
	if got := BestOnEdge(results.GridSpec{Kernel: g.Kernel, Extend: g.Extend, Gamma: results.SpecRange{Text: "0.01,0.02", Kind: "list", Values: []float64{0.01, 0.02}}}, g.Cells, g.Cells[2]); got != "γ high (extended by 1 step)" {
		t.Errorf("BestOnEdge of a best on the extended edge: %q", got)
	}
	// On the edge by the tie rule only: said, and not extended.
	g = &Grid{Kernel: "rbf", Extend: 2, Cells: []results.GridCell{
		{Kernel: "rbf", Gamma: 0.01, C: 1, CVAccuracy: 0.5}, {Kernel: "rbf", Gamma: 0.02, C: 1, CVAccuracy: 0.5}, {Kernel: "rbf", Gamma: 0.04, C: 1, CVAccuracy: 0.4}}}
	if got := edgeCell(g, g.Cells[0]); got.Text != "γ low (tied with another γ)" || got.CSV != "gamma=low:tied" {
		t.Errorf("a tie on the edge: %q, %q", got.Text, got.CSV)
	}
}

// TestLoadShippedFullResults: the full profile's results as shipped in
// docs/results/cifar10-full (best files, without their model files) load,
// and the report says the models were not there.
func TestLoadShippedFullResults(t *testing.T) {
	in, err := Load(filepath.Join("..", "docs", "results", "cifar10-full", "results"))
	if err != nil {
		t.Fatal(err)
	}
	if len(in.Warnings) != 1 || !strings.Contains(in.Warnings[0], "svm-rbf-pixels.model") {
		t.Errorf("warnings %q: want one naming the missing models", in.Warnings)
	}
	for _, g := range in.Grids {
		if g.Best == nil || !g.Best.Retrained {
			t.Errorf("grid %s/%s: its best file was not kept", g.Kernel, g.Features)
		}
	}
}
