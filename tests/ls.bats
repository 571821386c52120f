#!/usr/bin/env bats
# ipcx ls: each kind's columns against what mkipc made and what the kernel
# reports (/proc/sysvipc, stat, the mqueue files, lsipc), the output modes,
# sorting and the filters.

load test_helper

# The kinds this suite covers.
KINDS="shm msg sem pshm pmsg psem"

setup() {
	clean_ipc
}

# The columns of a kind as --list-columns names them; starred ones with -d.
list_columns() {
	local kind=$1 which=${2:-all}
	"$IPCX" ls "$kind" --list-columns | awk -v which="$which" '
		NR > 1 && (which == "all" || substr($0, 2, 1) == "*") {
			print (substr($0, 2, 1) == "*" ? $2 : $1)
		}'
}

# The header of a one-kind listing, one name a line (what stderr says is
# checked elsewhere: a holder column may warn about processes of others).
header_of() {
	"$IPCX" ls "$@" -r 2>/dev/null | head -n 1 | tr ' ' '\n'
}

@test "shm: default columns against mkipc, /proc/sysvipc/shm and lsipc" {
	hold shm key=0x1234 size=10000 mode=640 attach=2
	local id key pid
	id=$(field "${MK[0]}" id)
	key=$(field "${MK[0]}" key)
	pid=$(field "${MK[0]}" pid)
	table_row ID "$id" ls shm
	assert_equal "${R[KEY]}" "$key"
	assert_equal "${R[KEY]}" "$(hexkey "$(sysv shm "$id" key)")"
	assert_equal "${R[PERMS]}" "$(perms 640)"
	assert_equal "$(sysv shm "$id" perms)" 640
	assert_equal "${R[OWNER]}" "$(user_of "$(sysv shm "$id" uid)")"
	assert_equal "${R[NATTCH]}" 2
	assert_equal "${R[NATTCH]}" "$(sysv shm "$id" nattch)"
	assert_equal "${R[STATUS]}" -
	assert_equal "${R[CPID]}" "$pid"
	assert_equal "${R[CPID]}" "$(sysv shm "$id" cpid)"
	assert_equal "${R[LPID]}" "$(sysv shm "$id" lpid)"
	assert_equal "${R[COMMAND]}" "$(cat "/proc/$pid/comm")"
	# size and the short time as util-linux prints them
	local lsipc_size lsipc_ctime
	read -r lsipc_size lsipc_ctime < <(lsipc -m --noheadings -r -o ID,SIZE,CTIME | awk -v id="$id" '$1 == id { print $2, $3 }')
	assert_equal "${R[SIZE]}" "$lsipc_size"
	assert_equal "${R[CTIME]}" "$lsipc_ctime"
	table_row ID "$id" ls shm -b --time-format=iso
	assert_equal "${R[SIZE]}" 10000
	assert_equal "${R[SIZE]}" "$(sysv shm "$id" size)"
	assert_equal "${R[CTIME]}" "$(iso "$(sysv shm "$id" ctime)")"
}

@test "msg: default columns against mkipc and /proc/sysvipc/msg" {
	mk msg key=0x4d2 mode=604 msgs=3 msgsize=100
	local id key pid
	id=$(field "${MK[0]}" id)
	key=$(field "${MK[0]}" key)
	pid=$(field "${MK[0]}" pid)
	table_row ID "$id" ls msg -b
	assert_equal "${R[KEY]}" "$key"
	assert_equal "${R[KEY]}" "$(hexkey "$(sysv msg "$id" key)")"
	assert_equal "${R[PERMS]}" "$(perms 604)"
	assert_equal "${R[OWNER]}" "$(user_of "$(sysv msg "$id" uid)")"
	assert_equal "${R[USEDBYTES]}" "$(field "${MK[0]}" bytes)"
	assert_equal "${R[USEDBYTES]}" "$(sysv msg "$id" cbytes)"
	assert_equal "${R[MSGS]}" 3
	assert_equal "${R[MSGS]}" "$(sysv msg "$id" qnum)"
	assert_equal "${R[LSPID]}" "$pid"
	assert_equal "${R[LSPID]}" "$(sysv msg "$id" lspid)"
	# nothing was ever received: absent, not 0
	assert_equal "$(sysv msg "$id" lrpid)" 0
	assert_equal "${R[LRPID]}" -
	table_row ID "$id" ls msg
	assert_equal "${R[USEDBYTES]}" 300B
}

@test "sem: default columns against mkipc and /proc/sysvipc/sem" {
	mk sem key=0x7fff0001 mode=660 nsems=5 values=1,2,3,4,5
	local id key
	id=$(field "${MK[0]}" id)
	key=$(field "${MK[0]}" key)
	table_row ID "$id" ls sem
	assert_equal "${R[KEY]}" "$key"
	assert_equal "${R[KEY]}" "$(hexkey "$(sysv sem "$id" key)")"
	assert_equal "${R[PERMS]}" "$(perms 660)"
	assert_equal "${R[OWNER]}" "$(user_of "$(sysv sem "$id" uid)")"
	assert_equal "${R[NSEMS]}" 5
	assert_equal "${R[NSEMS]}" "$(sysv sem "$id" nsems)"
}

