#!/usr/bin/env bats
# ipcx mk: each kind created with its options, checked against what the
# kernel reports (/proc/sysvipc, ipcs, stat, mq_getattr, the sem_t word);
# the whole life of each kind (mk, ls and show, use, rm); and bad input.

load test_helper
load state_helper

setup() {
	clean_ipc
}

teardown() {
	stop_all
}

# mk_sysv KIND ARGS...: runs ipcx mk, checks the "ID 0xKEY" line, and sets
# ID and KEY.
mk_sysv() {
	run --separate-stderr "$IPCX" mk "$@"
	assert_success
	assert_output --regexp '^[0-9]+ 0x[0-9a-f]{8}$'
	read -r ID KEY <<<"$output"
}

@test "shm: prints ID 0xKEY as /proc/sysvipc/shm has them, with a random key by default" {
	mk_sysv shm --size 4K
	assert_equal "$(khex "$(kf shm "$ID" key)")" "$KEY"
	assert_equal "$(kf shm "$ID" size)" 4096
	assert_equal "$(kf shm "$ID" perms)" 600
	[ "$KEY" != 0x00000000 ] || fail "a random key was asked for, got the private key"
	local first=$KEY
	mk_sysv shm --size 4K
	[ "$KEY" != "$first" ] || fail "two random keys are the same: $KEY"
	assert_equal "$(kcount shm)" 2
}

@test "shm: --key takes hex and decimal, and private gives key 0 each time" {
	mk_sysv shm --size 1000 --key 0x1234
	assert_equal "$KEY" 0x00001234
	assert_equal "$(kf shm "$ID" key)" 4660
	mk_sysv shm --size 1000 --key 305419896
	assert_equal "$KEY" 0x12345678
	assert_equal "$(khex "$(kf shm "$ID" key)")" 0x12345678
	mk_sysv shm --size 1000 --key private
	assert_equal "$KEY" 0x00000000
	local a=$ID
	mk_sysv shm --size 1000 --key private
	[ "$ID" != "$a" ] || fail "two private segments share id $ID"
	assert_equal "$(kf shm "$a" key)" 0
	assert_equal "$(kf shm "$ID" key)" 0
	assert_equal "$(kcount shm)" 4
}

