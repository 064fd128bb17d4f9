// SPDX-License-Identifier: MIT
/*
 * hvtop layout maths: screen areas and the minimum size, column fitting,
 * the CPU strip, gauges, scrolling, list movement.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "app.h"
#include "layout.h"

static void layout__areas_and_minimum(void **state)
{
	struct tui_layout l;

	(void)state;
	tui_layout_compute(&l, 80, 24);
	assert_false(l.too_small);
	assert_int_equal(l.body_y, 2);
	assert_int_equal(l.body_h, 20);
	assert_int_equal(l.status_y, 22);
	assert_int_equal(l.keybar_y, 23);
	tui_layout_compute(&l, 79, 40);
	assert_true(l.too_small);
	tui_layout_compute(&l, 200, 23);
	assert_true(l.too_small);
	tui_layout_compute(&l, 1, 1);
	assert_true(l.too_small);
	assert_int_equal(l.body_h, 0);
}

static void layout__columns(void **state)
{
	struct tui_column c[4] = {
		{ "ID", 3, 3, false, true, false },
		{ "NAME", 10, 6, true, false, false },
		{ "STATE", 14, 14, false, false, false },
		{ "EXTRA", 10, 10, false, true, true },
	};
	struct tui_column w[4];

	(void)state;
	/* Spare width goes to the flexible column. */
	memcpy(w, c, sizeof(c));
	assert_int_equal(tui_columns_fit(w, 4, 60), 60);
	assert_int_equal(w[1].width, 10 + (60 - 40));
	/* Shortage: the flexible column shrinks to its minimum first... */
	memcpy(w, c, sizeof(c));
	assert_int_equal(tui_columns_fit(w, 4, 36), 36);
	assert_int_equal(w[1].width, 6);
	assert_int_equal(w[3].width, 10);
	/* ...then optional columns go. */
	memcpy(w, c, sizeof(c));
	assert_int_equal(tui_columns_fit(w, 4, 30), 25);
	assert_int_equal(w[3].width, 0);
}

/* The cell table fits 80 columns with every mandatory column. */
static void layout__cells_table_at_80(void **state)
{
	struct tui_column c[9] = {
		{ "T", 1, 1, false, false, false }, { "ID", 3, 3, false, true, false },
		{ "NAME", 16, 10, true, false, false }, { "STATE", 14, 14, false, false, false },
		{ "CPUS", 10, 5, true, false, false }, { "FAILED", 6, 6, false, false, true },
		{ "MEMORY", 9, 9, false, true, false }, { "EXITS/S", 8, 8, false, true, false },
		{ "EXITS", 10, 10, false, true, true },
	};

	(void)state;
	assert_true(tui_columns_fit(c, 9, 80) <= 80);
	assert_true(c[2].width >= 10);
	assert_int_equal(c[7].width, 8);
}

static void layout__strip_and_gauge(void **state)
{
	(void)state;
	/* 80 columns less the 5-column "CPUs" caption: 8 groups of 8. */
	assert_int_equal(tui_strip_per_row(75), 64);
	assert_int_equal(tui_strip_per_row(74), 56);
	assert_int_equal(tui_strip_rows(256, 75), 4);
	assert_int_equal(tui_strip_rows(8, 75), 1);
	assert_int_equal(tui_strip_rows(0, 75), 0);
	assert_int_equal(tui_strip_per_row(5), 8);
	assert_int_equal(tui_gauge_fill(0, 100, 20), 0);
	assert_int_equal(tui_gauge_fill(1, 1000, 20), 1);	/* never hides use */
	assert_int_equal(tui_gauge_fill(50, 100, 20), 10);
	assert_int_equal(tui_gauge_fill(999, 1000, 20), 19);	/* not full: not drawn full */
	assert_int_equal(tui_gauge_fill(100, 100, 20), 20);
	assert_int_equal(tui_gauge_fill(5, 0, 20), 0);
}

