// SPDX-License-Identifier: GPL-2.0
/*
 * Stage-2 translation tables (arm64, 4 KiB granule). The walk starts at
 * start_level, whose table is root_pages pages concatenated (indexed as one
 * array); every lower table is one page of 512 entries.
 */
#include <hvabi/cell-config.h>

#include <hv/errno.h>
#include <hv/lib.h>
#include <hv/paging.h>
#include <hv/pool.h>

#define DESC_TYPE_MASK		3ULL
#define DESC_BLOCK		1ULL	/* levels 1-2 */
#define DESC_TABLE_OR_PAGE	3ULL
/* Everything of a leaf but its output address and type. */
#define DESC_ATTR_MASK		(~(S2_ADDR_MASK | DESC_TYPE_MASK))

static unsigned int input_bits = PAGING_IPA_MAX;
static unsigned int start_level;
static unsigned int root_pages = 1;
static unsigned int tables_live;

static uint8_t *hv_virt_base;
static uint64_t hv_phys_base;
static uint64_t hv_mem_size;

void paging_set_hv_base(void *virt, uint64_t phys, uint64_t size)
{
	hv_virt_base = virt;
	hv_phys_base = phys;
	hv_mem_size = size;
}

uint64_t paging_hvirt2phys(const void *virt)
{
	return hv_phys_base + (uint64_t)((const uint8_t *)virt - hv_virt_base);
}

void *paging_phys2hvirt(uint64_t phys)
{
	return hv_virt_base + (phys - hv_phys_base);
}

bool paging_phys_is_hv(uint64_t phys, uint64_t size)
{
	return hv_mem_size && phys >= hv_phys_base &&
	       size <= hv_mem_size && phys - hv_phys_base <= hv_mem_size - size;
}

int paging_set_ipa_bits(unsigned int ipa_bits)
{
	unsigned int level, pages;

	if (tables_live || paging_geometry(ipa_bits, &level, &pages))
		return -EINVAL;
	input_bits = ipa_bits;
	start_level = level;
	root_pages = pages;
	return 0;
}

unsigned int paging_ipa_bits(void)
{
	return input_bits;
}

unsigned int paging_start_level(void)
{
	return start_level;
}

unsigned int paging_root_pages(void)
{
	return root_pages;
}

static unsigned int level_shift(unsigned int level)
{
	return 39 - 9 * level;
}

static uint64_t level_size(unsigned int level)
{
	return 1ULL << level_shift(level);
}

static unsigned int level_entries(unsigned int level)
{
	return level == start_level ? PAGING_ENTRIES * root_pages :
				      PAGING_ENTRIES;
}

/* At the start level the index runs over all concatenated tables. */
static unsigned int level_index(unsigned int level, uint64_t virt)
{
	return (virt >> level_shift(level)) & (level_entries(level) - 1);
}

static bool desc_is_table(uint64_t desc, unsigned int level)
{
	return level < 3 && (desc & DESC_TYPE_MASK) == DESC_TABLE_OR_PAGE;
}

static uint64_t *desc_table(uint64_t desc)
{
	return paging_phys2hvirt(desc & S2_ADDR_MASK);
}

static uint64_t leaf_type(unsigned int level)
{
	return level == 3 ? DESC_TABLE_OR_PAGE : DESC_BLOCK;
}

static uint64_t attr_from_flags(uint64_t flags)
{
	uint64_t attr = S2_AF;

	if (flags & HV_MEM_READ)
		attr |= S2_AP_READ;
	if (flags & HV_MEM_WRITE)
		attr |= S2_AP_WRITE;
	if (!(flags & HV_MEM_EXECUTE))
		attr |= S2_XN;
	if (flags & HV_MEM_IO)
		attr |= S2_MEMATTR_DEVICE;
	else
		attr |= S2_MEMATTR_NORMAL | S2_SH_INNER;
	if (flags & HV_MEM_NO_HUGEPAGES)
		attr |= S2_SW_NOHUGE;
	return attr;
}

static uint64_t flags_from_desc(uint64_t desc)
{
	uint64_t flags = 0;

	if (desc & S2_AP_READ)
		flags |= HV_MEM_READ;
	if (desc & S2_AP_WRITE)
		flags |= HV_MEM_WRITE;
	if ((desc & S2_XN) != S2_XN)
		flags |= HV_MEM_EXECUTE;
	if ((desc & S2_MEMATTR_MASK) == S2_MEMATTR_DEVICE)
		flags |= HV_MEM_IO;
	return flags;
}

