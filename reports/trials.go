package reports

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/svmbench/svmbench/results"
	"github.com/svmbench/svmbench/stats"
)

// This file turns trials.json into the report's statistics: intervals
// over repeats and over test images, and paired tests between models.

// confidence is the level of every interval and test in the report.
const confidence = 0.95

// bootReps is the number of bootstrap resamples of every bootstrap
// interval; bootSeed seeds them, so a report is the same every time it is
// built from the same files.
const (
	bootReps = 2000
	bootSeed = 0x626f6f74 // "boot"
)

func bootRNG() *rand.Rand { return rand.New(rand.NewPCG(bootSeed, 0)) }

// trialGroup is one model × features × n × noise over its repeats.
type trialGroup struct {
	Study, Model, Features string
	N                      int
	Noise                  float64
	Params                 map[string]float64
	Trials                 []results.Trial // in repeat order
	correct                [][]bool        // per repeat, per test image
	// at is the training size the group is compared at (mainN), when it
	// is shown among the main models; a CNN trained on another n says so.
	at int
}

func (g *trialGroup) label() string { return g.Model + "/" + g.Features + g.nNote() }

// name is the model, with its n when not the comparison's.
func (g *trialGroup) name() string { return g.Model + g.nNote() }

func (g *trialGroup) nNote() string { return nNote(g.N, g.at) }

// nNote is " (n = N)" for a model trained on n images, shown among models
// compared at n = at; "" when n is at (or either is unknown).
func nNote(n, at int) string {
	if at != 0 && n != 0 && n != at {
		return fmt.Sprintf(" (n = %d)", n)
	}
	return ""
}

// accuracies returns the accuracy of each repeat.
func (g *trialGroup) accuracies() []float64 {
	a := make([]float64, len(g.Trials))
	for i, t := range g.Trials {
		a[i] = t.Accuracy
	}
	return a
}

// meanTrainSeconds is the mean training time over the repeats.
func (g *trialGroup) meanTrainSeconds() float64 {
	var s float64
	for _, t := range g.Trials {
		s += t.TrainSeconds
	}
	return s / float64(len(g.Trials))
}

// repeatInterval is the mean accuracy with its t interval across repeats,
// cut to [0, 1] (with two repeats t is 12.7 and the interval of an
// accuracy can pass 0); with one repeat it is Wilson's interval over the
// test images.
func (g *trialGroup) repeatInterval() stats.Interval {
	iv := g.repeatT()
	iv.Lo, iv.Hi = max(0, iv.Lo), min(1, iv.Hi)
	return iv
}

// repeatT is repeatInterval before the cut: its half-width is the "±".
func (g *trialGroup) repeatT() stats.Interval {
	if len(g.Trials) >= 2 {
		return stats.MeanT(g.accuracies(), confidence)
	}
	c := g.correct[0]
	return stats.Wilson(countTrue(c), len(c), confidence)
}

// imageScore is, for test image i, the share of repeats that got it right.
func (g *trialGroup) imageScore(i int) float64 {
	k := 0
	for _, c := range g.correct {
		if c[i] {
			k++
		}
	}
	return float64(k) / float64(len(g.correct))
}

// meanOver is the mean of imageScore over the images idx.
func (g *trialGroup) meanOver(idx []int) float64 {
	var s float64
	for _, i := range idx {
		s += g.imageScore(i)
	}
	return s / float64(len(idx))
}

// imageInterval is the bootstrap over test images of the accuracy
// averaged over repeats.
func (g *trialGroup) imageInterval(rng *rand.Rand) stats.Interval {
	return stats.Bootstrap(len(g.correct[0]), bootReps, confidence, rng, g.meanOver)
}

func countTrue(c []bool) int {
	k := 0
	for _, v := range c {
		if v {
			k++
		}
	}
	return k
}

func parseCorrect(s string) []bool {
	c := make([]bool, len(s))
	for i := range s {
		c[i] = s[i] == '1'
	}
	return c
}

