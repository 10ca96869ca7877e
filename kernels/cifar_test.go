package kernels

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/svmbench/svmbench/matrix"
)

// loadCIFAR reads the first n images of data_batch_1.bin under CIFAR10_DIR as
// rows of pixels/255 (3072 values, channel planes as stored). It skips the
// test when CIFAR10_DIR is unset and fails it when the file cannot be read.
func loadCIFAR(t *testing.T, n int) *matrix.Matrix {
	t.Helper()
	dir := os.Getenv("CIFAR10_DIR")
	if dir == "" {
		t.Skip("CIFAR10_DIR is not set: skipping the test on CIFAR-10 images")
	}
	name := filepath.Join(dir, "data_batch_1.bin")
	f, err := os.Open(name)
	if err != nil {
		t.Fatalf("CIFAR10_DIR is set but: %v", err)
	}
	defer f.Close()
	const rec = 1 + 3072
	buf := make([]byte, n*rec)
	if _, err := io.ReadFull(f, buf); err != nil {
		t.Fatalf("%s: reading %d records of %d bytes: %v", name, n, rec, err)
	}
	x := matrix.New(n, 3072)
	for i := 0; i < n; i++ {
		if l := buf[i*rec]; l > 9 {
			t.Fatalf("%s: record %d has label %d, want 0..9", name, i, l)
		}
		row := x.Row(i)
		for j, b := range buf[i*rec+1 : (i+1)*rec] {
			row[j] = float32(b) / 255
		}
	}
	return x
}

// TestCIFARKernels compares the engine with the float64 definitions on 300
// CIFAR-10 images, with the parameters LIBSVM was run with in FACTS.md.
func TestCIFARKernels(t *testing.T) {
	x := loadCIFAR(t, 300)
	for _, k := range []Kernel{
		RBF{Gamma: 0.005},
		Linear{},
		Sigmoid{Alpha: 0.0003, Coef0: 0},
		Sigmoid{Alpha: 0.001, Coef0: -1},
	} {
		e := mustEngine(t, k, x)
		g := matrix.New(x.Rows, x.Rows)
		e.Gram(g)
		checkBlock(t, fmt.Sprintf("CIFAR-10 %d images Gram", x.Rows), k, g, x, x, nil, nil)
		checkSymmetric(t, "CIFAR-10 Gram", g)
		idx := []int{299, 0, 7, 7, 150}
		c := matrix.New(len(idx), x.Rows)
		e.Columns(c, idx)
		checkBlock(t, "CIFAR-10 Columns", k, c, x, x, idx, nil)
	}
}
