// Package dataset reads the data every svmbench model trains on: CIFAR-10
// from its binary batches (a folder, or the official archive streamed
// without extraction, or downloaded into a cache), LIBSVM text files,
// folders of images, and a generated data set; and it draws balanced
// subsets and stratified cross-validation folds from them.
//
// # Invariants
//
// A Dataset holds a training and a test Split. Split.X has one sample per
// row (float32); Split.Y the class label of each row. Labels are the
// values the data writes: 0..9 for CIFAR-10 and image folders, and for
// LIBSVM files the labels of the file (-1/+1, 1..K, 2 7 9), never
// renumbered. Classes lists the labels in ascending order with a display
// name ("cat" for CIFAR-10's 3, the decimal text for LIBSVM). A split may
// be empty (0 samples): a LIBSVM data set read from one file.
// Image samples are stored as raw 0–255 intensities in channel planes
// (all of red, then green, then blue, each row-major), the layout of the
// CIFAR-10 files, with Dataset.Image giving the shape; features.Pixels
// scales them. Dataset.Files lists every file read with its SHA-256, so a
// result can say exactly which data it came from.
//
// # Data specs
//
// Load resolves a spec, the value of every command's -data flag:
//
//	auto (or "")        $CIFAR10_DIR; else the cached archive; else download
//	DIR                 a folder of CIFAR-10 binary batches
//	FILE.tar.gz         cifar-10-binary.tar.gz (also .tgz)
//	libsvm:TRAIN,TEST   two LIBSVM text files
//	libsvm:FILE         one LIBSVM text file (training, or the test split
//	                    when Options.PredictOnly)
//	images:DIR          DIR/train/<class>/*.png|*.jpg, DIR/test/<class>/…
//	synthetic[:N,M]     generated images (default 10000 training, 2000 test)
//
// # CIFAR-10 binary format
//
// data_batch_1.bin … data_batch_5.bin (training, in that order) and
// test_batch.bin hold records of 3073 bytes: a label byte 0–9, then
// 32×32 red, 32×32 green and 32×32 blue bytes. batches.meta.txt names the
// ten classes, label i on line i+1 (without it the standard names are
// used). A file that is empty, ends inside a record, or has a label
// above 9 is an error naming the file and the 1-based record. If the
// folder or archive also holds a SHA256SUMS file (sha256sum's format),
// the batches it lists must match it. The official archive,
// cifar-10-binary.tar.gz, holds these files under cifar-10-batches-bin/;
// its MD5 is c32a1d4ab5d03f1284b67883e8d87530, checked for downloads and
// for the cached copy (an archive named on the command line is read
// whatever its MD5, which Dataset.Files records).
//
// # LIBSVM text format
//
// One sample a line: `label index:value index:value …`. The label is an
// integer ("+1" and "2.0" are accepted, "1.5" is not); indices are 1-based
// and strictly ascending; values are finite float32 numbers; fields are
// separated by spaces or tabs; absent indices are 0 (sparse) and present
// zeros are allowed (dense). Text from '#' to the end of a line is a
// comment; blank and comment-only lines are skipped, as scikit-learn's
// reader does (svm-train 3.24 rejects them). Anything else is a
// *ParseError naming file and line. The feature dimension is the largest
// index of the training file (LIBSVM's num_features); a test file may be
// narrower (zeros), but not wider with non-zero values there. WriteLIBSVM writes only
// non-zero values, each as the shortest decimal that reads back to the
// same float32 (as model files do).
//
// # Balanced subsets
//
// Balanced draws n samples of a split, with counts n_1 … n_K available per
// class, as evenly as the classes allow: the quota of class k is
//
//	q_k = min(n_k, t)      where t is the largest integer with Σ_k min(n_k, t) ≤ n,
//
// plus one more for r = n − Σ_k min(n_k, t) classes that still have
// samples to give (n_k > t), chosen uniformly at random. With ten classes
// of 5000, n = 1000 gives exactly 100 a class; n = 1005 gives 101 to five
// random classes. Within each class the q_k samples are a uniform random
// subset (a partial Fisher–Yates shuffle), and the union is shuffled, so
// classes are interleaved. All randomness comes from the *rand.Rand given,
// so the same seed gives the same subset.
//
// # Stratified folds
//
// StratifiedFolds(y, k) shuffles the indices of each class (classes in
// ascending label order) and deals them to folds 0, 1, …, k−1, 0, …, the
// dealing continuing from one class to the next. Then for every class c
// with n_c samples each fold holds ⌊n_c/k⌋ or ⌈n_c/k⌉ of them, and fold
// sizes differ by at most one, so the validation folds have the class
// proportions of y. FoldTrain(folds, i) is the complement of fold i. Any
// preprocessing fitted on data (feature scaling) must be fitted on the
// training part only and applied unchanged to the validation fold and the
// test split, as svm-scale's users do with its -s and -r options.
//
// # Synthetic data
//
// Synthetic makes ten classes of 32×32×3 images: each image is 128 plus a
// class colour tint, plus a sinusoidal grating of a class orientation and
// frequency (shifted at random by up to ±5 pixels, random contrast), plus
// a random brightness and a random colour offset, plus Gaussian noise,
// rounded and clipped to 0–255. The tint makes it linearly learnable;
// noise and jitter keep it far from trivial; the grating's orientation is
// left for non-linear models. Measured on 2000 training and 1000 test
// images (seed 1, pixels/255) with svm-train 3.24: linear (-t 0 -c 0.01)
// 48.1% test accuracy, RBF (-t 2 -g 0.005 -c 10) 84.3%; chance is 10%.
// Every image has its own generator seeded by (seed, split, index), so
// the data do not depend on GOMAXPROCS.
package dataset
