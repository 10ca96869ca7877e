package features

import (
	"fmt"

	"github.com/svmbench/svmbench/dataset"
	"github.com/svmbench/svmbench/internal/linalg"
)

// Pixels is the default feature set: image intensities scaled to [0, 1]
// (x/255, as PyTorch's ToTensor does), or the values of a non-image data
// set unchanged.
type Pixels struct{}

var _ Extractor = Pixels{}

func (Pixels) Name() string { return "pixels" }

func (Pixels) Extract(s *dataset.Split, img *dataset.ImageShape) (*linalg.Matrix, error) {
	out := s.X.Clone()
	if img != nil {
		for i := range out.Data {
			out.Data[i] /= 255
		}
	}
	return out, nil
}

// ByName returns the extractor called name ("pixels", ...). Extractors that
// live in other packages (cnn) are made there.
func ByName(name string) (Extractor, error) {
	switch name {
	case "", "pixels":
		return Pixels{}, nil
	}
	return nil, fmt.Errorf("features: unknown feature set %q: want pixels", name)
}

// Apply fits e on the training split when it is a Fitter, then extracts the
// features of both splits of d.
func Apply(e Extractor, d *dataset.Dataset) (train, test *linalg.Matrix, err error) {
	if f, ok := e.(Fitter); ok {
		if err := f.Fit(&d.Train, d.Image); err != nil {
			return nil, nil, err
		}
	}
	if train, err = e.Extract(&d.Train, d.Image); err != nil {
		return nil, nil, err
	}
	if test, err = e.Extract(&d.Test, d.Image); err != nil {
		return nil, nil, err
	}
	return train, test, nil
}
