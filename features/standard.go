package features

import (
	"fmt"
	"math"

	"github.com/svmbench/svmbench/dataset"
	"github.com/svmbench/svmbench/matrix"
)

// Standard standardises every feature to zero mean and unit variance:
// z_j = (x_j − μ_j) / σ_j, where x is pixels/255 for images (the values
// unchanged otherwise) and μ_j, σ_j are the mean and the population
// standard deviation (divisor n, as scikit-learn's StandardScaler) of
// feature j over the training split that Fit sees. A feature that is
// constant on the training split (σ_j = 0) is only centred: its σ_j is
// recorded as 1, so it maps to 0 on training data and to x_j − μ_j
// elsewhere. Statistics are accumulated in float64.
//
// The zero value is ready to Fit; Extract before Fit returns ErrNotFitted.
// Fit once, on the whole training split, then Extract training, validation
// and test data with the same fitted values.
type Standard struct {
	// Mean and Std are μ and σ per feature, set by Fit (Std is 1 for
	// constant features).
	Mean []float64 `json:"mean"`
	Std  []float64 `json:"std"`
	// Images is true when fitted on images (values scaled by 1/255).
	// The three fields are what a saved model records (encoding/json), so
	// that prediction applies them without the training data.
	Images bool `json:"images"`
}

var (
	_ Extractor = (*Standard)(nil)
	_ Fitter    = (*Standard)(nil)
)

func (*Standard) Name() string { return "standard" }

// Fit computes the mean and standard deviation of every feature of train.
func (st *Standard) Fit(train *dataset.Split, img *dataset.ImageShape) error {
	if err := checkSplit("standard", train, img); err != nil {
		return err
	}
	n, d := train.X.Dims()
	if n == 0 {
		return fmt.Errorf("features: standard: cannot fit on an empty training split")
	}
	scale := 1.0
	if img != nil {
		scale = 1.0 / 255
	}
	workers := workerCount(n)
	// Pass 1: sums, minima and maxima per worker, then reduced.
	sums := make([][]float64, workers)
	mins := make([][]float32, workers)
	maxs := make([][]float32, workers)
	parallelRows(n, workers, func(w, lo, hi int) {
		sum, mn, mx := make([]float64, d), make([]float32, d), make([]float32, d)
		copy(mn, train.X.Row(lo))
		copy(mx, train.X.Row(lo))
		for i := lo; i < hi; i++ {
			for j, v := range train.X.Row(i) {
				sum[j] += float64(v)
				mn[j] = min(mn[j], v)
				mx[j] = max(mx[j], v)
			}
		}
		sums[w], mins[w], maxs[w] = sum, mn, mx
	})
	mean := make([]float64, d)
	constant := make([]bool, d)
	for j := range mean {
		s, mn, mx := 0.0, mins[0][j], maxs[0][j]
		for w := range workers {
			s += sums[w][j]
			mn, mx = min(mn, mins[w][j]), max(mx, maxs[w][j])
		}
		mean[j] = s / float64(n)
		if mn == mx {
			// Exactly constant: take the value itself as the mean, so
			// the training data maps to exactly 0.
			constant[j] = true
			mean[j] = float64(mn)
		}
	}
	// Pass 2: sums of squared deviations (two passes are accurate where
	// E[x²]−E[x]² cancels).
	parallelRows(n, workers, func(w, lo, hi int) {
		ss := sums[w]
		clear(ss)
		for i := lo; i < hi; i++ {
			for j, v := range train.X.Row(i) {
				dv := float64(v) - mean[j]
				ss[j] += dv * dv
			}
		}
	})
	std := make([]float64, d)
	for j := range std {
		if constant[j] {
			std[j] = 1
			mean[j] *= scale
			continue
		}
		s := 0.0
		for w := range workers {
			s += sums[w][j]
		}
		std[j] = math.Sqrt(s/float64(n)) * scale
		mean[j] *= scale
		if std[j] == 0 { // underflow of a tiny spread: treat as constant
			std[j] = 1
		}
	}
	st.Mean, st.Std, st.Images = mean, std, img != nil
	return nil
}

// Extract returns (x·s − μ)/σ for every sample of s, s = 1/255 for images
// and 1 otherwise.
func (st *Standard) Extract(s *dataset.Split, img *dataset.ImageShape) (*matrix.Matrix, error) {
	if st.Mean == nil {
		return nil, ErrNotFitted
	}
	if err := checkSplit("standard", s, img); err != nil {
		return nil, err
	}
	n, d := s.X.Dims()
	if d != len(st.Mean) {
		return nil, fmt.Errorf("features: standard: fitted on %d features, data has %d", len(st.Mean), d)
	}
	if (img != nil) != st.Images {
		return nil, fmt.Errorf("features: standard: fitted on %s, applied to %s", kind(st.Images), kind(img != nil))
	}
	scale := 1.0
	if st.Images {
		scale = 1.0 / 255
	}
	// z = x·a + b with a = s/σ, b = −μ/σ, per feature.
	a, b := make([]float64, d), make([]float64, d)
	for j := range a {
		a[j] = scale / st.Std[j]
		b[j] = -st.Mean[j] / st.Std[j]
	}
	out := matrix.New(n, d)
	parallelRows(n, workerCount(n), func(_, lo, hi int) {
		for i := lo; i < hi; i++ {
			dst := out.Row(i)
			for j, v := range s.X.Row(i) {
				dst[j] = float32(float64(v)*a[j] + b[j])
			}
		}
	})
	return out, nil
}

func kind(images bool) string {
	if images {
		return "images"
	}
	return "non-image data"
}
