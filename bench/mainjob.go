package bench

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"time"

	"github.com/svmbench/svmbench/cnn"
	"github.com/svmbench/svmbench/dataset"
	"github.com/svmbench/svmbench/features"
	"github.com/svmbench/svmbench/kernels"
	"github.com/svmbench/svmbench/matrix"
)

// MainProgress receives the main job's progress. Every field may be nil.
type MainProgress struct {
	// Log receives one line of news, printf-style ("grid sigmoid/pixels:
	// done already").
	Log func(format string, a ...any)
	// Task announces a task with a count to show (CNN epoch, grid fits,
	// one model, one scaling point) and returns its progress callback and
	// the function that ends it; the first count of a grid may be the
	// cells resumed from its journal.
	Task func(name string) (update func(done, total int64), end func())
}

// MainResult is what a finished (or interrupted) main job did.
type MainResult struct {
	Config     MainConfig // the configuration after defaults
	ResultsDir string     // Out/results
	ReportDir  string     // Out
	Data       *dataset.Dataset
	Stages     []StageTime // the stages run, in order
}

// StageTime is the wall time of one stage.
type StageTime struct {
	Name    string
	Seconds float64
}

// A mainStage is one step of the main job's plan. Each stage owns the
// files it writes (listed beside it) and only reads the others'.
type mainStage struct {
	name string
	run  func(j *mainJob, ctx context.Context) error
}

// mainPlan is the main job, in order. To add a stage: write a method
// func (j *mainJob) NAMEStage(ctx context.Context) error that writes its
// own files into j.results (and reads, never rewrites, the others'), add
// it here at its place, add the fields it needs to MainConfig (and to
// mainStamp when they change its results), and document it in doc.go.
var mainPlan = []mainStage{
	{"cnn", (*mainJob).cnnStage},         // cnn-VARIANT.json, .cnn, .ckpt
	{"grids", (*mainJob).gridStage},      // grid-K-F.jsonl, .spec.json, best-K-F.json, svm-K-F.model
	{"run", (*mainJob).runStage},         // results.json
	{"scaling", (*mainJob).scalingStage}, // scaling.json
	{"trials", (*mainJob).trialsStage},   // trials.json
	{"cost", (*mainJob).costStage},       // cost.json
	{"report", (*mainJob).reportStage},   // the report folder: report.md, report.html, figures/, tables/
}

// MainStages returns the names of the main job's stages, in order (the
// data stage always runs).
func MainStages() []string {
	var s []string
	for _, st := range mainPlan {
		s = append(s, st.name)
	}
	return s
}

// mainJob is one run of MainJob.
type mainJob struct {
	cfg     MainConfig
	p       MainProgress
	results string
	d       *dataset.Dataset
	embed   features.Extractor // the fixed CNN's embeddings, when needed
}

func (j *mainJob) log(format string, a ...any) {
	if j.p.Log != nil {
		j.p.Log(format, a...)
	}
}

func (j *mainJob) task(name string) (func(done, total int64), func()) {
	if j.p.Task == nil {
		return nil, func() {}
	}
	return j.p.Task(name)
}

// MainJob runs the whole benchmark: the data, then the stages of
// MainStages not in cfg.Skip, each writing its results into
// cfg.Out/results as it finishes. A folder made with other settings is
// refused (all.json records them); run again with the same cfg, it skips
// finished work and resumes interrupted work. On cancellation it returns
// ctx's error; finished work is kept.
func MainJob(ctx context.Context, cfg MainConfig, p MainProgress) (*MainResult, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	j := &mainJob{cfg: cfg, p: p, results: filepath.Join(cfg.Out, "results")}
	res := &MainResult{Config: cfg, ResultsDir: j.results, ReportDir: cfg.Out}
	if err := os.MkdirAll(j.results, 0o755); err != nil {
		return nil, fmt.Errorf("bench: %w", err)
	}
	// The job holds its results folder; the stages lock it again (the
	// lock counts references within a process).
	unlock, err := LockOut(j.results)
	if err != nil {
		return nil, err
	}
	defer unlock()
	if err := checkStamp(filepath.Join(j.results, MainStampFile), cfg.stamp()); err != nil {
		return nil, err
	}
	j.log("bench: %s profile into %s (results in %s); Ctrl-C stops, rerunning resumes", cfg.Profile, cfg.Out, j.results)
	if err := j.loadData(ctx); err != nil {
		return res, err
	}
	res.Data = j.d
	for _, st := range mainPlan {
		if slices.Contains(cfg.Skip, st.name) {
			continue
		}
		t0 := time.Now()
		if err := st.run(j, ctx); err != nil {
			return res, err
		}
		res.Stages = append(res.Stages, StageTime{st.name, time.Since(t0).Seconds()})
	}
	return res, nil
}

