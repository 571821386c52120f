#!/bin/sh
# Installs the Debian packages that building and testing ipcx need, when
# run as root; otherwise names the missing ones and the command to get them.
set -u
PKGS="gcc make pkg-config libproc2-dev libsmartcols-dev libncurses-dev \
bats bats-assert bats-support mandoc util-linux procps iproute2 tmux zsh fish \
xxd strace jq prometheus clang bpftool libbpf-dev"

missing=""
for p in $PKGS; do
	status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null)
	case "$status" in
	*" installed") ;;
	*) missing="$missing $p" ;;
	esac
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
	echo "ipcx: missing Debian packages:$missing" >&2
	echo "ipcx: install them with: sudo apt-get install$missing" >&2
	exit 1
fi
echo "ipcx: installing missing Debian packages:$missing"
export DEBIAN_FRONTEND=noninteractive
if ! apt-get install -y --no-install-recommends $missing >/tmp/ipcx-apt.log 2>&1; then
	apt-get update >/tmp/ipcx-apt.log 2>&1
	if ! apt-get install -y --no-install-recommends $missing >>/tmp/ipcx-apt.log 2>&1; then
		echo "ipcx: apt-get install failed; see /tmp/ipcx-apt.log" >&2
		tail -n 5 /tmp/ipcx-apt.log >&2
		exit 1
	fi
fi
echo "ipcx: installed:$missing"
