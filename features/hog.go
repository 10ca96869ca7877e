package features

import (
	"fmt"
	"math"

	"github.com/svmbench/svmbench/dataset"
	"github.com/svmbench/svmbench/matrix"
)

// HOG is the histogram of oriented gradients of Dalal & Triggs (2005) with
// their default parameters: 8×8-pixel cells, 9 unsigned orientation bins
// over 0–180°, 2×2-cell blocks with a stride of one cell, L2-Hys block
// normalisation. The package documentation states the formulas; a 32×32
// image gives 3×3 blocks × 36 = 324 features. It needs images.
type HOG struct{}

var _ Extractor = HOG{}

// The HOG parameters (see the package documentation).
const (
	HOGCellSize  = 8   // pixels per cell side
	HOGBins      = 9   // orientation bins over [0°, 180°)
	HOGBlockSize = 2   // cells per block side; blocks step by one cell
	HOGClip      = 0.2 // L2-Hys clipping threshold
	hogEps       = 1e-5
	hogBlockLen  = HOGBlockSize * HOGBlockSize * HOGBins // 36
)

func (HOG) Name() string { return "hog" }

// Dim returns the length of the HOG vector of an image of shape img:
// (⌊H/8⌋−1)·(⌊W/8⌋−1)·36, or an error when the image is smaller than one
// block (16×16).
func (HOG) Dim(img dataset.ImageShape) (int, error) {
	ncy, ncx, err := hogGrid(img)
	if err != nil {
		return 0, err
	}
	return (ncy - 1) * (ncx - 1) * hogBlockLen, nil
}

// hogGrid returns the number of cell rows and columns of img.
func hogGrid(img dataset.ImageShape) (ncy, ncx int, err error) {
	ncy, ncx = img.Height/HOGCellSize, img.Width/HOGCellSize
	if ncy < HOGBlockSize || ncx < HOGBlockSize || img.Channels < 1 {
		return 0, 0, fmt.Errorf("features: hog: image %d×%d×%d is smaller than one block of %d×%d pixels",
			img.Height, img.Width, img.Channels, HOGBlockSize*HOGCellSize, HOGBlockSize*HOGCellSize)
	}
	return ncy, ncx, nil
}

func (h HOG) Extract(s *dataset.Split, img *dataset.ImageShape) (*matrix.Matrix, error) {
	if err := needImages("hog", img); err != nil {
		return nil, err
	}
	if err := checkSplit("hog", s, img); err != nil {
		return nil, err
	}
	dim, err := h.Dim(*img)
	if err != nil {
		return nil, err
	}
	ncy, ncx, _ := hogGrid(*img)
	n := s.X.Rows
	out := matrix.New(n, dim)
	parallelRows(n, workerCount(n), func(_, lo, hi int) {
		sc := newHOGScratch(ncx, ncy) // reused for every image
		for i := lo; i < hi; i++ {
			hogCells(sc, s.X.Row(i), *img, ncx, ncy)
			hogBlocks(out.Row(i), sc.hist, ncx, ncy)
		}
	})
	return out, nil
}

// hogScratch holds one goroutine's buffers, reused for every image.
type hogScratch struct {
	hist       []float64 // ncy·ncx·9 cell histograms
	gx, gy, m2 []float64 // one row: the chosen gradient and its squared magnitude
}

func newHOGScratch(ncx, ncy int) *hogScratch {
	gw := ncx * HOGCellSize
	return &hogScratch{hist: make([]float64, ncy*ncx*HOGBins),
		gx: make([]float64, gw), gy: make([]float64, gw), m2: make([]float64, gw)}
}

