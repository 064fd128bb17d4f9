// SPDX-License-Identifier: MIT
/*
 * What the core refuses at cell create so that nothing crosses a cell
 * boundary: comm regions that point anywhere, cell names that steer
 * terminals; and how hvsim's loader writes only what the root cell maps.
 * Each refusal names the field and the reason and changes nothing.
 */
#include "hv_test.h"

#include <hv/mmio.h>
#include <hv/paging.h>

#define HV_MEM_BASE	0x7fc00000ULL

static void assert_msg(const char *part)
{
	if (!strstr(hvt_msg, part))
		fail_msg("\"%s\" lacks \"%s\"", hvt_msg, part);
}

/* Refused with the message, and the board as it was. */
static void assert_refused(const struct hvt_cell *c, int err, const char *part)
{
	unsigned long used = mem_pool.used;
	unsigned int cells = num_cells;

	assert_int_equal(hvt_create(c), err);
	assert_msg(part);
	assert_int_equal(mem_pool.used, used);
	assert_int_equal(num_cells, cells);
}

static struct hv_memory *comm_of(struct hvt_cell *c)
{
	return &c->mem[1];	/* hvt_small_cell's comm region */
}

static void test_comm_region_flags(void **state)
{
	struct hvt_cell c;
	uint8_t before[256], after[256];

	(void)state;
	assert_int_equal(hvt_enable(), 0);

	hvt_small_cell(&c, "rtos", 1, 0x7f000000);
	comm_of(&c)->flags |= HV_MEM_LOADABLE;
	assert_refused(&c, -EINVAL,
		       "rtos: comm region (memory region 1) has the loadable flag");
	hvt_small_cell(&c, "rtos", 1, 0x7f000000);
	comm_of(&c)->flags |= HV_MEM_IO;
	assert_refused(&c, -EINVAL, "comm region (memory region 1) has the io flag");
	hvt_small_cell(&c, "rtos", 1, 0x7f000000);
	comm_of(&c)->flags |= HV_MEM_ROOTSHARED;
	assert_refused(&c, -EINVAL,
		       "comm region (memory region 1) has the rootshared flag");
	hvt_small_cell(&c, "rtos", 1, 0x7f000000);
	comm_of(&c)->phys_start = 0x7f000000;
	assert_refused(&c, -EINVAL,
		       "comm region (memory region 1) has phys_start 0x7f000000: the hypervisor provides the page, so phys_start must be 0");

	/*
	 * The audit's case: a loadable comm region "at" hypervisor memory,
	 * then a raw load into it. Nothing of the hypervisor may change.
	 */
	hvt_small_cell(&c, "rtos", 1, 0x7f000000);
	comm_of(&c)->phys_start = HV_MEM_BASE;
	comm_of(&c)->flags |= HV_MEM_LOADABLE;
	assert_int_equal(simmem_read(&hvt_sb->mem, before, HV_MEM_BASE, sizeof(before)), 0);
	assert_int_equal(hvt_create(&c), -EINVAL);
	assert_int_equal(simmem_read(&hvt_sb->mem, after, HV_MEM_BASE, sizeof(after)), 0);
	assert_memory_equal(before, after, sizeof(before));
}

/* hvsim's loader never targets the comm region, whatever its flags. */
static void test_load_into_comm_region(void **state)
{
	struct hvt_cell c;
	uint8_t page[64];
	int id;

	(void)state;
	assert_int_equal(hvt_enable(), 0);
	hvt_small_cell(&c, "rtos", 1, 0x7f000000);
	id = hvt_create(&c);
	assert_true(id > 0);
	memset(page, 0xee, sizeof(page));
	assert_int_equal(hvt_load(id, page, sizeof(page), 0x80000000), -EINVAL);
	assert_msg("image 0: memory region 1 at 0x80000000 is the comm region, the hypervisor's page, which is never loaded");
	/* The comm page did not get the image. */
	assert_memory_not_equal(cell_find((unsigned int)id)->comm_page->raw,
				page, sizeof(page));
	/* An ordinary load goes through the root's mapping of the RAM. */
	assert_int_equal(hvt_load(id, page, sizeof(page), 0x100), 0);
	memset(page, 0, sizeof(page));
	assert_int_equal(simmem_read(&hvt_sb->mem, page, 0x7f000100, sizeof(page)), 0);
	assert_int_equal(page[0], 0xee);
}

