# Shared set-up of the bats suites: bats-assert, the binary under test, and
# guards that every test runs inside the private namespaces of tests/run.sh.
load '/usr/lib/bats/bats-support/load.bash'
load '/usr/lib/bats/bats-assert/load.bash'

TOP="$(cd "$BATS_TEST_DIRNAME/.." && pwd)"
IPCX="${IPCX:-$TOP/ipcx}"
HELPERS="$TOP/build/helpers"

if [ -z "${IPCX_IN_NS:-}" ]; then
	echo "run the suites through tests/run.sh (make check): they need private namespaces" >&2
	exit 1
fi

# ipcx as the tests call it
ipcx() { "$IPCX" "$@"; }

# Removes every object of the private namespace between tests.
clean_ipc() {
	local id
	for id in $(awk 'NR>1 {print $2}' /proc/sysvipc/shm); do ipcrm -m "$id" 2>/dev/null; done
	for id in $(awk 'NR>1 {print $2}' /proc/sysvipc/msg); do ipcrm -q "$id" 2>/dev/null; done
	for id in $(awk 'NR>1 {print $2}' /proc/sysvipc/sem); do ipcrm -s "$id" 2>/dev/null; done
	find /dev/shm -mindepth 1 -delete 2>/dev/null
	[ -n "${IPCX_TEST_MQ:-}" ] && find "$IPCX_TEST_MQ" -mindepth 1 -delete 2>/dev/null
	return 0
}

# Skips, saying why, when the suite runs without real root.
require_real_root() {
	if [ -n "${IPCX_TEST_UNPRIVILEGED:-}" ]; then
		skip "needs real root to switch to another user (running in a user namespace)"
	fi
}
