# SPDX-License-Identifier: GPL-2.0
# arm64 port: hv.bin (cross-built), the driver hvdrv.ko (Kbuild against
# KDIR), the arm64 tools, host unit tests of the port's plain logic, and
# the QEMU end-to-end test.
#
#   make hv-arm64      -> $(BUILD)/arm64/hv.bin
#   make driver        -> $(BUILD)/arm64/hvdrv.ko   (KDIR=... to choose)
#   make driver-5.10   -> $(BUILD)/arm64/hvdrv-5.10.ko (Debian 11's headers)
#   make driver-test   -> $(BUILD)/arm64/hvdrv-test.ko (QEMU test's hooks)
#   make cross-tools   -> $(BUILD)/arm64/{hvctl,hvtop,libhvctl.a,libhvctl.so}
#   make test-qemu     fetch, cross-build, boot QEMU, run the scenario

CROSS_COMPILE	?= aarch64-linux-gnu-
QEMU_DIR	?= build/qemu
KDIR		?= $(QEMU_DIR)/kernel/headers
ARM64_OUT	:= $(BUILD)/arm64

.PHONY: driver
driver:
	@mkdir -p $(ARM64_OUT)/driver
	$(Q)cp driver/Kbuild driver/*.c driver/*.h $(ARM64_OUT)/driver/
	@echo "  KBUILD  $(ARM64_OUT)/hvdrv.ko"
	$(Q)$(MAKE) --no-print-directory -C $(KDIR) ARCH=arm64 \
		CROSS_COMPILE=$(CROSS_COMPILE) HVCTL_SRC=$(CURDIR) \
		M=$(abspath $(ARM64_OUT)/driver) modules >$(ARM64_OUT)/driver.log 2>&1 || \
		{ cat $(ARM64_OUT)/driver.log; exit 1; }
	$(Q)cp $(ARM64_OUT)/driver/hvdrv.ko $(ARM64_OUT)/hvdrv.ko

# The QEMU test's variant with fault-injection hooks (HVDRV_TEST_HOOKS,
# driver/Kbuild): never packaged.
.PHONY: driver-test
driver-test:
	@mkdir -p $(ARM64_OUT)/driver-test
	$(Q)cp driver/Kbuild driver/*.c driver/*.h $(ARM64_OUT)/driver-test/
	@echo "  KBUILD  $(ARM64_OUT)/hvdrv-test.ko"
	$(Q)$(MAKE) --no-print-directory -C $(KDIR) ARCH=arm64 \
		CROSS_COMPILE=$(CROSS_COMPILE) HVCTL_SRC=$(CURDIR) \
		HVDRV_TEST_HOOKS=1 M=$(abspath $(ARM64_OUT)/driver-test) \
		modules >$(ARM64_OUT)/driver-test.log 2>&1 || \
		{ cat $(ARM64_OUT)/driver-test.log; exit 1; }
	$(Q)cp $(ARM64_OUT)/driver-test/hvdrv.ko $(ARM64_OUT)/hvdrv-test.ko

# The same driver against Debian 11's Linux 5.10 headers (the kernel
# generation of RK3588 vendor kernels), fetched by `qemu-fetch.sh OUT k510`.
# Those headers name gcc-10; the cross gcc of this system builds it.
KDIR_510	?= $(QEMU_DIR)/k510/headers

.PHONY: driver-5.10
driver-5.10:
	@mkdir -p $(ARM64_OUT)/driver-5.10
	$(Q)cp driver/Kbuild driver/*.c driver/*.h $(ARM64_OUT)/driver-5.10/
	@echo "  KBUILD  $(ARM64_OUT)/hvdrv-5.10.ko"
	$(Q)$(MAKE) --no-print-directory -C $(KDIR_510) ARCH=arm64 \
		CROSS_COMPILE=$(CROSS_COMPILE) CC=$(CROSS_COMPILE)gcc \
		HVCTL_SRC=$(CURDIR) M=$(abspath $(ARM64_OUT)/driver-5.10) \
		modules >$(ARM64_OUT)/driver-5.10.log 2>&1 || \
		{ cat $(ARM64_OUT)/driver-5.10.log; exit 1; }
	$(Q)cp $(ARM64_OUT)/driver-5.10/hvdrv.ko $(ARM64_OUT)/hvdrv-5.10.ko

# The QEMU test's GIC access module (tests/qemu/gicpoke), built like the driver.
$(ARM64_OUT)/gicpoke.ko: tests/qemu/gicpoke/gicpoke.c tests/qemu/gicpoke/Kbuild
	@mkdir -p $(ARM64_OUT)/gicpoke
	$(Q)cp tests/qemu/gicpoke/Kbuild tests/qemu/gicpoke/gicpoke.c $(ARM64_OUT)/gicpoke/
	@echo "  KBUILD  $@"
	$(Q)$(MAKE) --no-print-directory -C $(KDIR) ARCH=arm64 \
		CROSS_COMPILE=$(CROSS_COMPILE) M=$(abspath $(ARM64_OUT)/gicpoke) \
		modules >$(ARM64_OUT)/gicpoke.log 2>&1 || \
		{ cat $(ARM64_OUT)/gicpoke.log; exit 1; }
	$(Q)cp $(ARM64_OUT)/gicpoke/gicpoke.ko $@

# ---- hv.bin ----
HV_ARM64_DIR	:= hypervisor/arch/arm64
# The portable core is linked in as it is (the same code hvsim runs).
HV_ARM64_SRCS	:= $(sort $(wildcard $(HV_ARM64_DIR)/*.c)) $(HV_ARM64_DIR)/entry.S \
		   $(HV_CORE_SRCS)
HV_ARM64_OBJS	:= $(patsubst %,$(ARM64_OUT)/obj/%.o,$(basename $(HV_ARM64_SRCS)))
HV_ARM64_CFLAGS	:= -std=gnu11 $(WARN) -O2 -g -ffreestanding -nostdlib -fno-builtin \
		   -fno-pic -fno-pie -mcmodel=small -mgeneral-regs-only \
		   -mstrict-align -mno-outline-atomics -fno-stack-protector \
		   -fno-asynchronous-unwind-tables -fno-unwind-tables \
		   -fno-tree-loop-distribute-patterns -Iinclude -Ihypervisor/include \
		   -MMD -MP

$(ARM64_OUT)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	@echo "  CC64    $<"
	$(Q)$(CROSS_COMPILE)gcc $(HV_ARM64_CFLAGS) -c -o $@ $<

$(ARM64_OUT)/obj/%.o: %.S
	@mkdir -p $(dir $@)
	@echo "  AS64    $<"
	$(Q)$(CROSS_COMPILE)gcc $(HV_ARM64_CFLAGS) -D__ASSEMBLY__ -c -o $@ $<

$(ARM64_OUT)/hv.elf: $(HV_ARM64_OBJS) $(HV_ARM64_DIR)/hv.lds
	@echo "  LD64    $@"
	$(Q)$(CROSS_COMPILE)ld -nostdlib -static --no-pie -z noexecstack \
		-z max-page-size=4096 --no-warn-rwx-segments -T $(HV_ARM64_DIR)/hv.lds -o $@ $(HV_ARM64_OBJS)

$(ARM64_OUT)/hv.bin: $(ARM64_OUT)/hv.elf
	@echo "  BIN     $@"
	$(Q)$(CROSS_COMPILE)objcopy -O binary -R .console -R .bss $< $@

.PHONY: hv-arm64
hv-arm64: $(ARM64_OUT)/hv.bin

# ---- the user-space tools for arm64: libhvctl (static and shared), hvctl
# and hvtop, built against the Debian arm64 sysroot that
# scripts/qemu-fetch.sh unpacks (json-c, libudev, ncurses, CDK). The tools
# link libhvctl.so and find it next to themselves or in the loader's path,
# as on the host. ----
SYSROOT		?= $(QEMU_DIR)/sysroot
CROSS_CC	:= $(CROSS_COMPILE)gcc --sysroot=$(SYSROOT)
CROSS_CFLAGS	:= -std=gnu11 $(WARN) -O2 -g -D_GNU_SOURCE -Iinclude \
		   -Ilibhvctl/include -Ilibhvctl/src \
		   -DHVCTL_VERSION='"$(HVCTL_VERSION)"' -MMD -MP
CROSS_LIB_OBJS	:= $(LIBHVCTL_SRCS:%.c=$(ARM64_OUT)/tools/%.o)
CROSS_PIC_OBJS	:= $(LIBHVCTL_SRCS:%.c=$(ARM64_OUT)/tools/pic/%.o)
CROSS_HVCTL_OBJS := $(HVCTL_SRCS:%.c=$(ARM64_OUT)/tools/%.o)
CROSS_TUI_OBJS	:= $(TUI_SRCS:%.c=$(ARM64_OUT)/tools/%.o)

# `make cross-tools` on a fresh tree fetches the sysroot first.
$(SYSROOT)/.complete:
	$(Q)scripts/qemu-fetch.sh $(QEMU_DIR) sysroot

$(ARM64_OUT)/tools/%.o: %.c | $(SYSROOT)/.complete
	@mkdir -p $(dir $@)
	@echo "  CC64    $<"
	$(Q)$(CROSS_CC) $(CROSS_CFLAGS) -c -o $@ $<

$(ARM64_OUT)/tools/pic/%.o: %.c | $(SYSROOT)/.complete
	@mkdir -p $(dir $@)
	@echo "  CC64 [PIC] $<"
	$(Q)$(CROSS_CC) $(CROSS_CFLAGS) -fPIC -fvisibility=hidden \
		-DHVCTL_BUILDING_LIB -c -o $@ $<

$(ARM64_OUT)/libhvctl.a: $(CROSS_LIB_OBJS)
	@echo "  AR64    $@"
	$(Q)rm -f $@ && $(CROSS_COMPILE)ar rcs $@ $^

$(ARM64_OUT)/libhvctl.so: $(CROSS_PIC_OBJS) libhvctl/libhvctl.map
	@echo "  LD64    $@"
	$(Q)$(CROSS_CC) -shared -Wl,-soname,libhvctl.so.$(LIBHVCTL_SOVER) \
		-Wl,--version-script=libhvctl/libhvctl.map -o $@ \
		$(CROSS_PIC_OBJS) $(LIBHVCTL_LIBS)
	$(Q)ln -sf libhvctl.so $(ARM64_OUT)/libhvctl.so.$(LIBHVCTL_SOVER)

$(ARM64_OUT)/hvctl: $(CROSS_HVCTL_OBJS) $(ARM64_OUT)/libhvctl.so
	@echo "  LD64    $@"
	$(Q)$(CROSS_CC) -o $@ $(CROSS_HVCTL_OBJS) -L$(ARM64_OUT) -lhvctl \
		$(TOOL_RPATH) $(LIBHVCTL_LIBS)

$(ARM64_OUT)/hvtop: $(CROSS_TUI_OBJS) $(ARM64_OUT)/libhvctl.so
	@echo "  LD64    $@"
	$(Q)$(CROSS_CC) -o $@ $(CROSS_TUI_OBJS) -L$(ARM64_OUT) -lhvctl \
		$(TOOL_RPATH) $(TUI_LIBS) $(LIBHVCTL_LIBS)

.PHONY: cross-tools
cross-tools: $(ARM64_OUT)/libhvctl.a $(ARM64_OUT)/libhvctl.so \
	     $(ARM64_OUT)/hvctl $(ARM64_OUT)/hvtop

# The QEMU test's inmate and cell config.
$(ARM64_OUT)/inmate.bin: tests/qemu/inmate.S
	@mkdir -p $(dir $@)
	@echo "  AS64    $@"
	$(Q)$(CROSS_COMPILE)gcc -nostdlib -static -Wl,-Ttext=0 -Wl,--build-id=none \
		-o $(ARM64_OUT)/inmate.elf $<
	$(Q)$(CROSS_COMPILE)objcopy -O binary $(ARM64_OUT)/inmate.elf $@

$(ARM64_OUT)/inmate.cell: tests/qemu/fixtures/inmate.json $(BUILD)/hvctl
	@echo "  CONFIG  $@"
	$(Q)$(BUILD)/hvctl config compile $< -o $@

# Host unit tests of the port's plain logic (tests/unit/test_arm64_*.c)
# include the logic files themselves, so tests/build.mk's ordinary rule
# builds and links them.

# ---- the end-to-end test under QEMU ----
.PHONY: test-qemu
test-qemu: deps-qemu
	$(Q)scripts/qemu-test.sh $(BUILD) $(QEMU_DIR)

# In-guest ioctl checker for the QEMU test (static: no libraries needed).
# The root's side of the ivshmem-echo round trips (tests/qemu/ivshmem.sh).
$(ARM64_OUT)/ivshmem-rt: tests/qemu/ivshmem-rt.c $(wildcard include/hvabi/*.h)
	@mkdir -p $(dir $@)
	@echo "  CC64    $@"
	$(Q)$(CROSS_COMPILE)gcc --sysroot=$(SYSROOT) -std=gnu11 $(WARN) -O2 \
		-D_GNU_SOURCE -Iinclude -static -o $@ $<

$(ARM64_OUT)/hvioctl: tests/qemu/hvioctl.c $(wildcard include/hvabi/*.h)
	@mkdir -p $(dir $@)
	@echo "  CC64    $@"
	$(Q)$(CROSS_COMPILE)gcc --sysroot=$(SYSROOT) -std=gnu11 $(WARN) -O2 \
		-D_GNU_SOURCE -Iinclude -static -o $@ $<