/* Cell names: valid UTF-8, no C0, DEL or C1 controls. */
static void test_cell_names(void **state)
{
	static const struct {
		const char *name;
		int offset;
	} bad[] = {
		{ "evil\x1b]52;c;aGk=\a", 4 },	/* OSC 52 */
		{ "tab\there", 3 },
		{ "del\x7f", 3 },
		{ "csi\xc2\x9b" "2J", 3 },	/* C1 CSI as UTF-8 */
		{ "raw\x9b", 3 },		/* a lone continuation byte */
		{ "latin1-\xe9t\xe9", 7 },
		{ "overlong\xc0\xaf", 8 },
		{ "surrogate\xed\xa0\x80", 9 },
		{ "cut\xe2\x82", 3 },
		{ "big\xf4\x90\x80\x80", 3 },
	};
	char want[128];
	struct hvt_cell c;
	unsigned int i;

	(void)state;
	assert_int_equal(hvt_enable(), 0);
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		hvt_small_cell(&c, bad[i].name, 1, 0x7f000000);
		snprintf(want, sizeof(want),
			 "the cell name has a control character or invalid UTF-8 at byte %d",
			 bad[i].offset);
		assert_refused(&c, -EINVAL, want);
		/* The message itself carries no control character. */
		assert_int_equal(hv_text_check(hvt_msg, sizeof(hvt_msg)), -1);
	}
	/* Valid UTF-8 beyond ASCII is a name like any other. */
	hvt_small_cell(&c, "r\xc3\xa9seau-\xe2\x82\xac", 1, 0x7f000000);
	assert_true(hvt_create(&c) > 0);
}

static void test_root_name(void **state)
{
	static uint8_t buf[HVT_BUF];
	struct hvt_cell root;
	size_t len;

	(void)state;
	hvt_root(&root, 8);
	root.name = "root\x1b[31m";
	len = hvt_system_bytes(&root, 0, buf);
	assert_int_equal(drv_enable(hvt_sb, buf, len, hvt_msg), -EINVAL);
	assert_false(drv_enabled(hvt_sb));
	assert_msg("root cell: the name has a control character or invalid UTF-8 at byte 4");
}

#define UART		0x09000000ULL
#define SUBPAGE_IO	(HV_MEM_READ | HV_MEM_WRITE | HV_MEM_IO | HV_MEM_IO_32)

static enum mmio_result access_by(struct per_cpu *cpu, uint64_t addr)
{
	uint64_t v = 0;

	return mmio_handle_access(cpu, addr, 4, false, &v);
}

static bool root_maps(uint64_t addr)
{
	struct paging_result res;

	return paging_translate(&root_cell.stage2, addr, &res);
}

/* A cell with the first 256 bytes of the UART as a sub-page device. */
static void uart_cell(struct hvt_cell *c)
{
	hvt_small_cell(c, "dev", 1, 0x7f000000);
	c->mem[2].phys_start = UART;
	c->mem[2].virt_start = UART;
	c->mem[2].size = 0x100;
	c->mem[2].flags = SUBPAGE_IO;
}

/*
 * Enables the test board with the root of hvt_root (changed by fn, if
 * given) and no hypervisor debug UART, so that cells may have the UART.
 */
static void enable_without_debug_uart(void (*fn)(struct hvt_cell *root))
{
	static uint8_t buf[HVT_BUF];
	struct hv_system *s = (struct hv_system *)buf;
	struct hvt_cell root;
	size_t len;

	hvt_root(&root, 8);
	if (fn)
		fn(&root);
	len = hvt_system_bytes(&root, 0, buf);
	s->debug_console.type = HV_CON_TYPE_NONE;
	assert_int_equal(drv_enable(hvt_sb, buf, len, hvt_msg), 0);
}

/* The I/O window stops short of the UART, which is a sub-page region. */
static void root_with_subpage_uart(struct hvt_cell *root)
{
	unsigned int n;

	for (n = 0; n < root->nmem; n++)
		if (root->mem[n].phys_start == 0x08f00000)
			root->mem[n].size = 0x100000;
	hvt_mem(root, UART, UART, 0x800, SUBPAGE_IO);
}

