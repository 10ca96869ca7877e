package bench

import (
	"context"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/svmbench/svmbench/results"
)

func bayesGrid(out string) GridConfig {
	cfg := smallGrid(out)
	cfg.Search = "bayes"
	cfg.Alpha = Values(0.003, 0.01, 0.03, 0.1, 0.3, 1)
	cfg.Coef0 = Values(-2, -1, -0.5, 0)
	cfg.C = Values(1, 100)
	cfg.Trials, cfg.Batch, cfg.Workers = 12, 2, 2
	return cfg
}

// The same seed gives the same trials, another seed others; every trial
// is a lattice cell with its reason recorded.
func TestBayesDeterministic(t *testing.T) {
	useFitter(t, meanFit)
	d := blobs(3, 30, 6, 3)
	run := func(seed uint64) []GridCell {
		cfg := bayesGrid("")
		cfg.Seed = seed
		_, cells, err := Grid(context.Background(), d, d.Train.X, nil, cfg)
		if err != nil {
			t.Fatal(err)
		}
		if len(cells) != 12 {
			t.Fatalf("%d trials, want 12", len(cells))
		}
		return cells
	}
	a, b, c := run(7), run(7), run(8)
	equalCells(t, "same seed", b, a)
	same := 0
	seen := map[[3]float64]bool{}
	for i := range a {
		if results.SameSetting(a[i], c[i]) {
			same++
		}
		k := [3]float64{a[i].Alpha, a[i].Coef0, a[i].C}
		if seen[k] {
			t.Errorf("trial %d repeats a cell: %+v", i, k)
		}
		seen[k] = true
		if a[i].Why == "" {
			t.Errorf("trial %d has no reason", i)
		}
	}
	if same == len(a) {
		t.Error("seeds 7 and 8 gave the same trials")
	}
	if !strings.HasPrefix(a[len(a)-1].Why, "expected improvement") {
		t.Errorf("last trial chosen for %q", a[len(a)-1].Why)
	}
}

// A bayes search interrupted mid-way and resumed ends with the trials of
// an uninterrupted one; resuming it as a grid is refused naming both.
func TestBayesResume(t *testing.T) {
	useFitter(t, meanFit)
	d := blobs(3, 30, 6, 3)
	tmp := t.TempDir()
	_, want, err := Grid(context.Background(), d, d.Train.X, nil, bayesGrid(filepath.Join(tmp, "full")))
	if err != nil {
		t.Fatal(err)
	}
	cfg := bayesGrid(filepath.Join(tmp, "cut"))
	ctx := cancelAfter(&cfg, 20)
	_, part, err := Grid(ctx, d, d.Train.X, nil, cfg)
	if !errors.Is(err, context.Canceled) || len(part) == 0 || len(part) >= 12 {
		t.Fatalf("interrupted search: %d trials, %v", len(part), err)
	}
	cfg.Progress, cfg.Resume = nil, true
	_, got, err := Grid(context.Background(), d, d.Train.X, nil, cfg)
	if err != nil {
		t.Fatal(err)
	}
	equalCells(t, "resumed bayes", got, want)

	g := smallGrid(cfg.Out)
	g.Alpha, g.Coef0, g.C, g.Resume = cfg.Alpha, cfg.Coef0, cfg.C, true
	var me *MismatchError
	if _, _, err := Grid(context.Background(), d, d.Train.X, nil, g); !errors.As(err, &me) ||
		!strings.Contains(me.Why, "-search bayes") || !strings.Contains(me.Why, "-search grid") {
		t.Errorf("a bayes journal resumed as a grid: %v", err)
	}
	if _, err := Merge(context.Background(), []string{cfg.Out}, filepath.Join(tmp, "merged")); err != nil {
		t.Errorf("merging a bayes journal: %v", err)
	}

	// A trial edited to another lattice cell is refused naming the
	// journal's folder and line (it named the file alone, no folder).
	jp := filepath.Join(cfg.Out, GridFile("sigmoid", "pixels"))
	edited := slices.Clone(want)
	edited[7].C = cfg.C.Values[0]
	if edited[7].C == want[7].C {
		edited[7].C = cfg.C.Values[1]
	}
	if err := results.WriteCells(jp, edited); err != nil {
		t.Fatal(err)
	}
	if _, _, err := Grid(context.Background(), d, d.Train.X, nil, cfg); !errors.As(err, &me) || !strings.Contains(err.Error(), jp+":8 ") {
		t.Errorf("resume of a bayes journal whose trial 7 (line 8) was edited: %v", err)
	}
}

