// SPDX-License-Identifier: MIT
/*
 * Host tests of the arm64 port's translation-table code: stage-2 and EL2
 * stage-1 descriptors, block/page choice, splitting, unmapping, VTCR.
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

#define POOL_PAGES	256

struct fixture {
	void *mem;
	uint8_t bitmap[POOL_PAGES / 8];
	struct pt_pool pool;
	struct pt_tables pg;
};

static int setup_s2(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	assert_non_null(f);
	f->mem = aligned_alloc(PT_PAGE_SIZE, POOL_PAGES * PT_PAGE_SIZE);
	assert_non_null(f->mem);
	/* Host addresses stand in for physical ones (offset 0). */
	pt_pool_init(&f->pool, f->mem, POOL_PAGES, f->bitmap, 0);
	assert_int_equal(pt_init(&f->pg, PT_STAGE2, 0, 1, &f->pool), 0);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	pt_destroy(&f->pg);
	assert_int_equal(f->pool.used, 0);
	free(f->mem);
	free(f);
	return 0;
}

static void expect_map(struct pt_tables *pg, uint64_t va, uint64_t pa,
		       uint64_t attrs_mask, uint64_t attrs)
{
	uint64_t phys = 0, desc = 0;

	assert_int_equal(pt_translate(pg, va, &phys, &desc), 0);
	assert_int_equal(phys, pa);
	assert_int_equal(desc & attrs_mask, attrs);
}

static void test_ram_uses_2m_blocks(void **state)
{
	struct fixture *f = *state;
	uint64_t desc, before = f->pool.used;

	/* QEMU root RAM: 0x40000000 + 0x3fa10000 -> 509 blocks + 16 pages */
	assert_int_equal(pt_map(&f->pg, 0x40000000, 0x40000000,
				    0x3fa10000,
				    PG_READ | PG_WRITE | PG_EXEC), 0);
	/* L1 + L2 + one L3 for the 64 KiB tail */
	assert_int_equal(f->pool.used - before, 3);
	assert_int_equal(pt_translate(&f->pg, 0x40123456, NULL, &desc), 0);
	assert_int_equal(desc & 3, PTE_BLOCK);
	assert_int_equal(desc & PT_ADDR_MASK, 0x40000000);
	expect_map(&f->pg, 0x7fa0f123, 0x7fa0f123, 3, PTE_PAGE);
	assert_int_equal(pt_translate(&f->pg, 0x7fa10000, NULL, NULL),
			 -ENOENT);
	assert_int_equal(pt_translate(&f->pg, 0x3ffff000, NULL, NULL),
			 -ENOENT);
}

static void test_stage2_attributes(void **state)
{
	struct fixture *f = *state;
	uint64_t desc;

	assert_int_equal(pt_map(&f->pg, 0x09000000, 0x09000000, 0x1000,
				    PG_READ | PG_WRITE | PG_DEVICE), 0);
	assert_int_equal(pt_translate(&f->pg, 0x09000000, NULL, &desc), 0);
	/* measured working value for device pages: AF, RW, nGnRE, XN */
	assert_int_equal(desc & 0xfff, 0x4c7);
	assert_true(desc & PTE_XN);

	assert_int_equal(pt_map(&f->pg, 0x40000000, 0x40000000,
				    0x40000000, PG_READ | PG_WRITE | PG_EXEC),
			 0);
	assert_int_equal(pt_translate(&f->pg, 0x40000000, NULL, &desc), 0);
	/* 1 GiB block, normal WB, inner shareable, RW, AF: 0x7fd */
	assert_int_equal(desc & 0xfff, 0x7fd);
	assert_false(desc & PTE_XN);

	assert_int_equal(pt_map(&f->pg, 0x80000000, 0x80000000, 0x1000,
				    PG_READ), 0);
	assert_int_equal(pt_translate(&f->pg, 0x80000000, NULL, &desc), 0);
	assert_int_equal(desc & (PT_S2_AP_R | PT_S2_AP_W), PT_S2_AP_R);
	assert_true(desc & PTE_XN);
}

