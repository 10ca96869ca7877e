package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"runtime/metrics"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/svmbench/svmbench/bench"
	"github.com/svmbench/svmbench/cnn"
	"github.com/svmbench/svmbench/dataset"
	"github.com/svmbench/svmbench/features"
	"github.com/svmbench/svmbench/internal/progress"
	"github.com/svmbench/svmbench/kernels"
	"github.com/svmbench/svmbench/matrix"
)

// profile is a set of defaults for the main job; every field has a flag
// that overrides it.
type allProfile struct {
	train, test int    // balanced subset sizes; 0 = all
	gridTrain   int    // training images the grid searches cross-validate on; 0 = all of -train
	folds       int    // CV folds
	epochs      int    // CNN epochs
	scaling     string // training sizes of the scaling run
	psdSample   int    // rows of the PSD check
	grids       string // "quick": small grids centred on the features' scale; "default": bench's default ranges
}

var allProfiles = map[string]allProfile{
	// quick: the seed's CNN recipe (10 epochs) and small grids on a
	// 5000/1000-image subset; minutes on 2 cores with the pure-Go build
	// (measured: see docs/sections/reports.md). With 3 epochs (150 SGD
	// steps at lr 0.001) neither CNN variant left chance level.
	"quick": {train: 5000, test: 1000, gridTrain: 1000, folds: 3, epochs: 10, scaling: "500,1000,2000", psdSample: 500, grids: "quick"},
	// full: all of CIFAR-10, the default grids (on 10000 training images,
	// the n×n inner products of all 50000 would need 10 GB), 10 epochs.
	"full": {train: 0, test: 0, gridTrain: 10000, folds: 5, epochs: 10, scaling: "1000,2000,5000,10000", psdSample: 1000, grids: "default"},
}

// allFlags are the main job's flags.
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
	mem       string
	epochs    int
	batch     int
	lr        float64
	scaling   string
	skip      string
	set       map[string]bool // flags given on the command line
	fs        *flag.FlagSet
}

const allLong = `Without a command, bench runs the whole benchmark in its quick profile:

  1. data       -data auto: $CIFAR10_DIR, else the cache, else a download;
                a balanced seeded subset (quick: 5000 training, 1000 test
                images; full: all 50000/10000).
  2. cnn        the seed CNN, variants seed and fixed, with the seed's
                recipe (10 epochs, batch 100, SGD lr 0.001, momentum 0.9),
                test accuracy after every epoch; the fixed network's
                embeddings are the "cnn" feature set.
  3. grids      a cross-validated grid per kernel (sigmoid α × c × C, rbf
                γ × C, linear C) and feature set (pixels, hog, cnn), on
                -grid-train images (quick: 1000, 3 folds; full: 10000, 5
                folds); the sigmoid grids record the PSD map (min_eigen).
  4. run        every SVM at its own grid's best parameters, trained on the
                whole training subset and scored on the test subset, beside
                the CNNs: results.json.
  5. scaling    train and predict time against n (quick: 500, 1000, 2000)
                for the three SVMs on pixels: scaling.json.
  6. report     report.md, report.html, figures and CSV tables; the main
                table is printed.

Results go to -out/results (default svmbench-report/results), the report
to -out. Every stage writes its results as it finishes; Ctrl-C stops
cleanly and running the same command again resumes: finished stages whose
outputs exist are skipped, an interrupted grid continues from its journal.
A results folder made with other settings (sizes, seed, data, grids, CNN
recipe) is refused rather than mixed (choose another -out).

The quick grids are centred on the scale of each feature set: with s the
mean squared norm ‖x‖² of the training features and k = round(log2(1/s)),
sigmoid α ∈ {2^(k-5), 2^(k-3), 2^(k-1), 2^(k+1)}, c ∈ {-1, -0.5, 0},
C ∈ {1, 8, 64} (36 cells); rbf γ ∈ {2^(g-2), 2^g, 2^(g+2)} with
g = round(log2(1/d²)), d² the mean squared distance between training
samples, C ∈ {1, 8, 64} (9 cells); linear C ∈ {2^(k-2), 2^(k+1), 2^(k+4),
2^(k+7)}. The full profile uses bench grid's default
ranges, with the sigmoid α range shifted by k + 10 for feature sets other
than pixels (the default is centred for pixels/255, where k ≈ -10).
-alpha, -coef0, -gamma and -C override a range for every grid.`

