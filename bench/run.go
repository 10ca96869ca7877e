package bench

import (
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/svmbench/svmbench/cnn"
	"github.com/svmbench/svmbench/dataset"
	"github.com/svmbench/svmbench/features"
	"github.com/svmbench/svmbench/internal/memory"
	"github.com/svmbench/svmbench/kernels"
	"github.com/svmbench/svmbench/matrix"
	"github.com/svmbench/svmbench/svm"
)

// Model names Run accepts: SVMModel(kernel) for every registered kernel,
// and the two CNNs.
const (
	ModelCNNSigmoidLoss = "cnn-sigmoid-loss"
	ModelCNNFixed       = "cnn-fixed"
	// OldModelCNNSigmoidLoss is ModelCNNSigmoidLoss's name until November
	// 2026 (the variant was called "seed"); Run accepts it.
	OldModelCNNSigmoidLoss = "cnn-seed"
)

// defaultKernels are the kernels Run and the main job compare unless told
// otherwise: sigmoid, rbf and linear.
func defaultKernels() []string {
	return []string{kernels.Sigmoid{}.Name(), kernels.RBF{}.Name(), kernels.Linear{}.Name()}
}

// svmKernel returns the kernel of an SVM model name, and false when m is
// not "svm-" followed by a registered kernel's name.
func svmKernel(m string) (string, bool) {
	k, ok := strings.CutPrefix(m, "svm-")
	if !ok {
		return "", false
	}
	_, err := kernels.Lookup(k)
	return k, err == nil
}

// RunConfig is an experiment: every model trained on the same split and
// every feature set, then scored on the test split. The zero value of
// every field is a documented default.
type RunConfig struct {
	// Models to train: svm-sigmoid, svm-rbf, svm-linear, svm-poly,
	// cnn-sigmoid-loss (old name cnn-seed), cnn-fixed, or cnn for both CNN
	// variants. nil means
	// svm-sigmoid, svm-rbf, svm-linear.
	Models []string
	// Features are the feature sets the SVMs train on (names as
	// features.ByName takes them, or "cnn"); nil means pixels. The CNNs
	// train on the images themselves (scaled by 1/255) and are recorded
	// with features "pixels".
	Features []string
	// CNNExtractor is the "cnn" feature set (a cnn.Embedder of a saved
	// network). nil means the embeddings of the CNN this run trains
	// (cnn-fixed when both variants are trained).
	CNNExtractor features.Extractor
	// ParamsDir holds best-KERNEL-FEATURES.json files from grid searches;
	// an SVM whose best file is there trains with its parameters. Without
	// one it takes LIBSVM's defaults (what svm-train does without
	// options): γ or α = 1/d for d features, c = 0, poly degree 3, C = 1.
	ParamsDir string
	// CNN is the CNN training recipe; its zero value is the seed's (10
	// epochs, batch 100, SGD lr 0.001, momentum 0.9). Seed, when 0, is
	// taken from RunConfig.Seed. The CNNs are trained by TrainCNN, with
	// their run files and checkpoints in Out: a CNN whose run is finished
	// there (by the main job's cnn stage, or an interrupted Run) is
	// scored, not trained again.
	CNN cnn.TrainConfig
	// Seed seeds the CNN's initial weights and shuffling; recorded in the
	// manifest.
	Seed uint64
	// Tol is the SVM stopping tolerance; 0 means 1e-3.
	Tol float64
	// MemBytes bounds the SVM's kernel cache (the whole Gram matrix when it
	// fits); 0 means a quarter of physical memory.
	MemBytes int64
	// Out is the results folder: DIR/results.json is rewritten after every
	// model, and the CNNs are saved as DIR/cnn-VARIANT.cnn. "" writes
	// nothing.
	Out string
	// Resume keeps the records of an existing DIR/results.json made on the
	// same data and skips those models (a CNN is then loaded from its
	// saved file rather than retrained).
	Resume bool
	// Args is the command line, for the manifest.
	Args []string
	// Stage, when not nil, is called when a model starts training, with
	// its name and feature set; Progress then reports that model's
	// progress (SVM sub-problems, CNN samples within an epoch).
	Stage    func(model, features string)
	Progress func(done, total int64)
}

// Check reports what validate would refuse in cfg (unknown models or
// feature sets, values out of range), without changing cfg.
func (cfg RunConfig) Check() error { return cfg.validate() }

