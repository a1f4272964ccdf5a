# SPDX-License-Identifier: MIT
# libmatch -- plain Makefile.  `make` builds the libraries, the CLI and
# every example; `make check` runs every test; `make demo` shows the job
# on the bundled profiles.  CC, CFLAGS, CPPFLAGS and LDFLAGS are yours.

CC      ?= cc
CFLAGS  ?= -O2 -g
WARN    := -std=c11 -Wall -Wextra -Wpedantic -Wshadow -Wstrict-prototypes \
           -Wmissing-prototypes -Wformat=2 -Wformat-nonliteral
ifdef WERROR
WARN += -Werror
endif
PKG_CONFIG ?= pkg-config

DEPS_PKGS := sqlite3 yaml-0.1 libutf8proc
DEP_CFLAGS := $(shell $(PKG_CONFIG) --cflags $(DEPS_PKGS) 2>/dev/null)
# COIN-OR CLP solves the planner's linear programs (engine/lp.c): its
# header at build time; libClp.so.1 is loaded with dlopen when a plan has
# team needs (lp.c says why it is not linked).
CLP_CFLAGS := $(shell $(PKG_CONFIG) --cflags clp 2>/dev/null || echo -I/usr/include/coin)
# Snowball's libstemmer (Debian's libstemmer-dev) has no pkg-config file.
STEMMER_LIBS := -lstemmer
DEP_LIBS   := $(shell $(PKG_CONFIG) --libs $(DEPS_PKGS) 2>/dev/null || echo -lsqlite3 -lyaml -lutf8proc) $(STEMMER_LIBS)
CMOCKA_LIBS := $(shell $(PKG_CONFIG) --libs cmocka 2>/dev/null || echo -lcmocka)

# The two versions are defined once each, in the files VERSION (the
# release, e.g. 0.2.0) and ABI_VERSION (the shared object's MAJOR.MINOR.PATCH:
# MAJOR is the soname and changes only when the ABI breaks, MINOR grows with
# additions, PATCH with fixes that leave the interface alone).  The header's
# LM_VERSION* macros and the man pages' .TH lines repeat them;
# `make version-check` (part of check) fails when any disagrees.
VERSION     := $(strip $(file <VERSION))
ABI_VERSION := $(strip $(file <ABI_VERSION))
ABI     := $(firstword $(subst ., ,$(ABI_VERSION)))
B       := build
SONAME  := libmatch.so.$(ABI)
SO_REAL := libmatch.so.$(ABI_VERSION)

ALL_CPPFLAGS := -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -Iinclude -Ilibmatch $(DEP_CFLAGS) $(CLP_CFLAGS) $(CPPFLAGS)
ALL_CFLAGS   := $(WARN) -pthread $(CFLAGS)
# The loader parses a big file's YAML on a second thread (io/yaml_events.c).
SYS_LIBS     := -lm -pthread -ldl