static void test_split_block_for_hypervisor_hole(void **state)
{
	struct fixture *f = *state;
	uint64_t zero = 0x12345000, va;

	assert_int_equal(pt_map(&f->pg, 0x40000000, 0x40000000,
				    0x40000000, PG_READ | PG_WRITE | PG_EXEC),
			 0);
	/* Punch the hypervisor's 4 MiB at 0x7fc00000 onto one empty page,
	 * except the console page, which stays itself and read-only. */
	for (va = 0x7fc00000; va < 0x80000000; va += 0x1000)
		assert_int_equal(pt_map(&f->pg, va,
					    va == 0x7fc07000 ? va : zero,
					    0x1000, PG_READ | PG_NO_BLOCKS),
				 0);
	expect_map(&f->pg, 0x7fc00000, zero, PT_S2_AP_R | PT_S2_AP_W, PT_S2_AP_R);
	expect_map(&f->pg, 0x7fffffff, zero | 0xfff, PT_S2_AP_R | PT_S2_AP_W,
		   PT_S2_AP_R);
	expect_map(&f->pg, 0x7fc07010, 0x7fc07010, PT_S2_AP_R | PT_S2_AP_W,
		   PT_S2_AP_R);
	/* Below the hole the split kept the old mapping, RW. */
	expect_map(&f->pg, 0x7fbff000, 0x7fbff000, PT_S2_AP_R | PT_S2_AP_W,
		   PT_S2_AP_R | PT_S2_AP_W);
	expect_map(&f->pg, 0x40000000, 0x40000000, PT_S2_AP_R | PT_S2_AP_W,
		   PT_S2_AP_R | PT_S2_AP_W);
}

static void test_unmap_and_remap(void **state)
{
	struct fixture *f = *state;
	uint64_t before = f->pool.used;

	assert_int_equal(pt_map(&f->pg, 0x70000000, 0x70000000,
				    0x8000000, PG_READ | PG_WRITE), 0);
	assert_int_equal(pt_unmap(&f->pg, 0x70200000, 0x1000), 0);
	assert_int_equal(pt_translate(&f->pg, 0x70200000, NULL, NULL),
			 -ENOENT);
	expect_map(&f->pg, 0x70201000, 0x70201000, 0, 0);
	expect_map(&f->pg, 0x701ff000, 0x701ff000, 0, 0);
	/* A whole-block unmap frees the split table again. */
	assert_int_equal(pt_unmap(&f->pg, 0x70000000, 0x8000000), 0);
	assert_int_equal(pt_translate(&f->pg, 0x70201000, NULL, NULL),
			 -ENOENT);
	assert_int_equal(f->pool.used - before, 2);	/* L1 + L2 remain */
}

static void test_bad_arguments(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(pt_map(&f->pg, 0x1001, 0x1000, 0x1000, PG_READ),
			 -EINVAL);
	assert_int_equal(pt_map(&f->pg, 0x1000, 0x1800, 0x1000, PG_READ),
			 -EINVAL);
	assert_int_equal(pt_map(&f->pg, 0x1000, 0x1000, 0x800, PG_READ),
			 -EINVAL);
	assert_int_equal(pt_map(&f->pg, 0x1000, 0x1000, 0, PG_READ),
			 -EINVAL);
	/* beyond the 48-bit input range of a 4-level table */
	assert_int_equal(pt_map(&f->pg, 1ULL << 48, 0, 0x1000, PG_READ),
			 -EINVAL);
	assert_int_equal(pt_map(&f->pg, -0x1000ULL, 0, 0x2000, PG_READ),
			 -EINVAL);
}

static void test_pool_exhaustion(void **state)
{
	struct fixture *f = *state;
	uint64_t va;
	int err = 0;

	/* Each 4 KiB page in a new 2 MiB range needs a new L3 table. */
	for (va = 0; va < 512ULL * 0x200000 && !err; va += 0x200000)
		err = pt_map(&f->pg, va, va, 0x1000, PG_READ);
	assert_int_equal(err, -ENOMEM);
	assert_int_equal(f->pool.used, f->pool.pages);
}

