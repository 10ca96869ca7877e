package bench

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"time"

	"github.com/svmbench/svmbench/cnn"
	"github.com/svmbench/svmbench/dataset"
	"github.com/svmbench/svmbench/internal/memory"
)

// CNNConfig is one run of TrainCNN, the one CNN trainer of svmbench (used
// by bench cnn, bench run and the main job). The zero value of every
// field is a documented default.
type CNNConfig struct {
	// Variant is the network: cnn.VariantFixed or cnn.VariantSigmoidLoss
	// (its old name "seed" is accepted); "" means fixed.
	Variant string
	// Recipe is the training recipe: epochs, batch, learning rate,
	// momentum, weight decay, the seed of the weights and the shuffles.
	// Its zero value is the seed document's (see cnn.TrainConfig). Its
	// Progress, OnEpoch and State are TrainCNN's own and must be nil.
	Recipe cnn.TrainConfig
	// Out is the folder of the run's files: DIR/cnn-VARIANT.json (CNNRun,
	// rewritten after every epoch), the network DIR/cnn-VARIANT.cnn and
	// the checkpoint DIR/cnn-VARIANT.ckpt (network and momentum after the
	// last finished epoch). When the checkpoint exists TrainCNN resumes
	// from it: a resumed run gives the result of an uninterrupted one. ""
	// writes nothing and always starts from scratch.
	Out string
	// Model is the network's file; "" means DIR/cnn-VARIANT.cnn.
	Model string
	// NoEpochTest skips scoring the test split after every epoch (the
	// records' TestAccuracy is then 0); the final scoring is always done.
	NoEpochTest bool
	// Args is the command line, for the manifest.
	Args []string
	// OnEpoch, when not nil, is called after every epoch, with resumed
	// true for the epochs taken from a checkpoint (called first, at once).
	OnEpoch func(e CNNEpoch, evalSeconds float64, resumed bool)
	// Progress, when not nil, reports the training samples done within
	// the current epoch.
	Progress func(done, total int64)
}

// CNNResult is a finished CNN run.
type CNNResult struct {
	Run CNNRun       // the run file's contents, confusion included
	Net *cnn.Network // the trained network
	// Record is the run as a row of DIR/results.json: test accuracy,
	// per-class accuracy and confusion, training seconds (the sum of the
	// epochs' training passes, resumed ones included), prediction seconds
	// and the memory peaks of the training.
	Record ModelResult
	// Resumed is the number of epochs taken from the checkpoint; Trained
	// those trained by this call.
	Resumed, Trained int
	// Paths of the files written ("" without Out).
	RunFile, ModelFile, CheckpointFile string
}

// ErrCheckpointAhead is wrapped by TrainCNN's error when the checkpoint
// holds more epochs than the recipe asks for.
var ErrCheckpointAhead = errors.New("the checkpoint holds more epochs than asked for")

// cnnPaths returns the run, model and checkpoint files of cfg ("" without
// Out).
func (cfg *CNNConfig) paths(variant string) (run, model, ckpt string) {
	model = cfg.Model
	if cfg.Out == "" {
		return "", model, ""
	}
	base := filepath.Join(cfg.Out, "cnn-"+variant)
	if model == "" {
		model = base + ".cnn"
	}
	return base + ".json", model, base + ".ckpt"
}

// recipeParams are the recipe's values recorded in CNNRun.Params (and
// compared on resume, epochs aside).
func recipeParams(r cnn.TrainConfig) map[string]float64 {
	d := r.WithDefaults()
	return map[string]float64{"lr": d.LR, "momentum": d.Momentum, "batch": float64(d.Batch),
		"epochs": float64(d.Epochs), "weight_decay": d.WeightDecay}
}

