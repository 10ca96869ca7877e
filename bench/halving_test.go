package bench

import (
	"bytes"
	"context"
	"errors"
	"math"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/svmbench/svmbench/results"
)

// halvingGrid is 12 cells, 3 folds on blobs(3, 150, …): 450 images, the
// smallest rung at least 5·3·3 = 45, so η = 3 gives rungs of 50, 150 and
// 450 images with 12, 4 and 2 cells.
func halvingGrid(out string) GridConfig {
	cfg := smallGrid(out)
	cfg.Search = "halving"
	cfg.Alpha = Values(0.003, 0.03, 0.3)
	cfg.Coef0 = Values(-1, 0)
	cfg.C = Values(1, 100)
	cfg.Workers = 1
	return cfg
}

func TestHalvingSchedule(t *testing.T) {
	for _, tc := range []struct {
		cells, n, nMin int
		eta            float64
		want           []halvingRung
	}{
		// The quick sigmoid grid on 1000 images, 3 folds, 10 classes.
		{36, 1000, 150, 3, []halvingRung{{333, 36}, {1000, 12}}},
		{36, 1000, 60, 3, []halvingRung{{111, 36}, {333, 12}, {1000, 4}}},
		// scikit-learn: 36 candidates, factor 3 → 36, 12, 4, 2.
		{36, 100000, 60, 3, []halvingRung{{3704, 36}, {11111, 12}, {33333, 4}, {100000, 2}}},
		{150, 10000, 250, 3, []halvingRung{{370, 150}, {1111, 50}, {3333, 17}, {10000, 6}}},
		{8, 1000, 10, 2, []halvingRung{{125, 8}, {250, 4}, {500, 2}, {1000, 1}}},
		{3, 1000, 10, 3, []halvingRung{{333, 3}, {1000, 1}}},
		{36, 400, 150, 3, []halvingRung{{400, 36}}}, // too few images for two rungs
		{2, 1000, 10, 3, []halvingRung{{1000, 2}}},  // too few cells
	} {
		got := halvingSchedule(tc.cells, tc.n, tc.nMin, tc.eta)
		if !slices.Equal(got, tc.want) {
			t.Errorf("halvingSchedule(%d cells, n=%d, min %d, η=%g) = %v, want %v", tc.cells, tc.n, tc.nMin, tc.eta, got, tc.want)
		}
	}
}

// Every prefix of the stratified order is balanced within one image a
// class; the rungs are nested, and the last is every row in order.
func TestHalvingSubsetsNested(t *testing.T) {
	y := make([]int, 0, 330)
	for i := range 300 {
		y = append(y, i%3)
	}
	for range 30 {
		y = append(y, 3) // a rarer class
	}
	order := stratifiedOrder(y, rand.New(rand.NewPCG(1, 2)))
	for m := 1; m <= len(y); m++ {
		count := map[int]int{}
		for _, r := range order[:m] {
			count[y[r]]++
		}
		for c, nc := range map[int]int{0: 100, 1: 100, 2: 100, 3: 30} {
			if want := float64(m) * float64(nc) / float64(len(y)); math.Abs(float64(count[c])-want) > 1 {
				t.Fatalf("prefix %d: class %d has %d, want %.1f ± 1", m, c, count[c], want)
			}
		}
	}
	cfg := halvingGrid("")
	cfg.Folds = 2
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	h, err := newHalving(&cfg, y, cfg.Cells())
	if err != nil {
		t.Fatal(err)
	}
	// The rarest class has 30 of 330: 5·2 of it per rung → 110 images.
	if h.nMin != 110 || len(h.rungs) != 2 {
		t.Fatalf("smallest rung %d, rungs %v", h.nMin, h.rungs)
	}
	prev := map[int]bool{}
	for r := range h.rungs {
		rows := h.subset(r)
		if len(rows) != h.rungs[r].n || !slices.IsSorted(rows) {
			t.Fatalf("rung %d: %d rows (sorted %v), want %d", r, len(rows), slices.IsSorted(rows), h.rungs[r].n)
		}
		in := map[int]bool{}
		for _, row := range rows {
			in[row] = true
		}
		for row := range prev {
			if !in[row] {
				t.Fatalf("rung %d lacks row %d of rung %d", r, row, r-1)
			}
		}
		prev = in
	}
	if last := h.subset(len(h.rungs) - 1); !slices.Equal(last, identity(len(y))) {
		t.Error("the last rung is not every row in training order")
	}
}

func identity(n int) []int {
	s := make([]int, n)
	for i := range s {
		s[i] = i
	}
	return s
}

