package bench

import (
	"cmp"
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"

	"github.com/svmbench/svmbench/cnn"
	"github.com/svmbench/svmbench/dataset"
	"github.com/svmbench/svmbench/features"
	"github.com/svmbench/svmbench/kernels"
)

// AllSamples, as MainConfig.Train, Test or GridTrain, means every sample
// (0 means the profile's value).
const AllSamples = -1

// Grid range kinds of MainConfig.Grids.
const (
	// GridsQuick centres small grids on the scale of each feature set
	// (see MainGridRanges).
	GridsQuick = "quick"
	// GridsDefault keeps GridConfig's default ranges, with the sigmoid α
	// range moved to the features' scale for feature sets other than
	// pixels.
	GridsDefault = "default"
)

// MainConfig is the main job (MainJob): data, CNN, grids, models, scaling,
// report. The zero value of every field is a documented default; most
// take their default from the profile.
type MainConfig struct {
	// Profile names the defaults of the fields left zero: "quick" (or "")
	// or "full"; the values are QuickProfile and FullProfile.
	Profile string
	// Out is the report folder; results go to Out/results. "" means
	// "svmbench-report".
	Out string
	// Data says where the data comes from (Spec "" means auto); its
	// Progress reports the bytes read or downloaded. Seed seeds the
	// subsets, the grids' folds and the CNN, and the synthetic data
	// (Data.Seed is set from it).
	Data dataset.Options
	Seed uint64
	// Train and Test are the sizes of the balanced, seeded subsets the job
	// runs on; 0 means the profile's, AllSamples every sample.
	Train, Test int
	// GridTrain is the number of training images the grids cross-validate
	// on (a balanced subset of the training subset); 0 means the
	// profile's (at most Train), AllSamples all of them. A GridTrain
	// larger than Train is an error.
	GridTrain int
	// Folds is the number of cross-validation folds; 0 means the
	// profile's.
	Folds int
	// Features are the feature sets of the grids and SVMs; nil means
	// pixels, hog and cnn (the fixed CNN's embeddings).
	Features []string
	// Kernels are the SVM kernels; nil means sigmoid, rbf and linear.
	Kernels []string
	// Grids is GridsQuick or GridsDefault; "" means the profile's.
	Grids string
	// Alpha, Coef0, Gamma and C, when not zero, replace that range in
	// every grid that has it.
	Alpha, Coef0, Gamma, C Range
	// PSDSample is the number of rows of the sigmoid grids' PSD check; 0
	// means the profile's.
	PSDSample int
	// MaxIter is the SMO iteration cap per fit in the grids; 0 means 20·n.
	MaxIter int
	// Search, Trials and ColdStart are the grids' GridConfig fields: ""
	// means every cell (both profiles: their measured search comparison
	// is in docs/search.md), "bayes" Trials cells (0: a quarter) chosen
	// by Bayesian optimisation, "random" Trials drawn cells, "halving"
	// successive halving over the grid's training images with factor
	// Eta (0: 3; must be 0 for the other searches; Trials must be 0).
	Search    string
	Trials    int
	Eta       float64
	ColdStart bool
	// Extend is the grids' range extension (GridConfig.Extend, for every
	// Search; a halving grid halves each step's cells on its rungs): the most
	// steps a range is extended beyond each edge while the best cell lies
	// on it. 0 means the profile's, 2 in both: on the
	// quick sigmoid grid (4 α × 3 c × 3 C) a step of C adds 12 cells, a
	// third of the grid, so two steps at most cost two thirds more on
	// that axis, and reach 2^6 = 64 times past the edge on log-scaled
	// ranges. -1 turns it off.
	Extend int
	// Compare is the number of search seeds of the search comparison the
	// job writes for the sigmoid grids on pixels and hog
	// (search-sigmoid-FEATURES.json, CompareOnGrid: bayes and random
	// search of Trials cells replayed on the grid's cells, so it costs no
	// fits); 0 means the profile's, 3 in both; -1 none. Only for full
	// grids whose ranges are lists (both profiles' quick ranges).
	Compare int
	// MemBytes is the memory budget of the grids and SVMs; 0 means a
	// quarter of physical memory.
	MemBytes int64
	// CNN is the recipe of both CNNs (cnn.TrainConfig, the one parameter
	// struct of CNN training): a zero Epochs takes the profile's, a zero
	// Seed MainConfig.Seed, and the other zero fields the seed document's
	// recipe (batch 100, SGD lr 0.001, momentum 0.9). Its Progress,
	// OnEpoch and State must be nil.
	CNN cnn.TrainConfig
	// Scaling are the training sizes of the scaling run; nil means the
	// profile's sizes up to Train. A size larger than Train is an error.
	// Skip "scaling" to run none.
	Scaling []int
	// CNNVariants are the CNNs the cnn stage trains; nil means the
	// profile's (the quick profile trains only "fixed", to afford the
	// steps it needs to learn; the full profile both).
	CNNVariants []string
	// Curve are the training sizes of the trials stage's learning curve,
	// each trained Repeats times on other balanced subsets of the
	// training subset; the largest is where the report compares the
	// models. A size of all the training images is trained once (its
	// repeats would see the same images). nil means the profile's; 0
	// Repeats the profile's.
	Curve   []int
	Repeats int
	// TrialTest is the number of test images the trials score every model
	// on (the first of the job's test subset, the same for all); 0 means
	// the profile's (quick 1000, full all), AllSamples all.
	TrialTest int
	// NoiseN is the training size of the trials stage's noise studies on
	// pixels (the Curve size nearest to it, whose trial is the clean one), with
	// training labels flipped with the probabilities LabelNoise and
	// Gaussian noise of σ PixelNoise (on [0, 1]) added to the pixels. 0
	// and nil mean the profile's.
	NoiseN     int
	LabelNoise []float64
	PixelNoise []float64
	// NoiseCNNs are the CNN variants the noise studies train too, with
	// the CNN recipe, on the same noisy subsets (and the clean one at
	// NoiseN); nil means the profile's (quick: none, as 7 trainings of
	// about 1.5 min idle would not fit its 15 minutes; full: fixed), an
	// empty list none.
	NoiseCNNs []string
	// CostN is the number of training images the cost stage times the
	// kernels on; 0 means the profile's.
	CostN int
	// Skip names stages not to run (see MainStages).
	Skip []string
	// Report, when not nil, is the report stage: it reads the results
	// folder and writes the report into the report folder. (bench does
	// not import reports; the caller passes its builder.)
	Report func(resultsDir, reportDir string) error
	// Args is the command line, for the manifests.
	Args []string
}

