package dataset

import (
	"fmt"
	"math/rand/v2"
	"slices"
)

// Balanced returns a data set of nTrain training and nTest test samples
// drawn from d without replacement, as evenly over the classes as the
// classes allow (see quotas in the package documentation); 0 means all
// samples of that split. The samples of each split are in a random order.
// The same rng state gives the same subset. Classes, Image, Source and
// Files are kept; d is not changed.
func (d *Dataset) Balanced(nTrain, nTest int, rng *rand.Rand) (*Dataset, error) {
	train, err := balancedIndex("training", d.Train.Y, nTrain, rng)
	if err != nil {
		return nil, err
	}
	test, err := balancedIndex("test", d.Test.Y, nTest, rng)
	if err != nil {
		return nil, err
	}
	out := &Dataset{Source: d.Source, Classes: d.Classes, Image: d.Image, Files: d.Files,
		Train: *d.Train.Subset(train), Test: *d.Test.Subset(test)}
	return out, nil
}

// balancedIndex picks n indices of y (all when n is 0), per class as in
// quotas, then shuffles them.
func balancedIndex(split string, y []int, n int, rng *rand.Rand) ([]int, error) {
	if n < 0 || n > len(y) {
		return nil, fmt.Errorf("dataset: %d %s samples asked for, want 0 (all) to %d", n, split, len(y))
	}
	if n == 0 {
		n = len(y)
	}
	byClass := classIndex(y)
	counts := make([]int, len(byClass))
	for k, c := range byClass {
		counts[k] = len(c.idx)
	}
	q := quotas(counts, n, rng)
	out := make([]int, 0, n)
	for k, c := range byClass {
		// A uniform q-subset: the first q of a random permutation.
		idx := c.idx
		for i := 0; i < q[k]; i++ {
			j := i + rng.IntN(len(idx)-i)
			idx[i], idx[j] = idx[j], idx[i]
		}
		out = append(out, idx[:q[k]]...)
	}
	rng.Shuffle(len(out), func(i, j int) { out[i], out[j] = out[j], out[i] })
	return out, nil
}

type classMembers struct {
	label int
	idx   []int // ascending
}

// classIndex groups the positions of y by label, in ascending label order.
func classIndex(y []int) []classMembers {
	pos := map[int]int{}
	var cs []classMembers
	for i, l := range y {
		k, ok := pos[l]
		if !ok {
			k = len(cs)
			pos[l] = k
			cs = append(cs, classMembers{label: l})
		}
		cs[k].idx = append(cs[k].idx, i)
	}
	slices.SortFunc(cs, func(a, b classMembers) int { return a.label - b.label })
	return cs
}

// quotas splits n (≤ sum of counts) over classes of the given sizes as
// evenly as they allow: q[k] = min(counts[k], t) for the level t at which
// the sum reaches n, and the r units that the integer level leaves over go
// one each to r classes drawn at random among those with room.
func quotas(counts []int, n int, rng *rand.Rand) []int {
	q := make([]int, len(counts))
	order := make([]int, len(counts))
	for k := range order {
		order[k] = k
	}
	slices.SortStableFunc(order, func(a, b int) int { return counts[a] - counts[b] })
	rest, m := n, len(counts)
	i := 0
	// Classes too small for an equal share give all they have.
	for ; i < len(order) && counts[order[i]]*m <= rest; i++ {
		q[order[i]] = counts[order[i]]
		rest -= counts[order[i]]
		m--
	}
	if m == 0 {
		return q
	}
	// The others (each larger than rest/m) get ⌊rest/m⌋, and rest mod m
	// of them, chosen at random, one more.
	big := order[i:]
	for _, k := range big {
		q[k] = rest / m
	}
	extra := rest % m
	for j := 0; j < extra; j++ {
		p := j + rng.IntN(len(big)-j)
		big[j], big[p] = big[p], big[j]
		q[big[j]]++
	}
	return q
}

// StratifiedFolds splits the sample indices 0..len(y)-1 into k validation
// folds that keep the class proportions: the samples of each class (in
// ascending label order) are shuffled and dealt to the folds in turn,
// continuing from fold to fold across classes. So every class has
// ⌊n_c/k⌋ or ⌈n_c/k⌉ samples in each fold, and fold sizes differ by at
// most one. Each fold is in ascending order. It is an error when k < 2 or
// k > len(y); a class with fewer than k samples is simply absent from
// some folds.
func StratifiedFolds(y []int, k int, rng *rand.Rand) ([][]int, error) {
	if k < 2 || k > len(y) {
		return nil, fmt.Errorf("dataset: %d folds of %d samples: want 2 ≤ k ≤ %d", k, len(y), len(y))
	}
	folds := make([][]int, k)
	for f := range folds {
		folds[f] = make([]int, 0, len(y)/k+1)
	}
	next := 0
	for _, c := range classIndex(y) {
		idx := c.idx
		rng.Shuffle(len(idx), func(i, j int) { idx[i], idx[j] = idx[j], idx[i] })
		for _, i := range idx {
			folds[next] = append(folds[next], i)
			next = (next + 1) % k
		}
	}
	for _, f := range folds {
		slices.Sort(f)
	}
	return folds, nil
}

// FoldTrain returns the training indices for validation fold i of folds:
// all the other folds' indices, in ascending order. It panics if i is not
// a fold index.
func FoldTrain(folds [][]int, i int) []int {
	if i < 0 || i >= len(folds) {
		panic("dataset: FoldTrain: fold index out of range")
	}
	n := 0
	for j, f := range folds {
		if j != i {
			n += len(f)
		}
	}
	out := make([]int, 0, n)
	for j, f := range folds {
		if j != i {
			out = append(out, f...)
		}
	}
	slices.Sort(out)
	return out
}
