package dataset

import (
	"math"
	"runtime"
	"slices"
	"testing"
)

func TestSyntheticDeterministic(t *testing.T) {
	a := Synthetic(300, 100, 7)
	prev := runtime.GOMAXPROCS(1)
	b := Synthetic(300, 100, 7)
	runtime.GOMAXPROCS(prev)
	if !slices.Equal(a.Train.X.Data, b.Train.X.Data) || !slices.Equal(a.Test.X.Data, b.Test.X.Data) || !slices.Equal(a.Train.Y, b.Train.Y) {
		t.Fatal("the same seed gave different data (with 1 and with more workers)")
	}
	c := Synthetic(300, 100, 8)
	if slices.Equal(a.Train.X.Data, c.Train.X.Data) {
		t.Fatal("seeds 7 and 8 gave the same data")
	}
	if slices.Equal(a.Train.X.Row(0), a.Test.X.Row(0)) {
		t.Fatal("training and test images are the same")
	}
	counts := make([]int, 10)
	for _, l := range a.Train.Y {
		counts[l]++
	}
	for k, n := range counts {
		if n != 30 {
			t.Errorf("class %d has %d of 300 training images, want 30", k, n)
		}
	}
	for _, v := range a.Train.X.Data {
		if v < 0 || v > 255 || v != float32(math.Round(float64(v))) {
			t.Fatalf("value %v, want integers 0–255", v)
		}
	}
	if len(a.Classes) != 10 || *a.Image != (ImageShape{32, 32, 3}) || a.Source != "synthetic seed=7 train=300 test=100" {
		t.Errorf("Classes %v, Image %v, Source %q", a.Classes, a.Image, a.Source)
	}
	d := Synthetic(0, 0, 1)
	if d.Train.Len() != SyntheticTrain || d.Test.Len() != SyntheticTest {
		t.Errorf("default sizes %d, %d", d.Train.Len(), d.Test.Len())
	}
}

// TestSyntheticLearnable checks that a linear classifier (nearest class
// mean) learns the synthetic data well above chance (10%) and well below
// 100%. (svm-train 3.24 -t 0 -c 0.01 on 2000 training images, pixels/255:
// 48.1% test accuracy; -t 2 -g 0.005 -c 10: 84.3%.)
func TestSyntheticLearnable(t *testing.T) {
	d := Synthetic(2000, 1000, 1)
	p := d.Train.X.Cols
	mean := make([][]float64, 10)
	count := make([]int, 10)
	for k := range mean {
		mean[k] = make([]float64, p)
	}
	for i, l := range d.Train.Y {
		count[l]++
		for j, v := range d.Train.X.Row(i) {
			mean[l][j] += float64(v)
		}
	}
	for k := range mean {
		for j := range mean[k] {
			mean[k][j] /= float64(count[k])
		}
	}
	correct := 0
	for i, l := range d.Test.Y {
		best, bestD := -1, math.Inf(1)
		for k := range mean {
			s := 0.0
			for j, v := range d.Test.X.Row(i) {
				e := float64(v) - mean[k][j]
				s += e * e
			}
			if s < bestD {
				best, bestD = k, s
			}
		}
		if best == l {
			correct++
		}
	}
	acc := float64(correct) / float64(d.Test.Len())
	t.Logf("nearest class mean: %.1f%% test accuracy", 100*acc)
	if acc < 0.25 || acc > 0.85 {
		t.Errorf("nearest class mean: %.1f%% test accuracy, want 25%%–85%% (learnable, not trivial)", 100*acc)
	}
}

func BenchmarkSynthetic10000x2000(b *testing.B) {
	for b.Loop() {
		Synthetic(10000, 2000, 1)
	}
}
