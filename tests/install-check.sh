#!/bin/sh
# SPDX-License-Identifier: MIT
# install-check.sh DESTDIR PKGCONFIGDIR LIBDIR BINDIR DB -- after
# `make install DESTDIR=...`: build every example against the installed
# copy only (pkg-config with PKG_CONFIG_SYSROOT_DIR, so the .pc file's
# paths point into DESTDIR), run them against the installed shared
# library, link one statically through `pkg-config --static`, and run the
# installed `match`.  CC, CFLAGS, LDFLAGS and PKG_CONFIG come from make.
set -eu
dest=$1 pcdir=$2 libdir=$3 bindir=$4 db=$5
: "${CC:=cc}" "${PKG_CONFIG:=pkg-config}" "${CFLAGS:=}" "${LDFLAGS:=}"
root=$(cd "$(dirname "$0")/.." && pwd)
out=$dest/.examples
mkdir -p "$out"
trap 'rm -rf "$out"' EXIT
# Only the DESTDIR's .pc files, plus the system's for the dependencies.
PKG_CONFIG_PATH=$dest$pcdir
PKG_CONFIG_SYSROOT_DIR=$dest
export PKG_CONFIG_PATH PKG_CONFIG_SYSROOT_DIR
fail() { echo "install-check: $*" >&2; exit 1; }

cflags=$($PKG_CONFIG --cflags libmatch) || fail "pkg-config does not find libmatch"
libs=$($PKG_CONFIG --libs libmatch)
slibs=$($PKG_CONFIG --static --libs libmatch)
case $cflags in *"$dest"*) ;; *) fail "cflags '$cflags' do not point into $dest" ;; esac
case $slibs in *-lsqlite3*-lm* | *-lm*-lsqlite3*) ;; *) fail "static libs '$slibs' lack the dependencies" ;; esac

# The examples see only the installed header: copy them out of the tree.
for src in "$root"/examples/*.c; do
	name=$(basename "$src" .c)
	cp "$src" "$out/$name.c"
	# shellcheck disable=SC2086
	$CC -std=c11 $CFLAGS $cflags -o "$out/$name" "$out/$name.c" $LDFLAGS $libs ||
		fail "cannot build $name against the installed library"
done
export LD_LIBRARY_PATH="$dest$libdir"
# The binaries must load the installed libmatch.so.MAJOR, not another one.
soname=libmatch.so.$(cut -d. -f1 "$root/ABI_VERSION")
if command -v ldd >/dev/null 2>&1; then
	ldd "$out/top_matches" | grep -q "$soname => $dest$libdir/" ||
		fail "top_matches does not load $dest$libdir/$soname"
fi
"$out/top_matches" "$root/profiles" n-os-lean-workshop 3 >"$out/top.txt" ||
	fail "top_matches failed"
grep -q "feasible experts for n-os-lean-workshop" "$out/top.txt" ||
	fail "top_matches printed: $(cat "$out/top.txt")"
echo "export:3 at Kongsvinger" | "$out/embed_query" | grep -q "^1\. " ||
	fail "embed_query answered nothing"

# A static link pulls in Requires.private and Libs.private.
# shellcheck disable=SC2086
$CC -std=c11 $CFLAGS $cflags -o "$out/top_static" "$out/top_matches.c" $LDFLAGS \
	"$dest$libdir/libmatch.a" $($PKG_CONFIG --static --libs-only-L --libs-only-other libmatch) \
	$(echo "$slibs" | tr ' ' '\n' | grep '^-l' | grep -v '^-lmatch$' | tr '\n' ' ') ||
	fail "cannot link top_matches statically"
"$out/top_static" "$root/profiles" n-os-lean-workshop 1 >/dev/null || fail "static top_matches failed"

# The installed command, and the plan through quarter_plan.
rm -f "$db" "$db-wal" "$db-shm"
"$dest$bindir/match" --db "$db" -q load "$root/profiles" || fail "installed match cannot load"
"$out/quarter_plan" "$db" >"$out/plan.txt" || fail "quarter_plan failed"
grep -q "^Plan for" "$out/plan.txt" || fail "quarter_plan printed: $(head -3 "$out/plan.txt")"
rm -f "$db" "$db-wal" "$db-shm"
