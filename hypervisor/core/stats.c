// SPDX-License-Identifier: GPL-2.0
/*
 * The statistics report (hvabi/stats.h): every counter of every cell and CPU,
 * the pools and the ivshmem links, written by one hypercall into a buffer of
 * the root cell. The buffer is checked page by page before anything is
 * written: writable, normal (not device) memory the root maps, outside
 * hypervisor memory and outside every other cell's regions (a ROOTSHARED or
 * loadable region is still another cell's).
 */
#include <hvabi/stats.h>

#include <hv/arch.h>
#include <hv/cell.h>
#include <hv/control.h>
#include <hv/errno.h>
#include <hv/ivshmem.h>
#include <hv/lib.h>
#include <hv/paging.h>
#include <hv/percpu.h>
#include <hv/pool.h>
#include <hv/stats.h>

_Static_assert(IVSHMEM_MAX_LINKS <= HV_STATS_MAX_LINKS,
	       "the report's link bound covers the hypervisor's");

/* A buffer beyond this is refused outright (the report stays far below). */
#define STATS_BUF_MAX	(16ULL << 20)

static uint64_t sequence;

static unsigned int used_links(void)
{
	unsigned int n, count = 0;

	for (n = 0; n < IVSHMEM_MAX_LINKS; n++)
		if (ivshmem_link_at(n))
			count++;
	return count;
}

uint64_t stats_report_size(void)
{
	return HV_STATS_SIZE(num_cells, hv_max_cpus, used_links());
}

/* Whether [phys, phys + size) overlaps a memory region of a non-root cell. */
static bool other_cell_mem(uint64_t phys, uint64_t size)
{
	const struct cell *cell;
	unsigned int n;

	for_each_non_root_cell(cell) {
		const struct hv_memory *mem = cfg_mem(cell->config);

		for (n = 0; n < cell->config->num_memory_regions; n++) {
			const struct hv_memory *m = &mem[n];

			if (!m->size || (m->flags & HV_MEM_COMM_REGION))
				continue;
			if (phys < m->phys_start + m->size &&
			    m->phys_start < phys + size)
				return true;
		}
	}
	return false;
}

int stats_check_buffer(uint64_t gpa, uint64_t size)
{
	uint64_t a = gpa, end = gpa + size;

	if (!size || end < gpa) {
		hv_set_error("statistics buffer 0x%llx+0x%llx: empty or wraps",
			     (unsigned long long)gpa, (unsigned long long)size);
		return -EINVAL;
	}
	while (a < end) {
		uint64_t chunk = PAGE_SIZE - (a & PAGE_OFFS_MASK);
		struct paging_result res;

		if (chunk > end - a)
			chunk = end - a;
		if (!paging_translate(&root_cell.stage2, a, &res)) {
			hv_set_error("statistics buffer: 0x%llx is not mapped in the root cell",
				     (unsigned long long)a);
			return -EINVAL;
		}
		if ((res.flags & (HV_MEM_READ | HV_MEM_WRITE)) !=
		    (HV_MEM_READ | HV_MEM_WRITE) || (res.flags & HV_MEM_IO)) {
			hv_set_error("statistics buffer: 0x%llx is not writable RAM of the root cell",
				     (unsigned long long)a);
			return -EINVAL;
		}
		if (paging_phys_is_hv(res.phys, chunk) ||
		    other_cell_mem(res.phys, chunk)) {
			hv_set_error("statistics buffer: 0x%llx is not the root cell's own memory",
				     (unsigned long long)a);
			return -EINVAL;
		}
		a += chunk;
	}
	return 0;
}

/* Writes through the root's stage 2 (the range was checked). */
struct out {
	uint64_t gpa;
	uint64_t off;
	int err;
};

static void put(struct out *o, const void *src, uint64_t len)
{
	const uint8_t *s = src;

	while (len && !o->err) {
		uint64_t a = o->gpa + o->off;
		uint64_t chunk = PAGE_SIZE - (a & PAGE_OFFS_MASK);
		struct paging_result res;

		if (chunk > len)
			chunk = len;
		if (!paging_translate(&root_cell.stage2, a, &res) ||
		    arch_phys_write(res.phys, s, chunk)) {
			o->err = -EINVAL;
			return;
		}
		s += chunk;
		o->off += chunk;
		len -= chunk;
	}
}

static void put_cells(struct out *o)
{
	struct hv_stats_cell rec;
	const struct cell *cell;
	unsigned int cpu, k;

	for_each_cell(cell) {
		hv_memset(&rec, 0, sizeof(rec));
		rec.id = cell->id;
		rec.state = cell_get_state(cell);
		for_each_cpu_id(cpu) {
			const struct per_cpu *pc = per_cpu(cpu);

			/* As the driver's sum: the CPUs CPU_GET_INFO answers for. */
			if (!test_bit(cpu, cell->cpu_set) || !pc->online)
				continue;
			rec.num_cpus++;
			for (k = 0; k < HV_NUM_CPU_STATS; k++)
				rec.stats[k] += cpu_stat_read(pc, k);
		}
		put(o, &rec, sizeof(rec));
	}
}

