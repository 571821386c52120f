#!/usr/bin/env bats
# trace against what the kernel and the traced programs themselves report:
# sigrecord records every siginfo its handlers get, sigsend sends a known
# sequence, and /proc/PID/status says whether a process is traced, stopped
# or running.

load test_helper

setup() {
	BG=()
	R1=$(kill -l RTMIN+1)
	R2=$(kill -l RTMIN+2)
	T="$BATS_TEST_TMPDIR"
}

teardown() {
	local p
	for p in "${BG[@]}"; do
		kill -KILL "$p" 2>/dev/null
		wait "$p" 2>/dev/null
	done
	return 0
}

# poll CMD...: true once CMD succeeds, within 20 seconds.
poll() {
	local i
	for ((i = 0; i < 2000; i++)); do
		"$@" && return 0
		sleep 0.01
	done
	echo "timed out waiting for: $*" >&2
	return 1
}

# A field of /proc/PID/status.
status_of() { awk -v f="$2:" '$1 == f {print $2}' "/proc/$1/status" 2>/dev/null; }
# The process state letter of /proc/PID/stat (after the command's parenthesis).
state_of() { sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | cut -d' ' -f1; }
traced_by() { [ "$(status_of "$1" TracerPid)" = "$2" ]; }
untraced() { [ "$(status_of "$1" TracerPid)" = 0 ]; }
# Gone, or a zombie waiting for its parent.
dead() { [ ! -e "/proc/$1" ] || [ "$(state_of "$1")" = Z ]; }
ready_in() { grep -q '^ready ' "$1" 2>/dev/null; }
has_line() { grep -qE -- "$2" "$1" 2>/dev/null; }
lines_of() { [ "$(grep -cE -- "$2" "$1" 2>/dev/null)" -ge "$3" ]; }

# Starts sigrecord untraced with ARGS; fills TPID, TTID. Its standard
# input is the fifo $T/hold.in, held open by fd 8 until release_hold.
start_record() {
	mkfifo "$T/hold.in"
	"$HELPERS/sigrecord" "$@" <"$T/hold.in" >"$T/ready" 2>&1 &
	BG+=("$!")
	exec 8>"$T/hold.in"
	poll ready_in "$T/ready"
	read -r _ TPID TTID <"$T/ready"
}

# Starts ipcx trace ARGS in the background, its events to $T/trace.out;
# TRACER is its pid. With -- sigrecord, waits for the helper to be ready.
start_trace() {
	[ -p "$T/hold.in" ] || mkfifo "$T/hold.in"
	"$IPCX" trace -o "$T/trace.out" "$@" <"$T/hold.in" >"$T/ready" 2>"$T/trace.err" &
	TRACER=$!
	BG+=("$TRACER")
	exec 8>"$T/hold.in"
}

release_hold() { exec 8>&-; }

# Waits for the tracer to end; its exit status lands in TRC.
wait_tracer() {
	TRC=0
	wait "$TRACER" || TRC=$?
}

# The records with the sender's pid made a word, to compare two runs.
normal() { sed "s/pid=$2 /pid=SENDER /" "$1"; }

send() { "$HELPERS/sigsend" "$@" >"$T/sender"; }
sender() { cat "$T/sender"; }

SEQ() { echo "kill:10 tgkill:$1:12 queue:$R1:7 queue:$R1:8 queue:$R2:-3 kill:$R1"; }

