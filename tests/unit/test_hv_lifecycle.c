// SPDX-License-Identifier: MIT
/*
 * Cell lifecycle through the sim driver and the core: enable/disable,
 * create/load/start/shutdown/destroy and the state machine, IDs and name
 * lookup, sysfs formats, refusals that change nothing, the page pool
 * returning to its initial use, and the ownership invariant after random
 * operation sequences.
 */
#include "hv_test.h"

#include <sys/stat.h>

static const char tick_script[] =
	"#!hvsim-guest\nforever\n  sleep 5ms\n  print t$n\nend\n";

static bool sysfs_exists(const char *rel)
{
	char path[256];
	struct stat st;

	snprintf(path, sizeof(path), "%s/sysfs/%s", hvt_dir, rel);
	return stat(path, &st) == 0;
}

static void assert_sysfs(const char *rel, const char *expect)
{
	char buf[4096];

	assert_non_null(hvt_sysfs(rel, buf, sizeof(buf)));
	assert_string_equal(buf, expect);
}

static void test_enable_disable(void **state)
{
	char buf[64];
	unsigned long used;

	(void)state;
	assert_sysfs("enabled", "0\n");
	assert_sysfs("mem_pool_size", "0\n");
	assert_int_equal(drv_disable(hvt_sb, hvt_msg), -EINVAL);
	assert_int_equal(hvt_enable(), 0);
	assert_sysfs("enabled", "1\n");
	assert_sysfs("cells/0/name", "sim-root\n");
	assert_sysfs("cells/0/state", "running\n");
	assert_sysfs("cells/0/cpus_assigned", "ff\n");
	assert_sysfs("cells/0/cpus_assigned_list", "0-7\n");
	assert_sysfs("cells/0/cpus_failed", "00\n");
	assert_sysfs("cells/0/cpus_failed_list", "\n");
	assert_true(sysfs_exists("cells/0/statistics/cpu7/vmexits_psci"));
	assert_true(sysfs_exists("cells/0/config"));
	snprintf(buf, sizeof(buf), "%lu\n", mem_pool.used);
	assert_sysfs("mem_pool_used", buf);
	used = mem_pool.used;
	assert_true(used > 0 && used < mem_pool.pages);
	assert_int_equal(hvt_enable(), -EBUSY);
	assert_int_equal(drv_disable(hvt_sb, hvt_msg), 0);
	assert_sysfs("enabled", "0\n");
	assert_sysfs("mem_pool_used", "0\n");
	assert_false(sysfs_exists("cells/0"));
	assert_true(sysfs_exists("cells"));
	/* A second enable starts from scratch with the same figures. */
	assert_int_equal(hvt_enable(), 0);
	assert_int_equal(mem_pool.used, used);
}

static void test_enable_refusals(void **state)
{
	static uint8_t buf[HVT_BUF];
	struct hv_system *s = (struct hv_system *)buf;
	struct hvt_cell root;
	size_t len;

	(void)state;
#define REFUSE(mutation, err)						     \
	do {								     \
		hvt_root(&root, 8);					     \
		len = hvt_system_bytes(&root, 0, buf);			     \
		mutation;						     \
		assert_int_equal(drv_enable(hvt_sb, buf, len, hvt_msg), err);	     \
		assert_false(drv_enabled(hvt_sb));				     \
		assert_true(hvt_msg[0] != 0);				     \
	} while (0)

	REFUSE(len = 100, -EINVAL);
	REFUSE(s->signature[0] = 'X', -EINVAL);
	REFUSE(s->revision = 13, -EINVAL);
	REFUSE(s->architecture = HV_ARCH_X86, -EINVAL);
	REFUSE(len -= 8, -EINVAL);
	REFUSE(buf[sizeof(*s)] = 0, -EINVAL);		/* empty CPU set */
	REFUSE(buf[sizeof(*s)] = 0x7f, -EINVAL);	/* CPU 7 missing */
	REFUSE(buf[sizeof(*s) + 1] = 1, -EINVAL);	/* CPU 8 not on board */
	REFUSE(s->hypervisor_memory.phys_start = 0x90000000, -EINVAL);
	REFUSE(s->hypervisor_memory.size = 0x10000, -EINVAL);
	REFUSE(s->platform_info.arm.gic_version = 2, -EINVAL);
	REFUSE(s->platform_info.arm.gicd_base = 0x2f000000, -EINVAL);
	REFUSE(s->debug_console.address = 0x1c090000, -ENODEV);
	/* Root RAM reaching into hypervisor memory. */
	REFUSE(((struct hv_memory *)(buf + sizeof(*s) + 8))->size = 0x3fe00000,
	       -EINVAL);
	/* An irqchip that is not the GIC distributor (0 would be an unused slot). */
	REFUSE((root.irq[0].address = 0x2f000000, len = hvt_system_bytes(&root, 0, buf)),
	       -EINVAL);
#undef REFUSE
	assert_int_equal(hvt_enable(), 0);
}

