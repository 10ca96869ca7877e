package reports

import (
	"math"
	"strings"
	"testing"
)

// TestStepTicksFiner: a range holding fewer than three multiples of the
// step is labelled with a finer step; a wide one keeps the step.
func TestStepTicksFiner(t *testing.T) {
	labels := func(min, max float64) (out []string) {
		for _, tk := range stepTicks(10).Ticks(min, max) {
			out = append(out, tk.Label)
		}
		return out
	}
	if got := labels(84, 104); len(got) < 3 {
		t.Errorf("ticks of [84, 104] = %v, want at least 3 labels", got)
	}
	if got := labels(0, 70); len(got) != 8 || got[0] != "0" || got[1] != "10" {
		t.Errorf("ticks of [0, 70] = %v, want 0, 10, ..., 70", got)
	}
}

// TestNiceTicks: a count axis is labelled at whole numbers only, with
// labels between its ends (the search figure's 5-cell axis read 0, 2.50,
// 5.00 with gonum/plot's default ticks); a seconds axis gets 1, 2 or 5 ×
// 10^k steps in their shortest form; minor ticks are unlabelled and fall
// between the labels.
func TestNiceTicks(t *testing.T) {
	labels := func(tk niceTicks, min, max float64) (out []string, minor int) {
		for _, x := range tk.Ticks(min, max) {
			if x.Label == "" {
				minor++
				if tk.integer && x.Value != math.Round(x.Value) {
					t.Errorf("[%g, %g]: minor tick at %g on a count axis", min, max, x.Value)
				}
				continue
			}
			out = append(out, x.Label)
		}
		return out, minor
	}
	for _, tc := range []struct {
		integer  bool
		min, max float64
		want     string
		minor    int
	}{
		{true, 0, 4, "0 1 2 3 4", 0},
		{true, 0, 5, "0 1 2 3 4 5", 0},
		{true, 0, 9, "0 2 4 6 8", 5},
		{true, 0, 14.67, "0 2 4 6 8 10 12 14", 7},
		{true, 0, 36, "0 5 10 15 20 25 30 35", 29},
		{true, 0, 1.5, "0 1", 0},
		{false, 0, 1.8, "0 0.5 1 1.5", 15},
		{false, 0, 0.6, "0 0.1 0.2 0.3 0.4 0.5 0.6", 24},
		{false, 17, 38, "20 25 30 35", 18},
	} {
		got, minor := labels(niceTicks{tc.integer}, tc.min, tc.max)
		if strings.Join(got, " ") != tc.want || minor != tc.minor {
			t.Errorf("niceTicks{%v} of [%g, %g] = %v and %d minor ticks, want %s and %d", tc.integer, tc.min, tc.max, got, minor, tc.want, tc.minor)
		}
	}
	if got, _ := labels(niceTicks{true}, 3, 3); len(got) != 1 || got[0] != "3" {
		t.Errorf("the range [3, 3] got %v, want the one label 3", got)
	}
}
