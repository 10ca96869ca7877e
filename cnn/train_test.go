package cnn

import (
	"bytes"
	"context"
	"errors"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/svmbench/svmbench/dataset"
	"github.com/svmbench/svmbench/matrix"
)

// randImages returns n raw images (0–255, channel planes) of shape s with
// labels in [0, classes).
func randImages(rng *rand.Rand, n int, s Shape, classes int) *dataset.Split {
	x := matrix.New(n, s.Size())
	for i := range x.Data {
		x.Data[i] = float32(rng.IntN(256))
	}
	y := make([]int, n)
	for i := range y {
		y[i] = rng.IntN(classes)
	}
	return &dataset.Split{X: x, Y: y}
}

func imgOf(s Shape) dataset.ImageShape {
	return dataset.ImageShape{Height: s.H, Width: s.W, Channels: s.C}
}

func accuracy(t *testing.T, n *Network, s *dataset.Split) float64 {
	t.Helper()
	pred := make([]int, s.Len())
	if err := n.Predict(pred, s.X); err != nil {
		t.Fatal(err)
	}
	c := 0
	for i, p := range pred {
		if p == s.Y[i] {
			c++
		}
	}
	return float64(c) / float64(len(pred))
}

// TestOverfit trains on 24 random images with random labels until every
// one is classified correctly. Too large a learning rate kills the ReLUs
// of so small a network, hence 0.01. The sigmoid variant saturates (the
// seed's vanishing gradients) and settles at 75% on this data, so for it
// the best epoch must reach 100%.
func TestOverfit(t *testing.T) {
	for _, sig := range []bool{false, true} {
		rng := rand.New(rand.NewPCG(11, 12))
		net := smallNet(sig, rng)
		data := randImages(rng, 24, net.Input, 3)
		lr := 0.01
		if sig {
			lr = 0.02
		}
		stats, err := Fit(context.Background(), net, data, data, imgOf(net.Input), TrainConfig{Epochs: 300, Batch: 8, LR: lr, Seed: 1, Workers: 2})
		if err != nil {
			t.Fatal(err)
		}
		best := 0.0
		for _, e := range stats {
			best = max(best, e.TestAccuracy)
		}
		last := stats[len(stats)-1]
		if !sig && (last.TestAccuracy != 1 || accuracy(t, net, data) != 1) || sig && best != 1 {
			t.Errorf("sigmoid=%v: training accuracy %.3f (best %.3f) after %d epochs (loss %.4f from %.4f), want 1", sig, last.TestAccuracy, best, len(stats), last.TrainLoss, stats[0].TrainLoss)
		}
	}
}

func paramsOf(n *Network) []float32 {
	var all []float32
	for _, l := range n.Layers {
		for _, p := range l.Params() {
			all = append(all, p...)
		}
	}
	return all
}

// TestDeterministic trains twice with the same seed and worker count and
// expects identical parameters, and different ones with another seed.
func TestDeterministic(t *testing.T) {
	train := func(seed uint64, workers int) []float32 {
		rng := rand.New(rand.NewPCG(13, 14))
		net := smallNet(false, rng)
		data := randImages(rng, 50, net.Input, 3)
		if _, err := Fit(context.Background(), net, data, nil, imgOf(net.Input), TrainConfig{Epochs: 2, Batch: 10, LR: 0.01, Seed: seed, Workers: workers}); err != nil {
			t.Fatal(err)
		}
		return paramsOf(net)
	}
	a, b, c := train(1, 2), train(1, 2), train(2, 2)
	if !slicesEqual(a, b) {
		t.Error("two runs with the same seed differ")
	}
	if slicesEqual(a, c) {
		t.Error("runs with seeds 1 and 2 are identical")
	}
	// One worker sums the gradients in another order: close, maybe not equal.
	d := train(1, 1)
	for i := range a {
		if diff := a[i] - d[i]; diff > 1e-4 || diff < -1e-4 {
			t.Fatalf("1 and 2 workers differ at parameter %d: %v vs %v", i, a[i], d[i])
		}
	}
}

