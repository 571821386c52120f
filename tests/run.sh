#!/bin/sh
# Runs every test: the C unit tests, then the bats suites once with the
# plain build and once with the sanitized build. Everything runs inside
# private IPC and mount namespaces with their own /dev/shm and mqueue
# mounts, so the machine's own objects are never seen or touched.
# Ends with the line "N passed, N failed".
# Given bats files as arguments, runs only those suites (both builds).
set -u
cd "$(dirname "$0")/.."
top=$(pwd)

if [ -z "${IPCX_IN_NS:-}" ]; then
	export IPCX_IN_NS=1
	if [ "$(id -u)" -eq 0 ]; then
		exec unshare --ipc --mount --propagation private sh "$0" "$@"
	fi
	# not root: a user namespace makes us root over the new namespaces only
	export IPCX_TEST_UNPRIVILEGED=1
	exec unshare --map-root-user --ipc --mount --propagation private sh "$0" "$@"
fi

mount -t tmpfs -o mode=1777 ipcx-test-shm /dev/shm || { echo "cannot mount a private /dev/shm"; exit 1; }
mq=$(mktemp -d /tmp/ipcx-test-mq.XXXXXX)
mount -t mqueue ipcx-test-mq "$mq" || { echo "cannot mount a private mqueue"; exit 1; }
export IPCX_TEST_MQ="$mq"
trap 'umount "$mq" 2>/dev/null; rmdir "$mq" 2>/dev/null' EXIT

passed=0
failed=0
skipped=0

count_tap() {
	# reads TAP, echoes it, and adds up its results
	while IFS= read -r line; do
		printf '%s\n' "$line"
		case "$line" in
		"not ok "*) failed=$((failed + 1)) ;;
		"ok "*"# skip"*|"ok "*"# SKIP"*) skipped=$((skipped + 1)) ;;
		"ok "*) passed=$((passed + 1)) ;;
		esac
	done
}

tapfile=$(mktemp /tmp/ipcx-tap.XXXXXX)

suites="tests/*.bats"
units="build/unit/*"
if [ $# -gt 0 ]; then
	suites="$*"
	units=""
fi

echo "# unit tests"
for u in $units; do
	[ -x "$u" ] || continue
	"$u" >"$tapfile" 2>&1 || echo "not ok - $u exited $?" >>"$tapfile"
	count_tap <"$tapfile"
done

for build in ipcx ipcx-san; do
	echo "# bats suites with ./$build"
	IPCX="$top/$build" bats --tap $suites >"$tapfile" 2>&1
	count_tap <"$tapfile"
done
rm -f "$tapfile"

if [ "$skipped" -gt 0 ]; then
	echo "$passed passed, $failed failed, $skipped skipped"
else
	echo "$passed passed, $failed failed"
fi
[ "$failed" -eq 0 ]
