# libhvctl: the library (static and shared) and the hvctl CLI.

LIBHVCTL_SRCS	:= $(sort $(wildcard libhvctl/src/*.c))
LIBHVCTL_OBJS	:= $(LIBHVCTL_SRCS:%.c=$(BUILD)/%.o)
LIBHVCTL_PIC	:= $(LIBHVCTL_SRCS:%.c=$(BUILD)/pic/%.o)
LIBHVCTL_LIBS	:= -ljson-c -ludev
LIBHVCTL_SOVER	:= 0

HVCTL_SRCS	:= $(sort $(wildcard libhvctl/cli/*.c))
HVCTL_OBJS	:= $(HVCTL_SRCS:%.c=$(BUILD)/%.o)

BINS += $(BUILD)/libhvctl.a $(BUILD)/libhvctl.so $(BUILD)/hvctl

$(BUILD)/pic/%.o: %.c
	@mkdir -p $(dir $@)
	@echo "  CC [PIC] $<"
	$(Q)$(CC) $(ALL_CFLAGS) -fPIC -fvisibility=hidden -DHVCTL_BUILDING_LIB -c -o $@ $<

$(BUILD)/libhvctl.a: $(LIBHVCTL_OBJS)
	@echo "  AR      $@"
	$(Q)rm -f $@ && ar rcs $@ $^

$(BUILD)/libhvctl.so: $(LIBHVCTL_PIC) libhvctl/libhvctl.map
	@echo "  LD      $@"
	$(Q)$(CC) -shared -Wl,-soname,libhvctl.so.$(LIBHVCTL_SOVER) \
		-Wl,--version-script=libhvctl/libhvctl.map $(LDFLAGS) -o $@ \
		$(LIBHVCTL_PIC) $(LIBHVCTL_LIBS)
	$(Q)ln -sf libhvctl.so $(BUILD)/libhvctl.so.$(LIBHVCTL_SOVER)

# Tools link the shared library and find it next to themselves ($ORIGIN),
# so build/hvctl runs from the build tree without LD_LIBRARY_PATH.
$(BUILD)/hvctl: $(HVCTL_OBJS) $(BUILD)/libhvctl.so
	@echo "  LD      $@"
	$(Q)$(CC) $(LDFLAGS) -o $@ $(HVCTL_OBJS) -L$(BUILD) -lhvctl \
		$(TOOL_RPATH) $(LIBHVCTL_LIBS)
