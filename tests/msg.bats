#!/usr/bin/env bats
# ipcx send and recv: System V and POSIX queues. Type selection, MSG_COPY
# peeking, binary safety, JSON, priorities, full queues, time limits,
# oversized messages and bad input, against what the kernel reports
# (/proc/sysvipc/msg, the queue files, mq_getattr).

load test_helper
load state_helper

setup() {
	clean_ipc
}

teardown() {
	stop_all
}

# mkq ARGS...: a System V queue; sets ID and KEY.
mkq() {
	local out
	out=$("$IPCX" mk msg "$@") || return 1
	read -r ID KEY <<<"$out"
}

# Skips unless the kernel has MSG_COPY (CONFIG_CHECKPOINT_RESTORE).
require_msg_copy() {
	run --separate-stderr "$IPCX" recv msg "$1" --peek
	if [[ $stderr == *"needs MSG_COPY"* ]]; then
		skip "the kernel lacks MSG_COPY (CONFIG_CHECKPOINT_RESTORE)"
	fi
}

@test "msg: a message sent is counted by the kernel and ls, and received once" {
	mkq --key 0x100
	run ipcx send msg "$ID" "hello world"
	assert_success
	assert_output ""
	assert_equal "$(kf msg "$ID" qnum) $(kf msg "$ID" cbytes)" "1 11"
	table_row ID "$ID" ls msg -b
	assert_equal "${R[MSGS]}" 1
	assert_equal "${R[USEDBYTES]}" 11
	run ipcx recv msg 0x100
	assert_success
	assert_output "hello world"
	assert_equal "$(kf msg "$ID" qnum) $(kf msg "$ID" cbytes)" "0 0"
}

@test "msg: --type 0 takes the first, N the first of type N, -N the lowest type up to N" {
	mkq
	local t n=0
	for t in 3 1 2 5 1; do
		ipcx send msg "$ID" --type "$t" "type $t #$((++n))"
	done
	run ipcx recv msg "$ID" --type -2 --json
	assert_output '{"type":1,"size":9,"data":"type 1 #2"}'
	run ipcx recv msg "$ID" --type 5
	assert_output "type 5 #4"
	run ipcx recv msg "$ID" --type -4
	assert_output "type 1 #5"
	run ipcx recv msg "$ID" --type 0
	assert_output "type 3 #1"
	run ipcx recv msg "$ID"
	assert_output "type 2 #3"
	assert_equal "$(kf msg "$ID" qnum)" 0
}

@test "msg: --type that matches nothing fails with --nowait and takes nothing" {
	mkq
	ipcx send msg "$ID" --type 4 four
	bad_runtime recv msg "$ID" --type 3 --nowait
	assert_equal "$stderr" "ipcx: recv: msg $ID (key $KEY): no message"
	bad_runtime recv msg "$ID" --type -3 --nowait
	assert_equal "$(kf msg "$ID" qnum)" 1
}

@test "msg: --peek copies messages in order and leaves them queued" {
	mkq
	ipcx send msg "$ID" --type 3 three
	ipcx send msg "$ID" --type 1 one
	ipcx send msg "$ID" --type 2 two
	require_msg_copy "$ID"
	local before
	before=$(kf msg "$ID" qnum):$(kf msg "$ID" cbytes)
	assert_equal "$before" 3:11
	run ipcx recv msg "$ID" --peek --count 3 --json
	assert_success
	assert_equal "$output" '{"type":3,"size":5,"data":"three"}
{"type":1,"size":3,"data":"one"}
{"type":2,"size":3,"data":"two"}'
	assert_equal "$(kf msg "$ID" qnum):$(kf msg "$ID" cbytes)" "$before"
	table_row ID "$ID" ls msg
	assert_equal "${R[MSGS]}" 3
	# a position past the last message
	run --separate-stderr ipcx recv msg "$ID" --peek --count 4
	assert_failure 1
	assert_equal "$output" "three
one
two"
	assert_equal "$stderr" "ipcx: recv: msg $ID (key $KEY): no message at that position"
	assert_equal "$(kf msg "$ID" qnum)" 3
	run ipcx recv msg "$ID" --count 3
	assert_output "three
one
two"
	assert_equal "$(kf msg "$ID" qnum)" 0
}