var cmdAll = &Command{
	Name:      "all",
	UsageLine: "all [-profile quick|full] [-out DIR] [-data SPEC] [-train N] [-test M] [-grid-train N] [-folds K] [-features LIST] [-kernels LIST] [-epochs E] [-scaling LIST] [-skip STAGES]",
	Short:     "run the whole benchmark (the default command): data, CNN, grids, models, scaling, report",
	Long:      allLong,
	Flags: func(fs *flag.FlagSet) runner {
		f := &allFlags{fs: fs}
		fs.StringVar(&f.profile, "profile", "quick", "`quick` (minutes) or full (all images, default grids, hours)")
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
		fs.StringVar(&f.mem, "mem", "", "memory budget `SIZE` of the grids and SVMs (default a quarter of physical memory)")
		fs.IntVar(&f.epochs, "epochs", 0, "CNN epochs (profile default)")
		fs.IntVar(&f.batch, "batch", 100, "CNN mini-batch size")
		fs.Float64Var(&f.lr, "lr", 0.001, "CNN learning rate")
		fs.StringVar(&f.scaling, "scaling", "", "training sizes `LIST` of the scaling run (profile default); \"none\" skips it")
		fs.StringVar(&f.skip, "skip", "", "stages `LIST` to skip: cnn, grids, run, scaling, report")
		return f
	},
}

func (f *allFlags) check(args []string) error {
	if len(args) > 0 {
		return usagef("unexpected arguments %q", args)
	}
	f.set = map[string]bool{}
	f.fs.Visit(func(fl *flag.Flag) { f.set[fl.Name] = true })
	return nil
}

func (f *allFlags) run(ctx context.Context) error { return runAll(ctx, f) }

// allStamp identifies a main job's results folder: a rerun with other
// settings must not mix its results with these.
type allStamp struct {
	Profile   string `json:"profile"`
	Data      string `json:"data"`
	Train     int    `json:"train"`
	Test      int    `json:"test"`
	Seed      uint64 `json:"seed"`
	GridTrain int    `json:"grid_train"`
	Folds     int    `json:"folds"`
	Epochs    int    `json:"epochs"`
	// Grid settings: a grid whose best file exists is skipped, so a
	// change here must not reuse it.
	Features  string  `json:"features"`
	Kernels   string  `json:"kernels"`
	Ranges    string  `json:"ranges,omitempty"` // -alpha/-coef0/-gamma/-C as given
	PSDSample int     `json:"psd_sample"`
	MaxIter   int     `json:"max_iter,omitempty"`
	Batch     int     `json:"batch"`
	LR        float64 `json:"lr"`
}

const allStampFile = "all.json"

func allList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

