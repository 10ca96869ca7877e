package dataset

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// checkFake checks d against the records of fakeMembers.
func checkFake(t *testing.T, d *Dataset, ms []member) {
	t.Helper()
	want := map[string][]byte{}
	for _, m := range ms {
		want[m.name] = m.data
	}
	var train []byte
	for _, n := range cifarTrain {
		train = append(train, want[n]...)
	}
	for _, c := range []struct {
		s   *Split
		raw []byte
	}{{&d.Train, train}, {&d.Test, want[cifarTest]}} {
		n := len(c.raw) / cifarRecord
		if c.s.Len() != n || c.s.X.Rows != n || c.s.X.Cols != cifarPixels {
			t.Fatalf("split has %d labels, %v; want %d×3072", c.s.Len(), c.s.X, n)
		}
		for i := 0; i < n; i++ {
			rec := c.raw[i*cifarRecord:]
			if c.s.Y[i] != int(rec[0]) {
				t.Fatalf("record %d: label %d, want %d", i, c.s.Y[i], rec[0])
			}
			row := c.s.X.Row(i)
			for j := range row {
				if row[j] != float32(rec[1+j]) {
					t.Fatalf("record %d pixel %d: %v, want %d", i, j, row[j], rec[1+j])
				}
			}
		}
	}
	if d.Image == nil || *d.Image != (ImageShape{32, 32, 3}) {
		t.Errorf("Image = %v, want 32×32×3", d.Image)
	}
	if len(d.Classes) != 10 || d.Classes[0].Name != "airplane" || d.Classes[9] != (Class{9, "truck"}) {
		t.Errorf("Classes = %v", d.Classes)
	}
}

func TestFolder(t *testing.T) {
	dir := t.TempDir()
	ms := fakeMembers()
	writeFolder(t, dir, ms)
	var last, total int64
	d, err := Load(context.Background(), Options{Spec: dir, Progress: func(done, tot int64) { last, total = done, tot }})
	if err != nil {
		t.Fatal(err)
	}
	checkFake(t, d, ms)
	if d.Source != "folder "+dir {
		t.Errorf("Source = %q", d.Source)
	}
	if last == 0 || last != total {
		t.Errorf("progress ended at %d of %d", last, total)
	}
	// meta + 6 batches, each with the SHA-256 of its bytes.
	if len(d.Files) != 7 {
		t.Fatalf("Files = %v", d.Files)
	}
	for _, f := range d.Files {
		raw, err := os.ReadFile(f.Name)
		if err != nil {
			t.Fatal(err)
		}
		if want := fileSum(f.Name, raw); f != want {
			t.Errorf("Files: %+v, want %+v", f, want)
		}
	}
}

func TestFolderWithoutMeta(t *testing.T) {
	dir := t.TempDir()
	ms := fakeMembers()
	writeFolder(t, dir, ms[:6])
	d, err := Load(context.Background(), Options{Spec: dir})
	if err != nil {
		t.Fatal(err)
	}
	checkFake(t, d, ms) // the standard names
}

