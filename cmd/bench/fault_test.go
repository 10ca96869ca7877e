package main

// Fault tests (issue 13): the bench command run as a separate process,
// killed with SIGKILL at points a seeded generator chooses, run against a
// folder another process holds, merged into a dirty folder, and run on a
// full disk (a size-limited tmpfs, when the tests run as root). Each
// compares the outcome with an uninterrupted run, byte for byte where the
// output is deterministic. docs/reliability.md tables what is covered.
//
// The child process is this test binary: TestMain runs bench's main when
// SVMBENCH_FAULT_MAIN is set, so no separate build is needed.

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/svmbench/svmbench/bench"
	"github.com/svmbench/svmbench/internal/atomicfile"
	"github.com/svmbench/svmbench/internal/folderlock"
)

func TestMain(m *testing.M) {
	if os.Getenv("SVMBENCH_FAULT_MAIN") == "load" {
		os.Exit(loadOnly(os.Args[1:]))
	}
	if os.Getenv("SVMBENCH_FAULT_MAIN") == "1" {
		os.Args = append([]string{"bench"}, os.Args[1:]...)
		main()
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// benchProc returns the bench command line args as a child process.
func benchProc(args ...string) *exec.Cmd {
	cmd := exec.Command(os.Args[0], args...)
	cmd.Env = append(os.Environ(), "SVMBENCH_FAULT_MAIN=1", "CIFAR10_DIR=")
	return cmd
}

// runProc runs bench to the end and returns its exit status and stderr.
func runProc(t *testing.T, args ...string) (int, string) {
	t.Helper()
	cmd := benchProc(args...)
	var errb bytes.Buffer
	cmd.Stderr = &errb
	err := cmd.Run()
	if err != nil {
		if _, ok := err.(*exec.ExitError); !ok {
			t.Fatal(err)
		}
	}
	return cmd.ProcessState.ExitCode(), errb.String()
}

// killWhen starts bench, waits until ready() holds (or bench ends), waits
// delay more, and kills it with SIGKILL. It reports whether the kill came
// before bench ended on its own.
func killWhen(t *testing.T, ready func() bool, delay time.Duration, args ...string) bool {
	t.Helper()
	sent, _, _ := signalWhen(t, ready, delay, syscall.SIGKILL, args...)
	return sent
}

// signalWhen starts bench, waits until ready() holds (or bench ends),
// waits delay more, sends sig and waits for bench to end. It reports
// whether the signal came before bench ended on its own, and bench's exit
// status and stderr.
func signalWhen(t *testing.T, ready func() bool, delay time.Duration, sig syscall.Signal, args ...string) (sent bool, code int, stderr string) {
	t.Helper()
	cmd := benchProc(args...)
	var errb bytes.Buffer
	cmd.Stderr = &errb
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() { cmd.Wait(); close(done) }()
	sent = func() bool {
		for !ready() {
			select {
			case <-done:
				return false
			case <-time.After(time.Millisecond):
			}
		}
		select {
		case <-done:
			return false
		case <-time.After(delay):
		}
		return cmd.Process.Signal(sig) == nil
	}()
	<-done
	return sent, cmd.ProcessState.ExitCode(), errb.String()
}

// interrupted checks that bench, sent SIGTERM or SIGINT (sent), ended with
// exit status 130 and the message saying how it resumes.
func interrupted(t *testing.T, what string, sent bool, code int, errs, resume string) {
	t.Helper()
	if !sent {
		t.Fatalf("%s: bench ended before the signal (exit %d): the test's point comes too late", what, code)
	}
	if code != 130 || !strings.Contains(errs, "interrupted; "+resume) {
		t.Fatalf("%s: exit %d, %q; want 130 and %q", what, code, errs, "interrupted; "+resume)
	}
}

// journalLines counts the complete lines of a file (0 when missing).
func journalLines(path string) int {
	b, _ := os.ReadFile(path)
	return bytes.Count(b, []byte("\n"))
}

// tempFiles lists atomicfile's temporary files in dir.
func tempFiles(dir string) []string {
	entries, _ := os.ReadDir(dir)
	var out []string
	for _, e := range entries {
		if atomicfile.IsTemp(e.Name()) {
			out = append(out, e.Name())
		}
	}
	return out
}

// gridOutcome is what a grid folder holds, with the fields that are
// measured times (not deterministic) zeroed, and the SMO iterations and
// seeded sub-problems (alpha seeding's chains restart cold where a run
// resumes): the journal's cells in cell order, the best file's cell and
// scores, and the model file's bytes.
func gridOutcome(t *testing.T, dir, kernel string) string {
	t.Helper()
	cells, torn, err := bench.ReadCells(filepath.Join(dir, bench.GridFile(kernel, "pixels")))
	if err != nil || torn >= 0 {
		t.Fatalf("%s: journal: %v (torn at %d)", dir, err, torn)
	}
	for i := range cells {
		cells[i].Seconds, cells[i].SMOIter, cells[i].SeededPairs = 0, 0, 0
	}
	slices.SortFunc(cells, func(a, b bench.GridCell) int { return a.Index - b.Index })
	var b bytes.Buffer
	for _, c := range cells {
		j, _ := json.Marshal(c)
		b.Write(j)
		b.WriteByte('\n')
	}
	var best bench.Best
	if err := bench.ReadJSON(filepath.Join(dir, bench.BestFile(kernel, "pixels")), &best); err == nil {
		best.Cell.Seconds, best.TrainSeconds, best.Manifest = 0, 0, bench.Manifest{}
		best.Cell.SMOIter, best.Cell.SeededPairs = 0, 0
		best.PeakHeapBytes, best.PeakRSSBytes = 0, 0 // measurements, as the seconds
		j, _ := json.Marshal(best)
		b.Write(j)
		b.WriteByte('\n')
	}
	if m, err := os.ReadFile(filepath.Join(dir, bench.ModelFile(kernel, "pixels"))); err == nil {
		fmt.Fprintf(&b, "model %d bytes\n", len(m))
		b.Write(m)
	}
	return b.String()
}

// faultGrid is a small grid on synthetic data: 12 cells, 3 folds, a
// retrained best cell and its model, about a second.
func faultGrid(out string, extra ...string) []string {
	return append([]string{"grid", "-data", "synthetic:200,60", "-seed", "3", "-kernel", "rbf",
		"-gamma", "2^-9:2^-3:2", "-C", "2^-1:2^3:2", "-folds", "3", "-out", out}, extra...)
}

// SIGKILL a grid at seeded points (after k journal lines, then a seeded
// delay; and once during the model's save), and SIGTERM and SIGINT it,
// resume it until it finishes, and compare with an uninterrupted run.
func TestFaultGridSignals(t *testing.T) {
	tmp := t.TempDir()
	ref := filepath.Join(tmp, "ref")
	runReference(t, "grid", faultGrid(ref)...)
	want := gridOutcome(t, ref, "rbf")
	cells := journalLines(filepath.Join(ref, bench.GridFile("rbf", "pixels")))
	rng := rand.New(rand.NewPCG(13, 0x6b696c6c)) // "kill"
	const kills = 4
	for i := 0; i <= kills; i++ {
		dir := filepath.Join(tmp, fmt.Sprint("run", i))
		jpath := filepath.Join(dir, bench.GridFile("rbf", "pixels"))
		var ready func() bool
		var delay time.Duration
		what := ""
		if i < kills {
			k := rng.IntN(cells + 1)
			delay = time.Duration(rng.IntN(200)) * time.Millisecond
			ready = func() bool { return journalLines(jpath) >= k }
			what = fmt.Sprintf("after %d journal lines and %v", k, delay)
		} else {
			// During the model's save: a temporary file exists.
			ready = func() bool { return len(tempFiles(dir)) > 0 }
			what = "during the model's save"
		}
		killed := killWhen(t, ready, delay, faultGrid(dir)...)
		if i == kills {
			what += fmt.Sprintf(", leaving %d temporary files", len(tempFiles(dir)))
		}
		code, errs := runProc(t, faultGrid(dir, "-resume")...)
		if code != 0 {
			t.Fatalf("kill %s (killed: %v): resume exit %d: %s", what, killed, code, errs)
		}
		if got := gridOutcome(t, dir, "rbf"); got != want {
			t.Errorf("kill %s, resumed: the outcome differs from the uninterrupted run's", what)
		}
		if left := tempFiles(dir); len(left) > 0 {
			t.Errorf("kill %s: temporary files left after the resume: %v", what, left)
		}
		t.Logf("kill %s (killed: %v): resumed to the uninterrupted outcome", what, killed)
	}
	// SIGTERM and SIGINT after a seeded number of cells (at most half of
	// them, so that the signal comes while cells run): exit 130, the
	// message, and a resume to the same outcome.
	for _, sig := range []syscall.Signal{syscall.SIGTERM, syscall.SIGINT} {
		dir := filepath.Join(tmp, sig.String())
		jpath := filepath.Join(dir, bench.GridFile("rbf", "pixels"))
		k := 1 + rng.IntN(cells/2)
		what := fmt.Sprintf("%v after %d journal lines", sig, k)
		sent, code, errs := signalWhen(t, func() bool { return journalLines(jpath) >= k }, 0, sig, faultGrid(dir)...)
		interrupted(t, what, sent, code, errs, cmdGrid.Resume)
		if code, errs := runProc(t, faultGrid(dir, "-resume")...); code != 0 {
			t.Fatalf("%s: resume exit %d: %s", what, code, errs)
		}
		if gridOutcome(t, dir, "rbf") != want {
			t.Errorf("%s, resumed: the outcome differs from the uninterrupted run's", what)
		}
		noPartialFiles(t, what, dir)
		t.Logf("%s: exit 130, resumed to the uninterrupted outcome", what)
	}
}

// Two writers on one folder: while one process holds it (stopped with
// SIGSTOP, so the test does not race it), every other writer is refused
// with one line naming the folder and the holder's process ID, and the
// holder then finishes a grid that is wholly its own.
func TestFaultConcurrentWriters(t *testing.T) {
	tmp := t.TempDir()
	dir := filepath.Join(tmp, "out")
	shard := filepath.Join(tmp, "shard")
	if code, errs := runProc(t, faultGrid(shard, "-C", "8", "-no-retrain")...); code != 0 {
		t.Fatalf("shard: %d %s", code, errs)
	}
	first := benchProc(faultGrid(dir)...)
	if err := first.Start(); err != nil {
		t.Fatal(err)
	}
	pid := first.Process.Pid
	lock := filepath.Join(dir, folderlock.FileName)
	for {
		if b, _ := os.ReadFile(lock); strings.TrimSpace(string(b)) == strconv.Itoa(pid) {
			break
		}
		time.Sleep(time.Millisecond)
	}
	first.Process.Signal(syscall.SIGSTOP)
	for _, args := range [][]string{
		faultGrid(dir),                // the same grid
		faultGrid(dir, "-C", "8"),     // another grid
		faultGrid(dir, "-resume"),     // a resume
		{"merge", "-out", dir, shard}, // a merge
		{"run", "-data", "synthetic:200,60", "-models", "svm-linear", "-out", dir},
	} {
		code, errs := runProc(t, args...)
		line := strings.TrimSpace(errs)
		if i := strings.LastIndex(line, "\n"); i >= 0 {
			line = line[i+1:]
		}
		if code != 1 || !strings.Contains(line, dir) || !strings.Contains(line, "process "+strconv.Itoa(pid)) {
			t.Errorf("bench %s while process %d holds %s: exit %d, %q; want exit 1 and a line naming both", strings.Join(args[:1], " "), pid, dir, code, errs)
		}
	}
	first.Process.Signal(syscall.SIGCONT)
	if err := first.Wait(); err != nil {
		t.Fatalf("the holder: %v", err)
	}
	if code, errs := runProc(t, "report", "-in", dir, "-out", filepath.Join(tmp, "report")); code != 0 {
		t.Errorf("report on the holder's folder: exit %d: %s", code, errs)
	}
}

// Merge into a dirty folder: one holding a finished grid of other
// parameters (journal, spec, best file, model) is left untouched and the
// merge refused; merging into a fresh folder and again into it works.
func TestFaultMergeDirty(t *testing.T) {
	tmp := t.TempDir()
	dirty := filepath.Join(tmp, "dirty")
	if code, errs := runProc(t, faultGrid(dirty, "-C", "8")...); code != 0 {
		t.Fatalf("C=8 grid: %d %s", code, errs)
	}
	before := gridOutcome(t, dirty, "rbf")
	var shards []string
	for i := 0; i < 2; i++ {
		s := filepath.Join(tmp, fmt.Sprint("shard", i))
		if code, errs := runProc(t, faultGrid(s, "-C", "0.05,0.1", "-shard", fmt.Sprintf("%d/2", i))...); code != 0 {
			t.Fatalf("shard %d: %d %s", i, code, errs)
		}
		shards = append(shards, s)
	}
	code, errs := runProc(t, append([]string{"merge", "-out", dirty}, shards...)...)
	if code != 1 || !strings.Contains(errs, "does not match") {
		t.Errorf("merge into a folder holding another grid: exit %d, %q; want exit 1, a mismatch", code, errs)
	}
	if after := gridOutcome(t, dirty, "rbf"); after != before {
		t.Error("the refused merge changed the folder")
	}
	merged := filepath.Join(tmp, "merged")
	for _, from := range [][]string{shards[:1], shards} {
		if code, errs := runProc(t, append([]string{"merge", "-out", merged}, from...)...); code != 0 {
			t.Fatalf("merge into %s: exit %d: %s", merged, code, errs)
		}
	}
	if code, errs := runProc(t, "report", "-in", merged, "-out", filepath.Join(tmp, "report")); code != 0 {
		t.Errorf("report on the merged folder: exit %d: %s", code, errs)
	}
}

// smallDisk mounts a 64 MiB tmpfs at a new folder and fills it so that only
// free bytes (whole 4 KiB pages) are left; release frees the space again.
// It skips the test, with a message, unless it runs as root and mount works.
func smallDisk(t *testing.T, free int64) (dir string, release func()) {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Skip("full-disk tests mount a size-limited tmpfs: run them as root (CI does)")
	}
	dir = filepath.Join(t.TempDir(), "disk")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", "size=64m", "tmpfs", dir).CombinedOutput(); err != nil {
		t.Skipf("full-disk tests: mount -t tmpfs failed (%v: %s)", err, bytes.TrimSpace(out))
	}
	t.Cleanup(func() { exec.Command("umount", dir).Run() })
	var st syscall.Statfs_t
	if err := syscall.Statfs(dir, &st); err != nil {
		t.Fatal(err)
	}
	filler := filepath.Join(dir, "filler")
	fill := int64(st.Bavail)*int64(st.Bsize) - free
	if err := os.WriteFile(filler, make([]byte, fill), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir, func() { os.Remove(filler) }
}

// noPartialFiles fails when dir holds temporary files.
func noPartialFiles(t *testing.T, what, dir string) {
	t.Helper()
	if left := tempFiles(dir); len(left) > 0 {
		t.Errorf("%s: temporary files left: %v", what, left)
	}
}

// A full disk under each writer: the error surfaces at once (exit 1, the
// file and ENOSPC named), nothing half-written stays, and after space is
// freed the run resumes to the outcome of an uninterrupted one.
func TestFaultFullDisk(t *testing.T) {
	tmp := t.TempDir()
	ref := filepath.Join(tmp, "ref")
	runReference(t, "grid", faultGrid(ref)...)
	want := gridOutcome(t, ref, "rbf")
	const page = 4096
	full := func(errs string) bool { return strings.Contains(errs, "no space left on device") }

	t.Run("grid journal", func(t *testing.T) {
		// Pages for the lock file and the spec; none for the journal.
		disk, release := smallDisk(t, 2*page)
		out := filepath.Join(disk, "g")
		code, errs := runProc(t, faultGrid(out)...)
		if code != 1 || !full(errs) || !strings.Contains(errs, bench.GridFile("rbf", "pixels")) {
			t.Fatalf("exit %d, %q: want exit 1 naming the journal and ENOSPC", code, errs)
		}
		noPartialFiles(t, "grid journal", out)
		release()
		if code, errs := runProc(t, faultGrid(out, "-resume")...); code != 0 {
			t.Fatalf("resume after freeing space: exit %d: %s", code, errs)
		}
		if gridOutcome(t, out, "rbf") != want {
			t.Error("resumed after a full disk: the outcome differs from the uninterrupted run's")
		}
	})
	t.Run("grid model", func(t *testing.T) {
		// Room for the journal, not for the model (megabytes).
		disk, release := smallDisk(t, 16*page)
		out := filepath.Join(disk, "g")
		code, errs := runProc(t, faultGrid(out)...)
		if code != 1 || !full(errs) || !strings.Contains(errs, bench.ModelFile("rbf", "pixels")) {
			t.Fatalf("exit %d, %q: want exit 1 naming the model and ENOSPC", code, errs)
		}
		noPartialFiles(t, "grid model", out)
		for _, name := range []string{bench.BestFile("rbf", "pixels"), bench.ModelFile("rbf", "pixels")} {
			if _, err := os.Stat(filepath.Join(out, name)); err == nil {
				t.Errorf("%s written though the model could not be", name)
			}
		}
		release()
		if code, errs := runProc(t, faultGrid(out, "-resume")...); code != 0 {
			t.Fatalf("resume after freeing space: exit %d: %s", code, errs)
		}
		if gridOutcome(t, out, "rbf") != want {
			t.Error("resumed after a full disk: the outcome differs from the uninterrupted run's")
		}
	})
	t.Run("run results", func(t *testing.T) {
		disk, release := smallDisk(t, 1*page)
		out := filepath.Join(disk, "r")
		args := []string{"run", "-data", "synthetic:200,60", "-models", "svm-linear,svm-rbf", "-out", out}
		code, errs := runProc(t, args...)
		if code != 1 || !full(errs) || !strings.Contains(errs, bench.ResultsFile) || strings.Contains(errs, "svm-rbf on") {
			t.Fatalf("exit %d, %q: want exit 1 naming results.json and ENOSPC, before the second model", code, errs)
		}
		noPartialFiles(t, "run results", out)
		release()
		if code, errs := runProc(t, append(args, "-resume")...); code != 0 {
			t.Fatalf("resume after freeing space: exit %d: %s", code, errs)
		}
	})
	t.Run("train model", func(t *testing.T) {
		disk, _ := smallDisk(t, 4*page)
		model := filepath.Join(disk, "m.model")
		code, errs := runProc(t, "train", "-data", "synthetic:200,60", "-kernel", "rbf", "-model", model)
		if code != 1 || !full(errs) {
			t.Fatalf("exit %d, %q: want exit 1 and ENOSPC", code, errs)
		}
		noPartialFiles(t, "train model", disk)
		for _, name := range []string{"m.model", "m.model.json"} {
			if _, err := os.Stat(filepath.Join(disk, name)); err == nil {
				t.Errorf("%s written on a full disk", name)
			}
		}
	})
	t.Run("cnn", func(t *testing.T) { fullDiskCNN(t, tmp) })
	t.Run("main job", func(t *testing.T) { fullDiskMain(t, tmp) })
	t.Run("merge", func(t *testing.T) {
		disk, _ := smallDisk(t, 2*page)
		out := filepath.Join(disk, "m")
		code, errs := runProc(t, "merge", "-out", out, ref)
		if code != 1 || !full(errs) {
			t.Fatalf("exit %d, %q: want exit 1 and ENOSPC", code, errs)
		}
		noPartialFiles(t, "merge", out)
		for _, name := range []string{bench.GridFile("rbf", "pixels"), bench.SpecFile("rbf", "pixels")} {
			if _, err := os.Stat(filepath.Join(out, name)); err == nil {
				t.Errorf("%s written though the merge failed: a journal and spec are written all or none", name)
			}
		}
	})
}

// pages is the 4 KiB pages the files of dir take on a tmpfs, all but those
// named in except.
func pages(t *testing.T, dir string, except ...string) int64 {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var n int64
	for _, e := range entries {
		if info, err := e.Info(); err == nil && !e.IsDir() && !slices.Contains(except, e.Name()) {
			n += (info.Size() + 4095) / 4096
		}
	}
	return n
}

// runReference runs bench with args, the uninterrupted reference of
// what; a failure ends the test.
func runReference(t *testing.T, what string, args ...string) {
	t.Helper()
	if code, errs := runProc(t, args...); code != 0 {
		t.Fatalf("reference %s: exit %d: %s", what, code, errs)
	}
}

// fullDiskReference skips unless root (the full-disk tests mount a
// size-limited tmpfs) and runs the reference of what into ref.
func fullDiskReference(t *testing.T, ref, what string, args func(string) []string) string {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Skip("full-disk tests mount a size-limited tmpfs: run them as root (CI does)")
	}
	runReference(t, what, args(ref)...)
	return ref
}

