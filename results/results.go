package results

import (
	"github.com/svmbench/svmbench/dataset"
	"github.com/svmbench/svmbench/kernels"
)

// This file defines every results file svmbench writes. Their JSON field
// names are the documented format (FORMATS.md at the module root).
// Accuracies are fractions in [0, 1], times are seconds, memory is bytes.

// Manifest says how a results file was produced, so a number can be traced
// to the run, machine and data that produced it.
type Manifest struct {
	Version     string            `json:"svmbench_version"`
	GoVersion   string            `json:"go_version"`
	GOOS        string            `json:"goos"`
	GOARCH      string            `json:"goarch"`
	CPU         string            `json:"cpu"`
	GOMAXPROCS  int               `json:"gomaxprocs"`
	BLAS        string            `json:"blas"` // "gonum" or "openblas"
	DataSource  string            `json:"data_source"`
	DataFiles   []dataset.FileSum `json:"data_files,omitempty"`
	TrainN      int               `json:"train_n"`
	TestN       int               `json:"test_n"`
	Seed        uint64            `json:"seed"`
	CommandLine []string          `json:"command_line"`
	Started     string            `json:"started"` // RFC 3339
}

// GridCell is one line of DIR/grid-KERNEL-FEATURES.jsonl: one parameter
// setting, cross-validated. Parameters a kernel does not use are 0.
type GridCell struct {
	Index        int       `json:"cell"` // position in the grid's deterministic cell order
	Kernel       string    `json:"kernel"`
	Features     string    `json:"features"`
	Alpha        float64   `json:"alpha"`
	Coef0        float64   `json:"coef0"`
	Gamma        float64   `json:"gamma"`
	Degree       int       `json:"degree"`
	C            float64   `json:"C"`
	Folds        int       `json:"folds"`
	FoldAccuracy []float64 `json:"fold_accuracy"`
	CVAccuracy   float64   `json:"cv_accuracy"`
	Seconds      float64   `json:"seconds"`
	NSV          float64   `json:"n_sv"` // mean over folds
	Capped       bool      `json:"capped"`
	// Failed says why the cell could not be cross-validated (a fold's fit
	// failed: kernel values that are not finite, float32 overflowing
	// past 3.4e38), "" for a scored cell. A failed cell has no fold
	// accuracies and cv_accuracy 0, never ranks above a scored one
	// (Better) and is never the best (BestCell); it is journalled like the
	// others, so a resumed grid does not run it again (its parameters and
	// data would fail the same way).
	Failed   string   `json:"failed,omitempty"`
	MinEigen *float64 `json:"min_eigen,omitempty"` // with -psd
	// MinEigenCPD (with -psd) is the smallest eigenvalue of the same
	// sample's kernel matrix K on the subspace Σu = 0: min uᵀKu over unit
	// u with Σu = 0. It is ≥ 0 exactly when K is conditionally positive
	// semi-definite, which (not MinEigen ≥ 0) is what makes the SVM's dual
	// convex; a constant added to K leaves it unchanged. Absent in results
	// written before it existed.
	MinEigenCPD *float64 `json:"min_eigen_cpd,omitempty"`
	// SMOIter is the SMO iterations of all the cell's fits (every binary
	// sub-problem of every fold); WarmStart says they were seeded from
	// neighbouring fits (alpha seeding) rather than started from α = 0.
	SMOIter   int  `json:"smo_iter,omitempty"`
	WarmStart bool `json:"warm_start,omitempty"`
	// SeededPairs counts the binary sub-problems of the cell's fits that
	// were started from a neighbouring fit's solution: alpha seeding seeds
	// convex pairs only, the others start from α = 0.
	SeededPairs int `json:"seeded_pairs,omitempty"`
	// Why says why an adaptive search (bayes, halving) chose the cell,
	// e.g. "initial design: …", "expected improvement …" or "rung 2 of 3:
	// n=333, survivor of rung 1 (rank 3 of 36)".
	Why string `json:"why,omitempty"`
	// Rung is the successive-halving rung (1-based) the cell was
	// evaluated on, and RungN the training images of that rung (the CV
	// ran on a nested stratified subset of RungN of them); both 0 for
	// the other searches. The same setting appears once per rung it
	// reached, each with its own cell index.
	Rung  int `json:"rung,omitempty"`
	RungN int `json:"rung_n,omitempty"`
	// Spec is the SpecDigest of the grid spec the cell was run under, so
	// that a journal is never read under a spec edited, or copied from
	// another run, since (another seed gives other folds, another tol
	// other fits, and neither shows in the cell). Absent in journals
	// written before 7 December 2026, which are read unchecked.
	Spec string `json:"spec,omitempty"`
}

