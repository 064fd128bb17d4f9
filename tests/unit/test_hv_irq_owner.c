// SPDX-License-Identifier: MIT
/*
 * Interrupt ownership in the hypervisor core, through hvsim: a cell's
 * interrupts leave the root cell when it is created and come back when
 * it is destroyed, no two cells hold one, and create/destroy cycles leave
 * ownership and the page pool as they were. (The arm64 port moves the
 * SPIs in the GIC on the same changes; tests/unit/test_arm64_gic.c and
 * the QEMU test cover that side.)
 */
#include "hv_test.h"

static void assert_msg(const char *part)
{
	if (!strstr(hvt_msg, part))
		fail_msg("\"%s\" lacks \"%s\"", hvt_msg, part);
}

static void test_irqs_move_with_the_cell(void **state)
{
	struct hvt_cell a, b;
	int ida, idb;

	(void)state;
	assert_int_equal(hvt_enable(), 0);
	assert_true(cell_root_owns_irq(34));
	assert_true(cell_root_owns_irq(35));

	hvt_small_cell(&a, "irq-owner", 2, 0x7f000000);
	hvt_irqs(&a, 34, 35);
	ida = hvt_create(&a);
	assert_true(ida > 0);
	assert_false(cell_root_owns_irq(34));
	assert_false(cell_root_owns_irq(35));
	assert_true(cell_root_owns_irq(33));
	assert_true(cell_root_owns_irq(36));
	assert_true(cell_cfg_has_irq(cell_find((unsigned int)ida)->config, 34));

	/* A second cell cannot take one of them, and nothing changes. */
	hvt_small_cell(&b, "thief", 3, 0x7e000000);
	hvt_irqs(&b, 35, 35);
	assert_true(hvt_create(&b) < 0);
	assert_msg("35");
	assert_false(cell_root_owns_irq(35));
	assert_int_equal(num_cells, 2);

	/* Destroy returns them; then the other cell may have one. */
	assert_int_equal(hvt_destroy(ida), 0);
	assert_true(cell_root_owns_irq(34));
	assert_true(cell_root_owns_irq(35));
	idb = hvt_create(&b);
	assert_true(idb > 0);
	assert_false(cell_root_owns_irq(35));
	assert_true(cell_root_owns_irq(34));
	assert_int_equal(hvt_destroy(idb), 0);
	assert_true(cell_root_owns_irq(35));
}

/* The root cannot hand out what its config does not list. */
static void test_irq_outside_root_refused(void **state)
{
	struct hvt_cell c;

	(void)state;
	assert_int_equal(hvt_enable(), 0);
	assert_false(cell_root_owns_irq(200));
	hvt_small_cell(&c, "far", 2, 0x7f000000);
	hvt_irqs(&c, 200, 200);
	assert_true(hvt_create(&c) < 0);
	assert_msg("200");
	assert_int_equal(num_cells, 1);
}

static void test_cycles_leave_ownership(void **state)
{
	struct hvt_cell c;
	unsigned long used;
	unsigned int n, irq;
	int id;

	(void)state;
	assert_int_equal(hvt_enable(), 0);
	used = mem_pool.used;
	for (n = 0; n < 20; n++) {
		hvt_small_cell(&c, "tick", 3, 0x7f000000);
		hvt_irqs(&c, 34, 34);
		id = hvt_create(&c);
		assert_true(id > 0);
		assert_false(cell_root_owns_irq(34));
		assert_int_equal(hvt_destroy(id), 0);
	}
	assert_int_equal(mem_pool.used, used);
	for (irq = 32; irq <= 159; irq++)
		assert_true(cell_root_owns_irq(irq));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_irqs_move_with_the_cell,
						hvt_setup, hvt_teardown),
		cmocka_unit_test_setup_teardown(test_irq_outside_root_refused,
						hvt_setup, hvt_teardown),
		cmocka_unit_test_setup_teardown(test_cycles_leave_ownership,
						hvt_setup, hvt_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
