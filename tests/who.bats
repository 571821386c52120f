#!/usr/bin/env bats
# who, the holder columns and namespaces, against processes whose holdings
# and waits are known: mkipc --hold, attach, and ipcx itself blocked.

load test_helper

setup() {
	clean_ipc
	BG=()
}

teardown() {
	local p
	for p in "${BG[@]}"; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done
	release
	clean_ipc
}

# Starts a command in the background and remembers it for the teardown.
bg() {
	"$@" </dev/null >/dev/null 2>&1 &
	BG+=("$!")
	BGPID=$!
}

# The descriptor of process PID that links to TARGET.
fd_of() {
	local f
	for f in /proc/$1/fd/*; do
		if [ "$(readlink "$f")" = "$2" ]; then
			basename "$f"
			return 0
		fi
	done
	return 1
}

# Waits until thread TID of process PID is blocked in a system call.
wait_blocked() {
	local i
	for ((i = 0; i < 300; i++)); do
		if [ -r "/proc/$1/syscall" ] && ! grep -q '^running' "/proc/$1/syscall" 2>/dev/null &&
			[ "$(awk '{print $1}' "/proc/$1/syscall")" != -1 ]; then
			grep -q '^S' <(awk '/^State:/ {print $2}' "/proc/$1/status") && return 0
		fi
		sleep 0.01
	done
	echo "process $1 never blocked" >&2
	return 1
}

@test "who shm ID: an attachment with the range /proc/PID/maps shows" {
	hold shm size=8192 attach=1
	local id; id=$(field "${MK[0]}" id)
	local range
	range=$(awk -v id="$id" '$5 == id && $6 ~ /^\/SYSV/ {print $1; exit}' "/proc/$HOLD_PID/maps")
	[ -n "$range" ]
	run --separate-stderr ipcx who -r -n -o PID,KIND,OBJECT,HOW,ACCESS,ADDRESS shm "$id"
	assert_success
	assert_output --regexp "^$HOLD_PID shm $id attached rw $range\$"
}

@test "who msg ID: a receiver blocked in msgrcv is waiting, with its thread" {
	mk msg
	local id; id=$(field "${MK[0]}" id)
	bg "$IPCX" recv msg "$id"
	wait_blocked "$BGPID"
	run --separate-stderr ipcx who -r -n -o PID,TID,HOW,SYSCALL msg "$id"
	assert_success
	assert_output "$BGPID $BGPID waiting msgrcv"
}

@test "who sem ID: a process blocked in semop is waiting" {
	mk sem nsems=2
	local id; id=$(field "${MK[0]}" id)
	bg "$IPCX" sem sem "$id" wait 1
	wait_blocked "$BGPID"
	run --separate-stderr ipcx who -r -n -o PID,HOW,SYSCALL sem "$id"
	assert_success
	assert_output --regexp "^$BGPID waiting sem(timed)?op\$"
	# the kernel agrees that one process waits for an increase
	run ipcx sem sem "$id" counts
	assert_line --regexp '^ +1 +1 +0$'
}

@test "who pshm NAME: a shared mapping and an open descriptor, by inode" {
	mk pshm name=seg size=4096
	# attach holds on until its stdin ends: a sleep keeps it open
	"$HELPERS/attach" map /dev/shm/seg < <(sleep 60) >/dev/null &
	BG+=("$!"); local mapper=$!
	"$HELPERS/attach" open /dev/shm/seg < <(sleep 60) >/dev/null &
	BG+=("$!"); local opener=$!
	local i
	for ((i = 0; i < 300; i++)); do
		grep -q ' /dev/shm/seg$' "/proc/$mapper/maps" 2>/dev/null &&
			ls -l "/proc/$opener/fd" 2>/dev/null | grep -q /dev/shm/seg && break
		sleep 0.01
	done
	local fd
	fd=$(fd_of "$opener" /dev/shm/seg)
	run --separate-stderr ipcx who -r -n -o PID,HOW,FD pshm /seg
	assert_success
	assert_line "$mapper mapped -"
	assert_line "$opener open $fd"
	assert_equal "${#lines[@]}" 2
	run --separate-stderr ipcx ls -r -n -o NAME,NHOLDERS pshm
	assert_output "/seg 2"
}

@test "who psem NAME: a sem_open mapping and a waiter in futex" {
	mk psem name=lock value=0
	bg "$IPCX" sem psem lock wait
	wait_blocked "$BGPID"
	run --separate-stderr ipcx who -r -n -o PID,HOW,SYSCALL psem lock
	assert_success
	assert_line "$BGPID mapped -"
	assert_line "$BGPID waiting futex"
	# the semaphore's own word counts the same waiter
	run --separate-stderr ipcx ls -r -n -o NAME,WAITERS psem
	assert_output "/lock 1"
}

@test "who pmsg NAME: a descriptor and a receiver blocked in mq_timedreceive" {
	mk pmsg name=jobs
	bg "$IPCX" recv pmsg jobs
	wait_blocked "$BGPID"
	local fd
	fd=$(fd_of "$BGPID" "$IPCX_TEST_MQ/jobs")
	run --separate-stderr ipcx who -r -n -o PID,HOW,FD,SYSCALL pmsg jobs
	assert_success
	assert_line "$BGPID open $fd -"
	assert_line "$BGPID waiting $fd mq_timedreceive"
}

@test "who PID lists exactly what that process holds" {
	hold shm size=4096 attach=1 pshm name=held size=4096
	local id; id=$(field "${MK[0]}" id)
	mk shm size=4096
	run --separate-stderr ipcx who -r -n -o PID,KIND,OBJECT "$HOLD_PID"
	assert_success
	assert_line --regexp "^$HOLD_PID shm $id( |$)"
	refute_line --regexp " shm $(field "${MK[0]}" id)( |$)"
}

@test "HOLDERS and NHOLDERS name the holding processes" {
	hold shm size=4096 attach=1
	local id; id=$(field "${MK[0]}" id)
	local comm; comm=$(cat "/proc/$HOLD_PID/comm")
	run --separate-stderr ipcx ls shm -r -n -o ID,NHOLDERS,HOLDERS
	assert_success
	assert_output "$id 1 $HOLD_PID($comm)"
	run --separate-stderr ipcx ls shm -J -o ID,NHOLDERS
	assert_success
	python3 -c 'import json,sys; d=json.load(sys.stdin); assert d["shm"][0]["nholders"] == 1' <<<"$output"
}

@test "a segment id of another IPC namespace is not this namespace's holder" {
	mk shm size=4096
	local id; id=$(field "${MK[0]}" id)
	# the same id, attached, in a namespace of its own
	unshare --ipc sh -c "\"$HELPERS/mkipc\" --hold shm size=4096 attach=1 >/dev/null; sleep 30" </dev/null &
	BG+=("$!")
	local i
	for ((i = 0; i < 300; i++)); do
		grep -l '/SYSV' /proc/[0-9]*/maps 2>/dev/null | grep -q . && break
		sleep 0.01
	done
	run --separate-stderr ipcx who -r -n shm "$id"
	assert_success
	assert_output ""
}