func runAll(ctx context.Context, f *allFlags) error {
	prof, ok := allProfiles[f.profile]
	if !ok {
		return usagef("-profile %q: want quick or full", f.profile)
	}
	// The profile fills what the command line left unset.
	if !f.set["train"] {
		f.df.train = prof.train
	}
	if !f.set["test"] {
		f.df.test = prof.test
	}
	if !f.set["grid-train"] {
		f.gridTrain = prof.gridTrain
	}
	if !f.set["folds"] {
		f.folds = prof.folds
	}
	if !f.set["epochs"] {
		f.epochs = prof.epochs
	}
	if !f.set["scaling"] {
		f.scaling = prof.scaling
	}
	if !f.set["psd-sample"] {
		f.psdSample = prof.psdSample
	}
	skip := map[string]bool{}
	for _, s := range allList(f.skip) {
		switch s {
		case "cnn", "grids", "run", "scaling", "report":
			skip[s] = true
		default:
			return usagef("-skip %q: want a list of cnn, grids, run, scaling, report", s)
		}
	}
	feats, kerns := allList(f.feats), allList(f.kernels)
	for _, k := range kerns {
		if _, err := kernels.Lookup(k); err != nil {
			return usagef("-kernels: %q: want %s", k, kernels.NameList())
		}
	}
	for _, name := range feats {
		if name == "cnn" {
			continue
		}
		if _, err := features.ByName(name); err != nil {
			return usagef("-features: %v", err)
		}
	}
	var ranges struct{ alpha, coef0, gamma, c bench.Range }
	for _, r := range []struct {
		flag, val string
		dst       *bench.Range
	}{{"alpha", f.alpha, &ranges.alpha}, {"coef0", f.coef0, &ranges.coef0}, {"gamma", f.gamma, &ranges.gamma}, {"C", f.cost, &ranges.c}} {
		if r.val == "" {
			continue
		}
		v, err := bench.ParseRange(r.val)
		if err != nil {
			return usagef("-%s: %v", r.flag, err)
		}
		*r.dst = v
	}
	var sizes []int
	if f.scaling != "none" {
		for _, s := range allList(f.scaling) {
			n, err := strconv.Atoi(s)
			if err != nil || n <= 0 {
				return usagef("-scaling %q: want training sizes such as 500,1000,2000, or none", f.scaling)
			}
			sizes = append(sizes, n)
		}
	}
	var mem int64
	if f.mem != "" {
		var err error
		if mem, err = parseBytes(f.mem); err != nil {
			return usagef("-mem: %v", err)
		}
	}
	if f.gridTrain < 0 || f.folds < 2 || f.epochs < 1 {
		return usagef("-grid-train ≥ 0, -folds ≥ 2 and -epochs ≥ 1 (got %d, %d, %d)", f.gridTrain, f.folds, f.epochs)
	}

	start := time.Now()
	resDir := filepath.Join(f.out, "results")
	if err := os.MkdirAll(resDir, 0o755); err != nil {
		return err
	}
	stamp := allStamp{Profile: f.profile, Data: f.df.spec, Train: f.df.train, Test: f.df.test, Seed: f.df.seed,
		GridTrain: f.gridTrain, Folds: f.folds, Epochs: f.epochs,
		Features: strings.Join(feats, ","), Kernels: strings.Join(kerns, ","), PSDSample: f.psdSample, MaxIter: f.maxIter,
		Batch: f.batch, LR: f.lr}
	if f.alpha+f.coef0+f.gamma+f.cost != "" {
		stamp.Ranges = fmt.Sprintf("alpha=%s coef0=%s gamma=%s C=%s", f.alpha, f.coef0, f.gamma, f.cost)
	}
	if err := allCheckStamp(filepath.Join(resDir, allStampFile), stamp); err != nil {
		return err
	}
	args := append([]string{"bench"}, os.Args[1:]...)

	prog := newProgress()
	defer prog.Wait()
	prog.Printf("bench: %s profile into %s (results in %s); Ctrl-C stops, rerunning resumes", f.profile, f.out, resDir)

	// 1. Data.
	d, err := f.df.load(ctx, prog)
	if err != nil {
		return err
	}
	if d.Image == nil {
		return fmt.Errorf("-data %s has no images: the main job needs images (CNN, HOG); use bench grid and bench run for other data", f.df.spec)
	}
	prog.Printf("data: %d training, %d test images from %s", d.Train.Len(), d.Test.Len(), d.Source)
	timings := []string{}
	lap := func(stage string, t0 time.Time) {
		timings = append(timings, fmt.Sprintf("%s %s", stage, time.Since(t0).Round(time.Second)))
	}

	// 2. CNN.
	var embed features.Extractor
	needCNN := slices.Contains(feats, "cnn")
	if !skip["cnn"] {
		t0 := time.Now()
		for _, v := range []string{cnn.VariantSeed, cnn.VariantFixed} {
			if err := allCNN(ctx, prog, d, resDir, v, f, args); err != nil {
				return err
			}
		}
		lap("cnn", t0)
	}
	if needCNN {
		path := filepath.Join(resDir, "cnn-"+cnn.VariantFixed+".cnn")
		e, err := cnn.LoadEmbedder(path)
		if err != nil {
			return fmt.Errorf("the cnn feature set needs the fixed CNN (%s): %w; run without -skip cnn, or drop cnn from -features", path, err)
		}
		embed = e
	}
	extractor := func(name string) (features.Extractor, error) {
		if name == "cnn" {
			return embed, nil
		}
		return features.ByName(name)
	}

	// 3. Grids, on a balanced subset of the training images.
	if !skip["grids"] {
		t0 := time.Now()
		dg := d
		if f.gridTrain > 0 && f.gridTrain < d.Train.Len() {
			if dg, err = d.Balanced(f.gridTrain, 0, rand.New(rand.NewPCG(f.df.seed, 0x67726964))); err != nil { // "grid"
				return err
			}
			dg.Source = d.Source + fmt.Sprintf(", grid subset %d", f.gridTrain)
		}
		for _, fname := range feats {
			var train, test *matrix.Matrix
			for _, k := range kerns {
				if err := ctx.Err(); err != nil {
					return err
				}
				if _, err := os.Stat(filepath.Join(resDir, bench.BestFile(k, fname))); err == nil {
					prog.Printf("grid %s/%s: done already (%s)", k, fname, bench.BestFile(k, fname))
					continue
				}
				if train == nil {
					ext, err := extractor(fname)
					if err != nil {
						return err
					}
					if train, test, err = features.Apply(ext, dg); err != nil {
						return err
					}
				}
				cfg := bench.GridConfig{Kernel: k, Features: fname, Folds: f.folds, Seed: f.df.seed,
					MaxIter: f.maxIter, MemBytes: mem, PSD: allIndefinite(k), PSDSample: min(f.psdSample, train.Rows),
					Out: resDir, Resume: true, Args: args}
				allGridRanges(&cfg, prof.grids, train, f.df.seed)
				if !ranges.alpha.IsZero() {
					cfg.Alpha = ranges.alpha
				}
				if !ranges.coef0.IsZero() {
					cfg.Coef0 = ranges.coef0
				}
				if !ranges.gamma.IsZero() {
					cfg.Gamma = ranges.gamma
				}
				if !ranges.c.IsZero() {
					cfg.C = ranges.c
				}
				bar := prog.Bar(fmt.Sprintf("grid %s/%s fits", k, fname), -1)
				cfg.Progress = bar.Func()
				best, cells, err := bench.Grid(ctx, dg, train, test, cfg)
				bar.Done()
				if err != nil {
					return err
				}
				if best != nil {
					prog.Printf("grid %s/%s: %d cells; best %s: CV %.1f%%, test %.1f%% (retrained on %d images)",
						k, fname, len(cells), bench.ParamString(best.Cell), 100*best.Cell.CVAccuracy, 100*best.TestAccuracy, train.Rows)
				}
			}
		}
		lap("grids", t0)
	}

	// 4. Every SVM at its grid's best, beside the CNNs, on the whole subset.
	if !skip["run"] {
		t0 := time.Now()
		var models []string
		for _, k := range kerns {
			models = append(models, "svm-"+k)
		}
		var bar *progress.Bar
		cfg := bench.RunConfig{Models: models, Features: feats, CNNExtractor: embed, ParamsDir: resDir,
			Seed: f.df.seed, MemBytes: mem, Out: resDir, Resume: true, Args: args,
			Stage: func(model, fname string) {
				if bar != nil {
					bar.Done()
				}
				prog.Printf("run: %s on %s features, %d training images", model, fname, d.Train.Len())
				bar = prog.Bar(fmt.Sprintf("%s/%s", model, fname), -1)
			},
			Progress: func(done, total int64) {
				if bar != nil {
					bar.SetTotal(total)
					bar.Set(done)
				}
			}}
		_, err := bench.Run(ctx, d, cfg)
		if bar != nil {
			bar.Done()
		}
		if err != nil {
			return err
		}
		lap("run", t0)
	}

	// 5. Scaling on pixels.
	if !skip["scaling"] && len(sizes) > 0 {
		t0 := time.Now()
		var models []string
		for _, k := range kerns {
			models = append(models, "svm-"+k)
		}
		var bar *progress.Bar
		cfg := bench.ScalingConfig{Models: models, Features: "pixels", Sizes: sizes, TestN: min(1000, d.Test.Len()),
			ParamsDir: resDir, MemBytes: mem, Seed: f.df.seed, Out: resDir, Resume: true, Args: args,
			Stage: func(model string, n int) {
				if bar != nil {
					bar.Done()
				}
				bar = prog.Bar(fmt.Sprintf("scaling %s n=%d", model, n), -1)
			},
			Progress: func(done, total int64) {
				if bar != nil {
					bar.SetTotal(total)
					bar.Set(done)
				}
			}}
		_, err := bench.RunScaling(ctx, d, cfg)
		if bar != nil {
			bar.Done()
		}
		if err != nil {
			return err
		}
		lap("scaling", t0)
	}

	// 6. Report.
	if !skip["report"] {
		t0 := time.Now()
		prog.Wait()
		if err := buildReport(resDir, f.out); err != nil {
			return err
		}
		lap("report", t0)
	}
	fmt.Fprintf(stderr, "bench: done in %s (%s)\n", time.Since(start).Round(time.Second), strings.Join(timings, ", "))
	return nil
}

