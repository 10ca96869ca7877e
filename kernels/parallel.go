package kernels

import (
	"runtime"
	"sync"
	"sync/atomic"
)

// The engine's parallelism: a call is a job made of independent items (tiles
// of the output). The calling goroutine works on the job itself and asks idle
// helper goroutines to join it; every participant takes the next item from
// an atomic counter until none is left. Helpers are started once, on first
// use, and park between jobs, so a call starts no goroutine and allocates
// nothing in steady state.
//
// A helper is reserved (idle counter decremented by compare-and-swap) before
// the job is sent to it, so a send never waits for a busy helper: concurrent
// calls share the helpers that happen to be idle and each caller always
// makes progress on its own.

// items is what a job does; run handles item i with the participant's
// scratch buffers.
type items interface {
	run(s *scratch, i int)
}

type job struct {
	work  items
	n     int64
	next  atomic.Int64
	wg    sync.WaitGroup
	scrOK bool // participants need scratch buffers
}

var (
	helperMu    sync.Mutex
	helperCount atomic.Int32 // helpers started
	helperIdle  atomic.Int32 // helpers parked and not reserved
	helperJobs  = make(chan *job)
	jobPool     = sync.Pool{New: func() any { return new(job) }}
	scratchPool = sync.Pool{New: func() any { return new(scratch) }}
)

// maxHelpers bounds the helper goroutines, whatever GOMAXPROCS says.
const maxHelpers = 256

// ensureHelpers starts helpers until there are at least n, and waits until
// the new ones are parked, so that the first call already runs in parallel.
func ensureHelpers(n int) {
	n = min(n, maxHelpers)
	if int(helperCount.Load()) >= n {
		return
	}
	helperMu.Lock()
	defer helperMu.Unlock()
	var started sync.WaitGroup
	for int(helperCount.Load()) < n {
		helperCount.Add(1)
		started.Add(1)
		go helper(&started)
	}
	started.Wait()
}

func helper(started *sync.WaitGroup) {
	helperIdle.Add(1)
	started.Done()
	for j := range helperJobs {
		j.participate()
		j.wg.Done()
		helperIdle.Add(1)
	}
}

// reserveHelper takes one idle helper, if there is one.
func reserveHelper() bool {
	for {
		k := helperIdle.Load()
		if k <= 0 {
			return false
		}
		if helperIdle.CompareAndSwap(k, k-1) {
			return true
		}
	}
}

// workerCount resolves an Options.Workers value: 0 means GOMAXPROCS.
func workerCount(w int) int {
	if w <= 0 {
		w = runtime.GOMAXPROCS(0)
	}
	return w
}

// runItems runs work.run for items 0..n-1 over at most workers participants
// (the caller included) and returns when all are done.
func runItems(work items, n, workers int, needScratch bool) {
	if n <= 0 {
		return
	}
	j := jobPool.Get().(*job)
	j.work, j.n, j.scrOK = work, int64(n), needScratch
	j.next.Store(0)
	want := min(workers, n) - 1
	if want > 0 {
		ensureHelpers(want)
		for h := 0; h < want && reserveHelper(); h++ {
			j.wg.Add(1)
			helperJobs <- j
		}
	}
	j.participate()
	j.wg.Wait()
	j.work = nil
	jobPool.Put(j)
}

func (j *job) participate() {
	var s *scratch
	if j.scrOK {
		s = scratchPool.Get().(*scratch)
		s.reset()
	}
	for {
		i := j.next.Add(1) - 1
		if i >= j.n {
			break
		}
		j.work.run(s, int(i))
	}
	if s != nil {
		scratchPool.Put(s)
	}
}

// scratch holds one participant's gather buffers. They grow to the largest
// tile seen and are then reused: at most (tm+tn)·d float32 values and tm+tn
// float64 norms per participant (see Engine.ScratchBytes).
type scratch struct {
	a, b   []float32
	an, bn []float64
	// aPanel is the panel whose rows a holds (-1: none), so that
	// consecutive tiles of one panel gather them once per job.
	aPanel int
}

func (s *scratch) reset() { s.aPanel = -1 }

func grow32(b []float32, n int) []float32 {
	if cap(b) < n {
		return make([]float32, n)
	}
	return b[:n]
}

func grow64(b []float64, n int) []float64 {
	if cap(b) < n {
		return make([]float64, n)
	}
	return b[:n]
}