static uint64_t *table_alloc(void)
{
	return page_alloc(&mem_pool, 1);
}

static void table_free(uint64_t *table, unsigned int level)
{
	unsigned int i, n = level_entries(level);

	if (level < 3)
		for (i = 0; i < n; i++)
			if (desc_is_table(table[i], level))
				table_free(desc_table(table[i]), level + 1);
	page_free(&mem_pool, table, n / PAGING_ENTRIES);
}

/*
 * Concatenated root tables must be aligned to their total size (VTTBR's
 * BADDR): take a run twice as long and give back what lies outside the
 * aligned part.
 */
static uint64_t *root_alloc(void)
{
	uint64_t align = (uint64_t)root_pages * PAGE_SIZE, phys, skip;
	uint8_t *run;

	if (root_pages == 1)
		return table_alloc();
	run = page_alloc(&mem_pool, 2 * root_pages - 1);
	if (!run)
		return NULL;
	phys = paging_hvirt2phys(run);
	skip = (align - (phys & (align - 1))) & (align - 1);
	if (skip)
		page_free(&mem_pool, run, skip / PAGE_SIZE);
	if (skip / PAGE_SIZE < root_pages - 1)
		page_free(&mem_pool, run + skip + align,
			  root_pages - 1 - skip / PAGE_SIZE);
	return (uint64_t *)(run + skip);
}

int paging_init(struct paging_structs *pg)
{
	pg->root = root_alloc();
	if (!pg->root)
		return -ENOMEM;
	tables_live++;
	return 0;
}

void paging_destroy(struct paging_structs *pg)
{
	if (pg->root) {
		table_free(pg->root, start_level);
		tables_live--;
	}
	pg->root = NULL;
}

static unsigned long count_tables(const uint64_t *table, unsigned int level)
{
	unsigned int i, n = level_entries(level);
	unsigned long count = n / PAGING_ENTRIES;

	if (level < 3)
		for (i = 0; i < n; i++)
			if (desc_is_table(table[i], level))
				count += count_tables(desc_table(table[i]),
						      level + 1);
	return count;
}

unsigned long paging_count_tables(const struct paging_structs *pg)
{
	return pg->root ? count_tables(pg->root, start_level) : 0;
}

/* Replaces a block by a table of the next level mapping the same. */
static int split_block(uint64_t *entry, unsigned int level)
{
	uint64_t desc = *entry, phys = desc & S2_ADDR_MASK;
	uint64_t attr = desc & DESC_ATTR_MASK;
	uint64_t *table = table_alloc();
	unsigned int i;

	if (!table)
		return -ENOMEM;
	for (i = 0; i < PAGING_ENTRIES; i++)
		table[i] = (phys + i * level_size(level + 1)) | attr |
			   leaf_type(level + 1);
	*entry = paging_hvirt2phys(table) | DESC_TABLE_OR_PAGE;
	return 0;
}

/*
 * Folds a table of uniform, contiguous leaves back into one block, so pages
 * split off for a cell return to the pool once the cell is gone.
 */
static void try_merge(uint64_t *entry, unsigned int level)
{
	uint64_t *table = desc_table(*entry);
	uint64_t first = table[0], phys, attr;
	unsigned int i;

	if (level == 0)
		return;
	if ((first & DESC_TYPE_MASK) != leaf_type(level + 1) ||
	    (first & S2_SW_NOHUGE))
		return;
	phys = first & S2_ADDR_MASK;
	attr = first & DESC_ATTR_MASK;
	if (phys & (level_size(level) - 1))
		return;
	for (i = 1; i < PAGING_ENTRIES; i++)
		if (table[i] != ((phys + i * level_size(level + 1)) | attr |
				 leaf_type(level + 1)))
			return;
	*entry = phys | attr | DESC_BLOCK;
	page_free(&mem_pool, table, 1);
}

