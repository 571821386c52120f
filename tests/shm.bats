#!/usr/bin/env bats
# ipcx shm: reading and writing System V segments and POSIX shared memory.
# Bytes are compared with cmp against what another process reads
# (tests/helpers/attach dump, the file itself), hexdumps with xxd, sizes
# with /proc/sysvipc/shm and stat.

load test_helper
load state_helper

setup() {
	clean_ipc
}

teardown() {
	stop_all
}

# mkseg SIZE: a System V segment; sets ID and KEY.
mkseg() {
	local out
	out=$("$IPCX" mk shm --size "$1") || return 1
	read -r ID KEY <<<"$out"
}

@test "shm: bytes written are read back and seen by another process" {
	local in="$BATS_TEST_TMPDIR/in"
	head -c 4096 /dev/urandom >"$in"
	mkseg 4096
	run ipcx shm shm "$ID" write <"$in"
	assert_success
	assert_output ""
	"$ATTACH" dump "$ID" | cmp - "$in"
	ipcx shm shm "$ID" read | cmp - "$in"
	ipcx shm shm "$KEY" read | cmp - "$in"
}

@test "shm: --offset places the bytes; read --offset and --length give them back" {
	mkseg 2K
	printf HELLO | ipcx shm shm "$ID" write --offset 1K
	cmp <("$ATTACH" dump "$ID") <(head -c 1024 /dev/zero; printf HELLO; head -c $((2048 - 1029)) /dev/zero)
	run ipcx shm shm "$ID" read --offset 1024 --length 5
	assert_output HELLO
	# a length past the end stops at the end; at the end there is nothing
	printf END | ipcx shm shm "$ID" write --offset 2045
	run ipcx shm shm "$ID" read --offset 2045 --length 100
	assert_output END
	run ipcx shm shm "$ID" read --offset 2K
	assert_success
	assert_output ""
	run --separate-stderr ipcx shm shm "$ID" read --offset 2049
	assert_failure 1
	assert_output ""
	assert_equal "$stderr" "ipcx: shm: shm $ID (key $KEY): offset 2049 is past its end (2048 bytes)"
}

@test "--hex prints what xxd prints" {
	command -v xxd >/dev/null || skip "xxd is not installed (Debian package xxd)"
	local in="$BATS_TEST_TMPDIR/in"
	# every byte value, and a tail that is not a whole line
	printf '%02x' $(seq 0 255) | xxd -r -p >"$in"
	head -c 37 /dev/urandom >>"$in"
	mkseg 293
	ipcx shm shm "$ID" write <"$in"
	run ipcx shm shm "$ID" read --hex
	assert_success
	assert_equal "$output" "$(xxd "$in")"
	run ipcx shm shm "$ID" read --hex --offset 3 --length 40
	assert_equal "$output" "$(xxd -s 3 -l 40 "$in")"
	run ipcx shm shm "$ID" read --hex --offset 250
	assert_equal "$output" "$(xxd -s 250 "$in")"
	ipcx mk pshm p --size 293 >/dev/null
	ipcx shm pshm p write <"$in"
	run ipcx shm pshm p read --hex --length 17
	assert_equal "$output" "$(xxd -l 17 /dev/shm/p)"
}

@test "shm: a segment never grows: a write past its end fails and changes nothing" {
	local in="$BATS_TEST_TMPDIR/in"
	head -c 100 /dev/urandom >"$in"
	mkseg 100
	ipcx shm shm "$ID" write <"$in"
	run --separate-stderr ipcx shm shm "$ID" write < <(head -c 101 /dev/zero)
	assert_failure 1
	assert_equal "$stderr" "ipcx: shm: shm $ID (key $KEY): 101 bytes at offset 0 pass its end (100 bytes); a System V segment never grows"
	run --separate-stderr ipcx shm shm "$ID" write --offset 98 <<<"abc"
	assert_failure 1
	assert_equal "$stderr" "ipcx: shm: shm $ID (key $KEY): 4 bytes at offset 98 pass its end (100 bytes); a System V segment never grows"
	bad_usage shm shm "$ID" write --resize <<<"abc"
	assert_equal "$stderr" "ipcx: shm: a shm object cannot grow: System V segments keep their size"
	assert_equal "$(kf shm "$ID" size)" 100
	"$ATTACH" dump "$ID" | cmp - "$in"
}

@test "an offset so large that offset + length wraps is refused, not written" {
	local huge=18446744073709551615
	mkseg 4096
	printf 'x' | ipcx shm shm "$ID" write --offset 8
	run --separate-stderr ipcx shm shm "$ID" write --offset "$huge" <<<"abc"
	assert_failure 1
	assert_equal "$stderr" "ipcx: shm: shm $ID (key $KEY): 4 bytes at offset $huge pass its end (4096 bytes); a System V segment never grows"
	cmp <("$ATTACH" dump "$ID") <(head -c 8 /dev/zero; printf x; head -c 4087 /dev/zero)
	ipcx mk pshm p --size 16 >/dev/null
	snapshot
	run --separate-stderr ipcx shm pshm p write --resize --offset "$huge" <<<"abc"
	assert_failure 1
	assert_equal "$stderr" "ipcx: shm: pshm /p: 4 bytes at offset $huge pass its end (16 bytes); nothing can grow that large"
	unchanged
}

