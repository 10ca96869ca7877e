#!/bin/sh
# libsvm_speed.sh: svmbench's SVM against LIBSVM, side by side on this machine.
#
# Trains a 10-class C-SVC (RBF γ = 0.005, C = 10, ε = 1e-3) on the first N
# CIFAR-10 training images (pixels/255) and predicts the first M test images,
# with LIBSVM (svm-train -m 1000, svm-predict) and with package svm in the
# default build and with -tags openblas (kernel budget 1000 MiB, as -m 1000).
# Prints each time (wall and user+system CPU seconds) and the ratios
# LIBSVM/ours; checks that svm-predict on our model gives our labels, and
# the largest relative difference between the per-pair objectives. On a
# shared machine the wall times depend on the load (printed); the CPU times
# much less. LIBSVM uses one core, we use GOMAXPROCS (all of them), so on an
# idle machine our wall time is about our CPU time / cores.
#
# Usage: CIFAR10_DIR=/path/to/cifar-10-batches-bin scripts/libsvm_speed.sh [N [M]]
# Environment: WORK (work folder, default a new temporary one),
#              SKIP_LIBSVM=1 reuses the LIBSVM times in $WORK/libsvm.times.
set -eu
N=${1:-5000}
M=${2:-2000}
: "${CIFAR10_DIR:?set CIFAR10_DIR to the CIFAR-10 binary folder}"
command -v svm-train >/dev/null || { echo "svm-train not found (Debian: libsvm-tools)" >&2; exit 1; }
cd "$(dirname "$0")/.."
WORK=${WORK:-$(mktemp -d)}
mkdir -p "$WORK"
echo "work folder $WORK; N=$N train, M=$M test; $(nproc) cores; load: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "machine: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'); $(date -u +%Y-%m-%dT%H:%MZ); $(go version)"

# Build both helpers first, so the code measured is the code at the start.
go build -o "$WORK/speed-gonum" scripts/libsvm_speed.go
CGO_LDFLAGS="-L/usr/lib/x86_64-linux-gnu/openblas-pthread -lopenblas" go build -tags openblas -o "$WORK/speed-openblas" scripts/libsvm_speed.go
echo "code: $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- svm kernels internal scripts/libsvm_speed.go || echo ' + uncommitted changes')"
"$WORK/speed-gonum" -dir "$WORK" -n "$N" -m "$M" -export

# timed CMD...: runs CMD, appends "wall user+sys" seconds to $TIMES.
timed() {
	/usr/bin/time -f "%e %U %S" -o "$WORK/time.tmp" "$@"
	awk '{printf "%s %.2f\n", $1, $2+$3}' "$WORK/time.tmp" >>"$TIMES"
}
if [ "${SKIP_LIBSVM:-}" != 1 ] || [ ! -s "$WORK/libsvm.times" ]; then
	TIMES="$WORK/libsvm.times.tmp"
	: >"$TIMES"
	timed svm-train -t 2 -g 0.005 -c 10 -e 0.001 -m 1000 "$WORK/train.txt" "$WORK/libsvm.model" >"$WORK/libsvm.log"
	timed svm-predict "$WORK/test.txt" "$WORK/libsvm.model" "$WORK/libsvm.pred" >"$WORK/libsvm.predict.log"
	tr '\n' ' ' <"$TIMES" >"$WORK/libsvm.times"
	echo >>"$WORK/libsvm.times"
	rm -f "$TIMES"
fi
read -r LTRAIN LTRAINCPU LPRED LPREDCPU <"$WORK/libsvm.times"
echo "libsvm train_s $LTRAIN predict_s $LPRED train_cpu_s $LTRAINCPU predict_cpu_s $LPREDCPU (including reading the text files); $(tail -1 "$WORK/libsvm.log"); $(cat "$WORK/libsvm.predict.log"); load now: $(cut -d' ' -f1-3 /proc/loadavg)"

for blas in gonum openblas; do
	line=$("$WORK/speed-$blas" -dir "$WORK" -n "$N" -m "$M" -libsvm-log "$WORK/libsvm.log")
	echo "$line"
	name=$(echo "$line" | cut -d' ' -f1)
	train=$(echo "$line" | awk '{print $3}')
	pred=$(echo "$line" | awk '{print $5}')
	traincpu=$(echo "$line" | awk '{print $7}')
	predcpu=$(echo "$line" | awk '{print $9}')
	svm-predict "$WORK/test.txt" "$WORK/$name.model" "$WORK/$name.svm-predict" >/dev/null
	if cmp -s "$WORK/$name.pred" "$WORK/$name.svm-predict"; then same="svm-predict on our model: same labels"; else same="svm-predict on our model: LABELS DIFFER"; fi
	agree=$(paste "$WORK/$name.pred" "$WORK/libsvm.pred" | awk '$1==$2{s++} END{printf "%.2f%%", 100*s/NR}')
	echo "$name: wall-time ratio libsvm/ours: train $(echo "scale=1; $LTRAIN / $train" | bc)x, predict $(echo "scale=1; $LPRED / $pred" | bc)x; CPU-time ratio: train $(echo "scale=1; $LTRAINCPU / $traincpu" | bc)x, predict $(echo "scale=1; $LPREDCPU / $predcpu" | bc)x; $same; predictions equal to LIBSVM's on $agree; load now: $(cut -d' ' -f1-3 /proc/loadavg)"
done
