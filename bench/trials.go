package bench

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"time"

	"github.com/svmbench/svmbench/cnn"
	"github.com/svmbench/svmbench/dataset"
	"github.com/svmbench/svmbench/features"
	"github.com/svmbench/svmbench/matrix"
)

// TrialsConfig is a set of SVM trials on balanced training subsets of d,
// scored on one fixed balanced test subset: repeats and a learning curve
// on clean data, and the seed's noise claim.
type TrialsConfig struct {
	// Models are SVMs (svm-KERNEL), at the parameters Run would use (best
	// files in ParamsDir, else LIBSVM's defaults); nil means svm-sigmoid,
	// svm-rbf, svm-linear.
	Models []string
	// Features of the learning curve; nil means pixels. "cnn" needs
	// CNNExtractor.
	Features     []string
	CNNExtractor features.Extractor
	// Sizes are the learning curve's training sizes, each trained Repeats
	// times (0 means 1) on other balanced subsets.
	Sizes   []int
	Repeats int
	// NoiseN is the training size of the noise studies on pixels (0: no
	// noise study); LabelNoise the flip probabilities, PixelNoise the σ of
	// the pixel noise on [0, 1] (0 is the clean curve's trial and is not
	// run again), each NoiseRepeats times (0 means 1).
	NoiseN       int
	LabelNoise   []float64
	PixelNoise   []float64
	NoiseRepeats int
	// NoiseCNNs are CNN variants (cnn.VariantFixed, VariantSigmoidLoss)
	// the noise studies train too, each on the same noisy subsets as the
	// SVMs with CNNRecipe (its Progress, OnEpoch and State nil; the
	// repeat is added to its Seed), and once on the clean subset at
	// NoiseN, their reference. nil means none. A CNN trial interrupted
	// mid-training starts again on resume (it is not checkpointed).
	NoiseCNNs []string
	CNNRecipe cnn.TrainConfig
	// CNNs are networks trained elsewhere (the main job's cnn stage),
	// scored here on the test subset as learning-curve trials on pixels,
	// so that their answers per image join the SVMs' in the paired tests.
	CNNs []CNNTrial
	// TestN is the test subset size; 0 means 1000 (or all when fewer).
	TestN int
	// ParamsDir, Tol, MemBytes, Seed, Out, Resume, Args and Progress as in
	// RunConfig; Out receives DIR/trials.json, rewritten after every
	// trial. Stage is called before each trial with its key.
	ParamsDir string
	Tol       float64
	MemBytes  int64
	Seed      uint64
	Out       string
	Resume    bool
	Args      []string
	Stage     func(t Trial)
	Progress  func(done, total int64)
}

// CNNTrial is a trained network that RunTrials scores as the learning
// curve's trial Model/pixels/N/Repeat (it trains nothing).
type CNNTrial struct {
	Model        string // "cnn-VARIANT"
	N            int    // the training images it was trained on
	Repeat       int    // 0 for the one network of a run
	Net          *cnn.Network
	Params       map[string]float64 // its recipe, as in results.json
	TrainSeconds float64
}

// plan lists the trials of cfg, without results, in run order. A size
// that takes all of the pool's training images (all) is trained once: its
// repeats would train on the same images.
func (cfg *TrialsConfig) plan(models, feats []string, all int) []Trial {
	var ts []Trial
	for r := range max(cfg.Repeats, 1) {
		for _, n := range cfg.Sizes {
			if r > 0 && n >= all {
				continue
			}
			for _, f := range feats {
				for _, m := range models {
					ts = append(ts, Trial{Study: StudyCurve, Model: m, Features: f, N: n, Repeat: r})
				}
			}
		}
	}
	var noiseCNNs []string
	for _, v := range cfg.NoiseCNNs {
		noiseCNNs = append(noiseCNNs, "cnn-"+v)
	}
	for r := range max(cfg.NoiseRepeats, 1) {
		if cfg.NoiseN > 0 {
			for _, m := range noiseCNNs {
				ts = append(ts, Trial{Study: StudyCurve, Model: m, Features: "pixels", N: cfg.NoiseN, Repeat: r})
			}
		}
		for _, s := range []struct {
			study  string
			levels []float64
		}{{StudyLabels, cfg.LabelNoise}, {StudyPixels, cfg.PixelNoise}} {
			for _, v := range s.levels {
				if v == 0 || cfg.NoiseN == 0 {
					continue
				}
				for _, m := range append(slices.Clone(models), noiseCNNs...) {
					ts = append(ts, Trial{Study: s.study, Model: m, Features: "pixels", N: cfg.NoiseN, Repeat: r, Noise: v})
				}
			}
		}
	}
	return ts
}