// A full disk under a CNN training: room for the first epoch's files (run
// file, network, checkpoint), not for the second's network. The training
// stops in epoch 2 naming the files and ENOSPC, keeps epoch 1's checkpoint,
// and after space is freed the rerun resumes to the uninterrupted network.
func fullDiskCNN(t *testing.T, tmp string) {
	ref := fullDiskReference(t, filepath.Join(tmp, "cnn-ref"), "cnn", faultCNN)
	want := cnnOutcome(t, ref)
	disk, release := smallDisk(t, (pages(t, ref)+2)*4096)
	out := filepath.Join(disk, "c")
	code, errs := runProc(t, faultCNN(out)...)
	if code != 1 || !strings.Contains(errs, "no space left on device") || !strings.Contains(errs, "cnn-fixed.ckpt") ||
		!strings.Contains(errs, "epoch 2 trained but not saved") {
		t.Fatalf("exit %d, %q: want exit 1 in epoch 2, naming the checkpoint and ENOSPC", code, errs)
	}
	noPartialFiles(t, "cnn", out)
	if _, err := os.Stat(filepath.Join(out, "cnn-fixed.ckpt")); err != nil {
		t.Errorf("epoch 1's checkpoint not kept: %v", err)
	}
	release()
	t.Logf("full disk: exit %d: %s", code, lastLine(errs))
	if code, errs := runProc(t, faultCNN(out)...); code != 0 {
		t.Fatalf("rerun after freeing space: exit %d: %s", code, errs)
	}
	if cnnOutcome(t, out) != want {
		t.Error("resumed after a full disk: the network differs from the uninterrupted one")
	}
}

