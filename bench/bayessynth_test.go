package bench

import (
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"strconv"
	"testing"
)

// lattice is a test function on a lattice of the unit cube: levels[d]
// values per axis, f maximised.
type lattice struct {
	name   string
	levels []int
	f      func(x []float64) float64
	noise  float64 // sd of a fixed per-cell perturbation, relative to the range
}

func (l lattice) space() (*searchSpace, []float64) {
	sp := &searchSpace{}
	for d := range l.levels {
		sp.active = append(sp.active, fmt.Sprint("x", d))
	}
	idx := make([]int, len(l.levels))
	var ys []float64
	for {
		x := make([]float64, len(idx))
		for d, i := range idx {
			x[d] = float64(i) / float64(l.levels[d]-1)
		}
		// C holds the lattice index (bayesLoop numbers the trials).
		sp.cells = append(sp.cells, GridCell{Index: len(sp.cells), C: float64(len(sp.cells))})
		sp.coord = append(sp.coord, x)
		ys = append(ys, l.f(x))
		d := 0
		for ; d < len(idx); d++ {
			if idx[d]++; idx[d] < l.levels[d] {
				break
			}
			idx[d] = 0
		}
		if d == len(idx) {
			break
		}
	}
	if l.noise > 0 {
		lo, hi := math.Inf(1), math.Inf(-1)
		for _, y := range ys {
			lo, hi = min(lo, y), max(hi, y)
		}
		rng := rand.New(rand.NewPCG(99, 1))
		for i := range ys {
			ys[i] += l.noise * (hi - lo) * rng.NormFloat64()
		}
	}
	return sp, ys
}

// Standard test functions, mapped from the unit cube to their domains and
// negated where they are minimised.
func branin(x []float64) float64 {
	a, b := 15*x[0]-5, 15*x[1]
	t := b - 5.1/(4*math.Pi*math.Pi)*a*a + 5/math.Pi*a - 6
	return -(t*t + 10*(1-1/(8*math.Pi))*math.Cos(a) + 10)
}

func camel(x []float64) float64 {
	a, b := 6*x[0]-3, 4*x[1]-2
	return -((4-2.1*a*a+a*a*a*a/3)*a*a + a*b + (-4+4*b*b)*b*b)
}

func hartmann3(x []float64) float64 {
	al := []float64{1, 1.2, 3, 3.2}
	A := [][]float64{{3, 10, 30}, {0.1, 10, 35}, {3, 10, 30}, {0.1, 10, 35}}
	P := [][]float64{{0.3689, 0.117, 0.2673}, {0.4699, 0.4387, 0.747}, {0.1091, 0.8732, 0.5547}, {0.03815, 0.5743, 0.8828}}
	var s float64
	for i := range 4 {
		var e float64
		for j := range 3 {
			e += A[i][j] * (x[j] - P[i][j]) * (x[j] - P[i][j])
		}
		s += al[i] * math.Exp(-e)
	}
	return s
}

// TestBayesSyntheticLattices is a measurement, skipped unless asked for:
// it logs, for bayes search on standard test functions on lattices
// (SVMBENCH_BAYES_SYNTHETIC=N: seeds 1..N), a quarter of the cells,
// batches of 2, the mean shortfall from the lattice's maximum, in % of
// the function's range over the lattice, and how often it finds the
// maximum. It fails only when a search does not evaluate exactly its
// budget of distinct cells.
func TestBayesSyntheticLattices(t *testing.T) {
	n, err := strconv.Atoi(os.Getenv("SVMBENCH_BAYES_SYNTHETIC"))
	if err != nil || n < 1 {
		t.Skip("SVMBENCH_BAYES_SYNTHETIC not set to a number of seeds")
	}
	for _, l := range []lattice{
		{"branin 10x10", []int{10, 10}, branin, 0},
		{"camel 8x8", []int{8, 8}, camel, 0},
		{"hartmann3 5x5x5", []int{5, 5, 5}, hartmann3, 0},
		{"hartmann3 4x3x3", []int{4, 3, 3}, hartmann3, 0},
		{"branin 10x10 noisy", []int{10, 10}, branin, 0.02},
		{"hartmann3 5x5x5 noisy", []int{5, 5, 5}, hartmann3, 0.02},
		{"hartmann3 4x3x3 noisy", []int{4, 3, 3}, hartmann3, 0.02},
	} {
		sp, ys := l.space()
		lo, hi := math.Inf(1), math.Inf(-1)
		for _, y := range ys {
			lo, hi = min(lo, y), max(hi, y)
		}
		var gap float64
		found := 0
		for seed := 1; seed <= n; seed++ {
			cfg := GridConfig{Trials: len(ys) / 4, Batch: 2, SearchSeed: uint64(seed)}
			best := math.Inf(-1)
			seen := map[int]bool{}
			err := bayesLoop(sp, &cfg, func(batch []GridCell) ([]GridCell, error) {
				for i := range batch {
					y := ys[int(batch[i].C)]
					batch[i].CVAccuracy = y
					best = max(best, y)
					seen[int(batch[i].C)] = true
				}
				return batch, nil
			})
			if err != nil {
				t.Fatal(err)
			}
			if len(seen) != cfg.Trials {
				t.Errorf("%s seed %d: %d distinct cells evaluated, budget %d", l.name, seed, len(seen), cfg.Trials)
			}
			gap += 100 * (hi - best) / (hi - lo)
			if best == hi {
				found++
			}
		}
		t.Logf("%-24s %4d cells, %3d trials: %5.2f%% of the range behind, found %d/%d", l.name, len(ys), len(ys)/4, gap/float64(n), found, n)
	}
}
