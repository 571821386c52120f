# Shared by sig.bats and kill.bats: starts tests/helpers/sighandlers, talks
# to it through a fifo on its stdin, and reads what it prints.

TARGETS=()
TARGET_FDS=()

# start_target ARGS...: starts sighandlers (as user TARGET_UID, with the
# RLIMIT_SIGPENDING TARGET_SIGPENDING=SOFT:HARD, when they are set), waits
# for "ready", and fills
# TPID, TOUT (its output file), TFD (the fd of its stdin), H_ADDR[SIG],
# H_NAME[SIG], H_FLAGS[SIG], H_MASK[SIG], TIDS (main thread last),
# T_BLOCKED[TID] and T_PENDING[TID].
declare -gA H_ADDR H_NAME H_FLAGS H_MASK T_BLOCKED T_PENDING
start_target() {
	local n=${#TARGETS[@]}
	local fifo="$BATS_TEST_TMPDIR/target$n.in"
	TOUT="$BATS_TEST_TMPDIR/target$n.out"
	mkfifo "$fifo"
	(
		for fd in "${TARGET_FDS[@]}"; do exec {fd}>&-; done
		if [ -n "${TARGET_SIGPENDING:-}" ]; then
			ulimit -S -i "${TARGET_SIGPENDING%:*}"
			ulimit -H -i "${TARGET_SIGPENDING#*:}"
		fi
		if [ -n "${TARGET_UID:-}" ]; then
			exec setpriv --reuid="$TARGET_UID" --regid="$TARGET_UID" --clear-groups \
				"$HELPERS/sighandlers" "$@"
		fi
		exec "$HELPERS/sighandlers" "$@"
	) <"$fifo" >"$TOUT" 2>&1 &
	TPID=$!
	exec {TFD}>"$fifo"
	TARGETS+=("$TPID")
	TARGET_FDS+=("$TFD")
	wait_output '^ready$' || { cat "$TOUT" >&2; return 1; }
	H_ADDR=() H_NAME=() H_FLAGS=() H_MASK=() T_BLOCKED=() T_PENDING=() TIDS=()
	local line w sig
	while IFS= read -r line; do
		case $line in
		handler\ *)
			read -ra w <<<"$line"
			sig=${w[1]}
			H_ADDR[$sig]=${w[2]#addr=}
			H_NAME[$sig]=${w[3]#name=}
			H_FLAGS[$sig]=${w[4]#flags=}
			H_MASK[$sig]=${w[5]#mask=}
			;;
		thread\ *)
			read -ra w <<<"$line"
			local tid=${w[1]#tid=}
			TIDS+=("$tid")
			T_BLOCKED[$tid]=${w[2]#blocked=}
			T_PENDING[$tid]=${w[3]#pending=}
			;;
		esac
	done <"$TOUT"
}

# Ends every target: end of file on its stdin, then SIGKILL if it lingers
# (a stopped one cannot read).
stop_targets() {
	local fd pid i
	for fd in "${TARGET_FDS[@]}"; do exec {fd}>&-; done
	for pid in "${TARGETS[@]}"; do
		kill -CONT "$pid" 2>/dev/null
		for ((i = 0; i < 300; i++)); do
			kill -0 "$pid" 2>/dev/null || break
			sleep 0.01
		done
		kill -KILL "$pid" 2>/dev/null
		wait "$pid" 2>/dev/null || true
	done
	TARGETS=()
	TARGET_FDS=()
}

# wait_output REGEX [FILE]: polls until a line of the target's output matches.
wait_output() {
	local i f=${2:-$TOUT}
	for ((i = 0; i < 1000; i++)); do
		grep -qE -- "$1" "$f" 2>/dev/null && return 0
		sleep 0.01
	done
	echo "no line matching '$1' in $f:" >&2
	cat "$f" >&2
	return 1
}

# ask CMD: sends a command and waits for its answer; the answer's lines
# are in ANSWER (for log, the "got" lines).
ask() {
	local before after i
	before=$(wc -l <"$TOUT")
	echo "$1" >&"$TFD"
	local want
	case $1 in
	ping) want='^pong$' ;;
	log) want='^end$' ;;
	state) want='^state ' ;;
	esac
	for ((i = 0; i < 1000; i++)); do
		if tail -n +"$((before + 1))" "$TOUT" | grep -qE "$want"; then
			ANSWER=$(tail -n +"$((before + 1))" "$TOUT" | sed -n "1,/$want/p" | grep -vx end)
			return 0
		fi
		sleep 0.01
	done
	echo "no answer to '$1':" >&2
	cat "$TOUT" >&2
	return 1
}

# The "got" lines the target has recorded so far.
received() {
	ask log && printf '%s\n' "$ANSWER" | grep '^got ' || true
}

# wait_received N: polls until the target has recorded N signals.
wait_received() {
	local i
	for ((i = 0; i < 500; i++)); do
		[ "$(received | wc -l)" -ge "$1" ] && return 0
		sleep 0.01
	done
	echo "the target recorded fewer than $1 signals:" >&2
	received >&2
	return 1
}

# names HEX: a signal mask as ipcx names it, decoded with the shell's own
# kill -l (realtime signals counted from SIGRTMIN); "-" when empty.
names() {
	local mask=$((16#$1)) n out="" rtmin
	rtmin=$(kill -l RTMIN 2>/dev/null || echo 34)
	for ((n = 1; n <= 64; n++)); do
		((mask >> (n - 1) & 1)) || continue
		local nm
		if ((n >= rtmin)); then
			nm=SIGRTMIN$( ((n > rtmin)) && echo "+$((n - rtmin))")
		else
			# glibc's own 32 and 33 have no name: a number, as ipcx prints them
			nm=$(kill -l "$n" 2>/dev/null)
			nm=${nm:+SIG$nm}
			nm=${nm:-$n}
		fi
		out+=${out:+,}$nm
	done
	echo "${out:--}"
}

# status_field PID[/task/TID] NAME: a field of /proc/PID/status.
status_field() {
	awk -v f="$2:" '$1 == f { print $2 }' "/proc/$1/status"
}

# A pid that no process has: a child that was started and reaped.
gone_pid() {
	true &
	local p=$!
	wait "$p"
	echo "$p"
}
