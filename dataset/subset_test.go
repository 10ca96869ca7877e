package dataset

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/svmbench/svmbench/matrix"
)

// labelled returns a data set whose sample i has the single value i, with
// the given number of samples per class in each split.
func labelled(train, test []int) *Dataset {
	mk := func(counts []int) Split {
		var y []int
		for k, n := range counts {
			for i := 0; i < n; i++ {
				y = append(y, k)
			}
		}
		// Interleave the classes, as real data are.
		rand.New(rand.NewPCG(5, 5)).Shuffle(len(y), func(i, j int) { y[i], y[j] = y[j], y[i] })
		x := matrix.New(len(y), 1)
		for i := range y {
			x.Data[i] = float32(i)
		}
		return Split{X: x, Y: y}
	}
	return &Dataset{Source: "test", Classes: []Class{{0, "a"}}, Image: &ImageShape{1, 1, 1},
		Files: []FileSum{{Name: "f"}}, Train: mk(train), Test: mk(test)}
}

func perClass(y []int, k int) []int {
	c := make([]int, k)
	for _, l := range y {
		c[l]++
	}
	return c
}

func TestQuotas(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 1))
	for _, c := range []struct {
		counts []int
		n      int
		want   []int // nil: check the sum and the spread only
	}{
		{[]int{10, 10, 10}, 9, []int{3, 3, 3}},
		{[]int{10, 10, 10}, 30, []int{10, 10, 10}},
		{[]int{1, 10, 10}, 9, []int{1, 4, 4}},
		{[]int{1, 2, 10}, 9, []int{1, 2, 6}},
		{[]int{0, 5, 5}, 6, []int{0, 3, 3}},
		{[]int{10, 10, 10}, 10, nil},
		{[]int{3, 10, 10, 10}, 11, nil},
	} {
		q := quotas(c.counts, c.n, rng)
		sum, lo, hi := 0, 1<<30, 0
		for k, v := range q {
			sum += v
			if v > c.counts[k] {
				t.Errorf("quotas(%v, %d) = %v: more than a class has", c.counts, c.n, q)
			}
			if v < c.counts[k] { // classes with room
				lo, hi = min(lo, v), max(hi, v)
			}
		}
		if sum != c.n || (hi > 0 && hi-lo > 1) {
			t.Errorf("quotas(%v, %d) = %v: want sum %d, classes with room within one", c.counts, c.n, q, c.n)
		}
		if c.want != nil && !slices.Equal(q, c.want) {
			t.Errorf("quotas(%v, %d) = %v, want %v", c.counts, c.n, q, c.want)
		}
	}
	// The extra units go to random classes: over many draws, each gets some.
	got := make([]int, 3)
	for i := 0; i < 300; i++ {
		q := quotas([]int{10, 10, 10}, 10, rng)
		for k, v := range q {
			if v == 4 {
				got[k]++
			}
		}
	}
	for k, n := range got {
		if n < 60 {
			t.Errorf("class %d got the extra sample %d times in 300, want about 100", k, n)
		}
	}
}

func TestBalanced(t *testing.T) {
	d := labelled([]int{50, 50, 8, 50}, []int{10, 10, 10, 10})
	s, err := d.Balanced(100, 20, rand.New(rand.NewPCG(1, 2)))
	if err != nil {
		t.Fatal(err)
	}
	if got := perClass(s.Train.Y, 4); !slices.Equal(got, []int{31, 31, 8, 30}) && !slices.Equal(got, []int{31, 30, 8, 31}) && !slices.Equal(got, []int{30, 31, 8, 31}) {
		t.Errorf("training counts per class %v, want 8 and 92 shared out 31/31/30", got)
	}
	if got := perClass(s.Test.Y, 4); !slices.Equal(got, []int{5, 5, 5, 5}) {
		t.Errorf("test counts per class %v, want 5 each", got)
	}
	// Rows and labels stay together, without repeats, in a shuffled order.
	seen := map[float32]bool{}
	for i, l := range s.Train.Y {
		v := s.Train.X.At(i, 0)
		if d.Train.Y[int(v)] != l || seen[float32(v)] {
			t.Fatalf("sample %d: value %v label %d does not match the source, or repeats", i, v, l)
		}
		seen[float32(v)] = true
	}
	if slices.IsSorted(s.Train.X.Data) {
		t.Error("the subset is in source order, want a shuffled order")
	}
	if s.Source != d.Source || &s.Classes[0] != &d.Classes[0] || s.Image != d.Image || len(s.Files) != 1 {
		t.Error("Balanced did not keep Source, Classes, Image and Files")
	}
	// Seeded: the same seed, the same subset; another seed, another.
	s2, _ := d.Balanced(100, 20, rand.New(rand.NewPCG(1, 2)))
	s3, _ := d.Balanced(100, 20, rand.New(rand.NewPCG(1, 3)))
	if !slices.Equal(s.Train.X.Data, s2.Train.X.Data) || slices.Equal(s.Train.X.Data, s3.Train.X.Data) {
		t.Error("Balanced is not a function of the seed")
	}
	// 0 means all, shuffled.
	all, err := d.Balanced(0, 0, rand.New(rand.NewPCG(1, 2)))
	if err != nil || all.Train.Len() != 158 || all.Test.Len() != 40 {
		t.Errorf("Balanced(0, 0): %v", err)
	}
	for _, n := range [][2]int{{159, 0}, {0, 41}, {-1, 0}} {
		if _, err := d.Balanced(n[0], n[1], rand.New(rand.NewPCG(1, 2))); err == nil || !strings.Contains(err.Error(), "want 0 (all) to") {
			t.Errorf("Balanced(%d, %d): %v, want an error", n[0], n[1], err)
		}
	}
}

