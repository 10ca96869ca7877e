// Package kernels holds the kernels svmbench compares and the engine that
// computes their values: blocks of K(x_i, x_j) as float32 matrix products on
// every core, and a DotGram that computes the inner products of a sample set
// once and derives from them the Gram matrix of any dot-product kernel with
// any parameters.
//
// # Kernels
//
// A Kernel is a value with exported parameters and two methods, Name and
// Eval. The built-in kernels, with LIBSVM's svm-train flags:
//
//	Sigmoid{Alpha, Coef0}       tanh(α⟨x,y⟩ + c)   not PSD in general   -t 3 -g α -r c
//	RBF{Gamma}                  exp(−γ‖x−y‖²)      PSD for γ > 0        -t 2 -g γ
//	Linear{}                    ⟨x,y⟩              PSD                  -t 0
//	Poly{Gamma, Coef0, Degree}  (γ⟨x,y⟩ + c)^d     PSD for c ≥ 0        -t 1 -g γ -r c -d d
//
// The sigmoid's parameters are its slope α and bias c (scikit-learn's gamma
// and coef0); the bias is never called C, the SVM's penalty. Kernels that
// have parameter ranges implement Validator; Validate's error is a
// *ParamError that names the field and the allowed range
// ("kernels: RBF.Gamma = 0: want a finite value > 0").
//
// A user kernel needs only Name and Eval. If it is a function of ⟨x,y⟩, ‖x‖²
// and ‖y‖² alone it should also implement DotKernel (FromDot), and the engine
// then computes it through matrix products like the built-in ones; otherwise
// the engine calls Eval once per value, in parallel. A kernel that is
// positive semidefinite on any data, as the table's PSD column says of RBF,
// linear and polynomial with c ≥ 0, says so by implementing Mercer; the
// grid's alpha seeding then trusts the SVM's dual to be convex instead of
// checking it on the data (a Cholesky factorisation per class pair).
//
// # The registry
//
// Every part of svmbench that handles kernels by name (grid cells and their
// default ranges, the grid's table and spec file, model files in LIBSVM's
// format and svmbench's JSON, the command line's -kernel flags, the report's
// tables and figures) asks the registry instead of switching on names. A
// Spec holds a kernel's Name; its Params (name, symbol, LIBSVM header key,
// default grid range, log scale or not, integer or not, whether the grid
// ranges over it, the default of a single fit: 1/features for γ); the grid's
// default C range; LIBSVM's kernel_type number and name; whether its Gram
// matrix can be indefinite; New, from Values to the kernel, and Values, back.
// Lookup(name), Of(kernel), Specs and Names read the registry; Build
// validates; Format prints "α=0.001 c=-1"; AppendLIBSVM and FromLIBSVM write
// and read LIBSVM's header lines.
//
// Adding a kernel is one new file in this package (or in the user's own
// package): the kernel type, its Spec, and
//
//	func init() { kernels.Register(&cauchySpec) }
//
// plus its tests. Its parameters are drawn from those Values holds
// (alpha, gamma, coef0, degree), which the results files record. The
// built-in kernels come first in the registry, in the order reports list
// them; registered ones follow in the order of registration.
//
// # The engine
//
// An Engine over a sample matrix X (rows are samples) computes the squared
// norms ‖x_i‖² once, in float64. Block(dst, rows, cols) sets
// dst = K(X_rows, X_cols) for index sets that may repeat and come in any
// order; Columns(dst, idx) is what an SMO column cache asks for (Gram
// columns stored as rows); Gram(dst) is the full n×n matrix; Cross computes
// K(A, B) between two sample matrices, as prediction needs.
//
// For a DotKernel, the output is cut into tiles of linalg.TileShape()
// (192×64 with gonum's BLAS, 512×512 with OpenBLAS). Each tile is one
// product X_rows·X_colsᵀ in float32 (linalg.GemmNT: OpenBLAS's sgemm, or in
// the default build on an AVX2+FMA CPU linalg's own kernel, whose rate is
// measured in docs/kernels.md; gonum's Sgemm elsewhere), written straight
// into dst and
// then mapped to kernel values while it is in cache: tanh(α·dot + c),
// exp(−γ·(‖x‖² + ‖y‖² − 2·dot)) and so on, in loops specialised by a type
// switch for the built-in kernels (a user DotKernel costs one FromDot call
// per value). Tiles are dealt to GOMAXPROCS goroutines (Options.Workers) from
// an atomic counter. When rows and cols select the same rows, only the tiles
// meeting the lower triangle are computed and the triangle is then mirrored,
// which halves the work and makes the result exactly symmetric. Rows picked
// by an index set are gathered into pooled per-goroutine buffers first, so
// that a call allocates nothing in steady state.
//
// # Reusing inner products
//
// The matrix product is the expensive part: 2·n²·d operations, against n²
// for the map. A DotGram stores ⟨x_i, x_j⟩ for a sample set (one product,
// NewDotGram or Engine.DotGram), and DotGram.Gram(dst, k, rows, cols) derives
// the Gram matrix of any DotKernel k on any rows and columns of it with the
// elementwise pass alone. A grid search over α × c for the sigmoid, over γ
// for the RBF, and over cross-validation folds (index sets into the same
// DotGram) then costs one matrix product in total. Gram can map in place
// (dst = g.Dot) when the inner products are no longer needed. Values derived
// from a DotGram equal the engine's for the same kernel and rows up to the
// last bit of the float32 products.
//
// # Accuracy
//
// Inner products are accumulated in float32 by the BLAS; the map, the norms
// and the kernel functions work in float64; results are stored as float32.
// An element is then within |∂K/∂dot|·d·u·Σ|x_l·y_l| + u·|K| of the float64
// definition (u = 2⁻²⁴, d the dimension), which the tests check for every
// kernel on normal and on CIFAR-scaled data; measured errors stay below a
// third of that bound, and below 1% of it on 3072-dimensional rows. Where a row meets itself the engine writes K(x, x)
// from the float64 norm, so an RBF diagonal is exactly 1. The RBF expansion
// ‖x‖² + ‖y‖² − 2⟨x,y⟩ is clamped at 0.
//
// # Memory
//
// Destinations are the caller's; the engine never allocates an output. Its
// only temporaries are the gather buffers of calls with index sets: at most
// (tm+tn)·d float32 values per worker, Engine.ScratchBytes in all (3.1 MB a
// worker for 3072-dimensional rows in the default build, 12.6 MB with
// OpenBLAS), pooled and reused. A DotGram holds 4·n² bytes.
//
// # BLAS and threads
//
// The products go through internal/linalg (GemmNT for the tiles, blas32's
// Ssyrk for a symmetric request's diagonal blocks), which chooses the
// implementation: gonum's pure-Go BLAS by default, OpenBLAS with
// -tags openblas. Go owns the threads: the engine splits work over
// goroutines and OpenBLAS is set to one thread per call. The default build
// computes gonum tiles small enough that gonum runs them serially with
// full-length dot products (about twice its per-core rate on large
// products).
//
// # PSD diagnostics
//
// MinEigen (and Eigen, which also returns the largest eigenvalue) builds a
// kernel's Gram matrix in float64 on a seeded sample of rows (1000 by
// default) and returns its smallest eigenvalue from gonum's mat.EigenSym, so
// that reports can map where the sigmoid kernel is PSD over an α × c grid.
// Lin and Lin (2003) recommend α > 0 with c < 0, but on CIFAR-like pixels
// (⟨x,y⟩ ≈ 770, ‖x‖² ≈ 1000) c < 0 with small α makes the mean kernel value
// or the diagonal negative and the matrix strongly indefinite; see Sigmoid.
package kernels
