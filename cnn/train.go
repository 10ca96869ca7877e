package cnn

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"time"

	"github.com/svmbench/svmbench/dataset"
	"github.com/svmbench/svmbench/matrix"
)

// NoMomentum as TrainConfig.Momentum gives plain SGD.
const NoMomentum = -1

// TrainConfig is the training recipe. The zero value is the seed
// document's recipe: 10 epochs, mini-batches of 100, SGD with learning
// rate 0.001 and momentum 0.9, no weight decay, seed 0.
type TrainConfig struct {
	// Epochs is the number of passes over the training split; 0 means 10.
	Epochs int
	// Batch is the mini-batch size; 0 means 100. The last mini-batch of an
	// epoch is smaller when Batch does not divide the training size.
	Batch int
	// LR is the learning rate; 0 means 0.001.
	LR float64
	// Momentum is μ in v ← μv + g, p ← p − LR·v (PyTorch's SGD); 0 means
	// 0.9; NoMomentum means none. Otherwise it must lie in (0, 1).
	Momentum float64
	// WeightDecay λ adds λ·p to each gradient (PyTorch's weight_decay);
	// 0 means none.
	WeightDecay float64
	// Seed drives the shuffling of the training samples.
	Seed uint64
	// Workers is the number of goroutines a mini-batch is split over;
	// 0 means GOMAXPROCS. Results are deterministic for a given Seed and
	// Workers.
	Workers int
	// Progress, when not nil, is called after each mini-batch with the
	// number of training samples done in the current epoch and the
	// training-set size.
	Progress func(done, total int64)
	// OnEpoch, when not nil, is called after each epoch.
	OnEpoch func(EpochStats)
	// State, when not nil, resumes training: Fit starts after epoch
	// State.Epoch with momentum State.Velocity, and keeps State up to date
	// after every epoch (so that OnEpoch can save it with SaveCheckpoint).
	// A new State{} starts from scratch. The shuffle of epoch e depends
	// only on Seed and e, so a resumed run repeats an uninterrupted one.
	State *TrainState
}

// TrainState is what training needs, beside the network, to continue:
// the epochs done and the momentum buffers (one per parameter slice of
// the network, in layer order).
type TrainState struct {
	Epoch    int
	Velocity [][]float32
}

// EpochStats describes one finished epoch.
type EpochStats struct {
	Epoch        int     // 1-based
	TrainLoss    float64 // mean of the mini-batch losses of the epoch
	TestAccuracy float64 // fraction of the test split classified correctly (0 without a test split)
	Seconds      float64 // wall time of the training pass
	EvalSeconds  float64 // wall time of the test-set evaluation
}

// WithDefaults returns c with every zero field replaced by its default
// (and NoMomentum by 0): the recipe Fit follows. Invalid values are left
// as they are; Fit reports them.
func (c TrainConfig) WithDefaults() TrainConfig {
	d, _ := c.withDefaults()
	return d
}

// Validate reports the first field of c out of range (a *ConfigError), as
// Fit would.
func (c TrainConfig) Validate() error {
	_, err := c.withDefaults()
	return err
}

func (c TrainConfig) withDefaults() (TrainConfig, error) {
	if c.Epochs == 0 {
		c.Epochs = 10
	}
	if c.Batch == 0 {
		c.Batch = 100
	}
	if c.LR == 0 {
		c.LR = 0.001
	}
	switch c.Momentum {
	case 0:
		c.Momentum = 0.9
	case NoMomentum:
		c.Momentum = 0
	default:
		if !(c.Momentum > 0 && c.Momentum < 1) {
			return c, &ConfigError{"Momentum", c.Momentum, "a value in (0, 1), 0 for the default 0.9, or NoMomentum (-1)"}
		}
	}
	switch {
	case c.Epochs < 0:
		return c, &ConfigError{"Epochs", c.Epochs, "≥ 1 (0 means 10)"}
	case c.Batch < 0:
		return c, &ConfigError{"Batch", c.Batch, "≥ 1 (0 means 100)"}
	case !(c.LR > 0) || math.IsInf(c.LR, 0):
		return c, &ConfigError{"LR", c.LR, "a finite value > 0 (0 means 0.001)"}
	case !(c.WeightDecay >= 0) || math.IsInf(c.WeightDecay, 0):
		return c, &ConfigError{"WeightDecay", c.WeightDecay, "a finite value ≥ 0"}
	case c.Workers < 0:
		return c, &ConfigError{"Workers", c.Workers, "≥ 0 (0 means GOMAXPROCS)"}
	}
	return c, nil
}

// trainer holds everything one training run reuses from step to step.
type trainer struct {
	net     *Network
	shapes  []Shape
	cfg     TrainConfig
	pool    *pool
	params  [][]float32 // every parameter, layer by layer
	grads   [][][]float32
	vel     [][]float32
	x       *matrix.Matrix
	y       []int
	batch   []int // rows of the current mini-batch
	counts  []int // samples per worker in the current step
	classes int
	upd     update
}