func slicesEqual(a, b []float32) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// TestMomentumStep checks one SGD step against the formula written out:
// v = μ·0 + (g + λp), p' = p − lr·v, then a second step v' = μv + g'.
func TestMomentumStep(t *testing.T) {
	rng := rand.New(rand.NewPCG(15, 16))
	net := &Network{Name: "lin", Input: Shape{1, 1, 3}, Layers: []Layer{NewDense(3, 2)}}
	net.Init(rng)
	data := randImages(rng, 4, net.Input, 2)
	cfg, _ := TrainConfig{LR: 0.1, Momentum: 0.5, WeightDecay: 0.01}.withDefaults()
	tr, err := newTrainer(net, data.X, data.Y, cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer tr.close()
	rows := []int{0, 1, 2, 3}
	d := net.Layers[0].(*Dense)
	p0 := append([]float32(nil), d.W...)
	// Gradient of the first step, computed by a one-worker forward/backward.
	grad := func() []float32 {
		sh, _ := net.Shapes()
		w := newWorkspace(net, sh, 4, true)
		w.load(data.X, rows, net.Input)
		z := w.forward(net, 4)
		for s := 0; s < 4; s++ {
			softmaxXent(w.dActs[1][s*2:s*2+2], z[s*2:s*2+2], data.Y[s], 0.25)
		}
		w.backward(net, 4)
		return w.grads[0][0]
	}
	g0 := grad()
	tr.step(rows)
	v := make([]float32, len(p0))
	for i := range p0 {
		v[i] = g0[i] + 0.01*p0[i]
		if want := p0[i] - 0.1*v[i]; !near(d.W[i], want) {
			t.Fatalf("step 1 weight %d: %v, want %v", i, d.W[i], want)
		}
	}
	p1 := append([]float32(nil), d.W...)
	g1 := grad()
	tr.step(rows)
	for i := range p1 {
		vi := 0.5*v[i] + g1[i] + 0.01*p1[i]
		if want := p1[i] - 0.1*vi; !near(d.W[i], want) {
			t.Fatalf("step 2 weight %d: %v, want %v", i, d.W[i], want)
		}
	}
}

func near(a, b float32) bool {
	d := a - b
	return d < 1e-6 && d > -1e-6
}

func TestSaveLoadRoundTrip(t *testing.T) {
	rng := rand.New(rand.NewPCG(17, 18))
	for _, variant := range []string{VariantSigmoidLoss, VariantFixed} {
		net, err := NewBaseline(variant, rng)
		if err != nil {
			t.Fatal(err)
		}
		data := randImages(rng, 30, net.Input, 10)
		path := filepath.Join(t.TempDir(), "m.cnn")
		if err := net.Save(path); err != nil {
			t.Fatal(err)
		}
		back, err := Load(path)
		if err != nil {
			t.Fatal(err)
		}
		if back.Name != variant || len(back.Layers) != len(net.Layers) || !slicesEqual(paramsOf(net), paramsOf(back)) {
			t.Fatalf("%s: loaded network differs from the saved one", variant)
		}
		a, b := make([]int, 30), make([]int, 30)
		if err := net.Predict(a, data.X); err != nil {
			t.Fatal(err)
		}
		if err := back.Predict(b, data.X); err != nil {
			t.Fatal(err)
		}
		for i := range a {
			if a[i] != b[i] {
				t.Fatalf("%s: prediction %d differs after load: %d vs %d", variant, i, a[i], b[i])
			}
		}
		e, err := LoadEmbedder(path)
		if err != nil {
			t.Fatal(err)
		}
		img := imgOf(net.Input)
		f, err := e.Extract(data, &img)
		if err != nil {
			t.Fatal(err)
		}
		if e.Name() != "cnn" || f.Rows != 30 || f.Cols != 512 || e.Dim() != 512 {
			t.Fatalf("embeddings %v, name %q, want 30×512 \"cnn\"", f, e.Name())
		}
	}
}

func TestLoadRejects(t *testing.T) {
	rng := rand.New(rand.NewPCG(19, 20))
	good, err := smallNet(false, rng).Marshal()
	if err != nil {
		t.Fatal(err)
	}
	other := append([]byte(nil), good...)
	other[8] = 2 // version 2
	damaged := append([]byte(nil), good...)
	damaged[len(damaged)/2] ^= 1
	for _, tc := range []struct {
		name string
		data []byte
		want string
	}{
		{"empty", nil, "not a svmbench CNN model"},
		{"json", []byte(`{"layers": []}`), "not a svmbench CNN model"},
		{"version", other, "format version 2, this build reads version 1"},
		{"truncated", good[:len(good)-100], "checksum"},
		{"damaged", damaged, "checksum"},
	} {
		path := filepath.Join(t.TempDir(), tc.name)
		if err := os.WriteFile(path, tc.data, 0o644); err != nil {
			t.Fatal(err)
		}
		_, err := Load(path)
		if err == nil || !errors.Is(err, ErrFormat) || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), path) {
			t.Errorf("%s: error %v, want ErrFormat naming the file and %q", tc.name, err, tc.want)
		}
	}
	if _, err := Load(filepath.Join(t.TempDir(), "missing")); err == nil {
		t.Error("loading a missing file succeeded")
	}
}

