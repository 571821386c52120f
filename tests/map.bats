#!/usr/bin/env bats
# The map kind: files and memfds that several processes map MAP_SHARED,
# against what tests/helpers/mapholder mapped and /proc/PID/maps shows.

load test_helper

bats_require_minimum_version 1.5.0

setup() {
	command -v jq >/dev/null || skip "jq is not installed (Debian package jq)"
	MH_PID=""
	MH_FD=""
	BG=()
	clean_ipc
	mh_start
}

teardown() {
	local i p
	for p in "${BG[@]}"; do kill -TERM "$p" 2>/dev/null; wait "$p" 2>/dev/null; done
	[ -n "$MH_FD" ] && exec {MH_FD}>&-
	if [ -n "$MH_PID" ]; then
		for ((i = 0; i < 300; i++)); do
			kill -0 "$MH_PID" 2>/dev/null || break
			sleep 0.01
		done
		kill -KILL "$MH_PID" 2>/dev/null
		wait "$MH_PID" 2>/dev/null
	fi
	[ -n "${MH_CHILD:-}" ] && kill -KILL "$MH_CHILD" 2>/dev/null
	clean_ipc
	return 0
}

# Starts mapholder with its stdin a FIFO this shell keeps open, and waits
# for "ready". Its lines land in MH[], its child's pid in MH_CHILD.
mh_start() {
	local in="$BATS_TEST_TMPDIR/mh.in" out="$BATS_TEST_TMPDIR/mh.out" i
	mkdir -p "$BATS_TEST_TMPDIR/dir"
	mkfifo "$in"
	"$HELPERS/mapholder" "$BATS_TEST_TMPDIR/dir" <"$in" >"$out" 2>&1 3>&- &
	MH_PID=$!
	exec {MH_FD}>"$in"
	for ((i = 0; i < 1000; i++)); do
		if grep -qx ready "$out"; then
			mapfile -t MH < <(grep -vx ready "$out")
			MH_CHILD=$(mh mapholder child)
			return 0
		fi
		kill -0 "$MH_PID" 2>/dev/null || break
		sleep 0.01
	done
	echo "mapholder did not get ready:" >&2
	cat "$out" >&2
	return 1
}

# mh KIND NAME [OBJ [N]]: field NAME of the Nth line (1 by default) that
# mapholder printed for KIND (and obj=OBJ).
mh() {
	local line w
	line=$(printf '%s\n' "${MH[@]}" | awk -v k="$1" -v o="obj=${3:-}" -v n="${4:-1}" \
		'$1 == k && (o == "obj=" || $2 == o) && ++seen == n')
	[ -n "$line" ] || { echo "no line for $1 $3 $4" >&2; return 1; }
	for w in $line; do
		[[ $w == "$2="* ]] && { printf '%s\n' "${w#*=}"; return 0; }
	done
	echo "no field $2 in: $line" >&2
	return 1
}

# The mapping lines "PID,START-END,ACCESS" mapholder printed for OBJ, sorted.
mh_maps() {
	local i
	for i in 1 2; do
		printf '%s,%s-%s,%s\n' "$(mh map pid "$1" $i)" "$(mh map start "$1" $i)" \
			"$(mh map end "$1" $i)" "$(mh map access "$1" $i)"
	done | sort
}

# The FILESIZE ipcx can know of the shared file: it is read through
# /proc/PID/map_files, which the kernel opens only with CAP_SYS_ADMIN over
# its user namespace; null where the kernel does not open it for us.
expected_filesize() {
	local f="/proc/$(mh map pid shared 1)/map_files/$(mh map start shared 1)-$(mh map end shared 1)"
	if stat -L "$f" >/dev/null 2>&1; then mh file size shared; else echo null; fi
}

# obj INODE: the one object of `ipcx ls -J --output-all map` with that inode, in J.
obj() {
	local out n
	out=$("$IPCX" ls -J --output-all map 2>/dev/null) || { echo "ipcx ls -J map failed" >&2; return 1; }
	J=$(jq -c --argjson ino "$1" '.map[] | select(.inode == $ino)' <<<"$out") || return 1
	n=$(grep -c . <<<"$J")
	[ "$n" -eq 1 ] || { echo "$n objects with inode $1 in: $out" >&2; return 1; }
}

# bg_attach MODE ARG: tests/helpers/attach in the background, until the
# teardown; returns once it holds the object.
bg_attach() {
	local out="$BATS_TEST_TMPDIR/attach${#BG[@]}.out" i
	"$HELPERS/attach" "$@" < <(sleep 120) >"$out" 2>&1 &
	BG+=("$!")
	for ((i = 0; i < 1000; i++)); do
		grep -q '^ready' "$out" && return 0
		kill -0 "${BG[-1]}" 2>/dev/null || break
		sleep 0.01
	done
	echo "attach $* did not get ready: $(cat "$out")" >&2
	return 1
}

