// Package memory measures peak memory, one way for every command and
// results file of svmbench: two figures, always labelled.
//
//   - Peak RSS: the process's peak resident set size, VmHWM from
//     /proc/self/status. Before the measured work the high-water mark is
//     reset (writing 5 to /proc/self/clear_refs, Linux ≥ 4.0), so the
//     figure covers that work; where the reset is refused (or off Linux)
//     it is 0, unknown, rather than a figure of the whole process.
//     It counts everything the process holds: the data set, features, the
//     Go heap's free spans not yet returned, C (BLAS) allocations.
//   - Peak Go heap: the largest value of runtime/metrics'
//     /memory/classes/heap/objects:bytes (heap memory occupied by objects,
//     live or not yet swept), read after a garbage collection before the
//     work, every 10 ms during it and once at its end. It too includes
//     what the process held before the work (the data): compare figures
//     of models run in one process on the same data.
package memory

import (
	"fmt"
	"os"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"strconv"
	"strings"
	"sync/atomic"
	"time"
)

// Peak is the memory high-water marks of one piece of work.
type Peak struct {
	RSSBytes  uint64 // process peak resident set size (VmHWM); 0 when unknown
	HeapBytes uint64 // Go heap peak (runtime/metrics heap objects, sampled)
}

// heapMetric is the bytes of heap memory occupied by objects, live or not
// yet swept: what the Go heap holds.
const heapMetric = "/memory/classes/heap/objects:bytes"

// sampleEvery is the Go heap sampling period.
const sampleEvery = 10 * time.Millisecond

// Measure runs f and returns the peaks seen while it ran, with f's error.
// One Measure at a time: the RSS high-water mark is per process.
func Measure(f func() error) (Peak, error) {
	runtime.GC()
	reset := os.WriteFile("/proc/self/clear_refs", []byte("5"), 0) == nil
	sample := []metrics.Sample{{Name: heapMetric}}
	read := func() uint64 {
		metrics.Read(sample)
		if sample[0].Value.Kind() != metrics.KindUint64 {
			return 0
		}
		return sample[0].Value.Uint64()
	}
	var peak atomic.Uint64
	peak.Store(read())
	stop, done := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(done)
		t := time.NewTicker(sampleEvery)
		defer t.Stop()
		for {
			select {
			case <-stop:
				return
			case <-t.C:
				if v := read(); v > peak.Load() {
					peak.Store(v) // only this goroutine stores while f runs
				}
			}
		}
	}()
	err := f()
	close(stop)
	<-done
	p := Peak{HeapBytes: max(peak.Load(), read())}
	if reset {
		p.RSSBytes = vmHWM()
	}
	return p, err
}

// LimitMargin is what Limit allows beyond the budget and the model, for
// the kernel engine's gather tiles, the solver's per-variable state, the
// writers' buffers and the garbage of a collection cycle.
const LimitMargin = 32 << 20

// Limit sets the Go runtime's soft memory limit (debug.SetMemoryLimit) to
// the memory the runtime holds now, after a collection, plus extra bytes,
// and returns it. Without it the collector lets the heap grow to twice
// its live size between collections, so a process holding its data set
// would grow by the data's size in garbage, whatever its memory budget;
// with it the collector runs before the process outgrows what it held
// plus extra and LimitMargin. Commands call it once their data are
// loaded, with extra the memory budget plus what the result may hold (a
// model's support vectors). A limit the user set (the GOMEMLIMIT variable)
// is left in place, and 0 returned. The limit is soft: when the live heap needs
// more, the collector runs often (at most half the CPU) and the process
// goes on.
func Limit(extra int64) int64 {
	if os.Getenv("GOMEMLIMIT") != "" || extra <= 0 {
		return 0
	}
	runtime.GC()
	s := []metrics.Sample{{Name: "/memory/classes/total:bytes"}, {Name: "/memory/classes/heap/released:bytes"}}
	metrics.Read(s)
	if s[0].Value.Kind() != metrics.KindUint64 || s[1].Value.Kind() != metrics.KindUint64 {
		return 0
	}
	limit := int64(s[0].Value.Uint64()-s[1].Value.Uint64()) + extra + LimitMargin
	debug.SetMemoryLimit(limit)
	return limit
}

// vmHWM returns the VmHWM line of /proc/self/status in bytes, 0 when it
// cannot be read.
func vmHWM() uint64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, l := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(l, "VmHWM:"); ok {
			if f := strings.Fields(v); len(f) >= 1 {
				n, _ := strconv.ParseUint(f[0], 10, 64)
				return n << 10 // kB
			}
		}
	}
	return 0
}

// Bytes formats n bytes with a binary unit: 512 B, 1.5 KiB, 162.6 MiB, the
// one byte format of every command and message.
func Bytes(n int64) string {
	const unit = 1024
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	v, u := float64(n)/unit, 0
	for v >= unit && u < 4 {
		v /= unit
		u++
	}
	return fmt.Sprintf("%.1f %ciB", v, "KMGTP"[u])
}
