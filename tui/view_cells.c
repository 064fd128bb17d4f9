// SPDX-License-Identifier: MIT
/*
 * The cells view: pool gauges, the CPU ownership strip and the cell
 * table. Also the helpers every view uses (list movement, messages in
 * the body, the connected-and-enabled check).
 */
#include "app.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "doc.h"

/* The cells view's own state. */
struct cells_view {
	int top;			/* first row shown */
	enum tui_cell_sort sort;
	bool rev;
};

int tui_scroll_move(int idx, enum tui_action a, int page, int last)
{
	if (page < 1)
		page = 1;
	switch (a) {
	case TUI_ACT_UP:
		idx--;
		break;
	case TUI_ACT_DOWN:
		idx++;
		break;
	case TUI_ACT_PAGE_UP:
		idx -= page;
		break;
	case TUI_ACT_PAGE_DOWN:
		idx += page;
		break;
	case TUI_ACT_HOME:
		idx = 0;
		break;
	case TUI_ACT_END:
		idx = last;
		break;
	default:
		return -1;
	}
	if (idx > last)
		idx = last;
	if (idx < 0)
		idx = 0;
	return idx;
}

int tui_list_move(int idx, int count, enum tui_action a, int page)
{
	return tui_scroll_move(idx, a, page, count - 1);
}

void tui_view_message(struct tui_app *app, int y, int h, enum tui_role role,
		      const char *line1, const char *line2)
{
	const struct tui_screen *s = &app->scr;
	int row = y + h / 3, x;

	x = (s->cols - (int)strlen(line1)) / 2;
	tui_put(s, row, x > 0 ? x : 0, -1, role, line1);
	if (line2) {
		x = (s->cols - (int)strlen(line2)) / 2;
		tui_put(s, row + 1, x > 0 ? x : 0, -1, TUI_ROLE_DIM, line2);
	}
}

bool tui_view_have_system(struct tui_app *app, int y, int h)
{
	const struct hvctl_snapshot *snap = app->model.snap;

	/* Gone with a state read before: that state, stale (draw.c dims it). */
	if (!snap) {
		char l1[HVCTL_ERROR_MAX + 32];

		snprintf(l1, sizeof(l1), "Backend not reachable: %.400s",
			 app->conn_msg[0] ? app->conn_msg : hvctl_uri(app->ctx));
		tui_view_message(app, y, h, TUI_ROLE_STATUS_ERROR, l1,
				 "hvtop reconnects as soon as it is back.");
		return false;
	}
	if (!snap->system.enabled) {
		char l2[sizeof(app->readonly_why) + 64];

		if (app->readonly)
			snprintf(l2, sizeof(l2), "hvtop is read-only (%s): it cannot be enabled from here.",
				 app->readonly_why);
		else
			snprintf(l2, sizeof(l2), "Press E to enable it with a system config.");
		tui_view_message(app, y, h, TUI_ROLE_WARNING, app->readonly ?
				 "The hypervisor is disabled - read-only." :
				 "The hypervisor is disabled.", l2);
		return false;
	}
	return true;
}

int tui_cells_gauges(struct tui_app *app, int y, bool two_lines)
{
	const struct hvctl_system_info *sys = &app->model.snap->system;
	const struct tui_screen *s = &app->scr;
	int half = s->cols / 2, x, y2 = y, x2 = half, lw = 0;
	char label[64];

	if (two_lines) {
		/* Labels aligned, each gauge the full width. */
		y2 = y + 1;
		x2 = 0;
		half = s->cols + 1;
		lw = 18;
	}
	x = tui_put(s, y, 0, lw ? lw : -1, TUI_ROLE_LABEL, "Hypervisor memory ");
	x = lw ? lw : x;
	snprintf(label, sizeof(label), "%" PRIu64 "/%" PRIu64 " pages", sys->mem_pool_used,
		 sys->mem_pool_size);
	tui_gauge(s, y, x, half - x - 1, sys->mem_pool_used, sys->mem_pool_size, label);
	x = x2 + tui_put(s, y2, x2, lw ? lw : -1, TUI_ROLE_LABEL, "Remap pool ");
	x = lw ? lw : x;
	snprintf(label, sizeof(label), "%" PRIu64 "/%" PRIu64 " pages", sys->remap_pool_used,
		 sys->remap_pool_size);
	tui_gauge(s, y2, x, s->cols - x - (lw ? 1 : 0), sys->remap_pool_used,
		  sys->remap_pool_size, label);
	return y2 - y + 1;
}

