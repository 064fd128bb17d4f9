# SPDX-License-Identifier: GPL-2.0
# arm64 port: hv.bin (cross-built), the driver hvdrv.ko (Kbuild against
# KDIR), the arm64 tools, host unit tests of the port's plain logic, and
# the QEMU end-to-end test.
#
#   make hv-arm64      -> $(BUILD)/arm64/hv.bin
#   make driver        -> $(BUILD)/arm64/hvdrv.ko   (KDIR=... to choose)
#   make cross-tools   -> $(BUILD)/arm64/hvctl
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
