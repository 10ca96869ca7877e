//go:build unix

package bench

import (
	"context"
	"fmt"
	"os"
	"syscall"
	"testing"
)

// BenchmarkSeedingCost measures what alpha seeding saves or costs in CPU
// seconds (the process's user and system time, which the machine's load
// changes less than the wall time) against cold starts, on the quick
// profile's sigmoid and RBF grids (MainGridRanges: 4 α × 3 c or 3 γ,
// C ∈ {1, 8, 64}, 5 folds) over the first N/10 CIFAR-10 training images of
// each class, pixels/255. It reports both CPU times, their ratio
// (cold/seeded: above 1 seeding saves) and the SMO iterations of both.
//
//	CIFAR10_DIR=… go test ./bench -run '^$' -bench SeedingCost -benchtime 1x
func BenchmarkSeedingCost(b *testing.B) {
	if os.Getenv("CIFAR10_DIR") == "" {
		b.Skip("CIFAR10_DIR not set")
	}
	for _, n := range []int{2000, 5000} {
		d, train, _ := smallData(b, n/10, 1)
		for _, kern := range []string{"sigmoid", "rbf"} {
			cfg := GridConfig{Kernel: kern, Features: "pixels", Folds: 5, Seed: 1, NoRetrain: true}
			MainGridRanges(&cfg, GridsQuick, train, 1)
			b.Run(fmt.Sprintf("%s/images=%d", kern, n), func(b *testing.B) {
				for b.Loop() {
					var cpu [2]float64
					var it [2]int
					// seeded, cold, cold, seeded: the first run of a process
					// pays more (page faults, heap growth) and the load drifts.
					for _, k := range []int{0, 1, 1, 0} {
						cfg.ColdStart = k == 1
						c0 := cpuSeconds(b)
						_, cells, err := Grid(context.Background(), d, train, nil, cfg)
						if err != nil {
							b.Fatal(err)
						}
						cpu[k] += cpuSeconds(b) - c0
						it[k], _, _ = sumIter(cells)
					}
					b.ReportMetric(cpu[0], "cpu-s-seeded")
					b.ReportMetric(cpu[1], "cpu-s-cold")
					b.ReportMetric(cpu[1]/cpu[0], "ratio")
					b.ReportMetric(float64(it[0]), "seeded-iter")
					b.ReportMetric(float64(it[1]), "cold-iter")
				}
			})
		}
	}
}

// cpuSeconds is the process's user and system CPU time so far.
func cpuSeconds(b *testing.B) float64 {
	var r syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &r); err != nil {
		b.Fatal(err)
	}
	return float64(r.Utime.Nano()+r.Stime.Nano()) / 1e9
}
