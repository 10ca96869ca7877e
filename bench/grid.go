package bench

import (
	"bufio"
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/svmbench/svmbench/dataset"
	"github.com/svmbench/svmbench/features"
	"github.com/svmbench/svmbench/kernels"
	"github.com/svmbench/svmbench/matrix"
	"github.com/svmbench/svmbench/results"
	"github.com/svmbench/svmbench/svm"
)

// GridConfig is a cross-validated grid search: one kernel on one feature
// set. The zero value of every field is a documented default.
type GridConfig struct {
	// Kernel is a registered kernel's name (kernels.Lookup): "sigmoid" (the
	// default), "rbf", "linear", "poly", ….
	Kernel string
	// Features names the feature set the training matrix holds, for the
	// records and file names; "" means "pixels".
	Features string

	// Alpha (sigmoid slope), Coef0 (sigmoid and poly bias c), Gamma (rbf
	// and poly) and C (the SVM penalty) are the values to search; a zero
	// Range takes the default:
	//
	//	sigmoid α = 2^-15:2^-5:2. On pixels/255 the inner products of
	//	        CIFAR images are a few hundred to about 1500; α⟨x,y⟩ must
	//	        stay near [-3, 3] or tanh saturates and the Gram matrix
	//	        becomes nearly constant, so α spans 1/32768 … 1/32.
	//	sigmoid c = -2:0:0.5. Lin and Lin (2003): with α > 0 the kernel is
	//	        closest to PSD (and works best) for c ≤ 0.
	//	sigmoid C = 2^-1:2^7:2. The top of grid.py's C range costs the most
	//	        time (large C: many iterations), and with the sigmoid kernel
	//	        on image features the best C lies in 2^1…2^5 in our runs; the
	//	        grid is 6 × 5 × 5 = 150 cells.
	//	rbf γ = 2^3:2^-15:-2 and C = 2^-5:2^15:2, grid.py's defaults;
	//	linear and poly C likewise; poly γ as rbf, c = 0.
	Alpha, Coef0, Gamma, C Range
	// Degree is the poly kernel's degree; 0 means 3 (LIBSVM's default).
	Degree int

	// Folds is the number of stratified cross-validation folds; 0 means 5.
	Folds int
	// Search is "grid" (every cell, the default), "random": Trials cells
	// drawn from the same ranges (log-uniform over 2^a:2^b:k ranges,
	// uniform over start:stop:step ranges, uniform among listed values;
	// when every range is a list, distinct cells of the grid),
	// "bayes": Trials cells of the grid chosen by Bayesian optimisation
	// (bayes.go; the package documentation argues the method), or
	// "halving": successive halving over the training-set size, every
	// cell on a small stratified subset and the best 1/Eta on Eta times
	// as many images, up to all of them (halving.go).
	Search string
	// Trials is the number of cells random and bayes search evaluate;
	// 0 means 20 (random; at most the grid's cells when every range is a
	// list) or, for bayes, a quarter of the grid's cells but at least its
	// initial design of 2(d+1) cells for d searched axes (never more than
	// the grid).
	Trials int
	// Eta is the halving search's factor, at least 2: each rung keeps
	// the best ⌈cells/Eta⌉ and multiplies the training images by Eta.
	// 0 means 3 (scikit-learn's HalvingGridSearchCV default); it must be
	// 0 for the other searches.
	Eta float64
	// Batch is how many cells a bayes search proposes at once (from the
	// same results, so that they run side by side); 0 means Workers, or
	// GOMAXPROCS. It is recorded in the spec: the trials depend on it.
	Batch int
	// ColdStart turns alpha seeding off: every fit then starts from
	// α = 0, as LIBSVM's does. By default (false) each fit's one-vs-one
	// pairs whose kernel matrix is conditionally positive definite (on
	// Σu = 0, where the dual's yᵀα = 0 confines it) are seeded from the
	// previous fold's or the neighbouring C's solution (see warm.go): a
	// convex problem with a unique optimum, reached within Tol in fewer
	// SMO iterations; the other pairs (sigmoid cells whose tanh bends
	// enough: the problem is not convex and a seeded fit could stop at
	// another stationary point) start from α = 0. Seeding needs the grid's inner products in memory
	// (not in the fold-rows mode of very large grids).
	ColdStart bool
	// Extend turns range extension on: while the best cell lies on an
	// open edge of a range (C, α, γ on either side while > 0; the sigmoid
	// c within [results.Coef0Floor, results.Coef0Ceil]), the grid adds one
	// more value of that range beyond the edge, with the range's spacing
	// (results.ExtendStep), and evaluates it crossed with every value of
	// the other ranges, at most Extend steps on each side (extend.go).
	// A bayes search extends by the same rule after its Trials, spending
	// on each step's cells its own share of them (Trials over the
	// lattice's cells, at least a Batch), chosen by expected improvement;
	// a random search draws its share in the part of the ranges the step
	// added, its draws' edges read at the nearest values of the ranges;
	// a halving search runs each step's cells as a successive halving of
	// their own on the top rungs of its schedule (extendHalving). 0 (the
	// default) is off. Not with Shards > 1: a shard does not see the
	// grid's best; resume the merged shards with Extend instead (a
	// journal written without Extend may be resumed with it).
	Extend int
	// Seed drives the folds, the PSD sample and, unless SearchSeed is
	// set, the random and bayes proposals and the halving subsets.
	Seed uint64
	// SearchSeed, when not 0, drives the random and bayes proposals and
	// the halving subsets instead of Seed, so that searches can be repeated over the same
	// folds (CompareSearches does).
	SearchSeed uint64

	// MaxIter caps the SMO iterations of every binary fit in the grid, so
	// that a non-PSD sigmoid cell that stalls does not eat the grid; a
	// capped fit is recorded (capped: true) and still scored. 0 means 20·n
	// with n the fold's training size; -1 means the solver's own default.
	// The final retrained model uses the solver's default.
	MaxIter int
	// Tol is the solver's stopping tolerance; 0 means the solver default
	// (1e-3, LIBSVM's -e).
	Tol float64

	// MemBytes bounds the memory of the grid: the n×n inner products plus,
	// per cell running at once, a fold's Gram matrix and validation block.
	// 0 means a quarter of physical memory (4 GiB when unknown).
	MemBytes int64
	// Workers is the number of fits run at once; 0 means GOMAXPROCS,
	// lowered to what MemBytes allows.
	Workers int

	// PSD records, per cell, the smallest eigenvalue of the kernel's Gram
	// matrix K on PSDSample seeded training rows (0 means 1000), and the
	// smallest eigenvalue of K on the subspace Σu = 0 (MinEigenCPD).
	PSD       bool
	PSDSample int

	// Shard and Shards split the cell order: this run does cells Shard,
	// Shard+Shards, …. Zero values mean 0 of 1 (the whole grid). A shard
	// writes its cells and spec but no best file; Merge joins shards.
	Shard, Shards int

	// Out is the results folder. "" writes nothing (the cells are only
	// returned).
	Out string
	// Resume continues a grid whose journal is in Out: a torn last line is
	// dropped and the cells already there are skipped. Without Resume an
	// existing journal with cells is an error, so nothing is overwritten.
	Resume bool
	// NoRetrain skips retraining the best cell on all the training data
	// (Best then has no model and no test accuracy).
	NoRetrain bool

	// Progress, when not nil, is called after every fit with the number of
	// fits (cell × fold) done and the total for this run; cells resumed
	// from the journal count as done.
	Progress func(done, total int64)
	// Log, when not nil, is told of the grid's stages (inner products,
	// resumed cells, retraining) as one-line messages.
	Log func(format string, args ...any)
	// Args is the command line, for the manifest.
	Args []string
	// Extractor, when not nil, is the feature extractor that made the
	// matrices (after features.Apply, so that a features.Fitter such as
	// standard holds the parameters fitted on the training split). The
	// retrained best model's sidecar records them (svm.Meta.Fitted), so
	// that bench predict applies the same scaling to new data; nil records
	// the Features name alone, which is enough for extractors that fit
	// nothing (pixels, gray, hog).
	Extractor features.Extractor

	// svm holds the solver options CrossValidate adds (zero for a grid).
	svm svmOptions
	// journalLines maps the cells of a resumed journal to their lines
	// (openGridJournal), so that a refusal names the line (journalAt).
	journalLines map[int]int
}

