package bench

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/svmbench/svmbench/cnn"
	"github.com/svmbench/svmbench/dataset"
	"github.com/svmbench/svmbench/internal/folderlock"
)

// TestHelperHoldFolder is not a test: run as a child process
// (BENCH_HOLD=DIR), it holds DIR's folder lock until it is killed.
func TestHelperHoldFolder(t *testing.T) {
	dir := os.Getenv("BENCH_HOLD")
	if dir == "" {
		t.Skip("helper process only")
	}
	if _, err := LockOut(dir); err != nil {
		fmt.Println("error:", err)
		os.Exit(3)
	}
	fmt.Println("locked")
	time.Sleep(time.Minute)
	os.Exit(0)
}

// holdFolder makes another process hold dir's lock until the test ends.
func holdFolder(t *testing.T, dir string) int {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperHoldFolder$")
	cmd.Env = append(os.Environ(), "BENCH_HOLD="+dir)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	buf := make([]byte, 64)
	if n, _ := out.Read(buf); !strings.HasPrefix(string(buf[:n]), "locked") {
		t.Fatalf("helper: %q", buf[:n])
	}
	return cmd.Process.Pid
}

// Issue 13, defect 1: two runs on one folder mixed silently. Every writer
// of bench now refuses a folder another process holds, naming it and the
// holder, and writes nothing there.
func TestWritersRefuseAHeldFolder(t *testing.T) {
	useFitter(t, meanFit)
	d := blobs(3, 30, 6, 1)
	tmp := t.TempDir()
	out := filepath.Join(tmp, "out")
	pid := holdFolder(t, out)
	shard := smallGrid(filepath.Join(tmp, "shard"))
	if _, _, err := Grid(context.Background(), d, d.Train.X, nil, shard); err != nil {
		t.Fatal(err)
	}
	syn := dataset.Synthetic(100, 50, 3)
	for name, write := range map[string]func() error{
		"Grid": func() error { _, _, err := Grid(context.Background(), d, d.Train.X, nil, smallGrid(out)); return err },
		"Run": func() error {
			_, err := Run(context.Background(), syn, RunConfig{Models: []string{"svm-linear"}, Out: out})
			return err
		},
		"RunScaling": func() error {
			_, err := RunScaling(context.Background(), syn, ScalingConfig{Sizes: []int{50}, Models: []string{"svm-linear"}, Out: out})
			return err
		},
		"Merge": func() error { _, err := Merge(context.Background(), []string{shard.Out}, out); return err },
	} {
		err := write()
		var he *folderlock.HeldError
		if !errors.As(err, &he) || he.PID != pid || !strings.Contains(err.Error(), out) || strings.Contains(err.Error(), "\n") {
			t.Errorf("%s on a folder held by process %d: %v; want one line naming %s and the process", name, pid, err, out)
		}
	}
	entries, _ := os.ReadDir(out)
	if len(entries) != 1 || entries[0].Name() != folderlock.FileName {
		t.Errorf("the held folder holds %v: want only the lock file", entries)
	}
}

