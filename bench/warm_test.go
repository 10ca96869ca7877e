package bench

import (
	"context"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/svmbench/svmbench/dataset"
	"github.com/svmbench/svmbench/kernels"
	"github.com/svmbench/svmbench/matrix"
	"github.com/svmbench/svmbench/results"
	"github.com/svmbench/svmbench/svm"
)

// foldPreds runs grid cfg on the real solver and returns its cells and
// every fit's predictions of its validation rows, by kernel, C and fold.
func foldPreds(t *testing.T, d *dataset.Dataset, x *matrix.Matrix, cfg GridConfig) ([]GridCell, map[string][]int) {
	t.Helper()
	var mu sync.Mutex
	preds := map[string][]int{}
	old := trainGram
	trainGram = func(ctx context.Context, a gramFit) (fitOut, error) {
		out, err := svmFitGram(ctx, a)
		mu.Lock()
		preds[fmt.Sprint(a.kern, a.c, a.fold)] = slices.Clone(a.pred)
		mu.Unlock()
		return out, err
	}
	defer func() { trainGram = old }()
	_, cells, err := Grid(context.Background(), d, x, nil, cfg)
	if err != nil {
		t.Fatal(err)
	}
	return cells, preds
}

// warmCold runs cfg with alpha seeding and without and returns both
// runs' cells and the number of validation predictions that differ
// between them, over all folds of all cells (the fits of both runs match
// one to one).
func warmCold(t *testing.T, d *dataset.Dataset, x *matrix.Matrix, cfg GridConfig) (warm, cold []GridCell, differ int) {
	t.Helper()
	cfg.ColdStart = false
	warm, pw := foldPreds(t, d, x, cfg)
	cfg.ColdStart = true
	cold, pc := foldPreds(t, d, x, cfg)
	if len(warm) != len(cold) || len(pw) != len(pc) || len(pw) != len(warm)*cfg.Folds {
		t.Fatalf("%d warm cells, %d cold; %d and %d fits", len(warm), len(cold), len(pw), len(pc))
	}
	for key, p := range pw {
		q := pc[key]
		if len(p) != len(q) {
			t.Fatalf("%s: %d and %d predictions", key, len(p), len(q))
		}
		for i := range p {
			if p[i] != q[i] {
				differ++
			}
		}
	}
	for i := range warm {
		if !warm[i].WarmStart || cold[i].WarmStart || cold[i].SeededPairs != 0 {
			t.Errorf("cell %d: warm_start %v and %v, seeded pairs %d cold", i, warm[i].WarmStart, cold[i].WarmStart, cold[i].SeededPairs)
		}
	}
	return warm, cold, differ
}

func sumIter(cells []GridCell) (it, seeded int, secs float64) {
	for _, c := range cells {
		it += c.SMOIter
		seeded += c.SeededPairs
		secs += c.Seconds
	}
	return it, seeded, secs
}

// TestWarmStartSameCV: at -eps 1e-5, a 5-fold grid with alpha seeding
// predicts every validation sample of every fold as cold starts do, on
// RBF cells (positive definite: every pair seeded) and on sigmoid cells
// with pairs that are conditionally positive definite (small α; with
// c = −1 not positive definite) and pairs that are not (α = 0.05: started
// cold), in fewer SMO iterations where something was seeded.
func TestWarmStartSameCV(t *testing.T) {
	d := blobs(4, 40, 100, 3)
	conv := newConvexity(kernels.NewDotGram(d.Train.X), d.Train.Y)
	for _, cfg := range []GridConfig{
		{Kernel: "rbf", Gamma: Values(0.002, 0.01), C: Values(0.5, 2, 8, 32)},
		{Kernel: "sigmoid", Alpha: Values(0.0005, 0.05), Coef0: Values(-1, 0), C: Values(0.5, 2, 8, 32)},
	} {
		cfg.Folds, cfg.Seed, cfg.Tol, cfg.NoRetrain, cfg.Workers = 5, 1, 1e-5, true, 2
		warm, cold, differ := warmCold(t, d, d.Train.X, cfg)
		if differ > 0 {
			t.Errorf("%s: %d validation predictions differ between seeded and cold fits", cfg.Kernel, differ)
		}
		iw, seeded, sw := sumIter(warm)
		ic, _, sc := sumIter(cold)
		pairs := len(warm) * cfg.Folds * 6
		t.Logf("%s: %d of %d sub-problems seeded; SMO iterations warm %d, cold %d (%.2f× fewer); fit seconds warm %.2f, cold %.2f",
			cfg.Kernel, seeded, pairs, iw, ic, float64(ic)/float64(iw), sw, sc)
		if seeded == 0 || iw >= ic {
			t.Errorf("%s: %d sub-problems seeded, %d SMO iterations against %d cold", cfg.Kernel, seeded, iw, ic)
		}
		if cfg.Kernel == "sigmoid" {
			checkSeededConvex(t, conv, warm)
		}
	}
}

