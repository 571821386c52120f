#!/bin/bash
# Benchmark of `ipcx who` against `ss -xap` and `lsfd`, which walk the same
# processes to find their sockets and descriptors. Run by hand as root:
#
#     make ipcx && tests/bench/who.sh
#
# Inside private IPC and mount namespaces it starts 1,000 processes that
# each hold a System V shm attachment, a pipe, a socketpair and an eventfd
# (tests/bench/holders.c), then prints the median wall time of each tool
# over several runs (wall and CPU), output to /dev/null, and ipcx's ratio
# to each.
# Target: ipcx who at most 0.5x of each.
#
# Environment: IPCX (default ./ipcx), IPCX_BEFORE (another build of ipcx,
# measured in the same runs: a change's effect), IPCX_BENCH_PROCS (default 1000),
# IPCX_BENCH_REPS (default 7), CC (default cc).
set -eu

top=$(cd "$(dirname "$0")/../.." && pwd)
IPCX=${IPCX:-$top/ipcx}
procs=${IPCX_BENCH_PROCS:-1000}
reps=${IPCX_BENCH_REPS:-7}
self=$top/tests/bench/who.sh

die() { echo "who.sh: $*" >&2; exit 1; }

if [ -z "${IPCX_BENCH_IN_NS:-}" ]; then
	[ -x "$IPCX" ] || die "no $IPCX: run make ipcx first"
	[ "$(id -u)" -eq 0 ] || die "run as root: ss and lsfd must see every process"
	for t in ss lsfd; do command -v $t >/dev/null || die "$t is not installed"; done
	export IPCX_BENCH_IN_NS=1 IPCX IPCX_BEFORE
	exec unshare --ipc --mount --propagation private bash "$self" "$@"
fi

tmp=$(mktemp -d /tmp/ipcx-bench-who.XXXXXX)
holders_pid=
cleanup() {
	[ -n "$holders_pid" ] && { exec 9>&-; wait "$holders_pid" 2>/dev/null || true; }
	rm -rf "$tmp"
}
trap cleanup EXIT
mount -t tmpfs tmpfs /dev/shm

${CC:-cc} -O2 -o "$tmp/holders" "$top/tests/bench/holders.c"
mkfifo "$tmp/in"
"$tmp/holders" "$procs" <"$tmp/in" >"$tmp/out" &
holders_pid=$!
exec 9>"$tmp/in"
for ((i = 0; i < 3000; i++)); do
	grep -q ready "$tmp/out" 2>/dev/null && break
	kill -0 "$holders_pid" 2>/dev/null || die "holders failed: $(cat "$tmp/out")"
	sleep 0.01
done
grep -q ready "$tmp/out" || die "holders never got ready"

# Each run of every tool in turn, after one warm-up run of each (dentries
# and inodes of /proc cached for all alike): a change of load during the
# run then weighs on every tool, not on the one measured at that moment.
# Wall time is what a user waits; CPU time (user + system, all threads) is
# what the machine pays, and varies less on a loaded machine.
tools=(who whoall ss lsfd)
[ -n "${IPCX_BEFORE:-}" ] && tools+=(before)
run_tool() {
	case $1 in
	who) "$IPCX" who ;;
	before) "$IPCX_BEFORE" who ;;
	whoall) "$IPCX" who -o PID,COMMAND,KIND,OBJECT,HOW,FD ;;
	ss) ss -xap ;;
	lsfd) lsfd ;;
	esac
}
declare -A wall cpu
for t in "${tools[@]}"; do run_tool "$t" >/dev/null 2>&1 || true; done
TIMEFORMAT='%3R %3U %3S'
for ((i = 0; i < reps; i++)); do
	for t in "${tools[@]}"; do
		read -r r u s < <({ time run_tool "$t" >/dev/null 2>&1; } 2>&1)
		wall[$t]+="$r "
		cpu[$t]+="$(awk -v u="$u" -v s="$s" 'BEGIN {print u + s}') "
	done
done

# the median of a list of seconds, in milliseconds
median_ms() {
	printf '%s\n' $1 | sort -g | awk '{v[NR] = $1} END {printf "%.1f", v[int((NR + 1) / 2)] * 1000}'
}

nproc_total=$(ls -d /proc/[0-9]* 2>/dev/null | wc -l)
rows=$("$IPCX" who -n 2>/dev/null | wc -l)
echo "processes on the machine: $nproc_total ($procs holders); ipcx who rows: $rows"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) CPUs; $reps runs each"

printf '%-34s %12s %12s\n' "command" "wall ms" "cpu ms"
for t in "${tools[@]}"; do
	case $t in
	who) name="ipcx who" ;;
	whoall) name="ipcx who -o ...,FD" ;;
	ss) name="ss -xap" ;;
	lsfd) name="lsfd" ;;
	before) name="ipcx who, IPCX_BEFORE" ;;
	esac
	w=$(median_ms "${wall[$t]}")
	c=$(median_ms "${cpu[$t]}")
	printf '%-34s %12s %12s\n' "$name" "$w" "$c"
	eval "w_$t=$w c_$t=$c"
done
awk -v w="$w_who" -v s="$w_ss" -v l="$w_lsfd" -v cw="$c_who" -v cs="$c_ss" -v cl="$c_lsfd" 'BEGIN {
	printf "ratio ipcx who / ss -xap: %.2fx wall, %.2fx cpu (target <= 0.5x)\n", w / s, cw / cs
	printf "ratio ipcx who / lsfd:    %.2fx wall, %.2fx cpu (target <= 0.5x)\n", w / l, cw / cl
}'
if [ -n "${IPCX_BEFORE:-}" ]; then
	awk -v w="$w_who" -v b="$w_before" -v cw="$c_who" -v cb="$c_before" 'BEGIN {
		printf "ratio ipcx who / IPCX_BEFORE: %.2fx wall, %.2fx cpu\n", w / b, cw / cb
	}'
fi
