package reports

import "testing"

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
