# SPDX-License-Identifier: MIT
# match.bash -- bash completion for `match` (libmatch): commands, the
# options of each command, kinds, formats and modes, and ids read from the
# database on the line (--db, else $MATCH_DB, else ./match.db) with
# `match list KIND --format csv -q`.  Silent when the database is missing
# or unreadable.  Install as .../bash-completion/completions/match, or
# source it.

# Ids of one kind from the database: the first CSV column after the header.
_match_ids()
{
	local bin=$1 db=$2 kind=$3 all=""
	# restore: the retired ones too.
	[ "${4:-}" = restore ] && all=--all
	[ -n "$db" ] && [ -r "$db" ] || return 0
	"$bin" --db "$db" list "$kind" $all --format csv -q 2>/dev/null |
		tail -n +2 | cut -d, -f1 | tr -d '\r"'
}

_match()
{
	local cur=${COMP_WORDS[COMP_CWORD]}
	local prev=""
	[ "$COMP_CWORD" -gt 0 ] && prev=${COMP_WORDS[COMP_CWORD - 1]}
	local bin=${COMP_WORDS[0]}
	command -v "$bin" >/dev/null 2>&1 || bin=match
	COMPREPLY=()

	local commands="init load validate list top teams suggest explain assign release retire restore done withdraw export map meeting report"
	local global="--db --format --quiet --help --version"
	# Options that take a value (the next word).
	local with_arg=" --db -f --format --garden --skill --optional-skill --nice --text --language --company --period -k --max-km --at --mode --weight-skill --weight-distance --pin --svg --attendees --html --lang --expert --need --time-limit "

	# Find the database, the command and the positionals before the cursor.
	local db=${MATCH_DB:-match.db} cmd="" npos=0 i w
	local -a pos=()
	for ((i = 1; i < COMP_CWORD; i++)); do
		w=${COMP_WORDS[i]}
		case $w in
		--db=*) db=${w#--db=} ;;
		--*=*) ;;
		-*)
			if [[ $with_arg == *" $w "* ]]; then
				[ "$w" = --db ] && db=${COMP_WORDS[i + 1]}
				i=$((i + 1))
			fi
			;;
		=) i=$((i + 1)) ;;  # --pin NEED=EXPERT, --attendees GARDEN=N split at '='
		*)
			if [ -z "$cmd" ]; then cmd=$w; else pos+=("$w"); fi
			;;
		esac
	done
	npos=${#pos[@]}

	# The value of an option.
	case $prev in
	--db | --svg | --html)
		COMPREPLY=($(compgen -f -- "$cur"))
		compopt -o filenames 2>/dev/null
		return 0
		;;
	-f | --format)
		COMPREPLY=($(compgen -W "table json csv yaml" -- "$cur"))
		return 0
		;;
	--mode)
		COMPREPLY=($(compgen -W "onsite remote hybrid" -- "$cur"))
		return 0
		;;
	--lang)
		COMPREPLY=($(compgen -W "nb en" -- "$cur"))
		return 0
		;;
	--text)
		# Words of the user's own.
		return 0
		;;
	--language)
		return 0
		;;
	--garden | --attendees | --skill | --optional-skill | --nice | --at | --pin | --company | --expert | --need)
		# --attendees GARDEN=N: the garden; the number is the user's.
		# --pin NEED=EXPERT: the need (the expert after the '=', below).
		local kind=gardens
		case $prev in
		--skill | --optional-skill | --nice) kind=skills ;;
		--company) kind=companies ;;
		--at) kind=places ;;
		--pin | --need) kind=needs ;;
		--expert) kind=experts ;;
		esac
		COMPREPLY=($(compgen -W "$(_match_ids "$bin" "$db" "$kind")" -- "$cur"))
		return 0
		;;
	--period)
		local y m
		y=$(date +%Y) m=$(date +%m)
		local all=""
		[ "$cmd" = list ] && all=all
		COMPREPLY=($(compgen -W "$y-Q$(((10#$m + 2) / 3)) $y-Q1 $y-Q2 $y-Q3 $y-Q4 $all" -- "$cur"))
		return 0
		;;
	-k | --max-km | --weight-skill | --weight-distance | --time-limit)
		return 0
		;;
	=)
		# --pin NEED=EXPERT, split by readline at '='.
		if [ "$COMP_CWORD" -ge 3 ] && [ "${COMP_WORDS[COMP_CWORD - 3]}" = --pin ]; then
			COMPREPLY=($(compgen -W "$(_match_ids "$bin" "$db" experts)" -- "$cur"))
		fi
		return 0
		;;
	esac
	if [ "$cur" = "=" ] && [ "$COMP_CWORD" -ge 2 ] && [ "${COMP_WORDS[COMP_CWORD - 2]}" = --pin ]; then
		COMPREPLY=($(_match_ids "$bin" "$db" experts))
		return 0
	fi

	# Options of the command (the table in cli/args.c).
	local opts=""
	case $cmd in
	load) opts="--sync --dry-run" ;;
	list) opts="--garden --skill --period --all --expert --need --company" ;;
	top) opts="-k --max-km --skill --optional-skill --nice --text --at --mode --language --company --available --weight-skill --weight-distance --period" ;;
	teams) opts="-k --max-km --weight-skill --weight-distance --period" ;;
	explain) opts="--max-km --weight-skill --weight-distance --period --skill --optional-skill --nice --text --at --mode --language --company" ;;
	assign) opts="--max-km --weight-skill --weight-distance --period --commit --pin --time-limit" ;;
	release) opts="--period" ;;
	map) opts="--svg --plan -k --max-km --weight-skill --weight-distance --period" ;;
	meeting) opts="--period --attendees --at" ;;
	report) opts="--html --lang --period --max-km --weight-skill --weight-distance" ;;
	esac
	if [[ $cur == -* ]]; then
		COMPREPLY=($(compgen -W "$global $opts" -- "$cur"))
		return 0
	fi
	if [ -z "$cmd" ]; then
		COMPREPLY=($(compgen -W "$commands" -- "$cur"))
		return 0
	fi

	# Positional arguments.
	case $cmd:$npos in
	load:* | validate:*)
		COMPREPLY=($(compgen -f -- "$cur"))
		compopt -o filenames 2>/dev/null
		;;
	list:0)
		COMPREPLY=($(compgen -W "places gardens skills experts companies needs distances engagements" -- "$cur"))
		;;
	top:0 | teams:0 | explain:0 | release:0 | map:0 | suggest:0)
		COMPREPLY=($(compgen -W "$(_match_ids "$bin" "$db" needs)" -- "$cur"))
		;;
	explain:* | release:1)
		COMPREPLY=($(compgen -W "$(_match_ids "$bin" "$db" experts)" -- "$cur"))
		;;
	retire:0 | restore:0)
		COMPREPLY=($(compgen -W "expert company need" -- "$cur"))
		;;
	retire:1 | restore:1)
		local k=${pos[0]}
		case $k in
		expert | experts) k=experts ;;
		company | companies) k=companies ;;
		*) k=needs ;;
		esac
		COMPREPLY=($(compgen -W "$(_match_ids "$bin" "$db" "$k" "$cmd")" -- "$cur"))
		;;
	done:0 | withdraw:0)
		COMPREPLY=($(compgen -W "$(_match_ids "$bin" "$db" needs)" -- "$cur"))
		;;
	esac
	return 0
}
complete -F _match match
