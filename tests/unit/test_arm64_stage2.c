// SPDX-License-Identifier: MIT
/*
 * The root cell's stage 2 as the arm64 port builds it, checked the way the
 * MMU reads it: the core's tables (hypervisor/core/paging.c) walked with
 * the port's VTCR_EL2 (44-bit IPA on QEMU's cortex-a57, and every other PA
 * size from 32 to 48 bits with its start level and concatenated root
 * tables) by an
 * independent walker, descriptor bits compared with the values measured
 * under QEMU (spec/arm64-el2.md 2.3).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

/* The core's paging and pools, compiled into the test (host build). */
#include "../../hypervisor/core/lib.c"
#include "../../hypervisor/core/pool.c"
#include "../../hypervisor/core/paging.c"

#define HV_PHYS		0x7fc00000ULL
#define HV_SIZE		(4ULL << 20)

static uint8_t *hv_mem;

static int setup(void **state)
{
	(void)state;
	hv_mem = aligned_alloc(4096, HV_SIZE);
	assert_non_null(hv_mem);
	memset(hv_mem, 0, HV_SIZE);
	paging_set_hv_base(hv_mem, HV_PHYS, HV_SIZE);
	/* The pool takes the upper 3 MiB, as after image, per-CPU and config. */
	assert_int_equal(pool_init_mem(hv_mem + (1 << 20), 768), 0);
	/* QEMU's cortex-a57: PARange 44 bits */
	assert_int_equal(paging_set_ipa_bits(44), 0);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	free(hv_mem);
	return 0;
}

/* The VTCR_EL2 the walker reads, as the MMU would. */
static uint64_t walk_vtcr = 0x80043594;

/*
 * What the MMU does with walk_vtcr (4 KiB granule): the IPA size from
 * T0SZ, the start level from SL0, the number of concatenated tables at it
 * from both (at most 16, aligned to their size as VTTBR's BADDR needs).
 * Returns the leaf descriptor for ipa and its level, or 0.
 */
static uint64_t hw_walk(uint64_t vttbr, uint64_t ipa, unsigned int *level)
{
	uint64_t table = vttbr & 0x0000fffffffffffeULL, desc = 0;
	unsigned int bits = 64 - (walk_vtcr & 0x3f);
	unsigned int start = 2 - ((walk_vtcr >> 6) & 3), l, entries_log2;
	uint64_t entries;

	assert_true(walk_vtcr & (1ULL << 31));
	assert_int_equal((walk_vtcr >> 14) & 3, 0);	/* 4 KiB granule */
	assert_true(bits >= 32 && bits <= 48);
	assert_true(start <= 2);
	assert_true(ipa < (1ULL << bits));
	entries_log2 = bits - (39 - 9 * start);
	assert_true(entries_log2 <= 13);	/* up to 16 tables */
	entries = 1ULL << entries_log2;
	if (entries > 512)
		assert_int_equal(table & (entries * 8 - 1), 0);
	for (l = start; l <= 3; l++) {
		const uint64_t *t = paging_phys2hvirt(table);
		uint64_t n = l == start ? (entries > 512 ? entries : 512) : 512;
		unsigned int idx = (ipa >> (39 - 9 * l)) & (n - 1);

		assert_non_null(t);
		desc = t[idx];
		if (!(desc & 1))
			return 0;
		if (l < 3 && (desc & 3) == 3) {
			table = desc & 0x0000fffffffff000ULL;
			/* Tables must lie in hypervisor memory. */
			assert_true(table >= HV_PHYS && table < HV_PHYS + HV_SIZE);
			continue;
		}
		/* no level-0 blocks with a 4 KiB granule; pages need 0b11 */
		assert_true(l > 0);
		assert_int_equal(desc & 3, l == 3 ? 3 : 1);
		*level = l;
		return desc;
	}
	return 0;
}