// A full disk under the main job: room for the grid stage's files, not for
// the later stages'. The job stops naming a later stage's file and
// ENOSPC, keeps the grid stage's journal, best file and model, and after
// space is freed the rerun ends with the uninterrupted run's results.
func fullDiskMain(t *testing.T, tmp string) {
	ref := fullDiskReference(t, filepath.Join(tmp, "main-ref"), "main job", faultMain)
	want := mainOutcome(t, ref)
	later := []string{bench.ResultsFile, "trials.json", "cost.json"}
	disk, release := smallDisk(t, (pages(t, filepath.Join(ref, "results"), later...)+1)*4096)
	out := filepath.Join(disk, "a")
	code, errs := runProc(t, faultMain(out)...)
	named := slices.ContainsFunc(later, func(f string) bool { return strings.Contains(errs, f) })
	if code != 1 || !strings.Contains(errs, "no space left on device") || !named {
		t.Fatalf("exit %d, %q: want exit 1 naming one of %v and ENOSPC", code, errs, later)
	}
	t.Logf("full disk: exit %d: %s", code, lastLine(errs))
	res := filepath.Join(out, "results")
	noPartialFiles(t, "main job", res)
	if gridOutcome(t, res, "rbf") != gridOutcome(t, filepath.Join(ref, "results"), "rbf") {
		t.Error("the grid stage's journal, best file or model was not kept whole")
	}
	release()
	if code, errs := runProc(t, faultMain(out)...); code != 0 {
		t.Fatalf("rerun after freeing space: exit %d: %s", code, errs)
	}
	if mainOutcome(t, out) != want {
		t.Error("rerun after a full disk: the results differ from the uninterrupted run's")
	}
}

