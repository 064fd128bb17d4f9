// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Validation of a set of configs that would be loaded together: one
 * system config and any number of cell configs.
 *
 * Every finding names the file, the JSON path of the offending object and,
 * for conflicts, the other object (with its file when that differs) and
 * both ranges. The rules, and the decisions behind them:
 *
 * - Memory regions of one cell must not overlap, physically or in the
 *   cell's address space (checked separately). Comm regions have no
 *   physical range; regions of size 0 (the empty read/write entry of an
 *   ivshmem layout) take no space.
 * - No region of any cell, root included, may touch hypervisor memory.
 * - Every physical byte of a non-root region must lie within the union of
 *   the root cell's regions (comm regions excepted). ROOTSHARED does not
 *   exempt a region: it only says whether the root keeps its mapping, and
 *   sharing presupposes that the root has the memory in the first place.
 * - Non-root CPUs must be in the root cell's set (that set is the system)
 *   and belong to one non-root cell only; a cell needs at least one CPU;
 *   on x86, CPU 0 cannot leave the root cell. cpu_set_size <= 4096.
 * - Interrupts: pin_base a multiple of 32; on ARM, only SPIs (INTID
 *   32..1019, the architectural maximum, as the GIC's actual line count
 *   is not known offline) and irqchips at the GIC distributor; non-root
 *   IRQs must be owned by the root cell and by one non-root cell only.
 *   An irqchip at address 0 is an unused slot, as upstream treats it; it
 *   must hold no interrupts.
 * - ivshmem: devices with the same bdf in different cells form one link
 *   (the domain may differ). Per device: 1 to 12 peers, a dev id below
 *   upstream's maximum of 12 (a dev id at or above shmem_peers is a peer
 *   without an output section, as upstream and our hypervisor allow),
 *   2 + peers consecutive existing regions (a state table that is not
 *   empty, not I/O, read-only and holds the peer's slot; output k
 *   writable exactly for dev id k, where it is not empty; outputs of one
 *   size; sections back to back in the cell's address space), rootshared
 *   regions when the root cell is a peer, and on ARM the INTx interrupt
 *   in the cell's irqchips. Per link: the same peer count, the same
 *   physical sections, dev ids unique.
 * - Comm regions have no physical address and are never loadable, I/O
 *   or rootshared (config_comm_problem()).
 * - Regions the hypervisor keeps for itself: no non-root region may
 *   overlap the GIC distributor, the redistributors (0x20000 per CPU of
 *   the system, from gicr_base), the frames between distributor and
 *   redistributors on GICv3 (ITS; the format has no ITS base, so the span
 *   gicd_base + 64K .. gicr_base stands for it when it is under 16 MiB),
 *   the PCI ECAM window (pci_mmconfig_base, 1 MiB per bus), an IOMMU unit
 *   or the debug UART; no root region may cover the distributor, the
 *   redistributors or the ECAM window (the root may share the UART).
 * - Non-root cells' memory: two cells' regions may overlap only where
 *   both are rootshared, as the hypervisor decides (EBUSY otherwise).
 * - Cell names: 1..31 bytes of printable UTF-8 (no control characters),
 *   unique across the set.
 * - Flags without a meaning (memory, cell, system, console, cache, PCI
 *   capability) and console types past the last known one.
 * - A non-root cell config must fit the hypervisor's 16-page limit (the
 *   root cell travels inside the system config and has no such limit).
 * - Every cell config has the system's architecture.
 *
 * The memory checks sort the regions once, so a cell of n regions costs
 * O(n log n). Findings come out grouped by file, in the order the files
 * were given (system first), then by JSON path in natural order.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hvabi/cell-config.h>
#include <hvctl/config.h>

#include "config_internal.h"

#define MEM_FLAGS_KNOWN							\
	(HV_MEM_READ | HV_MEM_WRITE | HV_MEM_EXECUTE | HV_MEM_DMA |	\
	 HV_MEM_IO | HV_MEM_COMM_REGION | HV_MEM_LOADABLE |		\
	 HV_MEM_ROOTSHARED | HV_MEM_NO_HUGEPAGES | HV_MEM_IO_UNALIGNED |	\
	 HV_MEM_IO_8 | HV_MEM_IO_16 | HV_MEM_IO_32 | HV_MEM_IO_64)
#define CELL_FLAGS_KNOWN						\
	(HV_CELL_PASSIVE_COMMREG | HV_CELL_TEST_DEVICE | HV_CELL_AARCH32 | \
	 HV_CELL_VIRTUAL_CONSOLE_PERMITTED | HV_CELL_VIRTUAL_CONSOLE_ACTIVE)
#define SYS_FLAGS_KNOWN		HV_SYS_VIRTUAL_DEBUG_CONSOLE
#define CON_FLAGS_KNOWN							\
	(HV_CON_ACCESS_MMIO | HV_CON_REGDIST_4 | HV_CON_FB_1920x1080 |	\
	 HV_CON_INVERTED_GATE | HV_CON_MDR_QUIRK)
#define CACHE_FLAGS_KNOWN	HV_CACHE_ROOTSHARED
#define PCICAP_FLAGS_KNOWN	HV_PCICAPS_WRITE

/* ARM: interrupts a cell can own are the SPIs. */
#define GIC_SPI_FIRST		32
#define GIC_SPI_LAST		1019
/* Interrupt numbers tracked for ownership (all a GIC can have). */
#define IRQ_MAP_BITS		1024

/* One input file, with what messages need to name things in it. */
struct chk_file {
	const struct hvctl_config *cfg;
	const struct hv_cell_desc *cell;
	const char *name;
	const char *prefix;	/* "root_cell." for the system, else "" */
	bool is_root;
};

/* A finding while checking runs; file is the index for sorting. */
struct chk_item {
	size_t file;
	char *path;
	char *message;
};

struct checker {
	struct chk_file *files;
	size_t num_files;
	const struct hv_system *sys;
	bool arm;
	struct chk_item *items;
	size_t num_items;
	size_t cap_items;
	int err;
};

/* A growing string; any allocation failure sticks and is seen at the end. */
struct sbuf {
	char *buf;
	size_t len;
	size_t cap;
	bool failed;
};