func TestArchive(t *testing.T) {
	ms := fakeMembers()
	// Members in a scrambled order, as in the official archive.
	scrambled := []member{ms[0], ms[6], ms[2], ms[3], ms[5], ms[1], ms[4]}
	arch := buildArchive(t, cifarArchDir, scrambled)
	file := filepath.Join(t.TempDir(), "cifar-10-binary.tar.gz")
	if err := os.WriteFile(file, arch, 0o644); err != nil {
		t.Fatal(err)
	}
	d, err := Load(context.Background(), Options{Spec: file})
	if err != nil {
		t.Fatal(err)
	}
	checkFake(t, d, ms)
	if d.Source != "archive "+file {
		t.Errorf("Source = %q", d.Source)
	}
	if len(d.Files) != 8 || d.Files[0].Name != file || d.Files[0].MD5 != md5hex(arch) || d.Files[0].Bytes != int64(len(arch)) {
		t.Fatalf("Files = %+v", d.Files)
	}
	if want := fileSum("", arch).SHA256; d.Files[0].SHA256 != want {
		t.Errorf("archive SHA-256 %s, want %s", d.Files[0].SHA256, want)
	}
	names := []string{}
	for _, f := range d.Files[1:] {
		names = append(names, f.Name)
	}
	want := []string{"cifar-10-batches-bin/batches.meta.txt", "cifar-10-batches-bin/data_batch_1.bin", "cifar-10-batches-bin/data_batch_2.bin",
		"cifar-10-batches-bin/data_batch_3.bin", "cifar-10-batches-bin/data_batch_4.bin", "cifar-10-batches-bin/data_batch_5.bin",
		"cifar-10-batches-bin/test_batch.bin"}
	if !slices.Equal(names, want) {
		t.Errorf("member names %q, want %q", names, want)
	}

	// Training batches of one size are decoded while the archive is
	// inflated (the path of the official archive); check that one too.
	even := append([]member(nil), ms...)
	for i := range cifarTrain {
		even[i].data = fakeBatch(uint64(10+i), 4, i)
	}
	file1 := filepath.Join(t.TempDir(), "even.tar.gz")
	if err := os.WriteFile(file1, buildArchive(t, cifarArchDir, []member{even[4], even[6], even[2], even[0], even[5], even[1], even[3]}), 0o644); err != nil {
		t.Fatal(err)
	}
	d1, err := Load(context.Background(), Options{Spec: file1})
	if err != nil {
		t.Fatal(err)
	}
	checkFake(t, d1, even)

	// The same without the folder prefix, and from a .tgz name.
	file2 := filepath.Join(t.TempDir(), "flat.tgz")
	if err := os.WriteFile(file2, buildArchive(t, "", ms), 0o644); err != nil {
		t.Fatal(err)
	}
	d2, err := Load(context.Background(), Options{Spec: file2})
	if err != nil {
		t.Fatal(err)
	}
	checkFake(t, d2, ms)
}

func TestCIFARErrors(t *testing.T) {
	ms := fakeMembers()
	bad11 := fakeBatch(2, 5, 0)
	bad11[3*cifarRecord] = 11 // record 4
	trunc := fakeBatch(2, 5, 0)[:4*cifarRecord+1200]
	cases := []struct {
		name string
		ms   []member
		want string
	}{
		{"truncated", replace(ms, "data_batch_3.bin", trunc), "data_batch_3.bin: record 5 is truncated: 1200 of 3073 bytes"},
		{"label 11", replace(ms, "test_batch.bin", bad11), "test_batch.bin: record 4 has label 11, want 0–9"},
		{"empty", replace(ms, "data_batch_2.bin", nil), "data_batch_2.bin: file is empty"},
		{"short meta", replace(ms, cifarMeta, []byte("a\nb\n")), "batches.meta.txt: has 2 class names, want 10"},
		{"blank name", replace(ms, cifarMeta, []byte("a\nb\n\nc\nd\ne\nf\ng\nh\ni\n")), "batches.meta.txt:3: empty class name"},
		{"sums", append(replace(ms, "x", nil), member{cifarSums, []byte(strings.Repeat("0", 64) + "  data_batch_1.bin\n")}),
			"data_batch_1.bin: SHA-256 "},
		// Issue 13: a SHA256SUMS of garbage was ignored, checking nothing.
		{"garbage sums", append(replace(ms, "x", nil), member{cifarSums, []byte("these are not checksums\n")}),
			"SHA256SUMS:1: want \"SHA256  FILE\""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			writeFolder(t, dir, c.ms)
			_, err := Load(context.Background(), Options{Spec: dir})
			if err == nil || !strings.Contains(err.Error(), c.want) || !strings.HasPrefix(err.Error(), "dataset: "+dir) {
				t.Errorf("folder: error %v, want one naming %s/…%q", err, dir, c.want)
			}
			file := filepath.Join(t.TempDir(), "a.tar.gz")
			if err := os.WriteFile(file, buildArchive(t, cifarArchDir, c.ms), 0o644); err != nil {
				t.Fatal(err)
			}
			_, err = Load(context.Background(), Options{Spec: file})
			if err == nil || !strings.Contains(err.Error(), c.want) || !strings.HasPrefix(err.Error(), "dataset: "+file+": "+cifarArchDir+"/") {
				t.Errorf("archive: error %v, want one naming %s: %s/…%q", err, file, cifarArchDir, c.want)
			}
		})
	}
	var re *RecordError
	dir := t.TempDir()
	writeFolder(t, dir, replace(ms, "data_batch_3.bin", trunc))
	if _, err := Load(context.Background(), Options{Spec: dir}); !errors.As(err, &re) || re.Record != 5 || re.File != filepath.Join(dir, "data_batch_3.bin") {
		t.Errorf("error %#v, want a *RecordError for record 5 of data_batch_3.bin", err)
	}
}

