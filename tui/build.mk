# tui: hvtop, the live operator console (ncurses + CDK over libhvctl).
#
# CDK is built against the narrow libncurses, so hvtop links that one
# (never -lncursesw as well). Unit tests named test_tui_*.c link the tui
# objects except main.o, so the logic is tested without a terminal.

TUI_SRCS	:= $(sort $(wildcard tui/*.c))
TUI_OBJS	:= $(TUI_SRCS:%.c=$(BUILD)/%.o)
TUI_LIBOBJS	:= $(filter-out $(BUILD)/tui/main.o,$(TUI_OBJS))
TUI_LIBS	:= -lcdk -lncurses -lm

ifneq ($(wildcard tui/main.c),)
BINS += $(BUILD)/hvtop
endif

# Like hvctl, hvtop finds libhvctl.so next to itself.
$(BUILD)/hvtop: $(TUI_OBJS) $(BUILD)/libhvctl.so
	@echo "  LD      $@"
	$(Q)$(CC) $(LDFLAGS) -o $@ $(TUI_OBJS) -L$(BUILD) -lhvctl \
		$(TOOL_RPATH) $(TUI_LIBS) $(LIBHVCTL_LIBS)

TUI_TEST_SRCS	:= $(sort $(wildcard tests/unit/test_tui_*.c))
TUI_TEST_BINS	:= $(TUI_TEST_SRCS:tests/unit/%.c=$(BUILD)/tests/%)
TUI_TEST_OBJS	:= $(TUI_TEST_SRCS:%.c=$(BUILD)/%.o)

TESTS += $(TUI_TEST_BINS)

$(TUI_TEST_OBJS): EXTRA_CFLAGS_tests += -Itui

$(TUI_TEST_BINS): $(BUILD)/tests/%: $(BUILD)/tests/unit/%.o $(TUI_LIBOBJS) $(BUILD)/libhvctl.a
	@mkdir -p $(dir $@)
	@echo "  LD      $@"
	$(Q)$(CC) $(LDFLAGS) -o $@ $< $(TUI_LIBOBJS) $(BUILD)/libhvctl.a \
		$(LIBHVCTL_LIBS) $(TUI_LIBS) -lcmocka

# The hvtop benchmark drives the tui objects too (a specific rule beats
# the generic one for tests/bench).
$(BUILD)/tests/bench/bench_hvtop.o: EXTRA_CFLAGS_tests += -Itui

$(BUILD)/bench/bench_hvtop: $(BUILD)/tests/bench/bench_hvtop.o \
			    $(BUILD)/tests/bench/bench_board.o $(TUI_LIBOBJS) \
			    $(BUILD)/libhvctl.a
	@mkdir -p $(dir $@)
	@echo "  LD      $@"
	$(Q)$(CC) $(LDFLAGS) -o $@ $< $(BUILD)/tests/bench/bench_board.o \
		$(TUI_LIBOBJS) $(BUILD)/libhvctl.a $(LIBHVCTL_LIBS) $(TUI_LIBS)
