// SPDX-License-Identifier: MIT
/*
 * Guests on the simulated CPUs: statistics (zeroed on a move between
 * cells, 31-bit wrap), failures (cpus_failed, failed state, the root cell
 * unaffected), MMIO emulation, PSCI, SGIs, ivshmem doorbells and state.
 */
#include "hv_test.h"

#include <hv/ivshmem.h>
#include <sim/simmem.h>

static uint32_t info(unsigned int cpu, unsigned int stat)
{
	return (uint32_t)hv_hypercall(per_cpu(0), HV_HC_CPU_GET_INFO, cpu,
				      HV_CPU_INFO_STAT_BASE + stat);
}

static void test_stats_zeroed_on_move(void **state)
{
	struct hvt_cell c;
	unsigned int s;
	int id;

	(void)state;
	hvt_sb->board.root_activity = 100;
	assert_int_equal(hvt_enable(), 0);
	guest_root_tick(hvt_sb, NSEC_PER_SEC);
	assert_true(hvt_stat(1, HV_STAT_VIRQ) > 0);
	assert_true(hvt_stat(1, HV_STAT_TOTAL) > 0);
	hvt_small_cell(&c, "c", 1, 0x7f000000);
	id = hvt_create(&c);
	for (s = 0; s < HV_NUM_CPU_STATS; s++)
		assert_int_equal(info(1, s), 0);
	assert_int_equal(hvt_run_script(id, "#!hvsim-guest\nprint hi\n"), 0);
	hvt_run_ms(3);
	/* START's reset event, then 3 characters. */
	assert_int_equal(info(1, HV_STAT_MANAGEMENT), 1);
	assert_int_equal(info(1, HV_STAT_HYPERCALL), 3);
	assert_int_equal(info(1, HV_STAT_TOTAL), 4);
	/* The root's background skips cells' CPUs. */
	guest_root_tick(hvt_sb, NSEC_PER_SEC);
	assert_int_equal(info(1, HV_STAT_TOTAL), 4);
	assert_int_equal(hvt_destroy(id), 0);
	/* Back in the root: zeroed, plus the CPU_ON that brought it back. */
	assert_int_equal(info(1, HV_STAT_HYPERCALL), 0);
	assert_int_equal(info(1, HV_STAT_MANAGEMENT), 1);
	sysfs_flush(hvt_sb);
	{
		char buf[32];

		hvt_sysfs("cells/0/statistics/cpu1/vmexits_hypercall", buf,
			  sizeof(buf));
		assert_string_equal(buf, "0\n");
	}
}

static void test_stat_wrap(void **state)
{
	char buf[32];

	(void)state;
	assert_int_equal(hvt_enable(), 0);
	per_cpu(2)->stats[HV_STAT_MMIO] = 0x7ffffffe;
	per_cpu(2)->stats[HV_STAT_TOTAL] = 0x7fffffff;
	assert_int_equal(info(2, HV_STAT_MMIO), 0x7ffffffe);
	cpu_stat_exit(per_cpu(2), HV_STAT_MMIO);
	cpu_stat_exit(per_cpu(2), HV_STAT_MMIO);
	/* 31 bits: 0x7fffffff + 1 reads as 0, never negative. */
	assert_int_equal(info(2, HV_STAT_MMIO), 0);
	assert_int_equal(info(2, HV_STAT_TOTAL), 1);
	sysfs_flush(hvt_sb);
	hvt_sysfs("cells/0/statistics/cpu2/vmexits_mmio", buf, sizeof(buf));
	assert_string_equal(buf, "0\n");
	per_cpu(2)->stats[HV_STAT_MMIO] = 0xffffffff;
	sysfs_flush(hvt_sb);
	hvt_sysfs("cells/0/statistics/cpu2/vmexits_mmio", buf, sizeof(buf));
	assert_string_equal(buf, "2147483647\n");
}