func (cfg *RunConfig) validate() error {
	if len(cfg.Models) == 0 {
		for _, k := range defaultKernels() {
			cfg.Models = append(cfg.Models, SVMModel(k))
		}
	}
	var ms []string
	for _, m := range cfg.Models {
		m = strings.TrimSpace(m)
		_, isSVM := svmKernel(m)
		switch {
		case m == "cnn":
			ms = append(ms, ModelCNNSigmoidLoss, ModelCNNFixed)
		case m == OldModelCNNSigmoidLoss:
			ms = append(ms, ModelCNNSigmoidLoss)
		case isSVM, m == ModelCNNSigmoidLoss, m == ModelCNNFixed:
			ms = append(ms, m)
		default:
			return &ConfigError{"RunConfig.Models", m, true, fmt.Sprintf("svm-KERNEL (KERNEL %s), cnn-sigmoid-loss (or cnn-seed), cnn-fixed or cnn", kernels.NameList())}
		}
	}
	// CNNs first: the "cnn" feature set may need one of them.
	slices.SortStableFunc(ms, func(a, b string) int {
		return boolInt(!strings.HasPrefix(a, "cnn-")) - boolInt(!strings.HasPrefix(b, "cnn-"))
	})
	cfg.Models = slices.Compact(ms)
	if len(cfg.Features) == 0 {
		cfg.Features = []string{"pixels"}
	}
	for _, f := range cfg.Features {
		if f == "cnn" {
			continue
		}
		if _, err := features.ByName(f); err != nil {
			return fmt.Errorf("bench: RunConfig.Features: %w", err)
		}
	}
	if cfg.Tol < 0 || math.IsNaN(cfg.Tol) {
		return fmt.Errorf("bench: RunConfig.Tol = %v: want > 0, or 0 for 1e-3", cfg.Tol)
	}
	if cfg.MemBytes < 0 {
		return fmt.Errorf("bench: RunConfig.MemBytes = %d: want ≥ 0", cfg.MemBytes)
	}
	if cfg.MemBytes == 0 {
		cfg.MemBytes = DefaultMemBytes()
	}
	if cfg.CNN.Seed == 0 {
		cfg.CNN.Seed = cfg.Seed
	}
	return nil
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// DataDigest is Results.DataSHA256: the SHA-256 of both splits' samples
// (float32 little-endian) and labels (int64 little-endian).
func DataDigest(d *dataset.Dataset) string {
	h := sha256.New()
	hashSplit(h, d.Train.X, d.Train.Y)
	hashSplit(h, d.Test.X, d.Test.Y)
	return hex.EncodeToString(h.Sum(nil))
}

// Run trains and scores every model of cfg on every feature set of cfg on
// d's split and returns the records; with cfg.Out they are also in
// DIR/results.json, rewritten after each model so an interruption keeps
// the finished ones. On cancellation it returns the finished records with
// ctx's error.
func Run(ctx context.Context, d *dataset.Dataset, cfg RunConfig) (*Results, error) {
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	if err := needSplits(d, "Run"); err != nil {
		return nil, err
	}
	r := &runner{d: d, cfg: cfg, have: map[[2]string]bool{},
		res: &Results{Manifest: NewManifest(d, cfg.Seed, cfg.Args), DataSHA256: DataDigest(d)}}
	if cfg.Out != "" {
		unlock, err := LockOut(cfg.Out)
		if err != nil {
			return nil, err
		}
		defer unlock()
		if err := r.open(); err != nil {
			return nil, err
		}
	}
	if err := r.cnns(ctx); err != nil {
		return r.res, err
	}
	return r.res, r.svms(ctx)
}

// runner is one Run: its records, the file they go to and what is done.
type runner struct {
	d    *dataset.Dataset
	cfg  RunConfig
	res  *Results
	path string             // DIR/results.json, "" without Out
	have map[[2]string]bool // model, features of the records resumed
	net  *cnn.Network       // the CNN the "cnn" feature set uses
}

// open finds DIR/results.json and, with Resume, keeps its records.
func (r *runner) open() error {
	path, old, err := openResumable(r.cfg.Out, ResultsFile, r.cfg.Resume, func(old *Results) string {
		if old.DataSHA256 == r.res.DataSHA256 {
			return ""
		}
		return fmt.Sprintf("made on other data (%d/%d samples, sha256 %.12s…; now %d/%d, %.12s…)",
			old.Manifest.TrainN, old.Manifest.TestN, old.DataSHA256, r.res.Manifest.TrainN, r.res.Manifest.TestN, r.res.DataSHA256)
	})
	if err != nil {
		return err
	}
	r.path = path
	if old != nil {
		r.res.Results = old.Results
		for _, m := range old.Results {
			r.have[[2]string{m.Model, m.Features}] = true
		}
	}
	return nil
}

// add appends a record and rewrites the results file.
func (r *runner) add(m ModelResult) error {
	r.res.Results = append(r.res.Results, m)
	if r.path == "" {
		return nil
	}
	return WriteJSON(r.path, r.res)
}

func (r *runner) stage(m, f string) {
	if r.cfg.Stage != nil {
		r.cfg.Stage(m, f)
	}
}

// useNet keeps the network the "cnn" feature set uses: the fixed
// variant's when both are there.
func (r *runner) useNet(variant string, net *cnn.Network) {
	if r.net == nil || variant == cnn.VariantFixed {
		r.net = net
	}
}

// cnns trains (or scores a finished training of) every CNN model, with
// TrainCNN.
func (r *runner) cnns(ctx context.Context) error {
	cfg := r.cfg
	for _, m := range cfg.Models {
		variant, ok := strings.CutPrefix(m, "cnn-")
		if !ok {
			continue
		}
		if r.have[[2]string{m, "pixels"}] && cfg.Out != "" {
			net, err := cnn.Load(filepath.Join(cfg.Out, "cnn-"+variant+".cnn"))
			if err == nil {
				r.useNet(variant, net)
				continue
			}
			// The record is there but the network is not: train again.
			r.res.Results = slices.DeleteFunc(r.res.Results, func(x ModelResult) bool { return x.Model == m })
		}
		r.stage(m, "pixels")
		cr, err := TrainCNN(ctx, r.d, CNNConfig{Variant: variant, Recipe: cfg.CNN, Out: cfg.Out, NoEpochTest: true,
			Args: cfg.Args, Progress: cfg.Progress})
		if err != nil {
			return err
		}
		r.useNet(variant, cr.Net)
		if err := r.add(cr.Record); err != nil {
			return err
		}
	}
	return nil
}

// svms trains and scores the SVM models, feature set by feature set.
func (r *runner) svms(ctx context.Context) error {
	for _, fname := range r.cfg.Features {
		var todo []string
		for _, m := range r.cfg.Models {
			if strings.HasPrefix(m, "svm-") && !r.have[[2]string{m, fname}] {
				todo = append(todo, m)
			}
		}
		if len(todo) == 0 {
			continue
		}
		ext, err := r.cfg.extractor(fname, r.net)
		if err != nil {
			return err
		}
		train, test, err := features.Apply(ext, r.d)
		if err != nil {
			return err
		}
		for _, m := range todo {
			if err := ctx.Err(); err != nil {
				return err
			}
			r.stage(m, fname)
			rec, err := runSVM(ctx, r.d, train, test, m, fname, r.cfg)
			if err != nil {
				return err
			}
			if err := r.add(rec); err != nil {
				return err
			}
		}
	}
	return nil
}

func (cfg *RunConfig) extractor(name string, net *cnn.Network) (features.Extractor, error) {
	if name != "cnn" {
		return features.ByName(name)
	}
	if cfg.CNNExtractor != nil {
		return cfg.CNNExtractor, nil
	}
	if net == nil {
		return nil, fmt.Errorf("bench: the cnn feature set needs a trained CNN: give RunConfig.CNNExtractor (-cnn-model FILE) or train one in this run (-models cnn-fixed)")
	}
	return cnn.NewEmbedder(net)
}

// SVMParams returns the parameters an SVM model trains with on features
// fname of dimension dim: from DIR/best-KERNEL-FEATURES.json when
// paramsDir has one, else LIBSVM's defaults. The cell is nil for defaults.
func SVMParams(model, fname string, dim int, paramsDir string) (GridCell, bool, error) {
	kernel := strings.TrimPrefix(model, "svm-")
	if paramsDir != "" {
		var b Best
		err := ReadJSON(filepath.Join(paramsDir, BestFile(kernel, fname)), &b)
		if err == nil {
			if b.Cell.Kernel != kernel {
				return GridCell{}, false, fmt.Errorf("bench: %s holds a %s cell", BestFile(kernel, fname), b.Cell.Kernel)
			}
			return b.Cell, true, nil
		}
		if !errors.Is(err, fs.ErrNotExist) {
			return GridCell{}, false, err
		}
	}
	spec, err := kernels.Lookup(kernel)
	if err != nil {
		return GridCell{}, false, fmt.Errorf("bench: model %s: %w", model, err)
	}
	c := GridCell{Kernel: kernel, Features: fname, C: 1}
	v := spec.Defaults(dim)
	c.Alpha, c.Gamma, c.Coef0, c.Degree = v.Alpha, v.Gamma, v.Coef0, v.Degree
	return c, false, nil
}

// cellParams are a cell's parameters for ModelResult.Params: the kernel's
// (by their names in kernels.Spec) and C.
func cellParams(c GridCell) map[string]float64 {
	p := map[string]float64{"C": c.C}
	if spec, err := kernels.Lookup(c.Kernel); err == nil {
		for _, name := range spec.ParamNames() {
			p[name] = c.Param(name)
		}
	}
	return p
}

// svmCacheMB is the kernel cache of one SVM training on n samples within
// memBytes (0 means DefaultMemBytes: the trials and cost stages pass
// their config's zero through, which once gave their SVMs a 1 MiB cache
// and made a 5000-image fit 100 times slower): the whole Gram matrix and
// an eighth more when it fits, else the budget; at least 1 MiB.
func svmCacheMB(n int, memBytes int64) float64 {
	if memBytes <= 0 {
		memBytes = DefaultMemBytes()
	}
	return max(float64(min(memBytes, matrix.Bytes(n, n)+matrix.Bytes(n, n)/8))/(1<<20), 1)
}

// trainSVM trains model (svm-KERNEL) with cell's parameters and measures
// it.
func trainSVM(ctx context.Context, x *matrix.Matrix, y []int, c GridCell, tol float64, memBytes int64, progress func(done, total int64)) (*svm.Model, float64, memory.Peak, error) {
	kern, err := CellKernel(c)
	if err != nil {
		return nil, 0, memory.Peak{}, err
	}
	cache := svmCacheMB(x.Rows, memBytes)
	var m *svm.Model
	var secs float64
	peak, err := memory.Measure(func() error {
		t0 := time.Now()
		var err error
		m, err = svm.Train(ctx, x, y, svm.Params{Kernel: kern, C: c.C, Tol: tol, CacheMB: cache, Progress: progress})
		secs = time.Since(t0).Seconds()
		return err
	})
	return m, secs, peak, err
}

func runSVM(ctx context.Context, d *dataset.Dataset, train, test *matrix.Matrix, model, fname string, cfg RunConfig) (ModelResult, error) {
	c, _, err := SVMParams(model, fname, train.Cols, cfg.ParamsDir)
	if err != nil {
		return ModelResult{}, err
	}
	m, secs, peak, err := trainSVM(ctx, train, d.Train.Y, c, cfg.Tol, cfg.MemBytes, cfg.Progress)
	if err != nil {
		return ModelResult{}, fmt.Errorf("bench: %s on %s: %w", model, fname, err)
	}
	t0 := time.Now()
	pred, err := m.Predict(nil, test)
	if err != nil {
		return ModelResult{}, fmt.Errorf("bench: %s on %s: %w", model, fname, err)
	}
	r := ModelResult{Model: model, Features: fname, Params: cellParams(c), TrainSeconds: secs,
		PredictSeconds: time.Since(t0).Seconds(), NSV: m.NSV(), PeakHeapBytes: peak.HeapBytes, PeakRSSBytes: peak.RSSBytes, Capped: m.Capped()}
	score(&r, d, pred)
	return r, nil
}

// needSplits refuses a data set without training or test samples (a
// LIBSVM data set read from one file has no test split): its scores would
// be 0 of 0.
func needSplits(d *dataset.Dataset, what string) error {
	if d.Train.Len() == 0 || d.Test.Len() == 0 {
		return fmt.Errorf("bench: %s: the data has %d training and %d test samples; it scores models on a test split (for LIBSVM files: libsvm:TRAIN,TEST)", what, d.Train.Len(), d.Test.Len())
	}
	return nil
}

// score fills accuracy, per-class accuracy, class names and the confusion
// matrix of r from the predictions (labels) of d's test split, in
// d.Classes order (see Confusion).
func score(r *ModelResult, d *dataset.Dataset, pred []int) {
	labels := make([]int, len(d.Classes))
	r.Classes = make([]string, len(d.Classes))
	for i, c := range d.Classes {
		labels[i], r.Classes[i] = c.Label, c.Name
	}
	r.Confusion = Confusion(labels, d.Test.Y, pred)
	r.Accuracy = accuracy(pred, d.Test.Y)
	r.PerClassAccuracy = make([]float64, len(labels))
	for i, row := range r.Confusion {
		n := 0
		for _, v := range row {
			n += v
		}
		if n > 0 {
			r.PerClassAccuracy[i] = float64(row[i]) / float64(n)
		}
	}
}

// Confusion is the one confusion-matrix convention of svmbench: m[i][j]
// counts the samples whose true label is labels[i] and whose predicted
// label is labels[j]. Rows are true classes, columns predicted ones, both
// in the order of labels (for results files, d.Classes order); samples
// whose true or predicted label is not in labels are not counted. truth
// and pred are labels (not class indices).
func Confusion(labels, truth, pred []int) [][]int {
	index := make(map[int]int, len(labels))
	for i, l := range labels {
		index[l] = i
	}
	m := make([][]int, len(labels))
	for i := range m {
		m[i] = make([]int, len(labels))
	}
	for i, p := range pred {
		t, ok1 := index[truth[i]]
		q, ok2 := index[p]
		if ok1 && ok2 {
			m[t][q]++
		}
	}
	return m
}

// ScalingConfig is a scaling run: SVMs trained on balanced training
// subsets of increasing size and scored on one fixed test subset.
type ScalingConfig struct {
	// Models as RunConfig.Models (SVMs only); nil means svm-sigmoid,
	// svm-rbf, svm-linear.
	Models []string
	// Features is the one feature set; "" means pixels. "cnn" needs
	// CNNExtractor.
	Features     string
	CNNExtractor features.Extractor
	// Sizes are the training sizes n, e.g. 1000, 2000, 5000.
	Sizes []int
	// TestN is the test subset size; 0 means 1000 (or all when fewer).
	TestN int
	// ParamsDir, Tol, MemBytes, Seed, Out, Args, Stage and Progress as
	// in RunConfig. Out receives DIR/scaling.json, rewritten after every
	// point; Resume keeps points already there (same data and test set).
	ParamsDir string
	Tol       float64
	MemBytes  int64
	Seed      uint64
	Out       string
	Resume    bool
	Args      []string
	Stage     func(model string, n int)
	Progress  func(done, total int64)
}

// RunScaling measures train and predict time against the training size n.
// The parameters of each model are those Run would use (best files in
// ParamsDir, else LIBSVM's defaults) at every n.
func RunScaling(ctx context.Context, d *dataset.Dataset, cfg ScalingConfig) (*Scaling, error) {
	rc, ext, err := cfg.check(d)
	if err != nil {
		return nil, err
	}
	if err := needSplits(d, "RunScaling"); err != nil {
		return nil, err
	}
	rc.Progress = cfg.Progress
	testN := cfg.TestN
	if testN == 0 {
		testN = min(1000, d.Test.Len())
	}
	base, err := d.Balanced(0, testN, rand.New(rand.NewPCG(cfg.Seed, 0x7465737473))) // "tests"
	if err != nil {
		return nil, fmt.Errorf("bench: %w", err)
	}
	fname := rc.Features[0]
	out := &Scaling{Manifest: NewManifest(base, cfg.Seed, cfg.Args), DataSHA256: DataDigest(base)}
	var path string
	have := map[string]bool{}
	key := func(m string, n int) string { return fmt.Sprintf("%s/%d", m, n) }
	if cfg.Out != "" {
		unlock, err := LockOut(cfg.Out)
		if err != nil {
			return nil, err
		}
		defer unlock()
		if path, err = openScaling(cfg, out); err != nil {
			return nil, err
		}
		for _, p := range out.Points {
			if p.Features == fname {
				have[key(p.Model, p.N)] = true
			}
		}
	}
	for _, n := range cfg.Sizes {
		sub, err := base.Balanced(n, 0, rand.New(rand.NewPCG(cfg.Seed, uint64(n))))
		if err != nil {
			return out, fmt.Errorf("bench: %w", err)
		}
		var train, test *matrix.Matrix
		for _, m := range rc.Models {
			if have[key(m, n)] {
				continue
			}
			if err := ctx.Err(); err != nil {
				return out, err
			}
			if train == nil {
				if train, test, err = features.Apply(ext, sub); err != nil {
					return out, err
				}
			}
			if cfg.Stage != nil {
				cfg.Stage(m, n)
			}
			p, err := scalingPoint(ctx, sub, train, test, m, fname, cfg.ParamsDir, rc)
			if err != nil {
				return out, err
			}
			out.Points = append(out.Points, p)
			if path != "" {
				if err := WriteJSON(path, out); err != nil {
					return out, err
				}
			}
		}
	}
	return out, nil
}

// openResumable returns the path of the results file name in dir (made if
// need be) and the results a previous run left there, if any. A previous
// file is refused unless resume is set and mismatch, given it, returns ""
// (it says why the file cannot be resumed otherwise).
func openResumable[T any](dir, name string, resume bool, mismatch func(old *T) string) (string, *T, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", nil, fmt.Errorf("bench: %w", err)
	}
	path := filepath.Join(dir, name)
	old := new(T)
	err := ReadJSON(path, old)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return path, nil, nil
	case err != nil:
		return "", nil, err
	case !resume:
		return "", nil, fmt.Errorf("bench: %s: %w", path, ErrExists)
	}
	if why := mismatch(old); why != "" {
		return "", nil, fmt.Errorf("bench: cannot resume: %w", &MismatchError{File: path, Why: why})
	}
	return path, old, nil
}

