// SPDX-License-Identifier: MIT
/*
 * The frame around the views: title, tabs, status line, key bar, the
 * help screen and the "terminal too small" screen.
 */
#include "app.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "dialog.h"
#include "doc.h"

/* What the key bar offers, per table, in order. */
static const enum tui_action bar_actions[TUI_KEYS_COUNT][16] = {
	[TUI_KEYS_GLOBAL]	= { TUI_ACT_HELP, TUI_ACT_CREATE, TUI_ACT_PAUSE, TUI_ACT_QUIT },
	[TUI_KEYS_CELLS]	= { TUI_ACT_HELP, TUI_ACT_DETAIL, TUI_ACT_CREATE, TUI_ACT_LOAD,
				    TUI_ACT_START, TUI_ACT_STOP, TUI_ACT_DESTROY,
				    TUI_ACT_CELL_CONSOLE, TUI_ACT_FILTER, TUI_ACT_SORT,
				    TUI_ACT_ENABLE, TUI_ACT_DISABLE, TUI_ACT_PAUSE, TUI_ACT_QUIT },
	[TUI_KEYS_DETAIL]	= { TUI_ACT_HELP, TUI_ACT_BACK, TUI_ACT_NEXT_CPU, TUI_ACT_LOAD,
				    TUI_ACT_START, TUI_ACT_STOP, TUI_ACT_DESTROY,
				    TUI_ACT_CELL_CONSOLE, TUI_ACT_PAUSE, TUI_ACT_QUIT },
	[TUI_KEYS_CPUS]		= { TUI_ACT_HELP, TUI_ACT_DETAIL, TUI_ACT_FILTER, TUI_ACT_SORT,
				    TUI_ACT_PAUSE, TUI_ACT_QUIT },
	[TUI_KEYS_MEMMAP]	= { TUI_ACT_HELP, TUI_ACT_ZOOM_IN, TUI_ACT_ZOOM_OUT,
				    TUI_ACT_DETAIL, TUI_ACT_FILTER, TUI_ACT_PAUSE, TUI_ACT_QUIT },
	[TUI_KEYS_IVSHMEM]	= { TUI_ACT_HELP, TUI_ACT_DETAIL, TUI_ACT_FILTER, TUI_ACT_PAUSE,
				    TUI_ACT_QUIT },
	[TUI_KEYS_CONSOLE]	= { TUI_ACT_HELP, TUI_ACT_NEXT_SOURCE, TUI_ACT_SEARCH,
				    TUI_ACT_SEARCH_NEXT, TUI_ACT_FOLLOW, TUI_ACT_SAVE,
				    TUI_ACT_TIMESTAMPS,
				    TUI_ACT_PAUSE, TUI_ACT_QUIT },
};

/* The first key for action: the view's table first, then global. */
static int key_for(const struct tui_app *app, enum tui_keyctx ctx, enum tui_action a)
{
	int keys[4];

	if (tui_keymap_keys(&app->keys, ctx, a, keys, 4))
		return keys[0];
	if (tui_keymap_keys(&app->keys, TUI_KEYS_GLOBAL, a, keys, 4)) {
		/* Only if the view does not rebind that key to something else. */
		if (tui_keymap_lookup(&app->keys, ctx, keys[0]) == a)
			return keys[0];
	}
	return -1;
}

/* Whether the key bar offers action a now. */
static bool bar_offers(const struct tui_app *app, enum tui_action a)
{
	const struct hvctl_snapshot *snap = app->model.snap;
	bool enabled = app->connected && snap && snap->system.enabled;

	if (app->readonly && tui_action_mutates(a))
		return false;
	if (a == TUI_ACT_ENABLE)
		return app->connected && !enabled;
	if (a == TUI_ACT_DISABLE)
		return enabled;
	return true;
}

static int bar_item_width(const struct tui_app *app, enum tui_keyctx ctx,
			  enum tui_action a, char *name, size_t n, const char **label)
{
	int key = key_for(app, ctx, a);

	*label = a == TUI_ACT_BACK ? "Back" : tui_action_label(a);
	if (key < 0 || !*label || !bar_offers(app, a))
		return -1;
	tui_key_name(key, name, n);
	return (int)strlen(name) + (int)strlen(*label) + 1;
}

