package main

import (
	"context"
	"flag"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/svmbench/svmbench/bench"
	"github.com/svmbench/svmbench/cnn"
	"github.com/svmbench/svmbench/dataset"
)

// allFlags are the main job's flags; check turns them into cfg.
type allFlags struct {
	profile   string
	out       string
	df        *dataFlags
	gridTrain int
	folds     int
	feats     string
	kernels   string
	alpha     string
	coef0     string
	gamma     string
	cost      string
	psdSample int
	maxIter   int
	search    string
	trials    int
	eta       float64
	warmStart bool
	extend    int
	compare   int
	mem       string
	epochs    int
	batch     int
	lr        float64
	scaling   string
	curve     string
	noiseCNN  string
	repeats   int
	variants  string
	skip      string
	fs        *flag.FlagSet
	cfg       bench.MainConfig
}

const allLong = `Without a command, bench runs the whole benchmark in its quick profile:

  1. data       -data auto: $CIFAR10_DIR, else the cache, else a download;
                a balanced seeded subset (quick: 10000 training, 1000 test
                images; full: all 50000/10000).
  2. cnn        the seed CNN with the seed's recipe (batch 100, SGD lr
                0.001, momentum 0.9), test accuracy after every epoch,
                checkpointed; quick: variant fixed only, 20 epochs (2000
                steps; PyTorch's fixed reaches 34.8% after 1500); full: variants sigmoid-loss
                (called seed before) and fixed, 10 epochs. The fixed
                network's embeddings are the "cnn" feature set.
  3. grids      a cross-validated grid per kernel (sigmoid α × c × C, rbf
                γ × C, linear C) and feature set (pixels, hog, cnn), on
                -grid-train images (quick: 2000, full: 5000; 3 folds);
                the sigmoid grids record the PSD and CPD maps (min_eigen,
                min_eigen_cpd: λmin of K, and on Σu = 0). Alpha
                seeding is on (convex pairs only; -warm-start=false
                for cold starts). Range extension (-extend, both
                profiles 2): while a grid's best cell is on an open
                edge of a range, a step beyond it is added, at most 2
                a side (with -search bayes and random too: the
                search's share of the step's cells; with halving,
                the step's cells halved on the search's rungs). The sigmoid grids on pixels and hog also get a
                search comparison (-compare, both profiles 3 seeds):
                bayes and random search replayed on the grid's cells,
                no fits.
  4. run        every SVM at its own grid's best parameters, trained on the
                whole training subset and scored on the test subset, beside
                the CNNs: results.json.
  5. scaling    train and predict time against n (quick: 500, 1000, 2000)
                for the three SVMs on pixels: scaling.json.
  6. trials     the learning curve: every SVM on every feature set at each
                -curve size (quick: 500 to 10000; full: 1000 to 50000),
                -repeats times on other balanced subsets (both: 3; once
                at 50000, where every subset is the same), scored on the
                same test images (quick: 1000; full: all 10000),
                answers kept per image, and the CNNs of the cnn
                stage scored on the same images; and the noise studies on
                pixels at 2000 (quick) images: training labels flipped
                (10, 20, 40%), Gaussian pixel noise (σ 0.05, 0.1, 0.2),
                for the SVMs and, with -noise-cnn (full: fixed), the CNN
                trained clean and on each noisy subset: trials.json.
  7. cost       ns per kernel value of tanh, exp and the identity against
                the inner products, and their share of training: cost.json.
  8. report     report.md, report.html, figures and CSV tables with 95%
                intervals, Holm-corrected paired tests and the seed's
                claims with verdicts; the main table is printed.

Results go to -out/results (default svmbench-report/results), the report
to -out. Every stage writes its results as it finishes; Ctrl-C stops
cleanly and running the same command again resumes: finished stages whose
outputs exist are skipped, an interrupted grid continues from its journal,
an interrupted CNN from its checkpoint. The job is bench.MainJob: a Go
program can run it with the same configuration (bench.MainConfig).
A results folder made with other settings (sizes, seed, data, grids,
-warm-start, -compare, -curve, CNN recipe: all.json) is refused rather than
mixed, naming each flag with both values (choose another -out); -repeats,
-noise-cnn, -scaling, -cnn-variants, -skip and -mem may change on a rerun
(they add records, or say what runs now and in how much memory: see
docs/cli.md).

The quick grids are centred on the scale of each feature set: with s the
mean squared norm ‖x‖² of the training features and k = round(log2(1/s)),
sigmoid α ∈ {2^(k-5), 2^(k-3), 2^(k-1), 2^(k+1)}, c ∈ {-1, -0.5, 0},
C ∈ {1, 8, 64} (36 cells); rbf γ ∈ {2^(g-2), 2^g, 2^(g+2)} with
g = round(log2(1/d²)), d² the mean squared distance between training
samples, C ∈ {1, 8, 64} (9 cells); linear C ∈ {2^(k-2), 2^(k+1), 2^(k+4),
2^(k+7)}. Both profiles use these grids (the full profile on 5000
images). bench grid's default ranges (the sigmoid α range shifted by
k + 10 for feature sets other than pixels) are reachable from Go only,
as bench.MainConfig{Grids: bench.GridsDefault}.
-alpha, -coef0, -gamma and -C override a range for every grid.`

