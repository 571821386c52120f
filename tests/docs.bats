#!/usr/bin/env bats
# Man pages and shell completions, checked against the program's own
# tables (ipcx __complete ..., CMD --help, CMD --list-columns), and the
# install and uninstall targets that put them in place.

load test_helper

MAN="$TOP/man"
COMP="$TOP/completions"

setup() {
	# the completions run "ipcx" from PATH: make it the binary under test
	BIN="$BATS_TEST_TMPDIR/bin"
	mkdir -p "$BIN"
	ln -sf "$IPCX" "$BIN/ipcx"
	clean_ipc
}

# The page as a reader sees it, plain text.
render() {
	command -v mandoc >/dev/null || { echo "mandoc is not installed (tools/deps.sh installs it)" >&2; return 1; }
	# wide, so that no line breaks inside a phrase (or after a hyphen)
	mandoc -T utf8 -O width=1000 "$1" 2>/dev/null | col -bx
}

# The page on one line, runs of white space made one space, so that a
# phrase can be found whatever the line breaks.
flat() {
	render "$1" | tr -s '[:space:]' ' '
}

# One section of a rendered page: from its heading to the next one.
section() {
	render "$1" | awk -v s="$2" '$0 == s { on = 1; next } /^[A-Z]/ { on = 0 } on'
}

# Whether a rendered page holds an option as a whole word.
has_option() {
	grep -qE -- "(^|[^[:alnum:]-])$2([^[:alnum:]-]|\$)" <<<"$1"
}

commands() { "$IPCX" __complete commands; }
kinds() { "$IPCX" __complete kinds; }

# --list-columns lines of a command: "NAME<TAB>description<TAB>*" where
# the last field marks a default column.
list_columns() {
	"$IPCX" "$@" --list-columns | awk '
		/^[^ ]/ { next }
		{
			def = substr($0, 2, 1) == "*"
			line = substr($0, 4)
			name = line; sub(/ .*/, "", name)
			desc = line; sub(/^[^ ]+ +/, "", desc)
			printf "%s\t%s\t%s\n", name, desc, def ? "*" : ""
		}'
}

