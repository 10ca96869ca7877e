package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"sync"

	"github.com/svmbench/svmbench/bench"
	"github.com/svmbench/svmbench/dataset"
	"github.com/svmbench/svmbench/features"
	"github.com/svmbench/svmbench/internal/memory"
	"github.com/svmbench/svmbench/internal/progress"
	"github.com/svmbench/svmbench/kernels"
	"github.com/svmbench/svmbench/matrix"
	"github.com/svmbench/svmbench/reports"
	"github.com/svmbench/svmbench/results"
)

var cmdGrid = &Command{
	Name: "grid",
	UsageLine: "grid -out DIR [-data SPEC] [-train N] [-test M] [-seed S] [-features NAME] [-kernel sigmoid|rbf|linear|poly]\n" +
		"       [-alpha LIST] [-coef0 LIST] [-gamma LIST] [-C LIST] [-degree D] [-folds 5] [-search grid|random|bayes|halving] [-trials T]\n" +
		"       [-batch B] [-eta E] [-extend N] [-warm-start] [-max-iter N] [-eps E] [-mem SIZE] [-workers W] [-psd] [-psd-sample N] [-shard I/N] [-resume] [-no-retrain]",
	Resume: "finished cells are kept in the journal; run the same command with -resume to continue",
	Short:  "cross-validated grid search over α × c × C (sigmoid), γ × C (rbf) or C (linear)",
	Long: `Grid cross-validates every cell of a parameter grid for one kernel on one
feature set (stratified k-fold on the training data only) and keeps the best.

A LIST is comma-separated values (-coef0 -1,-0.5,0, powers as 2^-7 allowed),
a linear range start:stop:step (-coef0 -2:0:0.5) or a power-of-two range
2^a:2^b:k, the exponents a, a+k, ... b (-C 2^-1:2^7:2, as grid.py's -log2c).
Defaults: sigmoid α 2^-15:2^-5:2, c -2:0:0.5, C 2^-1:2^7:2 (150 cells);
rbf γ 2^3:2^-15:-2 and C 2^-5:2^15:2 (grid.py's); linear C 2^-5:2^15:2.
-search random -trials T draws T cells from the same ranges instead
(log-uniform over 2^a:2^b:k, uniform over start:stop:step, among a list's
values), seeded by -seed; when every range is a list, T distinct cells of
the grid (at most all of them).
-search bayes -trials T evaluates T cells of the grid (default a quarter,
but at least 2(d+1) for d ranges of more than one value, at most all)
chosen by Bayesian optimisation: a seeded Latin hypercube start, then
batches of -batch cells (default the workers) of highest expected
improvement under a Gaussian process; each trial's reason is journalled
("why") and the same seed gives the same trials (docs/search.md).
-search halving is successive halving over the training-set size: every
cell on a small stratified subset, the best 1/-eta (default 3) of them on
-eta times as many images, and so on up to all of them; the smallest
subset holds at least 5 images of each class per fold. Each (cell, rung)
is journalled with its rung, rung_n and why; the best cell is the last
rung's (docs/search.md).
Alpha seeding is on (-warm-start=false turns it off): each fit starts
from the previous fold's or C's solution in the one-vs-one pairs whose
kernel matrix is conditionally positive definite (on Σu = 0: the problem
convex, its optimum unique, so the CV accuracies are those of cold
starts), from α = 0 elsewhere. RBF, linear and poly with c ≥ 0 are
positive semidefinite by theory; a sigmoid pair is checked (a Cholesky
factorisation of its kernel matrix) only where the fits left are
expected to save more than the check costs, and starts cold otherwise.
The SMO iterations and seeded sub-problems are printed and journalled
(smo_iter, seeded_pairs).

The inner products of all training samples are computed once; every cell and
fold derives its Gram matrix from them. Each finished cell is appended to
DIR/grid-KERNEL-FEATURES.jsonl and synced; Ctrl-C keeps every finished cell and
-resume continues (a torn last line is dropped). Every fit has its own
iteration cap (-max-iter, default 20·n): a capped fit is marked and scored.
A cell whose kernel values are not finite (float32 overflows: a poly kernel
of high degree or large γ) is journalled as failed with the reason, printed
as failed, never the best and not rerun by -resume; when every cell fails,
the grid exits 1 naming the first and why.
At the end the best cell (highest CV accuracy; ties: smaller C, smaller α or γ,
c closer to 0, earlier cell) is retrained on all training data, saved as
DIR/svm-KERNEL-FEATURES.model, scored on the test data and recorded in
DIR/best-KERNEL-FEATURES.json; the grid is printed as a table.

-extend N extends a range whose best cell lies on an open edge (C, α, γ,
above 0; the sigmoid c only within [-4, 0]): one more value beyond the edge,
with the range's spacing (geometric for 2^a:2^b:k and power lists), crossed
with every value of the other ranges, until the best is inside or N steps
were added on that side. Each added cell's journal line says why ("extend:
best C=64 on the upper edge; step 1 of 2"); -resume continues an extension.
With -search bayes the step's cells join the lattice and the search goes
on among them alone, for its own share of them (-trials over the grid's
cells, at least a batch), each trial chosen by expected improvement under
the GP of all trials so far ("...; step 1 of 2; trial 1 of 3: expected
improvement ..."). With -search random the draws' edges are read at the
nearest values of the ranges, and its share of the step is drawn in the
part of the ranges the step added ("...; draw 1 of 3"). With -search
halving the step's cells run a successive halving of their own (the same
-eta and nested subsets, on the top rungs of the search's schedule) and
the survivors of its last rung, on all images, compete with the best so
far ("...; step 1 of 2; rung 2 of 3: n=1000, survivor of rung 1 ...").
Not with -shard (a shard does not see the grid's best): run the shards
without -extend, join them with 'bench merge', then run this command
with -resume -extend N on the merged folder; a journal written without
-extend is resumed and extended, one written with -extend only with the
same N.

-shard I/N runs cells I, I+N, ... of the same cell order (I counts from 0:
shards 0/N … N-1/N cover the grid; a Kubernetes Indexed Job passes
$JOB_COMPLETION_INDEX/N) and writes no best
file; join shards with 'bench merge', then run this command again on the
merged folder with -resume to retrain the best cell (no cell is recomputed).`,
	Flags: func(fs *flag.FlagSet) runner {
		c := &gridCmd{df: addDataFlags(fs), ff: addFeatureFlags(fs)}
		cfg := &c.cfg
		fs.StringVar(&cfg.Kernel, "kernel", "sigmoid", "kernel: "+kernels.NameList())
		fs.StringVar(&c.alpha, "alpha", "", "sigmoid slopes α: a `LIST` (default 2^-15:2^-5:2)")
		fs.StringVar(&c.coef0, "coef0", "", "sigmoid/poly biases c: a `LIST` (default -2:0:0.5; poly 0)")
		fs.StringVar(&c.gamma, "gamma", "", "rbf/poly γ: a `LIST` (default 2^3:2^-15:-2)")
		fs.StringVar(&c.cost, "C", "", "penalties C: a `LIST` (default sigmoid 2^-1:2^7:2, others 2^-5:2^15:2)")
		fs.IntVar(&cfg.Degree, "degree", 3, "poly degree")
		fs.IntVar(&cfg.Folds, "folds", 5, "cross-validation folds")
		fs.StringVar(&cfg.Search, "search", "grid", "grid (every cell), random (-trials cells drawn from the ranges), bayes (-trials cells chosen by Bayesian optimisation) or halving (successive halving over the training-set size)")
		fs.Var(&c.trials, "trials", "cells evaluated by -search random (default 20) or bayes (default a quarter of the grid, at least 2(d+1) for d ranges searched)")
		fs.Var(&c.eta, "eta", "-search halving's factor `E` ≥ 2: each rung keeps the best 1/E of its cells on E times as many images (default 3)")
		fs.IntVar(&cfg.Batch, "batch", 0, "cells -search bayes proposes at once (0: the number of workers)")
		fs.BoolVar(&c.warm, "warm-start", true, "seed each fit of a convex one-vs-one pair from the previous fold's or C's solution (alpha seeding); false: every fit from α = 0")
		fs.IntVar(&cfg.Extend, "extend", 0, "while the best cell is on an open edge of a range, add a step of that range beyond it, at most `N` steps a side (0: off; not with -shard: extend the merged shards with -resume)")
		fs.IntVar(&c.compare, "compare", 0, "compare searches instead: the whole grid, then random and bayes search with -trials cells and a halving search (-eta) for seeds 1..`N`, into DIR/search-KERNEL-FEATURES.json")
		fs.BoolVar(&c.compareSeeding, "compare-seeding", false, "measure alpha seeding instead: run the whole grid with seeding and again from cold starts on the same folds, and print SMO iterations, fit seconds and accuracies of both, cell by cell, into DIR/seeding-KERNEL-FEATURES.json (use -eps 1e-5 to check that no accuracy changes)")
		fs.IntVar(&cfg.MaxIter, "max-iter", 0, "SMO iteration cap of each binary fit (0: 20·n with n the fold's training size; -1: the solver's 1e7)")
		fs.Float64Var(&cfg.Tol, "eps", 1e-3, "stopping tolerance (LIBSVM's -e)")
		fs.StringVar(&c.mem, "mem", "", "memory `SIZE` for inner products and the fits running at once, e.g. 8GiB (default a quarter of physical memory)")
		fs.IntVar(&cfg.Workers, "workers", 0, "fits run at once (0: GOMAXPROCS, fewer if -mem requires)")
		fs.BoolVar(&cfg.PSD, "psd", false, "record the smallest eigenvalue of each cell's kernel matrix K on a seeded sample (min_eigen), and of K on Σu = 0 (min_eigen_cpd: ≥ 0 where the SVM is convex)")
		fs.IntVar(&cfg.PSDSample, "psd-sample", 1000, "sample size for -psd")
		fs.StringVar(&c.shard, "shard", "", "run shard `I/N` of the cell order (cells I, I+N, ...; I from 0 to N-1)")
		fs.StringVar(&cfg.Out, "out", "", "results `DIR` (required)")
		fs.BoolVar(&cfg.Resume, "resume", false, "continue the grid journal in DIR, skipping finished cells")
		fs.BoolVar(&cfg.NoRetrain, "no-retrain", false, "do not retrain the best cell on all training data")
		fs.StringVar(&c.export, "export-libsvm", "", "write the grid's training data (after -train and -features) to `FILE` in LIBSVM format and exit, to run svm-train -v on the same data")
		return c
	},
}

