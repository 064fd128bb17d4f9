// SPDX-License-Identifier: MIT
/*
 * Host tests of the arm64 port's own EL2 stage-1 tables (pt.c): descriptor
 * bits, block/page choice, splitting, unmapping, argument checks, pool
 * exhaustion, and the stage-2 VTCR_EL2 values.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <cmocka.h>

/* The port's logic is compiled into the test itself (host build). */
#include "../../hypervisor/arch/arm64/pt.c"

#define POOL_PAGES	64
#define HV_BASE		0xffffc0200000ULL
#define HV_PHYS		0x7fc00000ULL

struct fixture {
	void *mem;
	uint8_t bitmap[POOL_PAGES / 8];
	struct pt_pool pool;
	struct pt_tables pt;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	assert_non_null(f);
	f->mem = aligned_alloc(PT_PAGE_SIZE, POOL_PAGES * PT_PAGE_SIZE);
	assert_non_null(f->mem);
	/* Host addresses stand in for physical ones (offset 0). */
	pt_pool_init(&f->pool, f->mem, POOL_PAGES, f->bitmap, 0);
	assert_int_equal(pt_init(&f->pt, &f->pool), 0);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	pt_destroy(&f->pt);
	assert_int_equal(f->pool.used, 0);
	free(f->mem);
	free(f);
	return 0;
}

static uint64_t desc_of(struct pt_tables *pt, uint64_t va, uint64_t pa)
{
	uint64_t phys = 0, desc = 0;

	assert_int_equal(pt_translate(pt, va, &phys, &desc), 0);
	assert_int_equal(phys, pa);
	return desc;
}

/* The hypervisor at its link address, as setup.c maps it. */
static void test_image_mapping(void **state)
{
	struct fixture *f = *state;
	uint64_t d;

	assert_int_equal(pt_map(&f->pt, HV_BASE, HV_PHYS, 0x6000,
				PG_READ | PG_EXEC | PG_NO_BLOCKS), 0);
	assert_int_equal(pt_map(&f->pt, HV_BASE + 0x6000, HV_PHYS + 0x6000,
				0x3fa000, PG_READ | PG_WRITE | PG_NO_BLOCKS),
			 0);
	/* text: normal, read-only, executable, AP[1] RES1, AF, inner sh. */
	d = desc_of(&f->pt, HV_BASE + 0x1234, HV_PHYS + 0x1234);
	assert_int_equal(d & 3, PTE_PAGE);
	assert_int_equal(d & 0xffc, 0x7c0 & ~S1_ATTR_DEVICE);
	assert_false(d & PTE_XN);
	/* data: writable, execute-never */
	d = desc_of(&f->pt, HV_BASE + 0x3ff000, HV_PHYS + 0x3ff000);
	assert_int_equal(d & (S1_AP_RO | S1_AP_RES1), S1_AP_RES1);
	assert_true(d & PTE_XN);
	assert_int_equal(pt_translate(&f->pt, HV_BASE + 0x400000, NULL, NULL),
			 -ENOENT);
	assert_int_equal(pt_translate(&f->pt, HV_BASE - 0x1000, NULL, NULL),
			 -ENOENT);
}

static void test_device_and_blocks(void **state)
{
	struct fixture *f = *state;
	uint64_t d;

	/* UART page: AttrIndx 1 (Device-nGnRE in MAIR_EL2), never executable */
	assert_int_equal(pt_map(&f->pt, 0x09000000, 0x09000000, 0x1000,
				PG_READ | PG_WRITE | PG_DEVICE | PG_EXEC), 0);
	d = desc_of(&f->pt, 0x09000000, 0x09000000);
	assert_int_equal(d & (7 << 2), S1_ATTR_DEVICE);
	assert_true(d & PTE_XN);
	/* aligned 1 GiB and 2 MiB ranges become blocks */
	assert_int_equal(pt_map(&f->pt, 0x40000000, 0x40000000, 0x40200000,
				PG_READ), 0);
	d = desc_of(&f->pt, 0x40000000, 0x40000000);
	assert_int_equal(d & 3, PTE_BLOCK);
	d = desc_of(&f->pt, 0x80100000, 0x80100000);
	assert_int_equal(d & 3, PTE_BLOCK);
	assert_int_equal(pt_translate(&f->pt, 0x80200000, NULL, NULL),
			 -ENOENT);
	/* an unaligned physical address forces pages */
	assert_int_equal(pt_map(&f->pt, 0x100000000ULL, 0x1000, 0x200000,
				PG_READ), 0);
	d = desc_of(&f->pt, 0x100000000ULL, 0x1000);
	assert_int_equal(d & 3, PTE_PAGE);
}

