package bench_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/svmbench/svmbench/bench"
	"github.com/svmbench/svmbench/cnn"
	"github.com/svmbench/svmbench/dataset"
)

func syntheticImages(t *testing.T, spec string) *dataset.Dataset {
	t.Helper()
	d, err := dataset.Load(context.Background(), dataset.Options{Spec: spec, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// TrainCNN interrupted in its second epoch and run again gives the run an
// uninterrupted TrainCNN gives: same epoch records, same confusion.
func TestTrainCNNResume(t *testing.T) {
	d := syntheticImages(t, "synthetic:100,50")
	recipe := cnn.TrainConfig{Epochs: 2, Batch: 25, LR: 0.01, Seed: 3, Workers: 2}
	whole, err := bench.TrainCNN(context.Background(), d, bench.CNNConfig{Variant: "fixed", Recipe: recipe, Out: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	if whole.Trained != 2 || whole.Resumed != 0 || len(whole.Run.Epochs) != 2 {
		t.Fatalf("uninterrupted run: trained %d, resumed %d, %d records", whole.Trained, whole.Resumed, len(whole.Run.Epochs))
	}

	dir := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	epochs := 0
	cfg := bench.CNNConfig{Variant: "fixed", Recipe: recipe, Out: dir,
		OnEpoch: func(bench.CNNEpoch, float64, bool) { epochs++ },
		Progress: func(done, total int64) {
			if epochs == 1 && done >= total/2 {
				cancel()
			}
		}}
	if _, err := bench.TrainCNN(ctx, d, cfg); !errors.Is(err, context.Canceled) {
		t.Fatalf("interrupted run: %v, want context.Canceled", err)
	}
	cfg.Progress = nil
	again, err := bench.TrainCNN(context.Background(), d, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if again.Resumed != 1 || again.Trained != 1 {
		t.Errorf("resumed run: resumed %d, trained %d; want 1 and 1", again.Resumed, again.Trained)
	}
	for i, e := range whole.Run.Epochs {
		g := again.Run.Epochs[i]
		if g.Epoch != e.Epoch || g.TrainLoss != e.TrainLoss || g.TestAccuracy != e.TestAccuracy {
			t.Errorf("epoch %d: resumed %+v, uninterrupted %+v", i+1, g, e)
		}
	}
	if !slices.EqualFunc(again.Run.Confusion, whole.Run.Confusion, slices.Equal) {
		t.Errorf("confusion: resumed %v, uninterrupted %v", again.Run.Confusion, whole.Run.Confusion)
	}
	if again.Record.Accuracy != whole.Record.Accuracy || again.Record.Model != "cnn-fixed" {
		t.Errorf("record: resumed %s %.4f, uninterrupted %.4f", again.Record.Model, again.Record.Accuracy, whole.Record.Accuracy)
	}

	// Another recipe in the same folder is refused, not mixed.
	other := cfg
	other.Recipe.LR = 0.02
	var me *bench.MismatchError
	_, err = bench.TrainCNN(context.Background(), d, other)
	if !errors.As(err, &me) {
		t.Errorf("other learning rate: %v, want a MismatchError", err)
	} else if msg := err.Error(); strings.Count(msg, "bench:") != 1 || strings.Contains(msg, "grid") {
		t.Errorf("other learning rate: %q: want the package named once and no grid (a CNN run is no grid)", msg)
	}
}

// The old name of the sigmoid-loss variant is accepted, and the run is
// recorded under the new one.
func TestTrainCNNOldVariantName(t *testing.T) {
	d := syntheticImages(t, "synthetic:100,50")
	res, err := bench.TrainCNN(context.Background(), d, bench.CNNConfig{Variant: "seed", Recipe: cnn.TrainConfig{Epochs: 1}, NoEpochTest: true})
	if err != nil {
		t.Fatal(err)
	}
	if res.Run.Variant != cnn.VariantSigmoidLoss || res.Record.Model != bench.ModelCNNSigmoidLoss || res.RunFile != "" {
		t.Errorf("variant %q, model %q, run file %q", res.Run.Variant, res.Record.Model, res.RunFile)
	}
}

func TestConfusionConvention(t *testing.T) {
	// Labels 5, 7, 9: rows true, columns predicted, in the order given;
	// label 8 (not a class) is not counted.
	m := bench.Confusion([]int{5, 7, 9}, []int{5, 5, 7, 9, 9, 8}, []int{5, 7, 7, 5, 8, 9})
	want := [][]int{{1, 1, 0}, {0, 1, 0}, {1, 0, 0}}
	if !slices.EqualFunc(m, want, slices.Equal) {
		t.Errorf("Confusion = %v, want %v", m, want)
	}
}

// The main job on small synthetic images: every stage writes its own
// files, the CNN rows of results.json are the CNN runs' scores, and a
// second run with the same configuration trains nothing and rewrites no
// CNN file.
func TestMainJobSynthetic(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the main job")
	}
	out := t.TempDir()
	var reported [2]string
	cfg := bench.MainConfig{Out: out, Data: dataset.Options{Spec: "synthetic:200,100"}, Seed: 1,
		Train: 100, Test: 50, GridTrain: 60, Folds: 2, CNN: cnn.TrainConfig{Epochs: 1}, Features: []string{"pixels"},
		Kernels: []string{"linear"}, Scaling: []int{40, 60}, CNNVariants: []string{cnn.VariantSigmoidLoss, cnn.VariantFixed},
		Curve: []int{40, 100}, Repeats: 2,
		Report: func(results, report string) error { reported = [2]string{results, report}; return nil }}
	var log strings.Builder
	p := bench.MainProgress{Log: func(f string, a ...any) { log.WriteString(strings.TrimSpace(fmt.Sprintf(f, a...)) + "\n") }}
	res, err := bench.MainJob(context.Background(), cfg, p)
	if err != nil {
		t.Fatalf("%v\n%s", err, log.String())
	}
	results := filepath.Join(out, "results")
	if reported != [2]string{results, out} || res.ResultsDir != results {
		t.Errorf("report stage called with %q, result dir %q", reported, res.ResultsDir)
	}
	var names []string
	for _, s := range res.Stages {
		names = append(names, s.Name)
	}
	if !slices.Equal(names, bench.MainStages()) {
		t.Errorf("stages run %v, want %v", names, bench.MainStages())
	}
	var rs bench.Results
	if err := bench.ReadJSON(filepath.Join(results, bench.ResultsFile), &rs); err != nil {
		t.Fatal(err)
	}
	for _, v := range []string{cnn.VariantSigmoidLoss, cnn.VariantFixed} {
		var run bench.CNNRun
		if err := bench.ReadJSON(filepath.Join(results, "cnn-"+v+".json"), &run); err != nil {
			t.Fatal(err)
		}
		i := slices.IndexFunc(rs.Results, func(r bench.ModelResult) bool { return r.Model == "cnn-"+v })
		if i < 0 || len(run.Epochs) != 1 || !slices.EqualFunc(rs.Results[i].Confusion, run.Confusion, slices.Equal) {
			t.Errorf("cnn-%s: record %d, %d epochs, confusion of results.json and the run file differ", v, i, len(run.Epochs))
		}
		if i >= 0 && (rs.Results[i].PeakHeapBytes == 0 || rs.Results[i].TrainSeconds != run.Epochs[0].Seconds) {
			t.Errorf("cnn-%s record: peak heap %d, train %g s (epoch %g s)", v, rs.Results[i].PeakHeapBytes, rs.Results[i].TrainSeconds, run.Epochs[0].Seconds)
		}
	}
	if !slices.ContainsFunc(rs.Results, func(r bench.ModelResult) bool { return r.Model == "svm-linear" && r.PeakHeapBytes > 0 }) {
		t.Errorf("results.json has no svm-linear record with its peaks: %+v", rs.Results)
	}
	for _, f := range []string{"best-linear-pixels.json", "scaling.json", bench.MainStampFile, "cnn-fixed.ckpt"} {
		if _, err := os.Stat(filepath.Join(results, f)); err != nil {
			t.Errorf("no %s: %v", f, err)
		}
	}

	// The trials stage scored both CNNs on its test images, at the job's n.
	var tr bench.Trials
	if err := bench.ReadJSON(filepath.Join(results, bench.TrialsFile), &tr); err != nil {
		t.Fatal(err)
	}
	for _, v := range []string{cnn.VariantSigmoidLoss, cnn.VariantFixed} {
		if !slices.ContainsFunc(tr.Trials, func(x bench.Trial) bool {
			return x.Model == "cnn-"+v && x.N == 100 && x.Study == bench.StudyCurve && len(x.Correct) == tr.TestN
		}) {
			t.Errorf("trials.json has no curve trial of cnn-%s at n 100", v)
		}
	}

	before := readAll(t, results, "cnn-fixed.json", "cnn-sigmoid-loss.json", "cnn-fixed.cnn")
	log.Reset()
	if _, err := bench.MainJob(context.Background(), cfg, p); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"cnn fixed: done already", "cnn sigmoid-loss: done already", "grid linear/pixels: done already"} {
		if !strings.Contains(log.String(), want) {
			t.Errorf("second run: no %q in\n%s", want, log.String())
		}
	}
	if after := readAll(t, results, "cnn-fixed.json", "cnn-sigmoid-loss.json", "cnn-fixed.cnn"); !slices.EqualFunc(before, after, bytes.Equal) {
		t.Errorf("the second run rewrote a CNN file")
	}

	other := cfg
	other.Train = 120
	if _, err := bench.MainJob(context.Background(), other, bench.MainProgress{}); err == nil || !strings.Contains(err.Error(), "other settings") {
		t.Errorf("other -train in the same folder: %v, want a refusal", err)
	}
}

func readAll(t *testing.T, dir string, names ...string) [][]byte {
	var out [][]byte
	for _, n := range names {
		b, err := os.ReadFile(filepath.Join(dir, n))
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, b)
	}
	return out
}

// TestMainJobRangeOnlyWhereKernelHasIt: a -gamma range given to the main
// job reaches the rbf grid and not the linear one (which has no γ and
// refused the whole job before).
func TestMainJobRangeOnlyWhereKernelHasIt(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the main job's grids")
	}
	out := mainGridsOnly(t, func(c *bench.MainConfig) {
		c.Kernels, c.Gamma, c.C, c.Extend = []string{"linear", "rbf"}, bench.Values(0.001, 0.01), bench.Values(1), -1
	})
	for k, want := range map[string]int{"linear": 1, "rbf": 2} {
		cells, _, err := bench.ReadCells(filepath.Join(out, "results", bench.GridFile(k, "pixels")))
		if err != nil || len(cells) != want {
			t.Errorf("%s grid: %d cells (%v), want %d", k, len(cells), err, want)
		}
	}
}

// The main job passes -search halving to its grids: each journal holds
// its rungs and the best file the last rung's cell.
func TestMainJobHalving(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the main job's grids")
	}
	// 600 grid images, 2 folds, 10 classes: rungs of 200 and 600 images.
	out := mainGridsOnly(t, func(c *bench.MainConfig) {
		c.Data.Spec, c.Train, c.GridTrain = "synthetic:600,100", 600, 600
		c.C, c.Search = bench.Values(1, 4, 16, 64), "halving"
	})
	cells, _, err := bench.ReadCells(filepath.Join(out, "results", bench.GridFile("linear", "pixels")))
	if err != nil || len(cells) != 6 {
		t.Fatalf("%d cells (%v), want 4 on rung 1 and 2 on rung 2", len(cells), err)
	}
	var b bench.Best
	if err := bench.ReadJSON(filepath.Join(out, "results", bench.BestFile("linear", "pixels")), &b); err != nil || b.Cell.Rung != 2 || b.Cell.RungN != 600 {
		t.Errorf("best cell %+v, %v", b.Cell, err)
	}
}

// mainGridsOnly runs the main job's grid stage alone (linear on pixels,
// 60 of 200 synthetic images, 2 folds) after set adjusts the config; it
// returns the output folder.
func mainGridsOnly(t *testing.T, set func(*bench.MainConfig)) string {
	t.Helper()
	out := t.TempDir()
	cfg := bench.MainConfig{Out: out, Data: dataset.Options{Spec: "synthetic:200,100"}, Seed: 1,
		Train: 100, Test: 50, GridTrain: 60, Folds: 2, Features: []string{"pixels"},
		Kernels: []string{"linear"},
		Skip:    []string{"cnn", "run", "scaling", "trials", "cost", "report"}}
	set(&cfg)
	if _, err := bench.MainJob(context.Background(), cfg, bench.MainProgress{}); err != nil {
		t.Fatal(err)
	}
	return out
}

// TestMainJobExtendsByDefault: the main job's grids carry range
// extension (2 steps) unless it is turned off, with -search bayes (its
// one trial of C = 1/4096, 1 is on an edge), random and halving too. On 200 images C = 1/4096 underfits (29.5% against 41.5% for
// C = 1): an edge held by a tie is not extended, and on fewer images
// every cell ties.
func TestMainJobExtendsByDefault(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the main job's grids")
	}
	for _, tc := range []struct {
		search       string
		extend, want int
	}{{"", 0, 2}, {"", -1, 0}, {"bayes", 0, 2}, {"random", 0, 2}, {"halving", 0, 2}, {"halving", -1, 0}} {
		out := mainGridsOnly(t, func(c *bench.MainConfig) {
			c.C, c.Extend, c.Search, c.Train, c.GridTrain = bench.Values(1.0/4096, 1), tc.extend, tc.search, 200, 200
		})
		var spec bench.GridSpec
		if err := bench.ReadJSON(filepath.Join(out, "results", bench.SpecFile("linear", "pixels")), &spec); err != nil {
			t.Fatal(err)
		}
		cells, _, err := bench.ReadCells(filepath.Join(out, "results", bench.GridFile("linear", "pixels")))
		plain := 2 // the grid's cells, or halving's single rung
		switch tc.search {
		case "bayes":
			plain = 1 // a quarter of the grid, rounded up
		case "random":
			plain = 2 // GridConfig.Trials' default 20, cut to the grid's 2 cells
		}
		if err != nil || spec.Extend != tc.want || (tc.want == 0) != (len(cells) == plain) {
			t.Errorf("MainConfig search %q, Extend %d: spec extend %d, %d cells (%v); want extend %d", tc.search, tc.extend, spec.Extend, len(cells), err, tc.want)
		}
	}
}

