#!/usr/bin/env bats
# kill: kill(2), sigqueue with a value, tgkill to one thread, against
# tests/helpers/sighandlers, whose handlers record the siginfo they get.

load test_helper
load sig_helper

teardown() {
	stop_targets
}

# si_code values of <asm-generic/siginfo.h>
SI_USER=0
SI_QUEUE=-1
SI_TKILL=-6

@test "kill -s SIG PID: kill(2), received as SI_USER" {
	start_target --no-pending
	run --separate-stderr ipcx kill -s USR1 "$TPID"
	assert_success
	assert_output ''
	assert_equal "$stderr" ''
	wait_received 1
	run received
	assert_output --regexp "^got sig=SIGUSR1 code=$SI_USER value=0 pid=[1-9][0-9]* tid=[0-9]+\$"
}

@test "kill --value N: sigqueue, received as SI_QUEUE with the value, in order" {
	start_target --no-pending
	local v
	for v in 7 -3 2147483647 -2147483648 0x10; do
		run ipcx kill -s RTMIN+1 --value "$v" "$TPID"
		assert_success
	done
	wait_received 5
	run received
	assert_line --index 0 --regexp "^got sig=SIGRTMIN\+1 code=$SI_QUEUE value=7 "
	assert_line --index 1 --regexp "^got sig=SIGRTMIN\+1 code=$SI_QUEUE value=-3 "
	assert_line --index 2 --regexp "^got sig=SIGRTMIN\+1 code=$SI_QUEUE value=2147483647 "
	assert_line --index 3 --regexp "^got sig=SIGRTMIN\+1 code=$SI_QUEUE value=-2147483648 "
	assert_line --index 4 --regexp "^got sig=SIGRTMIN\+1 code=$SI_QUEUE value=16 "
}

@test "kill --value: a blocked realtime signal stays queued, pending and held" {
	start_target --no-pending --wait pause
	# SIGRTMIN+2 is blocked and has no handler: the queue is read from /proc
	local v
	for v in 11 22 33; do
		ipcx kill -s RTMIN+2 --value "$v" "$TPID"
	done
	run ipcx sig -r -n -o SHDPND,HELD "$TPID"
	assert_output "SIGRTMIN+2 SIGRTMIN+2"
}

@test "kill --thread TID: tgkill, received by that thread as SI_TKILL" {
	start_target --no-pending --threads 2
	local w=${TIDS[1]}
	run ipcx kill -s USR1 --thread "$w" "$TPID"
	assert_success
	wait_received 1
	run received
	assert_output --regexp "^got sig=SIGUSR1 code=$SI_TKILL value=0 pid=[0-9]+ tid=$w\$"
}

@test "kill --thread TID --value N: to one thread with a value (SI_QUEUE)" {
	start_target --no-pending --threads 2
	local w=${TIDS[0]}
	run ipcx kill -s RTMIN+1 --value 99 --thread "$w" "$TPID"
	assert_success
	wait_received 1
	run received
	assert_output --regexp "^got sig=SIGRTMIN\+1 code=$SI_QUEUE value=99 pid=[0-9]+ tid=$w\$"
}

@test "kill --thread: a thread of another process is no such process" {
	start_target --no-pending --threads 1
	run --separate-stderr ipcx kill -s USR1 --thread "${TIDS[0]}" "$$"
	assert_failure 1
	assert_equal "$stderr" "ipcx: kill: $$: thread ${TIDS[0]}: no such process"
	run received
	assert_output ''
}

@test "kill -SIG and -NUM, as kill(1) takes them" {
	start_target --no-pending
	run ipcx kill -USR1 "$TPID"
	assert_success
	run ipcx kill -"$(kill -l USR2)" "$TPID"
	assert_success
	run ipcx kill -SIGRTMIN+1 "$TPID"
	assert_success
	wait_received 3
	run received
	assert_line --index 0 --partial 'sig=SIGUSR1 '
	assert_line --index 1 --partial 'sig=SIGUSR2 '
	assert_line --index 2 --partial 'sig=SIGRTMIN+1 '
}