func TestBadSettings(t *testing.T) {
	rng := rand.New(rand.NewPCG(21, 22))
	net := smallNet(false, rng)
	data := randImages(rng, 10, net.Input, 3)
	img := imgOf(net.Input)
	ctx := context.Background()
	for _, cfg := range []TrainConfig{
		{Epochs: -1}, {Batch: -5}, {LR: -0.1}, {Momentum: 1}, {Momentum: -0.5}, {WeightDecay: -1}, {Workers: -1},
	} {
		if _, err := Fit(ctx, net, data, nil, img, cfg); err == nil {
			t.Errorf("config %+v accepted", cfg)
		}
	}
	bad := func(what string, err error) {
		t.Helper()
		if err == nil {
			t.Errorf("%s: no error", what)
		} else if !strings.HasPrefix(err.Error(), "cnn: ") && !strings.HasPrefix(err.Error(), "test split: cnn: ") {
			t.Errorf("%s: error %q lacks the package prefix", what, err)
		}
	}
	_, err := Fit(ctx, net, data, nil, dataset.ImageShape{Height: 32, Width: 32, Channels: 3}, TrainConfig{})
	bad("wrong image shape", err)
	labels := &dataset.Split{X: data.X, Y: append([]int(nil), data.Y...)}
	labels.Y[3] = 7
	_, err = Fit(ctx, net, labels, nil, img, TrainConfig{Epochs: 1})
	bad("label out of range", err)
	_, err = Fit(ctx, net, &dataset.Split{X: matrix.New(0, 192)}, nil, img, TrainConfig{})
	bad("empty training split", err)
	_, err = Fit(ctx, net, data, &dataset.Split{X: matrix.New(2, 5), Y: []int{0, 1}}, img, TrainConfig{Epochs: 1})
	bad("test split of the wrong width", err)
	bad("Predict dst length", net.Predict(make([]int, 3), data.X))
	bad("Predict wrong width", net.Predict(make([]int, 2), matrix.New(2, 5)))
	bad("Predict nil", net.Predict(nil, nil))
	_, err = NewBaseline("sigmoid", rng)
	bad("unknown variant", err)

	broken := []*Network{
		{Name: "empty", Input: Shape{8, 8, 3}},
		{Name: "channels", Input: Shape{8, 8, 3}, Layers: []Layer{NewConv2D(4, 2, 3, 1, 1)}},
		{Name: "not flat", Input: Shape{8, 8, 3}, Layers: []Layer{NewDense(192, 2)}},
		{Name: "kernel too big", Input: Shape{2, 2, 3}, Layers: []Layer{NewConv2D(3, 2, 5, 1, 0)}},
		{Name: "pool too big", Input: Shape{2, 2, 3}, Layers: []Layer{&MaxPool{3}}},
		{Name: "no weights", Input: Shape{1, 1, 3}, Layers: []Layer{&Dense{In: 3, Out: 2}}},
		{Name: "zero stride", Input: Shape{8, 8, 3}, Layers: []Layer{&Conv2D{In: 3, Out: 1, K: 1, W: make([]float32, 3), B: make([]float32, 1)}}},
		{Name: "nil layer", Input: Shape{8, 8, 3}, Layers: []Layer{nil}},
		{Name: "bad input", Input: Shape{0, 8, 3}, Layers: []Layer{Flatten{}}},
	}
	for _, b := range broken {
		_, err := b.Shapes()
		bad(b.Name+" Shapes", err)
		_, err = b.Marshal()
		bad(b.Name+" Marshal", err)
		bad(b.Name+" Predict", b.Predict(make([]int, 1), matrix.New(1, 192)))
		_, err = NewEmbedder(b)
		bad(b.Name+" NewEmbedder", err)
	}
	var se *ShapeError
	if _, err := broken[1].Shapes(); !errors.As(err, &se) || se.Layer != 0 {
		t.Errorf("channel mismatch gave %v, want a *ShapeError for layer 0", err)
	}
	e, _ := NewEmbedder(net)
	_, err = e.Extract(data, nil)
	bad("Extract without image shape", err)
}