static void put_cpus(struct out *o)
{
	struct hv_stats_cpu rec;
	unsigned int cpu, k;

	for_each_cpu_id(cpu) {
		const struct per_cpu *pc = per_cpu(cpu);

		hv_memset(&rec, 0, sizeof(rec));
		rec.cpu_id = cpu;
		rec.cell_id = -1;
		if (pc->online) {
			rec.flags = HV_STATS_CPU_ONLINE;
			rec.cell_id = pc->cell ? (int32_t)pc->cell->id : -1;
			rec.state = pc->failed ? HV_CPU_FAILED : HV_CPU_RUNNING;
			rec.fault = pc->failed ? pc->fail_fault :
						 HV_CPU_FAULT_NONE;
			rec.fault_addr = pc->failed ? pc->fail_addr : 0;
			for (k = 0; k < HV_NUM_CPU_STATS; k++)
				rec.stats[k] = cpu_stat_read(pc, k);
		}
		put(o, &rec, sizeof(rec));
	}
}

static void put_links(struct out *o)
{
	struct hv_stats_link rec;
	unsigned int n, p;

	for (n = 0; n < IVSHMEM_MAX_LINKS; n++) {
		const struct ivshmem_link *link = ivshmem_link_at(n);

		if (!link)
			continue;
		hv_memset(&rec, 0, sizeof(rec));
		rec.domain = link->domain;
		rec.bdf = link->bdf;
		rec.max_peers = link->peers;
		for (p = 0; p < HV_IVSHMEM_MAX_PEERS; p++) {
			const struct ivshmem_endpoint *ep = &link->eps[p];
			struct hv_stats_peer *r = &rec.peers[p];

			r->cell_id = ep->cell ? (int32_t)ep->cell->id : -1;
			if (!ep->cell)
				continue;
			r->state = ep->state;
			r->int_ctrl = ep->int_ctrl;
			r->doorbells_rung = ep->doorbells_rung;
			r->doorbells_received = ep->doorbells_received;
		}
		put(o, &rec, sizeof(rec));
	}
}

int64_t stats_read(struct per_cpu *caller, uint64_t gpa, uint64_t size)
{
	struct hv_stats_header hdr;
	struct hv_stats_trailer tr;
	struct out o = { .gpa = gpa };
	uint64_t need;
	int err;

	if (caller->cell != &root_cell) {
		hv_set_error("only the root cell may read the statistics report");
		return -EPERM;
	}
	need = stats_report_size();
	if (!gpa && !size)
		return (int64_t)need;
	if (size > STATS_BUF_MAX) {
		hv_set_error("statistics buffer of %llu bytes: more than %llu",
			     (unsigned long long)size, STATS_BUF_MAX);
		return -EINVAL;
	}
	err = stats_check_buffer(gpa, size);
	if (err)
		return err;
	if (size < need) {
		hv_set_error("statistics buffer of %llu bytes: the report needs %llu",
			     (unsigned long long)size,
			     (unsigned long long)need);
		return -E2BIG;
	}

	sequence++;
	hv_memset(&hdr, 0, sizeof(hdr));
	hdr.magic = HV_STATS_MAGIC;
	hdr.version = HV_STATS_VERSION;
	hdr.header_size = sizeof(hdr);
	hdr.total_size = (uint32_t)need;
	hdr.cell_size = sizeof(struct hv_stats_cell);
	hdr.cpu_size = sizeof(struct hv_stats_cpu);
	hdr.link_size = sizeof(struct hv_stats_link);
	hdr.num_stats = HV_NUM_CPU_STATS;
	hdr.num_cells = (uint16_t)num_cells;
	hdr.num_cpus = (uint16_t)hv_max_cpus;
	hdr.num_links = (uint16_t)used_links();
	hdr.max_peers = HV_IVSHMEM_MAX_PEERS;
	hdr.sequence = sequence;
	hdr.mem_pool_size = mem_pool.pages;
	hdr.mem_pool_used = mem_pool.used;
	hdr.remap_pool_size = remap_pool.pages;
	hdr.remap_pool_used = remap_pool.used;
	put(&o, &hdr, sizeof(hdr));
	put_cells(&o);
	put_cpus(&o);
	put_links(&o);
	tr.magic = HV_STATS_TRAILER_MAGIC;
	tr.reserved = 0;
	tr.sequence = sequence;
	put(&o, &tr, sizeof(tr));
	if (o.err) {
		hv_set_error("statistics buffer: a write to 0x%llx failed",
			     (unsigned long long)(gpa + o.off));
		return o.err;
	}
	return (int64_t)need;
}