// checkSeededConvex checks that sigmoid cells with no conditionally
// positive definite pair seed nothing, and that the cells cover both
// kinds: some not convex, some convex with c < 0 (a kernel matrix that is
// not positive definite) seeded.
func checkSeededConvex(t *testing.T, conv *convexity, cells []GridCell) {
	t.Helper()
	var none, negC int
	for _, c := range cells {
		k, err := CellKernel(c)
		if err != nil {
			t.Fatal(err)
		}
		convex := 0
		for i := range 4 {
			for j := i + 1; j < 4; j++ {
				if conv.convex(k, i, j) {
					convex++
				}
			}
		}
		switch {
		case convex == 0 && c.SeededPairs != 0:
			t.Errorf("α %g c %g C %g: no convex pair, %d pairs seeded", c.Alpha, c.Coef0, c.C, c.SeededPairs)
		case convex == 0:
			none++
		case c.Coef0 < 0 && c.SeededPairs > 0:
			negC++
		}
	}
	if none == 0 || negC == 0 {
		t.Errorf("%d cells not convex, %d convex cells with c < 0 seeded: the grid does not cover both", none, negC)
	}
}

// seedingGrids are the 5-fold grids alpha seeding is measured on (500
// CIFAR-10 images, pixels/255, eps 1e-5): sigmoid α × c × C with two
// ladders of 4 C values, and an RBF grid (positive definite everywhere).
func seedingGrids() []GridConfig {
	var cfgs []GridConfig
	for _, cs := range []Range{Values(1, 2, 4, 8), Values(1, 8, 64, 512)} {
		cfgs = append(cfgs, GridConfig{Kernel: "sigmoid", Alpha: Values(1e-5, 1e-4, 1e-3), Coef0: Values(-1, 0), C: cs})
	}
	// Every cell below α⟨x,y⟩ ≈ 0.3 on pixels/255: the seeding machinery
	// where (nearly) every pair is conditionally positive definite.
	cfgs = append(cfgs, GridConfig{Kernel: "sigmoid", Alpha: Values(1e-5, 3e-5, 1e-4, 3e-4), Coef0: Values(-1, 0), C: Values(1, 2, 4, 8)})
	cfgs = append(cfgs, GridConfig{Kernel: "rbf", Gamma: Values(1.0/3072/0.06, 1.0/3072/0.02), C: Values(1, 2, 4, 8)})
	for i := range cfgs {
		cfgs[i].Folds, cfgs[i].Seed, cfgs[i].Tol, cfgs[i].NoRetrain, cfgs[i].Workers = 5, 1, 1e-5, true, 2
	}
	return cfgs
}

