// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The meaning of a set of configs together: the physical layout with
 * owners, sharing, overlaps and gaps; the ivshmem links and their peers;
 * what one cell config takes from the root cell.
 */
#include <hvctl/layout.h>

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "runtime_int.h"

const char *hvctl_region_kind_name(enum hvctl_region_kind kind)
{
	switch (kind) {
	case HVCTL_REGION_RAM:
		return "RAM";
	case HVCTL_REGION_IO:
		return "I/O";
	case HVCTL_REGION_IVSHMEM:
		return "ivshmem";
	case HVCTL_REGION_HYPERVISOR:
		return "hypervisor";
	case HVCTL_REGION_COMM:
		return "comm";
	case HVCTL_REGION_GAP:
		return "gap";
	case HVCTL_REGION_EMPTY:
		return "empty";
	}
	return "?";
}

/* Regions of config that belong to an ivshmem device (state, rw, outputs). */
static bool is_ivshmem_region(const struct hvctl_config *c, uint32_t idx)
{
	uint32_t i;

	for (i = 0; c->pci && i < c->cell->num_pci_devices; i++) {
		const struct hv_pci_device *d = &c->pci[i];
		uint32_t start = d->shmem_regions_start;

		if (d->type != HV_PCI_TYPE_IVSHMEM)
			continue;
		if (idx >= start && idx < start + 2u + d->shmem_peers)
			return true;
	}
	return false;
}

enum hvctl_region_kind hvctl_region_kind(const struct hvctl_config *c, uint32_t idx)
{
	const struct hv_memory *m;

	if (!c || !c->cell || !c->mem || idx >= c->cell->num_memory_regions)
		return HVCTL_REGION_EMPTY;
	m = &c->mem[idx];
	if (!m->size)
		return HVCTL_REGION_EMPTY;
	if (m->flags & HV_MEM_COMM_REGION)
		return HVCTL_REGION_COMM;
	if (is_ivshmem_region(c, idx))
		return HVCTL_REGION_IVSHMEM;
	if (m->flags & HV_MEM_IO)
		return HVCTL_REGION_IO;
	return HVCTL_REGION_RAM;
}

bool hvctl_region_shared(const struct hvctl_config *c, uint32_t idx)
{
	if (!c || !c->cell || !c->mem || idx >= c->cell->num_memory_regions)
		return false;
	return c->mem[idx].flags & HV_MEM_ROOTSHARED;
}

struct region_key {
	uint32_t idx;
	int group;	/* 0 physical, 1 comm region, 2 empty entry */
	uint64_t key;
};

static int region_key_cmp(const void *a, const void *b)
{
	const struct region_key *x = a, *y = b;

	if (x->group != y->group)
		return x->group < y->group ? -1 : 1;
	if (x->key != y->key)
		return x->key < y->key ? -1 : 1;
	return x->idx < y->idx ? -1 : x->idx > y->idx;
}

int hvctl_regions_by_address(const struct hvctl_config *c, uint32_t *order)
{
	uint32_t n = c->cell->num_memory_regions, i;
	struct region_key *keys;

	if (!n)
		return 0;
	keys = calloc(n, sizeof(*keys));
	if (!keys)
		return -ENOMEM;
	for (i = 0; i < n; i++) {
		enum hvctl_region_kind kind = hvctl_region_kind(c, i);

		keys[i].idx = i;
		/* Comm regions have no physical address, empty entries no
		 * range: both go after the physical map. */
		keys[i].group = kind == HVCTL_REGION_EMPTY ? 2 :
				kind == HVCTL_REGION_COMM ? 1 : 0;
		keys[i].key = kind == HVCTL_REGION_COMM ? c->mem[i].virt_start :
			      c->mem[i].phys_start;
	}
	qsort(keys, n, sizeof(*keys), region_key_cmp);
	for (i = 0; i < n; i++)
		order[i] = keys[i].idx;
	free(keys);
	return 0;
}

struct seg_vec {
	struct hvctl_segment *v;
	size_t n, cap;
};

static struct hvctl_segment *vec_add(struct seg_vec *sv)
{
	if (hvctl_grow(&sv->v, &sv->cap, sv->n + 1, sizeof(*sv->v)))
		return NULL;
	memset(&sv->v[sv->n], 0, sizeof(sv->v[0]));
	return &sv->v[sv->n++];
}

/* A copy of seg appended to sv; NULL when out of memory. */
static struct hvctl_segment *vec_push(struct seg_vec *sv, const struct hvctl_segment *seg)
{
	struct hvctl_segment *s = vec_add(sv);

	if (s)
		*s = *seg;
	return s;
}

static uint64_t seg_end(const struct hvctl_segment *s)
{
	uint64_t end = s->start + s->size;

	return end < s->start ? UINT64_MAX : end;
}

