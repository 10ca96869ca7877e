package cnn

import (
	"math/rand/v2"
	"syscall"
	"testing"
	"time"
)

// cpuTime is the CPU time of the process so far. On a shared machine the
// wall time of a benchmark depends on the other jobs; the benchmarks also
// report cpu-ms/op, the CPU time of all threads per operation.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// loop runs f b.N times and reports its CPU time per call.
func loop(b *testing.B, f func()) {
	b.ReportAllocs()
	c0 := cpuTime()
	for b.Loop() {
		f()
	}
	b.ReportMetric(float64(cpuTime()-c0)/1e6/float64(b.N), "cpu-ms/op")
}

// benchSeed returns the fixed seed network and a trainer over 200 random
// CIFAR-sized images with mini-batches of 100.
func benchTrainer(b *testing.B) (*Network, *trainer) {
	rng := rand.New(rand.NewPCG(1, 1))
	net, _ := NewBaseline(VariantFixed, rng)
	data := randImages(rng, 200, net.Input, 10)
	cfg, _ := TrainConfig{}.withDefaults()
	tr, err := newTrainer(net, data.X, data.Y, cfg)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(tr.close)
	return net, tr
}

func batch100() []int {
	r := make([]int, 100)
	for i := range r {
		r[i] = i
	}
	return r
}

// BenchmarkTrainStep100 is one SGD step (forward, backward, update) of the
// seed network on a mini-batch of 100 CIFAR images, over all workers.
func BenchmarkTrainStep100(b *testing.B) {
	_, tr := benchTrainer(b)
	rows := batch100()
	tr.step(rows) // first touch of the gradient and momentum buffers
	loop(b, func() { tr.step(rows) })
}

type forwardTask struct {
	t    *trainer
	rows []int
}

func (f *forwardTask) run(i int, w *workspace) {
	lo, hi := share(i, len(f.t.pool.ws), len(f.rows))
	w.load(f.t.x, f.rows[lo:hi], f.t.net.Input)
	w.forward(f.t.net, hi-lo)
}

type backwardTask struct {
	t    *trainer
	rows []int
}

func (f *backwardTask) run(i int, w *workspace) {
	lo, hi := share(i, len(f.t.pool.ws), len(f.rows))
	w.backward(f.t.net, hi-lo)
}

// BenchmarkForward100 is the forward pass of a batch of 100 over all
// workers.
func BenchmarkForward100(b *testing.B) {
	_, tr := benchTrainer(b)
	ft := &forwardTask{tr, batch100()}
	tr.pool.do(ft)
	loop(b, func() { tr.pool.do(ft) })
}

// BenchmarkBackward100 is the backward pass of a batch of 100 (after one
// forward pass) over all workers.
func BenchmarkBackward100(b *testing.B) {
	_, tr := benchTrainer(b)
	tr.step(batch100())
	bt := &backwardTask{tr, batch100()}
	loop(b, func() { tr.pool.do(bt) })
}

// benchConv times one convolution on one goroutine for n samples.
func benchConv(b *testing.B, in Shape, out, n int, backward bool) {
	rng := rand.New(rand.NewPCG(2, 2))
	c := NewConv2D(in.C, out, 3, 1, 1)
	c.init(rng)
	os, _ := c.OutShape(in)
	s := c.newScratch(in, n)
	x := randSlice(rng, n*in.Size(), -1, 1)
	if in.C > 3 {
		for i := range x { // a hidden layer's input: ReLU zeros
			x[i] = max(x[i], 0)
		}
	}
	y := make([]float32, n*os.Size())
	dy := randSlice(rng, len(y), -1, 1)
	dx := make([]float32, len(x))
	g := [][]float32{make([]float32, len(c.W)), make([]float32, len(c.B))}
	c.forward(s, x, y, n)
	rows := n * os.H * os.W
	loop(b, func() {
		if backward {
			c.backward(s, x, y, dy, dx, g, n)
		} else {
			c.forward(s, x, y, n)
		}
	})
	flops := 2 * float64(rows) * float64(out) * float64(9*in.C)
	if backward {
		flops *= 2
	}
	b.ReportMetric(flops*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
}

// Conv1: 3→32 channels on 32×32 images; conv2: 32→64 on 16×16; each on
// 50 samples (one worker's half of a mini-batch of 100). Backward
// includes the input gradient.
func BenchmarkConv1Forward50x32x32x3to32(b *testing.B)  { benchConv(b, Shape{32, 32, 3}, 32, 50, false) }
func BenchmarkConv1Backward50x32x32x3to32(b *testing.B) { benchConv(b, Shape{32, 32, 3}, 32, 50, true) }
func BenchmarkConv2Forward50x16x16x32to64(b *testing.B) {
	benchConv(b, Shape{16, 16, 32}, 64, 50, false)
}
func BenchmarkConv2Backward50x16x16x32to64(b *testing.B) {
	benchConv(b, Shape{16, 16, 32}, 64, 50, true)
}
