#!/usr/bin/env bats
# ipcx check: every check at OK, WARNING and CRITICAL from real objects and
# processes of the private namespace; the status line and perfdata
# against values computed from the kernel's own files; Prometheus text
# through promtool; JSON through jq; exit codes 0, 1, 2 and 3.

load test_helper

setup() {
	clean_ipc
	BG=()
	SYSCTL_SAVED=()
}

teardown() {
	local p i
	for p in "${BG[@]}"; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done
	release
	clean_ipc
	# the namespace's limits as they were, for the next test and suite
	for ((i = ${#SYSCTL_SAVED[@]} - 2; i >= 0; i -= 2)); do
		printf '%s\n' "${SYSCTL_SAVED[i + 1]}" >"${SYSCTL_SAVED[i]}"
	done
}

# set_sysctl FILE VALUE: lowers a limit of the private IPC namespace; the
# teardown puts it back.
set_sysctl() {
	SYSCTL_SAVED+=("$1" "$(cat "$1")")
	printf '%s\n' "$2" >"$1"
}

# Starts a command in the background and remembers it for the teardown.
bg() {
	"$@" </dev/null >/dev/null 2>&1 &
	BG+=("$!")
	BGPID=$!
}

# Waits until thread TID is asleep in a system call (polling, 10 s at most).
wait_blocked() {
	local i
	for ((i = 0; i < 1000; i++)); do
		if [ "$(awk '{print $1}' "/proc/$1/syscall" 2>/dev/null)" -ge 0 ] 2>/dev/null &&
			awk '/^State:/ {exit !($2 == "S")}' "/proc/$1/status" 2>/dev/null; then
			return 0
		fi
		sleep 0.01
	done
	echo "process $1 never blocked" >&2
	return 1
}

# Waits until the clock is at least EPOCH (polling): ages are whole seconds.
wait_until() {
	local i
	for ((i = 0; i < 1000; i++)); do
		[ "$(date +%s)" -ge "$1" ] && return 0
		sleep 0.05
	done
	return 1
}

# The first line: status and perfdata.
first_line() { head -n 1 <<<"$output"; }

# pct_of LIMIT PCT: PCT% of LIMIT rounded down, exactly (bc: any size).
pct_of() { bc <<<"$1 * $2 / 100"; }

# perf LABEL USED LIMIT [WARN% CRIT% [UOM]]: one perfdata item of a limit.
perf() {
	local w=${4:-80} c=${5:-95}
	printf "'%s'=%s%s;%s;%s;0;%s" "$1" "$2" "${6:-}" "$(pct_of "$3" "$w")" "$(pct_of "$3" "$c")" "$3"
}

# The perfdata of the limits check, computed from the kernel's files, the
# objects of the namespace and /dev/shm, with thresholds W and C percent.
limits_perf() {
	local w=${1:-80} c=${2:-95} page pages nsems sem
	page=$(getconf PAGESIZE)
	pages=$(awk -v p="$page" 'NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
		{ n += int(($col["size"] + p - 1) / p) } END { print n + 0 }' /proc/sysvipc/shm)
	nsems=$(awk 'NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
		{ n += $col["nsems"] } END { print n + 0 }' /proc/sysvipc/sem)
	read -ra sem </proc/sys/kernel/sem
	local blocks free bsize
	read -r blocks free bsize < <(stat -f -c '%b %f %S' /dev/shm)
	printf '%s %s %s %s %s %s %s' \
		"$(perf msgmni "$(sysv_count msg)" "$(cat /proc/sys/kernel/msgmni)" "$w" "$c")" \
		"$(perf shmmni "$(sysv_count shm)" "$(cat /proc/sys/kernel/shmmni)" "$w" "$c")" \
		"$(perf shmall "$pages" "$(cat /proc/sys/kernel/shmall)" "$w" "$c")" \
		"$(perf semmni "$(sysv_count sem)" "${sem[3]}" "$w" "$c")" \
		"$(perf semmns "$nsems" "${sem[1]}" "$w" "$c")" \
		"$(perf queues_max "$(find "$IPCX_TEST_MQ" -mindepth 1 | wc -l)" \
			"$(cat /proc/sys/fs/mqueue/queues_max)" "$w" "$c")" \
		"$(perf shm_fs $(((blocks - free) * bsize)) $((blocks * bsize)) "$w" "$c" B)"
}

# --- limits ---------------------------------------------------------------

@test "limits OK: the status line and every limit's perfdata, exactly" {
	mk shm size=8192 shm size=5000 msg sem nsems=3 pmsg name=/q pshm name=/f fill=65536
	run -0 --separate-stderr ipcx check limits
	assert_equal "$output" "IPCX OK - limits: no findings | $(limits_perf)"
	assert_equal "$stderr" ""
}

@test "limits WARNING: msgmni lowered below its use, by the default 80%" {
	set_sysctl /proc/sys/kernel/msgmni 10
	local i
	for ((i = 0; i < 9; i++)); do mk msg; done
	run -1 --separate-stderr ipcx check limits
	assert_equal "$(first_line)" "IPCX WARNING - limits: 1 warning | $(limits_perf)"
	[[ $(first_line) == *"'msgmni'=9;8;9;0;10 "* ]]
	assert_equal "$(sed -n 2,\$p <<<"$output")" \
		"WARNING: limits: msgmni: 9 of 10 queues used (90.0%, over 80%)"
}

@test "limits CRITICAL: semmni and queues_max used up; WARNING lines come after" {
	set_sysctl /proc/sys/kernel/sem "$(awk '{print $1, $2, $3, 4}' /proc/sys/kernel/sem)"
	set_sysctl /proc/sys/fs/mqueue/queues_max 10
	mk sem sem sem sem
	local i
	for ((i = 0; i < 9; i++)); do mk pmsg name=/q$i; done
	run -2 --separate-stderr ipcx check limits
	assert_equal "$(first_line)" "IPCX CRITICAL - limits: 1 critical, 1 warning | $(limits_perf)"
	assert_equal "$(sed -n 2,\$p <<<"$output")" \
"CRITICAL: limits: semmni: 4 of 4 sets used (100.0%, over 95%)
WARNING: limits: queues_max: 9 of 10 queues used (90.0%, over 80%)"
}

@test "limits: --warn and --crit move the thresholds, in perfdata too" {
	set_sysctl /proc/sys/kernel/shmmni 10
	mk shm shm shm shm shm shm
	run -0 ipcx check --warn limits=60% --crit limits=70% limits
	assert_equal "$(first_line)" "IPCX OK - limits: no findings | $(limits_perf 60 70)"
	mk shm
	run -1 ipcx check --warn limits=60% --crit limits=70% limits
	assert_line --index 1 "WARNING: limits: shmmni: 7 of 10 segments used (70.0%, over 60%)"
	mk shm
	run -2 ipcx check -w limits=60% -c limits=70% limits
	assert_equal "$(first_line)" "IPCX CRITICAL - limits: 1 critical | $(limits_perf 60 70)"
	assert_line --index 1 "CRITICAL: limits: shmmni: 8 of 10 segments used (80.0%, over 70%)"
}

@test "limits: shmall counts pages of every segment, and warns on them" {
	local page; page=$(getconf PAGESIZE)
	set_sysctl /proc/sys/kernel/shmall 10
	mk shm size=$((page * 4)) shm size=$((page * 4 + 1))
	run -1 ipcx check limits
	assert_equal "$(first_line)" "IPCX WARNING - limits: 1 warning | $(limits_perf)"
	[[ $(first_line) == *"'shmall'=9;8;9;0;10 "* ]]
	assert_line --index 1 "WARNING: limits: shmall: 9 of 10 pages used (90.0%, over 80%)"
}

# --- leaks ------------------------------------------------------------------

@test "leaks OK: a segment whose creator lives, or that is attached, is no leak" {
	hold shm size=4096
	hold shm size=4096 attach=1
	wait_until $(($(date +%s) + 2))
	run -0 --separate-stderr ipcx check --warn leaks=1s leaks
	assert_equal "$output" "IPCX OK - leaks: no findings | 'leaks'=0;;;0"
}

@test "leaks WARNING and CRITICAL: an unattached segment whose creator is gone" {
	mk shm size=4096
	local id cpid ctime
	id=$(field "${MK[0]}" id)
	cpid=$(sysv shm "$id" cpid)
	ctime=$(sysv shm "$id" ctime)
	! kill -0 "$cpid" 2>/dev/null
	run -0 ipcx check leaks
	assert_equal "$output" "IPCX OK - leaks: no findings | 'leaks'=0;;;0"
	wait_until $((ctime + 2))
	run -1 ipcx check --warn leaks=1s leaks
	assert_equal "$(first_line)" "IPCX WARNING - leaks: 1 warning | 'leaks'=1;;;0"
	assert_line --index 1 --regexp "^WARNING: leaks: shm $id: not attached, creator pid $cpid gone, unused for [0-9]+s \(over 1s\)\$"
	run -2 ipcx check --warn leaks=1s --crit leaks=1s leaks
	assert_equal "$(first_line)" "IPCX CRITICAL - leaks: 1 critical | 'leaks'=1;;;0"
	assert_line --index 1 --regexp "^CRITICAL: leaks: shm $id: not attached, creator pid $cpid gone, unused for [0-9]+s \(over 1s\)\$"
}

@test "leaks: POSIX objects whose owner has no process, and nobody holds" {
	require_real_root "to give an object to another user (a user namespace maps only our own uid)"
	local nobody=54321
	! awk -v u=$nobody '/^Uid:/ && $3 == u {f=1} END {exit !f}' /proc/[0-9]*/status
	mk pshm name=/lost owner=$nobody psem name=/lostsem owner=$nobody pmsg name=/lostq owner=$nobody \
		pshm name=/mine
	hold pshm name=/held owner=$nobody
	local t; t=$(date +%s)
	wait_until $((t + 2))
	run -1 ipcx check --warn leaks=1s leaks
	assert_equal "$(first_line)" "IPCX WARNING - leaks: 3 warning | 'leaks'=3;;;0"
	assert_line --index 1 --regexp "^WARNING: leaks: pshm /lost: nobody holds it, owner uid $nobody has no process, unused for [0-9]+s \(over 1s\)\$"
	assert_line --index 2 --regexp "^WARNING: leaks: psem /lostsem: nobody holds it, owner uid $nobody has no process, unused"
	assert_line --index 3 --regexp "^WARNING: leaks: pmsg /lostq: nobody holds it, owner uid $nobody has no process, unused"
	assert_equal "${#lines[@]}" 4
}

@test "a '|' in a name is escaped, so it cannot start performance data" {
	require_real_root "to give an object to another user (a user namespace maps only our own uid)"
	mk pshm 'name=/a|b' owner=54321
	wait_until $(($(date +%s) + 2))
	run -1 ipcx check --warn leaks=1s leaks
	assert_line --index 1 --regexp '^WARNING: leaks: pshm /a\\x7cb: nobody holds it'
	assert_equal "$(tr -cd '|' <<<"$output")" "|"
}

# --- queues -----------------------------------------------------------------

@test "queues full: System V bytes of QBYTES, POSIX messages of MAXMSG" {
	mk msg qbytes=1000 msgs=7 msgsize=100 pmsg name=/half maxmsg=4 msgs=2
	run -0 ipcx check queues
	assert_equal "$output" "IPCX OK - queues: no findings | 'queue_fill_max'=70.0%;80;95;0;100 'queues_stale'=0;;;0"
	local id; id=$(field "${MK[0]}" id)
	ipcx send msg "$id" "$(head -c 100 /dev/zero | tr '\0' x)"
	ipcx send msg "$id" "$(head -c 50 /dev/zero | tr '\0' x)"
	run -1 ipcx check queues
	assert_equal "$output" "IPCX WARNING - queues: 1 warning | 'queue_fill_max'=85.0%;80;95;0;100 'queues_stale'=0;;;0
WARNING: queues: msg $id: 85.0% full, 850 of 1000 bytes (over 80%)"
	mk pmsg name=/full maxmsg=4 msgs=4
	run -2 ipcx check queues
	assert_equal "$output" "IPCX CRITICAL - queues: 1 critical, 1 warning | 'queue_fill_max'=100.0%;80;95;0;100 'queues_stale'=0;;;0
CRITICAL: queues: pmsg /full: 100.0% full, 4 of 4 messages (over 95%)
WARNING: queues: msg $id: 85.0% full, 850 of 1000 bytes (over 80%)"
	# a full queue is at 100%, which is not over a threshold of 100%
	run -0 ipcx check --warn queues.full=100% --crit queues.full=100% queues
	assert_equal "$(first_line)" "IPCX OK - queues: no findings | 'queue_fill_max'=100.0%;100;100;0;100 'queues_stale'=0;;;0"
}

@test "queues stale: messages with no receive for longer than the threshold" {
	mk msg msgs=2 pmsg name=/slow msgs=1 msg
	local id ctime; id=$(field "${MK[0]}" id)
	ctime=$(sysv msg "$id" ctime)
	# the POSIX queue's time may be a second later
	wait_until $((ctime + 3))
	run -0 ipcx check queues
	assert_equal "$(first_line)" "IPCX OK - queues: no findings | 'queue_fill_max'=25.0%;80;95;0;100 'queues_stale'=0;;;0"
	run -1 ipcx check --warn queues.stale=1s queues
	assert_equal "$(first_line)" "IPCX WARNING - queues: 2 warning | 'queue_fill_max'=25.0%;80;95;0;100 'queues_stale'=2;;;0"
	assert_line --index 1 --regexp "^WARNING: queues: msg $id: 2 messages waiting, no receive for [0-9]+s \(over 1s\)\$"
	assert_line --index 2 --regexp "^WARNING: queues: pmsg /slow: 1 message waiting, no send or receive for [0-9]+s \(over 1s\)\$"
	run -2 ipcx check --crit queues.stale=1s queues
	assert_line --index 1 --regexp "^CRITICAL: queues: msg $id: 2 messages waiting"
	# a receive makes the queue fresh again
	ipcx recv msg "$id" >/dev/null
	run -2 ipcx check --crit queues.stale=1s queues
	assert_equal "$(first_line)" "IPCX CRITICAL - queues: 1 critical | 'queue_fill_max'=25.0%;80;95;0;100 'queues_stale'=1;;;0"
	refute_output --partial "msg $id:"
}

# --- semaphores -------------------------------------------------------------

@test "semaphores: waiters and no operation name the waiting pids" {
	hold sem nsems=2 values=0,1 ncnt=0 zcnt=1
	local id; id=$(field "${MK[0]}" id)
	local -a waiters
	mapfile -t waiters < <(pgrep -P "$HOLD_PID" | sort -n)
	assert_equal "${#waiters[@]}" 2
	local p; for p in "${waiters[@]}"; do wait_blocked "$p"; done
	run -0 ipcx check semaphores
	assert_equal "$output" "IPCX OK - semaphores: no findings | 'sem_waiters'=2;;;0 'sem_deadlocks'=0;;;0"
	wait_until $(($(sysv sem "$id" ctime) + 2))
	run -1 ipcx check --warn semaphores=1s semaphores
	assert_equal "$(first_line)" "IPCX WARNING - semaphores: 1 warning | 'sem_waiters'=2;;;0 'sem_deadlocks'=1;;;0"
	assert_line --index 1 --regexp "^WARNING: semaphores: sem $id: 2 waiting: ${waiters[0]}\(mkipc\) ${waiters[1]}\(mkipc\), no operation for [0-9]+s \(over 1s\)\$"
	run -2 ipcx check --crit semaphores=1s semaphores
	assert_line --index 1 --regexp "^CRITICAL: semaphores: sem $id: 2 waiting"
	run -2 ipcx check --json --crit semaphores=1s semaphores
	require_jq
	assert_equal "$(jq -c '[.findings[0].pids[]] | sort' <<<"$output")" "[${waiters[0]},${waiters[1]}]"
}

@test "semaphores: a set idle for long without waiters is fine" {
	mk sem nsems=3
	wait_until $(($(sysv sem "$(field "${MK[0]}" id)" ctime) + 2))
	run -0 ipcx check --crit semaphores=1s semaphores
	assert_equal "$output" "IPCX OK - semaphores: no findings | 'sem_waiters'=0;;;0 'sem_deadlocks'=0;;;0"
}

# --- stuck ------------------------------------------------------------------

@test "stuck: a receiver blocked in msgrcv, at OK, WARNING and CRITICAL" {
	mk msg
	local id t0=$EPOCHREALTIME; id=$(field "${MK[0]}" id)
	# the receiver and the check on different CPUs, whose clocks differ
	local last; last=$(($(nproc) - 1))
	bg taskset -c "$last" "$IPCX" recv msg "$id"
	wait_blocked "$BGPID"
	run -0 taskset -c 0 "$IPCX" check stuck
	assert_equal "$output" "IPCX OK - stuck: no findings | 'ipc_blocked'=1;;;0 'stuck'=0;;;0"
	sleep 1.2
	run -1 taskset -c 0 "$IPCX" check --warn stuck=1s stuck
	assert_equal "$(first_line)" "IPCX WARNING - stuck: 1 warning | 'ipc_blocked'=1;;;0 'stuck'=1;;;0"
	assert_line --index 1 --regexp "^WARNING: stuck: pid $BGPID\(ipcx(-san)?\): blocked in msgrcv on msg $id for [0-9]+s \(over 1s\)\$"
	run -2 taskset -c 0 "$IPCX" check --crit stuck=1s stuck
	assert_line --index 1 --regexp "^CRITICAL: stuck: pid $BGPID\(ipcx(-san)?\): blocked in msgrcv on msg $id"
	# blocked since before the sleep, and not before the receiver started,
	# whichever CPUs the receiver and the check ran on
	require_jq
	run -2 taskset -c 0 "$IPCX" check --json --crit stuck=1s stuck
	local secs elapsed
	secs=$(jq '.findings[0].value' <<<"$output")
	elapsed=$(bc <<<"$EPOCHREALTIME - $t0")
	bc <<<"$secs >= 1.15 && $secs <= $elapsed" | grep -qx 1 ||
		fail "blocked for $secs s by the check, $elapsed s since the receiver started"
}

@test "stuck: waiters on a semaphore set and a POSIX queue are counted by kind" {
	hold sem values=0 ncnt=0
	local w; w=$(pgrep -P "$HOLD_PID")
	wait_blocked "$w"
	mk pmsg name=/empty
	bg "$IPCX" recv pmsg /empty
	wait_blocked "$BGPID"
	run -0 --separate-stderr ipcx check --prometheus stuck
	local ns; ns=$(stat -L -c %i /proc/self/ns/ipc)
	assert_line "ipcx_blocked_threads{namespace=\"$ns\",kind=\"sem\"} 1"
	assert_line "ipcx_blocked_threads{namespace=\"$ns\",kind=\"pmsg\"} 1"
	assert_line "ipcx_blocked_threads{namespace=\"$ns\",kind=\"msg\"} 0"
}

# --- formats ----------------------------------------------------------------

@test "--prometheus passes promtool check metrics, with the kernel's values" {
	command -v promtool >/dev/null || skip "promtool is not installed (Debian package prometheus)"
	mk shm size=4096 msg msgs=1 pmsg name=/p
	run -0 --separate-stderr ipcx check --prometheus
	local out=$output ns
	ns=$(stat -L -c %i /proc/self/ns/ipc)
	run promtool check metrics <<<"$out"
	assert_success
	run -0 printf '%s\n' "$out"
	assert_line "# TYPE ipcx_limit gauge"
	assert_line "ipcx_limit{namespace=\"$ns\",kind=\"msg\",limit=\"msgmni\"} $(cat /proc/sys/kernel/msgmni)"
	assert_line "ipcx_limit_used{namespace=\"$ns\",kind=\"shm\",limit=\"shmmni\"} 1"
	assert_line "ipcx_limit_used{namespace=\"$ns\",kind=\"pmsg\",limit=\"queues_max\"} 1"
	assert_line "ipcx_check_status{check=\"limits\"} 0"
	# every name has its HELP and TYPE once
	local names; names=$(grep -v '^#' <<<"$out" | sed 's/[{ ].*//' | sort -u)
	local n
	for n in $names; do
		assert_equal "$(grep -c "^# HELP $n " <<<"$out")" 1
		assert_equal "$(grep -c "^# TYPE $n gauge\$" <<<"$out")" 1
	done
}

@test "--prometheus with findings: the state of each check and the finding counts" {
	command -v promtool >/dev/null || skip "promtool is not installed (Debian package prometheus)"
	mk pmsg name=/full maxmsg=2 msgs=2
	run -2 ipcx check --prometheus queues
	local out=$output
	run promtool check metrics <<<"$out"
	assert_success
	run -0 printf '%s\n' "$out"
	assert_line 'ipcx_check_status{check="queues"} 2'
	assert_line 'ipcx_findings{check="queues",state="critical"} 1'
	assert_line --regexp '^ipcx_full_queues\{namespace="[0-9]+",kind="pmsg"\} 1$'
}

@test "--json: every finding, typed, and the exit code in it" {
	require_jq
	set_sysctl /proc/sys/kernel/msgmni 4
	mk msg msg msg msg pmsg name=/j maxmsg=2 msgs=2
	run -2 ipcx check --json limits queues
	assert_json
	assert_equal "$(jq -r '.status, .code' <<<"$output" | tr '\n' ' ')" "CRITICAL 2 "
	assert_equal "$(jq -c '[.checks[] | [.check, .status, .findings]]' <<<"$output")" \
		'[["limits","CRITICAL",1],["queues","CRITICAL",1]]'
	assert_equal "$(jq -c '.findings[] | select(.check == "limits") | [.limit, .kind, .value, .unit, .warn, .crit, .id]' <<<"$output")" \
		'["msgmni","msg",100,"%",80,95,null]'
	assert_equal "$(jq -c '.findings[] | select(.check == "queues") | [.kind, .name, .value, .unit]' <<<"$output")" \
		'["pmsg","/j",100,"%"]'
	assert_equal "$(jq '[.findings[].namespace | numbers] | length' <<<"$output")" 2
	assert_equal "$(jq -c '.metrics[] | select(.label == "msgmni") | [.value, .warn, .crit, .min, .max]' <<<"$output")" \
		'[4,3,3,0,4]'
}

# --- errors -----------------------------------------------------------------

@test "bad thresholds and checks: one line, exit 3 (UNKNOWN), nothing checked" {
	local arg
	for arg in "--warn limits" "--warn limits=80" "--warn limits=abc%" "--warn limits=101%" \
		"--crit leaks=80%" "--crit stuck=5x" "--warn nosuch=1s" "--warn queues=5m"; do
		# shellcheck disable=SC2086 # the option and its value are two words
		run -3 --separate-stderr ipcx check $arg
		assert_output ""
		assert_equal "$(wc -l <<<"$stderr")" 1
		assert_regex "$stderr" "^ipcx: check: invalid threshold '"
	done
	run -3 --separate-stderr ipcx check limits nosuch
	assert_equal "$stderr" "ipcx: check: unknown check 'nosuch': expected limits, leaks, queues, semaphores or stuck"
	run -3 --separate-stderr ipcx check --bogus
	assert_equal "$stderr" "ipcx: check: invalid option '--bogus' (see ipcx check --help)"
	run -3 --separate-stderr ipcx check --warn
	assert_equal "$stderr" "ipcx: check: option '--warn' needs a value (see ipcx check --help)"
}

@test "UNKNOWN (3) when the kernel's tables cannot be read" {
	run -3 --separate-stderr unshare --mount --propagation private sh -c '
		mount -t tmpfs none /proc/sysvipc && exec "$0" check limits' "$IPCX"
	assert_line --index 0 --regexp "^IPCX UNKNOWN - limits: 3 unknown \|"
	assert_line "UNKNOWN: limits: shm: cannot list: No such file or directory"
	assert_line "UNKNOWN: limits: msg: cannot list: No such file or directory"
}

# --- namespaces -------------------------------------------------------------

@test "--all-ns: findings of other namespaces, labelled with their inode" {
	local fifo="$BATS_TEST_TMPDIR/ns.ready"
	mkfifo "$fifo"
	# a namespace with a leaked segment, kept alive by a sleeping process
	unshare --ipc sh -c '"$1" shm size=4096 >/dev/null && echo ok >"$2" && exec sleep 600' \
		sh "$HELPERS/mkipc" "$fifo" </dev/null >/dev/null 2>&1 &
	BG+=("$!")
	local pid=$!
	read -r _ <"$fifo"
	local ns own
	ns=$(stat -L -c %i "/proc/$pid/ns/ipc")
	own=$(stat -L -c %i /proc/self/ns/ipc)
	[ "$ns" != "$own" ]
	wait_until $(($(date +%s) + 2))
	run -0 ipcx check --warn leaks=1s leaks
	# other namespaces of the machine may hold old leaks of their own
	run -1 ipcx check --all-ns --warn leaks=1s --crit leaks=100w leaks
	assert_line --regexp "^WARNING: leaks: ns $ns: shm [0-9]+: not attached, creator pid [0-9]+ gone"
	[[ $(first_line) == *"'leaks@$ns'=1;;;0"* ]]
	[[ $(first_line) == *"'leaks@$own'=0;;;0"* ]]
	run -1 ipcx check --all-ns --json --warn leaks=1s --crit leaks=100w leaks
	require_jq
	assert_equal "$(jq -c '[.findings[] | select(.namespace == '"$ns"') | .kind]' <<<"$output")" '["shm"]'
}
