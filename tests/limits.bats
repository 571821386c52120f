#!/usr/bin/env bats
# ipcx limits: each limit against the file the kernel keeps it in, USED
# against the objects mkipc made, USE% against USED and LIMIT.

load test_helper

setup() {
	clean_ipc
}

# The rows as "RESOURCE LIMIT USED USE% SOURCE", one a line.
limits_rows() {
	"$IPCX" limits -r -n -o RESOURCE,LIMIT,USED,USE%,SOURCE "$@"
}

# The value the kernel gives for a limit that lives in a file.
kernel_value() {
	case $1 in
	semmsl) awk '{ print $1 }' /proc/sys/kernel/sem ;;
	semmns) awk '{ print $2 }' /proc/sys/kernel/sem ;;
	semopm) awk '{ print $3 }' /proc/sys/kernel/sem ;;
	semmni) awk '{ print $4 }' /proc/sys/kernel/sem ;;
	queues_max | msg_max | msgsize_max | msg_default | msgsize_default) cat "/proc/sys/fs/mqueue/$1" ;;
	*) cat "/proc/sys/kernel/$1" ;;
	esac
}

@test "every LIMIT read from a file is the kernel's value, and names its file" {
	local n=0 res limit used pct src
	while read -r res limit used pct src; do
		case $src in
		/proc/sys/*)
			assert_equal "$limit" "$(kernel_value "$res")"
			case $res in
			sem*) assert_equal "$src" /proc/sys/kernel/sem ;;
			queues_max | msg_max | msgsize_max | msg_default | msgsize_default)
				assert_equal "$src" "/proc/sys/fs/mqueue/$res" ;;
			*) assert_equal "$src" "/proc/sys/kernel/$res" ;;
			esac
			n=$((n + 1))
			;;
		esac
	done < <(limits_rows)
	# the System V and POSIX limits of proc(5) and mq_overview(7)
	assert_equal "$n" 15
}

@test "LIMIT follows a change of the namespace's sysctls" {
	# a fresh IPC namespace has sysctls of its own, so nothing else sees these
	run --separate-stderr unshare --ipc sh -c '
		# a sysctl file read a byte at a time (as read does) ends after one
		set -- $(cat /proc/sys/kernel/sem)
		echo $(($4 - 11)) >/proc/sys/kernel/msgmni &&
		echo "$1 $2 $(($3 - 1)) $(($4 - 11))" >/proc/sys/kernel/sem &&
		echo $(($(cat /proc/sys/fs/mqueue/msg_max) + 3)) >/proc/sys/fs/mqueue/msg_max || exit 77
		for f in kernel/msgmni kernel/sem fs/mqueue/msg_max; do echo "$f $(cat /proc/sys/$f)"; done
		exec "$0" limits -r -n -o RESOURCE,LIMIT' "$IPCX"
	[ "$status" -ne 77 ] || skip "the sysctls of a new IPC namespace are read-only here: $stderr"
	assert_success
	local msgmni sem msg_max
	msgmni=$(sed -n 's|^kernel/msgmni ||p' <<<"$output")
	read -ra sem <<<"$(sed -n 's|^kernel/sem ||p' <<<"$output")"
	msg_max=$(sed -n 's|^fs/mqueue/msg_max ||p' <<<"$output")
	# the values differ from the ones of this namespace, so a stale read shows
	[ "$msgmni" != "$(cat /proc/sys/kernel/msgmni)" ]
	[ "$msg_max" != "$(cat /proc/sys/fs/mqueue/msg_max)" ]
	assert_line "msgmni $msgmni"
	assert_line "semopm ${sem[2]}"
	assert_line "semmni ${sem[3]}"
	assert_line "msg_max $msg_max"
}

@test "USED counts, sums and maxima match the objects made" {
	mk shm size=5000 shm size=8192 shm size=100 msg msgs=3 msgsize=40 msg msgs=1 msgsize=7 \
		sem nsems=3 sem nsems=5 pmsg name=a maxmsg=3 msgsize=100 pmsg name=b maxmsg=7 msgsize=300 msgs=2
	local page
	page=$(getconf PAGESIZE)
	local -A want
	want[shmmni]=$(sysv_count shm)
	want[shmmax]=$(awk 'NR > 1 && $4 > m { m = $4 } END { print m }' /proc/sysvipc/shm)
	want[shmall]=$(awk -v p="$page" 'NR > 1 { s += int(($4 + p - 1) / p) } END { print s }' /proc/sysvipc/shm)
	want[msgmni]=$(sysv_count msg)
	want[msgmnb]=$(for id in $(awk 'NR > 1 { print $2 }' /proc/sysvipc/msg); do sysv msg "$id" cbytes; done | sort -n | tail -n 1)
	want[semmni]=$(sysv_count sem)
	want[semmns]=$(for id in $(awk 'NR > 1 { print $2 }' /proc/sysvipc/sem); do sysv sem "$id" nsems; done | awk '{ s += $1 } END { print s }')
	want[semmsl]=$(for id in $(awk 'NR > 1 { print $2 }' /proc/sysvipc/sem); do sysv sem "$id" nsems; done | sort -n | tail -n 1)
	want[queues_max]=$(find "$IPCX_TEST_MQ" -type f | wc -l)
	want[msg_max]=$(for l in "${MK[@]}"; do [[ $l == pmsg* ]] && field "$l" maxmsg; done | sort -n | tail -n 1)
	want[msgsize_max]=$(for l in "${MK[@]}"; do [[ $l == pmsg* ]] && field "$l" msgsize; done | sort -n | tail -n 1)
	# what was made, seen from this side as well
	assert_equal "${want[shmmni]} ${want[shmmax]} ${want[shmall]}" "3 8192 $(((5000 + page - 1) / page + 8192 / page + 1))"
	assert_equal "${want[msgmnb]} ${want[semmns]} ${want[semmsl]}" "120 8 5"
	assert_equal "${want[queues_max]} ${want[msg_max]} ${want[msgsize_max]}" "2 7 300"
	local res limit used pct src n=0
	while read -r res limit used pct src; do
		if [ -n "${want[$res]-}" ]; then
			assert_equal "$res $used" "$res ${want[$res]}"
			n=$((n + 1))
		fi
	done < <(limits_rows)
	assert_equal "$n" "${#want[@]}"
}

@test "limits without a count have no USED and no USE%" {
	mk shm msg sem pmsg name=q
	local res limit used pct src
	local -A none=([msgmax]=1 [shmmin]=1 [semopm]=1 [semvmx]=1 [msg_default]=1 [msgsize_default]=1)
	while read -r res limit used pct src; do
		if [ -n "${none[$res]-}" ]; then
			assert_equal "$res $used $pct" "$res - -"
			unset "none[$res]"
		else
			[[ $used =~ ^[0-9]+$ ]] || fail "$res: USED '$used'"
		fi
	done < <(limits_rows)
	assert_equal "${!none[*]}" ""
}

@test "USE% is USED as a percentage of LIMIT, to two decimals" {
	mk shm size=4096 sem nsems=100 msg msgs=2 msgsize=1000 pmsg name=q maxmsg=5 msgsize=1024
	local res limit used pct src n=0
	while read -r res limit used pct src; do
		[ "$used" != - ] || continue
		assert_equal "$res $pct" "$res $(awk -v u="$used" -v l="$limit" 'BEGIN { printf "%.2f", 100 * u / l }')"
		n=$((n + 1))
	done < <(limits_rows)
	[ "$n" -ge 10 ]
	# a limit that is nearly reached reads so
	table_row RESOURCE msg_max limits
	assert_equal "${R[USE%]}" "$(awk -v l="${R[LIMIT]}" 'BEGIN { printf "%.2f", 500 / l }')"
}

@test "shm_fs is the size and use of the /dev/shm file system" {
	mk pshm name=big size=300000 fill=200000 psem name=s
	local blocks bsize free
	read -r blocks bsize free < <(stat -f -c '%b %S %f' /dev/shm)
	table_row RESOURCE shm_fs limits -o RESOURCE,LIMIT,USED,SOURCE
	assert_equal "${R[LIMIT]}" $((blocks * bsize))
	assert_equal "${R[USED]}" $(((blocks - free) * bsize))
	[ "${R[USED]}" -ge 200000 ]
	assert_equal "${R[SOURCE]}" 'statvfs(/dev/shm)'
}

@test "the kernel constants: no segment below shmmin, no value above semvmx" {
	local shmmin semvmx
	table_row RESOURCE shmmin limits -o RESOURCE,LIMIT,SOURCE
	shmmin=${R[LIMIT]}
	assert_equal "${R[SOURCE]}" 'kernel\x20constant'
	table_row RESOURCE semvmx limits -o RESOURCE,LIMIT,SOURCE
	semvmx=${R[LIMIT]}
	assert_equal "${R[SOURCE]}" 'kernel\x20constant'
	# the kernel takes the limits and refuses one past them
	mk shm size="$shmmin" sem values="$semvmx"
	run "$HELPERS/mkipc" shm size=$((shmmin - 1))
	assert_failure
	assert_output --partial "shmget: Invalid argument"
	run "$HELPERS/mkipc" sem values=$((semvmx + 1))
	assert_failure
	assert_output --partial "semctl SETALL: Numerical result out of range"
}

@test "-J: typed values, null where there is no use" {
	mk shm msg sem
	run ipcx limits -J --output-all
	assert_success
	assert_json
	assert_equal "$(jq -r '.limits | map(.limit | type) | unique | join(",")' <<<"$output")" number
	assert_equal "$(jq -r '.limits[] | select(.resource == "shmmni") | [.used, .limit] | map(type) | join(",")' <<<"$output")" number,number
	assert_equal "$(jq -c '.limits[] | select(.resource == "semvmx") | [.used, ."use%"]' <<<"$output")" '[null,null]'
	assert_equal "$(jq '.limits[] | select(.resource == "msgmni") | .used' <<<"$output")" "$(sysv_count msg)"
	assert_equal "$(jq '.limits[] | select(.resource == "msgmni") | .limit' <<<"$output")" "$(cat /proc/sys/kernel/msgmni)"
	assert_equal "$(jq -r '.limits[] | select(.resource == "shmmni") | ."use%" | type' <<<"$output")" number
	assert_equal "$(jq '.limits | length' <<<"$output")" "$(limits_rows | wc -l)"
}

@test "limits: columns, sorting and usage errors" {
	run ipcx limits --list-columns
	assert_success
	assert_line --index 0 "limits:"
	assert_equal "$(awk 'NR > 1 && !/^ [* ] [A-Z%]+ +[^ ].*[a-z]/' <<<"$output")" ""
	local cols
	cols=$(awk 'NR > 1 { print (substr($0, 2, 1) == "*" ? $2 : $1) }' <<<"$output")
	run ipcx limits --output-all -r
	assert_equal "$(head -n 1 <<<"$output" | tr ' ' '\n')" "$cols"
	# SOURCE is not shown unless asked for
	run ipcx limits -r
	refute_line --index 0 --regexp ' SOURCE( |$)'
	run ipcx limits -r -o +SOURCE
	assert_line --index 0 --regexp ' SOURCE$'
	run ipcx limits -r -n -o LIMIT -s LIMIT
	assert_success
	assert_equal "$output" "$(limits_rows | awk '{ print $2 }' | sort -n)"
	run ipcx limits -r -n -o RESOURCE -s resource
	assert_equal "$output" "$(limits_rows | awk '{ print $1 }' | LC_ALL=C sort)"
	run ipcx limits -s NOPE
	assert_equal "$status" 2
	assert_output --partial "'NOPE'"
	run ipcx limits extra
	assert_equal "$status" 2
	assert_output --partial "unexpected argument 'extra'"
	run ipcx limits -o RESOURCE,NOPE
	assert_equal "$status" 2
}

@test "without an mqueue mount the POSIX queue counts are absent, said once" {
	mk pmsg name=q maxmsg=5 shm
	run --separate-stderr unshare --mount --propagation private sh -c '
		grep " - mqueue " /proc/self/mountinfo | cut -d" " -f5 | sort -r |
			while read -r m; do umount "$m" || exit 77; done
		grep -q " - mqueue " /proc/self/mountinfo && exit 77
		exec "$0" limits -r -n -o RESOURCE,LIMIT,USED' "$IPCX"
	[ "$status" -ne 77 ] || skip "an mqueue mount inherited from the host cannot be unmounted here"
	assert_success
	assert_equal "$(grep -c mqueue <<<"$stderr")" 1
	assert_line "queues_max $(cat /proc/sys/fs/mqueue/queues_max) -"
	assert_line "msg_max $(cat /proc/sys/fs/mqueue/msg_max) -"
	assert_line "shmmni $(cat /proc/sys/kernel/shmmni) 1"
	# with the mount there, the queue counts
	table_row RESOURCE queues_max limits
	assert_equal "${R[USED]}" 1
}

@test "as another user, a maximum over unreadable queues is '?' and explained" {
	require_real_root
	mk pmsg name=mine mode=600 maxmsg=9 pmsg name=open mode=644 maxmsg=2
	run --separate-stderr setpriv --reuid=65534 --regid=65534 --clear-groups "$IPCX" limits -r -n -o RESOURCE,USED,USE%
	assert_success
	# both queues are counted; the largest MAXMSG cannot be known
	assert_line "queues_max 2 $(awk 'BEGIN { printf "%.2f", 200 / '"$(cat /proc/sys/fs/mqueue/queues_max)"' }')"
	assert_line "msg_max ? ?"
	assert_line "msgsize_max ? ?"
	assert_equal "$stderr" "ipcx: limits: pmsg: 1 object with fields shown as '?': Permission denied"
	# root reads them all
	table_row RESOURCE msg_max limits
	assert_equal "${R[USED]}" 9
}
