#!/usr/bin/env bats
# The fd-based kinds pipe, fifo, eventfd, signalfd and timerfd, against
# what tests/helpers/fdholder made and what its /proc/PID/fdinfo says.

load test_helper

bats_require_minimum_version 1.5.0

KINDS=(pipe fifo eventfd signalfd timerfd)

setup() {
	command -v jq >/dev/null || skip "jq is not installed (Debian package jq)"
	FDH_PID=""
	FDH_CHILD=""
	FDH_FD=""
	BG=()
	fdh_start
}

teardown() {
	local p i
	for p in "${BG[@]}"; do kill -KILL "$p" 2>/dev/null; wait "$p" 2>/dev/null; done
	[ -n "$FDH_FD" ] && exec {FDH_FD}>&-
	if [ -n "$FDH_PID" ]; then
		for ((i = 0; i < 300; i++)); do
			kill -0 "$FDH_PID" 2>/dev/null || break
			sleep 0.01
		done
		kill -KILL "$FDH_PID" 2>/dev/null
		wait "$FDH_PID" 2>/dev/null
	fi
	[ -n "$FDH_CHILD" ] && kill -KILL "$FDH_CHILD" 2>/dev/null
	return 0
}

# Starts fdholder with its stdin a FIFO this shell keeps open, and waits
# for "ready". Its lines land in FH[], its pid in FDH_PID, its child's in
# FDH_CHILD.
fdh_start() {
	local in="$BATS_TEST_TMPDIR/fdh.in" out="$BATS_TEST_TMPDIR/fdh.out" i
	mkdir -p "$BATS_TEST_TMPDIR/dir"
	mkfifo "$in"
	"$HELPERS/fdholder" "$BATS_TEST_TMPDIR/dir" <"$in" >"$out" 2>&1 3>&- &
	FDH_PID=$!
	exec {FDH_FD}>"$in"
	for ((i = 0; i < 1000; i++)); do
		if grep -qx ready "$out"; then
			mapfile -t FH < <(grep -vx ready "$out")
			FDH_CHILD=$(fh fdholder child)
			return 0
		fi
		kill -0 "$FDH_PID" 2>/dev/null || break
		sleep 0.01
	done
	echo "fdholder did not get ready:" >&2
	cat "$out" >&2
	return 1
}

# fh KIND NAME [N]: field NAME of the Nth line (1 by default) that
# fdholder printed for KIND.
fh() {
	local line n=${3:-1} w
	line=$(printf '%s\n' "${FH[@]}" | awk -v k="$1" -v n="$n" '$1 == k && ++seen == n')
	[ -n "$line" ] || { echo "no line $n for $1" >&2; return 1; }
	for w in $line; do
		[[ $w == "$2="* ]] && { printf '%s\n' "${w#*=}"; return 0; }
	done
	echo "no field $2 in: $line" >&2
	return 1
}

# fdinfo FD NAME: a field of fdholder's /proc/PID/fdinfo/FD.
fdinfo() {
	awk -v f="$2:" '
		substr($0, 1, length(f)) == f { v = substr($0, length(f) + 1); sub(/^[ \t]+/, "", v); print v; found = 1; exit }
		END { exit !found }' "/proc/$FDH_PID/fdinfo/$1"
}

# The access letters of a descriptor, from the flags of its fdinfo.
fd_access() {
	case $(($(printf '%d' "0$(fdinfo "$1" flags)") & 3)) in
	0) echo r ;;
	1) echo w ;;
	2) echo rw ;;
	esac
}

# obj KIND FILTER: the one object of `ipcx ls -J KIND` that the jq FILTER
# selects ($pid is fdholder's pid), in J.
obj() {
	local out n
	out=$("$IPCX" ls -J --output-all "$1" 2>/dev/null) || { echo "ipcx ls -J $1 failed" >&2; return 1; }
	J=$(jq -c --argjson pid "$FDH_PID" ".\"$1\"[] | select($2)" <<<"$out") || return 1
	n=$(grep -c . <<<"$J")
	[ "$n" -eq 1 ] || { echo "$n objects of $1 with $2 in: $out" >&2; return 1; }
}

# jv FIELD: a field of J, as jq prints it (strings without quotes).
jv() { jq -r ".$1" <<<"$J"; }