static void add_owner(struct hvctl_segment *s, int id, const char *name, bool front)
{
	size_t len = strlen(s->owners);
	char tmp[HVCTL_SEG_OWNERS_MAX];

	if (s->num_owners < HVCTL_SEG_IDS_MAX) {
		if (front) {
			memmove(s->owner_ids + 1, s->owner_ids,
				s->num_owners * sizeof(s->owner_ids[0]));
			s->owner_ids[0] = id;
		} else {
			s->owner_ids[s->num_owners] = id;
		}
	}
	if (front || !s->num_owners)
		s->cell_id = id;
	s->num_owners++;
	if (!len) {
		snprintf(s->owners, sizeof(s->owners), "%s", name);
	} else if (front) {
		snprintf(tmp, sizeof(tmp), "%s, %s", name, s->owners);
		memcpy(s->owners, tmp, sizeof(tmp));
	} else {
		snprintf(s->owners + len, sizeof(s->owners) - len, ", %s", name);
	}
}

static void fill_seg(struct hvctl_segment *s, const struct hvctl_config *c, uint32_t i,
		     const struct hv_memory *r)
{
	s->start = r->phys_start;
	s->size = r->size;
	s->virt = r->virt_start;
	s->flags = r->flags;
	s->shared_root = r->flags & HV_MEM_ROOTSHARED;
	s->kind = hvctl_region_kind(c, i);
	if (c->mem_names && c->mem_names[i])
		snprintf(s->name, sizeof(s->name), "%s", c->mem_names[i]);
}

/* A comm region, listed apart at its address in the cell of id. */
static int add_comm(struct seg_vec *comm, const struct hvctl_segment *seg,
		    const struct hv_memory *m, int id, const char *name)
{
	struct hvctl_segment *s = vec_push(comm, seg);

	if (!s)
		return -ENOMEM;
	s->kind = HVCTL_REGION_COMM;
	s->start = m->virt_start;
	add_owner(s, id, name, false);
	return 0;
}

static int cmp_seg(const void *a, const void *b)
{
	const struct hvctl_segment *x = a, *y = b;

	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	if (x->size != y->size)
		return x->size > y->size ? -1 : 1;
	return (int)x->kind - (int)y->kind;
}

/* Add the parts of [start, end) that no claim covers, as root segments. */
static int add_root_pieces(struct seg_vec *out, const struct seg_vec *claims,
			   const struct hvctl_segment *tmpl, uint64_t start, uint64_t end)
{
	size_t i;

	for (i = 0; i < claims->n && start < end; i++) {
		const struct hvctl_segment *c = &claims->v[i];
		uint64_t cs = c->start, ce = seg_end(c);

		if (ce <= start || cs >= end)
			continue;
		if (cs > start) {
			int ret = add_root_pieces(out, claims, tmpl, start, cs);

			if (ret)
				return ret;
		}
		/* Continue after this claim; earlier claims never cover it
		 * again because the recursion handled [start, cs). */
		start = ce;
		i = (size_t)-1;
		if (start >= end)
			return 0;
	}
	if (start < end) {
		struct hvctl_segment *s = vec_push(out, tmpl);

		if (!s)
			return -ENOMEM;
		s->virt = tmpl->virt + (start - tmpl->start);
		s->start = start;
		s->size = end - start;
	}
	return 0;
}