// lastLine is the last line of s.
func lastLine(s string) string {
	s = strings.TrimSpace(s)
	return s[strings.LastIndex(s, "\n")+1:]
}

// cnnOutcome is a CNN folder's deterministic content: the network file's
// bytes and the run file's epoch losses, accuracies and confusion.
func cnnOutcome(t *testing.T, dir string) string {
	t.Helper()
	net, err := os.ReadFile(filepath.Join(dir, "cnn-fixed.cnn"))
	if err != nil {
		t.Fatal(err)
	}
	var run bench.CNNRun
	if err := bench.ReadJSON(filepath.Join(dir, "cnn-fixed.json"), &run); err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	for _, e := range run.Epochs {
		fmt.Fprintf(&b, "epoch %d loss %v accuracy %v\n", e.Epoch, e.TrainLoss, e.TestAccuracy)
	}
	fmt.Fprintf(&b, "confusion %v\nnetwork %d bytes\n", run.Confusion, len(net))
	b.Write(net)
	return b.String()
}

// faultCNN is a small CNN training: 3 epochs of 4 batches on synthetic
// images, a few seconds.
func faultCNN(out string) []string {
	return []string{"cnn", "-data", "synthetic:100,40", "-seed", "3", "-variant", "fixed", "-epochs", "3", "-batch", "25", "-out", out}
}