@test "kill -s 0: checks that the process exists, sends nothing" {
	start_target --no-pending
	run --separate-stderr ipcx kill -s 0 "$TPID"
	assert_success
	local gone; gone=$(gone_pid)
	run --separate-stderr ipcx kill -0 "$gone"
	assert_failure 1
	assert_equal "$stderr" "ipcx: kill: $gone: no such process"
	ask ping
	run received
	assert_output ''
}

@test "kill: one bad pid among good ones: an error line for it, the others signalled, exit 1" {
	start_target --no-pending
	local a=$TPID afile=$TOUT
	start_target --no-pending
	local b=$TPID
	local gone; gone=$(gone_pid)
	run --separate-stderr ipcx kill -s USR1 "$a" "$gone" "$b"
	assert_failure 1
	assert_equal "$stderr" "ipcx: kill: $gone: no such process"
	wait_received 1
	TOUT=$afile TFD=${TARGET_FDS[0]} wait_received 1
}

@test "kill: another user's process is not permitted" {
	require_real_root
	command -v setpriv >/dev/null || skip "setpriv is not installed (util-linux)"
	start_target --no-pending
	run --separate-stderr setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all \
		"$IPCX" kill -s USR1 "$TPID"
	assert_failure 1
	assert_equal "$stderr" "ipcx: kill: $TPID: operation not permitted"
	run received
	assert_output ''
}

@test "kill: bad input is a one-line usage error and sends nothing" {
	start_target --no-pending
	local p=$TPID
	run --separate-stderr ipcx kill -s FOO "$p"
	assert_failure 2
	assert_equal "$stderr" "ipcx: kill: invalid signal 'FOO': expected a name such as TERM or RTMIN+1, or a number from 0 to 64"
	run --separate-stderr ipcx kill -s 65 "$p"
	assert_failure 2
	run --separate-stderr ipcx kill -s USR1 "$p" 12x
	assert_failure 2
	assert_equal "$stderr" "ipcx: kill: invalid pid '12x': expected a process id"
	run --separate-stderr ipcx kill -s USR1 "$p" 0
	assert_failure 2
	run --separate-stderr ipcx kill -s USR1 --thread "$p" "$p" "$$"
	assert_failure 2
	assert_equal "$stderr" "ipcx: kill: --thread needs exactly one PID, the process of the thread; got 2"
	run --separate-stderr ipcx kill -s USR1 --thread x1 "$p"
	assert_failure 2
	assert_equal "$stderr" "ipcx: kill: invalid --thread 'x1': expected a thread id"
	run --separate-stderr ipcx kill -s RTMIN+1 --value 2147483648 "$p"
	assert_failure 2
	assert_equal "$stderr" "ipcx: kill: invalid --value '2147483648': expected an integer from -2147483648 to 2147483647"
	run --separate-stderr ipcx kill -s RTMIN+1 --value 1.5 "$p"
	assert_failure 2
	run --separate-stderr ipcx kill -s USR1
	assert_failure 2
	assert_equal "$stderr" "ipcx: kill: expected one or more PIDs (see ipcx kill --help)"
	run --separate-stderr ipcx kill --bogus "$p"
	assert_failure 2
	assert_equal "$stderr" "ipcx: kill: invalid option '--bogus' (see ipcx kill --help)"
	# nothing reached the process
	ask ping
	run received
	assert_output ''
}

@test "kill -l: every signal with its number, named as the shell names them" {
	run ipcx kill -l
	assert_success
	local n
	for n in $(seq 1 31); do
		# 29 has two names: the C library says SIGPOLL, the shell SIGIO
		assert_line --regexp "^ *$n SIG($(kill -l "$n")|POLL) +"
	done
	local rtmin; rtmin=$(kill -l RTMIN)
	assert_line --regexp "^ *$rtmin SIGRTMIN +"
	assert_line --regexp "^ *$((rtmin + 1)) SIGRTMIN\+1 +"
	assert_line --regexp "^64 SIGRTMIN\+$((64 - rtmin)) +"
	run ipcx kill -l extra
	assert_failure 2
}
