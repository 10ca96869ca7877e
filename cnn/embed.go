package cnn

import (
	"fmt"

	"github.com/svmbench/svmbench/dataset"
	"github.com/svmbench/svmbench/features"
	"github.com/svmbench/svmbench/matrix"
)

// Embedder is the "cnn" feature set: the activations that a trained
// network feeds to its last dense layer (for the seed network, the 512
// values after the first dense layer and its ReLU).
//
// A network trained on the whole training split has seen the labels of
// every cross-validation fold an SVM later makes from that split, so CV
// accuracy on these features is optimistic; test accuracy is not
// affected, since the network never saw the test split.
type Embedder struct {
	Net *Network
	// Layer is the number of layers run: the features are the output of
	// Net.Layers[Layer-1].
	Layer int
}

var _ features.Extractor = (*Embedder)(nil)

// NewEmbedder returns the embedder of net: the input of its last dense
// layer.
func NewEmbedder(net *Network) (*Embedder, error) {
	if _, err := net.Shapes(); err != nil {
		return nil, err
	}
	for i := len(net.Layers) - 1; i >= 0; i-- {
		if _, ok := net.Layers[i].(*Dense); ok {
			if i == 0 {
				break
			}
			return &Embedder{Net: net, Layer: i}, nil
		}
	}
	return nil, fmt.Errorf("cnn: network %q has no dense layer after its first layer to take embeddings from", net.Name)
}

// LoadEmbedder loads a model saved by Network.Save and returns its
// embedder.
func LoadEmbedder(path string) (*Embedder, error) {
	n, err := Load(path)
	if err != nil {
		return nil, err
	}
	return NewEmbedder(n)
}

// Name is "cnn".
func (e *Embedder) Name() string { return "cnn" }

// Dim is the length of a feature vector.
func (e *Embedder) Dim() int {
	s, err := e.Net.Shapes()
	if err != nil || e.Layer < 1 || e.Layer >= len(s) {
		return 0
	}
	return s[e.Layer].Size()
}

// Extract returns one row of embeddings per sample of s, whose rows are raw
// images of shape img (0–255, channel planes).
func (e *Embedder) Extract(s *dataset.Split, img *dataset.ImageShape) (*matrix.Matrix, error) {
	shapes, err := e.Net.Shapes()
	if err != nil {
		return nil, err
	}
	if img == nil {
		return nil, fmt.Errorf("cnn: the cnn features need images; this data set has none")
	}
	if want := (Shape{img.Height, img.Width, img.Channels}); want != e.Net.Input {
		return nil, fmt.Errorf("cnn: images are %d×%d×%d (H×W×C), network %q takes %v", img.Height, img.Width, img.Channels, e.Net.Name, e.Net.Input)
	}
	if e.Layer < 1 || e.Layer > len(e.Net.Layers) {
		return nil, fmt.Errorf("cnn: embedder layer %d out of range 1–%d", e.Layer, len(e.Net.Layers))
	}
	if err := e.Net.checkInput(s.X); err != nil {
		return nil, err
	}
	d := shapes[e.Layer].Size()
	out := matrix.New(s.X.Rows, d)
	if s.X.Rows == 0 {
		return out, nil
	}
	p := newPool(e.Net, shapes, workersFor(0, s.X.Rows), min(evalBatch, s.X.Rows), false)
	defer p.close()
	e.Net.eval(p, s.X, e.Layer, func(r int, v []float32) { copy(out.Row(r), v) })
	return out, nil
}
