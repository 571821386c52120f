#!/usr/bin/env bats
# top: batch frames checked against what the kernel reports, and the
# screen driven for real inside tmux (send-keys, capture-pane).

load test_helper

setup() {
	clean_ipc
	SOCK=ipcx-test-$$-$BATS_TEST_NUMBER
	# tmux's directory of our own: /tmp/tmux-0 of a root run is not ours in a user namespace
	export TMUX_TMPDIR=$BATS_TEST_TMPDIR
	OUT=$BATS_TEST_TMPDIR/top.out
}

teardown() {
	tmux -L "$SOCK" kill-server 2>/dev/null || true
	release
	clean_ipc
}

# --- the screen, in tmux ----------------------------------------------------

# start_top [WIDTHxHEIGHT] [ENV=VALUE...] -- ARGS...: ipcx top in a private
# tmux server; when it ends, the pane says "EXITED=<status>" and stays.
start_top() {
	local size=100x30 envs=()
	if [[ ${1-} == *x* && ${1-} != -* ]]; then size=$1; shift; fi
	while [ $# -gt 0 ] && [ "$1" != -- ]; do envs+=("$1"); shift; done
	shift
	local script=$BATS_TEST_TMPDIR/top.sh pidf=$BATS_TEST_TMPDIR/top.pid
	rm -f "$pidf"
	{
		echo "echo \$\$ >$pidf"
		echo "exec env ${envs[*]} $(printf '%q ' "$IPCX" top "$@")"
	} >"$script"
	tmux -L "$SOCK" -f /dev/null new-session -d -x "${size%x*}" -y "${size#*x}" \
		"sh $script; echo EXITED=\$?; sleep 600"
	local i
	for ((i = 0; i < 600; i++)); do
		[ -s "$pidf" ] && break
		sleep 0.05
	done
	TOP_PID=$(cat "$pidf")
	wait_screen "F1Help"
}

screen() { tmux -L "$SOCK" capture-pane -p; }
keys() { tmux -L "$SOCK" send-keys "$@"; }
# Types text as it is (send-keys reads "0x..." as a key code).
type_text() { tmux -L "$SOCK" send-keys -l -- "$1"; }
# click X Y: a press and release of the first button at column X, line Y
# (from 0), as an xterm reports them (X10 encoding).
click() {
	local cx cy
	cx=$(printf '\\%03o' $(($1 + 33)))
	cy=$(printf '\\%03o' $(($2 + 33)))
	type_text "$(printf "\033[M %b%b" "$cx" "$cy")"
	type_text "$(printf "\033[M#%b%b" "$cx" "$cy")"
}

# col_of LINE TEXT: the column (from 0) where TEXT starts in pane line LINE (from 1).
col_of() {
	screen | sed -n "$1p" | awk -v t="$2" '{ i = index($0, t); print i ? i - 1 : -1 }'
}

# search TEXT: / TEXT Enter, and waits for the match.
search() {
	keys /
	wait_screen "Search:"
	type_text "$1"
	keys Enter
	wait_screen "found: $1"
}

# wait_screen TEXT: polls the pane until it shows TEXT (fixed string), 30 s at most.
wait_screen() {
	local end=$((SECONDS + 30))
	while ((SECONDS < end)); do
		screen | grep -qF -- "$1" && return 0
		sleep 0.05
	done
	echo "the screen never showed '$1':" >&2
	screen >&2
	return 1
}

# wait_no_screen TEXT: polls until the pane no longer shows TEXT.
wait_no_screen() {
	local end=$((SECONDS + 30))
	while ((SECONDS < end)); do
		screen | grep -qF -- "$1" || return 0
		sleep 0.05
	done
	echo "the screen still shows '$1':" >&2
	screen >&2
	return 1
}

# The line numbers (1-based) of the pane lines holding each text, in order.
line_of() { screen | grep -nF -- "$1" | head -1 | cut -d: -f1; }

# --- batch ----------------------------------------------------------------------

# short_time EPOCH: a time as the tables print it (util-linux's short format).
short_time() {
	if [ "$(date -d "@$1" +%F)" = "$(date +%F)" ]; then
		date -d "@$1" +%H:%M
	elif [ "$(date -d "@$1" +%Y)" = "$(date +%Y)" ]; then
		date -d "@$1" +%b%d
	else
		date -d "@$1" +%F
	fi
}

# pct USED LIMIT: the header's use%.
pct() { awk -v u="$1" -v l="$2" 'BEGIN { printf "%.1f", l ? 100 * u / l : 0 }'; }

# table ROWS...: rows of cells separated by '|', laid out as the batch frame
# lays them: a marker, then each column as wide as its widest cell, the
# columns named in RIGHT right-aligned, one space between columns.
table() {
	local -a rows=("$@") widths=() cells
	local r c w line
	for r in "${rows[@]}"; do
		IFS='|' read -ra cells <<<"$r"
		for c in "${!cells[@]}"; do
			w=${#cells[c]}
			((w > ${widths[c]:-0})) && widths[c]=$w
		done
	done
	local -a names
	IFS='|' read -ra names <<<"${rows[0]}"
	for r in "${rows[@]}"; do
		IFS='|' read -ra cells <<<"$r"
		line=" "
		for c in "${!cells[@]}"; do
			if [[ " $RIGHT " == *" ${names[c]} "* ]]; then
				line+=$(printf ' %*s' "${widths[c]}" "${cells[c]}")
			elif ((c + 1 < ${#cells[@]})); then
				line+=$(printf ' %-*s' "${widths[c]}" "${cells[c]}")
			else
				line+=" ${cells[c]}"
			fi
		done
		printf '%s\n' "$line"
	done
}

@test "top -b -n 1 shm prints the frame the kernel's objects make" {
	mk shm key=0x1234 size=4096 mode=0640
	local id1 cpid1
	id1=$(field "${MK[0]}" id)
	cpid1=$(field "${MK[0]}" pid)
	hold shm key=0x5678 size=1048576 attach=1
	local id2=$(field "${MK[0]}" id)

	run -0 --separate-stderr ipcx top -b -n 1 shm
	local -a sem
	read -ra sem </proc/sys/kernel/sem
	local shmmni shmall msgmni qmax blocks bfree bsize page
	shmmni=$(cat /proc/sys/kernel/shmmni)
	shmall=$(cat /proc/sys/kernel/shmall)
	msgmni=$(cat /proc/sys/kernel/msgmni)
	qmax=$(cat /proc/sys/fs/mqueue/queues_max)
	read -r blocks bfree bsize < <(stat -f -c '%b %f %S' /dev/shm)
	page=$(getconf PAGESIZE)
	local pages=$(((4096 + page - 1) / page + (1048576 + page - 1) / page))
	local shmused=$(((blocks - bfree) * bsize)) shmtotal=$((blocks * bsize))
	local ctime1 ctime2
	ctime1=$(short_time "$(sysv shm "$id1" ctime)")
	ctime2=$(short_time "$(sysv shm "$id2" ctime)")
	# rows come in the kernel's order, by slot: a slot freed by an
	# earlier test is taken again, so the second segment may come first
	local -A row
	row[$id1]="0x00001234|$id1|$(perms 640)|$(user_of 0)|4K|0|-|$ctime1|$cpid1|-|-|-|-|-"
	row[$id2]="0x00005678|$id2|$(perms 600)|$(user_of 0)|1M|1|-|$ctime2|$HOLD_PID|$HOLD_PID|mkipc|-|-|$HOLD_PID(mkipc)"
	local rows=() id
	for id in $(awk 'NR > 1 { print $2 }' /proc/sysvipc/shm); do rows+=("${row[$id]}"); done
	assert_equal "${#rows[@]}" 2
	local expected
	expected=$(
		echo "ipcx top - TIME"
		echo "Limits: msgmni 0/$msgmni 0.0%, shmmni 2/$shmmni $(pct 2 "$shmmni")%, semmni 0/${sem[3]} 0.0%"
		echo "        shmall $pages/$shmall $(pct $pages "$shmall")%, queues_max 0/$qmax 0.0%, /dev/shm $shmused/$shmtotal $(pct $shmused $shmtotal)%"
		echo "Objects: shm 2, msg 0, sem 0, pshm 0, pmsg 0, psem 0"
		echo
		echo "Shared memory segments (System V)"
		RIGHT="ID SIZE NATTCH CPID LPID ATT/S DET/S" table \
			"KEY|ID|PERMS|OWNER|SIZE|NATTCH|STATUS|CTIME|CPID|LPID|COMMAND|ATT/S|DET/S|HOLDERS" \
			"${rows[@]}"
	)
	# the time line alone is masked
	assert_equal "$(sed '1s/^ipcx top - .*, frame 1$/ipcx top - TIME/' <<<"$output")" "$expected"
}

@test "top -b shows each kind asked for, and nothing else" {
	mk msg key=0x77 msgs=2 msgsize=10 psem name=s1 value=3
	run -0 --separate-stderr ipcx top -b -n 1 msg psem
	assert_line "Message queues (System V)"
	assert_line "Named semaphores (POSIX)"
	refute_line "Shared memory segments (System V)"
	assert_line --regexp '^  0x00000077 +[0-9]+ rw------- +root +20B +2 '
	assert_line --regexp '^  /s1 +rw------- +root +3 '
}

@test "top -b -J frames are one JSON object a line with what the kernel has" {
	require_jq
	mk shm key=0x4321 size=8192 msg key=0x99 msgs=3 msgsize=8 sem key=0x55 nsems=2
	local shmid=$(field "${MK[0]}" id) msgid=$(field "${MK[1]}" id)
	run -0 --separate-stderr ipcx top -b -J -n 2 -d 0.1
	assert_equal "${#lines[@]}" 2
	local l
	for l in 0 1; do
		jq -e . >/dev/null <<<"${lines[l]}" || fail "not JSON: ${lines[l]}"
	done
	assert_equal "$(jq -c '[.frame]' <<<"${lines[1]}")" "[2]"
	assert_equal "$(jq -r '.totals | "\(.shm) \(.msg) \(.sem)"' <<<"${lines[0]}")" \
		"$(sysv_count shm) $(sysv_count msg) $(sysv_count sem)"
	assert_equal "$(jq -r '.kinds.shm[0] | "\(.ID) \(.KEY) \(.SIZE) \(.NATTCH) \(.state)"' <<<"${lines[0]}")" \
		"$shmid 0x00004321 8192 $(sysv shm "$shmid" nattch) same"
	assert_equal "$(jq -r '.kinds.msg[0] | "\(.ID) \(.MSGS) \(.USEDBYTES)"' <<<"${lines[0]}")" \
		"$msgid $(sysv msg "$msgid" qnum) $(sysv msg "$msgid" cbytes)"
	assert_equal "$(jq -r '.limits.msgmni | "\(.used) \(.limit)"' <<<"${lines[0]}")" \
		"$(sysv_count msg) $(cat /proc/sys/kernel/msgmni)"
	assert_equal "$(jq -r '.kinds.sem[0].NSEMS' <<<"${lines[0]}")" 2
	# rates exist from the second frame on: nothing moved, so zero
	assert_equal "$(jq -r '.kinds.msg[0]."IN/S"' <<<"${lines[0]}")" null
	assert_equal "$(jq -r '.kinds.msg[0] | "\(."IN/S") \(."OUT/S")"' <<<"${lines[1]}")" "0 0"
}

@test "top -b -J marks an object made during the run new, and one removed gone" {
	require_jq
	mk shm key=0x1111
	local old=$(field "${MK[0]}" id)
	# until killed: the frames are read while it runs
	"$IPCX" top -b -J -d 0.2 shm >"$OUT" 2>/dev/null &
	local tp=$! end=$((SECONDS + 60))
	while [ ! -s "$OUT" ] && ((SECONDS < end)); do sleep 0.05; done
	mk shm key=0x2222
	local new=$(field "${MK[0]}" id)
	ipcrm -m "$old"
	local seen=
	while ((SECONDS < end)); do
		# made and removed may fall in two frames
		if jq -e -s --argjson n "$new" --argjson o "$old" \
			'any(.[]; .kinds.shm | any(.ID == $n and .state == "new")) and
			 any(.[]; .kinds.shm | any(.ID == $o and .state == "gone"))' \
			"$OUT" >/dev/null 2>&1; then
			seen=1
			break
		fi
		sleep 0.1
	done
	# one more frame, to see that gone is said once
	local lines=$(wc -l <"$OUT")
	while (($(wc -l <"$OUT") < lines + 2)) && ((SECONDS < end + 30)); do sleep 0.05; done
	kill "$tp"
	wait "$tp" || true
	[ -n "$seen" ] || fail "no frames with shm $new new and shm $old gone: $(tail -3 "$OUT")"
	# gone is said once: the frame after shows it no more
	run -0 jq -s --argjson o "$old" '[.[] | select(.kinds.shm | any(.ID == $o and .state == "gone"))] | length' "$OUT"
	assert_output 1
}

@test "top -b -J: a running process that opens POSIX objects is their holder a frame or two later" {
	require_jq
	mk pshm name=later-shm psem name=later-sem value=1 pmsg name=later-mq
	# a process that is there before top starts, and opens the three files
	# when told: neither a new process nor a change of the objects' values
	# tells top, only inotify
	local go=$BATS_TEST_TMPDIR/go opened=$BATS_TEST_TMPDIR/opened
	mkfifo "$go"
	(
		read -r _ <"$go"
		exec 3<"/dev/shm/later-shm" 4<"/dev/shm/sem.later-sem" 5<"$IPCX_TEST_MQ/later-mq"
		# opened again twice, apart: an open while top reads its
		# semaphores and queues itself is not watched (ipcx-top(1))
		sleep 0.1
		exec 6<"/dev/shm/later-shm"
		sleep 0.1
		exec 7<"/dev/shm/later-shm"
		echo opened >"$opened"
		exec sleep 60
	) &
	local holder=$!
	: >"$OUT"
	"$IPCX" top -b -J -d 0.2 pshm psem pmsg >"$OUT" 2>/dev/null &
	local tp=$! end=$((SECONDS + 60))
	# two frames: the first walk is done and the holder's pid is known
	while (($(wc -l <"$OUT") < 2)) && ((SECONDS < end)); do sleep 0.05; done
	echo go >"$go"
	while [ ! -s "$opened" ] && ((SECONDS < end)); do sleep 0.02; done
	local n=$(wc -l <"$OUT")
	# without inotify the holder would wait for the walk of every ten seconds
	while (($(wc -l <"$OUT") < n + 3)) && ((SECONDS < end)); do sleep 0.05; done
	kill "$tp" "$holder"
	wait "$tp" "$holder" 2>/dev/null || true
	run -0 jq -c --argjson p "$holder" '
		def held(k): .kinds[k] | any((.HOLDERS // "") | test("(^|\\D)" + ($p | tostring) + "(\\D|$)"));
		[held("pshm"), held("psem"), held("pmsg")]' "$OUT"
	# none before the open; all three by the third frame after it
	assert_equal "${lines[0]}" "[false,false,false]"
	assert_equal "${lines[n + 2]}" "[true,true,true]"
}

@test "top -b: its own reads of semaphores and queues do not make it walk the processes again" {
	command -v strace >/dev/null || skip "strace is not installed (tools/deps.sh installs it)"
	mk pshm name=still-shm psem name=still-sem value=1 pmsg name=still-mq
	sleep 60 &
	local other=$!
	# the /proc walk, so that each walk is seen: it opens every process's
	# directory once, relative to /proc (a new process's is looked at by
	# its whole path)
	# (LeakSanitizer cannot work under ptrace)
	IPCX_PSCAN=proc ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0 \
		run strace -f -qq -e trace=openat -o "$BATS_TEST_TMPDIR/trace" \
		"$IPCX" top -b -n 6 -d 0.1 pshm psem pmsg
	kill "$other"
	wait "$other" 2>/dev/null || true
	assert_success
	# it read the semaphore and the queue in every frame...
	assert_equal "$(grep -c 'sem\.still-sem"' "$BATS_TEST_TMPDIR/trace")" 6
	assert_equal "$(grep -c '"still-mq"' "$BATS_TEST_TMPDIR/trace")" 6
	# ...and walked once, for the first: nothing changed after it
	assert_equal "$(grep -cE "openat\([0-9]+, \"$other\", [^)]*O_PATH" "$BATS_TEST_TMPDIR/trace")" 1
}

@test "top -u USER lists only that user's objects" {
	require_real_root "to give an object to another user (a user namespace maps only our own uid)"
	mk shm key=0x100 shm key=0x200 owner=4242:4242
	run -0 --separate-stderr ipcx top -b -n 1 -u 4242 shm
	assert_line --partial "0x00000200"
	refute_line --partial "0x00000100"
}

@test "top refuses bad options, changing nothing" {
	run -2 ipcx top -d abc -b
	assert_output "ipcx: top: invalid delay 'abc': expected seconds from 0 to 86400"
	run -2 ipcx top -n 0 -b
	assert_output "ipcx: top: invalid iterations '0': expected a positive number"
	run -2 ipcx top -J
	assert_output "ipcx: top: --json goes with -b (batch mode)"
	run -2 ipcx top -b nosuchkind
	assert_output --partial "unknown kind 'nosuchkind'"
	run -2 ipcx top </dev/null
	assert_output "ipcx: top: the screen needs a terminal; use -b for batch output"
}

# --- the screen ---------------------------------------------------------------

@test "top: objects made and removed during a run appear and go" {
	start_top -- -d 0.2
	mk shm key=0xabc1
	local id=$(field "${MK[0]}" id)
	wait_screen "0x0000abc1"
	ipcrm -m "$id"
	wait_no_screen "0x0000abc1"
	mk pshm name=livetest
	wait_screen "/livetest"
}

@test "top: q quits with status 0 and gives the terminal back" {
	start_top -- -d 0.5
	keys q
	wait_screen "EXITED=0"
	run screen
	refute_output --partial "F1Help"
}

@test "top: SIGTERM and SIGHUP restore the terminal too" {
	start_top -- -d 0.5
	kill -TERM "$TOP_PID"
	wait_screen "EXITED=143"
	run screen
	refute_output --partial "F1Help"
	tmux -L "$SOCK" kill-server
	start_top -- -d 0.5
	kill -HUP "$TOP_PID"
	wait_screen "EXITED=129"
	run screen
	refute_output --partial "F1Help"
}

@test "top: Tab moves between kinds; > sorts by the next column, I inverts" {
	mk shm key=0x300 shm key=0x100 shm key=0x200
	start_top -- -d 0.3 shm
	wait_screen "0x00000300"
	# creation order first: the kernel's
	(($(line_of 0x00000300) < $(line_of 0x00000100))) || fail "$(screen)"
	keys '>'
	wait_screen "sorted by KEY"
	(($(line_of 0x00000100) < $(line_of 0x00000200) && $(line_of 0x00000200) < $(line_of 0x00000300))) ||
		fail "not sorted by KEY: $(screen)"
	keys I
	wait_screen "sorted by KEY, inverted"
	(($(line_of 0x00000300) < $(line_of 0x00000200) && $(line_of 0x00000200) < $(line_of 0x00000100))) ||
		fail "not inverted: $(screen)"
	# the order holds over refreshes
	local n
	n=$(screen | sed -n 's/.*frame \([0-9]*\).*/\1/p')
	wait_screen "frame $((n + 2)) "
	(($(line_of 0x00000300) < $(line_of 0x00000100))) || fail "$(screen)"
	keys Tab
	wait_screen "KEY ID PERMS OWNER USEDBYTES MSGS LSPID LRPID"
	run screen
	refute_output --partial "0x00000100"
}

@test "top: the filter keeps matching rows only" {
	mk shm key=0x300 shm key=0x100 shm key=0x200
	start_top -- -d 0.3
	wait_screen "0x00000200"
	keys '\'
	wait_screen "Filter:"
	type_text 0x00000200
	keys Enter
	wait_no_screen "0x00000300"
	run screen
	assert_output --partial "0x00000200"
	refute_output --partial "0x00000100"
	assert_output --partial "filter: 0x00000200"
	keys '\' BSpace BSpace BSpace BSpace BSpace BSpace BSpace BSpace BSpace BSpace Enter
	wait_screen "0x00000100"
}

@test "top: search selects the match; Enter shows its fields and holders" {
	mk shm key=0x300 shm key=0x100
	hold shm key=0x700 attach=1
	local id=$(field "${MK[0]}" id)
	start_top -- -d 0.3
	wait_screen "0x00000700"
	search 0x00000700
	keys Enter
	wait_screen "shm $id (key 0x00000700)"
	wait_screen "Holders: 1 process"
	wait_screen "  $HOLD_PID mkipc: attached rw"
	run screen
	assert_output --regexp "NATTCH +1 "
}

@test "top: Enter on a semaphore set shows its elements, as show prints them" {
	mk sem key=0x900 nsems=3 values=4,0,7
	local id=$(field "${MK[0]}" id)
	start_top -- -d 0.3 sem
	wait_screen "0x00000900"
	search 0x00000900
	keys Enter
	wait_screen "sem $id (key 0x00000900)"
	wait_screen "SEMNUM VALUE NCNT ZCNT"
	run screen
	# each element's value, as semctl GETVAL reads it
	assert_output --regexp " +0 +4 +0 +0 +[0-9]+ "
	assert_output --regexp " +1 +0 +0 +0 +[0-9]+ "
	assert_output --regexp " +2 +7 +0 +0 +[0-9]+ "
}

@test "top: k removes the selected object after y; an attached one is kept with the reason" {
	mk shm key=0x901
	local free_id=$(field "${MK[0]}" id)
	hold shm key=0x902 attach=1
	local held_id=$(field "${MK[0]}" id)
	start_top -- -d 0.3 shm
	wait_screen "0x00000902"
	search 0x00000901
	keys k
	wait_screen "Remove shm $free_id (key 0x00000901)?"
	keys y
	wait_screen "removed 1 of 1"
	run sysv shm "$free_id" key
	assert_failure
	wait_no_screen "0x00000901"
	search 0x00000902
	keys k
	wait_screen "Remove shm $held_id"
	keys y
	wait_screen "kept shm $held_id (key 0x00000902)"
	run -0 sysv shm "$held_id" nattch
	assert_output 1
	# anything but y removes nothing
	search 0x00000902
	keys k n
	wait_screen "nothing removed"
	run -0 sysv shm "$held_id" key
}

@test "top: Space tags rows and k removes every tagged one" {
	mk shm key=0xa01 shm key=0xa02 shm key=0xa03
	start_top -- -d 0.3 shm
	wait_screen "0x00000a03"
	search 0x00000a01
	keys Space
	wait_screen "#  0x00000a01"
	search 0x00000a03
	keys Space
	wait_screen "#  0x00000a03"
	keys k
	wait_screen "and 1 more?"
	keys y
	wait_screen "removed 2 of 2"
	assert_equal "$(sysv_count shm)" 1
	run -0 grep -c "$(printf '%d' 0xa02)" /proc/sysvipc/shm
}

@test "top: k then s signals a holder of the selected object" {
	hold shm key=0xb01 attach=1
	local pid=$HOLD_PID
	start_top -- -d 0.3 shm
	wait_screen "0x00000b01"
	search 0x00000b01
	keys k
	wait_screen "s: signal a holder"
	keys s
	wait_screen "Signal which holder ($pid mkipc)?"
	keys Enter
	wait_screen "Signal (name or number)? TERM"
	keys BSpace BSpace BSpace BSpace
	type_text KILL
	keys Enter
	wait_screen "sent SIGKILL to $pid"
	local i
	for ((i = 0; i < 600; i++)); do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.05
	done
	run kill -0 "$pid"
	assert_failure
	wait "$pid" 2>/dev/null || true
	HOLD_PIDS=()
}

@test "top: a resize redraws a clean screen" {
	mk shm key=0xc01
	start_top -- -d 0.3
	tmux -L "$SOCK" resize-window -x 80 -y 24
	local i ok=
	for ((i = 0; i < 600; i++)); do
		mapfile -t L < <(screen)
		if [ "${#L[@]}" -eq 24 ] && [[ ${L[0]} == "ipcx top - "* ]] && [[ ${L[23]} == F1Help* ]]; then
			ok=1
			break
		fi
		sleep 0.05
	done
	[ -n "$ok" ] || fail "not redrawn at 80x24: $(screen)"
	run screen
	assert_output --partial "0x00000c01"
	# no line runs past the new width
	local l
	for l in "${L[@]}"; do ((${#l} <= 80)) || fail "line wider than 80: $l"; done
	tmux -L "$SOCK" resize-window -x 120 -y 40
	wait_screen "F1Help"
	keys q
	wait_screen "EXITED=0"
}

@test "top: 80x24 with TERM=vt100 and NO_COLOR works" {
	mk shm key=0xd01 msg key=0xd02
	start_top 80x24 TERM=vt100 NO_COLOR=1 -- -d 0.3
	wait_screen "0x00000d01"
	wait_screen "Objects: shm 1 msg 1"
	run screen
	assert_output --partial "msgmni"
	assert_output --partial "0x00000d02"
	keys Tab
	wait_screen "NATTCH STATUS"
	keys h
	wait_screen "Markers: + new"
	keys x q
	wait_screen "EXITED=0"
}

@test "top: new rows are marked + and changed values *" {
	start_top -- -d 1 shm
	mk shm key=0xe01
	wait_screen " + 0x00000e01"
	# one frame later it is an ordinary row
	wait_screen "   0x00000e01"
	hold shm key=0xe02 attach=1
	wait_screen "0x00000e02"
	release
	wait_screen " * 0x00000e02"
}

@test "top: mouse clicks pick a tab, sort by a header and select a row" {
	mk shm key=0x300 shm key=0x100 shm key=0x200
	local id=$(field "${MK[2]}" id)
	start_top -- -d 0.3
	wait_screen "0x00000300"
	local tabline=$(line_of " all   shm ")
	click "$(col_of "$tabline" " shm ")" $((tabline - 1))
	wait_no_screen "Message queues (System V)"
	local head=$(line_of "   KEY ")
	[ -n "$head" ] || fail "no column header: $(screen)"
	click "$(col_of "$head" "KEY")" $((head - 1))
	wait_screen "sorted by KEY"
	(($(line_of 0x00000100) < $(line_of 0x00000200) && $(line_of 0x00000200) < $(line_of 0x00000300))) ||
		fail "not sorted by KEY: $(screen)"
	# a second click on the same header inverts
	click "$(col_of "$head" "KEY")" $((head - 1))
	wait_screen "sorted by KEY, inverted"
	local row=$(line_of 0x00000200)
	click 5 $((row - 1))
	keys Enter
	wait_screen "shm $id (key 0x00000200)"
}

@test "top: NO_COLOR takes the colour away, not the markers" {
	# with colour, a new row is green
	start_top -- -d 1 shm
	mk shm key=0xf01
	local i seen=
	for ((i = 0; i < 600; i++)); do
		if tmux -L "$SOCK" capture-pane -e -p | grep -q $'\e\\[[0-9;]*32m.*0x00000f01'; then
			seen=1
			break
		fi
		sleep 0.05
	done
	[ -n "$seen" ] || fail "no green new row: $(tmux -L "$SOCK" capture-pane -e -p | cat -v)"
	tmux -L "$SOCK" kill-server
	start_top NO_COLOR=1 -- -d 1 shm
	mk shm key=0xf02
	wait_screen " + 0x00000f02"
	run -0 bash -c "tmux -L '$SOCK' capture-pane -e -p"
	refute_output --regexp $'\e\\[[0-9;]*3[0-7]m'
}

@test "top: the selection follows its object through a sort" {
	mk shm key=0x300 shm key=0x100 shm key=0x200
	local id=$(field "${MK[1]}" id)
	start_top -- -d 0.3 shm
	search 0x00000100
	keys '>'
	wait_screen "sorted by KEY"
	keys I
	wait_screen "sorted by KEY, inverted"
	keys Enter
	wait_screen "shm $id (key 0x00000100)"
}
