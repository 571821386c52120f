#!/usr/bin/env bats
# ipcx show: every field of one object, found by id, key or name, against
# what mkipc made and what the kernel reports; a semaphore set's elements;
# the errors for objects that are not there.

load test_helper

setup() {
	clean_ipc
}

# The value of FIELD in show's "FIELD:   value" lines held in $output.
val() {
	sed -n "s/^$1: *//p" <<<"$output"
}

# The field names show printed, before the element table.
show_fields() {
	sed -n '/^$/q; s/^\([A-Z_%]*\):.*/\1/p' <<<"$output"
}

# The columns of a kind, as --list-columns names them.
columns_of() {
	"$IPCX" ls "$1" --list-columns | awk 'NR > 1 { print (substr($0, 2, 1) == "*" ? $2 : $1) }'
}

@test "show shm: every column once, in order, with the kernel's values" {
	hold shm key=0x2345 size=20000 mode=640 attach=3
	local id pid
	id=$(field "${MK[0]}" id)
	pid=$(field "${MK[0]}" pid)
	run --separate-stderr ipcx show shm "$id"
	assert_success
	assert_equal "$(show_fields)" "$(columns_of shm)"
	assert_equal "$(val KEY)" 0x00002345
	assert_equal "$(val KEY)" "$(hexkey "$(sysv shm "$id" key)")"
	assert_equal "$(val ID)" "$id"
	assert_equal "$(val PERMS)" "$(perms 640)"
	assert_equal "$(val UID)" "$(sysv shm "$id" uid)"
	assert_equal "$(val CUID)" "$(sysv shm "$id" cuid)"
	assert_equal "$(val GID)" "$(sysv shm "$id" gid)"
	assert_equal "$(val OWNER)" "$(user_of "$(sysv shm "$id" uid)")"
	assert_equal "$(val CGROUP)" "$(group_of "$(sysv shm "$id" cgid)")"
	assert_equal "$(val NATTCH)" 3
	assert_equal "$(val NATTCH)" "$(sysv shm "$id" nattch)"
	assert_equal "$(val CPID)" "$pid"
	assert_equal "$(val LPID)" "$(sysv shm "$id" lpid)"
	assert_equal "$(val COMMAND)" "$(cat "/proc/$pid/comm")"
	assert_equal "$(val STATUS)" -
	assert_equal "$(val DTIME)" -
	# times in ISO 8601 by default
	assert_equal "$(val CTIME)" "$(iso "$(sysv shm "$id" ctime)")"
	assert_equal "$(val ATIME)" "$(iso "$(sysv shm "$id" atime)")"
	assert_equal "$(val SIZE)" "$(lsipc -m --noheadings -r -o ID,SIZE | awk -v id="$id" '$1 == id { print $2 }')"
	run --separate-stderr ipcx show -b shm "$id"
	assert_equal "$(val SIZE)" 20000
	assert_equal "$(val SIZE)" "$(sysv shm "$id" size)"
	assert_equal "$(val RSS)" "$(sysv shm "$id" rss)"
}

@test "show shm: by id, id:N, key as 0xHEX, 0XHEX and key:N alike" {
	mk shm key=0xbeef shm key=0xbeee
	local id
	id=$(field "${MK[0]}" id)
	run --separate-stderr ipcx show shm "$id"
	assert_success
	local want=$output
	local arg
	for arg in "id:$id" 0xbeef 0XBEEF 0x0000beef "key:$((0xbeef))" key:0xbeef; do
		run --separate-stderr ipcx show shm "$arg"
		assert_success
		assert_equal "$output" "$want"
	done
	# the other segment is another object
	run --separate-stderr ipcx show shm 0xbeee
	assert_success
	assert_equal "$(val ID)" "$(field "${MK[1]}" id)"
}

@test "show msg: by id and by key, with its counters and QBYTES" {
	mk msg key=0x600d mode=640 msgs=4 msgsize=25 qbytes=8000
	local id pid
	id=$(field "${MK[0]}" id)
	pid=$(field "${MK[0]}" pid)
	run --separate-stderr ipcx show -b msg 0x600d
	assert_success
	assert_equal "$(show_fields)" "$(columns_of msg)"
	assert_equal "$(val ID)" "$id"
	assert_equal "$(val MSGS)" 4
	assert_equal "$(val MSGS)" "$(sysv msg "$id" qnum)"
	assert_equal "$(val USEDBYTES)" "$(sysv msg "$id" cbytes)"
	assert_equal "$(val USEDBYTES)" 100
	assert_equal "$(val QBYTES)" 8000
	assert_equal "$(val LSPID)" "$pid"
	assert_equal "$(val LRPID)" -
	assert_equal "$(val STIME)" "$(iso "$(sysv msg "$id" stime)")"
	assert_equal "$(val RTIME)" -
	local want=$output
	run --separate-stderr ipcx show -b msg "$id"
	assert_equal "$output" "$want"
}