// loadData is the data stage: the balanced subset the job runs on.
func (j *mainJob) loadData(ctx context.Context) error {
	d, err := LoadBalanced(ctx, j.cfg.Data, size(j.cfg.Train), size(j.cfg.Test))
	if err != nil {
		return err
	}
	if d.Image == nil {
		return fmt.Errorf("bench: data %s has no images: the main job needs images (CNN, HOG); use bench grid and bench run for other data", d.Source)
	}
	j.log("data: %d training, %d test images from %s", d.Train.Len(), d.Test.Len(), d.Source)
	j.d = d
	return nil
}

func (j *mainJob) recipe() cnn.TrainConfig {
	return j.cfg.CNN
}

// cnnStage trains both CNN variants with TrainCNN (checkpointed, so an
// interrupted training continues), scoring the test split after every
// epoch. It writes only the CNNs' files; the run stage makes their rows
// of results.json.
func (j *mainJob) cnnStage(ctx context.Context) error {
	for _, v := range j.cfg.CNNVariants {
		if err := j.trainCNN(ctx, v); err != nil {
			return err
		}
	}
	return nil
}

func (j *mainJob) trainCNN(ctx context.Context, variant string) error {
	c := j.cfg
	cfg := CNNConfig{Variant: variant, Recipe: j.recipe(), Out: j.results, Args: c.Args}
	epoch := 1
	var update func(done, total int64)
	end := func() {}
	cfg.Progress = func(done, total int64) {
		if update == nil {
			if update, end = j.task(fmt.Sprintf("cnn %s epoch %d/%d", variant, epoch, c.CNN.Epochs)); update == nil {
				update = func(int64, int64) {}
			}
		}
		update(done, total)
	}
	cfg.OnEpoch = func(e CNNEpoch, _ float64, resumed bool) {
		end()
		update, end, epoch = nil, func() {}, e.Epoch+1
		if !resumed {
			j.log("cnn %s: epoch %d  train loss %.4f  test accuracy %.2f%%  %.1f s", variant, e.Epoch, e.TrainLoss, 100*e.TestAccuracy, e.Seconds)
		}
	}
	res, err := TrainCNN(ctx, j.d, cfg)
	end()
	if err != nil {
		return err
	}
	if res.Trained == 0 {
		j.log("cnn %s: done already (%s)", variant, res.RunFile)
	} else {
		j.log("cnn %s: %d training, %d test images, %g epochs, batch %g, lr %g: test accuracy %.2f%%",
			variant, j.d.Train.Len(), j.d.Test.Len(), res.Run.Params["epochs"], res.Run.Params["batch"], res.Run.Params["lr"], 100*res.Record.Accuracy)
	}
	return nil
}

// svmModels names the job's SVM models, "svm-KERNEL" for each kernel.
func (j *mainJob) svmModels() []string {
	var models []string
	for _, k := range j.cfg.Kernels {
		models = append(models, "svm-"+k)
	}
	return models
}

// cnnEmbedding returns the fixed CNN's embedding when the job's features
// include cnn, and nil otherwise.
func (j *mainJob) cnnEmbedding() (features.Extractor, error) {
	if !slices.Contains(j.cfg.Features, "cnn") {
		return nil, nil
	}
	return j.extractor("cnn")
}

// extractor returns the feature set name; "cnn" is the embeddings of the
// fixed CNN the cnn stage saved.
func (j *mainJob) extractor(name string) (features.Extractor, error) {
	if name != "cnn" {
		return features.ByName(name)
	}
	if j.embed == nil {
		path := filepath.Join(j.results, "cnn-"+cnn.VariantFixed+".cnn")
		e, err := cnn.LoadEmbedder(path)
		if err != nil {
			return nil, fmt.Errorf("bench: the cnn feature set needs the fixed CNN (%s): %w; run the cnn stage, or drop cnn from the features", path, err)
		}
		j.embed = e
	}
	return j.embed, nil
}

