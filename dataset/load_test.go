package dataset

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestLoadSpecs(t *testing.T) {
	ctx := context.Background()
	d, err := Load(ctx, Options{Spec: "synthetic:50,20", Seed: 3})
	if err != nil || d.Train.Len() != 50 || d.Test.Len() != 20 || d.Source != "synthetic seed=3 train=50 test=20" {
		t.Errorf("synthetic:50,20: %v, %v", d, err)
	}
	file := filepath.Join(t.TempDir(), "plain.txt")
	os.WriteFile(file, []byte("1 1:1\n"), 0o644)
	for _, c := range []struct{ spec, want string }{
		{"synthetic:abc", "synthetic:TRAIN,TEST"},
		{"synthetic:0,5", "training size"},
		{"synthetic:5,x", "test size"},
		{"synthetic:5,99999999", "from 1 to 1048576"},
		{"libsvm:", "want libsvm:FILE or libsvm:TRAIN,TEST"},
		{"libsvm:" + file + ",", "want libsvm:FILE or libsvm:TRAIN,TEST"},
		{"images:", "want images:DIR"},
		{"/no/such/thing", "no such file or folder"},
		{file, "not a .tar.gz"},
		{"images:/no/such", "no such folder"},
	} {
		_, err := Load(ctx, Options{Spec: c.spec})
		if err == nil || !strings.Contains(err.Error(), c.want) || !strings.HasPrefix(err.Error(), "dataset: ") {
			t.Errorf("Load(%q): %v, want an error saying %q", c.spec, err, c.want)
		}
	}
}

func TestLoadAuto(t *testing.T) {
	ctx := context.Background()
	ms := fakeMembers()
	arch := buildArchive(t, cifarArchDir, ms)
	withMD5(t, arch)

	// $CIFAR10_DIR comes first, and an error there is final.
	dir := t.TempDir()
	writeFolder(t, dir, ms)
	t.Setenv("CIFAR10_DIR", dir)
	d, err := Load(ctx, Options{NoDownload: true})
	if err != nil || d.Source != "folder "+dir+" (CIFAR10_DIR)" {
		t.Fatalf("auto with CIFAR10_DIR: %v, %v", d, err)
	}
	checkFake(t, d, ms)
	t.Setenv("CIFAR10_DIR", filepath.Join(dir, "nothing"))
	if _, err := Load(ctx, Options{Spec: "auto", NoDownload: true}); err == nil || !strings.Contains(err.Error(), "CIFAR10_DIR=") {
		t.Errorf("auto with a bad CIFAR10_DIR: %v", err)
	}
	t.Setenv("CIFAR10_DIR", "")

	// No cache and no download: one error that says what to do. A
	// leftover partial download is not taken for data.
	cache := filepath.Join(t.TempDir(), "cache")
	os.MkdirAll(cache, 0o755)
	os.WriteFile(filepath.Join(cache, ArchiveName+".123.partial"), arch, 0o644)
	_, err = Load(ctx, Options{CacheDir: cache, NoDownload: true})
	if !errors.Is(err, ErrNoData) {
		t.Fatalf("error %v, want ErrNoData", err)
	}
	for _, s := range []string{"-data DIR", "CIFAR10_DIR", "-data synthetic", "downloading is off"} {
		if !strings.Contains(err.Error(), s) {
			t.Errorf("error %q does not say %q", err, s)
		}
	}
	if strings.Contains(err.Error(), "\n") {
		t.Errorf("error %q is not one line", err)
	}

	// A failed download: the same error, with why, and an empty cache.
	srv := serve(t, arch, 0)
	_, err = Load(ctx, Options{CacheDir: cache, URL: srv.URL + "/missing.tar.gz"})
	if !errors.Is(err, ErrNoData) || !strings.Contains(err.Error(), "404") {
		t.Errorf("error %v, want ErrNoData with the 404", err)
	}
	if names := cacheFiles(t, cache); len(names) != 1 {
		t.Errorf("cache holds %q after a failed download, want only the old partial file", names)
	}

	// A download, then the cache.
	var calls int
	d, err = Load(ctx, Options{CacheDir: cache, URL: srv.URL + "/" + ArchiveName, Progress: func(_, _ int64) { calls++ }})
	if err != nil {
		t.Fatal(err)
	}
	checkFake(t, d, ms)
	if !strings.Contains(d.Source, "downloaded from "+srv.URL) || calls == 0 {
		t.Errorf("Source %q, %d progress calls", d.Source, calls)
	}
	srv.Close() // the cache must not need it
	d, err = Load(ctx, Options{CacheDir: cache, URL: srv.URL + "/" + ArchiveName})
	if err != nil {
		t.Fatal(err)
	}
	checkFake(t, d, ms)
	if d.Source != "archive "+filepath.Join(cache, ArchiveName)+" (cache)" {
		t.Errorf("Source %q", d.Source)
	}

	// A cached archive with another MD5 is refused.
	cifarMD5 = strings.Repeat("0", 32)
	_, err = Load(ctx, Options{CacheDir: cache, NoDownload: true})
	if !errors.Is(err, ErrChecksum) || !strings.Contains(err.Error(), "delete it") {
		t.Errorf("error %v, want ErrChecksum saying to delete the file", err)
	}
}