@test "show sem: a row per semaphore with the values set and the last pid" {
	hold sem key=0x5e4 nsems=4 values=0,7,32767,1 op=3:2
	local id pid
	id=$(field "${MK[0]}" id)
	pid=$HOLD_PID
	assert_equal "$(field "${MK[0]}" values)" 0,7,32767,3
	run --separate-stderr ipcx show sem 0x5e4
	assert_success
	assert_equal "$(show_fields)" "$(columns_of sem)"
	assert_equal "$(val NSEMS)" 4
	assert_equal "$(val NSEMS)" "$(sysv sem "$id" nsems)"
	assert_equal "$(val OTIME)" "$(iso "$(sysv sem "$id" otime)")"
	# the element table follows a blank line
	local table
	table=$(sed -n '/^$/,$p' <<<"$output" | sed '/^$/d')
	assert_equal "$(head -n 1 <<<"$table" | tr -s ' ' | sed 's/^ //')" "SEMNUM VALUE NCNT ZCNT PID COMMAND"
	local comm i
	comm=$(cat "/proc/$pid/comm")
	IFS=, read -ra want <<<"$(field "${MK[0]}" values)"
	assert_equal "$(($(wc -l <<<"$table") - 1))" "${#want[@]}"
	for i in "${!want[@]}"; do
		assert_equal "$(awk -v n="$i" '$1 == n { print $2, $3, $4, $5, $6 }' <<<"$table")" \
			"${want[i]} 0 0 $pid $comm"
	done
	# the pid outlives its process; the command does not
	release
	run --separate-stderr ipcx show sem "$id"
	assert_success
	assert_line --regexp "^ +1 +7 +0 +0 +$pid -$"
}

@test "show sem: NCNT and ZCNT count the processes blocked in semop" {
	hold sem nsems=3 values=0,1,1 ncnt=0 zcnt=1 zcnt=1 ncnt=2
	local id
	id=$(field "${MK[0]}" id)
	# four waiters, each a child of the holder
	assert_equal "$(pgrep -P "$HOLD_PID" | wc -l)" 4
	run --separate-stderr ipcx show sem "$id"
	assert_success
	assert_line --regexp '^ +0 +0 +1 +0 '
	assert_line --regexp '^ +1 +1 +0 +2 '
	assert_line --regexp '^ +2 +1 +1 +0 '
}

@test "show sem -J: the set and its elements, typed" {
	mk sem nsems=2 values=3,4
	local id pid
	id=$(field "${MK[0]}" id)
	pid=$(field "${MK[0]}" pid)
	run --separate-stderr ipcx show -J sem "$id"
	assert_success
	assert_json
	assert_equal "$(jq -c 'keys_unsorted' <<<"$output")" '["sem","semaphores"]'
	assert_equal "$(jq '.sem | length' <<<"$output")" 1
	assert_equal "$(jq -c '.sem[0] | keys_unsorted' <<<"$output")" \
		"$(columns_of sem | tr 'A-Z' 'a-z' | jq -R . | jq -sc .)"
	assert_equal "$(jq '.sem[0].id' <<<"$output")" "$id"
	assert_equal "$(jq '.sem[0].nsems' <<<"$output")" 2
	assert_equal "$(jq '.sem[0].otime' <<<"$output")" null
	# SETALL records the caller's pid in every element; it has exited since
	assert_equal "$(jq -c '.semaphores' <<<"$output")" \
		"[{\"semnum\":0,\"value\":3,\"ncnt\":0,\"zcnt\":0,\"pid\":$pid,\"command\":null},{\"semnum\":1,\"value\":4,\"ncnt\":0,\"zcnt\":0,\"pid\":$pid,\"command\":null}]"
}