@test "shm: sizes take K, M, G, KiB, MiB, GiB and KB" {
	local size want
	for size in 1:1 3K:3072 2KiB:2048 1M:1048576 2MiB:2097152 1G:1073741824 1GiB:1073741824 5KB:5000; do
		want=${size#*:}
		mk_sysv shm --size "${size%%:*}"
		assert_equal "$(kf shm "$ID" size)" "$want"
	done
}

@test "modes: octal and rwx text, for every kind, as the kernel and stat report them" {
	mk_sysv shm --size 1 --mode 0640
	assert_equal "$(kf shm "$ID" perms)" 640
	mk_sysv shm --size 1 --mode rw-r---w-
	assert_equal "$(kf shm "$ID" perms)" 642
	mk_sysv msg --mode 604
	assert_equal "$(kf msg "$ID" perms)" 604
	mk_sysv sem --mode r--------
	assert_equal "$(kf sem "$ID" perms)" 400
	# the mode is the one asked for, whatever the umask
	umask 077
	run ipcx mk pshm p --size 1 --mode 0644
	assert_success
	assert_equal "$(stat -c %a /dev/shm/p)" 644
	run ipcx mk pmsg q --mode rw--w----
	assert_success
	assert_equal "$(stat -c %a "$IPCX_TEST_MQ/q")" 620
	run ipcx mk psem s --mode 0666
	assert_success
	assert_equal "$(stat -c %a /dev/shm/sem.s)" 666
}

@test "shm: an existing key is printed unchanged with a note; --exclusive fails and changes nothing" {
	mk_sysv shm --size 4096 --key 0x42 --mode 600
	local id=$ID
	run --separate-stderr ipcx mk shm --size 100 --key 66 --mode 644
	assert_success
	assert_output "$id 0x00000042"
	assert_equal "$stderr" "ipcx: mk: shm $id (key 0x00000042) exists: printed unchanged (use --exclusive to fail instead)"
	assert_equal "$(kf shm "$id" perms)" 600
	assert_equal "$(kf shm "$id" size)" 4096
	bad_runtime mk shm --size 4096 --key 0x42 --exclusive
	assert_equal "$output" ""
	assert_equal "$stderr" "ipcx: mk: cannot create shm: key 0x00000042 exists (--exclusive)"
	assert_equal "$(kcount shm)" 1
}

@test "msg and sem: --exclusive fails on an existing key" {
	mk_sysv msg --key 0x51
	bad_runtime mk msg --key 0x51 --exclusive
	assert_equal "$stderr" "ipcx: mk: cannot create msg: key 0x00000051 exists (--exclusive)"
	mk_sysv sem --key 0x52 --values 4
	bad_runtime mk sem --key 0x52 --exclusive --values 9
	assert_equal "$stderr" "ipcx: mk: cannot create sem: key 0x00000052 exists (--exclusive)"
	assert_equal "$(semvals "$ID")" 4
}

@test "POSIX kinds: --exclusive fails on an existing name, else it is printed unchanged" {
	run ipcx mk pshm a --size 10
	assert_success
	bad_runtime mk pshm a --size 20 --exclusive
	assert_equal "$stderr" "ipcx: mk: cannot create pshm: /a exists (--exclusive)"
	run --separate-stderr ipcx mk pshm a --size 20
	assert_success
	assert_output /a
	assert_equal "$stderr" "ipcx: mk: pshm /a exists: printed unchanged (use --exclusive to fail instead)"
	assert_equal "$(stat -c %s /dev/shm/a)" 10

	run ipcx mk pmsg q --maxmsg 3
	assert_success
	bad_runtime mk pmsg q --maxmsg 5 --exclusive
	assert_equal "$stderr" "ipcx: mk: cannot create pmsg: /q exists (--exclusive)"
	assert_equal "$(mq_attr q maxmsg)" 3

	run ipcx mk psem s --value 2
	assert_success
	bad_runtime mk psem s --value 7 --exclusive
	assert_equal "$stderr" "ipcx: mk: cannot create psem: /s exists (--exclusive)"
	assert_equal "$(psem_word s)" 2
}

@test "msg: --qbytes sets the byte limit the kernel reports" {
	mk_sysv msg --qbytes 1K
	assert_equal "$(qbytes "$ID")" 1024
	mk_sysv msg
	assert_equal "$(qbytes "$ID")" "$(cat /proc/sys/kernel/msgmnb)"
}

@test "msg: --qbytes above msgmnb without CAP_SYS_RESOURCE fails and leaves no queue" {
	local mnb
	mnb=$(cat /proc/sys/kernel/msgmnb)
	snapshot
	run --separate-stderr setpriv --inh-caps=-sys_resource --bounding-set=-sys_resource \
		"$IPCX" mk msg --qbytes $((mnb + 1))
	assert_equal "$status" 1
	assert_equal "$output" ""
	assert_equal "$stderr" "ipcx: mk: cannot create msg: Operation not permitted (raising --qbytes above msgmnb needs CAP_SYS_RESOURCE)"
	unchanged
	assert_equal "$(kcount msg)" 0
}

@test "sem: --values sets each semaphore, --nsems alone makes zeros, one by default" {
	mk_sysv sem --values 1,0,3
	assert_equal "$(kf sem "$ID" nsems)" 3
	assert_equal "$(semvals "$ID")" 1,0,3
	mk_sysv sem --nsems 4
	assert_equal "$(kf sem "$ID" nsems)" 4
	assert_equal "$(semvals "$ID")" 0,0,0,0
	mk_sysv sem --nsems 2 --values 32767,5
	assert_equal "$(semvals "$ID")" 32767,5
	mk_sysv sem
	assert_equal "$(kf sem "$ID" nsems)" 1
	assert_equal "$(semvals "$ID")" 0
}

@test "pshm: NAME, with or without the slash, makes /dev/shm/NAME of --size bytes" {
	run ipcx mk pshm data --size 3KiB
	assert_success
	assert_output /data
	assert_equal "$(stat -c '%s %a %U' /dev/shm/data)" "3072 600 root"
	run ipcx mk pshm /other --size 10
	assert_success
	assert_output /other
	assert_equal "$(stat -c %s /dev/shm/other)" 10
}

@test "pmsg: --maxmsg and --msgsize, and the defaults, as mq_getattr reports them" {
	run ipcx mk pmsg q --maxmsg 3 --msgsize 100
	assert_success
	assert_output /q
	assert_equal "$(mq_attr q maxmsg)" 3
	assert_equal "$(mq_attr q msgsize)" 100
	# either alone takes the other from the defaults
	run ipcx mk pmsg r --msgsize 1K
	assert_success
	assert_equal "$(mq_attr r maxmsg)" "$(cat /proc/sys/fs/mqueue/msg_default)"
	assert_equal "$(mq_attr r msgsize)" 1024
	run ipcx mk pmsg t
	assert_success
	assert_equal "$(mq_attr t maxmsg)" "$(cat /proc/sys/fs/mqueue/msg_default)"
	assert_equal "$(mq_attr t msgsize)" "$(cat /proc/sys/fs/mqueue/msgsize_default)"
}

@test "psem: --value is the value in the sem_t word and as sem_getvalue reads it" {
	run ipcx mk psem s --value 5
	assert_success
	assert_output /s
	assert_equal "$(psem_word s)" 5
	holder psem /s
	assert_equal "$(ready_field value)" 5
	run ipcx mk psem z
	assert_success
	assert_equal "$(psem_word z)" 0
	run ipcx mk psem big --value 2147483647
	assert_success
	assert_equal "$(psem_word big)" 2147483647
}

@test "--json prints the new object as show --json does" {
	require_jq
	run --separate-stderr ipcx mk shm --size 2K --key 0x77 --json
	assert_success
	assert_equal "$(jq -r '.shm[0].key' <<<"$output")" 0x00000077
	local id
	id=$(jq -r '.shm[0].id' <<<"$output")
	assert_equal "$(kf shm "$id" key)" 119
	assert_equal "$(jq -r '.shm[0].size' <<<"$output")" 2048
	local json=$output fields='.shm[0] | {key, id, size, perms, uid, gid, cuid, ctime, cpid}'
	run --separate-stderr ipcx show --json shm "$id"
	assert_equal "$(jq -S "$fields" <<<"$json")" "$(jq -S "$fields" <<<"$output")"
	run --separate-stderr ipcx mk pmsg q --maxmsg 2 --json
	assert_success
	assert_equal "$(jq -r '.pmsg[0].name' <<<"$output")" /q
	assert_equal "$(jq -r '.pmsg[0].maxmsg' <<<"$output")" 2
	run --separate-stderr ipcx mk sem --values 4,5 -J
	assert_success
	assert_equal "$(jq -c '[.semaphores[].value]' <<<"$output")" '[4,5]'
}

@test "shm --hugetlb: made when huge pages are free, else refused with the reason" {
	local free
	free=$(awk '/^HugePages_Free:/ { print $2 }' /proc/meminfo)
	if [ "${free:-0}" -gt 0 ]; then
		mk_sysv shm --size 1 --hugetlb
		run ipcx ls shm -o ID,STATUS -r
		assert_line "$ID hugetlb"
	else
		bad_runtime mk shm --size 2M --hugetlb
		assert_equal "$output" ""
		# without CAP_IPC_LOCK (in a user namespace) the kernel says so first
		case $stderr in
		*"Operation not permitted"*)
			assert_equal "$stderr" "ipcx: mk: cannot create shm: Operation not permitted (huge pages need CAP_IPC_LOCK, the group vm.hugetlb_shm_group names, or room under RLIMIT_MEMLOCK)" ;;
		*)
			assert_equal "$stderr" "ipcx: mk: cannot create shm: Cannot allocate memory (no huge pages free (see vm.nr_hugepages))" ;;
		esac
		assert_equal "$(kcount shm)" 0
	fi
}