@test "pshm: default columns against mkipc and stat of the /dev/shm file" {
	mk pshm name=seg size=12345 mode=640 data=hello
	assert_equal "$(field "${MK[0]}" name)" /seg
	table_row NAME /seg ls pshm -b --time-format=iso
	assert_equal "${R[PERMS]}" "$(stat -c %A /dev/shm/seg | cut -c2-)"
	assert_equal "${R[PERMS]}" "$(perms 640)"
	assert_equal "${R[OWNER]}" "$(stat -c %U /dev/shm/seg)"
	assert_equal "${R[SIZE]}" 12345
	assert_equal "${R[SIZE]}" "$(stat -c %s /dev/shm/seg)"
	assert_equal "${R[MTIME]}" "$(iso "$(stat -c %Y /dev/shm/seg)")"
	table_row NAME /seg ls pshm
	assert_equal "${R[SIZE]}" 12.1K
}

@test "pmsg: default columns against mkipc and the queue file" {
	mk pmsg name=jobs maxmsg=8 msgsize=200 mode=620 msgs=3 msglen=50
	local f="$IPCX_TEST_MQ/jobs"
	table_row NAME /jobs ls pmsg -b
	assert_equal "${R[PERMS]}" "$(stat -c %A "$f" | cut -c2-)"
	assert_equal "${R[PERMS]}" "$(perms 620)"
	assert_equal "${R[OWNER]}" "$(stat -c %U "$f")"
	assert_equal "${R[MSGS]}" 3
	assert_equal "${R[USEDBYTES]}" "$(sed -n 's/^QSIZE:\([0-9]*\).*/\1/p' "$f")"
	assert_equal "${R[MAXMSG]}" 8
	assert_equal "${R[MSGSIZE]}" 200
	# no notification registered: the file says pid 0, ipcx says absent
	grep -q 'NOTIFY_PID:0' "$f"
	assert_equal "${R[NOTIFY_PID]}" -
}

@test "psem: default columns against mkipc and the semaphore's file" {
	mk psem name=lock value=7 mode=640
	local f=/dev/shm/sem.lock
	table_row NAME /lock ls psem --time-format=iso
	assert_equal "${R[PERMS]}" "$(stat -c %A "$f" | cut -c2-)"
	assert_equal "${R[PERMS]}" "$(perms 640)"
	assert_equal "${R[OWNER]}" "$(stat -c %U "$f")"
	assert_equal "${R[VALUE]}" 7
	# glibc keeps the value in the low half of the file's first word
	assert_equal "${R[VALUE]}" "$(od -An -t u4 -N 4 "$f" | tr -d ' ')"
	assert_equal "${R[MTIME]}" "$(iso "$(stat -c %Y "$f")")"
}

@test "the default columns of every kind are the starred ones of --list-columns" {
	mk shm msg sem pshm name=a pmsg name=b psem name=c
	local kind
	for kind in $KINDS; do
		run header_of "$kind"
		assert_success
		[ -n "$output" ]
		# the listing keeps the table's order; the defaults have their own
		assert_equal "$(sort <<<"$output")" "$(list_columns "$kind" default | sort)"
	done
}

@test "--list-columns describes every column, and -o takes each of them, even twice" {
	mk shm attach=1 msg msgs=1 sem pshm name=a pmsg name=b psem name=c
	local kind twice
	for kind in $KINDS; do
		run ipcx ls "$kind" --list-columns
		assert_success
		assert_line --index 0 "$kind:"
		# " * NAME         description": a marker, a name, then words
		assert_equal "$(awk 'NR > 1 && !/^ [* ] [A-Z_%]+ +[^ ].*[a-z]/' <<<"$output")" ""
		assert_equal "$(list_columns "$kind")" "$("$IPCX" __complete columns "$kind")"
		# every column named twice: a row fills all its cells before it is
		# printed, so a cell whose text the next one frees shows here
		twice=$(list_columns "$kind" | awk '{ printf "%s%s,%s", (NR > 1 ? "," : ""), $1, $1 }')
		run --separate-stderr ipcx ls "$kind" -r -o "$twice"
		assert_success
		assert_equal "$(head -n 1 <<<"$output")" "$(tr , ' ' <<<"$twice")"
		assert_equal "${#lines[@]}" 2
		run awk 'NR > 1 { for (i = 1; i < NF; i += 2) if ($i != $(i + 1)) print "column", (i + 1) / 2, $i, "and", $(i + 1) }' <<<"$output"
		assert_output ""
	done
}

