# bash completion for ipcx(1)
#
# Commands, kinds, options and columns are asked of the program itself
# (ipcx __complete ..., ipcx CMD --help, ipcx CMD --list-columns), so they
# always match the ipcx that runs. When ipcx cannot be found, nothing is
# completed.

# Runs the ipcx being completed, quietly.
__ipcx_run()
{
	"$__ipcx_prog" "$@" 2>/dev/null
}

# The ipcx being completed: the command word itself when it is a path,
# else the one on PATH. Returns 1 when there is none.
__ipcx_find_prog()
{
	local w=$1
	[[ $w == "~/"* ]] && w=$HOME/${w#"~/"}
	if [[ $w == */* ]]; then
		[[ -x $w && ! -d $w ]] || return 1
		__ipcx_prog=$w
	else
		__ipcx_prog=$(type -P ipcx) || return 1
		[[ -n $__ipcx_prog ]] || return 1
	fi
}

# Reads `ipcx CMD --help` (`ipcx --help` when CMD is empty) and fills
# __ipcx_longs (the long options it lists), __ipcx_argopt (option -> the
# name of its value, for options that take one), __ipcx_short (-x ->
# --long) and __ipcx_usage (the arguments of its usage line).
__ipcx_read_help()
{
	local line help w re='^ +(-([A-Za-z0-9]), )?--([A-Za-z0-9][A-Za-z0-9-]*)([ =]([A-Z][A-Z0-9_|.]*))?( {2,}|$)'
	__ipcx_longs=()
	__ipcx_argopt=()
	__ipcx_short=()
	__ipcx_usage=
	help=$(__ipcx_run ${1:+"$1"} --help)
	while IFS= read -r line; do
		# "Usage: ipcx CMD [OPTIONS] ARGS" names the positional arguments
		if [[ -z $__ipcx_usage && $line == "Usage: "* ]]; then
			read -r w w w __ipcx_usage <<<"$line"
			continue
		fi
		[[ $line =~ $re ]] || continue
		local s=${BASH_REMATCH[2]} l=--${BASH_REMATCH[3]} a=${BASH_REMATCH[5]}
		__ipcx_longs+=("$l")
		[[ -n $s ]] && __ipcx_short[-$s]=$l
		if [[ -n $a ]]; then
			__ipcx_argopt[$l]=$a
			[[ -n $s ]] && __ipcx_argopt[-$s]=$a
		fi
	done <<<"$help"
}

# Sets expect to the option that the word at $2 (of words, from $1 on)
# leaves waiting for its value, and fills pos with the positional words.
__ipcx_walk()
{
	local i w j
	expect= dashdash=0 pos=()
	for ((i = $1; i < $2; i++)); do
		w=${words[i]}
		if [[ -n $expect ]]; then
			expect=
		elif ((dashdash)) || [[ $w != -?* ]]; then
			pos+=("$w")
		elif [[ $w == -- ]]; then
			dashdash=1
		elif [[ $w == --* ]]; then
			[[ $w != *=* && -n ${__ipcx_argopt[$w]} ]] && expect=$w
		else
			# a cluster of short options; one that takes a value ends it
			for ((j = 1; j < ${#w}; j++)); do
				if [[ -n ${__ipcx_argopt[-${w:j:1}]} ]]; then
					((j == ${#w} - 1)) && expect=-${w:j:1}
					break
				fi
			done
		fi
	done
}

# Sets valopt, val and valpre when the current word is the value of an
# option: after it, as --opt=VALUE, or as -oVALUE.
__ipcx_value_word()
{
	valopt= val= valpre=
	if [[ -n $expect ]]; then
		valopt=$expect val=$cur
	elif ((!dashdash)) && [[ $cur == --*=* ]]; then
		valopt=${cur%%=*} val=${cur#*=} valpre=${cur%%=*}=
	elif ((!dashdash)) && [[ $cur == -[!-]?* && -n ${__ipcx_argopt[${cur:0:2}]} ]]; then
		valopt=${cur:0:2} val=${cur:2} valpre=${cur:0:2}
	fi
	[[ -n $valopt ]]
}

# Column names for command $1 and the kinds named after it ($2...).
__ipcx_columns()
{
	local cmd=$1 k line
	shift
	{
		if (($#)); then
			for k; do __ipcx_run __complete columns "$k"; done
		else
			# "title:" lines, then " * NAME  description" or "   NAME  description"
			while IFS= read -r line; do
				line=${line#"${line%%[! ]*}"}
				[[ $line == *" "* ]] || continue
				line=${line#"* "}
				printf '%s\n' "${line%% *}"
			done < <(__ipcx_run "$cmd" --list-columns)
		fi
	} | {
		local -A seen=()
		local c n=0
		while IFS= read -r c; do
			[[ -n $c && -z ${seen[$c]} ]] || continue
			seen[$c]=1
			printf '%s\n' "$c"
			n=$((n + 1))
		done
		if ((n == 0)); then
			for k in $(__ipcx_run __complete kinds); do
				__ipcx_run __complete columns "$k"
			done | sort -u
		fi
	}
}

# Adds to COMPREPLY the completions of the value $2 of option $1 (a long
# or short option name), each prefixed with $3.
__ipcx_value()
{
	local opt=$1 val=$2 pre=$3 c
	[[ $opt != --* && -n ${__ipcx_short[$opt]} ]] && opt=${__ipcx_short[$opt]}
	case $opt in
	--output)
		# COLS: a comma-separated list, optionally after a leading +
		local head=${val%"${val##*,}"} frag=${val##*,}
		if [[ -z $head && $frag == +* ]]; then
			head=+
			frag=${frag#+}
		fi
		local -A have=()
		local IFS=,
		for c in ${head#+}; do [[ -n $c ]] && have[${c^^}]=1; done
		IFS=$' \t\n'
		for c in $(__ipcx_columns "$__ipcx_cmd" "${__ipcx_kinds[@]}"); do
			[[ -z ${have[$c]} && $c == "${frag^^}"* ]] && COMPREPLY+=("$pre$head$c")
		done
		compopt -o nospace 2>/dev/null
		;;
	--sort)
		for c in $(__ipcx_columns "$__ipcx_cmd" "${__ipcx_kinds[@]}"); do
			[[ $c == "${val^^}"* ]] && COMPREPLY+=("$pre$c")
		done
		;;
	--time-format)
		for c in short relative iso; do
			[[ $c == "$val"* ]] && COMPREPLY+=("$pre$c")
		done
		;;
	--user)
		for c in $(compgen -u -- "$val"); do COMPREPLY+=("$pre$c"); done
		;;
	*)
		case ${__ipcx_argopt[$opt]} in
		PID)
			for c in /proc/[0-9]*; do
				c=${c#/proc/}
				[[ $c == "$val"* ]] && COMPREPLY+=("$pre$c")
			done
			;;
		FILE | PATH | DIR)
			for c in $(compgen -f -- "$val"); do COMPREPLY+=("$pre$c"); done
			;;
		esac
		;;
	esac
}

# Objects of kind $1, for show and the like: ids or names.
__ipcx_objects()
{
	local kind=$1 col=ID
	__ipcx_run __complete columns "$kind" | grep -qx NAME && col=NAME
	__ipcx_run ls -n -r -o "$col" "$kind"
}

_ipcx()
{
	local __ipcx_prog
	__ipcx_find_prog "${COMP_WORDS[0]}" || return 0
	COMPREPLY=()

	# Bash splits words at '=' and ':' (COMP_WORDBREAKS); join them again
	# so that --output=SIZE, and key:0x1 are one word each.
	local -a words=()
	local i cword=0 join=0 w
	for ((i = 0; i < ${#COMP_WORDS[@]}; i++)); do
		w=${COMP_WORDS[i]}
		if ((i > 0)) && [[ $w == "=" || $w == ":" || $join == 1 ]]; then
			words[${#words[@]} - 1]+=$w
			[[ $w == "=" || $w == ":" ]] && join=1 || join=0
		else
			words+=("$w")
			join=0
		fi
		((i == COMP_CWORD)) && cword=$((${#words[@]} - 1))
	done
	local cur=${words[cword]}
	# what bash will replace: the part of cur after its last word break
	local strip=${cur%"${COMP_WORDS[COMP_CWORD]}"}

	local cmds
	cmds=$(__ipcx_run __complete commands) || return 0

	# the command is the first word that is one
	local __ipcx_cmd= cmdi=0 c
	for ((i = 1; i < cword; i++)); do
		for c in $cmds help; do
			if [[ ${words[i]} == "$c" ]]; then
				__ipcx_cmd=$c
				cmdi=$i
				break 2
			fi
		done
	done

	local -a __ipcx_longs=() pos=()
	local -A __ipcx_argopt=() __ipcx_short=()
	local __ipcx_usage expect dashdash valopt val valpre

	if [[ -z $__ipcx_cmd ]]; then
		# the options of ipcx itself, from ipcx --help
		__ipcx_read_help ""
		__ipcx_walk 1 "$cword"
		if __ipcx_value_word; then
			__ipcx_value "$valopt" "$val" "$valpre"
		elif [[ $cur == -* ]]; then
			COMPREPLY=($(compgen -W "${__ipcx_longs[*]} --help --version" -- "$cur"))
		else
			COMPREPLY=($(compgen -W "$cmds help" -- "$cur"))
		fi
		__ipcx_strip
		return 0
	fi
	if [[ $__ipcx_cmd == help ]]; then
		((cword == cmdi + 1)) && COMPREPLY=($(compgen -W "$cmds" -- "$cur"))
		return 0
	fi

	__ipcx_read_help "$__ipcx_cmd"
	# positional arguments so far, and whether the last word wants a value
	__ipcx_walk $((cmdi + 1)) "$cword"
	if ! __ipcx_value_word && ((!dashdash)) && [[ $cur == -* ]]; then
		COMPREPLY=($(compgen -W "$(__ipcx_run __complete options "$__ipcx_cmd")" -- "$cur"))
		return 0
	fi

	# the kinds named on the line choose the columns and the objects
	local -a __ipcx_kinds=()
	local kinds k
	kinds=$(__ipcx_run __complete kinds)
	for w in "${pos[@]}"; do
		for k in $kinds; do [[ $w == "$k" ]] && __ipcx_kinds+=("$k"); done
	done

	if [[ -n $valopt ]]; then
		__ipcx_value "$valopt" "$val" "$valpre"
	else
		# the usage line says what each positional argument is
		local -a slots=()
		for w in $__ipcx_usage; do
			[[ $w == "[OPTIONS]" || $w == "[OPTION]..." ]] && continue
			slots+=("$w")
		done
		local n=${#pos[@]} slot=
		if ((n < ${#slots[@]})); then
			slot=${slots[n]}
		elif ((${#slots[@]})) && [[ ${slots[-1]} == *... || ${slots[-1]} == *...\] ]]; then
			slot=${slots[-1]}
		fi
		case $slot in
		*KIND*)
			COMPREPLY=($(compgen -W "$kinds" -- "$cur"))
			;;
		*ID* | *NAME*)
			if ((${#__ipcx_kinds[@]})); then
				local IFS=$'\n'
				COMPREPLY=($(compgen -W "$(__ipcx_objects "${__ipcx_kinds[0]}")" -- "$cur"))
			fi
			;;
		*COMMAND*)
			COMPREPLY=($(compgen -W "$cmds" -- "$cur"))
			;;
		esac
	fi

	__ipcx_strip
	return 0
}

# Bash replaces only the part of the word after its last '=' or ':'.
__ipcx_strip()
{
	local i
	if [[ -n $strip ]]; then
		for i in "${!COMPREPLY[@]}"; do
			COMPREPLY[i]=${COMPREPLY[i]#"$strip"}
		done
	fi
}

complete -F _ipcx ipcx