# The library's layers, bottom up (docs/architecture.md): the model, the
# engine on it, input/output on both.
LAYERS  := model engine io
LIB_SRC := $(foreach l,$(LAYERS),$(sort $(wildcard libmatch/$(l)/*.c)))
LIB_HDR := $(wildcard libmatch/*/*.h)
LIB_OBJ := $(LIB_SRC:libmatch/%.c=$(B)/obj/lib/%.o)
LIB_PIC := $(LIB_SRC:libmatch/%.c=$(B)/obj/pic/%.o)
CLI_SRC := $(sort $(wildcard cli/*.c))
CLI_OBJ := $(CLI_SRC:cli/%.c=$(B)/obj/cli/%.o)
EX_SRC  := $(sort $(wildcard examples/*.c))
EX_BIN  := $(EX_SRC:examples/%.c=$(B)/examples/%)
TEST_SRC := $(sort $(wildcard tests/test_*.c))
TEST_BIN := $(TEST_SRC:tests/%.c=$(B)/tests/%)
TEST_SUPPORT := $(filter-out tests/test_%.c,$(wildcard tests/*.c))

.PHONY: all check demo clean deps test-deps unit cli-tests asan
all: deps $(B)/libmatch.a $(B)/libmatch.so $(B)/match $(EX_BIN)

# Install a missing build dependency (apt-get as root, else say how).
deps:
	@sh tools/deps.sh build

test-deps:
	@sh tools/deps.sh test

$(B)/obj/lib/%.o: libmatch/%.c $(LIB_HDR) include/libmatch.h | deps
	@mkdir -p $(@D)
	$(CC) $(ALL_CPPFLAGS) -DLM_BUILDING -fvisibility=hidden $(ALL_CFLAGS) -c $< -o $@
$(B)/obj/pic/%.o: libmatch/%.c $(LIB_HDR) include/libmatch.h | deps
	@mkdir -p $(@D)
	$(CC) $(ALL_CPPFLAGS) -DLM_BUILDING -fvisibility=hidden -fPIC $(ALL_CFLAGS) -c $< -o $@
$(B)/libmatch.a: $(LIB_OBJ)
	@rm -f $@
	$(AR) rcs $@ $^
$(B)/$(SO_REAL): $(LIB_PIC)
	$(CC) -shared -Wl,-soname,$(SONAME) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(DEP_LIBS) $(SYS_LIBS)
# The links are checked on every run: make judges a link by the file it
# points to, so after a change of ABI_VERSION it would keep the old ones.
$(B)/libmatch.so: $(B)/$(SO_REAL) FORCE
	@if [ "$$(readlink $(B)/$(SONAME))" != $(SO_REAL) ] || \
	    [ "$$(readlink $@)" != $(SONAME) ]; then \
	  echo "ln -sf $(SO_REAL) $(B)/$(SONAME) && ln -sf $(SONAME) $@"; \
	  ln -sf $(SO_REAL) $(B)/$(SONAME) && ln -sf $(SONAME) $@; fi

$(B)/obj/cli/%.o: cli/%.c cli/*.h include/libmatch.h | deps
	@mkdir -p $(@D)
	$(CC) -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -Iinclude $(DEP_CFLAGS) $(CPPFLAGS) $(ALL_CFLAGS) -c $< -o $@
$(B)/match: $(CLI_OBJ) $(B)/libmatch.a
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $(CLI_OBJ) $(B)/libmatch.a $(DEP_LIBS) $(SYS_LIBS)

$(B)/examples/%: examples/%.c $(B)/libmatch.a include/libmatch.h
	@mkdir -p $(@D)
	$(CC) -D_POSIX_C_SOURCE=200809L -Iinclude $(CPPFLAGS) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $< $(B)/libmatch.a $(DEP_LIBS) $(SYS_LIBS)

# Unit tests link the static library's objects directly so they can reach
# internal functions (tests of one module).
$(B)/tests/%: tests/%.c $(TEST_SUPPORT) tests/*.h $(LIB_OBJ) | test-deps
	@mkdir -p $(@D)
	$(CC) $(ALL_CPPFLAGS) -Itests $(ALL_CFLAGS) $(LDFLAGS) -o $@ $< $(TEST_SUPPORT) $(LIB_OBJ) $(CMOCKA_LIBS) $(DEP_LIBS) $(SYS_LIBS)

unit: $(TEST_BIN)
	@set -e; for t in $(TEST_BIN); do echo "== $$t"; (cd tests && ../$$t); done

cli-tests: all
	@sh tests/cli/run.sh $(B)/match
	@sh tests/cli/lifecycle.sh $(B)/match
	@sh tests/cli/behaviour.sh $(B)/match

# Real processes on one database: concurrent loads and commits, loads
# killed with SIGKILL, loads during a plan's run, faults (a full disk, a
# damaged header), loads waiting for a FIFO and a year of quarters
# (tests/sh/*.sh; a few seconds each).
.PHONY: sh-tests check-valgrind
sh-tests: all
	@sh tests/sh/concurrency.sh $(B)/match
	@sh tests/sh/crash.sh $(B)/match
	@sh tests/sh/stale.sh $(B)/match
	@sh tests/sh/faults.sh $(B)/match
	@sh tests/sh/fifo.sh $(B)/match
	@sh tests/sh/year.sh $(B)/match

# The CLI tests with every `match` run under valgrind memcheck.
VALGRIND ?= valgrind --leak-check=full --show-leak-kinds=definite \
            --errors-for-leak-kinds=definite \
            --error-exitcode=1 -q
check-valgrind: all
	@sh tools/deps.sh valgrind
	@MATCH_WRAPPER="$(VALGRIND)" sh tests/cli/run.sh $(B)/match

# Dependencies point one way (docs/architecture.md): no object of a lower
# layer refers to a symbol of a higher one.
.PHONY: layer-check
layer-check: $(LIB_OBJ)
	@sh tools/layers.sh $(B)/obj/lib

# The version stated everywhere is the one VERSION and ABI_VERSION define
# (tools/version-check.sh lists the places).
.PHONY: version-check
version-check: all $(B)/libmatch.pc
	@sh tools/version-check.sh $(B)

# ---- ABI ------------------------------------------------------------------
# abi/libmatch.abi records the shared library's ABI (abidw: every exported
# function, its types, and the public types they reach; opaque handles stay
# declaration-only).  `make abi-check` (part of check) fails on a removed
# or changed interface and passes on additions (tools/abi-check.sh says
# how).  After a deliberate change, `make abi-baseline` rewrites the file.
# The library compared is built apart, with -g and default flags, so that
# sanitizer or optimisation flags of the build at hand do not enter.
ABI_FILE    := abi/libmatch.abi
ABI_B       := $(B)/abi
ABI_CFLAGS  := -O2 -g
ABIDW_FLAGS := --headers-dir include --drop-private-types --exported-interfaces-only \
               --no-corpus-path --no-comp-dir-path --no-show-locs --type-id-style hash
.PHONY: abi-check abi-baseline
$(ABI_B)/libmatch.abi: FORCE | test-deps
	@$(MAKE) --no-print-directory B=$(ABI_B) CFLAGS='$(ABI_CFLAGS)' LDFLAGS= \
	  $(ABI_B)/$(SO_REAL)
	abidw $(ABIDW_FLAGS) --out-file $@ $(ABI_B)/$(SO_REAL)
abi-check: $(ABI_B)/libmatch.abi
	@sh tools/abi-check.sh $(ABI_FILE) $<
abi-baseline: $(ABI_B)/libmatch.abi
	@mkdir -p $(dir $(ABI_FILE))
	cp $< $(ABI_FILE)
	@echo "abi-baseline: wrote $(ABI_FILE) for $(SO_REAL); commit it"

# The public header alone compiles as C99 and as C++11 with every warning
# an error (tests/header/): no C11 construct, no `long long`, extern "C".
# `make header-check CC=clang CXX=clang++` checks it with clang.
.PHONY: header-check
HEADER_WARN := -Wall -Wextra -Wpedantic -Werror
header-check:
	@mkdir -p $(B)/header-check
	$(CC) -std=c99 $(HEADER_WARN) -Iinclude -c tests/header/header_c99.c -o $(B)/header-check/c99.o
	$(CXX) -std=c++11 $(HEADER_WARN) -Iinclude -c tests/header/header_cxx.cpp -o $(B)/header-check/cxx.o

check: all layer-check version-check header-check abi-check unit cli-tests \
       sh-tests ecosystem-tests install-check
	@echo "make check: all tests passed"

DEMO_DB := $(B)/demo.db
demo: all
	@sh tools/demo.sh $(B)/match $(DEMO_DB)

# The whole suite under AddressSanitizer and UndefinedBehaviorSanitizer,
# built apart in build/asan so that it never mixes with the normal build.
SAN := -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer
asan:
	$(MAKE) B=build/asan CFLAGS="-O1 -g $(SAN)" LDFLAGS="$(SAN)" check

# libFuzzer harnesses (tests/fuzz/fuzz_*.c), built with clang and run one
# after the other for FUZZ_SECONDS each, in one process each.  New inputs go to
# build/fuzz/corpus-NAME, crashes to build/fuzz/NAME-crash-*; the seeds in
# tests/fuzz/corpus/NAME are only read.
FUZZ_CC      ?= clang
FUZZ_SECONDS ?= 60
FUZZ_FLAGS   := -g -O1 -fsanitize=fuzzer,address,undefined \
                -fno-sanitize-recover=undefined -fno-omit-frame-pointer
FUZZ_NAMES   := $(patsubst tests/fuzz/fuzz_%.c,%,$(sort $(wildcard tests/fuzz/fuzz_*.c)))
FUZZ_BIN     := $(FUZZ_NAMES:%=build/fuzz/fuzz_%)
.PHONY: fuzz fuzz-build
build/fuzz/fuzz_%: tests/fuzz/fuzz_%.c $(LIB_SRC) $(LIB_HDR) include/libmatch.h cli/*.c cli/*.h
	@sh tools/deps.sh fuzz
	@mkdir -p $(@D)
	$(FUZZ_CC) $(ALL_CPPFLAGS) -Icli $(FUZZ_FLAGS) -o $@ $< \
	  $(if $(findstring args,$*),cli/args.c) $(LIB_SRC) $(DEP_LIBS) $(SYS_LIBS)
fuzz-build: $(FUZZ_BIN)
fuzz: fuzz-build
	@set -e; for n in $(FUZZ_NAMES); do \
	  mkdir -p build/fuzz/corpus-$$n; echo "== fuzz_$$n for $(FUZZ_SECONDS) s"; \
	  build/fuzz/fuzz_$$n -max_total_time=$(FUZZ_SECONDS) -timeout=10 \
	    -rss_limit_mb=2048 -close_fd_mask=3 \
	    -print_final_stats=1 -artifact_prefix=build/fuzz/$$n- \
	    $$(test -f tests/fuzz/$$n.dict && echo -dict=tests/fuzz/$$n.dict) \
	    build/fuzz/corpus-$$n tests/fuzz/corpus/$$n; \
	done

# ---- install ------------------------------------------------------------------
# `make install` / `make uninstall` under $(DESTDIR)$(prefix).  The GNU
# lower-case names and the upper-case ones both work (PREFIX=/opt/m or
# prefix=/opt/m, LIBDIR=/usr/lib64 or libdir=...): install_dir gives the
# upper-case name $(1) the default $(3), and the lower-case $(2) the
# upper-case one's value.
define install_dir
$(1) ?= $(3)
$(2) ?= $$($(1))
endef
$(eval $(call install_dir,PREFIX,prefix,/usr/local))
$(eval $(call install_dir,BINDIR,bindir,$$(prefix)/bin))
$(eval $(call install_dir,LIBDIR,libdir,$$(prefix)/lib))
$(eval $(call install_dir,INCLUDEDIR,includedir,$$(prefix)/include))
$(eval $(call install_dir,DATADIR,datadir,$$(prefix)/share))
$(eval $(call install_dir,MANDIR,mandir,$$(datadir)/man))
$(eval $(call install_dir,PKGCONFIGDIR,pkgconfigdir,$$(libdir)/pkgconfig))
$(eval $(call install_dir,COMPLETIONDIR,completiondir,$$(datadir)/bash-completion/completions))
INSTALL    ?= install

# Paths under the prefix are written relative to ${prefix} in the .pc file,
# so that `pkg-config --define-prefix` can relocate it.
pc_rel = $(patsubst $(prefix)%,$${prefix}%,$(1))
INSTALLED := $(bindir)/match $(includedir)/libmatch.h $(libdir)/libmatch.a \
	$(libdir)/$(SO_REAL) $(libdir)/$(SONAME) $(libdir)/libmatch.so \
	$(pkgconfigdir)/libmatch.pc $(mandir)/man1/match.1 $(mandir)/man3/libmatch.3 \
	$(completiondir)/match

.PHONY: install uninstall install-check ecosystem-tests FORCE
$(B)/libmatch.pc: FORCE
	@mkdir -p $(@D)
	@printf '%s\n' 'prefix=$(prefix)' 'libdir=$(call pc_rel,$(libdir))' \
	  'includedir=$(call pc_rel,$(includedir))' '' 'Name: libmatch' \
	  'Description: Match experts to companies'"'"' needs: scoring, ranking, optimal plans' \
	  'Version: $(VERSION)' 'Requires.private: $(DEPS_PKGS)' \
	  'Cflags: -I$${includedir}' 'Libs: -L$${libdir} -lmatch' 'Libs.private: $(STEMMER_LIBS) -lm -pthread -ldl' >$@

install: all $(B)/libmatch.pc
	$(INSTALL) -d $(DESTDIR)$(bindir) $(DESTDIR)$(libdir) $(DESTDIR)$(includedir) \
	  $(DESTDIR)$(pkgconfigdir) $(DESTDIR)$(mandir)/man1 $(DESTDIR)$(mandir)/man3 \
	  $(DESTDIR)$(completiondir)
	$(INSTALL) -m 755 $(B)/match $(DESTDIR)$(bindir)/match
	$(INSTALL) -m 644 include/libmatch.h $(DESTDIR)$(includedir)/libmatch.h
	$(INSTALL) -m 644 $(B)/libmatch.a $(DESTDIR)$(libdir)/libmatch.a
	$(INSTALL) -m 755 $(B)/$(SO_REAL) $(DESTDIR)$(libdir)/$(SO_REAL)
	ln -sf $(SO_REAL) $(DESTDIR)$(libdir)/$(SONAME)
	ln -sf $(SONAME) $(DESTDIR)$(libdir)/libmatch.so
	$(INSTALL) -m 644 $(B)/libmatch.pc $(DESTDIR)$(pkgconfigdir)/libmatch.pc
	$(INSTALL) -m 644 man/match.1 $(DESTDIR)$(mandir)/man1/match.1
	$(INSTALL) -m 644 man/libmatch.3 $(DESTDIR)$(mandir)/man3/libmatch.3
	$(INSTALL) -m 644 completion/match.bash $(DESTDIR)$(completiondir)/match

uninstall:
	rm -f $(addprefix $(DESTDIR),$(INSTALLED))

# Install into a temporary DESTDIR, build every example against the
# installed copy with pkg-config, run them, uninstall, and check that
# nothing is left.
install-check: all
	@rm -rf $(B)/install-check
	@$(MAKE) --no-print-directory install DESTDIR=$(abspath $(B))/install-check >/dev/null
	@CC="$(CC)" CFLAGS="$(CFLAGS)" LDFLAGS="$(LDFLAGS)" PKG_CONFIG="$(PKG_CONFIG)" \
	  sh tests/install-check.sh $(abspath $(B))/install-check $(pkgconfigdir) \
	  $(libdir) $(bindir) $(B)/demo-install.db
	@$(MAKE) --no-print-directory uninstall DESTDIR=$(abspath $(B))/install-check >/dev/null
	@left=$$(find $(B)/install-check ! -type d); if [ -n "$$left" ]; then \
	  echo "install-check: uninstall left:"; echo "$$left"; exit 1; fi
	@rm -rf $(B)/install-check
	@echo "install-check: install, pkg-config build, run and uninstall OK"

# ---- release tarball -------------------------------------------------------
# `make dist` writes libmatch-VERSION.tar.gz from git (HEAD, every tracked
# file: what the build, `make check` and the bench need); uncommitted
# changes are not in it, and it says so.  `make distcheck` unpacks it in a
# temporary folder, runs `make check` there and installs it into a DESTDIR
# (tools/distcheck.sh).
DIST := libmatch-$(VERSION)
.PHONY: dist distcheck
dist:
	@git rev-parse --git-dir >/dev/null 2>&1 || \
	  { echo "dist: needs a git checkout (it archives HEAD)" >&2; exit 1; }
	@[ -z "$$(git status --porcelain)" ] || \
	  echo "dist: warning: uncommitted changes are not in $(DIST).tar.gz (it is HEAD)" >&2
	git archive --format=tar.gz --prefix=$(DIST)/ -o $(DIST).tar.gz HEAD
	@echo "dist: wrote $(DIST).tar.gz"
distcheck: dist
	@MAKE='$(MAKE)' sh tools/distcheck.sh $(DIST).tar.gz $(INSTALLED)

# Man pages render without warnings, bash completion, the map, progress,
# and the quarter's report as a reader sees it (headless Chromium).
ecosystem-tests: all | test-deps
	@sh tests/cli/ecosystem.sh $(B)/match
	@bash tests/cli/completion.sh $(B)/match
	@sh tests/cli/report.sh $(B)/match

# Benchmarks (never part of `check`): libmatch against PyYAML+sqlite3, a
# bare libyaml scan, one SQL query, numpy and scipy on the same generated
# data in one run; docs/performance.md explains the table.  BENCH_FLAGS=--quick
# skips the 1,000,000-expert sizes.
BENCH_BIN := $(B)/bench/gen $(B)/bench/yamlscan $(B)/bench/rank $(B)/bench/suggest \
             $(B)/bench/teammilp
$(B)/bench/gen: bench/gen.c
	@mkdir -p $(@D)
	$(CC) -D_POSIX_C_SOURCE=200809L $(CPPFLAGS) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $<
$(B)/bench/yamlscan: bench/yamlscan.c | deps
	@mkdir -p $(@D)
	$(CC) $(DEP_CFLAGS) $(CPPFLAGS) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $< $(DEP_LIBS)
$(B)/bench/rank: bench/rank.c $(B)/libmatch.a include/libmatch.h
	@mkdir -p $(@D)
	$(CC) -D_POSIX_C_SOURCE=200809L -Iinclude $(CPPFLAGS) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $< $(B)/libmatch.a $(DEP_LIBS) $(SYS_LIBS)
$(B)/bench/suggest: bench/suggest.c $(B)/libmatch.a include/libmatch.h
	@mkdir -p $(@D)
	$(CC) -D_POSIX_C_SOURCE=200809L -Iinclude $(CPPFLAGS) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $< $(B)/libmatch.a $(DEP_LIBS) $(SYS_LIBS)
# The plan with teams as the data of a compact MILP (bench/teammilp.py):
# it reads the engine's internal headers, so it links the library's objects.
$(B)/bench/teammilp: bench/teammilp.c $(LIB_OBJ)
	@mkdir -p $(@D)
	$(CC) $(ALL_CPPFLAGS) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $< $(LIB_OBJ) $(DEP_LIBS) $(SYS_LIBS)
.PHONY: bench
bench: all $(BENCH_BIN)
	@sh tools/deps.sh bench
	@/usr/bin/python3 bench/run.py $(B) $(BENCH_FLAGS)

clean:
	rm -rf build $(DIST).tar.gz
