#!/usr/bin/env bats
# sig: signal sets, the queue against its limit, and handlers read from
# inside the process, against tests/helpers/sighandlers, whose state is
# known and which proves it still runs correctly afterwards.

load test_helper
load sig_helper

setup() {
	BG=()
}

teardown() {
	local p
	for p in "${BG[@]}"; do kill -KILL "$p" 2>/dev/null; wait "$p" 2>/dev/null; done
	stop_targets
}

# The kernel's view of a thread (or the process with TID = PID), as names.
kset() { names "$(status_field "$1/task/$2" "$3")"; }

@test "sig PID: pending, shared, blocked, ignored, caught and held sets as the kernel has them" {
	start_target
	table_row PID "$TPID" sig "$TPID"
	local st=$TPID/task/$TPID
	assert_equal "${R[PENDING]}" "$(names "$(status_field "$st" SigPnd)")"
	assert_equal "${R[SHDPND]}" "$(names "$(status_field "$st" ShdPnd)")"
	assert_equal "${R[BLOCKED]}" "$(names "$(status_field "$st" SigBlk)")"
	assert_equal "${R[IGNORED]}" "$(names "$(status_field "$st" SigIgn)")"
	assert_equal "${R[CAUGHT]}" "$(names "$(status_field "$st" SigCgt)")"
	# and what the helper did: raise(SIGINT), kill SIGQUIT, sigqueue twice
	assert_equal "${R[PENDING]}" SIGINT
	assert_equal "${R[SHDPND]}" SIGQUIT,SIGRTMIN+2
	assert_equal "${R[BLOCKED]}" "${T_BLOCKED[$TPID]}"
	assert_equal "${R[IGNORED]}" SIGPIPE,SIGXFSZ
	assert_equal "${R[CAUGHT]}" SIGUSR1,SIGUSR2,SIGCHLD,SIGRTMIN+1,SIGRTMIN+5
	# every pending signal is blocked, so every one is held
	assert_equal "${R[HELD]}" SIGINT,SIGQUIT,SIGRTMIN+2
	assert_equal "${R[COMMAND]}" sighandlers
}

@test "sig PID: nothing pending is '-', and nothing held" {
	start_target --no-pending
	table_row PID "$TPID" sig "$TPID"
	assert_equal "${R[PENDING]}" -
	assert_equal "${R[SHDPND]}" -
	assert_equal "${R[HELD]}" -
	assert_equal "${R[BLOCKED]}" SIGINT,SIGQUIT,SIGRTMIN+2
}

@test "sig: SIGQ and SIGQLIM are the kernel's count and the soft RLIMIT_SIGPENDING" {
	# SigQ counts the queued signals of every process of the real user:
	# a user of its own makes the count the helper's alone
	require_real_root
	command -v setpriv >/dev/null || skip "setpriv is not installed (util-linux)"
	TARGET_UID=54321 TARGET_SIGPENDING=777:888 start_target
	table_row PID "$TPID" sig "$TPID"
	local q
	q=$(status_field "$TPID" SigQ)
	assert_equal "${R[SIGQ]}" "${q%/*}"
	assert_equal "${R[SIGQLIM]}" 777
	assert_equal "$(awk '/^Max pending signals/ { print $4 }' "/proc/$TPID/limits")" 777
	# SIGINT, SIGQUIT and two SIGRTMIN+2
	assert_equal "${R[SIGQ]}" 4
}

@test "sig --threads: one row per thread with its own blocked and pending sets" {
	start_target --threads 2
	assert_equal "${#TIDS[@]}" 3
	local tid
	for tid in "${TIDS[@]}"; do
		table_row TID "$tid" sig --threads "$TPID"
		assert_equal "${R[PID]}" "$TPID"
		assert_equal "${R[BLOCKED]}" "${T_BLOCKED[$tid]}"
		assert_equal "${R[PENDING]}" "${T_PENDING[$tid]}"
		assert_equal "${R[BLOCKED]}" "$(kset "$TPID" "$tid" SigBlk)"
		assert_equal "${R[SHDPND]}" SIGQUIT,SIGRTMIN+2
		# each thread's own pending signal is blocked by it: held
		[[ ,${R[HELD]}, == *",${T_PENDING[$tid]},"* ]] || fail "HELD ${R[HELD]} lacks ${T_PENDING[$tid]}"
	done
	# the workers differ from each other
	[ "${T_BLOCKED[${TIDS[0]}]}" != "${T_BLOCKED[${TIDS[1]}]}" ]
	run ipcx sig --threads -n -r -o TID "$TPID"
	assert_success
	assert_equal "$(sort <<<"$output")" "$(printf '%s\n' "${TIDS[@]}" | sort)"
}