func newTrainer(net *Network, x *matrix.Matrix, y []int, cfg TrainConfig) (*trainer, error) {
	shapes, err := net.Shapes()
	if err != nil {
		return nil, err
	}
	if err := net.checkInput(x); err != nil {
		return nil, err
	}
	if len(y) != x.Rows {
		return nil, fmt.Errorf("cnn: %d labels for %d samples", len(y), x.Rows)
	}
	classes := shapes[len(shapes)-1].Size()
	for i, l := range y {
		if l < 0 || l >= classes {
			return nil, fmt.Errorf("cnn: label %d of sample %d out of range: network %q has %d outputs (labels 0–%d)", l, i, net.Name, classes, classes-1)
		}
	}
	batch := min(cfg.Batch, x.Rows)
	workers := workersFor(cfg.Workers, batch)
	maxN := (batch + workers - 1) / workers
	t := &trainer{net: net, shapes: shapes, cfg: cfg, x: x, y: y,
		pool:    newPool(net, shapes, workers, maxN, true),
		counts:  make([]int, workers),
		classes: classes}
	t.upd.t = t
	for _, l := range net.Layers {
		for _, p := range l.Params() {
			t.params = append(t.params, p)
			t.vel = append(t.vel, make([]float32, len(p)))
		}
	}
	for _, w := range t.pool.ws {
		var g [][]float32
		for _, lg := range w.grads {
			g = append(g, lg...)
		}
		t.grads = append(t.grads, g)
	}
	return t, nil
}

// run is one worker's share of a training step: forward, loss, backward.
func (t *trainer) run(i int, w *workspace) {
	lo, hi := share(i, len(t.counts), len(t.batch))
	m := hi - lo
	t.counts[i] = m
	w.loss = 0
	if m == 0 {
		// A last mini-batch smaller than the worker count: this worker
		// contributes zero gradients (worker 0's are the sum's start).
		for _, g := range w.grads {
			for _, p := range g {
				clear(p)
			}
		}
		return
	}
	w.load(t.x, t.batch[lo:hi], t.net.Input)
	z := w.forward(t.net, m)
	dz := w.dActs[len(t.net.Layers)]
	k := t.classes
	inv := 1 / float64(len(t.batch))
	for s := 0; s < m; s++ {
		w.loss += softmaxXent(dz[s*k:(s+1)*k], z[s*k:(s+1)*k], t.y[t.batch[lo+s]], inv)
	}
	w.backward(t.net, m)
}

// softmaxXent returns −log softmax(z)[label] and sets dz to
// scale·(softmax(z) − onehot(label)), with the log-sum-exp taken about
// the largest score so that no exponential overflows.
func softmaxXent(dz, z []float32, label int, scale float64) float64 {
	mx := float64(z[0])
	for _, v := range z {
		mx = max(mx, float64(v))
	}
	var sum float64
	for _, v := range z {
		sum += math.Exp(float64(v) - mx)
	}
	lse := mx + math.Log(sum)
	for j, v := range z {
		p := math.Exp(float64(v) - lse)
		if j == label {
			p--
		}
		dz[j] = ftz(float32(scale * p)) // see minNormal
	}
	return lse - float64(z[label])
}

// step trains on the samples rows and returns their mean loss.
func (t *trainer) step(rows []int) float64 {
	t.batch = rows
	t.pool.do(t)
	var loss float64
	for i, w := range t.pool.ws {
		if t.counts[i] > 0 {
			loss += w.loss
		}
	}
	t.pool.do(&t.upd)
	return loss / float64(len(rows))
}

// update sums the workers' gradients and applies the SGD step; worker i
// handles its share of every parameter, so the result does not depend on
// how the work is split.
type update struct{ t *trainer }

func (u *update) run(i int, _ *workspace) {
	t := u.t
	nw := len(t.pool.ws)
	lr, mu, wd := float32(t.cfg.LR), float32(t.cfg.Momentum), float32(t.cfg.WeightDecay)
	for j, param := range t.params {
		lo, hi := share(i, nw, len(param))
		p, v, g := param[lo:hi], t.vel[j][lo:hi], t.grads[0][j][lo:hi]
		for w := 1; w < nw; w++ {
			if t.counts[w] == 0 {
				continue
			}
			for q, x := range t.grads[w][j][lo:hi] {
				g[q] += x
			}
		}
		for q := range p {
			gq := g[q] + wd*p[q]
			v[q] = mu*v[q] + gq
			p[q] -= lr * v[q]
		}
	}
}

func (t *trainer) close() { t.pool.close() }