// TestWarmStartCIFAR checks on CIFAR-10 (seedingGrids) that at -eps 1e-5
// every fold of every cell predicts the same labels with alpha seeding as
// from cold starts, and logs the SMO iterations, seeded sub-problems and
// fit seconds of both; at the default eps 1e-3 it logs how many
// predictions and CV accuracies differ.
func TestWarmStartCIFAR(t *testing.T) {
	if os.Getenv("CIFAR10_DIR") == "" {
		t.Skip("CIFAR10_DIR not set")
	}
	d, train, _ := smallData(t, 50, 1)
	for _, cfg := range seedingGrids() {
		for _, tol := range []float64{1e-5, 1e-3} {
			cfg.Tol = tol
			warm, cold, differ := warmCold(t, d, train, cfg)
			if tol == 1e-5 && differ > 0 {
				t.Errorf("%s: %d validation predictions differ between seeded and cold fits", cfg.Kernel, differ)
			}
			iw, seeded, sw := sumIter(warm)
			ic, _, sc := sumIter(cold)
			var cvDiff float64
			cells := 0
			for i := range warm {
				if dv := math.Abs(warm[i].CVAccuracy - cold[i].CVAccuracy); dv > 0 {
					cells++
					cvDiff = max(cvDiff, dv)
				}
			}
			t.Logf("%s α %v c %v γ %v C %v, 5 folds, 500 images, eps %g: %d of %d sub-problems seeded; SMO iterations warm %d, cold %d (%.2f× fewer); fit seconds warm %.2f, cold %.2f; %d of %d predictions differ, in %d cells, CV accuracy by at most %.4f",
				cfg.Kernel, cfg.Alpha, cfg.Coef0, cfg.Gamma, cfg.C, tol, seeded, len(warm)*5*45, iw, ic, float64(ic)/float64(iw), sw, sc, differ, len(warm)*500, cells, cvDiff)
			for i := range warm {
				if warm[i].SeededPairs > 0 && tol == 1e-5 {
					t.Logf("  α %g c %g γ %g C %g: %d pairs seeded, %d iterations against %d", warm[i].Alpha, warm[i].Coef0, warm[i].Gamma, warm[i].C, warm[i].SeededPairs, warm[i].SMOIter, cold[i].SMOIter)
				}
			}
		}
	}
}

// BenchmarkAlphaSeeding measures alpha seeding's saving of SMO
// iterations on the 5-fold sigmoid grid α ∈ {1e-5, 1e-4, 1e-3} ×
// c ∈ {−1, 0} × C ∈ {1, 2, 4, 8} at eps 1e-5: 500 CIFAR-10 images
// (pixels/255) when CIFAR10_DIR is set, else 500 synthetic ones. It
// reports the iterations of both runs, their ratio (cold/seeded) and the
// share of sub-problems seeded; the iteration counts do not depend on
// the machine's load.
//
//	CIFAR10_DIR=… go test ./bench -run '^$' -bench AlphaSeeding -benchtime 1x
func BenchmarkAlphaSeeding(b *testing.B) {
	d, train, _ := smallData(b, 50, 1)
	cfg := seedingGrids()[0]
	for b.Loop() {
		var it [2]int
		var seeded int
		for k, cold := range []bool{false, true} {
			cfg.ColdStart = cold
			_, cells, err := Grid(context.Background(), d, train, nil, cfg)
			if err != nil {
				b.Fatal(err)
			}
			var s int
			it[k], s, _ = sumIter(cells)
			seeded = max(seeded, s)
		}
		b.ReportMetric(float64(it[0]), "seeded-iter")
		b.ReportMetric(float64(it[1]), "cold-iter")
		b.ReportMetric(float64(it[1])/float64(it[0]), "ratio")
		b.ReportMetric(float64(seeded)/float64(24*5*45), "seeded-share")
	}
}