// groupTrials groups the trials of one study by model, features, n and
// noise, in order of first appearance, each with its repeats in order.
func groupTrials(tr *results.Trials, study string) []*trialGroup {
	if tr == nil {
		return nil
	}
	var gs []*trialGroup
	byKey := map[string]*trialGroup{}
	for _, t := range tr.Trials {
		if t.Study != study {
			continue
		}
		k := fmt.Sprintf("%s/%s/%d/%g", t.Model, t.Features, t.N, t.Noise)
		g := byKey[k]
		if g == nil {
			g = &trialGroup{Study: study, Model: t.Model, Features: t.Features, N: t.N, Noise: t.Noise, Params: t.Params}
			byKey[k] = g
			gs = append(gs, g)
		}
		g.Trials = append(g.Trials, t)
	}
	for _, g := range gs {
		sort.SliceStable(g.Trials, func(i, j int) bool { return g.Trials[i].Repeat < g.Trials[j].Repeat })
		for _, t := range g.Trials {
			g.correct = append(g.correct, parseCorrect(t.Correct))
		}
	}
	return gs
}

// isCNN tells the CNN trials (the networks of the cnn stage scored on
// the trials' test images) from the SVMs'.
func isCNN(model string) bool { return strings.HasPrefix(model, "cnn-") }

// mainN is the largest training size of the SVMs' learning curve (its
// groups curve): where the models are compared.
func mainN(curve []*trialGroup) int {
	n := 0
	for _, g := range curve {
		if !isCNN(g.Model) {
			n = max(n, g.N)
		}
	}
	return n
}

// mainGroups are the SVMs' curve groups at mainN, ordered by features
// then model as in the models table, then each CNN's curve group at mainN
// (else at its largest n: the full profile trains the CNN on all images,
// past the curve).
func mainGroups(in *Inputs) []*trialGroup {
	curve := groupTrials(in.Trials, results.StudyCurve)
	n := mainN(curve)
	var gs []*trialGroup
	cnns := map[string]*trialGroup{}
	var cnnOrder []string
	for _, g := range curve {
		switch {
		case !isCNN(g.Model):
			if g.N == n {
				gs = append(gs, g)
			}
		case cnns[g.Model] == nil:
			cnns[g.Model] = g
			cnnOrder = append(cnnOrder, g.Model)
		case cnns[g.Model].N != n && (g.N == n || g.N > cnns[g.Model].N):
			cnns[g.Model] = g
		}
	}
	sort.SliceStable(gs, func(i, j int) bool {
		return orderOf(featureOrder, gs[i].Features) < orderOf(featureOrder, gs[j].Features)
	})
	for _, m := range cnnOrder {
		gs = append(gs, cnns[m])
	}
	for _, g := range gs {
		g.at = n
	}
	return gs
}

// ivText prints an interval of fractions as percentages: "[41.2, 45.0]".
func ivText(iv stats.Interval) string { return "[" + pct(iv.Lo) + ", " + pct(iv.Hi) + "]" }

func ivCSV(iv stats.Interval) string { return raw(iv.Lo) + ";" + raw(iv.Hi) }

