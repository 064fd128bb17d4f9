// SPDX-License-Identifier: MIT
/*
 * Physical memory map from cell configs.
 */
#include "memmap.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct seg_vec {
	struct tui_seg *v;
	size_t n, cap;
};

static struct tui_seg *vec_add(struct seg_vec *sv)
{
	if (sv->n == sv->cap) {
		size_t cap = sv->cap ? sv->cap * 2 : 32;
		struct tui_seg *nv = realloc(sv->v, cap * sizeof(*nv));

		if (!nv)
			return NULL;
		sv->v = nv;
		sv->cap = cap;
	}
	memset(&sv->v[sv->n], 0, sizeof(sv->v[0]));
	return &sv->v[sv->n++];
}

/* A copy of seg appended to sv; NULL when out of memory. */
static struct tui_seg *vec_push(struct seg_vec *sv, const struct tui_seg *seg)
{
	struct tui_seg *s = vec_add(sv);

	if (s)
		*s = *seg;
	return s;
}

static uint64_t seg_end(const struct tui_seg *s)
{
	uint64_t end = s->start + s->size;

	return end < s->start ? UINT64_MAX : end;
}

static void add_owner(struct tui_seg *s, int id, const char *name, bool front)
{
	size_t len = strlen(s->owners);
	char tmp[TUI_SEG_OWNERS_MAX];

	if (s->num_owners < TUI_SEG_IDS_MAX) {
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

static void fill_seg(struct tui_seg *s, const struct hvctl_config *c, uint32_t i,
		     const struct hv_memory *r)
{
	s->start = r->phys_start;
	s->size = r->size;
	s->virt = r->virt_start;
	s->flags = r->flags;
	s->shared_root = r->flags & HV_MEM_ROOTSHARED;
	if (is_ivshmem_region(c, i))
		s->kind = TUI_SEG_IVSHMEM;
	else if (r->flags & HV_MEM_IO)
		s->kind = TUI_SEG_IO;
	else
		s->kind = TUI_SEG_RAM;
	if (c->mem_names && c->mem_names[i])
		snprintf(s->name, sizeof(s->name), "%s", c->mem_names[i]);
}

/* A comm region, listed apart at its address in the cell of id. */
static int add_comm(struct seg_vec *comm, const struct tui_seg *seg,
		    const struct hv_memory *m, int id, const char *name)
{
	struct tui_seg *s = vec_push(comm, seg);

	if (!s)
		return -ENOMEM;
	s->kind = TUI_SEG_COMM;
	s->start = m->virt_start;
	add_owner(s, id, name, false);
	return 0;
}

static int cmp_seg(const void *a, const void *b)
{
	const struct tui_seg *x = a, *y = b;

	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	if (x->size != y->size)
		return x->size > y->size ? -1 : 1;
	return (int)x->kind - (int)y->kind;
}

/* Add the parts of [start, end) that no claim covers, as root segments. */
static int add_root_pieces(struct seg_vec *out, const struct seg_vec *claims,
			   const struct tui_seg *tmpl, uint64_t start, uint64_t end)
{
	size_t i;

	for (i = 0; i < claims->n && start < end; i++) {
		const struct tui_seg *c = &claims->v[i];
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
		struct tui_seg *s = vec_push(out, tmpl);

		if (!s)
			return -ENOMEM;
		s->virt = tmpl->virt + (start - tmpl->start);
		s->start = start;
		s->size = end - start;
	}
	return 0;
}

int tui_memmap_build(struct tui_memmap *mm, const struct tui_memmap_cell *cells,
		     size_t num_cells, uint64_t hv_start, uint64_t hv_size)
{
	struct seg_vec claims = { 0 }, all = { 0 }, comm = { 0 }, out = { 0 };
	const struct tui_memmap_cell *root = NULL;
	struct tui_seg *s;
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
			struct tui_seg tmp = { 0 };

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
		struct tui_seg tmpl = { 0 };

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
		s->kind = TUI_SEG_HYPERVISOR;
		s->cell_id = -1;
		snprintf(s->owners, sizeof(s->owners), "hypervisor");
		mm->hv_known = true;
	}

	if (all.n > 1)
		qsort(all.v, all.n, sizeof(all.v[0]), cmp_seg);
	for (j = 0; j < all.n; j++) {
		struct tui_seg seg = all.v[j];

		if (j && seg.start > max_end) {
			s = vec_add(&out);
			if (!s)
				goto out;
			s->start = max_end;
			s->size = seg.start - max_end;
			s->kind = TUI_SEG_GAP;
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

void tui_memmap_free(struct tui_memmap *mm)
{
	free(mm->segs);
	free(mm->comm);
	memset(mm, 0, sizeof(*mm));
}

uint64_t tui_memmap_owned(const struct tui_memmap *mm, int cell_id, bool shared)
{
	uint64_t sum = 0;
	size_t i;
	unsigned int k;

	for (i = 0; i < mm->count; i++) {
		const struct tui_seg *s = &mm->segs[i];
		bool is_shared = s->shared_root || s->num_owners > 1;

		if (s->kind == TUI_SEG_GAP || s->kind == TUI_SEG_HYPERVISOR ||
		    is_shared != shared)
			continue;
		for (k = 0; k < s->num_owners && k < TUI_SEG_IDS_MAX; k++) {
			if (s->owner_ids[k] == cell_id) {
				sum += s->size;
				break;
			}
		}
	}
	return sum;
}

uint64_t tui_zoom_bytes_per_row(unsigned int zoom)
{
	if (!zoom)
		return 0;
	if (zoom > TUI_ZOOM_MAX)
		zoom = TUI_ZOOM_MAX;
	return (UINT64_C(1) << 30) >> (zoom - 1);
}

size_t tui_memmap_rows(const struct tui_memmap *mm, unsigned int zoom,
		       const bool *show, struct tui_mmrow *out, size_t max)
{
	uint64_t bpr = tui_zoom_bytes_per_row(zoom);
	size_t n = 0, i;

	for (i = 0; i < mm->count; i++) {
		const struct tui_seg *s = &mm->segs[i];
		uint64_t rows = 1, k;

		if (show && !show[i])
			continue;
		if (bpr) {
			rows = s->size / bpr + (s->size % bpr ? 1 : 0);
			if (!rows)
				rows = 1;
			if (s->kind == TUI_SEG_GAP && rows > TUI_ZOOM_GAP_ROWS_MAX)
				rows = TUI_ZOOM_GAP_ROWS_MAX;
			if (rows > TUI_ZOOM_SEG_ROWS_MAX)
				rows = TUI_ZOOM_SEG_ROWS_MAX;
		}
		for (k = 0; k < rows; k++, n++) {
			if (n >= max)
				continue;
			out[n].seg = i;
			/* Spread capped rows evenly over the segment. */
			out[n].addr = s->start + (rows > 1 ? s->size / rows * k : 0);
			out[n].first = !k;
		}
	}
	return n;
}

const char *tui_seg_kind_name(enum tui_seg_kind kind)
{
	switch (kind) {
	case TUI_SEG_RAM:
		return "RAM";
	case TUI_SEG_IO:
		return "I/O";
	case TUI_SEG_IVSHMEM:
		return "ivshmem";
	case TUI_SEG_HYPERVISOR:
		return "hypervisor";
	case TUI_SEG_COMM:
		return "comm";
	case TUI_SEG_GAP:
		return "gap";
	}
	return "?";
}
