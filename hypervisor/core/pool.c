// SPDX-License-Identifier: GPL-2.0
/*
 * Page pools: first-fit allocation of contiguous pages from a bitmap.
 */
#include <hv/errno.h>
#include <hv/lib.h>
#include <hv/pool.h>

struct page_pool mem_pool;
struct page_pool remap_pool;

static void mark_used(struct page_pool *pool, unsigned long first,
		      unsigned long num)
{
	unsigned long n;

	for (n = first; n < first + num; n++)
		set_bit(n, pool->bitmap);
	pool->used += num;
}

int pool_init_mem(void *base, unsigned long pages)
{
	unsigned long bitmap_pages;

	bitmap_pages = PAGES(BITMAP_LONGS(pages) * sizeof(unsigned long));
	if (pages <= bitmap_pages + 1)
		return -ENOMEM;
	mem_pool.base = (uintptr_t)base;
	mem_pool.pages = pages;
	mem_pool.used = 0;
	mem_pool.first_free = 0;
	mem_pool.bitmap = base;
	hv_memset(base, 0, bitmap_pages * PAGE_SIZE);
	mark_used(&mem_pool, 0, bitmap_pages);
	mem_pool.first_free = bitmap_pages;
	return 0;
}

int pool_init_remap(uintptr_t virt_base, unsigned long pages)
{
	unsigned long bitmap_pages;

	bitmap_pages = PAGES(BITMAP_LONGS(pages) * sizeof(unsigned long));
	remap_pool.bitmap = page_alloc(&mem_pool, bitmap_pages);
	if (!remap_pool.bitmap)
		return -ENOMEM;
	remap_pool.base = virt_base;
	remap_pool.pages = pages;
	remap_pool.used = 0;
	remap_pool.first_free = 0;
	return 0;
}

void *page_alloc(struct page_pool *pool, unsigned long num)
{
	unsigned long start, n;

	if (!num || !pool->bitmap)
		return NULL;
	start = pool->first_free;
	while (start + num <= pool->pages) {
		for (n = 0; n < num; n++)
			if (test_bit(start + n, pool->bitmap))
				break;
		if (n == num) {
			mark_used(pool, start, num);
			if (start == pool->first_free)
				pool->first_free = start + num;
			if (pool == &mem_pool)
				hv_memset((void *)(pool->base +
						   start * PAGE_SIZE),
					  0, num * PAGE_SIZE);
			return (void *)(pool->base + start * PAGE_SIZE);
		}
		start += n + 1;
	}
	return NULL;
}

void page_free(struct page_pool *pool, void *first, unsigned long num)
{
	unsigned long idx, n;

	if (!first || !num)
		return;
	idx = ((uintptr_t)first - pool->base) / PAGE_SIZE;
	for (n = idx; n < idx + num; n++)
		clear_bit(n, pool->bitmap);
	pool->used -= num;
	if (idx < pool->first_free)
		pool->first_free = idx;
}
