#!/usr/bin/env bats
# ipcx sem: System V sets and POSIX named semaphores. Values are checked
# against ipcs (semctl in another program), the sem_t word in the file and
# sem_getvalue in another process; waiters are real blocked processes.

load test_helper
load state_helper

setup() {
	clean_ipc
}

teardown() {
	stop_all
}

# mkset ARGS...: a System V set; sets ID and KEY.
mkset() {
	local out
	out=$("$IPCX" mk sem "$@") || return 1
	read -r ID KEY <<<"$out"
}

# in_time ELAPSED: fails unless a 0.3 s limit was kept (not early, and
# well before anything would count as hanging).
in_time() {
	[ "$ELAPSED" -ge 250 ] && [ "$ELAPSED" -lt 5000 ] || fail "took $ELAPSED ms"
}

@test "get, getall, set and setall agree with ipcs" {
	mkset --values 1,0,3
	run ipcx sem sem "$ID" get 0 get 2 getall
	assert_success
	assert_output "1
3
1,0,3"
	run ipcx sem sem "$KEY" set 1 9
	assert_success
	assert_output ""
	assert_equal "$(semvals "$ID")" 1,9,3
	run ipcx sem sem "$ID" setall 4,32767,0 getall
	assert_output 4,32767,0
	assert_equal "$(semvals "$ID")" 4,32767,0
}

@test "post and wait move a value by 1 or by V" {
	mkset --values 5,0
	run ipcx sem sem "$ID" post 1
	assert_success
	assert_equal "$(semvals "$ID")" 5,1
	run ipcx sem sem "$ID" post 1 10 wait 0 wait 0 3
	assert_success
	assert_equal "$(semvals "$ID")" 1,11
	run ipcx sem sem "$ID" trywait 1 11 get 1
	assert_output 0
}

@test "trywait on a value too low fails at once and changes nothing" {
	mkset --values 2
	bad_runtime sem sem "$ID" trywait 0 3
	assert_equal "$stderr" "ipcx: sem: sem $ID (key $KEY): semop: would block"
	assert_equal "$(semvals "$ID")" 2
}

@test "consecutive operations are one atomic semop: all happen or none" {
	mkset --values 0,5,1
	assert_equal "$(kf sem "$ID" otime)" 0
	# wait 0 cannot happen, so post 1 must not either
	bad_runtime sem sem "$ID" --nowait wait 0 post 1
	assert_equal "$stderr" "ipcx: sem: sem $ID (key $KEY): semop: would block"
	assert_equal "$(semvals "$ID")" 0,5,1
	bad_runtime sem sem "$ID" post 1 trywait 0
	# the post comes first in the batch, and is undone with it
	bad_runtime sem sem "$ID" --nowait post 0 2 zero 0
	bad_runtime sem sem "$ID" --nowait post 1 zero 2
	assert_equal "$(semvals "$ID")" 0,5,1
	assert_equal "$(kf sem "$ID" otime)" 0
	run ipcx sem sem "$ID" set 0 1 wait 0 post 1 wait 2 zero 0 zero 2
	assert_success
	assert_equal "$(semvals "$ID")" 0,6,0
	[ "$(kf sem "$ID" otime)" -gt 0 ] || fail "otime was not set"
}

@test "the value a set holds is bounded: a post past 32767 changes nothing" {
	mkset --values 32767,0
	bad_runtime sem sem "$ID" post 1 post 0
	assert_equal "$stderr" "ipcx: sem: sem $ID (key $KEY): semop: the value would pass the largest a semaphore holds (32767)"
	assert_equal "$(semvals "$ID")" 32767,0
}

@test "--undo: the operations are undone when ipcx exits" {
	mkset --values 5,0
	run ipcx sem sem "$ID" --undo post 1 3 wait 0 2 getall
	assert_success
	assert_output 3,3
	assert_equal "$(semvals "$ID")" 5,0
	# without --undo the change stays
	run ipcx sem sem "$ID" post 1 3
	assert_equal "$(semvals "$ID")" 5,3
}

