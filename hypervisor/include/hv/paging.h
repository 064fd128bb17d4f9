/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Stage-2 translation tables in the arm64 VMSAv8-64 format (4 KiB granule,
 * four levels, 48-bit input addresses), built from memory pool pages.
 *
 * Tables hold physical addresses; the core converts with the hypervisor
 * memory's linear offset (paging_hvirt2phys/paging_phys2hvirt). Mapping
 * uses the largest blocks the alignment allows (1 GiB, 2 MiB) unless the
 * region asks for 4 KiB pages, and merges a table back into a block when it
 * becomes uniform, so unmapping and remapping a range returns every page.
 */
#ifndef HV_PAGING_H
#define HV_PAGING_H

#include <stdbool.h>
#include <stdint.h>

#define PAGING_LEVELS		4
#define PAGING_ENTRIES		512

/* Descriptor bits (stage 2). */
#define S2_VALID		(1ULL << 0)
#define S2_TABLE		(1ULL << 1)	/* table at levels 0-2, page at 3 */
#define S2_MEMATTR_DEVICE	(0x1ULL << 2)	/* Device-nGnRE */
#define S2_MEMATTR_NORMAL	(0xfULL << 2)	/* Normal, write-back */
#define S2_MEMATTR_MASK		(0xfULL << 2)
#define S2_AP_READ		(1ULL << 6)
#define S2_AP_WRITE		(1ULL << 7)
#define S2_SH_INNER		(3ULL << 8)
#define S2_AF			(1ULL << 10)
#define S2_XN			(2ULL << 53)
/* Software bit (ignored by hardware): never merge into a block. */
#define S2_SW_NOHUGE		(1ULL << 55)
#define S2_ADDR_MASK		0x0000fffffffff000ULL

struct paging_structs {
	uint64_t *root;		/* level-0 table, NULL when empty */
};

/* Access rights found by paging_translate (HV_MEM_READ/WRITE/EXECUTE). */
struct paging_result {
	uint64_t phys;
	uint64_t flags;
};

int paging_init(struct paging_structs *pg);
/*
 * Maps [virt, virt + size) to phys with hv_memory flags (READ, WRITE,
 * EXECUTE, IO, NO_HUGEPAGES). All three must be page aligned. On -ENOMEM the
 * range may be partly mapped; the caller unmaps it.
 */
int paging_map(struct paging_structs *pg, uint64_t virt, uint64_t phys,
	       uint64_t size, uint64_t mem_flags);
/* Unmaps a page-aligned range; splitting a block may need pages (-ENOMEM). */
int paging_unmap(struct paging_structs *pg, uint64_t virt, uint64_t size);
/* Translates one address; false when unmapped. */
bool paging_translate(const struct paging_structs *pg, uint64_t virt,
		      struct paging_result *res);
/* Frees every table. */
void paging_destroy(struct paging_structs *pg);
/* Number of table pages, for tests and accounting. */
unsigned long paging_count_tables(const struct paging_structs *pg);

/* Linear mapping of hypervisor memory. */
void paging_set_hv_base(void *virt, uint64_t phys, uint64_t size);
uint64_t paging_hvirt2phys(const void *virt);
void *paging_phys2hvirt(uint64_t phys);
bool paging_phys_is_hv(uint64_t phys, uint64_t size);

#endif /* !HV_PAGING_H */