// check validates a scaling run on d and returns it as the RunConfig whose
// defaults it shares, with the extractor of its feature set.
func (cfg *ScalingConfig) check(d *dataset.Dataset) (RunConfig, features.Extractor, error) {
	rc := RunConfig{Models: cfg.Models, Features: []string{cmp.Or(cfg.Features, "pixels")}, Tol: cfg.Tol, MemBytes: cfg.MemBytes}
	if err := rc.validate(); err != nil {
		return rc, nil, err
	}
	for _, m := range rc.Models {
		if !strings.HasPrefix(m, "svm-") {
			return rc, nil, fmt.Errorf("bench: ScalingConfig.Models has %q: scaling runs SVMs only", m)
		}
	}
	if len(cfg.Sizes) == 0 {
		return rc, nil, fmt.Errorf("bench: ScalingConfig.Sizes is empty: want training sizes such as 1000,2000,5000")
	}
	for _, n := range cfg.Sizes {
		if n < 2*len(d.Classes) || n > d.Train.Len() {
			return rc, nil, fmt.Errorf("bench: ScalingConfig.Sizes has %d: want %d to %d (two a class up to the training split)", n, 2*len(d.Classes), d.Train.Len())
		}
	}
	if rc.Features[0] != "cnn" {
		ext, err := features.ByName(rc.Features[0])
		return rc, ext, err
	}
	if cfg.CNNExtractor == nil {
		return rc, nil, fmt.Errorf("bench: scaling on the cnn feature set needs ScalingConfig.CNNExtractor (-cnn-model FILE)")
	}
	return rc, cfg.CNNExtractor, nil
}