@test "shm life: mk, ls and show, write and read, rm" {
	mk_sysv shm --size 64 --key 0x5151
	table_row ID "$ID" ls shm
	assert_equal "${R[KEY]}" 0x00005151
	assert_equal "${R[SIZE]}" 64B
	run ipcx show shm 0x5151
	assert_success
	assert_line --regexp "^ID: +$ID$"
	printf 'life of a segment' | ipcx shm shm "$ID" write
	assert_equal "$("$ATTACH" dump "$ID" | head -c 17)" "life of a segment"
	run ipcx shm shm "$ID" read --length 17
	assert_output "life of a segment"
	run ipcx rm shm "$ID"
	assert_success
	run kf shm "$ID" key
	assert_failure
}

@test "msg life: mk, ls and show, send and recv, rm" {
	mk_sysv msg --key 0x5252
	run ipcx send msg "$ID" --type 7 hello
	assert_success
	assert_equal "$(kf msg "$ID" qnum)" 1
	table_row ID "$ID" ls msg
	assert_equal "${R[MSGS]}" 1
	run ipcx show msg 0x5252
	assert_success
	assert_line --regexp "^MSGS: +1$"
	run ipcx recv msg "$ID" --json
	assert_output '{"type":7,"size":5,"data":"hello"}'
	assert_equal "$(kf msg "$ID" qnum)" 0
	run ipcx rm msg 0x5252
	assert_success
	assert_equal "$(kcount msg)" 0
}

