// SPDX-License-Identifier: MIT
/*
 * The console view: the hypervisor console and each cell's console;
 * follows new output by default, scrolling up pauses that, search,
 * saving, and lost output shown as marked lines.
 */
#include "app.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "dialog.h"

static int text_rows(const struct tui_app *app)
{
	return app->lay.body_h - 1 > 1 ? app->lay.body_h - 1 : 1;
}

/* The first line shown. */
static uint64_t view_top(const struct tui_console_src *src, int rows)
{
	uint64_t begin = tui_conbuf_begin(&src->buf), end = tui_conbuf_end(&src->buf);
	uint64_t top;

	if (src->follow)
		top = end > (uint64_t)rows ? end - (uint64_t)rows : 0;
	else
		top = src->top;
	if (top + (uint64_t)rows > end)
		top = end > (uint64_t)rows ? end - (uint64_t)rows : 0;
	return top < begin ? begin : top;
}

static void draw_sources(struct tui_app *app, int y)
{
	const struct tui_screen *s = &app->scr;
	struct tui_console_src *cur = tui_console_current(app);
	int x = 0;
	size_t i;
	char state[64];

	tui_fill(s, y, 0, s->cols, TUI_ROLE_NORMAL, 0);
	if (cur && cur->follow)
		snprintf(state, sizeof(state), "FOLLOW");
	else if (cur)
		/* Not "PAUSED": that is the title's, for all updates. */
		snprintf(state, sizeof(state), "SCROLLED BACK +%llu new (F follows)",
			 (unsigned long long)cur->unseen);
	else
		state[0] = '\0';
	for (i = 0; i < app->num_cons; i++) {
		const struct tui_console_src *src = &app->cons[i];
		char tab[48];
		enum tui_role role = i == app->con_cur ? TUI_ROLE_HEADER_SORT : TUI_ROLE_DIM;

		snprintf(tab, sizeof(tab), " %s%s ", src->name, src->present ? "" : " (gone)");
		if (x + (int)strlen(tab) + (int)strlen(state) + 2 > s->cols) {
			tui_put(s, y, x, -1, TUI_ROLE_DIM, "...");
			break;
		}
		x += tui_put(s, y, x, -1, role, tab);
		x += tui_put(s, y, x, -1, TUI_ROLE_NORMAL, " ");
	}
	tui_put(s, y, s->cols - (int)strlen(state) - 1, -1,
		cur && cur->follow ? TUI_ROLE_STATUS_OK : TUI_ROLE_WARNING, state);
}

static void draw_line(struct tui_app *app, int y, int x0, const char *text,
		      unsigned int len, enum tui_conline_kind kind, int hscroll)
{
	const struct tui_screen *s = &app->scr;
	enum tui_role role = kind == TUI_CONLINE_LOST ? TUI_ROLE_CONSOLE_LOST :
			     kind == TUI_CONLINE_NOTE ? TUI_ROLE_CONSOLE_NOTE :
			     TUI_ROLE_CONSOLE_TEXT;
	const char *p = text;
	unsigned int off = (unsigned int)hscroll, len_shown;
	size_t nlen = strlen(app->search);

	if (kind != TUI_CONLINE_TEXT) {
		/* Markers are never scrolled away sideways. */
		tui_fill(s, y, x0, s->cols - x0, role, 0);
		tui_put(s, y, x0, -1, role, text);
		return;
	}
	if (off >= len)
		return;
	p += off;
	len -= off;
	len_shown = len;
	tui_put(s, y, x0, (int)len, role, p);
	/* Highlight every match of the search text. */
	while (nlen && len >= nlen) {
		long at = tui_strcasestr_off(p, len, app->search);
		char m[TUI_CONLINE_MAX + 1];

		if (at < 0 || at + x0 >= s->cols)
			break;
		memcpy(m, p + at, nlen);
		m[nlen] = '\0';
		tui_put(s, y, x0 + (int)at + (int)(p - text) - (int)off, (int)nlen,
			TUI_ROLE_CONSOLE_MATCH, m);
		p += at + (long)nlen;
		len -= (unsigned int)at + (unsigned int)nlen;
	}
	/* More of the line to the right than fits: the cut is marked. */
	if (x0 + (int)(len_shown) > s->cols)
		tui_put(s, y, s->cols - 1, 1, TUI_ROLE_DIM, ">");
}

