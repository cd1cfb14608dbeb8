# ignition-selinux
VERSION := 0.1.0
PREFIX ?= /usr
DRACUTMODDIR ?= $(PREFIX)/lib/dracut/modules.d/31ignition-selinux
DESTDIR ?=
BUILD ?= build
# Every Nth fault point in the fault-injection test (all of them by default).
FAULT_STRIDE ?= 1
CC ?= cc

PKGS := json-c libselinux libsepol libsemanage blkid libpcre2-8 zlib
# libbz2 (no .pc file) reads the modules libsemanage stores bzip2-compressed
PKG_LIBS_EXTRA := -lbz2
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS))
PKG_LIBS := $(shell pkg-config --libs $(PKGS)) $(PKG_LIBS_EXTRA)

CFLAGS ?= -O2 -g
# -Werror holds for this project's own builds and tests. A distribution build passes WERROR=
# (empty), so that a newer compiler's new warnings do not fail it (contrib/flatcar/'s ebuild).
WERROR ?= -Werror
override CFLAGS += -std=gnu11 -Wall -Wextra $(WERROR) -Wshadow -Wno-unused-parameter -iquote src \
	-D_GNU_SOURCE -DVERSION='"$(VERSION)"' $(PKG_CFLAGS) $(SANFLAGS)
override LDFLAGS += $(SANFLAGS)