/* One character per CPU, in groups of eight: the owner's tag in its colour. */
int tui_cells_strip(struct tui_app *app, int y, int max_rows)
{
	const struct tui_model *m = &app->model;
	const struct tui_screen *s = &app->scr;
	unsigned int per = tui_strip_per_row(s->cols - 5);
	unsigned int rows = tui_strip_rows((unsigned int)m->num_cpus, s->cols - 5);
	unsigned int r, i;

	if ((int)rows > max_rows)
		rows = (unsigned int)max_rows;
	for (r = 0; r < rows; r++) {
		int x;

		tui_put(s, y + (int)r, 0, 5, TUI_ROLE_LABEL, r ? "" : "CPUs");
		x = 5 + tui_putf(s, y + (int)r, 5, 4, TUI_ROLE_DIM, "%3u ", r * per);
		for (i = 0; i < per; i++) {
			unsigned int cpu = r * per + i;
			const struct tui_cpu_row *c = tui_model_cpu(m, cpu);
			char ch[2] = { '.', '\0' };
			enum tui_role role = TUI_ROLE_CPU_FREE;

			if (cpu >= m->num_cpus)
				break;
			if (i && !(i % 8))
				x++;
			if (c->info->failed) {
				ch[0] = '!';
				role = TUI_ROLE_CPU_FAILED;
			} else if (c->owner) {
				ch[0] = c->owner->tag;
				role = c->owner->owner_role;
			}
			if (!app->mono && c->owner && !c->info->failed) {
				/* A coloured block with the tag on it. */
				attrset(tui_attr(s, role) | A_REVERSE);
				mvaddch(y + (int)r, x, (chtype)(unsigned char)ch[0]);
				attrset(A_NORMAL);
			} else {
				tui_put(s, y + (int)r, x, 1, role, ch);
			}
			x++;
		}
	}
	return (int)rows;
}

enum { COL_TAG, COL_ID, COL_NAME, COL_STATE, COL_CPUS, COL_FAILED, COL_MEM, COL_RATE,
       COL_TOTAL, COL_HIST, NUM_COLS };

/* The exit-rate history column: at least this wide, or it is left out. */
#define HIST_MIN	8
#define HIST_WANT	24

static void cell_columns(struct tui_column *c, int width, bool history)
{
	static const struct tui_column def[NUM_COLS] = {
		[COL_TAG]	= { "T", 1, 1, false, false, false },
		[COL_ID]	= { "ID", 3, 3, false, true, false },
		[COL_NAME]	= { "NAME", 16, 10, true, false, false },
		[COL_STATE]	= { "STATE", 14, 14, false, false, false },
		[COL_CPUS]	= { "CPUS", 10, 5, true, false, false },
		[COL_FAILED]	= { "FAILED", 6, 6, false, false, true },
		/* "1023.9 MiB": sizes change unit at 1024. */
		[COL_MEM]	= { "MEMORY", 10, 10, false, true, false },
		[COL_RATE]	= { "EXITS/S", 8, 8, false, true, false },
		[COL_TOTAL]	= { "EXITS", 10, 10, false, true, true },
		[COL_HIST]	= { "EXITS/S HISTORY", HIST_WANT, HIST_MIN, true, false, true },
	};

	memcpy(c, def, sizeof(def));
	if (!history) {
		c[COL_HIST].width = 0;
	} else {
		/*
		 * The history goes first when width is short: it is dropped
		 * before the other columns shrink.
		 */
		c[COL_NAME].flex = false;
		c[COL_CPUS].flex = false;
		tui_columns_fit(c, NUM_COLS, width);
		if (c[COL_HIST].width >= HIST_MIN && c[COL_NAME].width >= 16 &&
		    c[COL_CPUS].width >= 10) {
			/* Wide: names up to 32 columns, the rest to the history. */
			int spare = c[COL_HIST].width - HIST_WANT, more = 32 - c[COL_NAME].width;

			if (spare > 0 && more > 0) {
				more = more < spare ? more : spare;
				c[COL_NAME].width += more;
				c[COL_HIST].width -= more;
			}
			return;
		}
		memcpy(c, def, sizeof(def));
		c[COL_HIST].width = 0;
	}
	tui_columns_fit(c, NUM_COLS, width);
}

