package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"time"

	"github.com/svmbench/svmbench/bench"
	"github.com/svmbench/svmbench/cnn"
	"github.com/svmbench/svmbench/internal/progress"
)

var cmdCNN = &Command{
	Name:      "cnn",
	UsageLine: "cnn -variant seed|fixed -out DIR [-data SPEC] [-epochs 10] [-batch 100] [-lr 0.001] [-momentum 0.9] [-train N] [-test M] [-seed S] [-model FILE]",
	Short:     "train the seed document's CNN (variant seed or fixed) and record test accuracy per epoch",
	Long: `Cnn trains the seed document's CIFAR-10 network in pure Go: conv 3→32,
ReLU, max-pool; conv 32→64, ReLU, max-pool; dense 4096→512, ReLU; dense
512→10; softmax cross-entropy; SGD with momentum; inputs x/255. Variant
"seed" keeps the seed's sigmoid on the outputs before the loss, variant
"fixed" drops it.

After every epoch it prints the mean training loss, the test accuracy and
the epoch's time, and rewrites DIR/cnn-VARIANT.json (bench.CNNRun) and the
model (DIR/cnn-VARIANT.cnn unless -model is given) and a checkpoint
(DIR/cnn-VARIANT.ckpt: network and momentum). Run the same command again
after an interruption and it continues after the last finished epoch; the
result is the one an uninterrupted run gives. The model file feeds the "cnn" feature set
(-features cnn -cnn-model FILE).`,
	Flags: func(fs *flag.FlagSet) runner {
		c := &cnnCmd{df: addDataFlags(fs)}
		fs.StringVar(&c.variant, "variant", "", "network variant: seed (sigmoid before the loss, as written) or fixed")
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
	switch {
	case c.variant != cnn.VariantSeed && c.variant != cnn.VariantFixed:
		return usagef("-variant %q: want seed or fixed", c.variant)
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

// run is bench cnn: train one variant with checkpoints, printing every
// epoch.
func (c *cnnCmd) run(ctx context.Context) error {
	cfg := cnn.TrainConfig{Epochs: c.epochs, Batch: c.batch, LR: c.lr, Momentum: c.momentum, WeightDecay: c.wd, Seed: c.df.seed}
	if c.momentum == 0 {
		cfg.Momentum = cnn.NoMomentum
	}
	return runCNN(ctx, cnnJob{df: c.df, variant: c.variant, out: c.out, model: c.model, cfg: cfg, args: os.Args})
}

type cnnJob struct {
	df         *dataFlags
	variant    string
	out, model string
	cfg        cnn.TrainConfig
	args       []string
}

func runCNN(ctx context.Context, j cnnJob) error {
	if err := os.MkdirAll(j.out, 0o755); err != nil {
		return err
	}
	prog := newProgress()
	defer prog.Wait()
	d, err := j.df.load(ctx, prog)
	if err != nil {
		return err
	}
	if d.Image == nil {
		return fmt.Errorf("-data %s has no images; the CNN needs images", j.df.spec)
	}
	train, test := &d.Train, &d.Test
	rng := rand.New(rand.NewPCG(j.cfg.Seed, 1))
	net, err := cnn.NewSeed(j.variant, rng)
	if err != nil {
		return err
	}
	if in := (cnn.Shape{H: d.Image.Height, W: d.Image.Width, C: d.Image.Channels}); in != net.Input {
		return fmt.Errorf("images are %d×%d×%d; the seed network takes 32×32×3 (CIFAR-10)", d.Image.Height, d.Image.Width, d.Image.Channels)
	}
	modelPath := j.model
	if modelPath == "" {
		modelPath = filepath.Join(j.out, "cnn-"+j.variant+".cnn")
	}
	man := bench.NewManifest(d, j.cfg.Seed, j.args)
	run := bench.CNNRun{Manifest: man, Variant: j.variant, Model: modelPath,
		Params: map[string]float64{"lr": j.cfg.LR, "momentum": max(j.cfg.Momentum, 0), "batch": float64(j.cfg.Batch),
			"epochs": float64(j.cfg.Epochs), "weight_decay": j.cfg.WeightDecay}}
	for _, c := range d.Classes {
		run.Classes = append(run.Classes, c.Name)
	}
	jsonPath := filepath.Join(j.out, "cnn-"+j.variant+".json")
	ckptPath := filepath.Join(j.out, "cnn-"+j.variant+".ckpt")
	state := &cnn.TrainState{}
	if _, err := os.Stat(ckptPath); err == nil {
		// Resume: the checkpoint holds the network and momentum after its
		// last finished epoch; the JSON its records.
		var old bench.CNNRun
		b, err := os.ReadFile(jsonPath)
		if err == nil {
			err = json.Unmarshal(b, &old)
		}
		if err != nil {
			return fmt.Errorf("%s exists but %s cannot be read (%v): delete the checkpoint or use another -out", ckptPath, jsonPath, err)
		}
		for _, k := range []string{"lr", "momentum", "batch", "weight_decay"} {
			if old.Params[k] != run.Params[k] {
				return fmt.Errorf("%s holds a run with %s %g, this one has %g: use another -out or delete %s and %s", j.out, k, old.Params[k], run.Params[k], jsonPath, ckptPath)
			}
		}
		if old.Manifest.Seed != man.Seed || old.Manifest.TrainN != man.TrainN || old.Manifest.TestN != man.TestN || old.Manifest.DataSource != man.DataSource {
			return fmt.Errorf("%s holds a run on other data or seed (%s, %d/%d images, seed %d): use another -out or delete %s and %s",
				j.out, old.Manifest.DataSource, old.Manifest.TrainN, old.Manifest.TestN, old.Manifest.Seed, jsonPath, ckptPath)
		}
		cnet, st, err := cnn.LoadCheckpoint(ckptPath)
		if err != nil {
			return err
		}
		if cnet.Name != j.variant || st.Epoch > len(old.Epochs) {
			return fmt.Errorf("%s does not match %s (variant %q, epoch %d, %d epoch records): delete both to start again", ckptPath, jsonPath, cnet.Name, st.Epoch, len(old.Epochs))
		}
		if st.Epoch > j.cfg.Epochs {
			return usagef("%s already holds %d epochs; -epochs %d", ckptPath, st.Epoch, j.cfg.Epochs)
		}
		net, state = cnet, st
		run.Manifest = old.Manifest
		run.Manifest.CommandLine = j.args
		run.Epochs = old.Epochs[:st.Epoch]
		for _, e := range run.Epochs {
			prog.Printf("epoch %2d  train loss %.4f  test accuracy %.2f%%  %.1f s  (from %s)", e.Epoch, e.TrainLoss, 100*e.TestAccuracy, e.Seconds, ckptPath)
		}
	}
	prog.Printf("cnn %s: %d training, %d test images, %d epochs, batch %d, lr %g, momentum %g, BLAS %s, %d parameters",
		j.variant, train.Len(), test.Len(), j.cfg.Epochs, j.cfg.Batch, j.cfg.LR, max(j.cfg.Momentum, 0), man.BLAS, net.NumParams())

	var bar *progress.Bar
	epoch := state.Epoch + 1
	var saveErr error
	cfg := j.cfg
	cfg.State = state
	cfg.Progress = func(done, total int64) {
		if bar == nil {
			bar = prog.Bar(fmt.Sprintf("epoch %d/%d", epoch, cfg.Epochs), total)
		}
		bar.Set(done)
	}
	cfg.OnEpoch = func(e cnn.EpochStats) {
		if bar != nil {
			bar.Done()
			bar = nil
		}
		epoch = e.Epoch + 1
		prog.Printf("epoch %2d  train loss %.4f  test accuracy %.2f%%  %.1f s (+%.1f s test)",
			e.Epoch, e.TrainLoss, 100*e.TestAccuracy, e.Seconds, e.EvalSeconds)
		run.Epochs = append(run.Epochs, bench.CNNEpoch{Epoch: e.Epoch, TrainLoss: e.TrainLoss, TestAccuracy: e.TestAccuracy, Seconds: e.Seconds})
		// Records first, then the checkpoint: a crash in between leaves a
		// record the checkpoint has not reached, which resuming repeats.
		if err := bench.WriteJSON(jsonPath, run); err != nil && saveErr == nil {
			saveErr = err
		}
		if err := net.Save(modelPath); err != nil && saveErr == nil {
			saveErr = err
		}
		if err := cnn.SaveCheckpoint(ckptPath, net, state); err != nil && saveErr == nil {
			saveErr = err
		}
	}
	start := time.Now()
	_, err = cnn.Fit(ctx, net, train, test, *d.Image, cfg)
	if bar != nil {
		bar.Done()
	}
	if err != nil {
		return err
	}
	if saveErr != nil {
		return saveErr
	}
	if test.Len() > 0 {
		pred := make([]int, test.Len())
		if err := net.Predict(pred, test.X); err != nil {
			return err
		}
		k := len(d.Classes)
		conf := make([][]int, k)
		for i := range conf {
			conf[i] = make([]int, k)
		}
		for i, p := range pred {
			if y := test.Y[i]; y >= 0 && y < k && p < k {
				conf[y][p]++
			}
		}
		run.Confusion = conf
	}
	if err := bench.WriteJSON(jsonPath, run); err != nil {
		return err
	}
	prog.Printf("cnn %s: done in %s; results %s, model %s", j.variant, time.Since(start).Round(time.Second), jsonPath, modelPath)
	return nil
}
