package reports

import (
	"bytes"
	"encoding/xml"
	"image"
	"image/png"
	"io"
	"math"
	"os"
	"path/filepath"
	"testing"

	"gonum.org/v1/plot/palette"
	"gonum.org/v1/plot/palette/moreland"
)

// goldenFigures are the figures compared pixel by pixel with
// testdata/figures/NAME.png; one of each kind of drawing.
var goldenFigures = []string{"accuracy", "grid-sigmoid-pixels", "grid-linear-hog", "scaling", "cnn-epochs", "confusion-svm-rbf-pixels"}

// A pixel differs when a channel differs by more than pixelTol (of 255);
// the figure matches when at most maxDiffShare of its pixels differ. The
// tolerance absorbs anti-aliasing differences between platforms (FMA on
// arm64 moves edges by a fraction of a pixel); a moved label, bar or
// colour changes far more pixels than that.
const (
	pixelTol     = 24
	maxDiffShare = 0.0005
)

func TestFiguresGolden(t *testing.T) {
	in := loadFixture(t)
	byName := map[string]*Figure{}
	for _, f := range Figures(in) {
		byName[f.Name] = f
	}
	for _, name := range goldenFigures {
		f := byName[name]
		if f == nil {
			t.Errorf("figure %s not made from the fixture", name)
			continue
		}
		got, err := f.png()
		if err != nil {
			t.Fatal(err)
		}
		path := filepath.Join("testdata", "figures", name+".png")
		if *update {
			if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(path, got, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(path)
		if err != nil {
			t.Fatalf("%v (go test ./reports -update writes it)", err)
		}
		share, err := pixelDiff(got, want)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if share > maxDiffShare {
			out := filepath.Join(t.TempDir(), name+".png")
			os.WriteFile(out, got, 0o644)
			t.Errorf("%s: %.3f%% of pixels differ from %s (tolerance %.2f%%); got written to %s", name, 100*share, path, 100*maxDiffShare, out)
		}
	}
}

// pixelDiff returns the share of pixels of two PNGs that differ by more
// than pixelTol in some channel.
func pixelDiff(a, b []byte) (float64, error) {
	ia, err := png.Decode(bytes.NewReader(a))
	if err != nil {
		return 0, err
	}
	ib, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		return 0, err
	}
	if ia.Bounds() != ib.Bounds() {
		return 1, nil
	}
	r := ia.Bounds()
	diff := 0
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			if pixelsDiffer(ia, ib, x, y) {
				diff++
			}
		}
	}
	return float64(diff) / float64(r.Dx()*r.Dy()), nil
}

func pixelsDiffer(a, b image.Image, x, y int) bool {
	r1, g1, b1, a1 := a.At(x, y).RGBA()
	r2, g2, b2, a2 := b.At(x, y).RGBA()
	for _, d := range [][2]uint32{{r1, r2}, {g1, g2}, {b1, b2}, {a1, a2}} {
		if math.Abs(float64(d[0]>>8)-float64(d[1]>>8)) > pixelTol {
			return true
		}
	}
	return false
}

// TestFiguresDeterministic draws every figure twice, in both formats: the
// bytes must not change (no map order, no clock in the output).
func TestFiguresDeterministic(t *testing.T) {
	in := loadFixture(t)
	for _, f := range Figures(in) {
		for _, w := range []struct {
			ext   string
			write func(io.Writer) error
		}{{"png", f.WritePNG}, {"svg", f.WriteSVG}} {
			var b1, b2 bytes.Buffer
			if err := w.write(&b1); err != nil {
				t.Fatalf("%s.%s: %v", f.Name, w.ext, err)
			}
			if err := w.write(&b2); err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(b1.Bytes(), b2.Bytes()) {
				t.Errorf("%s.%s differs between two renderings", f.Name, w.ext)
			}
			if w.ext == "svg" {
				dec := xml.NewDecoder(&b1)
				for {
					_, err := dec.Token()
					if err == io.EOF {
						break
					}
					if err != nil {
						t.Errorf("%s.svg is not well-formed XML: %v", f.Name, err)
						break
					}
				}
			}
		}
	}
}

func TestFitSlope(t *testing.T) {
	xs := []float64{500, 1000, 2000, 4000}
	ys := make([]float64, len(xs))
	for i, x := range xs {
		ys[i] = 3e-7 * math.Pow(x, 1.85)
	}
	b, ok := fitSlope(xs, ys)
	if !ok || math.Abs(b-1.85) > 1e-9 {
		t.Errorf("fitSlope = %v, %v; want 1.85, true", b, ok)
	}
	if _, ok := fitSlope([]float64{1000}, []float64{2}); ok {
		t.Error("fitSlope of one point: want ok = false")
	}
}

// TestFiguresDegenerate draws figures from inputs at the edges: one cell,
// all cells equal, a grid with a single α, zero times.
func TestFiguresDegenerate(t *testing.T) {
	in := loadFixture(t)
	for _, g := range in.Grids {
		one := *g
		one.Cells = g.Cells[:1]
		one.Best = nil
		if f := GridFigure(&one); f != nil {
			if _, err := f.png(); err != nil {
				t.Errorf("one-cell %s grid: %v", g.Kernel, err)
			}
		}
		flat := *g
		flat.Cells = append(flat.Cells[:0:0], g.Cells...)
		for i := range flat.Cells {
			flat.Cells[i].CVAccuracy = 0.5
			flat.Cells[i].MinEigen = nil
		}
		if f := GridFigure(&flat); f != nil {
			if _, err := f.png(); err != nil {
				t.Errorf("constant %s grid: %v", g.Kernel, err)
			}
		}
	}
	zero := &Inputs{Models: append(in.Models[:0:0], in.Models[:1]...)}
	zero.Models[0].TrainSeconds = 0
	zero.Models[0].Accuracy = 0
	for _, f := range Figures(zero) {
		if _, err := f.png(); err != nil {
			t.Errorf("%s with zero values: %v", f.Name, err)
		}
	}
}

// TestFigureGoldenCatchesChange checks the comparison is not blind: the
// accuracy figure with one bar 3 points lower must not match the golden.
func TestFigureGoldenCatchesChange(t *testing.T) {
	if *update {
		t.Skip("updating goldens")
	}
	in := loadFixture(t)
	in.Models[1].Accuracy -= 0.03
	got, err := AccuracyFigure(in).png()
	if err != nil {
		t.Fatal(err)
	}
	want, err := os.ReadFile(filepath.Join("testdata", "figures", "accuracy.png"))
	if err != nil {
		t.Fatal(err)
	}
	share, err := pixelDiff(got, want)
	if err != nil {
		t.Fatal(err)
	}
	if share <= maxDiffShare {
		t.Errorf("a bar 3 points lower changed only %.4f%% of pixels: the tolerance %.2f%% would hide it", 100*share, 100*maxDiffShare)
	}
}

// TestHeatMapMiddleValue checks that a confusion cell at exactly half its
// row (the middle of the colour range) is filled: gonum/plot's reversed
// palette of odd size has a nil middle colour.
func TestHeatMapMiddleValue(t *testing.T) {
	for _, n := range []int{255, 256} {
		bb := moreland.BlackBody()
		bb.SetMax(100)
		bb.SetMin(0)
		for i, c := range sampled(palette.Reverse(bb), n).Colors() {
			if c == nil {
				t.Fatalf("sampled palette of %d colours: colour %d is nil", n, i)
			}
		}
	}
}