/* The console view's own state. */
struct console_view {
	bool times;			/* each line's time before it (t) */
};

static void console_draw(struct tui_app *app, void *state, int y, int h)
{
	struct tui_console_src *src = tui_console_current(app);
	const struct console_view *v = state;
	int rows = h - 1, r;
	uint64_t top, end;

	draw_sources(app, y);
	if (!src)
		return;
	end = tui_conbuf_end(&src->buf);
	if (src->why[0] && !src->reader) {
		tui_put(&app->scr, y + 1, 0, -1, TUI_ROLE_WARNING, src->why);
		y++;
		rows--;
	}
	if (end == tui_conbuf_begin(&src->buf)) {
		tui_put(&app->scr, y + 1, 0, -1, TUI_ROLE_DIM, "(no output yet)");
		return;
	}
	top = view_top(src, rows);
	if (!src->follow)
		src->top = top;
	for (r = 0; r < rows && top + (uint64_t)r < end; r++) {
		enum tui_conline_kind kind;
		unsigned int len;
		const char *text = tui_conbuf_line(&src->buf, top + (uint64_t)r, &len, &kind);

		int x0 = 0;

		if (text && v->times) {
			/* k9s's "t": when each line came, wall clock. */
			time_t when = tui_conbuf_line_time(&src->buf, top + (uint64_t)r);
			char stamp[16] = "--:--:--";
			struct tm tm;

			if (when && localtime_r(&when, &tm))
				strftime(stamp, sizeof(stamp), "%H:%M:%S", &tm);
			tui_put(&app->scr, y + 1 + r, 0, 8, TUI_ROLE_DIM, stamp);
			x0 = 9;
		}
		if (text)
			draw_line(app, y + 1 + r, x0, text, len, kind,
				  kind == TUI_CONLINE_TEXT ? src->hscroll : 0);
	}
}

static void save_done(struct tui_app *app, bool ok, int button, const char *value,
		      void *data)
{
	int cell_id = *(int *)data;
	char err[512];
	size_t i;

	(void)button;
	if (!ok || !value[0])
		return;
	for (i = 0; i < app->num_cons; i++) {
		struct tui_console_src *src = &app->cons[i];

		if (src->cell_id != cell_id)
			continue;
		if (tui_conbuf_save(&src->buf, value, err, sizeof(err)))
			tui_app_status(app, TUI_ROLE_STATUS_ERROR, "%s", err);
		else
			tui_app_status(app, TUI_ROLE_STATUS_OK, "saved %llu lines of %s to %s",
				       (unsigned long long)(tui_conbuf_end(&src->buf) -
							    tui_conbuf_begin(&src->buf)),
				       src->name, value);
		return;
	}
	tui_app_status(app, TUI_ROLE_STATUS_ERROR, "that console is gone; nothing saved");
}

static void start_save(struct tui_app *app, struct tui_console_src *src)
{
	struct tui_dialog_spec spec = { .kind = TUI_DLG_ENTRY };
	char path[160], stamp[32];
	time_t now = time(NULL);
	struct tm tm;
	int *id = malloc(sizeof(*id));

	if (!id)
		return;
	*id = src->cell_id;
	localtime_r(&now, &tm);
	strftime(stamp, sizeof(stamp), "%Y%m%d-%H%M%S", &tm);
	snprintf(path, sizeof(path), "hvtop-%s-%s.log", src->name, stamp);
	spec.title = "Save console";
	spec.lines[0] = "Every line kept for this console is written to the file.";
	spec.num_lines = 1;
	spec.label = "File: ";
	spec.initial = path;
	tui_dialog_open(app, &spec, save_done, id, free);
}