// hogCells fills sc.hist (ncy·ncx·9, cells in row-major order, bins
// within each cell) with the orientation histograms of the cells of one
// image src (raw intensities in channel planes).
func hogCells(sc *hogScratch, src []float32, img dataset.ImageShape, ncx, ncy int) {
	hist := sc.hist
	clear(hist)
	h, w, plane := img.Height, img.Width, img.Height*img.Width
	gw := ncx * HOGCellSize // pixels covered by whole cells
	gx, gy, m2 := sc.gx[:gw], sc.gy[:gw], sc.m2[:gw]
	// Interior columns [1, xe) use the centred mask; x = 0 and, when the
	// cells reach the right border, x = w−1 the doubled one-sided one.
	xe := gw
	if gw == w {
		xe = w - 1
	}
	const binsPerRad = HOGBins / math.Pi
	for y := 0; y < ncy*HOGCellSize; y++ {
		// Rows above and below, one-sided at the border.
		up, down, yk := y-1, y+1, 1.0
		if y == 0 {
			up, yk = 0, 2
		} else if y == h-1 {
			down, yk = h-1, 2
		}
		// The gradient of the channel with the largest magnitude (the
		// first on a tie).
		for c := 0; c < img.Channels; c++ {
			p := src[c*plane : (c+1)*plane]
			cur, above, below := p[y*w:(y+1)*w], p[up*w:(up+1)*w], p[down*w:(down+1)*w]
			pick := func(x int, dx, dy float64) {
				if q := dx*dx + dy*dy; c == 0 || q > m2[x] {
					gx[x], gy[x], m2[x] = dx, dy, q
				}
			}
			pick(0, 2*(float64(cur[1])-float64(cur[0])), yk*(float64(below[0])-float64(above[0])))
			for x := 1; x < xe; x++ {
				dx := float64(cur[x+1]) - float64(cur[x-1])
				dy := yk * (float64(below[x]) - float64(above[x]))
				if q := dx*dx + dy*dy; c == 0 || q > m2[x] {
					gx[x], gy[x], m2[x] = dx, dy, q
				}
			}
			if xe < gw {
				x := w - 1
				pick(x, 2*(float64(cur[x])-float64(cur[x-1])), yk*(float64(below[x])-float64(above[x])))
			}
		}
		rowHist := hist[(y/HOGCellSize)*ncx*HOGBins : (y/HOGCellSize+1)*ncx*HOGBins]
		for x := 0; x < gw; x++ {
			if m2[x] == 0 {
				continue
			}
			mag := math.Sqrt(m2[x]) * (1.0 / 255)
			theta := math.Atan2(gy[x], gx[x]) // (−π, π]
			if theta < 0 {
				theta += math.Pi
			}
			// Bin k is centred on (k+½)·20°; vote linearly into the two
			// nearest centres, wrapping 170° ↔ 10° around 0°/180°.
			pos := theta*binsPerRad - 0.5
			fb := math.Floor(pos)
			f := pos - fb
			b0 := int(fb)
			b1 := b0 + 1
			if b0 < 0 {
				b0 += HOGBins
			}
			if b1 >= HOGBins {
				b1 -= HOGBins
			}
			cell := rowHist[(x/HOGCellSize)*HOGBins : (x/HOGCellSize+1)*HOGBins]
			cell[b0] += mag * (1 - f)
			cell[b1] += mag * f
		}
	}
}

// hogBlocks writes the L2-Hys normalised 2×2-cell blocks of hist into dst,
// blocks in row-major order, each block's cells row-major, bins within
// each cell.
func hogBlocks(dst []float32, hist []float64, ncx, ncy int) {
	var v [hogBlockLen]float64
	k := 0
	for by := 0; by+HOGBlockSize <= ncy; by++ {
		for bx := 0; bx+HOGBlockSize <= ncx; bx++ {
			o := 0
			for cy := by; cy < by+HOGBlockSize; cy++ {
				for cx := bx; cx < bx+HOGBlockSize; cx++ {
					c := (cy*ncx + cx) * HOGBins
					o += copy(v[o:], hist[c:c+HOGBins])
				}
			}
			l2hys(&v)
			for _, x := range v {
				dst[k] = float32(x)
				k++
			}
		}
	}
}

// l2hys normalises v in place: v ← v/√(‖v‖²+ε²), clip at 0.2, renormalise.
func l2hys(v *[hogBlockLen]float64) {
	s := 0.0
	for _, x := range v {
		s += x * x
	}
	r := 1 / math.Sqrt(s+hogEps*hogEps)
	s = 0
	for i, x := range v {
		x = min(x*r, HOGClip)
		v[i] = x
		s += x * x
	}
	r = 1 / math.Sqrt(s+hogEps*hogEps)
	for i := range v {
		v[i] *= r
	}
}
