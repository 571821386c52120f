#!/bin/bash
# Benchmark of `ipcx trace` against strace: how much slower a program of
# 2,000,000 getppid() calls (tests/bench/getppid.c) runs traced. Run by
# hand as root:
#
#     make ipcx && tests/bench/trace.sh
#
# Each way of running it is timed by the program itself (the wall time of
# its loop, and the CPU time it used), the median over several runs, and
# printed as a ratio to the untraced run of the same session:
#
#   untraced                         getppid N
#   ipcx trace, launching            ipcx trace -- getppid N
#   ipcx trace -p, attached          getppid waits on a pipe, ipcx trace -p
#                                    attaches to it, the pipe is closed
#   strace -f -e trace=none          launching
#   strace -f -e trace=none -p       attached, as ipcx trace -p
#   strace -f --seccomp-bpf ...      launching (seccomp cannot be added
#                                    to a running process)
#
# Target: ipcx trace at most 1.05x untraced, launching and attached.
# strace without seccomp stops the program at every system call and is
# some hundred times slower: it runs IPCX_BENCH_SLOW_REPS times (default
# 1) where the others run IPCX_BENCH_REPS times.
#
# Environment: IPCX (default ./ipcx), IPCX_BENCH_CALLS (default 2000000),
# IPCX_BENCH_REPS (default 5), IPCX_BENCH_SLOW_REPS (default 1), CC.
set -eu

top=$(cd "$(dirname "$0")/../.." && pwd)
IPCX=${IPCX:-$top/ipcx}
calls=${IPCX_BENCH_CALLS:-2000000}
reps=${IPCX_BENCH_REPS:-5}
slow_reps=${IPCX_BENCH_SLOW_REPS:-1}

die() { echo "trace.sh: $*" >&2; exit 1; }

[ -x "$IPCX" ] || die "no $IPCX: run make ipcx first"
command -v strace >/dev/null || die "strace is not installed"

tmp=$(mktemp -d /tmp/ipcx-bench-trace.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
${CC:-cc} -O2 -o "$tmp/getppid" "$top/tests/bench/getppid.c"
prog="$tmp/getppid"

# Runs the program attached to by a tracer started as "$@" -p PID; prints
# the loop's time in microseconds.
attached() {
	rm -f "$tmp/go"
	mkfifo "$tmp/go"
	"$prog" "$calls" --wait <"$tmp/go" >"$tmp/us" &
	local pid=$! i
	exec 9>"$tmp/go"
	"$@" -p "$pid" >/dev/null 2>&1 9>&- &
	local tracer=$!
	# released once every thread is traced: TracerPid is the tracer's,
	# or one of its threads' (strace traces from its main thread)
	for ((i = 0; i < 2000; i++)); do
		[ "$(awk '$1 == "TracerPid:" {print $2}' "/proc/$pid/status")" != 0 ] && break
		sleep 0.01
	done
	exec 9>&-
	wait "$pid"
	wait "$tracer" 2>/dev/null || true
	cat "$tmp/us"
}

launched() { "$@" "$prog" "$calls" 2>/dev/null | tail -1; }


# The runs of the ways that cost little are interleaved, one of each in
# turn, so that a change in the machine's load falls on all of them.
ways=(plain ipcx_launch ipcx_attach seccomp)
run_way() {
	case $1 in
	plain) launched env ;;
	ipcx_launch) launched "$IPCX" trace -o /dev/null -- ;;
	ipcx_attach) attached "$IPCX" trace -o /dev/null ;;
	seccomp) launched strace -f --seccomp-bpf -e trace=none -o /dev/null ;;
	strace_launch) launched strace -f -e trace=none -o /dev/null ;;
	strace_attach) attached strace -f -e trace=none -o /dev/null ;;
	esac
}

echo "getppid() calls: $calls; runs: $reps (strace without seccomp: $slow_reps)"
for ((i = 0; i < reps; i++)); do
	for w in "${ways[@]}"; do run_way "$w" >>"$tmp/$w"; done
done
for ((i = 0; i < slow_reps; i++)); do
	for w in strace_launch strace_attach; do run_way "$w" >>"$tmp/$w"; done
done

# median of column C (1 wall, 2 CPU) of a way's runs
median() {
	sort -n -k"$2" "$tmp/$1" | awk -v c="$2" '{v[NR] = $c} END {print v[int((NR + 1) / 2)]}'
}

row() {
	local w=$2
	awk -v n="$1" -v us="$(median "$w" 1)" -v cpu="$(median "$w" 2)" \
		-v base="$(median plain 1)" -v cbase="$(median plain 2)" \
		'BEGIN {printf "%-40s %9.3f %7.2fx %9.3f %7.2fx\n", n, us / 1e6, us / base, cpu / 1e6, cpu / cbase}'
}
printf '%-40s %9s %8s %9s %8s\n' "run (median)" "wall s" "ratio" "cpu s" "ratio"
row "untraced" plain
row "ipcx trace -- prog" ipcx_launch
row "ipcx trace -p (attached)" ipcx_attach
row "strace -f -e trace=none" strace_launch
row "strace -f -e trace=none -p (attached)" strace_attach
row "strace -f --seccomp-bpf -e trace=none" seccomp
awk -v l="$(median ipcx_launch 1)" -v a="$(median ipcx_attach 1)" -v b="$(median plain 1)" 'BEGIN {
	printf "ipcx trace wall time: launching %.3fx, attached %.3fx untraced (target <= 1.05x)\n", l / b, a / b
}'