// gridCmd is bench grid's flags; check fills cfg and ext from them.
type gridCmd struct {
	df                        *dataFlags
	ff                        *featureFlags
	cfg                       bench.GridConfig
	alpha, coef0, gamma, cost string
	mem, shard, export        string
	trials                    setInt
	eta                       setFloat
	compare                   int
	warm, compareSeeding      bool
	ext                       features.Extractor
}

// setInt is an int flag that knows whether it was given.
type setInt struct {
	v   int
	set bool
}

func (s *setInt) String() string { return strconv.Itoa(s.v) }

func (s *setInt) Set(x string) error {
	n, err := strconv.Atoi(x)
	if err != nil {
		return errors.New("want an integer")
	}
	s.v, s.set = n, true
	return nil
}

// setFloat is a float flag that knows whether it was given.
type setFloat struct {
	v   float64
	set bool
}

func (s *setFloat) String() string { return strconv.FormatFloat(s.v, 'g', -1, 64) }

func (s *setFloat) Set(x string) error {
	v, err := strconv.ParseFloat(x, 64)
	if err != nil {
		return errors.New("want a number")
	}
	s.v, s.set = v, true
	return nil
}

func (c *gridCmd) check(args []string) error {
	cfg := &c.cfg
	cfg.ColdStart = !c.warm
	if len(args) > 0 {
		return usagef("unexpected argument %q", args[0])
	}
	if cfg.Out == "" && c.export == "" {
		return usagef("-out DIR is required")
	}
	if err := parseRanges([4]string{c.alpha, c.coef0, c.gamma, c.cost}, [4]*bench.Range{&cfg.Alpha, &cfg.Coef0, &cfg.Gamma, &cfg.C}); err != nil {
		return err
	}
	if c.mem != "" {
		b, err := parseBytes(c.mem)
		if err != nil {
			return usagef("-mem: %w", err)
		}
		cfg.MemBytes = b
	}
	if c.shard != "" {
		i, n, err := bench.ParseShard(c.shard)
		if err != nil {
			return usagef("-shard: %w", err)
		}
		cfg.Shard, cfg.Shards = i, n
	}
	// The flags' defaults are not GridConfig's zero values: an explicit 0
	// (or NaN) is the user's and is refused, never taken as a default.
	if cfg.Folds < 2 {
		return usagef("-folds %d: want at least 2", cfg.Folds)
	}
	switch {
	case c.compare < 0:
		return usagef("-compare %d: want a number of seeds ≥ 1", c.compare)
	case c.compare > 0 && cfg.Search != "grid":
		return usagef("-compare: runs every search itself; drop -search %s", cfg.Search)
	case cfg.Search != "random" && cfg.Search != "bayes" && c.trials.set && c.compare == 0:
		return usagef("-trials: only with -search random or bayes")
	case c.trials.set && c.trials.v < 1:
		return usagef("-trials %d: want at least 1", c.trials.v)
	case cfg.Extend < 0:
		return usagef("-extend %d: want 0 (off) or a number of steps ≥ 1", cfg.Extend)
	case cfg.Extend > 0 && c.compare > 0:
		return usagef("-extend: -compare compares searches on the grid's lattice; drop -extend")
	case cfg.Extend > 0 && cfg.Shards > 1:
		return usagef("-extend: a shard does not see the whole grid's best cell; run the shards without -extend, join them with 'bench merge', then run 'bench grid -resume -extend %d' on the merged folder", cfg.Extend)
	case cfg.Batch < 0:
		return usagef("-batch %d: want at least 1 (or 0: the number of workers)", cfg.Batch)
	case c.eta.set && cfg.Search != "halving" && c.compare == 0:
		return usagef("-eta: only with -search halving (or -compare)")
	case c.eta.set && !(c.eta.v >= 2 && c.eta.v <= 1e6):
		return usagef("-eta %v: want a factor from 2 to 1000000", c.eta.v)
	}
	if err := c.checkCompareSeeding(); err != nil {
		return err
	}
	cfg.Trials = c.trials.v
	if c.compare == 0 {
		cfg.Eta = c.eta.v // -compare passes it to its halving runs (run)
	}
	if err := positive("eps", cfg.Tol); err != nil {
		return err
	}
	if spec, err := kernels.Lookup(cfg.Kernel); err == nil && hasParam(spec, "degree") && cfg.Degree < 1 {
		return usagef("-degree %d: want an integer ≥ 1", cfg.Degree)
	}
	if cfg.PSD && cfg.PSDSample < 2 {
		return usagef("-psd-sample %d: want at least 2", cfg.PSDSample)
	}
	cfg.Seed = c.df.seed
	cfg.Features = c.ff.name
	if err := c.checkSearchBounds(); err != nil {
		return err
	}
	if err := cfg.Validate(); err != nil {
		return flagged(err, gridFlagOf)
	}
	if err := c.df.validate(); err != nil {
		return err
	}
	var err error
	c.ext, err = c.ff.extractor()
	return err
}

