/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Stage-2 translation tables in the arm64 VMSAv8-64 format (4 KiB granule),
 * built from memory pool pages. The input (IPA) size is set once by the
 * port from the CPUs' physical address range, 32 to 48 bits (48 unless
 * set); it fixes the start level and how many tables are concatenated at
 * it (paging_geometry), as VTCR_EL2 describes the same tables to the MMU.
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
#define PAGING_IPA_MIN		32
#define PAGING_IPA_MAX		48

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
	/* Table(s) of the start level, NULL when empty. */
	uint64_t *root;
};

/*
 * Start level and number of concatenated root tables for an IPA size with
 * a 4 KiB granule: the fewest levels, with up to 16 tables concatenated at
 * the start level (as the architecture allows and KVM does): 44-48 bits
 * start at level 0, 35-43 at level 1 (40 bits: 2 tables, 42: 8),
 * 32-34 at level 2 (32 bits: 4 tables). 0, or -1 for a size out of range.
 */
static inline int paging_geometry(unsigned int ipa_bits,
				  unsigned int *start_level,
				  unsigned int *root_pages)
{
	unsigned int levels, shift, entries_log2;

	if (ipa_bits < PAGING_IPA_MIN || ipa_bits > PAGING_IPA_MAX)
		return -1;
	levels = (ipa_bits - 8) / 9;
	*start_level = 4 - levels;
	shift = 39 - 9 * *start_level;
	entries_log2 = ipa_bits - shift;
	*root_pages = entries_log2 > 9 ? 1u << (entries_log2 - 9) : 1;
	return 0;
}

/* Sets the IPA size of every stage-2 table built from now on (no tables
 * may exist). -EINVAL when out of range. */
int paging_set_ipa_bits(unsigned int ipa_bits);
unsigned int paging_ipa_bits(void);
unsigned int paging_start_level(void);
unsigned int paging_root_pages(void);

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