@test "--output-all prints every column, in the order of --list-columns" {
	mk shm msg sem pshm name=a pmsg name=b psem name=c
	local kind
	for kind in $KINDS; do
		run header_of "$kind" --output-all
		assert_success
		assert_output "$(list_columns "$kind")"
	done
}

@test "-o takes columns in the order given, in any case; +COL adds to the defaults" {
	mk shm size=4096
	run header_of shm -o size,Id,KEY
	assert_output "$(printf '%s\n' SIZE ID KEY)"
	run header_of shm -o +ATIME,RSS
	assert_output "$(header_of shm; printf '%s\n' ATIME RSS)"
}

@test "an unknown column is a usage error naming it; several kinds share one -o" {
	run ipcx ls shm -o ID,BOGUS
	assert_equal "$status" 2
	assert_output --partial "unknown column 'BOGUS'"
	assert_equal "${#lines[@]}" 1
	run ipcx ls -o BOGUS
	assert_equal "$status" 2
	assert_output --partial "'BOGUS'"
	# NAME belongs to the POSIX kinds alone: the System V sections drop out
	mk shm pshm name=only
	run ipcx ls shm pshm -o NAME
	assert_success
	assert_output "NAME
/only"
}

@test "shm: ownership, times, RSS and SWAP against /proc/sysvipc/shm" {
	mk shm size=8192 attach=1 touch
	local id
	id=$(field "${MK[0]}" id)
	table_row ID "$id" ls shm -b --time-format=iso \
		-o ID,UID,GID,CUID,CGID,USER,GROUP,CUSER,CGROUP,ATIME,DTIME,CTIME,RSS,SWAP
	local c
	for c in uid gid cuid cgid; do
		assert_equal "${R[${c^^}]}" "$(sysv shm "$id" "$c")"
	done
	assert_equal "${R[USER]}" "$(user_of "$(sysv shm "$id" uid)")"
	assert_equal "${R[CUSER]}" "$(user_of "$(sysv shm "$id" cuid)")"
	assert_equal "${R[GROUP]}" "$(group_of "$(sysv shm "$id" gid)")"
	assert_equal "${R[CGROUP]}" "$(group_of "$(sysv shm "$id" cgid)")"
	# attached and detached again when mkipc exited
	[ "$(sysv shm "$id" atime)" -gt 0 ]
	[ "$(sysv shm "$id" dtime)" -gt 0 ]
	assert_equal "${R[ATIME]}" "$(iso "$(sysv shm "$id" atime)")"
	assert_equal "${R[DTIME]}" "$(iso "$(sysv shm "$id" dtime)")"
	assert_equal "${R[CTIME]}" "$(iso "$(sysv shm "$id" ctime)")"
	# every page was written, so resident
	assert_equal "$(sysv shm "$id" rss)" 8192
	assert_equal "${R[RSS]}" "$(sysv shm "$id" rss)"
	assert_equal "${R[SWAP]}" "$(sysv shm "$id" swap)"
}

@test "shm: a segment never attached has no ATIME, DTIME or LPID" {
	mk shm
	local id
	id=$(field "${MK[0]}" id)
	assert_equal "$(sysv shm "$id" atime)" 0
	table_row ID "$id" ls shm -o ID,ATIME,DTIME,LPID,NATTCH
	assert_equal "${R[ATIME]}" -
	assert_equal "${R[DTIME]}" -
	assert_equal "${R[LPID]}" -
	assert_equal "${R[NATTCH]}" 0
}

@test "shm: STATUS says dest for a removed segment still attached, and locked" {
	hold shm size=4096 attach=1 rm shm key=0x55 size=4096 lock shm key=0x56
	local dest locked plain
	dest=$(field "${MK[0]}" id)
	locked=$(field "${MK[1]}" id)
	plain=$(field "${MK[2]}" id)
	# the kernel's view: SHM_DEST is 01000, SHM_LOCKED 02000 in perms
	assert_equal "$(sysv shm "$dest" perms)" 1600
	assert_equal "$(sysv shm "$locked" perms)" 2600
	table_row ID "$dest" ls shm
	assert_equal "${R[STATUS]}" dest
	assert_equal "${R[KEY]}" 0x00000000
	assert_equal "${R[NATTCH]}" 1
	table_row ID "$locked" ls shm
	assert_equal "${R[STATUS]}" locked
	table_row ID "$plain" ls shm
	assert_equal "${R[STATUS]}" -
	# the removed segment goes away with its last attachment
	release
	run sysv shm "$dest" perms
	assert_failure
	run ipcx ls shm -r -n -o ID
	refute_line "$dest"
	assert_line "$locked"
}

