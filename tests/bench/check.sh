#!/bin/bash
# Benchmark of `ipcx check --all-ns` on a host with many IPC namespaces.
# Run by hand, as root:
#
#     make ipcx && tests/bench/check.sh
#
# Inside private IPC and mount namespaces it starts 100 processes, each in
# an IPC namespace of its own (unshare --ipc), that create 100 segments,
# 100 message queues and 100 semaphore sets there (30,000 objects in all)
# and sleep. It checks that `ipcx check --all-ns` counts every one of them,
# then measures the median wall time of:
#
#   ipcx check --all-ns               every check, every namespace
#   ipcx check --all-ns --prometheus  the same, as Prometheus text
#   ipcx ls --all-ns shm msg sem      listing the same objects
#   ipcs -a in each namespace         the shell way: nsenter + ipcs, 100 times
#   cat in each namespace             the floor: nsenter + cat of /proc/sysvipc
#
# and prints each with its ratio to the nsenter+ipcs loop. Target: well
# under a second for ipcx check --all-ns.
#
# Environment: IPCX (the binary, default ./ipcx), IPCX_BENCH_REPS (runs per
# figure, default 7), IPCX_BENCH_NS (namespaces, default 100),
# IPCX_BENCH_PER_KIND (objects of each kind per namespace, default 100),
# CC (default cc).
set -eu

top=$(cd "$(dirname "$0")/../.." && pwd)
IPCX=${IPCX:-$top/ipcx}
reps=${IPCX_BENCH_REPS:-7}
nns=${IPCX_BENCH_NS:-100}
per=${IPCX_BENCH_PER_KIND:-100}
self=$top/tests/bench/check.sh

die() { echo "check.sh: $*" >&2; exit 1; }

if [ -z "${IPCX_BENCH_IN_NS:-}" ]; then
	[ -x "$IPCX" ] || die "no $IPCX: run make ipcx first"
	[ "$(id -u)" -eq 0 ] || die "needs root: --all-ns enters other namespaces"
	command -v nsenter >/dev/null || die "nsenter (util-linux) is not installed"
	command -v ipcs >/dev/null || die "ipcs (util-linux) is not installed"
	for v in reps nns per; do
		case ${!v} in '' | *[!0-9]* | 0) die "$v must be a positive number" ;; esac
	done
	IPCX_BENCH_OUTER="$(readlink /proc/self/ns/ipc) $(readlink /proc/self/ns/mnt)"
	export IPCX_BENCH_IN_NS=1 IPCX IPCX_BENCH_OUTER
	exec unshare --ipc --mount --propagation private bash "$self" "$@"
fi

# --- inside the private namespaces from here on ---------------------------

outer=${IPCX_BENCH_OUTER:-}
inner="$(readlink /proc/self/ns/ipc) $(readlink /proc/self/ns/mnt)"
if [ -z "$outer" ] || [ "${inner% *}" = "${outer% *}" ] || [ "${inner#* }" = "${outer#* }" ]; then
	die "not in private IPC and mount namespaces; refusing to create objects"
fi

