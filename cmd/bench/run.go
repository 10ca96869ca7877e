package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/svmbench/svmbench/bench"
	"github.com/svmbench/svmbench/cnn"
	"github.com/svmbench/svmbench/dataset"
	"github.com/svmbench/svmbench/internal/progress"
	"github.com/svmbench/svmbench/reports"
)

var cmdRun = &Command{
	Name: "run",
	UsageLine: "run -out DIR [-data SPEC] [-train N] [-test M] [-seed S] [-models LIST] [-features LIST] [-cnn-model FILE]\n" +
		"       [-params DIR] [-epochs E] [-eps E] [-mem SIZE] [-scaling N1,N2,...] [-scaling-test M] [-resume]",
	Resume: "finished records are kept; run the same command with -resume to continue",
	Short:  "train and score models × feature sets on one split (results.json), or a scaling run (scaling.json)",
	Long: `Run trains every model of -models on every feature set of -features, on the
same training split, and scores each on the test split. SVM parameters come
from DIR/best-KERNEL-FEATURES.json files in -params (bench grid writes them);
without one an SVM takes LIBSVM's defaults (γ or α = 1/d, c = 0, C = 1).
Models: svm-sigmoid, svm-rbf, svm-linear, svm-poly, cnn-sigmoid-loss (old
name cnn-seed), cnn-fixed, or cnn for both CNN variants (trained on the
images by bench.TrainCNN, -epochs epochs, saved as DIR/cnn-VARIANT.cnn with
its run file and checkpoint; a finished run there is scored, not trained
again). Feature set cnn uses -cnn-model, or else the CNN this run trains.

DIR/results.json holds one record per model and feature set: accuracy,
per-class accuracy, the confusion matrix, train and predict seconds, support
vectors, and two memory peaks while the model trained, labelled: the
process's peak RSS and the Go heap's peak (both include the data the
process holds), with a run manifest. It is
rewritten after every model; Ctrl-C keeps the finished ones and -resume skips
them.

-scaling N1,N2,... switches to a scaling run: the SVMs of -models on the first
feature set, trained on balanced subsets of N1, N2, ... training samples and
scored on one test subset of -scaling-test samples, into DIR/scaling.json.`,
	Flags: func(fs *flag.FlagSet) runner {
		c := &runCmd{df: addDataFlags(fs), ff: addFeatureFlags(fs)}
		fs.StringVar(&c.models, "models", "svm-sigmoid,svm-rbf,svm-linear", "models `LIST`: svm-sigmoid, svm-rbf, svm-linear, svm-poly, cnn-sigmoid-loss (old name cnn-seed), cnn-fixed, cnn")
		fs.StringVar(&c.params, "params", "", "folder `DIR` of best-KERNEL-FEATURES.json files from bench grid")
		fs.IntVar(&c.epochs, "epochs", 10, "CNN training epochs")
		fs.Float64Var(&c.eps, "eps", 1e-3, "SVM stopping tolerance (LIBSVM's -e)")
		fs.StringVar(&c.mem, "mem", "", "memory `SIZE` for the SVM's kernel cache, e.g. 8GiB (default a quarter of physical memory)")
		fs.StringVar(&c.scaling, "scaling", "", "scaling run over training sizes `N1,N2,...` instead (writes DIR/scaling.json)")
		fs.IntVar(&c.scalingTest, "scaling-test", 1000, "test samples of the scaling run")
		fs.StringVar(&c.out, "out", "", "results `DIR` (required)")
		fs.BoolVar(&c.resume, "resume", false, "keep the records already in DIR and train only the missing ones")
		return c
	},
}

// runCmd is bench run's flags; check fills rc and sizes from them.
type runCmd struct {
	df                       *dataFlags
	ff                       *featureFlags
	models, params, mem, out string
	scaling                  string
	epochs, scalingTest      int
	eps                      float64
	resume                   bool
	rc                       bench.RunConfig
	sizes                    []int
}