/*
 * A sparkline of the last w samples of h, newest at the right, scaled to
 * the largest shown: '_' for no exits, then ". : - = + * #" upwards.
 */
static void sparkline(char *out, int w, const struct tui_history *h)
{
	static const char glyph[] = "_.:-=+*#";
	unsigned int bars[256], i;

	if (w > 255)
		w = 255;
	tui_history_bars(h, (unsigned int)w, 7, 0.0, bars);
	for (i = 0; i < (unsigned int)w; i++) {
		unsigned int slot = h->len >= (unsigned int)w ? 0 : (unsigned int)w - h->len;

		out[i] = i < slot ? ' ' : glyph[bars[i] > 7 ? 7 : bars[i]];
	}
	out[w] = '\0';
}

static const int sort_col[TUI_CELL_SORT_COUNT] = {
	[TUI_CELL_SORT_ID] = COL_ID, [TUI_CELL_SORT_NAME] = COL_NAME,
	[TUI_CELL_SORT_STATE] = COL_STATE, [TUI_CELL_SORT_CPUS] = COL_CPUS,
	[TUI_CELL_SORT_MEMORY] = COL_MEM, [TUI_CELL_SORT_RATE] = COL_RATE,
	[TUI_CELL_SORT_TOTAL] = COL_TOTAL,
};

const char *tui_cells_sort_title(enum tui_cell_sort key)
{
	struct tui_column c[NUM_COLS];

	if ((unsigned int)key >= TUI_CELL_SORT_COUNT)
		return "?";
	cell_columns(c, 1000, false);
	return c[sort_col[key]].title;
}

static void draw_cell_row(struct tui_app *app, int y, const struct tui_column *c,
			  const struct tui_cell_row *r, bool sel)
{
	const struct tui_screen *s = &app->scr;
	const struct hvctl_cell_info *ci = r->cell;
	char buf[NUM_COLS][256];
	int x = 0, i;

	/* A cell in alarm is marked '!' where its tag would be. */
	snprintf(buf[COL_TAG], 256, "%c", tui_alarm_cell(ci) ? '!' : r->tag);
	snprintf(buf[COL_ID], 256, "%d", ci->id);
	hvctl_sanitize_str(buf[COL_NAME], 256, ci->name);
	snprintf(buf[COL_STATE], 256, "%s", ci->state_name ? ci->state_name : "?");
	snprintf(buf[COL_CPUS], 256, "%s", ci->cpus_list && ci->cpus_list[0] ? ci->cpus_list : "-");
	snprintf(buf[COL_FAILED], 256, "%s", ci->num_failed ? ci->failed_list : "-");
	if (r->mem_known)
		tui_fmt_size(buf[COL_MEM], 256, r->mem_owned + r->mem_shared);
	else
		snprintf(buf[COL_MEM], 256, "?");
	if (r->rate_valid)
		tui_fmt_rate(buf[COL_RATE], 256, r->rate);
	else
		snprintf(buf[COL_RATE], 256, "-");
	tui_fmt_count(buf[COL_TOTAL], 256, r->total);
	buf[COL_HIST][0] = '\0';
	if (c[COL_HIST].width > 0 && r->hist)
		sparkline(buf[COL_HIST], c[COL_HIST].width, &r->hist->total);

	if (sel)
		tui_fill(s, y, 0, s->cols, TUI_ROLE_SELECTED, 0);
	for (i = 0; i < NUM_COLS; i++) {
		enum tui_role role = TUI_ROLE_NORMAL;

		if (c[i].width <= 0)
			continue;
		if (i == COL_TAG)
			role = tui_alarm_cell(ci) ? TUI_ROLE_STATE_FAILED : r->owner_role;
		else if (i == COL_NAME && tui_alarm_cell(ci))
			role = TUI_ROLE_STATE_FAILED;
		else if (i == COL_STATE)
			role = tui_state_role(ci->state);
		else if (i == COL_FAILED && ci->num_failed)
			role = TUI_ROLE_CPU_FAILED;
		else if (i == COL_HIST)
			role = TUI_ROLE_GRAPH;
		if (sel)
			role = TUI_ROLE_SELECTED;
		/* A CPU list too long for its column says so with a '+'. */
		if (i == COL_CPUS && (int)strlen(buf[i]) > c[i].width && c[i].width > 1) {
			buf[i][c[i].width - 1] = '+';
			buf[i][c[i].width] = '\0';
		}
		tui_put_pad(s, y, x, c[i].width, role, buf[i], c[i].right);
		x += c[i].width + 1;
	}
}