static void test_state_machine(void **state)
{
	struct hvt_cell c;
	int id;

	(void)state;
	assert_int_equal(hvt_enable(), 0);
	hvt_small_cell(&c, "rtos", 1, 0x7f000000);
	id = hvt_create(&c);
	assert_int_equal(id, 1);
	assert_sysfs("cells/1/name", "rtos\n");
	assert_sysfs("cells/1/state", "shut down\n");
	assert_sysfs("cells/1/cpus_assigned", "02\n");
	assert_sysfs("cells/1/cpus_assigned_list", "1\n");
	assert_sysfs("cells/0/cpus_assigned", "fd\n");
	assert_sysfs("cells/0/cpus_assigned_list", "0,2-7\n");
	assert_true(sysfs_exists("cells/1/statistics/cpu1/vmexits_total"));
	assert_false(sysfs_exists("cells/0/statistics/cpu1"));

	assert_int_equal(hvt_run_script(id, tick_script), 0);
	assert_sysfs("cells/1/state", "running\n");
	hvt_run_ms(30);
	assert_true(hvt_stat(1, HV_STAT_HYPERCALL) > 0);
	/* Shutdown = load without images. */
	{
		struct hv_ioc_cell_load arg;

		memset(&arg, 0, sizeof(arg));
		arg.cell_id = hvt_id(-1);
		strcpy(arg.cell_id.name, "rtos");
		assert_int_equal(drv_cell_load(hvt_sb, &arg, sizeof(arg), NULL, 0,
					       hvt_msg), 0);
	}
	assert_sysfs("cells/1/state", "shut down\n");
	assert_int_equal(hvt_start(id), 0);
	assert_sysfs("cells/1/state", "running\n");
	assert_int_equal(hvt_destroy(id), 0);
	assert_false(sysfs_exists("cells/1"));
	assert_true(sysfs_exists("cells/0/statistics/cpu1"));
	assert_sysfs("cells/0/cpus_assigned_list", "0-7\n");
	/* CPU 1 runs the root again, with zeroed counters. */
	assert_true(per_cpu(1)->cell == &root_cell);
	assert_false(per_cpu(1)->parked);
}

static void test_ids_and_lookup(void **state)
{
	struct hv_ioc_cell_id cid;
	struct hvt_cell a, b, c;

	(void)state;
	assert_int_equal(hvt_enable(), 0);
	hvt_small_cell(&a, "a", 1, 0x7f000000);
	hvt_small_cell(&b, "b", 2, 0x7e000000);
	hvt_small_cell(&c, "c", 3, 0x7e100000);
	assert_int_equal(hvt_create(&a), 1);
	assert_int_equal(hvt_create(&b), 2);
	assert_int_equal(hvt_destroy(1), 0);
	assert_int_equal(hvt_create(&c), 1);	/* lowest free */
	assert_sysfs("cells/1/name", "c\n");

	memset(&cid, 0, sizeof(cid));
	cid.id = -1;
	strcpy(cid.name, "b");
	assert_int_equal(drv_cell_start(hvt_sb, &cid, hvt_msg), 0);
	strcpy(cid.name, "nope");
	assert_int_equal(drv_cell_start(hvt_sb, &cid, hvt_msg), -ENOENT);
	/* A non-negative id never falls back to the name. */
	cid.id = 7;
	strcpy(cid.name, "b");
	assert_int_equal(drv_cell_start(hvt_sb, &cid, hvt_msg), -ENOENT);
	cid.id = -5;
	assert_int_equal(drv_cell_destroy(hvt_sb, &cid, hvt_msg), -ENOENT);
	assert_int_equal(hvt_destroy(0), -EINVAL);
	assert_int_equal(hvt_start(0), -EINVAL);
	assert_int_equal(hvt_load(0, "x", 1, 0x40000000), -EINVAL);
}

