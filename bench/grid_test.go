package bench

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/svmbench/svmbench/dataset"
	"github.com/svmbench/svmbench/matrix"
	"github.com/svmbench/svmbench/results"
)

func TestParseRange(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want []float64
		kind RangeKind
	}{
		{"-1,-0.5,0", []float64{-1, -0.5, 0}, List},
		{"10", []float64{10}, List},
		{"2^-3, 2^1", []float64{0.125, 2}, List},
		{"-2:0:0.5", []float64{-2, -1.5, -1, -0.5, 0}, Linear},
		{"0:1:0.1", []float64{0, 0.1, 0.2, 0.30000000000000004, 0.4, 0.5, 0.6000000000000001, 0.7000000000000001, 0.8, 0.9, 1}, Linear},
		{"1:0:-0.25", []float64{1, 0.75, 0.5, 0.25, 0}, Linear},
		{"0:1:0.3", []float64{0, 0.3, 0.6, 0.8999999999999999}, Linear},
		{"2^-15:2^-5:2", []float64{math.Exp2(-15), math.Exp2(-13), math.Exp2(-11), math.Exp2(-9), math.Exp2(-7), math.Exp2(-5)}, Pow2},
		{"2^3:2^-15:-2", []float64{8, 2, 0.5, 0.125, 1.0 / 32, 1.0 / 128, 1.0 / 512, 1.0 / 2048, 1.0 / 8192, 1.0 / 32768}, Pow2},
		{"2^-1:2^7:2", []float64{0.5, 2, 8, 32, 128}, Pow2},
	} {
		r, err := ParseRange(tc.in)
		if err != nil {
			t.Errorf("ParseRange(%q): %v", tc.in, err)
			continue
		}
		if r.Kind != tc.kind || !slices.Equal(r.Values, tc.want) {
			t.Errorf("ParseRange(%q) = %v %v, want %v %v", tc.in, r.Kind, r.Values, tc.kind, tc.want)
		}
	}
	for _, bad := range []string{"", "a", "1,,2", "1:2", "1:2:0", "0:1:-1", "2^1:4:1", "2^x:2^3:1", "0:1:1e-9", "1:2:3:4", "NaN", "Inf,1"} {
		if _, err := ParseRange(bad); err == nil {
			t.Errorf("ParseRange(%q) succeeded, want an error", bad)
		} else if !strings.HasPrefix(err.Error(), "bench: ") {
			t.Errorf("ParseRange(%q) error %q lacks the package prefix", bad, err)
		}
	}
}

func TestParseShard(t *testing.T) {
	if i, n, err := ParseShard("2/5"); err != nil || i != 2 || n != 5 {
		t.Errorf("ParseShard(2/5) = %d, %d, %v", i, n, err)
	}
	for _, bad := range []string{"5/5", "-1/3", "1", "a/b", "0/0"} {
		if _, _, err := ParseShard(bad); err == nil {
			t.Errorf("ParseShard(%q) succeeded", bad)
		}
	}
}

func TestCellOrder(t *testing.T) {
	cfg := GridConfig{Kernel: "sigmoid", Alpha: Values(1, 2), Coef0: Values(-1, 0), C: Values(10, 100)}
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	cells := cfg.Cells()
	want := [][3]float64{{1, -1, 10}, {1, -1, 100}, {1, 0, 10}, {1, 0, 100}, {2, -1, 10}, {2, -1, 100}, {2, 0, 10}, {2, 0, 100}}
	if len(cells) != len(want) {
		t.Fatalf("%d cells, want %d", len(cells), len(want))
	}
	for i, c := range cells {
		if c.Index != i || c.Alpha != want[i][0] || c.Coef0 != want[i][1] || c.C != want[i][2] || c.Folds != 5 || c.Features != "pixels" {
			t.Errorf("cell %d = %+v, want α, c, C = %v", i, c, want[i])
		}
	}
	sh := ShardCells(cells, 1, 3)
	if len(sh) != 3 || sh[0].Index != 1 || sh[1].Index != 4 || sh[2].Index != 7 {
		t.Errorf("shard 1/3 = %v", sh)
	}

	def := GridConfig{}
	if err := def.Validate(); err != nil {
		t.Fatal(err)
	}
	if n := len(def.Cells()); n != 6*5*5 {
		t.Errorf("default sigmoid grid has %d cells, want 150", n)
	}
	rbf := GridConfig{Kernel: "rbf"}
	if err := rbf.Validate(); err != nil {
		t.Fatal(err)
	}
	if n := len(rbf.Cells()); n != 10*11 {
		t.Errorf("default rbf grid has %d cells, want 110 (grid.py's)", n)
	}
	bad := GridConfig{Kernel: "rbf", Alpha: Values(1)}
	if err := bad.Validate(); err == nil {
		t.Error("rbf grid with alpha values accepted")
	}
}