func (cfg *TrialsConfig) validate(d *dataset.Dataset) error {
	for _, m := range cfg.Models {
		if !strings.HasPrefix(m, "svm-") {
			return fmt.Errorf("bench: TrialsConfig.Models has %q: trials run SVMs only", m)
		}
	}
	for _, n := range append(append([]int(nil), cfg.Sizes...), cfg.NoiseN) {
		if n != 0 && (n < 2*len(d.Classes) || n > d.Train.Len()) {
			return fmt.Errorf("bench: TrialsConfig has %d training images: want %d to %d", n, 2*len(d.Classes), d.Train.Len())
		}
	}
	for _, v := range cfg.LabelNoise {
		if v < 0 || v > 1 {
			return fmt.Errorf("bench: TrialsConfig.LabelNoise has %g: want a probability in [0, 1]", v)
		}
	}
	for _, v := range cfg.PixelNoise {
		if v < 0 || math.IsNaN(v) || math.IsInf(v, 0) {
			return fmt.Errorf("bench: TrialsConfig.PixelNoise has %g: want σ ≥ 0", v)
		}
	}
	if d.Image == nil && cfg.NoiseN > 0 && len(cfg.PixelNoise) > 0 {
		return fmt.Errorf("bench: pixel noise needs images")
	}
	if err := checkVariants("TrialsConfig.NoiseCNNs", cfg.NoiseCNNs); err != nil {
		return err
	}
	if d.Image == nil && len(cfg.NoiseCNNs) > 0 {
		return fmt.Errorf("bench: TrialsConfig.NoiseCNNs: the CNN needs images; data %s has none", d.Source)
	}
	for _, c := range cfg.CNNs {
		if !strings.HasPrefix(c.Model, "cnn-") || c.Net == nil || c.N < 1 || c.Repeat < 0 {
			return fmt.Errorf("bench: TrialsConfig.CNNs has %s (n %d, repeat %d, network %t): want a cnn-VARIANT network with n ≥ 1", c.Model, c.N, c.Repeat, c.Net != nil)
		}
	}
	return nil
}

// checkVariants checks that the CNN variants vs of config field name are
// known (by their current names).
func checkVariants(name string, vs []string) error {
	for _, v := range vs {
		if v != cnn.VariantFixed && v != cnn.VariantSigmoidLoss {
			return &ConfigError{name, v, true, cnn.VariantSigmoidLoss + " or " + cnn.VariantFixed}
		}
	}
	return nil
}

// score fills t (a CNN trial) from c's answers on base's test images.
func (c *CNNTrial) score(base *dataset.Dataset, t *Trial) error {
	pred, err := cnnPredict(c.Net, base)
	if err != nil {
		return fmt.Errorf("bench: trial %s: %w", t.Key(), err)
	}
	var b strings.Builder
	for i, p := range pred {
		b.WriteByte('0' + boolByte(p == base.Test.Y[i]))
	}
	t.Params, t.Correct, t.TrainSeconds = c.Params, b.String(), c.TrainSeconds
	t.Accuracy = accuracy(pred, base.Test.Y)
	return nil
}

