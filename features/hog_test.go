package features

import (
	"math"
	"testing"

	"github.com/svmbench/svmbench/dataset"
)

func TestHOGDim(t *testing.T) {
	for _, c := range []struct {
		h, w, want int
	}{{32, 32, 324}, {16, 16, 36}, {64, 32, 7 * 3 * 36}, {39, 47, 3 * 4 * 36}} {
		got, err := HOG{}.Dim(dataset.ImageShape{Height: c.h, Width: c.w, Channels: 3})
		if err != nil || got != c.want {
			t.Errorf("Dim(%d×%d) = %d, %v; want %d", c.h, c.w, got, err, c.want)
		}
	}
	if _, err := (HOG{}).Dim(dataset.ImageShape{Height: 15, Width: 32, Channels: 1}); err == nil {
		t.Error("Dim(15×32): no error")
	}
}

// cellsOf returns the cell histograms of a one-image split.
func cellsOf(s *dataset.Split, img dataset.ImageShape) (hist []float64, ncx int) {
	ncy, ncx, _ := hogGrid(img)
	sc := newHOGScratch(ncx, ncy)
	hogCells(sc, s.X.Row(0), img, ncx, ncy)
	return sc.hist, ncx
}

func TestHOGVerticalEdge(t *testing.T) {
	img := dataset.ImageShape{Height: 32, Width: 32, Channels: 1}
	// Dark left half, white right half: the gradient points along +x
	// (θ = 0°), on the columns x = 15 and 16, which lie in cell columns 1
	// and 2. 0° sits between the centres 170° (bin 8) and 10° (bin 0).
	s := imageOf(img, func(_, _, x int) float64 {
		if x >= 16 {
			return 255
		}
		return 0
	})
	hist, ncx := cellsOf(s, img)
	for cy := 0; cy < 4; cy++ {
		for cx := 0; cx < ncx; cx++ {
			cell := hist[(cy*ncx+cx)*HOGBins:][:HOGBins]
			for b, v := range cell {
				want := 0.0
				if (cx == 1 || cx == 2) && (b == 0 || b == 8) {
					want = 8 * 0.5 // 8 rows, magnitude 255/255, half to each bin
				}
				if math.Abs(v-want) > 1e-12 {
					t.Errorf("cell (%d,%d) bin %d = %v, want %v", cy, cx, b, v, want)
				}
			}
		}
	}
	// In the descriptor, block (0,0) holds cells (0,0) (0,1) (1,0) (1,1):
	// cells 1 and 3 carry four equal values, which normalise to 0.5 each.
	out, err := HOG{}.Extract(s, &img)
	if err != nil {
		t.Fatal(err)
	}
	block := out.Row(0)[:36]
	for k, v := range block {
		cell, b := k/9, k%9
		want := 0.0
		if (cell == 1 || cell == 3) && (b == 0 || b == 8) {
			want = 0.5
		}
		if math.Abs(float64(v)-want) > 1e-5 {
			t.Errorf("block 0 value %d (cell %d bin %d) = %v, want %v", k, cell, b, v, want)
		}
	}
}

func TestHOGHorizontalEdge(t *testing.T) {
	img := dataset.ImageShape{Height: 32, Width: 32, Channels: 1}
	// White above y = 20: gradient along −y, θ = 90°, the centre of bin 4.
	s := imageOf(img, func(_, y, _ int) float64 {
		if y < 20 {
			return 200
		}
		return 40
	})
	hist, ncx := cellsOf(s, img)
	for c := 0; c < len(hist)/HOGBins; c++ {
		cy := c / ncx
		for b := 0; b < HOGBins; b++ {
			want := 0.0
			if cy == 2 && b == 4 { // rows 19 and 20 are both in cell row 2
				want = 2 * 8 * 160.0 / 255
			}
			if math.Abs(hist[c*HOGBins+b]-want) > 1e-9 {
				t.Errorf("cell %d bin %d = %v, want %v", c, b, hist[c*HOGBins+b], want)
			}
		}
	}
}

func TestHOGRampVotesOneBin(t *testing.T) {
	img := dataset.ImageShape{Height: 24, Width: 32, Channels: 1}
	// A linear ramp whose gradient is at 30°, bin 1's centre: every pixel,
	// the border ones included, votes into bin 1 only.
	a := 30 * math.Pi / 180
	s := imageOf(img, func(_, y, x int) float64 { return 20 + 3*(math.Cos(a)*float64(x)+math.Sin(a)*float64(y)) })
	hist, _ := cellsOf(s, img)
	for c := 0; c < len(hist)/HOGBins; c++ {
		cell := hist[c*HOGBins:][:HOGBins]
		for b, v := range cell {
			want := 0.0
			if b == 1 {
				want = 64 * 2 * 3 / 255.0 // 64 pixels, |∇| = 2·3 with [−1,0,1]
			}
			if math.Abs(v-want) > 1e-3*64*6/255 {
				t.Errorf("cell %d bin %d = %v, want %v", c, b, v, want)
			}
		}
	}
}

