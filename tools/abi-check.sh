#!/bin/sh
# SPDX-License-Identifier: MIT
# abi-check.sh BASELINE CURRENT -- compare the ABI of the shared library
# (CURRENT, written by abidw) with the committed baseline (abi/libmatch.abi)
# and fail on anything but additions.
#
# abidiff's exit status is a bit field (abidiff(1), RETURN VALUES): 1
# ABIDIFF_ERROR, 2 ABIDIFF_USAGE_ERROR, 4 ABIDIFF_ABI_CHANGE, 8
# ABIDIFF_ABI_INCOMPATIBLE_CHANGE (today only set for a removed symbol).
# A new function or variable alone sets ABIDIFF_ABI_CHANGE too, so the
# comparison that decides runs with --no-added-syms: additions drop out of
# the report and of the status, and any bit left standing is a removed or
# changed function, variable or public type -- a changed struct layout
# sets only ABIDIFF_ABI_CHANGE, which is why that bit fails the check as
# well.  Opaque handles (struct lm_db, ...) are declaration-only in both
# files (abidw --drop-private-types with the public headers), so their
# insides may change freely.  The only suppressions are abi/libmatch.suppr
# (a field appended at the end of a struct only the library allocates);
# tools/abi-appended.py then checks that each of those structs really grew
# only at its end (libabigail lets a member retyped in the middle through).
# The system's default suppressions are not read (--no-default-suppression),
# so the result does not depend on the machine.
set -u
base=${1:?usage: abi-check.sh BASELINE CURRENT}
cur=${2:?usage: abi-check.sh BASELINE CURRENT}
if [ ! -f "$base" ]; then
	echo "abi-check: no baseline $base; \`make abi-baseline\` writes it" >&2
	exit 1
fi
here=$(dirname "$0")
suppr=$here/../abi/libmatch.suppr
report=$(abidiff --no-default-suppression --suppressions "$suppr" \
	--no-added-syms "$base" "$cur" 2>&1)
st=$?
if [ $st = 0 ] && ! /usr/bin/python3 "$here/abi-appended.py" "$suppr" "$base" "$cur"; then
	echo "abi-check: a struct of $suppr changed other than at its end" >&2
	st=4
fi
if [ $st != 0 ]; then
	printf '%s\n' "$report" >&2
	if [ $((st & 1)) != 0 ]; then
		echo "abi-check: abidiff failed (status $st)" >&2
	elif [ $((st & 8)) != 0 ]; then
		echo "abi-check: an interface of $base was removed: incompatible ABI change" >&2
	else
		echo "abi-check: an interface of $base changed" >&2
	fi
	echo "abi-check: if this is deliberate, bump ABI_VERSION (its first number when" >&2
	echo "abi-check: callers break) and run \`make abi-baseline\` in the same commit" >&2
	exit 1
fi
# Only additions are left; name them, as a reminder to bump ABI_VERSION's
# second number before a release.
added=$(abidiff --no-default-suppression --suppressions "$suppr" "$base" "$cur" 2>/dev/null |
	sed -n "s/^  \[A\] '[^']*'[ 	]*{\(.*\)}$/\1/p" | tr '\n' ' ')
if [ -n "$added" ]; then
	echo "abi-check: compatible with $base; added: $added"
else
	echo "abi-check: the same ABI as $base"
fi
