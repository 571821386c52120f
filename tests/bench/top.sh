#!/bin/bash
# Benchmark of `ipcx top -b` against procps `top -b`: CPU time (user +
# system) per refresh, both measured in the same run. Run by hand as root:
#
#     make ipcx && tests/bench/top.sh
#
# Inside private IPC and mount namespaces with raised limits it starts
# 1,000 processes that each hold a System V attachment, a pipe, a
# socketpair and an eventfd (tests/bench/holders.c), and creates 10,000
# objects (tests/bench/mkmany.c: 4,000 shm, 3,000 msg, 2,000 sem, 500
# pshm, 250 pmsg, 250 psem). Then each tool runs 1 and N refreshes 0.2 s
# apart, output to /dev/null, and the CPU time its process used (bash's
# `time`, from the kernel's accounting of the child) is taken, the median
# of IPCX_BENCH_REPS runs, the tools in turn in each round so that a
# change of load weighs on all. Two figures per tool:
#  - per refresh over N: CPU of N refreshes / N, start-up included;
#  - marginal: (CPU of N refreshes - CPU of 1) / (N - 1), what one more
#    refresh costs once running, for top and ipcx top alike.
# The first frame of ipcx top walks every process for the holders; later
# frames walk again only when something changed.
# Target: ipcx top at most 1x top's CPU per refresh.
#
# Environment: IPCX (default ./ipcx), IPCX_BENCH_PROCS (default 1000),
# IPCX_BENCH_ITERS (refreshes, default 10), IPCX_BENCH_REPS (runs of each,
# default 5), CC (default cc).
set -eu

top=$(cd "$(dirname "$0")/../.." && pwd)
IPCX=${IPCX:-$top/ipcx}
procs=${IPCX_BENCH_PROCS:-1000}
iters=${IPCX_BENCH_ITERS:-10}
reps=${IPCX_BENCH_REPS:-5}
self=$top/tests/bench/top.sh

die() { echo "top.sh: $*" >&2; exit 1; }

if [ -z "${IPCX_BENCH_IN_NS:-}" ]; then
	[ -x "$IPCX" ] || die "no $IPCX: run make ipcx first"
	[ "$(id -u)" -eq 0 ] || die "run as root: top must see every process"
	command -v top >/dev/null || die "procps top is not installed"
	case $iters in '' | *[!0-9]* | 0 | 1) die "IPCX_BENCH_ITERS must be a number above 1" ;; esac
	IPCX_BENCH_OUTER="$(readlink /proc/self/ns/ipc) $(readlink /proc/self/ns/mnt)"
	export IPCX_BENCH_IN_NS=1 IPCX IPCX_BENCH_OUTER
	exec unshare --ipc --mount --propagation private bash "$self" "$@"
fi

# --- inside the private namespaces from here on ---------------------------

inner="$(readlink /proc/self/ns/ipc) $(readlink /proc/self/ns/mnt)"
outer=${IPCX_BENCH_OUTER:-}
if [ -z "$outer" ] || [ "${inner% *}" = "${outer% *}" ] || [ "${inner#* }" = "${outer#* }" ]; then
	die "not in private IPC and mount namespaces; refusing to create objects"
fi