func TestRandomSearch(t *testing.T) {
	mk := func(seed uint64) []GridCell {
		a, _ := ParseRange("2^-15:2^-5:2")
		c0, _ := ParseRange("-2:0:0.5")
		cfg := GridConfig{Search: "random", Trials: 50, Seed: seed, Alpha: a, Coef0: c0, C: Values(1, 10)}
		if err := cfg.Validate(); err != nil {
			t.Fatal(err)
		}
		return cfg.Cells()
	}
	x, y, z := mk(1), mk(1), mk(2)
	if len(x) != 50 || !slices.EqualFunc(x, y, results.SameSetting) {
		t.Fatal("random search not repeatable for one seed")
	}
	if results.SameSetting(x[0], z[0]) {
		t.Error("different seeds gave the same first cell")
	}
	var lowAlpha, seenC1, seenC10 bool
	for i, c := range x {
		if c.Index != i || c.Alpha < math.Exp2(-15) || c.Alpha > math.Exp2(-5) || c.Coef0 < -2 || c.Coef0 > 0 || (c.C != 1 && c.C != 10) {
			t.Errorf("cell %+v out of range", c)
		}
		lowAlpha = lowAlpha || c.Alpha < math.Exp2(-12)
		seenC1 = seenC1 || c.C == 1
		seenC10 = seenC10 || c.C == 10
	}
	// Log-uniform: about 30% of 50 draws fall below 2^-12; uniform would give ~0.
	if !lowAlpha || !seenC1 || !seenC10 {
		t.Errorf("random search does not cover the ranges: low α %v, C=1 %v, C=10 %v", lowAlpha, seenC1, seenC10)
	}
}

// TestRandomSearchLists: over ranges that are all lists a random search
// draws distinct cells of the grid (a cell drawn twice would be fitted
// twice for the same result: the main job's -search random drew 20 of 36
// sigmoid cells with 5 repeats), repeatably for a seed, and a budget
// above the grid's cells is cut to them: every cell once, in draw order.
func TestRandomSearchLists(t *testing.T) {
	mk := func(seed uint64, trials int) (GridConfig, []GridCell) {
		cfg := GridConfig{Search: "random", Trials: trials, Seed: seed,
			Alpha: Values(0.25, 0.5, 1), Coef0: Values(-1, -0.5, 0), C: Values(1, 8, 64, 512)}
		if err := cfg.Validate(); err != nil {
			t.Fatal(err)
		}
		return cfg, cfg.Cells()
	}
	full := GridConfig{Alpha: Values(0.25, 0.5, 1), Coef0: Values(-1, -0.5, 0), C: Values(1, 8, 64, 512)}
	if err := full.Validate(); err != nil {
		t.Fatal(err)
	}
	grid := full.Cells()
	key := func(c GridCell) string { return ParamString(c) }
	inGrid := map[string]bool{}
	for _, c := range grid {
		inGrid[key(c)] = true
	}
	distinct := func(name string, cells []GridCell) {
		t.Helper()
		seen := map[string]bool{}
		for i, c := range cells {
			if c.Index != i || !inGrid[key(c)] || seen[key(c)] {
				t.Errorf("%s: draw %d (index %d) %s: in the grid %v, drawn before %v", name, i, c.Index, key(c), inGrid[key(c)], seen[key(c)])
			}
			seen[key(c)] = true
		}
	}
	for seed := uint64(1); seed <= 5; seed++ {
		_, x := mk(seed, 20)
		_, y := mk(seed, 20)
		if len(x) != 20 || !slices.EqualFunc(x, y, results.SameSetting) {
			t.Fatalf("seed %d: %d draws, repeatable %v", seed, len(x), slices.EqualFunc(x, y, results.SameSetting))
		}
		distinct(fmt.Sprintf("seed %d, 20 of 36", seed), x)
	}
	cfg, all := mk(1, 50)
	if cfg.Trials != 36 || len(all) != 36 {
		t.Fatalf("50 trials on a grid of 36 cells: Trials %d, %d draws; want 36", cfg.Trials, len(all))
	}
	distinct("50 of 36", all)
	if slices.EqualFunc(all, grid, results.SameSetting) {
		t.Error("every cell drawn, in the grid's order: not a random order")
	}
	if _, z := mk(2, 20); slices.EqualFunc(z, all[:20], results.SameSetting) {
		t.Error("seeds 1 and 2 drew the same cells")
	}
}

