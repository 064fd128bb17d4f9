// SPDX-License-Identifier: MIT
/*
 * Rows of the memory map view: the library's layout (hvctl/layout.h) at a
 * zoom level.
 */
#include "memmap.h"

uint64_t tui_zoom_bytes_per_row(unsigned int zoom)
{
	if (!zoom)
		return 0;
	if (zoom > TUI_ZOOM_MAX)
		zoom = TUI_ZOOM_MAX;
	return (UINT64_C(1) << 30) >> (zoom - 1);
}

size_t tui_memmap_rows(const struct hvctl_layout *mm, unsigned int zoom,
		       const bool *show, struct tui_mmrow *out, size_t max)
{
	uint64_t bpr = tui_zoom_bytes_per_row(zoom);
	size_t n = 0, i;

	for (i = 0; i < mm->count; i++) {
		const struct hvctl_segment *s = &mm->segs[i];
		uint64_t rows = 1, need = 1, k;

		if (show && !show[i])
			continue;
		if (bpr) {
			need = s->size / bpr + (s->size % bpr ? 1 : 0);
			rows = need ? need : 1;
			if (s->kind == HVCTL_REGION_GAP && rows > TUI_ZOOM_GAP_ROWS_MAX)
				rows = TUI_ZOOM_GAP_ROWS_MAX;
			if (rows > TUI_ZOOM_SEG_ROWS_MAX)
				rows = TUI_ZOOM_SEG_ROWS_MAX;
		}
		for (k = 0; k < rows; k++, n++) {
			if (n >= max)
				continue;
			out[n].seg = i;
			/*
			 * The stated size apart, also when capped: the rows
			 * that do not fit are left out at the end, and said so.
			 */
			out[n].addr = s->start + k * bpr;
			out[n].first = !k;
			out[n].hidden = k + 1 == rows && need > rows ?
					s->size - rows * bpr : 0;
		}
	}
	return n;
}