tmp=$(mktemp -d /tmp/ipcx-bench-top.XXXXXX)
holders_pid=
creator_pid=
mounted=
cleanup() {
	[ -n "$holders_pid" ] && { exec 9>&-; wait "$holders_pid" 2>/dev/null || true; }
	[ -n "$creator_pid" ] && { kill "$creator_pid" 2>/dev/null; wait "$creator_pid" 2>/dev/null || true; }
	# the mqueue mount may sit inside $tmp: rm cannot remove a mount point
	[ -n "$mounted" ] && umount "$mounted" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

mount -t tmpfs -o mode=1777 ipcx-bench-shm /dev/shm
awk '$0 ~ / - mqueue / { print $5 }' /proc/self/mountinfo | sort -r |
	while read -r m; do umount -l "$(printf '%b' "$m")" 2>/dev/null || :; done
mq=/dev/mqueue
[ -d "$mq" ] || { mq=$tmp/mqueue; mkdir "$mq"; }
mount -t mqueue ipcx-bench-mq "$mq"
mounted=$mq
sysctl -q -w kernel.shmmni=16384 kernel.msgmni=16384 \
	kernel.sem="32000 1024000000 500 16384" fs.mqueue.queues_max=4096 ||
	die "cannot raise the IPC limits of the private namespace"

${CC:-cc} -O2 -o "$tmp/holders" "$top/tests/bench/holders.c"
${CC:-cc} -O2 -o "$tmp/mkmany" "$top/tests/bench/mkmany.c" -lrt -lpthread

"$tmp/mkmany" 7 4000 3000 2000 500 250 250 >"$tmp/made" &
creator_pid=$!
mkfifo "$tmp/in"
"$tmp/holders" "$procs" <"$tmp/in" >"$tmp/out" &
holders_pid=$!
exec 9>"$tmp/in"
for ((i = 0; i < 6000; i++)); do
	grep -q ready "$tmp/out" 2>/dev/null && grep -q ready "$tmp/made" 2>/dev/null && break
	kill -0 "$holders_pid" 2>/dev/null || die "holders failed: $(cat "$tmp/out")"
	kill -0 "$creator_pid" 2>/dev/null || die "mkmany failed: $(cat "$tmp/made")"
	sleep 0.05
done
grep -q ready "$tmp/out" && grep -q ready "$tmp/made" || die "the load never got ready"

# CPU seconds (user + system) of one run of a command.
cpu() {
	local TIMEFORMAT='%U %S' t
	t=$({ time "$@" >/dev/null 2>&1; } 2>&1) || true
	awk '{ printf "%.3f", $1 + $2 }' <<<"$t"
}

objects=$(("$(wc -l </proc/sysvipc/shm)" + "$(wc -l </proc/sysvipc/msg)" + "$(wc -l </proc/sysvipc/sem)" - 3 +
	"$(ls /dev/shm | wc -l)" + "$(ls "$mq" | wc -l)"))
nproc_total=$(find /proc -maxdepth 1 -name '[0-9]*' 2>/dev/null | wc -l)
frame_lines=$("$IPCX" top -b -n 1 2>/dev/null | wc -l)
echo "processes: $nproc_total ($procs holders); objects: $objects; lines of an ipcx top frame: $frame_lines"

median() { tr ' ' '\n' | grep . | sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
declare -A runs
for ((r = 0; r < reps; r++)); do
	runs[i1]+="$(cpu "$IPCX" top -b -n 1) "
	runs[in]+="$(cpu "$IPCX" top -b -d 0.2 -n "$iters") "
	runs[j1]+="$(cpu "$IPCX" top -b -J -n 1) "
	runs[jn]+="$(cpu "$IPCX" top -b -J -d 0.2 -n "$iters") "
	runs[t1]+="$(cpu top -b -n 1) "
	runs[tn]+="$(cpu top -b -d 0.2 -n "$iters") "
done
declare -A m
for k in i1 in j1 jn t1 tn; do m[$k]=$(median <<<"${runs[$k]}"); done
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) CPUs; median of $reps runs"

awk -v i1="${m[i1]}" -v in_="${m[in]}" -v j1="${m[j1]}" -v jn="${m[jn]}" -v t1="${m[t1]}" -v tn="${m[tn]}" -v n="$iters" 'BEGIN {
	printf "%-24s %10s %14s %14s\n", "command (CPU ms)", "1 refresh", "per refresh/" n, "marginal"
	printf "%-24s %10.1f %14.1f %14.1f\n", "ipcx top -b", i1 * 1000, in_ * 1000 / n, (in_ - i1) * 1000 / (n - 1)
	printf "%-24s %10.1f %14.1f %14.1f\n", "ipcx top -b -J", j1 * 1000, jn * 1000 / n, (jn - j1) * 1000 / (n - 1)
	printf "%-24s %10.1f %14.1f %14.1f\n", "top -b", t1 * 1000, tn * 1000 / n, (tn - t1) * 1000 / (n - 1)
	mt = (tn - t1) / (n - 1)
	printf "ratio ipcx top / top, per refresh over %d: %.2fx, marginal: %.2fx (target <= 1x)\n", n,
		(tn > 0 ? in_ / tn : 0), (mt > 0 ? (in_ - i1) / (n - 1) / mt : 0)
	printf "ratio ipcx top -J / top, per refresh over %d: %.2fx, marginal: %.2fx\n", n,
		(tn > 0 ? jn / tn : 0), (mt > 0 ? (jn - j1) / (n - 1) / mt : 0)
}'