// allCheckStamp writes the stamp of a new results folder, or checks that an
// existing folder was made with the same settings.
func allCheckStamp(path string, s allStamp) error {
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return bench.WriteJSON(path, s)
	}
	if err != nil {
		return err
	}
	var old allStamp
	if err := json.Unmarshal(data, &old); err != nil {
		return fmt.Errorf("%s: %v", path, err)
	}
	if old != s {
		return fmt.Errorf("%s holds results made with other settings (%+v; now %+v): choose another -out, or delete that folder to start again", filepath.Dir(path), old, s)
	}
	return nil
}

// allIndefinite reports whether the grids of kernel record their smallest
// eigenvalues: those whose Gram matrix can be indefinite over the default
// grid (kernels.Spec.Indefinite).
func allIndefinite(kernel string) bool {
	spec, err := kernels.Lookup(kernel)
	return err == nil && spec.Indefinite
}

// allGridRanges fills the parameter ranges of a grid for a profile: "quick"
// centres small grids on the scale of the training features x; "default"
// keeps bench's defaults, with the sigmoid α range moved to the features'
// scale for feature sets other than pixels.
func allGridRanges(cfg *bench.GridConfig, kind string, x *matrix.Matrix, seed uint64) {
	k := math.Round(math.Log2(1 / allMeanSqNorm(x)))
	p2 := func(es ...float64) bench.Range {
		vs := make([]float64, len(es))
		parts := make([]string, len(es))
		for i, e := range es {
			vs[i] = math.Exp2(e)
			parts[i] = fmt.Sprintf("2^%g", e)
		}
		r := bench.Values(vs...)
		r.Text = strings.Join(parts, ",")
		return r
	}
	// The profiles are known for the built-in kernel types; a kernel added
	// to the registry gets its spec's default ranges.
	spec, err := kernels.Lookup(cfg.Kernel)
	if err != nil {
		return
	}
	kern := spec.New(kernels.Values{})
	if kind == "default" {
		if _, ok := kern.(kernels.Sigmoid); ok && cfg.Features != "pixels" {
			cfg.Alpha, _ = bench.ParseRange(fmt.Sprintf("2^%g:2^%g:2", k-5, k+5))
		}
		return
	}
	switch kern.(type) {
	case kernels.Sigmoid:
		cfg.Alpha = p2(k-5, k-3, k-1, k+1)
		cfg.Coef0 = bench.Values(-1, -0.5, 0)
		cfg.C = bench.Values(1, 8, 64)
	case kernels.RBF:
		g := math.Round(math.Log2(1 / allMeanSqDist(x, seed)))
		cfg.Gamma = p2(g-2, g, g+2)
		cfg.C = bench.Values(1, 8, 64)
	case kernels.Linear:
		cfg.C = p2(k-2, k+1, k+4, k+7)
	}
}

