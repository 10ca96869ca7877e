#!/bin/sh
# cnn_compare.sh: time the seed CNN recipe side by side in Go (default
# build, -tags openblas) and PyTorch on the same images, in turn.
#
#   scripts/cnn_compare.sh [-variant fixed|seed] [-train N] [-test M] [-epochs E] [-rounds R]
#
# Needs CIFAR10_DIR (a folder of CIFAR-10 binary batches), Go, cgo with
# libopenblas-dev, and /usr/bin/python3 with torch (Debian python3-torch).
# Prints each tool's per-epoch lines and, from /usr/bin/time, the wall and
# CPU time of each whole process, plus the load average at each start.
# With -train/-test, bench cnn takes a balanced seeded subset and the
# PyTorch script the first N images: the same amount of work, not the same
# images (accuracies after a partial run are not comparable; times are).
set -eu
variant=fixed train=10000 test=1000 epochs=1 rounds=2
while [ $# -gt 0 ]; do
	case "$1" in
	-variant) variant=$2; shift 2 ;;
	-train) train=$2; shift 2 ;;
	-test) test=$2; shift 2 ;;
	-epochs) epochs=$2; shift 2 ;;
	-rounds) rounds=$2; shift 2 ;;
	*) echo "usage: $0 [-variant fixed|seed] [-train N] [-test M] [-epochs E] [-rounds R]" >&2; exit 2 ;;
	esac
done
: "${CIFAR10_DIR:?set CIFAR10_DIR to the folder of CIFAR-10 binary batches}"
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$root" && go build -o "$work/bench-gonum" ./cmd/bench && go build -tags openblas -o "$work/bench-openblas" ./cmd/bench)
T='/usr/bin/time -f'
F='process: wall %e s, user %U s, sys %S s'
r=1
while [ $r -le "$rounds" ]; do
	for blas in gonum openblas; do
		echo "== round $r: Go ($blas) $(date -u +%T) load $(cut -d' ' -f1 /proc/loadavg)"
		$T "$F" "$work/bench-$blas" cnn -variant "$variant" -data "$CIFAR10_DIR" -epochs "$epochs" \
			-train "$train" -test "$test" -out "$work/out-$blas-$r" 2>&1 | grep -v '^epoch [0-9]*/\|^read'
	done
	echo "== round $r: PyTorch $(date -u +%T) load $(cut -d' ' -f1 /proc/loadavg)"
	$T "$F" /usr/bin/python3 "$root/scripts/torch_cnn.py" -data "$CIFAR10_DIR" -variant "$variant" \
		-epochs "$epochs" -train "$train" -test "$test" 2>&1
	r=$((r + 1))
done