@test "show pshm: by name with and without the slash, against stat" {
	mk pshm name=region size=70000 mode=604 data=abc
	run --separate-stderr ipcx show pshm /region
	assert_success
	local want=$output
	run --separate-stderr ipcx show pshm region
	assert_success
	assert_equal "$output" "$want"
	assert_equal "$(show_fields)" "$(columns_of pshm)"
	assert_equal "$(val NAME)" /region
	assert_equal "$(val PERMS)" "$(stat -c %A /dev/shm/region | cut -c2-)"
	assert_equal "$(val UID)" "$(stat -c %u /dev/shm/region)"
	assert_equal "$(val SIZE)" 68.4K
	assert_equal "$(val MTIME)" "$(iso "$(stat -c %Y /dev/shm/region)")"
	assert_equal "$(val CTIME)" "$(iso "$(stat -c %Z /dev/shm/region)")"
	run --separate-stderr ipcx show -b pshm region
	assert_equal "$(val SIZE)" "$(stat -c %s /dev/shm/region)"
	assert_equal "$(val RSS)" "$(($(stat -c '%b * %B' /dev/shm/region)))"
}

@test "show pmsg: its attributes and who is registered for notification" {
	hold pmsg name=work maxmsg=6 msgsize=300 msgs=2 msglen=120 notify=SIGUSR2
	local pid=$HOLD_PID f="$IPCX_TEST_MQ/work"
	run --separate-stderr ipcx show -b pmsg /work
	assert_success
	assert_equal "$(show_fields)" "$(columns_of pmsg)"
	assert_equal "$(val MAXMSG)" 6
	assert_equal "$(val MSGSIZE)" 300
	assert_equal "$(val MSGS)" 2
	assert_equal "$(val USEDBYTES)" "$(sed -n 's/^QSIZE:\([0-9]*\).*/\1/p' "$f")"
	assert_equal "$(val NOTIFY)" signal
	assert_equal "$(val SIGNO)" "SIG$(kill -l "$(sed -n 's/.*SIGNO:\([0-9]*\).*/\1/p' "$f")")"
	assert_equal "$(val SIGNO)" SIGUSR2
	assert_equal "$(val NOTIFY_PID)" "$pid"
	grep -q "NOTIFY_PID:$pid" "$f"
	assert_equal "$(val NOTIFY_COMMAND)" "$(cat "/proc/$pid/comm")"
	# every look at a queue sets its ctime, so CTIME may move on
	local want
	want=$(grep -v '^CTIME:' <<<"$output")
	run --separate-stderr ipcx show -b pmsg work
	assert_equal "$(grep -v '^CTIME:' <<<"$output")" "$want"
	release
	run --separate-stderr ipcx show pmsg work
	assert_equal "$(val NOTIFY)" -
	assert_equal "$(val NOTIFY_PID)" -
	assert_equal "$(val NOTIFY_COMMAND)" -
	assert_equal "$(val MSGS)" 2
}

@test "show pmsg -J: typed attributes, null where nothing is registered" {
	mk pmsg name=j maxmsg=3 msgsize=16 msgs=1
	run --separate-stderr ipcx show -J pmsg j
	assert_success
	assert_json
	assert_equal "$(jq -c '.pmsg[0] | [.name, .maxmsg, .msgsize, .msgs, .usedbytes, .notify, .signo, .notify_pid]' <<<"$output")" \
		"[\"/j\",3,16,1,$(sed -n 's/^QSIZE:\([0-9]*\).*/\1/p' "$IPCX_TEST_MQ/j"),null,null,null]"
}

@test "show psem: value and waiters, by name with and without the slash" {
	mk psem name=gate value=12 mode=640
	run --separate-stderr ipcx show psem gate
	assert_success
	assert_equal "$(show_fields)" "$(columns_of psem)"
	assert_equal "$(val VALUE)" 12
	assert_equal "$(val VALUE)" "$(od -An -t u4 -N 4 /dev/shm/sem.gate | tr -d ' ')"
	assert_equal "$(val WAITERS)" 0
	assert_equal "$(val PERMS)" "$(perms 640)"
	local want=$output
	run --separate-stderr ipcx show psem /gate
	assert_equal "$output" "$want"
	run --separate-stderr ipcx show -J psem gate
	assert_json
	assert_equal "$(jq -c '.psem[0] | [.name, .value, .waiters]' <<<"$output")" '["/gate",12,0]'
}

