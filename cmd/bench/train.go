package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"math"
	"os"
	"runtime"
	"strconv"
	"strings"
	"time"

	"github.com/svmbench/svmbench/bench"
	"github.com/svmbench/svmbench/dataset"
	"github.com/svmbench/svmbench/features"
	"github.com/svmbench/svmbench/internal/linalg"
	"github.com/svmbench/svmbench/internal/memory"
	"github.com/svmbench/svmbench/internal/progress"
	"github.com/svmbench/svmbench/kernels"
	"github.com/svmbench/svmbench/matrix"
	"github.com/svmbench/svmbench/svm"
)

var cmdTrain = &Command{
	Name:      "train",
	UsageLine: "train [-data SPEC] -kernel sigmoid|rbf|linear|poly [-alpha α] [-coef0 c] [-gamma γ] [-degree d] -C C [-w LABEL:W,...] [-b 1] [-eps 1e-3] [-mem SIZE | -cache MB] [-shrinking=true] [-features pixels] [-train N] (-model FILE | -cv K) [-v]",
	Short:     "train a C-SVC (LIBSVM's solver) and save it in LIBSVM's model format",
	Long: `Train fits a C-SVC on the training split of -data with the features of
-features, by SMO with LIBSVM's algorithm (second-order working sets,
shrinking, stopping tolerance -eps), one-vs-one over the classes (or
one-vs-rest with -ovr), pairs solved in parallel. The kernel matrix is
computed in matrix products: whole when it fits the memory budget, else
through a column cache per worker.

Kernels: sigmoid tanh(α⟨x,y⟩+c) with -alpha α and -coef0 c (LIBSVM's -g and
-r; α < 0 is accepted with a warning, LIBSVM refuses it); rbf
exp(−γ‖x−y‖²) with -gamma; linear ⟨x,y⟩; poly (γ⟨x,y⟩+c)^d with -gamma,
-coef0, -degree.

-data libsvm:FILE trains on FILE (libsvm:TRAIN,TEST on TRAIN). Labels are
the file's (-1/+1, 1..K, 2 7 9), kept in LIBSVM's order; -w LABEL:W
multiplies C for that label (an absent label is an error); -gamma 0 and
-alpha 0 (the defaults) are 1/(features of the training data), LIBSVM's
default. -b 1 also fits LIBSVM's probability model (probA/probB; bench
predict -b 1, svm-predict -b 1). -cv K prints the K-fold cross-validation accuracy as svm-train -v K
does (Cross Validation Accuracy = X%) and writes no model; with -w, -ovr
and -b 1 it cross-validates that setting (-b 1: each fold fits the
probability model and scores samples by their most probable label, as
svm-train -v K -b 1 does).

The model is written to -model FILE in LIBSVM's format (svm-predict reads
it), with FILE.json beside it for what LIBSVM cannot hold (features and
their fitted scaling, training width, manifest, pair statistics); both or
neither are written. A one-vs-rest model is written to FILE.json only.
See docs/libsvm.md for svm-train's flags side by side. With -v, one line
per binary sub-problem:
  pair I vs J: obj = %g, rho = %g, nSV = %d, nBSV = %d, iter = %d
(class I vs rest with -ovr on more than two classes)
Always a final summary: total support vectors, training seconds, peak
memory of the process.`,
	Flags: func(fs *flag.FlagSet) runner {
		c := &trainCmd{df: addDataFlags(fs), ff: addFeatureFlags(fs), kf: addKernelFlags(fs)}
		fs.Float64Var(&c.c, "C", 1, "penalty `C` > 0")
		fs.Float64Var(&c.eps, "eps", 1e-3, "stopping tolerance `ε` > 0 (LIBSVM's -e)")
		fs.StringVar(&c.mem, "mem", "", "kernel memory budget `SIZE` with a unit (512MiB, 12GiB); overrides -cache")
		fs.Float64Var(&c.cacheMB, "cache", 200, "kernel memory budget in `MB` (MiB) of float32 values, as LIBSVM's -m")
		fs.BoolVar(&c.shrinking, "shrinking", true, "use the shrinking heuristic (LIBSVM's -h)")
		fs.IntVar(&c.maxIter, "max-iter", 0, "iteration cap `N` per sub-problem; 0 = max(1e7, 100·n)")
		fs.StringVar(&c.weights, "w", "", "class weights `LABEL:W,...` multiplying C, W finite and > 0 (LIBSVM's -wLABEL W)")
		fs.BoolVar(&c.ovr, "ovr", false, "one-vs-rest instead of one-vs-one")
		fs.IntVar(&c.prob, "b", 0, "1: also fit the probability model, as svm-train -b 1 (`0|1`)")
		fs.IntVar(&c.cv, "cv", 0, "print the `K`-fold cross-validation accuracy (svm-train -v K); no model is written")
		fs.StringVar(&c.model, "model", "", "write the model to `FILE` (required)")
		fs.BoolVar(&c.verbose, "v", false, "print one line per binary sub-problem")
		c.df.trainOnly = true
		return c
	},
}