static uint64_t out_addr(uint64_t desc, unsigned int level, uint64_t ipa)
{
	uint64_t size = 1ULL << (39 - 9 * level);

	return (desc & 0x0000fffffffff000ULL & ~(size - 1)) | (ipa & (size - 1));
}

/*
 * The port's VTCR_EL2 on QEMU (pt_vtcr(4), tested in test_arm64_pt) walks
 * 4 levels from level 0 with 44-bit IPAs: the core's table format.
 */
static void test_core_tables_fit_vtcr(void **state)
{
	(void)state;
	assert_int_equal(PAGING_LEVELS, 4);
	assert_int_equal(PAGING_ENTRIES, 512);
}

static void test_root_cell_of_qemu(void **state)
{
	struct paging_structs pg;
	uint64_t vttbr, d;
	unsigned int level;

	(void)state;
	assert_int_equal(paging_init(&pg), 0);
	/* configs/qemu/system.json: RAM, device space, PCI ECAM */
	assert_int_equal(paging_map(&pg, 0x40000000, 0x40000000, 0x3fa10000,
				    HV_MEM_READ | HV_MEM_WRITE |
				    HV_MEM_EXECUTE), 0);
	assert_int_equal(paging_map(&pg, 0x09000000, 0x09000000, 0x37000000,
				    HV_MEM_READ | HV_MEM_WRITE | HV_MEM_IO), 0);
	assert_int_equal(paging_map(&pg, 0x4010000000ULL, 0x4010000000ULL,
				    0x10000000, HV_MEM_READ | HV_MEM_WRITE |
				    HV_MEM_IO), 0);
	/* the GIC, which the root keeps in this port */
	assert_int_equal(paging_map(&pg, 0x08000000, 0x08000000, 0x10000,
				    HV_MEM_READ | HV_MEM_WRITE | HV_MEM_IO), 0);
	vttbr = paging_hvirt2phys(pg.root);		/* VMID 0 */
	assert_int_equal(vttbr & 0xfff, 0);

	/* RAM: 2 MiB blocks, normal WB, inner shareable, RW, AF (0x7fd) */
	d = hw_walk(vttbr, 0x40123456, &level);
	assert_int_equal(level, 2);
	assert_int_equal(d & 0x7fc, 0x7fc);
	assert_int_equal(out_addr(d, level, 0x40123456), 0x40123456);
	assert_false(d & (1ULL << 54));		/* executable */
	/* the 64 KiB tail below 0x7fa10000 in pages */
	d = hw_walk(vttbr, 0x7fa0f010, &level);
	assert_int_equal(level, 3);
	assert_int_equal(out_addr(d, level, 0x7fa0f010), 0x7fa0f010);
	assert_int_equal(hw_walk(vttbr, 0x7fa10000, &level), 0);
	/* the hypervisor itself is not in the root's RAM */
	assert_int_equal(hw_walk(vttbr, HV_PHYS, &level), 0);

	/* UART: Device-nGnRE, RW, AF, execute-never (0x4c4 + type) */
	d = hw_walk(vttbr, 0x09000018, &level);
	assert_int_equal(d & 0x7fc, 0x4c4);
	assert_true(d & (1ULL << 54));
	assert_int_equal(out_addr(d, level, 0x09000018), 0x09000018);
	d = hw_walk(vttbr, 0x08000004, &level);
	assert_int_equal(d & 0x7fc, 0x4c4);
	/* high ECAM above 4 GiB, still below the 44-bit IPA limit */
	d = hw_walk(vttbr, 0x4010000000ULL, &level);
	assert_int_equal(out_addr(d, level, 0x4010000000ULL), 0x4010000000ULL);
	/* nothing between GICD and the UART (GICR not mapped here) */
	assert_int_equal(hw_walk(vttbr, 0x08010000, &level), 0);
	paging_destroy(&pg);
}

/*
 * The port shows the root cell hypervisor memory as one empty read-only
 * page, except the console ring pages (arch.c root_cell_extra_maps).
 */
