# fish completion for ipcx(1)
#
# Commands, kinds, options and columns are asked of the program itself
# (ipcx __complete ..., ipcx CMD --help, ipcx CMD --list-columns), so they
# always match the ipcx that runs. When ipcx cannot be found, nothing is
# completed.

# Runs the ipcx being completed, quietly.
function __ipcx_run
    $__ipcx_prog $argv 2>/dev/null
end

# Finds the ipcx being completed: the command word itself when it is a
# path, else the one on PATH.
function __ipcx_find_prog -a word
    set -l w (string replace -r '^~/' "$HOME/" -- $word)
    if string match -q -- '*/*' $w
        test -x "$w" -a ! -d "$w"; or return 1
        set -g __ipcx_prog $w
    else
        set -g __ipcx_prog (command -s ipcx); or return 1
        test -n "$__ipcx_prog"; or return 1
    end
end

# Lines "SHORT|--LONG|ARG|DESCRIPTION" for the options of `ipcx CMD --help`;
# ARG is the name of the option's value, empty when it takes none.
function __ipcx_optspec
    __ipcx_run $argv --help | string replace -rf '^ +(?:-([A-Za-z0-9]), )?--([A-Za-z0-9][A-Za-z0-9-]*)(?:[ =]([A-Z][A-Z0-9_|.]*))?(?: {2,}(.*))?$' '$1|--$2|$3|$4'
end

# Column names for command $argv[1] and the kinds named after it.
function __ipcx_columns
    set -l cmd $argv[1]
    set -l cols
    if set -q argv[2]
        for k in $argv[2..-1]
            set -a cols (__ipcx_run __complete columns $k)
        end
    else
        # "title:" lines, then " * NAME  description" or "   NAME  description"
        for line in (__ipcx_run $cmd --list-columns)
            set line (string trim -l -- $line)
            string match -q -- '* *' $line; or continue
            set line (string replace -r '^\* ' '' -- $line)
            set -a cols (string split -m1 ' ' -- $line)[1]
        end
        if not set -q cols[1]
            for k in (__ipcx_run __complete kinds)
                set -a cols (__ipcx_run __complete columns $k)
            end
        end
    end
    set -l seen
    for c in $cols
        contains -- $c $seen; or set -a seen $c
    end
    printf '%s\n' $seen
end