@test "binary: bytes with NUL and 0xff come back the same with --exact" {
	local in="$BATS_TEST_TMPDIR/in" out="$BATS_TEST_TMPDIR/out"
	printf 'a\0b\377c\n\0\0\377' >"$in"
	head -c 3000 /dev/urandom >>"$in"
	mkq
	ipcx send msg "$ID" - <"$in"
	assert_equal "$(kf msg "$ID" cbytes)" "$(stat -c %s "$in")"
	ipcx recv msg "$ID" --exact >"$out"
	cmp "$in" "$out"
	ipcx mk pmsg q --msgsize 4K >/dev/null
	ipcx send pmsg q <"$in"
	assert_equal "$(mqf q QSIZE)" "$(stat -c %s "$in")"
	ipcx recv pmsg q --exact >"$out"
	cmp "$in" "$out"
	# without --exact a newline follows each message
	printf 'x\0y' | ipcx send msg "$ID"
	ipcx recv msg "$ID" >"$out"
	cmp "$out" <(printf 'x\0y\n')
}

@test "--json: type or priority, size, and data or data_base64 that decode to the bytes sent" {
	require_jq
	local in="$BATS_TEST_TMPDIR/in" out="$BATS_TEST_TMPDIR/out"
	head -c 500 /dev/urandom >"$in"
	printf '\377' >>"$in"
	mkq
	ipcx send msg "$ID" --type 9 <"$in"
	run ipcx recv msg "$ID" --json
	assert_success
	assert_equal "$(jq -r '.type, .size, has("data")' <<<"$output")" "9
501
false"
	jq -r .data_base64 <<<"$output" | base64 -d >"$out"
	cmp "$in" "$out"
	# text stays text, escaped as JSON needs
	local text=$'say "h\u00e9llo"\n\ttab\\'
	ipcx send msg "$ID" "$text"
	run ipcx recv msg "$ID" -J
	assert_equal "$(jq -r .data <<<"$output")" "$text"
	assert_equal "$(jq -r .size <<<"$output")" "$(printf '%s' "$text" | wc -c)"
	ipcx mk pmsg q >/dev/null
	ipcx send pmsg q --prio 7 ""
	run ipcx recv pmsg q --json
	assert_output '{"priority":7,"size":0,"data":""}'
}

@test "pmsg: highest priority first, in order of sending within a priority" {
	ipcx mk pmsg q --maxmsg 5 >/dev/null
	ipcx send pmsg q --prio 1 a
	ipcx send pmsg q --prio 5 b
	ipcx send pmsg q c
	ipcx send pmsg q --prio 5 d
	ipcx send pmsg q --prio 32767 e
	assert_equal "$(mq_attr q curmsgs)" 5
	run ipcx recv pmsg q --count 5 --json
	assert_success
	assert_output '{"priority":32767,"size":1,"data":"e"}
{"priority":5,"size":1,"data":"b"}
{"priority":5,"size":1,"data":"d"}
{"priority":1,"size":1,"data":"a"}
{"priority":0,"size":1,"data":"c"}'
	assert_equal "$(mq_attr q curmsgs)" 0
}

@test "--lines sends one message per line" {
	mkq
	printf 'one\n\nthree\nlast without newline' | ipcx send msg "$ID" --lines --type 2
	assert_equal "$(kf msg "$ID" qnum)" 4
	run ipcx recv msg "$ID" --count 4 --json
	assert_output '{"type":2,"size":3,"data":"one"}
{"type":2,"size":0,"data":""}
{"type":2,"size":5,"data":"three"}
{"type":2,"size":20,"data":"last without newline"}'
	ipcx mk pmsg q >/dev/null
	printf 'a\nb\n' | ipcx send pmsg q --lines --prio 3
	assert_equal "$(mq_attr q curmsgs)" 2
}