// Issue 13, defect 2: merge into a folder holding another grid's best file
// and model kept them beside the merged journal.
func TestMergeIntoDirtyFolder(t *testing.T) {
	useFitter(t, meanFit)
	d := blobs(3, 30, 6, 1)
	tmp := t.TempDir()
	// A C = 8 grid, retrained: journal, spec, best file and model.
	dirty := filepath.Join(tmp, "dirty")
	old := smallGrid(dirty)
	old.C, old.NoRetrain = Values(8), false
	if _, _, err := Grid(context.Background(), d, d.Train.X, d.Test.X, old); err != nil {
		t.Fatal(err)
	}
	before := snapshot(t, dirty)
	// The shards of a C ∈ {0.05, 0.1} grid.
	var dirs []string
	for i := 0; i < 2; i++ {
		c := smallGrid(filepath.Join(tmp, fmt.Sprint("shard", i)))
		c.C, c.Shard, c.Shards = Values(0.05, 0.1), i, 2
		if _, _, err := Grid(context.Background(), d, d.Train.X, nil, c); err != nil {
			t.Fatal(err)
		}
		dirs = append(dirs, c.Out)
	}
	_, err := Merge(context.Background(), dirs, dirty)
	var me *MismatchError
	if !errors.As(err, &me) {
		t.Fatalf("merge into a folder holding another grid: %v; want a MismatchError", err)
	}
	if after := snapshot(t, dirty); after != before {
		t.Errorf("a refused merge changed %s:\n%s\nwant\n%s", dirty, after, before)
	}
	// Its best file and model alone (journal and spec deleted): refused.
	os.Remove(filepath.Join(dirty, GridFile("sigmoid", "pixels")))
	os.Remove(filepath.Join(dirty, SpecFile("sigmoid", "pixels")))
	before = snapshot(t, dirty)
	if _, err := Merge(context.Background(), dirs, dirty); err == nil || !strings.Contains(err.Error(), "already holds best-sigmoid-pixels.json") {
		t.Fatalf("merge into a folder holding another grid's best file: %v; want refused", err)
	}
	if after := snapshot(t, dirty); after != before {
		t.Errorf("a refused merge changed %s:\n%s\nwant\n%s", dirty, after, before)
	}
	// A cancelled merge (Ctrl-C) stops before it writes: no grid in out.
	merged := filepath.Join(tmp, "merged")
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Merge(cancelled, dirs, merged); !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled merge: %v; want context.Canceled", err)
	}
	if held, _ := filepath.Glob(filepath.Join(merged, "grid-*")); len(held) > 0 {
		t.Fatalf("a cancelled merge wrote %v", held)
	}
	// Merging again into a merged folder (a re-run job) keeps its cells.
	if _, err := Merge(context.Background(), dirs[:1], merged); err != nil {
		t.Fatal(err)
	}
	sums, err := Merge(context.Background(), dirs[1:], merged)
	if err != nil || len(sums[0].Cells) != sums[0].Spec.Cells {
		t.Fatalf("second merge into the merged folder: %v, %+v; want every cell", err, sums)
	}

	// Out among the inputs, with a best file that is not the merged best:
	// the best file and model go, so none is left beside the new journal.
	full := smallGrid(filepath.Join(tmp, "full"))
	full.NoRetrain = false
	best, cells, err := Grid(context.Background(), d, d.Train.X, d.Test.X, full)
	if err != nil {
		t.Fatal(err)
	}
	bpath := filepath.Join(full.Out, BestFile("sigmoid", "pixels"))
	sums, err = Merge(context.Background(), []string{full.Out, full.Out}, full.Out)
	if err != nil || len(sums[0].Removed) != 0 {
		t.Fatalf("merge of a finished grid into itself: %v, removed %v; want its best file kept", err, sums[0].Removed)
	}
	stale := *best
	for _, c := range cells {
		if c.Index != best.Cell.Index {
			stale.Cell = c
			break
		}
	}
	if err := WriteJSON(bpath, stale); err != nil {
		t.Fatal(err)
	}
	sums, err = Merge(context.Background(), []string{full.Out}, full.Out)
	if err != nil {
		t.Fatal(err)
	}
	if len(sums[0].Removed) != 2 {
		t.Errorf("removed %v: want the stale best file and model", sums[0].Removed)
	}
	for _, name := range []string{BestFile("sigmoid", "pixels"), ModelFile("sigmoid", "pixels")} {
		if _, err := os.Stat(filepath.Join(full.Out, name)); !os.IsNotExist(err) {
			t.Errorf("%s left beside a journal it does not belong to", name)
		}
	}
}

// snapshot lists a folder's files and contents, the lock file aside.
func snapshot(t *testing.T, dir string) string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	for _, e := range entries {
		if e.Name() == folderlock.FileName {
			continue
		}
		data, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(&b, "%s %d %x\n", e.Name(), len(data), data[:min(len(data), 16)])
	}
	return b.String()
}