@test "sem life: mk, ls and show, operate, rm" {
	mk_sysv sem --values 2,0 --key 0x5353
	table_row ID "$ID" ls sem
	assert_equal "${R[NSEMS]}" 2
	run ipcx sem sem "$ID" wait 0 post 1 3
	assert_success
	assert_equal "$(semvals "$ID")" 1,3
	run ipcx show sem "$ID"
	assert_success
	assert_line --regexp '^ +0 +1 +0 +0 '
	assert_line --regexp '^ +1 +3 +0 +0 '
	run ipcx rm sem "$ID"
	assert_success
	assert_equal "$(kcount sem)" 0
}

@test "pshm life: mk, ls and show, write and read, rm" {
	run ipcx mk pshm life --size 8
	assert_success
	table_row NAME /life ls pshm -b
	assert_equal "${R[SIZE]}" 8
	run ipcx show pshm /life
	assert_success
	assert_line --regexp '^NAME: +/life$'
	printf 'abcdefgh' | ipcx shm pshm life write
	assert_equal "$(cat /dev/shm/life)" abcdefgh
	run ipcx shm pshm life read
	assert_output abcdefgh
	run ipcx rm pshm /life
	assert_success
	[ ! -e /dev/shm/life ] || fail "/dev/shm/life is still there"
}

@test "pmsg life: mk, ls and show, send and recv, rm" {
	run ipcx mk pmsg life --maxmsg 4 --msgsize 32
	assert_success
	run ipcx send pmsg life --prio 3 hi
	assert_success
	assert_equal "$(mq_attr life curmsgs)" 1
	table_row NAME /life ls pmsg
	assert_equal "${R[MSGS]}" 1
	assert_equal "${R[MAXMSG]}" 4
	run ipcx show pmsg life
	assert_line --regexp '^MSGSIZE: +32B$'
	run ipcx recv pmsg life --json
	assert_output '{"priority":3,"size":2,"data":"hi"}'
	assert_equal "$(mqf life QSIZE)" 0
	run ipcx rm pmsg life
	assert_success
	[ ! -e "$IPCX_TEST_MQ/life" ] || fail "the queue is still there"
}

@test "psem life: mk, ls and show, post and wait, rm" {
	run ipcx mk psem life --value 1
	assert_success
	table_row NAME /life ls psem
	assert_equal "${R[VALUE]}" 1
	run ipcx sem psem life post 2
	assert_success
	assert_equal "$(psem_word life)" 3
	run ipcx show psem life
	assert_line --regexp '^VALUE: +3$'
	run ipcx sem psem life wait get
	assert_output 2
	run ipcx rm psem life
	assert_success
	[ ! -e /dev/shm/sem.life ] || fail "the semaphore is still there"
}

@test "bad input: an unknown kind, a missing kind and an option of another kind" {
	bad_usage mk shmx --size 1
	assert_regex "$stderr" "^ipcx: mk: unknown kind 'shmx': expected one of shm, msg, sem, pshm, pmsg, psem"
	bad_usage mk
	assert_regex "$stderr" "^ipcx: mk: expected a KIND \\(one of shm, msg, sem, pshm, pmsg, psem"
	bad_usage mk msg --size 4K
	assert_equal "$stderr" "ipcx: mk: --size does not apply to msg"
	bad_usage mk shm --size 1 --value 3
	assert_equal "$stderr" "ipcx: mk: --value does not apply to shm"
	bad_usage mk psem s --values 1,2
	assert_equal "$stderr" "ipcx: mk: --values does not apply to psem"
	bad_usage mk shm
	assert_equal "$stderr" "ipcx: mk: shm needs --size"
	bad_usage mk pshm p
	assert_equal "$stderr" "ipcx: mk: pshm needs --size"
	bad_usage mk shm --size 1 extra
	assert_equal "$stderr" "ipcx: mk: unexpected argument 'extra'"
}

@test "bad input: malformed keys" {
	local key
	for key in 0xZZ 12abc x 0x100000000 4294967296 ''; do
		bad_usage mk shm --size 1 --key "$key"
		assert_equal "${stderr%%:*}" "ipcx"
		[[ $stderr == "ipcx: mk: invalid --key '$key': "* ]] || fail "unexpected: $stderr"
	done
	bad_usage mk msg --key 0xZZ
	assert_equal "$stderr" "ipcx: mk: invalid --key '0xZZ': not a hexadecimal number"
}

