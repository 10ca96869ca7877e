package reports

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/svmbench/svmbench/results"
)

// The trials fixture (testdata/trials, written by its gen.py) has three
// repeats of six models at three sizes on 200 test images, noise studies
// and a cost file; its accuracies are made so that some pairs differ
// clearly and some do not.
func loadTrialsFixture(t *testing.T) *Inputs {
	t.Helper()
	in, err := Load(filepath.Join("testdata", "trials"))
	if err != nil {
		t.Fatal(err)
	}
	if in.Trials == nil || in.Cost == nil {
		t.Fatal("fixture without trials or cost")
	}
	return in
}

func TestTrialsTablesGolden(t *testing.T) {
	in := loadTrialsFixture(t)
	for _, tb := range []*Table{RepeatsTable(in), PairsTable(in), NoiseTable(in), CostTable(in)} {
		if tb == nil {
			t.Fatal("a table is missing")
		}
		var b strings.Builder
		if err := tb.WriteMarkdown(&b); err != nil {
			t.Fatal(err)
		}
		golden(t, "trials-"+tb.Name+".md.golden", []byte(tb.Title+"\n\n"+b.String()+"\n"+tb.Note+"\n"))
	}
	text := ReadItAs(in) + "\n\n" + NoiseVerdict(in) + "\n\n" + CostVerdict(in) + "\n"
	golden(t, "trials-verdicts.golden", []byte(text))
}

func TestReadItAsSaysNotSignificant(t *testing.T) {
	in := loadTrialsFixture(t)
	s := ReadItAs(in)
	if !strings.Contains(s, "not significant") {
		t.Errorf("no \"not significant\" in: %s", s)
	}
	sig := 0
	for _, p := range pairTests(in) {
		if p.Significant {
			sig++
		}
		if p.Holm < p.P {
			t.Errorf("%s vs %s: Holm p %g below raw p %g", p.A.label(), p.B.label(), p.Holm, p.P)
		}
	}
	if sig == 0 || sig == len(pairTests(in)) {
		t.Errorf("%d of %d pairs significant: the fixture should have both kinds", sig, len(pairTests(in)))
	}
	// The sigmoid was made to lose less to label noise: supported.
	if v := NoiseVerdict(in); !strings.Contains(v, "Verdict: supported") {
		t.Errorf("noise verdict: %s", v)
	}
	// The fixture's CNN in the noise studies is shown beside the verdict,
	// for both studies, and not counted in it.
	if v := NoiseVerdict(in); strings.Count(v, "Beside it, not in the verdict: the cnn-fixed CNN keeps") != 2 {
		t.Errorf("noise verdict without the CNN: %s", v)
	}
	if v := CostVerdict(in); !strings.Contains(v, "Verdict: refuted in practice") {
		t.Errorf("cost verdict: %s", v)
	}
}

// The fixture's CNNs are single runs scored on the same test images: they
// are paired with every SVM by the paired t test over images (the SVMs
// have three repeats) and with each other by McNemar's exact test, and
// the paragraph compares each CNN with the best SVM of every feature set.
func TestCNNInPairedTests(t *testing.T) {
	in := loadTrialsFixture(t)
	tests := map[string]int{}
	for _, p := range pairTests(in) {
		a, b := isCNN(p.A.Model), isCNN(p.B.Model)
		switch {
		case a && b:
			tests["cnn-cnn "+p.Test]++
		case a || b:
			tests["cnn-svm "+p.Test]++
		default:
			tests["svm-svm "+p.Test]++
		}
	}
	want := map[string]int{"cnn-cnn McNemar": 1, "cnn-svm paired t": 12, "svm-svm paired t": 15}
	for k, n := range want {
		if tests[k] != n {
			t.Errorf("%s: %d pairs, want %d (all: %v)", k, tests[k], n, tests)
		}
	}
	s := ReadItAs(in)
	for _, w := range []string{"cnn-fixed (one run", "cnn-seed (n = 5000, one run", "over 28 pairs"} {
		if !strings.Contains(s, w) {
			t.Errorf("ReadItAs lacks %q: %s", w, s)
		}
	}
}