@test "show: a missing object is exit 1 and one line naming it" {
	mk shm key=0x11 msg key=0x12 sem key=0x13 pshm name=here pmsg name=here psem name=here
	local shmid
	shmid=$(field "${MK[0]}" id)
	run --separate-stderr ipcx show shm $((shmid + 1))
	assert_equal "$status" 1
	assert_equal "$output" ""
	assert_equal "$stderr" "ipcx: show: shm '$((shmid + 1))': no such id"
	run --separate-stderr ipcx show msg 0x99
	assert_equal "$status" 1
	assert_equal "$stderr" "ipcx: show: msg '0x99': no such key"
	run --separate-stderr ipcx show sem key:77
	assert_equal "$status" 1
	assert_equal "$stderr" "ipcx: show: sem 'key:77': no such key"
	local kind
	for kind in pshm pmsg psem; do
		run --separate-stderr ipcx show "$kind" /gone
		assert_equal "$status" 1
		assert_equal "$stderr" "ipcx: show: $kind '/gone': no such name"
		# the object of the same name in another kind is not it
		run --separate-stderr ipcx show "$kind" here
		assert_success
	done
	run --separate-stderr ipcx show pshm sem.here
	assert_equal "$status" 1
	assert_equal "${#stderr_lines[@]}" 1
}

@test "show: malformed arguments are usage errors that name the value" {
	run --separate-stderr ipcx show shm abc
	assert_equal "$status" 2
	assert_equal "${#stderr_lines[@]}" 1
	[[ $stderr == *"'abc'"* ]] || fail "$stderr"
	run --separate-stderr ipcx show shm 0x0
	assert_equal "$status" 2
	[[ $stderr == *"private key"* ]] || fail "$stderr"
	run --separate-stderr ipcx show shm 0xnothex
	assert_equal "$status" 2
	[[ $stderr == *"'0xnothex'"* ]] || fail "$stderr"
	run --separate-stderr ipcx show nosuch 1
	assert_equal "$status" 2
	[[ $stderr == "ipcx: show: unknown kind 'nosuch'"* ]] || fail "$stderr"
	run --separate-stderr ipcx show shm
	assert_equal "$status" 2
	run --separate-stderr ipcx show shm 1 2
	assert_equal "$status" 2
}

@test "show: --time-format and -b change how values are written" {
	mk shm size=3000
	local id ctime t0 t1
	id=$(field "${MK[0]}" id)
	ctime=$(sysv shm "$id" ctime)
	t0=$(date +%s)
	run --separate-stderr ipcx show --time-format=relative shm "$id"
	t1=$(date +%s)
	[[ $(val CTIME) =~ ^([0-9]+)s\ ago$ ]] || fail "CTIME: $(val CTIME)"
	[ "${BASH_REMATCH[1]}" -ge $((t0 - ctime)) ] && [ "${BASH_REMATCH[1]}" -le $((t1 - ctime)) ]
	assert_equal "$(val SIZE)" 2.9K
	run --separate-stderr ipcx show --bytes --time-format=short shm "$id"
	assert_equal "$(val SIZE)" 3000
	if [ "$(date -d "@$ctime" +%F)" = "$(date +%F)" ]; then
		assert_equal "$(val CTIME)" "$(date -d "@$ctime" +%H:%M)"
	fi
}

@test "show shm: a removed segment still attached is found by id, with status dest" {
	hold shm key=0xdead attach=1 rm
	local id
	id=$(field "${MK[0]}" id)
	run --separate-stderr ipcx show shm "$id"
	assert_success
	assert_equal "$(val STATUS)" dest
	assert_equal "$(val KEY)" 0x00000000
	assert_equal "$(val NATTCH)" 1
	# its key is gone with the removal
	run --separate-stderr ipcx show shm 0xdead
	assert_equal "$status" 1
}

@test "show as another user: unreadable fields are '?' with the reason" {
	require_real_root
	mk sem mode=600 nsems=2 values=1,2 pmsg name=q mode=600 msgs=1 psem name=s mode=600 value=3
	local id
	id=$(field "${MK[0]}" id)
	local as_nobody=(setpriv --reuid=65534 --regid=65534 --clear-groups "$IPCX")
	run --separate-stderr "${as_nobody[@]}" show pmsg q
	assert_success
	assert_equal "$(val NAME)" /q
	assert_equal "$(val OWNER)" root
	assert_equal "$(val MSGS)" "? (Permission denied)"
	assert_equal "$(val MAXMSG)" "? (Permission denied)"
	run --separate-stderr "${as_nobody[@]}" show psem s
	assert_success
	assert_equal "$(val VALUE)" "? (Permission denied)"
	run --separate-stderr "${as_nobody[@]}" show -J psem s
	assert_success
	assert_json
	assert_equal "$(jq '.psem[0].value' <<<"$output")" null
	# the set is listed from /proc, its elements need read permission
	run --separate-stderr "${as_nobody[@]}" show sem "$id"
	assert_equal "$status" 1
	assert_equal "$(val NSEMS)" 2
	assert_equal "$stderr" "ipcx: show: sem $id: cannot read its elements: Permission denied"
}