static void test_el2_stage1(void **state)
{
	struct fixture *f = *state;
	struct pt_tables s1;
	uint64_t desc;

	assert_int_equal(pt_init(&s1, PT_EL2_STAGE1, 0, 1, &f->pool), 0);
	/* hypervisor at its link address, text read-only and executable */
	assert_int_equal(pt_map(&s1, 0xffffc0200000ULL, 0x7fc00000,
				    0x5000, PG_READ | PG_EXEC | PG_NO_BLOCKS),
			 0);
	assert_int_equal(pt_map(&s1, 0xffffc0205000ULL, 0x7fc05000,
				    0x3fb000, PG_READ | PG_WRITE), 0);
	assert_int_equal(pt_translate(&s1, 0xffffc0201000ULL, NULL,
					  &desc), 0);
	assert_int_equal(desc & PT_ADDR_MASK, 0x7fc01000);
	assert_true(desc & S1_AP_RO);
	assert_false(desc & PTE_XN);
	assert_int_equal(desc & S1_AP_RES1, S1_AP_RES1);
	assert_int_equal(pt_translate(&s1, 0xffffc0400000ULL, NULL,
					  &desc), 0);
	assert_int_equal(desc & PT_ADDR_MASK, 0x7fe00000);
	assert_false(desc & S1_AP_RO);
	assert_true(desc & PTE_XN);
	/* device page: AttrIndx 1 (nGnRE in MAIR_EL2) */
	assert_int_equal(pt_map(&s1, 0x09000000, 0x09000000, 0x1000,
				    PG_READ | PG_WRITE | PG_DEVICE), 0);
	assert_int_equal(pt_translate(&s1, 0x09000000, NULL, &desc), 0);
	assert_int_equal(desc & (7 << 2), S1_ATTR_DEVICE);
	/* stage 1 at EL2 has no concatenated roots */
	assert_int_equal(pt_init(&s1, PT_EL2_STAGE1, 1, 2, &f->pool),
			 -EINVAL);
	pt_destroy(&s1);
}

static void test_vtcr(void **state)
{
	unsigned int level, pages;

	(void)state;
	/* QEMU cortex-a57: PARange 4 (44 bits), measured VTCR 0x80043594 */
	assert_int_equal(pt_vtcr(4, &level, &pages), 0x80043594);
	assert_int_equal(level, 0);
	assert_int_equal(pages, 1);
	/* 40 bits: start at level 1 with 2 concatenated tables */
	assert_int_equal(pt_vtcr(2, &level, &pages), 0x80023558);
	assert_int_equal(level, 1);
	assert_int_equal(pages, 2);
	/* 48 bits */
	assert_int_equal(pt_vtcr(5, &level, &pages) & 0x7ffff,
			 0x53590);
	assert_int_equal(level, 0);
	/* 52-bit PARange is clamped to 48 */
	assert_int_equal(pt_vtcr(6, &level, &pages),
			 pt_vtcr(5, &level, &pages));
}

static void test_concatenated_root(void **state)
{
	struct fixture *f = *state;
	struct pt_tables s2;

	assert_int_equal(pt_init(&s2, PT_STAGE2, 1, 2, &f->pool), 0);
	/* 8 KiB aligned root; addresses up to 2^40 */
	assert_int_equal(pt_root_phys(&s2) & 0x1fff, 0);
	assert_int_equal(pt_map(&s2, 0x8000000000ULL, 0x8000000000ULL,
				    0x40000000, PG_READ | PG_DEVICE), 0);
	expect_map(&s2, 0x8000000040ULL, 0x8000000040ULL, 3, PTE_BLOCK);
	assert_int_equal(pt_map(&s2, 1ULL << 40, 0, 0x1000, PG_READ),
			 -EINVAL);
	pt_destroy(&s2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_ram_uses_2m_blocks,
						setup_s2, teardown),
		cmocka_unit_test_setup_teardown(test_stage2_attributes,
						setup_s2, teardown),
		cmocka_unit_test_setup_teardown(
			test_split_block_for_hypervisor_hole, setup_s2,
			teardown),
		cmocka_unit_test_setup_teardown(test_unmap_and_remap, setup_s2,
						teardown),
		cmocka_unit_test_setup_teardown(test_bad_arguments, setup_s2,
						teardown),
		cmocka_unit_test_setup_teardown(test_pool_exhaustion, setup_s2,
						teardown),
		cmocka_unit_test_setup_teardown(test_el2_stage1, setup_s2,
						teardown),
		cmocka_unit_test(test_vtcr),
		cmocka_unit_test_setup_teardown(test_concatenated_root,
						setup_s2, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
