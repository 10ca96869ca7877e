package reports

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
)

// TestSliceFigureOffLattice: a random search over ranges that are not
// lists (every draw its own α, c and C) is drawn as one panel per
// parameter, not as a heat map per C value with one filled square each
// (20 draws made 20 maps of one square, their tick labels run together);
// a random search over lists keeps its heat maps.
func TestSliceFigureOffLattice(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	var lines []string
	for i := range 12 {
		lines = append(lines, drawLine(i, "sigmoid", fmt.Sprintf(`"alpha":%g,"coef0":%g,"C":%g`, 1e-4*(1+9*r.Float64()), -2*r.Float64(), 1+100*r.Float64()), 0.25+0.01*float64(i)))
	}
	g := loadDrawn(t, "sigmoid", sigmoidRanges, lines)
	if !offLattice(g) {
		t.Fatalf("a random search over ranges is not seen as off the lattice (spec cells %d)", g.SpecCells)
	}
	f := GridFigure(g)
	if f == nil || !strings.Contains(f.Caption, "one point per draw") || !strings.Contains(f.Caption, "best draw (α=") {
		t.Fatalf("figure of an off-lattice random search: %+v", f)
	}
	if f.Height > f.Width { // three panels in a row; the heat maps made 12 rows of maps
		t.Errorf("figure %g × %g: want the three slice panels side by side", f.Width, f.Height)
	}
	if _, err := f.png(); err != nil {
		t.Fatal(err)
	}
}

// TestPow2Ticks: a log axis over powers of two is labelled 2^k, at most 7
// labels; a range within a factor of two still gets labels.
func TestPow2Ticks(t *testing.T) {
	labels := func(min, max float64) (out []string) {
		for _, tk := range (pow2Ticks{}).Ticks(min, max) {
			if tk.Label != "" {
				out = append(out, tk.Label)
			}
		}
		return out
	}
	if got := labels(0.4, 150); len(got) < 3 || len(got) > 7 || got[0] != "2^-1" || got[len(got)-1] != "2^7" {
		t.Errorf("ticks of [0.4, 150] = %v, want 2^-1 … at most 7 labels", got)
	}
	if got := labels(3e-5, 0.04); len(got) < 3 || len(got) > 7 || !strings.HasPrefix(got[0], "2^-15") {
		t.Errorf("ticks of [3e-5, 0.04] = %v", got)
	}
	if got := labels(10, 15); len(got) < 2 {
		t.Errorf("ticks of [10, 15] = %v, want at least 2 labels", got)
	}
}

// TestLinearOffLatticeTicks: a linear random search over a C range (every
// draw its own C) labels its C axis at powers of two, not at each draw's
// C: twelve draws wrote twelve labels that ran together.
func TestLinearOffLatticeTicks(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	var lines []string
	for i := range 12 {
		lines = append(lines, drawLine(i, "linear", fmt.Sprintf(`"C":%g`, 1+100*r.Float64()), 0.25+0.01*float64(i)))
	}
	g := loadDrawn(t, "linear", `"C":{"text":"2^0:2^7:1","kind":"pow2","values":[1,2,4,8,16,32,64,128]}`, lines)
	if !offLattice(g) {
		t.Fatalf("a random search over a C range is not seen as off the lattice (spec cells %d)", g.SpecCells)
	}
	var labels []string
	for _, tk := range linearCTicks(g, []float64{1.5, 3, 7, 9, 11, 20, 21, 30, 44, 60, 77, 99}).Ticks(1, 100) {
		if tk.Label != "" {
			labels = append(labels, tk.Label)
		}
	}
	if len(labels) > 7 {
		t.Errorf("C axis of a linear random search labelled %v: want at most 7 labels", labels)
	}
	if f := GridFigure(g); f == nil {
		t.Fatal("no figure")
	} else if _, err := f.png(); err != nil {
		t.Fatal(err)
	}
}

// TestEdgeOfDraws: a random search's draws are read against its ranges,
// as its range extension reads them: the best draw is on an edge only
// within half a step of a range's end, not because no other draw went
// lower (the report said "C low" for a best C of 20 drawn from 2^0:2^7).
func TestEdgeOfDraws(t *testing.T) {
	for _, tc := range []struct {
		bestC float64
		want  string
	}{{20, ""}, {1.1, "C low"}} {
		g := loadDrawn(t, "sigmoid", sigmoidRanges, []string{
			drawLine(0, "sigmoid", fmt.Sprintf(`"alpha":0.00025,"coef0":-1.1,"C":%g`, tc.bestC), 0.4),
			drawLine(1, "sigmoid", `"alpha":0.0001,"coef0":-1.5,"C":50`, 0.3),
			drawLine(2, "sigmoid", `"alpha":0.0005,"coef0":-0.5,"C":100`, 0.2)})
		got := edgeCell(g, g.Cells[g.BestCell()]).Text
		if (tc.want == "" && got != "–") || (tc.want != "" && got != tc.want) {
			t.Errorf("best C %g: edge %q, want %q", tc.bestC, got, tc.want)
		}
	}
}

// drawLine is a journal line of a random search's draw i: kernel with the
// parameters params (JSON fields: `"alpha":0.001,"coef0":-1,"C":4`), CV
// accuracy acc over two folds.
func drawLine(i int, kernel, params string, acc float64) string {
	return fmt.Sprintf(`{"cell":%d,"kernel":%q,"features":"pixels",%s,"folds":2,"fold_accuracy":[%g,%g],"cv_accuracy":%g,"seconds":1,"n_sv":10,"capped":false}`+"\n",
		i, kernel, params, acc-0.05, acc+0.05, acc)
}

// loadDrawn writes a random search's spec (its ranges, JSON fields) and
// journal (lines, drawLine's) and loads its grid.
func loadDrawn(t *testing.T, kernel, ranges string, lines []string) *Grid {
	t.Helper()
	dir := t.TempDir()
	writeFile(t, dir, "grid-"+kernel+"-pixels.spec.json", fmt.Sprintf(`{"kernel":%q,"features":"pixels","search":"random","trials":%d,%s,"folds":2,"cells":%d,"shard":0,"shards":1}`, kernel, len(lines), ranges, len(lines)))
	writeFile(t, dir, "grid-"+kernel+"-pixels.jsonl", strings.Join(lines, ""))
	in, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	return in.Grids[0]
}

// sigmoidRanges are the ranges the sigmoid tests draw from.
const sigmoidRanges = `"alpha":{"text":"2^-14:2^-10:2","kind":"pow2","values":[0.00006103515625,0.000244140625,0.0009765625]},"coef0":{"text":"-2:0:1","kind":"linear","values":[-2,-1,0]},"C":{"text":"2^0:2^7:1","kind":"pow2","values":[1,2,4,8,16,32,64,128]}`