var cmdAll = &Command{
	Name:      "all",
	UsageLine: "all [-profile quick|full] [-out DIR] [-data SPEC] [-train N] [-test M] [-grid-train N] [-folds K] [-features LIST] [-kernels LIST] [-epochs E] [-cnn-variants LIST] [-scaling LIST] [-curve LIST] [-repeats R] [-noise-cnn LIST] [-skip STAGES]",
	Resume:    "finished stages and models are kept; run the same command again to resume",
	Short:     "run the whole benchmark (the default command): data, CNN, grids, models, scaling, trials, cost, report",
	Long:      allLong,
	Flags: func(fs *flag.FlagSet) runner {
		f := &allFlags{fs: fs}
		fs.StringVar(&f.profile, "profile", "quick", "`quick` (minutes) or full (all 50000 training images, grids on 5000, hours)")
		fs.StringVar(&f.out, "out", "svmbench-report", "report `DIR`; results go to DIR/results")
		f.df = addDataFlags(fs)
		fs.IntVar(&f.gridTrain, "grid-train", 0, "training images the grids cross-validate on, a balanced subset of -train (profile default)")
		fs.IntVar(&f.folds, "folds", 0, "cross-validation folds (profile default)")
		fs.StringVar(&f.feats, "features", "pixels,hog,cnn", "feature sets `LIST` of the grids and SVMs")
		fs.StringVar(&f.kernels, "kernels", "sigmoid,rbf,linear", "SVM kernels `LIST`")
		fs.StringVar(&f.alpha, "alpha", "", "sigmoid α `LIST` for every sigmoid grid (see bench help grid)")
		fs.StringVar(&f.coef0, "coef0", "", "sigmoid c `LIST` for every sigmoid grid")
		fs.StringVar(&f.gamma, "gamma", "", "rbf γ `LIST` for every rbf grid")
		fs.StringVar(&f.cost, "C", "", "C `LIST` for every grid")
		fs.IntVar(&f.psdSample, "psd-sample", 0, "rows of the sigmoid grids' PSD check (profile default)")
		fs.IntVar(&f.maxIter, "max-iter", 0, "SMO iteration cap per fit in the grids; 0 = 20·n")
		fs.StringVar(&f.search, "search", "grid", "the grids' search: grid (every cell), bayes, random or halving (η = 3; see bench help grid)")
		fs.Float64Var(&f.eta, "eta", 0, "-search halving's factor `E` ≥ 2: each rung keeps the best 1/E of its cells on E times as many images (0: 3)")
		fs.IntVar(&f.trials, "trials", 0, "cells of each bayes or random search, at most each grid's cells (0: for bayes a quarter of the grid, at least 2(d+1) cells for d searched ranges; 20 for random, drawn without repeats when every range is a list)")
		fs.BoolVar(&f.warmStart, "warm-start", true, "alpha seeding in the grids, convex pairs only (see bench help grid)")
		fs.IntVar(&f.compare, "compare", 0, "search seeds `N` of the search comparison (bayes, random replayed on the grid's cells) of the sigmoid grids on pixels and hog (profile default 3; 0 none)")
		fs.IntVar(&f.extend, "extend", 0, "range extension: at most `N` steps beyond each edge of a grid's range while its best cell is on it (profile default 2; 0 turns it off; see bench help grid)")
		fs.StringVar(&f.mem, "mem", "", "memory budget `SIZE` of the grids and SVMs (default a quarter of physical memory)")
		fs.IntVar(&f.epochs, "epochs", 0, "CNN epochs (profile default)")
		fs.IntVar(&f.batch, "batch", 100, "CNN mini-batch size")
		fs.Float64Var(&f.lr, "lr", 0.001, "CNN learning rate")
		fs.StringVar(&f.scaling, "scaling", "", "training sizes `LIST` of the scaling run (profile default); \"none\" skips it")
		fs.StringVar(&f.curve, "curve", "", "training sizes `LIST` of the learning curve (profile default); \"none\" skips the trials stage")
		fs.StringVar(&f.noiseCNN, "noise-cnn", "", "CNN variants `LIST` the noise studies train too (fixed, sigmoid-loss), or none (profile default: quick none, full fixed)")
		fs.IntVar(&f.repeats, "repeats", 0, "repeats of every learning-curve point on other subsets (profile default)")
		fs.StringVar(&f.variants, "cnn-variants", "", "CNN variants `LIST` to train: fixed, sigmoid-loss (profile default)")
		fs.StringVar(&f.skip, "skip", "", "stages `LIST` to skip: cnn, grids, run, scaling, trials, cost, report")
		return f
	},
}