// journalAt names where cell i of the resumed journal is:
// "OUT/grid-KERNEL-FEATURES.jsonl:LINE" (no line when it holds no cell i).
func (cfg *GridConfig) journalAt(i int) string {
	p := filepath.Join(cfg.Out, GridFile(cfg.Kernel, cfg.Features))
	if line, ok := cfg.journalLines[i]; ok {
		return fmt.Sprintf("%s:%d", p, line)
	}
	return p
}

func (cfg *GridConfig) searchSeed() uint64 {
	if cfg.SearchSeed != 0 {
		return cfg.SearchSeed
	}
	return cfg.Seed
}

func (cfg *GridConfig) logf(format string, args ...any) {
	if cfg.Log != nil {
		cfg.Log(format, args...)
	}
}

// Validate fills the defaults and checks the configuration; errors name
// the field and the allowed range.
func (cfg *GridConfig) Validate() error {
	if err := cfg.validateKernel(); err != nil {
		return err
	}
	if cfg.Features == "" {
		cfg.Features = "pixels"
	}
	if err := cfg.validateRanges(); err != nil {
		return err
	}
	if cfg.Folds == 0 {
		cfg.Folds = 5
	}
	if cfg.Folds < 2 {
		return fmt.Errorf("bench: GridConfig.Folds = %d: want at least 2", cfg.Folds)
	}
	if err := cfg.validateSearch(); err != nil {
		return err
	}
	if cfg.MaxIter < -1 {
		return &ConfigError{"GridConfig.MaxIter", cfg.MaxIter, false, "≥ 1, 0 (20·n) or -1 (solver default)"}
	}
	if cfg.Tol < 0 || math.IsNaN(cfg.Tol) {
		return fmt.Errorf("bench: GridConfig.Tol = %v: want a value > 0, or 0 for the default", cfg.Tol)
	}
	if cfg.MemBytes < 0 {
		return fmt.Errorf("bench: GridConfig.MemBytes = %d: want ≥ 0", cfg.MemBytes)
	}
	if cfg.MemBytes == 0 {
		cfg.MemBytes = DefaultMemBytes()
	}
	if cfg.Workers < 0 {
		return &ConfigError{"GridConfig.Workers", cfg.Workers, false, "≥ 0 (0: GOMAXPROCS)"}
	}
	if cfg.PSDSample == 0 {
		cfg.PSDSample = 1000
	}
	if cfg.PSDSample < 2 {
		return fmt.Errorf("bench: GridConfig.PSDSample = %d: want at least 2", cfg.PSDSample)
	}
	if cfg.Shards == 0 {
		cfg.Shards = 1
	}
	if cfg.Shards < 1 || cfg.Shard < 0 || cfg.Shard >= cfg.Shards {
		return fmt.Errorf("bench: GridConfig shard %d/%d: want 0 ≤ Shard < Shards", cfg.Shard, cfg.Shards)
	}
	return cfg.validateExtend()
}