// allMeanSqNorm is the mean of ‖x_i‖² over the rows of x (1 when x is empty
// or zero).
func allMeanSqNorm(x *matrix.Matrix) float64 {
	var s float64
	for i := 0; i < x.Rows; i++ {
		for _, v := range x.Row(i) {
			s += float64(v) * float64(v)
		}
	}
	if s == 0 || x.Rows == 0 {
		return 1
	}
	return s / float64(x.Rows)
}

// allMeanSqDist estimates the mean of ‖x_i − x_j‖² over 2000 seeded pairs of
// rows.
func allMeanSqDist(x *matrix.Matrix, seed uint64) float64 {
	if x.Rows < 2 {
		return 1
	}
	r := rand.New(rand.NewPCG(seed, 0x64697374)) // "dist"
	var s float64
	const pairs = 2000
	for p := 0; p < pairs; p++ {
		a, b := x.Row(r.IntN(x.Rows)), x.Row(r.IntN(x.Rows))
		for i := range a {
			d := float64(a[i]) - float64(b[i])
			s += d * d
		}
	}
	if s == 0 {
		return 1
	}
	return s / pairs
}

// allCNN trains one CNN variant on d's training split, scoring the test
// split after every epoch, and writes DIR/cnn-VARIANT.json (bench.CNNRun,
// rewritten after every epoch) and the network DIR/cnn-VARIANT.cnn. A
// variant whose run file has all its epochs and whose network is saved is
// skipped; an unfinished one is trained again from the start.
func allCNN(ctx context.Context, prog *progress.Progress, d *dataset.Dataset, dir, variant string, f *allFlags, args []string) error {
	jsonPath := filepath.Join(dir, "cnn-"+variant+".json")
	netPath := filepath.Join(dir, "cnn-"+variant+".cnn")
	var old bench.CNNRun
	if err := bench.ReadJSON(jsonPath, &old); err == nil && len(old.Epochs) == f.epochs {
		if net, err := cnn.Load(netPath); err == nil {
			var res bench.Results
			if bench.ReadJSON(filepath.Join(dir, bench.ResultsFile), &res) == nil && len(old.Confusion) > 0 &&
				slices.ContainsFunc(res.Results, func(r bench.ModelResult) bool { return r.Model == "cnn-"+variant }) {
				prog.Printf("cnn %s: done already (%s)", variant, jsonPath)
				return nil
			}
			// Trained, but the record was not written: score it now.
			return allCNNRow(d, dir, variant, net, &old, 0, args)
		}
	}
	cfg := cnn.TrainConfig{Epochs: f.epochs, Batch: f.batch, LR: f.lr, Seed: f.df.seed}
	net, err := cnn.NewSeed(variant, rand.New(rand.NewPCG(cfg.Seed, 1)))
	if err != nil {
		return err
	}
	man := bench.NewManifest(d, f.df.seed, args)
	run := bench.CNNRun{Manifest: man, Variant: variant, Model: filepath.Base(netPath),
		Params: map[string]float64{"lr": f.lr, "momentum": 0.9, "batch": float64(f.batch), "epochs": float64(f.epochs)}}
	for _, c := range d.Classes {
		run.Classes = append(run.Classes, c.Name)
	}
	prog.Printf("cnn %s: %d training, %d test images, %d epochs, batch %d, lr %g", variant, d.Train.Len(), d.Test.Len(), f.epochs, f.batch, f.lr)
	var bar *progress.Bar
	epoch := 1
	var saveErr error
	cfg.Progress = func(done, total int64) {
		if bar == nil {
			bar = prog.Bar(fmt.Sprintf("cnn %s epoch %d/%d", variant, epoch, f.epochs), total)
		}
		bar.Set(done)
	}
	cfg.OnEpoch = func(e cnn.EpochStats) {
		if bar != nil {
			bar.Done()
			bar = nil
		}
		epoch = e.Epoch + 1
		prog.Printf("cnn %s: epoch %d  train loss %.4f  test accuracy %.2f%%  %.1f s", variant, e.Epoch, e.TrainLoss, 100*e.TestAccuracy, e.Seconds)
		run.Epochs = append(run.Epochs, bench.CNNEpoch{Epoch: e.Epoch, TrainLoss: e.TrainLoss, TestAccuracy: e.TestAccuracy, Seconds: e.Seconds})
		if err := bench.WriteJSON(jsonPath, run); err != nil && saveErr == nil {
			saveErr = err
		}
	}
	var peak uint64
	peak, err = allPeakHeap(func() error {
		_, err := cnn.Fit(ctx, net, &d.Train, &d.Test, *d.Image, cfg)
		return err
	})
	if bar != nil {
		bar.Done()
	}
	if err != nil {
		return err
	}
	if saveErr != nil {
		return saveErr
	}
	if err := net.Save(netPath); err != nil {
		return err
	}
	return allCNNRow(d, dir, variant, net, &run, peak, args)
}