func TestBetterTieRules(t *testing.T) {
	base := GridCell{CVAccuracy: 0.5, C: 1, Alpha: 0.01, Coef0: -1, Index: 5}
	for _, tc := range []struct {
		name string
		a    GridCell
	}{
		{"higher accuracy", GridCell{CVAccuracy: 0.6, C: 100, Alpha: 1, Coef0: -2, Index: 9}},
		{"smaller C", GridCell{CVAccuracy: 0.5, C: 0.5, Alpha: 1, Coef0: -2, Index: 9}},
		{"smaller alpha", GridCell{CVAccuracy: 0.5, C: 1, Alpha: 0.001, Coef0: -2, Index: 9}},
		{"coef0 closer to 0", GridCell{CVAccuracy: 0.5, C: 1, Alpha: 0.01, Coef0: -0.5, Index: 9}},
		{"earlier", GridCell{CVAccuracy: 0.5, C: 1, Alpha: 0.01, Coef0: 1, Index: 2}},
	} {
		if !Better(tc.a, base) || Better(base, tc.a) {
			t.Errorf("%s: Better is wrong", tc.name)
		}
	}
	rbfA := GridCell{CVAccuracy: 0.5, C: 1, Gamma: 0.1, Index: 3}
	rbfB := GridCell{CVAccuracy: 0.5, C: 1, Gamma: 0.01, Index: 4}
	if !Better(rbfB, rbfA) {
		t.Error("smaller gamma does not win a tie")
	}
	cells := []GridCell{base, {CVAccuracy: 0.5, C: 1, Alpha: 0.01, Coef0: 1, Index: 2}, {CVAccuracy: 0.4, Index: 0}}
	if b, ok := BestCell(cells); !ok || b.Index != 2 {
		t.Errorf("BestCell = %+v", b)
	}
	if _, ok := BestCell(nil); ok {
		t.Error("BestCell of nothing")
	}
}

// blobs is a small data set: k Gaussian blobs in d dimensions, n a class.
func blobs(k, n, d int, seed uint64) *dataset.Dataset {
	rng := rand.New(rand.NewPCG(seed, 1))
	centres := make([][]float64, k)
	for c := range centres {
		centres[c] = make([]float64, d)
		for j := range centres[c] {
			centres[c][j] = rng.NormFloat64() * 1.2
		}
	}
	mk := func(per int) dataset.Split {
		x := matrix.New(k*per, d)
		y := make([]int, k*per)
		for i := range y {
			c := i % k
			y[i] = c
			for j := 0; j < d; j++ {
				x.Set(i, j, float32(centres[c][j]+rng.NormFloat64()))
			}
		}
		return dataset.Split{X: x, Y: y}
	}
	d0 := &dataset.Dataset{Source: "blobs", Train: mk(n), Test: mk(n / 2)}
	for c := 0; c < k; c++ {
		d0.Classes = append(d0.Classes, dataset.Class{Label: c, Name: string(rune('a' + c))})
	}
	return d0
}

// meanFit is a stand-in for the SVM in tests of the grid's mechanics: it
// predicts the class whose training samples have the largest mean kernel
// value with the sample. It is deterministic, fast and depends on every
// kernel parameter.
func meanFit(_ context.Context, a gramFit) (fitOut, error) {
	k, y, val, pred, c := a.gram, a.y, a.val, a.pred, a.c
	if k.Rows != len(y) || val.Cols != len(y) || len(pred) != val.Rows {
		return fitOut{}, errors.New("shape")
	}
	classes := map[int]int{}
	for _, l := range y {
		classes[l]++
	}
	for i := range pred {
		row := val.Row(i)
		sum := map[int]float64{}
		for j, l := range y {
			sum[l] += float64(row[j])
		}
		best, bv := -1, math.Inf(-1)
		for l := 0; l < 100; l++ {
			if n, ok := classes[l]; ok {
				// C shifts nothing, but is mixed in so cells differ.
				if v := sum[l]/float64(n) + 1e-9*c*float64(l); v > bv {
					best, bv = l, v
				}
			}
		}
		pred[i] = best
	}
	return fitOut{nsv: len(y) / 2, capped: c > 50}, nil
}

func useFitter(t *testing.T, f func(context.Context, gramFit) (fitOut, error)) {
	old := trainGram
	trainGram = f
	t.Cleanup(func() { trainGram = old })
}

func smallGrid(out string) GridConfig {
	return GridConfig{
		Kernel: "sigmoid", Features: "pixels",
		Alpha: Values(0.01, 0.1, 1), Coef0: Values(-1, 0), C: Values(1, 100),
		Folds: 3, Seed: 7, Out: out, NoRetrain: true, MemBytes: 1 << 28,
	}
}