struct snapshot {
	unsigned long pool_used, remap_used;
	unsigned long root_cpus;
	unsigned int cells;
	uint64_t mapped;	/* bitmask of probe addresses root maps */
	char root_list[64];
};

static const uint64_t probes[] = {
	0x40000000, 0x5ffff000, 0x70000000, 0x7e000000, 0x7e0ff000,
	0x7e100000, 0x7f000000, 0x7f0ff000, 0x7f100000, 0x7fb00000,
	0x7fb01000, 0x08000000, 0x09000000,
};

static void take(struct snapshot *s)
{
	struct paging_result r;
	unsigned int i;

	memset(s, 0, sizeof(*s));
	s->pool_used = mem_pool.used;
	s->remap_used = remap_pool.used;
	s->root_cpus = root_cell.cpu_set[0];
	s->cells = num_cells;
	for (i = 0; i < ARRAY_SIZE(probes); i++)
		if (paging_translate(&root_cell.stage2, probes[i], &r))
			s->mapped |= 1ULL << i;
	hvt_sysfs("cells/0/cpus_assigned_list", s->root_list,
		  sizeof(s->root_list));
}

static void test_refused_create_changes_nothing(void **state)
{
	struct snapshot before, after;
	struct hvt_cell c, other;
	int err;

	(void)state;
	assert_int_equal(hvt_enable(), 0);
	hvt_small_cell(&other, "other", 2, 0x7e000000);
	hvt_irqs(&other, 150, 150);
	hvt_ivshmem(&other, 0x0008, hvt_link_regions(&other, 0,
						     HV_MEM_ROOTSHARED), 0, 2);
	assert_int_equal(hvt_create(&other), 1);
	take(&before);

#define REFUSE(mutation, expect)					     \
	do {								     \
		hvt_small_cell(&c, "new", 3, 0x7f000000);		     \
		mutation;						     \
		err = hvt_create(&c);					     \
		assert_int_equal(err, expect);				     \
		assert_true(hvt_msg[0] != 0);				     \
		take(&after);						     \
		assert_memory_equal(&before, &after, sizeof(before));	     \
	} while (0)

	REFUSE(c.cpus = 1ULL << 2, -EBUSY);		/* other's CPU */
	REFUSE(c.cpus = 1ULL << 9, -EBUSY);		/* not on the board */
	REFUSE(c.cpus = 0xfd, -EBUSY);			/* root keeps none */
	REFUSE(c.cpus = 0, -EINVAL);
	REFUSE(c.name = "other", -EEXIST);
	REFUSE(c.mem[0].phys_start = 0x7fc00000, -EINVAL);	/* hv memory */
	REFUSE(c.mem[0].phys_start = 0x30000000, -EINVAL);	/* not root's */
	REFUSE(c.mem[0].phys_start = 0x7e000000, -EBUSY);	/* other's RAM */
	REFUSE(c.mem[0].phys_start = 0x7f000800, -EINVAL);	/* misaligned */
	REFUSE(c.mem[1].virt_start = 0x80000, -EINVAL);	/* overlap in guest */
	REFUSE(hvt_mem(&c, 0, 0x90000000, 0x1000,
		       HV_MEM_READ | HV_MEM_COMM_REGION), -EINVAL);
	REFUSE(hvt_irqs(&c, 160, 160), -EINVAL);	/* not root's IRQ */
	REFUSE(hvt_irqs(&c, 150, 150), -EBUSY);		/* other's IRQ */
	REFUSE((hvt_irqs(&c, 40, 40), c.irq[0].address = 0x08010000),
	       -EINVAL);
	REFUSE(hvt_ivshmem(&c, 0x0008, hvt_link_regions(&c, 0,
							HV_MEM_ROOTSHARED),
			   0, 2), -EBUSY);		/* peer 0 taken */
	REFUSE(hvt_ivshmem(&c, 0x0008, hvt_link_regions(&c, 1,
							HV_MEM_ROOTSHARED),
			   1, 3), -EINVAL);		/* peer count differs */
	REFUSE(hvt_ivshmem(&c, 0x0010, 9, 0, 2), -EINVAL); /* no regions */
	REFUSE(hvt_ivshmem(&c, 0x0010, 0, 2, 2), -EINVAL); /* id >= peers */
#undef REFUSE
	/* The accepted variant of the same cell still goes in. */
	hvt_small_cell(&c, "new", 3, 0x7f000000);
	assert_true(hvt_create(&c) > 0);
}