static void test_failure_of_one_and_all_cpus(void **state)
{
	static const char script[] =
		"#!hvsim-guest\n"
		"cpu_on 3 second\n"
		"sleep 1s\n"
		"write 0x7fc00000 1\n"
		"second:\n"
		"sleep 5ms\n"
		"read 0x30000000\n";
	char buf[4096];
	struct hvt_cell c;
	int id;

	(void)state;
	assert_int_equal(hvt_enable(), 0);
	hvt_small_cell(&c, "two", 2, 0x7f000000);
	c.cpus = 0xc;
	id = hvt_create(&c);
	assert_int_equal(hvt_run_script(id, script), 0);
	/*
	 * Outcomes, not run lengths: a loaded machine can stall the test
	 * for longer than a short sleep, and CPU 2 must still be running
	 * when CPU 3 is seen failed.
	 */
	hvt_run_until_failed(3, 5000);
	assert_true(per_cpu(3)->failed);
	assert_false(per_cpu(2)->failed);
	assert_int_equal(cell_get_state(cell_find(1)), HV_CELL_RUNNING);
	assert_string_equal(hvt_sysfs("cells/1/cpus_failed", buf, sizeof(buf)),
			    "08\n");
	assert_string_equal(hvt_sysfs("cells/1/cpus_failed_list", buf,
				      sizeof(buf)), "3\n");
	assert_string_equal(hvt_sysfs("cells/1/state", buf, sizeof(buf)),
			    "running\n");
	hvt_run_until_failed(2, 5000);
	assert_true(per_cpu(2)->failed);
	assert_string_equal(hvt_sysfs("cells/1/state", buf, sizeof(buf)),
			    "failed\n");
	assert_string_equal(hvt_sysfs("cells/1/cpus_failed_list", buf,
				      sizeof(buf)), "2-3\n");
	assert_int_equal(hv_hypercall(per_cpu(0), HV_HC_CPU_GET_INFO, 2,
				      HV_CPU_INFO_STATE), HV_CPU_FAILED);
	/* Each fault was a counted MMIO exit. */
	assert_int_equal(info(2, HV_STAT_MMIO), 1);
	assert_int_equal(info(3, HV_STAT_MMIO), 1);
	sysfs_flush(hvt_sb);
	hvt_sysfs("console", buf, sizeof(buf));
	assert_non_null(strstr(buf, "Unhandled data write at 0x7fc00000 (4 bytes) by CPU 2, cell \"two\""));
	assert_non_null(strstr(buf, "Parking CPU 3 (cell \"two\")"));
	/* The root cell is unaffected. */
	assert_string_equal(hvt_sysfs("cells/0/state", buf, sizeof(buf)),
			    "running\n");
	assert_false(per_cpu(0)->failed);
	/* A restart clears the failure. */
	assert_int_equal(hvt_run_script(id, "#!hvsim-guest\nhalt\n"), 0);
	assert_false(per_cpu(2)->failed);
	assert_string_equal(hvt_sysfs("cells/1/cpus_failed_list", buf,
				      sizeof(buf)), "\n");
}

static void test_script_errors_fail_the_cpu(void **state)
{
	char buf[4096];
	struct hvt_cell c;
	int id;

	(void)state;
	assert_int_equal(hvt_enable(), 0);
	hvt_small_cell(&c, "bad", 1, 0x7f000000);
	id = hvt_create(&c);
	assert_int_equal(hvt_run_script(id, "#!hvsim-guest\nrepeat 2\nprint x\n"),
			 0);
	assert_true(per_cpu(1)->failed);
	sysfs_flush(hvt_sb);
	hvt_sysfs("console", buf, sizeof(buf));
	assert_non_null(strstr(buf, "guest script line 2: loop without end"));
	/* Not a script: an empty loop, no exits. */
	assert_int_equal(hvt_run_script(id, "\x7f" "ELF binary"), 0);
	hvt_run_ms(5);
	assert_false(per_cpu(1)->failed);
	/* Only the two resets (counters restart on moves, not on starts). */
	assert_int_equal(info(1, HV_STAT_TOTAL), 2);
	assert_int_equal(info(1, HV_STAT_MANAGEMENT), 2);
}

static void test_mmio_psci_sgi(void **state)
{
	static const char script[] =
		"#!hvsim-guest\n"
		"read 0x0800ffe8\n"
		"print gic $ret\n"
		"read 0x08e00000\n"
		"print ecam $ret\n"
		"psci_version\n"
		"smc\n"
		"cpu_on 3 second\n"
		"print cpu_on $ret\n"
		"cpu_on 3 second\n"
		"print again $ret\n"
		"sleep 5ms\n"
		"sgi 3\n"
		"sgi 5\n"
		"halt\n"
		"second:\n"
		"wait_irq\n"
		"print woke $ret\n";
	char buf[4096];
	struct hvt_cell c;
	int id;

	(void)state;
	assert_int_equal(hvt_enable(), 0);
	hvt_small_cell(&c, "m", 2, 0x7f000000);
	c.cpus = 0xc;
	hvt_ivshmem(&c, 0x0000, hvt_link_regions(&c, 1, HV_MEM_ROOTSHARED),
		    1, 2);
	id = hvt_create(&c);
	assert_int_equal(hvt_run_script(id, script), 0);
	hvt_run_until_console(1, "gic 48\necam 1090916618\ncpu_on 0\n"
			      "again -4\nwoke 0\n", 5000);
	hvt_run_ms(5);		/* a stray SGI to CPU 5 would land by now */
	sysfs_flush(hvt_sb);
	hvt_sysfs("cells/1/console", buf, sizeof(buf));
	assert_string_equal(buf, "gic 48\necam 1090916618\ncpu_on 0\n"
				 "again -4\nwoke 0\n");
	assert_int_equal(info(2, HV_STAT_MMIO), 2);
	assert_int_equal(info(2, HV_STAT_PSCI), 3);
	assert_int_equal(info(2, HV_STAT_SMCCC), 1);
	assert_int_equal(info(2, HV_STAT_VSGI), 2);
	assert_int_equal(info(3, HV_STAT_VIRQ), 1);
	/* SGI to a CPU outside the cell went nowhere. */
	assert_int_equal(info(5, HV_STAT_VIRQ), 0);
}

