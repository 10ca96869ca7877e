package svm

import (
	"context"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/svmbench/svmbench/kernels"
	"github.com/svmbench/svmbench/matrix"
)

// startFrom seeds each sub-problem with prev's α scaled by scale.
func startFrom(prev *Model, scale float64) func(i, j int, rows []int, alpha []float64) {
	return func(i, j int, rows []int, alpha []float64) {
		pos := map[int]int{}
		for t, r := range rows {
			pos[r] = t
		}
		prev.PairAlpha(i, j, func(row int, a float64) {
			if t, ok := pos[row]; ok {
				alpha[t] = a * scale
			}
		})
	}
}

func iterations(m *Model) int {
	n := 0
	for _, p := range m.Pairs {
		n += p.Iter
	}
	return n
}

// A warm start from the solution at a smaller C, scaled into the new box
// (Chu et al.), reaches the cold start's optimum at a tight tolerance
// (same objective, same predictions); a start from the model's own
// solution needs almost none. Both the Gram path and the
// column-cache path take the start in the caller's rows.
func TestWarmStartEqualsColdStart(t *testing.T) {
	x, y := blobs(240, 8, []int{1, 2, 3}, 1.6, 5)
	xt, _ := blobs(480, 8, []int{1, 2, 3}, 1.6, 6)
	k := kernels.RBF{Gamma: 0.05}
	for _, cache := range []float64{0, 0.05} { // whole Gram; LRU columns
		ctx := context.Background()
		p := Params{Kernel: k, C: 2, Tol: 1e-5, CacheMB: cache}
		lo := p
		lo.C = 0.5
		m0, err := Train(ctx, x, y, lo)
		if err != nil {
			t.Fatal(err)
		}
		cold, err := Train(ctx, x, y, p)
		if err != nil {
			t.Fatal(err)
		}
		p.Start = startFrom(m0, p.C/lo.C)
		warm, err := Train(ctx, x, y, p)
		if err != nil {
			t.Fatal(err)
		}
		sameModel(t, "warm from C=0.5", cold, warm, 1e-6)
		pc, _ := cold.Predict(nil, xt)
		pw, _ := warm.Predict(nil, xt)
		for i := range pc {
			if pc[i] != pw[i] {
				t.Fatalf("cache %g: sample %d predicted %d warm, %d cold", cache, i, pw[i], pc[i])
			}
		}
		// Fewer iterations from C=0.5 is usual but not guaranteed (the
		// openblas build's rounding gave 1218 warm against 1180 cold in
		// CI): only the start at the optimum below is asserted.
		p.Start = startFrom(cold, 1)
		again, err := Train(ctx, x, y, p)
		if err != nil {
			t.Fatal(err)
		}
		sameModel(t, "warm from itself", cold, again, 1e-6)
		// Rebuilt from scratch, G differs from the accumulated one by
		// rounding, so a few steps remain at Tol 1e-5.
		if it, ic := iterations(again), iterations(cold); it > ic/10 {
			t.Errorf("cache %g: a start at the optimum took %d iterations, cold %d", cache, it, ic)
		}
		t.Logf("cache %g: iterations cold %d, warm from C=0.5 %d, from itself %d", cache, iterations(cold), iterations(warm), iterations(again))
	}
}

// Any start is made feasible: a start far outside the box, or one that
// breaks yᵀα = 0, still converges to the optimum.
func TestWarmStartInfeasible(t *testing.T) {
	x, y := blobs(120, 6, []int{1, 2}, 1.2, 9)
	g := gramOf(t, kernels.RBF{Gamma: 0.1}, x)
	p := Params{C: 1, Tol: 1e-5}
	cold, err := TrainGram(context.Background(), g, y, p)
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range []float64{-1, 0.3, 7, math.NaN()} {
		p.Start = func(i, j int, rows []int, alpha []float64) {
			for t := range alpha {
				alpha[t] = v * float64(1+t%3)
			}
		}
		warm, err := TrainGram(context.Background(), g, y, p)
		if err != nil {
			t.Fatal(err)
		}
		sameModel(t, "infeasible start", cold, warm, 1e-6)
	}
}

// A start that breaks yᵀα = 0 is balanced by lowering as few α of the
// heavier side as needed, free ones first: the α at C stay exactly at C
// (scaling the whole side, as before, moved them a rounding error below).
func TestWarmStartBalance(t *testing.T) {
	s := &solver{l: 6, y: []int8{1, 1, 1, -1, -1, -1}, cp: 1, cn: 1,
		alpha: []float64{1, 0.5, 1, 1, 1, 0.2}}
	s.balance(2.5 - 2.2)
	want := []float64{1, 0.2, 1, 1, 1, 0.2}
	for t0, a := range s.alpha {
		if math.Abs(a-want[t0]) > 1e-15 {
			t.Fatalf("balanced α %v, want %v", s.alpha, want)
		}
	}
	if s.alpha[0] != 1 || s.alpha[2] != 1 {
		t.Errorf("an α at C moved: %v", s.alpha)
	}
	s.alpha = []float64{0.1, 0, 0, 1, 1, 0}
	s.balance(0.1 - 2) // the negative side is heavier; no free α there
	if got := s.alpha[3] + s.alpha[4]; math.Abs(got-0.1) > 1e-15 || s.alpha[0] != 0.1 {
		t.Errorf("balanced α %v: want the negative side's α summing to 0.1", s.alpha)
	}
}

// With every α at C at the optimum, ρ is the middle of its interval; a
// seed a rounding error below C (free, for the solver's status) is
// snapped onto C after the run, so the seeded ρ is the cold one's (with
// the free α, ρ would be their mean y·G instead).
func TestWarmStartSnapsToBounds(t *testing.T) {
	// Two classes from one distribution: every sample is inside the
	// margin at a small C.
	r := rand.New(rand.NewPCG(4, 2))
	x := matrix.New(60, 4)
	y := make([]int, 60)
	for i := range y {
		y[i] = 1 + i%2
		for j := range 4 {
			x.Set(i, j, float32(r.NormFloat64()))
		}
	}
	g := gramOf(t, kernels.RBF{Gamma: 0.1}, x)
	p := Params{C: 0.01, Tol: 1e-5}
	cold, err := TrainGram(context.Background(), g, y, p)
	if err != nil {
		t.Fatal(err)
	}
	if st := cold.Pairs[0]; st.NSV != st.NBSV || st.NSV == 0 {
		t.Fatalf("cold: %d support vectors, %d at C: want all at C", st.NSV, st.NBSV)
	}
	p.Start = func(i, j int, rows []int, alpha []float64) {
		cold.PairAlpha(i, j, func(r int, a float64) { alpha[r] = a * (1 - 1e-14) })
	}
	p.Tol = 3 // above any violation here: no step moves an α
	warm, err := TrainGram(context.Background(), g, y, p)
	if err != nil {
		t.Fatal(err)
	}
	if st := warm.Pairs[0]; st.NBSV != cold.Pairs[0].NBSV || math.Abs(warm.Rho[0]-cold.Rho[0]) > 1e-9 {
		t.Errorf("seeded a rounding error below C: %d at C, ρ %v; cold %d, ρ %v", st.NBSV, warm.Rho[0], cold.Pairs[0].NBSV, cold.Rho[0])
	}
}
