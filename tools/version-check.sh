#!/bin/sh
# SPDX-License-Identifier: MIT
# version-check.sh BUILDDIR -- fail when a place that states libmatch's
# version disagrees with the two files that define it: VERSION (the
# release, MAJOR.MINOR.PATCH) and ABI_VERSION (the shared object's
# MAJOR.MINOR.PATCH; its MAJOR is the soname).  Checked: the header's
# LM_VERSION, LM_VERSION_MAJOR/MINOR/PATCH and LM_ABI_VERSION, the .TH
# lines of match(1) and libmatch(3), a NEWS.md section, the soname the
# README names, and in BUILDDIR the generated libmatch.pc, the shared
# object's file name, soname and links, and what `match --version` says
# at run time.  Run from the top of the tree (make version-check does).
set -u
LC_ALL=C
export LC_ALL
b=${1:?usage: version-check.sh BUILDDIR}
bad=0
fail() { echo "version-check: $*" >&2; bad=1; }
semver() { echo "$1" | grep -Eq '^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)$'; }

ver=$(cat VERSION) || exit 1
abi=$(cat ABI_VERSION) || exit 1
semver "$ver" || { echo "version-check: VERSION is '$ver', not MAJOR.MINOR.PATCH" >&2; exit 1; }
semver "$abi" || { echo "version-check: ABI_VERSION is '$abi', not MAJOR.MINOR.PATCH" >&2; exit 1; }
major=${ver%%.*} rest=${ver#*.}
minor=${rest%%.*} patch=${rest#*.}
abi_major=${abi%%.*}
soname=libmatch.so.$abi_major

# The header: one #define each, with exactly this value.
macro() { # NAME -> the value of `#define NAME value`, comments dropped
	sed -n "s|^#define $1[ 	][ 	]*\([^ 	/]*\).*|\1|p" include/libmatch.h
}
[ "$(macro LM_VERSION)" = "\"$ver\"" ] ||
	fail "include/libmatch.h: LM_VERSION is $(macro LM_VERSION), VERSION says \"$ver\""
for x in MAJOR:$major MINOR:$minor PATCH:$patch; do
	[ "$(macro "LM_VERSION_${x%%:*}")" = "${x#*:}" ] ||
		fail "include/libmatch.h: LM_VERSION_${x%%:*} is $(macro "LM_VERSION_${x%%:*}"), VERSION says ${x#*:}"
done
[ "$(macro LM_ABI_VERSION)" = "$abi_major" ] ||
	fail "include/libmatch.h: LM_ABI_VERSION is $(macro LM_ABI_VERSION), ABI_VERSION says $abi_major"

# .TH title section date "libmatch VERSION" manual
for m in man/match.1 man/libmatch.3; do
	th=$(grep '^\.TH ' "$m" | head -1)
	case $th in
	*"\"libmatch $ver\""*) ;;
	*) fail "$m: '$th' does not name \"libmatch $ver\"" ;;
	esac
done

grep -Eq "^## $ver( |\$)" NEWS.md || fail "NEWS.md has no '## $ver' section"

# Every libmatch.so.N the README names is the soname or the file.
for s in $(grep -Eo 'libmatch\.so\.[0-9]+(\.[0-9]+)*' README.md | sort -u); do
	[ "$s" = "$soname" ] || [ "$s" = "libmatch.so.$abi" ] ||
		fail "README.md names $s; the soname is $soname, the file libmatch.so.$abi"
done

# What the build made of them.
pcv=$(sed -n 's/^Version: //p' "$b/libmatch.pc" 2>/dev/null)
[ "$pcv" = "$ver" ] || fail "$b/libmatch.pc: Version is '$pcv', VERSION says $ver"
so=$b/libmatch.so.$abi
if [ -f "$so" ]; then
	got=$(readelf -d "$so" | sed -n 's/.*(SONAME).*\[\(.*\)\]/\1/p')
	[ "$got" = "$soname" ] || fail "$so: soname is '$got', not $soname"
else
	fail "$so is missing"
fi
[ "$(readlink "$b/$soname")" = "libmatch.so.$abi" ] ||
	fail "$b/$soname does not point to libmatch.so.$abi"
[ "$(readlink "$b/libmatch.so")" = "$soname" ] ||
	fail "$b/libmatch.so does not point to $soname"
run=$("$b/match" --version 2>&1)
[ "$run" = "match (libmatch) $ver" ] ||
	fail "$b/match --version says '$run', VERSION says $ver"

[ $bad = 0 ] || exit 1
echo "version-check: libmatch $ver, ABI $abi ($soname) agree everywhere"