jv() { jq -r ".$1" <<<"$J"; }
jt() { jq -r ".$1 | type" <<<"$J"; }

# The ENDPOINTS of J as "PID,START-END,ACCESS" lines, sorted, for the helper's two processes.
endpoints() {
	jv endpoints | tr ' ' '\n' | awk -F, -v a="$MH_PID" -v b="$MH_CHILD" \
		'$1 == a || $1 == b {print $1 "," $3 "," $4}' | sort
}

@test "map: a file two processes map shared, with pids, ranges, access and bytes mapped" {
	local ino
	ino=$(mh file ino shared)
	obj "$ino"
	assert_equal "$(jv path)" "$(mh file path shared)"
	assert_equal "$(jv dev)" "$(mh file dev shared)"
	assert_equal "$(jv deleted)" 0
	assert_equal "$(jv nprocs)" 2
	assert_equal "$(jv nmaps)" 2
	# the parent's mapping is writable, the child's read-only
	assert_equal "$(jv nwriters)" 1
	# pages 0-1 and 1-2 of three: all three are mapped
	assert_equal "$(jv size)" "$(mh file mapped shared)"
	assert_equal "$(jv filesize)" "$(expected_filesize)"
	assert_equal "$(endpoints)" "$(mh_maps shared)"
	# the kernel's own view of the child's mapping
	local start
	start=$(mh map start shared 2)
	grep -q "^$start-$(mh map end shared 2) r--s .* $ino " "/proc/$MH_CHILD/maps"
}

@test "map: a memfd shared across fork is one object, deleted, mapped in both" {
	local ino
	ino=$(mh file ino memfd)
	obj "$ino"
	assert_equal "$(jv path)" "$(mh file path memfd)"
	assert_equal "$(jv dev)" "$(mh file dev memfd)"
	assert_equal "$(jv deleted)" 1
	assert_equal "$(jv nprocs)" 2
	assert_equal "$(jv nwriters)" 2
	assert_equal "$(jv size)" "$(mh file mapped memfd)"
	assert_equal "$(endpoints)" "$(mh_maps memfd)"
}

@test "map: shared anonymous memory and an unlinked file are named as /proc/PID/maps names them" {
	local ino start o line
	start=$(mh file start anon)
	line=$(grep "^$start-" "/proc/$MH_PID/maps") || fail "no mapping at $start"
	ino=$(awk '{print $5}' <<<"$line")
	obj "$ino"
	assert_equal "$(jv path)" /dev/zero
	assert_equal "$(jv deleted)" 1
	assert_equal "$(jv nprocs)" 2
	ino=$(mh file ino gone)
	grep -q " $ino *$(mh file path gone) (deleted)$" "/proc/$MH_PID/maps" ||
		fail "the kernel does not show $(mh file path gone) as deleted"
	obj "$ino"
	assert_equal "$(jv path)" "$(mh file path gone)"
	assert_equal "$(jv deleted)" 1
}

# The BPF walk names a mapped file by a walk of its own (a kernel may not
# let bpf_d_path read a mapping's file); /proc names it through d_path.
@test "map: the BPF iterators and the /proc walk name every shared mapping alike" {
	bpf_walk_or_skip "$MH_PID"
	local cols=PATH,DEV,INODE,SIZE,DELETED,ENDPOINTS pids="$MH_PID,$MH_CHILD"
	IPCX_PSCAN=bpf run -0 --separate-stderr ipcx ls -J -o "$cols" map
	local bpf
	bpf=$(jq -c --arg a "$MH_PID" '[.map[] | select(.endpoints | test("(^| )" + $a + ","))] | sort_by(.inode)' <<<"$output")
	IPCX_PSCAN=proc run -0 --separate-stderr ipcx ls -J -o "$cols" map
	assert_equal "$bpf" "$(jq -c --arg a "$MH_PID" '[.map[] | select(.endpoints | test("(^| )" + $a + ","))] | sort_by(.inode)' <<<"$output")"
	# the helper's file, memfd, anonymous memory and unlinked file
	jq -e 'length == 4' >/dev/null <<<"$bpf" || fail "not 4 objects of $pids: $bpf"
}