@test "msg: QBYTES set by IPC_SET, send and receive columns" {
	mk msg qbytes=5000 msgs=2 msgsize=10
	local id pid
	id=$(field "${MK[0]}" id)
	pid=$(field "${MK[0]}" pid)
	assert_equal "$(field "${MK[0]}" qbytes)" 5000
	table_row ID "$id" ls msg -b --time-format=iso -o ID,QBYTES,STIME,RTIME,LSPID,LRPID,CTIME
	assert_equal "${R[QBYTES]}" 5000
	assert_equal "${R[STIME]}" "$(iso "$(sysv msg "$id" stime)")"
	assert_equal "${R[CTIME]}" "$(iso "$(sysv msg "$id" ctime)")"
	assert_equal "$(sysv msg "$id" rtime)" 0
	assert_equal "${R[RTIME]}" -
	assert_equal "${R[LSPID]}" "$pid"
	table_row ID "$id" ls msg -o ID,QBYTES
	assert_equal "${R[QBYTES]}" 4.9K
}

@test "sem: OTIME is absent until a semop, then the kernel's" {
	mk sem nsems=2 values=1,1 sem nsems=2 op=0:1 op=1:3
	local idle busy
	idle=$(field "${MK[0]}" id)
	busy=$(field "${MK[1]}" id)
	assert_equal "$(sysv sem "$idle" otime)" 0
	table_row ID "$idle" ls sem -o ID,OTIME,CTIME --time-format=iso
	assert_equal "${R[OTIME]}" -
	assert_equal "${R[CTIME]}" "$(iso "$(sysv sem "$idle" ctime)")"
	table_row ID "$busy" ls sem -o ID,OTIME --time-format=iso
	[ "$(sysv sem "$busy" otime)" -gt 0 ]
	assert_equal "${R[OTIME]}" "$(iso "$(sysv sem "$busy" otime)")"
}

@test "pmsg: notification columns against the queue file, while the holder lives" {
	hold pmsg name=sig notify=USR1 msgs=1 pmsg name=none notify=none pmsg name=thr notify=thread pmsg name=plain
	local pid=$HOLD_PID
	grep -q "NOTIFY_PID:$pid" "$IPCX_TEST_MQ/sig"
	local signo
	signo=$(sed -n 's/.*SIGNO:\([0-9]*\).*/\1/p' "$IPCX_TEST_MQ/sig")
	assert_equal "$signo" "$(field "${MK[0]}" signo)"
	local cols=NAME,NOTIFY,SIGNO,NOTIFY_PID,NOTIFY_COMMAND
	table_row NAME /sig ls pmsg -o "$cols"
	assert_equal "${R[NOTIFY]}" signal
	assert_equal "${R[SIGNO]}" "SIG$(kill -l "$signo")"
	assert_equal "${R[NOTIFY_PID]}" "$pid"
	assert_equal "${R[NOTIFY_COMMAND]}" "$(cat "/proc/$pid/comm")"
	table_row NAME /none ls pmsg -o "$cols"
	assert_equal "${R[NOTIFY]}" none
	assert_equal "${R[SIGNO]}" -
	assert_equal "${R[NOTIFY_PID]}" "$pid"
	table_row NAME /thr ls pmsg -o "$cols"
	assert_equal "${R[NOTIFY]}" thread
	assert_equal "${R[SIGNO]}" -
	table_row NAME /plain ls pmsg -o "$cols"
	assert_equal "${R[NOTIFY]}" -
	assert_equal "${R[NOTIFY_PID]}" -
	assert_equal "${R[NOTIFY_COMMAND]}" -
	# the registration dies with its process
	release
	grep -q 'NOTIFY_PID:0' "$IPCX_TEST_MQ/sig"
	table_row NAME /sig ls pmsg -o "$cols"
	assert_equal "${R[NOTIFY]}" -
	assert_equal "${R[NOTIFY_PID]}" -
}

@test "pshm: RSS counts the pages written; ATIME and CTIME are the file's" {
	mk pshm name=sparse size=1048576 pshm name=written size=1048576 fill=10000
	table_row NAME /sparse ls pshm -b --time-format=iso -o NAME,SIZE,RSS,ATIME,CTIME
	assert_equal "${R[SIZE]}" 1048576
	assert_equal "${R[RSS]}" "$(($(stat -c '%b * %B' /dev/shm/sparse)))"
	assert_equal "${R[RSS]}" 0
	assert_equal "${R[ATIME]}" "$(iso "$(stat -c %X /dev/shm/sparse)")"
	assert_equal "${R[CTIME]}" "$(iso "$(stat -c %Z /dev/shm/sparse)")"
	table_row NAME /written ls pshm -b -o NAME,RSS
	assert_equal "${R[RSS]}" "$(($(stat -c '%b * %B' /dev/shm/written)))"
	[ "${R[RSS]}" -ge 10000 ]
}