// trainCmd is bench train's flags; check fills p and ext from them.
type trainCmd struct {
	df                  *dataFlags
	ff                  *featureFlags
	kf                  *kernelFlags
	c, eps, cacheMB     float64
	mem, weights, model string
	shrinking, ovr      bool
	verbose             bool
	maxIter, prob, cv   int
	p                   svm.Params
	ext                 features.Extractor
}

func (c *trainCmd) check(args []string) error {
	if len(args) > 0 {
		return usagef("unexpected argument %q", args[0])
	}
	switch {
	case c.cv == 0 && c.model == "":
		return usagef("-model FILE is required (or -cv K)")
	case c.cv != 0 && c.model != "":
		return usagef("-cv %d writes no model: drop -model", c.cv)
	case c.cv < 0 || c.cv == 1:
		return usagef("-cv %d: want a number of folds ≥ 2", c.cv)
	case c.prob != 0 && c.prob != 1:
		return usagef("-b %d: want 0 or 1", c.prob)
	case c.prob == 1 && c.ovr:
		return usagef("-b 1: the probability model is one-vs-one (drop -ovr)")
	}
	k, err := c.kf.kernel()
	if err != nil {
		return err
	}
	c.p = svm.Params{Kernel: k, C: c.c, Tol: c.eps, CacheMB: c.cacheMB, NoShrinking: !c.shrinking, MaxIter: c.maxIter, OneVsRest: c.ovr,
		Probability: c.prob == 1, Seed: c.df.seed}
	if err := positive("C", c.c); err != nil {
		return err
	}
	if err := positive("eps", c.eps); err != nil {
		return err
	}
	if err := writableDir("model", c.model); err != nil {
		return err
	}
	switch {
	case c.mem == "" && !(c.cacheMB > 0):
		return usagef("-cache %g: want a value > 0", c.cacheMB)
	case c.maxIter < 0:
		return usagef("-max-iter %d: want ≥ 0", c.maxIter)
	}
	if c.mem != "" {
		b, err := parseBytes(c.mem)
		if err != nil {
			return usagef("-mem: %w", err)
		}
		if b <= 0 {
			return usagef("-mem %s: want a size > 0", c.mem)
		}
		c.p.CacheMB = float64(b) / (1 << 20)
	}
	if c.p.Weights, err = parseWeights(c.weights); err != nil {
		return err
	}
	if err := c.df.validate(); err != nil {
		return err
	}
	c.ext, err = c.ff.extractor()
	return err
}