// faultMain is a small main job: one grid, the run, trials and cost
// stages on synthetic data, a few seconds.
func faultMain(out string) []string {
	return []string{"all", "-data", "synthetic:200,60", "-seed", "5", "-train", "200", "-test", "60", "-grid-train", "150",
		"-folds", "3", "-features", "pixels", "-kernels", "rbf", "-C", "0.5,4", "-gamma", "2^-9,2^-5",
		"-scaling", "none", "-skip", "cnn,report", "-out", out}
}

// SIGKILL a CNN training after a seeded number of epochs and a seeded
// delay, and SIGTERM and SIGINT it, resume it, and compare the network
// byte for byte.
func TestFaultCNNSignals(t *testing.T) {
	tmp := t.TempDir()
	args := faultCNN
	ref := filepath.Join(tmp, "ref")
	runReference(t, "cnn", args(ref)...)
	want := cnnOutcome(t, ref)
	rng := rand.New(rand.NewPCG(17, 0x6b696c6c))
	for i := 0; i < 2; i++ {
		dir := filepath.Join(tmp, fmt.Sprint("run", i))
		k := 1 + rng.IntN(2)
		delay := time.Duration(rng.IntN(300)) * time.Millisecond
		epochs := func() bool {
			var run bench.CNNRun
			return bench.ReadJSON(filepath.Join(dir, "cnn-fixed.json"), &run) == nil && len(run.Epochs) >= k
		}
		killed := killWhen(t, epochs, delay, args(dir)...)
		if code, errs := runProc(t, args(dir)...); code != 0 {
			t.Fatalf("kill after %d epochs and %v (killed: %v): rerun exit %d: %s", k, delay, killed, code, errs)
		}
		if cnnOutcome(t, dir) != want {
			t.Errorf("kill after %d epochs and %v: the resumed network differs from the uninterrupted one", k, delay)
		}
		noPartialFiles(t, "cnn", dir)
		t.Logf("kill after %d epochs and %v (killed: %v): resumed to the uninterrupted network", k, delay, killed)
	}
	// SIGTERM and SIGINT after the first epoch and a seeded delay (within
	// the second epoch): exit 130, the message, the same network on rerun.
	for _, sig := range []syscall.Signal{syscall.SIGTERM, syscall.SIGINT} {
		dir := filepath.Join(tmp, sig.String())
		delay := time.Duration(rng.IntN(100)) * time.Millisecond
		what := fmt.Sprintf("%v after 1 epoch and %v", sig, delay)
		epoch := func() bool {
			var run bench.CNNRun
			return bench.ReadJSON(filepath.Join(dir, "cnn-fixed.json"), &run) == nil && len(run.Epochs) >= 1
		}
		sent, code, errs := signalWhen(t, epoch, delay, sig, args(dir)...)
		interrupted(t, what, sent, code, errs, cmdCNN.Resume)
		if code, errs := runProc(t, args(dir)...); code != 0 {
			t.Fatalf("%s: rerun exit %d: %s", what, code, errs)
		}
		if cnnOutcome(t, dir) != want {
			t.Errorf("%s: the resumed network differs from the uninterrupted one", what)
		}
		noPartialFiles(t, what, dir)
		t.Logf("%s: exit 130, resumed to the uninterrupted network", what)
	}
}