// TestSeedGate checks which pairs a chain seeds and what it checks for
// that: a kernel positive semidefinite by theory (RBF) is seeded with no
// check; a sigmoid pair is checked only when its remaining fits are
// expected to save more than the check costs, and never after its
// previous fit met a quadratic coefficient ≤ 0.
func TestSeedGate(t *testing.T) {
	d := blobs(2, 100, 300, 3) // one pair of 200 rows (a check of 2.7 Mflop), 300 features
	dg := kernels.NewDotGram(d.Train.X)
	prev := func(iter, nonPSD int) *svm.Model {
		return &svm.Model{Pairs: []svm.PairStats{{I: 1, J: 0, Iter: iter, NonPSDSteps: nonPSD}}}
	}
	sig := kernels.Sigmoid{Alpha: 1e-4, Coef0: -1}
	for _, tc := range []struct {
		name          string
		k             kernels.DotKernel
		prev          *svm.Model
		fits          int
		seeds, checks bool
	}{
		{"rbf, no history", kernels.RBF{Gamma: 0.01}, prev(1, 0), 1, true, false},
		{"sigmoid, cheap fits left", sig, prev(10, 0), 2, false, false},
		{"sigmoid, costly fits left", sig, prev(2000, 0), 10, true, true},
		{"sigmoid, non-PSD step seen", sig, prev(2000, 1), 10, false, false},
	} {
		conv := newConvexity(dg, d.Train.Y)
		g := newSeedGate(conv)
		if got := g.seeds(tc.k, 0, 1, tc.prev, 160, tc.fits); got != tc.seeds {
			t.Errorf("%s: seeds %v, want %v", tc.name, got, tc.seeds)
		}
		if checked := len(conv.pairs.m) > 0; checked != tc.checks {
			t.Errorf("%s: checked %v, want %v", tc.name, checked, tc.checks)
		}
	}
	if newSeedGate(nil).seeds(sig, 0, 1, prev(2000, 0), 160, 10) {
		t.Error("a nil gate (cold starts) seeds")
	}
	// A pair whose seeded fit was redone cold is not seeded again in the
	// chain, a Mercer kernel's included; its other pairs still are.
	g := newSeedGate(newConvexity(dg, d.Train.Y))
	rbf := kernels.RBF{Gamma: 0.01}
	g.refuse(rbf, [][2]int{{1, 0}})
	if g.seeds(rbf, 0, 1, prev(1, 0), 160, 10) || !g.seeds(rbf, 0, 2, prev(1, 0), 160, 10) {
		t.Error("a refused pair is seeded again, or refusing one pair refused another")
	}
}

// TestSeedGateConcurrent: svm.Train calls a fit's Start once per pair,
// from as many goroutines as the fit's inner workers, so one chain's gate
// is asked about several pairs at once (run with -race).
func TestSeedGateConcurrent(t *testing.T) {
	d := blobs(4, 40, 50, 5) // 6 pairs of 80 rows
	conv := newConvexity(kernels.NewDotGram(d.Train.X), d.Train.Y)
	g := newSeedGate(conv)
	prev := &svm.Model{}
	for i := range 4 {
		for j := range i {
			prev.Pairs = append(prev.Pairs, svm.PairStats{I: i, J: j, Iter: 2000})
		}
	}
	sig := kernels.Sigmoid{Alpha: 1e-4, Coef0: -1}
	var wg sync.WaitGroup
	got := make([]bool, len(prev.Pairs))
	for p, st := range prev.Pairs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			got[p] = g.seeds(sig, st.I, st.J, prev, 60, 10)
		}()
	}
	wg.Wait()
	for p, st := range prev.Pairs {
		if want := conv.convex(sig, st.I, st.J); got[p] != want || g.checked[convexKey{sig, st.J, st.I}] != want {
			t.Errorf("pair %d-%d: seeds %v, convex %v", st.I, st.J, got[p], want)
		}
	}
}

// TestSeedLogNonConvex: a fit is redone cold when a pair it seeded (in
// either label order) met a quadratic coefficient ≤ 0, not when only a
// pair it started cold did.
func TestSeedLogNonConvex(t *testing.T) {
	l := &seedLog{}
	l.add(0, 1)
	model := func(pairs ...svm.PairStats) *svm.Model { return &svm.Model{Pairs: pairs} }
	for _, tc := range []struct {
		name string
		l    *seedLog
		m    *svm.Model
		want bool
	}{
		{"seeded pair met one", l, model(svm.PairStats{I: 1, J: 0, NonPSDSteps: 2}, svm.PairStats{I: 2, J: 0}), true},
		{"cold pair met one", l, model(svm.PairStats{I: 1, J: 0}, svm.PairStats{I: 2, J: 0, NonPSDSteps: 1}), false},
		{"no seeded pair", nil, model(svm.PairStats{I: 1, J: 0, NonPSDSteps: 2}), false},
		{"no model", l, nil, false},
	} {
		if got := len(tc.l.nonConvex(tc.m)) > 0; got != tc.want {
			t.Errorf("%s: %v, want %v", tc.name, got, tc.want)
		}
	}
}

