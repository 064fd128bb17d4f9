// SPDX-License-Identifier: MIT
/*
 * hvtop's table of views (view.h): every view has the operations the
 * frame calls, tabs come before the views opened from them, Tab and
 * Shift-Tab go round the tabs only, and the cell detail is a view of its
 * own that belongs to the Cells tab.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "view.h"

static void views__table_complete(void **state)
{
	bool child_seen = false;
	int v;

	(void)state;
	for (v = 0; v < TUI_VIEW_COUNT; v++) {
		const struct tui_view_ops *o = tui_view_ops((enum tui_view)v);

		assert_non_null(o->name);
		assert_non_null(o->title);
		assert_non_null(o->draw);
		assert_non_null(o->key);
		assert_true(o->keys >= 0 && o->keys < TUI_KEYS_COUNT);
		assert_int_equal(tui_view_from_name(o->name), v);
		if (o->parent >= 0) {
			/* A child belongs to a tab that comes before it. */
			assert_true(o->parent < v);
			assert_true(tui_view_ops((enum tui_view)o->parent)->parent < 0);
			child_seen = true;
		} else {
			assert_false(child_seen);
		}
	}
}

static void views__detail_is_a_view(void **state)
{
	const struct tui_view_ops *d = tui_view_ops(TUI_VIEW_DETAIL);

	(void)state;
	assert_int_equal(d->parent, TUI_VIEW_CELLS);
	assert_int_equal(tui_view_tab(TUI_VIEW_DETAIL), TUI_VIEW_CELLS);
	assert_int_equal(tui_view_keyctx(TUI_VIEW_DETAIL), TUI_KEYS_DETAIL);
	assert_non_null(d->cpu_stats);
	assert_non_null(d->cell);
	assert_true(d->state_size > 0);
}

static void views__tab_order(void **state)
{
	enum tui_view v = TUI_VIEW_DASHBOARD, last = TUI_VIEW_DASHBOARD;
	int i, tabs = 0;

	(void)state;
	for (i = 0; i < TUI_VIEW_COUNT; i++) {
		if (tui_view_ops((enum tui_view)i)->parent < 0) {
			tabs++;
			last = (enum tui_view)i;
		}
	}
	assert_true(tabs >= 5);
	/* Round every tab and back to the first, never onto the detail. */
	for (i = 0; i < tabs; i++) {
		enum tui_view next = tui_view_next_tab(v, 1);

		assert_true(tui_view_ops(next)->parent < 0);
		assert_int_equal(tui_view_next_tab(next, -1), v);
		v = next;
	}
	assert_int_equal(v, TUI_VIEW_DASHBOARD);
	assert_int_equal(tui_view_next_tab(TUI_VIEW_DASHBOARD, -1), last);
	/* The dashboard is the first tab (key 0), Cells the second. */
	assert_int_equal(tui_view_next_tab(TUI_VIEW_DASHBOARD, 1), TUI_VIEW_CELLS);
	/* From the detail, Tab goes on from its tab, Cells. */
	assert_int_equal(tui_view_next_tab(TUI_VIEW_DETAIL, 1), TUI_VIEW_CPUS);
	assert_int_equal(tui_view_next_tab(TUI_VIEW_DETAIL, -1), TUI_VIEW_DASHBOARD);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(views__table_complete),
		cmocka_unit_test(views__detail_is_a_view),
		cmocka_unit_test(views__tab_order),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
