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

struct mem_page {
	struct mem_page *next;
	uint64_t pfn;
	uint8_t data[SIM_PAGE];
};

void simmem_set_hv(struct simmem *m, uint64_t phys, void *host, uint64_t size)
{
	m->hv_phys = phys;
	m->hv_host = host;
	m->hv_size = host ? size : 0;
}

static unsigned int bucket_of(uint64_t pfn)
{
	return (unsigned int)((pfn * 0x9e3779b97f4a7c15ULL) >> 52) %
	       SIMMEM_BUCKETS;
}

static struct mem_page *page_lookup(struct simmem *m, uint64_t pfn, bool create)
{
	unsigned int b = bucket_of(pfn);
	struct mem_page *p;

	for (p = m->buckets[b]; p; p = p->next)
		if (p->pfn == pfn)
			return p;
	if (!create)
		return NULL;
	p = calloc(1, sizeof(*p));
	if (!p)
		return NULL;
	p->pfn = pfn;
	p->next = m->buckets[b];
	m->buckets[b] = p;
	m->num_pages++;
	return p;
}

enum kind { K_NONE, K_HV, K_RAM, K_DEV };

static enum kind classify(const struct simmem *m, uint64_t phys, uint64_t len)
{
	if (m->hv_size && phys >= m->hv_phys && len <= m->hv_size &&
	    phys - m->hv_phys <= m->hv_size - len)
		return K_HV;
	if (board_range_in_ram(m->board, phys, len))
		return K_RAM;
	if (board_range_in_device(m->board, phys, len))
		return K_DEV;
	return K_NONE;
}

/* Splits at page boundaries so each piece has one kind. */
static int access_mem(struct simmem *m, uint64_t phys, void *buf, uint64_t len,
		      bool write)
{
	uint8_t *p = buf;

	while (len) {
		uint64_t chunk = SIM_PAGE - (phys % SIM_PAGE);
		struct mem_page *pg;

		if (chunk > len)
			chunk = len;
		switch (classify(m, phys, chunk)) {
		case K_HV:
			if (write)
				memcpy(m->hv_host + (phys - m->hv_phys), p, chunk);
			else
				memcpy(p, m->hv_host + (phys - m->hv_phys), chunk);
			break;
		case K_RAM:
			pg = page_lookup(m, phys / SIM_PAGE, write);
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

int simmem_read(struct simmem *m, void *dst, uint64_t phys, uint64_t len)
{
	return access_mem(m, phys, dst, len, false);
}

int simmem_write(struct simmem *m, uint64_t phys, const void *src,
		 uint64_t len)
{
	return access_mem(m, phys, (void *)src, len, true);
}

void simmem_discard(struct simmem *m, uint64_t phys, uint64_t len)
{
	uint64_t pfn, first = phys / SIM_PAGE;
	uint64_t last = (phys + len + SIM_PAGE - 1) / SIM_PAGE;

	for (pfn = first; pfn < last; pfn++) {
		struct mem_page **pp = &m->buckets[bucket_of(pfn)], *p;

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
				m->num_pages--;
				break;
			}
	}
}

size_t simmem_pages(const struct simmem *m)
{
	return m->num_pages;
}

void simmem_free_all(struct simmem *m)
{
	unsigned int b;

	for (b = 0; b < SIMMEM_BUCKETS; b++) {
		while (m->buckets[b]) {
			struct mem_page *p = m->buckets[b];

			m->buckets[b] = p->next;
			free(p);
		}
	}
	m->num_pages = 0;
}