// RepeatsTable is the models at the same training size, each trained on
// other balanced subsets: the mean over repeats with its t interval, and
// the bootstrap over test images; then the CNNs of results.json with
// Wilson's interval. Nil without trials.
func RepeatsTable(in *Inputs) *Table {
	gs := mainGroups(in)
	if len(gs) == 0 {
		return nil
	}
	t := &Table{
		Name:      "repeats",
		Title:     fmt.Sprintf("Models at n = %d training images: mean ± 95%% interval", gs[0].N),
		Header:    []string{"Model", "Features", "Parameters", "n", "Repeats", "Accuracy (%)", "95% interval (repeats)", "95% interval (test images)", "Train (s)"},
		CSVHeader: []string{"model", "features", "params", "n", "repeats", "accuracy", "interval_repeats", "interval_test_images", "train_seconds"},
		Right:     []bool{false, false, false, true, true, true, true, true, true},
	}
	rng := bootRNG()
	for _, g := range gs {
		r, b := g.repeatInterval(), g.imageInterval(rng)
		rep := Cell{Text: ivText(r), CSV: ivCSV(r)}
		if len(g.Trials) == 1 {
			rep = Cell{Text: "–", CSV: ""} // Wilson's, over test images: not a spread over repeats
		}
		t.Rows = append(t.Rows, []Cell{txt(g.Model), txt(g.Features),
			{Text: paramString(g.Params), CSV: paramRaw(g.Params)},
			txt(strconv.Itoa(g.N)), txt(strconv.Itoa(len(g.Trials))),
			{Text: pct(r.Est) + " ± " + pct(g.repeatT().HalfWidth()), CSV: raw(r.Est)},
			rep, {Text: ivText(b), CSV: ivCSV(b)},
			{Text: secs(g.meanTrainSeconds()), CSV: raw(g.meanTrainSeconds())}})
	}
	for _, m := range unrepeatedCNNs(in, gs) {
		n, k := confusionCounts(m.Confusion)
		w := stats.Wilson(k, n, confidence)
		trainN := "–"
		if in.Manifest != nil && in.Manifest.TrainN > 0 {
			trainN = strconv.Itoa(in.Manifest.TrainN)
		}
		t.Rows = append(t.Rows, []Cell{txt(m.Model), txt(m.Features),
			{Text: paramString(m.Params), CSV: paramRaw(m.Params)}, txt(trainN), txt("1"),
			{Text: pct(w.Est) + " ± " + pct(w.HalfWidth()), CSV: raw(w.Est)},
			{Text: "–", CSV: ""}, {Text: ivText(w), CSV: ivCSV(w)},
			{Text: secs(m.TrainSeconds), CSV: raw(m.TrainSeconds)}})
	}
	t.Note = fmt.Sprintf("Each SVM is trained %d time(s) on different balanced subsets of n training images at its grid's best parameters and scored on the same %d test images. Accuracy is the mean over repeats ± the half-width of its 95%% Student-t interval (with one repeat: Wilson's interval over the test images), the interval shown cut to [0, 100]; the test-image interval is a percentile bootstrap (%d resamples) over the test images of the accuracy averaged over repeats. %s",
		len(gs[0].Trials), len(gs[0].correct[0]), bootReps, cnnNote(gs))
	return t
}

// unrepeatedCNNs are the CNNs of results.json that have no group in gs
// (their network was not there for the trials stage) and a confusion
// matrix: the main table shows them scored once, after gs.
func unrepeatedCNNs(in *Inputs, gs []*trialGroup) []results.ModelResult {
	var out []results.ModelResult
	for _, m := range in.Models {
		n, _ := confusionCounts(m.Confusion)
		if isCNN(m.Model) && n > 0 && !slices.ContainsFunc(gs, func(g *trialGroup) bool { return g.Model == m.Model }) {
			out = append(out, m)
		}
	}
	return out
}

// cnnNote says how the CNN rows' intervals were made.
func cnnNote(gs []*trialGroup) string {
	for _, g := range gs {
		if isCNN(g.Model) {
			if len(g.Trials) > 1 {
				return "CNN rows: the networks of the cnn stage (repeats: other initialisations and shuffles), scored on the same test images; intervals as for the SVMs."
			}
			return "CNN rows: the one network the cnn stage trained (the profile does not repeat the CNN), scored on the same test images: its intervals are over the test images only (Wilson's; bootstrap) and do not include the spread between CNN trainings."
		}
	}
	return "CNN rows: one training run, Wilson's interval over its test images (results.json; not in the trials, so not in the paired tests)."
}