// gridStage cross-validates a grid per kernel and feature set on a
// balanced subset of GridTrain training images; a grid whose best file
// exists is skipped, an interrupted one continues from its journal.
func (j *mainJob) gridStage(ctx context.Context) error {
	dg := j.d
	if n := j.cfg.GridTrain; n > 0 && n < j.d.Train.Len() {
		var err error
		if dg, err = j.d.Balanced(n, 0, rand.New(rand.NewPCG(j.cfg.Seed, 0x67726964))); err != nil { // "grid"
			return err
		}
		dg.Source = j.d.Source + fmt.Sprintf(", grid subset %d", n)
	}
	for _, fname := range j.cfg.Features {
		var train, test *matrix.Matrix
		var ext features.Extractor
		for _, k := range j.cfg.Kernels {
			if err := ctx.Err(); err != nil {
				return err
			}
			if j.gridDone(k, fname) {
				j.log("grid %s/%s: done already (%s)", k, fname, BestFile(k, fname))
				continue
			}
			if train == nil {
				var err error
				if ext, err = j.extractor(fname); err != nil {
					return err
				}
				if train, test, err = features.Apply(ext, dg); err != nil {
					return err
				}
			}
			if err := j.grid(ctx, dg, train, test, ext, k, fname); err != nil {
				return err
			}
		}
	}
	return nil
}

// grid runs one grid of the grid stage.
func (j *mainJob) grid(ctx context.Context, dg *dataset.Dataset, train, test *matrix.Matrix, ext features.Extractor, k, fname string) error {
	c := j.cfg
	cfg := GridConfig{Kernel: k, Features: fname, Folds: c.Folds, Seed: c.Seed, MaxIter: c.MaxIter, MemBytes: c.MemBytes,
		PSD: indefinite(k), PSDSample: min(c.PSDSample, train.Rows), Out: j.results, Resume: true, Args: c.Args,
		Search: c.Search, Trials: c.Trials, Eta: c.Eta, ColdStart: c.ColdStart, Extractor: ext, Extend: max(c.Extend, 0)} // -1: off
	MainGridRanges(&cfg, c.Grids, train, c.Seed)
	if err := c.setRanges(&cfg); err != nil {
		return err
	}
	capTrials(&cfg)
	update, end := j.task(fmt.Sprintf("grid %s/%s (fits)", k, fname))
	cfg.Progress = update
	best, cells, err := Grid(ctx, dg, train, test, cfg)
	end()
	if err != nil {
		return err
	}
	if best != nil {
		failed := ""
		if n, c, ok := Failures(cells); ok {
			failed = fmt.Sprintf(" (%d failed, not scored: cell %d: %s)", n, c.Index, c.Failed)
		}
		j.log("grid %s/%s: %d cells%s; best %s: CV %.1f%%, test %.1f%% (retrained on %d images)",
			k, fname, len(cells), failed, ParamString(best.Cell), 100*best.Cell.CVAccuracy, 100*best.TestAccuracy, train.Rows)
	}
	return j.compareSearches(dg, cfg, cells)
}

// capTrials cuts a bayes search's Trials to the cells of cfg's grid:
// the main job passes one -trials to grids of different sizes (quick:
// sigmoid 36 cells, rbf 9, linear 4), and a grid with fewer cells than
// that is searched whole rather than refused by Validate after the
// stages before it ran. A config Validate refuses is left for it to name.
func capTrials(cfg *GridConfig) {
	if cfg.Search != "bayes" || cfg.Trials <= 0 {
		return
	}
	probe := *cfg
	probe.Search, probe.Trials, probe.Eta = "grid", 0, 0
	if probe.Validate() != nil {
		return
	}
	cfg.Trials = min(cfg.Trials, probe.latticeCells())
}

// comparesSearches reports whether the job writes a search comparison
// for the grid of kernel k on feature set fname (MainConfig.Compare).
func (j *mainJob) comparesSearches(k, fname string) bool {
	c := j.cfg
	return c.Compare > 0 && k == "sigmoid" && (fname == "pixels" || fname == "hog") && (c.Search == "" || c.Search == "grid")
}

// gridDone reports whether the grid of k on fname is finished: its best
// file, and its search comparison when the job writes one, are there.
func (j *mainJob) gridDone(k, fname string) bool {
	if _, err := os.Stat(filepath.Join(j.results, BestFile(k, fname))); err != nil {
		return false
	}
	if !j.comparesSearches(k, fname) {
		return true
	}
	_, err := os.Stat(filepath.Join(j.results, SearchFile(k, fname)))
	return err == nil
}