// validateExtend checks Extend against the search and the shards.
func (cfg *GridConfig) validateExtend() error {
	switch {
	case cfg.Extend < 0 || cfg.Extend > maxExtend:
		return &ConfigError{"GridConfig.Extend", cfg.Extend, false, fmt.Sprintf("0 (off) to %d steps", maxExtend)}
	case cfg.Extend > 0 && cfg.Shards > 1:
		return fmt.Errorf("bench: GridConfig.Extend = %d: range extension chooses its cells from the whole grid's results, which a shard does not see: run the shards without Extend, merge them (bench.Merge), then resume the merged folder with Extend", cfg.Extend)
	}
	return nil
}

// validateKernel fills the default kernel (sigmoid) and degree and checks
// them against the kernel registry.
func (cfg *GridConfig) validateKernel() error {
	if cfg.Kernel == "" {
		cfg.Kernel = kernels.Sigmoid{}.Name()
	}
	spec, err := kernels.Lookup(cfg.Kernel)
	if err != nil {
		return &ConfigError{"GridConfig.Kernel", cfg.Kernel, false, kernels.NameList()}
	}
	p, ok := spec.Param("degree")
	if !ok {
		cfg.Degree = 0
		return nil
	}
	if cfg.Degree == 0 {
		cfg.Degree = int(p.Default)
	}
	if cfg.Degree < 1 {
		return fmt.Errorf("bench: GridConfig.Degree = %d: want an integer ≥ 1", cfg.Degree)
	}
	return nil
}

// validateRanges fills the kernel's default ranges and checks them.
func (cfg *GridConfig) validateRanges() error {
	used := map[string]bool{}
	for _, n := range cfg.axes() {
		used[n] = true
	}
	for _, n := range []string{"alpha", "coef0", "gamma", "C"} {
		r := cfg.rangeOf(n)
		if !used[n] {
			if !r.IsZero() {
				return &ConfigError{"GridConfig." + rangeField(n), r.Text, false, fmt.Sprintf("none: the %s kernel has no parameter %s", cfg.Kernel, n)}
			}
			continue
		}
		if r.IsZero() {
			*r = DefaultRange(cfg.Kernel, n)
		}
		for _, v := range r.Values {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return &ConfigError{"GridConfig." + rangeField(n), v, true, "finite values"}
			}
			if (n == "C" || n == "gamma") && !(v > 0) {
				return &ConfigError{"GridConfig." + rangeField(n), v, true, "values > 0"}
			}
		}
	}
	return nil
}

// Searches are the values of GridConfig.Search (and MainConfig.Search);
// "" means "grid".
var Searches = []string{"grid", "random", "bayes", "halving"}

