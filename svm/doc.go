// Package svm is a C-support-vector classifier solved by SMO with LIBSVM's
// algorithm, made fast on dense data by computing kernel values as matrix
// products (package kernels) instead of one at a time.
//
// # The problem
//
// For samples x_t with labels y_t ∈ {+1, −1}, t = 1..l, C-SVC solves the dual
//
//	min_α  ½ αᵀQα − eᵀα   s.t.  yᵀα = 0,  0 ≤ α_t ≤ C_t,
//
// with Q_ij = y_i y_j K(x_i, x_j) and C_t = C·w_{y_t} (class weights). The
// decision function is f(x) = Σ_t y_t α_t K(x_t, x) − ρ; the x_t with
// α_t > 0 are the support vectors. The solver (solver.go) is LIBSVM's SMO:
// second-order working-set selection (Fan, Chen and Lin, 2005), the τ
// fallback when Q is not positive semi-definite (the sigmoid kernel), and
// shrinking with gradient reconstruction; it stops when the maximal
// violation m(α) − M(α) < Tol. ρ is the mean of y_t G_t over free
// variables (or the midpoint of its feasible interval when none is free),
// and the objective reported is ½ αᵀQα − eᵀα at the solution.
//
// # Several classes
//
// One-vs-one, as LIBSVM: classes are ordered by first appearance in the
// training labels (with LIBSVM's exception: in a two-class −1/+1 problem,
// +1 comes first); for every pair i < j a binary problem puts class i at
// +1. A sample gets one vote per pair (class i when f > 0, else j); most
// votes win, ties go to the class first in that order. Pairs are solved in
// parallel. With Params.OneVsRest each class is trained against the rest
// and the largest decision value wins.
//
// # Kernel values
//
// The solver reads Q through a QMatrix that knows nothing of SMO. Train
// computes the whole n×n kernel matrix once, for all pairs (samples grouped
// by class), when it fits Params.CacheMB; each pair worker then copies its
// sub-problem's Q into a reused buffer when that fits its share of the
// budget left. Otherwise each worker holds its whole sub-problem matrix
// when that fits its share, or an LRU column cache whose misses compute up
// to 64 columns in one product through one kernels.Engine over all
// training samples (the solver names the most violating variables as the
// rest of the batch; the batch shrinks when those columns go unused).
// Prediction computes support-vector × test-block kernel matrices
// (kernels.Cross).
//
// # Files
//
// Models are saved in LIBSVM's model format, read by svm-predict, with
// coefficients and ρ at full precision (%.17g) and features as the exact
// decimal of each float32 value; what the format cannot hold goes into MODEL.json
// beside it (see Save). Load reads models written by svm-train.
package svm
