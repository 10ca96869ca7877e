package results

import (
	"slices"
	"testing"
)

func TestExtendStep(t *testing.T) {
	pow2 := SpecRange{Text: "2^-1:2^7:2", Kind: "pow2", Values: []float64{0.5, 2, 8, 32, 128}}
	geo := SpecRange{Text: "1,8,64", Kind: "list", Values: []float64{1, 8, 64}}
	lin := SpecRange{Text: "-2:0:0.5", Kind: "linear", Values: []float64{-2, -1.5, -1, -0.5, 0}}
	uneven := SpecRange{Text: "0.1,0.2,0.5", Kind: "list", Values: []float64{0.1, 0.2, 0.5}}
	for _, tc := range []struct {
		kernel, name string
		r            SpecRange
		side         int
		want         float64
		ok           bool
	}{
		{"sigmoid", "C", pow2, +1, 512, true},
		{"sigmoid", "C", pow2, -1, 0.125, true},
		{"rbf", "C", geo, +1, 512, true},
		{"rbf", "gamma", geo, -1, 0.125, true},
		{"sigmoid", "coef0", lin, +1, 0, false},     // c ≤ 0
		{"sigmoid", "coef0", lin, -1, -2.5, true},   // arithmetic
		{"sigmoid", "alpha", uneven, -1, 0, false},  // 0.1 - 0.1 = 0: α > 0
		{"sigmoid", "alpha", uneven, +1, 0.8, true}, // the outermost step, 0.3
		{"poly", "coef0", lin, -1, 0, false},        // poly c is not extended
	} {
		v, ok := ExtendStep(tc.kernel, tc.name, tc.r, SortedValues(tc.r.Values), tc.side)
		if ok != tc.ok || (ok && v != tc.want) {
			t.Errorf("%s %s %s side %d: %g %v, want %g %v", tc.kernel, tc.name, tc.r.Text, tc.side, v, ok, tc.want, tc.ok)
		}
	}
	// c stops at the floor -4: from -3:-2 only -3.5 … -4 below.
	below, above := ExtendedValues("sigmoid", "coef0", SpecRange{Text: "-3,-2.5,-2", Kind: "list", Values: []float64{-3, -2.5, -2}}, 5)
	if !slices.Equal(below, []float64{-3.5, -4}) || !slices.Equal(above, []float64{-1.5, -1, -0.5, 0}) {
		t.Errorf("ExtendedValues = %v, %v", below, above)
	}
	if _, ok := ExtendStep("sigmoid", "C", pow2, []float64{1}, +1); ok {
		t.Error("a range of one value was extended")
	}
}
