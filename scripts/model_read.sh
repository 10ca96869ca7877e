#!/bin/sh
# model_read.sh: issue 10's model-reading goal for one model file, as a user
# runs it: reading the model (svm.Load alone, in its own process) takes at
# most a fifth of `bench predict`'s whole-process time on the test data, in
# peak memory (RSS) at most twice the support vectors' float32 size.
#
# Two processes, timed one after the other with /usr/bin/time (wall, CPU =
# user+system, peak RSS):
#   model_scale -read MODEL                       (scripts/model_scale.go)
#   bench predict -data DATA -model MODEL -out P  (the model's sidecar
#                                                  MODEL.json is used if there)
# then the ratios read/predict (wall and CPU) and read RSS / float32 size.
# Exit status 1 when a goal is missed, 2 on bad usage. Nothing is trained;
# the cost is one model read and one prediction (the 50000-image RBF model,
# 45160 SVs, on the 10000 CIFAR-10 test images: about 2.8e12 flops, tens of
# seconds on 2 cores).
#
# Usage: scripts/model_read.sh MODEL DATA
#   MODEL  a model file written by bench train / bench grid / svm-train
#   DATA   bench predict's -data, e.g. libsvm:test.txt, or auto (the
#          CIFAR-10 test split; needs CIFAR10_DIR)
# Environment: BLAS=openblas builds bench with -tags openblas (default: the
#              default pure-Go build); WORK (folder for binaries and the
#              predictions; default a new temporary one).
#
# Example (the 50000-image RBF model, 2.1 GB of text; the main job keeps
# only the grids' models, so train it first):
#   bench train -kernel rbf -gamma 0.005 -C 10 -mem 12GiB -model M
#   CIFAR10_DIR=/path/to/cifar-10-batches-bin BLAS=openblas scripts/model_read.sh M auto
set -eu
[ $# = 2 ] || { sed -n '2,29p' "$0" >&2; exit 2; }
MODEL=$1
DATA=$2
[ -s "$MODEL" ] || { echo "model_read: $MODEL: no such model file" >&2; exit 2; }
# Paths made absolute before the cd to the repository (a relative MODEL,
# libsvm:FILE, folder or WORK was read from the wrong folder).
abs() { case $1 in /*) echo "$1" ;; *) echo "$PWD/$1" ;; esac; }
MODEL=$(abs "$MODEL")
case $DATA in
libsvm:*) DATA=libsvm:$(abs "${DATA#libsvm:}") ;;
auto | synthetic*) ;;
*) DATA=$(abs "$DATA") ;;
esac
WORK=$(abs "${WORK:-$(mktemp -d)}")
cd "$(dirname "$0")/.."
mkdir -p "$WORK"
. scripts/lib/timed.sh
: >"$WORK/times"
tags=
[ "${BLAS:-}" = openblas ] && tags="-tags openblas"
# shellcheck disable=SC2086 # tags is empty or two words
go build $tags -o "$WORK/bench" ./cmd/bench
go build -o "$WORK/model_scale" scripts/model_scale.go
echo "model $MODEL ($(wc -c <"$MODEL") bytes); data $DATA; bench build: ${BLAS:-default}; $(nproc) cores"
echo "machine: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'); $(date -u +%Y-%m-%dT%H:%MZ); code $(git rev-parse --short HEAD)"

timed read "$WORK/model_scale" -read "$MODEL"
sed 's/^/    /' "$WORK/read.out"
# "... : NSV SVs × D, X MiB of float32; ..." from model_scale -read.
svbytes=$(sed -n 's/.*: \([0-9]*\) SVs × \([0-9]*\),.*/\1 \2/p' "$WORK/read.out" | awk '{print $1 * $2 * 4}')
[ -n "$svbytes" ] || { echo "model_read: cannot read the support vectors' size from model_scale's output" >&2; exit 1; }
timed predict "$WORK/bench" predict -data "$DATA" -model "$MODEL" -out "$WORK/predict.labels"
grep -m1 '^accuracy' "$WORK/predict.out" | sed 's/^/    /' || true

ratio() { echo "scale=3; $1 / $2" | bc; }
rw=$(ratio "$(field read 2)" "$(field predict 2)")
rc=$(ratio "$(field read 3)" "$(field predict 3)")
mem=$(ratio "$(($(field read 4) * 1024))" "$svbytes")
pmem=$(ratio "$(($(field predict 4) * 1024))" "$svbytes")
echo "support vectors as float32: $((svbytes / 1048576)) MiB"
echo "read / bench predict: $rw wall, $rc CPU (goal at most 0.2)"
echo "read peak RSS / float32 size: $mem (goal at most 2); bench predict's peak RSS / float32 size: $pmem"
status=0
if [ "$(echo "$rw <= 0.2" | bc)" != 1 ]; then
	echo "GOAL MISSED: reading takes more than a fifth of bench predict's wall time" >&2
	status=1
fi
if [ "$(echo "$mem <= 2" | bc)" != 1 ]; then
	echo "GOAL MISSED: reading peaks above twice the support vectors' float32 size" >&2
	status=1
fi
exit $status