static void test_ivshmem_doorbell_and_state(void **state)
{
	static const char a_script[] =
		"#!hvsim-guest\n"
		"ivshmem 00:01.0 enable\n"
		"ivshmem 00:01.0 state 5\n"
		"sleep 3ms\n"
		"ivshmem 00:01.0 send 1 hello from a\n"
		"wait_irq 5s\n"
		"print a got $msg\n";
	static const char b_script[] =
		"#!hvsim-guest\n"
		"ivshmem 00:01.0 enable\n"
		"wait_irq\n"
		"wait_irq\n"
		"print b got $msg\n"
		"ivshmem 00:01.0 send 0 hi back\n";
	struct hvt_cell a, b;
	struct ivshmem_link *link;
	char buf[4096];
	uint32_t st;
	int ia, ib;

	(void)state;
	assert_int_equal(hvt_enable(), 0);
	hvt_small_cell(&a, "a", 4, 0x7e000000);
	hvt_small_cell(&b, "b", 5, 0x7e100000);
	hvt_ivshmem(&a, 0x0008, hvt_link_regions(&a, 0, HV_MEM_ROOTSHARED),
		    0, 2);
	hvt_ivshmem(&b, 0x0008, hvt_link_regions(&b, 1, HV_MEM_ROOTSHARED),
		    1, 2);
	ia = hvt_create(&a);
	link = ivshmem_find_link(1, 0x0008);
	assert_non_null(link);
	assert_non_null(link->eps[0].cell);
	assert_null(link->eps[1].cell);		/* peer 1 absent */
	ib = hvt_create(&b);
	assert_non_null(link->eps[1].cell);
	assert_int_equal(hvt_run_script(ib, b_script), 0);
	hvt_run_ms(2);
	assert_int_equal(hvt_run_script(ia, a_script), 0);
	hvt_run_until_console(1, "a got hi back\n", 5000);
	/* State register mirrored into the state table. */
	assert_int_equal(simmem_read(&hvt_sb->mem, &st, 0x7fb00000, 4), 0);
	assert_int_equal(st, 5);
	sysfs_flush(hvt_sb);
	hvt_sysfs("cells/2/console", buf, sizeof(buf));
	assert_string_equal(buf, "b got hello from a\n");
	hvt_sysfs("cells/1/console", buf, sizeof(buf));
	assert_string_equal(buf, "a got hi back\n");
	/* b: state-change and doorbell interrupts; a: the answer. */
	assert_int_equal(info(5, HV_STAT_VIRQ), 2);
	assert_int_equal(info(4, HV_STAT_VIRQ), 2);	/* + its sleep */
	assert_int_equal(info(4, HV_STAT_MMIO), 3);
	/* Peer presence follows destroy; its state is cleared. */
	assert_int_equal(hvt_destroy(ia), 0);
	assert_null(link->eps[0].cell);
	assert_int_equal(simmem_read(&hvt_sb->mem, &st, 0x7fb00000, 4), 0);
	assert_int_equal(st, 0);
	/* A doorbell to the absent peer is dropped. */
	assert_int_equal(hvt_run_script(ib, "#!hvsim-guest\nivshmem 00:01.0 ring 0\n"),
			 0);
	hvt_run_ms(2);
	assert_false(per_cpu(5)->failed);
	/* A device the cell does not have: its write aborts. */
	assert_int_equal(hvt_run_script(ib, "#!hvsim-guest\nivshmem 00:02.0 ring 0\n"),
			 0);
	hvt_run_ms(2);
	assert_true(per_cpu(5)->failed);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_stats_zeroed_on_move,
						hvt_setup, hvt_teardown),
		cmocka_unit_test_setup_teardown(test_stat_wrap, hvt_setup,
						hvt_teardown),
		cmocka_unit_test_setup_teardown(test_failure_of_one_and_all_cpus,
						hvt_setup, hvt_teardown),
		cmocka_unit_test_setup_teardown(test_script_errors_fail_the_cpu,
						hvt_setup, hvt_teardown),
		cmocka_unit_test_setup_teardown(test_mmio_psci_sgi, hvt_setup,
						hvt_teardown),
		cmocka_unit_test_setup_teardown(test_ivshmem_doorbell_and_state,
						hvt_setup, hvt_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
