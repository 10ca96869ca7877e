#!/bin/sh
# libsvm_speed.sh: svmbench's SVM against LIBSVM, side by side on this machine.
#
# Trains a 10-class C-SVC (RBF γ = 0.005, C = 10, ε = 1e-3) on the first N
# CIFAR-10 training images (pixels/255) and predicts the first M test images,
# with LIBSVM (svm-train -m 1000, svm-predict) and with package svm in the
# default build and with -tags openblas (kernel budget 1000 MiB, as -m 1000).
# Prints each time and the ratios LIBSVM/ours; checks that svm-predict on our
# model gives our labels, and the largest relative difference between the
# per-pair objectives.
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

go run scripts/libsvm_speed.go -dir "$WORK" -n "$N" -m "$M" -export

now() { date +%s.%N; }
if [ "${SKIP_LIBSVM:-}" != 1 ] || [ ! -s "$WORK/libsvm.times" ]; then
	t0=$(now)
	svm-train -t 2 -g 0.005 -c 10 -e 0.001 -m 1000 "$WORK/train.txt" "$WORK/libsvm.model" >"$WORK/libsvm.log"
	t1=$(now)
	svm-predict "$WORK/test.txt" "$WORK/libsvm.model" "$WORK/libsvm.pred" >"$WORK/libsvm.predict.log"
	t2=$(now)
	echo "$(echo "$t1 - $t0" | bc) $(echo "$t2 - $t1" | bc)" >"$WORK/libsvm.times"
fi
read -r LTRAIN LPRED <"$WORK/libsvm.times"
echo "libsvm train_s $LTRAIN predict_s $LPRED (including reading the text files); $(tail -1 "$WORK/libsvm.log"); $(cat "$WORK/libsvm.predict.log")"

for tags in "" openblas; do
	if [ -n "$tags" ]; then
		line=$(CGO_LDFLAGS="-L/usr/lib/x86_64-linux-gnu/openblas-pthread -lopenblas" go run -tags "$tags" scripts/libsvm_speed.go -dir "$WORK" -n "$N" -m "$M" -libsvm-log "$WORK/libsvm.log")
	else
		line=$(go run scripts/libsvm_speed.go -dir "$WORK" -n "$N" -m "$M" -libsvm-log "$WORK/libsvm.log")
	fi
	echo "$line"
	name=$(echo "$line" | cut -d' ' -f1)
	train=$(echo "$line" | awk '{print $3}')
	pred=$(echo "$line" | awk '{print $5}')
	svm-predict "$WORK/test.txt" "$WORK/$name.model" "$WORK/$name.svm-predict" >/dev/null
	if cmp -s "$WORK/$name.pred" "$WORK/$name.svm-predict"; then same="svm-predict on our model: same labels"; else same="svm-predict on our model: LABELS DIFFER"; fi
	agree=$(paste "$WORK/$name.pred" "$WORK/libsvm.pred" | awk '$1==$2{s++} END{printf "%.2f%%", 100*s/NR}')
	echo "$name: train ratio libsvm/ours $(echo "scale=1; $LTRAIN / $train" | bc)x, predict ratio $(echo "scale=1; $LPRED / $pred" | bc)x; $same; predictions equal to LIBSVM's on $agree"
done
