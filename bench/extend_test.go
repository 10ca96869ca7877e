package bench

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/svmbench/svmbench/dataset"
	"github.com/svmbench/svmbench/kernels"
	"github.com/svmbench/svmbench/matrix"
	"github.com/svmbench/svmbench/results"
)

// oneHot is k classes of n samples each whose features are the one-hot
// code of their label: meanFit predicts every sample right, whatever the
// kernel parameters, so a fitter can set each cell's accuracy exactly.
func oneHot(k, n int) *dataset.Dataset {
	mk := func(per int) dataset.Split {
		x := matrix.New(k*per, k)
		y := make([]int, k*per)
		for i := range y {
			y[i] = i % k
			x.Set(i, y[i], 1)
		}
		return dataset.Split{X: x, Y: y}
	}
	d := &dataset.Dataset{Source: "one-hot", Train: mk(n), Test: mk(n / 2)}
	for c := 0; c < k; c++ {
		d.Classes = append(d.Classes, dataset.Class{Label: c, Name: string(rune('a' + c))})
	}
	return d
}

// peakFit is meanFit (right on oneHot data) with a fraction of each
// fold's predictions made wrong that grows with the distance of log2 C
// from logC and of the sigmoid c from coef0 (when coefW > 0): the CV
// accuracy peaks at C = 2^logC, c = coef0.
func peakFit(logC, coef0, coefW float64) func(context.Context, gramFit) (fitOut, error) {
	return func(ctx context.Context, a gramFit) (fitOut, error) {
		out, err := meanFit(ctx, a)
		if err != nil {
			return out, err
		}
		frac := 0.1 * math.Abs(math.Log2(a.c)-logC)
		if s, ok := a.kern.(kernels.Sigmoid); ok {
			frac += coefW * math.Abs(s.Coef0-coef0)
		}
		wrong := int(math.Round(min(frac, 0.9) * float64(len(a.pred))))
		for i := range wrong {
			a.pred[i] = -1
		}
		out.capped = false
		return out, nil
	}
}

func extendGridConfig(out string, extend int, cs ...float64) GridConfig {
	return GridConfig{Kernel: "sigmoid", Features: "pixels", Alpha: Values(0.5), Coef0: Values(-0.5), C: Values(cs...),
		Folds: 3, Seed: 5, Out: out, NoRetrain: true, MemBytes: 1 << 28, Extend: extend}
}

func cValues(cells []GridCell) []float64 {
	var cs []float64
	for _, c := range cells {
		cs = append(cs, c.C)
	}
	return cs
}

func TestExtendBeyondC(t *testing.T) {
	useFitter(t, peakFit(5, 0, 0))
	d := oneHot(3, 30)
	tmp := t.TempDir()
	cfg := extendGridConfig(filepath.Join(tmp, "a"), 5, 1, 2, 4)
	_, cells, err := Grid(context.Background(), d, d.Train.X, nil, cfg)
	if err != nil {
		t.Fatal(err)
	}
	// 8, 16, 32 each best on the upper edge; 64 is worse: 32 is interior
	// and the extension stops after 4 of its 5 steps.
	if got, want := cValues(cells), []float64{1, 2, 4, 8, 16, 32, 64}; !slices.Equal(got, want) {
		t.Fatalf("C values %v, want %v", got, want)
	}
	if b, _ := BestCell(cells); b.C != 32 {
		t.Errorf("best C = %g, want 32", b.C)
	}
	if w := cells[3].Why; w != "extend: best C=4 on the upper edge; step 1 of 5" {
		t.Errorf("why of cell 3: %q", w)
	}
	if w := cells[6].Why; w != "extend: best C=32 on the upper edge; step 4 of 5" {
		t.Errorf("why of cell 6: %q", w)
	}
	for i, c := range cells {
		if c.Index != i || (i < 3) != (c.Why == "") {
			t.Errorf("cell %d: index %d, why %q", i, c.Index, c.Why)
		}
	}

	// The journal and spec read back as one grid (report, merge), with
	// the extension counted.
	var spec GridSpec
	if err := ReadJSON(filepath.Join(cfg.Out, SpecFile("sigmoid", "pixels")), &spec); err != nil {
		t.Fatal(err)
	}
	if spec.Extend != 5 || spec.Cells != 3 {
		t.Errorf("spec extend %d, cells %d", spec.Extend, spec.Cells)
	}
	if i, why, err := results.ForeignCell(spec, cells); err != nil || i >= 0 {
		t.Errorf("ForeignCell = %d %q %v", i, why, err)
	}
	if st := results.ExtendedSteps(spec, []string{"alpha", "coef0", "C"}, cells); st["C"] != [2]int{0, 4} || len(st) != 1 {
		t.Errorf("ExtendedSteps = %v", st)
	}
	foreign := cells[4]
	foreign.C = 24
	if i, _, _ := results.ForeignCell(spec, append(slices.Clone(cells), foreign)); i != len(cells) {
		t.Errorf("a cell at C=24 past the grid was admitted (%d)", i)
	}
	sums, err := Merge(context.Background(), []string{cfg.Out}, filepath.Join(tmp, "merged"))
	if err != nil || len(sums[0].Cells) != 7 || sums[0].Best.C != 32 {
		t.Fatalf("merge: %+v %v", sums, err)
	}

	// The same configuration gives the same cells, reasons and order.
	cfg.Out = filepath.Join(tmp, "b")
	_, again, err := Grid(context.Background(), d, d.Train.X, nil, cfg)
	if err != nil {
		t.Fatal(err)
	}
	equalCells(t, "second run", again, cells)
	for i := range again {
		if again[i].Why != cells[i].Why {
			t.Errorf("cell %d why %q, then %q", i, cells[i].Why, again[i].Why)
		}
	}
}