// TestWarmStartResumeEqual: a seeded grid resumed from a journal that
// holds part of a run of equal kernels fits its missing cells exactly as
// the uninterrupted grid does (same SMO iterations, seeded sub-problems,
// fold accuracies): the journalled cells before a missing one in its
// chain are fitted again to seed it, and not journalled again. Before,
// the missing cells' chain started cold at the first missing C (on 3000
// synthetic images, RBF, cell 2 scored 0.5330 resumed, 0.5327 whole).
func TestWarmStartResumeEqual(t *testing.T) {
	d := blobs(4, 40, 100, 3)
	tmp := t.TempDir()
	base := GridConfig{Kernel: "rbf", Features: "pixels", Gamma: Values(0.002, 0.01), C: Values(0.5, 2, 8, 32),
		Folds: 3, Seed: 1, NoRetrain: true, Workers: 2, MemBytes: 1 << 28}
	whole := base
	whole.Out = filepath.Join(tmp, "whole")
	_, want, err := Grid(context.Background(), d, d.Train.X, nil, whole)
	if err != nil {
		t.Fatal(err)
	}
	if _, seeded, _ := sumIter(want); seeded == 0 {
		t.Fatal("the whole grid seeded nothing: the test would not test seeding")
	}
	for _, keep := range [][]int{{0, 1}, {0, 1, 2, 4, 6}, {1, 3, 5, 7}} {
		cut := base
		cut.Out = filepath.Join(tmp, fmt.Sprint("cut", keep))
		var part []GridCell
		for _, i := range keep {
			part = append(part, want[i])
		}
		if err := os.MkdirAll(cut.Out, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := results.WriteCells(filepath.Join(cut.Out, GridFile("rbf", "pixels")), part); err != nil {
			t.Fatal(err)
		}
		if err := copyFile(filepath.Join(whole.Out, SpecFile("rbf", "pixels")), filepath.Join(cut.Out, SpecFile("rbf", "pixels"))); err != nil {
			t.Fatal(err)
		}
		cut.Resume = true
		_, got, err := Grid(context.Background(), d, d.Train.X, nil, cut)
		if err != nil {
			t.Fatal(err)
		}
		journal, _, err := ReadCells(filepath.Join(cut.Out, GridFile("rbf", "pixels")))
		if err != nil || len(journal) != len(want) {
			t.Fatalf("kept %v: the journal holds %d cells (%v), want %d once each", keep, len(journal), err, len(want))
		}
		for i := range want {
			g, w := got[i], want[i]
			if g.SMOIter != w.SMOIter || g.SeededPairs != w.SeededPairs || !slices.Equal(g.FoldAccuracy, w.FoldAccuracy) || g.NSV != w.NSV {
				t.Errorf("kept %v: cell %d resumed: %d SMO iterations, %d seeded, folds %v, %g SVs; whole: %d, %d, %v, %g",
					keep, i, g.SMOIter, g.SeededPairs, g.FoldAccuracy, g.NSV, w.SMOIter, w.SeededPairs, w.FoldAccuracy, w.NSV)
			}
		}
	}
}

func copyFile(from, to string) error {
	b, err := os.ReadFile(from)
	if err != nil {
		return err
	}
	return os.WriteFile(to, b, 0o644)
}

// TestResumeRunReplaysOnlySeeds: a resumed run fits again only the
// journalled cells that seed a missing one (those before it in its run of
// equal kernels), never those past a run's last missing cell or a run
// with none missing, and replays (does not journal) exactly the
// journalled ones it refits.
func TestResumeRunReplaysOnlySeeds(t *testing.T) {
	cfg := GridConfig{Kernel: "rbf", Features: "pixels", Gamma: Values(0.002, 0.01, 0.05), C: Values(0.5, 2, 8, 32), Folds: 3}
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	cells := cfg.Cells() // three runs of equal kernels: cells 0-3, 4-7, 8-11
	for _, tc := range []struct {
		missing, fit, replay []int
	}{
		{missing: []int{1, 3, 5, 7}, fit: []int{0, 1, 2, 3, 4, 5, 6, 7}, replay: []int{0, 2, 4, 6}},
		{missing: []int{2, 4}, fit: []int{0, 1, 2, 4}, replay: []int{0, 1}},
		{missing: []int{11}, fit: []int{8, 9, 10, 11}, replay: []int{8, 9, 10}},
		{missing: []int{0, 8}, fit: []int{0, 8}, replay: nil},
	} {
		var todo []GridCell
		for _, i := range tc.missing {
			todo = append(todo, cells[i])
		}
		r := resumeRun(cells, todo, cfg.Folds)
		var fit, replay []int
		for k, c := range r.cells {
			fit = append(fit, c.Index)
			if r.replay[k] {
				replay = append(replay, c.Index)
			}
		}
		// The chains are the uninterrupted run's: its three runs of equal
		// kernels keep their folds in one subset (chainSubsets), even where
		// the cells fitted are one run alone (which would be split in two).
		if !slices.Equal(fit, tc.fit) || !slices.Equal(replay, tc.replay) || r.subsets != 1 {
			t.Errorf("missing %v: fits %v replaying %v (folds in %d subsets), want fits %v replaying %v (in 1)",
				tc.missing, fit, replay, r.subsets, tc.fit, tc.replay)
		}
	}
}

// TestSeededGridIndependentOfWorkers: a seeded grid's chains depend on the
// grid alone, so its fits start from the same seeds and its cells (CV
// accuracies, fold accuracies, SMO iterations) are the same for any
// -workers. They split each kernel setting's folds into ⌈workers /
// settings⌉ chains before, so one RBF γ at the default tolerance gave
// other iterations (and could give other CV accuracies) at 1, 2 and 3
// workers.
func TestSeededGridIndependentOfWorkers(t *testing.T) {
	d := blobs(4, 40, 100, 3)
	var first []GridCell
	for _, w := range []int{1, 2, 3} {
		cfg := GridConfig{Kernel: "rbf", Gamma: Values(0.01), C: Values(0.5, 2, 8, 32), Folds: 5, Seed: 1, NoRetrain: true, Workers: w}
		_, cells, err := Grid(context.Background(), d, d.Train.X, nil, cfg)
		if err != nil {
			t.Fatal(err)
		}
		if w == 1 {
			first = cells
			continue
		}
		for i, c := range cells {
			f := first[i]
			if c.SMOIter != f.SMOIter || c.SeededPairs != f.SeededPairs || !slices.Equal(c.FoldAccuracy, f.FoldAccuracy) {
				t.Errorf("workers %d, cell %d: %d SMO iterations, %d seeded, folds %v; with 1 worker %d, %d, %v",
					w, c.Index, c.SMOIter, c.SeededPairs, c.FoldAccuracy, f.SMOIter, f.SeededPairs, f.FoldAccuracy)
			}
		}
	}
}

// A seeded run of fewer chains than workers plans its memory for the
// fits it runs at once: at -workers 3 a linear grid's two chains get the
// plan of -workers 2 (here fold rows, with the cache of two fits, not
// of three fits of which one never ran).
func TestSeededPlanForItsChains(t *testing.T) {
	d := blobs(3, 1000, 6, 3)
	var plans []string
	for _, w := range []int{3, 2} {
		cfg := GridConfig{Kernel: "linear", C: Values(0.01, 0.02), Folds: 3, Seed: 1, NoRetrain: true, Workers: w, MemBytes: 56 << 20}
		var plan string
		cfg.Log = func(f string, a ...any) {
			if s := fmt.Sprintf(f, a...); strings.Contains(s, "fits at once") {
				plan = s
			}
		}
		if _, _, err := Grid(context.Background(), d, d.Train.X, nil, cfg); err != nil {
			t.Fatal(err)
		}
		plans = append(plans, plan)
	}
	if plans[0] != plans[1] || !strings.Contains(plans[0], "2 fits at once") || !strings.Contains(plans[0], "cache each") {
		t.Errorf("-workers 3: %q\n-workers 2: %q\nwant the same plan: 2 fits at once, fold rows", plans[0], plans[1])
	}
}