/* The root's own sub-page device: gone while a cell has it, then back. */
static void test_root_subpage_device_given_away(void **state)
{
	struct hvt_cell c;
	int id;

	(void)state;
	enable_without_debug_uart(root_with_subpage_uart);
	assert_false(root_maps(UART));
	assert_int_equal(access_by(hvt_root_cpu(), UART), MMIO_HANDLED);

	uart_cell(&c);
	id = hvt_create(&c);
	assert_true(id > 0);
	/* The root decides on what it owns now, not on its config. */
	assert_int_equal(access_by(hvt_root_cpu(), UART), MMIO_UNHANDLED);
	assert_int_equal(access_by(hvt_root_cpu(), UART + 0x400),
			 MMIO_HANDLED);
	assert_int_equal(access_by(per_cpu(1), UART), MMIO_HANDLED);
	assert_int_equal(hvt_destroy(id), 0);
	assert_int_equal(access_by(hvt_root_cpu(), UART), MMIO_HANDLED);
}

/* A sub-page device out of a page the root maps: the page leaves root. */
static void test_root_page_unmapped_for_subpage(void **state)
{
	struct hvt_cell c, d;
	int id, id2;

	(void)state;
	enable_without_debug_uart(NULL);
	assert_true(root_maps(UART));
	uart_cell(&c);
	id = hvt_create(&c);
	assert_true(id > 0);
	assert_false(root_maps(UART));
	assert_true(root_maps(UART - PAGE_SIZE));
	/* The rest of the page is the root's, emulated access by access. */
	assert_int_equal(access_by(hvt_root_cpu(), UART), MMIO_UNHANDLED);
	assert_int_equal(access_by(hvt_root_cpu(), UART + 0x800),
			 MMIO_HANDLED);
	assert_int_equal(access_by(per_cpu(1), UART), MMIO_HANDLED);

	/* A second cell with another piece of the page ... */
	uart_cell(&d);
	d.name = "dev2";
	d.cpus = 1ULL << 2;
	d.mem[0].phys_start = 0x7e000000;
	d.mem[2].phys_start = UART + 0x100;
	d.mem[2].virt_start = UART + 0x100;
	id2 = hvt_create(&d);
	assert_true(id2 > 0);
	/* ... keeps the page from the root when the first one goes. */
	assert_int_equal(hvt_destroy(id), 0);
	assert_false(root_maps(UART));
	assert_int_equal(access_by(hvt_root_cpu(), UART), MMIO_HANDLED);
	assert_int_equal(access_by(hvt_root_cpu(), UART + 0x100),
			 MMIO_UNHANDLED);
	assert_int_equal(hvt_destroy(id2), 0);
	assert_true(root_maps(UART));
}

/* A cell with one extra 4K I/O region at phys. */
static void io_cell(struct hvt_cell *c, uint64_t phys)
{
	hvt_small_cell(c, "io", 1, 0x7f000000);
	hvt_mem(c, phys, phys, 0x1000, HV_MEM_READ | HV_MEM_WRITE | HV_MEM_IO);
}

/* What the hypervisor emulates or drives is no cell's to map. */
static void test_reserved_mmio(void **state)
{
	static uint8_t buf[HVT_BUF];
	struct hv_system *s = (struct hv_system *)buf;
	struct hvt_cell root, c;
	size_t len;

	(void)state;
	hvt_root(&root, 8);
	len = hvt_system_bytes(&root, 0, buf);
	s->platform_info.iommu_units[2].type = 3;	/* SMMUv3 */
	s->platform_info.iommu_units[2].base = 0x08900000;
	s->platform_info.iommu_units[2].size = 0x20000;
	assert_int_equal(drv_enable(hvt_sb, buf, len, hvt_msg), 0);

	io_cell(&c, 0x08000000);
	assert_refused(&c, -EINVAL,
		       "io: memory region 3 (phys 0x8000000, size 0x1000) overlaps the GIC distributor at 0x8000000-0x800ffff, which the hypervisor keeps for itself");
	/* An ITS between distributor and redistributors. */
	io_cell(&c, 0x08080000);
	assert_refused(&c, -EINVAL,
		       "overlaps the GIC frames between distributor and redistributors (ITS) at 0x8010000-0x809ffff");
	/* The redistributor of the last of the 8 CPUs ... */
	io_cell(&c, 0x080a0000 + 7 * 0x20000 + 0x10000);
	assert_refused(&c, -EINVAL,
		       "overlaps the GIC redistributors at 0x80a0000-0x819ffff");
	io_cell(&c, 0x08e00000);
	assert_refused(&c, -EINVAL,
		       "overlaps the PCI ECAM window at 0x8e00000-0x8efffff");
	io_cell(&c, 0x08910000);
	assert_refused(&c, -EINVAL,
		       "overlaps the IOMMU at 0x8900000-0x891ffff");
	/* The root shares the hypervisor's UART; a cell may not have it. */
	assert_true(root_maps(UART));
	io_cell(&c, UART);
	c.mem[3].flags |= HV_MEM_ROOTSHARED;
	assert_refused(&c, -EINVAL,
		       "overlaps the hypervisor's debug UART at 0x9000000-0x9000fff");
	/* ... and right behind it, the root's other devices are fine. */
	io_cell(&c, 0x080a0000 + 8 * 0x20000);
	assert_true(hvt_create(&c) > 0);
}