# jt FIELD: the JSON type of a field of J.
jt() { jq -r ".$1 | type" <<<"$J"; }

@test "ls without kinds lists no fd-based kind" {
	run --separate-stderr ipcx ls -J
	assert_success
	jq -e . >/dev/null <<<"$output"
	local k
	for k in "${KINDS[@]}"; do
		jq -e --arg k "$k" 'has($k) | not' >/dev/null <<<"$output" || fail "ls lists $k"
	done
	run --separate-stderr ipcx ls
	assert_success
	refute_line Pipes
	refute_line eventfds
}

@test "ls KIND lists an fd-based kind when named" {
	local k
	for k in "${KINDS[@]}"; do
		run --separate-stderr ipcx ls -J "$k"
		assert_success
		jq -e --arg k "$k" 'keys == [$k]' >/dev/null <<<"$output" || fail "ls $k: $output"
	done
}

@test "pipe: inode, bytes queued, capacity, readers, writers and endpoints" {
	local ino rfd wfd
	ino=$(fh pipe ino)
	rfd=$(fh pipe rfd)
	wfd=$(fh pipe wfd)
	[ "$(fd_access "$rfd")" = r ]
	[ "$(fd_access "$wfd")" = w ]
	[ "$(readlink "/proc/$FDH_PID/fd/$rfd")" = "pipe:[$ino]" ]
	obj pipe ".inode == $ino"
	assert_equal "$(jv queued)" "$(fh pipe queued)"
	assert_equal "$(jv capacity)" "$(fh pipe capacity)"
	assert_equal "$(jv capacity)" 8192
	assert_equal "$(jv nreaders)" 1
	assert_equal "$(jv nwriters)" 1
	assert_equal "$(jv endpoints)" "$FDH_PID,fdholder,${rfd}r $FDH_PID,fdholder,${wfd}w"
	assert_equal "$(jv nholders)" 1
	assert_equal "$(jv holders)" "$FDH_PID(fdholder)"
	# the queued bytes are still there: looking did not read them
	obj pipe ".inode == $ino"
	assert_equal "$(jv queued)" 100
}

@test "pipe: the table shows sizes, the default columns, and ? for what is not read" {
	local ino ino2
	ino=$(fh pipe ino)
	ino2=$(fh pipe ino 2)
	run --separate-stderr ipcx ls pipe -r
	assert_success
	assert_line --index 0 "INODE QUEUED CAPACITY NREADERS NWRITERS ENDPOINTS"
	# raw output escapes the spaces between endpoints
	assert_line "$ino 100B 8K 1 1 $FDH_PID,fdholder,$(fh pipe rfd)r\\x20$FDH_PID,fdholder,$(fh pipe wfd)w"
	assert_line "$ino2 ? ? 0 1 $FDH_PID,fdholder,$(fh pipe wfd 2)w"
	run --separate-stderr ipcx ls pipe -r -b -o INODE,QUEUED,CAPACITY
	assert_line "$ino 100 8192"
}

@test "pipe: with no reader, queued and capacity are unknown, with the reason" {
	local ino
	ino=$(fh pipe ino 2)
	obj pipe ".inode == $ino"
	assert_equal "$(jt queued)" null
	assert_equal "$(jt capacity)" null
	assert_equal "$(jv nreaders)" 0
	assert_equal "$(jv nwriters)" 1
	run --separate-stderr ipcx show pipe "$ino"
	assert_success
	assert_line --regexp '^QUEUED: +\? \(read only while both a reader and a writer hold it open\)$'
}

@test "show pipe INODE: every field of one pipe" {
	local ino
	ino=$(fh pipe ino)
	run --separate-stderr ipcx show pipe "$ino"
	assert_success
	assert_line --regexp "^INODE: +$ino\$"
	assert_line --regexp '^QUEUED: +100B$'
	assert_line --regexp "^HOLDERS: +$FDH_PID\\(fdholder\\)\$"
	run --separate-stderr ipcx show -J pipe "$ino"
	assert_success
	jq -e --argjson ino "$ino" '.pipe[0].inode == $ino and .pipe[0].queued == 100' >/dev/null <<<"$output"
	run --separate-stderr ipcx show pipe 1
	assert_failure 1
	assert_equal "$(errs)" "ipcx: show: pipe '1': no such id"
}