// RunTrials runs the trials of cfg that trials.json does not hold yet.
func RunTrials(ctx context.Context, d *dataset.Dataset, cfg TrialsConfig) (*Trials, error) {
	models := cfg.Models
	if len(models) == 0 {
		models = []string{"svm-sigmoid", "svm-rbf", "svm-linear"}
	}
	feats := cfg.Features
	if len(feats) == 0 {
		feats = []string{"pixels"}
	}
	if err := cfg.validate(d); err != nil {
		return nil, err
	}
	testN := cfg.TestN
	if testN == 0 {
		testN = min(1000, d.Test.Len())
	}
	base, err := d.Balanced(0, testN, rand.New(rand.NewPCG(cfg.Seed, 0x7465737473))) // "tests", as RunScaling
	if err != nil {
		return nil, fmt.Errorf("bench: %w", err)
	}
	out := &Trials{Version: TrialsVersion, Manifest: NewManifest(base, cfg.Seed, cfg.Args), TestN: testN, TestSHA256: testDigest(base)}
	path, have, err := openTrials(cfg, out)
	if err != nil {
		return nil, err
	}
	if err := scoreCNNs(base, cfg, out, have, path); err != nil {
		return out, err
	}
	var cache trialCache
	for _, t := range cfg.plan(models, feats, base.Train.Len()) {
		if have[t.Key()] {
			continue
		}
		if err := ctx.Err(); err != nil {
			return out, err
		}
		if cfg.Stage != nil {
			cfg.Stage(t)
		}
		if err := runTrial(ctx, base, &t, cfg, &cache); err != nil {
			return out, err
		}
		out.Trials = append(out.Trials, t)
		if path != "" {
			if err := WriteJSON(path, out); err != nil {
				return out, err
			}
		}
	}
	return out, nil
}

// scoreCNNs adds the trials of cfg.CNNs that out does not hold yet
// (scoring takes seconds, so they come first).
func scoreCNNs(base *dataset.Dataset, cfg TrialsConfig, out *Trials, have map[string]bool, path string) error {
	for _, c := range cfg.CNNs {
		t := Trial{Study: StudyCurve, Model: c.Model, Features: "pixels", N: c.N, Repeat: c.Repeat}
		if have[t.Key()] {
			continue
		}
		if cfg.Stage != nil {
			cfg.Stage(t)
		}
		if err := c.score(base, &t); err != nil {
			return err
		}
		out.Trials = append(out.Trials, t)
		have[t.Key()] = true
		if path != "" {
			if err := WriteJSON(path, out); err != nil {
				return err
			}
		}
	}
	return nil
}

// openTrials reads the trials a previous run left in cfg.Out, refusing a
// file of another version or test set.
func openTrials(cfg TrialsConfig, out *Trials) (string, map[string]bool, error) {
	have := map[string]bool{}
	if cfg.Out == "" {
		return "", have, nil
	}
	path, old, err := openResumable(cfg.Out, TrialsFile, cfg.Resume, func(old *Trials) string {
		switch {
		case old.Version != TrialsVersion:
			return fmt.Sprintf("format version %d, this program writes %d", old.Version, TrialsVersion)
		case old.TestSHA256 != out.TestSHA256:
			return "scored on another test set"
		}
		return ""
	})
	if err != nil {
		return "", nil, err
	}
	if old != nil {
		out.Trials = old.Trials
		for _, t := range old.Trials {
			have[t.Key()] = true
		}
	}
	return path, have, nil
}

// testDigest identifies the test split of d alone.
func testDigest(d *dataset.Dataset) string {
	return DataDigest(&dataset.Dataset{Test: d.Test, Train: dataset.Split{X: d.Test.X.Slice(0, 0)}})
}

// trialData draws t's training subset from base (other subsets for other
// n and repeats), applies its noise, and keeps base's test subset (with
// the same pixel noise for the pixels study, drawn once per repeat).
func trialData(base *dataset.Dataset, t *Trial, seed uint64) (*dataset.Dataset, error) {
	rng := rand.New(rand.NewPCG(seed, uint64(t.N)<<16|uint64(t.Repeat)))
	sub, err := base.Balanced(t.N, len(base.Classes), rng)
	if err != nil {
		return nil, fmt.Errorf("bench: %w", err)
	}
	sub.Test = base.Test
	noise := rand.New(rand.NewPCG(seed^0x6e6f697365, uint64(t.Repeat))) // "noise"
	switch t.Study {
	case StudyLabels:
		labels := make([]int, len(base.Classes))
		for i, c := range base.Classes {
			labels[i] = c.Label
		}
		sub.Train.Y = FlipLabels(sub.Train.Y, t.Noise, labels, noise)
	case StudyPixels:
		sub.Train.X = AddPixelNoise(sub.Train.X, t.Noise, noise)
		sub.Test.X = AddPixelNoise(base.Test.X, t.Noise, noise)
	}
	return sub, nil
}

