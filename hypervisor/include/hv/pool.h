/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Page pools. The memory pool hands out real pages of hypervisor memory
 * (cell bookkeeping, config copies, comm pages, stage-2 tables); the remap
 * pool hands out hypervisor virtual address space for device and temporary
 * mappings. Both report their use through HYPERVISOR_GET_INFO.
 */
#ifndef HV_POOL_H
#define HV_POOL_H

#include <stdint.h>

struct page_pool {
	/* First page (memory pool) or first virtual address (remap pool). */
	uintptr_t base;
	unsigned long pages;
	unsigned long used;
	unsigned long *bitmap;
	/* Search hint: no free page below this index. */
	unsigned long first_free;
};

extern struct page_pool mem_pool;
extern struct page_pool remap_pool;

/*
 * Sets up the memory pool over [base, base + pages * PAGE_SIZE); its
 * allocation bitmap takes the first pages of the pool itself and counts as
 * used. Returns -ENOMEM when the area is too small to be useful.
 */
int pool_init_mem(void *base, unsigned long pages);
/* Sets up the remap pool; its bitmap is allocated from the memory pool. */
int pool_init_remap(uintptr_t virt_base, unsigned long pages);

/* num contiguous zeroed pages, or NULL. Remap pool pages are not touched. */
void *page_alloc(struct page_pool *pool, unsigned long num);
void page_free(struct page_pool *pool, void *first, unsigned long num);

#endif /* !HV_POOL_H */