// TestMainJobBayesTrialsCapped: bench all -search bayes -trials T runs
// grids of different sizes (quick: sigmoid 36 cells, rbf 9, linear 4); a
// grid with fewer than T cells gets all of them rather than failing the
// job after the grids before it (and the CNN stage) ran.
func TestMainJobBayesTrialsCapped(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the main job's grids")
	}
	out := mainGridsOnly(t, func(c *bench.MainConfig) {
		c.Kernels, c.Search, c.Trials, c.Extend = []string{"sigmoid", "linear"}, "bayes", 5, -1
		c.C = bench.Values(1, 8)
	})
	for _, k := range []struct {
		kernel string
		trials int
	}{{"sigmoid", 5}, {"linear", 2}} {
		var spec bench.GridSpec
		if err := bench.ReadJSON(filepath.Join(out, "results", bench.SpecFile(k.kernel, "pixels")), &spec); err != nil {
			t.Fatal(err)
		}
		if spec.Trials != k.trials {
			t.Errorf("%s grid: %d trials, want %d", k.kernel, spec.Trials, k.trials)
		}
	}
}

// TestMainJobComparesSearches: the main job writes the search comparison
// of its sigmoid grid on pixels (3 seeds of bayes and random, replayed),
// and none with Compare -1.
func TestMainJobComparesSearches(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the main job's grids")
	}
	for _, tc := range []struct{ compare, traces int }{{0, 1 + 2*3}, {-1, 0}} {
		out := mainGridsOnly(t, func(c *bench.MainConfig) {
			c.Kernels, c.C, c.Compare = []string{"sigmoid"}, bench.Values(1, 8), tc.compare
		})
		var cmpn bench.SearchComparison
		err := bench.ReadJSON(filepath.Join(out, "results", bench.SearchFile("sigmoid", "pixels")), &cmpn)
		if (err == nil) != (tc.traces > 0) || len(cmpn.Traces) != tc.traces {
			t.Errorf("Compare %d: %d traces (%v), want %d", tc.compare, len(cmpn.Traces), err, tc.traces)
		}
		if tc.traces > 0 && (cmpn.GridCells != 4*3*2 || cmpn.Budget != 6) {
			t.Errorf("comparison of %d grid cells, budget %d; want 24 and 6 (the lattice without extension)", cmpn.GridCells, cmpn.Budget)
		}
	}
}

