/* SPDX-License-Identifier: MIT */
/*
 * The physical memory map: every cell's memory regions laid out on the
 * physical address axis with their owner, hypervisor memory, ivshmem and
 * root-shared regions marked, and the gaps between them.
 *
 * Built from configs only (no curses), so it is tested on its own.
 */
#ifndef HVTOP_MEMMAP_H
#define HVTOP_MEMMAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <hvctl/config.h>

enum tui_seg_kind {
	TUI_SEG_RAM = 0,
	TUI_SEG_IO,
	TUI_SEG_IVSHMEM,
	TUI_SEG_HYPERVISOR,
	TUI_SEG_COMM,		/* a cell's communication page (guest address) */
	TUI_SEG_GAP,
};

#define TUI_SEG_OWNERS_MAX	96
#define TUI_SEG_NAME_MAX	32
#define TUI_SEG_IDS_MAX		16

struct tui_seg {
	uint64_t start;		/* physical (guest-physical for COMM) */
	uint64_t size;
	uint64_t virt;		/* guest-physical start in the owning cell */
	uint64_t flags;		/* HV_MEM_* of the region */
	enum tui_seg_kind kind;
	int cell_id;		/* first owner; -1 for hypervisor and gaps */
	unsigned int num_owners;
	int owner_ids[TUI_SEG_IDS_MAX];	/* the first TUI_SEG_IDS_MAX owners */
	bool shared_root;	/* ROOTSHARED: the root cell keeps access */
	bool overlap;		/* starts below the end of an earlier segment */
	char owners[TUI_SEG_OWNERS_MAX];	/* "rtos" or "ivsh-a, ivsh-b" */
	char name[TUI_SEG_NAME_MAX];		/* region name from JSON, or "" */
};

struct tui_memmap {
	struct tui_seg *segs;	/* physical segments and gaps, by address */
	size_t count;
	struct tui_seg *comm;	/* communication regions (not physical) */
	size_t num_comm;
	bool hv_known;		/* hypervisor memory placed */
};

/* One cell as input: id 0 is the root cell. */
struct tui_memmap_cell {
	int id;
	const char *name;
	const struct hvctl_config *config;	/* NULL: unknown, skipped */
};

/*
 * Build the map. The root cell's regions lose what non-root cells took
 * (a ROOTSHARED region is shown once, under the non-root cell, marked
 * shared). A range that several non-root cells map identically (ivshmem
 * sections) is one segment with all owners. hv_size 0: hypervisor memory
 * unknown. Returns 0 or -ENOMEM (mm is then empty).
 */
int tui_memmap_build(struct tui_memmap *mm, const struct tui_memmap_cell *cells,
		     size_t num_cells, uint64_t hv_start, uint64_t hv_size);
void tui_memmap_free(struct tui_memmap *mm);

/* Bytes the map gives to cell_id (RAM, ivshmem and IO; shared or not). */
uint64_t tui_memmap_owned(const struct tui_memmap *mm, int cell_id,
			  bool shared);

/* Zoom: 0 is one row per segment; z >= 1 is 1 GiB >> (z - 1) per row. */
#define TUI_ZOOM_MAX		20
#define TUI_ZOOM_SEG_ROWS_MAX	64
#define TUI_ZOOM_GAP_ROWS_MAX	3

uint64_t tui_zoom_bytes_per_row(unsigned int zoom);

struct tui_mmrow {
	size_t seg;		/* index into segs */
	uint64_t addr;		/* address the row starts at */
	bool first;		/* first row of its segment */
};

/*
 * Rows at a zoom level for the segments with show[i] true (show NULL:
 * all). Writes at most max rows and returns how many there are in all.
 */
size_t tui_memmap_rows(const struct tui_memmap *mm, unsigned int zoom,
		       const bool *show, struct tui_mmrow *out, size_t max);

/* "RAM", "I/O", "ivshmem", "hypervisor", "comm", "gap" */
const char *tui_seg_kind_name(enum tui_seg_kind kind);

#endif /* !HVTOP_MEMMAP_H */