tmp=$(mktemp -d /tmp/ipcx-bench-check.XXXXXX)
pids=()
# shellcheck disable=SC2317 # called by the trap
cleanup() {
	local p
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null || :; done
	for p in "${pids[@]}"; do wait "$p" 2>/dev/null || :; done
	umount /dev/shm 2>/dev/null || :
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

# POSIX objects of the machine stay out of sight: a private, empty /dev/shm.
mount -t tmpfs -o mode=1777 ipcx-bench-shm /dev/shm || die "cannot mount a private /dev/shm"

"${CC:-cc}" -O2 -Wall -o "$tmp/mkmany" "$top/tests/bench/mkmany.c" -lrt -lpthread ||
	die "cannot compile tests/bench/mkmany.c"

echo "creating $nns IPC namespaces with $per segments, queues and semaphore sets each..."
for ((i = 0; i < nns; i++)); do
	# each namespace lives as long as its creator, which sleeps until killed
	unshare --ipc "$tmp/mkmany" "$i" "$per" "$per" "$per" 0 0 0 >"$tmp/ready.$i" &
	pids+=("$!")
done
for ((i = 0; i < nns; i++)); do
	until grep -q ready "$tmp/ready.$i" 2>/dev/null; do
		kill -0 "${pids[i]}" 2>/dev/null || die "creator $i failed"
		sleep 0.02
	done
done

# ipcx must see every namespace and every object, or its time means nothing.
own=$(stat -L -c %i /proc/self/ns/ipc)
for k in shmmni msgmni semmni; do
	got=$("$IPCX" check --all-ns --prometheus limits 2>/dev/null |
		awk -v k="$k" -v pids="${pids[*]}" '
			$0 ~ "^ipcx_limit_used\\{.*limit=\"" k "\"" { n += $2 } END { print n + 0 }')
	want=$((nns * per))
	[ "$got" -ge "$want" ] || die "ipcx check --all-ns counted $got for $k, expected at least $want"
done
nfound=$("$IPCX" check --all-ns --json limits 2>/dev/null | grep -o '"namespace":[0-9]*' | sort -u | wc -l)
[ "$nfound" -gt "$nns" ] || die "ipcx check --all-ns saw $nfound namespaces, expected more than $nns"

# The loops a shell script would run, one nsenter per namespace.
ipcs_loop() {
	local p
	for p in "${pids[@]}"; do nsenter -t "$p" --ipc ipcs -a; done
}
cat_loop() {
	local p
	for p in "${pids[@]}"; do nsenter -t "$p" --ipc cat /proc/sysvipc/shm /proc/sysvipc/msg /proc/sysvipc/sem; done
}

# Wall and CPU (user + system) time of one run, in microseconds, left in
# $us and $cpu: on a loaded machine the wall time waits for a CPU, the CPU
# time is what the run itself cost.
us=0
cpu=0
TIMEFORMAT='%3R %3U %3S'
run_us() {
	local r u s
	{ time "$@" >/dev/null 2>&1; } 2>"$tmp/time" || :
	read -r r u s <"$tmp/time"
	us=$(awk -v v="$r" 'BEGIN { printf "%d", v * 1000000 }')
	cpu=$(awk -v u="$u" -v s="$s" 'BEGIN { printf "%d", (u + s) * 1000000 }')
}

median() {
	printf '%s\n' "$@" | sort -n |
		awk '{ v[NR] = $1 } END { m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2;
			printf "%.1f\n", m / 1000 }'
}

declare -A times cpus ms cms
labels="check check-prom ls ipcs-loop cat-loop"
run_label() {
	case $1 in
	check) run_us "$IPCX" check --all-ns ;;
	check-prom) run_us "$IPCX" check --all-ns --prometheus ;;
	ls) run_us "$IPCX" ls --all-ns shm msg sem ;;
	ipcs-loop) run_us ipcs_loop ;;
	cat-loop) run_us cat_loop ;;
	esac
}
# one warm-up run each, then the runs take turns
for l in $labels; do run_label "$l"; done
for ((r = 0; r < reps; r++)); do
	for l in $labels; do
		run_label "$l"
		times[$l]="${times[$l]:-} $us"
		cpus[$l]="${cpus[$l]:-} $cpu"
	done
done
for l in $labels; do
	# shellcheck disable=SC2086
	ms[$l]=$(median ${times[$l]})
	# shellcheck disable=SC2086
	cms[$l]=$(median ${cpus[$l]})
done

echo
echo "$nns namespaces (plus $((nfound - nns)) others of the host), $((nns * per * 3)) objects; median of $reps runs, ms"
echo "(wall: elapsed; cpu: user + system time of the command and its children)"
printf '%-44s %9s %9s %13s\n' "command" "wall ms" "cpu ms" "wall vs ipcs"
row() {
	printf '%-44s %9s %9s %12.2fx\n' "$1" "${ms[$2]}" "${cms[$2]}" \
		"$(echo "${ms[$2]} / ${ms[ipcs-loop]}" | bc -l)"
}
row "ipcx check --all-ns" check
row "ipcx check --all-ns --prometheus" check-prom
row "ipcx ls --all-ns shm msg sem" ls
row "nsenter + ipcs -a, each namespace" ipcs-loop
row "nsenter + cat /proc/sysvipc/*, each namespace" cat-loop
echo "load average while measuring: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) CPUs"
if awk -v t="${ms[check]}" 'BEGIN { exit !(t < 1000) }'; then
	echo "target met: ipcx check --all-ns under a second"
else
	echo "target MISSED: ipcx check --all-ns took ${ms[check]} ms"
fi
