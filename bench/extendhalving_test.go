package bench

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/svmbench/svmbench/results"
)

// extendHalvingConfig is a halving search over the 36 cells of
// extendBayesConfig on oneHot(3, 100) (300 images, 3 folds: the smallest
// rung at least 5·3·3 = 45 images, so two rungs, 36 cells on 100 images
// and 12 on 300) whose surface (bowlFit(6, -1, -0.5)) peaks at C = 64,
// three steps past C's upper edge 8. Each step adds 9 cells: a halving of
// its own on the same two rungs, 9 on 100 images and 3 on 300.
func extendHalvingConfig(out string, extend int) GridConfig {
	cfg := extendBayesConfig(out, extend)
	cfg.Search, cfg.Trials, cfg.Batch = "halving", 0, 0
	return cfg
}

// A halving search whose best cell on all images is on the upper edge of
// C extends C a step at a time, each step's 9 cells halved on the grid's
// rungs (their rung numbers and images, the step's survivors the best 3
// of its first rung), and reaches the optimum C = 64; every evaluation
// is journalled with its step and rung, and the journal reads back
// (ForeignCell, the extended steps, merge).
func TestExtendHalvingBeyondC(t *testing.T) {
	useFitter(t, bowlFit(6, -1, -0.5))
	d := oneHot(3, 100)
	tmp := t.TempDir()
	cfg := extendHalvingConfig(filepath.Join(tmp, "a"), 3)
	best, cells, err := Grid(context.Background(), d, d.Train.X, d.Test.X, cfg)
	if err != nil {
		t.Fatal(err)
	}
	base, _ := BestCell(cells[:48])
	if base.C != 8 || base.Rung != 2 {
		t.Fatalf("the best of the search's 48 evaluations: %s on rung %d; the test wants C = 8 on rung 2", ParamString(base), base.Rung)
	}
	if len(cells) != 48+3*12 || best.Cell.C != 64 || best.Cell.Rung != 2 || best.GridCells != len(cells) {
		t.Fatalf("%d evaluations, best %s on rung %d of %d; want 84, C = 64 on rung 2", len(cells), ParamString(best.Cell), best.Cell.Rung, best.GridCells)
	}
	why := regexp.MustCompile(`^extend: best C=(8|16|32) on the upper edge; step ([123]) of 3; rung ([12]) of 2: n=(100|300), (every cell of the step|survivor of rung 1 \(rank [123] of 9\))$`)
	for s := range 3 {
		step := cells[48+12*s : 48+12*(s+1)]
		wantC := 16 << s
		for i, c := range step {
			m := why.FindStringSubmatch(c.Why)
			rung := 1 + i/9
			switch {
			case c.Index != 48+12*s+i || c.C != float64(wantC):
				t.Errorf("step %d evaluation %d: index %d, C = %g", s+1, i, c.Index, c.C)
			case m == nil || m[2] != string(rune('1'+s)) || m[3] != string(rune('0'+rung)):
				t.Errorf("step %d evaluation %d: why %q", s+1, i, c.Why)
			case c.Rung != rung || c.RungN != []int{100, 300}[rung-1]:
				t.Errorf("step %d evaluation %d: rung %d, n = %d", s+1, i, c.Rung, c.RungN)
			}
		}
		// The step's survivors are the best 3 of its first rung.
		first := slices.Clone(step[:9])
		slices.SortFunc(first, func(a, b GridCell) int {
			if results.Better(a, b) {
				return -1
			}
			return 1
		})
		for _, w := range first[:3] {
			if !slices.ContainsFunc(step[9:], func(c GridCell) bool { return sameParams(c, w) }) {
				t.Errorf("step %d: %s, of the best 3 of its first rung, did not go on", s+1, ParamString(w))
			}
		}
	}

	foreign := cells[len(cells)-1]
	foreign.C = 24
	late := cells[len(cells)-1]
	// Extend 3 admits 9 α × 6 c × 10 C values, 504 cells past the 36,
	// each evaluated at most 4 times (results.ForeignCell).
	late.Index = 48 + 4*(9*6*10-36)
	if sum := readBackExtended(t, cfg.Out, filepath.Join(tmp, "merged"), cells, foreign, late); sum.Best == nil || sum.Best.C != 64 {
		t.Fatalf("merge: best %+v, want C = 64", sum.Best)
	}
}