// gridFlagOf names the flag of each GridConfig field whose *ConfigError
// check passes to flagged.
var gridFlagOf = func() map[string]string {
	m := map[string]string{"GridConfig.Kernel": "-kernel", "GridConfig.Workers": "-workers", "GridConfig.Trials": "-trials"}
	for k, v := range rangeFlags {
		m[k] = v
	}
	return m
}()

// checkSearchBounds refuses, naming the flag, what GridConfig.Validate
// would refuse naming its field Shards: a bayes or halving search with
// -shard. Its bound on Trials is a *ConfigError, which flagged names
// as -trials (gridFlagOf).
func (c *gridCmd) checkSearchBounds() error {
	if cfg := &c.cfg; (cfg.Search == "bayes" || cfg.Search == "halving") && cfg.Shards > 1 {
		return usagef("-shard: a %s search chooses its next cells from the results before them and cannot be sharded", cfg.Search)
	}
	return nil
}

// checkCompareSeeding refuses the flags -compare-seeding does not
// combine with.
func (c *gridCmd) checkCompareSeeding() error {
	cfg := &c.cfg
	switch {
	case !c.compareSeeding:
		return nil
	case c.compare > 0:
		return usagef("-compare-seeding: one comparison a run; drop -compare")
	case cfg.Search != "grid":
		return usagef("-compare-seeding: runs the whole grid twice; drop -search %s", cfg.Search)
	case !c.warm:
		return usagef("-compare-seeding: runs the grid both with and without seeding; drop -warm-start=false")
	case cfg.Extend > 0 || cfg.Shards > 1 || cfg.Resume:
		return usagef("-compare-seeding: compares the grid's cells as given; drop -extend, -shard and -resume")
	}
	return nil
}

