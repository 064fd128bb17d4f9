// SPDX-License-Identifier: MIT
/*
 * The CPUs view: every physical CPU, its owner, its state, its exits.
 */
#include "app.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The CPUs view's own state. */
struct cpus_view {
	int sel;			/* the selected CPU's number */
	int top;
	enum tui_cpu_sort sort;
	bool rev;
};

/* The owner's ID is its tag (T); a column of its own would repeat it. */
enum { CC_CPU, CC_TAG, CC_OWNER, CC_STATE, CC_CELLSTATE, CC_RATE, CC_TOTAL,
       CC_COUNT };

static const int cpu_sort_col[TUI_CPU_SORT_COUNT] = {
	[TUI_CPU_SORT_CPU] = CC_CPU, [TUI_CPU_SORT_OWNER] = CC_OWNER,
	[TUI_CPU_SORT_STATE] = CC_STATE, [TUI_CPU_SORT_RATE] = CC_RATE,
};

static void cpu_columns(struct tui_column *c, int width)
{
	static const struct tui_column def[CC_COUNT] = {
		[CC_CPU]	= { "CPU", 4, 4, false, true, false },
		[CC_TAG]	= { "T", 1, 1, false, false, false },
		[CC_OWNER]	= { "OWNER", 20, 10, true, false, false },
		/* Room for the sort arrow after the title. */
		[CC_STATE]	= { "CPU STATE", 10, 10, false, false, false },
		[CC_CELLSTATE]	= { "CELL STATE", 14, 14, false, false, true },
		[CC_RATE]	= { "EXITS/S", 8, 8, false, true, false },
		[CC_TOTAL]	= { "EXITS", 10, 10, false, true, true },
	};

	memcpy(c, def, sizeof(def));
	tui_columns_fit(c, CC_COUNT, width);
}

static size_t cpu_order(const struct tui_app *app, const struct cpus_view *v, size_t *idx)
{
	return tui_model_cpu_order(&app->model, v->sort, v->rev,
				   app->filter[TUI_VIEW_CPUS], idx);
}

static int selected_index(const struct tui_app *app, const struct cpus_view *v,
			  const size_t *idx, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if ((int)app->model.cpus[idx[i]].cpu == v->sel)
			return (int)i;
	return 0;
}

static void cpus_draw(struct tui_app *app, void *state, int y, int h)
{
	struct cpus_view *v = state;
	const struct tui_screen *s = &app->scr;
	const struct tui_model *m = &app->model;
	struct tui_column c[CC_COUNT];
	size_t *idx, n, i;
	int row = y, x, sel;

	if (!m->snap || !m->snap->system.enabled) {
		tui_view_message(app, y, h, app->model.snap ? TUI_ROLE_WARNING :
				 TUI_ROLE_STATUS_ERROR, app->model.snap ?
				 "The hypervisor is disabled: no CPU belongs to a cell." :
				 "Backend not reachable.", app->conn_msg[0] ? app->conn_msg : NULL);
		return;
	}
	cpu_columns(c, s->cols);
	tui_fill(s, row, 0, s->cols, TUI_ROLE_HEADER, 0);
	for (i = 0, x = 0; i < CC_COUNT; i++) {
		if (c[i].width <= 0)
			continue;
		tui_put_header(s, row, x, c[i].width, (int)i == cpu_sort_col[v->sort] ?
			       TUI_ROLE_HEADER_SORT : TUI_ROLE_HEADER, c[i].title, c[i].right,
			       (int)i != cpu_sort_col[v->sort] ? 0 : v->rev ? -1 : 1);
		x += c[i].width + 1;
	}
	row++;
	idx = calloc(m->num_cpus + 1, sizeof(*idx));
	if (!idx)
		return;
	n = cpu_order(app, v, idx);
	if (!n) {
		tui_put(s, row, 2, -1, TUI_ROLE_DIM, "No CPU matches the filter.");
		free(idx);
		return;
	}
	sel = selected_index(app, v, idx, n);
	v->sel = (int)m->cpus[idx[sel]].cpu;
	v->top = tui_scroll_top(v->top, sel, y + h - row, (int)n);
	for (i = (size_t)v->top; i < n && row < y + h; i++, row++) {
		const struct tui_cpu_row *r = &m->cpus[idx[i]];
		char buf[CC_COUNT][48];
		bool is_sel = (int)i == sel;
		int k;

		snprintf(buf[CC_CPU], 48, "%u", r->cpu);
		snprintf(buf[CC_TAG], 48, "%c", r->owner ? r->owner->tag : '.');
		if (r->owner)
			hvctl_sanitize_str(buf[CC_OWNER], 48, r->owner->cell->name);
		else
			snprintf(buf[CC_OWNER], 48, "-");
		snprintf(buf[CC_STATE], 48, "%s", tui_cpu_state_name(r));
		snprintf(buf[CC_CELLSTATE], 48, "%s", r->owner ? r->owner->cell->state_name : "-");
		if (r->rate_valid)
			tui_fmt_rate(buf[CC_RATE], 48, r->rate);
		else
			snprintf(buf[CC_RATE], 48, "-");
		if (r->info->has_stats)
			tui_fmt_count(buf[CC_TOTAL], 48, r->total);
		else
			snprintf(buf[CC_TOTAL], 48, "-");
		if (is_sel)
			tui_fill(s, row, 0, s->cols, TUI_ROLE_SELECTED, 0);
		for (k = 0, x = 0; k < CC_COUNT; k++) {
			enum tui_role role = TUI_ROLE_NORMAL;

			if (c[k].width <= 0)
				continue;
			if (k == CC_TAG && r->owner)
				role = r->owner->owner_role;
			else if (k == CC_STATE)
				role = tui_cpu_state_role(r);
			else if (k == CC_CELLSTATE && r->owner)
				role = tui_state_role(r->owner->cell->state);
			if (is_sel)
				role = TUI_ROLE_SELECTED;
			tui_put_pad(s, row, x, c[k].width, role, buf[k], c[k].right);
			x += c[k].width + 1;
		}
	}
	free(idx);
}