int hvctl_layout_build(struct hvctl_layout *mm, const struct hvctl_layout_cell *cells,
		     size_t num_cells, uint64_t hv_start, uint64_t hv_size)
{
	struct seg_vec claims = { 0 }, all = { 0 }, comm = { 0 }, out = { 0 };
	const struct hvctl_layout_cell *root = NULL;
	struct hvctl_segment *s;
	uint64_t max_end = 0;
	size_t i, j;
	uint32_t r;
	int ret = -ENOMEM;

	memset(mm, 0, sizeof(*mm));

	/* Non-root cells: their regions as claims, identical ones merged. */
	for (i = 0; i < num_cells; i++) {
		const struct hvctl_config *c = cells[i].config;

		if (!c || !c->cell)
			continue;
		if (cells[i].id == 0) {
			root = &cells[i];
			continue;
		}
		for (r = 0; r < c->cell->num_memory_regions; r++) {
			struct hv_memory m = c->mem[r];
			struct hvctl_segment tmp = { 0 };

			if (!m.size)
				continue;
			fill_seg(&tmp, c, r, &m);
			if (m.flags & HV_MEM_COMM_REGION) {
				if (add_comm(&comm, &tmp, &m, cells[i].id, cells[i].name))
					goto out;
				continue;
			}
			for (j = 0; j < claims.n; j++)
				if (claims.v[j].start == tmp.start &&
				    claims.v[j].size == tmp.size &&
				    claims.v[j].kind == tmp.kind)
					break;
			if (j < claims.n) {
				add_owner(&claims.v[j], cells[i].id, cells[i].name, false);
				claims.v[j].shared_root |= tmp.shared_root;
				continue;
			}
			s = vec_push(&claims, &tmp);
			if (!s)
				goto out;
			add_owner(s, cells[i].id, cells[i].name, false);
		}
	}
	for (j = 0; j < claims.n; j++)
		if (!vec_push(&all, &claims.v[j]))
			goto out;

	/* The root cell: what the others did not take. */
	for (r = 0; root && r < root->config->cell->num_memory_regions; r++) {
		const struct hvctl_config *c = root->config;
		struct hv_memory m = c->mem[r];
		struct hvctl_segment tmpl = { 0 };

		if (!m.size)
			continue;
		fill_seg(&tmpl, c, r, &m);
		if (m.flags & HV_MEM_COMM_REGION) {
			if (add_comm(&comm, &tmpl, &m, 0, root->name))
				goto out;
			continue;
		}
		add_owner(&tmpl, 0, root->name, false);
		/* An identical range is shared with root (ivshmem with root as peer). */
		for (j = 0; j < all.n; j++) {
			if (all.v[j].start == tmpl.start && all.v[j].size == tmpl.size &&
			    all.v[j].cell_id != 0) {
				add_owner(&all.v[j], 0, root->name, true);
				break;
			}
		}
		if (j < all.n)
			continue;
		if (add_root_pieces(&all, &claims, &tmpl, tmpl.start, seg_end(&tmpl)))
			goto out;
	}

	if (hv_size) {
		s = vec_add(&all);
		if (!s)
			goto out;
		s->start = hv_start;
		s->size = hv_size;
		s->kind = HVCTL_REGION_HYPERVISOR;
		s->cell_id = -1;
		snprintf(s->owners, sizeof(s->owners), "hypervisor");
		mm->hv_known = true;
	}

	if (all.n > 1)
		qsort(all.v, all.n, sizeof(all.v[0]), cmp_seg);
	for (j = 0; j < all.n; j++) {
		struct hvctl_segment seg = all.v[j];

		if (j && seg.start > max_end) {
			s = vec_add(&out);
			if (!s)
				goto out;
			s->start = max_end;
			s->size = seg.start - max_end;
			s->kind = HVCTL_REGION_GAP;
			s->cell_id = -1;
		}
		seg.overlap = j && seg.start < max_end;
		if (!vec_push(&out, &seg))
			goto out;
		if (!j || seg_end(&seg) > max_end)
			max_end = seg_end(&seg);
	}
	if (comm.n > 1)
		qsort(comm.v, comm.n, sizeof(comm.v[0]), cmp_seg);

	mm->segs = out.v;
	mm->count = out.n;
	mm->comm = comm.v;
	mm->num_comm = comm.n;
	out.v = NULL;
	comm.v = NULL;
	ret = 0;
out:
	free(claims.v);
	free(all.v);
	free(comm.v);
	free(out.v);
	if (ret)
		memset(mm, 0, sizeof(*mm));
	return ret;
}

void hvctl_layout_free(struct hvctl_layout *mm)
{
	free(mm->segs);
	free(mm->comm);
	memset(mm, 0, sizeof(*mm));
}

uint64_t hvctl_layout_owned(const struct hvctl_layout *mm, int cell_id, bool shared)
{
	uint64_t sum = 0;
	size_t i;
	unsigned int k;

	for (i = 0; i < mm->count; i++) {
		const struct hvctl_segment *s = &mm->segs[i];
		bool is_shared = s->shared_root || s->num_owners > 1;

		if (s->kind == HVCTL_REGION_GAP || s->kind == HVCTL_REGION_HYPERVISOR ||
		    is_shared != shared)
			continue;
		for (k = 0; k < s->num_owners && k < HVCTL_SEG_IDS_MAX; k++) {
			if (s->owner_ids[k] == cell_id) {
				sum += s->size;
				break;
			}
		}
	}
	return sum;
}


/* ---- ivshmem links ---- */