static void test_hypervisor_hole(void **state)
{
	struct paging_structs pg;
	uint64_t vttbr, d, off, empty = HV_PHYS + 0x200000;
	unsigned int level;

	(void)state;
	assert_int_equal(paging_init(&pg), 0);
	for (off = 0; off < HV_SIZE; off += 4096)
		assert_int_equal(paging_map(&pg, HV_PHYS + off,
					    off == 0x7000 ? HV_PHYS + off : empty,
					    4096, HV_MEM_READ |
					    HV_MEM_NO_HUGEPAGES), 0);
	vttbr = paging_hvirt2phys(pg.root);
	d = hw_walk(vttbr, HV_PHYS + 0x10, &level);
	assert_int_equal(level, 3);
	assert_int_equal(out_addr(d, level, HV_PHYS), empty);
	/* read-only: S2AP = 01 */
	assert_int_equal(d & 0xc0, 0x40);
	d = hw_walk(vttbr, HV_PHYS + 0x7008, &level);
	assert_int_equal(out_addr(d, level, HV_PHYS + 0x7008), HV_PHYS + 0x7008);
	assert_int_equal(d & 0xc0, 0x40);
	d = hw_walk(vttbr, HV_PHYS + HV_SIZE - 1, &level);
	assert_int_equal(out_addr(d, level, 0) & ~0xfffULL, empty);
	paging_destroy(&pg);
	assert_int_equal(mem_pool.used, PAGES(BITMAP_LONGS(768) *
					      sizeof(unsigned long)));
}

/* A cell's RAM leaves the root cell and comes back (create/destroy). */
static void test_cell_memory_moves(void **state)
{
	struct paging_structs root, cell;
	uint64_t d;
	unsigned int level;

	(void)state;
	assert_int_equal(paging_init(&root), 0);
	assert_int_equal(paging_init(&cell), 0);
	assert_int_equal(paging_map(&root, 0x40000000, 0x40000000, 0x3fa10000,
				    HV_MEM_READ | HV_MEM_WRITE), 0);
	/* inmate RAM 0x7fa00000 + 64 KiB seen by the cell at 0 */
	assert_int_equal(paging_unmap(&root, 0x7fa00000, 0x10000), 0);
	assert_int_equal(paging_map(&cell, 0, 0x7fa00000, 0x10000,
				    HV_MEM_READ | HV_MEM_WRITE |
				    HV_MEM_EXECUTE), 0);
	assert_int_equal(hw_walk(paging_hvirt2phys(root.root), 0x7fa00000,
				 &level), 0);
	d = hw_walk(paging_hvirt2phys(root.root), 0x7f9ff000, &level);
	assert_int_equal(out_addr(d, level, 0x7f9ff000), 0x7f9ff000);
	d = hw_walk(paging_hvirt2phys(cell.root) | (1ULL << 48), 0x4, &level);
	assert_int_equal(out_addr(d, level, 0x4), 0x7fa00004);
	assert_false(d & (1ULL << 54));
	assert_int_equal(paging_map(&root, 0x7fa00000, 0x7fa00000, 0x10000,
				    HV_MEM_READ | HV_MEM_WRITE), 0);
	d = hw_walk(paging_hvirt2phys(root.root), 0x7fa00000, &level);
	assert_int_equal(out_addr(d, level, 0x7fa00000), 0x7fa00000);
	paging_destroy(&cell);
	paging_destroy(&root);
}

/*
 * Every PA size a CPU may report (ID_AA64MMFR0_EL1.PARange 0-5): the
 * core's tables for that IPA size, walked with the port's VTCR for it
 * (the values test_arm64_pt checks field by field). RAM at 1 GiB, pages at
 * the top of the IPA space, a range across the boundary between two
 * concatenated root tables; nothing beyond the IPA size; no page lost.
 */
