# Shared by the suites of the commands that change state (mk, rm, send and
# recv, sem, shm): processes that hold or wait on objects, and readings of
# the kernel's own view of the objects, to compare ipcx's work with.
# Load after test_helper.

bats_require_minimum_version 1.5.0

ATTACH="$HELPERS/attach"
# A user that owns nothing here, for the permission tests.
NOBODY="setpriv --reuid=65534 --regid=65534 --clear-groups"

BG_PIDS=()
BG_FDS=()

# spawn CMD...: runs CMD in the background with its stdin a fifo that this
# shell holds open (closing it tells a holder to go) and its output in
# $SPAWN_OUT; its pid lands in SPAWN_PID.
spawn() {
	local n=${#BG_PIDS[@]}
	local fifo="$BATS_TEST_TMPDIR/bg$n.in"
	SPAWN_OUT="$BATS_TEST_TMPDIR/bg$n.out"
	mkfifo "$fifo"
	# a process must not keep another one's fifo open, or that one would
	# never see end of file; fd 3 is bats's own and must not be inherited
	(
		for fd in "${BG_FDS[@]}"; do exec {fd}>&-; done
		exec "$@"
	) <"$fifo" >"$SPAWN_OUT" 2>&1 3>&- &
	SPAWN_PID=$!
	local fd
	exec {fd}>"$fifo"
	BG_PIDS+=("$SPAWN_PID")
	BG_FDS+=("$fd")
}

# holder MODE ARG...: starts tests/helpers/attach and returns once it holds
# the object; its "ready" line lands in READY, its pid in SPAWN_PID.
holder() {
	spawn "$ATTACH" "$@"
	local i
	for ((i = 0; i < 500; i++)); do
		if READY=$(grep -m1 '^ready' "$SPAWN_OUT"); then
			return 0
		fi
		kill -0 "$SPAWN_PID" 2>/dev/null || break
		sleep 0.01
	done
	echo "attach $* did not get ready:" >&2
	cat "$SPAWN_OUT" >&2
	return 1
}

# ready_field NAME: a NAME=VALUE of the last holder's ready line.
ready_field() {
	local w
	for w in $READY; do
		[[ $w == "$1="* ]] && { printf '%s\n' "${w#*=}"; return 0; }
	done
	echo "no $1 in: $READY" >&2
	return 1
}

# gone PID: true once the process has exited (and is reaped).
gone() {
	! kill -0 "$1" 2>/dev/null
}

# Ends every background process: end of file first, then SIGTERM, then
# SIGKILL, so that no holder or waiter outlives its test.
stop_all() {
	end_processes BG_FDS BG_PIDS 50 quiet
}

# eventually CMD ARG... | eventually 'SHELL TEXT': retries the command, or
# evaluates the text (so that what it reads is read again each time), for
# up to 5 seconds until it succeeds.
eventually() {
	local i
	for ((i = 0; i < 500; i++)); do
		if [ $# -eq 1 ]; then
			eval "$1" 2>/dev/null && return 0
		else
			"$@" 2>/dev/null && return 0
		fi
		sleep 0.01
	done
	echo "still false after 5 s: $*" >&2
	return 1
}

# clock_after T: true once the clock's second is past T.
clock_after() {
	[ "$(date +%s)" -gt "$1" ]
}

# kf KIND ID FIELD: the same as sysv in test_helper (a field of the
# object's line in /proc/sysvipc/KIND), under the short name these suites use.
kf() {
	sysv "$@"
}

# The number of objects in /proc/sysvipc/KIND.
kcount() {
	awk 'NR > 1' "/proc/sysvipc/$1" | wc -l
}

# khex DECIMAL: a key of /proc/sysvipc (signed decimal) as 0x%08x.
khex() {
	printf '0x%08x\n' $(($1 & 0xffffffff))
}

# semval ID NUM [FIELD]: value (or ncount, zcount) of one semaphore of a
# set, as util-linux ipcs reports it.
semval() {
	ipcs -s -i "$1" | awk -v n="$2" -v f="${3:-value}" '
		$1 == "semnum" { for (i = 1; i <= NF; i++) col[$i] = i; hdr = 1; next }
		hdr && $1 == n { print $col[f]; found = 1 }
		END { exit !found }'
}

# semvals ID: every value of a set, comma separated, from ipcs.
semvals() {
	ipcs -s -i "$1" | awk '
		$1 == "semnum" { hdr = 1; next }
		hdr && NF >= 5 { printf "%s%s", sep, $2; sep = "," }
		END { print "" }'
}

# qbytes ID: a System V queue's byte limit, from ipcs.
qbytes() {
	ipcs -q -i "$1" | sed -n 's/.*qbytes=\([0-9]*\).*/\1/p'
}

# psem_word NAME [waiters]: glibc's sem_t word read from the file: the
# value in its low 32 bits, the number of waiters in its high 32 bits.
psem_word() {
	local skip=0
	[ "${2:-}" = waiters ] && skip=4
	od -An -tu4 -j "$skip" -N4 "/dev/shm/sem.$1" | tr -d ' '
}

# mqf NAME FIELD: a field (QSIZE, NOTIFY_PID, ...) of a POSIX queue's file.
mqf() {
	tr -s ' ' '\n' <"$IPCX_TEST_MQ/$1" | sed -n "s/^$2://p"
}

# mq_attr NAME FIELD: curmsgs, maxmsg or msgsize of a POSIX queue, from
# mq_getattr in a process of its own.
mq_attr() {
	"$ATTACH" mq "/$1" </dev/null | sed -n "s/.* $2=\([0-9]*\).*/\1/p"
}

# Everything a command could change, as text: the System V tables (with
# every semaphore value) and every POSIX file's type, size, mode, owner,
# mtime and content. (Reading a queue's file sets its ctime: not compared.)
# Two equal snapshots mean nothing changed.
ipc_state() {
	local key id rest line f
	# read by the shell itself: this runs twice for every bad input
	for f in /proc/sysvipc/shm /proc/sysvipc/msg /proc/sysvipc/sem; do
		while IFS= read -r line; do
			printf '%s\n' "$line"
		done <"$f"
	done
	while read -r key id rest; do
		[ "$key" = key ] || echo "sem $id: $(semvals "$id")"
	done </proc/sysvipc/sem
	local files=()
	shopt -s nullglob
	files=(/dev/shm/* "$IPCX_TEST_MQ"/*)
	shopt -u nullglob
	if [ ${#files[@]} -gt 0 ]; then
		stat -c '%n %F %s %a %u %g %Y' "${files[@]}"
		md5sum "${files[@]}" 2>&1
	fi
}

# Records the state, to compare with unchanged later.
snapshot() {
	BEFORE=$(ipc_state)
	unset SAME_SINCE_USAGE
}

# Fails, showing the difference, unless the state is what snapshot saw.
unchanged() {
	local now
	now=$(ipc_state)
	if [ "$now" != "$BEFORE" ]; then
		diff <(printf '%s\n' "$BEFORE") <(printf '%s\n' "$now") >&2
		fail "the IPC state changed"
	fi
}

# bad_usage ARGS...: ipcx ARGS must fail as a usage error: exit 2, one line
# on stderr, nothing on stdout, nothing changed. The line lands in $stderr.
# Usage errors come in runs: the state seen after one is the state before
# the next, so a test that changes something between two of them calls
# snapshot (else the next one fails, telling what changed).
bad_usage() {
	[ -n "${SAME_SINCE_USAGE:-}" ] || snapshot
	run --separate-stderr "$IPCX" "$@"
	assert_equal "$status" 2
	assert_equal "$output" ""
	assert_equal "${#stderr_lines[@]}" 1
	unchanged
	SAME_SINCE_USAGE=1
}

# bad_runtime ARGS...: as bad_usage, for a runtime failure (exit 1); the
# output is left in $output and $stderr for the caller to check.
bad_runtime() {
	snapshot
	run --separate-stderr "$IPCX" "$@"
	assert_equal "$status" 1
	unchanged
}

# tracee PID: the pid of the program that strace (PID) runs.
tracee() {
	pgrep -P "$1" | head -n 1
}

# sysno NAME: the number of a system call, from the C headers.
sysno() {
	printf '#include <sys/syscall.h>\nSYS_%s\n' "$1" | cpp -P | tail -n 1
}

# in_syscall PID NR: true while process PID is inside system call NR.
in_syscall() {
	local nr rest
	read -r nr rest <"/proc/$1/syscall" && [ "$nr" = "$2" ]
}

# delayed NAME N USEC [STRACE OPTION...] -- CMD...: runs CMD under strace
# with its Nth call of NAME (among those the options let strace see) held
# back on entry for USEC microseconds, and returns once CMD is held there;
# the strace pid is in SPAWN_PID, the output of CMD in SPAWN_OUT.
# AddressSanitizer's leak check cannot run under ptrace: it is turned off.
delayed() {
	local name=$1 n=$2 usec=$3 opts=()
	shift 3
	while [ "$1" != -- ]; do
		opts+=("$1")
		shift
	done
	shift
	local nr t
	nr=$(sysno "$name")
	[ -n "$nr" ] || { echo "no system call $name" >&2; return 1; }
	spawn env "ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" \
		strace -o /dev/null "${opts[@]}" -e trace="$name" \
		-e inject="$name:delay_enter=$usec:when=$n" "$@"
	eventually '[ -n "$(tracee "$SPAWN_PID")" ]'
	t=$(tracee "$SPAWN_PID")
	# held when it is still inside the call a moment later
	eventually "in_syscall $t $nr && sleep 0.1 && in_syscall $t $nr"
}

# timed ARGS...: bats's run --separate-stderr ARGS, with the wall time it
# took in ELAPSED (milliseconds).
timed() {
	local t0
	t0=$(date +%s%N)
	run --separate-stderr "$@"
	ELAPSED=$((($(date +%s%N) - t0) / 1000000))
}