func TestExtendStopsAtN(t *testing.T) {
	useFitter(t, peakFit(10, 0, 0))
	d := oneHot(3, 30)
	best, cells, err := Grid(context.Background(), d, d.Train.X, d.Test.X, extendGridConfig(t.TempDir(), 2, 1, 2, 4))
	if err != nil {
		t.Fatal(err)
	}
	if got, want := cValues(cells), []float64{1, 2, 4, 8, 16}; !slices.Equal(got, want) {
		t.Fatalf("C values %v, want %v", got, want)
	}
	if best.Cell.C != 16 || best.GridCells != 5 {
		t.Errorf("best C %g of %d cells, want 16 of 5 (still on the edge after 2 steps)", best.Cell.C, best.GridCells)
	}
}

func TestExtendNotWhenInterior(t *testing.T) {
	useFitter(t, peakFit(5, 0, 0))
	d := oneHot(3, 30)
	_, cells, err := Grid(context.Background(), d, d.Train.X, nil, extendGridConfig(t.TempDir(), 3, 16, 32, 64))
	if err != nil {
		t.Fatal(err)
	}
	if got := cValues(cells); !slices.Equal(got, []float64{16, 32, 64}) {
		t.Errorf("C values %v: an interior best was extended", got)
	}
}

// A best cell on an edge only by the tie rule (every C scores the same:
// the surface is flat along C) is not extended, by grid, bayes or random
// search.
func TestExtendNotOnATie(t *testing.T) {
	useFitter(t, meanFit)
	d := oneHot(3, 30)
	for search, n := range map[string]int{"grid": 3, "bayes": 2, "random": 3} { // random: 20 draws capped at the 3 cells
		cfg := extendGridConfig(t.TempDir(), 2, 1, 2, 4)
		cfg.Search = search
		if search == "bayes" {
			cfg.Trials, cfg.Batch = 2, 1
		}
		_, cells, err := Grid(context.Background(), d, d.Train.X, nil, cfg)
		if err != nil {
			t.Fatal(err)
		}
		if len(cells) != n {
			b, _ := BestCell(cells)
			t.Errorf("%s: %d cells, want %d (best C = %g): a tie on the edge was extended", search, len(cells), n, b.C)
		}
	}
}

// TestExtendCoef0Bounded: the sigmoid c is not extended above 0 or below
// -4, while C is extended below.
func TestExtendCoef0Bounded(t *testing.T) {
	d := oneHot(3, 30)
	for _, tc := range []struct {
		coef0s []float64
		peak   float64
	}{{[]float64{-1, -0.5, 0}, 1}, {[]float64{-4, -3.5, -3}, -5}} {
		useFitter(t, peakFit(-3, tc.peak, 0.5))
		cfg := extendGridConfig(t.TempDir(), 2, 1, 2)
		cfg.Coef0 = Values(tc.coef0s...)
		_, cells, err := Grid(context.Background(), d, d.Train.X, nil, cfg)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := BestCell(cells)
		if b.Coef0 != tc.coef0s[0] && b.Coef0 != tc.coef0s[2] {
			t.Errorf("best c = %g: the test wants it on an edge", b.Coef0)
		}
		var cs []float64
		for _, c := range cells {
			if !slices.Contains(tc.coef0s, c.Coef0) {
				t.Errorf("cell %d has c = %g outside [-4, 0]'s grid %v", c.Index, c.Coef0, tc.coef0s)
			}
			cs = append(cs, c.C)
		}
		// C grows downwards: 0.5, 0.25, three cells (one per c) each.
		if n := len(cells); n != 6+6 || slices.Min(cs) != 0.25 {
			t.Errorf("%d cells, smallest C %g; want 12 and 0.25", n, slices.Min(cs))
		}
	}
}