static void search(struct tui_app *app, struct tui_console_src *src, int dir)
{
	int rows = text_rows(app);
	uint64_t from = src->match >= 0 ? (uint64_t)src->match :
			view_top(src, rows) + (dir > 0 ? 0 : (uint64_t)rows);
	int64_t n;

	if (!app->search[0]) {
		tui_app_status(app, TUI_ROLE_WARNING, "nothing to search for (/ asks)");
		return;
	}
	n = tui_conbuf_search(&src->buf, app->search, from, dir);
	if (n < 0) {
		tui_app_status(app, TUI_ROLE_WARNING, "\"%s\" not found in %s", app->search,
			       src->name);
		src->match = -1;
		return;
	}
	src->match = n;
	src->follow = false;
	src->top = (uint64_t)n > (uint64_t)rows / 2 ? (uint64_t)n - (uint64_t)rows / 2 : 0;
	tui_app_status(app, TUI_ROLE_STATUS, "match at line %lld",
		       (long long)(n - (int64_t)tui_conbuf_begin(&src->buf) + 1));
}

static bool console_key(struct tui_app *app, void *state, enum tui_action a)
{
	struct tui_console_src *src = tui_console_current(app);
	int rows = text_rows(app);
	uint64_t top, begin, end;
	struct console_view *v = state;

	if (a == TUI_ACT_TIMESTAMPS) {
		v->times = !v->times;
		app->dirty |= TUI_DIRTY_FRAME;
		return true;
	}
	if (!src)
		return false;
	begin = tui_conbuf_begin(&src->buf);
	end = tui_conbuf_end(&src->buf);
	top = view_top(src, rows);
	switch (a) {
	case TUI_ACT_UP:
	case TUI_ACT_PAGE_UP:
		/* Scrolling up pauses following. */
		src->follow = false;
		src->top = top > begin + (a == TUI_ACT_UP ? 1 : (uint64_t)rows) ?
			   top - (a == TUI_ACT_UP ? 1 : (uint64_t)rows) : begin;
		break;
	case TUI_ACT_DOWN:
	case TUI_ACT_PAGE_DOWN:
		if (src->follow)
			break;
		src->top = top + (a == TUI_ACT_DOWN ? 1 : (uint64_t)rows);
		break;
	case TUI_ACT_HOME:
		src->follow = false;
		src->top = begin;
		break;
	case TUI_ACT_END:
	case TUI_ACT_FOLLOW:
		src->follow = true;
		src->unseen = 0;
		src->match = -1;
		break;
	case TUI_ACT_LEFT:
		src->hscroll = src->hscroll > 8 ? src->hscroll - 8 : 0;
		break;
	case TUI_ACT_RIGHT:
		if (src->hscroll + 8 < TUI_CONLINE_MAX)
			src->hscroll += 8;
		break;
	case TUI_ACT_SEARCH_NEXT:
	case TUI_ACT_SEARCH_PREV:
		search(app, src, a == TUI_ACT_SEARCH_NEXT ? 1 : -1);
		break;
	case TUI_ACT_SAVE:
		start_save(app, src);
		break;
	case TUI_ACT_NEXT_SOURCE:
	case TUI_ACT_PREV_SOURCE:
		app->con_cur = (app->con_cur + (a == TUI_ACT_NEXT_SOURCE ? 1 :
						app->num_cons - 1)) % app->num_cons;
		src = tui_console_current(app);
		src->match = -1;
		break;
	default:
		return false;
	}
	/* Back at the end by scrolling down: follow again. */
	if (!src->follow && (a == TUI_ACT_DOWN || a == TUI_ACT_PAGE_DOWN) &&
	    src->top + (uint64_t)rows >= end) {
		src->follow = true;
		src->unseen = 0;
	}
	app->dirty |= TUI_DIRTY_FRAME;
	return true;
}

/*
 * The console view keeps no state of its own: the sources, their
 * scrollback and scroll positions belong to the app (consoles.c), which
 * feeds them whatever view is shown.
 */
const struct tui_view_ops tui_view_console_ops = {
	.name = "console",
	.title = "Console",
	.keys = TUI_KEYS_CONSOLE,
	.parent = -1,
	.state_size = sizeof(struct console_view),
	.draw = console_draw,
	.key = console_key,
};
