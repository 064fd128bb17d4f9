/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The hypervisor's own EL2 stage-1 translation tables (4 KiB granule, four
 * levels, 48-bit VAs, TTBR0_EL2 only), and the VTCR_EL2 value for the
 * cells' stage 2 (whose tables the core builds, hv/paging.h). Plain
 * logic (no system register access), so the host unit tests build it too.
 */
#ifndef ARM64_PT_H
#define ARM64_PT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PT_PAGE_SIZE		4096ULL
#define PT_ENTRIES		512
#define PT_ADDR_MASK		0x0000fffffffff000ULL

/* Descriptor type bits */
#define PTE_VALID		0x1ULL
#define PTE_TABLE		0x3ULL	/* level 0-2: next table */
#define PTE_PAGE		0x3ULL	/* level 3 */
#define PTE_BLOCK		0x1ULL	/* level 1-2 */
#define PTE_AF			(1ULL << 10)
#define PTE_SH_INNER		(3ULL << 8)
#define PTE_XN			(1ULL << 54)

/* EL2 stage 1: AttrIndx into MAIR_EL2 = 0x4404ff */
#define S1_ATTR_NORMAL		(0ULL << 2)
#define S1_ATTR_DEVICE		(1ULL << 2)
#define S1_AP_RES1		(1ULL << 6)	/* AP[1] is RES1 at EL2 */
#define S1_AP_RO		(1ULL << 7)


/* Generic access flags that pt_map() turns into descriptor bits. */
#define PG_READ			0x1
#define PG_WRITE		0x2
#define PG_EXEC			0x4
#define PG_DEVICE		0x8
#define PG_NO_BLOCKS		0x10	/* force 4 KiB pages */

struct pt_pool {
	void *base;		/* first page, page aligned */
	uint64_t pages;
	uint64_t used;		/* pages handed out */
	uint8_t *bitmap;	/* one bit per page, set = in use */
	/* Virtual -> physical for table addresses (identity on the host). */
	uint64_t phys_offset;	/* phys = virt - phys_offset */
};

struct pt_tables {
	uint64_t *root;
	struct pt_pool *pool;
};

/* Page pool over [base, base + pages * 4K); bitmap from the caller. */
void pt_pool_init(struct pt_pool *pool, void *base, uint64_t pages,
		    uint8_t *bitmap, uint64_t phys_offset);
/* Contiguous, naturally aligned run of n pages, zeroed; NULL if none. */
void *pt_pool_alloc(struct pt_pool *pool, unsigned int n);
void pt_pool_free(struct pt_pool *pool, void *page, unsigned int n);
uint64_t pt_pool_virt_to_phys(const struct pt_pool *pool, const void *v);
void *pt_pool_phys_to_virt(const struct pt_pool *pool, uint64_t phys);

int pt_init(struct pt_tables *pg, struct pt_pool *pool);
void pt_destroy(struct pt_tables *pg);
/*
 * Maps [virt, virt + size) to phys with the PG_* flags, using 2 MiB and
 * 1 GiB blocks where alignment allows. Replaces existing mappings.
 * Returns 0, -EINVAL for unaligned arguments, -ENOMEM when out of pages.
 */
int pt_map(struct pt_tables *pg, uint64_t virt, uint64_t phys,
	       uint64_t size, unsigned int flags);
/* Removes any mapping of [virt, virt + size), splitting blocks. */
int pt_unmap(struct pt_tables *pg, uint64_t virt, uint64_t size);
/* Walks the tables: 0 with the address and descriptor on success, -ENOENT if unmapped. */
int pt_translate(const struct pt_tables *pg, uint64_t virt, uint64_t *phys,
		     uint64_t *desc);
/* Leaf descriptor attributes for PG_* flags. */
uint64_t pt_leaf_attrs(unsigned int flags);
/* Physical address of the root table (for TTBR0_EL2 or VTTBR_EL2). */
uint64_t pt_root_phys(const struct pt_tables *pg);

/* Physical address bits of a PARange value (ID_AA64MMFR0_EL1[3:0]). */
unsigned int pt_parange_bits(unsigned int parange);
/* VTCR_EL2 for a PARange value, with an IPA as wide as the PA range, and
 * the matching stage-2 start level and number of concatenated root tables
 * (paging_geometry). */
uint64_t pt_vtcr(unsigned int parange, unsigned int *start_level,
		     unsigned int *root_pages);

#endif /* !ARM64_PT_H */