func TestStratifiedFolds(t *testing.T) {
	d := labelled([]int{23, 7, 40, 1}, nil)
	y := d.Train.Y
	for _, k := range []int{2, 3, 5, 10} {
		folds, err := StratifiedFolds(y, k, rand.New(rand.NewPCG(9, uint64(k))))
		if err != nil {
			t.Fatal(err)
		}
		if len(folds) != k {
			t.Fatalf("%d folds, want %d", len(folds), k)
		}
		seen := make([]int, len(y))
		minSize, maxSize := len(y), 0
		for f, fold := range folds {
			if !slices.IsSorted(fold) {
				t.Errorf("fold %d is not ascending", f)
			}
			minSize, maxSize = min(minSize, len(fold)), max(maxSize, len(fold))
			for _, i := range fold {
				seen[i]++
			}
			// Each class has ⌊n_c/k⌋ or ⌈n_c/k⌉ samples in each fold.
			for c, n := range perClass(gather(y, fold), 4) {
				total := perClass(y, 4)[c]
				if n != total/k && n != (total+k-1)/k {
					t.Errorf("k=%d fold %d: class %d has %d of %d", k, f, c, n, total)
				}
			}
			train := FoldTrain(folds, f)
			if len(train)+len(fold) != len(y) || !slices.IsSorted(train) {
				t.Errorf("k=%d: FoldTrain(%d) has %d indices, want %d ascending", k, f, len(train), len(y)-len(fold))
			}
			for _, i := range train {
				if slices.Contains(fold, i) {
					t.Fatalf("k=%d: FoldTrain(%d) holds validation index %d", k, f, i)
				}
			}
		}
		if maxSize-minSize > 1 {
			t.Errorf("k=%d: fold sizes %d to %d, want within one", k, minSize, maxSize)
		}
		for i, n := range seen {
			if n != 1 {
				t.Fatalf("k=%d: index %d is in %d folds, want 1", k, i, n)
			}
		}
	}
	a, _ := StratifiedFolds(y, 5, rand.New(rand.NewPCG(1, 1)))
	b, _ := StratifiedFolds(y, 5, rand.New(rand.NewPCG(1, 1)))
	c, _ := StratifiedFolds(y, 5, rand.New(rand.NewPCG(1, 2)))
	if !slices.EqualFunc(a, b, slices.Equal) || slices.EqualFunc(a, c, slices.Equal) {
		t.Error("StratifiedFolds is not a function of the seed")
	}
	for _, k := range []int{-1, 0, 1, len(y) + 1} {
		if _, err := StratifiedFolds(y, k, rand.New(rand.NewPCG(1, 1))); err == nil {
			t.Errorf("k=%d: no error", k)
		}
	}
	if folds, err := StratifiedFolds(y, len(y), rand.New(rand.NewPCG(1, 1))); err != nil || len(folds[0]) != 1 {
		t.Errorf("leave-one-out: %v", err)
	}
}

func gather(y, idx []int) []int {
	out := make([]int, len(idx))
	for i, j := range idx {
		out[i] = y[j]
	}
	return out
}
