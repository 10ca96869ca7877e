// Package bench runs svmbench's experiments: cross-validated grid searches
// over kernel parameters, model comparisons on one split, and scaling runs,
// and defines the results files they write (results.go; FORMATS.md at the
// module root documents every field).
//
// # Grid search
//
// A grid is one kernel on one feature set. Its cells are the points of
// α × c × C (sigmoid), γ × C (rbf), γ × c × C (poly) or C (linear), in a
// deterministic order (C varies fastest), or Trials points drawn from the
// same ranges by a seeded generator (random search). A cell's score is
// its k-fold stratified cross-validation accuracy on the training data:
//
//	cv_accuracy = (Σ_f correct_f) / n
//
// the fraction of all n training samples predicted right by the model
// trained without their fold, as LIBSVM's svm-train -v reports it.
//
// Every kernel searched is a function of ⟨x,y⟩, ‖x‖² and ‖y‖². The inner
// products of all n training samples are therefore computed once
// (kernels.NewDotGram, one n×n×d matrix product); the Gram matrix of each
// cell on each fold's training rows, and the block between the fold's
// validation rows and its training rows, are then elementwise maps of it
// (DotGram.Gram with row and column index sets). The SVM trains on that
// Gram matrix (svm.TrainGram) and predicts from the block
// (Model.PredictGram). A grid of G cells and k folds costs one matrix
// product instead of LIBSVM's G·k·(number of SMO kernel evaluations).
// When memory allows, the n×n kernel matrix of each run of cells that
// differ only in C is derived once and every fold's blocks are gathered
// from it, (k−1)× fewer kernel evaluations than deriving each fold's.
// When the inner products themselves exceed the memory budget, each fit
// instead trains on its fold's rows with the solver's LRU kernel cache
// (svm.Train), as LIBSVM does.
//
// Each finished cell is appended to the grid's journal as one JSON line and
// the file is synced, so an interruption loses at most the cells running;
// Resume skips the cells found and drops a torn last line. Shards split the
// cell order (cells i, i+N, …) over machines; Merge joins their journals,
// refusing grids whose specs (ranges, folds, seed, training data digest)
// differ.
//
// The best cell has the highest cv_accuracy; ties go to the smaller C,
// then the smaller α or γ, then the c closer to 0, then the earlier cell.
//
// # Experiments
//
// Run trains each model (SVMs with the parameters of a grid's best file, or
// LIBSVM's defaults; the seed's CNN) on each feature set of one split and
// scores it on the test split: accuracy = correct / m, per-class accuracy
// (recall) = confusion[c][c] / Σ_j confusion[c][j], train and predict wall
// seconds, support vectors, and the Go heap's peak while training (sampled
// from runtime/metrics). RunScaling records train and predict time against
// the training size n on balanced subsets and one fixed test subset.
package bench
