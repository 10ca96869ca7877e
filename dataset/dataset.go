package dataset

import (
	"fmt"

	"github.com/svmbench/svmbench/matrix"
)

// ImageShape is the shape of image samples. Pixels are stored in channel
// planes, as CIFAR-10 stores them: all of channel 0 row-major H×W, then
// channel 1, and so on, so pixel (c, y, x) is at c*H*W + y*W + x.
type ImageShape struct {
	Height, Width, Channels int
}

// Size is Height·Width·Channels, the length of a sample row.
func (s ImageShape) Size() int { return s.Height * s.Width * s.Channels }

// Class is one class of a data set: the integer label the models see and
// a name for reports.
type Class struct {
	Label int
	Name  string
}

// Split is a set of samples with their labels.
type Split struct {
	// X holds one sample per row. For images the values are raw
	// intensities 0–255 (features.Pixels scales them to [0, 1]); for
	// LIBSVM text data they are the values of the file.
	X *matrix.Matrix
	// Y holds the integer class label of each row.
	Y []int
	// Lines holds, for a split read from a LIBSVM file, the file line of
	// each row (1-based; blank and comment lines are not rows), for
	// errors about a sample; nil for other sources.
	Lines []int
}

// Len is the number of samples.
func (s *Split) Len() int { return len(s.Y) }

// Subset returns the samples idx, in that order, as a new split.
func (s *Split) Subset(idx []int) *Split {
	y := make([]int, len(idx))
	var lines []int
	if s.Lines != nil {
		lines = make([]int, len(idx))
	}
	for k, i := range idx {
		y[k] = s.Y[i]
		if lines != nil {
			lines[k] = s.Lines[i]
		}
	}
	return &Split{X: s.X.Gather(idx), Y: y, Lines: lines}
}

// FileSum records a file that was read and its checksum, for manifests.
type FileSum struct {
	Name   string `json:"name"`
	Bytes  int64  `json:"bytes"`
	SHA256 string `json:"sha256"`
	// MD5 is set for archives whose official checksum is an MD5
	// (cifar-10-binary.tar.gz).
	MD5 string `json:"md5,omitempty"`
}

// Dataset is a training and a test split over the same classes.
type Dataset struct {
	// Source says where the data came from, e.g. "folder /data/cifar",
	// "archive ~/.cache/svmbench/cifar-10-binary.tar.gz", "synthetic seed=1".
	Source string
	// Classes in ascending label order.
	Classes []Class
	// Image is the sample shape when samples are images, nil otherwise.
	Image *ImageShape
	Train Split
	Test  Split
	// Files lists the files read, with checksums, in the order read.
	Files []FileSum
}

// ClassName returns the name of label, or the label in decimal when the
// data set has no name for it.
func (d *Dataset) ClassName(label int) string {
	for _, c := range d.Classes {
		if c.Label == label {
			return c.Name
		}
	}
	return fmt.Sprint(label)
}
