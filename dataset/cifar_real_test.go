package dataset

import (
	"context"
	"os"
	"path/filepath"
	"testing"
)

// cifarDir returns $CIFAR10_DIR, skipping the test when it is unset and
// failing it when the folder cannot be read.
func cifarDir(t *testing.T) string {
	t.Helper()
	dir := os.Getenv("CIFAR10_DIR")
	if dir == "" {
		t.Skip("CIFAR10_DIR is not set: set it to a folder of the CIFAR-10 binary batches to run this test")
	}
	if _, err := os.ReadDir(dir); err != nil {
		t.Fatalf("CIFAR10_DIR=%s is set but unreadable: %v", dir, err)
	}
	return dir
}

// TestCIFAR10 reads the whole real data set (0.5 s, 740 MB) and checks its
// counts and the pixel layout against the raw bytes.
func TestCIFAR10(t *testing.T) {
	dir := cifarDir(t)
	d, err := Load(context.Background(), Options{Spec: dir})
	if err != nil {
		t.Fatal(err)
	}
	if d.Train.Len() != 50000 || d.Test.Len() != 10000 {
		t.Fatalf("%d training and %d test images, want 50000 and 10000", d.Train.Len(), d.Test.Len())
	}
	for _, s := range []struct {
		name string
		y    []int
		per  int
	}{{"training", d.Train.Y, 5000}, {"test", d.Test.Y, 1000}} {
		counts := make([]int, 10)
		for _, l := range s.y {
			counts[l]++
		}
		for k, c := range counts {
			if c != s.per {
				t.Errorf("%s class %d (%s): %d images, want %d", s.name, k, d.ClassName(k), c, s.per)
			}
		}
	}
	f, err := os.Open(filepath.Join(dir, "data_batch_3.bin"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rec := make([]byte, cifarRecord)
	if _, err := f.ReadAt(rec, 17*cifarRecord); err != nil {
		t.Fatal(err)
	}
	row := 20000 + 17 // the 18th image of the third batch
	if d.Train.Y[row] != int(rec[0]) {
		t.Errorf("label of training image %d: %d, want %d", row, d.Train.Y[row], rec[0])
	}
	for j, v := range d.Train.X.Row(row) {
		if v != float32(rec[1+j]) {
			t.Fatalf("training image %d, value %d: %v, want %d", row, j, v, rec[1+j])
		}
	}
	n := 0
	for _, f := range d.Files {
		if filepath.Ext(f.Name) == ".bin" {
			n++
			if f.Bytes != 30730000 || len(f.SHA256) != 64 {
				t.Errorf("Files: %+v", f)
			}
		}
	}
	if n != 6 {
		t.Errorf("Files lists %d batches, want 6: %+v", n, d.Files)
	}
}

// TestCIFAR10Archive builds a small archive from the real batches (the
// first 200 records of each training batch, the first 1000 test records)
// and checks that it reads to the same images as the folder.
func TestCIFAR10Archive(t *testing.T) {
	dir := cifarDir(t)
	var ms []member
	take := func(name string, n int) {
		f, err := os.Open(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		b := make([]byte, n)
		if _, err := f.ReadAt(b, 0); err != nil {
			t.Fatal(err)
		}
		ms = append(ms, member{name, b})
	}
	take(cifarMeta, 60)
	for _, n := range cifarTrain {
		take(n, 200*cifarRecord)
	}
	take(cifarTest, 1000*cifarRecord)
	file := filepath.Join(t.TempDir(), ArchiveName)
	if err := os.WriteFile(file, buildArchive(t, cifarArchDir, ms), 0o644); err != nil {
		t.Fatal(err)
	}
	d, err := Load(context.Background(), Options{Spec: file})
	if err != nil {
		t.Fatal(err)
	}
	checkFake(t, d, ms)
	if d.Train.Len() != 1000 || d.Test.Len() != 1000 {
		t.Errorf("%d training and %d test images, want 1000 and 1000", d.Train.Len(), d.Test.Len())
	}
}