// compareSearches writes the search comparison of the finished grid cfg
// (its cells given) when the job makes one: CompareOnGrid with search
// seeds 1..Compare, which costs no fits. Ranges that are not lists
// (random search would not draw grid cells) are skipped with a message.
func (j *mainJob) compareSearches(dg *dataset.Dataset, cfg GridConfig, cells []GridCell) error {
	if !j.comparesSearches(cfg.Kernel, cfg.Features) {
		return nil
	}
	if err := cfg.Validate(); err != nil { // fills the default ranges
		return err
	}
	for _, n := range cfg.axes() {
		if r := cfg.rangeOf(n); r.Kind != List {
			j.log("grid %s/%s: no search comparison: the %s range %s is not a list", cfg.Kernel, cfg.Features, n, r.Text)
			return nil
		}
	}
	seeds := make([]uint64, j.cfg.Compare)
	for i := range seeds {
		seeds[i] = uint64(i + 1)
	}
	cmpn, err := CompareOnGrid(dg, cfg, cells, seeds)
	if err != nil {
		return err
	}
	for _, s := range cmpn.Summary() {
		j.log("grid %s/%s: search %s: %.0f cells, best CV %.1f%% (mean of %d), %.2f points behind the grid's best",
			cfg.Kernel, cfg.Features, s.Search, s.Cells, 100*s.BestCV, s.Runs, s.Behind)
	}
	return WriteJSON(filepath.Join(j.results, SearchFile(cfg.Kernel, cfg.Features)), cmpn)
}

// indefinite reports whether the grids of kernel record their smallest
// eigenvalues: those whose Gram matrix can be indefinite over the default
// grid (kernels.Spec.Indefinite).
func indefinite(kernel string) bool {
	spec, err := kernels.Lookup(kernel)
	return err == nil && spec.Indefinite
}

// stageTasks adapts MainProgress.Task to the Stage/Progress callbacks of
// RunConfig and ScalingConfig.
type stageTasks struct {
	j      *mainJob
	update func(done, total int64)
	end    func()
}

func (s *stageTasks) start(name string) {
	s.stop()
	s.update, s.end = s.j.task(name)
}

func (s *stageTasks) progress(done, total int64) {
	if s.update != nil {
		s.update(done, total)
	}
}

func (s *stageTasks) stop() {
	if s.end != nil {
		s.end()
	}
	s.update, s.end = nil, nil
}

// runStage trains every SVM at its grid's best parameters on the whole
// training subset and scores it, beside the CNNs (scored from the cnn
// stage's finished runs, not trained again): results.json.
func (j *mainJob) runStage(ctx context.Context) error {
	var models []string
	if !slices.Contains(j.cfg.Skip, "cnn") {
		for _, v := range j.cfg.CNNVariants {
			models = append(models, "cnn-"+v)
		}
	}
	models = append(models, j.svmModels()...)
	embed, err := j.cnnEmbedding()
	if err != nil {
		return err
	}
	st := &stageTasks{j: j}
	cfg := RunConfig{Models: models, Features: j.cfg.Features, CNNExtractor: embed, ParamsDir: j.results,
		CNN: j.recipe(), Seed: j.cfg.Seed, MemBytes: j.cfg.MemBytes, Out: j.results, Resume: true, Args: j.cfg.Args,
		Stage: func(model, fname string) {
			j.log("run: %s on %s features, %d training images", model, fname, j.d.Train.Len())
			st.start(model + "/" + fname)
		},
		Progress: st.progress}
	_, err = Run(ctx, j.d, cfg)
	st.stop()
	return err
}

// scalingStage measures train and predict time against the training size
// for the SVMs on pixels: scaling.json.
func (j *mainJob) scalingStage(ctx context.Context) error {
	if len(j.cfg.Scaling) == 0 {
		return nil
	}
	models := j.svmModels()
	st := &stageTasks{j: j}
	cfg := ScalingConfig{Models: models, Features: "pixels", Sizes: j.cfg.Scaling, TestN: min(1000, j.d.Test.Len()),
		ParamsDir: j.results, MemBytes: j.cfg.MemBytes, Seed: j.cfg.Seed, Out: j.results, Resume: true, Args: j.cfg.Args,
		Stage:    func(model string, n int) { st.start(fmt.Sprintf("scaling %s n=%d", model, n)) },
		Progress: st.progress}
	_, err := RunScaling(ctx, j.d, cfg)
	st.stop()
	return err
}

// reportStage calls MainConfig.Report.
func (j *mainJob) reportStage(ctx context.Context) error {
	if j.cfg.Report == nil {
		return nil
	}
	return j.cfg.Report(j.results, j.cfg.Out)
}
