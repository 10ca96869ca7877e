package bench

import (
	"context"
	"os"
	"slices"
	"testing"
)

// warmCold runs the grid cfg with alpha seeding and without, on the real
// solver, and returns both runs' cells.
func warmCold(t *testing.T, cfg GridConfig, run func(GridConfig) []GridCell) (warm, cold []GridCell) {
	t.Helper()
	cfg.WarmStart = true
	warm = run(cfg)
	cfg.WarmStart = false
	cold = run(cfg)
	if len(warm) != len(cold) {
		t.Fatalf("%d warm cells, %d cold", len(warm), len(cold))
	}
	return warm, cold
}

func sumIter(cells []GridCell) (it int, secs float64) {
	for _, c := range cells {
		it += c.SMOIter
		secs += c.Seconds
	}
	return it, secs
}

// TestWarmStartSameCV: at -eps 1e-5, a 5-fold grid over a PSD kernel
// (RBF, γ × 4 values of C) gives the same fold accuracies with alpha
// seeding as from cold starts, in fewer SMO iterations. On the sigmoid
// grid (not PSD everywhere) the test only counts the cells that differ.
func TestWarmStartSameCV(t *testing.T) {
	d := blobs(4, 40, 8, 3)
	for _, cfg := range []GridConfig{
		{Kernel: "rbf", Gamma: Values(0.05, 0.2), C: Values(0.5, 2, 8, 32)},
		{Kernel: "sigmoid", Alpha: Values(0.01, 0.03), Coef0: Values(-1, 0), C: Values(0.5, 2, 8, 32)},
	} {
		cfg.Folds, cfg.Seed, cfg.Tol, cfg.NoRetrain, cfg.Workers = 5, 1, 1e-5, true, 2
		warm, cold := warmCold(t, cfg, func(c GridConfig) []GridCell {
			_, cells, err := Grid(context.Background(), d, d.Train.X, nil, c)
			if err != nil {
				t.Fatal(err)
			}
			return cells
		})
		differ := 0
		for i := range warm {
			w, c := warm[i], cold[i]
			if !w.WarmStart || c.WarmStart {
				t.Errorf("cell %d: warm_start %v and %v", i, w.WarmStart, c.WarmStart)
			}
			if !slices.Equal(w.FoldAccuracy, c.FoldAccuracy) {
				differ++
				if cfg.Kernel == "rbf" {
					t.Errorf("rbf cell %d (γ %g C %g): fold accuracies warm %v, cold %v", i, w.Gamma, w.C, w.FoldAccuracy, c.FoldAccuracy)
				}
			}
		}
		iw, sw := sumIter(warm)
		ic, sc := sumIter(cold)
		t.Logf("%s: %d of %d cells differ; SMO iterations warm %d, cold %d (%.2f× fewer); fit seconds warm %.2f, cold %.2f",
			cfg.Kernel, differ, len(warm), iw, ic, float64(ic)/float64(iw), sw, sc)
		if iw >= ic {
			t.Errorf("%s: alpha seeding took %d SMO iterations, cold starts %d", cfg.Kernel, iw, ic)
		}
	}
}

// TestWarmStartCIFAR measures alpha seeding on a 5-fold α × c × C sigmoid
// grid with 4 values of C on CIFAR-10 (500 images, pixels/255): it logs
// the iterations and seconds, warm against cold, and the cells whose CV
// accuracy differs. It checks only that the seeded grid ran fewer
// iterations.
func TestWarmStartCIFAR(t *testing.T) {
	if os.Getenv("CIFAR10_DIR") == "" {
		t.Skip("CIFAR10_DIR not set")
	}
	d, train, _ := smallData(t, 50, 1)
	cfg := GridConfig{Kernel: "sigmoid", Alpha: Values(0.0003, 0.001), Coef0: Values(-1, 0), C: Values(1, 4, 16, 64),
		Folds: 5, Seed: 1, Tol: 1e-5, NoRetrain: true, Workers: 2}
	warm, cold := warmCold(t, cfg, func(c GridConfig) []GridCell {
		_, cells, err := Grid(context.Background(), d, train, nil, c)
		if err != nil {
			t.Fatal(err)
		}
		return cells
	})
	differ := 0
	for i := range warm {
		if warm[i].CVAccuracy != cold[i].CVAccuracy {
			differ++
			t.Logf("cell %d (α %g c %g C %g): CV accuracy warm %.4f, cold %.4f", i, warm[i].Alpha, warm[i].Coef0, warm[i].C, warm[i].CVAccuracy, cold[i].CVAccuracy)
		}
	}
	iw, sw := sumIter(warm)
	ic, sc := sumIter(cold)
	t.Logf("sigmoid 2α×2c×4C, 5 folds, 500 images: %d of %d cells differ; SMO iterations warm %d, cold %d (%.2f× fewer); fit seconds warm %.2f, cold %.2f",
		differ, len(warm), iw, ic, float64(ic)/float64(iw), sw, sc)
	if iw >= ic {
		t.Errorf("alpha seeding took %d SMO iterations, cold starts %d", iw, ic)
	}
}