// run is bench train: svm.Train on the training features, the model saved
// with its manifest, a summary printed.
func (c *trainCmd) run(ctx context.Context) error {
	prog := newProgress()
	defer prog.Wait()
	d, err := c.df.load(ctx, prog)
	if err != nil {
		return err
	}
	x, err := trainFeatures(c.ext, d)
	if err != nil {
		return err
	}
	p := c.p
	p.Kernel = withDefaultSlope(p.Kernel, x.Cols)
	budget := int64(p.CacheMB * (1 << 20))
	if c.cv > 0 && c.mem == "" {
		budget = bench.DefaultMemBytes() // the grid's default budget
	}
	// The Go heap held to the data, the budget and the model (its support
	// vectors are at most the training rows): see memory.Limit.
	memory.Limit(budget + matrix.Bytes(x.Rows, x.Cols))
	if c.cv > 0 {
		return c.crossValidate(ctx, prog, x, d.Train.Y, p, budget)
	}
	bar := prog.Bar("train "+p.Kernel.Name(), 0)
	p.Progress = bar.Func()
	var m *svm.Model
	var secs float64
	peak, err := memory.Measure(func() error {
		t0 := time.Now()
		m, err = svm.Train(ctx, x, d.Train.Y, p)
		secs = time.Since(t0).Seconds()
		return err
	})
	bar.Done()
	if err != nil {
		return err
	}
	prog.Wait()
	if c.verbose {
		printPairs(m)
	}
	for _, w := range m.Warnings() {
		fmt.Fprintf(stderr, "warning: %s\n", w)
	}
	man := bench.NewManifest(d, c.df.seed, os.Args)
	raw, err := json.Marshal(man)
	if err != nil {
		return err
	}
	m.Meta = svm.Meta{Features: c.ext.Name(), Manifest: raw}
	if _, ok := c.ext.(features.Fitter); ok {
		m.Meta.Scaling = fmt.Sprintf("fitted on the training split of -data %s -train %d -seed %d", c.df.spec, c.df.train, c.df.seed)
		if m.Meta.Fitted, err = json.Marshal(c.ext); err != nil {
			return err
		}
	}
	if err := m.Save(c.model); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "trained %s C-SVC (%s, C = %g) on %d samples × %d features, %d classes: total nSV = %d, %.2f s training, %s (%s BLAS, GOMAXPROCS %d); model %s\n",
		kernelString(p.Kernel), pairsName(m.OneVsRest), p.C, x.Rows, x.Cols, len(m.Labels), m.NSV(), secs, peakString(peak.RSSBytes, peak.HeapBytes),
		linalg.Implementation(), runtime.GOMAXPROCS(0), c.model)
	return nil
}

// crossValidate is bench train -cv K: bench.CrossValidate within mem
// bytes, printed as svm-train -v K prints it.
func (c *trainCmd) crossValidate(ctx context.Context, prog *progress.Progress, x *matrix.Matrix, y []int, p svm.Params, mem int64) error {
	dk, ok := p.Kernel.(kernels.DotKernel)
	if !ok {
		return fmt.Errorf("-cv: kernel %s is not a function of inner products", p.Kernel.Name())
	}
	bar := prog.Bar(fmt.Sprintf("cv %d folds", c.cv), int64(c.cv))
	acc, _, err := bench.CrossValidate(ctx, x, y, bench.CVConfig{Kernel: dk, C: p.C, Folds: c.cv, Tol: p.Tol,
		Seed: c.df.seed, MemBytes: mem, Progress: bar.Func(), Weights: p.Weights, OneVsRest: p.OneVsRest,
		Probability: p.Probability})
	bar.Done()
	prog.Wait()
	if err != nil {
		return err
	}
	// %.6g: C's %g, as svm-train -v prints it.
	fmt.Fprintf(stdout, "Cross Validation Accuracy = %.6g%%\n", 100*acc)
	return nil
}

// printPairs prints one line per binary sub-problem (-v), named as the
// model's warnings name it (svm.Model.PairName): "pair 1 vs -1", or
// "class 2 vs rest" in a one-vs-rest model (-ovr on more than two
// classes; on two, the one pair).
func printPairs(m *svm.Model) {
	for _, st := range m.Pairs {
		fmt.Fprintf(stdout, "%s: obj = %g, rho = %g, nSV = %d, nBSV = %d, iter = %d\n", m.PairName(st), st.Obj, st.Rho, st.NSV, st.NBSV, st.Iter)
	}
}

func pairsName(ovr bool) string {
	if ovr {
		return "one-vs-rest"
	}
	return "one-vs-one"
}

// kernelFlags are -kernel and its parameters.
type kernelFlags struct {
	name                string
	alpha, coef0, gamma float64
	degree              int
	fs                  *flag.FlagSet
}

func addKernelFlags(fs *flag.FlagSet) *kernelFlags {
	f := &kernelFlags{fs: fs}
	fs.StringVar(&f.name, "kernel", "", "kernel `NAME`: "+kernels.NameList()+" (required)")
	fs.Float64Var(&f.alpha, "alpha", 0, "sigmoid slope `α` (LIBSVM's -g; 0 = 1/features, LIBSVM's default)")
	fs.Float64Var(&f.coef0, "coef0", 0, "sigmoid and poly bias `c` (LIBSVM's -r)")
	fs.Float64Var(&f.gamma, "gamma", 0, "rbf and poly `γ` > 0 (0 = 1/features, LIBSVM's default)")
	fs.IntVar(&f.degree, "degree", 3, "poly degree `d` ≥ 1")
	return f
}

