package features

import (
	"github.com/svmbench/svmbench/dataset"
	"github.com/svmbench/svmbench/matrix"
)

// Extractor turns samples into feature vectors, one row per sample.
// Implementations outside this package (cnn's embeddings) satisfy it too.
type Extractor interface {
	// Name is the short name used in reports and file names ("pixels", "hog").
	Name() string
	// Extract returns the feature matrix of s, one row per sample of s.
	// img is the shape of the samples when they are images, nil otherwise;
	// extractors that need images return an error when it is nil.
	Extract(s *dataset.Split, img *dataset.ImageShape) (*matrix.Matrix, error)
}

// Fitter is implemented by extractors that learn parameters from data
// (standardisation). Fit is called once, on the whole training split, and
// the fitted parameters are then applied unchanged to validation folds and
// test data.
type Fitter interface {
	Fit(train *dataset.Split, img *dataset.ImageShape) error
}