@test "a full queue with --nowait is an error that changes nothing" {
	mkq --qbytes 64
	head -c 64 /dev/zero | ipcx send msg "$ID"
	assert_equal "$(kf msg "$ID" cbytes)" 64
	bad_runtime send msg "$ID" --nowait x
	assert_equal "$output" ""
	assert_equal "$stderr" "ipcx: send: msg $ID (key $KEY): the queue is full"
	ipcx mk pmsg q --maxmsg 2 --msgsize 16 >/dev/null
	ipcx send pmsg q 1
	ipcx send pmsg q 2
	bad_runtime send pmsg q --nowait 3
	assert_equal "$stderr" "ipcx: send: pmsg /q: the queue is full"
	assert_equal "$(mq_attr q curmsgs)" 2
}

@test "--lines into a queue that fills says how many went" {
	ipcx mk pmsg q --maxmsg 2 >/dev/null
	run --separate-stderr ipcx send pmsg q --lines --nowait <<<$'a\nb\nc'
	assert_failure 1
	assert_equal "$stderr" "ipcx: send: pmsg /q: the queue is full
ipcx: send: 2 of 3 messages were sent"
	assert_equal "$(mq_attr q curmsgs)" 2
}

@test "--timeout bounds a send to a full queue and a receive from an empty one" {
	mkq --qbytes 8
	ipcx send msg "$ID" 12345678
	timed "$IPCX" send msg "$ID" --timeout 0.3 x
	assert_equal "$status" 1
	assert_equal "$stderr" "ipcx: send: msg $ID (key $KEY): timed out: the queue stayed full"
	[ "$ELAPSED" -ge 250 ] && [ "$ELAPSED" -lt 5000 ] || fail "took $ELAPSED ms"
	assert_equal "$(kf msg "$ID" qnum)" 1
	ipcx recv msg "$ID" >/dev/null
	timed "$IPCX" recv msg "$ID" --timeout 0.3
	assert_equal "$status" 1
	assert_equal "$stderr" "ipcx: recv: msg $ID (key $KEY): timed out: no message came"
	[ "$ELAPSED" -ge 250 ] && [ "$ELAPSED" -lt 5000 ] || fail "took $ELAPSED ms"

	ipcx mk pmsg q --maxmsg 1 >/dev/null
	ipcx send pmsg q x
	timed "$IPCX" send pmsg q --timeout 0.3s y
	assert_equal "$status" 1
	assert_equal "$stderr" "ipcx: send: pmsg /q: timed out: the queue stayed full"
	[ "$ELAPSED" -ge 250 ] && [ "$ELAPSED" -lt 5000 ] || fail "took $ELAPSED ms"
	ipcx recv pmsg q >/dev/null
	timed "$IPCX" recv pmsg q --timeout 0.3s
	assert_equal "$status" 1
	assert_equal "$stderr" "ipcx: recv: pmsg /q: timed out: no message came"
	[ "$ELAPSED" -ge 250 ] && [ "$ELAPSED" -lt 5000 ] || fail "took $ELAPSED ms"
}

@test "an empty queue with --nowait is an error" {
	mkq
	bad_runtime recv msg "$ID" --nowait
	assert_equal "$stderr" "ipcx: recv: msg $ID (key $KEY): no message"
	ipcx mk pmsg q >/dev/null
	bad_runtime recv pmsg q --nowait
	assert_equal "$stderr" "ipcx: recv: pmsg /q: no message"
}

@test "a receive waits for a message sent later; --follow takes them as they come" {
	mkq
	spawn "$IPCX" recv msg "$ID"
	local pid=$SPAWN_PID out=$SPAWN_OUT
	sleep 0.3
	gone "$pid" && fail "recv did not wait: $(cat "$out")"
	ipcx send msg "$ID" late
	eventually gone "$pid"
	wait "$pid"
	assert_equal "$(cat "$out")" late

	ipcx mk pmsg q >/dev/null
	spawn "$IPCX" recv pmsg q --follow
	ipcx send pmsg q first
	ipcx send pmsg q second
	ipcx send pmsg q third
	eventually '[ "$(wc -l <"$SPAWN_OUT")" -eq 3 ]'
	assert_equal "$(cat "$SPAWN_OUT")" "first
second
third"
	gone "$SPAWN_PID" && fail "--follow stopped"
	assert_equal "$(mq_attr q curmsgs)" 0
}