// kernel returns the kernel the flags describe; γ = 0 is resolved later
// (it needs the number of features), so the returned kernel may carry 0.
// The kernel and the flags it takes come from the registry (kernels.Lookup).
func (f *kernelFlags) kernel() (kernels.Kernel, error) {
	set := map[string]bool{}
	f.fs.Visit(func(fl *flag.Flag) { set[fl.Name] = true })
	if f.name == "" {
		return nil, usagef("-kernel is required: %s", kernels.NameList())
	}
	spec, err := kernels.Lookup(f.name)
	if err != nil {
		return nil, usagef("-kernel %q: want %s", f.name, kernels.NameList())
	}
	flags := map[string]float64{"alpha": f.alpha, "coef0": f.coef0, "gamma": f.gamma, "degree": float64(f.degree)}
	var v kernels.Values
	var takes, not []string
	for _, name := range kernels.ParamNames() {
		if _, ok := spec.Param(name); ok {
			v.Set(name, flags[name])
			takes = append(takes, "-"+name)
		} else if set[name] {
			not = append(not, "-"+name)
		}
	}
	if len(not) > 0 {
		if len(takes) == 0 {
			return nil, usagef("-kernel %s takes no parameters", f.name)
		}
		return nil, usagef("-kernel %s takes %s (not %s)", f.name, strings.Join(takes, ", "), strings.Join(not, ", "))
	}
	k := spec.New(v)
	if f.gamma < 0 || math.IsNaN(f.gamma) {
		return nil, usagef("-gamma %g: want a value > 0", f.gamma)
	}
	// γ = 0 and α = 0 are resolved by withDefaultSlope once the features
	// are known; the other parameters are checked now, with 1 standing in.
	if err := kernels.Validate(withDefaultSlope(k, 1)); err != nil {
		var pe *kernels.ParamError
		if errors.As(err, &pe) {
			return nil, &usageError{msg: fmt.Sprintf("-%s %v: want %s", strings.ToLower(pe.Field), pe.Value, pe.Want), err: err}
		}
		return nil, &usageError{msg: err.Error(), err: err}
	}
	return k, nil
}

// withDefaultSlope replaces γ = 0 (rbf, poly) and the sigmoid's α = 0 by
// 1/features: svm-train's -g 0, its default for every kernel (-t 3 -g is
// our -alpha).
func withDefaultSlope(k kernels.Kernel, nfeat int) kernels.Kernel {
	spec, v, ok := kernels.Of(k)
	if !ok {
		return k
	}
	if _, has := spec.Param("gamma"); has && v.Gamma == 0 {
		v.Gamma = 1 / float64(nfeat)
	}
	if _, has := spec.Param("alpha"); has && v.Alpha == 0 {
		v.Alpha = 1 / float64(nfeat)
	}
	return spec.New(v)
}

func kernelString(k kernels.Kernel) string {
	if s, ok := k.(fmt.Stringer); ok {
		return s.String()
	}
	return k.Name()
}

// parseWeights reads LABEL:W,LABEL:W.
func parseWeights(s string) (map[int]float64, error) {
	if strings.TrimSpace(s) == "" {
		return nil, nil
	}
	w := map[int]float64{}
	for _, part := range strings.Split(s, ",") {
		ls, ws, ok := strings.Cut(strings.TrimSpace(part), ":")
		l, err1 := strconv.Atoi(ls)
		v, err2 := strconv.ParseFloat(ws, 64)
		if !ok || err1 != nil || err2 != nil || !(v > 0) || math.IsInf(v, 1) {
			return nil, usagef("-w %q: want LABEL:WEIGHT pairs with WEIGHT finite and > 0, separated by commas", part)
		}
		w[l] = v
	}
	return w, nil
}

// trainFeatures fits the extractor on the training split when it learns
// parameters, and returns the training features.
func trainFeatures(ext features.Extractor, d *dataset.Dataset) (*matrix.Matrix, error) {
	if f, ok := ext.(features.Fitter); ok {
		if err := f.Fit(&d.Train, d.Image); err != nil {
			return nil, err
		}
	}
	return ext.Extract(&d.Train, d.Image)
}