// validateSearch fills and checks Search and Trials.
func (cfg *GridConfig) validateSearch() error {
	switch {
	case cfg.Search == "":
		cfg.Search = "grid"
	case slices.Contains(Searches, cfg.Search):
	default:
		return fmt.Errorf("bench: GridConfig.Search = %q: want grid, random, bayes or halving", cfg.Search)
	}
	if err := cfg.validateEta(); err != nil {
		return err
	}
	switch cfg.Search {
	case "random":
		if cfg.Trials == 0 {
			cfg.Trials = 20
		}
	case "bayes":
		lattice := cfg.latticeCells()
		if cfg.Trials == 0 {
			// A quarter of the grid, but not less than the initial design:
			// a small grid (4 C values of a linear kernel) would get one cell.
			cfg.Trials = min(lattice, max((lattice+3)/4, bayesDesign(cfg.searchedAxes())))
		}
		if cfg.Trials > lattice {
			return &ConfigError{"GridConfig.Trials", cfg.Trials, false, fmt.Sprintf("at most the grid's %d cells: a bayes search evaluates each at most once", lattice)}
		}
		if cfg.Shards > 1 {
			return fmt.Errorf("bench: GridConfig.Shards = %d: a bayes search chooses each batch from the results before it and cannot be sharded", cfg.Shards)
		}
		if cfg.Batch == 0 {
			cfg.Batch = cmp.Or(cfg.Workers, runtime.GOMAXPROCS(0))
		}
	}
	if cfg.Trials < 0 || cfg.Trials > 1e6 {
		return fmt.Errorf("bench: GridConfig.Trials = %d: want 1 to 1000000", cfg.Trials)
	}
	if cfg.Search == "random" && cfg.listsOnly() {
		// Drawn without replacement (Cells): at most every cell.
		cfg.Trials = min(cfg.Trials, cfg.latticeCells())
	}
	if cfg.Batch < 0 {
		return fmt.Errorf("bench: GridConfig.Batch = %d: want ≥ 1, or 0 for the number of workers", cfg.Batch)
	}
	return nil
}

// validateEta fills and checks Eta, and what halving cannot do.
func (cfg *GridConfig) validateEta() error {
	if cfg.Search != "halving" {
		if cfg.Eta != 0 {
			return fmt.Errorf("bench: GridConfig.Eta = %v: only for Search halving (this is %s)", cfg.Eta, cfg.Search)
		}
		return nil
	}
	if cfg.Eta == 0 {
		cfg.Eta = 3
	}
	switch {
	case !(cfg.Eta >= 2) || math.IsInf(cfg.Eta, 0):
		return fmt.Errorf("bench: GridConfig.Eta = %v: want a finite factor ≥ 2", cfg.Eta)
	case cfg.Trials != 0:
		return fmt.Errorf("bench: GridConfig.Trials = %d: a halving search starts from every cell of the grid; Trials is for random and bayes", cfg.Trials)
	case cfg.Shards > 1:
		return fmt.Errorf("bench: GridConfig.Shards = %d: a halving search chooses each rung's cells from the rung before and cannot be sharded", cfg.Shards)
	}
	return nil
}

func rangeField(n string) string {
	switch n {
	case "alpha":
		return "Alpha"
	case "coef0":
		return "Coef0"
	case "gamma":
		return "Gamma"
	}
	return "C"
}

// ParseShard reads "I/N" (0 ≤ I < N).
func ParseShard(s string) (i, n int, err error) {
	a, b, ok := strings.Cut(strings.TrimSpace(s), "/")
	if ok {
		i, err = strconv.Atoi(strings.TrimSpace(a))
		if err == nil {
			n, err = strconv.Atoi(strings.TrimSpace(b))
		}
	}
	if !ok || err != nil || n < 1 || i < 0 || i >= n {
		return 0, 0, fmt.Errorf("bench: shard %q: want I/N with 0 ≤ I < N, e.g. 0/4", s)
	}
	return i, n, nil
}

// DefaultMemBytes is a quarter of physical memory (from /proc/meminfo),
// or 4 GiB when it cannot be read.
func DefaultMemBytes() int64 {
	f, err := os.Open("/proc/meminfo")
	if err == nil {
		defer f.Close()
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			var kb int64
			if n, _ := fmt.Sscanf(sc.Text(), "MemTotal: %d kB", &kb); n == 1 && kb > 0 {
				return kb * 1024 / 4
			}
		}
	}
	return 4 << 30
}

// spec describes cfg on training data x, y for the spec file.
func (cfg *GridConfig) spec(x *matrix.Matrix, y []int, nCells int, m Manifest) GridSpec {
	s := cfg.RangeSpec()
	s.Features, s.Search = cfg.Features, cfg.Search
	s.Degree, s.Folds, s.Seed, s.MaxIter, s.Tol = cfg.Degree, cfg.Folds, cfg.Seed, cfg.MaxIter, cfg.Tol
	s.PSD, s.Cells, s.Shard, s.Shards = cfg.PSD, nCells, cfg.Shard, cfg.Shards
	s.TrainN, s.TrainSHA256, s.Manifest = len(y), TrainDigest(x, y), m
	if cfg.Search == "random" || cfg.Search == "bayes" {
		s.Trials = cfg.Trials
	}
	if cfg.Search == "bayes" {
		s.Batch = cfg.Batch
	}
	if cfg.Search == "halving" {
		s.Eta = cfg.Eta
	}
	if cfg.Search != "grid" {
		s.SearchSeed = cfg.SearchSeed
	}
	if cfg.PSD {
		s.PSDSample = cfg.PSDSample
	}
	return s
}

