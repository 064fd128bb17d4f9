# hypervisor: the portable core, the in-process "sim" port and hvsim.
#
# The core is also compiled freestanding (no libc) by `make check-freestanding`
# to prove it stays portable to the EL2 port.

HV_CORE_SRCS	:= $(sort $(wildcard hypervisor/core/*.c))
HV_SIM_SRCS	:= $(sort $(wildcard hypervisor/arch/sim/*.c))
HV_CORE_OBJS	:= $(HV_CORE_SRCS:%.c=$(BUILD)/%.o)
HV_SIM_OBJS	:= $(HV_SIM_SRCS:%.c=$(BUILD)/%.o)
# hvsim's main() lives in hvsim.c; tests link the rest.
HV_SIM_LIBOBJS	:= $(filter-out $(BUILD)/hypervisor/arch/sim/hvsim.o,$(HV_SIM_OBJS))

EXTRA_CFLAGS_hypervisor := -Ihypervisor/include -Ihypervisor/arch/sim/include

ifneq ($(HV_SIM_SRCS),)
BINS += $(BUILD)/hvsim
endif

$(BUILD)/hvsim: $(HV_CORE_OBJS) $(HV_SIM_OBJS)
	@echo "  LD      $@"
	$(Q)$(CC) $(LDFLAGS) -o $@ $^ -ljson-c

.PHONY: check-freestanding
check-freestanding:
	$(Q)for f in $(HV_CORE_SRCS); do \
		$(CC) -std=gnu11 $(WARN) -ffreestanding -nostdlib -fno-builtin \
			-Iinclude -Ihypervisor/include -c -o /dev/null $$f || exit 1; \
	done; echo "check-freestanding: hypervisor/core builds without libc"
