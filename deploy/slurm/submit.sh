#!/bin/bash
# Submits a sharded svmbench grid to Slurm: a job array of N shards and a
# merge job that runs when every task has succeeded (--dependency=afterok).
#
#   deploy/slurm/submit.sh -n 4 -out /shared/grid -data /shared/cifar-10-batches-bin \
#       [-bench /shared/bin/bench] [-cpus 2] [-mem 4G] [-time 04:00:00] [-partition P] \
#       [-retry I[,J...]] [-print] -- -train 5000 -test 1000 -seed 1 -kernel sigmoid ...
#
# Everything after -- is the grid's flags, passed unchanged to every task and
# to the merge job (do not pass -out, -shard or -resume: the scripts set them).
# -retry I resubmits only shard I (after a task failed; it resumes from its
# journal) and a new merge job that waits for it. -print shows the sbatch
# commands instead of running them. Prints the array and merge job IDs.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
n="" out="" data=auto bench=$(command -v bench || true) cpus=1 mem="" time="" partition="" retry="" print=0
usage() { sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
while [ $# -gt 0 ]; do
	case $1 in
	-n) n=$2; shift 2 ;;
	-out) out=$2; shift 2 ;;
	-data) data=$2; shift 2 ;;
	-bench) bench=$2; shift 2 ;;
	-cpus) cpus=$2; shift 2 ;;
	-mem) mem=$2; shift 2 ;;
	-time) time=$2; shift 2 ;;
	-partition) partition=$2; shift 2 ;;
	-retry) retry=$2; shift 2 ;;
	-print) print=1; shift ;;
	--) shift; break ;;
	-h | -help | --help) usage ;;
	*) echo "submit: unknown option $1 (grid flags go after --)" >&2; usage ;;
	esac
done
[[ $n =~ ^[1-9][0-9]*$ ]] || { echo "submit: -n N (the number of shards, ≥ 1) is required" >&2; exit 2; }
[ -n "$out" ] || { echo "submit: -out DIR (on the shared filesystem) is required" >&2; exit 2; }
[ -n "$bench" ] && [ -x "$bench" ] || { echo "submit: -bench PATH: no executable bench binary (got '${bench}')" >&2; exit 2; }
for f in "$@"; do
	case $f in -out | -out=* | -shard | -shard=* | -resume | -resume=*)
		echo "submit: $f is set by the scripts; pass only the grid's own flags after --" >&2; exit 2 ;;
	esac
done
array=0-$((n - 1))
if [ -n "$retry" ]; then
	for i in ${retry//,/ }; do
		[[ $i =~ ^[0-9]+$ ]] && [ "$i" -lt "$n" ] || { echo "submit: -retry $i is not a shard index below -n $n" >&2; exit 2; }
	done
	array=$retry
fi

export SHARDS=$n OUT=$out DATA=$data BENCH=$bench GRID_FLAGS="$*" SVMBENCH_SLURM_DIR=$here
opts=(--export=ALL --cpus-per-task="$cpus")
[ -z "$mem" ] || opts+=(--mem="$mem")
[ -z "$time" ] || opts+=(--time="$time")
[ -z "$partition" ] || opts+=(--partition="$partition")
mkdir -p "$out/logs"
grid=(sbatch --parsable --array="$array" "${opts[@]}" --output="$out/logs/grid-%A_%a.out" "$here/grid-array.sbatch")
if [ $print = 1 ]; then
	echo "SHARDS=$n OUT=$out DATA=$data BENCH=$bench GRID_FLAGS='$*' SVMBENCH_SLURM_DIR=$here \\"
	echo "  ${grid[*]}"
	echo "  sbatch --parsable --dependency=afterok:ARRAY_JOB_ID ${opts[*]} --output=$out/logs/merge-%j.out $here/merge.sbatch"
	exit 0
fi
aid=$("${grid[@]}")
aid=${aid%%;*}
mid=$(sbatch --parsable --dependency=afterok:"$aid" --kill-on-invalid-dep=yes "${opts[@]}" \
	--output="$out/logs/merge-%j.out" "$here/merge.sbatch")
mid=${mid%%;*}
echo "array $aid (shards $array of $n), merge $mid (after the array succeeds); logs in $out/logs"