// RangeSpec is the part of cfg's spec (the spec file's) that says what
// it searched: the kernel, the search, the ranges of its parameters and
// the range extension.
func (cfg *GridConfig) RangeSpec() GridSpec {
	sr := func(r Range, used bool) SpecRange {
		if !used {
			return SpecRange{}
		}
		return SpecRange{Text: r.Text, Kind: r.Kind.String(), Values: r.Values}
	}
	used := map[string]bool{}
	for _, n := range cfg.axes() {
		used[n] = true
	}
	return GridSpec{
		Kernel: cfg.Kernel, Search: cfg.Search, Extend: cfg.Extend,
		Alpha: sr(cfg.Alpha, used["alpha"]), Coef0: sr(cfg.Coef0, used["coef0"]),
		Gamma: sr(cfg.Gamma, used["gamma"]), C: sr(cfg.C, used["C"]),
	}
}

// TrainDigest is the GridSpec.TrainSHA256 of features x and labels y:
// the SHA-256 of x's rows (float32 little-endian) and then y (int64
// little-endian). DataDigest hashes two splits the same way.
func TrainDigest(x *matrix.Matrix, y []int) string {
	h := sha256.New()
	hashSplit(h, x, y)
	return hex.EncodeToString(h.Sum(nil))
}

// hashSplit writes x's rows (float32 little-endian) and then y (int64
// little-endian) to h.
func hashSplit(h hash.Hash, x *matrix.Matrix, y []int) {
	buf := make([]byte, 0, 4*x.Cols)
	for i := 0; i < x.Rows; i++ {
		buf = buf[:0]
		for _, v := range x.Row(i) {
			buf = binary.LittleEndian.AppendUint32(buf, math.Float32bits(v))
		}
		h.Write(buf)
	}
	buf = buf[:0]
	for _, v := range y {
		buf = binary.LittleEndian.AppendUint64(buf, uint64(int64(v)))
	}
	h.Write(buf)
}

// Grid runs the cross-validated grid search cfg on the training split of
// d, with train and test the feature matrices of d's training and test
// splits (rows in the order of d.Train and d.Test; test may be nil with
// cfg.NoRetrain). It returns the best cell retrained on all of train
// (nil for a shard, or when no cell finished) and the cells of this run
// in cell order, resumed ones included. On cancellation it returns the
// cells finished so far with ctx's error; they are in the journal.
func Grid(ctx context.Context, d *dataset.Dataset, train, test *matrix.Matrix, cfg GridConfig) (*Best, []GridCell, error) {
	if err := checkGrid(d, train, test, &cfg); err != nil {
		return nil, nil, err
	}
	y := d.Train.Y
	all := cfg.Cells()
	mine := ShardCells(all, cfg.Shard, cfg.Shards)
	for _, c := range mine {
		if _, err := CellKernel(c); err != nil {
			return nil, nil, fmt.Errorf("bench: cell %d: %w", c.Index, err)
		}
	}
	nCells, checkAll, hv, err := searchCells(&cfg, y, all)
	if err != nil {
		return nil, nil, err
	}
	manifest := NewManifest(d, cfg.Seed, cfg.Args)
	spec := cfg.spec(train, y, nCells, manifest)

	// Journal: what is done already, and where new cells go.
	// The folder is this run's until Grid returns (LockOut).
	unlock, err := LockOut(cfg.Out)
	if err != nil {
		return nil, nil, err
	}
	defer unlock()
	done, jr, err := openGridJournal(&cfg, checkAll, spec)
	if err != nil {
		return nil, nil, err
	}
	if jr != nil {
		defer jr.Close()
	}
	sink := newCellSink(&cfg, jr, spec)
	prog := newFitProgress(cfg.Progress, 0, int64(nCells)*int64(cfg.Folds))
	var runErr error
	switch cfg.Search {
	case "bayes":
		var resumed []GridCell
		var added int
		resumed, added, runErr = runBayes(ctx, train, y, &cfg, done, prog, sink.emit)
		sink.finished = append(sink.finished, resumed...)
		nCells += added
	case "halving":
		var resumed []GridCell
		var added int
		resumed, added, runErr = hv.run(ctx, train, done, prog, sink.emit)
		sink.finished = append(sink.finished, resumed...)
		nCells += added
	default:
		// With Extend, the cells and the extension's share the inner
		// products, the pairs' convexity checks and the PSD cache
		// (shareRows).
		var rows func() *sharedRows
		if cfg.Extend > 0 {
			rows = sync.OnceValue(func() *sharedRows { return shareRows(&cfg, train, y) })
		}
		runErr = resumeCells(ctx, train, y, mine, done, &cfg, prog, sink, rows)
		if runErr == nil && cfg.Extend > 0 {
			var added int
			added, runErr = extendGrid(ctx, train, y, &cfg, len(all), done, prog, sink, rows)
			nCells += added
		}
	}
	finished := sink.finished
	slices.SortFunc(finished, func(a, b GridCell) int { return a.Index - b.Index })
	if runErr != nil {
		return nil, finished, runErr
	}
	if cfg.Shards > 1 || len(finished) == 0 {
		return nil, finished, nil
	}
	bc, ok := BestCell(finished)
	if !ok {
		return nil, finished, allFailed(finished)
	}
	best, err := saveBest(ctx, &cfg, &Best{Manifest: manifest, Cell: bc, GridCells: nCells}, train, y, test, d.Test.Y)
	return best, finished, err
}

