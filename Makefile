# hvctl — top-level build. See README.md.
#
# Every part contributes a fragment (*/build.mk) that appends to the lists
# below; outputs go to build/. `make V=1` shows the commands.

BUILD		?= build
CC		?= gcc
CLANG		?= clang
SANITIZE	?=

ifeq ($(origin CC),default)
CC := gcc
endif

# The release version lives in VERSION alone; debian/changelog agrees with
# it (scripts/check-version.sh, run by make check).
HVCTL_VERSION	:= $(shell cat VERSION)

WARN		:= -Wall -Wextra -Werror -Wmissing-prototypes -Wstrict-prototypes \
		   -Wshadow -Wformat=2 -Wno-format-nonliteral
CFLAGS		?= -O2 -g
ALL_CFLAGS	:= -std=gnu11 $(WARN) $(CPPFLAGS) $(CFLAGS) -D_GNU_SOURCE -Iinclude \
		   -Ilibhvctl/include -DHVCTL_VERSION='"$(HVCTL_VERSION)"' -MMD -MP
LDFLAGS		?=

ifeq ($(SANITIZE),1)
BUILD		:= build/san
ALL_CFLAGS	+= -fsanitize=address,undefined -fno-omit-frame-pointer \
		   -fno-sanitize-recover=all
LDFLAGS		+= -fsanitize=address,undefined
endif

# Tools find libhvctl.so next to themselves (build tree) or in ../lib
# (installed), so neither needs LD_LIBRARY_PATH.
TOOL_RPATH	:= -Wl,-rpath,'$$ORIGIN' -Wl,-rpath,'$$ORIGIN/../lib'

PREFIX		?= /usr/local
LIBDIR		?= $(PREFIX)/lib
DESTDIR		?=

ifneq ($(V),1)
Q		:= @
endif

# Lists filled by the fragments.
BINS		:=
TESTS		:=
SCRIPT_TESTS	:=
CLEAN_EXTRA	:=

.PHONY: all
all:

include libhvctl/build.mk
include hypervisor/build.mk
include tui/build.mk
include configs/build.mk
include tests/build.mk
include hypervisor/arch/arm64/build.mk
include inmates/build.mk

all: $(BINS)

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	$(Q)$(CC) $(ALL_CFLAGS) $(EXTRA_CFLAGS_$(firstword $(subst /, ,$<))) -c -o $@ $<

# Build products of one part may need the flags of that part only: a
# fragment sets EXTRA_CFLAGS_<topdir> (for example the hypervisor core).

.PHONY: deps
deps:
	$(Q)scripts/deps.sh

.PHONY: deps-qemu
deps-qemu:
	$(Q)scripts/deps.sh qemu

.PHONY: deps-packages
deps-packages:
	$(Q)scripts/deps.sh packages

# Build the Debian packages from a clean copy of the tree, lint, install,
# check and remove them; the DKMS tree is cross-built (scripts/test-packages.sh).
.PHONY: test-packages
test-packages: deps-packages
	$(Q)scripts/test-packages.sh

.PHONY: test
test: deps
	$(Q)$(MAKE) --no-print-directory all
	$(Q)$(MAKE) --no-print-directory check
	$(Q)$(MAKE) --no-print-directory check-valgrind
	$(Q)$(MAKE) --no-print-directory SANITIZE=1 check

.PHONY: check
check: all $(TESTS) check-headers
	$(Q)scripts/run-tests.sh $(BUILD) $(TESTS) -- $(SCRIPT_TESTS)

# The unit suites again under valgrind (uninitialised reads, leaks).
.PHONY: check-valgrind
check-valgrind: $(TESTS)
	$(Q)scripts/run-valgrind.sh $(BUILD) $(TESTS)

.PHONY: check-headers
check-headers:
	$(Q)scripts/check-headers.sh

.PHONY: demo
demo: deps
	$(Q)$(MAKE) --no-print-directory all
	$(Q)scripts/demo.sh

# Installed layout: the tools find their data relative to bin/ (board.json
# in share/hvctl, themes and configs in share/hvtop). LIBDIR may be a
# multiarch directory (the Debian packages); hvctl.pc points there.
.PHONY: install
install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(LIBDIR)/pkgconfig \
		$(DESTDIR)$(PREFIX)/include/hvctl $(DESTDIR)$(PREFIX)/include/hvabi \
		$(DESTDIR)$(PREFIX)/share/man/man1 $(DESTDIR)$(PREFIX)/share/hvctl \
		$(DESTDIR)$(PREFIX)/share/hvtop/themes \
		$(DESTDIR)$(PREFIX)/share/hvtop/configs/sim/profiles \
		$(DESTDIR)$(PREFIX)/share/hvtop/configs/qemu/profiles \
		$(DESTDIR)$(PREFIX)/share/hvtop/configs/rk3588/profiles \
		$(DESTDIR)$(PREFIX)/share/bash-completion/completions
	install -m 0755 $(BUILD)/hvctl $(BUILD)/hvtop $(BUILD)/hvsim $(DESTDIR)$(PREFIX)/bin/
	install -m 0644 $(BUILD)/libhvctl.so $(DESTDIR)$(LIBDIR)/libhvctl.so.$(LIBHVCTL_SOVER)
	ln -sf libhvctl.so.$(LIBHVCTL_SOVER) $(DESTDIR)$(LIBDIR)/libhvctl.so
	install -m 0644 $(BUILD)/libhvctl.a $(DESTDIR)$(LIBDIR)/
	sed -e 's|@PREFIX@|$(PREFIX)|; s|@LIBDIR@|$(LIBDIR)|; s|@VERSION@|$(HVCTL_VERSION)|' \
		libhvctl/hvctl.pc.in >$(DESTDIR)$(LIBDIR)/pkgconfig/hvctl.pc
	install -m 0644 libhvctl/include/hvctl/*.h $(DESTDIR)$(PREFIX)/include/hvctl/
	install -m 0644 include/hvabi/*.h $(DESTDIR)$(PREFIX)/include/hvabi/
	install -m 0644 doc/*.1 $(DESTDIR)$(PREFIX)/share/man/man1/
	install -m 0644 configs/sim/board.json $(DESTDIR)$(PREFIX)/share/hvctl/
	install -m 0644 themes/*.theme $(DESTDIR)$(PREFIX)/share/hvtop/themes/
	install -m 0644 configs/sim/*.json configs/sim/*.guest $(DESTDIR)$(PREFIX)/share/hvtop/configs/sim/
	install -m 0644 configs/sim/profiles/*.json $(DESTDIR)$(PREFIX)/share/hvtop/configs/sim/profiles/
	install -m 0644 configs/qemu/*.json $(DESTDIR)$(PREFIX)/share/hvtop/configs/qemu/
	install -m 0644 configs/qemu/profiles/*.json $(DESTDIR)$(PREFIX)/share/hvtop/configs/qemu/profiles/
	install -m 0644 configs/rk3588/*.json configs/rk3588/*.guest $(DESTDIR)$(PREFIX)/share/hvtop/configs/rk3588/
	install -m 0644 configs/rk3588/profiles/*.json $(DESTDIR)$(PREFIX)/share/hvtop/configs/rk3588/profiles/
	install -m 0644 dist/bash-completion/hvctl $(DESTDIR)$(PREFIX)/share/bash-completion/completions/hvctl
	ln -sf hvctl $(DESTDIR)$(PREFIX)/share/bash-completion/completions/hvtop

.PHONY: clean
clean:
	rm -rf build $(CLEAN_EXTRA)

-include $(shell find $(BUILD) -name '*.d' -type f -not -path '*/qemu/*' 2>/dev/null)