static void test_e2big(void **state)
{
	static uint8_t buf[2 * HVT_BUF];
	struct hv_ioc_cell_create arg = { 0 };
	struct hv_cell_desc *d = (struct hv_cell_desc *)buf;
	struct hvt_cell c;
	unsigned long used;
	int32_t id;
	size_t len;

	(void)state;
	assert_int_equal(hvt_enable(), 0);
	used = mem_pool.used;
	hvt_small_cell(&c, "big", 1, 0x7f000000);
	len = hvt_cell_bytes(&c, buf);
	/* 16 pages of PIO regions (ignored on arm64) push it over. */
	d->num_pio_regions = 16384;
	len += 16384 * sizeof(struct hv_pio);
	arg.config_size = (uint32_t)len;
	assert_int_equal(drv_cell_create(hvt_sb, &arg, buf, len, &id, hvt_msg), -E2BIG);
	assert_int_equal(mem_pool.used, used);
	/* Truncated: the counts promise more than was sent. */
	arg.config_size = (uint32_t)(len - 4);
	assert_int_equal(drv_cell_create(hvt_sb, &arg, buf, len - 4, &id, hvt_msg),
			 -EINVAL);
	/* config_size must match the data. */
	arg.config_size = 100;
	assert_int_equal(drv_cell_create(hvt_sb, &arg, buf, len, &id, hvt_msg),
			 -EINVAL);
}

static void test_load_refusals(void **state)
{
	struct {
		struct hv_ioc_cell_load load;
		struct hv_ioc_preload_image img[2];
	} arg;
	struct hvt_cell c;
	uint8_t data[64] = "#!hvsim-guest\n";
	int id;

	(void)state;
	assert_int_equal(hvt_enable(), 0);
	hvt_small_cell(&c, "rtos", 1, 0x7f000000);
	id = hvt_create(&c);
	assert_int_equal(id, 1);
	assert_int_equal(hvt_load(id, data, 16, 0x200000), -EINVAL);
	assert_int_equal(hvt_load(id, data, 16, 0xffff8), -EINVAL);
	assert_int_equal(hvt_load(id, data, 16, 0x80000000), -EINVAL);
	assert_int_equal(hvt_load(id, data, 16, 0x09000000), -EINVAL);
	assert_int_equal(hvt_load(id, data, 16, 0xfff00), 0);
	assert_int_equal(hvt_load(5, data, 16, 0), -ENOENT);

	memset(&arg, 0, sizeof(arg));
	arg.load.cell_id = hvt_id(id);
	arg.load.num_preload_images = 2;
	arg.img[0].size = 16;
	arg.img[1].source_address = 60;
	arg.img[1].size = 16;
	assert_int_equal(drv_cell_load(hvt_sb, &arg.load, sizeof(arg), data,
				       sizeof(data), hvt_msg), -EFAULT);
	assert_int_equal(drv_cell_load(hvt_sb, &arg.load, sizeof(arg) - 32, data,
				       sizeof(data), hvt_msg), -EINVAL);
	/* Later images overwrite earlier ones. */
	arg.img[0].source_address = 0;
	arg.img[1].source_address = 4;
	arg.img[1].size = 4;
	arg.img[1].target_address = 0;
	assert_int_equal(drv_cell_load(hvt_sb, &arg.load, sizeof(arg), data,
				       sizeof(data), hvt_msg), 0);
	{
		char text[16];

		assert_true(guest_read_string(hvt_sb, cell_find(1), 0, text,
					      sizeof(text)));
		assert_memory_equal(text, "sim-sim-guest\n", 14);
	}
}

