package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/svmbench/svmbench/bench"
	"github.com/svmbench/svmbench/cnn"
	"github.com/svmbench/svmbench/internal/linalg"
	"github.com/svmbench/svmbench/internal/progress"
)

var cmdCNN = &Command{
	Name:      "cnn",
	UsageLine: "cnn -variant sigmoid-loss|fixed -out DIR [-data SPEC] [-epochs 10] [-batch 100] [-lr 0.001] [-momentum 0.9] [-train N] [-test M] [-seed S] [-model FILE]",
	Resume:    "the last epoch's checkpoint is kept; run the same command again to resume",
	Short:     "train the seed document's CNN (variant sigmoid-loss or fixed) and record test accuracy per epoch",
	Long: `Cnn trains the seed document's CIFAR-10 network in pure Go: conv 3→32,
ReLU, max-pool; conv 32→64, ReLU, max-pool; dense 4096→512, ReLU; dense
512→10; softmax cross-entropy; SGD with momentum; inputs x/255. Variant
"sigmoid-loss" (called "seed" before; that name is still accepted) keeps
the seed's sigmoid on the outputs before the loss, variant "fixed" drops
it. Training is bench.TrainCNN, the trainer bench run and the main job
use too.

After every epoch it prints the mean training loss, the test accuracy and
the epoch's time, and rewrites DIR/cnn-VARIANT.json (bench.CNNRun) and the
model (DIR/cnn-VARIANT.cnn unless -model is given) and a checkpoint
(DIR/cnn-VARIANT.ckpt: network and momentum). Run the same command again
after an interruption and it continues after the last finished epoch; the
result is the one an uninterrupted run gives. The model file feeds the "cnn" feature set
(-features cnn -cnn-model FILE).`,
	Flags: func(fs *flag.FlagSet) runner {
		c := &cnnCmd{df: addDataFlags(fs)}
		fs.StringVar(&c.variant, "variant", "", "network variant: sigmoid-loss (sigmoid before the loss, as written; old name seed) or fixed")
		fs.IntVar(&c.epochs, "epochs", 10, "training epochs")
		fs.IntVar(&c.batch, "batch", 100, "mini-batch size")
		fs.Float64Var(&c.lr, "lr", 0.001, "SGD learning rate")
		fs.Float64Var(&c.momentum, "momentum", 0.9, "SGD momentum in [0, 1)")
		fs.Float64Var(&c.wd, "wd", 0, "weight decay")
		fs.StringVar(&c.out, "out", "", "results `DIR`")
		fs.StringVar(&c.model, "model", "", "where to save the trained network (default DIR/cnn-VARIANT.cnn)")
		return c
	},
}

// cnnCmd is bench cnn's flags.
type cnnCmd struct {
	df                  *dataFlags
	variant, out, model string
	epochs, batch       int
	lr, momentum, wd    float64
}

func (c *cnnCmd) check(args []string) error {
	if len(args) > 0 {
		return usagef("unexpected arguments %q", args)
	}
	v, ok := cnn.CanonicalVariant(c.variant)
	if !ok {
		return usagef("-variant %q: want sigmoid-loss (old name seed) or fixed", c.variant)
	}
	c.variant = v
	switch {
	case c.out == "":
		return usagef("-out DIR is required")
	case c.epochs < 1:
		return usagef("-epochs %d: want ≥ 1", c.epochs)
	case c.batch < 1:
		return usagef("-batch %d: want ≥ 1", c.batch)
	case !(c.lr > 0):
		return usagef("-lr %v: want > 0", c.lr)
	case !(c.momentum >= 0 && c.momentum < 1):
		return usagef("-momentum %v: want a value in [0, 1)", c.momentum)
	case !(c.wd >= 0):
		return usagef("-wd %v: want ≥ 0", c.wd)
	}
	return c.df.validate()
}

// run is bench cnn: bench.TrainCNN with checkpoints in -out, every
// epoch printed.
func (c *cnnCmd) run(ctx context.Context) error {
	recipe := cnn.TrainConfig{Epochs: c.epochs, Batch: c.batch, LR: c.lr, Momentum: c.momentum, WeightDecay: c.wd, Seed: c.df.seed}
	if c.momentum == 0 {
		recipe.Momentum = cnn.NoMomentum
	}
	prog := newProgress()
	defer prog.Wait()
	d, err := c.df.load(ctx, prog)
	if err != nil {
		return err
	}
	cfg := bench.CNNConfig{Variant: c.variant, Recipe: recipe, Out: c.out, Model: c.model, Args: os.Args}
	var bar *progress.Bar
	epoch := 1
	cfg.Progress = func(done, total int64) {
		if bar == nil {
			bar = prog.Bar(fmt.Sprintf("epoch %d/%d", epoch, c.epochs), total)
		}
		bar.Set(done)
	}
	ckpt := filepath.Join(c.out, "cnn-"+c.variant+".ckpt")
	cfg.OnEpoch = func(e bench.CNNEpoch, evalSecs float64, resumed bool) {
		bar.Done() // a nil bar does nothing
		bar, epoch = nil, e.Epoch+1
		if resumed {
			prog.Printf("epoch %2d  train loss %.4f  test accuracy %.2f%%  %.1f s  (from %s)", e.Epoch, e.TrainLoss, 100*e.TestAccuracy, e.Seconds, ckpt)
			return
		}
		prog.Printf("epoch %2d  train loss %.4f  test accuracy %.2f%%  %.1f s (+%.1f s test)", e.Epoch, e.TrainLoss, 100*e.TestAccuracy, e.Seconds, evalSecs)
	}
	prog.Printf("cnn %s: %d training, %d test images, %d epochs, batch %d, lr %g, momentum %g, BLAS %s",
		c.variant, d.Train.Len(), d.Test.Len(), c.epochs, c.batch, c.lr, c.momentum, linalg.Implementation())
	start := time.Now()
	res, err := bench.TrainCNN(ctx, d, cfg)
	bar.Done()
	if errors.Is(err, bench.ErrCheckpointAhead) {
		return usagef("%w; -epochs %d", err, c.epochs)
	}
	if err != nil {
		return err
	}
	prog.Printf("cnn %s: done in %s; test accuracy %.2f%%, %s; results %s, model %s", res.Run.Variant, time.Since(start).Round(time.Second),
		100*res.Record.Accuracy, peakString(res.Run.PeakRSSBytes, res.Run.PeakHeapBytes), res.RunFile, res.ModelFile)
	return nil
}