static size_t cell_order(const struct tui_app *app, enum tui_view fv, size_t *idx)
{
	const struct cells_view *v = tui_view_state(app, TUI_VIEW_CELLS);

	return tui_model_cell_order(&app->model, v->sort, v->rev, app->filter[fv], idx);
}

static int selected_index(const struct tui_app *app, const size_t *idx, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (app->model.cells[idx[i]].cell->id == app->cells_sel_id)
			return (int)i;
	return 0;
}

int tui_cells_table(struct tui_app *app, int y, int h, enum tui_view fv, int *top,
		    bool history)
{
	const struct cells_view *v = tui_view_state(app, TUI_VIEW_CELLS);
	const struct tui_screen *s = &app->scr;
	struct tui_column c[NUM_COLS];
	size_t *idx, n, i;
	int row = y, x, sel, visible;

	if (h < 1)
		return 0;
	cell_columns(c, s->cols, history);
	tui_fill(s, row, 0, s->cols, TUI_ROLE_HEADER, 0);
	app->hit.header_y = row;
	app->hit.ncols = 0;
	app->hit.rows = 0;
	for (i = 0, x = 0; i < NUM_COLS; i++) {
		int k, key = -1;

		if (c[i].width <= 0)
			continue;
		tui_put_header(s, row, x, c[i].width,
			       (int)i == sort_col[v->sort] ? TUI_ROLE_HEADER_SORT :
			       TUI_ROLE_HEADER, c[i].title, c[i].right,
			       (int)i != sort_col[v->sort] ? 0 : v->rev ? -1 : 1);
		for (k = 0; k < TUI_CELL_SORT_COUNT; k++)
			if (sort_col[k] == (int)i)
				key = k;
		if (app->hit.ncols < TUI_HIT_COLS) {
			app->hit.col_x[app->hit.ncols] = x;
			app->hit.col_w[app->hit.ncols] = c[i].width;
			app->hit.col_sort[app->hit.ncols] = key;
			app->hit.ncols++;
		}
		x += c[i].width + 1;
	}
	row++;
	app->hit.first_y = row;

	idx = calloc(app->model.num_cells + 1, sizeof(*idx));
	if (!idx)
		return row - y;
	n = cell_order(app, fv, idx);
	visible = y + h - row;
	if (!n) {
		if (row < y + h)
			tui_put(s, row++, 2, -1, TUI_ROLE_DIM, app->filter[fv][0] ?
				"No cell matches the filter." : "No cells.");
		free(idx);
		return row - y;
	}
	sel = selected_index(app, idx, n);
	app->cells_sel_id = app->model.cells[idx[sel]].cell->id;
	*top = tui_scroll_top(*top, sel, visible, (int)n);
	for (i = (size_t)*top; i < n && row < y + h; i++, row++) {
		draw_cell_row(app, row, c, &app->model.cells[idx[i]], (int)i == sel);
		if (app->hit.rows < TUI_HIT_ROWS)
			app->hit.ids[app->hit.rows++] = app->model.cells[idx[i]].cell->id;
	}
	free(idx);
	return row - y;
}

static void cells_draw(struct tui_app *app, void *state, int y, int h)
{
	struct cells_view *v = state;
	int row = y;

	if (!tui_view_have_system(app, y, h))
		return;
	row += tui_cells_gauges(app, row, false);
	row += tui_cells_strip(app, row, h / 4 > 1 ? h / 4 : 1);
	row++;
	tui_cells_table(app, row, y + h - row, TUI_VIEW_CELLS, &v->top, false);
}

/* A newly chosen column: numbers largest first, the rest ascending. */
static void cells_sort_by(struct tui_app *app, struct cells_view *v, enum tui_cell_sort key)
{
	if (v->sort == key) {
		/* The sorted column again: the other way round. */
		tui_cells_key(app, TUI_VIEW_CELLS, 1, TUI_ACT_SORT_REVERSE);
		return;
	}
	v->sort = key;
	v->rev = tui_cell_sort_desc_first(key);
	snprintf(app->settings.cells_sort, sizeof(app->settings.cells_sort), "%s",
		 tui_cell_sort_name(key));
	app->settings.cells_sort_reverse = v->rev;
	app->settings.dirty = true;
	tui_app_status(app, TUI_ROLE_STATUS, "sorted by %s, %s", tui_cell_sort_name(key),
		       v->rev ? "descending" : "ascending");
}

