// SPDX-License-Identifier: MIT
/*
 * Every hypercall with its permission rules and errno (spec §4.2), issued
 * directly on simulated CPUs.
 */
#include "hv_test.h"

#include <sim/simmem.h>

#define CFG_GPA		0x50000000ULL

static struct per_cpu *root0(void)
{
	return per_cpu(0);
}

/* Puts a cell config into root RAM and issues CELL_CREATE for it. */
static int64_t create_at(struct per_cpu *caller, const struct hvt_cell *c,
			 uint32_t id, uint64_t gpa)
{
	static uint8_t buf[HVT_BUF];
	size_t len = hvt_cell_bytes(c, buf);

	((struct hv_cell_desc *)buf)->id = id;
	assert_int_equal(simmem_write(&hvt_sb->mem, gpa, buf, len), 0);
	return hv_hypercall(caller, HV_HC_CELL_CREATE, gpa, 0);
}

static void test_info(void **state)
{
	struct per_cpu *cpu;

	(void)state;
	assert_int_equal(hvt_enable(), 0);
	cpu = root0();
	assert_int_equal(hv_hypercall(cpu, HV_HC_HYPERVISOR_GET_INFO,
				      HV_INFO_MEM_POOL_SIZE, 0), mem_pool.pages);
	assert_int_equal(hv_hypercall(cpu, HV_HC_HYPERVISOR_GET_INFO,
				      HV_INFO_MEM_POOL_USED, 0), mem_pool.used);
	assert_int_equal(hv_hypercall(cpu, HV_HC_HYPERVISOR_GET_INFO,
				      HV_INFO_REMAP_POOL_SIZE, 0), 131072);
	assert_true(hv_hypercall(cpu, HV_HC_HYPERVISOR_GET_INFO,
				 HV_INFO_REMAP_POOL_USED, 0) > 0);
	assert_int_equal(hv_hypercall(cpu, HV_HC_HYPERVISOR_GET_INFO,
				      HV_INFO_NUM_CELLS, 0), 1);
	assert_int_equal(hv_hypercall(cpu, HV_HC_HYPERVISOR_GET_INFO, 5, 0),
			 -EINVAL);
	assert_int_equal(hv_hypercall(cpu, HV_HC_CPU_GET_INFO, 3,
				      HV_CPU_INFO_STATE), HV_CPU_RUNNING);
	assert_int_equal(hv_hypercall(cpu, HV_HC_CPU_GET_INFO, 8,
				      HV_CPU_INFO_STATE), -EINVAL);
	/* Types 1 and 2 are our fault record; 3 is nobody's. */
	assert_int_equal(hv_hypercall(cpu, HV_HC_CPU_GET_INFO, 3,
				      HV_CPU_INFO_FAULT), HV_CPU_FAULT_NONE);
	assert_int_equal(hv_hypercall(cpu, HV_HC_CPU_GET_INFO, 3,
				      HV_CPU_INFO_FAULT_ADDR), 0);
	assert_int_equal(hv_hypercall(cpu, HV_HC_CPU_GET_INFO, 3, 3), -EINVAL);
	assert_int_equal(hv_hypercall(cpu, HV_HC_CPU_GET_INFO, 3,
				      HV_CPU_INFO_STAT_BASE + HV_NUM_CPU_STATS),
			 -EINVAL);
	assert_int_equal(hv_hypercall(cpu, HV_HC_CELL_GET_STATE, 0, 0),
			 HV_CELL_RUNNING);
	assert_int_equal(hv_hypercall(cpu, HV_HC_CELL_GET_STATE, 4, 0),
			 -ENOENT);
	assert_int_equal(hv_hypercall(cpu, HV_HC_COUNT, 0, 0), -ENOSYS);
	assert_int_equal(hv_hypercall(cpu, 0x1234, 0, 0), -ENOSYS);
	/* Every call above was a hypercall exit of CPU 0. */
	assert_int_equal(hv_hypercall(cpu, HV_HC_CPU_GET_INFO, 0,
				      HV_CPU_INFO_STAT_BASE + HV_STAT_HYPERCALL),
			 17);
}

