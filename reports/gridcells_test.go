package reports

import (
	"bytes"
	"strings"
	"testing"

	"github.com/svmbench/svmbench/dataset"
	"github.com/svmbench/svmbench/results"
)

// The grid command's table lists the kernel's parameters from the
// registry (poly's degree too) and marks the best cell.
func TestWriteGridCells(t *testing.T) {
	cells := []results.GridCell{
		{Index: 0, Kernel: "poly", Gamma: 0.5, Coef0: 1, Degree: 2, C: 1, Folds: 2, FoldAccuracy: []float64{0.4, 0.6}, CVAccuracy: 0.5},
		{Index: 1, Kernel: "poly", Gamma: 0.5, Coef0: 1, Degree: 2, C: 8, Folds: 2, FoldAccuracy: []float64{0.7, 0.7}, CVAccuracy: 0.7, Capped: true},
	}
	var b bytes.Buffer
	if err := WriteGridCells(&b, cells, &cells[1]); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, want := range []string{"GAMMA", "COEF0", "DEGREE", "CV ACC %", "70.00", "40.00", "yes", "*"} {
		if !strings.Contains(strings.ToUpper(out), strings.ToUpper(want)) {
			t.Errorf("table lacks %q:\n%s", want, out)
		}
	}
	b.Reset()
	if WriteGridCells(&b, nil, nil); b.String() != "(no cells)\n" {
		t.Errorf("no cells: %q", b.String())
	}
}

func TestWriteRunTables(t *testing.T) {
	var b bytes.Buffer
	err := WriteModelResults(&b, []results.ModelResult{{Model: "svm-rbf", Features: "pixels", Accuracy: 0.4125, TrainSeconds: 1.5, NSV: 10, PeakHeapBytes: 3 << 20}})
	if err != nil || !strings.Contains(b.String(), "41.25") || !strings.Contains(b.String(), "unknown") || !strings.Contains(b.String(), "3.0 MiB") {
		t.Errorf("WriteModelResults: %v\n%s", err, b.String())
	}
	b.Reset()
	err = WriteScalingPoints(&b, []results.ScalingPoint{{Model: "svm-rbf", Features: "pixels", N: 1000, TestN: 500, Accuracy: 0.5}})
	if err != nil || !strings.Contains(b.String(), "1000") || !strings.Contains(b.String(), "50.00") {
		t.Errorf("WriteScalingPoints: %v\n%s", err, b.String())
	}
}

func TestWriteDataTables(t *testing.T) {
	var b strings.Builder
	rows := []ClassCount{{Label: -1, Name: "-1", Train: 3, Test: 1}, {Label: 7, Name: "seven", Train: 2, Test: 0}}
	if err := WriteClassCounts(&b, rows); err != nil {
		t.Fatal(err)
	}
	if err := WriteFileSums(&b, []dataset.FileSum{{Name: "a.txt", Bytes: 12, SHA256: "ab", MD5: "cd"}}); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"|    -1 | -1    |     3 |    1 |", "|     7 | seven |     2 |    0 |", "| total |     5 |    1 |", "| a.txt |    12 | sha256 ab, md5 cd |"} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("missing %q in\n%s", want, b.String())
		}
	}
}