// allFailed is the error of a grid whose every cell failed (Failed).
func allFailed(cells []GridCell) error {
	n, c, _ := results.Failures(cells)
	return &allFailedError{fmt.Sprintf("bench: grid %s/%s: every cell failed (%d of %d), so the grid has no best; the first, cell %d (%s): %s", c.Kernel, c.Features, n, len(cells), c.Index, ParamString(c), c.Failed)}
}

// allFailedError is allFailed's error, so that a search comparison can
// tell a run that scored nothing from a run that stopped.
type allFailedError struct{ msg string }

func (e *allFailedError) Error() string { return e.msg }

// searchCells returns how many cells cfg's search evaluates and the cells
// a resumed journal is checked against (nil for the adaptive searches,
// whose cells are checked as they are replayed), and the halving
// schedule for a halving search.
func searchCells(cfg *GridConfig, y []int, all []GridCell) (int, []GridCell, *halving, error) {
	switch cfg.Search {
	case "bayes":
		return cfg.Trials, nil, nil, nil
	case "halving":
		hv, err := newHalving(cfg, y, all)
		if err != nil {
			return 0, nil, nil, err
		}
		return hv.evaluations(), nil, hv, nil
	}
	return len(all), all, nil, nil
}

// checkGrid validates cfg and checks the matrices against d's labels and
// the training labels against the folds.
func checkGrid(d *dataset.Dataset, train, test *matrix.Matrix, cfg *GridConfig) error {
	if err := cfg.Validate(); err != nil {
		return err
	}
	if train.Rows != len(d.Train.Y) {
		return fmt.Errorf("bench: Grid: %d training rows for %d labels", train.Rows, len(d.Train.Y))
	}
	if test != nil && test.Rows != len(d.Test.Y) {
		return fmt.Errorf("bench: Grid: %d test rows for %d labels", test.Rows, len(d.Test.Y))
	}
	return checkFoldable(d.Train.Y, cfg.Folds)
}

// cellSink receives the grid's finished cells, from any goroutine: it
// journals each (when jr is not nil) and keeps it.
type cellSink struct {
	jr       *results.JournalWriter
	first    func() error // nil, or run once before the first cell is journalled
	once     sync.Once
	firstErr error
	spec     string // results.SpecDigest of the grid's spec, recorded in each cell
	mu       sync.Mutex
	finished []GridCell
}

// newCellSink returns the sink of cfg's grid, journalling to jr (nil:
// not) with spec's digest in each cell. With an output folder, the best
// file and model there go before the first new cell is journalled: they
// describe the journal as it was (an interrupted -resume -extend left them
// beside a journal whose best was another cell), and the run writes new
// ones when it finishes.
func newCellSink(cfg *GridConfig, jr *results.JournalWriter, spec GridSpec) *cellSink {
	s := &cellSink{jr: jr, spec: results.SpecDigest(spec)}
	if cfg.Out != "" {
		model := ModelFile(cfg.Kernel, cfg.Features)
		s.first = func() error {
			_, err := removeFiles(cfg.Out, BestFile(cfg.Kernel, cfg.Features), model, model+".json")
			return err
		}
	}
	return s
}

func (s *cellSink) emit(c GridCell) error {
	c.Spec = s.spec
	if s.first != nil {
		if s.once.Do(func() { s.firstErr = s.first() }); s.firstErr != nil {
			return s.firstErr
		}
	}
	if s.jr != nil {
		if err := s.jr.Append(c); err != nil {
			return err
		}
	}
	s.mu.Lock()
	s.finished = append(s.finished, c)
	s.mu.Unlock()
	return nil
}

// splitJournal splits cells into those the journal (done) holds at their
// index, found, and those still to run, todo. differ (nil: any cell
// matches) says why a journalled cell is not the one expected there
// ("": it is); the first such cell stops the split with a *MismatchError
// (wrapped in "bench: cannot resume: ") naming its line of cfg's grid
// file, found holding the cells before it.
func splitJournal(cfg *GridConfig, cells []GridCell, done map[int]GridCell, differ func(dc, c GridCell) string) (found, todo []GridCell, err error) {
	for _, c := range cells {
		dc, ok := done[c.Index]
		if !ok {
			todo = append(todo, c)
			continue
		}
		if differ != nil {
			if why := differ(dc, c); why != "" {
				return found, todo, fmt.Errorf("bench: cannot resume: %w", &MismatchError{File: cfg.journalAt(c.Index), Why: why})
			}
		}
		found = append(found, dc)
	}
	return found, todo, nil
}

