/* SPDX-License-Identifier: MIT */
/*
 * The memory map view's rows: the physical layout of all cells (built by
 * libhvctl, hvctl/layout.h) cut into rows at a zoom level. No curses, so
 * it is tested on its own.
 */
#ifndef HVTOP_MEMMAP_H
#define HVTOP_MEMMAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <hvctl/layout.h>

/* Zoom: 0 is one row per segment; z >= 1 is 1 GiB >> (z - 1) per row. */
#define TUI_ZOOM_MAX		20
#define TUI_ZOOM_SEG_ROWS_MAX	64
#define TUI_ZOOM_GAP_ROWS_MAX	3

uint64_t tui_zoom_bytes_per_row(unsigned int zoom);

struct tui_mmrow {
	size_t seg;		/* index into segs */
	uint64_t addr;		/* address the row starts at */
	bool first;		/* first row of its segment */
	/*
	 * Bytes of the segment past this row's end that no row shows: only
	 * the last row of a segment with more rows than the cap has some.
	 */
	uint64_t hidden;
};

/*
 * Rows at a zoom level for the segments with show[i] true (show NULL:
 * all). Within a segment the rows are exactly the zoom's size apart
 * (the last may cover less); a segment capped at fewer rows says on its
 * last row how much is left unshown. Writes at most max rows and returns
 * how many there are in all.
 */
size_t tui_memmap_rows(const struct hvctl_layout *mm, unsigned int zoom,
		       const bool *show, struct tui_mmrow *out, size_t max);

#endif /* !HVTOP_MEMMAP_H */