// cnnRow scores the trained network on d's test split, completes its run
// file with the confusion matrix, and adds its record to DIR/results.json
// (before bench.Run adds the SVMs, which keeps records made on the same
// data when it resumes), so that the table and the accuracy figure show
// the CNNs beside the SVMs without training them twice. Training time is
// the sum of the epochs' training passes (without the per-epoch test
// evaluation), as bench.Run measures it; peak is 0 (unknown) when the
// network was trained by an earlier, interrupted run.
func allCNNRow(d *dataset.Dataset, dir, variant string, net *cnn.Network, run *bench.CNNRun, peak uint64, args []string) error {
	t0 := time.Now()
	pred := make([]int, d.Test.Len())
	if err := net.Predict(pred, d.Test.X); err != nil {
		return err
	}
	predSecs := time.Since(t0).Seconds()
	run.Confusion = allConfusion(d, pred)
	if err := bench.WriteJSON(filepath.Join(dir, "cnn-"+variant+".json"), run); err != nil {
		return err
	}
	path := filepath.Join(dir, bench.ResultsFile)
	res := bench.Results{Manifest: bench.NewManifest(d, run.Manifest.Seed, args), DataSHA256: bench.DataDigest(d)}
	if err := bench.ReadJSON(path, &res); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	model := "cnn-" + variant
	res.Results = slices.DeleteFunc(res.Results, func(r bench.ModelResult) bool { return r.Model == model })
	r := bench.ModelResult{Model: model, Features: "pixels", Classes: run.Classes, Confusion: run.Confusion,
		PredictSeconds: predSecs, PeakHeapBytes: peak, Params: run.Params}
	for _, e := range run.Epochs {
		r.TrainSeconds += e.Seconds
	}
	total, correct := 0, 0
	r.PerClassAccuracy = make([]float64, len(run.Confusion))
	for i, row := range run.Confusion {
		n := 0
		for _, c := range row {
			n += c
		}
		total += n
		correct += row[i]
		if n > 0 {
			r.PerClassAccuracy[i] = float64(row[i]) / float64(n)
		}
	}
	if total > 0 {
		r.Accuracy = float64(correct) / float64(total)
	}
	res.Results = append(res.Results, r)
	return bench.WriteJSON(path, res)
}