/* Why a CPU failed is kept for CPU_GET_INFO: the fault and its address. */
static void test_fault_info(void **state)
{
	struct hvt_cell a, b;

	(void)state;
	assert_int_equal(hvt_enable(), 0);
	hvt_small_cell(&a, "abort", 1, 0x7f000000);
	assert_int_equal(hvt_create(&a), 1);
	hvt_small_cell(&b, "trap", 2, 0x7e000000);
	assert_int_equal(hvt_create(&b), 2);

	cpu_fail_at(per_cpu(1), HV_CPU_FAULT_DATA_ABORT, 0x7fc00000,
		    "test: data abort");
	assert_int_equal(hv_hypercall(root0(), HV_HC_CPU_GET_INFO, 1,
				      HV_CPU_INFO_STATE), HV_CPU_FAILED);
	assert_int_equal(hv_hypercall(root0(), HV_HC_CPU_GET_INFO, 1,
				      HV_CPU_INFO_FAULT), HV_CPU_FAULT_DATA_ABORT);
	assert_int_equal(hv_hypercall(root0(), HV_HC_CPU_GET_INFO, 1,
				      HV_CPU_INFO_FAULT_ADDR), 0x7fc00000);
	assert_int_equal(hv_hypercall(root0(), HV_HC_CELL_GET_STATE, 1, 0),
			 HV_CELL_FAILED);

	/* A trap has no address, whatever the caller passed. */
	cpu_fail_at(per_cpu(2), HV_CPU_FAULT_UNHANDLED_TRAP, 0x1234, "test: trap");
	assert_int_equal(hv_hypercall(root0(), HV_HC_CPU_GET_INFO, 2,
				      HV_CPU_INFO_FAULT), HV_CPU_FAULT_UNHANDLED_TRAP);
	assert_int_equal(hv_hypercall(root0(), HV_HC_CPU_GET_INFO, 2,
				      HV_CPU_INFO_FAULT_ADDR), 0);
	/* A running CPU has none. */
	assert_int_equal(hv_hypercall(root0(), HV_HC_CPU_GET_INFO, 3,
				      HV_CPU_INFO_FAULT), HV_CPU_FAULT_NONE);
}

static void test_root_only_calls(void **state)
{
	struct hvt_cell c, quiet;
	struct per_cpu *cell_cpu;
	int id;

	(void)state;
	assert_int_equal(hvt_enable(), 0);
	hvt_small_cell(&c, "guest", 1, 0x7f000000);
	id = hvt_create(&c);
	assert_int_equal(id, 1);
	cell_cpu = per_cpu(1);
	assert_int_equal(hv_hypercall(cell_cpu, HV_HC_DISABLE, 0, 0), -EPERM);
	assert_int_equal(hv_hypercall(cell_cpu, HV_HC_CELL_CREATE, CFG_GPA, 0),
			 -EPERM);
	assert_int_equal(hv_hypercall(cell_cpu, HV_HC_CELL_START, 1, 0), -EPERM);
	assert_int_equal(hv_hypercall(cell_cpu, HV_HC_CELL_SET_LOADABLE, 1, 0),
			 -EPERM);
	assert_int_equal(hv_hypercall(cell_cpu, HV_HC_CELL_DESTROY, 1, 0),
			 -EPERM);
	assert_int_equal(hv_hypercall(cell_cpu, HV_HC_CELL_GET_STATE, 1, 0),
			 -EPERM);
	/* Allowed from any cell: info, own CPUs, console. */
	assert_true(hv_hypercall(cell_cpu, HV_HC_HYPERVISOR_GET_INFO, 0, 0) > 0);
	assert_int_equal(hv_hypercall(cell_cpu, HV_HC_CPU_GET_INFO, 1,
				      HV_CPU_INFO_STATE), HV_CPU_RUNNING);
	assert_int_equal(hv_hypercall(cell_cpu, HV_HC_CPU_GET_INFO, 0,
				      HV_CPU_INFO_STATE), -EPERM);
	assert_int_equal(hv_hypercall(cell_cpu, HV_HC_DEBUG_CONSOLE_PUTC, 'x',
				      0), 0);

	hvt_small_cell(&quiet, "quiet", 2, 0x7e000000);
	quiet.flags = HV_CELL_PASSIVE_COMMREG;
	assert_int_equal(hvt_create(&quiet), 2);
	assert_int_equal(hv_hypercall(per_cpu(2), HV_HC_DEBUG_CONSOLE_PUTC, 'x',
				      0), -EPERM);
	/* The root cell's config lacks the flag as well. */
	assert_int_equal(hv_hypercall(root0(), HV_HC_DEBUG_CONSOLE_PUTC, 'x',
				      0), -EPERM);

	/* Targets: no such cell, the root cell. */
	assert_int_equal(hv_hypercall(root0(), HV_HC_CELL_START, 9, 0), -ENOENT);
	assert_int_equal(hv_hypercall(root0(), HV_HC_CELL_SET_LOADABLE, 9, 0),
			 -ENOENT);
	assert_int_equal(hv_hypercall(root0(), HV_HC_CELL_DESTROY, 9, 0),
			 -ENOENT);
	assert_int_equal(hv_hypercall(root0(), HV_HC_CELL_START, 0, 0), -EINVAL);
	assert_int_equal(hv_hypercall(root0(), HV_HC_CELL_SET_LOADABLE, 0, 0),
			 -EINVAL);
	assert_int_equal(hv_hypercall(root0(), HV_HC_CELL_DESTROY, 0, 0),
			 -EINVAL);
	assert_int_equal(hv_hypercall(root0(), HV_HC_CELL_DESTROY,
				      0x100000001ULL, 0), -ENOENT);
	/* Cells exist: no disable. */
	assert_int_equal(hv_hypercall(root0(), HV_HC_DISABLE, 0, 0), -EBUSY);
	/* A state value the ABI does not know. */
	cell_set_state(cell_find(1), 77);
	assert_int_equal(hv_hypercall(root0(), HV_HC_CELL_GET_STATE, 1, 0),
			 -EINVAL);
	cell_set_state(cell_find(1), HV_CELL_SHUT_DOWN);
	assert_int_equal(hv_hypercall(root0(), HV_HC_CELL_GET_STATE, 1, 0),
			 HV_CELL_SHUT_DOWN);
}

