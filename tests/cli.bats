#!/usr/bin/env bats
# The dispatcher: help, version, unknown commands and usage errors.

load test_helper

@test "--version prints the version" {
	run ipcx --version
	assert_success
	assert_output --regexp '^ipcx [0-9]+\.[0-9]+\.[0-9]+$'
}

@test "--help lists every command of the table" {
	run ipcx --help
	assert_success
	for c in $("$IPCX" __complete commands); do
		assert_line --regexp "^  $c "
	done
}

@test "help CMD and CMD --help print the same text" {
	run ipcx help ls
	assert_success
	local a="$output"
	run ipcx ls --help
	assert_success
	assert_equal "$output" "$a"
	assert_line --partial 'Usage: ipcx ls'
}

@test "an unknown command suggests the closest name and exits 2" {
	run ipcx lss
	assert_equal "$status" 2
	assert_output "ipcx: unknown command 'lss': did you mean 'ls'?"
}

@test "a far-off command gets no suggestion" {
	run ipcx frobnicate
	assert_equal "$status" 2
	assert_output "ipcx: unknown command 'frobnicate': see 'ipcx --help'"
}

@test "an unknown kind is a usage error naming it" {
	run ipcx ls shmx
	assert_equal "$status" 2
	assert_output --partial "ipcx: ls: unknown kind 'shmx': expected one of shm, msg, sem, pshm, pmsg, psem"
}

@test "no command prints usage on stderr and exits 2" {
	run ipcx
	assert_equal "$status" 2
	assert_output --partial 'Usage: ipcx'
}