static void test_pool_returns_after_cycles(void **state)
{
	struct hvt_cell a, b;
	unsigned long used, remap;
	size_t pages = 0;
	int i;

	(void)state;
	assert_int_equal(hvt_enable(), 0);
	used = mem_pool.used;
	remap = remap_pool.used;
	hvt_small_cell(&a, "a", 1, 0x7f000000);
	hvt_small_cell(&b, "b", 6, 0x7e000000);
	hvt_ivshmem(&a, 0x0008, hvt_link_regions(&a, 0, HV_MEM_ROOTSHARED),
		    0, 2);
	hvt_ivshmem(&b, 0x0008, hvt_link_regions(&b, 1, HV_MEM_ROOTSHARED),
		    1, 2);
	for (i = 0; i < 50; i++) {
		int ia = hvt_create(&a), ib = hvt_create(&b);

		assert_true(ia > 0 && ib > 0);
		assert_true(mem_pool.used > used);
		assert_int_equal(hvt_run_script(ia, tick_script), 0);
		assert_int_equal(hvt_run_script(ib, tick_script), 0);
		hvt_run_ms(2);
		assert_int_equal(hvt_destroy(ia), 0);
		assert_int_equal(hvt_destroy(ib), 0);
		assert_int_equal(mem_pool.used, used);
		assert_int_equal(remap_pool.used, remap);
		if (i == 0)
			pages = simmem_pages(&hvt_sb->mem);
	}
	/* Loading the same image again reuses the same simulated RAM. */
	assert_int_equal(simmem_pages(&hvt_sb->mem), pages);
}

/* Ownership invariant: root owns exactly what no other cell owns. */
static void check_invariant(void)
{
	struct paging_result r;
	const struct cell *cell;
	unsigned int cpu, irq, owners;
	uint64_t page;
	char list[64], expect[64];
	size_t o = 0;

	for (cpu = 0; cpu < hvt_sb->board.cpus; cpu++) {
		owners = 0;
		for_each_cell(cell)
			owners += cell_owns_cpu(cell, cpu);
		assert_int_equal(owners, 1);
		assert_ptr_equal(per_cpu(cpu)->cell,
				 cell_owns_cpu(&root_cell, cpu) ? &root_cell :
				 per_cpu(cpu)->cell);
		assert_true(cell_owns_cpu(per_cpu(cpu)->cell, cpu));
	}
	for (irq = 32; irq < 160; irq++) {
		owners = 0;
		for_each_non_root_cell(cell)
			owners += cell_cfg_has_irq(cell->config, irq);
		assert_true(owners <= 1);
		assert_int_equal(cell_root_owns_irq(irq), owners == 0);
	}
	/* Every 64 KiB of the region cells are carved from. */
	for (page = 0x7e000000; page < 0x7fa00000; page += 0x10000) {
		bool taken = false;

		for_each_non_root_cell(cell) {
			const struct hv_memory *m = cfg_mem(cell->config);
			unsigned int n;

			for (n = 0; n < cell->config->num_memory_regions; n++)
				if (m[n].size &&
				    !(m[n].flags & (HV_MEM_ROOTSHARED |
						    HV_MEM_COMM_REGION)) &&
				    page >= m[n].phys_start &&
				    page < m[n].phys_start + m[n].size)
					taken = true;
		}
		/* Loadable memory is lent to root while a cell is loadable. */
		if (taken) {
			bool lent = false;

			for_each_non_root_cell(cell)
				if (cell->loadable)
					lent = true;
			if (lent)
				continue;
		}
		assert_int_equal(paging_translate(&root_cell.stage2, page, &r),
				 !taken);
		assert_int_equal(cell_root_owns_mem(page, 0x1000), !taken);
	}
	for (cpu = 0; cpu < hvt_sb->board.cpus; cpu++)
		if (cell_owns_cpu(&root_cell, cpu))
			o += (size_t)sprintf(expect + o, "%s%u", o ? "," : "",
					     cpu);
	expect[o] = 0;
	hvt_sysfs("cells/0/cpus_assigned_list", list, sizeof(list));
	/* Compare as sets: the file uses ranges. */
	{
		unsigned long bits = 0;
		char *p = list;

		while (*p && *p != '\n') {
			unsigned long lo = strtoul(p, &p, 10), hi = lo;

			if (*p == '-')
				hi = strtoul(p + 1, &p, 10);
			for (; lo <= hi; lo++)
				bits |= 1UL << lo;
			if (*p == ',')
				p++;
		}
		assert_int_equal(bits, root_cell.cpu_set[0]);
	}
}