@test "a message over msgmax or msgsize is refused before anything is sent" {
	local max
	max=$(cat /proc/sys/kernel/msgmax)
	mkq
	bad_runtime send msg "$ID" - < <(head -c $((max + 1)) /dev/zero)
	assert_equal "$stderr" "ipcx: send: msg $ID (key $KEY): a message of $((max + 1)) bytes is larger than the queue takes ($max bytes)"
	# --lines: one line too long and none is sent
	bad_runtime send msg "$ID" --lines < <(echo short; head -c $((max + 1)) /dev/zero | tr '\0' x; echo; echo after)
	assert_equal "$stderr" "ipcx: send: msg $ID (key $KEY): a message of $((max + 1)) bytes is larger than the queue takes ($max bytes); nothing sent"
	assert_equal "$(kf msg "$ID" qnum)" 0
	# exactly msgmax goes
	head -c "$max" /dev/urandom >"$BATS_TEST_TMPDIR/max"
	ipcx send msg "$ID" <"$BATS_TEST_TMPDIR/max"
	ipcx recv msg "$ID" --exact | cmp - "$BATS_TEST_TMPDIR/max"

	ipcx mk pmsg q --msgsize 16 >/dev/null
	bad_runtime send pmsg q 12345678901234567
	assert_equal "$stderr" "ipcx: send: pmsg /q: a message of 17 bytes is larger than the queue takes (16 bytes)"
	bad_runtime send pmsg q --lines <<<$'ok\n12345678901234567\nok'
	assert_equal "$stderr" "ipcx: send: pmsg /q: a message of 17 bytes is larger than the queue takes (16 bytes); nothing sent"
	assert_equal "$(mq_attr q curmsgs)" 0
}

@test "a queue's smaller qbytes is the limit of a message" {
	mkq --qbytes 100
	bad_runtime send msg "$ID" - < <(head -c 101 /dev/zero)
	assert_equal "$stderr" "ipcx: send: msg $ID (key $KEY): a message of 101 bytes is larger than the queue takes (100 bytes)"
}

@test "an id, key or name that does not exist is a runtime error" {
	mkq
	bad_runtime send msg $((ID + 1)) x
	assert_equal "$stderr" "ipcx: send: msg '$((ID + 1))': no such id"
	bad_runtime recv msg 0x7777
	assert_equal "$stderr" "ipcx: recv: msg '0x7777': no such key"
	bad_runtime send pmsg nosuch x
	assert_equal "$stderr" "ipcx: send: pmsg 'nosuch': no such name"
	bad_runtime recv pmsg /nosuch
	assert_equal "$stderr" "ipcx: recv: pmsg '/nosuch': no such name"
}

@test "permission denied is a runtime error that changes nothing" {
	require_real_root
	mkq --mode 600
	ipcx send msg "$ID" queued
	ipcx mk pmsg q --mode 600 >/dev/null
	ipcx send pmsg q queued
	snapshot
	run --separate-stderr $NOBODY "$IPCX" send msg "$ID" x
	assert_equal "$status" 1
	assert_equal "$stderr" "ipcx: send: msg $ID (key $KEY): cannot send: Permission denied"
	run --separate-stderr $NOBODY "$IPCX" recv msg "$ID"
	assert_equal "$status" 1
	assert_equal "$output" ""
	assert_equal "$stderr" "ipcx: recv: msg $ID (key $KEY): cannot receive: Permission denied"
	run --separate-stderr $NOBODY "$IPCX" send pmsg q x
	assert_equal "$status" 1
	assert_equal "$stderr" "ipcx: send: pmsg /q: cannot send: Permission denied"
	run --separate-stderr $NOBODY "$IPCX" recv pmsg q
	assert_equal "$status" 1
	assert_equal "$stderr" "ipcx: recv: pmsg /q: cannot receive: Permission denied"
	unchanged
}