/*
 * The key bar: the view's actions in order; when they do not all fit,
 * the last ones go, but Quit always stays at the end.
 */
static void draw_keybar(struct tui_app *app)
{
	const struct tui_screen *s = &app->scr;
	enum tui_keyctx ctx = tui_app_keyctx(app);
	int x = 0, y = app->lay.keybar_y, quit_w, room;
	const char *label;
	char name[16];
	unsigned int i;

	tui_fill(s, y, 0, s->cols, TUI_ROLE_KEYBAR_LABEL, 0);
	quit_w = bar_item_width(app, ctx, TUI_ACT_QUIT, name, sizeof(name), &label);
	room = s->cols - (quit_w > 0 ? quit_w : 0) - (app->readonly ? 11 : 0);
	for (i = 0; i < 16 && bar_actions[ctx][i]; i++) {
		enum tui_action a = bar_actions[ctx][i];
		int need;

		if (a == TUI_ACT_QUIT)
			continue;
		need = bar_item_width(app, ctx, a, name, sizeof(name), &label);
		if (need < 0)
			continue;
		if (x + need > room)
			break;
		x += tui_put(s, y, x, -1, TUI_ROLE_KEYBAR_KEY, name);
		x += tui_put(s, y, x, -1, TUI_ROLE_KEYBAR_LABEL, label);
		x += tui_put(s, y, x, -1, TUI_ROLE_KEYBAR_LABEL, " ");
	}
	if (quit_w > 0 && bar_item_width(app, ctx, TUI_ACT_QUIT, name, sizeof(name), &label) > 0) {
		x += tui_put(s, y, x, -1, TUI_ROLE_KEYBAR_KEY, name);
		tui_put(s, y, x, -1, TUI_ROLE_KEYBAR_LABEL, label);
	}
	if (app->readonly)
		tui_put(s, y, s->cols - 11, 10, TUI_ROLE_KEYBAR_KEY, "READ-ONLY");
}

/* "1 FAILED" in red and the first failed cell's reason, in w columns. */
static void draw_alarm(struct tui_app *app, int y, int x, int w)
{
	const struct tui_screen *s = &app->scr;
	const struct tui_model *m = &app->model;
	size_t n = tui_alarm_count(m), i;
	char count[32], why[320], name[HVCTL_CELL_NAME_MAX + 1];
	int used;

	if (!n || w < 12)
		return;
	snprintf(count, sizeof(count), " %zu FAILED ", n);
	used = tui_put(s, y, x, w, TUI_ROLE_STATUS_ERROR, count);
	for (i = 0; i < m->num_cells; i++) {
		const struct hvctl_cell_info *ci = m->cells[i].cell;
		char line[HVCTL_CELL_NAME_MAX + 340], *nl;

		if (!tui_alarm_cell(ci))
			continue;
		tui_alarm_reason(app, ci, why, sizeof(why));
		/* The first CPU's line; the detail lists them all. */
		nl = strchr(why, '\n');
		if (nl)
			*nl = '\0';
		hvctl_sanitize_str(name, sizeof(name), ci->name);
		snprintf(line, sizeof(line), " %s: %s", name, why);
		tui_put_clip(s, y, x + used, w - used, TUI_ROLE_STATUS_ERROR, line);
		break;
	}
}