func stripTimes(cells []GridCell) []GridCell {
	out := slices.Clone(cells)
	for i := range out {
		out[i].Seconds = 0
	}
	return out
}

func equalCells(t *testing.T, what string, got, want []GridCell) {
	t.Helper()
	got, want = stripTimes(got), stripTimes(want)
	if len(got) != len(want) {
		t.Fatalf("%s: %d cells, want %d", what, len(got), len(want))
	}
	for i := range got {
		g, w := got[i], want[i]
		if !results.SameSetting(g, w) || !slices.Equal(g.FoldAccuracy, w.FoldAccuracy) || g.CVAccuracy != w.CVAccuracy || g.NSV != w.NSV || g.Capped != w.Capped {
			t.Errorf("%s: cell %d = %+v, want %+v", what, i, g, w)
		}
	}
}

func TestShardsMergeEqualUnsharded(t *testing.T) {
	useFitter(t, meanFit)
	d := blobs(3, 30, 6, 1)
	tmp := t.TempDir()
	cfg := smallGrid(filepath.Join(tmp, "whole"))
	_, whole, err := Grid(context.Background(), d, d.Train.X, d.Test.X, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if len(whole) != 12 {
		t.Fatalf("%d cells, want 12", len(whole))
	}
	var dirs []string
	for i := 0; i < 3; i++ {
		c := smallGrid(filepath.Join(tmp, "shard", string(rune('0'+i))))
		c.Shard, c.Shards = i, 3
		best, cells, err := Grid(context.Background(), d, d.Train.X, nil, c)
		if err != nil {
			t.Fatal(err)
		}
		if best != nil || len(cells) != 4 {
			t.Fatalf("shard %d: best %v, %d cells", i, best, len(cells))
		}
		dirs = append(dirs, c.Out)
	}
	out := filepath.Join(tmp, "merged")
	sums, err := Merge(context.Background(), dirs, out)
	if err != nil {
		t.Fatal(err)
	}
	if len(sums) != 1 || len(sums[0].Cells) != 12 || len(sums[0].Missing) != 0 || sums[0].Sources != 3 {
		t.Fatalf("merge summary %+v", sums)
	}
	merged, torn, err := ReadCells(filepath.Join(out, GridFile("sigmoid", "pixels")))
	if err != nil || torn >= 0 {
		t.Fatal(err, torn)
	}
	equalCells(t, "merged", merged, whole)
	wb, _ := BestCell(whole)
	if sums[0].Best.Index != wb.Index {
		t.Errorf("merged best %d, unsharded best %d", sums[0].Best.Index, wb.Index)
	}

	// The merged folder resumes as a finished grid: nothing is recomputed.
	useFitter(t, func(context.Context, gramFit) (fitOut, error) {
		return fitOut{}, errors.New("a merged grid recomputed a cell")
	})
	c := smallGrid(out)
	c.Resume = true
	best, cells, err := Grid(context.Background(), d, d.Train.X, nil, c)
	if err != nil {
		t.Fatal(err)
	}
	if best == nil || best.Cell.Index != wb.Index || len(cells) != 12 {
		t.Errorf("resumed merged grid: best %+v, %d cells", best, len(cells))
	}
	if _, err := os.Stat(filepath.Join(out, BestFile("sigmoid", "pixels"))); err != nil {
		t.Error(err)
	}
}

func TestMergeRefusesMismatch(t *testing.T) {
	useFitter(t, meanFit)
	d := blobs(3, 30, 6, 1)
	other := blobs(3, 30, 6, 2)
	tmp := t.TempDir()
	run := func(name string, d *dataset.Dataset, mod func(*GridConfig)) string {
		c := smallGrid(filepath.Join(tmp, name))
		c.Shards = 2
		mod(&c)
		if _, _, err := Grid(context.Background(), d, d.Train.X, nil, c); err != nil {
			t.Fatal(err)
		}
		return c.Out
	}
	a := run("a", d, func(*GridConfig) {})
	b := run("b", other, func(c *GridConfig) { c.Shard = 1 })
	cdir := run("c", d, func(c *GridConfig) { c.Shard = 1; c.Seed = 8 })
	e := run("e", d, func(c *GridConfig) { c.Shard = 1; c.C = Values(1, 1000) })
	for _, bad := range []string{b, cdir, e} {
		var me *MismatchError
		if _, err := Merge(context.Background(), []string{a, bad}, filepath.Join(tmp, "out")); !errors.As(err, &me) {
			t.Errorf("merge of %s with %s: %v, want a MismatchError", a, bad, err)
		} else {
			t.Log(err)
		}
	}
	if _, err := Merge(context.Background(), []string{a, filepath.Join(tmp, "none")}, filepath.Join(tmp, "out")); err == nil {
		t.Error("merge of a folder without a grid succeeded")
	}

	// A run with -extend is another grid, whichever folder comes first:
	// the spec of a run without it omits "extend", and only the first
	// spec's fields were compared, so [a, x] merged 'more cells than the
	// grid' into a folder the report refused.
	x := run("x", d, func(c *GridConfig) { c.Shards = 0; c.Extend = 2 })
	for _, dirs := range [][]string{{a, x}, {x, a}} {
		var me *MismatchError
		if _, err := Merge(context.Background(), dirs, filepath.Join(tmp, "outx")); !errors.As(err, &me) || !strings.Contains(err.Error(), "extend") {
			t.Errorf("merge of %v: %v, want a MismatchError naming extend", dirs, err)
		}
	}

	// The same cell in two folders with other results is two runs that
	// disagree: refused naming both files, not the first folder's taken.
	dup := filepath.Join(tmp, "dup")
	if err := os.CopyFS(dup, os.DirFS(a)); err != nil {
		t.Fatal(err)
	}
	jp := filepath.Join(dup, GridFile("sigmoid", "pixels"))
	cells, _, err := ReadCells(jp)
	if err != nil {
		t.Fatal(err)
	}
	want0 := cells[0]
	cells[0].CVAccuracy, cells[0].FoldAccuracy = 0.99, []float64{0.99, 0.99, 0.99}
	if err := results.WriteCells(jp, cells); err != nil {
		t.Fatal(err)
	}
	for _, dirs := range [][]string{{a, dup}, {dup, a}} {
		_, err := Merge(context.Background(), dirs, filepath.Join(tmp, "outd"))
		if err == nil || !strings.Contains(err.Error(), filepath.Join("a", GridFile("sigmoid", "pixels"))) || !strings.Contains(err.Error(), filepath.Join("dup", GridFile("sigmoid", "pixels"))) {
			t.Errorf("merge of %v, cell %d with other results: %v, want an error naming both files", dirs, cells[0].Index, err)
		}
	}
	// The same results twice (a folder listed twice) merge as one.
	if _, err := Merge(context.Background(), []string{a, a}, filepath.Join(tmp, "outa")); err != nil {
		t.Errorf("merge of a folder with itself: %v", err)
	}
	// A torn last line is left out, and the summary says so.
	jb, err := os.ReadFile(filepath.Join(a, GridFile("sigmoid", "pixels")))
	if err != nil {
		t.Fatal(err)
	}
	torn := filepath.Join(tmp, "torn")
	if err := os.CopyFS(torn, os.DirFS(a)); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(torn, GridFile("sigmoid", "pixels")), jb[:len(jb)-10], 0o644); err != nil {
		t.Fatal(err)
	}
	sums, err := Merge(context.Background(), []string{torn}, filepath.Join(tmp, "outt"))
	if err != nil || len(sums) != 1 || len(sums[0].Dropped) != 1 || !strings.Contains(sums[0].Dropped[0], GridFile("sigmoid", "pixels")+":") {
		t.Errorf("merge of a journal with a torn last line: %v, summary %+v", err, sums)
	}
	// A rung in a grid's journal (results.ForeignCell's rung check) is
	// refused naming the line.
	cells[0].CVAccuracy, cells[0].FoldAccuracy = want0.CVAccuracy, want0.FoldAccuracy
	cells[1].Rung, cells[1].RungN = 2, 10
	if err := results.WriteCells(jp, cells); err != nil {
		t.Fatal(err)
	}
	if _, err := Merge(context.Background(), []string{dup}, filepath.Join(tmp, "outr")); err == nil || !strings.Contains(err.Error(), jp+":2") || !strings.Contains(err.Error(), "rung 2") {
		t.Errorf("merge of a grid journal with a rung: %v", err)
	}
}

