package dataset_test

import (
	"context"
	"math"
	"strings"
	"testing"

	"github.com/svmbench/svmbench/dataset"
)

func TestVerify(t *testing.T) {
	d, err := dataset.Load(context.Background(), dataset.Options{Spec: "synthetic:20,10", Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	if err := d.Verify(); err != nil {
		t.Fatalf("synthetic data: %v", err)
	}
	d.Test.X.Row(2)[5] = float32(math.NaN())
	if err := d.Verify(); err == nil || !strings.Contains(err.Error(), "test sample 3, value 6 is NaN") {
		t.Errorf("a NaN: %v", err)
	}
	d.Test.X.Row(2)[5] = 300
	if err := d.Verify(); err == nil || !strings.Contains(err.Error(), "outside 0–255") {
		t.Errorf("a value of 300: %v", err)
	}
	d.Test.X.Row(2)[5] = 0
	d.Train.Y[4] = 99
	if err := d.Verify(); err == nil || !strings.Contains(err.Error(), "train sample 5: label 99") {
		t.Errorf("an unknown label: %v", err)
	}
}
