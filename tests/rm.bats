#!/usr/bin/env bats
# ipcx rm: removal by id, key and name and by filter; the safety refusals
# (attached, holding messages, waited on) and --force; --dry-run; the
# re-checks against id reuse and replaced names; POSIX names that could
# reach outside their directory; bad input.

load test_helper
load state_helper

setup() {
	clean_ipc
}

teardown() {
	stop_all
	rm -f /tmp/ipcx-rm-target.$$
}

# mkid KIND ARGS...: ipcx mk of a System V kind; sets ID and KEY.
mkid() {
	local out
	out=$("$IPCX" mk "$@") || return 1
	read -r ID KEY <<<"$out"
}

@test "each kind is removed by id or name; -v reports each removal" {
	mkid shm --size 1 --key 0x10
	local shm=$ID
	mkid msg --key 0x11
	local msg=$ID
	mkid sem --key 0x12
	local sem=$ID
	ipcx mk pshm p --size 1 >/dev/null
	ipcx mk pmsg q >/dev/null
	ipcx mk psem s >/dev/null
	run --separate-stderr ipcx rm -v shm "$shm"
	assert_success
	assert_output "removed shm $shm (key 0x00000010)"
	assert_equal "$(errs)" "1 removed, 0 kept"
	run --separate-stderr ipcx rm -v msg "$msg"
	assert_success
	assert_output "removed msg $msg (key 0x00000011)"
	run --separate-stderr ipcx rm -v sem "$sem"
	assert_success
	assert_output "removed sem $sem (key 0x00000012)"
	run --separate-stderr ipcx rm -v pshm p
	assert_output "removed pshm /p"
	run --separate-stderr ipcx rm -v pmsg /q
	assert_output "removed pmsg /q"
	run --separate-stderr ipcx rm -v psem s
	assert_output "removed psem /s"
	assert_equal "$(kcount shm)$(kcount msg)$(kcount sem)" 000
	assert_equal "$(ls -A /dev/shm "$IPCX_TEST_MQ")" "$(printf '/dev/shm:\n\n%s:' "$IPCX_TEST_MQ")"
}

@test "a System V object is found by 0xKEY, key:N and id:N; without -v rm is quiet" {
	mkid shm --size 1 --key 0x20
	local a=$ID
	mkid shm --size 1 --key 0x21
	local b=$ID
	mkid msg --key 0x22
	run --separate-stderr ipcx rm shm 0x20 key:33
	assert_success
	assert_output ""
	assert_equal "$(errs)" ""
	run kf shm "$a" key
	assert_failure
	run kf shm "$b" key
	assert_failure
	run ipcx rm msg "id:$ID"
	assert_success
	assert_equal "$(kcount msg)" 0
}

@test "a missing id among several means nothing is removed" {
	mkid shm --size 1
	local a=$ID
	mkid shm --size 1
	local b=$ID
	local missing=$((a > b ? a + 1 : b + 1))
	bad_runtime rm shm "$a" "$missing" "$b"
	assert_equal "$output" ""
	assert_equal "$(errs)" "ipcx: rm: shm '$missing': no such id
ipcx: rm: nothing removed"
	bad_runtime rm pshm nosuch
	assert_equal "$(errs)" "ipcx: rm: pshm 'nosuch': no such name
ipcx: rm: nothing removed"
	bad_runtime rm msg 0x1234
	assert_equal "$(errs)" "ipcx: rm: msg '0x1234': no such key
ipcx: rm: nothing removed"
	assert_equal "$(kcount shm)" 2
}