@test "psem: WAITERS is the high half of the file's first word" {
	mk psem name=w value=2
	table_row NAME /w ls psem -o NAME,VALUE,WAITERS,UID,GID
	assert_equal "${R[WAITERS]}" "$(od -An -t u4 -j 4 -N 4 /dev/shm/sem.w | tr -d ' ')"
	assert_equal "${R[WAITERS]}" 0
	assert_equal "${R[UID]}" "$(stat -c %u /dev/shm/sem.w)"
	assert_equal "${R[GID]}" "$(stat -c %g /dev/shm/sem.w)"
}

@test "-J is one valid document with an array per kind, even an empty one" {
	mk shm pshm name=p
	run ipcx ls -J $KINDS
	assert_success
	assert_json
	assert_equal "$(jq -r 'keys_unsorted | join(",")' <<<"$output")" "$(tr ' ' , <<<"$KINDS")"
	assert_equal "$(jq '.shm | length' <<<"$output")" 1
	assert_equal "$(jq '.msg | length' <<<"$output")" 0
	assert_equal "$(jq '.pshm | length' <<<"$output")" 1
	run ipcx ls -J msg
	assert_json
	assert_equal "$(jq -c . <<<"$output")" '{"msg":[]}'
}

@test "-J values are typed: numbers are numbers, absent values null" {
	mk shm key=0x10 size=4096 msg msgs=1 sem nsems=2 pshm name=p pmsg name=q psem name=s value=1
	run --separate-stderr ipcx ls -J --output-all $KINDS
	assert_success
	assert_json
	local kind col
	for kind in shm msg sem; do
		assert_equal "$(jq -r ".$kind[0] | [.id, .uid, .gid, .cuid] | map(type) | unique | join(\",\")" <<<"$output")" number
		assert_equal "$(jq -r ".$kind[0].key | type" <<<"$output")" string
	done
	assert_equal "$(jq ".shm[0].key" <<<"$output")" '"0x00000010"'
	assert_equal "$(jq ".shm[0].size" <<<"$output")" 4096
	assert_equal "$(jq ".shm[0].nattch" <<<"$output")" 0
	# never attached, no flag, creator gone
	for col in atime dtime lpid status command; do
		assert_equal "$(jq ".shm[0].$col" <<<"$output")" null
	done
	assert_equal "$(jq ".msg[0].msgs" <<<"$output")" 1
	assert_equal "$(jq ".msg[0].lrpid" <<<"$output")" null
	assert_equal "$(jq ".msg[0].rtime" <<<"$output")" null
	assert_equal "$(jq -r ".msg[0].stime | type" <<<"$output")" string
	assert_equal "$(jq ".sem[0].nsems" <<<"$output")" 2
	assert_equal "$(jq ".sem[0].otime" <<<"$output")" null
	assert_equal "$(jq ".pshm[0].size" <<<"$output")" 4096
	assert_equal "$(jq ".pmsg[0] | [.msgs, .usedbytes, .maxmsg, .msgsize] | map(type) | unique | join(\",\")" <<<"$output")" '"number"'
	assert_equal "$(jq ".pmsg[0].notify_pid" <<<"$output")" null
	assert_equal "$(jq ".pmsg[0].notify" <<<"$output")" null
	assert_equal "$(jq ".psem[0].value" <<<"$output")" 1
	assert_equal "$(jq -r ".psem[0].name" <<<"$output")" /s
	# times are ISO 8601 unless asked otherwise
	assert_equal "$(jq -r ".shm[0].ctime" <<<"$output")" "$(iso "$(sysv shm "$(field "${MK[0]}" id)" ctime)")"
}

@test "-r prints single-space separated cells with the values of -J" {
	mk shm size=5000 sem nsems=3
	run ipcx ls shm -r
	assert_success
	refute_output --regexp '  '
	assert_equal "${#lines[@]}" 2
	local id
	id=$(field "${MK[0]}" id)
	assert_line --index 1 --regexp "^0x00000000 $id rw------- [^ ]+ 4\\.9K 0 - "
	run ipcx ls -r -o ID
	# one header and one row per section that has rows
	assert_output "ID
$id
ID
$(field "${MK[1]}" id)"
}

@test "-e prints NAME=\"value\" pairs" {
	mk shm key=0xabc size=2048
	local id
	id=$(field "${MK[0]}" id)
	run ipcx ls shm -e -o KEY,ID,SIZE,STATUS
	assert_success
	assert_output "KEY=\"0x00000abc\" ID=\"$id\" SIZE=\"2K\" STATUS=\"-\""
}

@test "-n drops the headings and the section titles" {
	mk shm msg
	run ipcx ls
	assert_output --partial "Shared memory segments (System V)"
	assert_line --regexp '^KEY +ID '
	# one section needs no title
	run ipcx ls msg
	assert_line --index 0 --regexp '^KEY +ID '
	run ipcx ls -n
	assert_success
	refute_output --partial "System V"
	refute_line --regexp '^KEY '
	assert_equal "${#lines[@]}" 2
	run ipcx ls shm -n -r -o ID
	assert_output "$(field "${MK[0]}" id)"
}

