package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/svmbench/svmbench/internal/progress"
)

// runBench runs one command line with stdout and stderr captured: out is
// what the command printed, errs what run printed (errors, usage), and
// prog the progress lines.
func runBench(t *testing.T, args ...string) (code int, out, errs, prog string) {
	t.Helper()
	return runBenchCtx(t, context.Background(), args...)
}

// runBenchCtx is runBench under ctx (a cancelled one: Ctrl-C).
func runBenchCtx(t *testing.T, ctx context.Context, args ...string) (code int, out, errs, prog string) {
	t.Helper()
	var o, e, p bytes.Buffer
	oldOut, oldErr := stdout, stderr
	stdout, stderr = &o, &p
	defer func() { stdout, stderr = oldOut, oldErr }()
	code = run(ctx, args, &e)
	return code, o.String(), e.String(), p.String()
}

// writeBatch writes a CIFAR-10 binary batch of the given labels; pixel
// values are a function of the record and position.
func writeBatch(t *testing.T, name string, labels []byte) {
	t.Helper()
	var b bytes.Buffer
	for i, l := range labels {
		b.WriteByte(l)
		for j := 0; j < 3072; j++ {
			b.WriteByte(byte(i*7 + j))
		}
	}
	if err := os.WriteFile(name, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

// cifarFolder makes a small CIFAR-10 folder: 20 training images per batch
// (2 a class) and 10 test images (1 a class).
func cifarFolder(t *testing.T) string {
	dir := t.TempDir()
	var train, test []byte
	for i := 0; i < 20; i++ {
		train = append(train, byte(i%10))
	}
	for i := 0; i < 10; i++ {
		test = append(test, byte(i))
	}
	for k := 1; k <= 5; k++ {
		writeBatch(t, filepath.Join(dir, fmt.Sprintf("data_batch_%d.bin", k)), train)
	}
	writeBatch(t, filepath.Join(dir, "test_batch.bin"), test)
	return dir
}

// oneLine fails unless errs is exactly one line that matches every
// pattern.
func oneLine(t *testing.T, errs string, patterns ...string) {
	t.Helper()
	if strings.Count(errs, "\n") != 1 || !strings.HasSuffix(errs, "\n") {
		t.Errorf("stderr is not one line:\n%s", errs)
	}
	if strings.Contains(errs, "goroutine") || strings.Contains(errs, "panic") {
		t.Errorf("stderr holds a panic trace:\n%s", errs)
	}
	for _, p := range patterns {
		if !regexp.MustCompile(p).MatchString(errs) {
			t.Errorf("stderr %q does not match %q", errs, p)
		}
	}
}

// classRows returns the per-class rows of bench data's table as
// "label name train test" with single spaces.
func classRows(out string) map[string]string {
	rows := map[string]string{}
	for _, l := range strings.Split(out, "\n") {
		f := strings.Fields(strings.ReplaceAll(l, "|", " ")) // tablewriter's ASCII borders
		if len(f) == 4 && regexp.MustCompile(`^-?\d+$`).MatchString(f[0]) {
			rows[f[1]] = strings.Join(f, " ")
		}
	}
	return rows
}

func TestDataSynthetic(t *testing.T) {
	code, out, errs, _ := runBench(t, "data", "-data", "synthetic:200,50")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	for _, want := range []string{"source   synthetic", "32×32×3 images", "train    200 samples", "test     50 samples", "total", "verified: 250 samples"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	rows := classRows(out)
	if len(rows) != 10 {
		t.Fatalf("%d class rows, want 10:\n%s", len(rows), out)
	}
	for name, r := range rows {
		if !strings.HasSuffix(r, " 20 5") {
			t.Errorf("class %s: %q, want 20 train and 5 test", name, r)
		}
	}
	// The default size works too.
	if code, _, errs, _ := runBench(t, "data", "-data", "synthetic"); code != 0 {
		t.Errorf("-data synthetic: exit %d: %s", code, errs)
	}
}

func TestDataBalancedSubset(t *testing.T) {
	code, out, errs, _ := runBench(t, "data", "-data", "synthetic:200,50", "-train", "30", "-test", "10", "-seed", "3")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	for name, r := range classRows(out) {
		if !strings.HasSuffix(r, " 3 1") {
			t.Errorf("class %s: %q, want 3 train and 1 test", name, r)
		}
	}
	if !strings.Contains(out, "balanced subset -train 30 -test 10 -seed 3") {
		t.Errorf("source does not say the subset:\n%s", out)
	}
	code, _, errs, _ = runBench(t, "data", "-data", "synthetic:200,50", "-train", "-1")
	if code != 2 || !strings.Contains(errs, "-train -1") {
		t.Errorf("-train -1: exit %d, %q; want 2 and the flag named", code, errs)
	}
	code, _, errs, _ = runBench(t, "data", "-data", "synthetic:200,50", "-train", "500")
	if code != 1 || !strings.Contains(errs, "500") {
		t.Errorf("-train 500 of 200: exit %d, %q", code, errs)
	}
}

func TestDataFolder(t *testing.T) {
	dir := cifarFolder(t)
	code, out, errs, _ := runBench(t, "data", "-data", dir)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	rows := classRows(out)
	if len(rows) != 10 || rows["airplane"] != "0 airplane 10 1" || rows["truck"] != "9 truck 10 1" {
		t.Errorf("class rows %v:\n%s", rows, out)
	}
	if !strings.Contains(out, "train    100 samples") || !strings.Contains(out, "test     10 samples") {
		t.Errorf("counts:\n%s", out)
	}
	// Every batch is listed with its SHA-256.
	for _, n := range []string{"data_batch_1.bin", "data_batch_5.bin", "test_batch.bin"} {
		if !regexp.MustCompile(regexp.QuoteMeta(n)+`\s+\|\s+61460\s+\|\s+sha256 [0-9a-f]{64}`).MatchString(out) &&
			!regexp.MustCompile(regexp.QuoteMeta(n)+`\s+\|\s+30730\s+\|\s+sha256 [0-9a-f]{64}`).MatchString(out) {
			t.Errorf("no checksum line for %s:\n%s", n, out)
		}
	}
}

func TestDataTruncatedBatch(t *testing.T) {
	dir := cifarFolder(t)
	name := filepath.Join(dir, "data_batch_3.bin")
	raw, _ := os.ReadFile(name)
	if err := os.WriteFile(name, raw[:len(raw)-1000], 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errs, _ := runBench(t, "data", "-data", dir)
	if code != 1 {
		t.Fatalf("exit %d, want 1; stderr %s", code, errs)
	}
	// 20 records less 1000 bytes: record 20 is short.
	oneLine(t, errs, `data_batch_3\.bin`, `record 20`)
	if out != "" {
		t.Errorf("printed a description of bad data:\n%s", out)
	}
}

func TestDataBadLabel(t *testing.T) {
	dir := cifarFolder(t)
	writeBatch(t, filepath.Join(dir, "test_batch.bin"), []byte{0, 1, 2, 11, 4})
	code, _, errs, _ := runBench(t, "data", "-data", dir)
	if code != 1 {
		t.Fatalf("exit %d, want 1; stderr %s", code, errs)
	}
	oneLine(t, errs, `test_batch\.bin`, `record 4`, `11`)
}

func TestDataLIBSVMDescendingIndices(t *testing.T) {
	dir := t.TempDir()
	train, test := filepath.Join(dir, "train.txt"), filepath.Join(dir, "test.txt")
	os.WriteFile(train, []byte("0 1:0.2 2:0.4\n1 3:0.5 2:0.1\n"), 0o644)
	os.WriteFile(test, []byte("0 1:0.1\n1 2:0.3\n"), 0o644)
	code, _, errs, _ := runBench(t, "data", "-data", "libsvm:"+train+","+test)
	if code != 1 {
		t.Fatalf("exit %d, want 1; stderr %s", code, errs)
	}
	oneLine(t, errs, regexp.QuoteMeta(train)+`:2:`, `ascending`)

	// The good file describes fine, classes named by their labels.
	os.WriteFile(train, []byte("-1 1:0.2 2:0.4\n+1 3:0.5\n# comment\n\n-1 2:1 # trailing\n"), 0o644)
	os.WriteFile(test, []byte("-1 1:0.1\n1 2:0.3\n"), 0o644)
	code, out, errs, _ := runBench(t, "data", "-data", "libsvm:"+train+","+test)
	if code != 0 {
		t.Fatalf("good LIBSVM files: exit %d: %s", code, errs)
	}
	if !strings.Contains(out, "vectors of 3 features") || classRows(out)["-1"] != "-1 -1 2 1" || classRows(out)["1"] != "1 1 1 1" {
		t.Errorf("LIBSVM description:\n%s", out)
	}
}

func TestDataUsageErrors(t *testing.T) {
	for _, args := range [][]string{
		{"data", "-no-such-flag"},
		{"data", "extra"},
		{"data", "-data", "synthetic", "-download"},
		{"data", "-train", "x"},
	} {
		code, _, errs, _ := runBench(t, args...)
		if code != 2 {
			t.Errorf("%q: exit %d, want 2 (stderr %q)", args, code, errs)
		}
		if !strings.Contains(errs, "Usage: bench data") {
			t.Errorf("%q: no usage text in %q", args, errs)
		}
	}
	code, _, errs, _ := runBench(t, "data", "-data", filepath.Join(t.TempDir(), "nothing"))
	if code != 1 {
		t.Errorf("missing path: exit %d", code)
	}
	oneLine(t, errs, "nothing")
}

func TestDataDownloadBadArchiveLeavesNothing(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Write(bytes.Repeat([]byte("not an archive "), 1000))
	}))
	defer srv.Close()
	cache := t.TempDir()
	code, _, errs, _ := runBench(t, "data", "-download", "-cache-dir", cache, "-url", srv.URL+"/cifar-10-binary.tar.gz")
	if code != 1 {
		t.Fatalf("exit %d, want 1: %s", code, errs)
	}
	oneLine(t, errs, `(?i)md5`)
	if left, _ := os.ReadDir(cache); len(left) != 0 {
		t.Errorf("cache holds %v after a bad download", left)
	}
	// A bad cached archive is reported, with what to do.
	os.WriteFile(filepath.Join(cache, "cifar-10-binary.tar.gz"), []byte("junk"), 0o644)
	code, _, errs, _ = runBench(t, "data", "-download", "-cache-dir", cache)
	if code != 1 {
		t.Fatalf("bad cached archive: exit %d: %s", code, errs)
	}
	oneLine(t, errs, `cifar-10-binary\.tar\.gz`)
}

func TestDataCIFAR10(t *testing.T) {
	dir := os.Getenv("CIFAR10_DIR")
	if dir == "" {
		t.Skip("CIFAR10_DIR is not set: skipping the full CIFAR-10 check (set it to the cifar-10-batches-bin folder)")
	}
	code, out, errs, _ := runBench(t, "data", "-data", dir)
	if code != 0 {
		t.Fatalf("CIFAR10_DIR=%s is set but unreadable: exit %d: %s", dir, code, errs)
	}
	if !strings.Contains(out, "train    50000 samples") || !strings.Contains(out, "test     10000 samples") {
		t.Errorf("counts:\n%s", out)
	}
	rows := classRows(out)
	names := []string{"airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"}
	for i, n := range names {
		if want := fmt.Sprintf("%d %s 5000 1000", i, n); rows[n] != want {
			t.Errorf("class row %q, want %q", rows[n], want)
		}
	}
}

func TestFeatureFlags(t *testing.T) {
	f := &featureFlags{name: "hog"}
	if e, err := f.extractor(); err != nil || e.Name() != "hog" {
		t.Errorf("hog: %v, %v", e, err)
	}
	var ue *usageError
	f.name = "sift"
	_, err := f.extractor()
	if !errors.As(err, &ue) || !strings.Contains(err.Error(), "pixels, standard, gray, hog") {
		t.Errorf("unknown feature set: %v", err)
	}
	f.name = "cnn"
	_, err = f.extractor()
	if !errors.As(err, &ue) || !strings.Contains(err.Error(), "features cnn needs a trained CNN: -cnn-model FILE") {
		t.Errorf("cnn without a model: %v", err)
	}
	f.cnnModel = filepath.Join(t.TempDir(), "m.cnn")
	if _, err = f.extractor(); err == nil || errors.As(err, &ue) || !strings.Contains(err.Error(), "m.cnn") {
		t.Errorf("cnn with a missing model file: %v, want an error naming the file (not a usage error)", err)
	}
	f.name = " pixels, hog ,"
	if l := f.list(); strings.Join(l, "|") != "pixels|hog" {
		t.Errorf("list = %q", l)
	}
}

func TestPhaseBars(t *testing.T) {
	var buf bytes.Buffer
	prog := progress.NewWith(&buf, progress.Options{Mode: progress.Plain})
	pb := newPhaseBars(prog, []string{"download", "read"})
	pb.report(50, 100)
	pb.report(100, 100)
	pb.report(10, 100) // the count starts again: the read
	pb.report(100, 100)
	pb.done()
	prog.Wait()
	want := "download: 100% (100 B/100 B) done in"
	lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
	if len(lines) != 2 || !strings.HasPrefix(lines[0], want) || !strings.HasPrefix(lines[1], "read: 100% (100 B/100 B) done in") {
		t.Errorf("phase lines:\n%s", buf.String())
	}
}