@test "fifo: path, inode, device, permissions, bytes queued and endpoints" {
	local path rfd wfd
	path=$(fh fifo path)
	rfd=$(fh fifo rfd)
	wfd=$(fh fifo wfd)
	[ "$(fd_access "$rfd")" = r ]
	[ "$(fd_access "$wfd")" = w ]
	obj fifo ".path == \"$path\""
	assert_equal "$(jv inode)" "$(fh fifo ino)"
	assert_equal "$(jv inode)" "$(stat -c %i "$path")"
	assert_equal "$(jv dev)" "$(fh fifo dev)"
	assert_equal "$(jv perms)" rw-r-----
	assert_equal "$(jv queued)" 7
	assert_equal "$(jv capacity)" "$(fh fifo capacity)"
	assert_equal "$(jv nreaders)" 1
	assert_equal "$(jv nwriters)" 1
	assert_equal "$(jv endpoints)" "$FDH_PID,fdholder,${rfd}r $FDH_PID,fdholder,${wfd}w"
	run --separate-stderr ipcx show fifo "$(fh fifo ino)"
	assert_success
	assert_line --regexp "^PATH: +$path\$"
}

@test "fifo: with a writer only, a process blocked opening it is not released" {
	local f="$BATS_TEST_TMPDIR/dir/lonely" marker="$BATS_TEST_TMPDIR/opened"
	mkfifo "$f"
	# a writer whose reader has gone
	bash -c 'exec 4<>"$1"; exec 5>"$1"; exec 4<&-; exec sleep 1000' sh "$f" </dev/null >/dev/null 2>&1 3>&- &
	BG+=("$!")
	local i
	for ((i = 0; i < 300; i++)); do
		[ "$(readlink "/proc/$!/fd/5" 2>/dev/null)" = "$f" ] && [ ! -e "/proc/$!/fd/4" ] && break
		sleep 0.01
	done
	# an opener for writing, which blocks until a reader comes
	bash -c 'exec 3>"$1"; : >"$2"; exec sleep 1000' sh "$f" "$marker" </dev/null >/dev/null 2>&1 &
	BG+=("$!")
	sleep 0.2
	[ ! -e "$marker" ]
	run --separate-stderr ipcx ls fifo -J
	assert_success
	J=$(jq -c --arg f "$f" '.fifo[] | select(.path == $f)' <<<"$output")
	assert_equal "$(jv nreaders)" 0
	assert_equal "$(jv nwriters)" 1
	assert_equal "$(jt queued)" null
	sleep 0.2
	[ ! -e "$marker" ] || fail "ipcx released the blocked opener"
}

@test "eventfd: id, count and semaphore as fdinfo gives them, shared with the child" {
	local fd id
	fd=$(fh eventfd fd)
	id=$(fdinfo "$fd" eventfd-id)
	obj eventfd ".id == $id"
	assert_equal "$(jv count)" "$(fh eventfd count)"
	assert_equal "$(jv count)" "$((16#$(fdinfo "$fd" eventfd-count)))"
	assert_equal "$(jv semaphore)" 1
	assert_equal "$(jv semaphore)" "$(fdinfo "$fd" eventfd-semaphore)"
	assert_equal "$(jv endpoints)" "$FDH_PID,fdholder,${fd}rw $FDH_CHILD,fdholder,${fd}rw"
	assert_equal "$(jv nholders)" 2
	assert_equal "$(jv holders)" "$FDH_PID(fdholder),$FDH_CHILD(fdholder)"
	# the child's descriptor is the same eventfd
	assert_equal "$(awk '$1 == "eventfd-id:" {print $2}' "/proc/$FDH_CHILD/fdinfo/$fd")" "$id"
}

@test "eventfd: a count in hex in fdinfo is shown in decimal" {
	local fd id
	fd=$(fh eventfd fd 2)
	id=$(fdinfo "$fd" eventfd-id)
	assert_equal "$(fdinfo "$fd" eventfd-count)" 2a
	obj eventfd ".id == $id"
	assert_equal "$(jv count)" 42
	assert_equal "$(jv semaphore)" 0
	assert_equal "$(jv endpoints)" "$FDH_PID,fdholder,${fd}rw"
	run --separate-stderr ipcx show eventfd "$id"
	assert_success
	assert_line --regexp '^COUNT: +42$'
}