// TrainCNN trains one variant of the baseline network on d's training
// split (images, scaled by 1/255), scores the test split after every
// epoch (unless NoEpochTest) and at the end, and returns the run. With
// cfg.Out it writes the run file, the network and a checkpoint after every
// epoch and resumes from the checkpoint (refusing one made with another
// recipe or on other data). On cancellation it returns ctx's error; the
// finished epochs are in the files.
func TrainCNN(ctx context.Context, d *dataset.Dataset, cfg CNNConfig) (*CNNResult, error) {
	variant, ok := cnn.CanonicalVariant(cmp.Or(cfg.Variant, cnn.VariantFixed))
	if !ok {
		return nil, fmt.Errorf("bench: CNNConfig.Variant = %q: want %s or %s", cfg.Variant, cnn.VariantSigmoidLoss, cnn.VariantFixed)
	}
	if d.Image == nil {
		return nil, fmt.Errorf("bench: the CNN needs images; data %s has none", d.Source)
	}
	if cfg.Recipe.Progress != nil || cfg.Recipe.OnEpoch != nil || cfg.Recipe.State != nil {
		return nil, fmt.Errorf("bench: CNNConfig.Recipe: Progress, OnEpoch and State must be nil (TrainCNN sets them)")
	}
	res := &CNNResult{}
	res.RunFile, res.ModelFile, res.CheckpointFile = cfg.paths(variant)
	if res.RunFile != "" {
		if err := os.MkdirAll(cfg.Out, 0o755); err != nil {
			return nil, fmt.Errorf("bench: %w", err)
		}
		unlock, err := LockOut(cfg.Out)
		if err != nil {
			return nil, err
		}
		defer unlock()
	}
	state, err := startCNN(d, variant, &cfg, res)
	if err != nil {
		return nil, err
	}
	before := res.Run.Confusion
	if err := fitCNN(ctx, d, &cfg, res, state); err != nil {
		return res, err
	}
	if err := scoreCNN(d, res); err != nil {
		return res, err
	}
	// A finished run scored again gives the same confusion: its file is
	// not rewritten (a caller that only scores, as Run, writes nothing of
	// the trainer's).
	if res.RunFile != "" && (res.Trained > 0 || !slices.EqualFunc(before, res.Run.Confusion, slices.Equal)) {
		if err := WriteJSON(res.RunFile, res.Run); err != nil {
			return res, err
		}
	}
	return res, nil
}

// startCNN makes a new network and run record, or takes both from the
// checkpoint and run file of an earlier run, and returns the training
// state to continue from.
func startCNN(d *dataset.Dataset, variant string, cfg *CNNConfig, res *CNNResult) (*cnn.TrainState, error) {
	man := NewManifest(d, cfg.Recipe.Seed, cfg.Args)
	res.Run = CNNRun{Manifest: man, Variant: variant, Model: res.ModelFile, Params: recipeParams(cfg.Recipe)}
	if res.RunFile != "" {
		res.Run.Model = filepath.Base(res.ModelFile)
		if filepath.Dir(res.ModelFile) != filepath.Clean(cfg.Out) {
			res.Run.Model = res.ModelFile
		}
	}
	for _, c := range d.Classes {
		res.Run.Classes = append(res.Run.Classes, c.Name)
	}
	if res.CheckpointFile != "" {
		if _, err := os.Stat(res.CheckpointFile); err == nil {
			return resumeCNN(variant, cfg, res)
		}
	}
	net, err := cnn.NewBaseline(variant, rand.New(rand.NewPCG(cfg.Recipe.Seed, 1)))
	if err != nil {
		return nil, err
	}
	if in := (cnn.Shape{H: d.Image.Height, W: d.Image.Width, C: d.Image.Channels}); in != net.Input {
		return nil, fmt.Errorf("bench: images are %d×%d×%d; the baseline network takes 32×32×3 (CIFAR-10)", d.Image.Height, d.Image.Width, d.Image.Channels)
	}
	res.Net = net
	return &cnn.TrainState{}, nil
}

// resumeCNN loads the checkpoint and the run file of an earlier run of
// the same recipe on the same data.
func resumeCNN(variant string, cfg *CNNConfig, res *CNNResult) (*cnn.TrainState, error) {
	var old CNNRun
	if err := ReadJSON(res.RunFile, &old); err != nil {
		return nil, fmt.Errorf("bench: %s exists but %s cannot be read (%v): delete the checkpoint or use another folder", res.CheckpointFile, res.RunFile, err)
	}
	for _, k := range []string{"lr", "momentum", "batch", "weight_decay"} {
		if old.Params[k] != res.Run.Params[k] {
			return nil, fmt.Errorf("bench: cannot resume: %w", &MismatchError{File: res.RunFile,
				Why: fmt.Sprintf("a run with %s %g, this one has %g: use another folder or delete %s and %s", k, old.Params[k], res.Run.Params[k], res.RunFile, res.CheckpointFile)})
		}
	}
	man, om := res.Run.Manifest, old.Manifest
	if om.Seed != man.Seed || om.TrainN != man.TrainN || om.TestN != man.TestN || om.DataSource != man.DataSource {
		return nil, fmt.Errorf("bench: cannot resume: %w", &MismatchError{File: res.RunFile,
			Why: fmt.Sprintf("a run on other data or seed (%s, %d/%d images, seed %d): use another folder or delete %s and %s",
				om.DataSource, om.TrainN, om.TestN, om.Seed, res.RunFile, res.CheckpointFile)})
	}
	net, st, err := cnn.LoadCheckpoint(res.CheckpointFile)
	if err != nil {
		return nil, err
	}
	if name, _ := cnn.CanonicalVariant(net.Name); name != variant || st.Epoch > len(old.Epochs) {
		return nil, fmt.Errorf("bench: %s does not match %s (variant %q, epoch %d, %d epoch records): delete both to start again", res.CheckpointFile, res.RunFile, net.Name, st.Epoch, len(old.Epochs))
	}
	if epochs := cfg.Recipe.WithDefaults().Epochs; st.Epoch > epochs {
		return nil, fmt.Errorf("bench: %s holds %d epochs, the recipe %d: %w", res.CheckpointFile, st.Epoch, epochs, ErrCheckpointAhead)
	}
	res.Net, res.Resumed = net, st.Epoch
	res.Run.Manifest = om
	res.Run.Manifest.CommandLine = append([]string(nil), cfg.Args...)
	res.Run.Epochs = old.Epochs[:st.Epoch]
	if st.Epoch == len(old.Epochs) {
		res.Run.Confusion = old.Confusion
	}
	res.Run.PeakRSSBytes, res.Run.PeakHeapBytes = old.PeakRSSBytes, old.PeakHeapBytes
	if cfg.OnEpoch != nil {
		for _, e := range res.Run.Epochs {
			cfg.OnEpoch(e, 0, true)
		}
	}
	return st, nil
}

