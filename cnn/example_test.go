package cnn_test

import (
	"context"
	"fmt"
	"math/rand/v2"

	"github.com/svmbench/svmbench/cnn"
	"github.com/svmbench/svmbench/dataset"
	"github.com/svmbench/svmbench/matrix"
)

// A small network learns to tell bright 4×4 images from dark ones.
func Example() {
	rng := rand.New(rand.NewPCG(1, 2))
	net := &cnn.Network{Name: "tiny", Input: cnn.Shape{H: 4, W: 4, C: 1}, Layers: []cnn.Layer{
		cnn.NewConv2D(1, 2, 3, 1, 1), cnn.ReLU{}, &cnn.MaxPool{Size: 2},
		cnn.Flatten{}, cnn.NewDense(8, 2),
	}}
	net.Init(rng)

	x := matrix.New(40, 16)
	y := make([]int, 40)
	for i := range y {
		y[i] = i % 2
		for j := range 16 {
			x.Set(i, j, float32(100*y[i]+rng.IntN(100))) // raw 0–255 pixels
		}
	}
	data := &dataset.Split{X: x, Y: y}
	img := dataset.ImageShape{Height: 4, Width: 4, Channels: 1}
	stats, err := cnn.Fit(context.Background(), net, data, data, img,
		cnn.TrainConfig{Epochs: 30, Batch: 10, LR: 0.1, Seed: 1})
	if err != nil {
		fmt.Println(err)
		return
	}
	last := stats[len(stats)-1]
	fmt.Printf("after %d epochs: training accuracy %.0f%%\n", last.Epoch, 100*last.TestAccuracy)
	// Output:
	// after 30 epochs: training accuracy 100%
}