// confusionCounts returns the images and the right answers of a
// confusion matrix.
func confusionCounts(conf [][]int) (n, right int) {
	for i, row := range conf {
		for j, v := range row {
			n += v
			if i == j {
				right += v
			}
		}
	}
	return n, right
}

// pairTest is one paired comparison of two groups on the same images.
type pairTest struct {
	A, B        *trialGroup
	Diff        stats.Interval // accuracy A − B averaged over repeats, t interval over images
	OnlyA       int            // images A got right more often than B (one run each: only A right)
	OnlyB       int
	Test        string // testMcNemar or testPairedT
	P, Holm     float64
	Significant bool
}

const (
	testMcNemar = "McNemar"
	testPairedT = "paired t"
)

// pairTests compares every two groups of mainGroups on the same test
// images, Holm-corrected over all the pairs.
func pairTests(in *Inputs) []pairTest { return pairTestsOf(mainGroups(in)) }

// scores are a group's per-image shares of repeats right.
func (g *trialGroup) scores() []float64 {
	s := make([]float64, len(g.correct[0]))
	for i := range s {
		s[i] = g.imageScore(i)
	}
	return s
}

// pairTestsOf compares every two of gs: McNemar's exact test when both
// are single runs; otherwise, so that every repeat's answers count,
// Student's paired t test over the test images of the repeat-averaged
// per-image scores (stats.PairedT; package stats' doc says why pooling
// McNemar over repeats is not valid).
func pairTestsOf(gs []*trialGroup) []pairTest {
	var ps []pairTest
	var raw []float64
	for i := range gs {
		for j := i + 1; j < len(gs); j++ {
			a, b := gs[i], gs[j]
			sa, sb := a.scores(), b.scores()
			t := stats.PairedT(sa, sb, confidence)
			p := pairTest{A: a, B: b, Diff: t.Diff, Test: testPairedT, P: t.P}
			for k := range sa {
				switch {
				case sa[k] > sb[k]:
					p.OnlyA++
				case sa[k] < sb[k]:
					p.OnlyB++
				}
			}
			if len(a.correct) == 1 && len(b.correct) == 1 {
				p.Test, p.P = testMcNemar, stats.McNemarExact(p.OnlyA, p.OnlyB)
			}
			ps = append(ps, p)
			raw = append(raw, p.P)
		}
	}
	for i, h := range stats.Holm(raw) {
		ps[i].Holm = h
		ps[i].Significant = h < 1-confidence
	}
	return ps
}

func (p pairTest) verdict() string {
	switch {
	case !p.Significant:
		return "not significant"
	case p.Diff.Est > 0:
		return p.A.label() + " better"
	}
	return p.B.label() + " better"
}

// pText prints a p-value: "0.003", "< 0.0001".
func pText(p float64) string {
	if p < 1e-4 {
		return "< 0.0001"
	}
	return strconv.FormatFloat(p, 'g', 2, 64)
}