@test "--timeout bounds a wait and a wait for zero, exits 1 and changes nothing" {
	mkset --values 0,1
	snapshot
	timed "$IPCX" sem sem "$ID" --timeout 0.3 wait 0
	assert_equal "$status" 1
	assert_equal "$stderr" "ipcx: sem: sem $ID (key $KEY): semop: timed out"
	in_time
	timed "$IPCX" sem sem "$ID" --timeout 0.3s post 0 zero 1
	assert_equal "$status" 1
	assert_equal "$stderr" "ipcx: sem: sem $ID (key $KEY): semop: timed out"
	in_time
	unchanged
	ipcx mk psem s --value 1 >/dev/null
	snapshot
	timed "$IPCX" sem psem s --timeout 0.3 wait 2
	assert_equal "$status" 1
	assert_equal "$stderr" "ipcx: sem: psem /s: semop: timed out"
	in_time
	# the unit it took before the time ran out is given back
	assert_equal "$(psem_word s)" 1
	unchanged
}

@test "counts shows a process blocked in wait; a post releases it" {
	mkset --values 0,0
	spawn "$IPCX" sem sem "$ID" wait 1
	local waiter=$SPAWN_PID
	eventually '[ "$(semval "$ID" 1 ncount)" = 1 ]'
	run ipcx sem sem "$ID" counts
	assert_success
	assert_output "SEMNUM NCNT ZCNT
     0    0    0
     1    1    0"
	run ipcx show sem "$ID"
	assert_line --regexp '^ +1 +0 +1 +0 '
	gone "$waiter" && fail "the waiter did not wait"
	run ipcx sem sem "$ID" post 1
	assert_success
	eventually gone "$waiter"
	wait "$waiter"
	assert_equal "$(semvals "$ID")" 0,0
	assert_equal "$(semval "$ID" 1 ncount)" 0
}

@test "counts shows a process waiting for zero; taking the value to zero releases it" {
	mkset --values 2
	spawn "$IPCX" sem sem "$ID" zero 0
	local waiter=$SPAWN_PID
	eventually '[ "$(semval "$ID" 0 zcount)" = 1 ]'
	run ipcx sem sem "$ID" counts
	assert_output "SEMNUM NCNT ZCNT
     0    0    1"
	run ipcx sem sem "$ID" wait 0
	gone "$waiter" && fail "the waiter went before the value was zero"
	run ipcx sem sem "$ID" wait 0
	eventually gone "$waiter"
	wait "$waiter"
}

@test "a wait for V units blocks until the value reaches V" {
	mkset --values 0
	spawn "$IPCX" sem sem "$ID" wait 0 3
	local waiter=$SPAWN_PID
	eventually '[ "$(semval "$ID" 0 ncount)" = 1 ]'
	ipcx sem sem "$ID" post 0 2
	sleep 0.2
	gone "$waiter" && fail "the waiter took 3 of 2"
	assert_equal "$(semvals "$ID")" 2
	ipcx sem sem "$ID" post 0
	eventually gone "$waiter"
	wait "$waiter"
	assert_equal "$(semvals "$ID")" 0
}

@test "psem: get, post, wait and trywait against the sem_t word, sem_getvalue and ls" {
	ipcx mk psem s --value 2 >/dev/null
	run ipcx sem psem s get
	assert_output 2
	run ipcx sem psem /s post
	assert_success
	assert_equal "$(psem_word s)" 3
	run ipcx sem psem s post 4 get
	assert_output 7
	assert_equal "$(psem_word s)" 7
	holder psem /s
	assert_equal "$(ready_field value)" 7
	table_row NAME /s ls psem
	assert_equal "${R[VALUE]}" 7
	run ipcx sem psem s wait 2 trywait get
	assert_output 4
	assert_equal "$(psem_word s)" 4
	run ipcx sem psem s wait 4
	assert_success
	assert_equal "$(psem_word s)" 0
}