@test "pshm: a write past the end needs --resize, which grows the file" {
	ipcx mk pshm p --size 10 >/dev/null
	snapshot
	run --separate-stderr ipcx shm pshm p write < <(printf 0123456789ABCDEF)
	assert_failure 1
	assert_equal "$stderr" "ipcx: shm: pshm /p: 16 bytes at offset 0 pass its end (10 bytes); --resize grows it"
	unchanged
	run ipcx shm pshm p write --resize --offset 4 < <(printf 0123456789ABCDEF)
	assert_success
	assert_equal "$(stat -c %s /dev/shm/p)" 20
	cmp /dev/shm/p <(head -c 4 /dev/zero; printf 0123456789ABCDEF)
	# a write that fits leaves the size alone, with --resize too
	printf ab | ipcx shm pshm p write --resize
	assert_equal "$(stat -c %s /dev/shm/p)" 20
	cmp /dev/shm/p <(printf ab; head -c 2 /dev/zero; printf 0123456789ABCDEF)
	ipcx shm pshm /p read | cmp - /dev/shm/p
}

@test "pshm: an empty object reads as nothing and grows from nothing" {
	: >/dev/shm/empty
	run ipcx shm pshm empty read
	assert_success
	assert_output ""
	run ipcx shm pshm empty read --hex
	assert_success
	assert_output ""
	run ipcx shm pshm empty write </dev/null
	assert_success
	bad_runtime shm pshm empty read --offset 1
	assert_equal "$stderr" "ipcx: shm: pshm /empty: offset 1 is past its end (0 bytes)"
	printf xy | ipcx shm pshm empty write --resize
	assert_equal "$(cat /dev/shm/empty)" xy
}

@test "an id, key or name that does not exist is a runtime error" {
	mkseg 1
	bad_runtime shm shm $((ID + 1)) read
	assert_equal "$stderr" "ipcx: shm: shm '$((ID + 1))': no such id"
	bad_runtime shm shm 0x4242 write </dev/null
	assert_equal "$stderr" "ipcx: shm: shm '0x4242': no such key"
	bad_runtime shm pshm nosuch read
	assert_equal "$stderr" "ipcx: shm: pshm 'nosuch': no such name"
}

@test "permission denied is a runtime error that changes nothing" {
	require_real_root
	local out="$BATS_TEST_TMPDIR/out"
	mkseg 64
	printf secret | ipcx shm shm "$ID" write
	ipcx mk pshm p --size 64 --mode 600 >/dev/null
	printf secret | ipcx shm pshm p write
	snapshot
	run --separate-stderr $NOBODY "$IPCX" shm shm "$ID" read
	assert_equal "$status" 1
	assert_equal "$output" ""
	assert_equal "$stderr" "ipcx: shm: shm $ID (key $KEY): cannot read it: Permission denied"
	run --separate-stderr $NOBODY "$IPCX" shm shm "$ID" write <<<"x"
	assert_equal "$status" 1
	assert_equal "$stderr" "ipcx: shm: shm $ID (key $KEY): cannot map it: Permission denied"
	run --separate-stderr $NOBODY "$IPCX" shm pshm p read
	assert_equal "$status" 1
	assert_equal "$stderr" "ipcx: shm: pshm /p: cannot read it: Permission denied"
	run --separate-stderr $NOBODY "$IPCX" shm pshm p write <<<"x"
	assert_equal "$status" 1
	assert_equal "$stderr" "ipcx: shm: pshm /p: cannot map it: Permission denied"
	unchanged
}

@test "bad input: kinds, operations, offsets, lengths and options" {
	mkseg 64
	ipcx mk pshm p --size 64 >/dev/null
	bad_usage shm shmx "$ID" read
	assert_regex "$stderr" "^ipcx: shm: unknown kind 'shmx': expected one of shm, msg"
	bad_usage shm msg 0 read
	assert_equal "$stderr" "ipcx: shm: msg objects are not shared memory: shm takes shm or pshm"
	bad_usage shm shm "$ID" peek
	assert_equal "$stderr" "ipcx: shm: unknown operation 'peek': expected read or write"
	bad_usage shm shm "$ID"
	assert_equal "$stderr" "ipcx: shm: expected KIND, ID|KEY|NAME and read or write"
	bad_usage shm shm "$ID" read --offset x
	assert_equal "$stderr" "ipcx: shm: invalid --offset 'x': not a size"
	bad_usage shm shm "$ID" read --offset -1
	assert_equal "$stderr" "ipcx: shm: invalid --offset '-1': not a size"
	bad_usage shm shm "$ID" read --length 1Q
	assert_equal "$stderr" "ipcx: shm: invalid --length '1Q': unknown unit (use K, M, G, T, KiB, MiB, KB, MB, ...)"
	bad_usage shm shm "$ID" write --hex </dev/null
	assert_equal "$stderr" "ipcx: shm: --hex and --length apply to read"
	bad_usage shm pshm p write --length 3 </dev/null
	assert_equal "$stderr" "ipcx: shm: --hex and --length apply to read"
	bad_usage shm pshm p read --resize
	assert_equal "$stderr" "ipcx: shm: --resize applies to write"
	bad_usage shm shm key:0 read
	assert_equal "$stderr" "ipcx: shm: invalid shm 'key:0': the private key 0x00000000 names no single object; use the id"
	# refused before standard input is read: what follows still gets it
	run --separate-stderr bash -c '"$1" shm shm key:x write; echo "exit $?"; cat' _ "$IPCX" <<<unread
	assert_output "exit 2
unread"
	assert_equal "$stderr" "ipcx: shm: invalid shm 'key:x': expected 0xHEX or a decimal number"
}