@test "an attached System V segment is kept, with the reason; --force removes it" {
	mkid shm --size 4096 --key 0x30
	holder shm "$ID"
	assert_equal "$(kf shm "$ID" nattch)" 1
	bad_runtime rm shm "$ID"
	assert_equal "$output" ""
	assert_equal "$(errs)" "ipcx: rm: kept shm $ID (key 0x00000030): attached by 1 process (--force removes it anyway)"
	holder shm "$ID" ro
	bad_runtime rm -v shm 0x30
	assert_equal "$(errs)" "ipcx: rm: kept shm $ID (key 0x00000030): attached by 2 processes (--force removes it anyway)
0 removed, 1 kept"
	run --separate-stderr ipcx rm --force -v shm "$ID"
	assert_success
	assert_output "removed shm $ID (key 0x00000030)"
	# marked for destruction: key 0 and SHM_DEST until the last detach
	assert_equal "$(kf shm "$ID" key)" 0
	assert_equal "$(kf shm "$ID" perms)" 1600
	stop_all
	run kf shm "$ID" key
	assert_failure
}

@test "a POSIX segment mapped by a process is kept; --force removes it" {
	ipcx mk pshm mapped --size 4096 >/dev/null
	holder map /dev/shm/mapped
	local pid=$SPAWN_PID
	bad_runtime rm pshm mapped
	assert_equal "$(errs)" "ipcx: rm: kept pshm /mapped: mapped or open by 1 process (pid $pid) (--force removes it anyway)"
	run ipcx rm --force pshm mapped
	assert_success
	[ ! -e /dev/shm/mapped ] || fail "/dev/shm/mapped is still there"
	gone "$pid" && fail "the holder died"
	true
}

@test "a POSIX segment held open by a process is kept" {
	ipcx mk pshm held --size 1 >/dev/null
	holder open /dev/shm/held
	bad_runtime rm -v pshm held
	assert_equal "$(errs)" "ipcx: rm: kept pshm /held: mapped or open by 1 process (pid $SPAWN_PID) (--force removes it anyway)
0 removed, 1 kept"
	stop_all
	run ipcx rm pshm held
	assert_success
	[ ! -e /dev/shm/held ] || fail "/dev/shm/held is still there"
}

@test "queues holding messages are kept; --force removes them" {
	mkid msg --key 0x40
	ipcx send msg "$ID" one
	ipcx send msg "$ID" two
	ipcx mk pmsg q >/dev/null
	ipcx send pmsg q only
	bad_runtime rm msg "$ID"
	assert_equal "$(errs)" "ipcx: rm: kept msg $ID (key 0x00000040): holds 2 messages (--force removes it anyway)"
	assert_equal "$(kf msg "$ID" qnum)" 2
	bad_runtime rm pmsg q
	assert_equal "$(errs)" "ipcx: rm: kept pmsg /q: holds 1 message (--force removes it anyway)"
	assert_equal "$(mq_attr q curmsgs)" 1
	run ipcx rm --force msg "$ID"
	assert_success
	run ipcx rm --force pmsg q
	assert_success
	assert_equal "$(kcount msg)" 0
	[ ! -e "$IPCX_TEST_MQ/q" ] || fail "the queue is still there"
}

@test "a System V set with processes waiting (NCNT and ZCNT) is kept" {
	mkid sem --values 0,1 --key 0x50
	spawn "$IPCX" sem sem "$ID" wait 0
	local w1=$SPAWN_PID
	eventually '[ "$(semval "$ID" 0 ncount)" = 1 ]'
	bad_runtime rm sem "$ID"
	assert_equal "$(errs)" "ipcx: rm: kept sem $ID (key 0x00000050): 1 process waiting on it (--force removes it anyway)"
	spawn "$IPCX" sem sem "$ID" zero 1
	eventually '[ "$(semval "$ID" 1 zcount)" = 1 ]'
	bad_runtime rm sem "$ID"
	assert_equal "$(errs)" "ipcx: rm: kept sem $ID (key 0x00000050): 2 processes waiting on it (--force removes it anyway)"
	# the waiters see the set go
	run ipcx rm --force sem "$ID"
	assert_success
	assert_equal "$(kcount sem)" 0
	eventually gone "$w1"
	eventually gone "$SPAWN_PID"
}

