#!/bin/sh
# SPDX-License-Identifier: MIT
# deps.sh build|test|bench|fuzz|valgrind -- install what libmatch needs when it is missing.
# As root it runs apt-get (Debian); otherwise it prints the exact command.
set -u
what=${1:-build}
need=""
have_pc() { pkg-config --exists "$1" 2>/dev/null; }
command -v pkg-config >/dev/null 2>&1 || need="$need pkg-config"
command -v cc >/dev/null 2>&1 || need="$need gcc"
command -v make >/dev/null 2>&1 || need="$need make"
have_pc sqlite3 || need="$need libsqlite3-dev"
have_pc yaml-0.1 || need="$need libyaml-dev"
have_pc libutf8proc || need="$need libutf8proc-dev"
have_pc clp || need="$need coinor-libclp-dev"
# libstemmer (Snowball) comes without a pkg-config file: look for its header.
echo '#include <libstemmer.h>' | ${CC:-cc} -E - >/dev/null 2>&1 ||
	need="$need libstemmer-dev"
case $what in
test)
	have_pc cmocka || need="$need libcmocka-dev"
	command -v sqlite3 >/dev/null 2>&1 || need="$need sqlite3"
	# man pages are checked with groff; bash runs the completion tests
	command -v groff >/dev/null 2>&1 || need="$need groff-base"
	command -v bash >/dev/null 2>&1 || need="$need bash"
	# the SVG map is checked to be well-formed XML
	command -v xmllint >/dev/null 2>&1 || need="$need libxml2-utils"
	# the report is rendered in headless Chromium to PNG and PDF, and
	# the PDF's pages counted and measured (tests/cli/report.sh)
	command -v chromium >/dev/null 2>&1 || need="$need chromium"
	command -v pdfinfo >/dev/null 2>&1 || need="$need poppler-utils"
	# the ABI check (abidw, abidiff); the version check reads the soname
	command -v abidiff >/dev/null 2>&1 || need="$need abigail-tools"
	command -v readelf >/dev/null 2>&1 || need="$need binutils"
	;;
fuzz)
	# clang with its libFuzzer and sanitizer runtimes (Debian's clang
	# package brings them; libclang-rt-N-dev where they are split out).
	command -v clang >/dev/null 2>&1 || need="$need clang"
	if command -v clang >/dev/null 2>&1; then
		f=$(mktemp -d)
		printf 'int LLVMFuzzerTestOneInput(const char *d, unsigned long n)\n{ (void)d; (void)n; return 0; }\n' >"$f/t.c"
		clang -fsanitize=fuzzer,address,undefined "$f/t.c" -o "$f/t" >/dev/null 2>&1 ||
			need="$need libclang-rt-$(clang --version |
				sed -n 's/.*clang version \([0-9]*\).*/\1/p' | head -1)-dev"
		rm -rf "$f"
	fi
	;;
bench)
	command -v sqlite3 >/dev/null 2>&1 || need="$need sqlite3"
	[ -x /usr/bin/time ] || need="$need time"
	/usr/bin/python3 -c 'import yaml, numpy, scipy' 2>/dev/null ||
		need="$need python3-yaml python3-numpy python3-scipy"
	/usr/bin/python3 -c 'import snowballstemmer' 2>/dev/null ||
		need="$need python3-snowballstemmer"
	;;
valgrind)
	command -v valgrind >/dev/null 2>&1 || need="$need valgrind"
	command -v sqlite3 >/dev/null 2>&1 || need="$need sqlite3"
	;;
esac
[ -z "$need" ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
	echo "deps: installing$need" >&2
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq >/dev/null && apt-get install -y -qq $need >/dev/null ||
		{ echo "deps: apt-get install$need failed" >&2; exit 1; }
else
	echo "deps: missing$need; install them with:" >&2
	echo "  sudo apt-get install$need" >&2
	exit 1
fi
