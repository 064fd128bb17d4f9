/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT */
/*
 * The statistics report: every counter of every cell and CPU, the pools and
 * every ivshmem link's peers, copied by one hypercall (HV_HC_STATS_READ, our
 * extension, outside upstream's codes) into a buffer of the root cell, and
 * handed to user space whole by the driver's statistics_all attribute (and
 * hvsim's file of that name). doc/statistics.md describes it.
 *
 * Layout, native endian, every record 8-byte aligned:
 *   struct hv_stats_header
 *   struct hv_stats_cell  [num_cells]   (cell_size bytes each)
 *   struct hv_stats_cpu   [num_cpus]    (cpu_size bytes each)
 *   struct hv_stats_link  [num_links]   (link_size bytes each)
 *   struct hv_stats_trailer
 * A reader uses the sizes in the header as strides, so a later version may
 * append fields to a record; it refuses another magic or major version.
 */
#ifndef HVABI_STATS_H
#define HVABI_STATS_H

#include "cell-config.h"
#include "hypercall.h"
#include "types.h"

/*
 * HV_HC_STATS_READ(gpa, size): copy the report to root-cell RAM at gpa
 * (guest-physical, at most size bytes). Returns the report's size, or
 * -EPERM (not the root cell), -E2BIG (size too small; nothing written),
 * -EINVAL (the buffer is not wholly writable RAM of the root cell).
 * With gpa and size both 0 it only returns the size a call would need now.
 */
#define HV_STATS_MAGIC			0x54535648u	/* "HVST" */
#define HV_STATS_VERSION		1
/* The last 8 bytes repeat the header's sequence (a torn read differs). */
#define HV_STATS_TRAILER_MAGIC		0x444e4548u	/* "HEND" */

/* Largest report the hypervisor may produce (a reader's sanity bound). */
#define HV_STATS_MAX_CPUS		4096
#define HV_STATS_MAX_LINKS		64

struct hv_stats_header {
	uint32_t magic;
	uint16_t version;
	uint16_t header_size;		/* sizeof(struct hv_stats_header) */
	uint32_t total_size;		/* the whole report, trailer included */
	uint16_t cell_size;		/* stride of the cell records */
	uint16_t cpu_size;		/* stride of the CPU records */
	uint16_t link_size;		/* stride of the link records */
	uint16_t num_stats;		/* counters per cell and CPU */
	uint16_t num_cells;
	uint16_t num_cpus;		/* every CPU below the board's max_cpus */
	uint16_t num_links;		/* links with at least one peer */
	uint16_t max_peers;		/* peer slots in each link record */
	uint32_t reserved;
	/* Incremented by every report; also in the trailer. */
	uint64_t sequence;
	/* HYPERVISOR_GET_INFO's pool figures, in pages. */
	uint64_t mem_pool_size;
	uint64_t mem_pool_used;
	uint64_t remap_pool_size;
	uint64_t remap_pool_used;
};

struct hv_stats_cell {
	uint32_t id;
	/* CELL_GET_STATE's value (HV_CELL_*; above 4: invalid). */
	uint32_t state;
	uint32_t num_cpus;
	uint32_t reserved;
	/*
	 * Per counter (HV_ARM64_STATS order), the sum over the cell's CPUs of
	 * each CPU's 31-bit value: what cells/<id>/statistics/<name> shows.
	 */
	uint64_t stats[HV_NUM_CPU_STATS];
};

#define HV_STATS_CPU_ONLINE		0x0001

struct hv_stats_cpu {
	uint32_t cpu_id;
	int32_t cell_id;		/* owning cell, -1 when offline */
	uint32_t flags;			/* HV_STATS_CPU_* */
	uint32_t state;			/* HV_CPU_RUNNING or HV_CPU_FAILED */
	uint32_t fault;			/* HV_CPU_FAULT_* (NONE unless failed) */
	uint32_t reserved;
	uint64_t fault_addr;		/* where HV_CPU_FAULT_HAS_ADDR */
	/* CPU_GET_INFO's 31-bit values, HV_ARM64_STATS order. */
	uint32_t stats[HV_NUM_CPU_STATS];
	uint32_t reserved2;
};

struct hv_stats_peer {
	int32_t cell_id;		/* -1: the slot has no peer now */
	uint32_t state;			/* the peer's State register */
	uint32_t int_ctrl;		/* Interrupt Control (bit 0: enabled) */
	uint32_t reserved;
	uint64_t doorbells_rung;	/* Doorbell writes by this peer */
	uint64_t doorbells_received;	/* interrupts delivered to it */
};

struct hv_stats_link {
	uint16_t domain;
	uint16_t bdf;
	uint32_t max_peers;		/* the link's Max Peers register */
	struct hv_stats_peer peers[HV_IVSHMEM_MAX_PEERS];
};

struct hv_stats_trailer {
	uint32_t magic;			/* HV_STATS_TRAILER_MAGIC */
	uint32_t reserved;
	uint64_t sequence;		/* the header's */
};

HV_ABI_SIZE(struct hv_stats_header, 72);
HV_ABI_OFFSET(struct hv_stats_header, total_size, 8);
HV_ABI_OFFSET(struct hv_stats_header, num_cells, 20);
HV_ABI_OFFSET(struct hv_stats_header, sequence, 32);
HV_ABI_OFFSET(struct hv_stats_header, mem_pool_size, 40);
HV_ABI_SIZE(struct hv_stats_cell, 88);
HV_ABI_OFFSET(struct hv_stats_cell, stats, 16);
HV_ABI_SIZE(struct hv_stats_cpu, 72);
HV_ABI_OFFSET(struct hv_stats_cpu, fault_addr, 24);
HV_ABI_OFFSET(struct hv_stats_cpu, stats, 32);
HV_ABI_SIZE(struct hv_stats_peer, 32);
HV_ABI_SIZE(struct hv_stats_link, 8 + 32 * HV_IVSHMEM_MAX_PEERS);
HV_ABI_SIZE(struct hv_stats_trailer, 16);

/* Bytes of a report with these counts. */
#define HV_STATS_SIZE(cells, cpus, links)                                   \
	(sizeof(struct hv_stats_header) +                                    \
	 (uint64_t)(cells) * sizeof(struct hv_stats_cell) +                  \
	 (uint64_t)(cpus) * sizeof(struct hv_stats_cpu) +                    \
	 (uint64_t)(links) * sizeof(struct hv_stats_link) +                  \
	 sizeof(struct hv_stats_trailer))

/* The largest report of a board with this many CPUs (cells <= cpus). */
#define HV_STATS_MAX_SIZE(cpus)						     \
	HV_STATS_SIZE((cpus) + 1, (cpus), HV_STATS_MAX_LINKS)

#endif /* !HVABI_STATS_H */