// Values returns the cell's kernel parameters.
func (c GridCell) Values() kernels.Values {
	return kernels.Values{Alpha: c.Alpha, Gamma: c.Gamma, Coef0: c.Coef0, Degree: c.Degree}
}

// Param returns the parameter called name: "C" or one of the kernel
// parameters of kernels.Values.
func (c GridCell) Param(name string) float64 {
	if name == "C" {
		return c.C
	}
	return c.Values().Get(name)
}

// SetParam sets the parameter called name: "C" or one of the kernel
// parameters of kernels.Values.
func (c *GridCell) SetParam(name string, v float64) {
	if name == "C" {
		c.C = v
		return
	}
	kv := c.Values()
	kv.Set(name, v)
	c.Alpha, c.Gamma, c.Coef0, c.Degree = kv.Alpha, kv.Gamma, kv.Coef0, kv.Degree
}

// Best is DIR/best-KERNEL-FEATURES.json: the best cell of a grid, the
// model retrained on all training data with its parameters, and that
// model's test accuracy.
type Best struct {
	Manifest     Manifest `json:"manifest"`
	Cell         GridCell `json:"cell"`
	GridCells    int      `json:"grid_cells"`
	Model        string   `json:"model"` // path of the saved model, relative to the results folder
	TestAccuracy float64  `json:"test_accuracy"`
	TrainSeconds float64  `json:"train_seconds"`
	NSV          int      `json:"n_sv"`
	// Memory peaks while the best cell was retrained, as in ModelResult.
	PeakHeapBytes uint64 `json:"peak_heap_bytes,omitempty"`
	PeakRSSBytes  uint64 `json:"peak_rss_bytes,omitempty"`
	// Retrained is false when the best cell was not retrained (a grid run
	// with NoRetrain): Model, TestAccuracy, TrainSeconds and NSV are then
	// empty.
	Retrained bool `json:"retrained"`
}

// ModelResult is one model × features record of DIR/results.json.
type ModelResult struct {
	Model            string             `json:"model"`    // "svm-sigmoid", "svm-rbf", "svm-linear", "cnn-sigmoid-loss" ("cnn-seed" in older files), "cnn-fixed"
	Features         string             `json:"features"` // "pixels", "hog", "cnn", ...
	Params           map[string]float64 `json:"params"`   // alpha, coef0, gamma, degree, C, epochs, ...
	Accuracy         float64            `json:"accuracy"`
	PerClassAccuracy []float64          `json:"per_class_accuracy"`
	Classes          []string           `json:"classes"`
	Confusion        [][]int            `json:"confusion"` // [true][predicted] counts, classes in Classes order (see Confusion)
	TrainSeconds     float64            `json:"train_seconds"`
	PredictSeconds   float64            `json:"predict_seconds"`
	NSV              int                `json:"n_sv"`
	PeakHeapBytes    uint64             `json:"peak_heap_bytes"`          // Go heap peak while training (internal/memory)
	PeakRSSBytes     uint64             `json:"peak_rss_bytes,omitempty"` // process peak RSS while training (VmHWM; internal/memory)
	Capped           bool               `json:"capped,omitempty"`         // an SVM sub-problem stopped at the iteration cap
}

// Results is DIR/results.json.
type Results struct {
	Manifest Manifest      `json:"manifest"`
	Results  []ModelResult `json:"results"`
	// DataSHA256 identifies the split (bench.DataDigest); resume checks it.
	DataSHA256 string `json:"data_sha256,omitempty"`
}

// ScalingPoint is one model trained on N samples.
type ScalingPoint struct {
	Model          string  `json:"model"`
	Features       string  `json:"features"`
	N              int     `json:"n"`
	TestN          int     `json:"test_n"`
	TrainSeconds   float64 `json:"train_seconds"`
	PredictSeconds float64 `json:"predict_seconds"`
	Accuracy       float64 `json:"accuracy"`
	NSV            int     `json:"n_sv"`
	// Memory peaks while the model trained, as in ModelResult.
	PeakHeapBytes uint64 `json:"peak_heap_bytes,omitempty"`
	PeakRSSBytes  uint64 `json:"peak_rss_bytes,omitempty"`
	// Params are the model's parameters, as in ModelResult.
	Params map[string]float64 `json:"params,omitempty"`
}