func (c *runCmd) check(args []string) error {
	if len(args) > 0 {
		return usagef("unexpected argument %q", args[0])
	}
	if c.out == "" {
		return usagef("-out DIR is required")
	}
	if c.epochs < 1 {
		return usagef("-epochs %d: want ≥ 1", c.epochs)
	}
	if err := positive("eps", c.eps); err != nil {
		return err
	}
	if c.params != "" {
		// A -params folder that is not there would silently give every
		// SVM LIBSVM's default parameters.
		if st, err := os.Stat(c.params); err != nil || !st.IsDir() {
			return usagef("-params %s: not a folder (want the -out folder of bench grid, holding best-KERNEL-FEATURES.json)", c.params)
		}
	}
	var memBytes int64
	if c.mem != "" {
		b, err := parseBytes(c.mem)
		if err != nil {
			return usagef("-mem: %w", err)
		}
		memBytes = b
	}
	if c.scaling != "" {
		for _, p := range strings.Split(c.scaling, ",") {
			n, err := strconv.Atoi(strings.TrimSpace(p))
			if err != nil || n < 1 {
				return usagef("-scaling %q: want training sizes such as 1000,2000,5000", c.scaling)
			}
			if c.df.train > 0 && n > c.df.train {
				return usagef("-scaling size %d is larger than -train %d", n, c.df.train)
			}
			c.sizes = append(c.sizes, n)
		}
	}
	featList := c.ff.list()
	for _, f := range featList {
		if f != "cnn" {
			if _, err := c.ff.extractorFor(f); err != nil {
				return err
			}
		}
	}
	if c.sizes != nil && len(featList) > 1 {
		return usagef("-scaling runs on one feature set; -features has %d", len(featList))
	}
	c.rc = bench.RunConfig{Models: splitList(c.models), Features: featList, ParamsDir: c.params,
		CNN: cnn.TrainConfig{Epochs: c.epochs}, Seed: c.df.seed, Tol: c.eps, MemBytes: memBytes,
		Out: c.out, Resume: c.resume, Args: os.Args}
	if err := c.rc.Check(); err != nil {
		return flagged(err, map[string]string{"RunConfig.Models": "-models"})
	}
	return c.df.validate()
}

// run is bench run: bench.Run (or bench.RunScaling with -scaling), the
// records printed as a table.
func (c *runCmd) run(ctx context.Context) error {
	rc := c.rc
	if c.ff.cnnModel != "" && slices.Contains(rc.Features, "cnn") {
		e, err := c.ff.extractorFor("cnn")
		if err != nil {
			return err
		}
		rc.CNNExtractor = e
	}
	prog := newProgress()
	defer prog.Wait()
	d, err := c.df.load(ctx, prog)
	if err != nil {
		return err
	}
	if c.sizes != nil {
		return runScaling(ctx, prog, d, rc, c.sizes, c.scalingTest)
	}
	return runExperiment(ctx, prog, d, rc)
}

// splitList splits a comma-separated flag value into its non-empty,
// trimmed items: the one list splitter of the command line.
func splitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// stageBars gives each stage (model) its own progress bar.
type stageBars struct {
	prog *progress.Progress
	mu   sync.Mutex
	bar  *progress.Bar
	name string
}

func (s *stageBars) stage(name string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.bar.Done()
	s.bar, s.name = nil, name
	s.prog.Printf("%s…", name)
}

func (s *stageBars) progress(done, total int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.bar == nil {
		s.bar = s.prog.Bar(s.name, total)
	}
	if total > 0 {
		s.bar.SetTotal(total)
	}
	s.bar.Set(done)
}

func (s *stageBars) end() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.bar.Done()
}

func runExperiment(ctx context.Context, prog *progress.Progress, d *dataset.Dataset, rc bench.RunConfig) error {
	sb := &stageBars{prog: prog}
	rc.Stage = func(m, f string) { sb.stage(fmt.Sprintf("%s on %s", m, f)) }
	rc.Progress = sb.progress
	res, err := bench.Run(ctx, d, rc)
	sb.end()
	prog.Wait()
	if res != nil && len(res.Results) > 0 {
		if werr := reports.WriteModelResults(stdout, res.Results); werr != nil && err == nil {
			err = werr
		}
		fmt.Fprintf(stdout, "\n%s (%d training, %d test samples)\n", filepath.Join(rc.Out, bench.ResultsFile), d.Train.Len(), d.Test.Len())
	}
	return err
}

func runScaling(ctx context.Context, prog *progress.Progress, d *dataset.Dataset, rc bench.RunConfig, sizes []int, testN int) error {
	sb := &stageBars{prog: prog}
	sc := bench.ScalingConfig{Models: rc.Models, Features: rc.Features[0], CNNExtractor: rc.CNNExtractor, Sizes: sizes,
		TestN: min(testN, d.Test.Len()), ParamsDir: rc.ParamsDir, Tol: rc.Tol, MemBytes: rc.MemBytes, Seed: rc.Seed,
		Out: rc.Out, Resume: rc.Resume, Args: rc.Args,
		Stage:    func(m string, n int) { sb.stage(fmt.Sprintf("%s on %d samples", m, n)) },
		Progress: sb.progress}
	s, err := bench.RunScaling(ctx, d, sc)
	sb.end()
	prog.Wait()
	if s != nil && len(s.Points) > 0 {
		if werr := reports.WriteScalingPoints(stdout, s.Points); werr != nil && err == nil {
			err = werr
		}
		fmt.Fprintf(stdout, "\n%s\n", filepath.Join(rc.Out, bench.ScalingFile))
	}
	return err
}