static void draw_title(struct tui_app *app)
{
	const struct tui_screen *s = &app->scr;
	const struct hvctl_snapshot *snap = app->model.snap;
	char left[512], right[128], when[16] = "";
	int y = app->lay.title_y, x;

	if (snap) {
		/* Paused, the clock stops where the picture did. */
		time_t now = app->paused ? app->paused_at : time(NULL);
		struct tm tm;

		localtime_r(&now, &tm);
		strftime(when, sizeof(when), "%H:%M:%S", &tm);
	}
	tui_fill(s, y, 0, s->cols, TUI_ROLE_TITLE, 0);
	if (app->replay) {
		char pos[64], at[32];

		/* The recorded time, not the clock on the wall. */
		tui_playback_title(app, left, sizeof(left), pos, sizeof(pos), at, sizeof(at));
		x = tui_put(s, y, 0, s->cols, TUI_ROLE_TITLE, left) + 2;
		if (snap && snap->system.enabled)
			x += tui_putf(s, y, x, -1, TUI_ROLE_VALUE, "%zu cell%s, %u CPUs",
				      snap->num_cells, snap->num_cells == 1 ? "" : "s",
				      snap->num_cpus);
		else if (snap)
			tui_put(s, y, x, -1, TUI_ROLE_WARNING, "hypervisor disabled");
		snprintf(right, sizeof(right), "%s  %s", pos, at);
		if (snap && snap->system.enabled)
			draw_alarm(app, y, x + 2, s->cols - (int)strlen(right) - 2 - (x + 2));
		tui_put(s, y, s->cols - (int)strlen(right) - 1, -1,
			app->paused ? TUI_ROLE_WARNING : TUI_ROLE_TITLE, right);
		return;
	}
	snprintf(left, sizeof(left), "hvtop  %s", hvctl_uri(app->ctx));
	x = tui_put(s, y, 0, s->cols, TUI_ROLE_TITLE, left) + 2;
	if (!app->connected) {
		x += tui_put(s, y, x, -1, TUI_ROLE_STATUS_ERROR, " DISCONNECTED ");
		if (tui_app_stale(app)) {
			char since[16];
			struct tm tm;

			localtime_r(&app->last_good, &tm);
			strftime(since, sizeof(since), "%H:%M:%S", &tm);
			tui_putf(s, y, x + 1, -1, TUI_ROLE_WARNING, "stale since %s", since);
		}
	} else if (snap && !snap->system.enabled) {
		tui_put(s, y, x, -1, TUI_ROLE_WARNING, app->readonly ?
			"hypervisor disabled - read-only" : "hypervisor disabled");
	} else if (snap)
		x += tui_putf(s, y, x, -1, TUI_ROLE_VALUE, "%zu cell%s, %u CPUs",
			      snap->num_cells, snap->num_cells == 1 ? "" : "s", snap->num_cpus);
	snprintf(right, sizeof(right), "%s%severy %.1fs %s", app->paused ? "PAUSED  " : "",
		 app->readonly ? "read-only  " : "", app->settings.refresh_ms / 1000.0, when);
	if (app->connected && snap && snap->system.enabled)
		draw_alarm(app, y, x + 2, s->cols - (int)strlen(right) - 2 - (x + 2));
	tui_put(s, y, s->cols - (int)strlen(right) - 1, -1,
		app->paused ? TUI_ROLE_WARNING : TUI_ROLE_TITLE, right);
}

int tui_tab_at(const struct tui_app *app, int x)
{
	int v, at = 0;

	(void)app;
	for (v = 0; v < TUI_VIEW_COUNT; v++) {
		char tab[48];
		int w;

		if (tui_view_ops((enum tui_view)v)->parent >= 0)
			continue;
		w = snprintf(tab, sizeof(tab), " %d %s ", v, tui_view_title((enum tui_view)v));
		if (x >= at && x < at + w)
			return v;
		at += w + 1;
	}
	return -1;
}

static void draw_tabs(struct tui_app *app)
{
	const struct tui_screen *s = &app->scr;
	int y = app->lay.tabs_y, x = 0, v;

	tui_fill(s, y, 0, s->cols, TUI_ROLE_NORMAL, 0);
	for (v = 0; v < TUI_VIEW_COUNT; v++) {
		char tab[48];
		bool cur = v == (int)tui_view_tab(app->view);

		if (tui_view_ops((enum tui_view)v)->parent >= 0)
			continue;
		snprintf(tab, sizeof(tab), " %d %s ", v, tui_view_title((enum tui_view)v));
		x += tui_put(s, y, x, -1, cur ? TUI_ROLE_HEADER_SORT : TUI_ROLE_DIM, tab);
		x += tui_put(s, y, x, -1, TUI_ROLE_NORMAL, " ");
	}
	/* A view opened from a tab names the cell it is about. */
	if (tui_view_ops(app->view)->parent >= 0 && tui_view_ops(app->view)->cell) {
		const struct tui_cell_row *r = tui_app_selected_cell(app);

		tui_putf(s, y, x + 1, -1, TUI_ROLE_LABEL, "> %s", r ? r->cell->name : "?");
	}
}

