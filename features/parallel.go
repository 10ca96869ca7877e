package features

import (
	"runtime"
	"sync"
)

// minRowsPerWorker keeps goroutines worth their start-up cost.
const minRowsPerWorker = 16

// workerCount is the number of goroutines extraction of n rows uses:
// GOMAXPROCS, fewer when there are few rows.
func workerCount(n int) int {
	w := runtime.GOMAXPROCS(0)
	if m := n / minRowsPerWorker; m < w {
		w = m
	}
	if w < 1 {
		w = 1
	}
	return w
}

// parallelRows splits rows [0, n) into workers contiguous ranges and calls
// fn(worker, lo, hi) for each from its own goroutine, returning when all
// are done. Worker indices are 0..workers-1, so callers can give each its
// own scratch buffers, allocated once per call rather than per row.
func parallelRows(n, workers int, fn func(worker, lo, hi int)) {
	if workers <= 1 || n == 0 {
		fn(0, 0, n)
		return
	}
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		lo, hi := n*w/workers, n*(w+1)/workers
		wg.Add(1)
		go func() {
			defer wg.Done()
			fn(w, lo, hi)
		}()
	}
	wg.Wait()
}