@test "--ns PID lists the objects of that process's namespaces" {
	unshare --ipc --mount --propagation private sh -c \
		'mount -t tmpfs tmpfs /dev/shm && "$0" mk shm --size 4K --key 0x4242 >/dev/null &&
		 "$0" mk pshm inner --size 1K >/dev/null && exec sleep 30' "$IPCX" </dev/null &
	BG+=("$!"); local pid=$!
	local i
	for ((i = 0; i < 300; i++)); do
		[ "$(readlink /proc/$pid/exe 2>/dev/null)" = "$(command -v sleep)" ] && break
		sleep 0.01
	done
	mk shm size=4096 key=0x1111
	run --separate-stderr ipcx --ns "$pid" ls -r -n -o KEY shm
	assert_success
	assert_output "0x00004242"
	run --separate-stderr ipcx --ns "$pid" ls -r -n -o NAME pshm
	assert_output "/inner"
	# ours is untouched and still ours
	run --separate-stderr ipcx ls -r -n -o KEY shm
	assert_output "0x00001111"
	local ino; ino=$(stat -L -c %i "/proc/$pid/ns/ipc")
	run --separate-stderr ipcx ls --all-ns -r -n -o KEY shm
	assert_success
	assert_line "$ino 0x00004242"
	assert_line "$(stat -L -c %i /proc/self/ns/ipc) 0x00001111"
	run --separate-stderr ipcx ns -r -n -o NS,SHM,PSHM
	assert_line "$ino 1 1"
}

@test "ls --all-ns with holders: each namespace's own holders, every namespace entered" {
	# two namespaces, each with a segment a process of its own attaches
	local n pids=() out
	for n in 1 2; do
		out="$BATS_TEST_TMPDIR/attach$n"
		unshare --ipc --mount --propagation private sh -c \
			'"$0" mk shm --size 4K --key "$1" >/dev/null &&
			 exec "$2" shm "$(awk "NR == 2 { print \$2 }" /proc/sysvipc/shm)" >"$3"' \
			"$IPCX" "0x505$n" "$HELPERS/attach" "$out" < <(sleep 60) &
		BG+=("$!")
		pids+=("$!")
	done
	local i
	for n in 1 2; do
		for ((i = 0; i < 500; i++)); do
			grep -q '^ready' "$BATS_TEST_TMPDIR/attach$n" 2>/dev/null && break
			sleep 0.01
		done
		grep -q '^ready' "$BATS_TEST_TMPDIR/attach$n" || fail "attach $n did not get ready"
	done
	# entering a namespace after the walk's threads: every run enters both
	for i in 1 2 3 4 5; do
		run --separate-stderr ipcx ls --all-ns -r -n -o KEY,NHOLDERS,HOLDERS shm
		assert_success
		assert_equal "$stderr" ""
		for n in 1 2; do
			assert_line "$(stat -L -c %i "/proc/${pids[n - 1]}/ns/ipc") 0x0000505$n 1 ${pids[n - 1]}(attach)"
		done
	done
}

@test "--ns without the privilege is a clear error that changes nothing" {
	require_real_root
	run setpriv --reuid=65534 --regid=65534 --clear-groups "$IPCX" --ns 1 ls
	assert_failure 1
	assert_output --regexp "^ipcx: --ns 1: cannot enter its IPC and mount namespaces: "
}

@test "bad pids and --ns values are usage errors" {
	run ipcx who abc
	assert_failure 2
	assert_output "ipcx: who: unknown kind 'abc': expected one of $("$IPCX" __complete kinds | paste -sd, | sed 's/,/, /g')"
	run ipcx who 0
	assert_failure 2
	assert_output "ipcx: who: invalid pid '0': expected a process id"
	run ipcx --ns x ls
	assert_failure 2
	assert_output "ipcx: invalid --ns 'x': expected a process id"
	run ipcx who 2147483647
	assert_failure 1
	assert_output "ipcx: who: no process 2147483647"
}