// cancelAfter sets cfg's Progress to cancel the returned context once
// stop fits are done: an interrupt at a known point of the search.
func cancelAfter(cfg *GridConfig, stop int64) context.Context {
	ctx, cancel := context.WithCancel(context.Background())
	cfg.Progress = func(done, total int64) {
		if done >= stop {
			cancel()
		}
	}
	return ctx
}

func TestResumeAfterInterrupt(t *testing.T) {
	useFitter(t, meanFit)
	d := blobs(3, 30, 6, 3)
	tmp := t.TempDir()
	full := smallGrid(filepath.Join(tmp, "full"))
	_, want, err := Grid(context.Background(), d, d.Train.X, nil, full)
	if err != nil {
		t.Fatal(err)
	}

	cfg := smallGrid(filepath.Join(tmp, "cut"))
	cfg.Workers = 1
	ctx := cancelAfter(&cfg, 14) // cancel in the middle of the fifth cell
	_, part, err := Grid(ctx, d, d.Train.X, nil, cfg)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("interrupted grid returned %v", err)
	}
	if len(part) == 0 || len(part) >= 12 {
		t.Fatalf("interrupted grid kept %d cells", len(part))
	}
	onDisk, _, err := ReadCells(filepath.Join(cfg.Out, GridFile("sigmoid", "pixels")))
	if err != nil || len(onDisk) != len(part) {
		t.Fatalf("journal holds %d cells, returned %d (%v)", len(onDisk), len(part), err)
	}

	// Without -resume the journal is not overwritten.
	cfg.Progress = nil
	if _, _, err := Grid(context.Background(), d, d.Train.X, nil, cfg); !errors.Is(err, ErrExists) {
		t.Fatalf("a second run without Resume: %v, want ErrExists", err)
	}
	var fits int
	useFitter(t, func(ctx context.Context, a gramFit) (fitOut, error) {
		fits++
		return meanFit(ctx, a)
	})
	cfg.Resume = true
	_, got, err := Grid(context.Background(), d, d.Train.X, nil, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if wantFits := (12 - len(part)) * 3; fits != wantFits {
		t.Errorf("resume ran %d fits, want %d", fits, wantFits)
	}
	equalCells(t, "resumed", got, want)
	final, _, _ := ReadCells(filepath.Join(cfg.Out, GridFile("sigmoid", "pixels")))
	slices.SortFunc(final, func(a, b GridCell) int { return a.Index - b.Index })
	equalCells(t, "journal after resume", final, want)

	// Resuming with other settings is refused.
	cfg.Seed = 99
	var me *MismatchError
	if _, _, err := Grid(context.Background(), d, d.Train.X, nil, cfg); !errors.As(err, &me) || !strings.Contains(me.Why, "seed") {
		t.Errorf("resume with another seed: %v", err)
	} else if strings.Count(err.Error(), "bench:") != 1 {
		t.Errorf("resume with another seed: %q: want the package named once", err)
	}
}