# src/: the pipeline, cli -> config -> plan -> apply, over selinux/ and lib/ (docs/design.md).
SRC_DIRS := lib selinux config plan apply report cli
SRCS := $(sort $(foreach d,$(SRC_DIRS),$(wildcard src/$(d)/*.c)))
HDRS := $(wildcard src/*/*.h)
LIB_OBJS := $(patsubst src/%.c,$(BUILD)/obj/%.o,$(filter-out src/cli/main.c,$(SRCS)))
BIN := $(BUILD)/ignition-selinux

UNIT_SRCS := $(sort $(wildcard tests/unit/test-*.c))
UNIT_BINS := $(patsubst tests/unit/%.c,$(BUILD)/tests/%,$(UNIT_SRCS))
TOOL_SRCS := $(sort $(wildcard tests/tools/*.c))
TOOL_BINS := $(patsubst tests/tools/%.c,$(BUILD)/tests/tools/%,$(TOOL_SRCS))
PRELOAD_SRCS := $(sort $(wildcard tests/preload/*.c))
PRELOADS := $(patsubst tests/preload/%.c,$(BUILD)/tests/%.so,$(PRELOAD_SRCS))

.PHONY: all check check-layout check-unit check-integration check-asan check-valgrind check-boot install install-dracut clean demo demo-boot bench fuzz fuzz-smoke

all: $(BIN)

$(BUILD)/obj/%.o: src/%.c $(HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -c -o $@ $<

$(BIN): $(BUILD)/obj/cli/main.o $(LIB_OBJS)
	$(CC) $(LDFLAGS) -o $@ $^ $(PKG_LIBS)

# The program with its one test hook (IGNITION_SELINUX_MAX_STEPS: stop apply after N steps),
# for the fault suite; the product reads no such switch.
HOOKS_BIN := $(BUILD)/tests/ignition-selinux-hooks
$(HOOKS_BIN): src/cli/main.c $(LIB_OBJS) $(HDRS) | $(BUILD)/tests
	$(CC) $(CFLAGS) -DIGNITION_SELINUX_TEST_HOOKS $(LDFLAGS) -o $@ $< $(LIB_OBJS) $(PKG_LIBS)

$(BUILD)/tests/test-%: tests/unit/test-%.c $(LIB_OBJS) | $(BUILD)/tests
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $< $(LIB_OBJS) $(PKG_LIBS) $(shell pkg-config --libs cmocka)

$(BUILD)/tests/tools/%: tests/tools/%.c $(LIB_OBJS) | $(BUILD)/tests/tools
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $< $(LIB_OBJS) $(PKG_LIBS)

# The fault injector is preloaded into the product, so no sanitizer here.
$(BUILD)/tests/%.so: tests/preload/%.c | $(BUILD)/tests
	$(CC) -std=gnu11 -O1 -g -Wall -Wextra -Werror -fPIC -shared -o $@ $< -ldl

$(BUILD)/tests $(BUILD)/tests/tools:
	mkdir -p $@

check-unit: $(UNIT_BINS) $(PRELOADS)
	@set -e; for t in $(UNIT_BINS); do echo "== $$t"; $$t; done
	@echo "== $(BUILD)/tests/test-root, resolving without openat2"
	LD_PRELOAD=$(BUILD)/tests/no-openat2.so $(BUILD)/tests/test-root

check-integration: $(BIN) $(HOOKS_BIN) $(TOOL_BINS) $(PRELOADS)
	BUILD=$(BUILD) FAULT_STRIDE=$(FAULT_STRIDE) tests/integration/run.sh

# Everything above once more under AddressSanitizer and UBSan. The plain run already injects a
# fault at every call and races 50 pairs; here every 15th call and 10 pairs find memory errors
# on those paths at a third of the time (CI runs all of make check within 90 minutes).
check-asan:
	PAIRS=10 $(MAKE) BUILD=build-asan CC=clang FAULT_STRIDE=15 \
		SANFLAGS="-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer" \
		check-unit check-integration

# The unit tests and the program's main paths under valgrind memcheck.
check-valgrind: $(BIN) $(UNIT_BINS) $(PRELOADS)
	BUILD=$(BUILD) tests/valgrind.sh

# Real QEMU boots with Debian's kernel, dracut and Ignition (tests/boot/, docs/boot.md).
check-boot: $(BIN) $(BUILD)/tests/tools/policy-tool
	BUILD=$(BUILD) JOBS=$${JOBS:-2} tests/boot/run.sh

# libFuzzer targets in fuzz/ (clang); see docs/security.md.
FUZZ_SECONDS ?= 600
FUZZ_JOBS ?= 2
fuzz:
	fuzz/run.sh $(FUZZ_SECONDS) $(if $(FUZZ_RUNS),--runs $(FUZZ_RUNS)) -j$(FUZZ_JOBS)
# Each target 10 s or 20000 inputs, whichever ends first (make check runs it).
fuzz-smoke:
	fuzz/run.sh 10 --runs 20000 -j$(FUZZ_JOBS)

# src/'s folders include only downwards, and only each other's interface (tests/layout.sh).
check-layout:
	tests/layout.sh

check: all
	$(MAKE) check-layout
	$(MAKE) check-unit
	$(MAKE) check-integration
	$(MAKE) check-valgrind
	$(MAKE) check-asan
	$(MAKE) fuzz-smoke
	$(MAKE) check-flatcar
	@if tests/boot/run.sh --deps-ok; then $(MAKE) check-boot; \
	else echo "check-boot skipped: run contrib/install-boot-deps.sh"; fi

# Boots a VM whose Ignition config declares enforcing (the README's first command).
demo-boot: $(BIN) $(BUILD)/tests/tools/policy-tool
	BUILD=$(BUILD) tests/boot/demo.sh

# The same steps on a Flatcar-like root in a directory, no VM.
demo: $(BIN)
	contrib/demo.sh

# Wall time, CPU and peak memory against Flatcar's manual steps (docs/performance.md).
bench: $(BIN) $(BUILD)/tests/tools/policy-tool
	BUILD=$(BUILD) bench/run.sh $(BENCH_ARGS)

install: $(BIN) install-dracut
	install -Dm755 $(BIN) $(DESTDIR)$(PREFIX)/bin/ignition-selinux
	install -Dm644 docs/ignition-selinux.8 $(DESTDIR)$(PREFIX)/share/man/man8/ignition-selinux.8
	install -Dm644 docs/ignition-selinux.json.5 $(DESTDIR)$(PREFIX)/share/man/man5/ignition-selinux.json.5

install-dracut:
	install -Dm755 dracut/module-setup.sh $(DESTDIR)$(DRACUTMODDIR)/module-setup.sh
	install -Dm644 dracut/ignition-selinux.service $(DESTDIR)$(DRACUTMODDIR)/ignition-selinux.service

# contrib/flatcar/: bake-default on a disk image laid out as Flatcar's, make dist, the sysext
# (tests/flatcar/, needs root; a missing tool is a SKIP line).
check-flatcar: $(BIN)
	BUILD=$(BUILD) tests/flatcar/run.sh

# The release tarball the ebuild fetches: every tracked file of HEAD (not the work tree's
# uncommitted changes) under ignition-selinux-$(VERSION)/.
DIST := $(BUILD)/ignition-selinux-$(VERSION).tar.gz
dist:
	@mkdir -p $(BUILD)
	@git diff --quiet HEAD -- || echo "warning: uncommitted changes are not in $(DIST)" >&2
	git archive --format=tar.gz --prefix=ignition-selinux-$(VERSION)/ -o $(DIST) HEAD
	@echo $(DIST)

.PHONY: check-flatcar dist

clean:
	rm -rf build build-asan build-fuzz