// QuickProfile and FullProfile are the values of MainConfig's profiles.
var (
	// QuickProfile: the fixed CNN trained enough to learn (20 epochs on
	// 10000 images: 2000 SGD steps of the seed's recipe; PyTorch reaches
	// 34.8% after 1500), grids on 2000 images, the SVMs compared with it
	// at the same n with 3 repeats; ≤ 15 minutes on 2 idle cores with the
	// pure-Go build (docs/reports.md).
	QuickProfile = MainConfig{Profile: "quick", Extend: 2, Compare: 3, Train: 10000, Test: 1000, GridTrain: 2000, Folds: 3, CNN: cnn.TrainConfig{Epochs: 20},
		Scaling: []int{500, 1000, 2000}, PSDSample: 500, Grids: GridsQuick, CNNVariants: []string{cnn.VariantFixed},
		Curve: []int{500, 1000, 2000, 5000, 10000}, Repeats: 3, TrialTest: 1000, NoiseN: 2000,
		LabelNoise: []float64{0, 0.1, 0.2, 0.4}, PixelNoise: []float64{0, 0.05, 0.1, 0.2}, CostN: 2000}
	// FullProfile: all of CIFAR-10 for the CNNs and every final model,
	// quick-style grids on 5000 images, a curve to all 50000 images (3
	// repeats below it), scored on all 10000 test images, so that the
	// main table compares SVMs and CNNs trained on the same 50000; the
	// fixed CNN in the noise studies (7 trainings on 5000 images). Run
	// here in about an hour with -tags openblas (docs/results/cifar10-full).
	FullProfile = MainConfig{Profile: "full", Extend: 2, Compare: 3, Train: AllSamples, Test: AllSamples, GridTrain: 5000, Folds: 3, CNN: cnn.TrainConfig{Epochs: 10},
		Scaling: []int{1000, 2000, 5000, 10000}, PSDSample: 1000, Grids: GridsQuick,
		CNNVariants: []string{cnn.VariantSigmoidLoss, cnn.VariantFixed},
		Curve:       []int{1000, 2000, 5000, 10000, 50000}, Repeats: 3, TrialTest: AllSamples, NoiseN: 5000, NoiseCNNs: []string{cnn.VariantFixed},
		LabelNoise: []float64{0, 0.1, 0.2, 0.4}, PixelNoise: []float64{0, 0.05, 0.1, 0.2}, CostN: 5000}
)