// resumeCells keeps the cells of mine found done in the journal and runs
// the others, on the inner products and convexity checks rows returns
// when it is not nil (shareRows; nil: their own).
func resumeCells(ctx context.Context, train *matrix.Matrix, y []int, mine []GridCell, done map[int]GridCell, cfg *GridConfig, prog *fitProgress, sink *cellSink, rows func() *sharedRows) error {
	found, todo, _ := splitJournal(cfg, mine, done, nil)
	sink.finished = append(sink.finished, found...)
	if len(sink.finished) > 0 {
		failed := ""
		if n, _, _ := Failures(sink.finished); n > 0 {
			failed = fmt.Sprintf(" (%d of them failed: they are not run again)", n)
		}
		cfg.logf("grid %s/%s: %d of %d cells found in the journal%s, %d to run", cfg.Kernel, cfg.Features, len(sink.finished), len(mine), failed, len(todo))
	}
	prog.total = int64(len(mine)) * int64(cfg.Folds)
	prog.add(int64(len(sink.finished)) * int64(cfg.Folds))
	var sh *sharedRows
	if rows != nil && len(todo) > 0 {
		sh = rows()
	}
	return runResumed(ctx, train, y, sh, mine, todo, cfg, prog, sink.emit)
}

// modelMeta is the sidecar record of the best model: the features, and
// the extractor's fitted parameters when it has some (cfg.Extractor).
func (cfg *GridConfig) modelMeta(n int, man Manifest) (svm.Meta, error) {
	meta := svm.Meta{Features: cfg.Features}
	raw, err := json.Marshal(man)
	if err != nil {
		return meta, fmt.Errorf("bench: the best model's manifest: %w", err)
	}
	meta.Manifest = raw
	if _, ok := cfg.Extractor.(features.Fitter); ok {
		meta.Scaling = fmt.Sprintf("fitted on the grid's %d training samples", n)
		if meta.Fitted, err = json.Marshal(cfg.Extractor); err != nil {
			return meta, fmt.Errorf("bench: the %s features' fitted parameters: %w", cfg.Features, err)
		}
	}
	return meta, nil
}

// saveBest retrains the best cell b.Cell on all of train, y (unless
// cfg.NoRetrain), scores it on test, and writes the best file in cfg.Out.
func saveBest(ctx context.Context, cfg *GridConfig, best *Best, train *matrix.Matrix, y []int, test *matrix.Matrix, ytest []int) (*Best, error) {
	bc := best.Cell
	if !cfg.NoRetrain {
		if test == nil {
			return nil, errors.New("bench: Grid: no test matrix to score the retrained best cell (set NoRetrain)")
		}
		var modelPath string
		if cfg.Out != "" {
			modelPath = filepath.Join(cfg.Out, ModelFile(cfg.Kernel, cfg.Features))
			best.Model = ModelFile(cfg.Kernel, cfg.Features)
		}
		cfg.logf("grid %s/%s: retraining the best cell %d on all %d training samples", cfg.Kernel, cfg.Features, bc.Index, len(y))
		meta, err := cfg.modelMeta(len(y), best.Manifest)
		if err != nil {
			return nil, err
		}
		r, err := retrainBest(ctx, bc, train, y, test, ytest, cfg.Tol, cfg.MemBytes, modelPath, meta)
		if err != nil {
			return nil, err
		}
		best.TestAccuracy, best.TrainSeconds, best.NSV, best.Retrained = r.accuracy, r.seconds, r.nsv, true
		best.PeakHeapBytes, best.PeakRSSBytes = r.peak.HeapBytes, r.peak.RSSBytes
	}
	if cfg.Out != "" {
		if err := WriteJSON(filepath.Join(cfg.Out, BestFile(cfg.Kernel, cfg.Features)), best); err != nil {
			return nil, err
		}
	}
	return best, nil
}