@test "a POSIX semaphore with a waiter is kept" {
	ipcx mk psem s >/dev/null
	spawn "$IPCX" sem psem s wait
	eventually '[ "$(psem_word s waiters)" = 1 ]'
	bad_runtime rm psem s
	assert_equal "$(errs)" "ipcx: rm: kept psem /s: 1 thread waiting on it (--force removes it anyway)"
	run ipcx sem psem s post
	assert_success
	eventually gone "$SPAWN_PID"
	run ipcx rm psem s
	assert_success
	[ ! -e /dev/shm/sem.s ] || fail "the semaphore is still there"
}

@test "--all removes what is unused, keeps what is in use, names each one kept, and exits 1" {
	mkid shm --size 1 --key 0x60
	local used=$ID
	holder shm "$ID"
	mkid shm --size 1 --key 0x61
	local unused=$ID
	mkid msg --key 0x62
	ipcx send msg "$ID" queued
	local full=$ID
	mkid sem --key 0x63
	local sem=$ID
	ipcx mk pshm p --size 1 >/dev/null
	ipcx mk pmsg q >/dev/null
	ipcx mk psem s >/dev/null
	run --separate-stderr ipcx rm --all -v
	assert_failure 1
	assert_equal "$(sort <<<"$output")" "$(sort <<<"removed shm $unused (key 0x00000061)
removed sem $sem (key 0x00000063)
removed pshm /p
removed pmsg /q
removed psem /s")"
	assert_line "removed pshm /p"
	assert_equal "$(errs)" "ipcx: rm: kept shm $used (key 0x00000060): attached by 1 process (--force removes it anyway)
ipcx: rm: kept msg $full (key 0x00000062): holds 1 message (--force removes it anyway)
5 removed, 2 kept"
	assert_equal "$(kcount shm) $(kcount msg) $(kcount sem)" "1 1 0"
	kf shm "$used" key >/dev/null
	assert_equal "$(ls -A /dev/shm "$IPCX_TEST_MQ" | grep -c .)" 2
}

@test "rm KIND --all removes only that kind" {
	mkid shm --size 1
	mkid msg
	ipcx mk pshm p --size 1 >/dev/null
	run ipcx rm shm pshm --all
	assert_success
	assert_equal "$(kcount shm) $(kcount msg)" "0 1"
	[ ! -e /dev/shm/p ] || fail "/dev/shm/p is still there"
}

@test "--dry-run lists in the ls format what would go and removes nothing" {
	mkid shm --size 100 --key 0x70
	local a=$ID
	mkid shm --size 200 --key 0x71
	holder shm "$ID"
	local b=$ID
	local ls_out
	ls_out=$("$IPCX" ls shm -r)
	snapshot
	run --separate-stderr ipcx rm --dry-run shm "$a" "$b" -r
	assert_failure 1
	# the header and a's row, as ls prints them; b is kept
	assert_equal "$output" "$(grep -e '^KEY ' -e '^0x00000070 ' <<<"$ls_out")"
	assert_equal "$(errs)" "ipcx: rm: kept shm $b (key 0x00000071): attached by 1 process (--force removes it anyway)
dry run: 1 would be removed, 1 kept"
	unchanged
	run --separate-stderr ipcx rm --dry-run --force --all -o KEY,ID -r
	assert_success
	assert_output --partial "0x00000070 $a"
	assert_output --partial "0x00000071 $b"
	assert_equal "$(errs)" "dry run: 2 would be removed, 0 kept"
	unchanged
	run --separate-stderr ipcx rm --dry-run --all -J
	assert_failure 1
	assert_json
	assert_equal "$(jq -c '[.shm[].id]' <<<"$output")" "[$a]"
	unchanged
}

