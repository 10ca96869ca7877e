package features

import (
	"testing"

	"github.com/svmbench/svmbench/dataset"
)

func benchExtract(b *testing.B, e Extractor, n int) {
	s := randomImages(n, cifarShape, 9)
	if f, ok := e.(Fitter); ok {
		if err := f.Fit(s, &cifarShape); err != nil {
			b.Fatal(err)
		}
	}
	b.SetBytes(int64(n * cifarShape.Size() * 4))
	b.ReportAllocs()
	b.ResetTimer()
	cpu0 := cpuTime()
	for range b.N {
		if _, err := e.Extract(s, &cifarShape); err != nil {
			b.Fatal(err)
		}
	}
	cpu := cpuTime() - cpu0
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/image")
	// CPU time over all goroutines: the cost per image on a busy machine,
	// where wall time measures the contention as much as the code.
	b.ReportMetric(float64(cpu)/float64(b.N*n), "cpu-ns/image")
}

func BenchmarkPixels1000x32x32x3(b *testing.B)   { benchExtract(b, Pixels{}, 1000) }
func BenchmarkStandard1000x32x32x3(b *testing.B) { benchExtract(b, &Standard{}, 1000) }
func BenchmarkGray1000x32x32x3(b *testing.B)     { benchExtract(b, Gray{}, 1000) }
func BenchmarkHOG1000x32x32x3(b *testing.B)      { benchExtract(b, HOG{}, 1000) }

func BenchmarkStandardFit5000x32x32x3(b *testing.B) {
	s := randomImages(5000, cifarShape, 10)
	b.ReportAllocs()
	for range b.N {
		if err := (&Standard{}).Fit(s, &cifarShape); err != nil {
			b.Fatal(err)
		}
	}
}

// TestHOGNoPerImageAllocation checks that HOG's allocations do not grow
// with the number of images (scratch is per goroutine, not per image).
func TestHOGNoPerImageAllocation(t *testing.T) {
	small, large := randomImages(32, cifarShape, 11), randomImages(320, cifarShape, 11)
	allocs := func(s *dataset.Split) float64 {
		return testing.AllocsPerRun(3, func() {
			if _, err := (HOG{}).Extract(s, &cifarShape); err != nil {
				t.Fatal(err)
			}
		})
	}
	if a, b := allocs(small), allocs(large); b > a+2 {
		t.Errorf("hog allocations: %v for 32 images, %v for 320", a, b)
	}
}
