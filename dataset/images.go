package dataset

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"image"
	"image/color"
	_ "image/jpeg" // registers JPEG for image.Decode
	_ "image/png"  // registers PNG for image.Decode
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"

	"github.com/svmbench/svmbench/matrix"
)

// imageFile is one image of an images:DIR data set.
type imageFile struct {
	path  string
	rel   string // relative to DIR, for the checksum listing
	label int
}

// LoadImages reads an image-folder data set, the layout of Kaggle's
// CIFAR-10 and torchvision's ImageFolder:
//
//	DIR/train/<class>/*.png|*.jpg|*.jpeg
//	DIR/test/<class>/*.png|*.jpg|*.jpeg
//
// Classes are the folder names under DIR/train in sorted order, labelled
// 0..K-1; a test class folder must also exist under train. Files with other
// extensions and names starting with '.' are skipped. Every image must have
// the size of the first; images are converted to RGB (alpha ignored, gray
// repeated in the three channels) and stored as 0–255 values in channel
// planes, like CIFAR-10. Dataset.Files holds one entry per split whose
// SHA256 is the SHA-256 of a sha256sum-style listing ("HEX  train/cat/1.png"
// lines, sorted by path) of all its images.
func LoadImages(ctx context.Context, dir string) (*Dataset, error) {
	dir = absPath(dir)
	names, err := classFolders(filepath.Join(dir, "train"))
	if err != nil {
		return nil, err
	}
	if len(names) == 0 {
		return nil, fmt.Errorf("dataset: %s: no class folders (want %s/train/<class>/*.png)", filepath.Join(dir, "train"), dir)
	}
	label := map[string]int{}
	d := &Dataset{Source: "images " + dir}
	for i, n := range names {
		label[n] = i
		d.Classes = append(d.Classes, Class{Label: i, Name: n})
	}
	trainFiles, err := listImages(dir, "train", names, label)
	if err != nil {
		return nil, err
	}
	testNames, err := classFolders(filepath.Join(dir, "test"))
	if err != nil {
		return nil, err
	}
	for _, n := range testNames {
		if _, ok := label[n]; !ok {
			return nil, fmt.Errorf("dataset: %s: class %q is not a folder of %s", filepath.Join(dir, "test", n), n, filepath.Join(dir, "train"))
		}
	}
	testFiles, err := listImages(dir, "test", testNames, label)
	if err != nil {
		return nil, err
	}
	if len(trainFiles) == 0 {
		return nil, fmt.Errorf("dataset: %s: no .png or .jpg images", filepath.Join(dir, "train"))
	}
	if len(testFiles) == 0 {
		return nil, fmt.Errorf("dataset: %s: no .png or .jpg images", filepath.Join(dir, "test"))
	}

	// The first training image sets the shape.
	raw, err := os.ReadFile(trainFiles[0].path)
	if err != nil {
		return nil, fmt.Errorf("dataset: %w", err)
	}
	first, _, err := image.Decode(bytes.NewReader(raw))
	if err != nil {
		return nil, &ImageError{File: trainFiles[0].path, Msg: "cannot decode: " + err.Error()}
	}
	b := first.Bounds()
	d.Image = &ImageShape{Height: b.Dy(), Width: b.Dx(), Channels: 3}
	if d.Image.Size() == 0 {
		return nil, &ImageError{File: trainFiles[0].path, Msg: "is empty"}
	}

	var sum FileSum
	if d.Train, sum, err = readImages(ctx, dir, "train", trainFiles, *d.Image, trainFiles[0].path); err != nil {
		return nil, err
	}
	d.Files = append(d.Files, sum)
	if d.Test, sum, err = readImages(ctx, dir, "test", testFiles, *d.Image, trainFiles[0].path); err != nil {
		return nil, err
	}
	d.Files = append(d.Files, sum)
	return d, nil
}

// classFolders lists the sub-folders of dir, sorted.
func classFolders(dir string) ([]string, error) {
	ents, err := os.ReadDir(dir)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("dataset: %s: no such folder (want DIR/train/<class>/*.png and DIR/test/<class>/*.png)", dir)
		}
		return nil, fmt.Errorf("dataset: %w", err)
	}
	var names []string
	for _, e := range ents {
		if e.IsDir() && !strings.HasPrefix(e.Name(), ".") {
			names = append(names, e.Name())
		}
	}
	slices.Sort(names)
	return names, nil
}

func isImageName(n string) bool {
	if strings.HasPrefix(n, ".") {
		return false
	}
	switch strings.ToLower(filepath.Ext(n)) {
	case ".png", ".jpg", ".jpeg":
		return true
	}
	return false
}

