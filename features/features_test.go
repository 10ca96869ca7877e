package features

import (
	"errors"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/svmbench/svmbench/dataset"
	"github.com/svmbench/svmbench/matrix"
)

var cifarShape = dataset.ImageShape{Height: 32, Width: 32, Channels: 3}

// randomImages returns n images of shape img with integer intensities.
func randomImages(n int, img dataset.ImageShape, seed uint64) *dataset.Split {
	r := rand.New(rand.NewPCG(seed, 1))
	x := matrix.New(n, img.Size())
	for i := range x.Data {
		x.Data[i] = float32(r.IntN(256))
	}
	return &dataset.Split{X: x, Y: make([]int, n)}
}

// imageOf makes a one-image split from f(c, y, x).
func imageOf(img dataset.ImageShape, f func(c, y, x int) float64) *dataset.Split {
	x := matrix.New(1, img.Size())
	for c := 0; c < img.Channels; c++ {
		for y := 0; y < img.Height; y++ {
			for xx := 0; xx < img.Width; xx++ {
				x.Data[c*img.Height*img.Width+y*img.Width+xx] = float32(f(c, y, xx))
			}
		}
	}
	return &dataset.Split{X: x, Y: []int{0}}
}

func TestByName(t *testing.T) {
	for _, name := range []string{"pixels", "standard", "gray", "hog"} {
		e, err := ByName(name)
		if err != nil {
			t.Fatalf("ByName(%q): %v", name, err)
		}
		if e.Name() != name {
			t.Errorf("ByName(%q).Name() = %q", name, e.Name())
		}
	}
	if e, err := ByName(""); err != nil || e.Name() != "pixels" {
		t.Errorf(`ByName("") = %v, %v; want pixels`, e, err)
	}
	_, err := ByName("sift")
	if err == nil {
		t.Fatal("ByName(sift): no error")
	}
	for _, want := range []string{"features:", `"sift"`, "pixels", "standard", "gray", "hog"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("ByName(sift) error %q does not mention %s", err, want)
		}
	}
	// Fresh state each call.
	a, _ := ByName("standard")
	b, _ := ByName("standard")
	if a == b {
		t.Error("ByName(standard) returned the same extractor twice")
	}
}

func TestPixels(t *testing.T) {
	s := randomImages(40, cifarShape, 1)
	out, err := Pixels{}.Extract(s, &cifarShape)
	if err != nil {
		t.Fatal(err)
	}
	for i, v := range s.X.Data {
		if want := v / 255; out.Data[i] != want {
			t.Fatalf("element %d: %v, want %v", i, out.Data[i], want)
		}
	}
	// Non-image data: unchanged, and a copy.
	out, err = Pixels{}.Extract(s, nil)
	if err != nil {
		t.Fatal(err)
	}
	out.Data[0]++
	if out.Data[0] != s.X.Data[0]+1 {
		t.Error("pixels of non-image data changed the values or aliased the input")
	}
}

func TestGrayMatchesNaiveFormula(t *testing.T) {
	s := randomImages(50, cifarShape, 2)
	out, err := Gray{}.Extract(s, &cifarShape)
	if err != nil {
		t.Fatal(err)
	}
	if out.Rows != 50 || out.Cols != 32*32 {
		t.Fatalf("gray output %v, want 50×1024", out)
	}
	for i := 0; i < s.Len(); i++ {
		row := s.X.Row(i)
		for y := 0; y < 32; y++ {
			for x := 0; x < 32; x++ {
				r, g, b := float64(row[y*32+x]), float64(row[1024+y*32+x]), float64(row[2048+y*32+x])
				want := (0.299*r + 0.587*g + 0.114*b) / 255
				if got := float64(out.At(i, y*32+x)); math.Abs(got-want) > 1e-6 {
					t.Fatalf("image %d pixel (%d,%d): %v, want %v", i, y, x, got, want)
				}
			}
		}
	}
	// White is 1, black 0.
	white := imageOf(cifarShape, func(c, y, x int) float64 { return 255 })
	out, _ = Gray{}.Extract(white, &cifarShape)
	if math.Abs(float64(out.Data[0])-1) > 1e-6 {
		t.Errorf("white gives %v, want 1", out.Data[0])
	}
}

func TestImageExtractorsNeedImages(t *testing.T) {
	s := randomImages(3, cifarShape, 3)
	for _, e := range []Extractor{Gray{}, HOG{}} {
		_, err := e.Extract(s, nil)
		if !errors.Is(err, ErrNeedsImages) {
			t.Errorf("%s without images: error %v, want ErrNeedsImages", e.Name(), err)
		}
	}
	// Wrong row length.
	small := dataset.ImageShape{Height: 16, Width: 16, Channels: 3}
	for _, e := range []Extractor{Pixels{}, Gray{}, HOG{}} {
		if _, err := e.Extract(s, &small); err == nil || !strings.Contains(err.Error(), "768") {
			t.Errorf("%s on rows of the wrong length: error %v", e.Name(), err)
		}
	}
	// Too small for one HOG block.
	tiny := dataset.ImageShape{Height: 8, Width: 32, Channels: 1}
	if _, err := (HOG{}).Extract(randomImages(2, tiny, 4), &tiny); err == nil {
		t.Error("hog on an 8×32 image: no error")
	}
}