func TestTrialsVersionChecked(t *testing.T) {
	dir := t.TempDir()
	raw, err := os.ReadFile(filepath.Join("testdata", "trials", "trials.json"))
	if err != nil {
		t.Fatal(err)
	}
	bad := strings.Replace(string(raw), `"version": 1`, `"version": 99`, 1)
	if err := os.WriteFile(filepath.Join(dir, "trials.json"), []byte(bad), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Load(dir); err == nil || !strings.Contains(err.Error(), "format version 99") {
		t.Errorf("Load: %v, want a version error", err)
	}
}

func TestTrialsReportWrites(t *testing.T) {
	in := loadTrialsFixture(t)
	out := t.TempDir()
	if d := os.Getenv("REPORTS_KEEP_TRIALS"); d != "" {
		out = d
	}
	if err := Write(in, out); err != nil {
		t.Fatal(err)
	}
	md, _ := os.ReadFile(filepath.Join(out, "report.md"))
	for _, want := range []string{"learning-curves.png", "noise-labels.png", "noise-pixels.png", "The seed's claims, tested", "Read it as", "Paired tests"} {
		if !strings.Contains(string(md), want) {
			t.Errorf("report.md lacks %q", want)
		}
	}
}

// Two repeats at 5% and 20%: the t interval (t = 12.7) passes 0, and the
// interval shown is cut at 0 while the "±" keeps the t half-width; at 80%
// and 95% it is cut at 1.
func TestRepeatIntervalCut(t *testing.T) {
	for _, c := range []struct{ a, b float64 }{{0.05, 0.20}, {0.80, 0.95}} {
		g := &trialGroup{Trials: []results.Trial{{Accuracy: c.a}, {Accuracy: c.b}}}
		raw, cut := g.repeatT(), g.repeatInterval()
		if cut.Est != raw.Est || cut.Lo != max(0, raw.Lo) || cut.Hi != min(1, raw.Hi) || (raw.Lo >= 0 && raw.Hi <= 1) {
			t.Errorf("%g, %g: t interval %+v, cut %+v: want one end past [0, 1] and cut to it", c.a, c.b, raw, cut)
		}
	}
}

// TestAccuracyFigureMatchesMainTable: with trials, the accuracy figure's
// bars are the main table's accuracies (the mean over repeats at its n),
// not the models × features table's single run, and its caption says so.
func TestAccuracyFigureMatchesMainTable(t *testing.T) {
	in := loadTrialsFixture(t)
	f := AccuracyFigure(in)
	var svg strings.Builder
	if err := f.WriteSVG(&svg); err != nil {
		t.Fatal(err)
	}
	main := RepeatsTable(in)
	for _, row := range main.Rows {
		acc, _, _ := strings.Cut(row[5].Text, " ± ")
		if !strings.Contains(svg.String(), ">"+acc+"<") {
			t.Errorf("%s/%s: the main table's %s%% is not a bar label of the figure", row[0].Text, row[1].Text, acc)
		}
	}
	if !strings.Contains(f.Caption, "mean over repeats at n = ") {
		t.Errorf("caption does not say the bars are the repeats' mean: %s", f.Caption)
	}
}

// TestAccuracyFigureCNNs: the accuracy figure draws every row of the main
// table: a CNN trained on another n than the SVMs' is labelled with its n
// (as the table's n column says), and a CNN of results.json without
// trials (its network missing at the trials stage) is still drawn, with
// the accuracy the table gives it.
func TestAccuracyFigureCNNs(t *testing.T) {
	in := loadTrialsFixture(t)
	tr := *in.Trials
	tr.Trials = slices.DeleteFunc(slices.Clone(tr.Trials), func(x results.Trial) bool { return x.Model == "cnn-fixed" })
	in.Trials = &tr
	f := AccuracyFigure(in)
	var svg strings.Builder
	if err := f.WriteSVG(&svg); err != nil {
		t.Fatal(err)
	}
	for _, row := range RepeatsTable(in).Rows {
		acc, _, _ := strings.Cut(row[5].Text, " ± ")
		if !strings.Contains(svg.String(), ">"+acc+"<") {
			t.Errorf("%s/%s: the main table's %s%% is not a bar label of the figure", row[0].Text, row[1].Text, acc)
		}
	}
	for _, label := range []string{">cnn-fixed (n = 5000)<", ">cnn-seed (n = 5000)<"} {
		if !strings.Contains(svg.String(), label) {
			t.Errorf("the figure has no model label %s", label)
		}
	}
}