@test "trace: a traced program receives exactly what it receives untraced" {
	start_record "$T/plain.rec" 6 --hold 10 12 "$R1" "$R2"
	send "$TPID" $(SEQ "$TPID")
	local s1; s1=$(sender)
	release_hold
	poll dead "$TPID"
	rm "$T/hold.in"

	start_trace -- "$HELPERS/sigrecord" "$T/traced.rec" 6 --hold 10 12 "$R1" "$R2"
	poll ready_in "$T/ready"
	read -r _ TPID _ <"$T/ready"
	poll traced_by "$TPID" "$TRACER"
	send "$TPID" $(SEQ "$TPID")
	local s2; s2=$(sender)
	release_hold
	wait_tracer
	assert_equal "$TRC" 0

	[ "$(wc -l <"$T/plain.rec")" -eq 6 ]
	diff <(normal "$T/plain.rec" "$s1") <(normal "$T/traced.rec" "$s2")
	# the trace shows each one, in the order the program got them
	local got want
	got=$(awk '$5 ~ /^SIG/ {print $6, $7, $8}' "$T/trace.out")
	want=$(awk '{split($1, a, "="); split($2, b, "="); print a[2], b[2], $3}' "$T/traced.rec" |
		while read -r sig code pid; do
			case $code in 0) c=SI_USER ;; -1) c=SI_QUEUE ;; -6) c=SI_TKILL ;; *) c=$code ;; esac
			echo "$sig $c pid=$s2"
		done)
	assert_equal "$got" "$want"
	assert_equal "$(grep -c ' -> handler$' "$T/trace.out")" 6
	run grep -c "exited 0\$" "$T/trace.out"
	assert_output 1
}

@test "trace: realtime signals queued with values come in order, each with its value" {
	start_trace -- "$HELPERS/sigrecord" "$T/rt.rec" 5 --hold "$R1"
	poll ready_in "$T/ready"
	read -r _ TPID _ <"$T/ready"
	poll traced_by "$TPID" "$TRACER"
	send "$TPID" queue:$R1:11 queue:$R1:-22 queue:$R1:33 queue:$R1:44 queue:$R1:55
	release_hold
	wait_tracer
	assert_equal "$TRC" 0
	assert_equal "$(sed 's/.*value=\([^ ]*\).*/\1/' "$T/rt.rec" | paste -sd,)" "11,-22,33,44,55"
	assert_equal "$(grep -o 'SIGRTMIN+1 [0-9]* SI_QUEUE .*value=[^ ]*' "$T/trace.out" |
		sed 's/.*value=//' | paste -sd,)" "11,-22,33,44,55"
	grep -q "SIGRTMIN+1 $R1 SI_QUEUE pid=$(sender) uid=0 value=11 -> handler" "$T/trace.out"
}

@test "trace -p: a signal sent to a worker thread shows that thread's id" {
	start_record "$T/thr.rec" 1 --thread 10
	[ "$TTID" != "$TPID" ]
	start_trace -p "$TPID"
	poll traced_by "$TTID" "$TRACER"
	poll traced_by "$TPID" "$TRACER"
	send "$TPID" "tgkill:$TTID:10"
	poll dead "$TPID"
	assert_equal "$(cat "$T/thr.rec")" "sig=10 code=-6 pid=$(sender) uid=0 value=- thread=worker"
	poll has_line "$T/trace.out" "^[^ ]+ +$TPID +$TTID sigrecord SIGUSR1 10 SI_TKILL pid=$(sender) "
	wait_tracer
	assert_equal "$TRC" 0
}

@test "trace -f: follows a fork and the child's exec; without -f only the parent" {
	local script='sh -c "kill -USR1 \$\$"; exit 5'
	run "$IPCX" trace -f -o "$T/f.out" -- sh -c "$script"
	assert_failure 5
	local child
	child=$(awk '$5 == "fork" {sub("child=", "", $6); print $6}' "$T/f.out")
	[ -n "$child" ]
	grep -qE "^[^ ]+ +$child +$child [^ ]+ exec /" "$T/f.out"
	grep -qE "^[^ ]+ +$child +$child sh SIGUSR1 10 SI_USER pid=$child comm=sh uid=0 -> default:terminate" "$T/f.out"
	grep -qE "^[^ ]+ +$child +$child sh killed SIGUSR1 10$" "$T/f.out"
	grep -qE " exited 5$" "$T/f.out"

	run "$IPCX" trace -o "$T/nof.out" -- sh -c "$script"
	assert_failure 5
	# every line is the launched shell's, which execs once and exits
	run grep -cE 'fork|SIGUSR1 10 SI_USER' "$T/nof.out"
	assert_output 0
	assert_equal "$(awk '{print $2}' "$T/nof.out" | sort -u | wc -l)" 1
	grep -qE " exec /" "$T/nof.out"
	grep -qE " exited 5$" "$T/nof.out"
}

