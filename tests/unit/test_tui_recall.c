// SPDX-License-Identifier: MIT
/*
 * hvtop's memory of cells (tui/recall.c): which cells it saw created and
 * never loaded, what it loaded, and the cell destroyed last with its
 * config, for the start warning and re-create.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "recall.h"

static struct hvctl_cell_info cells[3];

static void set_cell(int i, int id, const char *name, enum hvctl_cell_state st,
		     const struct hvctl_config *config)
{
	memset(&cells[i], 0, sizeof(cells[i]));
	cells[i].id = id;
	cells[i].is_root = id == 0;
	snprintf(cells[i].name, sizeof(cells[i].name), "%s", name);
	cells[i].state = st;
	cells[i].config = config;
}

static void snap_of(struct hvctl_snapshot *s, size_t n)
{
	memset(s, 0, sizeof(*s));
	s->system.enabled = n > 0;
	s->num_cells = n;
	s->cells = cells;
}

static void recall__fresh_loaded_gone(void **state)
{
	struct hvctl_config *cfg = NULL;
	struct hvctl_error err;
	struct tui_recall r = { 0 };
	struct hvctl_snapshot s;
	struct tui_recall_cell *e;
	const struct tui_recall_cell *g;

	(void)state;
	assert_int_equal(hvctl_config_read_file(&cfg, HVCTL_SOURCE_DIR
						"/configs/sim/rtos.json", &err), 0);
	/* There from the start: hvtop cannot tell whether it was loaded. */
	set_cell(0, 0, "root", HVCTL_CELL_RUNNING, NULL);
	set_cell(1, 1, "old", HVCTL_CELL_SHUT_DOWN, NULL);
	snap_of(&s, 2);
	assert_int_equal(tui_recall_snapshot(&r, &s, 100), 0);
	e = tui_recall_find(&r, 1);
	assert_non_null(e);
	assert_false(e->fresh);
	assert_int_equal(e->created, 0);
	assert_null(tui_recall_find(&r, 0));	/* the root cell is not kept */

	/* Created while hvtop watched: fresh, with its config copied. */
	set_cell(2, 2, "rtos", HVCTL_CELL_SHUT_DOWN, cfg);
	snap_of(&s, 3);
	assert_int_equal(tui_recall_snapshot(&r, &s, 200), 0);
	e = tui_recall_find(&r, 2);
	assert_non_null(e);
	assert_true(e->fresh);
	assert_int_equal(e->created, 200);
	assert_non_null(e->config);
	assert_ptr_not_equal(e->config, cfg);
	assert_string_equal(e->config->cell->name, "rtos");

	/* A load seen: not fresh, the image kept once. */
	tui_recall_loaded(&r, 2, "/img/rtos.guest", 0);
	tui_recall_loaded(&r, 2, "/img/rtos.guest", 0);
	tui_recall_loaded(&r, 2, "/img/extra.bin", 0x1000);
	e = tui_recall_find(&r, 2);
	assert_false(e->fresh);
	assert_int_equal(e->num_images, 2);
	assert_string_equal(e->images[1].path, "/img/extra.bin");
	assert_int_equal(e->images[1].address, 0x1000);

	/* Seen running is as good as seen loaded. */
	set_cell(1, 1, "old", HVCTL_CELL_RUNNING, NULL);
	snap_of(&s, 3);
	assert_int_equal(tui_recall_snapshot(&r, &s, 250), 0);
	assert_false(tui_recall_find(&r, 1)->fresh);

	/* rtos destroyed: gone, and the one to re-create (it has a config). */
	snap_of(&s, 2);
	assert_int_equal(tui_recall_snapshot(&r, &s, 300), 0);
	assert_null(tui_recall_find(&r, 2));
	g = tui_recall_last_gone(&r);
	assert_non_null(g);
	assert_string_equal(g->name, "rtos");
	assert_int_equal(g->gone_at, 300);
	assert_int_equal(g->num_images, 2);

	/* A new cell with rtos's ID is another cell, and fresh. */
	set_cell(1, 2, "other", HVCTL_CELL_SHUT_DOWN, NULL);
	snap_of(&s, 2);
	assert_int_equal(tui_recall_snapshot(&r, &s, 400), 0);
	e = tui_recall_find(&r, 2);
	assert_string_equal(e->name, "other");
	assert_true(e->fresh);
	/* "old" went at the same time, but has no config: rtos stays the one. */
	assert_string_equal(tui_recall_last_gone(&r)->name, "rtos");

	tui_recall_forget(&r, tui_recall_last_gone(&r));
	assert_null(tui_recall_last_gone(&r));
	/* The backend gone says nothing about the cells. */
	assert_int_equal(tui_recall_snapshot(&r, NULL, 500), 0);
	assert_non_null(tui_recall_find(&r, 2));
	/* A disable: every cell is gone. */
	snap_of(&s, 0);
	assert_int_equal(tui_recall_snapshot(&r, &s, 600), 0);
	assert_null(tui_recall_find(&r, 2));
	tui_recall_free(&r);
	hvctl_config_free(cfg);
}

/* The memory is bounded: the oldest gone cells make way. */
static void recall__bounded(void **state)
{
	struct tui_recall r = { 0 };
	struct hvctl_snapshot s;
	int i;

	(void)state;
	set_cell(0, 0, "root", HVCTL_CELL_RUNNING, NULL);
	snap_of(&s, 1);
	assert_int_equal(tui_recall_snapshot(&r, &s, 1), 0);
	for (i = 1; i <= 3 * TUI_RECALL_MAX; i++) {
		char name[16];

		snprintf(name, sizeof(name), "c%d", i);
		set_cell(1, i, name, HVCTL_CELL_SHUT_DOWN, NULL);
		snap_of(&s, 2);
		assert_int_equal(tui_recall_snapshot(&r, &s, i), 0);
		assert_true(r.count <= TUI_RECALL_MAX);
	}
	assert_non_null(tui_recall_find(&r, 3 * TUI_RECALL_MAX));
	tui_recall_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(recall__fresh_loaded_gone),
		cmocka_unit_test(recall__bounded),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