func TestHOGColourTakesStrongestChannel(t *testing.T) {
	img := dataset.ImageShape{Height: 16, Width: 16, Channels: 3}
	// R rises along x, B (steeper) along y: B wins everywhere, θ = 90°.
	s := imageOf(img, func(c, y, x int) float64 {
		switch c {
		case 0:
			return 5 * float64(x)
		case 2:
			return 9 * float64(y)
		}
		return 100
	})
	hist, _ := cellsOf(s, img)
	for c := 0; c < 4; c++ {
		for b := 0; b < HOGBins; b++ {
			want := 0.0
			if b == 4 {
				want = 64 * 18 / 255.0
			}
			if math.Abs(hist[c*HOGBins+b]-want) > 1e-9 {
				t.Errorf("cell %d bin %d = %v, want %v", c, b, hist[c*HOGBins+b], want)
			}
		}
	}
}

func TestHOGConstantImageGivesZeros(t *testing.T) {
	for _, v := range []float64{0, 77, 255} {
		s := imageOf(cifarShape, func(_, _, _ int) float64 { return v })
		out, err := HOG{}.Extract(s, &cifarShape)
		if err != nil {
			t.Fatal(err)
		}
		if out.Cols != 324 {
			t.Fatalf("32×32 image gives %d features, want 324", out.Cols)
		}
		for k, x := range out.Data {
			if x != 0 {
				t.Fatalf("constant %v: feature %d = %v, want 0", v, k, x)
			}
		}
	}
}

func TestHOGNormalisationBounds(t *testing.T) {
	s := randomImages(64, cifarShape, 7)
	// One image with a single strong gradient direction, so clipping bites.
	s.X = s.X.Clone()
	edge := imageOf(cifarShape, func(_, _, x int) float64 { return float64(8 * (x % 8)) })
	copy(s.X.Row(0), edge.X.Row(0))
	out, err := HOG{}.Extract(s, &cifarShape)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < out.Rows; i++ {
		row := out.Row(i)
		for b := 0; b < 9; b++ {
			blk := row[b*36 : (b+1)*36]
			norm := 0.0
			for _, v := range blk {
				if v < 0 || v > 1 {
					t.Fatalf("image %d block %d: value %v outside [0, 1]", i, b, v)
				}
				norm += float64(v) * float64(v)
			}
			if math.Abs(math.Sqrt(norm)-1) > 1e-4 {
				t.Fatalf("image %d block %d: norm %v, want 1", i, b, math.Sqrt(norm))
			}
		}
	}
}

// naiveHOG computes the descriptor straight from the formulas of doc.go,
// one pixel at a time, with no shared buffers.
func naiveHOG(row []float32, img dataset.ImageShape) []float64 {
	H, W, C := img.Height, img.Width, img.Channels
	I := func(c, y, x int) float64 {
		x = min(max(x, 0), W-1)
		y = min(max(y, 0), H-1)
		return float64(row[c*H*W+y*W+x])
	}
	ncy, ncx := H/8, W/8
	cells := make([][9]float64, ncy*ncx)
	for y := 0; y < ncy*8; y++ {
		for x := 0; x < ncx*8; x++ {
			best, bx, by := -1.0, 0.0, 0.0
			for c := 0; c < C; c++ {
				gx := I(c, y, x+1) - I(c, y, x-1)
				gy := I(c, y+1, x) - I(c, y-1, x)
				if x == 0 || x == W-1 {
					gx *= 2
				}
				if y == 0 || y == H-1 {
					gy *= 2
				}
				// Compare squared magnitudes of the raw integer values, so
				// that ties (3,4) vs (5,0) stay ties.
				if m := gx*gx + gy*gy; m > best {
					best, bx, by = m, gx, gy
				}
			}
			best = math.Sqrt(best) / 255
			deg := math.Mod(math.Atan2(by, bx)*180/math.Pi+360, 180)
			p := deg/20 - 0.5
			k := math.Floor(p)
			f := p - k
			cell := &cells[(y/8)*ncx+x/8]
			cell[(int(k)+9)%9] += best * (1 - f)
			cell[(int(k)+10)%9] += best * f
		}
	}
	var out []float64
	for by := 0; by < ncy-1; by++ {
		for bx := 0; bx < ncx-1; bx++ {
			var v []float64
			for _, c := range []int{by*ncx + bx, by*ncx + bx + 1, (by+1)*ncx + bx, (by+1)*ncx + bx + 1} {
				v = append(v, cells[c][:]...)
			}
			norm := func() float64 {
				s := 0.0
				for _, x := range v {
					s += x * x
				}
				return math.Sqrt(s + 1e-10)
			}
			n := norm()
			for i := range v {
				v[i] = math.Min(v[i]/n, 0.2)
			}
			n = norm()
			for i := range v {
				v[i] /= n
			}
			out = append(out, v...)
		}
	}
	return out
}

func TestHOGMatchesNaive(t *testing.T) {
	for _, img := range []dataset.ImageShape{cifarShape, {Height: 27, Width: 41, Channels: 1}, {Height: 16, Width: 24, Channels: 2}} {
		s := randomImages(40, img, 8)
		out, err := HOG{}.Extract(s, &img)
		if err != nil {
			t.Fatal(err)
		}
		for i := 0; i < s.Len(); i++ {
			want := naiveHOG(s.X.Row(i), img)
			got := out.Row(i)
			if len(got) != len(want) {
				t.Fatalf("%v: length %d, want %d", img, len(got), len(want))
			}
			for k := range want {
				if math.Abs(float64(got[k])-want[k]) > 1e-5 {
					t.Fatalf("%v image %d feature %d: %v, want %v", img, i, k, got[k], want[k])
				}
			}
		}
	}
}
