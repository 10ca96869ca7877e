#!/bin/sh
# libsvm_speed.sh: bench train / bench predict against LIBSVM's svm-train /
# svm-predict, as a user runs them: whole processes on the same LIBSVM text
# files, timed side by side in one run with /usr/bin/time.
#
# Data: the first N CIFAR-10 training images and the first M test images
# (pixels/255), written as LIBSVM text (train.txt, test.txt) holding the
# exact decimal of each float32 value, so LIBSVM and we see the same numbers.
# Model: 10-class C-SVC, RBF γ = 0.005, C = 10, ε = 1e-3, kernel memory 1000
# MB (svm-train -m 1000, bench train -cache 1000).
#
# Whole process (the headline): the wall and CPU (user+system) seconds of
#   svm-train -t 2 -g 0.005 -c 10 -e 0.001 -m 1000 train.txt libsvm.model
#   svm-predict test.txt libsvm.model libsvm.pred
#   bench train -data libsvm:train.txt -kernel rbf -gamma 0.005 -C 10 -cache 1000 -model ours-B.model
#   bench predict -data libsvm:test.txt -model ours-B.model -out ours-B.pred
# for B = gonum (default build) and openblas (-tags openblas), and the
# ratios LIBSVM/ours. In-process (labelled so): training and prediction
# alone, timed inside one Go process from binary CIFAR (libsvm_speed.go).
#
# Checks (exit status 1 when one fails): svm-predict on our model gives the
# labels bench predict gives; bench predict's accuracy equals svm-predict's
# on svm-train's model within TOL percentage points (default 0.25: a few
# near-tie images may flip between float32 and double kernel values); and,
# unless SKIP_INPROCESS=1, every per-pair objective of the in-process
# training within 1e-4 relative of svm-train's (observed 8.2e-6; svm-train
# prints 6 decimals, and the tests in svm/ hold the same bound at -e 1e-5).
#
# LIBSVM uses one core, we use GOMAXPROCS (all of them): on an idle machine
# our wall time is about our CPU time / cores. On a shared machine the wall
# times depend on the load (printed before and after each run); the CPU
# times much less.
#
# Usage: CIFAR10_DIR=/path/to/cifar-10-batches-bin scripts/libsvm_speed.sh [N [M]]
# Environment: WORK (work folder, default a new temporary one),
#              SKIP_LIBSVM=1 reuses LIBSVM's times and files in $WORK,
#              SKIP_INPROCESS=1 leaves out the in-process figures,
#              TOL accuracy tolerance in percentage points.
set -eu
N=${1:-5000}
M=${2:-2000}
TOL=${TOL:-0.25}
: "${CIFAR10_DIR:?set CIFAR10_DIR to the CIFAR-10 binary folder}"
command -v svm-train >/dev/null || { echo "svm-train not found (Debian: libsvm-tools)" >&2; exit 1; }
cd "$(dirname "$0")/.."
WORK=${WORK:-$(mktemp -d)}
mkdir -p "$WORK"
. scripts/lib/timed.sh
echo "work folder $WORK; N=$N train, M=$M test; $(nproc) cores; load: $(load)"
echo "machine: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'); $(date -u +%Y-%m-%dT%H:%MZ); $(go version)"

# Build everything first, so the code measured is the code at the start.
OPENBLAS_LD="-L/usr/lib/x86_64-linux-gnu/openblas-pthread -lopenblas"
go build -o "$WORK/bench-gonum" ./cmd/bench
CGO_LDFLAGS="$OPENBLAS_LD" go build -tags openblas -o "$WORK/bench-openblas" ./cmd/bench
go build -o "$WORK/speed-gonum" scripts/libsvm_speed.go
CGO_LDFLAGS="$OPENBLAS_LD" go build -tags openblas -o "$WORK/speed-openblas" scripts/libsvm_speed.go
echo "code: $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- . || echo ' + uncommitted changes')"
[ -s "$WORK/train.txt" ] && [ -s "$WORK/test.txt" ] || "$WORK/speed-gonum" -dir "$WORK" -n "$N" -m "$M" -export
echo "files: train.txt $(wc -c <"$WORK/train.txt") bytes, test.txt $(wc -c <"$WORK/test.txt") bytes"

ratio() { echo "scale=1; $1 / $2" | bc; }

if [ "${SKIP_LIBSVM:-}" = 1 ] && [ -s "$WORK/times" ] && grep -q '^svm-predict ' "$WORK/times"; then
	grep '^svm-' "$WORK/times" >"$WORK/times.keep"
	mv "$WORK/times.keep" "$WORK/times"
	echo "LIBSVM (earlier run, reused):"
	sed 's/^/  /' "$WORK/times"