func TestCancel(t *testing.T) {
	rng := rand.New(rand.NewPCG(23, 24))
	net := smallNet(false, rng)
	data := randImages(rng, 40, net.Input, 3)
	ctx, cancel := context.WithCancel(context.Background())
	calls := 0
	stats, err := Fit(ctx, net, data, nil, imgOf(net.Input), TrainConfig{Epochs: 5, Batch: 10,
		OnEpoch: func(EpochStats) {
			if calls++; calls == 2 {
				cancel()
			}
		}})
	if !errors.Is(err, context.Canceled) || len(stats) != 2 {
		t.Errorf("after cancelling in epoch 2: %d epochs, error %v; want 2 and context.Canceled", len(stats), err)
	}
}

func TestProgress(t *testing.T) {
	rng := rand.New(rand.NewPCG(25, 26))
	net := smallNet(false, rng)
	data := randImages(rng, 25, net.Input, 3)
	var got []int64
	_, err := Fit(context.Background(), net, data, nil, imgOf(net.Input), TrainConfig{Epochs: 1, Batch: 10,
		Progress: func(done, total int64) {
			if total != 25 {
				t.Errorf("total %d, want 25", total)
			}
			got = append(got, done)
		}})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 3 || got[0] != 10 || got[1] != 20 || got[2] != 25 {
		t.Errorf("progress %v, want [10 20 25]", got)
	}
}

// TestStepAllocs shows that a training step of the seed network allocates
// nothing once the trainer is built.
func TestStepAllocs(t *testing.T) {
	rng := rand.New(rand.NewPCG(27, 28))
	net, _ := NewBaseline(VariantSigmoidLoss, rng)
	data := randImages(rng, 16, net.Input, 10)
	cfg, _ := TrainConfig{Batch: 8, Workers: 2}.withDefaults()
	tr, err := newTrainer(net, data.X, data.Y, cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer tr.close()
	rows := []int{0, 3, 5, 7, 9, 11, 13, 15}
	tr.step(rows)
	if a := testing.AllocsPerRun(3, func() { tr.step(rows) }); a != 0 {
		t.Errorf("a training step allocates %v times, want 0", a)
	}
}

func TestSaveAtomic(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "m.cnn")
	rng := rand.New(rand.NewPCG(29, 30))
	if err := smallNet(true, rng).Save(path); err != nil {
		t.Fatal(err)
	}
	ents, _ := os.ReadDir(dir)
	if len(ents) != 1 {
		t.Errorf("folder holds %d entries after Save, want only the model", len(ents))
	}
	if err := smallNet(true, rng).Save(filepath.Join(dir, "no", "such", "dir", "m")); err == nil {
		t.Error("saving into a missing folder succeeded")
	}
	var buf bytes.Buffer
	buf.WriteString("x")
	_ = buf
}