static void draw_status(struct tui_app *app)
{
	const struct tui_screen *s = &app->scr;
	int y = app->lay.status_y;

	tui_fill(s, y, 0, s->cols, TUI_ROLE_STATUS, 0);
	if (app->prompt.active) {
		const char *what = app->prompt.kind == TUI_ACT_SEARCH ? "Search: " : "Filter: ";
		int x = tui_put(s, y, 0, -1, TUI_ROLE_LABEL, what);

		x += tui_put(s, y, x, -1, TUI_ROLE_VALUE, app->prompt.text);
		tui_put(s, y, x, 1, TUI_ROLE_SELECTED, " ");
		tui_put(s, y, x + 2, -1, TUI_ROLE_DIM, "(Enter keeps, Esc cancels)");
		return;
	}
	if (app->status[0]) {
		/* Cut short with a mark; the event log (6) has all of it. */
		tui_put_clip(s, y, 0, -1, app->status_role, app->status);
		return;
	}
	if (!app->connected && app->conn_msg[0]) {
		tui_putf(s, y, 0, -1, TUI_ROLE_STATUS_ERROR, "%s; retrying", app->conn_msg);
		return;
	}
	if (app->filter[app->view][0] && app->view != TUI_VIEW_CONSOLE)
		tui_putf(s, y, 0, -1, TUI_ROLE_WARNING, "filter \"%s\" (Esc clears)",
			 app->filter[app->view]);
}

static void draw_too_small(struct tui_app *app)
{
	const struct tui_screen *s = &app->scr;
	char l1[64], l2[64];
	const char *l3 = "Enlarge it, or press q to quit.";
	int y = s->rows / 2 - 1;

	snprintf(l1, sizeof(l1), "Terminal too small: %dx%d", s->cols, s->rows);
	snprintf(l2, sizeof(l2), "hvtop needs at least %dx%d.", TUI_MIN_COLS, TUI_MIN_ROWS);
	if (y < 0)
		y = 0;
	tui_put(s, y, (s->cols - (int)strlen(l1)) / 2 > 0 ? (s->cols - (int)strlen(l1)) / 2 : 0,
		-1, TUI_ROLE_TOO_SMALL, l1);
	tui_put(s, y + 1, (s->cols - (int)strlen(l2)) / 2 > 0 ? (s->cols - (int)strlen(l2)) / 2 : 0,
		-1, TUI_ROLE_NORMAL, l2);
	tui_put(s, y + 2, (s->cols - (int)strlen(l3)) / 2 > 0 ? (s->cols - (int)strlen(l3)) / 2 : 0,
		-1, TUI_ROLE_NORMAL, l3);
}

static void help_keys(const struct tui_app *app, enum tui_keyctx ctx, char *buf,
		      size_t n, enum tui_action a)
{
	int keys[8];
	size_t k, nk = tui_keymap_keys(&app->keys, ctx, a, keys, 8), used = 0;

	buf[0] = '\0';
	for (k = 0; k < nk && used < n; k++) {
		char name[16];
		int len;

		/* A global key the view uses for something else does not apply. */
		if (ctx == TUI_KEYS_GLOBAL &&
		    tui_keymap_lookup(&app->keys, tui_app_keyctx(app), keys[k]) != a)
			continue;
		tui_key_name(keys[k], name, sizeof(name));
		len = snprintf(buf + used, n - used, "%s%s", used ? ", " : "", name);
		if (len > 0)
			used += (size_t)len;
	}
}