@test "-b prints bytes; sizes otherwise read as lsipc prints them" {
	local s
	for s in 1 1023 1024 1536 4200 10000 20000 1048575 1048576 5000000; do
		mk shm size=$s
	done
	run ipcx ls shm -n -r -o ID,SIZE -b
	assert_success
	# listed in the kernel's order, which is not the ids' once they wrap
	assert_equal "$(sort -n <<<"$output")" "$(awk 'NR > 1 { print $2, $4 }' /proc/sysvipc/shm | sort -n)"
	run ipcx ls shm -n -r -o ID,SIZE
	assert_success
	# util-linux 2.38 prints 1023.96K as 1024K, where ipcx carries it to 1M
	assert_equal "$(sort -n <<<"$output")" "$(lsipc -m --noheadings -r -o ID,SIZE | sed 's/ 1024K$/ 1M/; s/ 1024M$/ 1G/' | sort -n)"
	assert_line --regexp ' 1K$'
	assert_line --regexp ' 1M$'
}

@test "--time-format: iso, relative and short; a bad one is a usage error" {
	mk shm
	local id ctime t0 t1
	id=$(field "${MK[0]}" id)
	ctime=$(sysv shm "$id" ctime)
	table_row ID "$id" ls shm --time-format=iso -o ID,CTIME
	assert_equal "${R[CTIME]}" "$(iso "$ctime")"
	t0=$(date +%s)
	run ipcx ls shm -n --time-format=relative -o CTIME
	t1=$(date +%s)
	assert_success
	[[ $output =~ ^([0-9]+)s\ ago$ ]] || fail "not a relative time: $output"
	local ago=${BASH_REMATCH[1]}
	[ "$ago" -ge $((t0 - ctime)) ] && [ "$ago" -le $((t1 - ctime)) ] ||
		fail "$ago s ago is not between $((t0 - ctime)) and $((t1 - ctime))"
	run ipcx ls shm -n --time-format=short -o CTIME
	if [ "$(date -d "@$ctime" +%F)" = "$(date +%F)" ]; then
		assert_output "$(date -d "@$ctime" +%H:%M)"
	else
		assert_output "$(date -d "@$ctime" +%b%d)"
	fi
	run ipcx ls shm --time-format=yesterday
	assert_equal "$status" 2
	assert_output --partial "invalid --time-format 'yesterday'"
}

@test "-s sorts numbers by value and names by bytes; an unknown sort column is refused" {
	mk shm size=3000 shm size=100000 shm size=20 shm size=4096
	run ipcx ls shm -n -r -o SIZE -b -s SIZE
	assert_output "$(awk 'NR > 1 { print $4 }' /proc/sysvipc/shm | sort -n)"
	run ipcx ls shm -n -r -o ID -s size
	assert_output "$(awk 'NR > 1 { print $4, $2 }' /proc/sysvipc/shm | sort -n | cut -d' ' -f2)"
	mk pshm name=b2 pshm name=a10 pshm name=B1 pshm name=a9
	run ipcx ls pshm -n -r -o NAME -s NAME
	assert_output "$(ls /dev/shm | LC_ALL=C sort | sed 's|^|/|')"
	run ipcx ls shm -s BOGUS
	assert_equal "$status" 2
	assert_output --partial "'BOGUS'"
}

@test "KIND arguments select sections, always in the registry's order" {
	mk shm msg sem pshm name=a pmsg name=b psem name=c
	run ipcx ls psem shm
	assert_success
	assert_line --index 0 "Shared memory segments (System V)"
	assert_line "Named semaphores (POSIX)"
	refute_output --partial "Message queues"
	run ipcx ls -J pmsg sem
	assert_equal "$(jq -r 'keys_unsorted | join(",")' <<<"$output")" sem,pmsg
	run ipcx ls nosuch
	assert_equal "$status" 2
}