// A journalled cell that is not the one a search makes at its index is
// refused with one package prefix and the word resume, as every other
// mismatch on resume is.
func TestSplitJournalMismatchMessage(t *testing.T) {
	cfg := &GridConfig{Kernel: "sigmoid", Features: "pixels", Out: t.TempDir()}
	cells := []GridCell{{Index: 0}, {Index: 1}}
	done := map[int]GridCell{0: {Index: 0}}
	_, _, err := splitJournal(cfg, cells, done, func(dc, c GridCell) string { return "trial 0 differs" })
	var me *MismatchError
	if !errors.As(err, &me) || me.Why != "trial 0 differs" {
		t.Fatalf("splitJournal: %v, want a MismatchError", err)
	}
	if msg := err.Error(); !strings.HasPrefix(msg, "bench: cannot resume: ") || strings.Count(msg, "bench:") != 1 {
		t.Errorf("splitJournal: %q: want \"bench: cannot resume: \" once", msg)
	}
}

func TestTornLastLine(t *testing.T) {
	useFitter(t, meanFit)
	d := blobs(3, 30, 6, 4)
	tmp := t.TempDir()
	cfg := smallGrid(filepath.Join(tmp, "g"))
	_, want, err := Grid(context.Background(), d, d.Train.X, nil, cfg)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(cfg.Out, GridFile("sigmoid", "pixels"))
	data, _ := os.ReadFile(path)
	lines := strings.SplitAfter(string(data), "\n")
	// Keep five whole lines and half of the sixth, as a crash mid-write would.
	cut := strings.Join(lines[:5], "") + lines[5][:len(lines[5])/2]
	if err := os.WriteFile(path, []byte(cut), 0o644); err != nil {
		t.Fatal(err)
	}
	cells, torn, err := ReadCells(path)
	if err != nil || len(cells) != 5 || torn != int64(len(strings.Join(lines[:5], ""))) {
		t.Fatalf("ReadCells of a torn journal: %d cells, torn at %d, %v", len(cells), torn, err)
	}
	cfg.Resume = true
	var logged strings.Builder
	cfg.Log = func(format string, args ...any) { fmt.Fprintf(&logged, format+"\n", args...) }
	_, got, err := Grid(context.Background(), d, d.Train.X, nil, cfg)
	if err != nil {
		t.Fatal(err)
	}
	equalCells(t, "after torn line", got, want)
	// The drop is said, with the file and line (it was silent).
	if !strings.Contains(logged.String(), "dropped the torn last line 6 of "+path) {
		t.Errorf("resume log %q does not say it dropped line 6", logged.String())
	}
	again, torn, err := ReadCells(path)
	if err != nil || torn >= 0 || len(again) != 12 {
		t.Errorf("journal after resume: %d cells, torn %d, %v", len(again), torn, err)
	}

	// A bad line that is not the last is an error naming file and line.
	bad := strings.Join(lines[:2], "") + "{oops\n" + strings.Join(lines[2:], "")
	os.WriteFile(path, []byte(bad), 0o644)
	if _, _, err := ReadCells(path); err == nil || !strings.Contains(err.Error(), path+":3") {
		t.Errorf("bad middle line: %v", err)
	}

	// A cell whose parameters are not its index's, or an index past the
	// grid, is refused naming the line and what differs (the message
	// was "cell 1 is not this grid's cell 1").
	edited := append([]GridCell(nil), want...)
	edited[1].C = 3
	results.WriteCells(path, edited)
	var me *MismatchError
	_, _, err = Grid(context.Background(), d, d.Train.X, nil, cfg)
	if !errors.As(err, &me) || !strings.Contains(err.Error(), path+":2") || !strings.Contains(err.Error(), "C=3") || !strings.Contains(err.Error(), "C=100") {
		t.Errorf("resume of a journal whose cell 1 has C=3: %v", err)
	}
	edited[1] = want[1]
	edited[1].Index = 40
	results.WriteCells(path, edited)
	_, _, err = Grid(context.Background(), d, d.Train.X, nil, cfg)
	if !errors.As(err, &me) || !strings.Contains(err.Error(), path+":2") || !strings.Contains(err.Error(), "cell 40 is past the grid's 12 cells") {
		t.Errorf("resume of a journal with a cell 40: %v", err)
	}
}

