// SPDX-License-Identifier: GPL-2.0
/*
 * Physical memory of the simulated board. RAM pages are allocated on first
 * write and kept in a hash table, so a 1 GiB board costs only what guests
 * and images actually use.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <sim/board.h>
#include <sim/simmem.h>

#define SIM_PAGE		4096ULL
#define BUCKETS			4096

struct mem_page {
	struct mem_page *next;
	uint64_t pfn;
	uint8_t data[SIM_PAGE];
};

static struct mem_page *buckets[BUCKETS];
static size_t num_pages;
static uint64_t hv_phys;
static uint8_t *hv_host;
static uint64_t hv_size;

void simmem_set_hv(uint64_t phys, void *host, uint64_t size)
{
	hv_phys = phys;
	hv_host = host;
	hv_size = host ? size : 0;
}

static unsigned int bucket_of(uint64_t pfn)
{
	return (unsigned int)((pfn * 0x9e3779b97f4a7c15ULL) >> 52) %
	       BUCKETS;
}

static struct mem_page *page_lookup(uint64_t pfn, bool create)
{
	unsigned int b = bucket_of(pfn);
	struct mem_page *p;

	for (p = buckets[b]; p; p = p->next)
		if (p->pfn == pfn)
			return p;
	if (!create)
		return NULL;
	p = calloc(1, sizeof(*p));
	if (!p)
		return NULL;
	p->pfn = pfn;
	p->next = buckets[b];
	buckets[b] = p;
	num_pages++;
	return p;
}

enum kind { K_NONE, K_HV, K_RAM, K_DEV };

static enum kind classify(uint64_t phys, uint64_t len)
{
	if (hv_size && phys >= hv_phys && len <= hv_size &&
	    phys - hv_phys <= hv_size - len)
		return K_HV;
	if (board_range_in_ram(phys, len))
		return K_RAM;
	if (board_range_in_device(phys, len))
		return K_DEV;
	return K_NONE;
}

/* Splits at page boundaries so each piece has one kind. */
static int access_mem(uint64_t phys, void *buf, uint64_t len, bool write)
{
	uint8_t *p = buf;

	while (len) {
		uint64_t chunk = SIM_PAGE - (phys % SIM_PAGE);
		struct mem_page *pg;

		if (chunk > len)
			chunk = len;
		switch (classify(phys, chunk)) {
		case K_HV:
			if (write)
				memcpy(hv_host + (phys - hv_phys), p, chunk);
			else
				memcpy(p, hv_host + (phys - hv_phys), chunk);
			break;
		case K_RAM:
			pg = page_lookup(phys / SIM_PAGE, write);
			if (write) {
				if (!pg)
					return -ENOMEM;
				memcpy(pg->data + phys % SIM_PAGE, p, chunk);
			} else if (pg) {
				memcpy(p, pg->data + phys % SIM_PAGE, chunk);
			} else {
				memset(p, 0, chunk);
			}
			break;
		case K_DEV:
			/* No device model behind the windows: RAZ/WI. */
			if (!write)
				memset(p, 0, chunk);
			break;
		default:
			return -EFAULT;
		}
		phys += chunk;
		p += chunk;
		len -= chunk;
	}
	return 0;
}

int simmem_read(void *dst, uint64_t phys, uint64_t len)
{
	return access_mem(phys, dst, len, false);
}

int simmem_write(uint64_t phys, const void *src, uint64_t len)
{
	return access_mem(phys, (void *)src, len, true);
}

void simmem_discard(uint64_t phys, uint64_t len)
{
	uint64_t pfn, first = phys / SIM_PAGE;
	uint64_t last = (phys + len + SIM_PAGE - 1) / SIM_PAGE;

	for (pfn = first; pfn < last; pfn++) {
		struct mem_page **pp = &buckets[bucket_of(pfn)], *p;

		for (; (p = *pp); pp = &p->next)
			if (p->pfn == pfn) {
				bool whole = pfn * SIM_PAGE >= phys &&
					     (pfn + 1) * SIM_PAGE <= phys + len;

				if (!whole) {
					uint64_t s = pfn == first ?
						     phys % SIM_PAGE : 0;
					uint64_t e = pfn + 1 == last &&
						     (phys + len) % SIM_PAGE ?
						     (phys + len) % SIM_PAGE :
						     SIM_PAGE;

					memset(p->data + s, 0, e - s);
					break;
				}
				*pp = p->next;
				free(p);
				num_pages--;
				break;
			}
	}
}

size_t simmem_pages(void)
{
	return num_pages;
}

void simmem_free_all(void)
{
	unsigned int b;

	for (b = 0; b < BUCKETS; b++) {
		while (buckets[b]) {
			struct mem_page *p = buckets[b];

			buckets[b] = p->next;
			free(p);
		}
	}
	num_pages = 0;
}