// TestTinyLastBatch trains with a last mini-batch of one sample over two
// workers, so that one worker has nothing to do; it must match one worker.
func TestTinyLastBatch(t *testing.T) {
	train := func(workers int) []float32 {
		rng := rand.New(rand.NewPCG(31, 32))
		net := smallNet(false, rng)
		data := randImages(rng, 11, net.Input, 3)
		if _, err := Fit(context.Background(), net, data, nil, imgOf(net.Input), TrainConfig{Epochs: 2, Batch: 5, LR: 0.01, Workers: workers}); err != nil {
			t.Fatal(err)
		}
		return paramsOf(net)
	}
	a, b := train(1), train(2)
	for i := range a {
		if d := a[i] - b[i]; d > 1e-5 || d < -1e-5 {
			t.Fatalf("parameter %d: %v with 1 worker, %v with 2", i, a[i], b[i])
		}
	}
}

// TestResume interrupts training after 2 of 4 epochs, saves a checkpoint,
// loads it and finishes: the result must equal an uninterrupted run.
func TestResume(t *testing.T) {
	rng := rand.New(rand.NewPCG(33, 34))
	start := smallNet(false, rng)
	data := randImages(rng, 30, start.Input, 3)
	img := imgOf(start.Input)
	blob, _ := start.Marshal()
	cfg := TrainConfig{Epochs: 4, Batch: 10, LR: 0.01, Seed: 5, Workers: 2}

	whole, _ := Unmarshal(blob)
	full, err := Fit(context.Background(), whole, data, data, img, cfg)
	if err != nil {
		t.Fatal(err)
	}

	part, _ := Unmarshal(blob)
	path := filepath.Join(t.TempDir(), "ckpt")
	ctx, cancel := context.WithCancel(context.Background())
	st := &TrainState{}
	c := cfg
	c.State = st
	c.OnEpoch = func(e EpochStats) {
		if err := SaveCheckpoint(path, part, st); err != nil {
			t.Fatal(err)
		}
		if e.Epoch == 2 {
			cancel()
		}
	}
	if _, err := Fit(ctx, part, data, data, img, c); !errors.Is(err, context.Canceled) {
		t.Fatalf("interrupted run: %v", err)
	}
	net, st2, err := LoadCheckpoint(path)
	if err != nil {
		t.Fatal(err)
	}
	if st2.Epoch != 2 {
		t.Fatalf("checkpoint after epoch %d, want 2", st2.Epoch)
	}
	c = cfg
	c.State = st2
	rest, err := Fit(context.Background(), net, data, data, img, c)
	if err != nil {
		t.Fatal(err)
	}
	if len(rest) != 2 || rest[0].Epoch != 3 || rest[1].TrainLoss != full[3].TrainLoss {
		t.Fatalf("resumed epochs %+v, want epochs 3–4 with loss %v", rest, full[3].TrainLoss)
	}
	if !slicesEqual(paramsOf(net), paramsOf(whole)) {
		t.Error("resumed training ends with other parameters than an uninterrupted run")
	}
	if _, _, err := LoadCheckpoint(filepath.Join(t.TempDir(), "none")); err == nil {
		t.Error("missing checkpoint loaded")
	}
	os.WriteFile(path, blob, 0o644)
	if _, _, err := LoadCheckpoint(path); !errors.Is(err, ErrFormat) {
		t.Errorf("a model file as checkpoint: %v, want ErrFormat", err)
	}
	bad := &TrainState{Epoch: 1, Velocity: [][]float32{{1}}}
	c.State = bad
	if _, err := Fit(context.Background(), net, data, nil, img, c); err == nil {
		t.Error("mismatched resume state accepted")
	}
}
