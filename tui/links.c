// SPDX-License-Identifier: MIT
/*
 * ivshmem links from cell configs.
 */
#include "links.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void note_problem(struct tui_link *l, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Keep the first problem found; one is enough to send the user looking. */
static void note_problem(struct tui_link *l, const char *fmt, ...)
{
	va_list ap;

	if (l->problem[0])
		return;
	va_start(ap, fmt);
	vsnprintf(l->problem, sizeof(l->problem), fmt, ap);
	va_end(ap);
}

static struct tui_link *find_or_add(struct tui_links *links, size_t *cap,
				    uint16_t bdf)
{
	struct tui_link *l;
	size_t i;

	for (i = 0; i < links->count; i++)
		if (links->items[i].bdf == bdf)
			return &links->items[i];
	if (links->count == *cap) {
		size_t ncap = *cap ? *cap * 2 : 8;
		struct tui_link *n = realloc(links->items, ncap * sizeof(*n));

		if (!n)
			return NULL;
		links->items = n;
		*cap = ncap;
	}
	l = &links->items[links->count++];
	memset(l, 0, sizeof(*l));
	l->bdf = bdf;
	return l;
}

static void add_peer(struct tui_link *l, const struct tui_memmap_cell *cell,
		     const struct hv_pci_device *d)
{
	const struct hvctl_config *c = cell->config;
	uint32_t start = d->shmem_regions_start;
	uint32_t nregions = c->cell->num_memory_regions;
	struct tui_link_peer *p;
	unsigned int i;

	if (l->num_peers == HV_IVSHMEM_MAX_PEERS) {
		note_problem(l, "more than %u peers (cell %s)",
			     HV_IVSHMEM_MAX_PEERS, cell->name);
		return;
	}
	p = &l->peers[l->num_peers];
	memset(p, 0, sizeof(*p));
	p->cell_id = cell->id;
	snprintf(p->cell, sizeof(p->cell), "%s", cell->name);
	p->dev_id = d->shmem_dev_id;
	p->max_peers = d->shmem_peers;
	p->domain = d->domain;
	p->protocol = d->shmem_protocol;

	if (!l->num_peers) {
		l->protocol = p->protocol;
		l->max_peers = p->max_peers;
	} else {
		if (l->protocol != p->protocol)
			note_problem(l, "cell %s uses protocol 0x%x, the first peer 0x%x",
				     cell->name, p->protocol, l->protocol);
		if (l->max_peers != p->max_peers)
			note_problem(l, "cell %s says %u peers, the first peer %u",
				     cell->name, p->max_peers, l->max_peers);
	}
	for (i = 0; i < l->num_peers; i++)
		if (l->peers[i].dev_id == p->dev_id)
			note_problem(l, "cells %s and %s both use peer ID %u",
				     l->peers[i].cell, cell->name, p->dev_id);
	if (p->dev_id >= p->max_peers && !l->problem[0])
		note_problem(l, "cell %s: peer ID %u is not below the peer count %u",
			     cell->name, p->dev_id, p->max_peers);

	if ((uint64_t)start + 2 + p->max_peers > nregions) {
		note_problem(l, "cell %s: memory regions %u to %u missing (it has %u)",
			     cell->name, start, start + 1 + p->max_peers, nregions);
	} else {
		struct hv_memory st = c->mem[start], rw = c->mem[start + 1];
		struct hv_memory out = c->mem[start + 2 + (p->dev_id < p->max_peers ?
							      p->dev_id : 0)];

		p->shm_phys = st.phys_start;
		p->shm_virt = st.virt_start;
		p->out_phys = out.phys_start;
		p->out_size = out.size;
		if (!l->num_peers) {
			l->state_size = st.size;
			l->rw_size = rw.size;
			l->out_size = out.size;
		} else if (l->state_size != st.size || l->rw_size != rw.size) {
			note_problem(l, "cell %s: section sizes differ from %s's",
				     cell->name, l->peers[0].cell);
		}
	}
	l->num_peers++;
}

int tui_links_build(struct tui_links *links, const struct tui_memmap_cell *cells,
		    size_t num_cells)
{
	size_t cap = 0, i;
	uint32_t d;

	memset(links, 0, sizeof(*links));
	for (i = 0; i < num_cells; i++) {
		const struct hvctl_config *c = cells[i].config;

		if (!c || !c->cell || !c->pci)
			continue;
		for (d = 0; d < c->cell->num_pci_devices; d++) {
			struct hv_pci_device dev = c->pci[d];
			struct tui_link *l;

			if (dev.type != HV_PCI_TYPE_IVSHMEM)
				continue;
			l = find_or_add(links, &cap, dev.bdf);
			if (!l) {
				tui_links_free(links);
				return -ENOMEM;
			}
			add_peer(l, &cells[i], &dev);
		}
	}
	return 0;
}

void tui_links_free(struct tui_links *links)
{
	free(links->items);
	memset(links, 0, sizeof(*links));
}

int tui_shmem_protocol_str(char *buf, size_t n, uint16_t protocol)
{
	static const char *const virtio[] = { NULL, "net", "block", "console" };
	unsigned int type = protocol & 0x3fff;

	if (protocol == HV_SHMEM_PROTO_UNDEFINED)
		return snprintf(buf, n, "undefined");
	if (protocol == HV_SHMEM_PROTO_VETH)
		return snprintf(buf, n, "veth");
	if ((protocol & 0xc000) == HV_SHMEM_PROTO_VIRTIO_FRONT ||
	    (protocol & 0xc000) == HV_SHMEM_PROTO_VIRTIO_BACK) {
		const char *end = (protocol & 0xc000) == HV_SHMEM_PROTO_VIRTIO_BACK ?
				  "back" : "front";

		if (type < sizeof(virtio) / sizeof(virtio[0]) && virtio[type])
			return snprintf(buf, n, "virtio-%s %s", virtio[type], end);
		return snprintf(buf, n, "virtio-%u %s", type, end);
	}
	if ((protocol & 0xc000) == HV_SHMEM_PROTO_CUSTOM)
		return snprintf(buf, n, "custom 0x%04x", protocol);
	return snprintf(buf, n, "reserved 0x%04x", protocol);
}

int tui_bdf_str(char *buf, size_t n, uint16_t domain, uint16_t bdf, bool with_domain)
{
	if (with_domain)
		return snprintf(buf, n, "%04x:%02x:%02x.%x", domain, bdf >> 8,
				(bdf >> 3) & 0x1f, bdf & 7);
	return snprintf(buf, n, "%02x:%02x.%x", bdf >> 8, (bdf >> 3) & 0x1f, bdf & 7);
}