@test "psem: trywait on too low a value fails at once and takes nothing" {
	ipcx mk psem s --value 2 >/dev/null
	bad_runtime sem psem s trywait 3
	assert_equal "$stderr" "ipcx: sem: psem /s: semop: would block"
	assert_equal "$(psem_word s)" 2
	bad_runtime sem psem s --nowait wait 3
	run ipcx sem psem s trywait 2
	assert_success
	bad_runtime sem psem s trywait
	bad_runtime sem psem s --nowait wait
	assert_equal "$(psem_word s)" 0
}

@test "psem: a post past SEM_VALUE_MAX fails and changes nothing" {
	ipcx mk psem s --value 2147483646 >/dev/null
	bad_runtime sem psem s post 2
	assert_equal "$stderr" "ipcx: sem: psem /s: semop: the value would pass the largest a semaphore holds (2147483647)"
	run ipcx sem psem s post
	assert_success
	assert_equal "$(psem_word s)" 2147483647
}

@test "psem: counts and WAITERS show a blocked waiter; a post releases it" {
	ipcx mk psem s >/dev/null
	spawn "$IPCX" sem psem s wait
	local waiter=$SPAWN_PID
	eventually '[ "$(psem_word s waiters)" = 1 ]'
	run ipcx sem psem s counts
	assert_output "SEMNUM NCNT ZCNT
     0    1    0"
	table_row NAME /s ls psem -o NAME,VALUE,WAITERS
	assert_equal "${R[WAITERS]} ${R[VALUE]}" "1 0"
	run ipcx sem psem s post
	assert_success
	eventually gone "$waiter"
	wait "$waiter"
	assert_equal "$(psem_word s) $(psem_word s waiters)" "0 0"
}

@test "an id, key or name that does not exist is a runtime error" {
	mkset
	bad_runtime sem sem $((ID + 1)) get 0
	assert_equal "$stderr" "ipcx: sem: sem '$((ID + 1))': no such id"
	bad_runtime sem psem nosuch post
	assert_equal "$stderr" "ipcx: sem: psem 'nosuch': no such name"
	bad_runtime sem psem ../x post
	assert_equal "$stderr" "ipcx: sem: psem '../x': no such name"
}

@test "permission denied is a runtime error that changes nothing" {
	require_real_root
	mkset --values 3 --mode 600
	ipcx mk psem s --value 3 --mode 600 >/dev/null
	snapshot
	run --separate-stderr $NOBODY "$IPCX" sem sem "$ID" get 0
	assert_equal "$status" 1
	assert_equal "$stderr" "ipcx: sem: sem $ID (key $KEY): get: Permission denied"
	run --separate-stderr $NOBODY "$IPCX" sem sem "$ID" post 0
	assert_equal "$status" 1
	assert_equal "$stderr" "ipcx: sem: sem $ID (key $KEY): semop: Permission denied"
	run --separate-stderr $NOBODY "$IPCX" sem psem s post
	assert_equal "$status" 1
	assert_equal "$stderr" "ipcx: sem: psem /s: semop: Permission denied"
	unchanged
}

