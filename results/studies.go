package results

import "fmt"

// TrialsFile is the results file of RunTrials.
const TrialsFile = "trials.json"

// TrialsVersion is the version of trials.json's format; reports refuses
// other versions.
const TrialsVersion = 1

// Studies of a trial.
const (
	StudyCurve  = "curve"  // learning curve and repeats: clean data, n and repeat vary
	StudyLabels = "labels" // training labels flipped with probability Noise
	StudyPixels = "pixels" // Gaussian noise of σ = Noise (on [0, 1]) added to every pixel
)

// Trial is one model trained on one training subset and scored on the
// fixed test subset of its Trials file: an SVM, or a CNN (Model
// "cnn-VARIANT", NSV 0, Params its recipe), either the cnn stage's network
// scored there or one trained by the noise studies.
type Trial struct {
	Study    string             `json:"study"`
	Model    string             `json:"model"`
	Features string             `json:"features"`
	Params   map[string]float64 `json:"params"`
	N        int                `json:"n"`      // training images
	Repeat   int                `json:"repeat"` // 0-based; other subsets (and noise draws) per repeat
	Noise    float64            `json:"noise"`  // flip probability (labels) or σ (pixels); 0 for curve
	Accuracy float64            `json:"accuracy"`
	// Correct has one byte per test image, '1' where the model was right:
	// the paired tests compare two models image by image.
	Correct      string  `json:"correct"`
	TrainSeconds float64 `json:"train_seconds"`
	NSV          int     `json:"n_sv"`
	Capped       bool    `json:"capped,omitempty"`
}

// Key identifies a trial within its file.
func (t Trial) Key() string {
	return fmt.Sprintf("%s/%s/%s/%d/%d/%g", t.Study, t.Model, t.Features, t.N, t.Repeat, t.Noise)
}

// Trials is DIR/trials.json.
type Trials struct {
	Version  int      `json:"version"`
	Manifest Manifest `json:"manifest"`
	// TestN and TestSHA256 identify the test subset every trial is
	// scored on (DataDigest of it).
	TestN      int     `json:"test_n"`
	TestSHA256 string  `json:"test_sha256"`
	Trials     []Trial `json:"trials"`
}

// CostFile is the results file of RunCost.
const CostFile = "cost.json"

// KernelCost is what one kernel costs in the Gram engine and in training.
type KernelCost struct {
	Model  string             `json:"model"`
	Params map[string]float64 `json:"params"`
	// MapNsPerValue is the elementwise map alone (tanh, exp, identity) per
	// kernel value, from stored inner products (kernels.DotGram.Gram):
	// the fastest of the repeats, in nanoseconds of wall time.
	MapNsPerValue float64 `json:"map_ns_per_value"`
	// GramNsPerValue is the whole n×n Gram matrix through the engine
	// (inner products and map fused, kernels.Engine.Gram) per value.
	GramNsPerValue float64 `json:"gram_ns_per_value"`
	// MapShareOfGram is MapNsPerValue / GramNsPerValue.
	MapShareOfGram float64 `json:"map_share_of_gram"`
	// TrainSeconds is the SVM trained on the same n images with these
	// parameters; MapShareOfTrain is the map of all n² values over it: the
	// map's share of training if the solver computed every value once.
	TrainSeconds    float64 `json:"train_seconds"`
	MapShareOfTrain float64 `json:"map_share_of_train"`
}

// Cost is DIR/cost.json.
type Cost struct {
	Manifest Manifest `json:"manifest"`
	N        int      `json:"n"`
	Dim      int      `json:"dim"`
	Repeats  int      `json:"repeats"`
	// DotNsPerValue is the n×n inner products alone (kernels.NewDotGram)
	// per value, the fastest of the repeats.
	DotNsPerValue float64      `json:"dot_ns_per_value"`
	Kernels       []KernelCost `json:"kernels"`
}