// Each rung's cells are the best ⌈cells/η⌉ of the rung before, with
// their rung, size and reason; the last rung runs on all images with the
// grid's folds, so its CV accuracies are the full grid's, and the best
// cell is the last rung's best.
func TestHalvingSurvivors(t *testing.T) {
	d := blobs(3, 150, 6, 3)
	best, cells, err := Grid(context.Background(), d, d.Train.X, nil, halvingGrid(""))
	if err != nil {
		t.Fatal(err)
	}
	_ = best
	byRung := map[int][]GridCell{}
	for i, c := range cells {
		if c.Index != i {
			t.Fatalf("cell %d has index %d", i, c.Index)
		}
		byRung[c.Rung] = append(byRung[c.Rung], c)
	}
	wantN, wantCells := []int{50, 150, 450}, []int{12, 4, 2}
	for r := 1; r <= 3; r++ {
		rc := byRung[r]
		if len(rc) != wantCells[r-1] {
			t.Fatalf("rung %d: %d cells, want %d", r, len(rc), wantCells[r-1])
		}
		for _, c := range rc {
			if c.RungN != wantN[r-1] || !strings.HasPrefix(c.Why, "rung ") {
				t.Errorf("cell %d: rung %d n=%d why %q", c.Index, c.Rung, c.RungN, c.Why)
			}
		}
		if r == 1 {
			continue
		}
		prev := slices.Clone(byRung[r-1])
		slices.SortFunc(prev, func(a, b GridCell) int {
			if results.Better(a, b) {
				return -1
			}
			return 1
		})
		for i, want := range prev[:len(rc)] {
			found := false
			for _, c := range rc {
				found = found || sameParams(c, want)
			}
			if !found {
				t.Errorf("rung %d lacks the rank-%d cell %s of rung %d", r, i+1, ParamString(want), r-1)
			}
		}
	}
	if !strings.Contains(byRung[2][0].Why, "survivor of rung 1 (rank ") || !strings.HasSuffix(byRung[2][0].Why, " of 12)") {
		t.Errorf("why %q", byRung[2][0].Why)
	}

	g := halvingGrid("")
	g.Search = ""
	_, grid, err := Grid(context.Background(), d, d.Train.X, nil, g)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range byRung[3] {
		for _, gc := range grid {
			if sameParams(c, gc) && (c.CVAccuracy != gc.CVAccuracy || !slices.Equal(c.FoldAccuracy, gc.FoldAccuracy)) {
				t.Errorf("%s: last rung CV %v %v, grid %v %v", ParamString(c), c.CVAccuracy, c.FoldAccuracy, gc.CVAccuracy, gc.FoldAccuracy)
			}
		}
	}
	bc, _ := BestCell(cells)
	if bc.Rung != 3 {
		t.Errorf("best cell %d is on rung %d", bc.Index, bc.Rung)
	}
}

func sameParams(a, b GridCell) bool {
	a.Index, b.Index = 0, 0
	return results.SameSetting(a, b)
}

// The same seed gives the same rungs, subsets and survivors; another
// seed other subsets.
func TestHalvingDeterministic(t *testing.T) {
	useFitter(t, meanFit)
	d := blobs(3, 150, 6, 3)
	run := func(seed uint64) []GridCell {
		cfg := halvingGrid("")
		cfg.SearchSeed, cfg.Workers = seed, 2
		_, cells, err := Grid(context.Background(), d, d.Train.X, nil, cfg)
		if err != nil {
			t.Fatal(err)
		}
		return cells
	}
	a, b, c := run(7), run(7), run(8)
	equalCells(t, "same seed", b, a)
	for i := range a {
		if a[i].Why != b[i].Why || a[i].Rung != b[i].Rung {
			t.Errorf("cell %d: %q against %q", i, a[i].Why, b[i].Why)
		}
	}
	differ := false
	for i := range 12 {
		differ = differ || a[i].CVAccuracy != c[i].CVAccuracy
	}
	if !differ {
		t.Error("seeds 7 and 8 gave the same first rung")
	}
}

// A halving search interrupted mid-rung and resumed writes the journal
// of an uninterrupted one (times aside, one worker); resuming it as
// another search or with another η is refused naming both.
func TestHalvingResume(t *testing.T) {
	useFitter(t, meanFit)
	d := blobs(3, 150, 6, 3)
	tmp := t.TempDir()
	full := halvingGrid(filepath.Join(tmp, "full"))
	if _, _, err := Grid(context.Background(), d, d.Train.X, nil, full); err != nil {
		t.Fatal(err)
	}
	for _, stop := range []int64{9, 40, 50} { // rung 1, rung 2, rung 3 (of 36, 48, 54 fits)
		cfg := halvingGrid(filepath.Join(tmp, "cut", strings.Repeat("x", int(stop))))
		ctx := cancelAfter(&cfg, stop)
		if _, part, err := Grid(ctx, d, d.Train.X, nil, cfg); !errors.Is(err, context.Canceled) || len(part) >= 18 {
			t.Fatalf("interrupted at %d fits: %d cells, %v", stop, len(part), err)
		}
		cfg.Progress, cfg.Resume = nil, true
		if _, _, err := Grid(context.Background(), d, d.Train.X, nil, cfg); err != nil {
			t.Fatal(err)
		}
		if a, b := journalNoTimes(t, full.Out), journalNoTimes(t, cfg.Out); !bytes.Equal(a, b) {
			t.Errorf("stopped at %d fits: resumed journal\n%s\nwant\n%s", stop, b, a)
		}
	}

	var me *MismatchError
	for _, other := range []string{"grid", "bayes"} {
		g := halvingGrid(full.Out)
		g.Search, g.Resume = other, true
		if _, _, err := Grid(context.Background(), d, d.Train.X, nil, g); !errors.As(err, &me) ||
			!strings.Contains(me.Why, "-search halving") || !strings.Contains(me.Why, "-search "+other) {
			t.Errorf("a halving journal resumed as %s: %v", other, err)
		}
	}
	g := halvingGrid(full.Out)
	g.Eta, g.Resume = 2, true
	if _, _, err := Grid(context.Background(), d, d.Train.X, nil, g); !errors.As(err, &me) || !strings.Contains(me.Why, "eta") {
		t.Errorf("a halving journal resumed with another eta: %v", err)
	}
	merged := filepath.Join(tmp, "merged")
	if _, err := Merge(context.Background(), []string{full.Out}, merged); err != nil {
		t.Fatalf("merging a halving journal: %v", err)
	}
	cells, _, err := ReadCells(filepath.Join(merged, GridFile("sigmoid", "pixels")))
	if bc, _ := BestCell(cells); err != nil || len(cells) != 18 || bc.Rung != 3 {
		t.Errorf("merged: %d cells, best on rung %d, %v", len(cells), bc.Rung, err)
	}
}