// run is bench grid: bench.Grid on the features, the grid printed as a
// table with its best cell; or, with -export-libsvm, the training data
// written in LIBSVM format.
func (c *gridCmd) run(ctx context.Context) error {
	if c.export != "" {
		return exportLIBSVM(ctx, c.df, c.ext, c.export)
	}
	if c.compare > 0 {
		cfg := c.cfg
		cfg.Eta = c.eta.v
		if err := runCompare(ctx, c.df, c.ext, cfg, c.compare); err != nil {
			return &noJournal{"-compare", err}
		}
		return nil
	}
	if c.compareSeeding {
		if err := runCompareSeeding(ctx, c.df, c.ext, c.cfg); err != nil {
			return &noJournal{"-compare-seeding", err}
		}
		return nil
	}
	return runGrid(ctx, c.df, c.ext, c.cfg)
}

func runGrid(ctx context.Context, df *dataFlags, ext features.Extractor, cfg bench.GridConfig) error {
	prog := newProgress()
	defer prog.Wait()
	d, err := df.load(ctx, prog)
	if err != nil {
		return err
	}
	if d.Test.Len() == 0 && !cfg.NoRetrain {
		// One file (libsvm:FILE): as LIBSVM's grid.py, the grid reports
		// the best setting; bench train makes its model.
		cfg.NoRetrain = true
		prog.Printf("no test split: the best cell is not retrained (train its model with bench train)")
	}
	prog.Printf("features %s on %d training and %d test samples…", ext.Name(), d.Train.Len(), d.Test.Len())
	train, test, err := features.Apply(ext, d)
	if err != nil {
		return err
	}
	cfg.Features = ext.Name()
	cfg.Extractor = ext
	cfg.Args = os.Args
	cfg.Log = prog.Printf
	budget := cfg.MemBytes
	if budget == 0 {
		budget = bench.DefaultMemBytes()
	}
	// The Go heap held to the data, the budget and the retrained model
	// (its support vectors are at most the training rows): memory.Limit.
	memory.Limit(budget + matrix.Bytes(train.Rows, train.Cols))
	var endBar func()
	cfg.Progress, endBar = taskBar(prog, fmt.Sprintf("grid %s/%s (fits)", cfg.Kernel, cfg.Features))
	best, cells, err := bench.Grid(ctx, d, train, test, cfg)
	endBar()
	prog.Wait()
	if len(cells) > 0 {
		var bc *bench.GridCell
		if b, ok := bench.BestCell(cells); ok {
			bc = &b
		}
		if werr := reports.WriteGridCells(stdout, cells, bc); werr != nil && err == nil {
			err = werr
		}
	}
	if err != nil {
		if errors.Is(err, context.Canceled) {
			fmt.Fprintf(stderr, "bench grid: %d cells finished and kept in %s\n", len(cells), filepath.Join(cfg.Out, bench.GridFile(cfg.Kernel, cfg.Features)))
		}
		return err
	}
	fmt.Fprintf(stdout, "\n%d cells in %s\n%s\n", len(cells), filepath.Join(cfg.Out, bench.GridFile(cfg.Kernel, cfg.Features)), bench.SolveSummary(cells))
	if best != nil {
		c := best.Cell
		fmt.Fprintf(stdout, "best: cell %d, %s, CV accuracy %.2f%%", c.Index, bench.ParamString(c), 100*c.CVAccuracy)
		if !cfg.NoRetrain {
			fmt.Fprintf(stdout, "; retrained on %d samples in %.1f s (%d SVs, %s): test accuracy %.2f%% on %d samples",
				len(d.Train.Y), best.TrainSeconds, best.NSV, peakString(best.PeakRSSBytes, best.PeakHeapBytes), 100*best.TestAccuracy, len(d.Test.Y))
		}
		fmt.Fprintf(stdout, "\n      %s\n", filepath.Join(cfg.Out, bench.BestFile(cfg.Kernel, cfg.Features)))
		printEdge(cfg.RangeSpec(), cells, c, "add -extend N")
	}
	return nil
}