// The same seed gives the same evaluations and reasons, extension
// included; without Extend the search is the first 48 of them.
func TestExtendHalvingDeterministic(t *testing.T) {
	useFitter(t, bowlFit(6, -1, -0.5))
	d := oneHot(3, 100)
	run := func(extend int) []GridCell {
		cfg := extendHalvingConfig("", extend)
		_, cells, err := Grid(context.Background(), d, d.Train.X, nil, cfg)
		if err != nil {
			t.Fatal(err)
		}
		return cells
	}
	a, b, plain := run(3), run(3), run(0)
	if len(a) <= 48 || len(plain) != 48 {
		t.Fatalf("%d and %d evaluations", len(a), len(plain))
	}
	equalCells(t, "second run", b, a)
	equalCells(t, "without Extend", plain, a[:48])
	for i := range a {
		if a[i].Why != b[i].Why || a[i].Rung != b[i].Rung || (i < 48 && a[i].Why != plain[i].Why) {
			t.Errorf("evaluation %d why %q, then %q", i, a[i].Why, b[i].Why)
		}
	}
}

// A halving search interrupted in an extension step (in its first rung,
// in its last) and resumed runs only the missing evaluations and equals
// the uninterrupted search; a journal holding an evaluation past those
// the extension makes, or resumed with another Extend, is refused.
func TestExtendHalvingResumeMidway(t *testing.T) {
	d := oneHot(3, 100)
	mk := func(out string) GridConfig { return extendHalvingConfig(out, 3) }
	resumeMidExtension(t, d, mk, 48+12+5) // step 2, its first rung
	cfg, want := resumeMidExtension(t, d, mk, 48+12+10)
	refuseForeignJournal(t, d, cfg, want, "this extension evaluates")
}

