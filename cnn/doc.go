// Package cnn is the seed document's convolutional network in pure Go:
// the baseline that the SVMs of svmbench are compared with, trained on the
// same CIFAR-10 split and inputs, and a source of learnt features for them.
//
// # Network
//
// A Network is data: an input Shape and a list of layers (Conv2D, MaxPool,
// ReLU, Sigmoid, Flatten, Dense). NewBaseline builds the seed's network,
//
//	conv 3→32 (3×3, pad 1) → ReLU → max-pool 2 → conv 32→64 (3×3, pad 1)
//	→ ReLU → max-pool 2 → flatten → dense 4096→512 → ReLU → dense 512→10
//	[→ sigmoid]
//
// in two variants: "sigmoid-loss" (VariantSigmoidLoss), with the seed's
// sigmoid on the outputs before the cross-entropy loss (exactly as
// written), and "fixed" (VariantFixed), without it. The sigmoid squashes
// the scores into (0, 1), so the softmax of them can never be confident
// and its gradient is scaled by σ'(z) ≤ 1/4: the sigmoid-loss variant
// learns more slowly. The sigmoid-loss variant was called "seed" until
// November 2026; CanonicalVariant and NewBaseline still accept that name,
// so "seed" in svmbench means a random seed only.
//
// Activations are float32 and channel-last: sample s, row y, column x,
// channel c is at ((s·H + y)·W + x)·C + c. Inputs are the raw 0–255
// channel-plane rows of dataset.Split.X, transposed and scaled by 1/255
// (PyTorch's ToTensor, no normalisation).
//
// # Layers
//
// Conv2D is a cross-correlation: out[s,y,x,o] = b[o] + Σ_{ky,kx,c}
// W[o,ky,kx,c]·in[s, y·S−P+ky, x·S−P+kx, c] (zero outside the image). It
// is computed by im2col: one row per output position holding the K·K·C
// input values under the kernel, so that the layer is one matrix product
// out = cols·Wᵀ, and its gradients are dW = dOutᵀ·cols, db = Σ_rows dOut,
// dcols = dOut·W, scattered back (col2im) into dIn. Dense is y = W·x + b
// with dW = dyᵀ·x, dx = dy·W. Every product goes through gonum's blas32
// (pure Go by default, OpenBLAS with the build tag openblas; see
// internal/linalg). MaxPool takes non-overlapping window maxima and routes
// the gradient to the first maximal position; ReLU's derivative at 0 is 0.
//
// # Loss and optimiser
//
// The loss of a mini-batch B with scores z is the mean softmax cross-
// entropy (1/|B|) Σ (log Σ_j e^{z_j} − z_y), evaluated as
// m + log Σ_j e^{z_j − m} with m = max_j z_j so no exponential overflows;
// its gradient is (softmax(z) − onehot(y))/|B|. SGD with momentum follows
// PyTorch: g ← ∇ + λp (weight decay λ), v ← μv + g, p ← p − η·v, with v = 0
// before the first step (PyTorch starts with v = g, the same thing).
//
// Initialisation is PyTorch's default for nn.Conv2d and nn.Linear:
// kaiming_uniform_(a = √5) for the weights, whose bound
// gain·√(3/fan_in) with gain = √(2/(1+a²)) is exactly 1/√fan_in, and
// uniform ±1/√fan_in for the biases (fan_in = C·K·K or In).
//
// # Parallelism and determinism
//
// Fit splits each mini-batch into contiguous parts, one per worker
// goroutine (GOMAXPROCS by default), each with its own activations and
// gradients; the gradients are summed in worker order and the update is
// split over the workers by parameter ranges. With gonum's BLAS each
// product is handed to gonum one 64×64×64 block at a time (gonum's own
// blocking, run serially), because gonum's Sgemm otherwise starts
// goroutines on every call. A training step allocates nothing after the
// first. Shuffling uses a PCG seeded from TrainConfig.Seed, so a run is
// repeatable for a given seed and worker count.
//
// # Embeddings
//
// Embedder implements features.Extractor under the name "cnn": the input
// of a trained network's last dense layer (512 values for the seed
// network). A network trained on the whole training split has seen the
// labels of every cross-validation fold that an SVM later makes from it, so
// CV accuracy on these features is optimistic; test accuracy is not.
//
// # Files
//
// Network.Save writes a versioned binary format (magic, version, JSON
// description of the layers, float32 parameters, CRC-32) through a
// temporary file and a rename; Load refuses other versions and damaged or
// truncated files with an error that wraps ErrFormat.
package cnn