func TestGridPSD(t *testing.T) {
	useFitter(t, meanFit)
	d := blobs(3, 30, 6, 5)
	cfg := smallGrid("")
	cfg.PSD = true
	cfg.PSDSample = 40
	_, cells, err := Grid(context.Background(), d, d.Train.X, nil, cfg)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cells {
		if c.MinEigen == nil || c.MinEigenCPD == nil {
			t.Fatalf("cell %d has no min_eigen or min_eigen_cpd", c.Index)
		}
	}
	// tanh(α⟨x,y⟩ + c) with c = -1 and large α is far from PSD on blobs;
	// check the value against a direct computation.
	c := cells[len(cells)-1]
	k, _ := CellKernel(c)
	p := newPSDCache(d.Train.X, 40, cfg.Seed)
	g := matrix.New(40, 40)
	for i, a := range p.sample {
		for j, b := range p.sample {
			g.Set(i, j, float32(k.Eval(d.Train.X.Row(a), d.Train.X.Row(b))))
		}
	}
	v, _ := minEigenSym(g)
	if math.Abs(v-*c.MinEigen) > 1e-4*math.Max(1, math.Abs(v)) {
		t.Errorf("min_eigen %g, direct %g", *c.MinEigen, v)
	}
	if v := zeroSumDirect(g); math.Abs(v-*c.MinEigenCPD) > 1e-4*math.Max(1, math.Abs(v)) {
		t.Errorf("min_eigen_cpd %g, direct %g", *c.MinEigenCPD, v)
	}
}

func TestGridMemoryBudget(t *testing.T) {
	useFitter(t, meanFit)
	d := blobs(3, 30, 6, 5)
	cfg := smallGrid("")
	cfg.MemBytes = 1000
	if _, _, err := Grid(context.Background(), d, d.Train.X, nil, cfg); err == nil || !strings.Contains(err.Error(), "memory budget") {
		t.Errorf("tiny budget: %v", err)
	}
}

// TestGroupAndFoldModesAgree runs one grid with a kernel matrix per α, c
// shared by its C values and folds (the default when memory allows) and
// with fold Grams derived per fit (a budget too small for the shared
// matrix): the kernel values are the same, so the cells must be too.
func TestGroupAndFoldModesAgree(t *testing.T) {
	d := blobs(3, 30, 6, 9)
	n := int64(len(d.Train.Y))
	dot := n * n * 4
	perFit := (n*2/3)*(n*2/3)*4 + (n/3)*(n*2/3)*4 + svmWorkBytes(int(n*2/3))
	run := func(mem int64) []GridCell {
		cfg := smallGrid("")
		cfg.Workers, cfg.MemBytes = 2, mem
		var logs []string
		cfg.Log = func(f string, a ...any) { logs = append(logs, fmt.Sprintf(f, a...)) }
		_, cells, err := Grid(context.Background(), d, d.Train.X, nil, cfg)
		if err != nil {
			t.Fatal(err)
		}
		t.Log(logs)
		return cells
	}
	grouped := run(1 << 30)
	perFold := run(dot + 2*perFit + 100)
	equalCells(t, "fold mode against group mode", perFold, grouped)
}