// openGridJournal reads the journal of cfg in cfg.Out (nothing when Out is
// ""): the cells already done, checked against spec and the grid's cells
// all (unless all is nil), and the journal to append new cells to (nil without Out). Without
// Resume a journal with cells is an error.
func openGridJournal(cfg *GridConfig, all []GridCell, spec GridSpec) (map[int]GridCell, *results.JournalWriter, error) {
	done := map[int]GridCell{}
	if cfg.Out == "" {
		return done, nil, nil
	}
	if err := os.MkdirAll(cfg.Out, 0o755); err != nil {
		return nil, nil, fmt.Errorf("bench: %w", err)
	}
	jpath := filepath.Join(cfg.Out, GridFile(cfg.Kernel, cfg.Features))
	spath := filepath.Join(cfg.Out, SpecFile(cfg.Kernel, cfg.Features))
	j, err := results.ReadJournal(jpath)
	if err != nil {
		return nil, nil, err
	}
	if len(j.Cells) > 0 || j.TornOffset >= 0 {
		if !cfg.Resume {
			return nil, nil, fmt.Errorf("bench: %s already holds %d cells: %w", jpath, len(j.Cells), ErrExists)
		}
		var prev GridSpec
		if err := ReadJSON(spath, &prev); err != nil {
			return nil, nil, fmt.Errorf("bench: resuming %s: %w", jpath, err)
		}
		if prev.Search != spec.Search {
			return nil, nil, fmt.Errorf("bench: cannot resume: %w", &MismatchError{File: spath,
				Why: fmt.Sprintf("the journal was written by -search %s; this run is -search %s", prev.Search, spec.Search)})
		}
		if prev.Extend == 0 && spec.Extend > 0 {
			// Every search's cells before its extension do not depend
			// on Extend: a journal written without it (merged shards)
			// is the start of the extended search and is extended.
			prev.Extend = spec.Extend
		}
		if why := results.GridDiff(prev, spec); why != "" {
			return nil, nil, fmt.Errorf("bench: cannot resume: %w", &MismatchError{File: spath, Why: why})
		}
		if done, err = journalCells(cfg, all, spec, j, jpath); err != nil {
			return nil, nil, err
		}
		cfg.journalLines = make(map[int]int, len(j.Cells))
		for i, c := range j.Cells {
			cfg.journalLines[c.Index] = j.Lines[i]
		}
	}
	if err := WriteJSON(spath, spec); err != nil {
		return nil, nil, err
	}
	if j.TornOffset >= 0 {
		cfg.logf("grid %s/%s: dropped the torn last line %d of %s (%v): a write the interruption cut short; its cell runs again",
			cfg.Kernel, cfg.Features, j.TornLine, jpath, j.TornErr)
	}
	jr, err := results.OpenJournal(jpath, j.TornOffset)
	if err != nil {
		return nil, nil, err
	}
	return done, jr, nil
}

// journalCells returns the cells of the journal j (at jpath) by index,
// each checked to be the cell of all (the grid's cells; nil for the
// adaptive searches, whose cells are checked as they are replayed) at its
// index; cells past the grid's that range extension added are checked by
// extendGrid against the cell it adds there. A cell that is not, or that
// was run under another spec than spec (results.OtherSpec) or with
// alpha seeding where this run has none or the reverse
// (results.OtherSeeding), is a *MismatchError naming its line and what
// differs.
func journalCells(cfg *GridConfig, all []GridCell, spec GridSpec, j results.Journal, jpath string) (map[int]GridCell, error) {
	done := map[int]GridCell{}
	digest := results.SpecDigest(spec)
	for i, c := range j.Cells {
		why := results.OtherSpec(digest, c)
		if why == "" {
			why = results.OtherSeeding(c, !cfg.ColdStart, "this run fits")
			if why != "" {
				why += "; resume with the journal's -warm-start"
			}
		}
		if why != "" {
			return nil, fmt.Errorf("bench: cannot resume: %w", &MismatchError{File: fmt.Sprintf("%s:%d", jpath, j.Lines[i]), Why: why})
		}
		if all != nil && !(cfg.Extend > 0 && c.Index >= len(all)) {
			where := fmt.Sprintf("%s:%d", jpath, j.Lines[i])
			if c.Index >= len(all) {
				return nil, fmt.Errorf("bench: cannot resume: %w", &MismatchError{File: where, Why: fmt.Sprintf("cell %d is past the grid's %d cells", c.Index, len(all))})
			}
			if want := all[c.Index]; !results.SameSetting(want, c) {
				return nil, fmt.Errorf("bench: cannot resume: %w", &MismatchError{File: where, Why: fmt.Sprintf("cell %d has %s, this grid's cell %d has %s",
					c.Index, cellSetting(c), c.Index, cellSetting(want))})
			}
		}
		done[c.Index] = c
	}
	return done, nil
}

// cellSetting names a cell's grid point: its parameters, and its kernel,
// features and folds.
func cellSetting(c GridCell) string {
	return fmt.Sprintf("%s (%s/%s, %d folds)", ParamString(c), c.Kernel, c.Features, c.Folds)
}

// checkFoldable requires every class to have at least k samples, so that
// each fold sees each class.
func checkFoldable(y []int, k int) error {
	count := map[int]int{}
	for _, v := range y {
		count[v]++
	}
	if len(count) < 2 {
		return fmt.Errorf("bench: Grid: the training data has %d class(es): want at least 2", len(count))
	}
	for l, n := range count {
		if n < k {
			return fmt.Errorf("bench: Grid: class %d has %d training samples, fewer than the %d folds", l, n, k)
		}
	}
	return nil
}
