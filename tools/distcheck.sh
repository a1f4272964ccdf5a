#!/bin/sh
# SPDX-License-Identifier: MIT
# distcheck.sh TARBALL INSTALLED... -- what a packager does with the
# release tarball, away from the git tree: unpack it in a temporary
# folder, `make check` there, `make install DESTDIR=...`, see that every
# INSTALLED path (as the Makefile lists them, under the prefix) is there,
# `make uninstall` and see that nothing is left.  Also fails when the
# tarball lacks a file that the build or the tests need, which `make
# check` in the git tree cannot notice.  MAKE and MAKEFLAGS come from
# make, so -j and variables given to `make distcheck` reach the inner
# runs.  The folder is removed on success and kept for a look on failure.
set -eu
tarball=${1:?usage: distcheck.sh TARBALL INSTALLED...}
shift
: "${MAKE:=make}"
name=$(basename "$tarball" .tar.gz)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/$name-distcheck.XXXXXX")
fail() { echo "distcheck: $*; see $tmp" >&2; exit 1; }

tar -xzf "$tarball" -C "$tmp" || fail "cannot unpack $tarball"
src=$tmp/$name
[ -f "$src/Makefile" ] || fail "$tarball does not unpack into $name/"
[ ! -e "$src/.git" ] || fail "$tarball holds a .git"
(cd "$src" && find . -type f | sort) >"$tmp/files.before"

$MAKE -C "$src" check || fail "make check fails in the unpacked tarball"

# The tests write below build/ only (and the databases .gitignore names).
(cd "$src" && find . -type f ! -path './build/*' | sort) >"$tmp/files.after"
new=$(comm -13 "$tmp/files.before" "$tmp/files.after")
[ -z "$new" ] || fail "make check wrote outside build/: $new"

dest=$tmp/destdir
$MAKE -C "$src" --no-print-directory install DESTDIR="$dest" >/dev/null ||
	fail "make install DESTDIR=$dest fails"
for f in "$@"; do
	[ -e "$dest$f" ] || [ -L "$dest$f" ] || fail "make install did not install $f"
done
$MAKE -C "$src" --no-print-directory uninstall DESTDIR="$dest" >/dev/null ||
	fail "make uninstall fails"
left=$(find "$dest" ! -type d)
[ -z "$left" ] || fail "make uninstall left: $left"

rm -rf "$tmp"
echo "distcheck: $tarball unpacks, passes make check, installs and uninstalls"