// listImages lists dir/split/<class>/* for the classes given, in class
// then file-name order.
func listImages(dir, split string, classes []string, label map[string]int) ([]imageFile, error) {
	var files []imageFile
	for _, c := range classes {
		ents, err := os.ReadDir(filepath.Join(dir, split, c))
		if err != nil {
			return nil, fmt.Errorf("dataset: %w", err)
		}
		for _, e := range ents {
			if e.Type().IsRegular() && isImageName(e.Name()) {
				rel := split + "/" + c + "/" + e.Name()
				files = append(files, imageFile{path: filepath.Join(dir, split, c, e.Name()), rel: rel, label: label[c]})
			}
		}
	}
	return files, nil
}

// readImages decodes files into a split, in parallel; firstName names the
// image whose shape all must have.
func readImages(ctx context.Context, dir, split string, files []imageFile, shape ImageShape, firstName string) (Split, FileSum, error) {
	s := Split{X: matrix.New(len(files), shape.Size()), Y: make([]int, len(files))}
	sums := make([][sha256.Size]byte, len(files))
	sizes := make([]int64, len(files))
	errs := make([]error, len(files))
	workers := max(1, min(runtime.GOMAXPROCS(0), len(files)))
	var wg sync.WaitGroup
	var next sync.Mutex
	pos := 0
	for w := 0; w < workers; w++ {
		wg.Go(func() {
			for {
				next.Lock()
				i := pos
				pos++
				next.Unlock()
				if i >= len(files) || ctx.Err() != nil {
					return
				}
				f := files[i]
				s.Y[i] = f.label
				raw, err := os.ReadFile(f.path)
				if err != nil {
					errs[i] = fmt.Errorf("dataset: %w", err)
					continue
				}
				sums[i], sizes[i] = sha256.Sum256(raw), int64(len(raw))
				img, _, err := image.Decode(bytes.NewReader(raw))
				if err != nil {
					errs[i] = &ImageError{File: f.path, Msg: "cannot decode: " + err.Error()}
					continue
				}
				if b := img.Bounds(); b.Dx() != shape.Width || b.Dy() != shape.Height {
					errs[i] = &ImageError{File: f.path, Msg: fmt.Sprintf("is %d×%d pixels, want %d×%d like %s (all images must have one size)",
						b.Dx(), b.Dy(), shape.Width, shape.Height, firstName)}
					continue
				}
				toPlanes(s.X.Row(i), img)
			}
		})
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return Split{}, FileSum{}, err
	}
	for _, err := range errs {
		if err != nil {
			return Split{}, FileSum{}, err
		}
	}
	// A listing sorted by path, as sha256sum would print it.
	order := make([]int, len(files))
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(a, b int) int { return strings.Compare(files[a].rel, files[b].rel) })
	h := sha256.New()
	var total int64
	for _, i := range order {
		fmt.Fprintf(h, "%s  %s\n", hex.EncodeToString(sums[i][:]), files[i].rel)
		total += sizes[i]
	}
	sum := FileSum{Name: fmt.Sprintf("%s (%d images)", filepath.Join(dir, split), len(files)), Bytes: total,
		SHA256: hex.EncodeToString(h.Sum(nil))}
	return s, sum, nil
}

// toPlanes writes img as R, G and B planes of 0–255 values.
func toPlanes(dst []float32, img image.Image) {
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	plane := w * h
	switch m := img.(type) {
	case *image.NRGBA:
		for y := 0; y < h; y++ {
			row := m.Pix[y*m.Stride : y*m.Stride+4*w]
			for x := 0; x < w; x++ {
				p := y*w + x
				dst[p], dst[plane+p], dst[2*plane+p] = float32(row[4*x]), float32(row[4*x+1]), float32(row[4*x+2])
			}
		}
	case *image.Gray:
		for y := 0; y < h; y++ {
			for x := 0; x < w; x++ {
				v := float32(m.Pix[y*m.Stride+x])
				p := y*w + x
				dst[p], dst[plane+p], dst[2*plane+p] = v, v, v
			}
		}
	default:
		for y := 0; y < h; y++ {
			for x := 0; x < w; x++ {
				c := color.NRGBAModel.Convert(img.At(b.Min.X+x, b.Min.Y+y)).(color.NRGBA)
				p := y*w + x
				dst[p], dst[plane+p], dst[2*plane+p] = float32(c.R), float32(c.G), float32(c.B)
			}
		}
	}
}