// ProfileNamed returns the profile (QuickProfile or FullProfile) that
// MainConfig.Profile name stands for ("" is quick), and false for
// another name.
func ProfileNamed(name string) (MainConfig, bool) {
	switch name {
	case "", "quick":
		return QuickProfile, true
	case "full":
		return FullProfile, true
	}
	return MainConfig{}, false
}

// withDefaults returns a copy of cfg with every zero field set from its
// profile and the fixed defaults.
func (cfg MainConfig) withDefaults() (MainConfig, error) {
	p, ok := ProfileNamed(cfg.Profile)
	if !ok {
		return cfg, &ConfigError{"MainConfig.Profile", cfg.Profile, false, "quick or full"}
	}
	cfg.Profile = p.Profile
	cfg.Out = cmp.Or(cfg.Out, "svmbench-report")
	// Sizes the caller gave that exceed the training subset are refused
	// now, before any work; the profile's own sizes are cut to fit it.
	gridGiven, scalingGiven := cfg.GridTrain != 0, cfg.Scaling != nil
	for _, f := range []struct{ v, def *int }{{&cfg.Train, &p.Train}, {&cfg.Test, &p.Test},
		{&cfg.GridTrain, &p.GridTrain}, {&cfg.Folds, &p.Folds}, {&cfg.CNN.Epochs, &p.CNN.Epochs}, {&cfg.PSDSample, &p.PSDSample}} {
		if *f.v == 0 {
			*f.v = *f.def
		}
	}
	cfg.Grids = cmp.Or(cfg.Grids, p.Grids)
	cfg.Extend = cmp.Or(cfg.Extend, p.Extend)
	cfg.Compare = cmp.Or(cfg.Compare, p.Compare)
	if cfg.Scaling == nil {
		cfg.Scaling = slices.Clone(p.Scaling)
	}
	if train := cfg.Train; train > 0 {
		if cfg.GridTrain > train || cfg.GridTrain == AllSamples {
			if gridGiven && cfg.GridTrain != AllSamples {
				return cfg, fmt.Errorf("bench: MainConfig.GridTrain = %d, more than Train = %d", cfg.GridTrain, train)
			}
			cfg.GridTrain = train
		}
		for _, n := range cfg.Scaling {
			if n > train && scalingGiven {
				return cfg, &ConfigError{"MainConfig.Scaling", n, true, fmt.Sprintf("at most the training subset's %d images", train)}
			}
		}
		cfg.Scaling = slices.DeleteFunc(cfg.Scaling, func(n int) bool { return n > train })
	}
	if cfg.Features == nil {
		cfg.Features = []string{"pixels", "hog", "cnn"}
	}
	cfg.studyDefaults(p)
	if cfg.Kernels == nil {
		cfg.Kernels = defaultKernels()
	}
	if cfg.CNN.Seed == 0 {
		cfg.CNN.Seed = cfg.Seed
	}
	cfg.Data.Seed = cfg.Seed
	return cfg, cfg.validate()
}

// Validate reports the first field of cfg (after defaults) out of range.
func (cfg MainConfig) Validate() error {
	_, err := cfg.withDefaults()
	return err
}

