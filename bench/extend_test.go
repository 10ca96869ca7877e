package bench

import (
	"context"
	"errors"
	"math"
	"path/filepath"
	"slices"
	"strings"
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
	if err != nil || sums[0].Cells != 7 || sums[0].Best.C != 32 {
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
	var fits int
	useFitter(t, func(ctx context.Context, a gramFit) (fitOut, error) {
		fits++
		return peakFit(5, 0, 0)(ctx, a)
	})
	cfg.Progress, cfg.Resume = nil, true
	_, got, err := Grid(context.Background(), d, d.Train.X, nil, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if fits != 2*3 {
		t.Errorf("resume ran %d fits, want 6 (cells 5 and 6)", fits)
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
		{Extend: 2, Search: "random"},
		{Extend: 2, Shard: 0, Shards: 2},
	} {
		if err := c.Validate(); err == nil || !strings.Contains(err.Error(), "Extend") {
			t.Errorf("%+v: %v, want an error naming Extend", c, err)
		}
	}
}