static void test_random_operations_keep_ownership(void **state)
{
	struct hvt_cell cand[6];
	int ids[6];
	unsigned long used;
	unsigned int seed = 12345, step, i;

	(void)state;
	assert_int_equal(hvt_enable(), 0);
	used = mem_pool.used;
	/* Candidates share CPUs, RAM and IRQs so that many creates fail. */
	for (i = 0; i < 6; i++) {
		char *name = malloc(8);

		snprintf(name, 8, "c%u", i);
		hvt_small_cell(&cand[i], name, 1 + i % 5,
			       0x7e000000 + 0x100000ULL * (i % 4));
		hvt_irqs(&cand[i], 140 + i % 3, 140 + i % 3);
		ids[i] = -1;
	}
	for (step = 0; step < 400; step++) {
		unsigned int k = (unsigned int)rand_r(&seed) % 6;
		unsigned int op = (unsigned int)rand_r(&seed) % 4;
		int err;

		if (ids[k] < 0 && op < 2) {
			err = hvt_create(&cand[k]);
			if (err > 0)
				ids[k] = err;
			else
				assert_true(err == -EBUSY || err == -EINVAL);
		} else if (ids[k] >= 0 && op == 2) {
			assert_int_equal(hvt_run_script(ids[k], tick_script), 0);
		} else if (ids[k] >= 0 && op == 3) {
			assert_int_equal(hvt_load(ids[k], "", 0, 0), 0);
		} else if (ids[k] >= 0) {
			assert_int_equal(hvt_destroy(ids[k]), 0);
			ids[k] = -1;
		}
		hvt_run_ms(1);
		check_invariant();
	}
	for (i = 0; i < 6; i++) {
		if (ids[i] >= 0)
			assert_int_equal(hvt_destroy(ids[i]), 0);
		free((char *)cand[i].name);
	}
	check_invariant();
	assert_int_equal(mem_pool.used, used);
}

static void test_disable_destroys_cells(void **state)
{
	struct hvt_cell a, b;

	(void)state;
	assert_int_equal(hvt_enable(), 0);
	hvt_small_cell(&a, "a", 1, 0x7f000000);
	hvt_small_cell(&b, "b", 2, 0x7e000000);
	assert_true(hvt_create(&a) > 0);
	assert_true(hvt_create(&b) > 0);
	assert_int_equal(hvt_run_script(2, tick_script), 0);
	assert_int_equal(drv_disable(hvt_sb, hvt_msg), 0);
	assert_false(drv_enabled(hvt_sb));
	assert_false(sysfs_exists("cells/1"));
	assert_false(sysfs_exists("cells/2"));
	assert_false(sysfs_exists("cells/0"));
	assert_int_equal(hvt_enable(), 0);
	assert_int_equal(num_cells, 1);
	assert_true(hvt_create(&a) > 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_enable_disable, hvt_setup,
						hvt_teardown),
		cmocka_unit_test_setup_teardown(test_enable_refusals, hvt_setup,
						hvt_teardown),
		cmocka_unit_test_setup_teardown(test_state_machine, hvt_setup,
						hvt_teardown),
		cmocka_unit_test_setup_teardown(test_ids_and_lookup, hvt_setup,
						hvt_teardown),
		cmocka_unit_test_setup_teardown(test_refused_create_changes_nothing,
						hvt_setup, hvt_teardown),
		cmocka_unit_test_setup_teardown(test_e2big, hvt_setup,
						hvt_teardown),
		cmocka_unit_test_setup_teardown(test_load_refusals, hvt_setup,
						hvt_teardown),
		cmocka_unit_test_setup_teardown(test_pool_returns_after_cycles,
						hvt_setup, hvt_teardown),
		cmocka_unit_test_setup_teardown(test_random_operations_keep_ownership,
						hvt_setup, hvt_teardown),
		cmocka_unit_test_setup_teardown(test_disable_destroys_cells,
						hvt_setup, hvt_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
