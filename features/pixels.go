package features

import (
	"fmt"
	"strings"

	"github.com/svmbench/svmbench/dataset"
	"github.com/svmbench/svmbench/matrix"
)

// Pixels is the default feature set: image intensities scaled to [0, 1]
// (x/255, as PyTorch's ToTensor does), or the values of a non-image data
// set unchanged.
type Pixels struct{}

var _ Extractor = Pixels{}

func (Pixels) Name() string { return "pixels" }

func (Pixels) Extract(s *dataset.Split, img *dataset.ImageShape) (*matrix.Matrix, error) {
	if err := checkSplit("pixels", s, img); err != nil {
		return nil, err
	}
	n, d := s.X.Dims()
	out := matrix.New(n, d)
	parallelRows(n, workerCount(n), func(_, lo, hi int) {
		for i := lo; i < hi; i++ {
			src, dst := s.X.Row(i), out.Row(i)
			if img == nil {
				copy(dst, src)
				continue
			}
			for j, v := range src {
				dst[j] = v / 255
			}
		}
	})
	return out, nil
}

// names are the feature sets ByName makes, in the order help texts list
// them.
var names = []string{"pixels", "standard", "gray", "hog"}

// Names returns the names ByName accepts. "cnn" is not among them: the
// cnn package makes that extractor from a trained model.
func Names() []string { return append([]string(nil), names...) }

// ByName returns a new extractor called name: "pixels" (also ""),
// "standard", "gray" or "hog". Extractors that live in other packages
// (cnn) are made there. Each call returns a fresh extractor, so fitted
// state (Standard's) is never shared between data sets.
func ByName(name string) (Extractor, error) {
	switch name {
	case "", "pixels":
		return Pixels{}, nil
	case "standard":
		return &Standard{}, nil
	case "gray":
		return Gray{}, nil
	case "hog":
		return HOG{}, nil
	}
	return nil, fmt.Errorf("features: unknown feature set %q: want one of %s", name, strings.Join(names, ", "))
}

// Apply fits e on the training split when it is a Fitter, then extracts the
// features of both splits of d.
func Apply(e Extractor, d *dataset.Dataset) (train, test *matrix.Matrix, err error) {
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
