# Shared set-up of the bats suites: bats-assert, the binary under test, and
# guards that every test runs inside the private namespaces of tests/run.sh.
load '/usr/lib/bats/bats-support/load.bash'
load '/usr/lib/bats/bats-assert/load.bash'

TOP="$(cd "$BATS_TEST_DIRNAME/.." && pwd)"
IPCX="${IPCX:-$TOP/ipcx}"
HELPERS="$TOP/build/helpers"

if [ -z "${IPCX_IN_NS:-}" ]; then
	echo "run the suites through tests/run.sh (make check): they need private namespaces" >&2
	exit 1
fi

# ipcx as the tests call it
ipcx() { "$IPCX" "$@"; }

# Removes every object of the private namespace between tests.
clean_ipc() {
	local id
	for id in $(awk 'NR>1 {print $2}' /proc/sysvipc/shm); do ipcrm -m "$id" 2>/dev/null; done
	for id in $(awk 'NR>1 {print $2}' /proc/sysvipc/msg); do ipcrm -q "$id" 2>/dev/null; done
	for id in $(awk 'NR>1 {print $2}' /proc/sysvipc/sem); do ipcrm -s "$id" 2>/dev/null; done
	find /dev/shm -mindepth 1 -delete 2>/dev/null
	[ -n "${IPCX_TEST_MQ:-}" ] && find "$IPCX_TEST_MQ" -mindepth 1 -delete 2>/dev/null
	return 0
}

# require_real_root [WHAT]: skips, saying why, when the suite runs
# without real root; WHAT is what real root is needed for.
require_real_root() {
	if [ -n "${IPCX_TEST_UNPRIVILEGED:-}" ]; then
		skip "needs real root ${1:-to switch to another user (running in a user namespace)}"
	fi
}

# `run -N` and `run --separate-stderr`
bats_require_minimum_version 1.5.0

# Runs tests/helpers/mkipc without --hold; its lines land in MK[].
mk() {
	local out
	out=$("$HELPERS/mkipc" "$@") || { echo "mkipc $* failed" >&2; return 1; }
	mapfile -t MK <<<"$out"
}

HOLD_PIDS=()
HOLD_FDS=()

# Starts mkipc --hold; returns once it printed "ready", with its object
# lines in MK[] and its pid in HOLD_PID. Its stdin is a fifo that this
# shell keeps open; release (or the teardown) closes it.
hold() {
	local n=${#HOLD_PIDS[@]}
	local fifo="$BATS_TEST_TMPDIR/hold$n.in" out="$BATS_TEST_TMPDIR/hold$n.out"
	mkfifo "$fifo"
	# the holder must not keep another holder's fifo open, or that one
	# would never see end of file
	(
		for fd in "${HOLD_FDS[@]}"; do exec {fd}>&-; done
		exec "$HELPERS/mkipc" --hold "$@"
	) <"$fifo" >"$out" 2>&1 3>&- &
	local pid=$! fd
	exec {fd}>"$fifo"
	HOLD_PIDS+=("$pid")
	HOLD_FDS+=("$fd")
	HOLD_PID=$pid
	local i
	for ((i = 0; i < 1000; i++)); do
		if grep -qx ready "$out"; then
			mapfile -t MK < <(grep -vx ready "$out")
			return 0
		fi
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.01
	done
	echo "mkipc --hold $* did not get ready:" >&2
	cat "$out" >&2
	return 1
}

# end_processes FDS_ARRAY PIDS_ARRAY [TICKS [quiet]]: closes each fd of the
# first array (the stdin pipes of background helpers, so they see end of
# file), gives each pid of the second TICKS hundredths of a second (500) to
# exit, then SIGTERM, then SIGKILL, and reaps it: nothing a test started
# outlives it. A process that needed a signal is reported unless "quiet".
end_processes() {
	local -n end_fds=$1 end_pids=$2
	local i pid fd
	for fd in "${end_fds[@]}"; do
		exec {fd}>&-
	done
	for pid in "${end_pids[@]}"; do
		for ((i = 0; i < ${3:-500}; i++)); do
			kill -0 "$pid" 2>/dev/null || break
			sleep 0.01
		done
		if kill -TERM "$pid" 2>/dev/null; then
			[ "${4:-}" = quiet ] || echo "process $pid did not exit at end of file" >&2
			for ((i = 0; i < 100; i++)); do
				kill -0 "$pid" 2>/dev/null || break
				sleep 0.01
			done
			kill -KILL "$pid" 2>/dev/null || true
		fi
		wait "$pid" 2>/dev/null || true
	done
	end_fds=()
	end_pids=()
}

# Ends every holder by closing its stdin, and waits for it to exit.
release() {
	end_processes HOLD_FDS HOLD_PIDS
}

# errs [FILE]: $stderr (or FILE) without the note on processes that could
# not be read, which tells about the rest of the machine, not the test.
errs() {
	if [ $# -gt 0 ]; then
		grep -v ' not fully readable (permission denied)' "$1" || true
	else
		grep -v ' not fully readable (permission denied)' <<<"$stderr" || true
	fi
}

teardown() {
	release
}

# field LINE NAME: the value of NAME=VALUE in a line that mkipc printed.
field() {
	local w words
	read -ra words <<<"$1"
	for w in "${words[@]}"; do
		if [[ $w == "$2="* ]]; then
			printf '%s\n' "${w#*=}"
			return 0
		fi
	done
	echo "no field $2 in: $1" >&2
	return 1
}

# sysv KIND ID FIELD: a field of the object's line in /proc/sysvipc/KIND,
# found by the name in the file's header.
sysv() {
	local idcol
	case $1 in
	shm) idcol=shmid ;;
	msg) idcol=msqid ;;
	sem) idcol=semid ;;
	esac
	awk -v id="$2" -v f="$3" -v idcol="$idcol" '
		NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
		$col[idcol] == id { if (!(f in col)) exit 2; print $col[f]; found = 1 }
		END { exit !found }' "/proc/sysvipc/$1"
}

