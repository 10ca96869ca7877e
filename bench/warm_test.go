package bench

import (
	"context"
	"fmt"
	"os"
	"slices"
	"sync"
	"testing"

	"github.com/svmbench/svmbench/dataset"
	"github.com/svmbench/svmbench/matrix"
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

// warmCold runs cfg with alpha seeding and without and checks that every
// fold of every cell predicts the same labels; it returns the SMO
// iterations, seeded sub-problems and fit seconds of both runs.
func warmCold(t *testing.T, d *dataset.Dataset, x *matrix.Matrix, cfg GridConfig) (warm, cold []GridCell) {
	t.Helper()
	cfg.ColdStart = false
	warm, pw := foldPreds(t, d, x, cfg)
	cfg.ColdStart = true
	cold, pc := foldPreds(t, d, x, cfg)
	if len(warm) != len(cold) || len(pw) != len(pc) || len(pw) != len(warm)*cfg.Folds {
		t.Fatalf("%d warm cells, %d cold; %d and %d fits", len(warm), len(cold), len(pw), len(pc))
	}
	for key, p := range pw {
		if !slices.Equal(p, pc[key]) {
			t.Errorf("%s fold %s: seeded and cold fits predict differently", cfg.Kernel, key)
		}
	}
	for i := range warm {
		if !warm[i].WarmStart || cold[i].WarmStart || cold[i].SeededPairs != 0 {
			t.Errorf("cell %d: warm_start %v and %v, seeded pairs %d cold", i, warm[i].WarmStart, cold[i].WarmStart, cold[i].SeededPairs)
		}
	}
	return warm, cold
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
// with pairs that are positive definite (c = 0, small α, more dimensions
// than samples a pair) and pairs that are not (c = −1: started cold), in
// fewer SMO iterations where something was seeded.
func TestWarmStartSameCV(t *testing.T) {
	d := blobs(4, 40, 100, 3)
	for _, cfg := range []GridConfig{
		{Kernel: "rbf", Gamma: Values(0.002, 0.01), C: Values(0.5, 2, 8, 32)},
		{Kernel: "sigmoid", Alpha: Values(0.0005, 0.01), Coef0: Values(-1, 0), C: Values(0.5, 2, 8, 32)},
	} {
		cfg.Folds, cfg.Seed, cfg.Tol, cfg.NoRetrain, cfg.Workers = 5, 1, 1e-5, true, 2
		warm, cold := warmCold(t, d, d.Train.X, cfg)
		iw, seeded, sw := sumIter(warm)
		ic, _, sc := sumIter(cold)
		pairs := len(warm) * cfg.Folds * 6
		t.Logf("%s: %d of %d sub-problems seeded; SMO iterations warm %d, cold %d (%.2f× fewer); fit seconds warm %.2f, cold %.2f",
			cfg.Kernel, seeded, pairs, iw, ic, float64(ic)/float64(iw), sw, sc)
		if seeded == 0 || iw >= ic {
			t.Errorf("%s: %d sub-problems seeded, %d SMO iterations against %d cold", cfg.Kernel, seeded, iw, ic)
		}
		if cfg.Kernel == "sigmoid" {
			for _, c := range warm {
				if c.Coef0 == -1 && c.SeededPairs != 0 {
					t.Errorf("sigmoid cell α %g c −1 C %g (not PSD): %d pairs seeded", c.Alpha, c.C, c.SeededPairs)
				}
			}
		}
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
	cfgs = append(cfgs, GridConfig{Kernel: "rbf", Gamma: Values(1.0/3072/0.06, 1.0/3072/0.02), C: Values(1, 2, 4, 8)})
	for i := range cfgs {
		cfgs[i].Folds, cfgs[i].Seed, cfgs[i].Tol, cfgs[i].NoRetrain, cfgs[i].Workers = 5, 1, 1e-5, true, 2
	}
	return cfgs
}

// TestWarmStartCIFAR checks on CIFAR-10 (seedingGrids) that every fold of
// every cell predicts the same labels with alpha seeding as from cold
// starts (warmCold), and logs the SMO iterations, seeded sub-problems and
// fit seconds of both.
func TestWarmStartCIFAR(t *testing.T) {
	if os.Getenv("CIFAR10_DIR") == "" {
		t.Skip("CIFAR10_DIR not set")
	}
	d, train, _ := smallData(t, 50, 1)
	for _, cfg := range seedingGrids() {
		warm, cold := warmCold(t, d, train, cfg)
		iw, seeded, sw := sumIter(warm)
		ic, _, sc := sumIter(cold)
		t.Logf("%s α %v c %v γ %v C %v, 5 folds, 500 images: %d of %d sub-problems seeded; SMO iterations warm %d, cold %d (%.2f× fewer); fit seconds warm %.2f, cold %.2f",
			cfg.Kernel, cfg.Alpha, cfg.Coef0, cfg.Gamma, cfg.C, seeded, len(warm)*5*45, iw, ic, float64(ic)/float64(iw), sw, sc)
		for i := range warm {
			if warm[i].SeededPairs > 0 {
				t.Logf("  α %g c %g γ %g C %g: %d pairs seeded, %d iterations against %d", warm[i].Alpha, warm[i].Coef0, warm[i].Gamma, warm[i].C, warm[i].SeededPairs, warm[i].SMOIter, cold[i].SMOIter)
			}
		}
	}
}