/* The physical-memory window: a block split, a page changed, removed. */
static void test_split_and_unmap(void **state)
{
	struct fixture *f = *state;
	uint64_t before;

	assert_int_equal(pt_map(&f->pt, 0x40000000, 0x40000000, 0x200000,
				PG_READ | PG_WRITE), 0);
	before = f->pool.used;
	assert_int_equal(pt_map(&f->pt, 0x40005000, 0x7fa00000, 0x1000,
				PG_READ), 0);
	assert_int_equal(f->pool.used - before, 1);	/* the new L3 */
	desc_of(&f->pt, 0x40005008, 0x7fa00008);
	desc_of(&f->pt, 0x40004000, 0x40004000);
	desc_of(&f->pt, 0x40006000, 0x40006000);
	assert_int_equal(pt_unmap(&f->pt, 0x40005000, 0x1000), 0);
	assert_int_equal(pt_translate(&f->pt, 0x40005000, NULL, NULL),
			 -ENOENT);
	desc_of(&f->pt, 0x401ff000, 0x401ff000);
	/* unmapping the whole block frees its L3 again */
	assert_int_equal(pt_unmap(&f->pt, 0x40000000, 0x200000), 0);
	assert_int_equal(f->pool.used, before);
	assert_int_equal(pt_translate(&f->pt, 0x40006000, NULL, NULL),
			 -ENOENT);
	/* unmapping what was never mapped is fine and allocates nothing */
	assert_int_equal(pt_unmap(&f->pt, 0x500000000ULL, 0x1000), 0);
	assert_int_equal(f->pool.used, before);
}

static void test_bad_arguments(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(pt_map(&f->pt, 0x1001, 0x1000, 0x1000, PG_READ),
			 -EINVAL);
	assert_int_equal(pt_map(&f->pt, 0x1000, 0x1800, 0x1000, PG_READ),
			 -EINVAL);
	assert_int_equal(pt_map(&f->pt, 0x1000, 0x1000, 0x800, PG_READ),
			 -EINVAL);
	assert_int_equal(pt_map(&f->pt, 0x1000, 0x1000, 0, PG_READ), -EINVAL);
	assert_int_equal(pt_map(&f->pt, 1ULL << 48, 0, 0x1000, PG_READ),
			 -EINVAL);
	assert_int_equal(pt_map(&f->pt, -0x1000ULL, 0, 0x2000, PG_READ),
			 -EINVAL);
	assert_int_equal(pt_map(&f->pt, 0x1000, 1ULL << 48, 0x1000, PG_READ),
			 -EINVAL);
	assert_int_equal(pt_unmap(&f->pt, 0x1800, 0x1000), -EINVAL);
	assert_int_equal(pt_translate(&f->pt, 1ULL << 48, NULL, NULL),
			 -ENOENT);
}

static void test_pool_exhaustion(void **state)
{
	struct fixture *f = *state;
	uint64_t va;
	int err = 0;

	/* Each 4 KiB page in a new 2 MiB range needs a new L3 table. */
	for (va = 0; va < 512ULL * 0x200000 && !err; va += 0x200000)
		err = pt_map(&f->pt, va, va, 0x1000, PG_READ);
	assert_int_equal(err, -ENOMEM);
	assert_int_equal(f->pool.used, f->pool.pages);
}

static void test_pool(void **state)
{
	struct fixture *f = *state;
	void *a, *b;

	(void)state;
	a = pt_pool_alloc(&f->pool, 2);
	assert_non_null(a);
	/* runs of two pages are 8 KiB aligned */
	assert_int_equal(pt_pool_virt_to_phys(&f->pool, a) & 0x1fff, 0);
	b = pt_pool_alloc(&f->pool, 1);
	assert_non_null(b);
	assert_ptr_not_equal(a, b);
	assert_null(pt_pool_alloc(&f->pool, 0));
	assert_null(pt_pool_alloc(&f->pool, POOL_PAGES));
	pt_pool_free(&f->pool, a, 2);
	pt_pool_free(&f->pool, b, 1);
	assert_int_equal(f->pool.used, 1);	/* the root table */
}

static void test_vtcr(void **state)
{
	/* Every PARange: IPA bits, VTCR_EL2 worked out field by field (T0SZ
	 * 64 - IPA, SL0 2/1/0 for start level 0/1/2, WB-WA inner-shareable
	 * walks, PS = PARange, RES1 bit 31), start level, root pages. */
	static const struct {
		unsigned int parange, bits;
		uint64_t vtcr;
		unsigned int level, pages;
	} want[] = {
		{ 0, 32, 0x80003520, 2, 4 },
		{ 1, 36, 0x8001355c, 1, 1 },
		{ 2, 40, 0x80023558, 1, 2 },	/* RK3588, cortex-a53/a76 */
		{ 3, 42, 0x80033556, 1, 8 },
		{ 4, 44, 0x80043594, 0, 1 },	/* measured on cortex-a57 */
		{ 5, 48, 0x80053590, 0, 1 },
	};
	unsigned int level, pages, i;

	(void)state;
	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		assert_int_equal(pt_parange_bits(want[i].parange), want[i].bits);
		assert_int_equal(pt_vtcr(want[i].parange, &level, &pages),
				 want[i].vtcr);
		assert_int_equal(level, want[i].level);
		assert_int_equal(pages, want[i].pages);
	}
	/* 52-bit PARange is clamped to 48 */
	assert_int_equal(pt_parange_bits(6), 48);
	assert_int_equal(pt_vtcr(6, &level, &pages),
			 pt_vtcr(5, &level, &pages));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_image_mapping, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_device_and_blocks, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_split_and_unmap, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_bad_arguments, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_pool_exhaustion, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_pool, setup, teardown),
		cmocka_unit_test(test_vtcr),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
