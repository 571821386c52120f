#!/bin/bash
# Benchmark of `ipcx who` against `ss -xap` and `lsfd`, which walk the same
# processes to find their sockets and descriptors. Run by hand as root:
#
#     make ipcx && tests/bench/who.sh
#
# Inside private IPC and mount namespaces it starts 1,000 processes that
# each hold a System V shm attachment, a pipe, a socketpair and an eventfd
# (tests/bench/holders.c), then prints the median wall time of each tool
# over several runs, output to /dev/null, and ipcx's ratio to each.
# Target: ipcx who at most 0.5x of each.
#
# Environment: IPCX (default ./ipcx), IPCX_BENCH_PROCS (default 1000),
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
	export IPCX_BENCH_IN_NS=1 IPCX
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

# median wall time in milliseconds of a command, over $reps runs
median_ms() {
	local t=() i s e
	for ((i = 0; i < reps; i++)); do
		s=$(date +%s%N)
		"$@" >/dev/null 2>&1 || true
		e=$(date +%s%N)
		t+=($(((e - s) / 1000)))
	done
	printf '%s\n' "${t[@]}" | sort -n | awk '{v[NR] = $1} END {printf "%.2f", v[int((NR + 1) / 2)] / 1000}'
}

nproc_total=$(ls -d /proc/[0-9]* | wc -l)
rows=$("$IPCX" who -n 2>/dev/null | wc -l)
echo "processes on the machine: $nproc_total ($procs holders); ipcx who rows: $rows"

who_ms=$(median_ms "$IPCX" who)
whoall_ms=$(median_ms "$IPCX" who -o PID,COMMAND,KIND,OBJECT,HOW,FD)
ss_ms=$(median_ms ss -xap)
lsfd_ms=$(median_ms lsfd)

printf '%-34s %9s\n' "command" "median ms"
printf '%-34s %9s\n' "ipcx who" "$who_ms"
printf '%-34s %9s\n' "ipcx who -o ...,FD" "$whoall_ms"
printf '%-34s %9s\n' "ss -xap" "$ss_ms"
printf '%-34s %9s\n' "lsfd" "$lsfd_ms"
awk -v w="$who_ms" -v s="$ss_ms" -v l="$lsfd_ms" 'BEGIN {
	printf "ratio ipcx who / ss -xap: %.2fx (target <= 0.5x)\n", w / s
	printf "ratio ipcx who / lsfd:    %.2fx (target <= 0.5x)\n", w / l
}'