# The names of the signals of a hex mask, as bash's kill -l gives them.
mask_names() {
	local mask=$((16#$1)) sig names=""
	for ((sig = 1; sig <= 64; sig++)); do
		if (((mask >> (sig - 1)) & 1)); then
			names+="${names:+,}SIG$(kill -l "$sig")"
		fi
	done
	echo "$names"
}

@test "signalfd: the mask as names, one object for a dup and a fork, another for a second signalfd" {
	local fd dup fd2 hex
	fd=$(fh signalfd fd)
	dup=$(fh signalfd dup)
	fd2=$(fh signalfd fd 2)
	hex=$(fdinfo "$fd" sigmask)
	run --separate-stderr ipcx ls signalfd -J --output-all
	assert_success
	J=$(jq -c --argjson pid "$FDH_PID" '[.signalfd[] | select(.pid == $pid)]' <<<"$output")
	assert_equal "$(jq length <<<"$J")" 2
	J=$(jq -c '.[0]' <<<"$J")
	assert_equal "$(jv fd)" "$fd"
	assert_equal "$(jv mask)" "$(fh signalfd mask)"
	assert_equal "$(jv mask)" "$(mask_names "$hex")"
	assert_equal "$(jv sigmask)" "$hex"
	assert_equal "$(jv endpoints)" "$FDH_PID,fdholder,${fd}rw $FDH_PID,fdholder,${dup}rw $FDH_CHILD,fdholder,${fd}rw"
	assert_equal "$(jv nholders)" 2
	run --separate-stderr ipcx ls signalfd -J --output-all
	J=$(jq -c --argjson pid "$FDH_PID" '[.signalfd[] | select(.pid == $pid)][1]' <<<"$output")
	assert_equal "$(jv fd)" "$fd2"
	assert_equal "$(jv mask)" "$(mask_names "$(fdinfo "$fd2" sigmask)")"
	assert_equal "$(jv endpoints)" "$FDH_PID,fdholder,${fd2}rw"
	run --separate-stderr ipcx show signalfd "$FDH_PID"
	assert_success
	assert_line --regexp "^MASK: +SIGHUP,SIGUSR1,SIGUSR2,SIGRTMIN\\+3\$"
}

# secs FD NAME: a "(S, NS)" field of fdinfo in seconds.
secs() {
	fdinfo "$1" "$2" | tr -d '(),' | awk '{ printf "%.9f\n", $1 + $2 / 1e9 }'
}

@test "timerfd: clock, ticks, interval and the time to the next expiry" {
	local fd before after
	fd=$(fh timerfd fd)
	before=$(secs "$fd" it_value)
	run --separate-stderr ipcx ls timerfd -J
	assert_success
	after=$(secs "$fd" it_value)
	J=$(jq -c --argjson pid "$FDH_PID" --argjson fd "$fd" '.timerfd[] | select(.pid == $pid and .fd == $fd)' <<<"$output")
	assert_equal "$(fdinfo "$fd" clockid)" 1
	assert_equal "$(jv clock)" monotonic
	assert_equal "$(jv ticks)" "$(fdinfo "$fd" ticks)"
	assert_equal "$(jv ticks)" 0
	assert_equal "$(jv interval)" "$(fh timerfd interval)"
	assert_equal "$(jv interval)" "$(secs "$fd" it_interval | awk '{ print $1 + 0 }')"
	assert_equal "$(jt remaining)" number
	# read between the two looks at fdinfo, to the hundredth
	awk -v r="$(jv remaining)" -v b="$before" -v a="$after" \
		'BEGIN { exit !(r <= b + 0.005 && r >= a - 0.005 && r > 990) }' ||
		fail "remaining $(jv remaining) not within $after..$before"
	assert_equal "$(jv endpoints)" "$FDH_PID,fdholder,${fd}rw $FDH_CHILD,fdholder,${fd}rw"
}

@test "timerfd: an expired one-shot timer has ticks and no next expiry" {
	local fd
	fd=$(fh timerfd fd 2)
	obj timerfd ".pid == \$pid and .fd == $fd"
	assert_equal "$(fdinfo "$fd" clockid)" 7
	assert_equal "$(jv clock)" boottime
	assert_equal "$(jv ticks)" 1
	assert_equal "$(jv ticks)" "$(fdinfo "$fd" ticks)"
	assert_equal "$(jv interval)" 0
	assert_equal "$(jt interval)" number
	assert_equal "$(jt remaining)" null
	run --separate-stderr ipcx ls timerfd -r -o PID,FD,CLOCK,TICKS,INTERVAL,REMAINING
	assert_line "$FDH_PID $fd boottime 1 0.00 -"
}

@test "who PID lists the fd-based objects a process holds" {
	local p=$FDH_PID
	run --separate-stderr ipcx who -r -n -o KIND,OBJECT,FD,HOW,ACCESS "$p"
	assert_success
	assert_line "pipe $(fh pipe ino) $(fh pipe rfd) open r"
	assert_line "pipe $(fh pipe ino) $(fh pipe wfd) open w"
	assert_line "pipe $(fh pipe ino 2) $(fh pipe wfd 2) open w"
	assert_line "fifo $(fh fifo ino) $(fh fifo rfd) open r"
	assert_line "fifo $(fh fifo ino) $(fh fifo wfd) open w"
	local id id2
	id=$(fdinfo "$(fh eventfd fd)" eventfd-id)
	id2=$(fdinfo "$(fh eventfd fd 2)" eventfd-id)
	assert_line "eventfd $id $(fh eventfd fd) open rw"
	assert_line "eventfd $id2 $(fh eventfd fd 2) open rw"
	assert_line "signalfd $p $(fh signalfd fd) open rw"
	assert_line "signalfd $p $(fh signalfd dup) open rw"
	assert_line "signalfd $p $(fh signalfd fd 2) open rw"
	assert_line "timerfd $p $(fh timerfd fd) open rw"
	assert_line "timerfd $p $(fh timerfd fd 2) open rw"
	# the child holds what was made before the fork, and nothing after
	run --separate-stderr ipcx who -r -n -o KIND,OBJECT,FD,ACCESS "$FDH_CHILD"
	assert_success
	assert_line "eventfd $id $(fh eventfd fd) rw"
	assert_line "signalfd $p $(fh signalfd fd) rw"
	assert_line "timerfd $p $(fh timerfd fd) rw"
	refute_line --partial "eventfd $id2 "
	refute_line --partial "pipe $(fh pipe ino) "
}

@test "who KIND ID: the holders of one pipe and of one eventfd" {
	local ino
	ino=$(fh pipe ino)
	run --separate-stderr ipcx who -r -n -o PID,COMMAND,FD,ACCESS pipe "$ino"
	assert_success
	assert_output "$FDH_PID fdholder $(fh pipe rfd) r
$FDH_PID fdholder $(fh pipe wfd) w"
	local fd id
	fd=$(fh eventfd fd)
	id=$(fdinfo "$fd" eventfd-id)
	run --separate-stderr ipcx who -r -n -o PID,FD eventfd "$id"
	assert_success
	assert_output "$FDH_PID $fd
$FDH_CHILD $fd"
}

@test "JSON of every fd-based kind is valid and typed" {
	run --separate-stderr ipcx ls -J "${KINDS[@]}" --output-all
	assert_success
	jq -e . >/dev/null <<<"$output" || fail "not valid JSON: $output"
	local doc=$output
	J=$(jq -c --argjson ino "$(fh pipe ino)" '.pipe[] | select(.inode == $ino)' <<<"$doc")
	for f in inode nreaders nwriters queued capacity nholders; do
		assert_equal "$f $(jt "$f")" "$f number"
	done
	for f in endpoints holders; do
		assert_equal "$f $(jt "$f")" "$f string"
	done
	J=$(jq -c --arg p "$(fh fifo path)" '.fifo[] | select(.path == $p)' <<<"$doc")
	for f in inode queued capacity nreaders nwriters; do
		assert_equal "$f $(jt "$f")" "$f number"
	done
	assert_equal "$(jt dev)" string
	J=$(jq -c --argjson id "$(fdinfo "$(fh eventfd fd)" eventfd-id)" '.eventfd[] | select(.id == $id)' <<<"$doc")
	for f in id count semaphore nholders; do
		assert_equal "$f $(jt "$f")" "$f number"
	done
	J=$(jq -c --argjson pid "$FDH_PID" '[.signalfd[] | select(.pid == $pid)][0]' <<<"$doc")
	for f in pid fd; do
		assert_equal "$f $(jt "$f")" "$f number"
	done
	assert_equal "$(jt mask)" string
	J=$(jq -c --argjson pid "$FDH_PID" '[.timerfd[] | select(.pid == $pid)][0]' <<<"$doc")
	for f in pid fd ticks interval remaining; do
		assert_equal "$f $(jt "$f")" "$f number"
	done
	assert_equal "$(jt clock)" string
}

@test "--list-columns of the fd-based kinds marks their default columns" {
	run --separate-stderr ipcx ls --list-columns pipe timerfd
	assert_success
	assert_output --partial ENDPOINTS
	assert_output --partial REMAINING
}

# The process walk has two sources: the kernel's BPF iterators (root) and
# /proc. Both must tell the same of the same processes.

@test "the BPF iterators and the /proc walk see the same holders, access, fds, attachments and waits" {
	bpf_walk_or_skip "$FDH_PID"
	hold shm size=8192 attach=1 sem values=0 ncnt=0
	local holder=$HOLD_PID semid cols=PID,TID,COMMAND,KIND,OBJECT,HOW,ACCESS,FD,ADDRESS,SYSCALL
	semid=$(printf '%s\n' "${MK[@]}" | awk '$1 == "sem" { sub("id=", "", $2); print $2 }')
	IPCX_PSCAN=bpf run -0 --separate-stderr ipcx who -J -o "$cols" "$FDH_PID" "$FDH_CHILD" "$holder"
	local bpf=$output
	IPCX_PSCAN=proc run -0 --separate-stderr ipcx who -J -o "$cols" "$FDH_PID" "$FDH_CHILD" "$holder"
	assert_equal "$bpf" "$output"
	# every kind of holding is in it: open ends, an attachment
	for how in open attached; do
		jq -e --arg h "$how" '[.who[] | select(.how == $h)] | length > 0' <<<"$bpf" >/dev/null ||
			fail "no '$how' row in: $bpf"
	done
	IPCX_PSCAN=bpf run -0 --separate-stderr ipcx who -J -o "$cols" sem "$semid"
	bpf=$output
	jq -e '[.who[] | select(.how == "waiting" and (.syscall | test("^sem(timed)?op$")))] | length == 1' <<<"$bpf" >/dev/null ||
		fail "no semop or semtimedop waiter in: $bpf"
	IPCX_PSCAN=proc run -0 --separate-stderr ipcx who -J -o "$cols" sem "$semid"
	assert_equal "$bpf" "$output"
}

@test "the BPF iterators and the /proc walk read the same eventfd, signalfd and timerfd contents" {
	bpf_walk_or_skip "$FDH_PID"
	local k cols
	for k in eventfd signalfd timerfd; do
		case $k in
		eventfd) cols=ID,COUNT,SEMAPHORE,ENDPOINTS,NHOLDERS,HOLDERS ;;
		signalfd) cols=PID,FD,MASK,SIGMASK,ENDPOINTS,NHOLDERS,HOLDERS ;;
		timerfd) cols=PID,FD,CLOCK,TICKS,INTERVAL,ENDPOINTS,NHOLDERS,HOLDERS ;;
		esac
		IPCX_PSCAN=bpf run -0 --separate-stderr ipcx ls -J -o "$cols" "$k"
		local bpf=$output
		IPCX_PSCAN=proc run -0 --separate-stderr ipcx ls -J -o "$cols" "$k"
		assert_equal "$bpf" "$output"
		jq -e --arg k "$k" '.[$k] | length > 0' <<<"$bpf" >/dev/null || fail "no $k in: $bpf"
	done
}

@test "IPCX_PSCAN other than proc or bpf is refused and names the value" {
	IPCX_PSCAN=fast run --separate-stderr ipcx who "$FDH_PID"
	assert_failure 2
	assert_equal "$stderr" "ipcx: who: IPCX_PSCAN=fast: not a way to walk the processes (proc or bpf)"
	assert_output ""
}