// fitCNN trains the epochs still to do, saving the run file, the network
// and the checkpoint after each, and records the memory peaks.
func fitCNN(ctx context.Context, d *dataset.Dataset, cfg *CNNConfig, res *CNNResult, state *cnn.TrainState) error {
	tc := cfg.Recipe
	tc.State, tc.Progress = state, cfg.Progress
	// A checkpoint that cannot be written stops the training at once:
	// training on would only lose more epochs (issue 13).
	ctx, stop := context.WithCancel(ctx)
	defer stop()
	var saveErr error
	tc.OnEpoch = func(e cnn.EpochStats) {
		rec := CNNEpoch{Epoch: e.Epoch, TrainLoss: e.TrainLoss, TestAccuracy: e.TestAccuracy, Seconds: e.Seconds}
		res.Run.Epochs = append(res.Run.Epochs, rec)
		res.Trained++
		if cfg.OnEpoch != nil {
			cfg.OnEpoch(rec, e.EvalSeconds, false)
		}
		if res.RunFile == "" || saveErr != nil {
			return
		}
		// Records first, then the network and the checkpoint: a crash in
		// between leaves a record the checkpoint has not reached, which
		// resuming repeats.
		saveErr = errors.Join(WriteJSON(res.RunFile, res.Run), res.Net.Save(res.ModelFile),
			cnn.SaveCheckpoint(res.CheckpointFile, res.Net, state))
		if saveErr != nil {
			stop()
		}
	}
	test := &d.Test
	if cfg.NoEpochTest {
		test = nil
	}
	peak, err := memory.Measure(func() error {
		_, err := cnn.Fit(ctx, res.Net, &d.Train, test, *d.Image, tc)
		return err
	})
	if res.Trained > 0 {
		res.Run.PeakRSSBytes = max(res.Run.PeakRSSBytes, peak.RSSBytes)
		res.Run.PeakHeapBytes = max(res.Run.PeakHeapBytes, peak.HeapBytes)
	}
	if saveErr != nil {
		return fmt.Errorf("bench: epoch %d trained but not saved, training stopped (the last checkpoint is kept): %w", len(res.Run.Epochs), saveErr)
	}
	if err != nil {
		return err
	}
	// Without a run file the network was not saved after each epoch; a
	// finished run resumed saves it only if it is missing.
	if res.ModelFile == "" {
		return nil
	}
	if _, err := os.Stat(res.ModelFile); res.RunFile == "" || err != nil {
		return res.Net.Save(res.ModelFile)
	}
	return nil
}

// cnnPredict returns net's labels for d's test images (the network's
// outputs are class indices 0…K-1 in d.Classes order).
func cnnPredict(net *cnn.Network, d *dataset.Dataset) ([]int, error) {
	pred := make([]int, d.Test.Len())
	if err := net.Predict(pred, d.Test.X); err != nil {
		return nil, err
	}
	for i, p := range pred {
		if p >= 0 && p < len(d.Classes) {
			pred[i] = d.Classes[p].Label
		}
	}
	return pred, nil
}

// epochSeconds is a CNN run's training seconds: its epochs' summed.
func epochSeconds(run *CNNRun) float64 {
	var s float64
	for _, e := range run.Epochs {
		s += e.Seconds
	}
	return s
}

// scoreCNN predicts the test split with the trained network and fills the
// run's confusion matrix and the results record.
func scoreCNN(d *dataset.Dataset, res *CNNResult) error {
	t0 := time.Now()
	pred, err := cnnPredict(res.Net, d)
	if err != nil {
		return err
	}
	predSecs := time.Since(t0).Seconds()
	r := ModelResult{Model: "cnn-" + res.Run.Variant, Features: "pixels", Params: res.Run.Params,
		PredictSeconds: predSecs, PeakHeapBytes: res.Run.PeakHeapBytes, PeakRSSBytes: res.Run.PeakRSSBytes,
		TrainSeconds: epochSeconds(&res.Run)}
	score(&r, d, pred)
	res.Run.Confusion = r.Confusion
	res.Record = r
	return nil
}
