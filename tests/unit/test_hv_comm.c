// SPDX-License-Identifier: MIT
/*
 * The comm-region shutdown handshake (spec §4.3): approval, denial,
 * timeout, passive comm regions, delayed answers, RECONFIG_COMPLETED, and
 * cells that never answer.
 */
#include "hv_test.h"

#include <sim/simmem.h>

static const char *script_with(const char *policy)
{
	static char buf[256];

	snprintf(buf, sizeof(buf),
		 "#!hvsim-guest\non_shutdown %s\nforever\n  sleep 10ms\nend\n",
		 policy);
	return buf;
}

/* A cell that is asked before shutdown (no passive comm region). */
static int active_cell(const char *name, unsigned int cpu, uint64_t phys,
		       uint64_t timeout, const char *script)
{
	struct hvt_cell c;
	int id;

	hvt_small_cell(&c, name, cpu, phys);
	c.flags = HV_CELL_VIRTUAL_CONSOLE_PERMITTED;
	c.timeout = timeout;
	id = hvt_create(&c);
	assert_true(id > 0);
	if (script)
		assert_int_equal(hvt_run_script(id, script), 0);
	else
		assert_int_equal(hvt_start(id), 0);
	hvt_run_ms(2);
	return id;
}

static void test_approve(void **state)
{
	uint64_t t0;
	int id;

	(void)state;
	assert_int_equal(hvt_enable(), 0);
	id = active_cell("a", 1, 0x7f000000, 0, script_with("approve 30ms"));
	t0 = loop_now();
	assert_int_equal(hvt_destroy(id), 0);
	/* The answer came from the guest, after its delay. */
	assert_true(loop_now() - t0 >= 30 * NSEC_PER_MSEC);
	assert_null(cell_find((unsigned int)id));
}

static void test_deny(void **state)
{
	struct cell *cell;
	char text[4096];
	int id;

	(void)state;
	assert_int_equal(hvt_enable(), 0);
	id = active_cell("d", 1, 0x7f000000, 0, script_with("deny"));
	cell = cell_find((unsigned int)id);
	assert_int_equal(hvt_destroy(id), -EPERM);
	/* Named in the error the driver returns and on the console. */
	assert_non_null(strstr(hvt_msg, "cell 'd' refused shutdown"));
	sysfs_flush(hvt_sb);
	assert_non_null(hvt_sysfs("console", text, sizeof(text)));
	assert_non_null(strstr(text, "Cell 'd' refused shutdown"));
	assert_int_equal(hvt_load(id, "x", 1, 0), -EPERM);
	assert_int_equal(hvt_start(id), -EPERM);
	assert_int_equal(drv_disable(hvt_sb, hvt_msg), -EPERM);
	/* Nothing changed: still running, CPU still the cell's. */
	assert_ptr_equal(cell_find((unsigned int)id), cell);
	assert_int_equal(cell_get_state(cell), HV_CELL_RUNNING);
	assert_true(cell_owns_cpu(cell, 1));
	assert_false(per_cpu(1)->parked);
	assert_true(drv_enabled(hvt_sb));
	/* The guest changes its mind. */
	hvt_run_ms(1);
	assert_int_equal(hvt_load(id, script_with("approve"),
				  strlen(script_with("approve")) + 1, 0), -EPERM);
	cell->comm_page->comm_region.cell_state = HV_CELL_SHUT_DOWN;
	assert_int_equal(hvt_destroy(id), 0);
}

static void test_ignore_times_out(void **state)
{
	char text[4096];
	uint64_t t0;
	int id;

	(void)state;
	assert_int_equal(hvt_enable(), 0);
	/* 40000 iterations of 1 us. */
	id = active_cell("i", 1, 0x7f000000, 40000, script_with("ignore"));
	t0 = loop_now();
	assert_int_equal(hvt_load(id, "", 0, 0), 0);
	assert_true(loop_now() - t0 >= 40 * NSEC_PER_MSEC);
	assert_int_equal(cell_get_state(cell_find((unsigned int)id)),
			 HV_CELL_SHUT_DOWN);
	sysfs_flush(hvt_sb);
	assert_non_null(hvt_sysfs("console", text, sizeof(text)));
	assert_non_null(strstr(text, "Cell \"i\" did not answer in time"));
	assert_int_equal(hvt_destroy(id), 0);
}

static void test_no_image_times_out(void **state)
{
	int id;

	(void)state;
	assert_int_equal(hvt_enable(), 0);
	id = active_cell("empty", 1, 0x7f000000, 20000, NULL);
	assert_int_equal(cell_get_state(cell_find((unsigned int)id)),
			 HV_CELL_RUNNING);
	assert_int_equal(hvt_destroy(id), 0);
}

static void test_passive_is_not_asked(void **state)
{
	struct hvt_cell c;
	int id;

	(void)state;
	assert_int_equal(hvt_enable(), 0);
	hvt_small_cell(&c, "p", 1, 0x7f000000);
	id = hvt_create(&c);
	assert_int_equal(hvt_run_script(id, script_with("deny")), 0);
	hvt_run_ms(2);
	assert_int_equal(hvt_destroy(id), 0);
}

static void test_failed_cell_counts_as_approving(void **state)
{
	static const char crash[] =
		"#!hvsim-guest\non_shutdown deny\nwrite 0x7fc00000 1\n";
	int id;

	(void)state;
	assert_int_equal(hvt_enable(), 0);
	id = active_cell("crash", 1, 0x7f000000, 0, crash);
	assert_int_equal(cell_get_state(cell_find((unsigned int)id)),
			 HV_CELL_FAILED);
	assert_int_equal(hvt_destroy(id), 0);
}

static void test_reconfig_completed(void **state)
{
	static const char quiet[] = "#!hvsim-guest\nforever\n  wait_irq\nend\n";
	struct hvt_cell c;
	struct cell *watcher;
	int id;

	(void)state;
	assert_int_equal(hvt_enable(), 0);
	id = active_cell("watcher", 1, 0x7f000000, 0, quiet);
	watcher = cell_find((unsigned int)id);
	hvt_small_cell(&c, "other", 2, 0x7e000000);
	assert_int_equal(hvt_create(&c), 2);
	/* The running cell was told and confirmed. */
	assert_int_equal(watcher->comm_page->comm_region.reply_from_cell,
			 HV_MSG_RECEIVED);
	assert_int_equal(hvt_destroy(2), 0);
	assert_int_equal(watcher->comm_page->comm_region.reply_from_cell,
			 HV_MSG_RECEIVED);
	assert_int_equal(cell_get_state(watcher), HV_CELL_RUNNING);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_approve, hvt_setup,
						hvt_teardown),
		cmocka_unit_test_setup_teardown(test_deny, hvt_setup,
						hvt_teardown),
		cmocka_unit_test_setup_teardown(test_ignore_times_out, hvt_setup,
						hvt_teardown),
		cmocka_unit_test_setup_teardown(test_no_image_times_out,
						hvt_setup, hvt_teardown),
		cmocka_unit_test_setup_teardown(test_passive_is_not_asked,
						hvt_setup, hvt_teardown),
		cmocka_unit_test_setup_teardown(test_failed_cell_counts_as_approving,
						hvt_setup, hvt_teardown),
		cmocka_unit_test_setup_teardown(test_reconfig_completed,
						hvt_setup, hvt_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