static void note_problem(struct hvctl_link *l, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Keep the first problem found; one is enough to send the user looking. */
static void note_problem(struct hvctl_link *l, const char *fmt, ...)
{
	va_list ap;

	if (l->problem[0])
		return;
	va_start(ap, fmt);
	vsnprintf(l->problem, sizeof(l->problem), fmt, ap);
	va_end(ap);
}

static struct hvctl_link *find_or_add(struct hvctl_links *links, size_t *cap,
				    uint16_t bdf)
{
	struct hvctl_link *l;
	size_t i;

	for (i = 0; i < links->count; i++)
		if (links->items[i].bdf == bdf)
			return &links->items[i];
	if (hvctl_grow(&links->items, cap, links->count + 1, sizeof(*links->items)))
		return NULL;
	l = &links->items[links->count++];
	memset(l, 0, sizeof(*l));
	l->bdf = bdf;
	return l;
}

static void add_peer(struct hvctl_link *l, const struct hvctl_layout_cell *cell,
		     const struct hv_pci_device *d)
{
	const struct hvctl_config *c = cell->config;
	uint32_t start = d->shmem_regions_start;
	uint32_t nregions = c->cell->num_memory_regions;
	struct hvctl_link_peer *p;
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

int hvctl_links_build(struct hvctl_links *links, const struct hvctl_layout_cell *cells,
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
			struct hvctl_link *l;

			if (dev.type != HV_PCI_TYPE_IVSHMEM)
				continue;
			l = find_or_add(links, &cap, dev.bdf);
			if (!l) {
				hvctl_links_free(links);
				return -ENOMEM;
			}
			add_peer(l, &cells[i], &dev);
		}
	}
	return 0;
}

void hvctl_links_free(struct hvctl_links *links)
{
	free(links->items);
	memset(links, 0, sizeof(*links));
}


int hvctl_ivshmem_section_str(char *buf, size_t len, unsigned int k)
{
	if (k == 0)
		return snprintf(buf, len, "state table");
	if (k == 1)
		return snprintf(buf, len, "read/write");
	return snprintf(buf, len, "output of peer %u", k - 2);
}

static bool is_arm(const struct hvctl_config *c)
{
	return c->architecture == HV_ARCH_ARM || c->architecture == HV_ARCH_ARM64;
}

/* Virtual PCI INTx lines start at SPI 0 (INTID 32) plus vpci_irq_base. */
int64_t hvctl_pci_intx(const struct hvctl_config *c, const struct hv_pci_device *dev)
{
	if (!is_arm(c) || dev->num_msix_vectors)
		return -1;
	return 32 + (int64_t)c->cell->vpci_irq_base + ((dev->bdf >> 3) & 3);
}

bool hvctl_intx_range(const struct hvctl_config *c, uint64_t *first, uint64_t *last)
{
	if (!is_arm(c))
		return false;
	*first = 32 + (uint64_t)c->cell->vpci_irq_base;
	*last = *first + 3;
	return true;
}

void hvctl_config_claim(const struct hvctl_config *c, struct hvctl_claim *claim)
{
	uint32_t i;

	memset(claim, 0, sizeof(*claim));
	if (!c || !c->cell)
		return;
	claim->num_cpus = hvctl_config_cpu_count(c);
	for (i = 0; i < c->cell->num_memory_regions; i++) {
		switch (hvctl_region_kind(c, i)) {
		case HVCTL_REGION_COMM:
			claim->num_comm++;
			break;
		case HVCTL_REGION_IO:
			claim->num_io++;
			break;
		case HVCTL_REGION_RAM:
		case HVCTL_REGION_IVSHMEM:
			if (hvctl_region_shared(c, i))
				claim->mem_shared += c->mem[i].size;
			else
				claim->mem_own += c->mem[i].size;
			break;
		default:
			break;
		}
	}
	for (i = 0; c->pci && i < c->cell->num_pci_devices; i++) {
		claim->num_pci++;
		claim->num_ivshmem += c->pci[i].type == HV_PCI_TYPE_IVSHMEM;
	}
}

int hvctl_layout_snapshot(struct hvctl_layout *layout, struct hvctl_links *links,
			  const struct hvctl_snapshot *snap)
{
	struct hvctl_layout_cell *lc;
	uint64_t hv_start = 0, hv_size = 0;
	size_t i;
	int ret;

	memset(layout, 0, sizeof(*layout));
	if (links)
		memset(links, 0, sizeof(*links));
	lc = calloc(snap->num_cells ? snap->num_cells : 1, sizeof(*lc));
	if (!lc)
		return -ENOMEM;
	for (i = 0; i < snap->num_cells; i++) {
		lc[i].id = snap->cells[i].id;
		lc[i].name = snap->cells[i].name;
		lc[i].config = snap->cells[i].config;
	}
	if (snap->system_config && snap->system_config->system) {
		struct hv_memory hv = snap->system_config->system->hypervisor_memory;

		hv_start = hv.phys_start;
		hv_size = hv.size;
	}
	ret = hvctl_layout_build(layout, lc, snap->num_cells, hv_start, hv_size);
	if (!ret && links) {
		ret = hvctl_links_build(links, lc, snap->num_cells);
		if (ret)
			hvctl_layout_free(layout);
	}
	free(lc);
	return ret;
}
