package main

// SIGTERM and SIGINT through the bench process for train, run and merge
// (issue 13), with the helpers of fault_test.go: the child process is this
// test binary, the signal comes at a seeded point.

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/svmbench/svmbench/bench"
)

// faultTrain is a small training: a one-vs-one RBF C-SVC on 1500
// synthetic gray images, under half a second on an idle machine.
func faultTrain(model string) []string {
	return []string{"train", "-data", "synthetic:1500,60", "-seed", "3", "-features", "gray", "-kernel", "rbf", "-model", model}
}

// trainFiles is the model and sidecar in dir: both or neither, with the
// model's bytes (empty when neither).
func trainFiles(t *testing.T, what, dir string) []byte {
	t.Helper()
	m, errM := os.ReadFile(filepath.Join(dir, "m.model"))
	_, errJ := os.Stat(filepath.Join(dir, "m.model.json"))
	if (errM == nil) != (errJ == nil) {
		t.Fatalf("%s: the model and its sidecar are not both or neither (model: %v, sidecar: %v)", what, errM, errJ)
	}
	noPartialFiles(t, what, dir)
	return m
}

// SIGTERM and SIGINT a training at a seeded time while it trains (exit 130,
// "nothing was written", neither file), and once during the model's save
// (the save completes: both files, exit 0); the rerun writes the model of
// an uninterrupted run byte for byte.
func TestFaultTrainSignals(t *testing.T) {
	tmp := t.TempDir()
	refDir := filepath.Join(tmp, "ref")
	os.Mkdir(refDir, 0o755)
	t0 := time.Now()
	if code, errs := runProc(t, faultTrain(filepath.Join(refDir, "m.model"))...); code != 0 {
		t.Fatalf("reference train: exit %d: %s", code, errs)
	}
	span := time.Since(t0)
	want := trainFiles(t, "reference", refDir)
	rng := rand.New(rand.NewPCG(23, 0x6b696c6c))
	for _, sig := range []syscall.Signal{syscall.SIGTERM, syscall.SIGINT} {
		dir := filepath.Join(tmp, sig.String())
		os.Mkdir(dir, 0o755)
		// Within the first third of the reference run: a rerun may be faster.
		delay := span/20 + time.Duration(rng.Int64N(int64(span)/4))
		what := fmt.Sprintf("%v after %v of %v", sig, delay.Round(time.Millisecond), span.Round(time.Millisecond))
		sent, code, errs := signalWhen(t, func() bool { return true }, delay, sig, faultTrain(filepath.Join(dir, "m.model"))...)
		if sent && code == 0 {
			// The signal met the save or the exit (training ended sooner
			// than the reference's span suggested: the machine's load
			// varies): the save finishes, so the pair must be whole.
			if !bytes.Equal(trainFiles(t, what, dir), want) {
				t.Fatalf("%s: exit 0 after the signal, but the model differs from the uninterrupted run's", what)
			}
			t.Logf("%s: arrived after training, the save finished: exit 0, the pair whole", what)
			continue
		}
		interrupted(t, what, sent, code, errs, "nothing was written")
		if m := trainFiles(t, what, dir); m != nil {
			t.Fatalf("%s: exit 130 but the model was written", what)
		}
		if code, errs := runProc(t, faultTrain(filepath.Join(dir, "m.model"))...); code != 0 {
			t.Fatalf("%s: rerun exit %d: %s", what, code, errs)
		}
		if !bytes.Equal(trainFiles(t, what, dir), want) {
			t.Errorf("%s: the rerun's model differs from the uninterrupted run's", what)
		}
		t.Logf("%s: exit 130, nothing written, rerun to the same model", what)
	}
	// During the save (a temporary file exists): the save is finished, so
	// the pair is whole and equal to the reference's.
	dir := filepath.Join(tmp, "save")
	os.Mkdir(dir, 0o755)
	saving := func() bool { return len(tempFiles(dir)) > 0 }
	sent, code, errs := signalWhen(t, saving, 0, syscall.SIGTERM, faultTrain(filepath.Join(dir, "m.model"))...)
	if code != 0 {
		t.Fatalf("SIGTERM during the save (sent: %v): exit %d, %q; want the save finished, exit 0", sent, code, errs)
	}
	if !bytes.Equal(trainFiles(t, "SIGTERM during the save", dir), want) {
		t.Error("SIGTERM during the save: the model differs from the uninterrupted run's")
	}
	t.Logf("SIGTERM during the save (sent: %v): exit 0, the pair whole", sent)
}