void tui_cells_sort_choose(struct tui_app *app, enum tui_cell_sort key)
{
	cells_sort_by(app, tui_view_state(app, TUI_VIEW_CELLS), key);
	app->dirty |= TUI_DIRTY_FRAME;
}

enum tui_cell_sort tui_cells_sort_key(const struct tui_app *app, bool *desc)
{
	const struct cells_view *v = tui_view_state(app, TUI_VIEW_CELLS);

	*desc = v->rev;
	return v->sort;
}

bool tui_cells_click(struct tui_app *app, int y, int x)
{
	struct cells_view *v = tui_view_state(app, TUI_VIEW_CELLS);
	const struct tui_table_hit *h = &app->hit;
	int i;

	if (h->header_y < 0)
		return false;
	if (y == h->header_y) {
		for (i = 0; i < h->ncols; i++) {
			if (x < h->col_x[i] || x >= h->col_x[i] + h->col_w[i] ||
			    h->col_sort[i] < 0)
				continue;
			cells_sort_by(app, v, (enum tui_cell_sort)h->col_sort[i]);
			return true;
		}
		return false;
	}
	if (y >= h->first_y && y < h->first_y + h->rows) {
		app->cells_sel_id = h->ids[y - h->first_y];
		app->dirty |= TUI_DIRTY_FRAME;
		return true;
	}
	return false;
}

bool tui_cells_key(struct tui_app *app, enum tui_view fv, int page, enum tui_action a)
{
	struct cells_view *v = tui_view_state(app, TUI_VIEW_CELLS);
	size_t *idx, n;
	int sel, next;

	switch (a) {
	case TUI_ACT_SORT:
		cells_sort_by(app, v, (v->sort + 1) % TUI_CELL_SORT_COUNT);
		return true;
	case TUI_ACT_SORT_PICK:
		tui_sortpick_open(app, false);
		return true;
	case TUI_ACT_SORT_REVERSE:
		v->rev = !v->rev;
		app->settings.cells_sort_reverse = v->rev;
		app->settings.dirty = true;
		tui_app_status(app, TUI_ROLE_STATUS, "sorted by %s, %s",
			       tui_cell_sort_name(v->sort),
			       v->rev ? "descending" : "ascending");
		return true;
	default:
		break;
	}
	if (!app->model.num_cells)
		return false;
	idx = calloc(app->model.num_cells, sizeof(*idx));
	if (!idx)
		return false;
	n = cell_order(app, fv, idx);
	sel = n ? selected_index(app, idx, n) : -1;
	next = tui_list_move(sel, (int)n, a, page);
	if (next >= 0 && n) {
		app->cells_sel_id = app->model.cells[idx[next]].cell->id;
		app->dirty |= TUI_DIRTY_FRAME;
		free(idx);
		return true;
	}
	free(idx);
	if (sel < 0)
		return false;
	switch (a) {
	case TUI_ACT_DETAIL:
		tui_app_open_detail(app, app->cells_sel_id, -1);
		return true;
	case TUI_ACT_CELL_CONSOLE:
		tui_app_show_console(app, app->cells_sel_id);
		return true;
	case TUI_ACT_EXPORT:
		tui_export_config(app, tui_model_cell(&app->model, app->cells_sel_id));
		return true;
	case TUI_ACT_DIFF:
		tui_diff_config(app, tui_model_cell(&app->model, app->cells_sel_id));
		return true;
	default:
		return false;
	}
}

static bool cells_key(struct tui_app *app, void *state, enum tui_action a)
{
	(void)state;
	return tui_cells_key(app, TUI_VIEW_CELLS, app->lay.body_h - 6, a);
}

static void cells_init(struct tui_app *app, void *state)
{
	struct cells_view *v = state;
	int sort = tui_cell_sort_from_name(app->settings.cells_sort);

	v->sort = sort >= 0 ? (enum tui_cell_sort)sort : TUI_CELL_SORT_ID;
	v->rev = app->settings.cells_sort_reverse;
}

const struct tui_view_ops tui_view_cells_ops = {
	.name = "cells",
	.title = "Cells",
	.keys = TUI_KEYS_CELLS,
	.parent = -1,
	.state_size = sizeof(struct cells_view),
	.init = cells_init,
	.draw = cells_draw,
	.key = cells_key,
};