// printEdge says when the best cell of a grid searched as spec says lies
// on an edge of its ranges (the report's "Best on edge"), and what to do:
// widen the range, or extend (how, when spec has no range extension).
func printEdge(spec bench.GridSpec, cells []bench.GridCell, best bench.GridCell, extend string) {
	edge := reports.BestOnEdge(spec, cells, best)
	if edge == "" {
		return
	}
	hint := "the optimum may lie outside what was searched: widen the range"
	if spec.Extend == 0 {
		hint += ", or " + extend + " to step past an open edge while the best is on it"
	}
	fmt.Fprintf(stdout, "best on edge: %s (%s)\n", edge, hint)
}

// taskBar returns a Progress callback drawing a bar called name on prog;
// the first call's count (a grid's cells resumed from its journal) is
// skipped so that it does not distort the ETA.
func taskBar(prog *progress.Progress, name string) (update func(done, total int64), end func()) {
	var mu sync.Mutex
	var bar *progress.Bar
	update = func(done, total int64) {
		mu.Lock()
		defer mu.Unlock()
		if bar == nil {
			bar = prog.Bar(name, total)
			if done > 0 {
				bar.Skip(done)
			}
		}
		bar.SetTotal(total) // a range extension adds fits
		bar.Set(done)
	}
	end = func() {
		mu.Lock()
		defer mu.Unlock()
		bar.Done() // a nil bar does nothing
	}
	return update, end
}

