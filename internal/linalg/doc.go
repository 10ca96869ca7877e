// Package linalg is the one place where the BLAS implementation is chosen.
// The float32 matrix that every numeric package shares is the public package
// matrix (github.com/svmbench/svmbench/matrix); this package only decides
// which BLAS multiplies it.
//
// # The BLAS
//
// Every float32 matrix product in the module goes through gonum's blas32
// package, except the kernel matrices' tiles, which go through GemmNT: in
// the default build on a CPU with AVX2 and FMA that is this package's own
// assembly kernel (package internal/f32), several times gonum's Sgemm; otherwise
// blas32's Sgemm. The default build uses gonum's pure-Go BLAS (SSE assembly, no
// cgo). Built with the tag openblas, this package registers OpenBLAS with
// blas32.Use at init (cgo through gonum.org/v1/netlib; Debian's
// libopenblas-dev, linked with -lopenblas by this package's #cgo directive,
// so no CGO_LDFLAGS are needed). Implementation and Config report which one
// is in use.
//
// # Who owns the threads
//
// Go code owns them. The callers (the Gram engine, the CNN) split their work
// into blocks over GOMAXPROCS goroutines and call the BLAS on each block, so
// the BLAS itself must compute on the calling thread: two layers of threads
// on the same cores would oversubscribe them. OpenBLAS is therefore set to
// one thread at init (openblas_set_num_threads(1), whatever
// OPENBLAS_NUM_THREADS says); SetThreads exists only for benchmarks that
// compare against OpenBLAS's own threading. gonum's Sgemm splits a product of
// four or more 64×64 blocks of C over GOMAXPROCS goroutines itself and
// computes smaller ones serially; TileShape gives callers a block shape that
// one goroutine computes fastest with the BLAS in use (192×64 for gonum,
// inside its serial limit; 512×512 for OpenBLAS). The tests check both
// claims by comparing the process's CPU time with the wall time of a call.
package linalg