// TestRowsModeAgrees runs a grid whose inner products do not fit the
// budget (each fit then computes kernel columns from its rows with
// svm.Train) and compares it with the default mode. The two compute the
// same inner products by other products (the fold's rows against the
// DotGram of all rows), so a kernel value may differ in its last bit; that
// moves a decision value by about 1e-7 relative, which can change a
// validation prediction only when the value lies that close to a class
// boundary. So each cell's CV accuracy may differ by at most one
// validation sample (1/n; measured: none, in both builds).
func TestRowsModeAgrees(t *testing.T) {
	d := blobs(3, 30, 6, 9)
	n := int64(len(d.Train.Y))
	var logs []string
	cfg := smallGrid("")
	cfg.Log = func(f string, a ...any) { logs = append(logs, fmt.Sprintf(f, a...)) }
	cfg.MemBytes = n*n*4 - 1
	_, rows, err := Grid(context.Background(), d, d.Train.X, nil, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(strings.Join(logs, " "), "do not fit") {
		t.Fatalf("not in rows mode: %v", logs)
	}
	cfg.MemBytes, cfg.Log = 1<<30, nil
	_, dense, err := Grid(context.Background(), d, d.Train.X, nil, cfg)
	if err != nil {
		t.Fatal(err)
	}
	tol := 1/float64(n) + 1e-12
	for i := range rows {
		if math.Abs(rows[i].CVAccuracy-dense[i].CVAccuracy) > tol {
			t.Errorf("cell %d: rows mode %.4f, dense %.4f: more than one of %d validation samples apart", i, rows[i].CVAccuracy, dense[i].CVAccuracy, n)
		}
	}
}

// Every name of Searches is a valid GridConfig.Search, "" is "grid", and
// another name is refused with the field and the names.
func TestGridConfigSearchNames(t *testing.T) {
	for _, s := range append([]string{""}, Searches...) {
		c := GridConfig{Search: s}
		if err := c.Validate(); err != nil {
			t.Errorf("Search %q: %v", s, err)
		}
		if s == "" && c.Search != "grid" {
			t.Errorf(`Search "" became %q, want grid`, c.Search)
		}
	}
	for _, s := range []string{"annealing", "Grid", " grid"} {
		c := GridConfig{Search: s}
		if err := c.Validate(); err == nil || !strings.Contains(err.Error(), "GridConfig.Search") || !strings.Contains(err.Error(), "halving") {
			t.Errorf("Search %q: %v, want an error naming GridConfig.Search and the searches", s, err)
		}
	}
}

// A journal resumed under a spec copied from another run of the same data
// (another seed: other folds) or edited to match the command is refused
// naming its line: nothing else in a cell shows the folds it was run on,
// so the cells of seed 7 were taken as seed 8's. Merge and the report
// refuse it too.
func TestResumeRefusesCopiedSpec(t *testing.T) {
	useFitter(t, meanFit)
	d := blobs(3, 30, 6, 1)
	tmp := t.TempDir()
	a := smallGrid(filepath.Join(tmp, "a"))
	b := smallGrid(filepath.Join(tmp, "b"))
	b.Seed = 8
	for _, c := range []GridConfig{a, b} {
		if _, _, err := Grid(context.Background(), d, d.Train.X, nil, c); err != nil {
			t.Fatal(err)
		}
	}
	j, err := os.ReadFile(filepath.Join(a.Out, GridFile("sigmoid", "pixels")))
	if err != nil {
		t.Fatal(err)
	}
	jb := filepath.Join(b.Out, GridFile("sigmoid", "pixels"))
	if err := os.WriteFile(jb, j, 0o644); err != nil {
		t.Fatal(err)
	}
	b.Resume = true
	var me *MismatchError
	if _, _, err := Grid(context.Background(), d, d.Train.X, nil, b); !errors.As(err, &me) || !strings.Contains(err.Error(), jb+":1") || !strings.Contains(err.Error(), "another grid spec") {
		t.Errorf("resume of seed 7's journal under seed 8's spec: %v", err)
	}
	if _, err := Merge(context.Background(), []string{b.Out}, filepath.Join(tmp, "m")); !errors.As(err, &me) || !strings.Contains(err.Error(), jb+":1") {
		t.Errorf("merge of seed 7's journal under seed 8's spec: %v", err)
	}
}