// TestMainConfigEta: the main job's halving factor is refused without
// -search halving and outside [2, 1e6].
func TestMainConfigEta(t *testing.T) {
	for _, tc := range []struct {
		search string
		eta    float64
		ok     bool
	}{{"", 2, false}, {"bayes", 3, false}, {"halving", 1.5, false}, {"halving", 2, true}, {"halving", 0, true}} {
		err := bench.MainConfig{Search: tc.search, Eta: tc.eta}.Validate()
		if (err == nil) != tc.ok || err != nil && !strings.Contains(err.Error(), "Eta") {
			t.Errorf("Search %q, Eta %v: %v", tc.search, tc.eta, err)
		}
	}
}

// MainConfig.Validate refuses, before any work, a grid range or MaxIter
// its grids would refuse only once the stages before them ran (a data
// error after the CNN's training, before), as a *ConfigError naming the
// field; skipping the grids skips the check.
func TestMainConfigValidatesGrids(t *testing.T) {
	for _, tc := range []struct {
		cfg   bench.MainConfig
		field string
	}{
		{bench.MainConfig{C: bench.Values(1, 0)}, "GridConfig.C"},
		{bench.MainConfig{Kernels: []string{"rbf"}, Gamma: bench.Values(0)}, "GridConfig.Gamma"},
		{bench.MainConfig{MaxIter: -5}, "GridConfig.MaxIter"},
		{bench.MainConfig{Extend: 99}, "GridConfig.Extend"},
		{bench.MainConfig{Kernels: []string{"linear"}, Gamma: bench.Values(0)}, ""}, // linear has no γ: not used
		{bench.MainConfig{C: bench.Values(0), Skip: []string{"grids"}}, ""},
	} {
		err := tc.cfg.Validate()
		var ce *bench.ConfigError
		if tc.field == "" && err != nil || tc.field != "" && (!errors.As(err, &ce) || ce.Field != tc.field) {
			t.Errorf("%+v: %v; want a ConfigError naming %q (none for \"\")", tc.cfg, err, tc.field)
		}
	}
}