// check turns the flags into a bench.MainConfig: a flag given on the
// command line overrides the profile, one left out keeps the profile's
// value (0 given for -train, -test or -grid-train means all samples).
func (f *allFlags) check(args []string) error {
	if len(args) > 0 {
		return usagef("unexpected arguments %q", args)
	}
	set := map[string]bool{}
	f.fs.Visit(func(fl *flag.Flag) { set[fl.Name] = true })
	if err := f.df.validate(); err != nil {
		return err
	}
	c := bench.MainConfig{Profile: f.profile, Out: f.out, Seed: f.df.seed,
		Data:  dataset.Options{Spec: f.df.spec, CacheDir: f.df.cache},
		Folds: f.folds, Features: splitList(f.feats), Kernels: splitList(f.kernels),
		PSDSample: f.psdSample, MaxIter: f.maxIter, CNN: cnn.TrainConfig{Epochs: f.epochs, Batch: f.batch, LR: f.lr},
		Skip: splitList(f.skip), Search: f.search, Trials: f.trials, Eta: f.eta, ColdStart: !f.warmStart,
		Repeats: f.repeats, CNNVariants: splitList(f.variants)}
	if err := f.checkSearch(set, &c); err != nil {
		return err
	}
	for _, n := range []struct {
		flag string
		v    int
		dst  *int
	}{{"train", f.df.train, &c.Train}, {"test", f.df.test, &c.Test}, {"grid-train", f.gridTrain, &c.GridTrain}} {
		if set[n.flag] && n.v == 0 {
			*n.dst = bench.AllSamples
		} else {
			*n.dst = n.v
		}
	}
	if err := parseRanges([4]string{f.alpha, f.coef0, f.gamma, f.cost}, [4]*bench.Range{&c.Alpha, &c.Coef0, &c.Gamma, &c.C}); err != nil {
		return err
	}
	if err := f.scalingSizes(&c, set["scaling"]); err != nil {
		return err
	}
	if err := f.curveSizes(&c, set["curve"]); err != nil {
		return err
	}
	if set["noise-cnn"] {
		c.NoiseCNNs = []string{}
		if f.noiseCNN != "none" {
			c.NoiseCNNs = splitList(f.noiseCNN)
		}
	}
	if f.mem != "" {
		var err error
		if c.MemBytes, err = parseBytes(f.mem); err != nil {
			return usagef("-mem: %w", err)
		}
	}
	if (set["folds"] && f.folds < 2) || (set["epochs"] && f.epochs < 1) || f.gridTrain < 0 {
		return usagef("-grid-train ≥ 0, -folds ≥ 2 and -epochs ≥ 1 (got %d, %d, %d)", f.gridTrain, f.folds, f.epochs)
	}
	if set["repeats"] && f.repeats < 1 {
		return usagef("-repeats %d: want at least 1", f.repeats)
	}
	if set["psd-sample"] && f.psdSample < 2 {
		return usagef("-psd-sample %d: want at least 2 rows", f.psdSample)
	}
	if err := checkGridTrain(&c); err != nil {
		return err
	}
	if err := c.Validate(); err != nil {
		return flagged(err, allFlagOf)
	}
	f.cfg = c
	return nil
}

// allFlagOf names the flag of each MainConfig field (and of the grids'
// and the CNN recipe's fields) whose *ConfigError check passes to
// flagged.
var allFlagOf = func() map[string]string {
	m := map[string]string{"MainConfig.Profile": "-profile", "MainConfig.Kernels": "-kernels", "MainConfig.Features": "-features",
		"MainConfig.Skip": "-skip", "MainConfig.Scaling": "-scaling", "MainConfig.CNNVariants": "-cnn-variants",
		"MainConfig.NoiseCNNs": "-noise-cnn", "TrainConfig.Epochs": "-epochs", "TrainConfig.Batch": "-batch", "TrainConfig.LR": "-lr"}
	for k, v := range rangeFlags {
		m[k] = v
	}
	return m
}()