@test "--key and --name select across kinds" {
	mkid shm --size 1 --key 0x80
	mkid msg --key 0x80
	mkid sem --key 0x81
	ipcx mk pshm job-1 --size 1 >/dev/null
	ipcx mk pshm job-2 --size 1 >/dev/null
	ipcx mk pshm other --size 1 >/dev/null
	ipcx mk pmsg job-q >/dev/null
	ipcx mk psem job-s >/dev/null
	run --separate-stderr ipcx rm --key 0x80 -v
	assert_success
	assert_equal "${#lines[@]}" 2
	assert_line --regexp '^removed shm [0-9]+ \(key 0x00000080\)$'
	assert_line --regexp '^removed msg [0-9]+ \(key 0x00000080\)$'
	assert_equal "$(kcount shm) $(kcount msg) $(kcount sem)" "0 0 1"
	run --separate-stderr ipcx rm --name '/job-*' pshm pmsg -v
	assert_success
	assert_equal "$(sort <<<"$output")" "removed pmsg /job-q
removed pshm /job-1
removed pshm /job-2"
	assert_equal "$(ls /dev/shm)" "$(printf 'other\nsem.job-s')"
	run --separate-stderr ipcx rm --name 'job-?' -v
	assert_success
	assert_output "removed psem /job-s"
}

@test "-u USER selects by owner" {
	mkid shm --size 1
	ipcx mk pshm p --size 1 >/dev/null
	# nothing here is nobody's
	snapshot
	run --separate-stderr ipcx rm -u nobody
	assert_success
	assert_equal "$(errs)" ""
	unchanged
	run --separate-stderr ipcx rm -u root -v
	assert_success
	assert_line "removed shm $ID (key $KEY)"
	assert_line "removed pshm /p"
	assert_equal "$(kcount shm)" 0
}

@test "-u USER leaves other users' objects" {
	require_real_root
	mkid shm --size 1
	local mine=$ID
	ID=$($NOBODY "$IPCX" mk shm --size 1 --key 0xb0 | cut -d' ' -f1)
	assert_equal "$(kf shm "$ID" uid)" 65534
	$NOBODY "$IPCX" mk pshm theirs --size 1 >/dev/null
	ipcx mk pshm ours --size 1 >/dev/null
	run --separate-stderr ipcx rm -u nobody -v
	assert_success
	assert_equal "$(sort <<<"$output")" "removed pshm /theirs
removed shm $ID (key 0x000000b0)"
	run kf shm "$mine" key
	assert_success
	[ -e /dev/shm/ours ] || fail "root's object was removed"
	[ ! -e /dev/shm/theirs ] || fail "nobody's object was kept"
}

@test "--creator-gone removes segments whose creator has exited" {
	mkid shm --size 1
	local orphan=$ID
	holder make-shm 4096
	local owned
	owned=$(ready_field id)
	assert_equal "$(kf shm "$owned" cpid)" "$SPAWN_PID"
	run --separate-stderr ipcx rm --creator-gone -v
	assert_success
	assert_output "removed shm $orphan (key $KEY)"
	kf shm "$owned" key >/dev/null
	stop_all
	run --separate-stderr ipcx rm --creator-gone -v
	assert_output "removed shm $owned"
	assert_equal "$(kcount shm)" 0
}

@test "--unattached removes only shared memory nobody attaches or maps" {
	mkid shm --size 1 --key private
	local free=$ID
	mkid shm --size 1 --key private
	local used=$ID
	holder shm "$used"
	ipcx mk pshm free --size 1 >/dev/null
	ipcx mk pshm used --size 1 >/dev/null
	holder map /dev/shm/used
	mkid msg
	run --separate-stderr ipcx rm --unattached -v
	assert_success
	assert_equal "$(sort <<<"$output")" "$(sort <<<"removed shm $free
removed pshm /free")"
	kf shm "$used" key >/dev/null
	[ -e /dev/shm/used ] || fail "a mapped segment was removed"
	assert_equal "$(kcount msg)" 1
}

@test "--older-than removes objects last changed longer ago" {
	mkid shm --size 1 --key private
	local old=$ID
	ipcx mk pshm old --size 1 >/dev/null
	local t0 t1
	t0=$(kf shm "$old" ctime)
	t1=$(stat -c %Z /dev/shm/old)
	if [ "$t1" -gt "$t0" ]; then t0=$t1; fi
	# the first ones more than 2 s old; the next ones younger, with room
	# for a slow machine between their making and the rm
	eventually clock_after $((t0 + 2))
	mkid shm --size 1 --key private
	local new=$ID
	ipcx mk pshm new --size 1 >/dev/null
	run --separate-stderr ipcx rm --older-than 2s -v
	assert_success
	assert_equal "$(sort <<<"$output")" "$(sort <<<"removed shm $old
removed pshm /old")"
	kf shm "$new" key >/dev/null
	[ -e /dev/shm/new ] || fail "a new segment was removed"
}