// allPeakHeap runs f and returns the largest Go heap size seen while it
// ran (runtime/metrics, sampled every 10 ms), as bench.Run measures its
// models.
func allPeakHeap(f func() error) (uint64, error) {
	runtime.GC()
	sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	read := func() uint64 {
		metrics.Read(sample)
		if sample[0].Value.Kind() != metrics.KindUint64 {
			return 0
		}
		return sample[0].Value.Uint64()
	}
	var peak atomic.Uint64
	peak.Store(read())
	stop, done := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(done)
		t := time.NewTicker(10 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-stop:
				return
			case <-t.C:
				if v := read(); v > peak.Load() {
					peak.Store(v)
				}
			}
		}
	}()
	err := f()
	close(stop)
	<-done
	return max(peak.Load(), read()), err
}

// confusion counts [true][predicted] over d's test split, classes in
// d.Classes order (the network predicts class indices in that order).
func allConfusion(d *dataset.Dataset, pred []int) [][]int {
	k := len(d.Classes)
	index := map[int]int{}
	for i, c := range d.Classes {
		index[c.Label] = i
	}
	m := make([][]int, k)
	for i := range m {
		m[i] = make([]int, k)
	}
	for i, p := range pred {
		if t, ok := index[d.Test.Y[i]]; ok && p >= 0 && p < k {
			m[t][p]++
		}
	}
	return m
}