@test "-u lists the objects of one owner, by name or uid" {
	require_real_root
	mk shm owner=65534 shm msg owner=65534 msg pshm name=theirs owner=65534 pshm name=ours \
		pmsg name=tq owner=65534 psem name=ts owner=65534
	run ipcx ls -u nobody -J
	assert_success
	assert_equal "$(jq -c '[.shm[].id]' <<<"$output")" "[$(field "${MK[0]}" id)]"
	assert_equal "$(jq -c '[.msg[].id]' <<<"$output")" "[$(field "${MK[2]}" id)]"
	assert_equal "$(jq -c '[.pshm[].name]' <<<"$output")" '["/theirs"]'
	assert_equal "$(jq -c '[.pmsg[].name, .psem[].name]' <<<"$output")" '["/tq","/ts"]'
	assert_equal "$(sysv shm "$(field "${MK[0]}" id)" uid)" 65534
	local theirs
	theirs=$(( $(for k in shm msg sem; do
		awk 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next } $c["uid"] == 65534' "/proc/sysvipc/$k"
	done | wc -l) + $(find /dev/shm "$IPCX_TEST_MQ" -type f -uid 65534 | wc -l) ))
	assert_equal "$theirs" 5
	run ipcx ls $KINDS -u 65534 -J
	assert_equal "$(jq '[.[][]] | length' <<<"$output")" "$theirs"
	run ipcx ls -u 0 -J
	assert_equal "$(jq -c '[.shm[].id]' <<<"$output")" "[$(field "${MK[1]}" id)]"
	assert_equal "$(jq -c '[.pshm[].name]' <<<"$output")" '["/ours"]'
}

@test "-u with an unknown user is a usage error naming it" {
	run ipcx ls -u no-such-user-here
	assert_equal "$status" 2
	assert_output "ipcx: ls: unknown user 'no-such-user-here': no such user name or id"
	run ipcx ls -u root -J
	assert_success
	assert_json
}

@test "--key picks System V objects by key, hex or decimal" {
	mk shm key=0x1234 shm key=0x4321 msg key=0x1234 sem key=0x1234 sem key=0xfedcba98 pshm name=p
	run ipcx ls --key 0x1234 -J
	assert_success
	assert_equal "$(jq -c '[.shm[].key, .msg[].key, .sem[].key]' <<<"$output")" \
		'["0x00001234","0x00001234","0x00001234"]'
	assert_equal "$(jq '.pshm + .pmsg + .psem | length' <<<"$output")" 0
	run ipcx ls shm --key 4660 -n -r -o ID
	assert_output "$(field "${MK[0]}" id)"
	# a key above 0x7fffffff is negative in /proc, as key_t is signed
	assert_equal "$(sysv sem "$(field "${MK[4]}" id)" key)" $((0xfedcba98 - 0x100000000))
	run ipcx ls sem --key 0xFEDCBA98 -n -r -o KEY,ID
	assert_output "0xfedcba98 $(field "${MK[4]}" id)"
	run ipcx ls --key 0xzz
	assert_equal "$status" 2
	assert_output --partial "invalid key '0xzz'"
}

@test "--name matches POSIX names by glob, with or without the slash" {
	mk pshm name=app.1 pshm name=app.2 pshm name=other pmsg name=app.q psem name=app.s shm key=0x1
	run ipcx ls --name 'app.*' -J
	assert_success
	assert_equal "$(jq -c '[.pshm[].name] | sort' <<<"$output")" '["/app.1","/app.2"]'
	assert_equal "$(jq -c '[.pmsg[].name, .psem[].name]' <<<"$output")" '["/app.q","/app.s"]'
	assert_equal "$(jq '.shm + .msg + .sem | length' <<<"$output")" 0
	run ipcx ls pshm --name '/app.[2-9]' -n -r -o NAME
	assert_output /app.2
	run ipcx ls pshm --name 'nomatch*' -n
	assert_success
	assert_output ""
}

@test "--creator-gone keeps segments whose creator has exited" {
	mk shm key=0x6001
	local gone alive gone_pid
	gone=$(field "${MK[0]}" id)
	gone_pid=$(field "${MK[0]}" pid)
	hold shm key=0x6002
	alive=$(field "${MK[0]}" id)
	[ ! -e "/proc/$gone_pid" ]
	assert_equal "$(sysv shm "$alive" cpid)" "$HOLD_PID"
	run ipcx ls shm --creator-gone -n -r -o ID
	assert_success
	assert_output "$gone"
	# the holder ends cleanly on SIGTERM as well as at end of input
	kill -TERM "$HOLD_PID"
	wait "$HOLD_PID"
	run ipcx ls shm --creator-gone -n -r -o ID -s ID
	assert_output "$(printf '%s\n' "$gone" "$alive" | sort -n)"
}

@test "--older-than compares with the change time" {
	mk shm key=0x7001 pshm name=old pmsg name=oldq
	sleep 2
	mk shm key=0x7002 pshm name=new pmsg name=newq
	# reading a queue's file sets its ctime: a listing must not make it young
	run ipcx ls pmsg
	[ "$(stat -c %Z "$IPCX_TEST_MQ/oldq")" -ge $(($(date +%s) - 1)) ]
	run ipcx ls --older-than 1s -J
	assert_success
	assert_equal "$(jq -c '[.shm[].key]' <<<"$output")" '["0x00007001"]'
	assert_equal "$(jq -c '[.pshm[].name]' <<<"$output")" '["/old"]'
	assert_equal "$(jq -c '[.pmsg[].name]' <<<"$output")" '["/oldq"]'
	run ipcx ls $KINDS --older-than 1d -J
	assert_equal "$(jq '[.[][]] | length' <<<"$output")" 0
	run ipcx ls $KINDS --older-than 1h30m -n
	assert_output ""
	run ipcx ls --older-than 5x
	assert_equal "$status" 2
	assert_output --partial "invalid duration '5x'"
}

