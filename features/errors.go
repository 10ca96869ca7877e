package features

import (
	"errors"
	"fmt"

	"github.com/svmbench/svmbench/dataset"
)

// ErrNeedsImages is wrapped by the errors of extractors that work on
// images (gray, hog) when the data set has no image shape, e.g. LIBSVM
// text data.
var ErrNeedsImages = errors.New("features: feature set needs images")

// ErrNotFitted is returned by Extract of a Fitter that was not fitted.
var ErrNotFitted = errors.New("features: extractor not fitted: call Fit on the training split first")

func needImages(name string, img *dataset.ImageShape) error {
	if img == nil {
		return fmt.Errorf("%w: %s works on images, and this data set has none (use pixels or standard)", ErrNeedsImages, name)
	}
	return nil
}

// checkSplit reports a split without a matrix, or whose rows do not have
// the length of the image shape.
func checkSplit(name string, s *dataset.Split, img *dataset.ImageShape) error {
	if s == nil || s.X == nil {
		return fmt.Errorf("features: %s: split has no sample matrix", name)
	}
	if img != nil && s.X.Cols != img.Size() {
		return fmt.Errorf("features: %s: rows have %d values, image shape %d×%d×%d needs %d",
			name, s.X.Cols, img.Height, img.Width, img.Channels, img.Size())
	}
	return nil
}