const char *tui_cpus_sort_title(enum tui_cpu_sort key)
{
	struct tui_column c[CC_COUNT];

	if ((unsigned int)key >= TUI_CPU_SORT_COUNT)
		return "?";
	cpu_columns(c, 1000);
	return c[cpu_sort_col[key]].title;
}

enum tui_cpu_sort tui_cpus_sort_key(const struct tui_app *app, bool *desc)
{
	const struct cpus_view *v = tui_view_state(app, TUI_VIEW_CPUS);

	*desc = v->rev;
	return v->sort;
}

void tui_cpus_sort_choose(struct tui_app *app, enum tui_cpu_sort key)
{
	struct cpus_view *v = tui_view_state(app, TUI_VIEW_CPUS);

	/* A new column in its own direction (rates largest first); the
	 * sorted one again the other way round. */
	v->rev = key == v->sort ? !v->rev : tui_cpu_sort_desc_first(key);
	v->sort = key;
	snprintf(app->settings.cpus_sort, sizeof(app->settings.cpus_sort), "%s",
		 tui_cpu_sort_name(key));
	app->settings.cpus_sort_reverse = v->rev;
	app->settings.dirty = true;
	app->dirty |= TUI_DIRTY_FRAME;
	tui_app_status(app, TUI_ROLE_STATUS, "sorted by %s, %s", tui_cpu_sort_name(key),
		       v->rev ? "descending" : "ascending");
}

static bool cpus_key(struct tui_app *app, void *state, enum tui_action a)
{
	struct cpus_view *v = state;
	const struct tui_cpu_row *r;
	size_t *idx, n;
	int sel, next;

	switch (a) {
	case TUI_ACT_SORT:
		tui_cpus_sort_choose(app, (v->sort + 1) % TUI_CPU_SORT_COUNT);
		return true;
	case TUI_ACT_SORT_PICK:
		tui_sortpick_open(app, true);
		return true;
	case TUI_ACT_SORT_REVERSE:
		v->rev = !v->rev;
		app->settings.cpus_sort_reverse = v->rev;
		app->settings.dirty = true;
		tui_app_status(app, TUI_ROLE_STATUS, "sorted by %s, %s",
			       tui_cpu_sort_name(v->sort), v->rev ? "descending" : "ascending");
		return true;
	case TUI_ACT_DETAIL:
		r = tui_model_cpu(&app->model, (unsigned int)v->sel);
		if (!r || !r->owner) {
			tui_app_status(app, TUI_ROLE_WARNING, "CPU %d belongs to no cell",
				       v->sel);
			return true;
		}
		tui_app_open_detail(app, r->owner->cell->id, v->sel);
		return true;
	default:
		break;
	}
	if (!app->model.num_cpus)
		return false;
	idx = calloc(app->model.num_cpus, sizeof(*idx));
	if (!idx)
		return false;
	n = cpu_order(app, v, idx);
	sel = n ? selected_index(app, v, idx, n) : -1;
	next = tui_list_move(sel, (int)n, a, app->lay.body_h - 2);
	if (next >= 0 && n)
		v->sel = (int)app->model.cpus[idx[next]].cpu;
	free(idx);
	if (next < 0)
		return false;
	app->dirty |= TUI_DIRTY_FRAME;
	return true;
}

static void cpus_init(struct tui_app *app, void *state)
{
	struct cpus_view *v = state;
	int sort = tui_cpu_sort_from_name(app->settings.cpus_sort);

	v->sort = sort >= 0 ? (enum tui_cpu_sort)sort : TUI_CPU_SORT_CPU;
	v->rev = app->settings.cpus_sort_reverse;
}

static int cpus_cpu_stats(const struct tui_app *app, const void *state)
{
	(void)app;
	(void)state;
	return HVCTL_CPU_STATS_ALL;
}

/* The selected CPU's owner. */
static const struct tui_cell_row *cpus_cell(const struct tui_app *app, const void *state)
{
	const struct cpus_view *v = state;
	const struct tui_cpu_row *cpu = tui_model_cpu(&app->model, (unsigned int)v->sel);

	return cpu ? cpu->owner : NULL;
}

const struct tui_view_ops tui_view_cpus_ops = {
	.name = "cpus",
	.title = "CPUs",
	.keys = TUI_KEYS_CPUS,
	.parent = -1,
	.state_size = sizeof(struct cpus_view),
	.init = cpus_init,
	.draw = cpus_draw,
	.key = cpus_key,
	.cpu_stats = cpus_cpu_stats,
	.cell = cpus_cell,
};
