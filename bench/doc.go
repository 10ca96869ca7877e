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
// Resume skips the cells found and drops a torn last line; with alpha
// seeding it fits again, unjournalled, the found cells that seed a missing
// one in its chain (runResumed), so the missing cells get the fits of an
// uninterrupted run. Shards split the
// cell order (cells i, i+N, …) over machines; Merge joins their journals,
// refusing grids whose specs (ranges, folds, seed, training data digest)
// differ.
//
// # Searches
//
// Random search draws Trials points from the ranges. Bayesian search
// (Search "bayes", bayes.go) chooses Trials cells of the grid's lattice
// one batch at a time: a seeded Latin hypercube design of max(Batch,
// min(2(D+1), ⌈Trials/3⌉)) cells over the D axes with more than one
// value, then batches of Batch cells maximising expected improvement
//
//	EI(x) = (μ − f*) Φ(z) + σ φ(z),  z = (μ − f*)/σ,  f* = max_i μ(x_i)
//
// under a Gaussian-process posterior N(μ, σ²) of the CV accuracy, over the
// plug-in incumbent f*, the highest posterior mean at the trials x_i
// (Picheny et al. 2013; Vazquez et al. 2008): the process models each
// CV accuracy as the surface plus noise, and the fitted σn is of the
// order of the CV's own standard error (on the quick profile's sigmoid
// pixel grid, after 8 trials, 0.6–2.9 points, median 1.2, over 20
// seeds; the fold-to-fold standard error of its cells is 0.8, the
// binomial one 1.1), so the best observation is partly noise, and EI
// over it chases that noise. There is no margin ξ
// (Jones et al. 1998's form): the 0.001 this had was an accuracy, so its
// weight changed with each grid's spread. Each
// batch is filled by the kriging believer: a chosen cell enters the model
// at its mean before the next is chosen, with the hyperparameters fitted
// to the real observations once per batch (the believed values only
// condition the posterior). The process has a Matérn 5/2 kernel with one
// length scale per axis, fitted with the signal and noise variances by
// maximising the log marginal likelihood plus a log prior (Nelder–Mead
// from three starts, gp.go). The priors are BoTorch's SingleTaskGP
// defaults for inputs in the unit cube and standardised outputs: length
// scales Gamma(3, 6), signal variance Gamma(2, 0.15), noise variance
// Gamma(1.1, 0.05). They are needed because a search fits its first
// 2–10 points, whose likelihood alone is maximised at degenerate length
// scales (0.01: no correlation between neighbouring cells; 10: the
// surface flat along an axis), which then steer the search.
//
// Axes are log2 of the value for ranges written 2^a:2^b:k and for lists
// written in powers of two or in geometric progression (1,8,64), the
// value otherwise, scaled to [0, 1]. When the kernel has a scale
// parameter s (kernels.Param.Scale: the sigmoid's α, the RBF's γ) and
// both s and C are log-scaled, the C axis is replaced by log2(s·C): for
// small s the SVM depends on s and C through their product (tanh(α x·y
// + c) ≈ tanh c + α sech²c x·y, the constant drops out of the dual; the
// RBF SVM tends to a linear one with penalty ∝ γC, Keerthi and Lin
// 2003), so the accuracy has ridges along log s + log C = const, which a
// kernel with one length scale per axis follows only when they lie along
// an axis. The lattice is unchanged; only the GP's coordinates are.
//
// Why a GP and not TPE (Optuna's default): the budgets here are small
// (a quarter of a 150-cell grid is 37 trials) and the accuracy surface
// over α × c × C is smooth with one or two ridges; a GP models that
// correlation between neighbouring cells from a handful of points, and
// its posterior variance directs the search, while TPE needs tens of
// trials before its two densities separate and treats the axes
// independently. The cost of a GP — a Cholesky of the trials' n×n
// covariance per step — is nothing beside one SVM fit at n ≤ a few
// hundred. Restricting proposals to the lattice keeps the trials
// comparable with the grid's cells (same values, same journal, merge and
// report work unchanged) and lets cells of one α, c share their kernel
// matrix. The trials depend only on the seed, Batch and the results, so a
// resumed search replays its journal and continues where it stopped.
//
// Range extension (Extend, extend.go) follows one rule for the grid and
// for bayes and random search: while the best cell lies on an open edge
// of a range (C, α, γ on either side; the sigmoid c within [-4, 0]; an
// edge it holds only by the tie rule does not count), that range gains
// one value beyond the edge with its own spacing (results.ExtendStep),
// at most Extend a side, and the step's cells are the new value crossed
// with every value of the other ranges. A grid evaluates them all. A
// bayes search, once its Trials are spent, adds them to its lattice (their
// coordinates continue the axis's map past [0, 1]) and spends on them its
// own share of them,
//
//	n_step = min(m, max(Batch, ⌈m · Trials / L⌉)),  m the step's cells, L the lattice's,
//
// in batches chosen by expected improvement under the GP of every trial so
// far. Only the step's cells are candidates. The step asks one question,
// whether the optimum lies past the edge; left free over the grown
// lattice, EI could spend the step inside it, after which the old edge is
// no longer an edge and the question would be dropped unanswered. The
// share keeps the search's density: a search of a quarter of the grid
// evaluates a quarter of each step, where the grid evaluates all of it,
// and at least a batch, so that a step is never decided by nothing. A
// random search draws continuously from 2^a:2^b:k and start:stop:step
// ranges, so its best is rarely a range value: its draws are read at the
// nearest values of the ranges (on their log2 scale when log-scaled) for
// the edge rule, and each step's share is drawn as random search draws,
// from the ranges as grown, keeping the draws with a grown parameter in
// the part its step added (the continuous form of the step's cells). A
// halving search's best comes from its last rung, which only survivors of
// the lower rungs reach: a step's cells run a successive halving of
// their own (halving.step), with the same η on the top rungs of the
// search's schedule (the same nested subsets and rung numbers, as many
// rungs as the step's cells need), and its last rung's cells, on all
// images, join those the edge test sees. So each added cell reaches all
// images by surviving the rungs the search's cells survived, and the
// search's own rungs are never re-run: its evaluations do not depend on
// Extend. A shard cannot see the grid's best and is refused with Extend;
// a journal written without Extend (merged shards) may be resumed with it.
//
// Successive halving (Search "halving", halving.go; Jamieson and
// Talwalkar 2016, scikit-learn's HalvingGridSearchCV) spends the budget
// on training images instead of cells. With G cells, n training images,
// k folds and factor η (Eta, default 3), rung r = 0 … R−1 cross-validates
// G_r cells on n_r images:
//
//	G_0 = G,  G_{r+1} = ⌈G_r / η⌉,  n_r = round(n / η^(R−1−r)),  n_{R−1} = n
//	R = min(1 + #{steps until G_r < η},  1 + ⌊log_η(n / n_min)⌋)
//
// and the cells of rung r+1 are the best G_{r+1} of rung r by the
// ranking below. The smallest rung n_min holds at least 5 images of the
// rarest class per fold: n_min = ⌈5·k·n / n_rarest⌉, 5·k·K for K balanced
// classes (150 for 10 classes and 3 folds); with fewer images than
// η·n_min there is one rung, the grid itself. The rungs are nested
// stratified subsets: each class's rows in a seeded order (the search
// seed), the j-th of class c (of n_c) at key (j+½)/n_c, all rows sorted by
// key, and rung r the first n_r of that order, so every rung holds m·n_c/n
// of class c within one image and contains the rung below; the last rung
// is every row in training order, cross-validated with the grid's folds,
// so its cells score exactly as the grid's. The inner products of all n
// rows are computed once; a rung's are gathered from them. An SMO fit
// costs about n² to n³ kernel operations, so a rung of n/η images costs
// η² to η³ times less than the next: with η = 3 the whole search costs
// about G/9 + G/3 + … cells at full size for a rung schedule that
// evaluates G + G/3 + … cells. The journal holds every (cell, rung) with
// its rung, rung_n and why; only the last rung's cells compete for the
// best cell (results.BestCell), whose model is trained on all n.
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
// seconds, support vectors, and two memory peaks while training, both
// labelled: the process's peak RSS (VmHWM, reset before the model) and the
// Go heap's peak (runtime/metrics, sampled), measured by internal/memory as
// in every command. RunScaling records train and predict time against the
// training size n on balanced subsets and one fixed test subset.
//
// Every confusion matrix in svmbench follows Confusion: m[i][j] counts the
// test samples of true class i predicted as class j, rows and columns in
// d.Classes order (class indices, not raw labels; for CIFAR-10 the two
// coincide), samples with a label outside the classes not counted.
//
// # The CNN trainer
//
// TrainCNN is the one CNN trainer: bench cnn, Run and the main job call
// it. Its recipe is a cnn.TrainConfig (the seed document's when zero); with
// an output folder it rewrites DIR/cnn-VARIANT.json (CNNRun) and saves the
// network and a checkpoint (network and momentum) after every epoch, and
// resumes from the checkpoint: the shuffle of epoch e depends only on the
// seed and e, so a resumed run repeats an uninterrupted one. A finished run
// found in the folder is scored, not trained again. The two variants are
// cnn.VariantSigmoidLoss (the seed's sigmoid before the loss; called "seed"
// before November 2026, a name still accepted) and cnn.VariantFixed.
//
// # The main job
//
// MainJob is what `bench` (bench all) runs, callable from Go:
//
//	res, err := bench.MainJob(ctx, bench.MainConfig{Profile: "quick", Out: "svmbench-report",
//		Data: dataset.Options{Spec: "auto"}, Seed: 1}, bench.MainProgress{Log: log.Printf})
//
// MainConfig's zero fields take the profile's values (QuickProfile,
// FullProfile) or documented defaults. The job loads the data (a balanced
// seeded subset) and runs a plan of stages, each writing its own files
// into Out/results and only reading the others':
//
//	cnn      TrainCNN for both variants        cnn-VARIANT.json, .cnn, .ckpt
//	grids    Grid per kernel × feature set     grid-K-F.jsonl, .spec.json, best-K-F.json, svm-K-F.model
//	run      Run: SVMs at their best cells,    results.json
//	         CNNs scored from the cnn stage
//	scaling  RunScaling on pixels              scaling.json
//	report   MainConfig.Report (the caller     Out/report.md, report.html, figures/, tables/
//	         passes reports' builder)
//
// Out/results/all.json records the settings that change finished results
// (mainStamp); a folder made with others is refused, naming each flag.
// Run again with the same configuration, the job skips finished work (a
// grid's best file, a CNN's finished run, results.json's records) and
// resumes interrupted work (grid journals, CNN checkpoints). Progress
// comes through MainProgress: Log lines and Task counters.
//
// To add a stage: write a method func (j *mainJob) NAMEStage(ctx) error in
// a file of its own that writes only its own files into j.results (reading
// others' is fine, rewriting them is not), add it to mainPlan in
// mainjob.go at its place (its name is then valid in MainConfig.Skip),
// add the fields it needs to MainConfig with documented zero defaults (and
// to QuickProfile/FullProfile when profiles differ), add those that change
// its results to mainStamp, and list its files above and in FORMATS.md.
package bench
