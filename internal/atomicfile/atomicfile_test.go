package atomicfile

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"slices"
	"testing"
)

func TestWriteReplaces(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "out.json")
	if err := os.WriteFile(p, []byte("old"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := WriteBytes(p, []byte("new")); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(p)
	if err != nil || string(b) != "new" {
		t.Fatalf("read %q, %v; want new", b, err)
	}
	if fi, _ := os.Stat(p); fi.Mode().Perm()&0o044 == 0 {
		t.Errorf("mode %v: want readable by others", fi.Mode())
	}
	onlyFile(t, dir, "out.json")
}

func TestFailedWriteLeavesOldFileAndNoTemporary(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "model")
	if err := os.WriteFile(p, []byte("finished result"), 0o644); err != nil {
		t.Fatal(err)
	}
	boom := errors.New("disk full")
	err := Write(p, func(w io.Writer) error {
		io.WriteString(w, "half a mod")
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("err = %v, want %v", err, boom)
	}
	b, _ := os.ReadFile(p)
	if string(b) != "finished result" {
		t.Errorf("destination changed to %q", b)
	}
	onlyFile(t, dir, "model")
}

func TestMissingFolder(t *testing.T) {
	if err := WriteBytes(filepath.Join(t.TempDir(), "no", "such", "f"), nil); err == nil {
		t.Fatal("no error for a missing folder")
	}
}

func onlyFile(t *testing.T, dir string, want ...string) {
	t.Helper()
	es, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range es {
		names = append(names, e.Name())
	}
	if !slices.Equal(names, want) {
		t.Errorf("folder holds %v, want only %v", names, want)
	}
}

func TestWriteAllLeavesNoneOnFailure(t *testing.T) {
	dir := t.TempDir()
	a, b := filepath.Join(dir, "model"), filepath.Join(dir, "model.json")
	ok := func(s string) func(io.Writer) error {
		return func(w io.Writer) error { _, err := io.WriteString(w, s); return err }
	}
	// The second file's content fails: neither is written.
	err := WriteAll(File{a, ok("m")}, File{b, func(io.Writer) error { return errors.New("disk full") }})
	if err == nil {
		t.Fatal("no error")
	}
	onlyFile(t, dir)
	// The second rename fails: the first file is removed again.
	n := 0
	rename = func(from, to string) error {
		if n++; n == 2 {
			return errors.New("rename failed")
		}
		return os.Rename(from, to)
	}
	defer func() { rename = os.Rename }()
	if err := WriteAll(File{a, ok("m")}, File{b, ok("j")}); err == nil {
		t.Fatal("no error from a failed rename")
	}
	onlyFile(t, dir)
	rename = os.Rename
	if err := WriteAll(File{a, ok("m")}, File{b, ok("j")}); err != nil {
		t.Fatal(err)
	}
	onlyFile(t, dir, "model", "model.json")
}

// A write interrupted before the rename leaves a temporary file that
// IsTemp recognises and RemoveStale removes, and nothing else.
func TestRemoveStale(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "svm-rbf-pixels.model")
	f, err := os.CreateTemp(dir, tempPattern(p)) // what a killed Write leaves
	if err != nil {
		t.Fatal(err)
	}
	f.Close()
	keep := []string{"svm-rbf-pixels.model", ".hidden.tmp", ".x.12a.tmp", "a.1.tmp", ".svmbench.lock", "..1.tmp"}
	for _, n := range keep {
		if err := os.WriteFile(filepath.Join(dir, n), nil, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if !IsTemp(filepath.Base(f.Name())) {
		t.Fatalf("IsTemp(%q) = false for Write's own temporary name", filepath.Base(f.Name()))
	}
	if err := RemoveStale(dir); err != nil {
		t.Fatal(err)
	}
	entries, _ := os.ReadDir(dir)
	var got []string
	for _, e := range entries {
		got = append(got, e.Name())
	}
	if len(got) != len(keep) {
		t.Errorf("after RemoveStale: %q; want exactly %q", got, keep)
	}
	if _, err := os.Stat(f.Name()); !os.IsNotExist(err) {
		t.Errorf("%s survived RemoveStale", f.Name())
	}
}

// TestLargeFile writes a file of several writeback periods in pieces of
// odd sizes and reads it back whole.
func TestLargeFile(t *testing.T) {
	p := filepath.Join(t.TempDir(), "big")
	want := make([]byte, 2*writebackEvery+12345)
	for i := range want {
		want[i] = byte(i * 7 / 3)
	}
	err := Write(p, func(w io.Writer) error {
		for rest := want; len(rest) > 0; {
			n := min(len(rest), 3<<20+17)
			if _, err := w.Write(rest[:n]); err != nil {
				return err
			}
			rest = rest[n:]
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if got, err := os.ReadFile(p); err != nil || !slices.Equal(got, want) {
		t.Fatalf("read back %d bytes (%v), want the %d written", len(got), err, len(want))
	}
}

func TestAheadWriterStartsWriteback(t *testing.T) {
	f, err := os.Create(filepath.Join(t.TempDir(), "f"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	a := &aheadWriter{f: f}
	piece := make([]byte, writebackEvery/3+1)
	for range 7 {
		if _, err := a.Write(piece); err != nil {
			t.Fatal(err)
		}
	}
	// After 3 pieces (just over writebackEvery) and again after 6.
	if want := 6 * int64(len(piece)); a.sent != want || a.n != 7*int64(len(piece)) {
		t.Errorf("writeback started for %d of %d bytes, want %d", a.sent, a.n, want)
	}
}
