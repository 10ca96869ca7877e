package reports

import (
	"bytes"
	"os"
	"strings"
	"testing"

	"github.com/svmbench/svmbench/results"
)

// searchJSON is a comparison of a 4-cell grid with two seeds of bayes and
// random search of 2 cells each, and a halving run (one cell on a third of
// the images, one on all).
const searchJSON = `{"manifest":{"seed":1},"kernel":"sigmoid","features":"pixels","grid_cells":4,"budget":2,"grid_best_cv":0.5,
"traces":[
{"search":"grid","seed":1,"best_cv":[0.3,0.4,0.4,0.5],"seconds":[1,2,3,4]},
{"search":"bayes","seed":1,"best_cv":[0.4,0.5],"seconds":[1,2],"replayed":true},
{"search":"random","seed":1,"best_cv":[0.3,0.4],"seconds":[1,2],"replayed":true},
{"search":"bayes","seed":2,"best_cv":[0.45,0.48],"seconds":[1,3],"replayed":true},
{"search":"random","seed":2,"best_cv":[0.3,0.3],"seconds":[1,2],"replayed":true},
{"search":"halving","seed":1,"best_cv":[0,0.45],"seconds":[0.5,1],"n":[100,300]}]}`

func TestSearchComparison(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "search-sigmoid-pixels.json", searchJSON)
	in, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(in.Searches) != 1 {
		t.Fatalf("%d comparisons", len(in.Searches))
	}
	tab := SearchTable(in)
	if len(tab.Rows) != 4 {
		t.Fatalf("%d rows, want grid, bayes, random, halving", len(tab.Rows))
	}
	// bayes: mean of 0.5 and 0.48 = 49.0%, 1 point behind, 1 of 2 found.
	if r := tab.Rows[1]; r[2].Text != "bayes" || r[6].Text != "49.0" || r[7].Text != "1.00" || r[8].Text != "1/2" {
		t.Errorf("bayes row %v", r)
	}
	if r := tab.Rows[3]; r[2].Text != "halving" || r[5].Text != "1.3" {
		t.Errorf("halving row %v: want 1.3 cells at all images", r)
	}
	// The frontier: halving (1 s, 45%), then bayes (2.5 s, 49%); random
	// (2 s, 35%) is dominated; then the grid.
	want := "sigmoid/pixels: for a budget of up to about 1.00 s of fits, halving (45.0% mean best CV, 5.00 points behind the grid's best, found it in 0 of 1 runs, 1.3 cells at all images); " +
		"up to about 2.50 s of fits, bayes (49.0% mean best CV, 1.00 points behind the grid's best, found it in 1 of 2 runs, 2.0 cells at all images); " +
		"with 4.00 s (4 cells), the whole grid, the only search sure to find its best."
	if a := SearchAdvice(in); !strings.Contains(a, want) {
		t.Errorf("advice %q\nlacks %q", a, want)
	}
	// Costs within 10%: one budget, the better search named.
	c := *in.Searches[0]
	c.Traces = append([]results.SearchTrace(nil), c.Traces...)
	c.Traces[5].Seconds = []float64{2.2, 2.4}
	c.Traces[5].BestCV = []float64{0, 0.5}
	if a := searchAdvice(&c); !strings.Contains(a, "up to about 2.40 s of fits, halving (50.0%") || strings.Contains(a, "bayes") {
		t.Errorf("halving at 2.4 s and 50%% against bayes at 2.5 s and 49%%: %q", a)
	}
	ms := meanTraces(in.Searches[0])
	if h := ms[3]; h.search != "halving" || len(h.cells) != 1 || h.cells[0] != 4.0/3 {
		t.Errorf("halving's mean trace %+v: want one point at 4/3 cells (its last rung)", h)
	}
	f := SearchFigure(in.Searches[0])
	var b bytes.Buffer
	if err := f.WritePNG(&b); err != nil || b.Len() == 0 {
		t.Fatalf("PNG: %v", err)
	}
	if os.Getenv("SEARCH_PNG") != "" {
		os.WriteFile(os.Getenv("SEARCH_PNG"), b.Bytes(), 0o644)
	}

	for _, bad := range []string{
		strings.Replace(searchJSON, `"best_cv":[0.3,0.4,0.4,0.5]`, `"best_cv":[0.3,0.2,0.4,0.5]`, 1),
		strings.Replace(searchJSON, `"seconds":[1,2,3,4]`, `"seconds":[1,2,3]`, 1),
		strings.Replace(searchJSON, `"grid_best_cv":0.5`, `"grid_best_cv":50`, 1),
		strings.Replace(searchJSON, `"n":[100,300]`, `"n":[100]`, 1),
	} {
		writeFile(t, dir, "search-sigmoid-pixels.json", bad)
		if _, err := Load(dir); err == nil || !strings.Contains(err.Error(), "search-sigmoid-pixels.json") {
			t.Errorf("a bad comparison loaded: %v", err)
		}
	}
}

// The x label and caption of the search figure name halving's counting
// at images only when a halving trace is drawn (the main job draws none).
func TestSearchFigureLabels(t *testing.T) {
	svg := func(c *results.SearchComparison) (string, string) {
		f := SearchFigure(c)
		var b bytes.Buffer
		if err := f.WriteSVG(&b); err != nil {
			t.Fatal(err)
		}
		return b.String(), f.Caption
	}
	dir := t.TempDir()
	writeFile(t, dir, "search-sigmoid-pixels.json", searchJSON)
	in, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	c := in.Searches[0]
	s, caption := svg(c)
	if !strings.Contains(s, "cells evaluated (halving: counted at their images)") || !strings.Contains(caption, "halving") {
		t.Errorf("with a halving trace: the label or caption does not say how its cells count")
	}
	noHalving := *c
	noHalving.Traces = c.Traces[:5]
	s, caption = svg(&noHalving)
	if strings.Contains(s, "halving") || strings.Contains(caption, "halving") {
		t.Errorf("no halving trace drawn, yet the figure mentions halving: %s", caption)
	}
	if !strings.Contains(s, "cells evaluated") || !strings.Contains(caption, "Random and bayes searches had 2 cells") {
		t.Errorf("no halving: label or caption lost: %s", caption)
	}
	onlyGrid := *c
	onlyGrid.Traces = c.Traces[:1]
	if _, caption = svg(&onlyGrid); strings.Contains(caption, "bayes") {
		t.Errorf("grid alone: caption names bayes: %s", caption)
	}
}