@test "bad input: malformed and zero sizes" {
	bad_usage mk shm --size 10X
	assert_equal "$stderr" "ipcx: mk: invalid --size '10X': unknown unit (use K, M, G, T, KiB, MiB, KB, MB, ...)"
	bad_usage mk shm --size 0
	assert_equal "$stderr" "ipcx: mk: invalid --size '0': must be more than 0"
	bad_usage mk shm --size -5
	assert_equal "$stderr" "ipcx: mk: invalid --size '-5': not a size"
	bad_usage mk pshm p --size 1.5K
	assert_equal "$stderr" "ipcx: mk: invalid --size '1.5K': unknown unit (use K, M, G, T, KiB, MiB, KB, MB, ...)"
	bad_usage mk shm --size 99999999999999999999
	assert_equal "$stderr" "ipcx: mk: invalid --size '99999999999999999999': out of range"
	bad_usage mk msg --qbytes 1Q
	assert_equal "$stderr" "ipcx: mk: invalid --qbytes '1Q': unknown unit (use K, M, G, T, KiB, MiB, KB, MB, ...)"
	bad_usage mk pmsg q --msgsize x
	assert_equal "$stderr" "ipcx: mk: invalid --msgsize 'x': not a size"
	bad_usage mk pmsg q --maxmsg 0
	assert_equal "$stderr" "ipcx: mk: invalid --maxmsg '0': must be more than 0"
	bad_usage mk sem --nsems -1
	assert_equal "$stderr" "ipcx: mk: invalid --nsems '-1': must not be negative"
}

@test "bad input: malformed modes" {
	bad_usage mk shm --size 1 --mode 999
	assert_equal "$stderr" "ipcx: mk: invalid --mode '999': expected octal (0600) or rwx text (rw-------)"
	bad_usage mk shm --size 1 --mode 01777
	assert_equal "$stderr" "ipcx: mk: invalid --mode '01777': only permission bits 0 to 0777"
	bad_usage mk pshm p --mode rwxrwxrwz
	assert_equal "$stderr" "ipcx: mk: invalid --mode 'rwxrwxrwz': expected octal (0600) or rwx text (rw-------)"
	bad_usage mk psem s --mode wr-------
	assert_equal "$stderr" "ipcx: mk: invalid --mode 'wr-------': expected rwx letters in order, or octal"
	bad_usage mk pmsg q --mode r-x
	assert_equal "$stderr" "ipcx: mk: invalid --mode 'r-x': expected octal (0600) or rwx text (rw-------)"
}

@test "bad input: POSIX names that are not one component, or are reserved" {
	bad_usage mk pshm a/b --size 1
	assert_equal "$stderr" "ipcx: mk: invalid name 'a/b': a name is a single component: no '/' after the first"
	bad_usage mk pmsg ../x
	assert_equal "$stderr" "ipcx: mk: invalid name '../x': a name is a single component: no '/' after the first"
	bad_usage mk psem ..
	assert_equal "$stderr" "ipcx: mk: invalid name '..': '.' and '..' are not names"
	bad_usage mk pshm / --size 1
	assert_equal "$stderr" "ipcx: mk: invalid name '/': empty name"
	bad_usage mk pshm sem.x --size 1
	assert_equal "$stderr" "ipcx: mk: invalid name 'sem.x': names beginning with 'sem.' are those of named semaphores"
	bad_usage mk psem "$(printf '%0252d' 0)"
	assert_equal "$stderr" "ipcx: mk: invalid name '$(printf '%0252d' 0)': name too long"
	bad_usage mk pmsg
	assert_equal "$stderr" "ipcx: mk: expected a NAME for pmsg"
}

@test "bad input: negative and out-of-range semaphore values, and a count mismatch" {
	bad_usage mk sem --values 1,-2
	assert_equal "$stderr" "ipcx: mk: invalid --values '1,-2': a negative semaphore value (-2)"
	bad_usage mk psem s --value -1
	assert_equal "$stderr" "ipcx: mk: invalid --value '-1': a negative semaphore value"
	bad_usage mk sem --values 1,40000
	assert_equal "$stderr" "ipcx: mk: invalid --values '1,40000': '40000' out of range (0 to 32767)"
	bad_usage mk sem --values 1,x
	assert_equal "$stderr" "ipcx: mk: invalid --values '1,x': 'x' not a non-negative number (0 to 32767)"
	bad_usage mk psem s --value 2147483648
	assert_equal "$stderr" "ipcx: mk: invalid --value '2147483648': more than SEM_VALUE_MAX (2147483647)"
	bad_usage mk sem --nsems 2 --values 1,2,3
	assert_equal "$stderr" "ipcx: mk: --values gives 3 values for --nsems 2: one value per semaphore"
	bad_usage mk sem --nsems 0
	assert_equal "$stderr" "ipcx: mk: invalid --nsems '0': must be more than 0"
}