// A range of one value is held fixed and said so; the search covers the
// others.
func TestBayesSingleValueRange(t *testing.T) {
	useFitter(t, meanFit)
	d := blobs(3, 30, 6, 3)
	cfg := bayesGrid("")
	cfg.Coef0 = Values(-1)
	cfg.Trials = 6
	var logs []string
	cfg.Log = func(f string, a ...any) { logs = append(logs, fmt.Sprintf(f, a...)) }
	_, cells, err := Grid(context.Background(), d, d.Train.X, nil, cfg)
	if err != nil || len(cells) != 6 {
		t.Fatalf("%d trials, %v", len(cells), err)
	}
	log := strings.Join(logs, "\n")
	if !strings.Contains(log, "bayes: coef0 = -1 has one value: searching alpha, C only") {
		t.Errorf("no message about the fixed range: %q", logs)
	}
	for _, c := range cells {
		if c.Coef0 != -1 {
			t.Errorf("trial %d moved the fixed c to %g", c.Index, c.Coef0)
		}
	}
	// A line per trial, with its result; the fits' plan once, not per batch.
	for i := range 6 {
		if !strings.Contains(log, fmt.Sprintf("bayes trial %d of 6: ", i+1)) {
			t.Errorf("no log line for trial %d: %q", i+1, logs)
		}
	}
	if n := strings.Count(log, "fits at once"); n != 1 {
		t.Errorf("the plan of the fits logged %d times, want once: %q", n, logs)
	}

	// Every range of one value: the one cell, said so.
	cfg = bayesGrid("")
	cfg.Alpha, cfg.Coef0, cfg.C, cfg.Trials = Values(0.01), Values(-1), Values(1), 0
	logs = nil
	cfg.Log = func(f string, a ...any) { logs = append(logs, fmt.Sprintf(f, a...)) }
	if _, cells, err = Grid(context.Background(), d, d.Train.X, nil, cfg); err != nil || len(cells) != 1 {
		t.Fatalf("one-cell search: %d trials, %v", len(cells), err)
	}
	if log := strings.Join(logs, "\n"); !strings.Contains(log, "every range has one value (alpha = 0.01, coef0 = -1, C = 1): the search evaluates that one cell") {
		t.Errorf("one-cell search's message: %q", logs)
	}
}

// On a smooth surface the GP finds the maximum well inside the budget.
func TestBayesFindsMaximum(t *testing.T) {
	sp := &searchSpace{}
	for i := range 15 {
		for j := range 10 {
			sp.cells = append(sp.cells, GridCell{Index: len(sp.cells)})
			sp.coord = append(sp.coord, []float64{float64(i) / 14, float64(j) / 9})
		}
	}
	sp.active = []string{"a", "b"}
	f := func(x []float64) float64 { return -math.Pow(x[0]-0.7, 2) - 2*math.Pow(x[1]-0.3, 2) }
	bo := newBayesOpt(sp, 1, 6)
	best := math.Inf(-1)
	for t := 0; t < 30; {
		ps := bo.next(t, 3)
		for _, p := range ps {
			v := f(sp.coord[p.lattice])
			best = max(best, v)
			bo.observe(p.lattice, v)
		}
		t += len(ps)
	}
	top := math.Inf(-1)
	for _, x := range sp.coord {
		top = max(top, f(x))
	}
	if best < top-1e-3 {
		t.Errorf("30 of 150 trials found %.4f, the maximum is %.4f", best, top)
	}
}

// The comparison's replayed bayes trials are those a bayes run fits: the
// same cells, the same CV accuracies.
func TestCompareSearchesReplayIsTheRun(t *testing.T) {
	useFitter(t, meanFit)
	d := blobs(3, 30, 6, 3)
	cfg := bayesGrid("")
	cfg.Search, cfg.Trials = "grid", 0
	cmp, err := CompareSearches(context.Background(), d, d.Train.X, cfg, []uint64{7, 8})
	if err != nil {
		t.Fatal(err)
	}
	if cmp.GridCells != 48 || cmp.Budget != 12 || len(cmp.Traces) != 7 {
		t.Fatalf("grid %d cells, budget %d, %d traces", cmp.GridCells, cmp.Budget, len(cmp.Traces))
	}
	for _, tr := range cmp.Traces {
		// 90 images are too few for a second halving rung (5·3·3 = 45 a
		// rung): halving is then the grid, on all images.
		if (tr.Search == "grid" || tr.Search == "halving") && tr.BestCV[len(tr.BestCV)-1] != cmp.GridBest {
			t.Errorf("grid trace ends at %v, best %v", tr.BestCV[len(tr.BestCV)-1], cmp.GridBest)
		}
		if tr.Search != "bayes" {
			continue
		}
		b := bayesGrid("")
		b.SearchSeed = tr.Seed
		_, cells, err := Grid(context.Background(), d, d.Train.X, nil, b)
		if err != nil {
			t.Fatal(err)
		}
		run := trace("bayes", tr.Seed, cells)
		for i := range run.BestCV {
			if run.BestCV[i] != tr.BestCV[i] {
				t.Fatalf("seed %d: replayed best after %d cells %v, run %v", tr.Seed, i+1, tr.BestCV[i], run.BestCV[i])
			}
		}
	}
	if s := cmp.Summary(); len(s) != 4 || s[0].Search != "grid" || s[0].Behind != 0 || s[3].Search != "halving" || s[3].CellsAtN != 48 {
		t.Errorf("summary %+v", s)
	}
}