@test "sig: a process row gathers its threads: pending anywhere, blocked by all" {
	start_target --threads 2
	table_row PID "$TPID" sig "$TPID"
	# SIGINT on the main thread, SIGRTMIN+3 and +4 on the workers
	assert_equal "${R[PENDING]}" SIGINT,SIGRTMIN+3,SIGRTMIN+4
	# only the set common to every thread
	assert_equal "${R[BLOCKED]}" SIGINT,SIGQUIT,SIGRTMIN+2
	assert_equal "${R[HELD]}" SIGINT,SIGQUIT,SIGRTMIN+2,SIGRTMIN+3,SIGRTMIN+4
}

@test "sig -J: valid, typed JSON; empty sets are null" {
	require_jq
	start_target --no-pending
	run --separate-stderr ipcx sig -J -o +TID "$TPID"
	assert_success
	assert_json
	run jq -r '.signals[0] | [(.pid|type), (.sigq|type), (.sigqlim|type), (.blocked|type), (.pending|type), (.tid|type)] | join(" ")' <<<"$output"
	assert_output "number number number string null null"
	run --separate-stderr ipcx sig -J --threads "$TPID"
	assert_json
	run jq -r '.signals[0].tid' <<<"$output"
	assert_output "$TPID"
}

@test "sig: a process that is gone is an error line; the others are still shown; exit 1" {
	start_target --no-pending
	local gone; gone=$(gone_pid)
	run --separate-stderr ipcx sig -r -n -o PID "$TPID" "$gone" "$$"
	assert_failure 1
	assert_equal "$stderr" "ipcx: sig: $gone: no such process"
	assert_equal "$output" "$TPID"$'\n'"$$"
}

@test "sig: bad input is a one-line usage error" {
	run --separate-stderr ipcx sig 12x
	assert_failure 2
	assert_equal "$stderr" "ipcx: sig: invalid pid '12x': expected a process id"
	run --separate-stderr ipcx sig
	assert_failure 2
	assert_equal "$stderr" "ipcx: sig: expected one or more PIDs (see ipcx sig --help)"
	run --separate-stderr ipcx sig --threads --handlers 1
	assert_failure 2
	assert_output ''
	[[ $stderr == "ipcx: sig: --threads and --handlers do not go together"* ]]
	run --separate-stderr ipcx sig -o NOPE 1
	assert_failure 2
	assert_equal "$stderr" "ipcx: sig: unknown column 'NOPE' for sig (see --list-columns)"
}

@test "sig --list-columns: the state columns, and the handler columns with --handlers" {
	run ipcx sig --list-columns
	assert_success
	assert_line --regexp '^ \* HELD +pending signals kept back'
	refute_line --partial SYMBOL
	run ipcx sig --handlers --list-columns
	assert_line --regexp '^ \* SYMBOL '
	assert_line --regexp '^   SIGNO '
}

# --- handlers -----------------------------------------------------------