# Prints the completions of the current token, "candidate<TAB>description".
function __ipcx_complete
    set -l tokens (commandline -opc)
    set -l cur (commandline -ct)
    __ipcx_find_prog $tokens[1]; or return
    set -l cmds (__ipcx_run __complete commands); or return

    # the command is the first word that is one
    set -l cmd
    set -l cmdi 0
    for i in (seq 2 (count $tokens))
        if contains -- $tokens[$i] $cmds help
            set cmd $tokens[$i]
            set cmdi $i
            break
        end
    end

    if test -z "$cmd"
        # the options of ipcx itself, from ipcx --help
        set -l specs (__ipcx_optspec)
        set -l last $tokens[-1]
        set -l opt
        set -l val
        set -l head
        for spec in $specs
            set -l f (string split '|' -- $spec)
            test -n "$f[3]"; or continue
            if test (count $tokens) -ge 2; and test "$last" = $f[2]
                set opt $f[2]
                set val $cur
            else if string match -q -- "$f[2]=*" $cur
                set opt $f[2]
                set val (string replace -- "$f[2]=" '' $cur)
                set head $f[2]=
            end
            if test -n "$opt"
                if test "$f[3]" = PID
                    for p in (__fish_complete_pids)
                        printf '%s\n' "$head$p"
                    end
                end
                return
            end
        end
        if string match -q -- '-*' $cur
            for spec in $specs
                set -l f (string split '|' -- $spec)
                printf '%s\t%s\n' $f[2] "$f[4]"
            end
            printf '%s\t%s\n' --help 'show the help' --version 'print the version'
        else
            # the summaries of `ipcx --help`
            set -l help (__ipcx_run --help)
            for c in $cmds
                set -l d (string match -rg "^  $c +(.*)\$" -- $help)
                printf '%s\t%s\n' $c "$d[1]"
            end
            printf '%s\t%s\n' help 'the help of a command'
        end
        return
    end
    if test "$cmd" = help
        test (count $tokens) -eq $cmdi; and printf '%s\n' $cmds
        return
    end

    # the options of the command, and which take a value
    set -l argopts
    set -l shorts
    set -l longs
    set -l descs
    set -l argspecs
    for spec in (__ipcx_optspec $cmd)
        set -l f (string split '|' -- $spec)
        set -a longs $f[2]
        set -a descs "$f[4]"
        set -a argspecs "$f[3]"
        if test -n "$f[1]"
            set -a shorts -$f[1]
        else
            set -a shorts ''
        end
        if test -n "$f[3]"
            set -a argopts $f[2]
            test -n "$f[1]"; and set -a argopts -$f[1]
        end
    end

    # positional arguments so far, and whether the last word wants a value
    set -l pos
    set -l expect
    set -l dashdash 0
    for i in (seq (math $cmdi + 1) (count $tokens))
        test $i -le (count $tokens); or break
        set -l w $tokens[$i]
        if test -n "$expect"
            set expect
        else if test $dashdash = 1; or not string match -q -- '-?*' $w
            set -a pos $w
        else if test "$w" = --
            set dashdash 1
        else if string match -q -- '--*' $w
            if not string match -q -- '*=*' $w; and contains -- $w $argopts
                set expect $w
            end
        else
            set -l chars (string split '' -- (string sub -s 2 -- $w))
            for j in (seq (count $chars))
                if contains -- -$chars[$j] $argopts
                    test $j -eq (count $chars); and set expect -$chars[$j]
                    break
                end
            end
        end
    end

    set -l kinds (__ipcx_run __complete kinds)
    set -l given
    for w in $pos
        contains -- $w $kinds; and set -a given $w
    end

    set -l opt
    set -l val
    set -l head
    if test -n "$expect"
        set opt $expect
        set val $cur
    else if test $dashdash = 0; and string match -q -- '--*=*' $cur
        set opt (string split -m1 = -- $cur)[1]
        set val (string split -m1 = -- $cur)[2]
        set head $opt=
    else if test $dashdash = 0; and string match -qr -- '^-[^-].' $cur; and contains -- (string sub -l 2 -- $cur) $argopts
        set opt (string sub -l 2 -- $cur)
        set val (string sub -s 3 -- $cur)
        set head $opt
    else if test $dashdash = 0; and string match -q -- '-*' $cur
        for o in (__ipcx_run __complete options $cmd)
            set -l d
            set -l idx (contains -i -- $o $longs)
            and set d $descs[$idx]
            printf '%s\t%s\n' $o "$d"
        end
        return
    end

    if test -n "$opt"
        set -l idx (contains -i -- $opt $shorts)
        and set opt $longs[$idx]
        switch $opt
            case --output
                # COLS: a comma-separated list, optionally after a leading +
                set -l listed (string replace -r '[^,]*$' '' -- $val)
                if test -z "$listed"; and string match -q -- '+*' $val
                    set listed +
                end
                set -l have (string split , -- (string upper -- (string replace -r '^\+' '' -- $listed)))
                for c in (__ipcx_columns $cmd $given)
                    contains -- $c $have; or printf '%s\n' "$head$listed$c"
                end
            case --sort
                for c in (__ipcx_columns $cmd $given)
                    printf '%s\n' "$head$c"
                end
            case --time-format
                printf '%s\n' "$head"short "$head"relative "$head"iso
            case --user
                for u in (__fish_complete_users)
                    printf '%s\n' "$head$u"
                end
            case '*'
                set -l i (contains -i -- $opt $longs)
                and test "$argspecs[$i]" = PID
                and for p in (__fish_complete_pids)
                    printf '%s\n' "$head$p"
                end
        end
        return
    end

    # the usage line says what each positional argument is
    set -l usage (__ipcx_run $cmd --help | string replace -rf '^Usage: +\S+ +\S+ *' '')[1]
    set -l slots
    for w in (string split ' ' -- $usage)
        contains -- $w '[OPTIONS]' '[OPTION]...' ''; or set -a slots $w
    end
    set -l n (math (count $pos) + 1)
    set -l slot
    if test $n -le (count $slots)
        set slot $slots[$n]
    else if set -q slots[1]; and string match -qr '\.\.\.\]?$' -- $slots[-1]
        set slot $slots[-1]
    end
    switch "$slot"
        case '*KIND*'
            printf '%s\n' $kinds
        case '*ID*' '*NAME*'
            if set -q given[1]
                set -l col ID
                contains -- NAME (__ipcx_run __complete columns $given[1]); and set col NAME
                __ipcx_run ls -n -r -o $col $given[1]
            end
        case '*COMMAND*'
            printf '%s\n' $cmds
    end
end

complete -c ipcx -f -a '(__ipcx_complete)'
