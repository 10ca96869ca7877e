#!/usr/bin/env bash
# grid_speed.sh: the grid-search speed harness of the bench issue.
#
# A 5-fold cross-validated sigmoid grid of 4 α × 4 c × 2 C = 32 cells on N
# (default 2000) CIFAR-10 training images, pixels/255, run two ways on the
# same data and parameters:
#   ours:   bench grid (inner products once, every cell and fold from them),
#           timed as a whole command (data loading and features included);
#   LIBSVM: svm-train -v 5 per cell (each cell recomputes every kernel
#           value). All 32 cells take over an hour here, so the script times
#           LIBSVM_CELLS cells (default 2, spread over the grid), and
#           estimates the whole grid as their mean time × 32; it says so.
# It prints both CV accuracies per timed cell, the times and the ratio.
#
# Usage: scripts/grid_speed.sh            (CIFAR10_DIR or the cache, as -data auto)
#        N=1000 LIBSVM_CELLS=3 TAGS="-tags openblas" scripts/grid_speed.sh
# Needs: go, svm-train (Debian libsvm-tools), python3.
set -euo pipefail
cd "$(dirname "$0")/.."

N=${N:-2000}
LIBSVM_CELLS=${LIBSVM_CELLS:-2}
DATA=${DATA:-auto}
TAGS=${TAGS:-}
ALPHA="2^-15:2^-9:2"   # 4 values: 2^-15, 2^-13, 2^-11, 2^-9
COEF0="-1.5:0:0.5"     # 4 values: -1.5, -1, -0.5, 0
CS="2,8"               # 2 values
CELLS=32

command -v svm-train >/dev/null || { echo "grid_speed: svm-train not found (apt-get install libsvm-tools)" >&2; exit 1; }
work=$(mktemp -d "${TMPDIR:-/tmp}/grid_speed.XXXXXX")
trap 'rm -rf "$work"' EXIT

echo "# grid_speed: $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //'), load $(cut -d' ' -f1-3 /proc/loadavg)"
# shellcheck disable=SC2086
go build $TAGS -o "$work/bench" ./cmd/bench
common=(-data "$DATA" -train "$N" -test 1000 -seed 1 -features pixels)

"$work/bench" grid "${common[@]}" -export-libsvm "$work/train.libsvm" >/dev/null

# timed runs a command and sets wall and cpu (user+sys, children included) in seconds.
timed() {
	local TIMEFORMAT='%R %U %S' t
	t=$({ time "$@" >/dev/null 2>&1; } 2>&1 | tail -1) || return 1
	read -r wall u s <<<"$t"
	cpu=$(python3 -c "print(f'{$u+$s:.1f}')")
}

timed "$work/bench" grid "${common[@]}" -kernel sigmoid -alpha "$ALPHA" -coef0 "$COEF0" -C "$CS" -folds 5 \
	-out "$work/grid" -no-retrain
ours=$wall
ours_cpu=$cpu
"$work/bench" grid "${common[@]}" -kernel sigmoid -alpha "$ALPHA" -coef0 "$COEF0" -C "$CS" -folds 5 \
	-out "$work/grid" -resume -no-retrain >"$work/grid.txt" 2>/dev/null   # all cells found: prints the table
echo "ours: bench grid, $CELLS cells × 5 folds on $N images: $ours s wall, $ours_cpu s CPU (whole command: data, features, grid; GOMAXPROCS=$(nproc))"

# LIBSVM on LIBSVM_CELLS cells spread over the cell order (and over C).
python3 - "$work/grid/grid-sigmoid-pixels.jsonl" "$LIBSVM_CELLS" >"$work/cells.txt" <<'PY'
import json, sys
cells = sorted((json.loads(l) for l in open(sys.argv[1])), key=lambda c: c["cell"])
k = int(sys.argv[2])
step = len(cells) / k
for i in range(k):
    # Spread over the order; odd i one cell later, so both C values are timed.
    c = cells[min(int(i * step + step / 2) + i % 2, len(cells) - 1)]
    print(c["cell"], repr(c["alpha"]), repr(c["coef0"]), repr(c["C"]), c["cv_accuracy"])
PY
total=0
total_cpu=0
printf '%-5s %-12s %-6s %-4s %-10s %-12s %-10s %s\n' cell alpha coef0 C "ours CV%" "LIBSVM CV%" "LIBSVM s" "LIBSVM CPU s"
while read -r idx a c0 cc acc; do
	timed sh -c "svm-train -q -v 5 -m 1000 -t 3 -g '$a' -r '$c0' -c '$cc' '$work/train.libsvm' >'$work/libsvm.out'"
	total=$(python3 -c "print($total+$wall)")
	total_cpu=$(python3 -c "print($total_cpu+$cpu)")
	lib=$(sed -n 's/.*Accuracy = \([0-9.]*\)%.*/\1/p' "$work/libsvm.out")
	printf '%-5s %-12.6g %-6s %-4s %-10.2f %-12s %-10s %s\n' "$idx" "$a" "$c0" "$cc" "$(python3 -c "print(100*$acc)")" "$lib" "$wall" "$cpu"
done <"$work/cells.txt"
est=$(python3 -c "print(f'{$total/$LIBSVM_CELLS*$CELLS:.0f}')")
est_cpu=$(python3 -c "print(f'{$total_cpu/$LIBSVM_CELLS*$CELLS:.0f}')")
ratio=$(python3 -c "print(f'{$total/$LIBSVM_CELLS*$CELLS/$ours:.0f}')")
ratio_cpu=$(python3 -c "print(f'{$total_cpu/$LIBSVM_CELLS*$CELLS/$ours_cpu:.0f}')")
echo "LIBSVM: svm-train -v 5 -m 1000 (one thread): $LIBSVM_CELLS cells timed, mean $(python3 -c "print(f'{$total/$LIBSVM_CELLS:.1f}')") s a cell;" \
	"whole grid estimated as mean × $CELLS = $est s wall, $est_cpu s CPU"
echo "ratio: ${ratio}× in wall time, ${ratio_cpu}× in CPU time (LIBSVM estimate / ours)"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "best cell of our grid:"
awk 'NR == 1 || /\*[[:space:]]*$/' "$work/grid.txt"
