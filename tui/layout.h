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

/*
 * The dashboard's rows. Everything is shown when it fits; when it does
 * not, parts give way in this order: the exit-rate sparklines (by width,
 * see the cell table's columns), then the console lines, then the two
 * pool gauges share one line. The cell table scrolls in what is left.
 */
struct tui_dash_plan {
	int gauge_rows;		/* 2, or 1 when collapsed */
	int cpu_cols;		/* CPU bars side by side */
	int cpu_rows;		/* rows of CPU bars */
	int bar_w;		/* columns per bar, the gap included; 0: too
				 * many CPUs for bars, one character each
				 * as the cells view's strip */
	int legend_rows;	/* 1 */
	int table_rows;		/* header and cell rows */
	int console_rows;	/* heading and lines; 0: left out */
};

/* Columns a CPU bar wants at least (label, brackets, owner, rate). */
#define TUI_DASH_BAR_MIN	28
/* Narrower than this, the CPUs are shown one character each. */
#define TUI_DASH_BAR_NARROW	12

void tui_dash_plan(struct tui_dash_plan *p, int cols, int h, unsigned int num_cpus,
		   unsigned int num_cells);

#endif /* !HVTOP_LAYOUT_H */
