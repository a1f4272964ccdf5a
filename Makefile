# libmatch -- plain Makefile.  `make` builds the libraries, the CLI and
# every example; `make check` runs every test; `make demo` shows the job
# on the bundled profiles.  CC, CFLAGS, CPPFLAGS and LDFLAGS are yours.

CC      ?= cc
CFLAGS  ?= -O2 -g
WARN    := -std=c11 -Wall -Wextra -Wpedantic -Wshadow -Wstrict-prototypes \
           -Wmissing-prototypes -Wformat=2 -Wno-format-nonliteral
ifdef WERROR
WARN += -Werror
endif
PKG_CONFIG ?= pkg-config

DEPS_PKGS := sqlite3 yaml-0.1 libutf8proc
DEP_CFLAGS := $(shell $(PKG_CONFIG) --cflags $(DEPS_PKGS) 2>/dev/null)
DEP_LIBS   := $(shell $(PKG_CONFIG) --libs $(DEPS_PKGS) 2>/dev/null || echo -lsqlite3 -lyaml -lutf8proc)
CMOCKA_LIBS := $(shell $(PKG_CONFIG) --libs cmocka 2>/dev/null || echo -lcmocka)

ABI     := 1
VERSION := 0.1.0
B       := build
SONAME  := libmatch.so.$(ABI)

ALL_CPPFLAGS := -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -Iinclude -Ilibmatch $(DEP_CFLAGS) $(CPPFLAGS)
ALL_CFLAGS   := $(WARN) $(CFLAGS)

LIB_SRC := $(sort $(wildcard libmatch/*.c))
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

$(B)/obj/lib/%.o: libmatch/%.c libmatch/*.h include/libmatch.h | deps
	@mkdir -p $(@D)
	$(CC) $(ALL_CPPFLAGS) -DLM_BUILDING -fvisibility=hidden $(ALL_CFLAGS) -c $< -o $@
$(B)/obj/pic/%.o: libmatch/%.c libmatch/*.h include/libmatch.h | deps
	@mkdir -p $(@D)
	$(CC) $(ALL_CPPFLAGS) -DLM_BUILDING -fvisibility=hidden -fPIC $(ALL_CFLAGS) -c $< -o $@
$(B)/libmatch.a: $(LIB_OBJ)
	@rm -f $@
	$(AR) rcs $@ $^
$(B)/libmatch.so.$(VERSION): $(LIB_PIC)
	$(CC) -shared -Wl,-soname,$(SONAME) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(DEP_LIBS) -lm
$(B)/libmatch.so: $(B)/libmatch.so.$(VERSION)
	ln -sf libmatch.so.$(VERSION) $(B)/$(SONAME)
	ln -sf $(SONAME) $@

$(B)/obj/cli/%.o: cli/%.c cli/*.h include/libmatch.h | deps
	@mkdir -p $(@D)
	$(CC) -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -Iinclude $(DEP_CFLAGS) $(CPPFLAGS) $(ALL_CFLAGS) -c $< -o $@
$(B)/match: $(CLI_OBJ) $(B)/libmatch.a
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $(CLI_OBJ) $(B)/libmatch.a $(DEP_LIBS) -lm

$(B)/examples/%: examples/%.c $(B)/libmatch.a include/libmatch.h
	@mkdir -p $(@D)
	$(CC) -D_POSIX_C_SOURCE=200809L -Iinclude $(CPPFLAGS) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $< $(B)/libmatch.a $(DEP_LIBS) -lm

# Unit tests link the static library's objects directly so they can reach
# internal functions (tests of one module).
$(B)/tests/%: tests/%.c $(TEST_SUPPORT) tests/*.h $(LIB_OBJ) | test-deps
	@mkdir -p $(@D)
	$(CC) $(ALL_CPPFLAGS) -Itests $(ALL_CFLAGS) $(LDFLAGS) -o $@ $< $(TEST_SUPPORT) $(LIB_OBJ) $(CMOCKA_LIBS) $(DEP_LIBS) -lm

unit: $(TEST_BIN)
	@set -e; for t in $(TEST_BIN); do echo "== $$t"; (cd tests && ../$$t); done

cli-tests: all
	@sh tests/cli/run.sh $(B)/match

check: all unit cli-tests
	@echo "make check: all tests passed"

DEMO_DB := $(B)/demo.db
demo: all
	@sh tools/demo.sh $(B)/match $(DEMO_DB)

# The whole suite under AddressSanitizer and UndefinedBehaviorSanitizer,
# built apart in build/asan so that it never mixes with the normal build.
SAN := -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer
asan:
	$(MAKE) B=build/asan CFLAGS="-O1 -g $(SAN)" LDFLAGS="$(SAN)" check

clean:
	rm -rf build
