#!/usr/bin/env bash
# blas_bench.sh: the Gram engine's benchmarks in both builds, side by side,
# with the ratios the kernels README section reports.
#
#   scripts/blas_bench.sh [OUTDIR] [BENCHTIME] [COUNT]
#
# Runs BenchmarkGram1024x3072, BenchmarkGram4096x3072 and
# BenchmarkColumns64x5000x3072 in the default (pure Go) build and with
# -tags openblas, COUNT times each (default 3) with -benchtime BENCHTIME
# (default 2x), writes the raw `go test` output to OUTDIR (default a new
# temporary directory) and prints, per benchmark and build, the median
# GFLOP/s of each sub-benchmark and the ratios engine/sgemm-1goroutine
# (the single-goroutine baseline) and engine/sgemm (the BLAS's own
# multi-threaded rate). GFLOP/s counts 2·m·n·d per product, computed or not.
# Needs libopenblas-dev for the second build; about 5 minutes on 2 idle cores.
set -euo pipefail
cd "$(dirname "$0")/.."

out=${1:-$(mktemp -d)}
benchtime=${2:-2x}
count=${3:-3}
mkdir -p "$out"

run() { # build-name, extra go flags...
	local name=$1
	shift
	echo "# $(date -u +%FT%TZ) go test $* -bench Gram|Columns -benchtime $benchtime -count $count" >"$out/$name.txt"
	go test "$@" -run '^$' -bench 'Gram(1024|4096)x3072|Columns64x5000x3072' \
		-benchtime "$benchtime" -count "$count" ./kernels/ >>"$out/$name.txt"
}

run default
run openblas -tags openblas

summarise() {
	awk -v build="$1" '
	/^Benchmark/ {
		split($1, p, "/"); bench = p[1]; sub(/-[0-9]+$/, "", p[2]); sb = p[2]
		for (i = 1; i <= NF; i++) if ($(i+1) == "GFLOP/s") v = $i
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
			line = line " |"
			if (med["sgemm-1goroutine"] > 0) line = line sprintf(" %.2f× |", med["engine"] / med["sgemm-1goroutine"])
			if (med["sgemm"] > 0) line = line sprintf(" %.2f× |", med["engine"] / med["sgemm"])
			print line
			delete med
		}
	}' "$out/$1.txt"
}

echo "raw output in $out"
echo "| benchmark | build | median GFLOP/s | engine / sgemm-1goroutine | engine / sgemm |"
echo "|---|---|---|---|---|"
summarise default
summarise openblas
