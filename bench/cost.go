package bench

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"time"

	"github.com/svmbench/svmbench/dataset"
	"github.com/svmbench/svmbench/features"
	"github.com/svmbench/svmbench/kernels"
	"github.com/svmbench/svmbench/matrix"
)

// CostConfig measures the seed's cost claim: tanh against exp and the
// identity in the Gram engine, on N balanced training images' pixels.
type CostConfig struct {
	// Models are SVMs at the parameters Run would use; nil means
	// svm-sigmoid, svm-rbf, svm-linear.
	Models []string
	// N is the number of training images; 0 means 2000 (or all when fewer).
	N int
	// Repeats of each timing, the fastest kept; 0 means 3.
	Repeats int
	// ParamsDir, Tol, MemBytes, Seed, Out (DIR/cost.json) and Args as in
	// RunConfig.
	ParamsDir string
	Tol       float64
	MemBytes  int64
	Seed      uint64
	Out       string
	Args      []string
}

// fastest runs f reps times and returns its fastest wall time in seconds.
func fastest(reps int, f func()) float64 {
	best := math.Inf(1)
	for range reps {
		t0 := time.Now()
		f()
		best = min(best, time.Since(t0).Seconds())
	}
	return best
}

// RunCost times the kernel map against the inner products (see Cost).
func RunCost(ctx context.Context, d *dataset.Dataset, cfg CostConfig) (*Cost, error) {
	models := cfg.Models
	if len(models) == 0 {
		models = []string{"svm-sigmoid", "svm-rbf", "svm-linear"}
	}
	n, reps := cmp.Or(cfg.N, min(2000, d.Train.Len())), cmp.Or(cfg.Repeats, 3)
	if n < 2 || n > d.Train.Len() {
		return nil, fmt.Errorf("bench: CostConfig.N is %d: want 2 to %d", n, d.Train.Len())
	}
	sub, err := d.Balanced(n, len(d.Classes), rand.New(rand.NewPCG(cfg.Seed, 0x636f7374))) // "cost"
	if err != nil {
		return nil, fmt.Errorf("bench: %w", err)
	}
	ext, err := features.ByName("pixels")
	if err != nil {
		return nil, err
	}
	x, _, err := features.Apply(ext, sub)
	if err != nil {
		return nil, err
	}
	out := &Cost{Manifest: NewManifest(sub, cfg.Seed, cfg.Args), N: n, Dim: x.Cols, Repeats: reps}
	values := float64(n) * float64(n)
	var dg *kernels.DotGram
	out.DotNsPerValue = 1e9 * fastest(reps, func() { dg = kernels.NewDotGram(x) }) / values
	dst := matrix.New(n, n)
	for _, m := range models {
		if err := ctx.Err(); err != nil {
			return out, err
		}
		kc, err := kernelCost(ctx, m, x, sub.Train.Y, dg, dst, cfg, reps)
		if err != nil {
			return out, err
		}
		out.Kernels = append(out.Kernels, kc)
	}
	if cfg.Out != "" {
		path, _, err := openResumable[Cost](cfg.Out, CostFile, true, func(*Cost) string { return "" })
		if err != nil {
			return out, err
		}
		return out, WriteJSON(path, out)
	}
	return out, nil
}

func kernelCost(ctx context.Context, model string, x *matrix.Matrix, y []int, dg *kernels.DotGram, dst *matrix.Matrix, cfg CostConfig, reps int) (KernelCost, error) {
	c, _, err := SVMParams(model, "pixels", x.Cols, cfg.ParamsDir)
	if err != nil {
		return KernelCost{}, err
	}
	k, err := CellKernel(c)
	if err != nil {
		return KernelCost{}, err
	}
	dk, ok := k.(kernels.DotKernel)
	if !ok {
		return KernelCost{}, fmt.Errorf("bench: %s is not a dot-product kernel", model)
	}
	values := float64(x.Rows) * float64(x.Rows)
	kc := KernelCost{Model: model, Params: cellParams(c)}
	mapSec := fastest(reps, func() { dg.Gram(dst, dk, nil, nil) })
	e, err := kernels.NewEngine(k, x)
	if err != nil {
		return kc, err
	}
	gramSec := fastest(reps, func() { e.Gram(dst) })
	kc.MapNsPerValue, kc.GramNsPerValue = 1e9*mapSec/values, 1e9*gramSec/values
	kc.MapShareOfGram = mapSec / gramSec
	_, secs, _, err := trainSVM(ctx, x, y, c, cfg.Tol, cfg.MemBytes, nil)
	if err != nil {
		return kc, fmt.Errorf("bench: cost of %s: %w", model, err)
	}
	kc.TrainSeconds, kc.MapShareOfTrain = secs, mapSec/secs
	return kc, nil
}
