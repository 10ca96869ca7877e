// Package features turns data sets into the feature matrices every model of
// the suite trains on, so that SVMs and the CNN are compared on the same
// named features.
//
// An Extractor has a Name (used in reports and file names) and an Extract
// method: samples in (a dataset.Split, raw intensities 0–255 for images),
// a float32 matrix out, one row per sample. Extractors that learn from data
// also implement Fitter; Apply fits them on the whole training split and
// applies the fitted values unchanged to the test split (and callers do the
// same for validation folds), as svm-scale users do. ByName makes the
// extractors of this package; the cnn package makes "cnn" (embeddings of a
// trained network) itself.
//
// Extraction splits the rows over GOMAXPROCS goroutines; each goroutine
// allocates its scratch buffers once, so no inner loop allocates.
//
// # pixels
//
// x/255 for images (as PyTorch's ToTensor), the values unchanged for
// non-image data (LIBSVM files). The default everywhere.
//
// # standard
//
// z_j = (x_j − μ_j)/σ_j, with x = pixels as above and, over the n training
// samples,
//
//	μ_j = (1/n) Σ_i x_ij,   σ_j = √((1/n) Σ_i (x_ij − μ_j)²)
//
// (population deviation, as scikit-learn's StandardScaler; two passes,
// accumulated in float64). A feature that takes a single value on the
// training split has σ_j = 0 and is left centred: σ_j is stored as 1, so it
// is 0 on training data and x_j − μ_j elsewhere, never a division by zero.
//
// # gray
//
// Y = (0.299·R + 0.587·G + 0.114·B)/255 per pixel (ITU-R BT.601), in
// [0, 1]; H·W features in row-major order. One-channel images give x/255.
//
// # hog
//
// The histogram of oriented gradients of Dalal & Triggs, "Histograms of
// Oriented Gradients for Human Detection", CVPR 2005, with their defaults,
// on intensities I scaled to [0, 1]:
//
//  1. Gradients with the centred [−1, 0, 1] mask, y pointing down:
//     g_x = I(x+1, y) − I(x−1, y), g_y = I(x, y+1) − I(x, y−1). At the image
//     border, where the mask would leave the image, the one-sided difference
//     counts twice, g_x(0, y) = 2·(I(1, y) − I(0, y)) (likewise at the other
//     borders), so that a linear ramp has the same gradient everywhere. No
//     smoothing beforehand (Dalal & Triggs found σ = 0 best).
//  2. Colour: the gradients are computed on every channel and each pixel
//     keeps the channel with the largest magnitude m = √(g_x² + g_y²) (the
//     first such channel on a tie).
//  3. Unsigned orientation θ = atan2(g_y, g_x) mod 180° ∈ [0°, 180°).
//  4. Cells of 8×8 pixels; an image of H×W has ⌊H/8⌋×⌊W/8⌋ cells (pixels
//     beyond the last whole cell are ignored). Each cell has 9 bins of
//     20°; bin k is centred on c_k = (k + ½)·20° (10°, 30°, …, 170°). A
//     pixel votes its magnitude m into the two bins whose centres enclose
//     θ, linearly: with p = θ/20° − ½, k = ⌊p⌋ and f = p − k, bin k mod 9
//     gets m·(1 − f) and bin (k+1) mod 9 gets m·f (so 0° and 180° fall half
//     in bin 8, half in bin 0). Votes are interpolated between orientation
//     bins only, not spatially between cells.
//  5. Blocks of 2×2 cells with a stride of one cell: (⌊H/8⌋−1)·(⌊W/8⌋−1)
//     blocks, each the 36 values of its four cells (cells row-major, bins in
//     order). L2-Hys: v ← v/√(‖v‖² + ε²), v_i ← min(v_i, 0.2),
//     v ← v/√(‖v‖² + ε²), with ε = 1e-5. A block with no gradient stays 0;
//     any other has unit norm up to ε, every value in [0, 1].
//  6. The feature vector is the blocks in row-major order.
//
// Length: (⌊H/8⌋−1)·(⌊W/8⌋−1)·36; for CIFAR-10's 32×32 images 3×3 blocks ×
// 36 = 324 (HOG.Dim). Images smaller than 16×16 are an error.
package features
