package cnn

import (
	"context"
	"encoding/binary"
	"encoding/json"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"

	"github.com/svmbench/svmbench/dataset"
)

// TestTorchParity writes the seed network's initial weights in PyTorch's
// layout and the losses of 20 SGD steps on the first 2000 CIFAR-10
// training images (mini-batches in file order), for
// scripts/torch_cnn.py -parity DIR to repeat in PyTorch from the same
// weights. It runs only when CNN_PARITY_DIR and CIFAR10_DIR are set:
//
//	CNN_PARITY_DIR=/tmp/parity CIFAR10_DIR=... go test -run TorchParity ./cnn/
//	/usr/bin/python3 scripts/torch_cnn.py -parity /tmp/parity
func TestTorchParity(t *testing.T) {
	out, dir := os.Getenv("CNN_PARITY_DIR"), os.Getenv("CIFAR10_DIR")
	if out == "" || dir == "" {
		t.Skip("set CNN_PARITY_DIR and CIFAR10_DIR to write the PyTorch parity files")
	}
	d, err := dataset.Load(context.Background(), dataset.Options{Spec: dir})
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(out, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, variant := range []string{VariantFixed, VariantSigmoidLoss} {
		net, _ := NewBaseline(variant, rand.New(rand.NewPCG(1, 1)))
		if err := os.WriteFile(filepath.Join(out, variant+"-params.bin"), torchLayout(net), 0o644); err != nil {
			t.Fatal(err)
		}
		cfg, _ := TrainConfig{Workers: 1}.withDefaults()
		tr, err := newTrainer(net, d.Train.X, d.Train.Y, cfg)
		if err != nil {
			t.Fatal(err)
		}
		var losses []float64
		rows := make([]int, 100)
		for s := 0; s < 20; s++ {
			for i := range rows {
				rows[i] = s*100 + i
			}
			losses = append(losses, tr.step(rows))
		}
		tr.close()
		b, _ := json.Marshal(map[string]any{"variant": variant, "steps": 20, "batch": 100, "lr": 0.001, "momentum": 0.9, "losses": losses})
		if err := os.WriteFile(filepath.Join(out, variant+"-losses.json"), b, 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("%s: losses %.6f … %.6f", variant, losses[0], losses[len(losses)-1])
	}
}

// torchLayout returns the parameters of a seed network as PyTorch's
// state_dict holds them (conv weights [out][in][ky][kx], fc1's inputs in
// channel-first order), float32 little-endian, concatenated.
func torchLayout(n *Network) []byte {
	var vals []float32
	convs := 0
	var shapes []Shape
	shapes, _ = n.Shapes()
	for li, l := range n.Layers {
		switch l := l.(type) {
		case *Conv2D:
			convs++
			for o := 0; o < l.Out; o++ {
				for c := 0; c < l.In; c++ {
					for ky := 0; ky < l.K; ky++ {
						for kx := 0; kx < l.K; kx++ {
							vals = append(vals, l.W[((o*l.K+ky)*l.K+kx)*l.In+c])
						}
					}
				}
			}
			vals = append(vals, l.B...)
		case *Dense:
			if _, ok := n.Layers[li-1].(Flatten); ok {
				s := shapes[li-1] // the shape before flattening
				for j := 0; j < l.Out; j++ {
					row := l.W[j*l.In : (j+1)*l.In]
					for c := 0; c < s.C; c++ {
						for y := 0; y < s.H; y++ {
							for x := 0; x < s.W; x++ {
								vals = append(vals, row[(y*s.W+x)*s.C+c])
							}
						}
					}
				}
			} else {
				vals = append(vals, l.W...)
			}
			vals = append(vals, l.B...)
		}
	}
	b := make([]byte, 4*len(vals))
	for i, v := range vals {
		binary.LittleEndian.PutUint32(b[4*i:], math.Float32bits(v))
	}
	return b
}