@test "an id that names another object by the time of IPC_RMID is not removed" {
	command -v strace >/dev/null || skip "strace is not installed (Debian package strace)"
	mkid shm --size 1 --key 0x90
	local id=$ID
	# the re-check (the first shmctl) is held back while the id is reused
	delayed shmctl 1 1500000 -- "$IPCX" rm -v shm "$id"
	local rm_pid=$SPAWN_PID
	ipcrm -m "$id"
	echo "$id" 2>/dev/null >/proc/sys/kernel/shm_next_id ||
		skip "kernel.shm_next_id cannot be set here, so no id can be reused on purpose"
	mkid shm --size 1 --key 0x91
	assert_equal "$ID" "$id"
	eventually gone "$rm_pid"
	wait "$rm_pid" && fail "rm succeeded"
	assert_equal "$(errs "$SPAWN_OUT")" "ipcx: rm: cannot remove shm $id (key 0x00000090): id $id now names another object (key 0x00000091)
0 removed, 0 kept"
	assert_equal "$(khex "$(kf shm "$id" key)")" 0x00000091
}

@test "an id reused with the same key but a new ctime is not removed" {
	command -v strace >/dev/null || skip "strace is not installed (Debian package strace)"
	mkid msg --key 0x92
	local id=$ID t0
	t0=$(kf msg "$id" ctime)
	delayed msgctl 1 2500000 -- "$IPCX" rm msg "$id"
	local rm_pid=$SPAWN_PID
	# the new queue's ctime must differ: a clock second later
	eventually clock_after "$t0"
	ipcrm -q "$id"
	echo "$id" 2>/dev/null >/proc/sys/kernel/msg_next_id ||
		skip "kernel.msg_next_id cannot be set here, so no id can be reused on purpose"
	mkid msg --key 0x92
	assert_equal "$ID" "$id"
	eventually gone "$rm_pid"
	wait "$rm_pid" && fail "rm succeeded"
	assert_equal "$(errs "$SPAWN_OUT")" "ipcx: rm: cannot remove msg $id (key 0x00000092): changed since it was listed"
	kf msg "$id" key >/dev/null
}

@test "a name that holds another file by the time of unlink is not removed" {
	command -v strace >/dev/null || skip "strace is not installed (Debian package strace)"
	ipcx mk pshm a --size 1 >/dev/null
	# the second open of /dev/shm, after the listing, is held back
	delayed openat 2 1500000 -P /dev/shm -- "$IPCX" rm pshm a
	local rm_pid=$SPAWN_PID
	rm /dev/shm/a
	ipcx mk pshm a --size 2 >/dev/null
	eventually gone "$rm_pid"
	wait "$rm_pid" && fail "rm succeeded"
	assert_equal "$(errs "$SPAWN_OUT")" "ipcx: rm: cannot remove pshm /a: the name now holds another object (replaced since listed)"
	assert_equal "$(stat -c %s /dev/shm/a)" 2
}

@test "a name replaced by a symlink by the time of unlink is refused; the target survives" {
	command -v strace >/dev/null || skip "strace is not installed (Debian package strace)"
	local target=/tmp/ipcx-rm-target.$$
	echo precious >"$target"
	ipcx mk pshm a --size 1 >/dev/null
	delayed openat 2 1500000 -P /dev/shm -- "$IPCX" rm pshm a
	local rm_pid=$SPAWN_PID
	rm /dev/shm/a
	ln -s "$target" /dev/shm/a
	eventually gone "$rm_pid"
	wait "$rm_pid" && fail "rm succeeded"
	assert_equal "$(errs "$SPAWN_OUT")" "ipcx: rm: cannot remove pshm /a: not a regular file"
	[ -L /dev/shm/a ] || fail "the symlink is gone"
	assert_equal "$(cat "$target")" precious
}

