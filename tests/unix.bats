#!/usr/bin/env bats
# The unix kind: sockets from NETLINK_SOCK_DIAG, checked against what
# tests/helpers/unixholder made and against `ss -xap`. The suites share
# the machine's network namespace, so every check looks only at the
# helper's own sockets, by inode.

load test_helper

UH_PID=
UH_FD=

setup() {
	# a short directory: a socket path must fit in 108 bytes
	SOCKDIR=$(mktemp -d /tmp/ipcx-unix.XXXXXX)
	local fifo="$BATS_TEST_TMPDIR/uh.in" out="$BATS_TEST_TMPDIR/uh.out"
	mkfifo "$fifo"
	"$HELPERS/unixholder" "$SOCKDIR" <"$fifo" >"$out" 2>&1 3>&- &
	UH_PID=$!
	exec {UH_FD}>"$fifo"
	local i
	for ((i = 0; i < 1000; i++)); do
		grep -qx ready "$out" && break
		kill -0 "$UH_PID" 2>/dev/null || break
		sleep 0.01
	done
	if ! grep -qx ready "$out"; then
		cat "$out" >&2
		fail "unixholder did not get ready"
	fi
	# INO[role] and FD[role] from "ROLE fd=N ino=N ..."
	declare -gA INO=() FD=()
	local role rest
	while read -r role rest; do
		[[ $role == ready || $role == pid=* ]] && continue
		if [[ $role == child=* ]]; then
			CHILD=${role#child=}
			continue
		fi
		INO[$role]=$(field "$rest" ino)
		[[ $rest == *fd=* ]] && FD[$role]=$(field "$rest" fd)
		[[ $role == listener ]] && LPATH=$(field "$rest" path)
	done <"$out"
	# the abstract name as the helper bound it, NULs and all, as \xNN
	ANAME="ipcx-test-$UH_PID\\x00z\\x1b"
}

teardown() {
	if [ -n "$UH_FD" ]; then
		exec {UH_FD}>&-
	fi
	local i
	for ((i = 0; i < 500; i++)); do
		kill -0 "$UH_PID" 2>/dev/null || break
		sleep 0.01
	done
	if kill -0 "$UH_PID" 2>/dev/null; then
		kill -TERM "$UH_PID"
		echo "unixholder $UH_PID did not exit at end of file" >&2
	fi
	wait "$UH_PID" 2>/dev/null || true
	# the child is not ours to wait for: it has seen the same end of file
	for ((i = 0; i < 500; i++)); do
		[ -n "${CHILD:-}" ] && kill -0 "$CHILD" 2>/dev/null || break
		sleep 0.01
	done
	[ -n "${CHILD:-}" ] && kill -TERM "$CHILD" 2>/dev/null
	rm -rf "$SOCKDIR"
}

# row ROLE [COLS]: R[] from the row of the helper's socket ROLE.
row() {
	table_row INODE "${INO[$1]}" ls unix -o "${2:-INODE,TYPE,STATE,PATH,PEER,PEER_ENDPOINTS,ENDPOINTS,RQUEUE,WQUEUE,PENDING,PENDING_PEERS}"
}

# ep ROLE: the endpoint text of the helper's descriptor of ROLE.
ep() { echo "$UH_PID,unixholder,${FD[$1]}"; }

@test "a plain ls lists no unix sockets; ls unix does" {
	run ipcx ls
	assert_success
	refute_output --partial "${INO[pair_a]}"
	run ipcx ls unix
	assert_success
	assert_line --index 0 --regexp '^ *INODE +TYPE +STATE +RQUEUE +WQUEUE +PATH +PEER +ENDPOINTS$'
	assert_output --partial "${INO[pair_a]}"
}

@test "a stream socketpair: each end's peer, its holder and the bytes queued" {
	row pair_a
	assert_equal "${R[TYPE]}" stream
	assert_equal "${R[STATE]}" connected
	assert_equal "${R[PATH]}" -
	assert_equal "${R[PEER]}" "${INO[pair_b]}"
	assert_equal "${R[ENDPOINTS]}" "$(ep pair_a)"
	assert_equal "${R[PEER_ENDPOINTS]}" "$(ep pair_b)"
	assert_equal "${R[RQUEUE]}" 0
	assert_equal "${R[PENDING]}" -
	# what was sent is charged to the sender until it is read
	[ "${R[WQUEUE]}" -gt 0 ]
	row pair_b
	assert_equal "${R[PEER]}" "${INO[pair_a]}"
	assert_equal "${R[ENDPOINTS]}" "$(ep pair_b)"
	assert_equal "${R[PEER_ENDPOINTS]}" "$(ep pair_a)"
	assert_equal "${R[RQUEUE]}" 5
	assert_equal "${R[WQUEUE]}" 0
}

@test "a seqpacket socketpair" {
	row seq_a
	assert_equal "${R[TYPE]}" seqpacket
	assert_equal "${R[STATE]}" connected
	assert_equal "${R[PEER]}" "${INO[seq_b]}"
	row seq_b
	assert_equal "${R[TYPE]}" seqpacket
	assert_equal "${R[PEER]}" "${INO[seq_a]}"
}

@test "a listener: its path, backlog, and the connection waiting in accept's queue" {
	row listener
	assert_equal "${R[TYPE]}" stream
	assert_equal "${R[STATE]}" listen
	assert_equal "${R[PATH]}" "$LPATH"
	assert_equal "${R[PEER]}" -
	assert_equal "${R[PEER_ENDPOINTS]}" -
	assert_equal "${R[ENDPOINTS]}" "$(ep listener)"
	# a listener's queues count connections: one waiting, a backlog of 7
	assert_equal "${R[RQUEUE]}" 1
	assert_equal "${R[WQUEUE]}" 7
	assert_equal "${R[PENDING]}" 1
	assert_equal "${R[PENDING_PEERS]}" "${INO[pending]}"
	row listener INODE,PATH_INODE
	assert_equal "${R[PATH_INODE]}" "$(stat -c %i "$LPATH")"
}

@test "an accepted connection: both ends paired, the accepted end named by the listener's path" {
	row client
	assert_equal "${R[STATE]}" connected
	assert_equal "${R[PATH]}" -
	assert_equal "${R[PEER]}" "${INO[accepted]}"
	assert_equal "${R[PEER_ENDPOINTS]}" "$(ep accepted)"
	row accepted
	assert_equal "${R[PATH]}" "$LPATH"
	assert_equal "${R[PEER]}" "${INO[client]}"
	assert_equal "${R[PEER_ENDPOINTS]}" "$(ep client)"
	assert_equal "${R[RQUEUE]}" 3
}

@test "a client not yet accepted: connected, its peer not a socket any process can hold yet" {
	row pending
	assert_equal "${R[STATE]}" connected
	# the kernel's end of it has no inode until accept(), as ss shows it
	assert_equal "${R[PEER]}" -
	assert_equal "${R[PEER_ENDPOINTS]}" -
	assert_equal "${R[ENDPOINTS]}" "$(ep pending)"
}

@test "an abstract name is shown as @NAME, its NULs and control bytes escaped" {
	run ipcx ls unix -n -o INODE,PATH
	assert_success
	assert_line --regexp "^ *${INO[dgram]} @ipcx-test-$UH_PID\\\\x00z\\\\x1b\$"
	run ipcx show unix "${INO[dgram]}"
	assert_success
	assert_line "PATH:           @$ANAME"
	require_jq
	run ipcx ls unix -J -o INODE,PATH
	assert_success
	assert_json
	run jq -r --argjson i "${INO[dgram]}" '.unix[] | select(.inode == $i) | .path' <<<"$output"
	assert_output "@$ANAME"
}

@test "dgram sockets: the bound one holds the datagram, the sender names it as peer" {
	row dgram
	assert_equal "${R[TYPE]}" dgram
	assert_equal "${R[RQUEUE]}" 11
	assert_equal "${R[PEER]}" -
	row dsender
	assert_equal "${R[TYPE]}" dgram
	assert_equal "${R[PEER]}" "${INO[dgram]}"
	assert_equal "${R[PEER_ENDPOINTS]}" "$(ep dgram)"
	row lone
	assert_equal "${R[TYPE]}" dgram
	assert_equal "${R[STATE]}" unconnected
	assert_equal "${R[PEER]}" -
	assert_equal "${R[PATH]}" -
}

@test "a socket no process holds (in flight in a message) is listed with no endpoints" {
	row inflight INODE,TYPE,STATE,ENDPOINTS,NHOLDERS,HOLDERS
	assert_equal "${R[TYPE]}" dgram
	assert_equal "${R[ENDPOINTS]}" -
	assert_equal "${R[NHOLDERS]}" 0
	assert_equal "${R[HOLDERS]}" -
	row carrier_b
	assert_equal "${R[RQUEUE]}" 1
}

@test "peers, queues, states and holders agree with ss -xap" {
	local ss_out
	ss_out=$(ss -xapH) || fail "ss -xapH failed"
	local role n=0
	for role in "${!INO[@]}"; do
		# no process holds the one; two hold the other, checked on their own
		[[ $role == inflight || $role == shared ]] && continue
		# Netid State Recv-Q Send-Q Local Ino Peer PeerIno [users:((...))]
		local line
		line=$(awk -v ino="${INO[$role]}" '$6 == ino' <<<"$ss_out")
		[ -n "$line" ] || fail "ss shows no socket ${INO[$role]} ($role)"
		local -a f
		read -ra f <<<"$line"
		local state
		case ${f[1]} in
		ESTAB) state=connected ;;
		LISTEN) state=listen ;;
		UNCONN) state=unconnected ;;
		*) state=${f[1]} ;;
		esac
		local peer=${f[7]}
		[ "$peer" = 0 ] && peer=-
		local pid fd
		pid=$(grep -o 'pid=[0-9]*' <<<"$line" | cut -d= -f2)
		fd=$(grep -o 'fd=[0-9]*' <<<"$line" | cut -d= -f2)
		row "$role" INODE,STATE,RQUEUE,WQUEUE,PEER,ENDPOINTS
		assert_equal "$role ${R[STATE]}" "$role $state"
		assert_equal "$role ${R[RQUEUE]}" "$role ${f[2]}"
		assert_equal "$role ${R[WQUEUE]}" "$role ${f[3]}"
		assert_equal "$role ${R[PEER]}" "$role $peer"
		assert_equal "$role ${R[ENDPOINTS]}" "$role $pid,unixholder,$fd"
		n=$((n + 1))
	done
	assert_equal "$n" 13
}

