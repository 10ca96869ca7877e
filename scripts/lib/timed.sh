# timed.sh: shared by scripts/libsvm_speed.sh and scripts/model_read.sh
# (sourced from the repository root, with WORK set to an existing folder).
#
# load: the 1, 5 and 15 minute load averages.
# timed NAME CMD...: runs CMD (stdout to $WORK/NAME.out) under /usr/bin/time,
#   prints its wall, CPU (user+system) and peak RSS with the load before and
#   after, and appends "NAME wall cpu maxrss_kb" to $WORK/times.
# field NAME N: field N of NAME's last line in $WORK/times (2 wall, 3 CPU,
#   4 peak RSS in KiB).
load() { cut -d' ' -f1-3 /proc/loadavg; }
timed() {
	name=$1
	shift
	before=$(load)
	/usr/bin/time -f "%e %U %S %M" -o "$WORK/$name.time" "$@" >"$WORK/$name.out"
	read -r wall user sys rss <"$WORK/$name.time"
	cpu=$(echo "$user + $sys" | bc)
	echo "$name $wall $cpu $rss" >>"$WORK/times"
	echo "  $name: $wall s wall, $cpu s CPU, peak RSS $((rss / 1024)) MiB (load $before -> $(load))"
}
field() { awk -v n="$1" -v f="$2" '$1 == n {print $f}' "$WORK/times" | tail -1; }