else
	: >"$WORK/times"
	echo "LIBSVM 3.24, whole process:"
	timed svm-train svm-train -t 2 -g 0.005 -c 10 -e 0.001 -m 1000 "$WORK/train.txt" "$WORK/libsvm.model"
	timed svm-predict svm-predict "$WORK/test.txt" "$WORK/libsvm.model" "$WORK/libsvm.pred"
fi
LACC=$(sed -n 's/^Accuracy = \([0-9.]*\)%.*/\1/p' "$WORK/svm-predict.out")
echo "  svm-train: $(tail -1 "$WORK/svm-train.out"); model $(wc -c <"$WORK/libsvm.model") bytes; svm-predict: $(cat "$WORK/svm-predict.out")"

status=0
for blas in gonum openblas; do
	echo "bench ($blas), whole process:"
	timed "train-$blas" "$WORK/bench-$blas" train -data "libsvm:$WORK/train.txt" -kernel rbf -gamma 0.005 -C 10 -eps 0.001 -cache 1000 -model "$WORK/cli-$blas.model"
	timed "predict-$blas" "$WORK/bench-$blas" predict -data "libsvm:$WORK/test.txt" -model "$WORK/cli-$blas.model" -out "$WORK/cli-$blas.pred"
	acc=$(awk '/^accuracy/ {printf "%.2f", 100 * $2; exit}' "$WORK/predict-$blas.out")
	svm-predict "$WORK/test.txt" "$WORK/cli-$blas.model" "$WORK/cli-$blas.svm-predict" >/dev/null
	if cmp -s "$WORK/cli-$blas.pred" "$WORK/cli-$blas.svm-predict"; then
		same="svm-predict on our model: same labels"
	else
		same="svm-predict on our model: LABELS DIFFER on $(paste "$WORK/cli-$blas.pred" "$WORK/cli-$blas.svm-predict" | awk '$1 != $2' | wc -l) images"
		status=1
	fi
	if [ "$(echo "d = $acc - $LACC; if (d < 0) d = -d; d <= $TOL" | bc)" = 1 ]; then
		accs="accuracy $acc% (LIBSVM $LACC%)"
	else
		accs="ACCURACY $acc% DIFFERS from LIBSVM's $LACC% by more than $TOL points"
		status=1
	fi
	echo "  model $(wc -c <"$WORK/cli-$blas.model") bytes; $accs; $same"
	echo "  whole-process ratio LIBSVM/ours ($blas): train $(ratio "$(field svm-train 2)" "$(field "train-$blas" 2)")x wall, $(ratio "$(field svm-train 3)" "$(field "train-$blas" 3)")x CPU; predict $(ratio "$(field svm-predict 2)" "$(field "predict-$blas" 2)")x wall, $(ratio "$(field svm-predict 3)" "$(field "predict-$blas" 3)")x CPU"
done

if [ "${SKIP_INPROCESS:-}" != 1 ]; then
	echo "in-process (training and prediction alone, inside one Go process, from binary CIFAR; LIBSVM's figures are its whole process):"
	for blas in gonum openblas; do
		line=$("$WORK/speed-$blas" -dir "$WORK" -n "$N" -m "$M" -libsvm-log "$WORK/svm-train.out")
		train=$(echo "$line" | awk '{print $3}')
		pred=$(echo "$line" | awk '{print $5}')
		traincpu=$(echo "$line" | awk '{print $7}')
		predcpu=$(echo "$line" | awk '{print $9}')
		echo "  $line"
		obj=$(echo "$line" | awk '{for (i = 1; i < NF; i++) if ($i == "max_rel_obj_diff") print $(i+1)}')
		if ! awk -v d="$obj" 'BEGIN{exit !(d != "" && d != "n/a" && d+0 <= 1e-4)}'; then
			echo "  OBJECTIVES DIFFER from svm-train's by $obj relative (want at most 1e-4)"
			status=1
		fi
		echo "  in-process ratio LIBSVM/ours ($blas): train $(ratio "$(field svm-train 2)" "$train")x wall, $(ratio "$(field svm-train 3)" "$traincpu")x CPU; predict $(ratio "$(field svm-predict 2)" "$pred")x wall, $(ratio "$(field svm-predict 3)" "$predcpu")x CPU; load now: $(load)"
	done
fi
[ $status = 0 ] || echo "FAILED: see the lines in capitals above" >&2
exit $status