@test "map: MAP_PRIVATE mappings and a mapping of one process alone are not listed" {
	run --separate-stderr ipcx ls -J --output-all map
	assert_success
	local ino
	for o in private alone; do
		ino=$(mh file ino "$o")
		# both are mapped, as the kernel shows
		grep -q " $ino " "/proc/$MH_PID/maps" || fail "$o is not mapped"
		jq -e --argjson ino "$ino" '[.map[] | select(.inode == $ino)] | length == 0' \
			>/dev/null <<<"$output" || fail "$o is listed: $output"
	done
}

@test "map: System V segments and /dev/shm objects are left to their kinds" {
	mk shm size=8192 pshm name=ipcx-map-pshm size=4096
	local shmid="" l
	for l in "${MK[@]}"; do
		[[ $l == "shm "* ]] && shmid=$(sed -n 's/.* id=\([0-9]*\).*/\1/p' <<<"$l")
	done
	[ -n "$shmid" ] || fail "no shm id in: ${MK[*]}"
	# two processes each attach the segment and map the POSIX object
	bg_attach shm "$shmid"
	bg_attach shm "$shmid"
	bg_attach map /dev/shm/ipcx-map-pshm
	bg_attach map /dev/shm/ipcx-map-pshm
	run --separate-stderr ipcx ls -J --output-all map
	assert_success
	jq -e '[.map[] | select(.path | test("^/SYSV|^/dev/shm/"))] | length == 0' >/dev/null <<<"$output" ||
		fail "map lists what shm or pshm own: $output"
	# while those kinds do see both holders
	run --separate-stderr ipcx ls -J -o ID,NATTCH shm
	jq -e --argjson id "$shmid" '.shm[] | select(.id == $id) | .nattch == 2' >/dev/null <<<"$output" ||
		fail "shm $shmid: $output"
	run --separate-stderr ipcx ls -J -o NAME,NHOLDERS pshm
	jq -e '.pshm[] | select(.name == "/ipcx-map-pshm") | .nholders == 2' >/dev/null <<<"$output" ||
		fail "pshm: $output"
}

@test "ls without kinds does not list map; ls map lists it alone" {
	run --separate-stderr ipcx ls -J
	assert_success
	jq -e 'has("map") | not' >/dev/null <<<"$output" || fail "ls lists map"
	run --separate-stderr ipcx ls -J map
	assert_success
	jq -e 'keys == ["map"]' >/dev/null <<<"$output" || fail "ls map: $output"
}

@test "show map INODE: every field of one shared mapping" {
	local ino
	ino=$(mh file ino shared)
	run --separate-stderr ipcx show map "$ino"
	assert_success
	assert_line --regexp "^PATH: +$(mh file path shared)\$"
	assert_line --regexp "^INODE: +$ino\$"
	assert_line --regexp "^NPROCS: +2\$"
	assert_line --regexp "^HOLDERS: +.*$MH_PID\\(mapholder\\)"
	assert_line --regexp "^HOLDERS: +.*$MH_CHILD\\(mapholder\\)"
	run --separate-stderr ipcx show map "$(mh file ino private)"
	assert_failure 1
	# (a line before it may say that some process could not be read)
	grep -qx "ipcx: show: map '$(mh file ino private)': no such id" <<<"$stderr" ||
		fail "stderr: $stderr"
}

@test "who PID lists what a process maps shared; who map INODE lists its processes" {
	local ino mem
	ino=$(mh file ino shared)
	mem=$(mh file ino memfd)
	run --separate-stderr ipcx who -r -n -o KIND,OBJECT,HOW,ACCESS,ADDRESS "$MH_CHILD"
	assert_success
	assert_line "map $ino mapped r $(mh map start shared 2)-$(mh map end shared 2)"
	assert_line "map $mem mapped rw $(mh map start memfd 2)-$(mh map end memfd 2)"
	refute_line --partial "map $(mh file ino private) "
	run --separate-stderr ipcx who -r -n -o PID,COMMAND,ACCESS,ADDRESS map "$ino"
	assert_success
	assert_output "$(printf '%s mapholder rw %s-%s\n%s mapholder r %s-%s' \
		"$MH_PID" "$(mh map start shared 1)" "$(mh map end shared 1)" \
		"$MH_CHILD" "$(mh map start shared 2)" "$(mh map end shared 2)" |
		sort -n)"
}

@test "JSON of map is valid and typed" {
	obj "$(mh file ino shared)"
	for f in inode size deleted nmaps nprocs nwriters nholders; do
		assert_equal "$f $(jt "$f")" "$f number"
	done
	# unknown, not a zero, where the kernel keeps map_files closed
	local want=number
	[ "$(expected_filesize)" != null ] || want=null
	assert_equal "filesize $(jt filesize)" "filesize $want"
	for f in path dev endpoints holders; do
		assert_equal "$f $(jt "$f")" "$f string"
	done
}
