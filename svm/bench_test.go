package svm

import (
	"context"
	"testing"

	"github.com/svmbench/svmbench/internal/linalg"
	"github.com/svmbench/svmbench/kernels"
	"github.com/svmbench/svmbench/matrix"
)

// Benchmarks on CIFAR-like dense data (3072 features in [0, 1], see
// cifarLike), RBF γ = 0.005, C = 10, the setting of the LIBSVM comparison
// in scripts/libsvm_speed.sh. Sizes are in the names: samples × features.
// They report the model's support vectors; run with -benchtime=1x on a
// shared machine.

var rbf = kernels.RBF{Gamma: 0.005}

func benchTrain(b *testing.B, n, classes int) {
	x, y := cifarLike(n, classes, 1)
	b.ResetTimer()
	var m *Model
	for b.Loop() {
		var err error
		m, err = Train(context.Background(), x, y, Params{Kernel: rbf, C: 10, CacheMB: 1000})
		if err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(m.NSV()), "SVs")
}

func BenchmarkTrainBinary2000x3072(b *testing.B)  { benchTrain(b, 2000, 2) }
func BenchmarkTrain10Class2000x3072(b *testing.B) { benchTrain(b, 2000, 10) }
func BenchmarkTrain10Class5000x3072(b *testing.B) { benchTrain(b, 5000, 10) }

// BenchmarkSMO10Class5000 is the solver alone: the Gram matrix is given.
func BenchmarkSMO10Class5000(b *testing.B) {
	x, y := cifarLike(5000, 10, 1)
	g := gramOf(b, rbf, x)
	b.ResetTimer()
	for b.Loop() {
		if _, err := TrainGram(context.Background(), g, y, Params{C: 10}); err != nil {
			b.Fatal(err)
		}
	}
}

// benchPredict times Model.Predict of m test samples against a model of n
// training samples, with the default build's own AVX2 product kernel
// (own) and with gonum's Sgemm (sgemm; OpenBLAS's in the openblas build,
// where both sub-benchmarks use it). GFLOP/s counts the kernel products'
// 2·nSV·m·3072 flops over the whole prediction's time.
func benchPredict(b *testing.B, n, m int) {
	x, y := cifarLike(n+m, 10, 2)
	model, err := Train(context.Background(), x.Slice(0, n), y[:n], Params{Kernel: rbf, C: 10, CacheMB: 1000})
	if err != nil {
		b.Fatal(err)
	}
	xt := x.Slice(n, n+m).Clone()
	dst := make([]int, m)
	for _, own := range []bool{true, false} {
		name := "sgemm"
		if own {
			name = "own"
		}
		b.Run(name, func(b *testing.B) {
			prev := linalg.SetDotKernel(own)
			defer linalg.SetDotKernel(prev)
			for b.Loop() {
				if _, err := model.Predict(dst, xt); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(model.NSV()), "SVs")
			b.ReportMetric(2*float64(model.NSV())*float64(m)*float64(xt.Cols)*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
		})
	}
}

// Test samples × features against a model of 2000 training samples.
func BenchmarkPredict2000x3072(b *testing.B) { benchPredict(b, 2000, 2000) }

var _ = matrix.New