func TestExtendResumeMidway(t *testing.T) {
	useFitter(t, peakFit(5, 0, 0))
	d := oneHot(3, 30)
	tmp := t.TempDir()
	_, want, err := Grid(context.Background(), d, d.Train.X, nil, extendGridConfig(filepath.Join(tmp, "whole"), 5, 1, 2, 4))
	if err != nil {
		t.Fatal(err)
	}
	cfg := extendGridConfig(filepath.Join(tmp, "cut"), 5, 1, 2, 4)
	cfg.Workers = 1
	ctx := cancelAfter(&cfg, 5*3) // after the second extension step's cell
	_, part, err := Grid(ctx, d, d.Train.X, nil, cfg)
	if !errors.Is(err, context.Canceled) || len(part) != 5 {
		t.Fatalf("interrupted: %d cells, %v; want 5 and context.Canceled", len(part), err)
	}
	fits := countFits(t, peakFit(5, 0, 0))
	cfg.Progress, cfg.Resume = nil, true
	_, got, err := Grid(context.Background(), d, d.Train.X, nil, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if int(fits.Load()) != 2*3 {
		t.Errorf("resume ran %d fits, want 6 (cells 5 and 6)", int(fits.Load()))
	}
	equalCells(t, "resumed", got, want)
	for i := range got {
		if got[i].Why != want[i].Why {
			t.Errorf("cell %d why %q, want %q", i, got[i].Why, want[i].Why)
		}
	}

	// Another Extend is another grid.
	cfg.Extend = 1
	var me *MismatchError
	if _, _, err := Grid(context.Background(), d, d.Train.X, nil, cfg); !errors.As(err, &me) || !strings.Contains(me.Why, "extend") {
		t.Errorf("resume with another Extend: %v", err)
	}
}

func TestExtendBadConfig(t *testing.T) {
	for _, c := range []GridConfig{
		{Extend: -1},
		{Extend: maxExtend + 1},
		{Extend: 2, Shard: 0, Shards: 2},
	} {
		if err := c.Validate(); err == nil || !strings.Contains(err.Error(), "Extend") {
			t.Errorf("%+v: %v, want an error naming Extend", c, err)
		}
	}
	if err := (&GridConfig{Extend: 2, Search: "halving"}).Validate(); err != nil {
		t.Errorf("Extend with halving: %v", err)
	}
}

// bowlFit is peakFit with the sigmoid's α in the bowl too: the fraction
// of wrong predictions grows by 0.15 per octave of C from 2^logC, by 0.03
// per octave of α from 2^logAlpha and by 0.07 per unit of c from coef0
// (C dominates: on extendBayesConfig's ranges a cell beats every cell of
// a C two octaves smaller, up to C = 2^logC).
func bowlFit(logC, logAlpha, coef0 float64) func(context.Context, gramFit) (fitOut, error) {
	return func(ctx context.Context, a gramFit) (fitOut, error) {
		out, err := meanFit(ctx, a)
		if err != nil {
			return out, err
		}
		s := a.kern.(kernels.Sigmoid)
		frac := 0.15*math.Abs(math.Log2(a.c)-logC) + 0.03*math.Abs(math.Log2(s.Alpha)-logAlpha) + 0.07*math.Abs(s.Coef0-coef0)
		wrong := int(math.Round(min(frac, 0.9) * float64(len(a.pred))))
		for i := range wrong {
			a.pred[i] = -1
		}
		out.capped = false
		return out, nil
	}
}

// TestExtendRandomListsDistinct: a random search over lists (18 of 36
// cells, the best at C = 64 past the C range's edge 8) extends C, and
// every cell it fits, drawn or drawn for a step, is a distinct cell of the
// lattice as grown: a step draws among the cells it adds, without
// replacement.
func TestExtendRandomListsDistinct(t *testing.T) {
	useFitter(t, bowlFit(6, -1, -0.5))
	d := oneHot(3, 100)
	cfg := extendBayesConfig(t.TempDir(), 2)
	cfg.Search, cfg.Trials, cfg.Batch = "random", 18, 0
	_, cells, err := Grid(context.Background(), d, d.Train.X, nil, cfg)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]int{}
	steps := map[string]int{}
	for _, c := range cells {
		k := ParamString(c)
		if j, ok := seen[k]; ok {
			t.Errorf("cell %d (%s, %q) repeats cell %d", c.Index, k, c.Why, j)
		}
		seen[k] = c.Index
		if c.Index >= 18 {
			step, _, _ := strings.Cut(c.Why, "; draw ")
			steps[step]++
		}
	}
	if len(cells) <= 18 || len(steps) == 0 {
		t.Fatalf("%d cells, steps %v: want the C range extended", len(cells), steps)
	}
	for step, n := range steps {
		if n != 5 { // ⌈9 · 18/36⌉ of the 9 cells a step of C adds (both steps are C's)
			t.Errorf("%q: %d draws, want 5", step, n)
		}
	}
}