# The handler rows of pid as "SIGNAL|HANDLER|SYMBOL|FLAGS|MASK" lines,
# without the C library's own handlers of signals 32 and 33 (named by
# number), which it installs when a program starts a thread.
handler_rows() {
	"$IPCX" sig --handlers -J "$1" |
		jq -r '.handlers[] | select(.signal | startswith("SIG")) |
			[.signal, .handler, .symbol, (.flags // "-"), (.mask // "-")] | join("|")'
}

@test "sig --handlers: address, symbol, flags and mask of each handler, as the process set them" {
	require_jq
	start_target
	run handler_rows "$TPID"
	assert_success
	assert_equal "${#lines[@]}" 5
	local exe; exe=$(readlink "/proc/$TPID/exe")
	local sig addr sym flags mask
	for sig in SIGUSR1 SIGUSR2 SIGCHLD SIGRTMIN+1 SIGRTMIN+5; do
		local row
		row=$(printf '%s\n' "${lines[@]}" | grep "^$sig|")
		IFS='|' read -r _ addr sym flags mask <<<"$row"
		assert_equal "$addr" "${H_ADDR[$sig]}"
		assert_equal "$sym" "${H_NAME[$sig]}+0x0 ($exe)"
		assert_equal "$mask" "${H_MASK[$sig]}"
	done
	# flags: as the helper set them, plus SA_RESTORER from the C library;
	# the helper read the same numbers back from the kernel
	assert_line 'SIGUSR1|'"${H_ADDR[SIGUSR1]}"'|on_info+0x0 ('"$exe"')|SA_SIGINFO,SA_RESTORER,SA_RESTART|SIGUSR2,SIGTERM'
	assert_equal "${H_FLAGS[SIGUSR1]}" 0x14000004
	assert_line --regexp '^SIGUSR2\|.*\|SA_RESTORER,SA_ONSTACK,SA_NODEFER\|-$'
	assert_equal "${H_FLAGS[SIGUSR2]}" 0x4c000000
	assert_line --regexp '^SIGCHLD\|.*\|SA_NOCLDSTOP,SA_RESTORER,SA_RESTART\|-$'
	assert_equal "${H_FLAGS[SIGCHLD]}" 0x14000001
	assert_line --regexp '^SIGRTMIN\+5\|.*\|SA_RESTORER,SA_RESETHAND\|-$'
	assert_equal "${H_FLAGS[SIGRTMIN+5]}" 0x84000000
	assert_line --regexp '^SIGRTMIN\+1\|.*\|SA_SIGINFO,SA_RESTORER,SA_RESTART\|SIGINT$'
}

@test "sig --handlers: the process goes on: its read() completes with the right data, no EINTR, handlers fire" {
	require_jq
	start_target --no-pending
	local before; before=$(cat "/proc/$TPID/syscall")
	run handler_rows "$TPID"
	assert_success
	assert_equal "${#lines[@]}" 5
	# the read it was blocked in goes on, and gets the command whole
	ask ping
	assert_equal "$ANSWER" pong
	run grep -c '^eintr$' "$TOUT"
	assert_output 0
	# its state is untouched
	assert_equal "$(names "$(status_field "$TPID" SigBlk)")" SIGINT,SIGQUIT,SIGRTMIN+2
	run handler_rows "$TPID"
	assert_equal "${#lines[@]}" 5
	# and its handlers still run, with what was sent
	"$IPCX" kill -s USR1 --value 5 "$TPID"
	wait_received 1
	run received
	assert_output --regexp "^got sig=SIGUSR1 code=-1 value=5 pid=[0-9]+ tid=$TPID\$"
	ask ping
	assert_equal "$ANSWER" pong
	[ -n "$before" ]
}

@test "sig --handlers: a process blocked in pause() stays in it and still wakes for a handler" {
	require_jq
	start_target --no-pending --wait pause
	# the main thread is in pause (34 on x86-64)
	wait_syscall "$TPID" 34
	run handler_rows "$TPID"
	assert_success
	assert_equal "${#lines[@]}" 5
	wait_syscall "$TPID" 34
	ask state
	assert_equal "$ANSWER" "state wakeups=0 eintr=0 errors=0 last_errno=0 mask=SIGINT,SIGQUIT,SIGRTMIN+2"
	kill -USR1 "$TPID"
	wait_state 'wakeups=1 eintr=0 errors=0'
}

@test "sig --handlers: nanosleep() is resumed: the sleeps go on without errors or EINTR" {
	require_jq
	start_target --no-pending --wait nanosleep
	local i
	for i in 1 2 3; do
		wait_syscall "$TPID" '(35|230|219)'
		run handler_rows "$TPID"
		assert_success
		assert_equal "${#lines[@]}" 5
	done
	ask state
	local n=${ANSWER#state wakeups=}
	n=${n%% *}
	# two more sleeps end normally, and none failed
	local i
	for ((i = 0; i < 500; i++)); do
		ask state
		local now=${ANSWER#state wakeups=}
		[ "${now%% *}" -ge $((n + 2)) ] && break
		sleep 0.01
	done
	assert_equal "${ANSWER#state wakeups=* }" "eintr=0 errors=0 last_errno=0 mask=SIGINT,SIGQUIT,SIGRTMIN+2"
	[ "${now%% *}" -ge $((n + 2)) ]
}

@test "sig --handlers: sigsuspend() keeps its mask and wakes for a handler" {
	require_jq
	start_target --no-pending --wait sigsuspend
	wait_syscall "$TPID" 130
	run handler_rows "$TPID"
	assert_success
	assert_equal "${#lines[@]}" 5
	wait_syscall "$TPID" 130
	# still the mask of the call, SIGUSR2 added
	assert_equal "$(names "$(status_field "$TPID" SigBlk)")" SIGINT,SIGQUIT,SIGUSR2,SIGRTMIN+2
	kill -USR1 "$TPID"
	# and the call gave back the mask from before it
	wait_state "wakeups=1 eintr=0 errors=0 last_errno=0 mask=SIGINT,SIGQUIT,SIGRTMIN+2"
}

@test "sig --handlers: a multithreaded process; the workers go on" {
	require_jq
	start_target --no-pending --threads 2
	run handler_rows "$TPID"
	assert_success
	assert_equal "${#lines[@]}" 5
	"$IPCX" kill -s USR1 --thread "${TIDS[0]}" "$TPID"
	wait_received 1
	run received
	assert_output --regexp "^got sig=SIGUSR1 code=-6 value=0 pid=[0-9]+ tid=${TIDS[0]}\$"
}

@test "sig --handlers: a stopped process (group-stop) stays stopped, and continues afterwards" {
	require_jq
	start_target --no-pending
	kill -STOP "$TPID"
	wait_proc_state "$TPID" T
	run handler_rows "$TPID"
	assert_success
	assert_equal "${#lines[@]}" 5
	wait_proc_state "$TPID" T
	# still stopped: a command gets no answer until SIGCONT
	echo ping >&"$TFD"
	wait_proc_state "$TPID" T
	run grep -c '^pong$' "$TOUT"
	assert_output 0
	kill -CONT "$TPID"
	wait_output '^pong$'
	run grep -c '^eintr$' "$TOUT"
	assert_output 0
}

@test "sig --handlers: a process without handlers prints no rows and is not stopped" {
	sleep 1000 &
	BG+=("$!")
	local p=$!
	wait_proc_state "$p" S
	run --separate-stderr ipcx sig --handlers -n "$p"
	assert_success
	assert_output ''
	assert_equal "$(awk '/^TracerPid/ { print $2 }' "/proc/$p/status")" 0
}

@test "sig --handlers: already traced is explained with the tracer's pid and command" {
	command -v strace >/dev/null || skip "strace is not installed (tools/deps.sh installs it)"
	start_target --no-pending
	strace -q -e trace=none -p "$TPID" -o /dev/null &
	BG+=("$!")
	local s=$! i
	for ((i = 0; i < 500; i++)); do
		[ "$(status_field "$TPID" TracerPid)" = "$s" ] && break
		sleep 0.01
	done
	run --separate-stderr ipcx sig --handlers "$TPID"
	assert_failure 1
	assert_equal "$stderr" "ipcx: sig: $TPID: cannot read its handlers: it is already traced by process $s (strace)"
}

@test "sig --handlers: another user's process is explained (no CAP_SYS_PTRACE)" {
	require_real_root
	command -v setpriv >/dev/null || skip "setpriv is not installed (util-linux)"
	start_target --no-pending
	run --separate-stderr setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all \
		"$IPCX" sig --handlers "$TPID"
	assert_failure 1
	assert_equal "$stderr" "ipcx: sig: $TPID: cannot read its handlers: it runs as another user (uid 0) and ipcx lacks CAP_SYS_PTRACE"
	ask ping
	assert_equal "$ANSWER" pong
}

# wait_syscall PID REGEX: polls until the main thread is blocked in a system
# call whose number matches.
wait_syscall() {
	local i
	for ((i = 0; i < 1000; i++)); do
		[[ $(cut -d' ' -f1 "/proc/$1/syscall" 2>/dev/null) =~ ^$2$ ]] &&
			[ "$(awk '/^State:/ { print $2 }' "/proc/$1/status")" = S ] && return 0
		sleep 0.01
	done
	echo "process $1 is not blocked in system call $2: $(cat "/proc/$1/syscall")" >&2
	return 1
}

# wait_state TEXT: polls the target's "state" answer until it holds TEXT.
wait_state() {
	local i
	for ((i = 0; i < 500; i++)); do
		ask state
		[[ $ANSWER == *"$1"* ]] && return 0
		sleep 0.01
	done
	echo "state never became '$1': $ANSWER" >&2
	return 1
}

# wait_proc_state PID LETTER: polls /proc/PID/stat until its state is LETTER.
wait_proc_state() {
	local i
	for ((i = 0; i < 500; i++)); do
		[ "$(awk '/^State:/ { print $2 }' "/proc/$1/status")" = "$2" ] && return 0
		sleep 0.01
	done
	echo "process $1 never reached state $2: $(grep State "/proc/$1/status")" >&2
	return 1
}