// resume checks s against the network and makes the trainer use its
// velocity buffers (allocating them for a fresh state).
func (t *trainer) resume(s *TrainState) error {
	if s.Epoch < 0 || s.Epoch > t.cfg.Epochs {
		return fmt.Errorf("cnn: resume state after epoch %d: want 0–%d (TrainConfig.Epochs)", s.Epoch, t.cfg.Epochs)
	}
	if s.Velocity == nil {
		s.Velocity = t.vel
		return nil
	}
	if len(s.Velocity) != len(t.vel) {
		return fmt.Errorf("cnn: resume state has %d momentum buffers, network %q has %d parameter slices", len(s.Velocity), t.net.Name, len(t.vel))
	}
	for i, v := range s.Velocity {
		if len(v) != len(t.vel[i]) {
			return fmt.Errorf("cnn: resume state momentum buffer %d has %d values, want %d", i, len(v), len(t.vel[i]))
		}
	}
	t.vel = s.Velocity
	return nil
}

// Fit trains net on train with cfg and, after each epoch, measures its
// accuracy on test (which may be nil). Both splits hold raw images of
// shape img (intensities 0–255 in channel planes, as dataset loads
// CIFAR-10); the network sees them scaled by 1/255, as PyTorch's ToTensor
// does. Fit returns the statistics of the finished epochs; when ctx is
// cancelled it stops between mini-batches and returns those with
// ctx.Err(), leaving net as trained so far.
func Fit(ctx context.Context, net *Network, train, test *dataset.Split, img dataset.ImageShape, cfg TrainConfig) ([]EpochStats, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	if want := (Shape{img.Height, img.Width, img.Channels}); want != net.Input {
		return nil, fmt.Errorf("cnn: images are %d×%d×%d (H×W×C), network %q takes %v", img.Height, img.Width, img.Channels, net.Name, net.Input)
	}
	if train == nil || train.Len() == 0 {
		return nil, fmt.Errorf("cnn: empty training split")
	}
	if test != nil && test.Len() > 0 {
		if err := net.checkInput(test.X); err != nil {
			return nil, fmt.Errorf("test split: %w", err)
		}
		if len(test.Y) != test.X.Rows {
			return nil, fmt.Errorf("cnn: test split has %d labels for %d samples", len(test.Y), test.X.Rows)
		}
	}
	t, err := newTrainer(net, train.X, train.Y, cfg)
	if err != nil {
		return nil, err
	}
	defer t.close()

	order := make([]int, train.Len())
	state := cfg.State
	if state == nil {
		state = &TrainState{}
	}
	if err := t.resume(state); err != nil {
		return nil, err
	}
	var pred []int
	if test != nil {
		pred = make([]int, test.Len())
	}
	var stats []EpochStats
	for e := state.Epoch + 1; e <= cfg.Epochs; e++ {
		es, err := t.epoch(ctx, e, order)
		if err != nil {
			return stats, err
		}
		if test != nil && test.Len() > 0 {
			if err := ctx.Err(); err != nil {
				return stats, err
			}
			start := time.Now()
			net.eval(t.pool, test.X, len(net.Layers), func(r int, out []float32) { pred[r] = argmax(out) })
			correct := 0
			for i, p := range pred {
				if p == test.Y[i] {
					correct++
				}
			}
			es.TestAccuracy = float64(correct) / float64(len(pred))
			es.EvalSeconds = time.Since(start).Seconds()
		}
		stats = append(stats, es)
		state.Epoch = e
		if cfg.OnEpoch != nil {
			cfg.OnEpoch(es)
		}
	}
	return stats, nil
}

// epoch trains epoch e (1-based) over the training samples in the order of
// a shuffle that depends only on the seed and e, and returns its
// statistics without the test accuracy.
func (t *trainer) epoch(ctx context.Context, e int, order []int) (EpochStats, error) {
	cfg, n := t.cfg, len(order)
	for i := range order {
		order[i] = i
	}
	rng := rand.New(rand.NewPCG(cfg.Seed, 0x636e6e2d73687566^uint64(e)))
	rng.Shuffle(n, func(i, j int) { order[i], order[j] = order[j], order[i] })
	start := time.Now()
	var lossSum float64
	batches := 0
	for b := 0; b < n; b += cfg.Batch {
		if err := ctx.Err(); err != nil {
			return EpochStats{}, err
		}
		rows := order[b:min(b+cfg.Batch, n)]
		l := t.step(rows)
		if math.IsNaN(l) || math.IsInf(l, 0) {
			return EpochStats{}, fmt.Errorf("cnn: training diverged in epoch %d, mini-batch %d (loss %v): lower LR", e, batches+1, l)
		}
		lossSum += l
		batches++
		if cfg.Progress != nil {
			cfg.Progress(int64(b+len(rows)), int64(n))
		}
	}
	return EpochStats{Epoch: e, TrainLoss: lossSum / float64(batches), Seconds: time.Since(start).Seconds()}, nil
}