// extendBayesConfig is a bayes search of 9 of 36 cells whose surface
// (bowlFit(6, -1, -0.5), on oneHot(3, 100)) peaks inside the α and c
// ranges and at C = 64, three steps past the C range's upper edge 8.
func extendBayesConfig(out string, extend int) GridConfig {
	return GridConfig{Kernel: "sigmoid", Features: "pixels", Search: "bayes", Trials: 9, Batch: 2, Workers: 2,
		Alpha: Values(0.25, 0.5, 1), Coef0: Values(-1, -0.5, 0), C: Values(1, 2, 4, 8),
		Folds: 3, Seed: 5, Out: out, NoRetrain: true, MemBytes: 1 << 28, Extend: extend}
}

// A bayes search whose best trial is on the upper edge of C extends C a
// step at a time, each step's trials among the cells it added (and chosen
// by expected improvement), finds better cells past the edge up to the
// optimum C = 64, journals why, and its journal reads back (ForeignCell,
// the extended steps, merge).
func TestExtendBayesBeyondC(t *testing.T) {
	useFitter(t, bowlFit(6, -1, -0.5))
	d := oneHot(3, 100)
	tmp := t.TempDir()
	cfg := extendBayesConfig(filepath.Join(tmp, "a"), 3)
	best, cells, err := Grid(context.Background(), d, d.Train.X, d.Test.X, cfg)
	if err != nil {
		t.Fatal(err)
	}
	base, _ := BestCell(cells[:9])
	if base.C != 8 {
		t.Fatalf("the best of the 9 trials has C = %g: the test wants it on the upper edge, 8", base.C)
	}
	if best.Cell.C != 64 || best.Cell.CVAccuracy <= base.CVAccuracy || best.GridCells != len(cells) {
		t.Errorf("best %s (%.3f) of %d trials; want C = 64, better than %.3f, of %d", ParamString(best.Cell), best.Cell.CVAccuracy, best.GridCells, base.CVAccuracy, len(cells))
	}
	inRange := func(c GridCell) bool {
		return slices.Contains(cfg.Alpha.Values, c.Alpha) && slices.Contains(cfg.Coef0.Values, c.Coef0) && slices.Contains(cfg.C.Values, c.C)
	}
	step1 := "extend: best C=8 on the upper edge; step 1 of 3; "
	for i, c := range cells {
		switch {
		case c.Index != i:
			t.Errorf("trial %d has index %d", i, c.Index)
		case i < 9 && (strings.HasPrefix(c.Why, "extend") || !inRange(c)):
			t.Errorf("trial %d of the budget: %s, why %q", i, ParamString(c), c.Why)
		case i >= 9 && (inRange(c) || !strings.HasPrefix(c.Why, "extend: best ") || !strings.Contains(c.Why, "expected improvement")):
			t.Errorf("extension trial %d: %s, why %q", i, ParamString(c), c.Why)
		case i == 9 && !strings.Contains(c.Why, step1) && !strings.Contains(c.Why, "; "+strings.TrimPrefix(step1, "extend: ")):
			t.Errorf("the first extension trial: why %q, want it to contain %q", c.Why, step1)
		}
	}

	foreign := cells[len(cells)-1]
	foreign.C = 24
	if sum := readBackExtended(t, cfg.Out, filepath.Join(tmp, "merged"), cells, foreign); sum.Best == nil || sum.Best.C != 64 {
		t.Fatalf("merge: best %+v, want C = 64", sum.Best)
	}
}