static void test_create_errors(void **state)
{
	struct hvt_cell c, other;
	unsigned long used;

	(void)state;
	assert_int_equal(hvt_enable(), 0);
	hvt_small_cell(&other, "other", 2, 0x7e000000);
	assert_int_equal(create_at(root0(), &other, 5, CFG_GPA), 5);
	used = mem_pool.used;

	hvt_small_cell(&c, "new", 3, 0x7f000000);
	/* Same id, same name. */
	assert_int_equal(create_at(root0(), &c, 5, CFG_GPA), -EEXIST);
	c.name = "other";
	assert_int_equal(create_at(root0(), &c, 6, CFG_GPA), -EEXIST);
	c.name = "new";
	/* The CPU issuing the call, a CPU of another cell. */
	c.cpus = 1;
	assert_int_equal(create_at(root0(), &c, 6, CFG_GPA), -EBUSY);
	c.cpus = 1 << 2;
	assert_int_equal(create_at(root0(), &c, 6, CFG_GPA), -EBUSY);
	c.cpus = 1 << 3;
	/* Config not in root memory. */
	assert_int_equal(hv_hypercall(root0(), HV_HC_CELL_CREATE, 0x30000000, 0),
			 -EINVAL);
	assert_int_equal(hv_hypercall(root0(), HV_HC_CELL_CREATE, 0x7e000000, 0),
			 -EINVAL);
	/* More than 16 pages from the config's start page. */
	c.nmem = 2;
	{
		static uint8_t buf[HVT_BUF];
		struct hv_cell_desc *d = (struct hv_cell_desc *)buf;
		size_t len = hvt_cell_bytes(&c, buf);

		d->id = 6;
		assert_int_equal(simmem_write(&hvt_sb->mem, CFG_GPA + 0xf80, buf, len), 0);
		d->num_pio_regions = (16 * 4096 - 0xf80 - (uint32_t)len) / 4 + 1;
		assert_int_equal(simmem_write(&hvt_sb->mem, CFG_GPA + 0xf80, buf, len), 0);
		assert_int_equal(hv_hypercall(root0(), HV_HC_CELL_CREATE,
					      CFG_GPA + 0xf80, 0), -E2BIG);
		d->num_pio_regions--;
		assert_int_equal(simmem_write(&hvt_sb->mem, CFG_GPA + 0xf80, buf, len), 0);
		/* Exactly 16 pages is accepted (PIO entries are zero). */
		assert_int_equal(hv_hypercall(root0(), HV_HC_CELL_CREATE,
					      CFG_GPA + 0xf80, 0), 6);
		assert_int_equal(hv_hypercall(root0(), HV_HC_CELL_DESTROY, 6, 0),
				 0);
	}
	/* Not a cell config at all. */
	assert_int_equal(simmem_write(&hvt_sb->mem, CFG_GPA, "JHSYS", 5), 0);
	assert_int_equal(hv_hypercall(root0(), HV_HC_CELL_CREATE, CFG_GPA, 0),
			 -EINVAL);
	assert_int_equal(mem_pool.used, used);
	assert_int_equal(hv_hypercall(root0(), HV_HC_CELL_DESTROY, 5, 0), 0);
}

static void test_locked_configuration(void **state)
{
	static const char lock[] =
		"#!hvsim-guest\nstate running_locked\nhalt\n";
	struct hvt_cell a, b;
	int ia;

	(void)state;
	assert_int_equal(hvt_enable(), 0);
	hvt_small_cell(&a, "locker", 1, 0x7f000000);
	a.flags = HV_CELL_VIRTUAL_CONSOLE_PERMITTED;
	ia = hvt_create(&a);
	assert_int_equal(ia, 1);
	if (hvt_run_script(ia, lock))
		fail_msg("%s", hvt_msg);
	hvt_run_ms(5);
	assert_int_equal(cell_get_state(cell_find((unsigned int)ia)),
			 HV_CELL_RUNNING_LOCKED);
	hvt_small_cell(&b, "b", 2, 0x7e000000);
	assert_int_equal(hvt_create(&b), -EPERM);
	assert_int_equal(create_at(root0(), &b, 7, CFG_GPA), -EPERM);
	/* The locked cell itself is asked, and its guest approves. */
	assert_int_equal(hvt_destroy(ia), 0);
	assert_int_equal(hvt_create(&b), 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_info, hvt_setup,
						hvt_teardown),
		cmocka_unit_test_setup_teardown(test_fault_info, hvt_setup,
						hvt_teardown),
		cmocka_unit_test_setup_teardown(test_root_only_calls, hvt_setup,
						hvt_teardown),
		cmocka_unit_test_setup_teardown(test_create_errors, hvt_setup,
						hvt_teardown),
		cmocka_unit_test_setup_teardown(test_locked_configuration,
						hvt_setup, hvt_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