@test "show unix INODE prints every field of one socket" {
	run ipcx show unix "${INO[listener]}"
	assert_success
	assert_line "INODE:          ${INO[listener]}"
	assert_line "STATE:          listen"
	assert_line "PATH:           $LPATH"
	assert_line "PENDING:        1"
	assert_line "ENDPOINTS:      $(ep listener)"
	assert_line "NHOLDERS:       1"
}

@test "show unix: a malformed inode is a usage error, an unknown one a runtime error" {
	run ipcx show unix abc
	assert_equal "$status" 2
	assert_output --partial "invalid unix 'abc'"
	run ipcx show unix 0x10
	assert_equal "$status" 2
	# inodes are 32-bit: far past any socket's, yet a valid id
	run ipcx show unix 4294967296
	assert_equal "$status" 1
	assert_output "ipcx: show: unix '4294967296': no such id"
}

@test "who unix INODE and who PID name the helper's descriptors" {
	run --separate-stderr ipcx who unix "${INO[pair_a]}" -r -n -o PID,COMMAND,KIND,OBJECT,HOW,ACCESS,FD
	assert_success
	assert_output "$UH_PID unixholder unix ${INO[pair_a]} open rw ${FD[pair_a]}"
	run --separate-stderr ipcx who "$UH_PID" -r -n -o KIND,OBJECT,FD
	assert_success
	local role
	for role in "${!FD[@]}"; do
		assert_line "unix ${INO[$role]} ${FD[$role]}"
	done
	refute_line --partial "unix ${INO[inflight]} "
	row pair_a INODE,NHOLDERS,HOLDERS
	assert_equal "${R[NHOLDERS]}" 1
	assert_equal "${R[HOLDERS]}" "$UH_PID(unixholder)"
}

