package results

import (
	"errors"
	"fmt"
	"math"
	"slices"
)

// CheckCell checks what a grid cell's format promises: a cell index ≥ 0,
// folds ≥ 1 with one accuracy each, accuracies that are fractions, counts
// and times ≥ 0, and a cv_accuracy within the range of the fold
// accuracies (their weighted mean); a failed cell (Failed) has no fold
// accuracies and cv_accuracy 0.
func CheckCell(c GridCell) error {
	if c.Index < 0 {
		return fmt.Errorf("cell: want an index >= 0, got %d", c.Index)
	}
	if c.Failed != "" {
		return checkFailed(c)
	}
	if c.Folds <= 0 || len(c.FoldAccuracy) != c.Folds {
		return fmt.Errorf("cell %d has %d fold accuracies for %d folds", c.Index, len(c.FoldAccuracy), c.Folds)
	}
	if err := CheckFraction("cv_accuracy", c.CVAccuracy); err != nil {
		return err
	}
	for i, a := range c.FoldAccuracy {
		if err := CheckFraction(fmt.Sprintf("fold_accuracy[%d]", i), a); err != nil {
			return err
		}
	}
	if err := checkCounts(c); err != nil {
		return err
	}
	// cv_accuracy is the folds' accuracies weighted by their sizes: it
	// lies between the smallest and the largest (up to rounding).
	lo, hi := slices.Min(c.FoldAccuracy), slices.Max(c.FoldAccuracy)
	if c.CVAccuracy < lo-1e-9 || c.CVAccuracy > hi+1e-9 {
		return fmt.Errorf("cell %d: cv_accuracy %g is outside its fold accuracies' range %g…%g, so it is not their mean", c.Index, c.CVAccuracy, lo, hi)
	}
	return nil
}

// checkFailed checks a failed cell (Failed): folds ≥ 1, no fold
// accuracies and cv_accuracy 0 (it has no score), counts and times ≥ 0.
func checkFailed(c GridCell) error {
	if c.Folds <= 0 || len(c.FoldAccuracy) != 0 || c.CVAccuracy != 0 {
		return fmt.Errorf("cell %d failed (%s) but has %d fold accuracies and cv_accuracy %g for %d folds: want none, 0 and folds >= 1", c.Index, c.Failed, len(c.FoldAccuracy), c.CVAccuracy, c.Folds)
	}
	return checkCounts(c)
}

// checkCounts checks that a cell's counts and times are ≥ 0, scored or
// failed.
func checkCounts(c GridCell) error {
	for _, f := range []struct {
		name string
		v    float64
	}{{"seconds", c.Seconds}, {"n_sv", c.NSV}, {"smo_iter", float64(c.SMOIter)}, {"seeded_pairs", float64(c.SeededPairs)},
		{"rung", float64(c.Rung)}, {"rung_n", float64(c.RungN)}} {
		if err := CheckNonNegative(f.name, f.v); err != nil {
			return err
		}
	}
	return nil
}

// CheckNonNegative checks that field's value v, a count or a time, is
// ≥ 0.
func CheckNonNegative(field string, v float64) error {
	if math.IsNaN(v) || v < 0 {
		return fmt.Errorf("%s: want a count or time >= 0, got %g", field, v)
	}
	return nil
}

// CheckBestFile checks what a best file's format promises: a test
// accuracy that is a fraction and counts and times ≥ 0 (its cell is
// checked against its journal by CheckBest).
func CheckBestFile(b Best) error {
	if err := CheckFraction("test_accuracy", b.TestAccuracy); err != nil {
		return err
	}
	if err := CheckNonNegative("train_seconds", b.TrainSeconds); err != nil {
		return err
	}
	if err := CheckNonNegative("n_sv", float64(b.NSV)); err != nil {
		return err
	}
	return CheckNonNegative("grid_cells", float64(b.GridCells))
}

// CheckFraction checks that field's value v is a fraction in [0, 1].
func CheckFraction(field string, v float64) error {
	if math.IsNaN(v) || v < 0 || v > 1 {
		return fmt.Errorf("%s: want a fraction in [0, 1], got %g", field, v)
	}
	return nil
}

// CheckModel checks what a ModelResult's format promises: a model name,
// accuracies that are fractions, times and a count of SVs ≥ 0, and a
// square confusion matrix of counts.
func CheckModel(m ModelResult) error {
	if m.Model == "" {
		return errors.New("missing model name")
	}
	if err := CheckFraction("accuracy", m.Accuracy); err != nil {
		return err
	}
	for i, a := range m.PerClassAccuracy {
		if err := CheckFraction(fmt.Sprintf("per_class_accuracy[%d]", i), a); err != nil {
			return err
		}
	}
	for _, f := range []struct {
		name string
		v    float64
	}{{"train_seconds", m.TrainSeconds}, {"predict_seconds", m.PredictSeconds}, {"n_sv", float64(m.NSV)}} {
		if err := CheckNonNegative(f.name, f.v); err != nil {
			return err
		}
	}
	return CheckConfusion(m.Confusion)
}

// CheckConfusion checks that c is a square matrix of counts ≥ 0.
func CheckConfusion(c [][]int) error {
	for i, row := range c {
		if len(row) != len(c) {
			return fmt.Errorf("confusion: want a square matrix, row %d has %d entries for %d rows", i, len(row), len(c))
		}
		for j, v := range row {
			if v < 0 {
				return fmt.Errorf("confusion[%d][%d]: want a count >= 0, got %d", i, j, v)
			}
		}
	}
	return nil
}