func (cfg *MainConfig) validate() error {
	if err := cfg.validateStudies(); err != nil {
		return err
	}
	for _, s := range cfg.Skip {
		if !slices.Contains(MainStages(), s) {
			return &ConfigError{"MainConfig.Skip", s, true, "stages of " + strings.Join(MainStages(), ", ")}
		}
	}
	for _, k := range cfg.Kernels {
		if _, err := kernels.Lookup(k); err != nil {
			return &ConfigError{"MainConfig.Kernels", k, true, kernels.NameList()}
		}
	}
	for _, name := range cfg.Features {
		if _, err := features.ByName(name); err != nil && name != "cnn" {
			return &ConfigError{"MainConfig.Features", name, true, strings.Join(append(features.Names(), "cnn"), ", ")}
		}
	}
	if cfg.Grids != GridsQuick && cfg.Grids != GridsDefault {
		return fmt.Errorf("bench: MainConfig.Grids = %q: want quick or default", cfg.Grids)
	}
	for _, n := range cfg.Scaling {
		if n <= 0 {
			return fmt.Errorf("bench: MainConfig.Scaling has %d: want training sizes > 0", n)
		}
	}
	switch {
	case cfg.Train < AllSamples || cfg.Test < AllSamples || cfg.GridTrain < AllSamples:
		return fmt.Errorf("bench: MainConfig.Train, Test, GridTrain = %d, %d, %d: want sizes ≥ 0 or AllSamples", cfg.Train, cfg.Test, cfg.GridTrain)
	case cfg.Folds < 2 || cfg.CNN.Epochs < 1:
		return fmt.Errorf("bench: MainConfig.Folds = %d, CNN.Epochs = %d: want folds ≥ 2 and epochs ≥ 1", cfg.Folds, cfg.CNN.Epochs)
	case cfg.Extend < -1: // above maxExtend: validateGrids
		return fmt.Errorf("bench: MainConfig.Extend = %d: want -1 (off), 0 (the profile's) or 1 to %d steps", cfg.Extend, maxExtend)
	case cfg.Eta != 0 && (cfg.Search != "halving" || !(cfg.Eta >= 2 && cfg.Eta <= 1e6)):
		return fmt.Errorf("bench: MainConfig.Eta = %v: want 0, or a factor from 2 to 1000000 with Search halving", cfg.Eta)
	case cfg.Compare < -1 || cfg.Compare > 100:
		return fmt.Errorf("bench: MainConfig.Compare = %d: want -1 (none), 0 (the profile's) or 1 to 100 search seeds", cfg.Compare)
	case cfg.MemBytes < 0 || cfg.PSDSample < 2:
		return fmt.Errorf("bench: MainConfig.MemBytes = %d, PSDSample = %d: want ≥ 0 and ≥ 2", cfg.MemBytes, cfg.PSDSample)
	case cfg.CNN.Progress != nil || cfg.CNN.OnEpoch != nil || cfg.CNN.State != nil:
		return fmt.Errorf("bench: MainConfig.CNN: Progress, OnEpoch and State must be nil (the job sets them)")
	}
	if err := cfg.CNN.Validate(); err != nil {
		return fmt.Errorf("bench: MainConfig.CNN: %w", err)
	}
	if !slices.Contains(cfg.Skip, "grids") {
		return cfg.validateGrids()
	}
	return nil
}

// setRanges sets the ranges of cfg (a grid of the job) that cfg gives
// (Alpha, Coef0, Gamma, C), in the grids whose kernel has the parameter:
// -kernels linear,rbf -gamma LIST sets rbf's γ and leaves linear alone.
func (c *MainConfig) setRanges(cfg *GridConfig) error {
	spec, err := kernels.Lookup(cfg.Kernel)
	if err != nil {
		return err
	}
	for _, r := range []struct {
		name     string
		src, dst *Range
	}{{"alpha", &c.Alpha, &cfg.Alpha}, {"coef0", &c.Coef0, &cfg.Coef0}, {"gamma", &c.Gamma, &cfg.Gamma}, {"C", &c.C, &cfg.C}} {
		if _, has := spec.Param(r.name); !r.src.IsZero() && (has || r.name == "C") {
			*r.dst = *r.src
		}
	}
	return nil
}

// validateGrids reports, before any work, what the grid stage would
// refuse in each grid's GridConfig once the stages before it ran: a
// range value, MaxIter or Extend out of range (a *ConfigError naming
// GridConfig's field). The job's own ranges need the data and are not
// checked here.
func (c *MainConfig) validateGrids() error {
	for _, k := range c.Kernels {
		probe := GridConfig{Kernel: k, MaxIter: c.MaxIter, Extend: max(c.Extend, 0)}
		if err := c.setRanges(&probe); err != nil {
			return err
		}
		if err := probe.Validate(); err != nil {
			return err
		}
	}
	return nil
}

// size turns a subset size of MainConfig into LoadBalanced's (0 = all).
func size(n int) int { return max(n, 0) }

// LoadBalanced loads the data of opt and, when train or test is > 0,
// keeps a balanced subset of that size seeded by opt.Seed (the other
// split whole when its size is 0); the source then says so. Every command
// takes its data this way.
func LoadBalanced(ctx context.Context, opt dataset.Options, train, test int) (*dataset.Dataset, error) {
	d, err := dataset.Load(ctx, opt)
	if err != nil {
		return nil, err
	}
	if train > 0 || test > 0 {
		r := rand.New(rand.NewPCG(opt.Seed, 0x5eed))
		if d, err = d.Balanced(train, test, r); err != nil {
			return nil, err
		}
		d.Source += fmt.Sprintf(", balanced subset -train %d -test %d -seed %d", train, test, opt.Seed)
	}
	return d, nil
}