// faultRun is a small bench run: four SVMs on 1000 gray images, under a
// second.
func faultRun(out string, extra ...string) []string {
	return append([]string{"run", "-data", "synthetic:1000,100", "-seed", "3",
		"-models", "svm-linear,svm-rbf,svm-poly,svm-sigmoid", "-features", "gray", "-out", out}, extra...)
}

// records is the number of records in dir's results.json (0 when it
// cannot be read).
func records(dir string) int {
	var r bench.Results
	if bench.ReadJSON(filepath.Join(dir, bench.ResultsFile), &r) != nil {
		return 0
	}
	return len(r.Results)
}

// SIGTERM and SIGINT bench run after a seeded number of records (1 or 2
// of 4): exit 130, the message, results.json whole, and -resume ends with
// the uninterrupted run's scores.
func TestFaultRunSignals(t *testing.T) {
	tmp := t.TempDir()
	ref := filepath.Join(tmp, "ref")
	runReference(t, "run", faultRun(ref)...)
	want := resultsOutcome(t, ref)
	rng := rand.New(rand.NewPCG(29, 0x6b696c6c))
	for _, sig := range []syscall.Signal{syscall.SIGTERM, syscall.SIGINT} {
		dir := filepath.Join(tmp, sig.String())
		k := 1 + rng.IntN(2)
		what := fmt.Sprintf("%v after %d records", sig, k)
		sent, code, errs := signalWhen(t, func() bool { return records(dir) >= k }, 0, sig, faultRun(dir)...)
		interrupted(t, what, sent, code, errs, cmdRun.Resume)
		noPartialFiles(t, what, dir)
		n := records(dir)
		if n < k || n >= 4 {
			t.Errorf("%s: results.json holds %d records; want the %d finished, fewer than 4", what, n, k)
		}
		if code, errs := runProc(t, faultRun(dir, "-resume")...); code != 0 {
			t.Fatalf("%s: resume exit %d: %s", what, code, errs)
		}
		if resultsOutcome(t, dir) != want {
			t.Errorf("%s: the resumed results differ from the uninterrupted run's", what)
		}
		t.Logf("%s: exit 130 with %d records kept, resumed to the uninterrupted results", what, n)
	}
}

// A full disk under the main job's report stage: the earlier stages run
// with room to spare, then the disk is filled to 16 pages, fewer than the
// report's figures take. The job stops naming the report file it could not
// write and ENOSPC, leaves no temporary file, keeps the results whole, and
// after space is freed the rerun writes the report.
func TestFaultFullDiskReport(t *testing.T) {
	disk, release := smallDisk(t, 40<<20)
	out := filepath.Join(disk, "a")
	if code, errs := runProc(t, faultMain(out)...); code != 0 {
		t.Fatalf("main job without the report: exit %d: %s", code, errs)
	}
	want := mainOutcome(t, out)
	var st syscall.Statfs_t
	if err := syscall.Statfs(disk, &st); err != nil {
		t.Fatal(err)
	}
	filler := filepath.Join(disk, "filler2")
	if err := os.WriteFile(filler, make([]byte, int64(st.Bavail)*int64(st.Bsize)-16*4096), 0o644); err != nil {
		t.Fatal(err)
	}
	args := append(faultMain(out)[:0:0], faultMain(out)...)
	args[slices.Index(args, "cnn,report")] = "cnn"
	code, errs := runProc(t, args...)
	if code != 1 || !strings.Contains(errs, "no space left on device") || !strings.Contains(errs, "reports: writing "+out+string(filepath.Separator)) {
		t.Fatalf("exit %d, %q: want exit 1 naming a report file under %s and ENOSPC", code, errs, out)
	}
	t.Logf("full disk in the report stage: exit %d: %s", code, lastLine(errs))
	for _, d := range []string{out, filepath.Join(out, "figures"), filepath.Join(out, "tables"), filepath.Join(out, "results")} {
		noPartialFiles(t, "report stage", d)
	}
	if mainOutcome(t, out) != want {
		t.Error("the full report stage changed the results")
	}
	os.Remove(filler)
	release()
	if code, errs := runProc(t, args...); code != 0 {
		t.Fatalf("rerun after freeing space: exit %d: %s", code, errs)
	}
	for _, f := range []string{"report.md", "report.html"} {
		if _, err := os.Stat(filepath.Join(out, f)); err != nil {
			t.Errorf("rerun after freeing space: %v", err)
		}
	}
	if mainOutcome(t, out) != want {
		t.Error("rerun after a full disk: the results differ from the first run's")
	}
}

