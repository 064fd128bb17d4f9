// SPDX-License-Identifier: MIT
/*
 * Layout maths.
 */
#include "layout.h"

void tui_layout_compute(struct tui_layout *l, int cols, int rows)
{
	l->cols = cols;
	l->rows = rows;
	l->too_small = cols < TUI_MIN_COLS || rows < TUI_MIN_ROWS;
	l->title_y = 0;
	l->tabs_y = 1;
	l->body_y = 2;
	l->body_h = rows - 4 > 0 ? rows - 4 : 0;
	l->status_y = rows >= 2 ? rows - 2 : 0;
	l->keybar_y = rows >= 1 ? rows - 1 : 0;
}

static int total_width(const struct tui_column *cols, size_t n)
{
	int w = 0, shown = 0;
	size_t i;

	for (i = 0; i < n; i++) {
		if (cols[i].width <= 0)
			continue;
		w += cols[i].width;
		shown++;
	}
	return w + (shown > 1 ? shown - 1 : 0);
}

int tui_columns_fit(struct tui_column *cols, size_t n, int avail)
{
	int w = total_width(cols, n), nflex = 0;
	size_t i;

	for (i = 0; i < n; i++)
		if (cols[i].flex && cols[i].width > 0)
			nflex++;
	if (w < avail && nflex) {
		int spare = avail - w, each = spare / nflex, extra = spare % nflex;

		for (i = 0; i < n; i++) {
			if (!cols[i].flex || cols[i].width <= 0)
				continue;
			cols[i].width += each + (extra > 0 ? 1 : 0);
			extra--;
		}
		return total_width(cols, n);
	}
	/* Too wide: shrink flexible columns towards their minimum. */
	for (i = 0; i < n && w > avail; i++) {
		int give;

		if (!cols[i].flex || cols[i].width <= cols[i].min)
			continue;
		give = cols[i].width - cols[i].min;
		if (give > w - avail)
			give = w - avail;
		cols[i].width -= give;
		w -= give;
	}
	/* Still too wide: drop optional columns, rightmost first. */
	for (i = n; i > 0 && w > avail; i--) {
		if (!cols[i - 1].optional || cols[i - 1].width <= 0)
			continue;
		cols[i - 1].width = 0;
		w = total_width(cols, n);
	}
	return w;
}

unsigned int tui_strip_per_row(int width)
{
	/* 4 columns of label, then groups of 8 with a space between groups. */
	int groups = (width - 4 + 1) / 9;

	return groups > 0 ? (unsigned int)groups * 8 : 8;
}

unsigned int tui_strip_rows(unsigned int num_cpus, int width)
{
	unsigned int per = tui_strip_per_row(width);

	return num_cpus ? (num_cpus + per - 1) / per : 0;
}

int tui_gauge_fill(uint64_t used, uint64_t total, int width)
{
	uint64_t fill;

	if (!total || width <= 0 || !used)
		return 0;
	if (used >= total)
		return width;
	fill = (used * (uint64_t)width + total / 2) / total;
	if (!fill)
		fill = 1;
	/* Not quite full must not look full. */
	if (fill >= (uint64_t)width)
		fill = (uint64_t)width - 1;
	return (int)fill;
}

int tui_scroll_top(int top, int sel, int visible, int count)
{
	if (visible <= 0 || count <= 0)
		return 0;
	if (sel < 0)
		sel = 0;
	if (sel >= count)
		sel = count - 1;
	if (sel < top)
		top = sel;
	if (sel >= top + visible)
		top = sel - visible + 1;
	if (top > count - visible)
		top = count - visible;
	return top < 0 ? 0 : top;
}

void tui_center_box(int cols, int rows, int want_w, int want_h,
		    int *x, int *y, int *w, int *h)
{
	*w = want_w < cols - 2 ? want_w : cols - 2;
	*h = want_h < rows - 2 ? want_h : rows - 2;
	if (*w < 1)
		*w = 1;
	if (*h < 1)
		*h = 1;
	*x = (cols - *w) / 2;
	*y = (rows - *h) / 2;
}

void tui_dash_plan(struct tui_dash_plan *p, int cols, int h, unsigned int num_cpus,
		   unsigned int num_cells)
{
	int ncol, rows, cap, avail, table;

	/* As many bars side by side as fit, spread evenly over the rows. */
	ncol = cols / TUI_DASH_BAR_MIN;
	if (ncol < 1)
		ncol = 1;
	if (num_cpus && (unsigned int)ncol > num_cpus)
		ncol = (int)num_cpus;
	rows = num_cpus ? (int)((num_cpus + (unsigned int)ncol - 1) / (unsigned int)ncol) : 0;
	/* A big board's bars take at most a quarter of the rows: narrower bars. */
	cap = h / 4 > 1 ? h / 4 : 1;
	if (rows > cap)
		rows = cap;
	if (rows)
		ncol = (int)((num_cpus + (unsigned int)rows - 1) / (unsigned int)rows);
	p->cpu_cols = ncol;
	p->cpu_rows = rows;
	p->bar_w = ncol ? cols / ncol : cols;
	if (num_cpus && p->bar_w < TUI_DASH_BAR_NARROW) {
		/* Too many CPUs for bars: the strip, a character per CPU. */
		p->bar_w = 0;
		p->cpu_cols = 0;
		p->cpu_rows = (int)tui_strip_rows(num_cpus, cols - 5);
		if (p->cpu_rows > cap)
			p->cpu_rows = cap;
	}
	p->legend_rows = 1;
	p->gauge_rows = 2;

	table = 1 + (int)(num_cells ? num_cells : 1);
	avail = h - p->gauge_rows - p->cpu_rows - p->legend_rows;
	if (avail - table >= 3) {
		/* Everything fits; the console fills the rest. */
		p->table_rows = table;
		p->console_rows = avail - table;
		return;
	}
	if (avail - 3 >= 1 + 4) {
		/* Many cells: the table scrolls, a few console lines stay. */
		p->table_rows = avail - 3;
		p->console_rows = 3;
		return;
	}
	/* Console lines go, then the gauges share a line. */
	p->console_rows = 0;
	if (avail < table && avail < 1 + 3) {
		p->gauge_rows = 1;
		avail++;
	}
	p->table_rows = avail > 0 ? avail : 0;
}
