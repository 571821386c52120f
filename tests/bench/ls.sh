#!/bin/bash
# Benchmark of `ipcx ls` against lsipc and against reading /proc/sysvipc
# with cat (the floor: no listing tool can read the kernel's table faster).
# Run by hand, as root or with unprivileged user namespaces:
#
#     make ipcx && tests/bench/ls.sh
#
# Inside private IPC and mount namespaces with raised limits it creates
# 1,000 shm, msg and sem objects plus 500 POSIX ones, measures, grows the
# set to 10,000 of each System V kind plus 5,000 POSIX objects, and
# measures again. The machine's own objects are never seen: the System V
# objects die with the private IPC namespace, the POSIX ones with the
# private /dev/shm and mqueue mounts.
#
# Every figure is a median over several rounds, output to /dev/null, after
# one warm-up round. In a round every command runs once, in turn, so that
# a slow spell of a shared machine weighs on every tool alike. Wall time
# is what the targets are about; CPU time (user + system, from the
# kernel's accounting of each run) moves less with the machine's load and
# is printed beside it, with the load average at the start and the end.
# Instructions are counted with perf when the machine lets it read the
# counter (a virtual machine often does not), or, when asked, with
# callgrind (user space only: the kernel's work of reading /proc is not
# in it, nor are page faults).
#
# Targets: ipcx at most 0.5x lsipc and 2x the cat floor, and linear
# growth (about 10x from 3,000 to 30,000 objects).
#
# Environment: IPCX (the binary, default ./ipcx), IPCX_BENCH_REPS (rounds,
# default 11), IPCX_BENCH_CALLGRIND=1 (count instructions with valgrind's
# callgrind when perf cannot; slow), CC (default cc).
set -eu

top=$(cd "$(dirname "$0")/../.." && pwd)
IPCX=${IPCX:-$top/ipcx}
reps=${IPCX_BENCH_REPS:-11}
self=$top/tests/bench/ls.sh

die() { echo "ls.sh: $*" >&2; exit 1; }

if [ -z "${IPCX_BENCH_IN_NS:-}" ]; then
	[ -x "$IPCX" ] || die "no $IPCX: run make ipcx first"
	command -v lsipc >/dev/null || die "lsipc (util-linux) is not installed"
	case $reps in '' | *[!0-9]* | 0) die "IPCX_BENCH_REPS must be a positive number" ;; esac
	# remembered so the inner run can prove it really is somewhere else
	IPCX_BENCH_OUTER="$(readlink /proc/self/ns/ipc) $(readlink /proc/self/ns/mnt)"
	export IPCX_BENCH_IN_NS=1 IPCX IPCX_BENCH_OUTER
	if [ "$(id -u)" -eq 0 ]; then
		exec unshare --ipc --mount --propagation private bash "$self" "$@"
	fi
	exec unshare --map-root-user --ipc --mount --propagation private bash "$self" "$@"
fi

# --- inside the private namespaces from here on ---------------------------

outer=${IPCX_BENCH_OUTER:-}
inner="$(readlink /proc/self/ns/ipc) $(readlink /proc/self/ns/mnt)"
if [ -z "$outer" ] || [ "${inner% *}" = "${outer% *}" ] || [ "${inner#* }" = "${outer#* }" ]; then
	die "not in private IPC and mount namespaces; refusing to create objects"
fi
for k in shm msg sem; do
	[ "$(wc -l </proc/sysvipc/$k)" -le 1 ] ||
		die "/proc/sysvipc/$k is not empty in the new namespace; refusing to go on"
done