size_t tui_help_lines(const struct tui_app *app, char (*lines)[160], size_t max)
{
	enum tui_keyctx ctxs[2] = { tui_app_keyctx(app), TUI_KEYS_GLOBAL };
	const struct tui_view_ops *o = tui_view_ops(app->view);
	size_t n = 0, i;
	int c, a;

	if (n < max && o->parent >= 0)
		snprintf(lines[n++], 160, "Help: %s > %s",
			 tui_view_title((enum tui_view)o->parent), o->title);
	else if (n < max)
		snprintf(lines[n++], 160, "Help: %s", o->title);
	for (i = 0; o->help_text && o->help_text[i] && n < max; i++)
		snprintf(lines[n++], 160, "%s", o->help_text[i]);
	if (o->help)
		n += o->help(app, tui_view_state(app, app->view), lines + n, max - n);
	if (app->readonly && n < max)
		snprintf(lines[n++], 160, "Read-only: %.90s. Actions that change the system are hidden.",
			 app->readonly_why);
	for (c = 0; c < 2; c++) {
		if (n < max)
			lines[n++][0] = '\0';
		if (n < max)
			snprintf(lines[n++], 160, "%s", c ? "Everywhere" : "In this view");
		for (a = 1; a < TUI_ACT_COUNT && n < max; a++) {
			char keys[64];

			if (app->readonly && tui_action_mutates((enum tui_action)a))
				continue;
			help_keys(app, ctxs[c], keys, sizeof(keys), (enum tui_action)a);
			if (!keys[0])
				continue;
			snprintf(lines[n++], 160, "  %-16s %s", keys,
				 tui_action_help((enum tui_action)a));
		}
		if (ctxs[0] == TUI_KEYS_GLOBAL)
			break;
	}
	if (n + 4 < max) {
		lines[n++][0] = '\0';
		snprintf(lines[n++], 160, "Refresh every %.1f s; settings in %.110s",
			 app->settings.refresh_ms / 1000.0,
			 app->settings_path[0] ? app->settings_path : "(none: --no-config)");
		snprintf(lines[n++], 160, "Theme %s%s. See hvtop(1).", app->theme.name,
			 app->mono ? " (monochrome)" : "");
	}
	return n;
}

static void draw_help(struct tui_app *app, int y, int h)
{
	static char lines[128][160];
	size_t n = tui_help_lines(app, lines, 128), i;
	struct tui_doc doc;

	tui_doc_init(&doc);
	for (i = 0; i < n; i++) {
		tui_doc_newline(&doc);
		if (!i) {
			tui_doc_add(&doc, TUI_ROLE_TITLE, lines[i]);
		} else if (lines[i][0] == ' ' && strlen(lines[i]) > 19) {
			char keys[20];

			snprintf(keys, sizeof(keys), "%.19s", lines[i]);
			tui_doc_add(&doc, TUI_ROLE_HELP_KEY, keys);
			tui_doc_add(&doc, TUI_ROLE_HELP_TEXT, lines[i] + 19);
		} else {
			tui_doc_add(&doc, TUI_ROLE_LABEL, lines[i]);
		}
	}
	if (app->help_top > (int)n - h)
		app->help_top = (int)n - h > 0 ? (int)n - h : 0;
	tui_doc_draw(&doc, &app->scr, y, 1, app->scr.cols - 2, h, (size_t)app->help_top);
	tui_doc_free(&doc);
}

void tui_draw_frame(struct tui_app *app)
{
	const struct tui_layout *l = &app->lay;

	/* A dialog is rebuilt once there is room for it again. */
	if (app->dirty & TUI_DIRTY_LAYOUT)
		app->relayout_pending = true;
	if (app->relayout_pending && !l->too_small) {
		tui_dialog_relayout(app);
		app->relayout_pending = false;
	}
	if (app->dirty & TUI_DIRTY_FULL)
		clearok(curscr, TRUE);
	erase();
	/* Hit areas are those of this frame only. */
	app->hit.header_y = -1;
	app->hit.rows = 0;
	if (l->too_small) {
		draw_too_small(app);
	} else {
		draw_title(app);
		draw_tabs(app);
		if (app->help_open) {
			draw_help(app, l->body_y, l->body_h);
		} else {
			tui_view_ops(app->view)->draw(app, tui_view_state(app, app->view),
						      l->body_y, l->body_h);
			/* The last state read, while the backend is gone. */
			if (tui_app_stale(app))
				tui_dim(&app->scr, l->body_y, l->body_h);
			if (app->picker.active)
				tui_sortpick_draw(app);
		}
		draw_status(app);
		draw_keybar(app);
	}
	wnoutrefresh(stdscr);
	if (!l->too_small)
		tui_dialog_draw(app);
	doupdate();
	app->dirty = 0;
}