// loadTrainFeatures loads the data of df and extracts ext's features of
// its training split.
func loadTrainFeatures(ctx context.Context, df *dataFlags, ext features.Extractor, prog *progress.Progress) (*dataset.Dataset, *matrix.Matrix, error) {
	d, err := df.load(ctx, prog)
	if err != nil {
		return nil, nil, err
	}
	train, _, err := features.Apply(ext, d)
	return d, train, err
}

// exportLIBSVM writes the training features a grid would use to file.
func exportLIBSVM(ctx context.Context, df *dataFlags, ext features.Extractor, file string) error {
	prog := newProgress()
	defer prog.Wait()
	d, train, err := loadTrainFeatures(ctx, df, ext, prog)
	if err != nil {
		return err
	}
	if err := dataset.WriteLIBSVMFile(file, train, d.Train.Y); err != nil {
		return err
	}
	prog.Wait()
	fmt.Fprintf(stdout, "%s: %d training samples, %d %s features\n", file, train.Rows, train.Cols, ext.Name())
	return nil
}

// runCompare is bench grid -compare N: bench.CompareSearches, its summary
// printed as a table.
func runCompare(ctx context.Context, df *dataFlags, ext features.Extractor, cfg bench.GridConfig, n int) error {
	prog := newProgress()
	defer prog.Wait()
	d, train, err := compareData(ctx, df, ext, &cfg, prog)
	if err != nil {
		return err
	}
	seeds := make([]uint64, n)
	for i := range seeds {
		seeds[i] = uint64(i + 1)
	}
	cmp, err := bench.CompareSearches(ctx, d, train, cfg, seeds)
	prog.Wait()
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%s/%s on %d samples: grid best CV %.2f%% over %d cells; random and bayes %d cells each; halving η = %g; %d seeds\n",
		cmp.Kernel, cmp.Features, len(d.Train.Y), 100*cmp.GridBest, cmp.GridCells, cmp.Budget, cmp.Eta, n)
	fmt.Fprintf(stdout, "%-7s %5s %7s %8s %9s %14s %8s %10s %9s\n", "search", "runs", "cells", "cells@n", "best CV", "points behind", "found", "to ≤0.5pt", "fit s")
	for _, s := range cmp.Summary() {
		fmt.Fprintf(stdout, "%-7s %5d %7.1f %8.1f %8.2f%% %14.2f %5d/%-2d %10.1f %9.1f\n",
			s.Search, s.Runs, s.Cells, s.CellsAtN, 100*s.BestCV, s.Behind, s.FoundBest, s.Runs, s.ToHalfPoint, s.Seconds)
	}
	fmt.Fprintf(stdout, "cells@n counts each cell at its training images over all %d (a halving rung of n/9 images counts 1/9); halving's best CV is its last rung's, on all images\n", len(d.Train.Y))
	fmt.Fprintf(stdout, "%s\n", filepath.Join(cfg.Out, bench.SearchFile(cmp.Kernel, cmp.Features)))
	return nil
}