@test "without an mqueue mount, pmsg says so once and the other kinds still list" {
	mk shm key=0x99 pmsg name=q pshm name=p psem name=s
	# a mount namespace of its own, where no mqueue file system is mounted
	run --separate-stderr unshare --mount --propagation private sh -c '
		grep " - mqueue " /proc/self/mountinfo | cut -d" " -f5 | sort -r |
			while read -r m; do umount "$m" || exit 77; done
		grep -q " - mqueue " /proc/self/mountinfo && exit 77
		exec "$0" ls shm msg sem pshm pmsg psem -r' "$IPCX"
	[ "$status" -ne 77 ] || skip "an mqueue mount inherited from the host cannot be unmounted here"
	assert_success
	assert_equal "$(grep -c 'mqueue' <<<"$stderr")" 1
	assert_equal "${#stderr_lines[@]}" 1
	assert_line --partial "0x00000099"
	assert_line --regexp '^/p '
	assert_line --regexp '^/s '
	refute_line --regexp '^/q '
	# with the mount there, the queue is listed and nothing is said
	run --separate-stderr ipcx ls pmsg -n -r -o NAME
	assert_output /q
	assert_equal "$stderr" ""
}

@test "another user sees every object; what it cannot read is '?' and explained once" {
	require_real_root
	mk shm mode=600 msg mode=600 msgs=1 sem mode=600 nsems=2 pshm name=p mode=600 \
		pmsg name=q mode=600 msgs=1 psem name=s mode=600 value=4
	run --separate-stderr setpriv --reuid=65534 --regid=65534 --clear-groups "$IPCX" ls -r
	assert_success
	# every object is still listed, read from /proc and the directories
	assert_equal "$(grep -c '^0x' <<<"$output")" 3
	assert_line --regexp '^/p rw------- root '
	# the queue and the semaphore cannot be opened: their fields are '?'
	assert_line "/q rw------- root ? ? ? ? ?"
	assert_line --regexp '^/s rw------- root \? '
	assert_equal "${#stderr_lines[@]}" 2
	assert_equal "${stderr_lines[0]}" "ipcx: ls: pmsg: 1 object with fields shown as '?': Permission denied"
	assert_equal "${stderr_lines[1]}" "ipcx: ls: psem: 1 object with fields shown as '?': Permission denied"
	# in JSON they are null, not 0
	run --separate-stderr setpriv --reuid=65534 --regid=65534 --clear-groups "$IPCX" ls -J pmsg psem
	assert_success
	assert_json
	assert_equal "$(jq -c '[.pmsg[0].msgs, .pmsg[0].maxmsg, .psem[0].value]' <<<"$output")" '[null,null,null]'
	# the System V fields are all in /proc, or asked with MSG_STAT_ANY
	run --separate-stderr setpriv --reuid=65534 --regid=65534 --clear-groups "$IPCX" ls msg -r -n -b -o MSGS,QBYTES
	assert_success
	assert_output "1 $(field "${MK[1]}" qbytes)"
	assert_equal "$stderr" ""
}

# Printed whole: in a terminal wide enough for every row, libsmartcols
# prints the table as one.
in_terminal() {
	script -qec "stty cols 300 rows 50; $*" /dev/null | tr -d '\r'
}

@test "a listing of 10,001 objects comes out through a pipe as a terminal shows it whole" {
	# ids and NSEMS of different widths, the widest id last: every slice of
	# rows printed while the scan still reads is printed again
	local args=() i
	for ((i = 0; i <= 10000; i++)); do args+=(sem "nsems=$((i % 13 + 1))"); done
	"$HELPERS/mkipc" "${args[@]}" >/dev/null
	local whole
	whole=$(in_terminal "'$IPCX' ls sem")
	run --separate-stderr "$IPCX" ls sem
	assert_success
	assert_equal "${#lines[@]}" 10002
	assert_equal "$output" "$whole"
	# the last row is the kernel's last set
	assert_equal "$(awk 'END { print $2 }' <<<"$output")" "$(awk 'END { print $2 }' /proc/sysvipc/sem)"
	# sorted: printed a slice at a time once every row is known
	whole=$(in_terminal "'$IPCX' ls sem -s NSEMS -o ID,NSEMS,OWNER")
	run --separate-stderr "$IPCX" ls sem -s NSEMS -o ID,NSEMS,OWNER
	assert_success
	assert_equal "$output" "$whole"
	assert_equal "$(awk 'NR > 1 { print $2 }' <<<"$output" | sort -c -n && echo sorted)" sorted
}
