package bench

import (
	"context"
	"testing"

	"github.com/svmbench/svmbench/dataset"
	"github.com/svmbench/svmbench/features"
	"github.com/svmbench/svmbench/matrix"
)

// BenchmarkGridSigmoid1000x3072 runs a 5-fold sigmoid grid of 4 α × 2 c ×
// 2 C = 16 cells on 1000 synthetic 32×32×3 images (pixels/255), in the
// default mode (one kernel matrix per α, c shared by its C values and
// folds) and with fold Grams derived per fit (a budget too small for the
// shared matrix), side by side. Run with -benchtime=1x.
func BenchmarkGridSigmoid1000x3072(b *testing.B) {
	d := dataset.Synthetic(1000, 10, 1)
	train, _, err := features.Apply(features.Pixels{}, d)
	if err != nil {
		b.Fatal(err)
	}
	a, _ := ParseRange("2^-15:2^-9:2")
	n := int64(train.Rows)
	nt := n * 4 / 5
	perFit := matrix.Bytes(int(nt), int(nt)) + matrix.Bytes(int(n-nt), int(nt)) + svmWorkBytes(int(nt))
	for _, mode := range []struct {
		name string
		mem  int64
	}{{"shared", 1 << 30}, {"perfold", matrix.Bytes(int(n), int(n)) + 2*perFit + 1}} {
		b.Run(mode.name, func(b *testing.B) {
			for b.Loop() {
				cfg := GridConfig{Alpha: a, Coef0: Values(-1, 0), C: Values(2, 8), NoRetrain: true, MemBytes: mode.mem}
				if _, _, err := Grid(context.Background(), d, train, nil, cfg); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Seconds())/float64(b.N)/16, "s/cell")
		})
	}
}