static void test_every_pa_size(void **state)
{
	static const struct {
		unsigned int bits;
		uint64_t vtcr;
		unsigned int level, pages;
	} sizes[] = {
		{ 32, 0x80003520, 2, 4 },
		{ 36, 0x8001355c, 1, 1 },
		{ 40, 0x80023558, 1, 2 },
		{ 42, 0x80033556, 1, 8 },
		{ 44, 0x80043594, 0, 1 },
		{ 48, 0x80053590, 0, 1 },
	};
	struct paging_structs pg;
	unsigned long base_used = mem_pool.used;
	unsigned int i, level;
	uint64_t d, top, seam, vttbr;

	(void)state;
	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		unsigned int bits = sizes[i].bits;

		assert_int_equal(paging_set_ipa_bits(bits), 0);
		assert_int_equal(paging_ipa_bits(), bits);
		assert_int_equal(paging_start_level(), sizes[i].level);
		assert_int_equal(paging_root_pages(), sizes[i].pages);
		walk_vtcr = sizes[i].vtcr;

		assert_int_equal(paging_init(&pg), 0);
		/* the size cannot change under live tables */
		assert_int_equal(paging_set_ipa_bits(48), -EINVAL);
		vttbr = paging_hvirt2phys(pg.root);
		assert_int_equal(vttbr & (sizes[i].pages * 4096ULL - 1), 0);
		assert_int_equal(paging_count_tables(&pg), sizes[i].pages);

		assert_int_equal(paging_map(&pg, 0x40000000, 0x40000000,
					    0x40000000, HV_MEM_READ |
					    HV_MEM_WRITE | HV_MEM_EXECUTE), 0);
		d = hw_walk(vttbr, 0x40000000 + 0x123456, &level);
		assert_int_equal(level, sizes[i].level == 2 ? 2 : 1);
		assert_int_equal(out_addr(d, level, 0x40123456), 0x40123456);

		top = (1ULL << bits) - 0x1000;
		assert_int_equal(paging_map(&pg, top, 0x7fa00000, 0x1000,
					    HV_MEM_READ | HV_MEM_IO), 0);
		d = hw_walk(vttbr, top + 0x18, &level);
		assert_int_equal(level, 3);
		assert_int_equal(out_addr(d, level, top + 0x18), 0x7fa00018);
		assert_int_equal(d & 0x7fc, 0x444);	/* device, read-only */

		/* Two root tables: the seam between the first and second. */
		if (sizes[i].pages > 1) {
			seam = 512ULL << (39 - 9 * sizes[i].level);
			assert_int_equal(paging_map(&pg, seam - 0x200000,
						    seam - 0x200000, 0x400000,
						    HV_MEM_READ), 0);
			d = hw_walk(vttbr, seam - 8, &level);
			assert_int_equal(out_addr(d, level, seam - 8), seam - 8);
			d = hw_walk(vttbr, seam + 8, &level);
			assert_int_equal(out_addr(d, level, seam + 8), seam + 8);
			/* the second table's first entry holds it */
			assert_true(pg.root[512] & 1);
		}
		assert_int_equal(hw_walk(vttbr, top - 0x1000, &level), 0);

		/* Beyond the IPA size: refused, nothing mapped. */
		if (bits < 48) {
			assert_int_equal(paging_map(&pg, 1ULL << bits, 0, 0x1000,
						    HV_MEM_READ), -EINVAL);
			assert_int_equal(paging_map(&pg, top, 0, 0x2000,
						    HV_MEM_READ), -EINVAL);
		}
		paging_destroy(&pg);
		assert_int_equal(mem_pool.used, base_used);
	}
	assert_int_equal(paging_set_ipa_bits(31), -EINVAL);
	assert_int_equal(paging_set_ipa_bits(49), -EINVAL);
	assert_int_equal(paging_set_ipa_bits(44), 0);
	walk_vtcr = 0x80043594;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_core_tables_fit_vtcr),
		cmocka_unit_test(test_root_cell_of_qemu),
		cmocka_unit_test(test_hypervisor_hole),
		cmocka_unit_test(test_cell_memory_moves),
		cmocka_unit_test(test_every_pa_size),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
