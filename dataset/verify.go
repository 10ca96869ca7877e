package dataset

import (
	"fmt"
	"math"
)

// Verify checks what every model relies on: matrices and labels agree,
// both splits have the same width (the image size for images), labels
// are classes of the data set, values are finite (0–255 for images). Its
// errors name the split, the sample and the value (1-based).
func (d *Dataset) Verify() error {
	known := map[int]bool{}
	for _, c := range d.Classes {
		known[c.Label] = true
	}
	cols := -1
	for _, sp := range []struct {
		name string
		s    *Split
	}{{"train", &d.Train}, {"test", &d.Test}} {
		s := sp.s
		if s.X == nil {
			return fmt.Errorf("dataset: %s split has no samples", sp.name)
		}
		if s.X.Rows != len(s.Y) {
			return fmt.Errorf("dataset: %s split has %d samples but %d labels", sp.name, s.X.Rows, len(s.Y))
		}
		if cols >= 0 && s.X.Cols != cols {
			return fmt.Errorf("dataset: train samples have %d values, test samples %d", cols, s.X.Cols)
		}
		cols = s.X.Cols
		if d.Image != nil && cols != d.Image.Size() {
			return fmt.Errorf("dataset: %s samples have %d values, images of %d×%d×%d need %d", sp.name, cols, d.Image.Height, d.Image.Width, d.Image.Channels, d.Image.Size())
		}
		for i, y := range s.Y {
			if len(known) > 0 && !known[y] {
				return fmt.Errorf("dataset: %s sample %d: label %d is not a class of the data set", sp.name, i+1, y)
			}
			for j, v := range s.X.Row(i) {
				f := float64(v)
				if math.IsNaN(f) || math.IsInf(f, 0) {
					return fmt.Errorf("dataset: %s sample %d, value %d is %v", sp.name, i+1, j+1, v)
				}
				if d.Image != nil && (f < 0 || f > 255) {
					return fmt.Errorf("dataset: %s sample %d, value %d is %v, outside 0–255", sp.name, i+1, j+1, v)
				}
			}
		}
	}
	return nil
}