@test "a symlink in /dev/shm is never followed or removed; names cannot leave the directory" {
	local target=/tmp/ipcx-rm-target.$$
	echo precious >"$target"
	ln -s "$target" /dev/shm/evil
	ln -s "$target" /dev/shm/sem.evil
	bad_runtime rm pshm evil
	assert_equal "$(errs)" "ipcx: rm: pshm 'evil': no such name
ipcx: rm: nothing removed"
	bad_runtime rm psem /evil
	assert_equal "$(errs)" "ipcx: rm: psem '/evil': no such name
ipcx: rm: nothing removed"
	run ipcx rm --all --force
	assert_success
	run ipcx rm --name 'evil' --force
	assert_success
	bad_usage rm pshm "../..$target"
	assert_equal "$(errs)" "ipcx: rm: invalid pshm '../..$target': a name is a single component: no '/' after the first"
	bad_usage rm pshm ..
	assert_equal "$(errs)" "ipcx: rm: invalid pshm '..': '.' and '..' are not names"
	bad_usage rm pmsg /a/b
	assert_equal "$(errs)" "ipcx: rm: invalid pmsg '/a/b': a name is a single component: no '/' after the first"
	[ -L /dev/shm/evil ] && [ -L /dev/shm/sem.evil ] || fail "a symlink is gone"
	assert_equal "$(cat "$target")" precious
}

@test "permission denied is a runtime failure that changes nothing" {
	require_real_root
	mkid shm --size 1 --key 0xa0
	local shm=$ID
	mkid msg --key 0xa1
	ipcx mk pshm p --size 1 >/dev/null
	snapshot
	run --separate-stderr $NOBODY "$IPCX" rm shm 0xa0
	assert_equal "$status" 1
	assert_equal "$(errs)" "ipcx: rm: cannot remove shm $shm (key 0x000000a0): Operation not permitted"
	run --separate-stderr $NOBODY "$IPCX" rm msg "$ID"
	assert_equal "$status" 1
	assert_equal "$(errs)" "ipcx: rm: cannot remove msg $ID (key 0x000000a1): Operation not permitted"
	run --separate-stderr $NOBODY "$IPCX" rm pshm p
	assert_equal "$status" 1
	assert_equal "$(errs)" "ipcx: rm: cannot remove pshm /p: Operation not permitted"
	unchanged
}

@test "bad input: unknown kinds, malformed ids, users, keys and durations" {
	mkid shm --size 1
	bad_usage rm shmx 1
	assert_regex "$stderr" "^ipcx: rm: unknown kind 'shmx': expected one of shm, msg"
	bad_usage rm shmx --all
	assert_regex "$stderr" "^ipcx: rm: unknown kind 'shmx': expected one of shm, msg"
	bad_usage rm shm abc
	assert_equal "$(errs)" "ipcx: rm: invalid shm 'abc': expected an id, a key as 0xHEX, id:N or key:N"
	bad_usage rm shm 0x0
	assert_equal "$(errs)" "ipcx: rm: invalid shm '0x0': the private key 0x00000000 names no single object; use the id"
	bad_usage rm shm
	assert_equal "$(errs)" "ipcx: rm: expected ID|KEY... after shm"
	bad_usage rm
	assert_equal "$(errs)" "ipcx: rm: nothing to remove: give KIND ID|KEY|NAME..., a filter, or --all"
	bad_usage rm -u no-such-user-here
	assert_equal "$(errs)" "ipcx: rm: unknown user 'no-such-user-here': no such user name or id"
	bad_usage rm --key 0xZZ
	assert_equal "$(errs)" "ipcx: rm: invalid key '0xZZ': not a hexadecimal number"
	bad_usage rm --older-than 5q
	assert_equal "$(errs)" "ipcx: rm: invalid duration '5q': unknown unit (use s, m, h, d or w)"
	bad_usage rm --older-than -1s
	assert_equal "$(errs)" "ipcx: rm: invalid duration '-1s': expected a number of s, m, h, d or w"
}
