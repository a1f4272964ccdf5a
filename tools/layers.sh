#!/bin/sh
# SPDX-License-Identifier: MIT
# layers.sh OBJDIR -- fail when an object file of a lower layer of the
# library refers to a symbol defined in a higher one.  The layers, bottom
# up, are the folders of libmatch/ (docs/architecture.md): model, engine,
# io.  A layer may use what the layers below it define, never what the
# layers above it define.  Reads the objects with nm; prints every
# offending reference as "layer/file.o -> symbol (defined in layer/file.o)".
set -u
LC_ALL=C
export LC_ALL
obj=${1:?usage: layers.sh OBJDIR}
layers="model engine io"
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
for l in $layers; do
	: >"$tmp/def.$l"
	for o in "$obj/$l"/*.o; do
		[ -f "$o" ] || continue
		nm -g --defined-only "$o" | awk -v f="$l/${o##*/}" 'NF == 3 { print $3, f }' >>"$tmp/def.$l"
	done
done
bad=0
above() { # the layers above $1
	seen=0
	for l in $layers; do
		[ $seen = 1 ] && printf '%s ' "$l"
		[ "$l" = "$1" ] && seen=1
	done
}
for l in $layers; do
	higher=$(above "$l")
	[ -n "$higher" ] || continue
	for h in $higher; do cat "$tmp/def.$h"; done | sort >"$tmp/higher"
	for o in "$obj/$l"/*.o; do
		[ -f "$o" ] || continue
		nm -u "$o" | awk '{ print $NF }' | sort -u >"$tmp/undef"
		join "$tmp/undef" "$tmp/higher" >"$tmp/hits"
		while read -r sym where; do
			echo "layers: $l/${o##*/} -> $sym (defined in $where)" >&2
			bad=1
		done <"$tmp/hits"
	done
done
n=$(cat "$tmp"/def.* | wc -l)
if [ $bad != 0 ]; then
	echo "layers: a lower layer calls a higher one; see docs/architecture.md" >&2
	exit 1
fi
echo "layers: model <- engine <- io, no call upwards ($n symbols checked)"
