#!/bin/bash
# A real Slurm test of deploy/slurm: starts a one-node Slurm on this machine
# (munged, slurmctld and slurmd as root, two CPUs), submits a 4-task job array
# of a small sigmoid grid plus its merge job with deploy/slurm/submit.sh, and
# checks that the merged journal, best file and model equal those of the same
# grid run in one process. Then it tears shard 1's journal, resubmits only
# index 1 (-retry 1) and checks that the task resumes and the merge again
# equals the single-process grid. It stops the daemons it started.
#
#   scripts/slurm_test.sh            # exit 0 on success or skip, 1 on failure
#
# Skips (exit 0, with a message) when not root or when Slurm or munge is not
# installed (.ci/run installs Debian's slurm-wlm and munge).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

skip() { echo "slurm_test: SKIP: $*"; exit 0; }
[ "$(id -u)" = 0 ] || skip "needs root to run slurmctld and slurmd"
for c in slurmctld slurmd munged sbatch scontrol python3; do
	command -v $c >/dev/null || skip "$c not installed (apt-get install slurm-wlm munge)"
done

tmp=$(mktemp -d /tmp/svmbench-slurm.XXXXXX)
pids=()
cleanup() {
	local rc=$?
	[ -n "${SLURM_CONF:-}" ] && scancel --quiet --user=root 2>/dev/null || true
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
	sleep 1
	for p in "${pids[@]}"; do kill -9 "$p" 2>/dev/null || true; done
	rm -rf "$tmp"
	exit $rc
}
trap cleanup EXIT
fail() {
	echo "slurm_test: FAIL: $*" >&2
	for f in "$tmp"/slurm/*.log "$tmp"/out/logs/*; do
		[ -f "$f" ] && { echo "----- $f"; tail -40 "$f"; } >&2
	done
	exit 1
}

# --- the binary and the data: LIBSVM files with labels 1..3, and their sums
mkdir -p "$tmp/bin" "$tmp/data" "$tmp/slurm/state" "$tmp/slurm/spool"
go build -o "$tmp/bin/bench" ./cmd/bench
awk -v n=240 -v seed=7 -f /dev/stdin > "$tmp/data/train.txt" <<'AWK'
BEGIN { srand(seed); for (i = 0; i < n; i++) { y = i % 3 + 1; line = y
  for (j = 1; j <= 12; j++) { v = (j % 3 + 1 == y ? 0.25 : 0) + rand(); line = line " " j ":" sprintf("%.4f", v) }
  print line } }
AWK
awk -v n=90 -v seed=8 -f /dev/stdin > "$tmp/data/test.txt" <<'AWK'
BEGIN { srand(seed); for (i = 0; i < n; i++) { y = i % 3 + 1; line = y
  for (j = 1; j <= 12; j++) { v = (j % 3 + 1 == y ? 0.25 : 0) + rand(); line = line " " j ":" sprintf("%.4f", v) }
  print line } }
AWK
(cd "$tmp/data" && sha256sum train.txt test.txt > SHA256SUMS)
data="libsvm:$tmp/data/train.txt,$tmp/data/test.txt"
flags=(-kernel sigmoid -alpha 2^-4,2^-2 -coef0 -0.5,0 -C 1,8 -folds 3 -seed 1 -eps 1e-4)

# --- a one-node Slurm of our own (its own ports, config and state)
host=$(hostname)
port=$((20000 + RANDOM % 20000))
export SLURM_CONF=$tmp/slurm/slurm.conf
cat > "$SLURM_CONF" <<CONF
ClusterName=svmbenchtest
SlurmctldHost=$host
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
MpiDefault=none
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU_Memory
SchedulerType=sched/builtin
ReturnToService=2
SlurmctldPort=$port
SlurmdPort=$((port + 1))
SlurmctldPidFile=$tmp/slurm/slurmctld.pid
SlurmdPidFile=$tmp/slurm/slurmd.pid
StateSaveLocation=$tmp/slurm/state
SlurmdSpoolDir=$tmp/slurm/spool
SlurmctldLogFile=$tmp/slurm/slurmctld.log
SlurmdLogFile=$tmp/slurm/slurmd.log
NodeName=$host CPUs=2 RealMemory=4000 State=UNKNOWN
PartitionName=test Nodes=ALL Default=YES MaxTime=INFINITE State=UP
CONF
if ! munge -n 2>/dev/null | unmunge >/dev/null 2>&1; then
	mkdir -p /run/munge /var/log/munge /var/lib/munge /etc/munge
	chown munge:munge /run/munge /var/log/munge /var/lib/munge
	[ -s /etc/munge/munge.key ] || { dd if=/dev/urandom of=/etc/munge/munge.key bs=1024 count=1 2>/dev/null; chown munge:munge /etc/munge/munge.key; chmod 400 /etc/munge/munge.key; }
	su -s /bin/sh munge -c "munged" || fail "munged did not start"
	sleep 1
	pids+=("$(cat /run/munge/munged.pid)")
	munge -n | unmunge >/dev/null || fail "munge does not work"
fi
slurmctld -D -i -f "$SLURM_CONF" > "$tmp/slurm/slurmctld.stdout.log" 2>&1 & pids+=($!)
slurmd -D -f "$SLURM_CONF" > "$tmp/slurm/slurmd.stdout.log" 2>&1 & pids+=($!)
for _ in $(seq 60); do
	state=$(sinfo -h -o %T 2>/dev/null || true)
	[ "$state" = idle ] && break
	sleep 0.5
done
[ "$state" = idle ] || fail "the node did not become idle within 30 s (state '$state')"
echo "slurm_test: one-node Slurm up on $host:$port"

# waitjobs ID... waits (at most 180 s) until the jobs have ended, and fails
# unless every task of each is COMPLETED.
waitjobs() {
	local deadline=$((SECONDS + 180)) id states
	for id in "$@"; do
		while :; do
			states=$(scontrol -o show job "$id" 2>/dev/null | grep -o 'JobState=[A-Z_]*' | sort -u | tr '\n' ' ')
			case $states in
			*PENDING* | *RUNNING* | *CONFIGURING* | *COMPLETING* | "") ;;
			"JobState=COMPLETED ") break ;;
			*) fail "job $id ended as: $states" ;;
			esac
			[ $SECONDS -lt $deadline ] || fail "job $id did not finish within 180 s ($states)"
			sleep 0.5
		done
	done
}

# submitted ARGS... runs submit.sh and prints "ARRAY MERGE".
submitted() {
	local line
	line=$(deploy/slurm/submit.sh -n 4 -out "$tmp/out" -data "$data" -bench "$tmp/bin/bench" -cpus 1 -mem 500M "$@" -- "${flags[@]}")
	echo "$line" >&2
	echo "$line" | sed -E 's/^array ([0-9]+) .* merge ([0-9]+) .*/\1 \2/'
}