@test "a socket two processes hold: every descriptor is an endpoint, in pid order" {
	row shared INODE,ENDPOINTS,NHOLDERS,HOLDERS
	local first=$UH_PID,unixholder,${FD[shared]} second=$CHILD,unixchild,40
	if [ "$CHILD" -lt "$UH_PID" ]; then
		local t=$first
		first=$second
		second=$t
	fi
	# -r writes the space between endpoints as \x20
	assert_equal "${R[ENDPOINTS]}" "$first\\x20$second"
	assert_equal "${R[NHOLDERS]}" 2
	run ipcx who unix "${INO[shared]}" -r -n -o PID,COMMAND,FD
	assert_success
	assert_line "$UH_PID unixholder ${FD[shared]}"
	assert_line "$CHILD unixchild 40"
	# ss names the same two processes
	run ss -xapH
	local line
	line=$(awk -v ino="${INO[shared]}" '$6 == ino' <<<"$output")
	[[ $line == *"pid=$UH_PID,fd=${FD[shared]})"* ]] || fail "ss: $line"
	[[ $line == *"pid=$CHILD,fd=40)"* ]] || fail "ss: $line"
}

@test "JSON: numbers are numbers, what a socket lacks is null" {
	require_jq
	run --separate-stderr ipcx ls unix -J --output-all
	assert_success
	assert_json
	run jq -c --argjson i "${INO[listener]}" \
		'.unix[] | select(.inode == $i) | [.type, .state, .peer, .rqueue, .wqueue, .pending, .nholders]' <<<"$output"
	assert_output '["stream","listen",null,1,7,1,1]'
	run ipcx ls unix -J -o INODE,PEER,PENDING
	run jq -c --argjson i "${INO[pair_a]}" '.unix[] | select(.inode == $i) | [.peer, .pending]' <<<"$output"
	assert_output "[${INO[pair_b]},null]"
}

