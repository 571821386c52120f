#!/usr/bin/env bats
# Hostile POSIX names: escape sequences, newlines, tabs, invalid UTF-8,
# C1 controls and backslashes. Tables must hold no raw control byte, JSON
# must stay valid and give back every valid UTF-8 name as it is.

load test_helper

POSIX_KINDS="pshm pmsg psem"

setup() {
	clean_ipc
	# what counts as printable depends on the locale: pin one with UTF-8
	export LC_ALL=C.UTF-8
	declare -gA NAMES=(
		[esc]=$'a\e[31mred\e[0m'
		[newline]=$'line1\nline2'
		[tab]=$'tab\there'
		[ff]=$'bad\xffbyte'
		[backslash]='back\slash'
		[backx]='back\x41'
		[c1]=$'c1\xc2\x9b31m'
		[del]=$'del\x7f'
		[utf8]='naïve 日本'
		[quote]='q"uo'\''te'
	)
}

# Makes one object of KIND for every hostile name.
make_all() {
	local kind=$1 n args=()
	for n in "${NAMES[@]}"; do
		args+=("$kind" "name=$n")
		[ "$kind" = pshm ] && args+=(size=1)
	done
	mk "${args[@]}"
	assert_equal "${#MK[@]}" "${#NAMES[@]}"
}

# Fails when $output holds a control byte other than the newlines that end
# lines, a C1 control, or is not valid UTF-8.
assert_clean() {
	local bad
	bad=$(LC_ALL=C grep -c -P '[\x00-\x09\x0b-\x1f\x7f]|\xc2[\x80-\x9f]' <<<"$output" || true)
	assert_equal "control bytes in $bad lines" "control bytes in 0 lines"
	iconv -f UTF-8 -t UTF-8 <<<"$output" >/dev/null || fail "not valid UTF-8: $(od -c <<<"$output" | head)"
}