// The GP's hyperparameters stay away from the degenerate ends on the
// handful of points a search fits first. The four points are the first
// cells of a bayes search on the full profile's HOG sigmoid grid
// (seed 10; α index/3, c + 1, C index/2); by marginal likelihood alone
// (no prior) they gave ℓ = 7.42 for α (flat) and 0.0123 for c (every
// cell on its own).
func TestGPFitNotDegenerate(t *testing.T) {
	x := [][]float64{{2.0 / 3, 1, 0.5}, {1.0 / 3, 0, 0}, {1, 0.5, 0.5}, {0, 1, 0.5}}
	y := []float64{0.45, 0.3466, 0.2016, 0.4288}
	for n := 3; n <= len(x); n++ {
		g := fitGP(x[:n], y[:n])
		for d, th := range g.theta[:3] {
			if l := math.Exp(th); l < 0.1 || l > 3 {
				t.Errorf("%d points: length scale %d is %.3g", n, d, l)
			}
		}
	}
}

// The kriging believer conditions on a believed point with the
// hyperparameters of the real observations: the believed mean stays
// the mean there and the uncertainty shrinks.
func TestGPConditionKeepsTheta(t *testing.T) {
	x := [][]float64{{0, 0}, {1, 0}, {0.5, 1}, {0.2, 0.7}}
	y := []float64{0.3, 0.4, 0.35, 0.45}
	g := fitGP(x, y)
	p := []float64{0.8, 0.6}
	mu, sd := g.predict(p)
	c := g.condition(append(slices.Clone(x), p), append(slices.Clone(y), mu))
	if !slices.Equal(c.theta, g.theta) {
		t.Errorf("θ %v, conditioned %v", g.theta, c.theta)
	}
	mu2, sd2 := c.predict(p)
	if math.Abs(mu2-mu) > 1e-9 || !(sd2 < sd) {
		t.Errorf("at the believed point: mean %v → %v, sd %v → %v", mu, mu2, sd, sd2)
	}
}

// A sigmoid or RBF search with log-scaled scale and C axes has log2(s·C)
// as its C coordinate; linear axes and kernels without a scale parameter
// keep their own.
func TestSearchSpaceShear(t *testing.T) {
	cfg := bayesGrid("")
	cfg.Alpha = Values(1.0/1024, 1.0/256, 1.0/64)
	cfg.Coef0 = Values(-1, 0)
	cfg.C = Values(1, 8, 64)
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	sp := newSearchSpace(&cfg)
	if !slices.Equal(sp.active, []string{"alpha", "coef0", "C"}) {
		t.Fatalf("axes %v", sp.active)
	}
	for i, c := range sp.cells {
		u := (math.Log2(c.Alpha*c.C) + 10) / 10 // log2(α·C) runs from −10 to 0
		if math.Abs(sp.coord[i][2]-u) > 1e-12 || math.Abs(sp.coord[i][0]-(math.Log2(c.Alpha)+10)/4) > 1e-12 {
			t.Errorf("%s at %v, want α %v, α·C %v", ParamString(c), sp.coord[i], (math.Log2(c.Alpha)+10)/4, u)
		}
	}
	// A cell a range extension adds beyond the range (C = 512) lies on
	// the same scale, past 1.
	ext := sp.cells[len(sp.cells)-1]
	ext.C = 512
	if x := sp.coordOf(ext); math.Abs(x[2]-1.3) > 1e-12 {
		t.Errorf("%s at %v, want α·C at 1.3", ParamString(ext), x)
	}
	cfg.C = Values(1, 2, 3) // linear: C keeps its own coordinate
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	sp = newSearchSpace(&cfg)
	for i, c := range sp.cells {
		if want := (c.C - 1) / 2; sp.coord[i][2] != want {
			t.Errorf("%s at %v, want C at %v", ParamString(c), sp.coord[i], want)
		}
	}
}