// checkSearch checks the grids' search flags (-search, -trials, -eta, -extend,
// -compare) and sets c's Extend and Compare from them: given as 0, off
// (-1); left out, the profile's.
func (f *allFlags) checkSearch(set map[string]bool, c *bench.MainConfig) error {
	if set["extend"] {
		c.Extend = f.extend
		if f.extend == 0 {
			c.Extend = -1
		}
	}
	if set["compare"] {
		c.Compare = f.compare
		if f.compare == 0 {
			c.Compare = -1
		}
	}
	switch {
	case set["compare"] && (f.compare < 0 || f.compare > 100):
		return usagef("-compare %d: want 0 (none) or a number of search seeds from 1 to 100", f.compare)
	case set["extend"] && f.extend < 0:
		return usagef("-extend %d: want 0 (off) or a number of steps ≥ 1", f.extend)
	case !slices.Contains(bench.Searches, f.search):
		return usagef("-search %q: want grid, bayes, random or halving", f.search)
	case set["trials"] && f.trials < 1:
		return usagef("-trials %d: want at least 1", f.trials)
	case set["trials"] && (f.search == "grid" || f.search == "halving"):
		return usagef("-trials: only with -search bayes or random")
	case set["eta"] && f.search != "halving":
		return usagef("-eta: only with -search halving")
	case set["eta"] && !(f.eta >= 2 && f.eta <= 1e6):
		return usagef("-eta %v: want a factor from 2 to 1000000", f.eta)
	}
	return nil
}

// checkGridTrain refuses, naming the flag, what MainConfig.Validate
// would refuse naming its field (MainConfig.GridTrain): -grid-train
// larger than the training subset, -train's or else the profile's.
func checkGridTrain(c *bench.MainConfig) error {
	if c.GridTrain <= 0 {
		return nil
	}
	train, of := c.Train, "-train"
	if train == 0 {
		p, _ := bench.ProfileNamed(c.Profile) // another name: Validate names it
		train, of = p.Train, "the "+p.Profile+" profile's -train"
	}
	if train > 0 && c.GridTrain > train {
		return usagef("-grid-train %d: more than %s %d (the grids cross-validate on a subset of the training images): want at most %d, or 0 for all", c.GridTrain, of, train, train)
	}
	return nil
}

// scalingSizes reads -scaling: a list of sizes, or none (the scaling
// stage skipped).
func (f *allFlags) scalingSizes(c *bench.MainConfig, given bool) error {
	if !given {
		return nil
	}
	if f.scaling == "none" {
		c.Skip = append(c.Skip, "scaling")
		return nil
	}
	c.Scaling = []int{}
	for _, s := range splitList(f.scaling) {
		n, err := strconv.Atoi(s)
		if err != nil || n <= 0 {
			return usagef("-scaling %q: want training sizes such as 500,1000,2000, or none", f.scaling)
		}
		c.Scaling = append(c.Scaling, n)
	}
	return nil
}

// curveSizes reads -curve: a list of sizes, or none (the trials stage
// skipped).
func (f *allFlags) curveSizes(c *bench.MainConfig, given bool) error {
	if !given {
		return nil
	}
	if f.curve == "none" {
		c.Skip = append(c.Skip, "trials")
		return nil
	}
	c.Curve = []int{}
	for _, s := range splitList(f.curve) {
		n, err := strconv.Atoi(s)
		if err != nil || n <= 0 {
			return usagef("-curve %q: want training sizes such as 500,1000,2000, or none", f.curve)
		}
		c.Curve = append(c.Curve, n)
	}
	return nil
}

// run is the main job: bench.MainJob, with progress bars, the report
// built by reports, and the stages' times printed.
func (f *allFlags) run(ctx context.Context) error {
	prog := newProgress()
	defer prog.Wait()
	cfg := f.cfg
	cfg.Args = commandLine()
	pb := newPhaseBars(prog, f.df.phases())
	cfg.Data.Progress = pb.report
	cfg.Report = func(results, out string) error {
		prog.Wait()
		return buildReport(results, out)
	}
	start := time.Now()
	res, err := bench.MainJob(ctx, cfg, bench.MainProgress{
		Log: func(format string, a ...any) {
			pb.done()
			prog.Printf(format, a...)
		},
		Task: func(name string) (func(done, total int64), func()) { return taskBar(prog, name) },
	})
	pb.done()
	if err != nil {
		return err
	}
	var times []string
	for _, st := range res.Stages {
		times = append(times, fmt.Sprintf("%s %s", st.Name, (time.Duration(st.Seconds*1e9)).Round(time.Second)))
	}
	fmt.Fprintf(stderr, "bench: done in %s (%s)\n", time.Since(start).Round(time.Second), strings.Join(times, ", "))
	return nil
}
