package bench

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"

	"github.com/svmbench/svmbench/cnn"
	"github.com/svmbench/svmbench/dataset"
)

// This file holds the main job's two study stages (trials and cost) and
// their defaults; see TrialsConfig and CostConfig.

// studyDefaults fills the study fields of cfg left zero from profile p.
func (cfg *MainConfig) studyDefaults(p MainConfig) {
	if cfg.CNNVariants == nil {
		cfg.CNNVariants = slices.Clone(p.CNNVariants)
	}
	if cfg.Curve == nil {
		cfg.Curve = slices.Clone(p.Curve)
	}
	if cfg.LabelNoise == nil {
		cfg.LabelNoise = slices.Clone(p.LabelNoise)
	}
	if cfg.PixelNoise == nil {
		cfg.PixelNoise = slices.Clone(p.PixelNoise)
	}
	if cfg.NoiseCNNs == nil {
		cfg.NoiseCNNs = slices.Clone(p.NoiseCNNs)
	}
	for _, f := range []struct{ v, def *int }{{&cfg.Repeats, &p.Repeats}, {&cfg.TrialTest, &p.TrialTest}, {&cfg.NoiseN, &p.NoiseN}, {&cfg.CostN, &p.CostN}} {
		if *f.v == 0 {
			*f.v = *f.def
		}
	}
}

// validateStudies checks the study fields after defaults.
func (cfg *MainConfig) validateStudies() error {
	if err := checkVariants("MainConfig.CNNVariants", cfg.CNNVariants); err != nil {
		return err
	}
	if err := checkVariants("MainConfig.NoiseCNNs", cfg.NoiseCNNs); err != nil {
		return err
	}
	if cfg.Repeats < 1 || cfg.NoiseN < 0 || cfg.CostN < 0 {
		return fmt.Errorf("bench: MainConfig.Repeats = %d, NoiseN = %d, CostN = %d: want ≥ 1, ≥ 0, ≥ 0", cfg.Repeats, cfg.NoiseN, cfg.CostN)
	}
	if cfg.TrialTest < AllSamples {
		return fmt.Errorf("bench: MainConfig.TrialTest = %d: want test images > 0 or AllSamples", cfg.TrialTest)
	}
	return nil
}

// fitSizes keeps the sizes of ns that the training subset has, adding
// the subset's own size when a size was larger (the profile's curve ends
// at all images when the data has fewer).
func fitSizes(ns []int, have int) []int {
	var out []int
	for _, n := range ns {
		if n > have {
			n = have
		}
		if !slices.Contains(out, n) {
			out = append(out, n)
		}
	}
	return out
}

// nearestSize returns the size of sizes closest to n (the noise studies'
// clean trial is the curve's trial there); 0 when n or sizes is empty.
func nearestSize(sizes []int, n int) int {
	best := 0
	for _, s := range sizes {
		if n > 0 && (best == 0 || abs(s-n) < abs(best-n)) {
			best = s
		}
	}
	return best
}

func abs(x int) int { return max(x, -x) }

// trialsStage runs the learning curve with its repeats and the noise
// studies (RunTrials) on balanced subsets of all the training images,
// scored on the job's test subset (up to 1000 images): trials.json.
func (j *mainJob) trialsStage(ctx context.Context) error {
	if len(j.cfg.Curve) == 0 {
		return nil
	}
	models := j.svmModels()
	embed, err := j.cnnEmbedding()
	if err != nil {
		return err
	}
	pool, err := j.trialPool(ctx)
	if err != nil {
		return err
	}
	sizes := fitSizes(j.cfg.Curve, pool.Train.Len())
	noiseN := nearestSize(sizes, j.cfg.NoiseN)
	cnns, err := j.cnnTrials()
	if err != nil {
		return err
	}
	st := &stageTasks{j: j}
	cfg := TrialsConfig{Models: models, Features: j.cfg.Features, CNNExtractor: embed, CNNs: cnns, Sizes: sizes, Repeats: j.cfg.Repeats,
		NoiseN: noiseN, LabelNoise: j.cfg.LabelNoise, PixelNoise: j.cfg.PixelNoise, NoiseCNNs: j.cfg.NoiseCNNs, CNNRecipe: j.recipe(),
		TestN:     j.trialTest(),
		ParamsDir: j.results, MemBytes: j.cfg.MemBytes, Seed: j.cfg.Seed, Out: j.results, Resume: true, Args: j.cfg.Args,
		Stage:    func(t Trial) { st.start("trial " + t.Key()) },
		Progress: st.progress}
	_, err = RunTrials(ctx, pool, cfg)
	st.stop()
	return err
}

// trialTest is the number of test images the trials score on.
func (j *mainJob) trialTest() int {
	if j.cfg.TrialTest == AllSamples {
		return j.d.Test.Len()
	}
	return min(j.cfg.TrialTest, j.d.Test.Len())
}

// cnnTrials are the networks the cnn stage trained, for the trials stage
// to score on its test images (so the CNNs join the paired tests). A
// variant without its network file (the cnn stage skipped) is left out,
// with a line in the log.
func (j *mainJob) cnnTrials() ([]CNNTrial, error) {
	var ts []CNNTrial
	for _, v := range j.cfg.CNNVariants {
		path := filepath.Join(j.results, "cnn-"+v)
		if _, err := os.Stat(path + ".cnn"); errors.Is(err, fs.ErrNotExist) {
			j.log("trials: no %s.cnn, so cnn-%s is not in the paired tests", path, v)
			continue
		}
		net, err := cnn.Load(path + ".cnn")
		if err != nil {
			return nil, err
		}
		var run CNNRun
		if err := ReadJSON(path+".json", &run); err != nil {
			return nil, err
		}
		ts = append(ts, CNNTrial{Model: "cnn-" + v, N: j.d.Train.Len(), Net: net, Params: run.Params, TrainSeconds: epochSeconds(&run)})
	}
	return ts, nil
}

// trialPool is the data the trials draw their training subsets from: all
// the training images of the data (so that repeats at the size of the
// job's training subset see other images), with the job's test subset.
func (j *mainJob) trialPool(ctx context.Context) (*dataset.Dataset, error) {
	if j.cfg.Train == AllSamples {
		return j.d, nil
	}
	opt := j.cfg.Data
	opt.Progress = nil
	full, err := dataset.Load(ctx, opt)
	if err != nil {
		return nil, err
	}
	pool := *full
	pool.Test = j.d.Test
	pool.Source = full.Source + ", test subset of the job"
	return &pool, nil
}

// costStage times the kernel map against the inner products (RunCost):
// cost.json. It is quick, so it runs again on every resume.
func (j *mainJob) costStage(ctx context.Context) error {
	if j.cfg.CostN == 0 {
		return nil
	}
	models := j.svmModels()
	j.log("cost: kernel map against inner products on %d images", min(j.cfg.CostN, j.d.Train.Len()))
	_, err := RunCost(ctx, j.d, CostConfig{Models: models, N: min(j.cfg.CostN, j.d.Train.Len()), ParamsDir: j.results,
		MemBytes: j.cfg.MemBytes, Seed: j.cfg.Seed, Out: j.results, Args: j.cfg.Args})
	return err
}