// compareData loads a comparison's training features and readies cfg
// and its folder: the common start of -compare and -compare-seeding.
func compareData(ctx context.Context, df *dataFlags, ext features.Extractor, cfg *bench.GridConfig, prog *progress.Progress) (*dataset.Dataset, *matrix.Matrix, error) {
	d, train, err := loadTrainFeatures(ctx, df, ext, prog)
	if err != nil {
		return nil, nil, err
	}
	cfg.Features, cfg.Args, cfg.Log = ext.Name(), os.Args, prog.Printf
	return d, train, os.MkdirAll(cfg.Out, 0o755)
}

// runCompareSeeding is bench grid -compare-seeding: bench.CompareSeeding,
// printed cell by cell and in total.
func runCompareSeeding(ctx context.Context, df *dataFlags, ext features.Extractor, cfg bench.GridConfig) error {
	prog := newProgress()
	defer prog.Wait()
	d, train, err := compareData(ctx, df, ext, &cfg, prog)
	if err != nil {
		return err
	}
	cmp, err := bench.CompareSeeding(ctx, d, train, cfg)
	prog.Wait()
	if err != nil {
		return err
	}
	printSeeding(stdout, cmp, len(d.Train.Y))
	fmt.Fprintf(stdout, "%s\n", filepath.Join(cfg.Out, results.SeedingFile(cmp.Kernel, cmp.Features)))
	return nil
}