// SIGTERM and SIGINT bench merge of 204 shard folders at seeded times
// within an uninterrupted merge's duration (tens of milliseconds: the
// point cannot be chosen more finely).
// Whatever the point, the folder is the uninterrupted merge's or holds no
// grid: exit 130 with "nothing was written" (Merge stops before writing),
// exit 0 with the merge complete (the signal came while it wrote), or the
// process ended by the signal itself (before bench's handler was set up).
// A rerun then gives the uninterrupted merge.
func TestFaultMergeSignals(t *testing.T) {
	tmp := t.TempDir()
	var shards []string
	for i := 0; i < 4; i++ {
		s := filepath.Join(tmp, fmt.Sprint("shard", i))
		if code, errs := runProc(t, faultGrid(s, "-no-retrain", "-shard", fmt.Sprintf("%d/4", i))...); code != 0 {
			t.Fatalf("shard %d: %d %s", i, code, errs)
		}
		shards = append(shards, s)
	}
	// 50 copies of each shard: a cell found twice is taken once, and the
	// reading, after which Merge checks for a signal, then takes most of
	// the merge's time.
	for i := 0; i < 200; i++ {
		c := filepath.Join(tmp, fmt.Sprint("copy", i))
		if err := os.CopyFS(c, os.DirFS(shards[i%4])); err != nil {
			t.Fatal(err)
		}
		shards = append(shards, c)
	}
	merge := func(out string) []string { return append([]string{"merge", "-out", out}, shards...) }
	t0 := time.Now()
	ref := filepath.Join(tmp, "ref")
	runReference(t, "merge", merge(ref)...)
	span := time.Since(t0)
	want := gridOutcome(t, ref, "rbf")
	noGrid := func(dir string) bool {
		m, _ := filepath.Glob(filepath.Join(dir, "grid-*"))
		return len(m) == 0
	}
	rng := rand.New(rand.NewPCG(31, 0x6b696c6c))
	outcomes := map[string]int{}
	for i, sig := range []syscall.Signal{syscall.SIGTERM, syscall.SIGINT, syscall.SIGTERM, syscall.SIGINT, syscall.SIGTERM, syscall.SIGINT} {
		dir := filepath.Join(tmp, fmt.Sprint("run", i))
		delay := time.Duration(rng.Int64N(int64(span)))
		what := fmt.Sprintf("%v after %v of %v", sig, delay, span.Round(time.Microsecond))
		sent, code, errs := signalWhen(t, func() bool { return true }, delay, sig, merge(dir)...)
		switch {
		case code == 130 && strings.Contains(errs, "interrupted; nothing was written") && noGrid(dir):
			outcomes["exit 130, nothing written"]++
		case code == 0 && gridOutcome(t, dir, "rbf") == want:
			outcomes["exit 0, merge complete"]++
		case code == -1 && sent && noGrid(dir):
			outcomes["ended by the signal, nothing written"]++
		default:
			t.Fatalf("%s (sent: %v): exit %d, %q: neither interrupted cleanly nor complete", what, sent, code, errs)
		}
		noPartialFiles(t, what, dir)
		if code, errs := runProc(t, merge(dir)...); code != 0 {
			t.Fatalf("%s: rerun exit %d: %s", what, code, errs)
		}
		if gridOutcome(t, dir, "rbf") != want {
			t.Errorf("%s: the rerun's folder differs from the uninterrupted merge's", what)
		}
	}
	t.Logf("outcomes over 6 signals within %v: %v", span.Round(time.Millisecond), outcomes)
}