# --- the reference: the same grid in one process
"$tmp/bin/bench" grid -data "$data" "${flags[@]}" -out "$tmp/ref" > "$tmp/ref.log" 2>&1 || { cat "$tmp/ref.log"; fail "single-process grid"; }

compare() {
	python3 - "$tmp/ref" "$tmp/out/merged" <<'PY' || fail "merged results differ from the single-process grid"
import json, sys, glob, os, hashlib
ref, got = sys.argv[1], sys.argv[2]
def cells(d):
    [f] = glob.glob(os.path.join(d, "grid-*.jsonl"))
    out = {}
    for line in open(f):
        c = json.loads(line)
        c.pop("seconds", None)  # wall time: the only field that may differ
        for k in [k for k in c if "iter" in k or "warm" in k]: c.pop(k)
        out[c["cell"]] = c
    return os.path.basename(f), out
def best(d):
    [f] = glob.glob(os.path.join(d, "best-*.json"))
    b = json.load(open(f))
    b["cell"].pop("seconds", None)
    for k in [k for k in b["cell"] if "iter" in k or "warm" in k]: b["cell"].pop(k)
    return {k: b[k] for k in ("cell", "grid_cells", "model", "test_accuracy", "n_sv", "retrained")}
def model(d):
    [f] = glob.glob(os.path.join(d, "svm-*.model"))
    return hashlib.sha256(open(f, "rb").read()).hexdigest()
(rn, rc), (gn, gc) = cells(ref), cells(got)
bad = []
if rn != gn: bad.append(f"journal {gn}, want {rn}")
if rc != gc: bad.append(f"cells differ:\n ref {sorted(rc.items())}\n got {sorted(gc.items())}")
if best(ref) != best(got): bad.append(f"best differs:\n ref {best(ref)}\n got {best(got)}")
if model(ref) != model(got): bad.append("model files differ")
if bad:
    print("\n".join(bad)); sys.exit(1)
print(f"slurm_test: merged = single process ({len(gc)} cells, best cell {best(got)['cell']['cell']}, model identical)")
PY
}

# --- the array and its merge job
read -r aid mid < <(submitted)
waitjobs "$aid" "$mid"
for i in 0 1 2 3; do
	[ "$(wc -l < "$tmp/out/shard-$i/grid-sigmoid-pixels.jsonl")" = 2 ] || fail "shard $i does not hold its 2 cells"
done
compare

# --- a failed task: tear shard 1's journal, resubmit only index 1
head -n 1 "$tmp/out/shard-1/grid-sigmoid-pixels.jsonl" > "$tmp/torn" && mv "$tmp/torn" "$tmp/out/shard-1/grid-sigmoid-pixels.jsonl"
rm -rf "$tmp/out/merged"
read -r aid mid < <(submitted -retry 1)
waitjobs "$aid" "$mid"
log=$(ls "$tmp/out/logs/grid-${aid}_1.out")
grep -q "1 of 2 cells found in the journal" "$log" || fail "the resubmitted task did not resume from its journal: $(cat "$log")"
[ "$(wc -l < "$tmp/out/shard-1/grid-sigmoid-pixels.jsonl")" = 2 ] || fail "shard 1 was not completed on retry"
compare
echo "slurm_test: PASS"
