package results

import "math"

// SeedingComparison is DIR/seeding-KERNEL-FEATURES.json: one grid run
// twice on the same folds, with alpha seeding and from cold starts
// (bench grid -compare-seeding), cell by cell.
type SeedingComparison struct {
	Manifest Manifest      `json:"manifest"`
	Kernel   string        `json:"kernel"`
	Features string        `json:"features"`
	Folds    int           `json:"folds"`
	Eps      float64       `json:"eps"`
	Cells    []SeedingCell `json:"cells"`
}

// SeedingCell is one cell of a SeedingComparison: its parameters, and
// the SMO iterations, fit seconds (summed over workers) and CV accuracy
// of the seeded and the cold run.
type SeedingCell struct {
	Index         int     `json:"cell"`
	Alpha         float64 `json:"alpha"`
	Coef0         float64 `json:"coef0"`
	Gamma         float64 `json:"gamma"`
	Degree        int     `json:"degree"`
	C             float64 `json:"C"`
	SeededPairs   int     `json:"seeded_pairs"`
	IterSeeded    int     `json:"smo_iter_seeded"`
	IterCold      int     `json:"smo_iter_cold"`
	SecondsSeeded float64 `json:"seconds_seeded"`
	SecondsCold   float64 `json:"seconds_cold"`
	CVSeeded      float64 `json:"cv_accuracy_seeded"`
	CVCold        float64 `json:"cv_accuracy_cold"`
	// FoldsDiffer counts the folds whose validation accuracy differs
	// between the two runs.
	FoldsDiffer int `json:"folds_differ"`
	// FailedSeeded and FailedCold say why the cell could not be
	// cross-validated in that run (GridCell.Failed), "" where it was
	// scored; a cell failed in either run has no CV accuracy to compare
	// (its cv_accuracy 0 is none) and FoldsDiffer 0.
	FailedSeeded string `json:"failed_seeded,omitempty"`
	FailedCold   string `json:"failed_cold,omitempty"`
}

// failed reports whether c failed in either run.
func (c SeedingCell) failed() bool { return c.FailedSeeded != "" || c.FailedCold != "" }

// SeedingFile names a seeding comparison's file in a results folder.
func SeedingFile(kernel, features string) string {
	return "seeding-" + fileTag(kernel, features) + ".json"
}

// SeedingTotals sums a SeedingComparison over its cells.
type SeedingTotals struct {
	Cells, SeededCells     int // cells, and cells with a seeded sub-problem
	SeededPairs            int
	IterSeeded, IterCold   int
	SecSeeded, SecCold     float64
	Failed                 int     // cells failed in either run (not compared)
	CellsDiffer            int     // cells scored in both runs whose CV accuracy differs
	FoldsDiffer            int     // folds, over all cells
	MaxCVDiff              float64 // largest |CV seeded − CV cold| of those
	IterRatio, SecondRatio float64 // cold ÷ seeded (0 when seeded is 0)
}

// Totals sums the comparison's cells.
func (s *SeedingComparison) Totals() SeedingTotals {
	var t SeedingTotals
	for _, c := range s.Cells {
		t.Cells++
		if c.SeededPairs > 0 {
			t.SeededCells++
		}
		t.SeededPairs += c.SeededPairs
		t.IterSeeded += c.IterSeeded
		t.IterCold += c.IterCold
		t.SecSeeded += c.SecondsSeeded
		t.SecCold += c.SecondsCold
		t.FoldsDiffer += c.FoldsDiffer
		if c.failed() {
			t.Failed++
			continue
		}
		if d := math.Abs(c.CVSeeded - c.CVCold); d > 0 {
			t.CellsDiffer++
			t.MaxCVDiff = max(t.MaxCVDiff, d)
		}
	}
	if t.IterSeeded > 0 {
		t.IterRatio = float64(t.IterCold) / float64(t.IterSeeded)
	}
	if t.SecSeeded > 0 {
		t.SecondRatio = t.SecCold / t.SecSeeded
	}
	return t
}