// PairsTable is every paired test between the models of RepeatsTable.
func PairsTable(in *Inputs) *Table {
	ps := pairTests(in)
	if len(ps) == 0 {
		return nil
	}
	t := &Table{
		Name:      "pairs",
		Title:     fmt.Sprintf("Paired tests between the models at n = %d (all repeats, Holm-corrected)", ps[0].A.at),
		Header:    []string{"A", "B", "A − B (points)", "95% interval", "A ahead (images)", "B ahead (images)", "Test", "p", "Holm p", "Verdict"},
		CSVHeader: []string{"a", "b", "diff", "interval", "a_ahead", "b_ahead", "test", "p", "holm_p", "verdict"},
		Right:     []bool{false, false, true, true, true, true, false, true, true, false},
		Note: fmt.Sprintf("All on the same %d test images. A − B is the accuracy difference averaged over each model's repeats, with its Student-t interval over the test images. An image counts for A when A got it right in a larger share of its repeats than B (with one run each: only A right). Test: McNemar's exact test when both are single runs; otherwise Student's paired t test over the test images of each image's share of repeats right, so that every repeat counts (package stats explains why pooling McNemar over repeats is not valid). Both are conditional on the trained models: they do not include the spread between trainings. Holm's correction is over the %d pairs shown; a difference is significant when its Holm p is below %.2g.",
			len(ps[0].A.correct[0]), len(ps), 1-confidence),
	}
	for _, p := range ps {
		t.Rows = append(t.Rows, []Cell{txt(p.A.label()), txt(p.B.label()),
			{Text: strconv.FormatFloat(100*p.Diff.Est, 'f', 1, 64), CSV: raw(p.Diff.Est)},
			{Text: ivText(p.Diff), CSV: ivCSV(p.Diff)},
			txt(strconv.Itoa(p.OnlyA)), txt(strconv.Itoa(p.OnlyB)), txt(p.Test),
			{Text: pText(p.P), CSV: raw(p.P)}, {Text: pText(p.Holm), CSV: raw(p.Holm)}, txt(p.verdict())})
	}
	return t
}

// ReadItAs is the paragraph under the main tables, written from the
// numbers: per feature set the models ranked with their intervals, each
// neighbour in the ranking tested; the same SVM across feature sets; and
// each CNN against the best SVM of every feature set. "" without trials.
func ReadItAs(in *Inputs) string {
	gs := mainGroups(in)
	if len(gs) == 0 {
		return ""
	}
	r := readItAs{gs: gs, ps: pairTestsOf(gs)}
	var feats, models []string
	for _, g := range gs {
		if !slices.Contains(feats, g.Features) {
			feats = append(feats, g.Features)
		}
		if !isCNN(g.Model) && !slices.Contains(models, g.Model) {
			models = append(models, g.Model)
		}
	}
	fmt.Fprintf(&r.b, "Read it as (generated from the numbers above; n = %d, %d repeat(s) of every SVM, tests Holm-corrected over %d pairs): ", gs[0].at, len(gs[0].Trials), len(r.ps))
	best := r.rankings(feats)
	r.acrossFeatures(models)
	r.cnnsAgainstBest(feats, best)
	return strings.TrimSuffix(r.b.String(), "; ") + "."
}

// readItAs writes ReadItAs's paragraph from the main groups gs and their
// pair tests ps.
type readItAs struct {
	gs []*trialGroup
	ps []pairTest
	b  strings.Builder
}

// find is the test of the pair a, b, whichever way it was tested.
func (r *readItAs) find(a, b *trialGroup) pairTest {
	for _, p := range r.ps {
		if (p.A == a && p.B == b) || (p.A == b && p.B == a) {
			return p
		}
	}
	panic("reports: ReadItAs compares a pair it did not test")
}

// diff is a − b in points with its verdict, whichever way the pair was
// tested.
func (r *readItAs) diff(a, b *trialGroup) string {
	p := r.find(a, b)
	d := p.Diff.Est
	if p.A != a {
		d = -d
	}
	return fmt.Sprintf("%+.1f points (%s)", 100*d, sigWord(p))
}

// rankings writes, per feature set, the models ranked with their
// intervals and each neighbour's test, and returns the best SVM of each.
func (r *readItAs) rankings(feats []string) map[string]*trialGroup {
	best := map[string]*trialGroup{}
	for _, f := range feats {
		var row []*trialGroup
		for _, g := range r.gs {
			if g.Features == f {
				row = append(row, g)
			}
		}
		sort.SliceStable(row, func(i, j int) bool { return row[i].repeatInterval().Est > row[j].repeatInterval().Est })
		fmt.Fprintf(&r.b, "on %s, ", f)
		for i, g := range row {
			if i > 0 {
				fmt.Fprintf(&r.b, " %s ", compareWord(r.find(row[i-1], g)))
			}
			if best[f] == nil && !isCNN(g.Model) {
				best[f] = g
			}
			iv := g.repeatInterval()
			fmt.Fprintf(&r.b, "%s %s%% %s", g.name(), pct(iv.Est), ivText(iv))
		}
		r.b.WriteString("; ")
	}
	return best
}

