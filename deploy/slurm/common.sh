# Shared by grid-array.sbatch and merge.sbatch (sourced, not run).

# svmbench_threads sets GOMAXPROCS to the CPUs Slurm gave the task.
svmbench_threads() {
	export GOMAXPROCS=${SLURM_CPUS_PER_TASK:-${GOMAXPROCS:-1}}
}

# svmbench_mem prints a -mem value, 3/4 of the job's memory allocation in
# MiB, or nothing when the job has no memory limit (bench then uses its
# default: a quarter of the node's physical memory).
svmbench_mem() {
	local mb=""
	if [ -n "${SLURM_MEM_PER_NODE:-}" ]; then
		mb=$SLURM_MEM_PER_NODE
	elif [ -n "${SLURM_MEM_PER_CPU:-}" ]; then
		mb=$((SLURM_MEM_PER_CPU * ${SLURM_CPUS_PER_TASK:-1}))
	fi
	if [ -n "$mb" ] && [ "$mb" -gt 0 ]; then
		echo "$((mb * 3 / 4))MiB"
	fi
}

# verify_data checks the staged data against a sha256sum file before any
# work: $SUMS, else $DATA/SHA256SUMS when DATA is a folder that holds one.
# A task on a node whose copy is stale or torn stops here with exit 1.
verify_data() {
	local sums=${SUMS:-}
	if [ -z "$sums" ] && [ -d "${DATA:-}" ] && [ -f "$DATA/SHA256SUMS" ]; then
		sums=$DATA/SHA256SUMS
	fi
	[ -n "$sums" ] || return 0
	if ! (cd "$(dirname "$sums")" && sha256sum --check --quiet --strict "$(basename "$sums")"); then
		echo "svmbench: data check failed against $sums on $(hostname)" >&2
		exit 1
	fi
}