func TestCIFARMissing(t *testing.T) {
	ms := fakeMembers()
	dir := t.TempDir()
	writeFolder(t, dir, append(ms[:3:3], ms[4:]...)) // no data_batch_4.bin
	_, err := Load(context.Background(), Options{Spec: dir})
	if err == nil || !strings.Contains(err.Error(), "missing data_batch_4.bin") {
		t.Errorf("error %v, want one about the missing data_batch_4.bin", err)
	}
	file := filepath.Join(t.TempDir(), "a.tar.gz")
	os.WriteFile(file, buildArchive(t, cifarArchDir, ms[1:]), 0o644)
	_, err = Load(context.Background(), Options{Spec: file})
	if err == nil || !strings.Contains(err.Error(), "no member cifar-10-batches-bin/data_batch_1.bin") {
		t.Errorf("error %v, want one about the missing data_batch_1.bin", err)
	}
	// Two members with one name.
	os.WriteFile(file, buildArchive(t, cifarArchDir, append(ms, ms[0])), 0o644)
	_, err = Load(context.Background(), Options{Spec: file})
	if err == nil || !strings.Contains(err.Error(), "two members named data_batch_1.bin") {
		t.Errorf("error %v, want one about two data_batch_1.bin", err)
	}
	// Not gzip, and gzip but cut short.
	arch := buildArchive(t, cifarArchDir, ms)
	os.WriteFile(file, arch[10:], 0o644)
	if _, err = Load(context.Background(), Options{Spec: file}); err == nil || !strings.Contains(err.Error(), "not a gzip-compressed tar archive") {
		t.Errorf("error %v, want not gzip", err)
	}
	os.WriteFile(file, arch[:len(arch)/2], 0o644)
	if _, err = Load(context.Background(), Options{Spec: file}); err == nil || !strings.Contains(err.Error(), file) {
		t.Errorf("error %v, want one naming %s", err, file)
	}
}

func TestArchiveCancel(t *testing.T) {
	file := filepath.Join(t.TempDir(), "a.tar.gz")
	os.WriteFile(file, buildArchive(t, cifarArchDir, fakeMembers()), 0o644)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Load(ctx, Options{Spec: file}); !errors.Is(err, context.Canceled) {
		t.Errorf("archive: error %v, want context.Canceled", err)
	}
	dir := t.TempDir()
	writeFolder(t, dir, fakeMembers())
	if _, err := Load(ctx, Options{Spec: dir}); !errors.Is(err, context.Canceled) {
		t.Errorf("folder: error %v, want context.Canceled", err)
	}
}

func TestCheckBatch(t *testing.T) {
	for _, c := range []struct {
		raw  []byte
		n    int
		want string
	}{
		{fakeBatch(1, 3, 0), 3, ""},
		{fakeBatch(1, 1, 0)[:3072], 0, "record 1 is truncated: 3072 of 3073 bytes"},
		{append(fakeBatch(1, 2, 0), 9), 0, "record 3 is truncated: 1 of 3073 bytes"},
		{append(fakeBatch(1, 2, 0), 10), 0, "record 3 is truncated: 1 of 3073 bytes"},
		{[]byte{}, 0, "file is empty"},
		{append([]byte{10}, make([]byte, 3072)...), 0, "record 1 has label 10"},
	} {
		n, err := checkBatch("f.bin", c.raw)
		if c.want == "" {
			if err != nil || n != c.n {
				t.Errorf("checkBatch(%d bytes) = %d, %v; want %d", len(c.raw), n, err, c.n)
			}
			continue
		}
		if err == nil || !strings.Contains(err.Error(), c.want) || !strings.HasPrefix(err.Error(), "dataset: f.bin: ") {
			t.Errorf("checkBatch(%d bytes): %v, want %q", len(c.raw), err, c.want)
		}
	}
}
