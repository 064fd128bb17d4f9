/* SPDX-License-Identifier: MIT */
/*
 * ivshmem links: the virtual PCI devices of type ivshmem in all cells'
 * configs, grouped into links by their BDF, with each peer's sections.
 */
#ifndef HVTOP_LINKS_H
#define HVTOP_LINKS_H

#include <stddef.h>
#include <stdint.h>

#include <hvctl/config.h>

#include "memmap.h"

struct tui_link_peer {
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

struct tui_link {
	uint16_t bdf;
	uint16_t protocol;	/* the first peer's; others should agree */
	unsigned int max_peers;
	uint64_t state_size;
	uint64_t rw_size;
	uint64_t out_size;
	unsigned int num_peers;
	struct tui_link_peer peers[HV_IVSHMEM_MAX_PEERS];
	/* What is inconsistent between the peers' configs, or "". */
	char problem[128];
};

struct tui_links {
	struct tui_link *items;
	size_t count;
};

/* Build from the cells' configs (cells as for the memory map). */
int tui_links_build(struct tui_links *links, const struct tui_memmap_cell *cells,
		    size_t num_cells);
void tui_links_free(struct tui_links *links);

/* "veth", "virtio-net front", "custom 0x4001", "undefined" */
int tui_shmem_protocol_str(char *buf, size_t n, uint16_t protocol);
/* "00:01.0" */
int tui_bdf_str(char *buf, size_t n, uint16_t domain, uint16_t bdf, bool with_domain);

#endif /* !HVTOP_LINKS_H */
