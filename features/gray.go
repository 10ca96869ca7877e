package features

import (
	"fmt"

	"github.com/svmbench/svmbench/dataset"
	"github.com/svmbench/svmbench/matrix"
)

// Gray is the luminance of each pixel scaled to [0, 1]:
// Y = (0.299·R + 0.587·G + 0.114·B)/255 (ITU-R BT.601 weights, as
// Pillow's convert("L") and OpenCV's COLOR_RGB2GRAY use, without their
// rounding to integers). One feature per pixel, in row-major order; a
// one-channel image gives x/255. It needs images.
type Gray struct{}

var _ Extractor = Gray{}

// Luminance weights of R, G and B.
const (
	lumaR = 0.299
	lumaG = 0.587
	lumaB = 0.114
)

func (Gray) Name() string { return "gray" }

func (Gray) Extract(s *dataset.Split, img *dataset.ImageShape) (*matrix.Matrix, error) {
	if err := needImages("gray", img); err != nil {
		return nil, err
	}
	if err := checkSplit("gray", s, img); err != nil {
		return nil, err
	}
	if img.Channels != 1 && img.Channels != 3 {
		return nil, fmt.Errorf("features: gray: images have %d channels, want 1 or 3", img.Channels)
	}
	n := s.X.Rows
	p := img.Height * img.Width
	out := matrix.New(n, p)
	parallelRows(n, workerCount(n), func(_, lo, hi int) {
		for i := lo; i < hi; i++ {
			src, dst := s.X.Row(i), out.Row(i)
			if img.Channels == 1 {
				for k, v := range src {
					dst[k] = v / 255
				}
				continue
			}
			r, g, b := src[:p], src[p:2*p], src[2*p:3*p]
			for k := range dst {
				dst[k] = float32((lumaR*float64(r[k]) + lumaG*float64(g[k]) + lumaB*float64(b[k])) / 255)
			}
		}
	})
	return out, nil
}