tmp=$(mktemp -d /tmp/ipcx-bench.XXXXXX)
mq=$tmp/mqueue
creators=
shm_mounted=
mq_mounted=
# shellcheck disable=SC2317 # called by the trap
cleanup() {
	for p in $creators; do kill "$p" 2>/dev/null || :; done
	for p in $creators; do wait "$p" 2>/dev/null || :; done
	[ -z "$mq_mounted" ] || umount "$mq_mounted" 2>/dev/null || :
	[ -z "$shm_mounted" ] || umount /dev/shm 2>/dev/null || :
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

# The private /dev/shm holds the POSIX shared memory and semaphores.
mount -t tmpfs -o mode=1777 ipcx-bench-shm /dev/shm || die "cannot mount a private /dev/shm"
shm_mounted=1
[ -z "$(ls -A /dev/shm)" ] || die "the private /dev/shm is not empty"

# ipcx lists POSIX queues from /dev/mqueue when that is a mount point,
# else from the first mqueue mount. Mounts of the machine's queues are
# taken out of this private mount namespace (the machine keeps them), and
# the private instance goes on /dev/mqueue if that exists.
awk '$0 ~ / - mqueue / { print $5 }' /proc/self/mountinfo | sort -r |
	while read -r m; do umount -l "$(printf '%b' "$m")" 2>/dev/null || :; done
if [ -d /dev/mqueue ]; then
	mq=/dev/mqueue
else
	mkdir "$mq"
fi
mount -t mqueue ipcx-bench-mq "$mq" || die "cannot mount a private mqueue file system"
mq_mounted=$mq
[ -z "$(ls -A "$mq")" ] || die "the private mqueue mount is not empty"

# Per-namespace limits, raised above 10,000 objects of each kind.
sysctl -q -w kernel.shmmni=16384 kernel.msgmni=16384 \
	kernel.sem="32000 1024000000 500 16384" fs.mqueue.queues_max=4096 ||
	die "cannot raise the IPC limits of the private namespace"

"${CC:-cc}" -O2 -Wall -o "$tmp/mkmany" "$top/tests/bench/mkmany.c" -lrt -lpthread ||
	die "cannot compile tests/bench/mkmany.c"

# Starts a creator that stays alive (its objects then have a running
# creator, as a server's would) and waits until its objects exist.
create() {
	local tag=$1 out=$tmp/ready.$1
	shift
	"$tmp/mkmany" "$tag" "$@" >"$out" &
	local pid=$!
	creators="$creators $pid"
	until grep -q ready "$out" 2>/dev/null; do
		kill -0 "$pid" 2>/dev/null || die "the object creator failed"
		sleep 0.05
	done
}

# Wall and CPU time of one run of a command, in microseconds, left in $us
# and $cpu. Bash's EPOCHREALTIME is read without a fork, so the wall time
# holds only the run; the CPU time is the growth of the children's user
# and system time that bash's builtin "times" reports, to the millisecond.
[ -n "${EPOCHREALTIME:-}" ] || die "bash 5 or later is needed (EPOCHREALTIME)"
us=0
cpu=0
run_us() {
	local t0 t1 c0
	times >"$tmp/times"
	children_cpu "$tmp/times"
	c0=$cpu
	t0=${EPOCHREALTIME/[.,]/}
	"$@" >/dev/null 2>&1 || :
	t1=${EPOCHREALTIME/[.,]/}
	times >"$tmp/times"
	children_cpu "$tmp/times"
	us=$((t1 - t0))
	cpu=$((cpu - c0))
}

# Children's user + system time of a saved "times" output, in microseconds,
# left in $cpu without a fork: each is written like 1m2.345s.
children_cpu() {
	local _ u s t m sec ms
	{ read -r _ _; read -r u s; } <"$1"
	cpu=0
	for t in "$u" "$s"; do
		m=${t%%m*}
		sec=${t#*m}
		sec=${sec%s}
		ms=${sec#*.}
		sec=${sec%.*}
		cpu=$((cpu + (10#$m * 60 + 10#$sec) * 1000000 + 10#$ms * 1000))
	done
}

median() {
	printf '%s\n' "$@" | sort -n |
		awk '{ v[NR] = $1 } END { m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2;
			printf "%.2f\n", m / 1000 }'
}

# The commands measured, by label.
declare -A cmd
cmd[ipcx-shm]="$IPCX ls shm"
cmd[ipcx-msg]="$IPCX ls msg"
cmd[ipcx-sem]="$IPCX ls sem"
cmd[lsipc-shm]="lsipc -m"
cmd[lsipc-msg]="lsipc -q"
cmd[lsipc-sem]="lsipc -s"
cmd[cat-shm]="cat /proc/sysvipc/shm"
cmd[cat-msg]="cat /proc/sysvipc/msg"
cmd[cat-sem]="cat /proc/sysvipc/sem"
cmd[ipcx-all]="$IPCX ls"
cmd[ipcx-posix]="$IPCX ls pshm pmsg psem"
labels="ipcx-shm lsipc-shm cat-shm ipcx-msg lsipc-msg cat-msg ipcx-sem lsipc-sem cat-sem ipcx-all ipcx-posix"

# Median wall and CPU time of every command, in ms, over $reps rounds
# after a warm-up round; in a round each command runs once, in turn.
declare -A ms cpums
measure_all() {
	local phase=$1 l r
	local -A walls cpus
	for l in $labels; do
		# shellcheck disable=SC2086 # the commands are split into words on purpose
		run_us ${cmd[$l]}
	done
	for ((r = 0; r < reps; r++)); do
		for l in $labels; do
			# shellcheck disable=SC2086
			run_us ${cmd[$l]}
			walls[$l]="${walls[$l]:-} $us"
			cpus[$l]="${cpus[$l]:-} $cpu"
		done
	done
	for l in $labels; do
		# shellcheck disable=SC2086
		ms[$phase:$l]=$(median ${walls[$l]})
		# shellcheck disable=SC2086,SC2034 # cpums is read through table's nameref
		cpums[$phase:$l]=$(median ${cpus[$l]})
	done
}

# Instructions of one run of each System V command, when they can be
# counted: perf's hardware counter (user and kernel), else callgrind when
# IPCX_BENCH_CALLGRIND=1 (user space only). Counts do not move with the
# machine's load.
counter=
if command -v perf >/dev/null &&
	perf stat -x, -e instructions -- true 2>&1 >/dev/null | grep -q '^[0-9]'; then
	counter=perf
elif [ -n "${IPCX_BENCH_CALLGRIND:-}" ] && command -v valgrind >/dev/null; then
	counter=callgrind
fi
declare -A ins
count_all() {
	local phase=$1 k l n
	[ -n "$counter" ] || return 0
	for k in shm msg sem; do
		for l in ipcx-$k lsipc-$k cat-$k; do
			if [ "$counter" = perf ]; then
				# shellcheck disable=SC2086
				n=$(perf stat -x, -e instructions -r 3 -- ${cmd[$l]} 2>&1 >/dev/null |
					awk -F, '/instructions/ { print $1; exit }')
			else
				# shellcheck disable=SC2086
				n=$(valgrind --tool=callgrind --callgrind-out-file=/dev/null ${cmd[$l]} 2>&1 >/dev/null |
					awk '/Collected :/ { print $NF; exit }')
			fi
			ins[$phase:$l]=${n:-?}
		done
	done
}

# Each tool must have listed every object, or its time means nothing.
check_counts() {
	local n=$1 np=$2 got k
	for k in shm msg sem; do
		got=$("$IPCX" ls -n "$k" | grep -c .)
		[ "$got" -eq "$n" ] || die "ipcx ls $k printed $got rows, expected $n"
	done
	for k in m q s; do
		got=$(lsipc -"$k" --noheadings | wc -l)
		[ "$got" -eq "$n" ] || die "lsipc -$k printed $got rows, expected $n"
	done
	got=$("$IPCX" ls -n pshm pmsg psem | grep -c .)
	[ "$got" -eq "$np" ] || die "ipcx ls pshm pmsg psem printed $got rows, expected $np"
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a ~ /^[0-9.]+$/ && b ~ /^[0-9.]+$/ && b > 0) printf "%.2f", a / b; else printf "-" }'; }

echo "ipcx ls benchmark: medians of $reps rounds after a warm-up round"
echo "ipcx: $IPCX"
echo "lsipc: $(lsipc --version)"
echo "kernel $(uname -r), $(nproc) CPUs"
# other work on the machine shows in every figure: say how busy it was
echo "load average at the start: $(cut -d' ' -f1-3 /proc/loadavg)"
echo

measure_all empty

create 1 1000 1000 1000 200 150 150
check_counts 1000 500
measure_all small
count_all small

create 2 9000 9000 9000 1800 1350 1350
check_counts 10000 5000
measure_all full
count_all full

# One table of a figure: ipcx, lsipc and cat with ipcx's ratios to both.
table() {
	local -n fig=$1
	local phase=$2 k i l c
	printf '%-5s %12s %12s %12s %11s %9s\n' kind ipcx lsipc cat ipcx/lsipc ipcx/cat
	for k in shm msg sem; do
		i=${fig[$phase:ipcx-$k]:-?} l=${fig[$phase:lsipc-$k]:-?} c=${fig[$phase:cat-$k]:-?}
		printf '%-5s %12s %12s %12s %11s %9s\n' "$k" "$i" "$l" "$c" \
			"$(ratio "$i" "$l")" "$(ratio "$i" "$c")"
	done
}

echo "System V, 10,000 objects of each kind (30,000 in all)"
echo "wall time, ms:"
table ms full
echo "CPU time (user + system), ms:"
table cpums full
if [ -n "$counter" ]; then
	echo "instructions ($counter$([ "$counter" = callgrind ] && echo ", user space only")):"
	table ins full
else
	echo "instructions: not counted (perf cannot read the counter here; IPCX_BENCH_CALLGRIND=1 counts with callgrind)"
fi
echo
echo "At 1,000 of each kind (3,000 in all), wall time, ms:"
table ms small
echo
echo "Growth of ipcx from 3,000 to 30,000 objects (linear: about 10)"
printf '%-5s %9s %9s %12s %9s %12s\n' kind "no objs" "wall 10k" "wall 10k/1k" "net" \
	"$([ -n "$counter" ] && echo "instr 10k/1k")"
for k in shm msg sem; do
	i=${ms[full:ipcx-$k]} s=${ms[small:ipcx-$k]} e=${ms[empty:ipcx-$k]}
	net=$(awk -v f="$i" -v s="$s" -v e="$e" 'BEGIN { if (s > e) printf "%.2f", (f - e) / (s - e); else printf "-" }')
	printf '%-5s %9s %9s %12s %9s %12s\n' "$k" "$e" "$i" "$(ratio "$i" "$s")" "$net" \
		"$([ -n "$counter" ] && ratio "${ins[full:ipcx-$k]}" "${ins[small:ipcx-$k]}")"
done
echo "(net: the same ratio after taking off the time of ipcx with no objects)"
echo
echo "Whole listings, wall time, ms"
printf '%-26s %9s %11s %11s %9s\n' command "no objects" "3,000+500" "30,000+5,000" growth
for l in ipcx-all ipcx-posix; do
	printf '%-26s %9s %11s %11s %9s\n' "${cmd[$l]#"$IPCX" }" "${ms[empty:$l]}" \
		"${ms[small:$l]}" "${ms[full:$l]}" "$(ratio "${ms[full:$l]}" "${ms[small:$l]}")"
done
echo

# Targets, per System V kind.
miss=0
for k in shm msg sem; do
	i=${ms[full:ipcx-$k]} l=${ms[full:lsipc-$k]} c=${ms[full:cat-$k]} s=${ms[small:ipcx-$k]}
	v=$(awk -v i="$i" -v l="$l" -v c="$c" -v s="$s" 'BEGIN {
		n = 0
		if (i > 0.5 * l) m[++n] = "slower than 0.5x lsipc"
		if (i > 2 * c) m[++n] = "slower than 2x cat"
		if (s > 0 && i / s > 12) m[++n] = "grows faster than linear"
		for (j = 1; j <= n; j++) printf "%s%s", (j > 1 ? ", " : " "), m[j]
		print "" }')
	if [ -n "$v" ]; then
		echo "target missed for $k:$v"
		miss=1
	fi
done
[ "$miss" -eq 0 ] && echo "all targets met (<= 0.5x lsipc, <= 2x cat, 10k/1k growth <= 12)"
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
exit 0
