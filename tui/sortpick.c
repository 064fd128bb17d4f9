// SPDX-License-Identifier: MIT
/*
 * F6's sort picker, as htop's: a list of the table's sortable columns
 * over the view, the current one marked with its direction. Enter (or a
 * click) sorts by the highlighted column, numbers largest first; the
 * current column chosen again turns the order round. Esc or F6 closes.
 */
#include "app.h"

#include <stdio.h>
#include <string.h>

#define PICK_W	24

static int num_keys(const struct tui_app *app)
{
	return app->picker.cpus ? TUI_CPU_SORT_COUNT : TUI_CELL_SORT_COUNT;
}

static int current_key(const struct tui_app *app, bool *desc)
{
	if (app->picker.cpus)
		return (int)tui_cpus_sort_key(app, desc);
	return (int)tui_cells_sort_key(app, desc);
}

void tui_sortpick_open(struct tui_app *app, bool cpus)
{
	bool desc;

	app->picker.active = true;
	app->picker.cpus = cpus;
	app->picker.sel = current_key(app, &desc);
	app->dirty |= TUI_DIRTY_FRAME;
}

static void choose(struct tui_app *app, int key)
{
	app->picker.active = false;
	if (app->picker.cpus)
		tui_cpus_sort_choose(app, (enum tui_cpu_sort)key);
	else
		tui_cells_sort_choose(app, (enum tui_cell_sort)key);
}

void tui_sortpick_key(struct tui_app *app, enum tui_action a, int key)
{
	int n = num_keys(app);
	/* The list is one page: page up and down go to its ends. */
	int sel = tui_list_move(app->picker.sel, n, a, n);

	app->dirty |= TUI_DIRTY_FRAME;
	if (key == '\n' || key == '\r' || key == KEY_ENTER) {
		choose(app, app->picker.sel);
		return;
	}
	if (sel >= 0) {
		app->picker.sel = sel;
		return;
	}
	switch (a) {
	case TUI_ACT_QUIT:
		/* q leaves the list, not hvtop; F10 quits as everywhere. */
		if (key == KEY_F(10))
			app->quit = true;
		app->picker.active = false;
		return;
	case TUI_ACT_BACK:
	case TUI_ACT_SORT_PICK:
		app->picker.active = false;
		return;
	default:
		if (key == 27)
			app->picker.active = false;
		return;
	}
}

void tui_sortpick_click(struct tui_app *app, int y, int x)
{
	const struct tui_sort_picker *p = &app->picker;
	int i = y - p->y - 1;

	app->dirty |= TUI_DIRTY_FRAME;
	if (x >= p->x && x < p->x + p->w && i >= 0 && i < p->rows) {
		choose(app, i);
		return;
	}
	app->picker.active = false;
}

void tui_sortpick_draw(struct tui_app *app)
{
	struct tui_sort_picker *p = &app->picker;
	const struct tui_screen *s = &app->scr;
	int n = num_keys(app), i, cur;
	bool desc;

	cur = current_key(app, &desc);
	p->y = app->lay.body_y;
	p->x = 0;
	p->w = PICK_W < s->cols ? PICK_W : s->cols;
	p->rows = n < app->lay.body_h - 2 ? n : app->lay.body_h - 2;
	tui_put_pad(s, p->y, p->x, p->w, TUI_ROLE_HEADER, "Sort by", false);
	for (i = 0; i < p->rows; i++) {
		const char *title = p->cpus ? tui_cpus_sort_title((enum tui_cpu_sort)i) :
				    tui_cells_sort_title((enum tui_cell_sort)i);
		char line[64];

		/* The current column with the way it is sorted now. */
		snprintf(line, sizeof(line), " %-12s %s", title,
			 i != cur ? "" : desc ? "descending" : "ascending");
		tui_put_pad(s, p->y + 1 + i, p->x, p->w,
			    i == p->sel ? TUI_ROLE_SELECTED :
			    i == cur ? TUI_ROLE_HEADER_SORT : TUI_ROLE_NORMAL, line, false);
	}
	tui_put_pad(s, p->y + 1 + p->rows, p->x, p->w, TUI_ROLE_DIM,
		    " Enter sorts, Esc closes", false);
}
