#!/bin/bash
# Offline checks of deploy/: the Kubernetes manifests are well-formed YAML
# (yamllint) and consistent with each other and with the Slurm path
# (deploy/slurm): the same grid flags in the Indexed Job, the merge Job and
# deploy/README.md's Slurm command; completions = parallelism = SHARDS; every
# container checks the data's SHA256SUMS first; GOMAXPROCS = the CPUs
# requested; -mem below the memory limit. No cluster is contacted.
# Exits 1 on the first inconsistency; skips (exit 0) without yamllint or PyYAML.
set -euo pipefail
cd "$(dirname "$0")/.."
py=/usr/bin/python3
command -v yamllint >/dev/null || { echo "deploy_check: SKIP: yamllint not installed"; exit 0; }
$py -c 'import yaml' 2>/dev/null || { echo "deploy_check: SKIP: python3-yaml not installed"; exit 0; }
yamllint -d '{extends: relaxed, rules: {line-length: {max: 120}}}' deploy/*.yaml
bash -n deploy/slurm/*.sh deploy/slurm/*.sbatch
$py - <<'PY'
import re, shlex, sys, yaml

def fail(msg):
    print("deploy_check: FAIL: " + msg); sys.exit(1)

def grid_flags(cmd, where):
    """The grid's own flags in a shell command: after 'bench grid', without
    -shard, -out, -resume and -mem (which differ by design)."""
    words = shlex.split(cmd.replace("\n", " "))
    try:
        i = max(k for k, w in enumerate(words) if w.endswith("bench") and words[k + 1] == "grid")
    except ValueError:
        fail(f"{where}: no 'bench grid' command")
    out, rest = [], words[i + 2:]
    k = 0
    while k < len(rest):
        w = rest[k]
        if w in ("&&", ";", "|"):
            break
        if w == "-resume":
            k += 1; continue
        if w in ("-shard", "-out", "-mem", "-data"):
            k += 2; continue
        out.append(w); k += 1
    return out

def container(doc, where):
    spec = doc["spec"]["template"]["spec"]
    [c] = spec["containers"]
    env = {e["name"]: e.get("value") for e in c.get("env") or []}
    cmd = " ".join(c["args"])
    if "sha256sum --check" not in cmd or "SHA256SUMS" not in cmd:
        fail(f"{where}: the container does not check the data's SHA256SUMS first")
    cpu = str(c["resources"]["requests"]["cpu"])
    if env.get("GOMAXPROCS") != cpu:
        fail(f"{where}: GOMAXPROCS {env.get('GOMAXPROCS')} is not the {cpu} CPUs requested")
    mem = re.search(r"-mem (\d+)GiB", cmd)
    lim = re.fullmatch(r"(\d+)Gi", c["resources"]["limits"]["memory"])
    if not mem or not lim or int(mem.group(1)) >= int(lim.group(1)):
        fail(f"{where}: -mem must be set below the container's memory limit")
    return env, cmd

grid = yaml.safe_load(open("deploy/grid-indexed-job.yaml"))
merge = yaml.safe_load(open("deploy/merge-job.yaml"))
s = grid["spec"]
if s.get("completionMode") != "Indexed":
    fail("grid-indexed-job.yaml: completionMode is not Indexed")
env, gcmd = container(grid, "grid-indexed-job.yaml")
if not (s["completions"] == s["parallelism"] == int(env["SHARDS"])):
    fail(f"grid-indexed-job.yaml: completions {s['completions']}, parallelism {s['parallelism']} and SHARDS {env['SHARDS']} differ")
if '-shard "${JOB_COMPLETION_INDEX}/${SHARDS}"' not in gcmd or "-resume" not in gcmd:
    fail("grid-indexed-job.yaml: the pod must run -shard ${JOB_COMPLETION_INDEX}/${SHARDS} with -resume")
_, mcmd = container(merge, "merge-job.yaml")
if "bench merge -out /results/merged /results/shard-*" not in mcmd:
    fail("merge-job.yaml: no 'bench merge -out /results/merged /results/shard-*'")
want = grid_flags(gcmd, "grid-indexed-job.yaml")
if grid_flags(mcmd, "merge-job.yaml") != want:
    fail(f"merge-job.yaml's grid flags {grid_flags(mcmd, 'merge-job.yaml')} are not the Indexed Job's {want}")
readme = open("deploy/README.md").read()
m = re.search(r"deploy/slurm/submit\.sh[^\n]*\\\n(?:[^\n]*\\\n)*[^\n]*", readme)
if not m:
    fail("deploy/README.md: no deploy/slurm/submit.sh command")
slurm = shlex.split(m.group(0).replace("\\\n", " ")).copy()
slurm = slurm[slurm.index("--") + 1:]
if slurm != want:
    fail(f"deploy/README.md's Slurm grid flags {slurm} are not the Indexed Job's {want}")
print(f"deploy_check: Kubernetes manifests and the Slurm command agree ({s['completions']} shards, flags {' '.join(want)})")
PY