// readBackExtended checks the journal in out of a sigmoid/pixels search
// whose range extension took C three steps up (cells): it passes
// ForeignCell, its extended steps read C +3, each cell of foreign after
// it is refused, and it merges into merged. It returns the merge's
// summary.
func readBackExtended(t *testing.T, out, merged string, cells []GridCell, foreign ...GridCell) MergeSummary {
	t.Helper()
	var spec GridSpec
	if err := ReadJSON(filepath.Join(out, SpecFile("sigmoid", "pixels")), &spec); err != nil {
		t.Fatal(err)
	}
	if i, why, err := ForeignCell(spec, cells); err != nil || i >= 0 {
		t.Errorf("ForeignCell = %d %q %v", i, why, err)
	}
	if st := results.ExtendedSteps(spec, []string{"alpha", "coef0", "C"}, cells); st["C"] != [2]int{0, 3} {
		t.Errorf("ExtendedSteps = %v", st)
	}
	for _, f := range foreign {
		if i, _, _ := ForeignCell(spec, append(slices.Clone(cells), f)); i != len(cells) {
			t.Errorf("a cell at %s was admitted (%d)", ParamString(f), i)
		}
	}
	sums, err := Merge(context.Background(), []string{out}, merged)
	if err != nil || len(sums[0].Cells) != len(cells) {
		t.Fatalf("merge: %+v %v", sums, err)
	}
	return sums[0]
}

// The same seed gives the same trials and reasons, extension included;
// without Extend the search is the first 9 of them.
func TestExtendBayesDeterministic(t *testing.T) {
	useFitter(t, bowlFit(6, -1, -0.5))
	d := oneHot(3, 100)
	run := func(extend int) []GridCell {
		_, cells, err := Grid(context.Background(), d, d.Train.X, nil, extendBayesConfig("", extend))
		if err != nil {
			t.Fatal(err)
		}
		return cells
	}
	a, b, plain := run(3), run(3), run(0)
	if len(a) <= 9 {
		t.Fatalf("%d trials: no extension", len(a))
	}
	equalCells(t, "second run", b, a)
	equalCells(t, "without Extend", plain, a[:9])
	for i := range a {
		if a[i].Why != b[i].Why || (i < 9 && a[i].Why != plain[i].Why) {
			t.Errorf("trial %d why %q, then %q", i, a[i].Why, b[i].Why)
		}
	}
}

// A bayes search interrupted in its first extension step and resumed
// runs only the missing trials and equals the uninterrupted search,
// reasons included; its journal resumed with another Extend is refused.
func TestExtendBayesResumeMidway(t *testing.T) {
	d := oneHot(3, 100)
	cfg, want := resumeMidExtension(t, d, func(out string) GridConfig { return extendBayesConfig(out, 3) }, 11)
	refuseForeignJournal(t, d, cfg, want, "this search proposes")
}

