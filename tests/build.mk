# tests: cmocka unit tests (one binary per tests/unit/test_*.c), script
# tests (tests/integration/*.sh, run with the build dir as argument).
#
# A unit test links libhvctl.a; tests named test_hv_*.c link the hypervisor
# core and the sim port instead.

UNIT_SRCS	:= $(sort $(wildcard tests/unit/test_*.c))
UNIT_LIB_SRCS	:= $(filter-out tests/unit/test_hv_% tests/unit/test_tui_%,$(UNIT_SRCS))
UNIT_HV_SRCS	:= $(filter tests/unit/test_hv_%,$(UNIT_SRCS))
UNIT_LIB_BINS	:= $(UNIT_LIB_SRCS:tests/unit/%.c=$(BUILD)/tests/%)
UNIT_HV_BINS	:= $(UNIT_HV_SRCS:tests/unit/%.c=$(BUILD)/tests/%)
TEST_HELPERS	:= $(sort $(wildcard tests/unit/helpers/*.c))
TEST_HELPER_OBJS := $(TEST_HELPERS:%.c=$(BUILD)/%.o)

TESTS		+= $(UNIT_LIB_BINS) $(UNIT_HV_BINS)
SCRIPT_TESTS	+= $(sort $(wildcard tests/integration/*.sh))

EXTRA_CFLAGS_tests := -Ilibhvctl/src -Ihypervisor/include \
		      -Ihypervisor/arch/sim/include -Itests/unit \
		      -DHVCTL_SOURCE_DIR='"$(CURDIR)"'

$(UNIT_LIB_BINS): $(BUILD)/tests/%: $(BUILD)/tests/unit/%.o $(TEST_HELPER_OBJS) $(BUILD)/libhvctl.a
	@mkdir -p $(dir $@)
	@echo "  LD      $@"
	$(Q)$(CC) $(LDFLAGS) -o $@ $< $(TEST_HELPER_OBJS) $(BUILD)/libhvctl.a \
		$(LIBHVCTL_LIBS) -lcmocka

$(UNIT_HV_BINS): $(BUILD)/tests/%: $(BUILD)/tests/unit/%.o $(HV_CORE_OBJS) $(HV_SIM_LIBOBJS)
	@mkdir -p $(dir $@)
	@echo "  LD      $@"
	$(Q)$(CC) $(LDFLAGS) -o $@ $^ -ljson-c -lcmocka

# Fuzz targets (clang libFuzzer): `make fuzz FUZZ_SECONDS=300`.
FUZZ_SRCS	:= $(sort $(wildcard tests/fuzz/fuzz_*.c))
FUZZ_BINS	:= $(FUZZ_SRCS:tests/fuzz/%.c=build/fuzz/%)
FUZZ_SECONDS	?= 60

build/fuzz/%: tests/fuzz/%.c $(LIBHVCTL_SRCS)
	@mkdir -p $(dir $@)
	@echo "  FUZZ    $@"
	$(Q)$(CLANG) -std=gnu11 -g -O1 -fsanitize=fuzzer,address,undefined \
		-D_GNU_SOURCE -Iinclude -Ilibhvctl/include -Ilibhvctl/src \
		-o $@ $< $(LIBHVCTL_SRCS) $(LIBHVCTL_LIBS)

.PHONY: fuzz
fuzz: $(FUZZ_BINS)
	$(Q)scripts/run-fuzz.sh $(FUZZ_SECONDS) $(FUZZ_BINS)

# Benchmarks print figures; they are not part of `make check`.
# bench_board.c is no benchmark: it is the big board the snapshot and
# hvtop benchmarks share (BENCH_BOARD_OBJ, also named in tui/build.mk).
BENCH_BOARD_OBJ	:= $(BUILD)/tests/bench/bench_board.o
BENCH_SRCS	:= $(filter-out tests/bench/bench_board.c,$(sort $(wildcard tests/bench/bench_*.c)))
BENCH_BINS	:= $(BENCH_SRCS:tests/bench/%.c=$(BUILD)/bench/%)

$(BUILD)/bench/bench_snapshot $(BUILD)/bench/bench_cell_list: $(BENCH_BOARD_OBJ)

$(BUILD)/bench/%: $(BUILD)/tests/bench/%.o $(BUILD)/libhvctl.a
	@mkdir -p $(dir $@)
	@echo "  LD      $@"
	$(Q)$(CC) $(LDFLAGS) -o $@ $< $(filter $(BENCH_BOARD_OBJ),$^) \
		$(BUILD)/libhvctl.a $(LIBHVCTL_LIBS) -lm

.PHONY: bench
bench: all $(BENCH_BINS)
	$(Q)for b in $(BENCH_BINS); do echo "== $$b"; $$b || exit 1; done; \
	for s in $(sort $(wildcard tests/bench/*.sh)); do echo "== $$s"; sh $$s $(BUILD) || exit 1; done

# hvtop --replay's parser is tui code without curses: it links the
# library and that one file.
build/fuzz/fuzz_replay: tests/fuzz/fuzz_replay.c tui/replay.c $(LIBHVCTL_SRCS)
	@mkdir -p $(dir $@)
	@echo "  FUZZ    $@"
	$(Q)$(CLANG) -std=gnu11 -g -O1 -fsanitize=fuzzer,address,undefined \
		-D_GNU_SOURCE -Iinclude -Ilibhvctl/include -Ilibhvctl/src -Itui \
		-o $@ $< tui/replay.c $(LIBHVCTL_SRCS) $(LIBHVCTL_LIBS)

# What an ivshmem-net peer controls: net-echo's rings and reply builder
# (the inmate library's files, built for the host).
build/fuzz/fuzz_ivnet: tests/fuzz/fuzz_ivnet.c inmates/lib/ivnet.c \
		inmates/lib/ivnet_echo.c inmates/lib/ivnet.h \
		include/hvabi/ivshmem-net.h
	@mkdir -p $(dir $@)
	@echo "  FUZZ    $@"
	$(Q)$(CLANG) -std=gnu11 -g -O1 -fsanitize=fuzzer,address,undefined \
		-Iinclude -o $@ $<

# hvsim's socket fuzzer runs the server, the simulated driver and the
# hypervisor core in-process; it reads the shipped configs as templates.
HV_SIM_LIBSRCS	:= $(filter-out hypervisor/arch/sim/hvsim.c,$(HV_SIM_SRCS))

build/fuzz/fuzz_hvsim: tests/fuzz/fuzz_hvsim.c $(HV_CORE_SRCS) $(HV_SIM_LIBSRCS) \
		build/configs/sim/system.cell build/configs/sim/rtos.cell
	@mkdir -p $(dir $@)
	@echo "  FUZZ    $@"
	$(Q)$(CLANG) -std=gnu11 -g -O1 -fsanitize=fuzzer,address,undefined \
		-D_GNU_SOURCE -Iinclude -Ihypervisor/include \
		-Ihypervisor/arch/sim/include -o $@ $< $(HV_CORE_SRCS) \
		$(HV_SIM_LIBSRCS) -ljson-c
