package dataset

import (
	"context"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// writeImage writes a w×h image whose pixel (x, y) has colour
// (base+x, base+y, base) as PNG, or as JPEG when the name says so.
func writeImage(t *testing.T, path string, w, h, base int, gray bool) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	var img image.Image
	if gray {
		g := image.NewGray(image.Rect(0, 0, w, h))
		for i := range g.Pix {
			g.Pix[i] = uint8(base)
		}
		img = g
	} else {
		m := image.NewNRGBA(image.Rect(0, 0, w, h))
		for y := 0; y < h; y++ {
			for x := 0; x < w; x++ {
				m.Set(x, y, color.NRGBA{uint8(base + x), uint8(base + y), uint8(base), 255})
			}
		}
		img = m
	}
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if strings.HasSuffix(path, ".jpg") {
		err = jpeg.Encode(f, img, &jpeg.Options{Quality: 100})
	} else {
		err = png.Encode(f, img)
	}
	if err != nil {
		t.Fatal(err)
	}
}

func TestLoadImages(t *testing.T) {
	dir := t.TempDir()
	writeImage(t, filepath.Join(dir, "train/cat/b.png"), 4, 3, 10, false)
	writeImage(t, filepath.Join(dir, "train/cat/a.png"), 4, 3, 20, false)
	writeImage(t, filepath.Join(dir, "train/ant/x.png"), 4, 3, 30, true)
	writeImage(t, filepath.Join(dir, "train/dog/y.jpg"), 4, 3, 100, false)
	writeImage(t, filepath.Join(dir, "test/dog/z.png"), 4, 3, 40, false)
	os.WriteFile(filepath.Join(dir, "train/cat/notes.txt"), []byte("skipped"), 0o644)
	os.WriteFile(filepath.Join(dir, "train/cat/.hidden.png"), []byte("skipped"), 0o644)

	d, err := Load(context.Background(), Options{Spec: "images:" + dir})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(d.Classes, []Class{{0, "ant"}, {1, "cat"}, {2, "dog"}}) {
		t.Errorf("Classes %v", d.Classes)
	}
	if *d.Image != (ImageShape{Height: 3, Width: 4, Channels: 3}) || d.Source != "images "+dir {
		t.Errorf("Image %v, Source %q", d.Image, d.Source)
	}
	// Class order, then file names.
	if !slices.Equal(d.Train.Y, []int{0, 1, 1, 2}) || !slices.Equal(d.Test.Y, []int{2}) {
		t.Fatalf("labels %v, %v", d.Train.Y, d.Test.Y)
	}
	// Plane order: R plane, G plane, B plane, each row-major.
	row := d.Train.X.Row(1) // cat/a.png, base 20
	for y := 0; y < 3; y++ {
		for x := 0; x < 4; x++ {
			p := y*4 + x
			if row[p] != float32(20+x) || row[12+p] != float32(20+y) || row[24+p] != 20 {
				t.Fatalf("pixel (%d,%d) = %v %v %v", x, y, row[p], row[12+p], row[24+p])
			}
		}
	}
	for _, v := range d.Train.X.Row(0) { // gray, repeated
		if v != 30 {
			t.Fatalf("gray image value %v, want 30", v)
		}
	}
	if jpg := d.Train.X.Row(3); jpg[0] < 95 || jpg[0] > 105 { // lossy
		t.Errorf("jpeg value %v, want about 100", jpg[0])
	}
	if len(d.Files) != 2 || !strings.HasSuffix(d.Files[0].Name, "train (4 images)") || len(d.Files[0].SHA256) != 64 || d.Files[0].Bytes == 0 {
		t.Errorf("Files %+v", d.Files)
	}
	// The digest covers the content of every image.
	writeImage(t, filepath.Join(dir, "train/cat/a.png"), 4, 3, 21, false)
	d2, err := LoadImages(context.Background(), dir)
	if err != nil || d2.Files[0].SHA256 == d.Files[0].SHA256 || d2.Files[1] != d.Files[1] {
		t.Errorf("digests did not follow the change: %v", err)
	}
}

func TestLoadImagesErrors(t *testing.T) {
	mk := func(t *testing.T, extra func(dir string)) string {
		dir := t.TempDir()
		writeImage(t, filepath.Join(dir, "train/a/1.png"), 4, 4, 0, false)
		writeImage(t, filepath.Join(dir, "test/a/1.png"), 4, 4, 0, false)
		extra(dir)
		return dir
	}
	for _, c := range []struct {
		name  string
		extra func(dir string)
		want  string
	}{
		{"size", func(dir string) { writeImage(t, filepath.Join(dir, "test/a/2.png"), 5, 4, 0, false) },
			"test/a/2.png: is 5×4 pixels, want 4×4 like"},
		{"corrupt", func(dir string) { os.WriteFile(filepath.Join(dir, "train/a/0.png"), []byte("no png"), 0o644) },
			"train/a/0.png: cannot decode"},
		{"test class", func(dir string) { writeImage(t, filepath.Join(dir, "test/b/1.png"), 4, 4, 0, false) },
			`class "b" is not a folder of`},
		{"no test", func(dir string) { os.RemoveAll(filepath.Join(dir, "test")) }, "test: no such folder"},
		{"no images", func(dir string) { os.RemoveAll(filepath.Join(dir, "test/a/1.png")) }, "test: no .png or .jpg images"},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := mk(t, c.extra)
			_, err := LoadImages(context.Background(), dir)
			if err == nil || !strings.Contains(err.Error(), c.want) || !strings.HasPrefix(err.Error(), "dataset: ") {
				t.Errorf("error %v, want one saying %q", err, c.want)
			}
		})
	}
}