// scalingPoint trains model m on sub's training features and scores it on
// its test features.
func scalingPoint(ctx context.Context, sub *dataset.Dataset, train, test *matrix.Matrix, m, fname, paramsDir string, rc RunConfig) (ScalingPoint, error) {
	n := sub.Train.Len()
	c, _, err := SVMParams(m, fname, train.Cols, paramsDir)
	if err != nil {
		return ScalingPoint{}, err
	}
	model, secs, peak, err := trainSVM(ctx, train, sub.Train.Y, c, rc.Tol, rc.MemBytes, rc.Progress)
	if err != nil {
		return ScalingPoint{}, fmt.Errorf("bench: %s on %d samples: %w", m, n, err)
	}
	t0 := time.Now()
	pred, err := model.Predict(nil, test)
	if err != nil {
		return ScalingPoint{}, err
	}
	return ScalingPoint{Model: m, Features: fname, N: n, TestN: len(pred),
		TrainSeconds: secs, PredictSeconds: time.Since(t0).Seconds(), Accuracy: accuracy(pred, sub.Test.Y),
		NSV: model.NSV(), Params: cellParams(c), PeakHeapBytes: peak.HeapBytes, PeakRSSBytes: peak.RSSBytes}, nil
}

// openScaling finds DIR/scaling.json and, with Resume, keeps its points in
// out (when made on the same data).
func openScaling(cfg ScalingConfig, out *Scaling) (string, error) {
	path, old, err := openResumable(cfg.Out, ScalingFile, cfg.Resume, func(old *Scaling) string {
		if old.DataSHA256 == out.DataSHA256 {
			return ""
		}
		return "made on other data"
	})
	if err == nil && old != nil {
		out.Points = old.Points
	}
	return path, err
}