static void layout__scrolling(void **state)
{
	int x, y, w, h;

	(void)state;
	assert_int_equal(tui_scroll_top(0, 5, 10, 100), 0);
	assert_int_equal(tui_scroll_top(0, 15, 10, 100), 6);
	assert_int_equal(tui_scroll_top(20, 15, 10, 100), 15);
	assert_int_equal(tui_scroll_top(95, 99, 10, 100), 90);
	assert_int_equal(tui_scroll_top(50, 3, 10, 5), 0);
	assert_int_equal(tui_list_move(0, 10, TUI_ACT_UP, 5), 0);
	assert_int_equal(tui_list_move(0, 10, TUI_ACT_DOWN, 5), 1);
	assert_int_equal(tui_list_move(8, 10, TUI_ACT_PAGE_DOWN, 5), 9);
	assert_int_equal(tui_list_move(3, 10, TUI_ACT_END, 5), 9);
	assert_int_equal(tui_list_move(3, 10, TUI_ACT_HOME, 5), 0);
	assert_int_equal(tui_list_move(3, 10, TUI_ACT_QUIT, 5), -1);
	/* Pages that scroll by their first line (help, detail, events). */
	assert_int_equal(tui_scroll_move(5, TUI_ACT_PAGE_UP, 10, TUI_SCROLL_END), 0);
	assert_int_equal(tui_scroll_move(5, TUI_ACT_PAGE_DOWN, 10, TUI_SCROLL_END), 15);
	assert_int_equal(tui_scroll_move(5, TUI_ACT_UP, 10, TUI_SCROLL_END), 4);
	assert_int_equal(tui_scroll_move(0, TUI_ACT_UP, 10, TUI_SCROLL_END), 0);
	assert_int_equal(tui_scroll_move(5, TUI_ACT_END, 10, TUI_SCROLL_END), TUI_SCROLL_END);
	assert_int_equal(tui_scroll_move(5, TUI_ACT_HOME, 10, 40), 0);
	assert_int_equal(tui_scroll_move(38, TUI_ACT_PAGE_DOWN, 10, 40), 40);
	/* A page of 0 rows (a tiny terminal) still moves by one. */
	assert_int_equal(tui_scroll_move(5, TUI_ACT_PAGE_DOWN, 0, 40), 6);
	assert_int_equal(tui_scroll_move(5, TUI_ACT_BACK, 10, 40), -1);
	tui_center_box(80, 24, 100, 10, &x, &y, &w, &h);
	assert_int_equal(w, 78);
	assert_int_equal(x, 1);
	assert_int_equal(h, 10);
	assert_int_equal(y, 7);
}

/* The dashboard's rows: what gives way first, and in which order. */
static void layout__dashboard_plan(void **state)
{
	struct tui_dash_plan p;

	(void)state;
	/* 80x24 (body 20), 8 CPUs, 3 cells: two bars a row, all fits. */
	tui_dash_plan(&p, 80, 20, 8, 3);
	assert_int_equal(p.cpu_cols, 2);
	assert_int_equal(p.cpu_rows, 4);
	assert_int_equal(p.gauge_rows, 2);
	assert_int_equal(p.table_rows, 4);
	assert_int_equal(p.console_rows, 20 - 2 - 4 - 1 - 4);
	/* 200x60: four bars a row over two rows; the console takes the rest. */
	tui_dash_plan(&p, 200, 56, 8, 3);
	assert_int_equal(p.cpu_cols, 4);
	assert_int_equal(p.cpu_rows, 2);
	assert_int_equal(p.bar_w, 50);
	assert_int_equal(p.console_rows, 56 - 2 - 2 - 1 - 4);
	/* 80x24 with 10 cells: the table scrolls, three console rows stay. */
	tui_dash_plan(&p, 80, 20, 8, 10);
	assert_int_equal(p.gauge_rows, 2);
	assert_int_equal(p.console_rows, 3);
	assert_int_equal(p.table_rows, 20 - 2 - 4 - 1 - 3);
	/* Short of that: console lines go first, the gauges stay two... */
	tui_dash_plan(&p, 80, 12, 8, 10);
	assert_int_equal(p.cpu_rows, 3);
	assert_int_equal(p.console_rows, 0);
	assert_int_equal(p.gauge_rows, 2);
	assert_int_equal(p.table_rows, 12 - 2 - 3 - 1);
	/* ...and when even the table has under three rows, share one line. */
	tui_dash_plan(&p, 80, 8, 8, 10);
	assert_int_equal(p.console_rows, 0);
	assert_int_equal(p.gauge_rows, 1);
	assert_int_equal(p.table_rows, 4);
	assert_int_equal(p.gauge_rows + p.cpu_rows + p.legend_rows + p.table_rows, 8);
	/* A 256-CPU board: too many for bars, the strip in two rows. */
	tui_dash_plan(&p, 200, 56, 256, 64);
	assert_int_equal(p.bar_w, 0);
	assert_int_equal(p.cpu_rows, (int)tui_strip_rows(256, 195));
	assert_int_equal(p.console_rows, 3);
	/* 32 CPUs at 120 columns: four bars a row over eight rows. */
	tui_dash_plan(&p, 120, 36, 32, 4);
	assert_int_equal(p.cpu_cols, 4);
	assert_int_equal(p.cpu_rows, 8);
	assert_int_equal(p.bar_w, 30);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(layout__areas_and_minimum),
		cmocka_unit_test(layout__columns),
		cmocka_unit_test(layout__cells_table_at_80),
		cmocka_unit_test(layout__strip_and_gauge),
		cmocka_unit_test(layout__scrolling),
		cmocka_unit_test(layout__dashboard_plan),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