# The object count of /proc/sysvipc/KIND.
sysv_count() {
	awk 'NR > 1' "/proc/sysvipc/$1" | wc -l
}

# Skips, saying why, when jq is missing.
require_jq() {
	command -v jq >/dev/null || skip "jq is not installed (Debian package jq)"
}

# Fails unless $output is one valid JSON document.
assert_json() {
	require_jq
	jq -e . >/dev/null <<<"$output" || fail "not valid JSON: $output"
}

# table_row COL VALUE CMD...: runs ipcx CMD (with -r added, so cells are
# separated by single spaces and hold no raw space) and fills R[] (column
# name -> text) from the one row whose COL is VALUE.
declare -gA R
table_row() {
	local col=$1 val=$2 out i n=0
	shift 2
	out=$("$IPCX" "$@" -r) || { echo "ipcx $* -r failed" >&2; return 1; }
	local -a names cells
	R=()
	{
		read -ra names
		while read -ra cells; do
			local -A row=()
			for i in "${!names[@]}"; do row[${names[i]}]=${cells[i]-}; done
			if [[ ${row[$col]-} == "$val" ]]; then
				n=$((n + 1))
				for i in "${!names[@]}"; do R[${names[i]}]=${cells[i]-}; done
			fi
			unset row
		done
	} <<<"$out"
	if [ "$n" -ne 1 ]; then
		echo "ipcx $* -r: $n rows with $col=$val in:" >&2
		printf '%s\n' "$out" >&2
		return 1
	fi
}

# perms MODE: the rwx text of an octal mode, as stat prints it for a file.
perms() {
	local f="$BATS_TEST_TMPDIR/perms.$1"
	: >"$f"
	chmod "$1" "$f"
	stat -c %A "$f" | cut -c2-
}

# user_of UID / group_of GID: the name, or the number when there is none.
user_of() { getent passwd "$1" | cut -d: -f1 | grep . || echo "$1"; }
group_of() { getent group "$1" | cut -d: -f1 | grep . || echo "$1"; }

# hexkey DECIMAL: a key of /proc/sysvipc (signed decimal) as 0x%08x.
hexkey() { printf '0x%08x' $(($1 & 0xffffffff)); }

# iso EPOCH: a time as ipcx prints it with --time-format=iso.
iso() { date -d "@$1" --iso-8601=seconds; }

# bpf_walk_or_skip PID: skips, saying why, where the BPF process iterators
# cannot be loaded (not real root, a PID namespace of a container, no BTF,
# not x86-64); elsewhere they must load, asked about process PID.
bpf_walk_or_skip() {
	local err can=yes
	[ -z "${IPCX_TEST_UNPRIVILEGED:-}" ] || can="not real root"
	[ "$(stat -L -c %i /proc/self/ns/pid)" = 4026531836 ] || can="not in the initial PID namespace"
	[ -r /sys/kernel/btf/vmlinux ] || can="the kernel has no BTF"
	[ "$(uname -m)" = x86_64 ] || can="not x86-64"
	if ! err=$(IPCX_PSCAN=bpf "$IPCX" who "$1" 2>&1 >/dev/null); then
		[ "$can" != yes ] || { echo "the BPF iterators failed: $err" >&2; return 1; }
		skip "the BPF process iterators cannot run here ($can): $err"
	fi
}