// acrossFeatures writes each SVM on every other feature set against it on
// the first.
func (r *readItAs) acrossFeatures(models []string) {
	for _, m := range models {
		var row []*trialGroup
		for _, g := range r.gs {
			if g.Model == m {
				row = append(row, g)
			}
		}
		for i := 1; i < len(row); i++ {
			fmt.Fprintf(&r.b, "%s on %s against %s: %s; ", m, row[i].Features, row[0].Features, r.diff(row[i], row[0]))
		}
	}
}

// cnnsAgainstBest writes each CNN against best, the best SVM of every
// feature set.
func (r *readItAs) cnnsAgainstBest(feats []string, best map[string]*trialGroup) {
	for _, g := range r.gs {
		if !isCNN(g.Model) {
			continue
		}
		var parts []string
		for _, f := range feats {
			if s := best[f]; s != nil {
				parts = append(parts, fmt.Sprintf("%s %s", s.label(), r.diff(g, s)))
			}
		}
		runs := fmt.Sprintf("%d runs", len(g.Trials))
		if len(g.Trials) == 1 {
			runs = "one run: its tests and intervals are over the test images only"
		}
		if g.N != g.at {
			runs = fmt.Sprintf("n = %d, %s", g.N, runs)
		}
		fmt.Fprintf(&r.b, "%s (%s) minus the best SVM of each feature set: %s; ", g.Model, runs, strings.Join(parts, ", "))
	}
}

// compareWord joins two neighbours of a ranking: ">" when the first is
// significantly better, "≈" when the difference is not significant.
func compareWord(p pairTest) string {
	if p.Significant {
		return fmt.Sprintf("> (Holm p %s)", pText(p.Holm))
	}
	return fmt.Sprintf("≈ (not significant, Holm p %s)", pText(p.Holm))
}

func sigWord(p pairTest) string {
	if p.Significant {
		return "significant, Holm p " + pText(p.Holm)
	}
	return "not significant, Holm p " + pText(p.Holm)
}

// loadStudy reads trials.json or cost.json into in, refusing a trials
// file of another format version or whose answers do not match its test
// set.
func loadStudy(in *Inputs, path, rel, name string) error {
	if name == results.CostFile {
		var c results.Cost
		if err := readJSON(path, &c); err != nil {
			return err
		}
		in.Cost = &c
		in.Files = append(in.Files, Source{Path: rel, Kind: "cost", Manifest: &c.Manifest})
		return nil
	}
	var t results.Trials
	if err := readJSON(path, &t); err != nil {
		return err
	}
	if t.Version != results.TrialsVersion {
		return &FileError{Path: path, Err: fmt.Errorf("format version %d: this program reads version %d (rerun the trials stage)", t.Version, results.TrialsVersion)}
	}
	for i, tr := range t.Trials {
		if len(tr.Correct) != t.TestN || strings.Trim(tr.Correct, "01") != "" {
			return &FileError{Path: path, Err: fmt.Errorf("trial %d (trials[%d]): correct must be %d characters 0 or 1, got %d", i+1, i, t.TestN, len(tr.Correct))}
		}
		if err := results.CheckFraction("accuracy", tr.Accuracy); err != nil {
			return &FileError{Path: path, Err: fmt.Errorf("trial %d (trials[%d]): %v", i+1, i, err)}
		}
	}
	if in.Trials != nil {
		return &FileError{Path: path, Err: fmt.Errorf("a second trials.json under %s: one run's folder has one", in.Dir)}
	}
	in.Trials = &t
	in.Files = append(in.Files, Source{Path: rel, Kind: "trials", Manifest: &t.Manifest})
	return nil
}