// mainOutcome is the deterministic content of a main job's results: every
// grid's outcome and each results.json record's scores.
func mainOutcome(t *testing.T, dir string) string {
	t.Helper()
	res := filepath.Join(dir, "results")
	return gridOutcome(t, res, "rbf") + resultsOutcome(t, res)
}

// resultsOutcome is each record's scores in dir's results.json.
func resultsOutcome(t *testing.T, dir string) string {
	t.Helper()
	var r bench.Results
	if err := bench.ReadJSON(filepath.Join(dir, bench.ResultsFile), &r); err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	for _, m := range r.Results {
		fmt.Fprintf(&b, "%s/%s %v %v %v %d\n", m.Model, m.Features, m.Params, m.Accuracy, m.Confusion, m.NSV)
	}
	return b.String()
}

// SIGKILL the main job at seeded times within the first half of an
// uninterrupted run's duration, and SIGTERM and SIGINT it in two stages,
// rerun it, and compare its results with the uninterrupted run's.
func TestFaultMainJobSignals(t *testing.T) {
	tmp := t.TempDir()
	args := faultMain
	t0 := time.Now()
	ref := filepath.Join(tmp, "ref")
	runReference(t, "main job", args(ref)...)
	span := time.Since(t0)
	want := mainOutcome(t, ref)
	rng := rand.New(rand.NewPCG(19, 0x6b696c6c))
	for i := 0; i < 3; i++ {
		dir := filepath.Join(tmp, fmt.Sprint("run", i))
		delay := time.Duration(rng.Int64N(int64(span) / 2)) // the first half: a rerun may be faster
		killed := killWhen(t, func() bool { return true }, delay, args(dir)...)
		if code, errs := runProc(t, args(dir)...); code != 0 {
			t.Fatalf("kill after %v (killed: %v): rerun exit %d: %s", delay.Round(time.Millisecond), killed, code, errs)
		}
		if mainOutcome(t, dir) != want {
			t.Errorf("kill after %v: the resumed results differ from the uninterrupted run's", delay.Round(time.Millisecond))
		}
		noPartialFiles(t, "main job", filepath.Join(dir, "results"))
		t.Logf("kill after %v of %v (killed: %v): resumed to the uninterrupted results", delay.Round(time.Millisecond), span.Round(time.Millisecond), killed)
	}
	// SIGTERM in the grid stage (its journal's first line), SIGINT in the
	// run stage (results.json's first record): exit 130, the message, and
	// a rerun to the same results.
	for _, c := range []struct {
		sig  syscall.Signal
		file string
	}{{syscall.SIGTERM, bench.GridFile("rbf", "pixels")}, {syscall.SIGINT, bench.ResultsFile}} {
		dir := filepath.Join(tmp, c.sig.String())
		what := fmt.Sprintf("%v once %s is written", c.sig, c.file)
		ready := func() bool { return journalLines(filepath.Join(dir, "results", c.file)) >= 1 }
		sent, code, errs := signalWhen(t, ready, 0, c.sig, args(dir)...)
		interrupted(t, what, sent, code, errs, cmdAll.Resume)
		if code, errs := runProc(t, args(dir)...); code != 0 {
			t.Fatalf("%s: rerun exit %d: %s", what, code, errs)
		}
		if mainOutcome(t, dir) != want {
			t.Errorf("%s: the resumed results differ from the uninterrupted run's", what)
		}
		noPartialFiles(t, what, filepath.Join(dir, "results"))
		t.Logf("%s: exit 130, rerun to the uninterrupted results", what)
	}
}