static void sb_vprintf(struct sbuf *sb, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));
static void sb_printf(struct sbuf *sb, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void sb_vprintf(struct sbuf *sb, const char *fmt, va_list ap)
{
	va_list aq;
	int n;

	if (sb->failed)
		return;
	va_copy(aq, ap);
	n = vsnprintf(sb->buf ? sb->buf + sb->len : NULL,
		      sb->buf ? sb->cap - sb->len : 0, fmt, aq);
	va_end(aq);
	if (n < 0) {
		sb->failed = true;
		return;
	}
	if (!sb->buf || sb->len + (size_t)n + 1 > sb->cap) {
		if (hvctl_grow(&sb->buf, &sb->cap, sb->len + (size_t)n + 1, 1)) {
			sb->failed = true;
			return;
		}
		vsnprintf(sb->buf + sb->len, sb->cap - sb->len, fmt, ap);
	}
	sb->len += (size_t)n;
}

static void sb_printf(struct sbuf *sb, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	sb_vprintf(sb, fmt, ap);
	va_end(ap);
}

static void sb_reset(struct sbuf *sb)
{
	free(sb->buf);
	memset(sb, 0, sizeof(*sb));
}

/* Record a finding; takes the texts of path and msg (both are reset). */
static void report(struct checker *ck, size_t file, struct sbuf *path,
		   struct sbuf *msg)
{
	struct chk_item *it;

	if (path->failed || msg->failed || !path->buf || !msg->buf) {
		ck->err = -ENOMEM;
		goto out;
	}
	if (hvctl_grow(&ck->items, &ck->cap_items, ck->num_items + 1,
		       sizeof(*ck->items))) {
		ck->err = -ENOMEM;
		goto out;
	}
	it = &ck->items[ck->num_items++];
	it->file = file;
	it->path = path->buf;
	it->message = msg->buf;
	memset(path, 0, sizeof(*path));
	memset(msg, 0, sizeof(*msg));
	return;
out:
	sb_reset(path);
	sb_reset(msg);
}

/* Start the path and the message of a finding with the same text. */
static void begin(struct sbuf *path, struct sbuf *msg, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void begin(struct sbuf *path, struct sbuf *msg, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	sb_vprintf(path, fmt, ap);
	va_end(ap);
	if (!path->failed)
		sb_printf(msg, "%s", path->buf);
}

/* "other.json: " when an object lives in another file than the finding. */
static void sb_where(struct sbuf *sb, const struct checker *ck, size_t here,
		     size_t there)
{
	if (here != there)
		sb_printf(sb, "%s: ", ck->files[there].name);
}

/* ---- memory regions ---- */

static const struct hv_memory *region(const struct chk_file *f, uint32_t i)
{
	return &f->cfg->mem[i];
}

static const char *region_name(const struct chk_file *f, uint32_t i)
{
	if (!f->cfg->mem_names)
		return NULL;
	return f->cfg->mem_names[i];
}

static bool region_wraps(const struct hv_memory *m, bool virt)
{
	uint64_t start = virt ? m->virt_start : m->phys_start;

	return m->size && start + (m->size - 1) < start;
}

static bool is_comm(const struct hv_memory *m)
{
	return m->flags & HV_MEM_COMM_REGION;
}

/* ("ram", phys 0x7f000000-0x7f0fffff): the details after a region's path. */
static void sb_region_detail(struct sbuf *sb, const struct chk_file *f,
			     uint32_t i, bool virt)
{
	const struct hv_memory *m = region(f, i);
	const char *name = region_name(f, i);
	uint64_t start = virt ? m->virt_start : m->phys_start;
	const char *space = virt ? "virt" : "phys";

	sb_printf(sb, " (");
	if (name)
		sb_printf(sb, "\"%s\", ", name);
	if (!m->size)
		sb_printf(sb, "empty)");
	else if (region_wraps(m, virt))
		sb_printf(sb, "%s 0x%" PRIx64 " size 0x%" PRIx64 ")", space,
			  start, m->size);
	else
		sb_printf(sb, "%s 0x%" PRIx64 "-0x%" PRIx64 ")", space, start,
			  start + m->size - 1);
}

/* memory_regions[3] ("ram", phys ...), in the file of the finding or not. */
static void sb_region(struct sbuf *sb, const struct checker *ck, size_t here,
		      size_t there, uint32_t i, bool virt)
{
	sb_where(sb, ck, here, there);
	sb_printf(sb, "%smemory_regions[%" PRIu32 "]", ck->files[there].prefix,
		  i);
	sb_region_detail(sb, &ck->files[there], i, virt);
}

/* An inclusive address range of one region, for sorting. */
struct span {
	uint64_t start;
	uint64_t end;
	uint32_t idx;
};

static int span_cmp(const void *a, const void *b)
{
	const struct span *x = a, *y = b;

	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	if (x->end != y->end)
		return x->end < y->end ? -1 : 1;
	return x->idx < y->idx ? -1 : x->idx > y->idx;
}

/*
 * Collect the ranges of a file's regions that take space in one address
 * space, sorted by start. Returns the count, or -ENOMEM.
 */
static long collect_spans(const struct chk_file *f, bool virt,
			  struct span **out)
{
	uint32_t n = f->cell->num_memory_regions, i;
	struct span *s;
	long count = 0;

	*out = NULL;
	if (!n)
		return 0;
	s = malloc((size_t)n * sizeof(*s));
	if (!s)
		return -ENOMEM;
	for (i = 0; i < n; i++) {
		const struct hv_memory *m = region(f, i);
		uint64_t start = virt ? m->virt_start : m->phys_start;

		if (!m->size || region_wraps(m, virt))
			continue;
		if (!virt && is_comm(m))
			continue;
		s[count].start = start;
		s[count].end = start + m->size - 1;
		s[count].idx = i;
		count++;
	}
	qsort(s, (size_t)count, sizeof(*s), span_cmp);
	*out = s;
	return count;
}

static void check_wrap(struct checker *ck, size_t fi)
{
	const struct chk_file *f = &ck->files[fi];
	uint32_t i;

	for (i = 0; i < f->cell->num_memory_regions; i++) {
		const struct hv_memory *m = region(f, i);
		bool phys = !is_comm(m) && region_wraps(m, false);
		bool virt = region_wraps(m, true);
		struct sbuf path = {0}, msg = {0};

		if (!phys && !virt)
			continue;
		begin(&path, &msg, "%smemory_regions[%" PRIu32 "]", f->prefix,
		      i);
		sb_region_detail(&msg, f, i, !phys);
		sb_printf(&msg, " runs past the end of the 64-bit %s address space",
			  phys ? "physical" : "virtual");
		report(ck, fi, &path, &msg);
	}
}

/*
 * Sweep the sorted ranges keeping the one that reaches furthest: every
 * region that overlaps an earlier one is reported once, naming the region
 * it collides with. Sorting makes this O(n log n).
 */
static void check_overlaps(struct checker *ck, size_t fi, bool virt)
{
	const struct chk_file *f = &ck->files[fi];
	struct span *s, far;
	long n, i;

	n = collect_spans(f, virt, &s);
	if (n < 0) {
		ck->err = (int)n;
		return;
	}
	if (n > 0)
		far = s[0];
	for (i = 1; i < n; i++) {
		if (s[i].start <= far.end) {
			uint32_t hi = s[i].idx > far.idx ? s[i].idx : far.idx;
			uint32_t lo = s[i].idx > far.idx ? far.idx : s[i].idx;
			struct sbuf path = {0}, msg = {0};

			begin(&path, &msg, "%smemory_regions[%" PRIu32 "]",
			      f->prefix, hi);
			sb_region_detail(&msg, f, hi, virt);
			sb_printf(&msg, " overlaps ");
			sb_region(&msg, ck, fi, fi, lo, virt);
			report(ck, fi, &path, &msg);
		}
		if (s[i].end > far.end)
			far = s[i];
	}
	free(s);
}

static void check_hv_memory(struct checker *ck, size_t fi)
{
	const struct chk_file *f = &ck->files[fi];
	const struct hv_memory *hv = &ck->sys->hypervisor_memory;
	uint64_t hv_end;
	uint32_t i;

	if (!hv->size || region_wraps(hv, false))
		return;
	hv_end = hv->phys_start + hv->size - 1;
	for (i = 0; i < f->cell->num_memory_regions; i++) {
		const struct hv_memory *m = region(f, i);
		struct sbuf path = {0}, msg = {0};

		if (!m->size || is_comm(m) || region_wraps(m, false))
			continue;
		if (m->phys_start > hv_end ||
		    m->phys_start + m->size - 1 < hv->phys_start)
			continue;
		begin(&path, &msg, "%smemory_regions[%" PRIu32 "]", f->prefix,
		      i);
		sb_region_detail(&msg, f, i, false);
		sb_printf(&msg, " overlaps ");
		sb_where(&msg, ck, fi, 0);
		sb_printf(&msg, "hypervisor_memory (phys 0x%" PRIx64 "-0x%" PRIx64
			  ")", hv->phys_start, hv_end);
		report(ck, fi, &path, &msg);
	}
}

/* Sorted, disjoint, non-adjacent physical ranges of the root cell. */
struct backing {
	struct span *iv;
	long count;
};

static int build_backing(const struct checker *ck, struct backing *b)
{
	struct span *s;
	long n, i, out = 0;

	n = collect_spans(&ck->files[0], false, &s);
	if (n < 0)
		return (int)n;
	for (i = 0; i < n; i++) {
		if (out && (s[out - 1].end == UINT64_MAX ||
			    s[i].start <= s[out - 1].end + 1)) {
			if (s[i].end > s[out - 1].end)
				s[out - 1].end = s[i].end;
			continue;
		}
		s[out++] = s[i];
	}
	b->iv = s;
	b->count = out;
	return 0;
}

/*
 * The first part of [start, end] that no backing range covers: 0 and the
 * part in *gap_start and *gap_end, or 1 if all of it is covered.
 */
static int backing_gap(const struct backing *b, uint64_t start, uint64_t end,
		       uint64_t *gap_start, uint64_t *gap_end)
{
	long lo = 0, hi = b->count;

	/* Find the last range that starts at or before start. */
	while (lo < hi) {
		long mid = lo + (hi - lo) / 2;

		if (b->iv[mid].start <= start)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo > 0 && b->iv[lo - 1].end >= start) {
		if (b->iv[lo - 1].end >= end)
			return 1;
		*gap_start = b->iv[lo - 1].end + 1;
	} else {
		*gap_start = start;
	}
	/* The gap ends where the next range begins, or with the region. */
	*gap_end = end;
	if (lo < b->count && b->iv[lo].start - 1 < end)
		*gap_end = b->iv[lo].start - 1;
	return 0;
}

static void check_backing(struct checker *ck, size_t fi,
			  const struct backing *b)
{
	const struct chk_file *f = &ck->files[fi];
	uint32_t i;

	for (i = 0; i < f->cell->num_memory_regions; i++) {
		const struct hv_memory *m = region(f, i);
		struct sbuf path = {0}, msg = {0};
		uint64_t gs, ge;

		if (!m->size || is_comm(m) || region_wraps(m, false))
			continue;
		if (backing_gap(b, m->phys_start, m->phys_start + m->size - 1,
				&gs, &ge))
			continue;
		begin(&path, &msg, "%smemory_regions[%" PRIu32 "]", f->prefix,
		      i);
		sb_region_detail(&msg, f, i, false);
		sb_printf(&msg, " is not backed by root-cell memory: phys 0x%"
			  PRIx64 "-0x%" PRIx64 " is outside every region of ",
			  gs, ge);
		sb_where(&msg, ck, fi, 0);
		sb_printf(&msg, "root_cell.memory_regions");
		report(ck, fi, &path, &msg);
	}
}

static void check_comm(struct checker *ck, size_t fi)
{
	const struct chk_file *f = &ck->files[fi];
	uint32_t i;

	for (i = 0; i < f->cell->num_memory_regions; i++) {
		struct sbuf path = {0}, msg = {0};
		const char *field, *why;

		why = config_comm_problem(region(f, i), &field);
		if (!why)
			continue;
		begin(&path, &msg, "%smemory_regions[%" PRIu32 "].%s", f->prefix,
		      i, field);
		sb_region_detail(&msg, f, i, true);
		sb_printf(&msg, ": %s", why);
		report(ck, fi, &path, &msg);
	}
}

/* A physical range the hypervisor keeps for itself. */
struct reserved {
	uint64_t start;
	uint64_t end;		/* inclusive */
	const char *what;	/* "the GIC distributor" */
	const char *field;	/* where the system config says so */
	bool root_too;		/* the root cell may not map it either */
};

#define MAX_RESERVED	(4 + HV_MAX_IOMMU_UNITS + 1)
#define GICD_V2_SIZE	0x1000ull
#define GICD_V3_SIZE	0x10000ull
#define GICR_PER_CPU	0x20000ull
/* Above this, the gap before the redistributors is not the GIC's. */
#define GIC_GAP_MAX	(16ull << 20)

static void add_reserved(struct reserved *r, size_t *n, uint64_t start,
			 uint64_t size, const char *what, const char *field,
			 bool root_too)
{
	if (!size || start + (size - 1) < start)
		return;
	r[*n].start = start;
	r[*n].end = start + size - 1;
	r[*n].what = what;
	r[*n].field = field;
	r[*n].root_too = root_too;
	(*n)++;
}

static uint32_t cpu_bytes(const struct chk_file *f);

/* CPUs of the system: the highest CPU of the root cell's set, plus one. */
static uint64_t system_cpus(const struct checker *ck)
{
	const struct chk_file *root = &ck->files[0];
	uint32_t b = cpu_bytes(root);

	while (b > 0 && !root->cfg->cpu_set[b - 1])
		b--;
	if (!b)
		return 0;
	return (uint64_t)(b - 1) * 8 + 32 -
	       (uint64_t)__builtin_clz(root->cfg->cpu_set[b - 1]);
}

static size_t build_reserved(const struct checker *ck, struct reserved *r)
{
	const struct hv_platform_info *pi = &ck->sys->platform_info;
	const struct hv_console *con = &ck->sys->debug_console;
	size_t n = 0;
	unsigned int k;

	if (ck->arm && pi->arm.gicd_base) {
		bool v3 = pi->arm.gic_version >= 3;

		add_reserved(r, &n, pi->arm.gicd_base,
			     v3 ? GICD_V3_SIZE : GICD_V2_SIZE,
			     "the GIC distributor", "platform_info.arm.gicd_base",
			     true);
		if (v3 && pi->arm.gicr_base > pi->arm.gicd_base + GICD_V3_SIZE &&
		    pi->arm.gicr_base - pi->arm.gicd_base <= GIC_GAP_MAX)
			add_reserved(r, &n, pi->arm.gicd_base + GICD_V3_SIZE,
				     pi->arm.gicr_base - pi->arm.gicd_base -
				     GICD_V3_SIZE,
				     "the GIC's ITS and other frames before the redistributors",
				     "platform_info.arm.gicd_base..gicr_base",
				     false);
	}
	if (ck->arm && pi->arm.gic_version >= 3 && pi->arm.gicr_base)
		add_reserved(r, &n, pi->arm.gicr_base,
			     GICR_PER_CPU * system_cpus(ck),
			     "the GIC redistributors",
			     "platform_info.arm.gicr_base + 0x20000 per CPU", true);
	if (pi->pci_mmconfig_base)
		add_reserved(r, &n, pi->pci_mmconfig_base,
			     ((uint64_t)pi->pci_mmconfig_end_bus + 1) << 20,
			     "the PCI ECAM window",
			     "platform_info.pci_mmconfig_base + 1 MiB per bus", true);
	for (k = 0; k < HV_MAX_IOMMU_UNITS; k++) {
		static const char *const fields[HV_MAX_IOMMU_UNITS] = {
			"platform_info.iommu_units[0]", "platform_info.iommu_units[1]",
			"platform_info.iommu_units[2]", "platform_info.iommu_units[3]",
			"platform_info.iommu_units[4]", "platform_info.iommu_units[5]",
			"platform_info.iommu_units[6]", "platform_info.iommu_units[7]",
		};
		const struct hv_iommu *u = &pi->iommu_units[k];

		if (u->type != HV_IOMMU_UNUSED && u->base)
			add_reserved(r, &n, u->base, u->size, "an IOMMU unit",
				     fields[k], false);
	}
	/* A port-I/O console (x86) takes no memory. */
	if (con->type != HV_CON_TYPE_NONE && con->address &&
	    (ck->arm || (con->flags & HV_CON_ACCESS_MMIO)))
		add_reserved(r, &n, con->address, con->size ? con->size : 1,
			     "the hypervisor's debug UART", "debug_console",
			     false);
	return n;
}

static void check_reserved(struct checker *ck, size_t fi,
			   const struct reserved *r, size_t nr)
{
	const struct chk_file *f = &ck->files[fi];
	uint32_t i;
	size_t k;

	for (i = 0; i < f->cell->num_memory_regions; i++) {
		const struct hv_memory *m = region(f, i);
		uint64_t end;

		if (!m->size || is_comm(m) || region_wraps(m, false))
			continue;
		end = m->phys_start + m->size - 1;
		for (k = 0; k < nr; k++) {
			struct sbuf path = {0}, msg = {0};

			if ((f->is_root && !r[k].root_too) ||
			    m->phys_start > r[k].end || end < r[k].start)
				continue;
			begin(&path, &msg, "%smemory_regions[%" PRIu32 "]",
			      f->prefix, i);
			sb_region_detail(&msg, f, i, false);
			sb_printf(&msg, " overlaps %s (", r[k].what);
			sb_where(&msg, ck, fi, 0);
			sb_printf(&msg, "%s: phys 0x%" PRIx64 "-0x%" PRIx64
				  "), which %s", r[k].field, r[k].start, r[k].end,
				  f->is_root ? "the hypervisor intercepts: the root cell may not map it" :
				  "the hypervisor keeps: no non-root cell may map it");
			report(ck, fi, &path, &msg);
		}
	}
}

/* A region of some non-root cell, for the sweep across cells. */
struct xspan {
	uint64_t start;
	uint64_t end;
	size_t file;
	uint32_t idx;
	bool exclusive;
};

static int xspan_cmp(const void *a, const void *b)
{
	const struct xspan *x = a, *y = b;

	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	if (x->file != y->file)
		return x->file < y->file ? -1 : 1;
	if (x->end != y->end)
		return x->end < y->end ? -1 : 1;
	return x->idx < y->idx ? -1 : x->idx > y->idx;
}

/* The two spans reaching furthest, from two different files. */
struct reach {
	const struct xspan *best;
	const struct xspan *other;	/* best of any other file */
};

static void reach_add(struct reach *r, const struct xspan *s)
{
	if (!r->best || s->end > r->best->end) {
		if (r->best && r->best->file != s->file)
			r->other = r->best;
		else if (r->other && r->other->file == s->file)
			r->other = NULL;
		r->best = s;
	} else if (s->file != r->best->file &&
		   (!r->other || s->end > r->other->end)) {
		r->other = s;
	}
}

/* A span of reach from another file than s that overlaps s, or NULL. */
static const struct xspan *reach_hit(const struct reach *r,
				     const struct xspan *s)
{
	if (r->best && r->best->file != s->file && r->best->end >= s->start)
		return r->best;
	if (r->other && r->other->end >= s->start)
		return r->other;
	return NULL;
}

/*
 * Two non-root cells may share memory only where both regions are
 * rootshared (as the hypervisor decides on create). One sweep over all
 * their regions sorted by start: each region is compared with the
 * furthest-reaching earlier one of another cell (any, if it is exclusive
 * itself; else an exclusive one), so the cost is O(n log n).
 */
static void check_cross_cell(struct checker *ck)
{
	struct reach any = {0}, excl = {0};
	struct xspan *s;
	size_t n = 0, fi, i;

	for (fi = 1; fi < ck->num_files; fi++)
		n += ck->files[fi].cell->num_memory_regions;
	if (!n)
		return;
	s = malloc(n * sizeof(*s));
	if (!s) {
		ck->err = -ENOMEM;
		return;
	}
	n = 0;
	for (fi = 1; fi < ck->num_files; fi++) {
		const struct chk_file *f = &ck->files[fi];
		uint32_t k;

		for (k = 0; k < f->cell->num_memory_regions; k++) {
			const struct hv_memory *m = region(f, k);

			if (!m->size || is_comm(m) || region_wraps(m, false))
				continue;
			s[n].start = m->phys_start;
			s[n].end = m->phys_start + m->size - 1;
			s[n].file = fi;
			s[n].idx = k;
			s[n].exclusive = !(m->flags & HV_MEM_ROOTSHARED);
			n++;
		}
	}
	qsort(s, n, sizeof(*s), xspan_cmp);
	for (i = 0; i < n; i++) {
		const struct xspan *hit = reach_hit(&excl, &s[i]);
		struct sbuf path = {0}, msg = {0};

		if (!hit && s[i].exclusive)
			hit = reach_hit(&any, &s[i]);
		if (hit) {
			begin(&path, &msg, "memory_regions[%" PRIu32 "]", s[i].idx);
			sb_region_detail(&msg, &ck->files[s[i].file], s[i].idx,
					 false);
			sb_printf(&msg, " overlaps ");
			sb_region(&msg, ck, s[i].file, hit->file, hit->idx, false);
			sb_printf(&msg, ": cells may share memory only where both regions are rootshared");
			report(ck, s[i].file, &path, &msg);
		}
		reach_add(&any, &s[i]);
		if (s[i].exclusive)
			reach_add(&excl, &s[i]);
	}
	free(s);
}

/* ---- CPUs ---- */

static bool cpu_in(const struct chk_file *f, uint64_t cpu)
{
	uint32_t size = f->cell->cpu_set_size;

	if (size > HV_CPU_SET_MAX_SIZE)
		size = HV_CPU_SET_MAX_SIZE;
	return cpu / 8 < size && (f->cfg->cpu_set[cpu / 8] >> (cpu % 8)) & 1;
}

/* The bytes of a CPU set the checks look at (the hypervisor's limit). */
static uint32_t cpu_bytes(const struct chk_file *f)
{
	uint32_t size = f->cell->cpu_set_size;

	return size > HV_CPU_SET_MAX_SIZE ? HV_CPU_SET_MAX_SIZE : size;
}

static void sb_bitmap(struct sbuf *sb, const uint8_t *bits, size_t bytes,
		      uint64_t base)
{
	int n = config_bitmap_format(NULL, 0, bits, bytes, base);
	char *text;

	if (n < 0) {
		sb->failed = true;
		return;
	}
	text = malloc((size_t)n + 1);
	if (!text) {
		sb->failed = true;
		return;
	}
	config_bitmap_format(text, (size_t)n + 1, bits, bytes, base);
	sb_printf(sb, "%s", text);
	free(text);
}

/*
 * "CPU 3 is" or "CPUs 3-4,6 are" for a bitmap known to be non-empty
 * (one: the singular noun; plural adds "s").
 */
static void sb_numbers(struct sbuf *sb, const char *one, const uint8_t *bits,
		       size_t bytes, uint64_t base)
{
	size_t i, count = 0;

	for (i = 0; i < bytes && count < 2; i++)
		count += (size_t)__builtin_popcount(bits[i]);
	sb_printf(sb, "%s%s ", one, count == 1 ? "" : "s");
	sb_bitmap(sb, bits, bytes, base);
	sb_printf(sb, "%s", count == 1 ? " is" : " are");
}

static void sb_cpu_set(struct sbuf *sb, const struct chk_file *f)
{
	sb_bitmap(sb, f->cfg->cpu_set, cpu_bytes(f), 0);
}

static void check_cpus(struct checker *ck)
{
	const struct chk_file *root = &ck->files[0];
	size_t fi, fj;
	uint8_t *tmp;

	tmp = malloc(HV_CPU_SET_MAX_SIZE);
	if (!tmp) {
		ck->err = -ENOMEM;
		return;
	}
	for (fi = 0; fi < ck->num_files; fi++) {
		const struct chk_file *f = &ck->files[fi];
		uint32_t bytes = cpu_bytes(f), b;
		struct sbuf path = {0}, msg = {0};
		bool any = false, outside = false;

		if (f->cell->cpu_set_size > HV_CPU_SET_MAX_SIZE) {
			begin(&path, &msg, "%scpu_set_size", f->prefix);
			sb_printf(&msg, " (%" PRIu32 " bytes) is over the hypervisor's limit of %d bytes",
				  f->cell->cpu_set_size, HV_CPU_SET_MAX_SIZE);
			report(ck, fi, &path, &msg);
		}
		for (b = 0; b < bytes; b++) {
			uint8_t v = f->cfg->cpu_set[b];
			uint8_t out = 0;
			unsigned int k;

			any |= v != 0;
			for (k = 0; k < 8 && !f->is_root; k++)
				if ((v >> k & 1) && !cpu_in(root, b * 8 + k))
					out |= 1u << k;
			tmp[b] = out;
			outside |= out != 0;
		}
		if (!any) {
			begin(&path, &msg, "%scpu_set", f->prefix);
			sb_printf(&msg, " is empty: the cell has no CPU");
			report(ck, fi, &path, &msg);
			continue;
		}
		if (f->is_root)
			continue;
		if (outside) {
			begin(&path, &msg, "cpu_set");
			sb_printf(&msg, " (");
			sb_cpu_set(&msg, f);
			sb_printf(&msg, "): ");
			sb_numbers(&msg, "CPU", tmp, bytes, 0);
			sb_printf(&msg, " not in the system (%s: root_cell.cpu_set ",
				  root->name);
			sb_cpu_set(&msg, root);
			sb_printf(&msg, ")");
			report(ck, fi, &path, &msg);
		}
		if (ck->sys->architecture == HV_ARCH_X86 &&
		    (f->cfg->cpu_set[0] & 1)) {
			begin(&path, &msg, "cpu_set");
			sb_printf(&msg, " (");
			sb_cpu_set(&msg, f);
			sb_printf(&msg, "): CPU 0 cannot leave the root cell on x86");
			report(ck, fi, &path, &msg);
		}
		/* Claimed before by another non-root cell (earlier in order). */
		for (fj = 1; fj < fi; fj++) {
			const struct chk_file *g = &ck->files[fj];
			uint32_t common = bytes < cpu_bytes(g) ? bytes : cpu_bytes(g);
			bool clash = false;

			for (b = 0; b < common; b++) {
				tmp[b] = f->cfg->cpu_set[b] & g->cfg->cpu_set[b];
				clash |= tmp[b] != 0;
			}
			if (!clash)
				continue;
			begin(&path, &msg, "cpu_set");
			sb_printf(&msg, " (");
			sb_cpu_set(&msg, f);
			sb_printf(&msg, "): ");
			sb_numbers(&msg, "CPU", tmp, common, 0);
			sb_printf(&msg, " also claimed by %s: cpu_set (", g->name);
			sb_cpu_set(&msg, g);
			sb_printf(&msg, ")");
			report(ck, fi, &path, &msg);
		}
	}
	free(tmp);
}

/* ---- interrupts ---- */

/* Who owns each interrupt of one irqchip address, for the whole set. */
struct irq_map {
	uint64_t address;
	uint8_t root[IRQ_MAP_BITS / 8];
	/* First non-root claimer: file index (0 = none) and irqchip index. */
	uint32_t owner_file[IRQ_MAP_BITS];
	uint32_t owner_chip[IRQ_MAP_BITS];
};

struct irq_maps {
	struct irq_map *maps;
	size_t count;
};

static struct irq_map *irq_map_get(struct irq_maps *im, uint64_t address,
				   bool create)
{
	struct irq_map *p;
	size_t i;

	for (i = 0; i < im->count; i++)
		if (im->maps[i].address == address)
			return &im->maps[i];
	if (!create)
		return NULL;
	p = realloc(im->maps, (im->count + 1) * sizeof(*p));
	if (!p)
		return NULL;
	im->maps = p;
	p = &im->maps[im->count++];
	memset(p, 0, sizeof(*p));
	p->address = address;
	return p;
}

static bool chip_has(const struct hv_irqchip *c, uint64_t k)
{
	return (c->pin_bitmap[k / 32] >> (k % 32)) & 1;
}

static void sb_chip(struct sbuf *sb, const struct checker *ck, size_t here,
		    size_t there, uint32_t k)
{
	const struct chk_file *f = &ck->files[there];
	const struct hv_irqchip *c = &f->cfg->irqchips[k];

	sb_where(sb, ck, here, there);
	sb_printf(sb, "%sirqchips[%" PRIu32 "] (address 0x%" PRIx64
		  ", pin_base %" PRIu32 ")", f->prefix, k, c->address,
		  c->pin_base);
}

/* Start a finding about irqchip k of file fi: "irqchips[k] (...): ". */
static void begin_chip(struct checker *ck, size_t fi, uint32_t k,
		       struct sbuf *path, struct sbuf *msg)
{
	sb_printf(path, "%sirqchips[%" PRIu32 "]", ck->files[fi].prefix, k);
	sb_chip(msg, ck, fi, fi, k);
	sb_printf(msg, ": ");
}

static void check_irqchip_shape(struct checker *ck, size_t fi)
{
	const struct chk_file *f = &ck->files[fi];
	uint64_t gicd = ck->sys->platform_info.arm.gicd_base;
	uint32_t k;

	for (k = 0; k < f->cell->num_irqchips; k++) {
		const struct hv_irqchip *c = &f->cfg->irqchips[k];
		uint8_t out[HV_IRQCHIP_PINS / 8] = {0};
		struct sbuf path = {0}, msg = {0};
		bool any = false;
		unsigned int p;

		if (!c->address) {
			/* An unused slot, as upstream configs have them. */
			for (p = 0; p < HV_IRQCHIP_PINS / 32; p++)
				any |= c->pin_bitmap[p] != 0;
			if (any) {
				begin_chip(ck, fi, k, &path, &msg);
				sb_printf(&msg, "interrupts in an unused slot (address 0) belong to no interrupt controller");
				report(ck, fi, &path, &msg);
			}
			continue;
		}
		if (c->pin_base % 32) {
			begin_chip(ck, fi, k, &path, &msg);
			sb_printf(&msg, "pin_base is not a multiple of 32");
			report(ck, fi, &path, &msg);
		}
		if (!ck->arm)
			continue;
		if (gicd && c->address != gicd) {
			begin_chip(ck, fi, k, &path, &msg);
			sb_printf(&msg, "address is not the GIC distributor (");
			sb_where(&msg, ck, fi, 0);
			sb_printf(&msg, "platform_info.arm.gicd_base 0x%" PRIx64
				  ")", gicd);
			report(ck, fi, &path, &msg);
		}
		for (p = 0; p < HV_IRQCHIP_PINS; p++) {
			uint64_t irq = (uint64_t)c->pin_base + p;

			if (chip_has(c, p) &&
			    (irq < GIC_SPI_FIRST || irq > GIC_SPI_LAST)) {
				out[p / 8] |= 1u << (p % 8);
				any = true;
			}
		}
		if (any) {
			begin_chip(ck, fi, k, &path, &msg);
			sb_numbers(&msg, "IRQ", out, sizeof(out),
				   c->pin_base);
			sb_printf(&msg, " outside the GIC's SPI range %d-%d",
				  GIC_SPI_FIRST, GIC_SPI_LAST);
			report(ck, fi, &path, &msg);
		}
	}
}

/* An interrupt of a non-root irqchip that some earlier cell owns. */
struct irq_clash {
	uint32_t owner_file;
	uint32_t owner_chip;
	uint32_t pin;
};

static int clash_cmp(const void *a, const void *b)
{
	const struct irq_clash *x = a, *y = b;

	if (x->owner_file != y->owner_file)
		return x->owner_file < y->owner_file ? -1 : 1;
	if (x->owner_chip != y->owner_chip)
		return x->owner_chip < y->owner_chip ? -1 : 1;
	return x->pin < y->pin ? -1 : x->pin > y->pin;
}

static void check_irq_owners(struct checker *ck)
{
	const struct chk_file *root = &ck->files[0];
	struct irq_maps im = {0};
	size_t fi;
	uint32_t k;

	for (k = 0; k < root->cell->num_irqchips; k++) {
		const struct hv_irqchip *c = &root->cfg->irqchips[k];
		struct irq_map *m = irq_map_get(&im, c->address, true);
		unsigned int p;

		if (!m) {
			ck->err = -ENOMEM;
			goto out;
		}
		for (p = 0; p < HV_IRQCHIP_PINS; p++) {
			uint64_t irq = (uint64_t)c->pin_base + p;

			if (chip_has(c, p) && irq < IRQ_MAP_BITS)
				m->root[irq / 8] |= 1u << (irq % 8);
		}
	}
	for (fi = 1; fi < ck->num_files; fi++) {
		const struct chk_file *f = &ck->files[fi];
		uint64_t gicd = ck->sys->platform_info.arm.gicd_base;

		for (k = 0; k < f->cell->num_irqchips; k++) {
			const struct hv_irqchip *c = &f->cfg->irqchips[k];
			struct irq_map *m = irq_map_get(&im, c->address, false);
			uint8_t unowned[HV_IRQCHIP_PINS / 8] = {0};
			struct irq_clash clash[HV_IRQCHIP_PINS];
			struct sbuf path = {0}, msg = {0};
			unsigned int p, nclash = 0, i, j;
			bool any = false;

			/* A chip off the distributor, or an unused slot
			 * holding interrupts, was reported above. */
			if (!c->address ||
			    (ck->arm && gicd && c->address != gicd))
				continue;
			for (p = 0; p < HV_IRQCHIP_PINS; p++) {
				uint64_t irq = (uint64_t)c->pin_base + p;

				/* Numbers no cell can own were reported above. */
				if (!chip_has(c, p) || irq >= IRQ_MAP_BITS ||
				    (ck->arm && (irq < GIC_SPI_FIRST ||
						 irq > GIC_SPI_LAST)))
					continue;
				if (!m || !(m->root[irq / 8] >> (irq % 8) & 1)) {
					unowned[p / 8] |= 1u << (p % 8);
					any = true;
					continue;
				}
				if (m->owner_file[irq]) {
					clash[nclash].owner_file = m->owner_file[irq];
					clash[nclash].owner_chip = m->owner_chip[irq];
					clash[nclash].pin = p;
					nclash++;
					continue;
				}
				m->owner_file[irq] = (uint32_t)fi;
				m->owner_chip[irq] = k;
			}
			if (any) {
				begin_chip(ck, fi, k, &path, &msg);
				sb_numbers(&msg, "IRQ", unowned,
					   sizeof(unowned), c->pin_base);
				sb_printf(&msg, " not owned by the root cell (%s: root_cell.irqchips)",
					  root->name);
				report(ck, fi, &path, &msg);
			}
			qsort(clash, nclash, sizeof(*clash), clash_cmp);
			for (i = 0; i < nclash; i = j) {
				uint8_t bits[HV_IRQCHIP_PINS / 8] = {0};

				for (j = i; j < nclash &&
				     clash[j].owner_file == clash[i].owner_file &&
				     clash[j].owner_chip == clash[i].owner_chip; j++)
					bits[clash[j].pin / 8] |= 1u << (clash[j].pin % 8);
				begin_chip(ck, fi, k, &path, &msg);
				sb_numbers(&msg, "IRQ", bits,
					   sizeof(bits), c->pin_base);
				sb_printf(&msg, " also claimed by ");
				sb_chip(&msg, ck, fi, clash[i].owner_file,
					clash[i].owner_chip);
				report(ck, fi, &path, &msg);
			}
		}
	}
out:
	free(im.maps);
}

/* ---- ivshmem ---- */

struct ivdev {
	size_t file;
	uint32_t idx;
	uint16_t bdf;
	bool regions_ok;
};

static const struct hv_pci_device *ivdev_pci(const struct checker *ck,
					     const struct ivdev *d)
{
	return &ck->files[d->file].cfg->pci[d->idx];
}

static int ivdev_cmp(const void *a, const void *b)
{
	const struct ivdev *x = a, *y = b;

	if (x->bdf != y->bdf)
		return x->bdf < y->bdf ? -1 : 1;
	if (x->file != y->file)
		return x->file < y->file ? -1 : 1;
	return x->idx < y->idx ? -1 : x->idx > y->idx;
}

/* pci_devices[0] ("demo", ivshmem 00:00.0, dev 1 of 2) */
static void sb_ivdev(struct sbuf *sb, const struct checker *ck, size_t here,
		     const struct ivdev *d)
{
	const struct chk_file *f = &ck->files[d->file];
	const struct hv_pci_device *p = ivdev_pci(ck, d);
	const char *name = f->cfg->pci_names ? f->cfg->pci_names[d->idx] : NULL;

	sb_where(sb, ck, here, d->file);
	sb_printf(sb, "%spci_devices[%" PRIu32 "] (", f->prefix, d->idx);
	if (name)
		sb_printf(sb, "\"%s\", ", name);
	sb_printf(sb, "ivshmem %02x:%02x.%x, dev %u of %u)", p->bdf >> 8,
		  (p->bdf >> 3) & 0x1f, p->bdf & 7, p->shmem_dev_id,
		  p->shmem_peers);
}

static void begin_ivdev(struct checker *ck, const struct ivdev *d,
			struct sbuf *path, struct sbuf *msg)
{
	sb_printf(path, "%spci_devices[%" PRIu32 "]", ck->files[d->file].prefix,
		  d->idx);
	sb_ivdev(msg, ck, d->file, d);
	sb_printf(msg, ": ");
}

static void section_name(struct sbuf *sb, unsigned int k)
{
	if (k == 0)
		sb_printf(sb, "state table");
	else if (k == 1)
		sb_printf(sb, "read/write section");
	else
		sb_printf(sb, "output section of peer %u", k - 2);
}

/* Checks of one device on its own; sets d->regions_ok. */
static void check_ivdev(struct checker *ck, struct ivdev *d, bool root_peer)
{
	const struct chk_file *f = &ck->files[d->file];
	const struct hv_pci_device *p = ivdev_pci(ck, d);
	uint64_t start = p->shmem_regions_start;
	uint64_t count = 2 + (uint64_t)p->shmem_peers;
	struct sbuf path = {0}, msg = {0};
	uint64_t prev_end = 0;
	bool have_prev = false;
	uint32_t prev = 0;
	unsigned int k;

	if (p->shmem_peers > HV_IVSHMEM_MAX_PEERS) {
		begin_ivdev(ck, d, &path, &msg);
		sb_printf(&msg, "shmem_peers %u is over the limit of %d",
			  p->shmem_peers, HV_IVSHMEM_MAX_PEERS);
		report(ck, d->file, &path, &msg);
	}
	if (!p->shmem_peers) {
		begin_ivdev(ck, d, &path, &msg);
		sb_printf(&msg, "shmem_peers is 0: a link has at least one peer");
		report(ck, d->file, &path, &msg);
	}
	/*
	 * Upstream's rule is an id below its maximum peer count (12), not
	 * below shmem_peers; such a peer simply has no output section. The
	 * hypervisor accepts it too: nothing of another cell is at stake.
	 */
	if (p->shmem_dev_id >= HV_IVSHMEM_MAX_PEERS) {
		begin_ivdev(ck, d, &path, &msg);
		sb_printf(&msg, "shmem_dev_id %u is over upstream's highest peer id %d (%d peers per link at most)",
			  p->shmem_dev_id, HV_IVSHMEM_MAX_PEERS - 1,
			  HV_IVSHMEM_MAX_PEERS);
		report(ck, d->file, &path, &msg);
	}
	if (start + count > f->cell->num_memory_regions) {
		begin_ivdev(ck, d, &path, &msg);
		sb_printf(&msg, "needs %smemory_regions[%" PRIu64 "]-[%" PRIu64
			  "] (2 + %u peers) but the cell has %" PRIu32
			  " regions", f->prefix, start, start + count - 1,
			  p->shmem_peers, f->cell->num_memory_regions);
		report(ck, d->file, &path, &msg);
		return;
	}
	d->regions_ok = true;

	for (k = 0; k < count; k++) {
		uint32_t ri = (uint32_t)(start + k);
		const struct hv_memory *m = region(f, ri);
		bool want_write = k >= 2 && k - 2 == p->shmem_dev_id;
		const char *problem = NULL;

		/* An empty section (virtio links leave outputs empty) has
		 * nothing to write or to protect. */
		if (k == 0 && !m->size)
			problem = "is empty, but the hypervisor mirrors each peer's State register into it";
		else if (k == 0 && (m->flags & HV_MEM_IO))
			problem = "is I/O memory, but the hypervisor writes peer states into it";
		else if (k == 0 && m->size < 4 * ((uint64_t)p->shmem_dev_id + 1))
			problem = "has no room for this peer's 4-byte slot";
		else if (k == 0 && (m->flags & HV_MEM_WRITE))
			problem = "is writable";
		else if (k >= 2 && m->size && want_write &&
			 !(m->flags & HV_MEM_WRITE))
			problem = "is this peer's own but not writable";
		else if (k >= 2 && m->size && !want_write &&
			 (m->flags & HV_MEM_WRITE))
			problem = "is writable, but only its own peer may write it";
		if (problem) {
			begin_ivdev(ck, d, &path, &msg);
			section_name(&msg, k);
			sb_printf(&msg, " ");
			sb_region(&msg, ck, d->file, d->file, ri, false);
			sb_printf(&msg, " %s", problem);
			report(ck, d->file, &path, &msg);
		}
		if (root_peer && m->size && !(m->flags & HV_MEM_ROOTSHARED)) {
			begin_ivdev(ck, d, &path, &msg);
			section_name(&msg, k);
			sb_printf(&msg, " ");
			sb_region(&msg, ck, d->file, d->file, ri, false);
			sb_printf(&msg, " is shared with the root cell but lacks the rootshared flag");
			report(ck, d->file, &path, &msg);
		}
		if (k > 2 && m->size != region(f, (uint32_t)start + 2)->size) {
			begin_ivdev(ck, d, &path, &msg);
			section_name(&msg, k);
			sb_printf(&msg, " ");
			sb_region(&msg, ck, d->file, d->file, ri, false);
			sb_printf(&msg, " differs in size from ");
			section_name(&msg, 2);
			sb_printf(&msg, " ");
			sb_region(&msg, ck, d->file, d->file,
				  (uint32_t)start + 2, false);
			report(ck, d->file, &path, &msg);
		}
		/* Peers learn only the base: sections must be back to back. */
		if (!m->size || region_wraps(m, true))
			continue;
		if (have_prev && m->virt_start != prev_end + 1) {
			begin_ivdev(ck, d, &path, &msg);
			section_name(&msg, k);
			sb_printf(&msg, " ");
			sb_region(&msg, ck, d->file, d->file, ri, true);
			sb_printf(&msg, " does not follow ");
			sb_region(&msg, ck, d->file, d->file, prev, true);
			sb_printf(&msg, " in the cell's address space");
			report(ck, d->file, &path, &msg);
		}
		have_prev = true;
		prev = ri;
		prev_end = m->virt_start + m->size - 1;
	}
}

/* ARM INTx: pin (device & 3) + 1 raises INTID 32 + vpci_irq_base + pin - 1. */
static void check_ivdev_intx(struct checker *ck, const struct ivdev *d)
{
	const struct chk_file *f = &ck->files[d->file];
	const struct hv_pci_device *p = ivdev_pci(ck, d);
	unsigned int pin = ((p->bdf >> 3) & 3) + 1;
	uint64_t intid = 32 + (uint64_t)f->cell->vpci_irq_base + pin - 1;
	struct sbuf path = {0}, msg = {0};
	uint32_t k;

	if (!ck->arm || p->num_msix_vectors)
		return;
	for (k = 0; k < f->cell->num_irqchips; k++) {
		const struct hv_irqchip *c = &f->cfg->irqchips[k];

		if (intid >= c->pin_base && intid - c->pin_base < HV_IRQCHIP_PINS &&
		    chip_has(c, intid - c->pin_base))
			return;
	}
	begin_ivdev(ck, d, &path, &msg);
	sb_printf(&msg, "INTx interrupt %" PRIu64 " (%svpci_irq_base %" PRIu32
		  ", pin %u) is in none of the cell's irqchips", intid,
		  f->prefix, f->cell->vpci_irq_base, pin);
	report(ck, d->file, &path, &msg);
}

/* Compare the other peer's device with the link's first one. */
static void check_ivdev_peer(struct checker *ck, const struct ivdev *ref,
			     const struct ivdev *d)
{
	const struct hv_pci_device *a = ivdev_pci(ck, ref), *b = ivdev_pci(ck, d);
	const struct chk_file *fa = &ck->files[ref->file];
	const struct chk_file *fb = &ck->files[d->file];
	struct sbuf path = {0}, msg = {0};
	unsigned int k;

	if (a->shmem_peers != b->shmem_peers) {
		begin_ivdev(ck, d, &path, &msg);
		sb_printf(&msg, "shmem_peers %u disagrees with ", b->shmem_peers);
		sb_ivdev(&msg, ck, d->file, ref);
		report(ck, d->file, &path, &msg);
		return;
	}
	if (!ref->regions_ok || !d->regions_ok)
		return;
	for (k = 0; k < 2u + a->shmem_peers; k++) {
		uint32_t ra = a->shmem_regions_start + k;
		uint32_t rb = b->shmem_regions_start + k;
		const struct hv_memory *ma = region(fa, ra), *mb = region(fb, rb);

		if (ma->size == mb->size &&
		    (!ma->size || ma->phys_start == mb->phys_start))
			continue;
		begin_ivdev(ck, d, &path, &msg);
		section_name(&msg, k);
		sb_printf(&msg, " ");
		sb_region(&msg, ck, d->file, d->file, rb, false);
		sb_printf(&msg, " differs from ");
		sb_region(&msg, ck, d->file, ref->file, ra, false);
		sb_printf(&msg, " of ");
		sb_ivdev(&msg, ck, d->file, ref);
		report(ck, d->file, &path, &msg);
	}
}

static void check_ivshmem(struct checker *ck)
{
	struct ivdev *devs = NULL;
	size_t n = 0, cap = 0, fi, i, j;

	for (fi = 0; fi < ck->num_files; fi++) {
		const struct chk_file *f = &ck->files[fi];
		uint32_t k;

		for (k = 0; k < f->cell->num_pci_devices; k++) {
			if (f->cfg->pci[k].type != HV_PCI_TYPE_IVSHMEM)
				continue;
			if (hvctl_grow(&devs, &cap, n + 1, sizeof(*devs))) {
				ck->err = -ENOMEM;
				free(devs);
				return;
			}
			devs[n].file = fi;
			devs[n].idx = k;
			devs[n].bdf = f->cfg->pci[k].bdf;
			devs[n].regions_ok = false;
			n++;
		}
	}
	if (n)
		qsort(devs, n, sizeof(*devs), ivdev_cmp);

	for (i = 0; i < n; i = j) {
		/* First user of each dev id in this link, as index + 1. */
		size_t first_id[256] = {0};
		bool root_peer = devs[i].file == 0;

		for (j = i; j < n && devs[j].bdf == devs[i].bdf; j++)
			;
		for (size_t d = i; d < j; d++) {
			const struct hv_pci_device *p = ivdev_pci(ck, &devs[d]);
			size_t first = first_id[p->shmem_dev_id];
			struct sbuf path = {0}, msg = {0};

			check_ivdev(ck, &devs[d], root_peer && devs[d].file);
			check_ivdev_intx(ck, &devs[d]);
			/* Sorted by file: a second use in one cell is adjacent. */
			if (d > i && devs[d - 1].file == devs[d].file) {
				begin_ivdev(ck, &devs[d], &path, &msg);
				sb_printf(&msg, "bdf is also used by ");
				sb_ivdev(&msg, ck, devs[d].file, &devs[d - 1]);
				report(ck, devs[d].file, &path, &msg);
				continue;
			}
			if (d > i)
				check_ivdev_peer(ck, &devs[i], &devs[d]);
			if (!first) {
				first_id[p->shmem_dev_id] = d + 1;
				continue;
			}
			/* Twice in one cell is the bdf clash reported above. */
			if (devs[first - 1].file == devs[d].file)
				continue;
			begin_ivdev(ck, &devs[d], &path, &msg);
			sb_printf(&msg, "shmem_dev_id %u is also used by ",
				  p->shmem_dev_id);
			sb_ivdev(&msg, ck, devs[d].file, &devs[first - 1]);
			report(ck, devs[d].file, &path, &msg);
		}
	}
	free(devs);
}

/* ---- names, flags, enumerations, size, architecture ---- */

struct name_ref {
	const char *name;
	size_t file;
};

static int name_ref_cmp(const void *a, const void *b)
{
	const struct name_ref *x = a, *y = b;
	int r = strcmp(x->name, y->name);

	if (r)
		return r;
	return x->file < y->file ? -1 : x->file > y->file;
}

static void check_names(struct checker *ck)
{
	struct name_ref *refs;
	size_t fi, n = 0, i;

	refs = calloc(ck->num_files, sizeof(*refs));
	if (!refs) {
		ck->err = -ENOMEM;
		return;
	}
	for (fi = 0; fi < ck->num_files; fi++) {
		const struct chk_file *f = &ck->files[fi];
		const char *name = f->cell->name;
		struct sbuf path = {0}, msg = {0};
		char why[160];

		if (!memchr(name, '\0', sizeof(f->cell->name))) {
			begin(&path, &msg, "%sname", f->prefix);
			sb_printf(&msg, " (\"%.*s...\") is over %d bytes",
				  HV_CELL_NAME_MAXLEN, name, HV_CELL_NAME_MAXLEN);
			report(ck, fi, &path, &msg);
			continue;
		}
		if (!name[0]) {
			begin(&path, &msg, "%sname", f->prefix);
			sb_printf(&msg, " is empty");
			report(ck, fi, &path, &msg);
			continue;
		}
		/* The name is not repeated: it may be what is wrong. */
		if (config_text_problem(name, strlen(name), why, sizeof(why))) {
			begin(&path, &msg, "%sname", f->prefix);
			sb_printf(&msg, ": %s", why);
			report(ck, fi, &path, &msg);
			continue;
		}
		refs[n].name = name;
		refs[n].file = fi;
		n++;
	}
	qsort(refs, n, sizeof(*refs), name_ref_cmp);
	for (i = 1; i < n; i++) {
		struct sbuf path = {0}, msg = {0};
		size_t fi2 = refs[i].file, first = i;

		if (strcmp(refs[i].name, refs[i - 1].name))
			continue;
		while (first > 0 && !strcmp(refs[first - 1].name, refs[i].name))
			first--;
		begin(&path, &msg, "%sname", ck->files[fi2].prefix);
		sb_printf(&msg, " (\"%s\") is also the name of ", refs[i].name);
		sb_where(&msg, ck, fi2, refs[first].file);
		sb_printf(&msg, "%sname", ck->files[refs[first].file].prefix);
		report(ck, fi2, &path, &msg);
	}
	free(refs);
}

/* "unknown flag bits 0x200000" when flags has bits outside known. */
static void flag_finding(struct checker *ck, size_t fi, struct sbuf *path,
			 struct sbuf *msg, uint64_t flags, uint64_t known)
{
	if (!(flags & ~known)) {
		sb_reset(path);
		sb_reset(msg);
		return;
	}
	sb_printf(msg, "has unknown flag bits 0x%" PRIx64, flags & ~known);
	report(ck, fi, path, msg);
}

static void check_console(struct checker *ck, size_t fi, const char *prefix,
			  const char *field, const struct hv_console *con)
{
	struct sbuf path = {0}, msg = {0};

	begin(&path, &msg, "%s%s.flags", prefix, field);
	sb_printf(&msg, " (0x%x) ", con->flags);
	flag_finding(ck, fi, &path, &msg, con->flags, CON_FLAGS_KNOWN);
	if (con->type > HV_CON_TYPE_MAX) {
		begin(&path, &msg, "%s%s.type", prefix, field);
		sb_printf(&msg, " %u is not a console type (known: 0-%d)",
			  con->type, HV_CON_TYPE_MAX);
		report(ck, fi, &path, &msg);
	}
}

static void check_flags(struct checker *ck, size_t fi)
{
	const struct chk_file *f = &ck->files[fi];
	struct sbuf path = {0}, msg = {0};
	uint32_t i;

	if (f->is_root) {
		begin(&path, &msg, "flags");
		sb_printf(&msg, " (0x%x, system) ", ck->sys->flags);
		flag_finding(ck, fi, &path, &msg, ck->sys->flags,
			     SYS_FLAGS_KNOWN);
		check_console(ck, fi, "", "debug_console",
			      &ck->sys->debug_console);
	}
	begin(&path, &msg, "%sflags", f->prefix);
	sb_printf(&msg, " (0x%x) ", f->cell->flags);
	flag_finding(ck, fi, &path, &msg, f->cell->flags, CELL_FLAGS_KNOWN);
	check_console(ck, fi, f->prefix, "console", &f->cell->console);

	for (i = 0; i < f->cell->num_memory_regions; i++) {
		const struct hv_memory *m = region(f, i);

		if (!(m->flags & ~(uint64_t)MEM_FLAGS_KNOWN))
			continue;
		begin(&path, &msg, "%smemory_regions[%" PRIu32 "]", f->prefix,
		      i);
		sb_region_detail(&msg, f, i, is_comm(m));
		sb_printf(&msg, " ");
		flag_finding(ck, fi, &path, &msg, m->flags, MEM_FLAGS_KNOWN);
	}
	for (i = 0; i < f->cell->num_cache_regions; i++) {
		const struct hv_cache *c = &f->cfg->cache[i];

		if (!(c->flags & ~CACHE_FLAGS_KNOWN))
			continue;
		begin(&path, &msg, "%scache_regions[%" PRIu32 "]", f->prefix, i);
		sb_printf(&msg, " (start %" PRIu32 ", size %" PRIu32 ") ",
			  c->start, c->size);
		flag_finding(ck, fi, &path, &msg, c->flags, CACHE_FLAGS_KNOWN);
	}
	for (i = 0; i < f->cell->num_pci_caps; i++) {
		const struct hv_pci_capability *c = &f->cfg->pci_caps[i];

		if (!(c->flags & ~PCICAP_FLAGS_KNOWN))
			continue;
		begin(&path, &msg, "%spci_caps[%" PRIu32 "]", f->prefix, i);
		sb_printf(&msg, " (id 0x%x, start 0x%x) ", c->id, c->start);
		flag_finding(ck, fi, &path, &msg, c->flags, PCICAP_FLAGS_KNOWN);
	}
}

static void check_size_and_arch(struct checker *ck, size_t fi)
{
	const struct chk_file *f = &ck->files[fi];
	uint64_t size = hv_cell_config_size(f->cell);
	uint64_t limit = (uint64_t)HV_CELL_CONFIG_MAX_PAGES * HV_PAGE_SIZE;
	struct sbuf path = {0}, msg = {0};

	if (f->is_root)
		return;
	if (size > limit) {
		/* The whole file: an empty path. */
		sb_printf(&path, "%s", "");
		sb_printf(&msg, "cell config is too large for the hypervisor: %"
			  PRIu64 " bytes, limit %" PRIu64, size, limit);
		report(ck, fi, &path, &msg);
	}
	if (f->cfg->architecture != ck->sys->architecture) {
		begin(&path, &msg, "architecture");
		sb_printf(&msg, " %s does not match the system's %s (%s)",
			  config_arch_name(f->cfg->architecture),
			  config_arch_name(ck->sys->architecture),
			  ck->files[0].name);
		report(ck, fi, &path, &msg);
	}
}

/* ---- driver ---- */

static int item_cmp(const void *a, const void *b)
{
	const struct chk_item *x = a, *y = b;
	int r;

	if (x->file != y->file)
		return x->file < y->file ? -1 : 1;
	r = strverscmp(x->path, y->path);
	if (r)
		return r;
	return strcmp(x->message, y->message);
}

static void free_items(struct checker *ck)
{
	size_t i;

	for (i = 0; i < ck->num_items; i++) {
		free(ck->items[i].path);
		free(ck->items[i].message);
	}
	free(ck->items);
	ck->items = NULL;
	ck->num_items = 0;
}

static int hand_over(struct checker *ck, const struct chk_file *files,
		     struct hvctl_findings **out)
{
	struct hvctl_findings *res;
	size_t i;

	res = calloc(1, sizeof(*res));
	if (!res)
		return -ENOMEM;
	if (ck->num_items) {
		res->items = calloc(ck->num_items, sizeof(*res->items));
		if (!res->items) {
			free(res);
			return -ENOMEM;
		}
	}
	if (ck->num_items)
		qsort(ck->items, ck->num_items, sizeof(*ck->items), item_cmp);
	for (i = 0; i < ck->num_items; i++) {
		res->items[i].file = strdup(files[ck->items[i].file].name);
		if (!res->items[i].file) {
			res->count = i;
			hvctl_findings_free(res);
			return -ENOMEM;
		}
		res->items[i].path = ck->items[i].path;
		res->items[i].message = ck->items[i].message;
		ck->items[i].path = NULL;
		ck->items[i].message = NULL;
		res->count = i + 1;
	}
	*out = res;
	return 0;
}

HVCTL_EXPORT int hvctl_config_check(const struct hvctl_config *system,
				    const struct hvctl_config *const *cells,
				    size_t num_cells,
				    struct hvctl_findings **out)
{
	struct checker ck = {0};
	struct backing backing = {0};
	struct reserved reserved[MAX_RESERVED];
	size_t i, num_reserved;
	int err;

	if (!out)
		return -EINVAL;
	*out = NULL;
	if (!system || !system->is_system || !system->system ||
	    (num_cells && !cells))
		return -EINVAL;
	for (i = 0; i < num_cells; i++)
		if (!cells[i] || cells[i]->is_system || !cells[i]->cell)
			return -EINVAL;

	ck.files = calloc(num_cells + 1, sizeof(*ck.files));
	if (!ck.files)
		return -ENOMEM;
	ck.num_files = num_cells + 1;
	ck.sys = system->system;
	ck.arm = system->architecture == HV_ARCH_ARM ||
		 system->architecture == HV_ARCH_ARM64;
	for (i = 0; i < ck.num_files; i++) {
		const struct hvctl_config *c = i ? cells[i - 1] : system;

		ck.files[i].cfg = c;
		ck.files[i].cell = c->cell;
		ck.files[i].name = config_name(c);
		ck.files[i].prefix = i ? "" : "root_cell.";
		ck.files[i].is_root = i == 0;
	}

	err = build_backing(&ck, &backing);
	if (err)
		goto out;
	num_reserved = build_reserved(&ck, reserved);
	for (i = 0; i < ck.num_files && !ck.err; i++) {
		check_wrap(&ck, i);
		check_comm(&ck, i);
		check_reserved(&ck, i, reserved, num_reserved);
		check_overlaps(&ck, i, false);
		check_overlaps(&ck, i, true);
		check_hv_memory(&ck, i);
		if (i)
			check_backing(&ck, i, &backing);
		check_irqchip_shape(&ck, i);
		check_flags(&ck, i);
		check_size_and_arch(&ck, i);
	}
	if (!ck.err)
		check_cross_cell(&ck);
	if (!ck.err)
		check_cpus(&ck);
	if (!ck.err)
		check_irq_owners(&ck);
	if (!ck.err)
		check_ivshmem(&ck);
	if (!ck.err)
		check_names(&ck);
	err = ck.err;
	if (!err)
		err = hand_over(&ck, ck.files, out);
out:
	free(backing.iv);
	free_items(&ck);
	free(ck.files);
	return err;
}

HVCTL_EXPORT void hvctl_findings_free(struct hvctl_findings *findings)
{
	size_t i;

	if (!findings)
		return;
	for (i = 0; i < findings->count; i++) {
		free(findings->items[i].file);
		free(findings->items[i].path);
		free(findings->items[i].message);
	}
	free(findings->items);
	free(findings);
}