# The bash completion of a command line given as words, the last being
# the one completed; one candidate a line.
bash_complete() {
	PATH="$BIN:$PATH" bash --norc --noprofile -c '
		source "$1" || exit 1
		shift
		COMP_WORDS=("$@")
		COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
		COMP_LINE="$*"
		COMP_POINT=${#COMP_LINE}
		_ipcx || exit 1
		printf "%s\n" "${COMPREPLY[@]}"' bash "$COMP/ipcx.bash" "$@"
}

# fish's completions of a command line, candidates only.
fish_complete() {
	PATH="$BIN:$PATH" fish --no-config -c \
		'source $argv[1]; complete -C $argv[2]' "$COMP/ipcx.fish" "$1" | cut -f1
}

# What the zsh completion would offer, from its analysis function:
# the first line is the context, then one candidate a line.
zsh_analyse() {
	PATH="$BIN:$PATH" zsh -f -c '
		source $1 || exit 1
		shift
		typeset -A _ipcx_argopt _ipcx_short _ipcx_optdesc
		words=("$@")
		CURRENT=$#words
		__ipcx_analyse || exit 1
		print -r -- "ctx=$_ipcx_ctx head=$_ipcx_head"
		print -rl -- $_ipcx_cands' zsh "$COMP/_ipcx" "$@"
}

require_zsh() {
	command -v zsh >/dev/null || skip "zsh is not installed (tools/deps.sh installs it)"
}

require_fish() {
	command -v fish >/dev/null || skip "fish is not installed (tools/deps.sh installs it)"
}

# Fails listing the lines of $1, if any, under the message $2.
refute_any() {
	if [ -n "$1" ]; then
		printf '%s:\n%s\n' "$2" "$1" >&2
		return 1
	fi
}

sorted() { printf '%s\n' "$@" | sed '/^$/d' | sort; }

# --- man pages ----------------------------------------------------------

@test "the overview and the pages of ls, show and limits exist" {
	for p in ipcx ipcx-ls ipcx-show ipcx-limits; do
		assert [ -f "$MAN/$p.1" ]
	done
}

@test "mandoc -T lint -W warning is clean for every man page" {
	command -v mandoc >/dev/null || skip "mandoc is not installed (tools/deps.sh installs it)"
	local p n=0
	for p in "$MAN"/*.1; do
		run mandoc -T lint -W warning "$p"
		assert_success
		assert_output ''
		n=$((n + 1))
	done
	assert [ "$n" -ge 4 ]
}

@test "every command has a man page listed in the SEE ALSO of ipcx(1)" {
	local c missing="" seealso
	seealso=$(section "$MAN/ipcx.1" "SEE ALSO" | tr -s '[:space:]' ' ')
	for c in $(commands); do
		[ -f "$MAN/ipcx-$c.1" ] || missing+="man/ipcx-$c.1 does not exist"$'\n'
		[[ $seealso == *"ipcx-$c(1)"* ]] || missing+="ipcx(1) SEE ALSO lacks ipcx-$c(1)"$'\n'
	done
	refute_any "$missing" "commands without their man page"
}

@test "ipcx(1) lists every command and every kind" {
	local c k missing="" page
	page=$(section "$MAN/ipcx.1" DESCRIPTION)
	for c in $(commands); do
		grep -qE "^ +$c( |$)" <<<"$page" || missing+="command $c"$'\n'
	done
	local kindsec
	kindsec=$(section "$MAN/ipcx.1" KINDS)
	for k in $(kinds); do
		grep -qE "^ +$k( |$)" <<<"$kindsec" || missing+="kind $k"$'\n'
	done
	refute_any "$missing" "missing from ipcx(1)"
}

@test "ipcx(1) documents the options of ipcx itself as --help writes them" {
	local spec page missing=""
	page=$(flat "$MAN/ipcx.1")
	for spec in --help --version; do
		[[ $page == *" $spec "* ]] || missing+="'$spec'"$'\n'
	done
	while IFS= read -r spec; do
		[[ $page == *" $spec "* ]] || missing+="'$spec'"$'\n'
	done < <("$IPCX" --help |
		sed -nE 's/^ +((-[[:alnum:]], )?--[[:alnum:]-]+( [A-Z][A-Z0-9_|.]*)?)( {2,}.*)?$/\1/p')
	refute_any "$missing" "options of ipcx --help not found in ipcx(1)"
}

@test "every long option of every command is in its man page" {
	local c o page missing=""
	for c in $(commands); do
		[ -f "$MAN/ipcx-$c.1" ] || { missing+="ipcx-$c.1: no page"$'\n'; continue; }
		page=$(render "$MAN/ipcx-$c.1")
		for o in $("$IPCX" __complete options "$c"); do
			has_option "$page" "$o" || missing+="ipcx-$c.1: $o"$'\n'
		done
	done
	refute_any "$missing" "options missing from the man pages"
}

@test "each option of a page is written as its --help writes it" {
	# "-o, --output COLS" in the help must read the same in the page
	local c spec page missing=""
	for c in $(commands); do
		[ -f "$MAN/ipcx-$c.1" ] || continue
		page=$(flat "$MAN/ipcx-$c.1")
		while IFS= read -r spec; do
			[[ $page == *" $spec "* ]] || missing+="ipcx-$c.1: '$spec'"$'\n'
		done < <("$IPCX" "$c" --help |
			sed -nE 's/^ +((-[[:alnum:]], )?--[[:alnum:]-]+( [A-Z][A-Z0-9_|.]*)?)( {2,}.*)?$/\1/p')
	done
	refute_any "$missing" "option lines of --help not found in the man pages"
}

@test "the options sections name no option the program lacks" {
	local c o opts missing=""
	for c in $(commands); do
		[ -f "$MAN/ipcx-$c.1" ] || continue
		opts=$("$IPCX" __complete options "$c")
		for o in $(section "$MAN/ipcx-$c.1" OPTIONS | grep -oE -- '--[[:alnum:]][[:alnum:]-]*' | sort -u); do
			grep -qxF -- "$o" <<<"$opts" || missing+="ipcx-$c.1: $o"$'\n'
		done
	done
	refute_any "$missing" "options documented but not in the program"
}

@test "every column of every kind is in ipcx-ls(1) with its description" {
	local page k name desc def missing=""
	page=$(flat "$MAN/ipcx-ls.1")
	for k in $(kinds); do
		while IFS=$'\t' read -r name desc def; do
			[[ $page == *" $name $desc"* ]] || missing+="$k: $name $desc"$'\n'
		done < <(list_columns ls "$k")
		# and every column the program has is listed
		for name in $("$IPCX" __complete columns "$k"); do
			[[ $page == *" $name "* ]] || missing+="$k: $name"$'\n'
		done
	done
	refute_any "$missing" "columns missing from ipcx-ls(1)"
}

@test "ipcx-ls(1) gives the default columns of each kind" {
	local page k doc want missing=""
	page=$(flat "$MAN/ipcx-ls.1")
	for k in $(kinds); do
		doc=$(grep -oE "Default columns of $k: [A-Z_%,]+" <<<"$page" | head -n 1)
		doc=${doc##*: }
		want=$(list_columns ls "$k" | awk -F '\t' '$3 == "*" { print $1 }' | sort)
		[ "$(tr , '\n' <<<"$doc" | sort)" = "$want" ] ||
			missing+="$k: page says '$doc', program marks $(echo $want)"$'\n'
	done
	refute_any "$missing" "default columns that differ"
}

@test "ipcx-limits(1) documents every column and every limit" {
	local page name desc def res missing=""
	page=$(flat "$MAN/ipcx-limits.1")
	while IFS=$'\t' read -r name desc def; do
		[[ $page == *" $name $desc"* ]] || missing+="column $name $desc"$'\n'
	done < <(list_columns limits)
	while IFS= read -r res; do
		local rname=${res%%$'\t'*} rdesc=${res#*$'\t'}
		[[ $page == *" $rname $rdesc"* ]] || missing+="limit $rname $rdesc"$'\n'
	done < <("$IPCX" limits -e -o RESOURCE,DESCRIPTION 2>/dev/null |
		sed -E 's/^RESOURCE="([^"]*)" DESCRIPTION="([^"]*)"$/\1\t\2/')
	refute_any "$missing" "missing from ipcx-limits(1)"
}

# --- bash ---------------------------------------------------------------

@test "bash: completes the commands" {
	run bash_complete ipcx ''
	assert_success
	assert_equal "$(sorted $output)" "$(sorted $(commands) help)"
	run bash_complete ipcx l
	assert_success
	assert_equal "$(sorted $output)" "$(sorted $(commands | grep '^l'))"
	run bash_complete ipcx help ''
	assert_equal "$(sorted $output)" "$(sorted $(commands))"
}

@test "bash: completes the options of ipcx itself and a PID after --ns" {
	run bash_complete ipcx -
	assert_success
	assert_line -- --help
	assert_line -- --version
	local o
	for o in $("$IPCX" --help | sed -nE 's/^ +(-[[:alnum:]], )?(--[[:alnum:]-]+).*/\2/p'); do
		assert_line -- "$o"
	done
	if "$IPCX" --help | grep -qE '^ +--ns PID'; then
		run bash_complete ipcx --ns ''
		assert_line 1
		assert_line "$$"
		run bash_complete ipcx --ns 1 l
		assert_equal "$(sorted $output)" "$(sorted $(commands | grep '^l'))"
		run bash_complete ipcx --ns 1 ls shm -o SIZE,NA
		assert_output SIZE,NATTCH
	fi
}

@test "bash: completes the kinds" {
	run bash_complete ipcx ls ''
	assert_success
	assert_equal "$(sorted $output)" "$(sorted $(kinds))"
	run bash_complete ipcx ls -J shm ''
	assert_equal "$(sorted $output)" "$(sorted $(kinds))"
	run bash_complete ipcx show ''
	assert_equal "$(sorted $output)" "$(sorted $(kinds))"
}

@test "bash: completes the options of ls, and of every command" {
	run bash_complete ipcx ls -
	assert_success
	assert_equal "$(sorted $output)" "$(sorted $("$IPCX" __complete options ls))"
	assert_line -- --output
	assert_line -- --time-format
	local c
	for c in $(commands); do
		run bash_complete ipcx "$c" --
		assert_equal "$(sorted $output)" "$(sorted $("$IPCX" __complete options "$c"))"
	done
	run bash_complete ipcx ls --out
	assert_equal "$(sorted $output)" "$(sorted --output --output-all)"
}

@test "bash: completes columns after -o SIZE, for shm" {
	run bash_complete ipcx ls shm -o SIZE,
	assert_success
	local want
	want=$("$IPCX" __complete columns shm | grep -vx SIZE | sed 's/^/SIZE,/')
	assert_equal "$(sorted $output)" "$(sorted $want)"
	assert_line SIZE,NATTCH
	refute_line SIZE,SIZE
	refute_line --partial NSEMS
}

@test "bash: columns after +, after commas, in --output=, split at = and in lower case" {
	run bash_complete ipcx ls shm -o +RSS,S
	assert_equal "$(sorted $output)" "$(sorted +RSS,SIZE +RSS,STATUS +RSS,SWAP)"
	run bash_complete ipcx ls shm -o +
	assert_line +SIZE
	assert_line +KEY
	run bash_complete ipcx ls shm --output=SIZE,NA
	assert_output -- --output=SIZE,NATTCH
	# as bash itself splits the line at '=': only the last word is replaced
	run bash_complete ipcx ls shm --output = SIZE,NA
	assert_output SIZE,NATTCH
	run bash_complete ipcx ls shm -oSIZE,NA
	assert_output -- -oSIZE,NATTCH
	run bash_complete ipcx ls shm -o size,nat
	assert_output size,NATTCH
}

@test "bash: columns follow the kinds named and the command" {
	run bash_complete ipcx ls pmsg -s NOTIFY
	assert_equal "$(sorted $output)" "$(sorted $("$IPCX" __complete columns pmsg | grep '^NOTIFY'))"
	# without kinds: the columns of the kinds ls lists by default
	run bash_complete ipcx ls -s ''
	assert_equal "$(sorted $output)" "$(list_columns ls | cut -f1 | sort -u)"
	assert_line SIZE
	assert_line NSEMS
	run bash_complete ipcx limits -o ''
	assert_equal "$(sorted $output)" "$(sorted $(list_columns limits | cut -f1))"
	assert_line USE%
	run bash_complete ipcx limits --sort US
	assert_equal "$(sorted $output)" "$(sorted USED USE%)"
}

@test "bash: completes --time-format values, the ones the program takes" {
	run bash_complete ipcx ls --time-format ''
	assert_success
	local offered=$output
	# the program names the formats it takes when given a bad one
	run "$IPCX" ls --time-format bogus
	assert_failure 2
	local taken
	taken=$(sed -nE 's/.*expected (.*)$/\1/p' <<<"$output" | sed 's/, / /g; s/ or / /g')
	assert [ -n "$taken" ]
	assert_equal "$(sorted $offered)" "$(sorted $taken)"
	for f in $offered; do
		run "$IPCX" ls --time-format "$f" --list-columns
		assert_success
	done
	run bash_complete ipcx show --time-format=r
	assert_output -- --time-format=relative
}

@test "bash: completes the objects show can name" {
	local id
	id=$(ipcmk -M 4096 | awk '{ print $NF }')
	: >/dev/shm/docs-test-obj
	run bash_complete ipcx show shm ''
	assert_success
	assert_line "$id"
	run bash_complete ipcx show pshm ''
	assert_line /docs-test-obj
	run bash_complete ipcx show pshm /docs
	assert_output /docs-test-obj
	run bash_complete ipcx show shm "$id" ''
	assert_output ''
}

@test "bash: nothing is completed, quietly, when ipcx is not on PATH" {
	run --separate-stderr env PATH=/nonexistent "$BASH" --norc --noprofile -c '
		source "$1"
		COMP_WORDS=(ipcx ls -o "")
		COMP_CWORD=3
		_ipcx
		echo "status $? replies ${#COMPREPLY[@]}"' bash "$COMP/ipcx.bash"
	assert_success
	assert_output "status 0 replies 0"
	assert_equal "$stderr" ""
}

# --- zsh ----------------------------------------------------------------

@test "zsh: the completion parses (zsh -n)" {
	require_zsh
	run zsh -n "$COMP/_ipcx"
	assert_success
	assert_output ''
}

@test "zsh: works out commands, kinds, options, columns and time formats" {
	require_zsh
	run zsh_analyse ipcx ''
	assert_success
	assert_line --index 0 --regexp '^ctx=commands '
	assert_equal "$(sorted ${lines[@]:1})" "$(sorted $(commands) help)"

	run zsh_analyse ipcx -
	assert_line --index 0 --regexp '^ctx=globalopts '
	assert_line -- --help
	assert_line -- --version

	run zsh_analyse ipcx ls ''
	assert_line --index 0 --regexp '^ctx=kinds '
	assert_equal "$(sorted ${lines[@]:1})" "$(sorted $(kinds))"

	run zsh_analyse ipcx ls -
	assert_line --index 0 --regexp '^ctx=options '
	assert_equal "$(sorted ${lines[@]:1})" "$(sorted $("$IPCX" __complete options ls))"

	run zsh_analyse ipcx ls shm -o SIZE,
	assert_line --index 0 'ctx=columns head=SIZE,'
	assert_equal "$(sorted ${lines[@]:1})" "$(sorted $("$IPCX" __complete columns shm | grep -vx SIZE))"

	run zsh_analyse ipcx ls shm --output=+RSS,S
	assert_line --index 0 'ctx=columns head=--output=+RSS,'

	run zsh_analyse ipcx limits -s ''
	assert_line --index 0 'ctx=column head='
	assert_line USE%

	run zsh_analyse ipcx ls --time-format ''
	assert_line --index 0 'ctx=timeformat head='
	assert_equal "$(sorted ${lines[@]:1})" "$(sorted short relative iso)"
}

@test "zsh: tab completes a line in a real zsh (zpty)" {
	require_zsh
	zsh -f -c 'zmodload zsh/zpty' 2>/dev/null || skip "the zsh/zpty module is not available"
	local out="$BATS_TEST_TMPDIR/zsh.out"
	# types each line, then TAB, then ^X which appends the edited line to out
	run env PATH="$BIN:$PATH" zsh -f -c '
		zmodload zsh/zpty
		comp=$1 out=$2
		shift 2
		zpty z "TERM=xterm zsh -f -i"
		zpty -w z "PS1=\"> \"; fpath=(${(q)comp} \$fpath); autoload -Uz compinit; compinit -u -D"
		zpty -w z "__dump() { print -r -- \"\$BUFFER\" >> ${(q)out}; BUFFER=; }; zle -N __dump; bindkey \"^X\" __dump"
		: >$out
		n=0
		for line in "$@"; do
			zpty -n -w z "$line"$'"'"'\t\C-x'"'"'
			n=$((n + 1))
			for i in {1..150}; do
				(( $(wc -l <$out) >= n )) && break
				sleep 0.1
			done
		done
		zpty -d z
		cat $out' zsh "$COMP" "$out" \
		'ipcx lim' \
		'ipcx ls shm -o SIZE,NA' \
		'ipcx ls shm --output=+RSS,SW' \
		'ipcx ls --time-format rel' \
		'ipcx show --json pm' \
		'ipcx limits -s use%'
	assert_success
	assert_line --index 0 'ipcx limits '
	assert_line --index 1 'ipcx ls shm -o SIZE,NATTCH,'
	assert_line --index 2 'ipcx ls shm --output=+RSS,SWAP,'
	assert_line --index 3 'ipcx ls --time-format relative '
	assert_line --index 4 'ipcx show --json pmsg '
	assert_line --index 5 'ipcx limits -s USE% '
}

# --- fish ---------------------------------------------------------------

@test "fish: the completion parses (fish -n)" {
	require_fish
	run fish --no-config -n "$COMP/ipcx.fish"
	assert_success
	assert_output ''
}

@test "fish: completes commands, kinds and the options of ls" {
	require_fish
	run fish_complete 'ipcx '
	assert_success
	assert_equal "$(sorted $output)" "$(sorted $(commands) help)"
	run fish_complete 'ipcx -'
	assert_line -- --help
	assert_line -- --version
	run fish_complete 'ipcx ls '
	assert_equal "$(sorted $output)" "$(sorted $(kinds))"
	run fish_complete 'ipcx ls -'
	assert_equal "$(sorted $output)" "$(sorted $("$IPCX" __complete options ls))"
	run fish_complete 'ipcx ls --out'
	assert_equal "$(sorted $output)" "$(sorted --output --output-all)"
}

@test "fish: completes columns after -o SIZE, and after +, and time formats" {
	require_fish
	run fish_complete 'ipcx ls shm -o SIZE,'
	assert_success
	assert_equal "$(sorted $output)" "$(sorted $("$IPCX" __complete columns shm | grep -vx SIZE | sed 's/^/SIZE,/'))"
	run fish_complete 'ipcx ls shm -o +RSS,SW'
	assert_output '+RSS,SWAP'
	run fish_complete 'ipcx ls shm --output=SIZE,NA'
	assert_output -- '--output=SIZE,NATTCH'
	run fish_complete 'ipcx limits -s USE'
	assert_equal "$(sorted $output)" "$(sorted USE% USED)"
	run fish_complete 'ipcx ls --time-format '
	assert_equal "$(sorted $output)" "$(sorted short relative iso)"
}

@test "fish: nothing is completed, quietly, when ipcx is not on PATH" {
	require_fish
	if env PATH=/usr/bin:/bin sh -c 'command -v ipcx' >/dev/null; then
		skip "an ipcx is installed in /usr/bin or /bin"
	fi
	run --separate-stderr env PATH=/usr/bin:/bin fish --no-config -c \
		'source $argv[1]; complete -C "ipcx ls -o "' "$COMP/ipcx.fish"
	assert_success
	assert_output ''
	assert_equal "$stderr" ""
}

# --- install ------------------------------------------------------------

@test "make install puts binary, man pages and completions under DESTDIR; uninstall takes them away" {
	local dest="$BATS_TEST_TMPDIR/dest" f
	# -o ipcx: install the binary that is built, never rebuild it here
	run make -C "$TOP" -o ipcx install DESTDIR="$dest" PREFIX=/usr
	assert_success
	assert [ -x "$dest/usr/bin/ipcx" ]
	for f in "$MAN"/*.1; do
		assert [ -f "$dest/usr/share/man/man1/$(basename "$f")" ]
		cmp "$f" "$dest/usr/share/man/man1/$(basename "$f")"
	done
	cmp "$COMP/ipcx.bash" "$dest/usr/share/bash-completion/completions/ipcx"
	cmp "$COMP/_ipcx" "$dest/usr/share/zsh/vendor-completions/_ipcx"
	cmp "$COMP/ipcx.fish" "$dest/usr/share/fish/vendor_completions.d/ipcx.fish"

	# the installed completion works with the installed binary
	run env PATH="$dest/usr/bin:/usr/bin:/bin" bash --norc --noprofile -c '
		source "$1"
		COMP_WORDS=(ipcx ls shm -o SIZE,NA)
		COMP_CWORD=4
		_ipcx
		printf "%s\n" "${COMPREPLY[@]}"' bash "$dest/usr/share/bash-completion/completions/ipcx"
	assert_success
	assert_output SIZE,NATTCH

	run make -C "$TOP" uninstall DESTDIR="$dest" PREFIX=/usr
	assert_success
	run find "$dest" -type f
	assert_output ''
}