// journalNoTimes is a journal's cells in index order without their
// seconds, encoded as the journal writes them.
func journalNoTimes(t *testing.T, dir string) []byte {
	t.Helper()
	cells, _, err := ReadCells(filepath.Join(dir, GridFile("sigmoid", "pixels")))
	if err != nil {
		t.Fatal(err)
	}
	cells = stripTimes(cells)
	slices.SortFunc(cells, func(a, b GridCell) int { return a.Index - b.Index })
	b, err := results.EncodeCells(cells)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestHalvingBadConfig(t *testing.T) {
	for _, tc := range []struct {
		edit func(*GridConfig)
		want string
	}{
		{func(c *GridConfig) { c.Eta = 1.5 }, "Eta = 1.5"},
		{func(c *GridConfig) { c.Eta = 1 }, "Eta = 1"},
		{func(c *GridConfig) { c.Eta = -3 }, "Eta = -3"},
		{func(c *GridConfig) { c.Eta = math.NaN() }, "Eta = NaN"},
		{func(c *GridConfig) { c.Eta = math.Inf(1) }, "Eta = +Inf"},
		{func(c *GridConfig) { c.Search, c.Eta = "grid", 3 }, "only for Search halving"},
		{func(c *GridConfig) { c.Search, c.Eta = "bayes", 3 }, "only for Search halving"},
		{func(c *GridConfig) { c.Trials = 5 }, "Trials = 5"},
		{func(c *GridConfig) { c.Shard, c.Shards = 0, 2 }, "cannot be sharded"},
	} {
		cfg := halvingGrid("")
		tc.edit(&cfg)
		if err := cfg.Validate(); err == nil || !strings.Contains(err.Error(), tc.want) || !strings.HasPrefix(err.Error(), "bench: ") {
			t.Errorf("%+v: %v, want an error with %q", cfg.Eta, err, tc.want)
		}
	}
	cfg := halvingGrid("")
	if err := cfg.Validate(); err != nil || cfg.Eta != 3 {
		t.Errorf("default η: %v, %v", cfg.Eta, err)
	}
}

// The comparison runs halving: its trace counts the last rung's cells
// towards the best, on all images, and its cells at their images.
func TestCompareSearchesHalving(t *testing.T) {
	useFitter(t, meanFit)
	d := blobs(3, 150, 6, 3)
	cfg := halvingGrid("")
	cfg.Search = ""
	cmp, err := CompareSearches(context.Background(), d, d.Train.X, cfg, []uint64{7})
	if err != nil {
		t.Fatal(err)
	}
	var tr *SearchTrace
	for i := range cmp.Traces {
		if cmp.Traces[i].Search == "halving" {
			tr = &cmp.Traces[i]
		}
	}
	if tr == nil || len(tr.BestCV) != 18 || len(tr.N) != 18 || tr.BestCV[15] != 0 || tr.BestCV[16] == 0 {
		t.Fatalf("halving trace %+v", tr)
	}
	h := halvingGrid("")
	h.SearchSeed = 7
	_, cells, err := Grid(context.Background(), d, d.Train.X, nil, h)
	if err != nil {
		t.Fatal(err)
	}
	if bc, _ := BestCell(cells); tr.BestCV[17] != bc.CVAccuracy || tr.BestCV[17] > cmp.GridBest {
		t.Errorf("trace ends at %v, the run's best %v, the grid's %v", tr.BestCV[17], bc.CVAccuracy, cmp.GridBest)
	}
	s := cmp.Summary()
	if want := (12*50 + 4*150 + 2*450) / 450.0; s[3].Search != "halving" || math.Abs(s[3].CellsAtN-want) > 1e-12 || s[3].Cells != 18 {
		t.Errorf("halving summary %+v, want %.3f cells at n", s[3], want)
	}
}