// TestBayesDefaultTrials: the default budget is a quarter of the grid but
// at least the initial design 2(d+1), at most the grid.
func TestBayesDefaultTrials(t *testing.T) {
	for _, tc := range []struct {
		cfg  GridConfig
		want int
	}{
		{GridConfig{Kernel: "linear", C: Values(1, 2, 4, 8)}, 4},                                                       // a quarter is 1; design 4 = all
		{GridConfig{Kernel: "rbf", Gamma: Values(1, 2, 4), C: Values(1, 8, 64)}, 6},                                    // a quarter is 3; design 6
		{GridConfig{Kernel: "sigmoid", Alpha: Values(1, 2, 3, 4), Coef0: Values(-1, -0.5, 0), C: Values(1, 8, 64)}, 9}, // a quarter, 9 ≥ 8
		{GridConfig{Kernel: "rbf", Gamma: Values(1), C: Values(1, 2)}, 2},                                              // design 4, capped at the grid
	} {
		cfg := tc.cfg
		cfg.Search, cfg.Folds = "bayes", 3
		if err := cfg.Validate(); err != nil {
			t.Fatal(err)
		}
		if cfg.Trials != tc.want {
			t.Errorf("%s grid of %d cells: %d trials, want %d", cfg.Kernel, cfg.latticeCells(), cfg.Trials, tc.want)
		}
	}
}

// Expected improvement is taken over the plug-in incumbent: the best
// posterior mean at the trials, not the best observation. A lone high
// observation among low neighbours is partly noise to the GP, so the
// incumbent lies below it, at the mean the GP predicts there.
func TestGPIncumbent(t *testing.T) {
	x := [][]float64{{0, 0}, {0.25, 0}, {0.5, 0}, {0.75, 0}, {1, 0}, {0.5, 1}}
	y := []float64{0.30, 0.31, 0.38, 0.31, 0.30, 0.32}
	g := fitGP(x, y)
	mu, _ := g.predict(x[2])
	if inc := g.incumbent(x); inc != mu || !(inc < 0.38) || !(inc > 0.32) {
		t.Errorf("incumbent %.4f, posterior mean at the best trial %.4f, observed 0.38", inc, mu)
	}
	if ei := expectedImprovement(0.4, 0, 0.4); ei != 0 {
		t.Errorf("no spread, no gain: EI %v, want 0", ei)
	}
	if ei := expectedImprovement(0.41, 0, 0.4); math.Abs(ei-0.01) > 1e-12 {
		t.Errorf("no spread: EI %v, want the gain 0.01", ei)
	}
}

// A resumed bayes search logs each trial it runs as the uninterrupted
// search did: its best so far counts the trials of the journal, those of
// whole batches found there too.
func TestBayesResumeLogsBest(t *testing.T) {
	useFitter(t, meanFit)
	d := blobs(3, 30, 6, 3)
	cfg := bayesGrid(filepath.Join(t.TempDir(), "g"))
	trialLines := func(logs []string) map[string]string {
		out := map[string]string{}
		for _, l := range logs {
			if _, rest, ok := strings.Cut(l, "bayes trial "); ok {
				n, _, _ := strings.Cut(rest, ":")
				out[n] = l
			}
		}
		return out
	}
	var logs []string
	cfg.Log = func(f string, a ...any) { logs = append(logs, fmt.Sprintf(f, a...)) }
	_, cells, err := Grid(context.Background(), d, d.Train.X, nil, cfg)
	if err != nil {
		t.Fatal(err)
	}
	want := trialLines(logs)
	// Keep whole batches in the journal, up to a trial that scores below
	// the best before it.
	k := 2
	for ; k < len(cells); k += 2 {
		if b, _ := BestCell(cells[:k]); b.CVAccuracy > cells[k].CVAccuracy {
			break
		}
	}
	if k >= len(cells) {
		t.Fatalf("the test needs a trial after a batch that scores below the best before it: %v", cells)
	}
	jpath := filepath.Join(cfg.Out, GridFile(cfg.Kernel, cfg.Features))
	b, err := os.ReadFile(jpath)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.SplitAfter(string(b), "\n")
	if err := os.WriteFile(jpath, []byte(strings.Join(lines[:k], "")), 0o644); err != nil {
		t.Fatal(err)
	}
	logs = nil
	cfg.Resume = true
	if _, _, err := Grid(context.Background(), d, d.Train.X, nil, cfg); err != nil {
		t.Fatal(err)
	}
	got := trialLines(logs)
	if len(got) != len(cells)-k {
		t.Fatalf("resumed: %d trial lines, want %d: %q", len(got), len(cells)-k, logs)
	}
	for n, l := range got {
		if l != want[n] {
			t.Errorf("resumed, trial %s:\n%s\nuninterrupted:\n%s", n, l, want[n])
		}
	}
}
