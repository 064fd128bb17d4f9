// SPDX-License-Identifier: GPL-2.0
/*
 * The hypervisor's EL2 stage-1 tables (4 KiB granule, 4 levels) and the
 * stage-2 VTCR_EL2 value.
 *
 * Tables come from a page pool. Blocks (1 GiB at level 1, 2 MiB at level
 * 2) are used where addresses and size allow; a later partial change of a
 * block splits it into the next level first, so mappings can be refined
 * (for example the one-page window onto physical memory).
 */
#include <hv/errno.h>
#include <hv/paging.h>
#include "include/pt.h"

#define LEVEL_SHIFT(l)	(39 - 9 * (l))
#define LEVEL_SIZE(l)	(1ULL << LEVEL_SHIFT(l))
/* Attribute bits of a leaf: lower [11:2] and upper [63:52]. */
#define LEAF_ATTR_MASK	(0xffcULL | 0xfff0000000000000ULL)

static void zero_page(void *p, unsigned int n)
{
	uint64_t *q = p;
	uint64_t i;

	for (i = 0; i < n * PT_PAGE_SIZE / 8; i++)
		q[i] = 0;
}

void pt_pool_init(struct pt_pool *pool, void *base, uint64_t pages,
		    uint8_t *bitmap, uint64_t phys_offset)
{
	uint64_t i;

	pool->base = base;
	pool->pages = pages;
	pool->used = 0;
	pool->bitmap = bitmap;
	pool->phys_offset = phys_offset;
	for (i = 0; i < (pages + 7) / 8; i++)
		bitmap[i] = 0;
}

static bool page_used(const struct pt_pool *pool, uint64_t n)
{
	return pool->bitmap[n / 8] & (1u << (n % 8));
}

static void page_mark(struct pt_pool *pool, uint64_t n, bool used)
{
	if (used)
		pool->bitmap[n / 8] |= 1u << (n % 8);
	else
		pool->bitmap[n / 8] &= ~(1u << (n % 8));
}

void *pt_pool_alloc(struct pt_pool *pool, unsigned int n)
{
	uint64_t first, i;

	if (n == 0)
		return NULL;
	/* Runs of a power-of-two size are physically aligned to it. */
	for (first = 0; first + n <= pool->pages; first++) {
		if (!(n & (n - 1)) &&
		    pt_pool_virt_to_phys(pool, (uint8_t *)pool->base +
					   first * PT_PAGE_SIZE) &
		    (n * PT_PAGE_SIZE - 1))
			continue;
		for (i = 0; i < n; i++)
			if (page_used(pool, first + i))
				break;
		if (i < n)
			continue;
		for (i = 0; i < n; i++)
			page_mark(pool, first + i, true);
		pool->used += n;
		zero_page((uint8_t *)pool->base + first * PT_PAGE_SIZE, n);
		return (uint8_t *)pool->base + first * PT_PAGE_SIZE;
	}
	return NULL;
}

void pt_pool_free(struct pt_pool *pool, void *page, unsigned int n)
{
	uint64_t first = ((uint8_t *)page - (uint8_t *)pool->base) /
			 PT_PAGE_SIZE;
	unsigned int i;

	for (i = 0; i < n; i++) {
		if (page_used(pool, first + i)) {
			page_mark(pool, first + i, false);
			pool->used--;
		}
	}
}

uint64_t pt_pool_virt_to_phys(const struct pt_pool *pool, const void *v)
{
	return (uint64_t)(uintptr_t)v - pool->phys_offset;
}

void *pt_pool_phys_to_virt(const struct pt_pool *pool, uint64_t phys)
{
	return (void *)(uintptr_t)(phys + pool->phys_offset);
}

uint64_t pt_leaf_attrs(unsigned int flags)
{
	uint64_t a = PTE_AF | S1_AP_RES1 | PTE_SH_INNER;

	a |= (flags & PG_DEVICE) ? S1_ATTR_DEVICE : S1_ATTR_NORMAL;
	if (!(flags & PG_WRITE))
		a |= S1_AP_RO;
	if (!(flags & PG_EXEC) || (flags & PG_DEVICE))
		a |= PTE_XN;
	return a;
}

int pt_init(struct pt_tables *pg, struct pt_pool *pool)
{
	pg->pool = pool;
	pg->root = pt_pool_alloc(pool, 1);
	return pg->root ? 0 : -ENOMEM;
}

static uint64_t *table_of(const struct pt_tables *pg, uint64_t desc)
{
	return pt_pool_phys_to_virt(pg->pool, desc & PT_ADDR_MASK);
}

static bool is_table(uint64_t desc, unsigned int level)
{
	return level < 3 && (desc & 3) == PTE_TABLE;
}

static void free_table(struct pt_tables *pg, uint64_t *table, unsigned int level)
{
	unsigned int i;

	if (level < 3)
		for (i = 0; i < PT_ENTRIES; i++)
			if (is_table(table[i], level))
				free_table(pg, table_of(pg, table[i]),
					   level + 1);
	pt_pool_free(pg->pool, table, 1);
}

void pt_destroy(struct pt_tables *pg)
{
	unsigned int i;

	if (!pg->root)
		return;
	for (i = 0; i < PT_ENTRIES; i++)
		if (is_table(pg->root[i], 0))
			free_table(pg, table_of(pg, pg->root[i]), 1);
	pt_pool_free(pg->pool, pg->root, 1);
	pg->root = NULL;
}

static unsigned int index_of(uint64_t virt, unsigned int level)
{
	return (virt >> LEVEL_SHIFT(level)) & (PT_ENTRIES - 1);
}