// A grid run as 2 shards without Extend, merged, and resumed with Extend
// extends the merged grid: the cells, reasons and best of an unsharded
// run with Extend, fitting only the extension's cells. A shard with
// Extend is refused, saying what to do instead, and the extended folder
// resumed without Extend is refused.
func TestExtendMergedShards(t *testing.T) {
	useFitter(t, bowlFit(6, -1, -0.5))
	d := oneHot(3, 100)
	tmp := t.TempDir()
	mk := func(out string, extend int) GridConfig {
		cfg := extendBayesConfig(out, extend)
		cfg.Search, cfg.Trials, cfg.Batch = "", 0, 0
		return cfg
	}
	wantBest, want, err := Grid(context.Background(), d, d.Train.X, d.Test.X, mk(filepath.Join(tmp, "whole"), 2))
	if err != nil {
		t.Fatal(err)
	}
	var dirs []string
	for i := range 2 {
		cfg := mk(filepath.Join(tmp, "shard", string(rune('0'+i))), 2)
		cfg.Shard, cfg.Shards = i, 2
		if err := cfg.Validate(); err == nil || !strings.Contains(err.Error(), "merge") {
			t.Errorf("a shard with Extend: %v, want an error saying to merge", err)
		}
		cfg.Extend = 0
		if _, _, err := Grid(context.Background(), d, d.Train.X, nil, cfg); err != nil {
			t.Fatal(err)
		}
		dirs = append(dirs, cfg.Out)
	}
	merged := filepath.Join(tmp, "merged")
	if _, err := Merge(context.Background(), dirs, merged); err != nil {
		t.Fatal(err)
	}
	fits := countFits(t, bowlFit(6, -1, -0.5))
	cfg := mk(merged, 2)
	cfg.Resume = true
	best, got, err := Grid(context.Background(), d, d.Train.X, d.Test.X, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if len(want) <= 36 || int(fits.Load()) != (len(want)-36)*cfg.Folds {
		t.Errorf("%d cells; the resumed merge ran %d fits, want %d (the extension's)", len(want), int(fits.Load()), (len(want)-36)*cfg.Folds)
	}
	equalCells(t, "merged and extended", got, want)
	for i := range got {
		if got[i].Why != want[i].Why {
			t.Errorf("cell %d why %q, want %q", i, got[i].Why, want[i].Why)
		}
	}
	if best.Cell.Index != wantBest.Cell.Index || !results.SameSetting(best.Cell, wantBest.Cell) || best.GridCells != wantBest.GridCells || best.TestAccuracy != wantBest.TestAccuracy {
		t.Errorf("best %+v, want %+v", best, wantBest)
	}
	cfg.Extend = 0
	var me *MismatchError
	if _, _, err := Grid(context.Background(), d, d.Train.X, nil, cfg); !errors.As(err, &me) || !strings.Contains(me.Why, "extend") {
		t.Errorf("the extended folder resumed without Extend: %v", err)
	}
}

// TestExtendHalvingCIFAR measures halving with range extension on the two
// grids of TestExtendSearchesCIFAR (1000 CIFAR-10 images, pixels, 3
// folds, 4 α × 3 c × 3 C; C = 1, 8, 64 with Extend 2 and C = 1/32, 1/8,
// 1/2 with Extend 3), side by side with the whole grid extended: for
// search seeds 1…3, the halving search's best on all images, then the
// extended search's, their evaluations and fit seconds, and each step's
// reason. Every evaluation past the search's must be an extension's.
//
//	CIFAR10_DIR=… go test ./bench -run TestExtendHalvingCIFAR -v
func TestExtendHalvingCIFAR(t *testing.T) {
	if os.Getenv("CIFAR10_DIR") == "" {
		t.Skip("CIFAR10_DIR not set")
	}
	d, train, cfgs := extendCIFARGrids(t)
	for _, cfg := range cfgs {
		for seed := uint64(1); seed <= 3; seed++ {
			h := cfg
			h.Search, h.SearchSeed = "halving", seed
			_, cells, err := Grid(context.Background(), d, train, nil, h)
			if err != nil {
				t.Fatal(err)
			}
			n := 36 + 12 // 1000 images, 3 folds: 36 cells on 333, 12 on 1000
			base, _ := BestCell(cells[:n])
			best, _ := BestCell(cells)
			t.Logf("  halving seed %d: %d evaluations, best %s %.2f%% (%.1f s); extended: %d evaluations, best %s %.2f%% (%.1f s)", seed, n,
				ParamString(base), 100*base.CVAccuracy, cellSeconds(cells[:n]), len(cells), ParamString(best), 100*best.CVAccuracy, cellSeconds(cells))
			why := ""
			for _, c := range cells[n:] {
				if !strings.HasPrefix(c.Why, "extend: best ") {
					t.Errorf("evaluation %d past the search: why %q", c.Index, c.Why)
				}
				if step := c.Why[:strings.LastIndex(c.Why, "; rung ")]; step != why {
					why = step
					t.Logf("    from evaluation %d: %s", c.Index, why)
				}
				if c.Rung == 2 {
					t.Logf("      %s on all images: %.2f%%", ParamString(c), 100*c.CVAccuracy)
				}
			}
		}
	}
}

// A halving journal written without Extend, resumed with it, is extended:
// the search's 48 evaluations are taken from the journal, only the
// extension's are fitted, and the result is the run with Extend.
func TestExtendHalvingAfterPlain(t *testing.T) {
	useFitter(t, bowlFit(6, -1, -0.5))
	d := oneHot(3, 100)
	_, want, err := Grid(context.Background(), d, d.Train.X, nil, extendHalvingConfig("", 3))
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "h")
	if _, _, err := Grid(context.Background(), d, d.Train.X, nil, extendHalvingConfig(out, 0)); err != nil {
		t.Fatal(err)
	}
	fits := countFits(t, bowlFit(6, -1, -0.5))
	cfg := extendHalvingConfig(out, 3)
	cfg.Resume = true
	_, got, err := Grid(context.Background(), d, d.Train.X, nil, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if int(fits.Load()) != (len(want)-48)*cfg.Folds {
		t.Errorf("%d fits, want %d (the extension's)", int(fits.Load()), (len(want)-48)*cfg.Folds)
	}
	equalCells(t, "extended on resume", got, want)
	for i := range got {
		if got[i].Why != want[i].Why || got[i].Rung != want[i].Rung {
			t.Errorf("evaluation %d: why %q, want %q", i, got[i].Why, want[i].Why)
		}
	}
}