// Scaling is DIR/scaling.json.
type Scaling struct {
	Manifest Manifest       `json:"manifest"`
	Points   []ScalingPoint `json:"points"`
	// DataSHA256 identifies the data (bench.DataDigest); resume checks it.
	DataSHA256 string `json:"data_sha256,omitempty"`
}

// CNNEpoch is one epoch of a CNN training run.
type CNNEpoch struct {
	Epoch        int     `json:"epoch"` // 1-based
	TrainLoss    float64 `json:"train_loss"`
	TestAccuracy float64 `json:"test_accuracy"`
	Seconds      float64 `json:"seconds"`
}

// CNNRun is DIR/cnn-VARIANT.json.
type CNNRun struct {
	Manifest  Manifest           `json:"manifest"`
	Variant   string             `json:"variant"` // "sigmoid-loss" ("seed" in older files) or "fixed"
	Params    map[string]float64 `json:"params"`  // lr, momentum, batch, epochs
	Epochs    []CNNEpoch         `json:"epochs"`
	Model     string             `json:"model,omitempty"` // saved network, if any
	Confusion [][]int            `json:"confusion,omitempty"`
	Classes   []string           `json:"classes,omitempty"`
	// Memory peaks of the training (internal/memory), the largest over
	// the runs that trained its epochs.
	PeakHeapBytes uint64 `json:"peak_heap_bytes,omitempty"`
	PeakRSSBytes  uint64 `json:"peak_rss_bytes,omitempty"`
}

// GridSpec is DIR/grid-KERNEL-FEATURES.spec.json, written when a grid
// starts: what the grid is and which data it runs on. Resume and merge
// compare specs and refuse cells of a different grid or data.
type GridSpec struct {
	Kernel   string `json:"kernel"`
	Features string `json:"features"`
	Search   string `json:"search"`           // "grid", "random", "bayes" or "halving"
	Trials   int    `json:"trials,omitempty"` // random and bayes search
	Batch    int    `json:"batch,omitempty"`  // bayes search: cells proposed at once
	// Eta is the halving search's factor: each rung keeps the best 1/Eta
	// of its cells and gives them Eta times as many training images.
	Eta float64 `json:"eta,omitempty"`
	// SearchSeed seeds the random and bayes proposals and the halving
	// subsets when not 0 (else Seed).
	SearchSeed uint64    `json:"search_seed,omitempty"`
	Alpha      SpecRange `json:"alpha"`
	Coef0      SpecRange `json:"coef0"`
	Gamma      SpecRange `json:"gamma"`
	C          SpecRange `json:"C"`
	Degree     int       `json:"degree"`
	Folds      int       `json:"folds"`
	Seed       uint64    `json:"seed"`
	MaxIter    int       `json:"max_iter"` // per binary fit; 0 = solver default
	Tol        float64   `json:"tol"`
	PSD        bool      `json:"psd"`
	PSDSample  int       `json:"psd_sample,omitempty"`
	Cells      int       `json:"cells"` // cells in the whole grid (all shards)
	// Extend is the most steps the grid may add beyond each edge of a
	// range while its best cell lies on that edge (bench.GridConfig.Extend);
	// the cells it adds follow the grid's Cells in the journal.
	Extend int `json:"extend,omitempty"`
	Shard  int `json:"shard"`  // this file's shard, 0-based
	Shards int `json:"shards"` // 1 for an unsharded or merged grid
	TrainN int `json:"train_n"`
	// TrainSHA256 is the SHA-256 of the training feature matrix (float32
	// little-endian, row-major) followed by the labels (int64
	// little-endian): the same data and features give the same digest on
	// any machine.
	TrainSHA256 string   `json:"train_sha256"`
	Manifest    Manifest `json:"manifest"`
}

// SpecRange is a parameter range of a GridSpec: as written and expanded.
type SpecRange struct {
	Text   string    `json:"text"`
	Kind   string    `json:"kind"` // "list", "linear" or "pow2"
	Values []float64 `json:"values"`
}