/* The table below entry *e, creating or splitting as needed. */
static uint64_t *next_table(struct pt_tables *pg, uint64_t *e, unsigned int level)
{
	uint64_t *t, attrs, base, step;
	unsigned int i;

	if (is_table(*e, level))
		return table_of(pg, *e);
	t = pt_pool_alloc(pg->pool, 1);
	if (!t)
		return NULL;
	if (*e & PTE_VALID) {
		/* Split a block into the same mapping one level down. */
		attrs = *e & LEAF_ATTR_MASK;
		base = *e & PT_ADDR_MASK & ~(LEVEL_SIZE(level) - 1);
		step = LEVEL_SIZE(level + 1);
		for (i = 0; i < PT_ENTRIES; i++)
			t[i] = (base + i * step) | attrs |
			       (level + 1 == 3 ? PTE_PAGE : PTE_BLOCK);
	}
	*e = pt_pool_virt_to_phys(pg->pool, t) | PTE_TABLE;
	return t;
}

static void clear_entry(struct pt_tables *pg, uint64_t *e, unsigned int level)
{
	if (is_table(*e, level))
		free_table(pg, table_of(pg, *e), level + 1);
	*e = 0;
}

static int map_level(struct pt_tables *pg, uint64_t *table, unsigned int level,
		     uint64_t virt, uint64_t phys, uint64_t size,
		     uint64_t attrs, unsigned int flags, bool unmap)
{
	uint64_t block = LEVEL_SIZE(level), n, *e, *sub;
	int err;

	while (size) {
		e = &table[index_of(virt, level)];
		n = block - (virt & (block - 1));
		if (n > size)
			n = size;
		if (level == 3) {
			*e = unmap ? 0 : (phys | attrs | PTE_PAGE);
		} else if (n == block && (unmap ||
			   (level >= 1 && !(flags & PG_NO_BLOCKS) &&
			    !(phys & (block - 1))))) {
			clear_entry(pg, e, level);
			if (!unmap)
				*e = phys | attrs | PTE_BLOCK;
		} else if (unmap && !(*e & PTE_VALID)) {
			/* nothing mapped here */
		} else {
			sub = next_table(pg, e, level);
			if (!sub)
				return -ENOMEM;
			err = map_level(pg, sub, level + 1, virt, phys, n,
					attrs, flags, unmap);
			if (err)
				return err;
		}
		virt += n;
		phys += n;
		size -= n;
	}
	return 0;
}

/* 48-bit virtual addresses (T0SZ = 16) */
#define VA_LIMIT	(1ULL << 48)

int pt_map(struct pt_tables *pg, uint64_t virt, uint64_t phys,
	       uint64_t size, unsigned int flags)
{
	if ((virt | phys | size) & (PT_PAGE_SIZE - 1) || size == 0 ||
	    virt + size < virt || virt + size > VA_LIMIT ||
	    (phys + size - 1) > PT_ADDR_MASK)
		return -EINVAL;
	return map_level(pg, pg->root, 0, virt, phys, size,
			 pt_leaf_attrs(flags), flags, false);
}

int pt_unmap(struct pt_tables *pg, uint64_t virt, uint64_t size)
{
	if ((virt | size) & (PT_PAGE_SIZE - 1) || virt + size < virt ||
	    virt + size > VA_LIMIT)
		return -EINVAL;
	return map_level(pg, pg->root, 0, virt, 0, size, 0, 0, true);
}

int pt_translate(const struct pt_tables *pg, uint64_t virt, uint64_t *phys,
		     uint64_t *desc)
{
	const uint64_t *table = pg->root;
	unsigned int level;
	uint64_t e;

	if (virt >= VA_LIMIT)
		return -ENOENT;
	for (level = 0; level <= 3; level++) {
		e = table[index_of(virt, level)];
		if (!(e & PTE_VALID))
			return -ENOENT;
		if (is_table(e, level)) {
			table = table_of(pg, e);
			continue;
		}
		if (level == 0)
			return -ENOENT;	/* no level-0 blocks with 4 KiB */
		if (phys)
			*phys = (e & PT_ADDR_MASK & ~(LEVEL_SIZE(level) - 1)) |
				(virt & (LEVEL_SIZE(level) - 1));
		if (desc)
			*desc = e;
		return 0;
	}
	return -ENOENT;
}

uint64_t pt_root_phys(const struct pt_tables *pg)
{
	return pt_pool_virt_to_phys(pg->pool, pg->root);
}

unsigned int pt_parange_bits(unsigned int parange)
{
	static const unsigned char pa_bits[] = { 32, 36, 40, 42, 44, 48 };

	/* 52 bits (6) needs the 52-bit descriptor format: use 48. */
	return pa_bits[parange > 5 ? 5 : parange];
}

uint64_t pt_vtcr(unsigned int parange, unsigned int *start_level,
		     unsigned int *root_pages)
{
	unsigned int ipa = pt_parange_bits(parange), ps = parange > 5 ? 5 : parange;

	/* Every PARange value gives 32..48 bits, so this cannot fail. */
	paging_geometry(ipa, start_level, root_pages);
	/* SL0 for a 4 KiB granule: 0 = level 2, 1 = level 1, 2 = level 0. */
	return (64 - ipa) | ((uint64_t)(2 - *start_level) << 6) |
	       (1ULL << 8) | (1ULL << 10) | (3ULL << 12) |
	       ((uint64_t)ps << 16) | (1ULL << 31);
}