@test "sorted by inode; --sort takes the kind's columns" {
	run ipcx ls unix -r -n -o INODE
	assert_success
	assert_equal "$output" "$(sort -n <<<"$output")"
	run ipcx ls unix -r -n -o INODE,RQUEUE --sort RQUEUE
	assert_success
	assert_line "${INO[dgram]} 11"
}

@test "without netlink: sockets from /proc/net/unix, peers and queues unknown, and a note" {
	run --separate-stderr "$HELPERS/unixholder" --deny-netlink "$IPCX" ls unix -r \
		-o INODE,TYPE,STATE,PATH,PEER,RQUEUE,ENDPOINTS
	assert_success
	assert_equal "$(errs)" "ipcx: ls: unix: netlink sock_diag refused (Permission denied): sockets from /proc/net/unix, whose peers, queues and pending connections are unknown"
	assert_line "${INO[listener]} stream listen $LPATH ? ? $(ep listener)"
	assert_line "${INO[pair_a]} stream connected - ? ? $(ep pair_a)"
	assert_line "${INO[lone]} dgram unconnected - ? ? $(ep lone)"
	# /proc/net/unix writes each NUL of an abstract name as '@'
	assert_line "${INO[dgram]} dgram connected @ipcx-test-$UH_PID@z\\x5cx1b ? ? $(ep dgram)"
}
