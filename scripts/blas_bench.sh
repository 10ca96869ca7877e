#!/usr/bin/env bash
# blas_bench.sh: the Gram engine's benchmarks in both builds, side by side,
# with the ratios docs/measurements.md (Gram engine) reports.
#
#   scripts/blas_bench.sh [OUTDIR] [BENCHTIME] [COUNT]
#
# Runs BenchmarkGram1024x3072, BenchmarkGram4096x3072 and
# BenchmarkColumns64x5000x3072 in the default (pure Go) build and with
# -tags openblas, COUNT rounds (default 3) that alternate the two builds, so
# that a change in the machine's load hits both, each with -benchtime
# BENCHTIME (default 1x). It writes the raw `go test` output to OUTDIR
# (default a new temporary directory) and prints, per benchmark and build,
# the median of each sub-benchmark and the ratios engine/sgemm-1goroutine
# (the single-goroutine baseline) and engine/sgemm (the BLAS's own
# multi-threaded rate), for three rates: effective GFLOP/s of wall time and
# effective GFLOP per CPU-second of the process, both crediting 2·m·n·d per
# m×n product whether computed or mirrored (the engine computes a symmetric
# Gram's lower triangle only, about half of that), and GFLOP actually done
# per CPU-second (the work per core; less sensitive to other work on the
# machine). Only the last compares what each core does.
# Needs libopenblas-dev for the second build; about 5 minutes on 2 idle cores.
set -euo pipefail
cd "$(dirname "$0")/.."

out=${1:-$(mktemp -d)}
benchtime=${2:-1x}
count=${3:-3}
mkdir -p "$out"

run() { # build-name, extra go flags...
	local name=$1
	shift
	echo "# $(date -u +%FT%TZ) go test $* -bench 'Gram(1024|4096)x3072|Columns64x5000x3072' -benchtime $benchtime" >>"$out/$name.txt"
	go test "$@" -run '^$' -bench 'Gram(1024|4096)x3072|Columns64x5000x3072' \
		-benchtime "$benchtime" ./kernels/ >>"$out/$name.txt"
}

: >"$out/default.txt"
: >"$out/openblas.txt"
for ((r = 1; r <= count; r++)); do
	run default
	run openblas -tags openblas
done

summarise() { # build-name, unit
	awk -v build="$1" -v unit="$2" '
	/^Benchmark/ {
		split($1, p, "/"); bench = p[1]; sub(/-[0-9]+$/, "", p[2]); sb = p[2]
		v = ""
		for (i = 1; i < NF; i++) if ($(i+1) == unit) v = $i
		if (v == "") next
		key = bench SUBSEP sb
		n[key]++; vals[key, n[key]] = v
		if (!(bench in seen)) { seen[bench] = 1; order[++nb] = bench }
		if (!((bench, sb) in seensub)) { seensub[bench, sb] = 1; subs[bench] = subs[bench] " " sb }
	}
	function median(key,   m, i, j, t, a) {
		m = n[key]
		for (i = 1; i <= m; i++) a[i] = vals[key, i]
		for (i = 1; i <= m; i++) for (j = i + 1; j <= m; j++) if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
		return (m % 2) ? a[(m + 1) / 2] : (a[m / 2] + a[m / 2 + 1]) / 2
	}
	END {
		for (b = 1; b <= nb; b++) {
			bench = order[b]
			line = sprintf("| %s | %s |", bench, build)
			ns = split(subs[bench], s, " ")
			for (i = 1; i <= ns; i++) {
				med[s[i]] = median(bench SUBSEP s[i])
				line = line sprintf(" %s %.1f", s[i], med[s[i]])
			}
			line = line sprintf(" | %.2f× | %.2f× |", med["engine"] / med["sgemm-1goroutine"], med["engine"] / med["sgemm"])
			print line
			delete med
		}
	}' "$out/$1.txt"
}

echo "raw output in $out"
for unit in eff-GFLOP/s eff-GFLOP/cpu-s done-GFLOP/cpu-s; do
	echo
	echo "| benchmark | build | median $unit over $count rounds | engine / sgemm-1goroutine | engine / sgemm |"
	echo "|---|---|---|---|---|"
	summarise default "$unit"
	summarise openblas "$unit"
done