// printSeeding prints a seeding comparison: a line a cell, then totals.
func printSeeding(w io.Writer, cmp *results.SeedingComparison, n int) {
	fmt.Fprintf(w, "%s/%s on %d samples, %d folds, eps %g: each cell run with alpha seeding and from cold starts on the same folds\n",
		cmp.Kernel, cmp.Features, n, cmp.Folds, cmp.Eps)
	fmt.Fprintf(w, "%5s  %-32s %7s %11s %11s %7s %9s %9s %7s\n", "cell", "parameters", "seeded", "iter seeded", "iter cold", "ratio", "CV seeded", "CV cold", "folds ≠")
	for _, c := range cmp.Cells {
		ratio := "-"
		if c.IterSeeded > 0 {
			ratio = fmt.Sprintf("%.2f×", float64(c.IterCold)/float64(c.IterSeeded))
		}
		ps := results.ParamString(results.GridCell{Kernel: cmp.Kernel, Alpha: c.Alpha, Coef0: c.Coef0, Gamma: c.Gamma, Degree: c.Degree, C: c.C})
		fmt.Fprintf(w, "%5d  %-32s %7d %11d %11d %7s %9s %9s %7d\n", c.Index, ps, c.SeededPairs, c.IterSeeded, c.IterCold, ratio,
			seedingCV(c.CVSeeded, c.FailedSeeded), seedingCV(c.CVCold, c.FailedCold), c.FoldsDiffer)
	}
	t := cmp.Totals()
	fmt.Fprintf(w, "SMO iterations: %d seeded against %d cold (%.2f× fewer); %d sub-problems seeded (convex ones, where it pays) in %d of %d cells\n",
		t.IterSeeded, t.IterCold, t.IterRatio, t.SeededPairs, t.SeededCells, t.Cells)
	fmt.Fprintf(w, "fit seconds (in-process, summed over workers): %.2f seeded against %.2f cold (%.2f×)\n", t.SecSeeded, t.SecCold, t.SecondRatio)
	all := fmt.Sprintf("all %d cells", t.Cells)
	if t.Failed > 0 {
		printSeedingFailed(w, cmp, t)
		all = fmt.Sprintf("the %d cells scored in both runs", t.Cells-t.Failed)
		if t.Cells-t.Failed == 1 {
			all = "the 1 cell scored in both runs"
		}
	}
	if t.FoldsDiffer == 0 {
		fmt.Fprintf(w, "accuracy: every fold's accuracy is the same in %s\n", all)
	} else {
		fmt.Fprintf(w, "accuracy: %d folds differ, in %d cells; CV accuracy by at most %.2f points (the tolerance -eps %g lets a seeded fit stop elsewhere within it)\n",
			t.FoldsDiffer, t.CellsDiffer, 100*t.MaxCVDiff, cmp.Eps)
	}
}

// seedingCV is a seeding table's CV accuracy of a run, "failed" when
// the cell failed in it (failed, why).
func seedingCV(cv float64, failed string) string {
	if failed != "" {
		return "failed"
	}
	return fmt.Sprintf("%.2f%%", 100*cv)
}

// printSeedingFailed says which cells failed in the seeding comparison
// cmp (t its totals) and why the first did: they are not compared.
func printSeedingFailed(w io.Writer, cmp *results.SeedingComparison, t results.SeedingTotals) {
	for _, c := range cmp.Cells {
		runs, why := "seeded and cold", c.FailedSeeded
		switch {
		case c.FailedSeeded == "" && c.FailedCold == "":
			continue
		case c.FailedCold == "":
			runs = "seeded run only"
		case c.FailedSeeded == "":
			runs, why = "cold run only", c.FailedCold
		}
		which := fmt.Sprintf("cell %d", c.Index)
		if t.Failed > 1 {
			which = fmt.Sprintf("%d cells, the first cell %d,", t.Failed, c.Index)
		}
		fmt.Fprintf(w, "failed: %s could not be cross-validated (%s: %s): not compared\n", which, runs, why)
		return
	}
}

// hasParam reports whether the kernel has the parameter called name.
func hasParam(spec *kernels.Spec, name string) bool {
	_, ok := spec.Param(name)
	return ok
}
