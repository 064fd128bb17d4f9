# SPDX-License-Identifier: MIT
# Inmates: the bare-metal library (inmates/lib) and the demos
# (inmates/demos/<name>.c), cross-built for arm64 cells:
#   make inmates  ->  $(BUILD)/arm64/inmates/<name>.bin
# Each demo has a cell config in configs/qemu/<name>.json.

INMATE_OUT	:= $(BUILD)/arm64/inmates
INMATE_DEMOS	:= $(basename $(notdir $(wildcard inmates/demos/*.c)))
INMATE_LIB_SRCS	:= inmates/lib/startup.S $(sort $(wildcard inmates/lib/*.c))
INMATE_LIB_OBJS	:= $(patsubst %,$(INMATE_OUT)/obj/%.o,$(basename $(INMATE_LIB_SRCS)))
INMATE_CFLAGS	:= -std=gnu11 $(WARN) -O2 -g -ffreestanding -nostdlib -fno-builtin \
		   -fno-pic -fno-pie -mgeneral-regs-only -mstrict-align \
		   -fno-stack-protector -fno-asynchronous-unwind-tables \
		   -fno-tree-loop-distribute-patterns -Iinclude -Iinmates/lib -MMD -MP

$(INMATE_OUT)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	@echo "  CC64    $<"
	$(Q)$(CROSS_COMPILE)gcc $(INMATE_CFLAGS) -c -o $@ $<

$(INMATE_OUT)/obj/%.o: %.S
	@mkdir -p $(dir $@)
	@echo "  AS64    $<"
	$(Q)$(CROSS_COMPILE)gcc $(INMATE_CFLAGS) -D__ASSEMBLY__ -c -o $@ $<

$(INMATE_OUT)/%.elf: $(INMATE_OUT)/obj/inmates/demos/%.o $(INMATE_LIB_OBJS) inmates/lib/inmate.lds
	@echo "  LD64    $@"
	$(Q)$(CROSS_COMPILE)ld -nostdlib -static --no-pie -z noexecstack \
		--no-warn-rwx-segments -T inmates/lib/inmate.lds -o $@ \
		$(INMATE_LIB_OBJS) $<

$(INMATE_OUT)/%.bin: $(INMATE_OUT)/%.elf
	@echo "  BIN     $@"
	$(Q)$(CROSS_COMPILE)objcopy -O binary -R .bss $< $@

.PHONY: inmates
inmates: $(INMATE_DEMOS:%=$(INMATE_OUT)/%.bin)

-include $(INMATE_LIB_OBJS:.o=.d) $(INMATE_DEMOS:%=$(INMATE_OUT)/obj/inmates/demos/%.d)