@test "tables hold no raw control byte, C1 control or invalid UTF-8, one line an object" {
	local kind
	for kind in $POSIX_KINDS; do
		make_all "$kind"
		run --separate-stderr ipcx ls "$kind"
		assert_success
		assert_clean
		# a newline in a name does not start a row
		assert_equal "${#lines[@]}" $((${#NAMES[@]} + 1))
		# the same for every section at once
		run --separate-stderr ipcx ls
		assert_success
		assert_clean
	done
}

@test "each name reads escaped as \\xNN in a table, valid UTF-8 as it is" {
	make_all pshm
	local -A want=(
		[esc]='/a\x1b[31mred\x1b[0m'
		[newline]='/line1\x0aline2'
		[tab]='/tab\x09here'
		[ff]='/bad\xffbyte'
		[c1]='/c1\xc2\x9b31m'
		[del]='/del\x7f'
		[utf8]='/naïve 日本'
		[quote]='/q"uo'\''te'
		# a backslash that could be read as an escape is escaped itself
		[backx]='/back\x5cx41'
	)
	run --separate-stderr ipcx ls pshm -n -o NAME
	assert_success
	local k
	for k in "${!want[@]}"; do
		assert_line "${want[$k]}"
	done
	# the literal backslash-x name and the escaped byte stay apart
	refute_line '/back\x41'
}

@test "hostile and wide names keep a table aligned and whole, in UTF-8 and in C" {
	# characters two cells wide, none wide (combining, zero-width), and text
	# long enough to be the widest cell
	NAMES+=([wide]='日本語の名前' [combining]=$'e\xcc\x81x' [emoji]=$'smile\xf0\x9f\x98\x80'
		[zwsp]=$'zero\xe2\x80\x8bwidth' [long]=$(printf 'n%.0s' {1..40}))
	local loc line want k
	for loc in C.UTF-8 C; do
		export LC_ALL=$loc
		clean_ipc
		make_all pshm
		# every name whole, as the widest cell cannot be cut
		run --separate-stderr ipcx ls pshm -n -o NAME
		assert_success
		local -A whole=()
		for line in "${lines[@]}"; do
			whole[$line]=1
		done
		# SIZE is last and right-aligned: a row is as wide as the heading
		# only when the NAME before it was padded to its display width
		run --separate-stderr ipcx ls pshm -o NAME,SIZE
		assert_success
		assert_equal "${#lines[@]}" $((${#NAMES[@]} + 1))
		want=$(printf '%s' "${lines[0]}" | wc -L)
		for line in "${lines[@]}"; do
			assert_equal "$loc $(printf '%s' "$line" | wc -L): $line" "$loc $want: $line"
		done
		# alone, each name sizes its column: measured short, it would be
		# cut (NAME may be truncated) or push SIZE onto a line of its own
		for k in "${!NAMES[@]}"; do
			clean_ipc
			mk pshm name="${NAMES[$k]}" size=1
			run --separate-stderr ipcx ls pshm -o NAME,SIZE
			assert_success
			assert_equal "$loc $k: ${#lines[@]} lines" "$loc $k: 2 lines"
			assert_equal "$loc $k: $(printf '%s' "${lines[1]}" | wc -L)" \
				"$loc $k: $(printf '%s' "${lines[0]}" | wc -L)"
			line=$(sed -E 's/ +[0-9]+B$//' <<<"${lines[1]}")
			[ -n "${whole[$line]:-}" ] || fail "$loc $k: '$line' is not a whole name"
		done
	done
}

@test "-r and -e escape names as well, and keep one cell a field" {
	local kind
	for kind in $POSIX_KINDS; do
		make_all "$kind"
		run --separate-stderr ipcx ls "$kind" -r
		assert_success
		assert_clean
		assert_equal "${#lines[@]}" $((${#NAMES[@]} + 1))
		# as many fields on every line as in the header
		run awk 'NR == 1 { n = NF } NF != n { print "line " NR ": " NF " fields" }' <<<"$output"
		assert_output ""
		run --separate-stderr ipcx ls "$kind" -e -o NAME,PERMS
		assert_success
		assert_clean
		assert_equal "${#lines[@]}" "${#NAMES[@]}"
		# NAME="..." PERMS="...": no quote inside a value is left raw
		run grep -v -c -E '^NAME="([^"\\]|\\x[0-9a-f]{2}|\\[^x])*" PERMS="[-rwx]{9}"$' <<<"$output"
		assert_output 0
	done
}

@test "JSON stays valid and gives back every valid UTF-8 name" {
	require_jq
	local kind k
	for kind in $POSIX_KINDS; do
		make_all "$kind"
		run --separate-stderr ipcx ls "$kind" -J
		assert_success
		assert_json
		iconv -f UTF-8 -t UTF-8 <<<"$output" >/dev/null || fail "JSON is not valid UTF-8"
		assert_equal "$(jq ".$kind | length" <<<"$output")" "${#NAMES[@]}"
		for k in "${!NAMES[@]}"; do
			[ "$k" = ff ] && continue
			jq -e --arg n "/${NAMES[$k]}" ".$kind | map(.name) | index(\$n) != null" <<<"$output" >/dev/null ||
				fail "$kind: name '$k' does not come back from JSON"
		done
		# the byte that is not UTF-8 is written as \xff text
		jq -e ".$kind | map(.name) | index(\"/bad\\\\xffbyte\") != null" <<<"$output" >/dev/null ||
			fail "$kind: the invalid byte is not written as \\xff"
	done
}

@test "show finds a hostile name by its bytes, with or without the slash, and escapes it" {
	local kind k shown
	# every name with one kind, and the two worst with the others
	make_all pshm
	for k in esc newline ff c1 backx utf8; do
		run --separate-stderr ipcx show pshm "${NAMES[$k]}"
		assert_success
		assert_clean
		[ "$k" != ff ] || continue
		# the JSON of show gives the name back
		run --separate-stderr ipcx show -J pshm "/${NAMES[$k]}"
		assert_json
		assert_equal "$(jq -r ".pshm[0].name" <<<"$output" | od -c)" "$(printf '/%s\n' "${NAMES[$k]}" | od -c)"
	done
	for kind in pmsg psem; do
		make_all "$kind"
		for k in newline ff; do
			run --separate-stderr ipcx show "$kind" "${NAMES[$k]}"
			assert_success
			assert_clean
			shown=$(sed -n 's/^NAME: *//p' <<<"$output")
			run --separate-stderr ipcx show "$kind" "/${NAMES[$k]}"
			assert_success
			assert_equal "$(sed -n 's/^NAME: *//p' <<<"$output")" "$shown"
		done
	done
	assert_equal "$shown" '/bad\xffbyte'
	# show escapes every backslash, so no name can pass for another
	run --separate-stderr ipcx show psem "${NAMES[backslash]}"
	assert_equal "$(sed -n 's/^NAME: *//p' <<<"$output")" '/back\x5cslash'
	run --separate-stderr ipcx show psem "${NAMES[newline]}"
	assert_equal "$(sed -n 's/^NAME: *//p' <<<"$output")" '/line1\x0aline2'
	run --separate-stderr ipcx show psem "${NAMES[c1]}"
	assert_equal "$(sed -n 's/^NAME: *//p' <<<"$output")" '/c1\xc2\x9b31m'
}

@test "a missing hostile name is named, escaped, on one line" {
	make_all pshm
	run --separate-stderr ipcx show pshm $'line1\nline3\e[2J'
	assert_equal "$status" 1
	assert_equal "${#stderr_lines[@]}" 1
	assert_equal "$stderr" "ipcx: show: pshm 'line1\\x0aline3\\x1b[2J': no such name"
	run --separate-stderr ipcx show pmsg $'\xfe\xff'
	assert_equal "$status" 1
	assert_equal "$stderr" "ipcx: show: pmsg '\\xfe\\xff': no such name"
}

@test "--name globs match hostile names byte for byte" {
	make_all pshm
	run --separate-stderr ipcx ls pshm --name 'line1*' -n -o NAME
	assert_success
	assert_output '/line1\x0aline2'
	run --separate-stderr ipcx ls pshm --name $'*\e*' -n -o NAME
	assert_output '/a\x1b[31mred\x1b[0m'
	run --separate-stderr ipcx ls pshm --name $'/*\xff*' -n -o NAME
	assert_output '/bad\xffbyte'
	run --separate-stderr ipcx ls pshm --name 'back\\*' -n -o NAME -s NAME
	assert_output '/back\slash
/back\x5cx41'
}

@test "the longest names keep their slash in tables, JSON and show" {
	local long kind
	long=$(printf 'n%.0s' {1..255})
	# a semaphore's file name has "sem." before the name
	mk pshm name="$long" size=1 pmsg name="$long" psem name="${long:4}"
	for kind in $POSIX_KINDS; do
		[ "$kind" != psem ] || long=${long:4}
		run --separate-stderr ipcx ls "$kind" -n -r -o NAME
		assert_success
		assert_output "/$long"
		run --separate-stderr ipcx ls "$kind" -J -o NAME
		assert_equal "$(jq -r ".$kind[0].name" <<<"$output")" "/$long"
		run --separate-stderr ipcx show "$kind" "$long"
		assert_success
		assert_equal "$(sed -n 's/^NAME: *//p' <<<"$output")" "/$long"
	done
	# one byte more is refused, so these are the longest
	run "$HELPERS/mkipc" psem name="${long}n"
	assert_failure
}

@test "a file of /dev/shm is a semaphore only when it is named sem.*" {
	mk psem name=x pshm name=semaphore pshm name=sem
	[ -e /dev/shm/sem.x ]
	run --separate-stderr ipcx ls pshm -n -r -o NAME -s NAME
	assert_output "/sem
/semaphore"
	run --separate-stderr ipcx ls psem -n -r -o NAME
	assert_output /x
}
