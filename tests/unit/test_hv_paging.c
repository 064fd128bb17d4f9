// SPDX-License-Identifier: MIT
/*
 * Stage-2 tables of the core: translations, permissions, block use, splits
 * and merges, and that unmapping gives every table page back to the pool.
 */
#include "hv_test.h"

#include <hv/paging.h>

#define POOL_PAGES	256
#define HV_PHYS		0x7fc00000ULL

static void *pool_mem;

static int setup(void **state)
{
	(void)state;
	pool_mem = aligned_alloc(PAGE_SIZE, POOL_PAGES * PAGE_SIZE);
	if (!pool_mem)
		return -1;
	paging_set_hv_base(pool_mem, HV_PHYS, POOL_PAGES * PAGE_SIZE);
	return pool_init_mem(pool_mem, POOL_PAGES);
}

static int teardown(void **state)
{
	(void)state;
	free(pool_mem);
	paging_set_hv_base(NULL, 0, 0);
	return 0;
}

static void test_translate_and_permissions(void **state)
{
	struct paging_structs pg;
	struct paging_result r;

	(void)state;
	assert_int_equal(paging_init(&pg), 0);
	assert_int_equal(paging_map(&pg, 0, 0x7f000000, 0x100000,
				    HV_MEM_READ | HV_MEM_EXECUTE), 0);
	assert_int_equal(paging_map(&pg, 0x80000000, 0x7fc10000, 0x1000,
				    HV_MEM_READ | HV_MEM_WRITE | HV_MEM_IO), 0);
	assert_true(paging_translate(&pg, 0x1234, &r));
	assert_int_equal(r.phys, 0x7f001234);
	assert_int_equal(r.flags, HV_MEM_READ | HV_MEM_EXECUTE);
	assert_true(paging_translate(&pg, 0x80000ffc, &r));
	assert_int_equal(r.phys, 0x7fc10ffc);
	assert_int_equal(r.flags, HV_MEM_READ | HV_MEM_WRITE | HV_MEM_IO);
	assert_false(paging_translate(&pg, 0x100000, &r));
	assert_false(paging_translate(&pg, 0x80001000, &r));
	assert_false(paging_translate(&pg, 1ULL << 48, &r));
	/* Misaligned requests are refused. */
	assert_int_equal(paging_map(&pg, 0x10, 0, 0x1000, HV_MEM_READ), -EINVAL);
	assert_int_equal(paging_map(&pg, 0, 0, 0, HV_MEM_READ), -EINVAL);
	paging_destroy(&pg);
	assert_int_equal(mem_pool.used, 1);	/* only the pool's bitmap */
}

static void test_blocks_and_split_merge(void **state)
{
	struct paging_structs pg;
	struct paging_result r;
	unsigned long base;

	(void)state;
	base = mem_pool.used;
	assert_int_equal(paging_init(&pg), 0);
	/* 1 GiB aligned: one level-1 block, no more tables than L0 + L1. */
	assert_int_equal(paging_map(&pg, 0x40000000, 0x40000000, 0x40000000,
				    HV_MEM_READ | HV_MEM_WRITE), 0);
	assert_int_equal(paging_count_tables(&pg), 2);
	/* Carving 1 MiB out splits the 1G block and a 2M block. */
	assert_int_equal(paging_unmap(&pg, 0x7f000000, 0x100000), 0);
	assert_int_equal(paging_count_tables(&pg), 4);
	assert_false(paging_translate(&pg, 0x7f000000, &r));
	assert_false(paging_translate(&pg, 0x7f0fffff, &r));
	assert_true(paging_translate(&pg, 0x7f100000, &r));
	assert_int_equal(r.phys, 0x7f100000);
	assert_true(paging_translate(&pg, 0x7effffff, &r));
	/* Giving it back merges the tables into the 1 GiB block again. */
	assert_int_equal(paging_map(&pg, 0x7f000000, 0x7f000000, 0x100000,
				    HV_MEM_READ | HV_MEM_WRITE), 0);
	assert_int_equal(paging_count_tables(&pg), 2);
	assert_int_equal(mem_pool.used, base + 2);
	/* Different attributes do not merge. */
	assert_int_equal(paging_map(&pg, 0x7f000000, 0x7f000000, 0x100000,
				    HV_MEM_READ), 0);
	assert_int_equal(paging_count_tables(&pg), 4);
	paging_destroy(&pg);
	assert_int_equal(mem_pool.used, base);
}

static void test_no_hugepages(void **state)
{
	struct paging_structs pg;

	(void)state;
	assert_int_equal(paging_init(&pg), 0);
	assert_int_equal(paging_map(&pg, 0, 0x40000000, 0x200000,
				    HV_MEM_READ | HV_MEM_NO_HUGEPAGES), 0);
	/* L0, L1, L2 and one L3 table with 512 pages. */
	assert_int_equal(paging_count_tables(&pg), 4);
	paging_destroy(&pg);
}

static void test_unmap_everything_frees_tables(void **state)
{
	struct paging_structs pg;
	unsigned long base;
	unsigned int i;

	(void)state;
	base = mem_pool.used;
	assert_int_equal(paging_init(&pg), 0);
	for (i = 0; i < 16; i++)
		assert_int_equal(paging_map(&pg, 0x1000000ULL * i + 0x3000,
					    0x40000000 + 0x1000000ULL * i,
					    0x5000, HV_MEM_READ), 0);
	assert_true(paging_count_tables(&pg) > 3);
	for (i = 0; i < 16; i++)
		assert_int_equal(paging_unmap(&pg, 0x1000000ULL * i + 0x3000,
					      0x5000), 0);
	/* Empty tables are freed on unmap: only the root is left. */
	assert_int_equal(paging_count_tables(&pg), 1);
	paging_destroy(&pg);
	assert_int_equal(mem_pool.used, base);
}

static void test_pool_exhaustion(void **state)
{
	struct paging_structs pg;
	unsigned long base = mem_pool.used;
	unsigned int i;
	int err = 0;

	(void)state;
	assert_int_equal(paging_init(&pg), 0);
	/* Pages 2 MiB apart each need their own level-3 table. */
	for (i = 0; i < POOL_PAGES * 2 && !err; i++)
		err = paging_map(&pg, 0x200000ULL * i, 0x40000000, 0x1000,
				 HV_MEM_READ);
	assert_int_equal(err, -ENOMEM);
	paging_destroy(&pg);
	assert_int_equal(mem_pool.used, base);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_translate_and_permissions,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_blocks_and_split_merge,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_no_hugepages, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_unmap_everything_frees_tables,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_pool_exhaustion, setup,
						teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