func TestStandardFitOnTrainAppliedToTest(t *testing.T) {
	img := dataset.ImageShape{Height: 4, Width: 4, Channels: 2}
	train := randomImages(300, img, 5)
	test := randomImages(70, img, 6)
	// Feature 3 is constant on train, varies on test.
	for i := 0; i < train.Len(); i++ {
		train.X.Row(i)[3] = 17
	}
	st := &Standard{}
	if _, err := st.Extract(test, &img); !errors.Is(err, ErrNotFitted) {
		t.Fatalf("Extract before Fit: %v, want ErrNotFitted", err)
	}
	d := &dataset.Dataset{Image: &img, Train: *train, Test: *test}
	ztrain, ztest, err := Apply(st, d)
	if err != nil {
		t.Fatal(err)
	}
	n, dim := ztrain.Dims()
	// Naive statistics of the training split, pixels/255, float64.
	for j := 0; j < dim; j++ {
		mean, ss := 0.0, 0.0
		for i := 0; i < n; i++ {
			mean += float64(train.X.At(i, j)) / 255
		}
		mean /= float64(n)
		for i := 0; i < n; i++ {
			dv := float64(train.X.At(i, j))/255 - mean
			ss += dv * dv
		}
		std := math.Sqrt(ss / float64(n))
		if j == 3 {
			std = 1 // constant: centred only
		}
		if math.Abs(st.Mean[j]-mean) > 1e-12 || math.Abs(st.Std[j]-std) > 1e-12 {
			t.Fatalf("feature %d: fitted μ=%v σ=%v, want %v %v", j, st.Mean[j], st.Std[j], mean, std)
		}
		// Training features have mean 0 and variance 1 (constant: 0).
		zm, zv := 0.0, 0.0
		for i := 0; i < n; i++ {
			zm += ztrain.At(i, j)
		}
		zm /= float64(n)
		for i := 0; i < n; i++ {
			zv += (ztrain.At(i, j) - zm) * (ztrain.At(i, j) - zm)
		}
		zv /= float64(n)
		wantVar := 1.0
		if j == 3 {
			wantVar = 0
		}
		if math.Abs(zm) > 1e-5 || math.Abs(zv-wantVar) > 1e-4 {
			t.Errorf("feature %d on train: mean %v variance %v", j, zm, zv)
		}
		// Test data uses the training statistics unchanged.
		for i := 0; i < test.Len(); i++ {
			want := (float64(test.X.At(i, j))/255 - mean) / std
			if got := ztest.At(i, j); math.Abs(got-want) > 1e-5 {
				t.Fatalf("test (%d,%d): %v, want %v", i, j, got, want)
			}
		}
	}
	for i := 0; i < n; i++ {
		if ztrain.At(i, 3) != 0 {
			t.Fatalf("constant feature on train row %d: %v, want exactly 0", i, ztrain.At(i, 3))
		}
	}
	// Extracting the test split again gives the same values: no refit.
	again, err := st.Extract(test, &img)
	if err != nil {
		t.Fatal(err)
	}
	for k := range again.Data {
		if again.Data[k] != ztest.Data[k] {
			t.Fatal("second Extract of the test split differs")
		}
	}
	// Mismatches are errors.
	if _, err := st.Extract(test, nil); err == nil {
		t.Error("Extract of non-image data after fitting on images: no error")
	}
	if err := (&Standard{}).Fit(&dataset.Split{X: matrix.New(0, 3)}, nil); err == nil {
		t.Error("Fit on an empty split: no error")
	}
}

func TestStandardNonImage(t *testing.T) {
	x := matrix.NewFrom(4, 2, []float32{1, 10, 2, 10, 3, 10, 4, 10})
	s := &dataset.Split{X: x, Y: make([]int, 4)}
	st := &Standard{}
	if err := st.Fit(s, nil); err != nil {
		t.Fatal(err)
	}
	if st.Mean[0] != 2.5 || math.Abs(st.Std[0]-math.Sqrt(1.25)) > 1e-15 || st.Mean[1] != 10 || st.Std[1] != 1 {
		t.Errorf("fitted μ=%v σ=%v", st.Mean, st.Std)
	}
}

func TestParallelRowsCoversEveryRow(t *testing.T) {
	for _, n := range []int{0, 1, 15, 16, 33, 1000} {
		for _, w := range []int{1, 2, 3, 7} {
			seen := make([]int, n)
			parallelRows(n, w, func(_, lo, hi int) {
				for i := lo; i < hi; i++ {
					seen[i]++
				}
			})
			for i, c := range seen {
				if c != 1 {
					t.Fatalf("n=%d workers=%d: row %d visited %d times", n, w, i, c)
				}
			}
		}
	}
}