@test "trace -p: a group-stop keeps the process stopped until SIGCONT" {
	start_record "$T/gs.rec" 1 10
	start_trace -p "$TPID"
	poll traced_by "$TPID" "$TRACER"
	kill -STOP "$TPID"
	poll has_line "$T/trace.out" " stopped SIGSTOP 19$"
	# a signal sent now waits: the process is stopped, with it pending
	kill -USR1 "$TPID"
	poll test "$(( 0x$(status_of "$TPID" ShdPnd) & 0x200 ))" -ne 0
	[[ $(state_of "$TPID") == [tT] ]]
	[ ! -s "$T/gs.rec" ]
	kill -CONT "$TPID"
	poll has_line "$T/trace.out" " continued$"
	poll dead "$TPID"
	grep -q "^sig=10 code=0 " "$T/gs.rec"
	# the sender lives on (this shell): its command is named
	grep -q " SIGCONT 18 SI_USER pid=$BASHPID comm=$(cat /proc/$BASHPID/comm) uid=0 -> default:continue$" "$T/trace.out"
	wait_tracer
	assert_equal "$TRC" 0
}

@test "trace: SIGINT detaches, leaving a stopped tracee stopped and a running one running" {
	start_record "$T/run.rec" 1 10
	local running=$TPID
	"$HELPERS/sigrecord" "$T/stop.rec" 1 10 </dev/null >"$T/ready2" &
	BG+=("$!")
	poll ready_in "$T/ready2"
	local stopped; read -r _ stopped _ <"$T/ready2"
	start_trace -p "$running" -p "$stopped"
	poll traced_by "$running" "$TRACER"
	poll traced_by "$stopped" "$TRACER"
	kill -STOP "$stopped"
	poll has_line "$T/trace.out" "^[^ ]+ +$stopped .* stopped SIGSTOP"
	kill -INT "$TRACER"
	wait_tracer
	assert_equal "$TRC" 0
	untraced "$running"
	untraced "$stopped"
	assert_equal "$(state_of "$stopped")" T
	[[ $(state_of "$running") == [SR] ]]
	# both work on as before
	kill -USR1 "$running"
	poll dead "$running"
	grep -q "^sig=10 code=0 " "$T/run.rec"
	kill -USR1 "$stopped"
	kill -CONT "$stopped"
	poll dead "$stopped"
	grep -q "^sig=10 code=0 " "$T/stop.rec"
}

@test "trace: kill -9 of the tracer leaves a launched command running; --kill-on-exit ends it" {
	start_trace -- "$HELPERS/sigrecord" "$T/k.rec" 1 10
	poll ready_in "$T/ready"
	read -r _ TPID _ <"$T/ready"
	poll traced_by "$TPID" "$TRACER"
	kill -KILL "$TRACER"
	poll untraced "$TPID"
	[[ $(state_of "$TPID") == [SR] ]]
	kill -USR1 "$TPID"
	poll dead "$TPID"
	grep -q "^sig=10 code=0 " "$T/k.rec"

	rm -f "$T/hold.in" "$T/ready"
	start_trace --kill-on-exit -- "$HELPERS/sigrecord" "$T/k2.rec" 1 10
	poll ready_in "$T/ready"
	read -r _ TPID _ <"$T/ready"
	poll traced_by "$TPID" "$TRACER"
	kill -KILL "$TRACER"
	poll dead "$TPID"
	[ ! -s "$T/k2.rec" ]
}

@test "trace: exits with the launched command's status, or 128+N when a signal killed it" {
	run "$IPCX" trace -o "$T/x.out" -- sh -c 'exit 7'
	assert_failure 7
	grep -q " exited 7$" "$T/x.out"
	run "$IPCX" trace -o "$T/x.out" -- sh -c 'kill -TERM $$'
	assert_failure 143
	grep -q " killed SIGTERM 15$" "$T/x.out"
	run "$IPCX" trace -o "$T/x.out" -- true
	assert_success
}

