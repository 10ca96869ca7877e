package dataset

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"strconv"
	"testing"
)

// BenchmarkCIFAR10Folder60000 reads all 60000 images from $CIFAR10_DIR.
func BenchmarkCIFAR10Folder60000(b *testing.B) {
	dir := os.Getenv("CIFAR10_DIR")
	if dir == "" {
		b.Skip("CIFAR10_DIR is not set")
	}
	b.SetBytes(6 * 30730000)
	for b.Loop() {
		if _, err := Load(context.Background(), Options{Spec: dir}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCIFAR10Archive60000 reads all 60000 images from the archive
// $CIFAR10_ARCHIVE (cifar-10-binary.tar.gz).
func BenchmarkCIFAR10Archive60000(b *testing.B) {
	file := os.Getenv("CIFAR10_ARCHIVE")
	if file == "" {
		b.Skip("CIFAR10_ARCHIVE is not set (a cifar-10-binary.tar.gz)")
	}
	b.SetBytes(6 * 30730000)
	for b.Loop() {
		if _, err := Load(context.Background(), Options{Spec: file}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkWriteLIBSVM1000x3072(b *testing.B) {
	d := Synthetic(1000, 1, 1)
	x, y := d.Train.X, d.Train.Y
	for i := range x.Data {
		x.Data[i] /= 255
	}
	for b.Loop() {
		if err := WriteLIBSVM(io.Discard, x, y); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkReadLIBSVM1000x3072(b *testing.B) {
	d := Synthetic(1000, 1, 1)
	for i := range d.Train.X.Data {
		d.Train.X.Data[i] /= 255
	}
	file := b.TempDir() + "/x.txt"
	if err := WriteLIBSVMFile(file, d.Train.X, d.Train.Y); err != nil {
		b.Fatal(err)
	}
	st, _ := os.Stat(file)
	b.SetBytes(st.Size())
	for b.Loop() {
		if _, _, err := ReadLIBSVMFile(context.Background(), file); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkParseLIBSVMExact1000x3072 parses, from memory, 1000 rows of
// 3072 pixel values k/255 written as scripts/libsvm_speed.sh writes them:
// the exact decimal of each float32 (0.0470588244497776, 15–17 digits).
func BenchmarkParseLIBSVMExact1000x3072(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 2))
	var text []byte
	for i := range 1000 {
		text = strconv.AppendInt(text, int64(i%10), 10)
		for j := range 3072 {
			if v := float32(rng.IntN(256)) / 255; v != 0 {
				text = fmt.Appendf(text, " %d:%s", j+1, strconv.FormatFloat(float64(v), 'g', -1, 64))
			}
		}
		text = append(text, '\n')
	}
	b.SetBytes(int64(len(text)))
	for b.Loop() {
		if _, err := parseLIBSVM(context.Background(), "bench", bytes.NewReader(text), nil); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkStratifiedFolds50000(b *testing.B) {
	y := make([]int, 50000)
	for i := range y {
		y[i] = i % 10
	}
	rng := rand.New(rand.NewPCG(1, 1))
	for b.Loop() {
		StratifiedFolds(y, 5, rng)
	}
}