@test "bad input to send: kinds, types, priorities, durations and arguments" {
	mkq
	ipcx mk pmsg q >/dev/null
	bad_usage send msgx "$ID" x
	assert_regex "$stderr" "^ipcx: send: unknown kind 'msgx': expected one of shm, msg"
	bad_usage send shm 0 x
	assert_equal "$stderr" "ipcx: send: shm objects hold no messages: send takes msg or pmsg"
	bad_usage send msg "$ID" --type 0 x
	assert_equal "$stderr" "ipcx: send: invalid --type '0': a message type is a number of 1 or more"
	bad_usage send msg "$ID" --type -3 x
	assert_equal "$stderr" "ipcx: send: invalid --type '-3': a message type is a number of 1 or more"
	bad_usage send msg "$ID" --type 1x x
	assert_equal "$stderr" "ipcx: send: invalid --type '1x': a message type is a number of 1 or more"
	bad_usage send pmsg q --prio 32768 x
	assert_equal "$stderr" "ipcx: send: invalid --prio '32768': a priority is 0 to 32767"
	bad_usage send pmsg q --prio -1 x
	assert_equal "$stderr" "ipcx: send: invalid --prio '-1': a priority is 0 to 32767"
	bad_usage send msg "$ID" --prio 1 x
	assert_equal "$stderr" "ipcx: send: --prio applies to pmsg; System V messages have a --type"
	bad_usage send pmsg q --type 1 x
	assert_equal "$stderr" "ipcx: send: --type applies to msg; POSIX messages have a --prio"
	bad_usage send msg "$ID" --timeout 5q x
	assert_equal "$stderr" "ipcx: send: invalid --timeout '5q': unknown unit (use s, m, h, d or w)"
	bad_usage send msg "$ID" --timeout 1e3 x
	assert_equal "$stderr" "ipcx: send: invalid --timeout '1e3': not a number"
	bad_usage send msg "$ID" two words
	assert_equal "$stderr" "ipcx: send: unexpected argument 'words': quote a message of several words"
	bad_usage send msg "$ID" --lines x
	assert_equal "$stderr" "ipcx: send: --lines reads standard input: give no MESSAGE"
	bad_usage send msg
	assert_equal "$stderr" "ipcx: send: expected KIND and ID|KEY|NAME"
	bad_usage send msg id:x x
	assert_equal "$stderr" "ipcx: send: invalid msg 'id:x': expected an id, a key as 0xHEX, id:N or key:N"
	# refused before standard input is read: what follows still gets it
	run --separate-stderr bash -c '"$1" send msg id:x; echo "exit $?"; cat' _ "$IPCX" <<<unread
	assert_output "exit 2
unread"
	assert_equal "$stderr" "ipcx: send: invalid msg 'id:x': expected an id, a key as 0xHEX, id:N or key:N"
}

@test "bad input to recv: counts, types, durations and options of the other kind" {
	mkq
	ipcx send msg "$ID" keep
	ipcx mk pmsg q >/dev/null
	ipcx send pmsg q keep
	bad_usage recv sem 0
	assert_equal "$stderr" "ipcx: recv: sem objects hold no messages: recv takes msg or pmsg"
	bad_usage recv msg "$ID" --count 0
	assert_equal "$stderr" "ipcx: recv: invalid --count '0': expected 1 or more"
	bad_usage recv msg "$ID" --count -1
	assert_equal "$stderr" "ipcx: recv: invalid --count '-1': expected 1 or more"
	bad_usage recv msg "$ID" --type 1.5
	assert_equal "$stderr" "ipcx: recv: invalid --type '1.5': not a number"
	bad_usage recv msg "$ID" --timeout soon
	assert_equal "$stderr" "ipcx: recv: invalid --timeout 'soon': expected a number of s, m, h, d or w"
	bad_usage recv pmsg q --type 1
	assert_equal "$stderr" "ipcx: recv: --type applies to msg: POSIX queues give the message of highest priority"
	bad_usage recv pmsg q --peek
	assert_equal "$stderr" "ipcx: recv: --peek applies to msg: a POSIX queue cannot be read without taking a message"
	bad_usage recv msg "$ID" --peek --type 2
	assert_equal "$stderr" "ipcx: recv: --peek copies messages in queue order and cannot select a --type"
	bad_usage recv msg "$ID" --peek --follow
	assert_equal "$stderr" "ipcx: recv: --peek and --follow cannot be combined"
	bad_usage recv msg "$ID" --follow --count 2
	assert_equal "$stderr" "ipcx: recv: --count and --follow cannot be combined"
	bad_usage recv msg "$ID" extra
	assert_equal "$stderr" "ipcx: recv: expected KIND and ID|KEY|NAME"
}