@test "trace --json: one valid object per line with typed values" {
	require_jq
	start_trace --json -- "$HELPERS/sigrecord" "$T/j.rec" 2 --hold 10 "$R1"
	poll ready_in "$T/ready"
	read -r _ TPID _ <"$T/ready"
	poll traced_by "$TPID" "$TRACER"
	send "$TPID" kill:10 queue:$R1:-9
	release_hold
	wait_tracer
	assert_equal "$TRC" 0
	local s; s=$(sender)
	while IFS= read -r line; do
		jq -e . >/dev/null <<<"$line" || fail "not JSON: $line"
	done <"$T/trace.out"
	run jq -c 'select(.event == "signal") | [.pid, .signal, .signo, .code, .si_code, .sender_pid, .sender_uid, .sender_command, .value, .addr, .disposition, .default_action]' "$T/trace.out"
	assert_output "[$TPID,\"SIGUSR1\",10,\"SI_USER\",0,$s,0,null,null,null,\"handler\",null]
[$TPID,\"SIGRTMIN+1\",$R1,\"SI_QUEUE\",-1,$s,0,null,-9,null,\"handler\",null]"
	run jq -c 'select(.event == "exited") | [.pid, .exit_code, (.time | type)]' "$T/trace.out"
	assert_output "[$TPID,0,\"number\"]"
}

@test "trace -c: counts per signal and si_code, as the program received them" {
	start_trace -c -- "$HELPERS/sigrecord" "$T/c.rec" 5 --hold 10 "$R1"
	poll ready_in "$T/ready"
	read -r _ TPID _ <"$T/ready"
	poll traced_by "$TPID" "$TRACER"
	send "$TPID" queue:$R1:1 queue:$R1:2 queue:$R1:3 kill:10 kill:$R1
	release_hold
	wait_tracer
	assert_equal "$TRC" 0
	local want
	want=$(awk '{print $1, $2}' "$T/c.rec" | sort | uniq -c |
		awk '{split($2, s, "="); split($3, c, "="); print s[2], c[2], $1}' | sort -n)
	local got
	got=$(awk 'NR > 1 {c = $3 == "SI_USER" ? 0 : $3 == "SI_QUEUE" ? -1 : $3; print $2, c, $4}' "$T/trace.out" | sort -n)
	assert_equal "$got" "$want"
	head -1 "$T/trace.out" | grep -qE '^SIGNAL +NUMBER +CODE +COUNT$'
	grep -qE "^SIGRTMIN\+1 +$R1 +SI_QUEUE +3$" "$T/trace.out"
}

@test "trace -e: shows only the chosen signals, and still delivers the others" {
	start_trace -e USR1 -- "$HELPERS/sigrecord" "$T/e.rec" 3 --hold 10 12 "$R1"
	poll ready_in "$T/ready"
	read -r _ TPID _ <"$T/ready"
	poll traced_by "$TPID" "$TRACER"
	send "$TPID" kill:10 kill:12 queue:$R1:4
	release_hold
	wait_tracer
	assert_equal "$TRC" 0
	[ "$(wc -l <"$T/e.rec")" -eq 3 ]
	run grep -cE ' SIG[A-Z0-9+]+ [0-9]+ SI_' "$T/trace.out"
	assert_output 1
	grep -q " SIGUSR1 10 SI_USER " "$T/trace.out"
}

@test "trace: bad input is one line and exit 2" {
	run --separate-stderr ipcx trace -e BOGUS -- true
	assert_failure 2
	assert_equal "${#stderr_lines[@]}" 1
	assert_equal "$stderr" "ipcx: trace: invalid signal 'BOGUS' in -e 'BOGUS': expected a name or number such as TERM, SIGUSR1, RTMIN+2 or 15"
	run --separate-stderr ipcx trace -p 12x
	assert_failure 2
	assert_equal "$stderr" "ipcx: trace: invalid pid '12x': expected a process id"
	run --separate-stderr ipcx trace
	assert_failure 2
	assert_equal "${#stderr_lines[@]}" 1
	[[ $stderr == "ipcx: trace: nothing to trace: give -p PID or -- COMMAND"* ]]
	run --separate-stderr ipcx trace -p
	assert_failure 2
	assert_equal "${#stderr_lines[@]}" 1
	run --separate-stderr ipcx trace --time-format=week -- true
	assert_failure 2
	assert_equal "${#stderr_lines[@]}" 1
}

@test "trace -p: a process traced already is refused, naming its tracer" {
	start_record "$T/p.rec" 1 10
	start_trace -p "$TPID"
	poll traced_by "$TPID" "$TRACER"
	run --separate-stderr ipcx trace -p "$TPID"
	assert_failure 1
	assert_equal "$stderr" "ipcx: trace: cannot trace process $TPID: it is already traced by process $TRACER ($(basename "$IPCX"))"
	# the first tracer goes on undisturbed
	traced_by "$TPID" "$TRACER"
	kill -USR1 "$TPID"
	poll dead "$TPID"
	poll has_line "$T/trace.out" " SIGUSR1 10 SI_USER "
}

@test "trace -p: a pid that is not a process is an error" {
	local pid=$(( $(cat /proc/sys/kernel/pid_max) - 1 ))
	while [ -e "/proc/$pid" ]; do pid=$((pid - 1)); done
	run --separate-stderr ipcx trace -p "$pid"
	assert_failure 1
	assert_equal "$stderr" "ipcx: trace: no process $pid"
}

@test "trace: a fault shows its si_code and address, as the handler gets them" {
	run --separate-stderr ipcx trace -o "$T/segv.out" -- "$HELPERS/sigfault"
	assert_success
	assert_output "code=1 addr=0x10"
	grep -qE " sigfault SIGSEGV 11 SEGV_MAPERR addr=0x10 -> handler$" "$T/segv.out"
	run grep -c ' SIGSEGV ' "$T/segv.out"
	assert_output 1
}

@test "trace: a thread made after launch is traced too, and its signal shown with its id" {
	start_trace -- "$HELPERS/sigrecord" "$T/lt.rec" 1 --thread 10
	poll ready_in "$T/ready"
	read -r _ TPID TTID <"$T/ready"
	[ "$TTID" != "$TPID" ]
	traced_by "$TTID" "$TRACER"
	send "$TPID" "tgkill:$TTID:10"
	wait_tracer
	assert_equal "$TRC" 0
	assert_equal "$(cat "$T/lt.rec")" "sig=10 code=-6 pid=$(sender) uid=0 value=- thread=worker"
	grep -qE "^[^ ]+ +$TPID +$TTID sigrecord SIGUSR1 10 SI_TKILL pid=$(sender)( comm=sigsend)? uid=0 -> handler$" "$T/trace.out"
}

@test "trace -p: a thread's id is refused, naming its process" {
	start_record "$T/tid.rec" 1 --thread 10
	run --separate-stderr ipcx trace -p "$TTID"
	assert_failure 1
	assert_equal "$stderr" "ipcx: trace: cannot trace process $TTID: $TTID is a thread of process $TPID: trace the process"
	untraced "$TPID"
	untraced "$TTID"
}

@test "trace -p: another user's process is refused, saying why" {
	require_real_root
	start_record "$T/u.rec" 1 10
	run --separate-stderr setpriv --reuid=65534 --regid=65534 --clear-groups "$IPCX" trace -p "$TPID"
	assert_failure 1
	assert_equal "$stderr" "ipcx: trace: cannot trace process $TPID: it runs as another user (uid 0) and ipcx lacks CAP_SYS_PTRACE"
	untraced "$TPID"
}

@test "trace --time-format: short, relative and iso times" {
	ipcx trace -o "$T/short.out" -- true
	grep -qE '^[0-2][0-9]:[0-5][0-9]:[0-5][0-9]\.[0-9]{6} ' "$T/short.out"
	ipcx trace --time-format=relative -o "$T/rel.out" -- true
	grep -qE '^\+[0-9]+\.[0-9]{6} ' "$T/rel.out"
	ipcx trace --time-format=iso -o "$T/iso.out" -- true
	grep -qE '^[0-9]{4}-[01][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-5][0-9]\.[0-9]{6}[+-][0-9]{2}:[0-9]{2} ' "$T/iso.out"
}