// trialCache keeps the features of the last trial's data: the models of
// one subset, study and noise level run one after the other and share it.
type trialCache struct {
	key         string
	sub         *dataset.Dataset
	train, test *matrix.Matrix
}

// data returns t's subset and its features, from the cache when the
// previous trial had the same.
func (c *trialCache) data(base *dataset.Dataset, t *Trial, cfg TrialsConfig) (*dataset.Dataset, *matrix.Matrix, *matrix.Matrix, error) {
	key := fmt.Sprintf("%s/%s/%d/%d/%g", t.Study, t.Features, t.N, t.Repeat, t.Noise)
	if key == c.key {
		return c.sub, c.train, c.test, nil
	}
	c.key = ""
	sub, err := trialData(base, t, cfg.Seed)
	if err != nil {
		return nil, nil, nil, err
	}
	var ext features.Extractor
	if t.Features == "cnn" {
		if cfg.CNNExtractor == nil {
			return nil, nil, nil, fmt.Errorf("bench: trials on the cnn feature set need TrialsConfig.CNNExtractor")
		}
		ext = cfg.CNNExtractor
	} else if ext, err = features.ByName(t.Features); err != nil {
		return nil, nil, nil, err
	}
	train, test, err := features.Apply(ext, sub)
	if err != nil {
		return nil, nil, nil, err
	}
	c.key, c.sub, c.train, c.test = key, sub, train, test
	return sub, train, test, nil
}

// runTrial trains and scores one trial, filling its results.
func runTrial(ctx context.Context, base *dataset.Dataset, t *Trial, cfg TrialsConfig, cache *trialCache) error {
	if strings.HasPrefix(t.Model, "cnn-") {
		return runCNNTrial(ctx, base, t, cfg)
	}
	sub, train, test, err := cache.data(base, t, cfg)
	if err != nil {
		return err
	}
	c, _, err := SVMParams(t.Model, t.Features, train.Cols, cfg.ParamsDir)
	if err != nil {
		return err
	}
	t0 := time.Now()
	model, _, _, err := trainSVM(ctx, train, sub.Train.Y, c, cfg.Tol, cfg.MemBytes, cfg.Progress)
	if err != nil {
		return fmt.Errorf("bench: trial %s: %w", t.Key(), err)
	}
	t.TrainSeconds = time.Since(t0).Seconds()
	pred, err := model.Predict(nil, test)
	if err != nil {
		return err
	}
	var b strings.Builder
	for i, p := range pred {
		b.WriteByte('0' + boolByte(p == sub.Test.Y[i]))
	}
	t.Params, t.Correct, t.NSV = cellParams(c), b.String(), model.NSV()
	t.Accuracy = accuracy(pred, sub.Test.Y)
	return nil
}

// runCNNTrial trains a CNN of the noise studies on t's subset (with its
// noise) by TrainCNN, writing no files, and scores it on t's test images.
func runCNNTrial(ctx context.Context, base *dataset.Dataset, t *Trial, cfg TrialsConfig) error {
	sub, err := trialData(base, t, cfg.Seed)
	if err != nil {
		return err
	}
	recipe := cfg.CNNRecipe
	recipe.Seed += uint64(t.Repeat)
	res, err := TrainCNN(ctx, sub, CNNConfig{Variant: strings.TrimPrefix(t.Model, "cnn-"), Recipe: recipe, NoEpochTest: true, Progress: cfg.Progress})
	if err != nil {
		return fmt.Errorf("bench: trial %s: %w", t.Key(), err)
	}
	c := CNNTrial{Model: t.Model, N: t.N, Repeat: t.Repeat, Net: res.Net, Params: res.Run.Params, TrainSeconds: res.Record.TrainSeconds}
	return c.score(sub, t)
}

func boolByte(b bool) byte {
	if b {
		return 1
	}
	return 0
}