// Readers: a journal line of another grid, and a best file of another
// grid, are found and named.
func TestForeignCellAndCheckBest(t *testing.T) {
	useFitter(t, meanFit)
	d := blobs(3, 30, 6, 1)
	tmp := t.TempDir()
	a := smallGrid(filepath.Join(tmp, "a"))
	a.NoRetrain = false
	best, cells, err := Grid(context.Background(), d, d.Train.X, d.Test.X, a)
	if err != nil {
		t.Fatal(err)
	}
	b := smallGrid(filepath.Join(tmp, "b"))
	b.C = Values(1, 8)
	_, other, err := Grid(context.Background(), d, d.Train.X, nil, b)
	if err != nil {
		t.Fatal(err)
	}
	var spec GridSpec
	if err := ReadJSON(filepath.Join(a.Out, SpecFile("sigmoid", "pixels")), &spec); err != nil {
		t.Fatal(err)
	}
	if i, why, err := ForeignCell(spec, cells); err != nil || i != -1 {
		t.Errorf("ForeignCell of the grid's own journal: %d %q %v", i, why, err)
	}
	mixed := append(cells[:5:5], other[5], cells[6])
	if i, why, err := ForeignCell(spec, mixed); err != nil || i != 5 || !strings.Contains(why, "C=8") {
		t.Errorf("ForeignCell of a mixed journal: %d %q %v; want position 5 named with C=8", i, why, err)
	}
	spec.Shard, spec.Shards = 1, 2
	if i, why, _ := ForeignCell(spec, cells); i != 0 || !strings.Contains(why, "shard") {
		t.Errorf("ForeignCell of shard 1/2 with cell 0: %d %q", i, why)
	}

	if err := CheckBest(*best, cells); err != nil {
		t.Errorf("CheckBest of the grid's own best: %v", err)
	}
	wrong := *best
	wrong.Cell.C *= 8 // same index, another grid's C
	if err := CheckBest(wrong, cells); err == nil {
		t.Error("CheckBest accepted a best cell with other parameters")
	}
	wrong = *best
	wrong.Cell.CVAccuracy += 0.01
	if err := CheckBest(wrong, cells); err == nil {
		t.Error("CheckBest accepted a best cell with another accuracy")
	}
}

// Issue 13, defect 3: a checkpoint that cannot be written stopped nothing
// (training went on to the last epoch). It now stops at once with the
// reason, the previous checkpoint kept.
func TestTrainCNNStopsWhenCheckpointFails(t *testing.T) {
	d, err := dataset.Load(context.Background(), dataset.Options{Spec: "synthetic:100,50", Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	out := t.TempDir()
	cfg := CNNConfig{Variant: "fixed", Recipe: cnn.TrainConfig{Epochs: 4, Batch: 25, LR: 0.01, Seed: 3, Workers: 2}, Out: out}
	ckpt := filepath.Join(out, "cnn-fixed.ckpt")
	cfg.OnEpoch = func(e CNNEpoch, _ float64, _ bool) {
		if e.Epoch == 2 {
			// The checkpoint of epoch 2 cannot replace this (a full
			// disk in the fault tests; here a folder in its place).
			os.Rename(ckpt, ckpt+".epoch1")
			os.Mkdir(ckpt, 0o755)
			os.WriteFile(filepath.Join(ckpt, "x"), nil, 0o644)
		}
	}
	res, err := TrainCNN(context.Background(), d, cfg)
	if err == nil || !strings.Contains(err.Error(), "epoch 2 trained but not saved") {
		t.Fatalf("TrainCNN with a checkpoint that cannot be written: %v", err)
	}
	if res.Trained != 2 {
		t.Errorf("%d epochs trained: want training stopped after epoch 2", res.Trained)
	}
	if _, err := os.Stat(ckpt + ".epoch1"); err != nil {
		t.Errorf("the epoch-1 checkpoint: %v", err)
	}
}

// Issue 13, defect 5: the main job clamped -grid-train larger than -train
// without a word and found -scaling sizes larger than -train only at the
// end. Both are refused before any work; the profile's own sizes are cut.
func TestMainConfigSizes(t *testing.T) {
	for _, c := range []MainConfig{
		{Train: 100, GridTrain: 150},
		{Train: 100, Scaling: []int{50, 150}},
	} {
		if err := c.Validate(); err == nil {
			t.Errorf("%+v validated", c)
		}
	}
	c, err := MainConfig{Train: 800}.withDefaults()
	if err != nil || c.GridTrain != 800 || !slices.Equal(c.Scaling, []int{500}) {
		t.Errorf("quick profile with Train 800: GridTrain %d, Scaling %v, %v; want 800 and [500]", c.GridTrain, c.Scaling, err)
	}
}
