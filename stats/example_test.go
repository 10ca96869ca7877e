package stats_test

import (
	"fmt"

	"github.com/svmbench/svmbench/stats"
)

// Two classifiers on the same 1000 test images: 437 and 470 right. Are
// they different? Their intervals overlap; the paired test decides.
func Example() {
	a := stats.Wilson(437, 1000, 0.95)
	b := stats.Wilson(470, 1000, 0.95)
	fmt.Printf("A %.1f%% [%.1f, %.1f]\n", 100*a.Est, 100*a.Lo, 100*a.Hi)
	fmt.Printf("B %.1f%% [%.1f, %.1f]\n", 100*b.Est, 100*b.Lo, 100*b.Hi)
	// 60 images only A got right, 93 only B got right (scipy 1.10.1:
	// binomtest(60, 153, 0.5).pvalue = 0.009453836147291114).
	p := stats.McNemarExact(60, 93)
	fmt.Printf("McNemar p = %.4f\n", p)
	fmt.Printf("Holm over three pairs: %.4f\n", stats.Holm([]float64{p, 0.2, 0.04}))
	// Output:
	// A 43.7% [40.7, 46.8]
	// B 47.0% [43.9, 50.1]
	// McNemar p = 0.0095
	// Holm over three pairs: [0.0284 0.2000 0.0800]
}
