/* SPDX-License-Identifier: MIT */
/*
 * Layout maths: screen areas, table columns, the CPU strip, gauges,
 * scrolling. Pure arithmetic, unit-tested without a terminal.
 */
#ifndef HVTOP_LAYOUT_H
#define HVTOP_LAYOUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Below this the views do not fit; hvtop says so instead of garbling. */
#define TUI_MIN_COLS	80
#define TUI_MIN_ROWS	24

struct tui_layout {
	int cols, rows;
	bool too_small;
	int title_y;		/* title bar */
	int tabs_y;		/* view tabs */
	int body_y, body_h;	/* the view */
	int status_y;		/* messages and prompts */
	int keybar_y;		/* key bar */
};

void tui_layout_compute(struct tui_layout *l, int cols, int rows);

struct tui_column {
	const char *title;
	int width;		/* wanted; set to the granted width */
	int min;		/* a flexible column may shrink to this */
	bool flex;		/* takes the spare width */
	bool right;		/* right-aligned */
	bool optional;		/* dropped (width 0) when nothing else fits */
};

/*
 * Fit columns (one space between visible ones) into avail columns:
 * spare width goes to flexible columns, shortage is taken from them down
 * to their minimum, then optional columns are dropped from the right.
 * Returns the total width used.
 */
int tui_columns_fit(struct tui_column *cols, size_t n, int avail);

/* CPUs per strip row: whole groups of 8 after a 4-column row label. */
unsigned int tui_strip_per_row(int width);
unsigned int tui_strip_rows(unsigned int num_cpus, int width);

/* Filled cells of a gauge width wide; never rounds a non-zero use to 0. */
int tui_gauge_fill(uint64_t used, uint64_t total, int width);

/* The first visible row so that sel (0..count-1) stays in view. */
int tui_scroll_top(int top, int sel, int visible, int count);

/* A centred box of at most want_w x want_h inside cols x rows (margin 1). */
void tui_center_box(int cols, int rows, int want_w, int want_h,
		    int *x, int *y, int *w, int *h);

#endif /* !HVTOP_LAYOUT_H */