@test "bad input: negative and out-of-range values and numbers, changing nothing" {
	mkset --values 1,0,3
	bad_usage sem sem "$ID" set 0 -1
	assert_equal "$stderr" "ipcx: sem: invalid value '-1': a negative semaphore value"
	bad_usage sem sem "$ID" post 0 -2
	assert_equal "$stderr" "ipcx: sem: invalid value '-2': a negative semaphore value"
	bad_usage sem sem "$ID" setall 1,-1,2
	assert_equal "$stderr" "ipcx: sem: setall: invalid value '-1': a negative semaphore value"
	bad_usage sem sem "$ID" set 0 40000
	assert_equal "$stderr" "ipcx: sem: set: invalid value '40000': out of range (0 to 32767)"
	bad_usage sem sem "$ID" post 0 40000
	assert_equal "$stderr" "ipcx: sem: post: invalid value '40000': out of range (0 to 32767)"
	bad_usage sem sem "$ID" get 3
	assert_equal "$stderr" "ipcx: sem: get: no semaphore 3: sem $ID (key $KEY) has 3 (0 to 2)"
	bad_usage sem sem "$ID" get x
	assert_equal "$stderr" "ipcx: sem: get: invalid semaphore number 'x': not a non-negative number"
	bad_usage sem sem "$ID" post 0 0
	assert_equal "$stderr" "ipcx: sem: post: a value of 0 does nothing; use zero N to wait for zero"
	bad_usage sem sem "$ID" setall 1,2
	assert_equal "$stderr" "ipcx: sem: setall: 2 values given; sem $ID (key $KEY) has 3 semaphores"
	bad_usage sem sem "$ID" set 0
	assert_equal "$stderr" "ipcx: sem: set: expected a value after the semaphore number"
	bad_usage sem sem "$ID" wait
	assert_equal "$stderr" "ipcx: sem: wait: expected a semaphore number"
	# bad input late in the list: nothing before it was done
	bad_usage sem sem "$ID" set 0 5 post 1 set 9 1
	assert_equal "$stderr" "ipcx: sem: set: no semaphore 9: sem $ID (key $KEY) has 3 (0 to 2)"
	assert_equal "$(semvals "$ID")" 1,0,3
}

@test "bad input: kinds, operations and options" {
	mkset
	ipcx mk psem s --value 1 >/dev/null
	bad_usage sem semx "$ID" get 0
	assert_regex "$stderr" "^ipcx: sem: unknown kind 'semx': expected one of shm, msg"
	bad_usage sem msg 0 get
	assert_equal "$stderr" "ipcx: sem: msg objects are not semaphores: sem takes sem or psem"
	bad_usage sem sem "$ID"
	assert_equal "$stderr" "ipcx: sem: expected KIND, ID|KEY|NAME and at least one operation"
	bad_usage sem sem "$ID" frob
	assert_equal "$stderr" "ipcx: sem: unknown operation 'frob' (see ipcx sem --help)"
	bad_usage sem sem "$ID" --timeout x get 0
	assert_equal "$stderr" "ipcx: sem: invalid --timeout 'x': expected a number of s, m, h, d or w"
	bad_usage sem sem "$ID" --bogus get 0
	assert_equal "$stderr" "ipcx: sem: invalid option '--bogus' (see ipcx sem --help)"
	bad_usage sem sem key:x get 0
	assert_equal "$stderr" "ipcx: sem: invalid sem 'key:x': expected 0xHEX or a decimal number"
	bad_usage sem psem s set 0 1
	assert_equal "$stderr" "ipcx: sem: set: a POSIX semaphore's value changes only by post and wait"
	bad_usage sem psem s setall 1
	assert_equal "$stderr" "ipcx: sem: setall: a POSIX semaphore's value changes only by post and wait"
	bad_usage sem psem s zero
	assert_equal "$stderr" "ipcx: sem: zero: a POSIX semaphore cannot be waited on for zero"
	bad_usage sem psem s getall
	assert_equal "$stderr" "ipcx: sem: getall: a POSIX semaphore has one value: use get"
	bad_usage sem psem s --undo post
	assert_equal "$stderr" "ipcx: sem: --undo applies to System V semaphores only"
	bad_usage sem psem s post -1
	assert_equal "$stderr" "ipcx: sem: invalid value '-1': a negative semaphore value"
	bad_usage sem psem s post 0
	assert_equal "$stderr" "ipcx: sem: post: a value of 0 does nothing"
	bad_usage sem psem s post 2147483648
	assert_equal "$stderr" "ipcx: sem: post: invalid value '2147483648': out of range (0 to 2147483647)"
	bad_usage sem psem s get 0
	assert_equal "$stderr" "ipcx: sem: unknown operation '0' (see ipcx sem --help)"
}