// refuseForeignJournal checks that the finished journal of cfg (its cells
// want) is refused as another run's once it holds one more evaluation
// (the mismatch saying why), and when resumed with another Extend.
func refuseForeignJournal(t *testing.T, d *dataset.Dataset, cfg GridConfig, want []GridCell, why string) {
	t.Helper()
	extra := want[len(want)-1]
	extra.Index = len(want)
	line, err := results.EncodeCells([]GridCell{extra})
	if err != nil {
		t.Fatal(err)
	}
	jp := filepath.Join(cfg.Out, GridFile("sigmoid", "pixels"))
	before, err := os.ReadFile(jp)
	if err != nil {
		t.Fatal(err)
	}
	f, err := os.OpenFile(jp, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	f.Write(line)
	f.Close()
	// The error names the extra cell and its line (it named neither).
	where := fmt.Sprintf("%s:%d ", jp, bytes.Count(before, []byte("\n"))+1)
	var me *MismatchError
	if _, _, err := Grid(context.Background(), d, d.Train.X, nil, cfg); !errors.As(err, &me) || !strings.Contains(me.Why, why) ||
		!strings.Contains(err.Error(), where) || !strings.Contains(me.Why, fmt.Sprintf("cell %d (", extra.Index)) {
		t.Errorf("resume of a journal with an extra evaluation: %v, want it to name %s and cell %d", err, where, extra.Index)
	}
	cfg.Extend = 1
	if _, _, err := Grid(context.Background(), d, d.Train.X, nil, cfg); !errors.As(err, &me) || !strings.Contains(me.Why, "extend") {
		t.Errorf("resume with another Extend: %v", err)
	}
}

// An extension step's budget is the search's share of the cells it
// added, at least a batch, at most all of them.
func TestStepTrials(t *testing.T) {
	for _, tc := range []struct{ cells, trials, lattice, batch, want int }{
		{12, 9, 36, 2, 3},   // a quarter of 12
		{9, 9, 36, 2, 3},    // 2.25, rounded up
		{9, 9, 36, 4, 4},    // at least a batch
		{3, 9, 36, 4, 3},    // at most the cells added
		{12, 36, 36, 2, 12}, // the whole lattice: every added cell, as a grid
	} {
		if got := stepTrials(tc.cells, tc.trials, tc.lattice, tc.batch); got != tc.want {
			t.Errorf("stepTrials(%d, %d, %d, %d) = %d, want %d", tc.cells, tc.trials, tc.lattice, tc.batch, got, tc.want)
		}
	}
}

// extendRandomConfig is a random search of 12 draws on oneHot(3, 100)
// under bowlFit(6, -1, -0.5): α and c are lists (drawn among their
// values), C is 2^0:2^3:1 (drawn log-uniformly in [1, 8]), the optimum at
// C = 64 three octaves past it.
func extendRandomConfig(t *testing.T, out string, extend int) GridConfig {
	c, err := ParseRange("2^0:2^3:1")
	if err != nil {
		t.Fatal(err)
	}
	return GridConfig{Kernel: "sigmoid", Features: "pixels", Search: "random", Trials: 12, Workers: 2,
		Alpha: Values(0.25, 0.5, 1), Coef0: Values(-1, -0.5, 0), C: c,
		Folds: 3, Seed: 5, Out: out, NoRetrain: true, MemBytes: 1 << 28, Extend: extend}
}

// A random search whose best draw is within half a step of C's upper edge
// extends C a step at a time, drawing its share of each step (12 of 36
// cells: a quarter, 3 of the first step's 9) in the octave the step added
// (and α's, when a step takes α too), and finds better cells there; the
// draws journal why, the same seed draws the same, and the journal reads
// back (ForeignCell, steps, merge).
func TestExtendRandomBeyondC(t *testing.T) {
	useFitter(t, bowlFit(6, -1, -0.5))
	d := oneHot(3, 100)
	tmp := t.TempDir()
	cfg := extendRandomConfig(t, filepath.Join(tmp, "a"), 3)
	_, cells, err := Grid(context.Background(), d, d.Train.X, nil, cfg)
	if err != nil {
		t.Fatal(err)
	}
	base, _ := BestCell(cells[:12])
	best, _ := BestCell(cells)
	if base.C < math.Sqrt(32) || best.C <= 32 || best.CVAccuracy <= base.CVAccuracy {
		t.Fatalf("base best C = %g (%.3f), best C = %g (%.3f); want a base best within half an octave of 8 and a better best past 32",
			base.C, base.CVAccuracy, best.C, best.CVAccuracy)
	}
	draw := regexp.MustCompile(`^extend: best .*; step \d of 3; draw \d+ of \d+$`)
	step1 := 0
	for _, c := range cells[12:] {
		if !draw.MatchString(c.Why) || c.C > 64 {
			t.Errorf("draw %d: C = %g, why %q", c.Index, c.C, c.Why)
		}
		if strings.HasPrefix(c.Why, "extend: best C=8 on the upper edge; step 1 of 3; draw ") {
			step1++
			if c.C <= 8 || c.C > 16 {
				t.Errorf("draw %d of the step to C = 16 has C = %g", c.Index, c.C)
			}
		}
	}
	if step1 != 3 {
		t.Errorf("%d draws for the first step, want 3 (a quarter of its 9 cells, rounded up)", step1)
	}
	// C = 100 is past the third step (64); α = 0.3 is not one of α's
	// values (a list: drawn among them) nor a step beyond.
	var foreign []GridCell
	for _, v := range []struct{ alpha, c float64 }{{0.5, 100}, {0.3, 20}} {
		f := cells[len(cells)-1]
		f.Alpha, f.C = v.alpha, v.c
		foreign = append(foreign, f)
	}
	readBackExtended(t, cfg.Out, filepath.Join(tmp, "merged"), cells, foreign...)
	cfg.Out = ""
	_, again, err := Grid(context.Background(), d, d.Train.X, nil, cfg)
	if err != nil {
		t.Fatal(err)
	}
	equalCells(t, "second run", again, cells)
}

// A random search interrupted in its second extension step and resumed
// runs only the missing draws and equals the uninterrupted search.
func TestExtendRandomResumeMidway(t *testing.T) {
	resumeMidExtension(t, oneHot(3, 100), func(out string) GridConfig { return extendRandomConfig(t, out, 3) }, 16)
}

// resumeMidExtension runs the search mk(out) whole, then again cancelled
// after cut trials (one worker) and resumed, and checks that the resumed
// run fits only the missing trials and equals the whole one, reasons
// included. It returns the resumed run's config and the whole run's
// cells.
func resumeMidExtension(t *testing.T, d *dataset.Dataset, mk func(out string) GridConfig, cut int) (GridConfig, []GridCell) {
	t.Helper()
	useFitter(t, bowlFit(6, -1, -0.5))
	tmp := t.TempDir()
	_, want, err := Grid(context.Background(), d, d.Train.X, nil, mk(filepath.Join(tmp, "whole")))
	if err != nil {
		t.Fatal(err)
	}
	cfg := mk(filepath.Join(tmp, "cut"))
	cfg.Workers = 1
	ctx := cancelAfter(&cfg, int64(cut*cfg.Folds))
	if _, part, err := Grid(ctx, d, d.Train.X, nil, cfg); !errors.Is(err, context.Canceled) || len(part) != cut || len(want) <= cut+1 {
		t.Fatalf("interrupted: %d trials of %d, %v; want %d and context.Canceled", len(part), len(want), err, cut)
	}
	fits := countFits(t, bowlFit(6, -1, -0.5))
	cfg.Progress, cfg.Resume = nil, true
	_, got, err := Grid(context.Background(), d, d.Train.X, nil, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if int(fits.Load()) != (len(want)-cut)*cfg.Folds {
		t.Errorf("resume ran %d fits, want %d (trials %d to %d)", int(fits.Load()), (len(want)-cut)*cfg.Folds, cut, len(want)-1)
	}
	equalCells(t, "resumed", got, want)
	for i := range got {
		if got[i].Why != want[i].Why {
			t.Errorf("trial %d why %q, want %q", i, got[i].Why, want[i].Why)
		}
	}
	return cfg, want
}

// TestExtendSearchesCIFAR measures range extension on 1000 CIFAR-10
// images (pixels, 3 folds) on two sigmoid grids of 4 α × 3 c × 3 C: the
// quick main job's (C = 1, 8, 64, Extend 2) and one whose C range stops
// far below the optimum (C = 1/32, 1/8, 1/2, Extend 3). For each, the
// whole grid with extension, then for search seeds 1…3 a bayes search and
// a random search of 9 trials with the same Extend on the same folds
// (their first 9 trials are the searches without extension). It logs
// each one's best CV accuracy, cells and fit seconds and the extension
// trials' reasons, and checks that every trial past the budget is an
// extension's.
//
//	CIFAR10_DIR=… go test ./bench -run TestExtendSearchesCIFAR -v
func TestExtendSearchesCIFAR(t *testing.T) {
	if os.Getenv("CIFAR10_DIR") == "" {
		t.Skip("CIFAR10_DIR not set")
	}
	d, train, cfgs := extendCIFARGrids(t)
	for _, cfg := range cfgs {
		for i := range 6 {
			b := cfg
			b.Search, b.SearchSeed, b.Trials = []string{"bayes", "random"}[i/3], uint64(i%3+1), 9
			if b.Search == "bayes" {
				b.Batch = 2
			}
			_, cells, err := Grid(context.Background(), d, train, nil, b)
			if err != nil {
				t.Fatal(err)
			}
			base, _ := BestCell(cells[:9])
			best, _ := BestCell(cells)
			t.Logf("  %s seed %d: 9 trials best %s %.2f%% (%.1f s); extended: %d trials, best %s %.2f%% (%.1f s)", b.Search, b.SearchSeed,
				ParamString(base), 100*base.CVAccuracy, cellSeconds(cells[:9]), len(cells), ParamString(best), 100*best.CVAccuracy, cellSeconds(cells))
			for _, c := range cells[9:] {
				t.Logf("    trial %d %s %.2f%%: %s", c.Index, ParamString(c), 100*c.CVAccuracy, c.Why)
				if !strings.HasPrefix(c.Why, "extend: best ") {
					t.Errorf("trial %d past the budget: why %q", c.Index, c.Why)
				}
			}
		}
	}
}

// extendCIFARGrids are the two grids the CIFAR-10 measurements of range
// extension share (1000 images, pixels, 3 folds, 4 α × 3 c × 3 C): C = 1,
// 8, 64 with Extend 2 (the quick main job's) and C = 1/32, 1/8, 1/2 with
// Extend 3 (far below the optimum). It runs each whole grid with its
// extension and logs its best before and after.
func extendCIFARGrids(t *testing.T) (*dataset.Dataset, *matrix.Matrix, []GridConfig) {
	t.Helper()
	d, train, _ := smallData(t, 100, 1)
	var cfgs []GridConfig
	for _, g := range []struct {
		cs     []float64
		extend int
	}{{[]float64{1, 8, 64}, 2}, {[]float64{1.0 / 32, 1.0 / 8, 1.0 / 2}, 3}} {
		cfg := GridConfig{Kernel: "sigmoid", Alpha: Values(1.0/32768, 1.0/8192, 1.0/2048, 1.0/512), Coef0: Values(-1, -0.5, 0),
			C: Values(g.cs...), Folds: 3, Seed: 1, NoRetrain: true, Extend: g.extend}
		_, grid, err := Grid(context.Background(), d, train, nil, cfg)
		if err != nil {
			t.Fatal(err)
		}
		lat, _ := BestCell(grid[:36])
		gb, _ := BestCell(grid)
		t.Logf("C %v, extend %d: grid: 36 cells, best %s %.2f%% (%.1f s); extended: %d cells, best %s %.2f%% (%.1f s)", g.cs, g.extend,
			ParamString(lat), 100*lat.CVAccuracy, cellSeconds(grid[:36]), len(grid), ParamString(gb), 100*gb.CVAccuracy, cellSeconds(grid))
		cfgs = append(cfgs, cfg)
	}
	return d, train, cfgs
}

// cellSeconds is the cells' fit seconds, summed.
func cellSeconds(cells []GridCell) (s float64) {
	for _, c := range cells {
		s += c.Seconds
	}
	return s
}

// countFits makes fit the grid's fitter for the test and counts its calls
// (atomically: the fitter runs on several goroutines).
func countFits(t *testing.T, fit func(context.Context, gramFit) (fitOut, error)) *atomic.Int64 {
	t.Helper()
	var fits atomic.Int64
	useFitter(t, func(ctx context.Context, a gramFit) (fitOut, error) {
		fits.Add(1)
		return fit(ctx, a)
	})
	return &fits
}

// A finished grid resumed with -extend and interrupted leaves no best file
// of the grid before: the journal grew past it, and the report refused
// the folder ("the best file names cell 2 but the journal's best is cell
// 4"). The best file goes with the first new journal line, and the
// finished resume writes the new one.
func TestResumeDropsStaleBest(t *testing.T) {
	useFitter(t, peakFit(5, 0, 0))
	d := oneHot(3, 30)
	cfg := extendGridConfig(filepath.Join(t.TempDir(), "g"), 0, 1, 2, 4)
	if _, _, err := Grid(context.Background(), d, d.Train.X, nil, cfg); err != nil {
		t.Fatal(err)
	}
	bpath := filepath.Join(cfg.Out, BestFile("sigmoid", "pixels"))
	if _, err := os.Stat(bpath); err != nil {
		t.Fatal(err)
	}
	cfg.Extend, cfg.Resume, cfg.Workers = 5, true, 1
	ctx := cancelAfter(&cfg, 4*3) // after the first extension step's cell
	if _, part, err := Grid(ctx, d, d.Train.X, nil, cfg); !errors.Is(err, context.Canceled) || len(part) != 4 {
		t.Fatalf("interrupted: %d cells, %v; want 4 and context.Canceled", len(part), err)
	}
	if _, err := os.Stat(bpath); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("the best file of the grid before its extension is still there (%v)", err)
	}
	cfg.Progress = nil
	best, cells, err := Grid(context.Background(), d, d.Train.X, nil, cfg)
	if err != nil {
		t.Fatal(err)
	}
	var b Best
	if err := ReadJSON(bpath, &b); err != nil || b.Cell.Index != best.Cell.Index || CheckBest(b, cells) != nil {
		t.Errorf("the finished resume's best file: %+v, %v", b.Cell, err)
	}
}
