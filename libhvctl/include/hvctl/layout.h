/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * What a set of configs means together: the physical memory layout (who
 * owns which range, what is shared, overlaps, gaps, hypervisor memory,
 * comm regions), the ivshmem links with their peers, and what one cell
 * config takes from the root cell. Built from configs only, so hvtop,
 * `hvctl config show` and scripts show the same facts.
 */
#ifndef HVCTL_LAYOUT_H
#define HVCTL_LAYOUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <hvabi/cell-config.h>
#include <hvctl/common.h>
#include <hvctl/config.h>
#include <hvctl/state.h>

/* What a memory region, or a segment of the layout, is. */
enum hvctl_region_kind {
	HVCTL_REGION_RAM = 0,
	HVCTL_REGION_IO,
	HVCTL_REGION_IVSHMEM,	/* a section of an ivshmem device */
	HVCTL_REGION_HYPERVISOR,
	HVCTL_REGION_COMM,	/* a cell's communication page (guest address) */
	HVCTL_REGION_GAP,	/* nothing is there */
	HVCTL_REGION_EMPTY,	/* a region of size 0 (never in a layout) */
};

/* "RAM", "I/O", "ivshmem", "hypervisor", "comm", "gap", "empty" */
HVCTL_EXPORT const char *hvctl_region_kind_name(enum hvctl_region_kind kind);

/* The kind of memory region idx of config (EMPTY also when out of range). */
HVCTL_EXPORT enum hvctl_region_kind hvctl_region_kind(const struct hvctl_config *config,
						      uint32_t idx);

/* Whether the root cell keeps access to region idx (rootshared). */
HVCTL_EXPORT bool hvctl_region_shared(const struct hvctl_config *config,
				      uint32_t idx);

/*
 * The config's memory regions in display order: physical regions by
 * physical address, then comm regions (no physical address) by guest
 * address, then empty entries; ties by index. order must hold
 * num_memory_regions entries. 0 or -ENOMEM.
 */
HVCTL_EXPORT int hvctl_regions_by_address(const struct hvctl_config *config,
					  uint32_t *order);

/* ---- The layout of a set of configs ---- */

struct hvctl_links;

#define HVCTL_SEG_OWNERS_MAX	96
#define HVCTL_SEG_NAME_MAX	32
#define HVCTL_SEG_IDS_MAX	16

struct hvctl_segment {
	uint64_t start;		/* physical (guest-physical for COMM) */
	uint64_t size;
	uint64_t virt;		/* guest-physical start in the owning cell */
	uint64_t flags;		/* HV_MEM_* of the region */
	enum hvctl_region_kind kind;
	int cell_id;		/* first owner; -1 for hypervisor and gaps */
	unsigned int num_owners;
	int owner_ids[HVCTL_SEG_IDS_MAX];	/* the first HVCTL_SEG_IDS_MAX */
	bool shared_root;	/* rootshared: the root cell keeps access */
	bool overlap;		/* starts below the end of an earlier segment */
	char owners[HVCTL_SEG_OWNERS_MAX];	/* "rtos" or "ivsh-a, ivsh-b" */
	char name[HVCTL_SEG_NAME_MAX];		/* region name from JSON, or "" */
};

struct hvctl_layout {
	struct hvctl_segment *segs;	/* physical segments and gaps, by address */
	size_t count;
	struct hvctl_segment *comm;	/* comm regions, by guest address */
	size_t num_comm;
	bool hv_known;			/* hypervisor memory placed */
};

/* One cell as input: id 0 is the root cell (its config the system's). */
struct hvctl_layout_cell {
	int id;
	const char *name;
	const struct hvctl_config *config;	/* NULL: unknown, skipped */
};

/*
 * Lay the cells out. The root cell's regions lose what non-root cells
 * took (a rootshared region is shown once, under the non-root cell,
 * marked shared). A range several non-root cells map identically
 * (ivshmem sections) is one segment with all owners. hv_size 0:
 * hypervisor memory unknown. 0 or -ENOMEM (layout is then empty).
 */
HVCTL_EXPORT int hvctl_layout_build(struct hvctl_layout *layout,
				    const struct hvctl_layout_cell *cells,
				    size_t num_cells, uint64_t hv_start,
				    uint64_t hv_size);
HVCTL_EXPORT void hvctl_layout_free(struct hvctl_layout *layout);

/*
 * The layout and the ivshmem links of the cells of a snapshot that read
 * configs (HVCTL_READ_CONFIGS), hypervisor memory placed when the system
 * config is known; links may be NULL. 0 or -ENOMEM (both then empty).
 */
HVCTL_EXPORT int hvctl_layout_snapshot(struct hvctl_layout *layout,
				       struct hvctl_links *links,
				       const struct hvctl_snapshot *snap);

/* Bytes the layout gives to cell_id (RAM, ivshmem, I/O), alone or shared. */
HVCTL_EXPORT uint64_t hvctl_layout_owned(const struct hvctl_layout *layout,
					 int cell_id, bool shared);

/* ---- ivshmem links ---- */

struct hvctl_link_peer {
	int cell_id;
	char cell[32];
	unsigned int dev_id;
	unsigned int max_peers;
	uint16_t domain;
	uint16_t protocol;
	uint64_t shm_phys;	/* the state table's physical address */
	uint64_t shm_virt;	/* ... as the cell sees it */
	uint64_t out_phys;	/* this peer's output section */
	uint64_t out_size;
};

struct hvctl_link {
	uint16_t bdf;
	uint16_t protocol;	/* the first peer's; others should agree */
	unsigned int max_peers;
	uint64_t state_size;
	uint64_t rw_size;
	uint64_t out_size;
	unsigned int num_peers;
	struct hvctl_link_peer peers[HV_IVSHMEM_MAX_PEERS];
	/* What is inconsistent between the peers' configs, or "". */
	char problem[128];
};

struct hvctl_links {
	struct hvctl_link *items;
	size_t count;
};

/*
 * The ivshmem devices of all cells grouped into links by BDF, each peer
 * with its sections. 0 or -ENOMEM (links is then empty).
 */
HVCTL_EXPORT int hvctl_links_build(struct hvctl_links *links,
				   const struct hvctl_layout_cell *cells,
				   size_t num_cells);
HVCTL_EXPORT void hvctl_links_free(struct hvctl_links *links);

/*
 * Section k of an ivshmem device's regions: "state table", "read/write",
 * "output of peer N". Like snprintf.
 */
HVCTL_EXPORT int hvctl_ivshmem_section_str(char *buf, size_t len, unsigned int k);

/*
 * The INTx interrupt (GIC INTID) of a virtual PCI device, or -1 when it
 * has none (MSI-X, or not ARM).
 */
HVCTL_EXPORT int64_t hvctl_pci_intx(const struct hvctl_config *config,
				    const struct hv_pci_device *dev);
/* The INTIDs a cell's virtual PCI INTx lines use; false when not ARM. */
HVCTL_EXPORT bool hvctl_intx_range(const struct hvctl_config *config,
				   uint64_t *first, uint64_t *last);

/* ---- What a cell config takes from the root cell ---- */

struct hvctl_claim {
	unsigned int num_cpus;
	uint64_t mem_own;	/* RAM and ivshmem the cell has alone */
	uint64_t mem_shared;	/* rootshared regions */
	unsigned int num_io;	/* I/O regions */
	unsigned int num_comm;
	unsigned int num_pci;
	unsigned int num_ivshmem;
};

HVCTL_EXPORT void hvctl_config_claim(const struct hvctl_config *config,
				     struct hvctl_claim *claim);

#endif /* !HVCTL_LAYOUT_H */