static int map_level(uint64_t *table, unsigned int level, uint64_t virt,
		     uint64_t phys, uint64_t size, uint64_t attr)
{
	uint64_t end = virt + size;
	int err;

	while (virt < end) {
		uint64_t lsize = level_size(level);
		uint64_t next = (virt & ~(lsize - 1)) + lsize;
		uint64_t chunk = (next < end ? next : end) - virt;
		uint64_t *entry = &table[level_index(level, virt)];

		if (level == 3) {
			*entry = phys | attr | DESC_TABLE_OR_PAGE;
		} else if (level >= 1 && chunk == lsize &&
			   !(phys & (lsize - 1)) && !(attr & S2_SW_NOHUGE)) {
			if (desc_is_table(*entry, level))
				table_free(desc_table(*entry), level + 1);
			*entry = phys | attr | DESC_BLOCK;
		} else {
			if (!(*entry & S2_VALID)) {
				uint64_t *sub = table_alloc();

				if (!sub)
					return -ENOMEM;
				*entry = paging_hvirt2phys(sub) |
					 DESC_TABLE_OR_PAGE;
			} else if (!desc_is_table(*entry, level)) {
				err = split_block(entry, level);
				if (err)
					return err;
			}
			err = map_level(desc_table(*entry), level + 1, virt,
					phys, chunk, attr);
			if (err)
				return err;
			try_merge(entry, level);
		}
		virt += chunk;
		phys += chunk;
	}
	return 0;
}

static bool table_empty(const uint64_t *table)
{
	unsigned int i;

	for (i = 0; i < PAGING_ENTRIES; i++)
		if (table[i] & S2_VALID)
			return false;
	return true;
}

static int unmap_level(uint64_t *table, unsigned int level, uint64_t virt,
		       uint64_t size)
{
	uint64_t end = virt + size;
	int err;

	while (virt < end) {
		uint64_t lsize = level_size(level);
		uint64_t next = (virt & ~(lsize - 1)) + lsize;
		uint64_t chunk = (next < end ? next : end) - virt;
		uint64_t *entry = &table[level_index(level, virt)];

		if (!(*entry & S2_VALID)) {
			/* nothing mapped here */
		} else if (chunk == lsize) {
			if (desc_is_table(*entry, level))
				table_free(desc_table(*entry), level + 1);
			*entry = 0;
		} else {
			if (!desc_is_table(*entry, level)) {
				err = split_block(entry, level);
				if (err)
					return err;
			}
			err = unmap_level(desc_table(*entry), level + 1, virt,
					  chunk);
			if (err)
				return err;
			if (table_empty(desc_table(*entry))) {
				page_free(&mem_pool, desc_table(*entry), 1);
				*entry = 0;
			}
		}
		virt += chunk;
	}
	return 0;
}

static bool range_ok(uint64_t virt, uint64_t size)
{
	return !(virt & PAGE_OFFS_MASK) && !(size & PAGE_OFFS_MASK) &&
	       size && virt < (1ULL << input_bits) &&
	       size <= (1ULL << input_bits) - virt;
}

int paging_map(struct paging_structs *pg, uint64_t virt, uint64_t phys,
	       uint64_t size, uint64_t mem_flags)
{
	if (!pg->root || !range_ok(virt, size) || (phys & PAGE_OFFS_MASK) ||
	    (phys & ~S2_ADDR_MASK))
		return -EINVAL;
	return map_level(pg->root, start_level, virt, phys, size,
			 attr_from_flags(mem_flags));
}

int paging_unmap(struct paging_structs *pg, uint64_t virt, uint64_t size)
{
	if (!pg->root || !range_ok(virt, size))
		return -EINVAL;
	return unmap_level(pg->root, start_level, virt, size);
}

bool paging_translate(const struct paging_structs *pg, uint64_t virt,
		      struct paging_result *res)
{
	const uint64_t *table = pg->root;
	unsigned int level;

	if (!table || virt >= (1ULL << input_bits))
		return false;
	for (level = start_level; level < PAGING_LEVELS; level++) {
		uint64_t desc = table[level_index(level, virt)];

		if (!(desc & S2_VALID))
			return false;
		if (desc_is_table(desc, level)) {
			table = desc_table(desc);
			continue;
		}
		if (level == 0)
			return false;	/* no blocks at level 0 */
		res->phys = (desc & S2_ADDR_MASK & ~(level_size(level) - 1)) |
			    (virt & (level_size(level) - 1));
		res->flags = flags_from_desc(desc);
		return true;
	}
	return false;
}