/* An unused irqchip slot (address 0) is accepted and grants nothing. */
static void test_unused_irqchip_slot(void **state)
{
	struct hvt_cell c;
	struct hv_irqchip *slot;
	int id;

	(void)state;
	assert_int_equal(hvt_enable(), 0);
	hvt_small_cell(&c, "irq", 1, 0x7f000000);
	hvt_irqs(&c, 40, 40);
	slot = &c.irq[c.nirq++];
	memset(slot, 0, sizeof(*slot));
	id = hvt_create(&c);
	assert_true(id > 0);
	assert_true(cell_cfg_has_irq(cell_find((unsigned int)id)->config, 40));
	assert_int_equal(hvt_destroy(id), 0);

	/* Even with bits set, an unused slot names no interrupt. */
	slot->pin_base = 32;
	slot->pin_bitmap[0] = 0xffffffff;
	id = hvt_create(&c);
	assert_true(id > 0);
	assert_false(cell_cfg_has_irq(cell_find((unsigned int)id)->config, 33));
	assert_true(cell_root_owns_irq(33));
}

/* No root config region covers the GIC or the ECAM window. */
static void test_root_reserved(void **state)
{
	static const struct {
		uint64_t phys, size;
		const char *msg;
	} bad[] = {
		{ 0x08000000, 0x10000,
		  "overlaps the GIC distributor at 0x8000000-0x800ffff" },
		{ 0x08100000, 0x1000,
		  "overlaps the GIC redistributors at 0x80a0000-0x819ffff" },
		{ 0x08e80000, 0x1000,
		  "overlaps the PCI ECAM window at 0x8e00000-0x8efffff" },
		/* The old window of the sim root: GIC to UART in one. */
		{ 0x08000000, 0x01001000, "overlaps the GIC distributor" },
	};
	static uint8_t buf[HVT_BUF];
	struct hvt_cell root;
	unsigned int i;
	size_t len;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		hvt_root(&root, 8);
		/* In place of hvt_root's two device windows. */
		memset(&root.mem[2], 0, sizeof(root.mem[2]));
		root.mem[1].phys_start = root.mem[1].virt_start = bad[i].phys;
		root.mem[1].size = bad[i].size;
		len = hvt_system_bytes(&root, 0, buf);
		assert_int_equal(drv_enable(hvt_sb, buf, len, hvt_msg), -EINVAL);
		assert_false(drv_enabled(hvt_sb));
		assert_msg("root cell: memory region");
		assert_msg(bad[i].msg);
	}
	/* hvt_root shares the debug UART with the root: that is fine. */
	assert_int_equal(hvt_enable(), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_comm_region_flags,
						hvt_setup, hvt_teardown),
		cmocka_unit_test_setup_teardown(test_load_into_comm_region,
						hvt_setup, hvt_teardown),
		cmocka_unit_test_setup_teardown(test_cell_names, hvt_setup,
						hvt_teardown),
		cmocka_unit_test_setup_teardown(test_root_name, hvt_setup,
						hvt_teardown),
		cmocka_unit_test_setup_teardown(test_root_subpage_device_given_away,
						hvt_setup, hvt_teardown),
		cmocka_unit_test_setup_teardown(test_root_page_unmapped_for_subpage,
						hvt_setup, hvt_teardown),
		cmocka_unit_test_setup_teardown(test_reserved_mmio, hvt_setup,
						hvt_teardown),
		cmocka_unit_test_setup_teardown(test_unused_irqchip_slot,
						hvt_setup, hvt_teardown),
		cmocka_unit_test_setup_teardown(test_root_reserved, hvt_setup,
						hvt_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
