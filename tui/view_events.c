// SPDX-License-Identifier: MIT
/*
 * The event log view: what happened this session, oldest first, each
 * entry with its time and kind; a long entry (a refusal's full reason)
 * wraps onto the following rows instead of being cut.
 */
#include "app.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

struct events_view {
	bool follow;		/* keep the newest in view */
	int top;		/* first screen line when not following */
};

#define PREFIX_W	18	/* "HH:MM:SS kind     " */

static enum tui_role kind_role(enum tui_event_kind k)
{
	switch (k) {
	case TUI_EV_REFUSED:
		return TUI_ROLE_STATUS_ERROR;
	case TUI_EV_FAILURE:
		return TUI_ROLE_STATE_FAILED;
	case TUI_EV_SYSTEM:
		return TUI_ROLE_WARNING;
	case TUI_EV_ACTION:
		return TUI_ROLE_STATUS_OK;
	default:
		return TUI_ROLE_NORMAL;
	}
}

/*
 * The next line of text at width w: its length, and in *skip where the
 * line after it starts. Breaks after the last space that fits, else at w.
 */
static int wrap_line(const char *t, int w, int *skip)
{
	int len = (int)strlen(t), i;

	if (len <= w || w <= 0) {
		*skip = len;
		return len;
	}
	for (i = w; i > 0; i--)
		if (t[i] == ' ') {
			*skip = i + 1;
			return i;
		}
	*skip = w;
	return w;
}

/* Screen lines entry e takes at text width w. */
static int entry_lines(const struct tui_event *e, int w)
{
	const char *t = e->text;
	int n = 0, skip;

	do {
		wrap_line(t, w, &skip);
		t += skip;
		n++;
	} while (*t);
	return n;
}

static int total_lines(const struct tui_eventlog *l, int w)
{
	size_t i;
	int n = 0;

	for (i = 0; i < l->count; i++)
		n += entry_lines(tui_eventlog_get(l, i), w);
	return n;
}

static void events_draw(struct tui_app *app, void *state, int y, int h)
{
	struct events_view *v = state;
	const struct tui_eventlog *l = &app->events;
	const struct tui_screen *s = &app->scr;
	int w = s->cols - PREFIX_W, total, line = 0, row = y + 1;
	size_t i;

	tui_fill(s, y, 0, s->cols, TUI_ROLE_HEADER, 0);
	tui_putf(s, y, 0, -1, TUI_ROLE_HEADER, "TIME     KIND     EVENT (%zu this session%s)",
		 l->count, l->dropped ? ", oldest dropped" : "");
	if (h < 2)
		return;
	if (!l->count) {
		tui_put(s, row, 2, -1, TUI_ROLE_DIM, "Nothing has happened yet.");
		return;
	}
	total = total_lines(l, w);
	if (v->follow || v->top > total - (h - 1))
		v->top = total - (h - 1);
	if (v->top < 0)
		v->top = 0;
	for (i = 0; i < l->count && row < y + h; i++) {
		const struct tui_event *e = tui_eventlog_get(l, i);
		const char *t = e->text;
		int n = entry_lines(e, w), k, len, skip;

		for (k = 0; k < n && row < y + h; k++, line++, t += skip) {
			len = wrap_line(t, w, &skip);
			if (line < v->top)
				continue;
			if (!k) {
				char when[16];
				struct tm tm;

				localtime_r(&e->when, &tm);
				strftime(when, sizeof(when), "%H:%M:%S", &tm);
				tui_put(s, row, 0, 8, TUI_ROLE_DIM, when);
				tui_put(s, row, 9, 8, kind_role(e->kind),
					tui_event_kind_name(e->kind));
			}
			tui_put(s, row, PREFIX_W, len, kind_role(e->kind), t);
			row++;
		}
	}
}

static bool events_key(struct tui_app *app, void *state, enum tui_action a)
{
	struct events_view *v = state;
	int top;

	if (a == TUI_ACT_END) {
		v->follow = true;
		app->dirty |= TUI_DIRTY_FRAME;
		return true;
	}
	top = tui_scroll_move(v->top, a, app->lay.body_h - 1, TUI_SCROLL_END);
	if (top < 0)
		return false;
	v->top = top;
	/* Moving up leaves the newest; End follows again. */
	v->follow = false;
	app->dirty |= TUI_DIRTY_FRAME;
	return true;
}

static void events_init(struct tui_app *app, void *state)
{
	struct events_view *v = state;

	(void)app;
	v->follow = true;
}

static const char *const events_help_text[] = {
	"Every cell created, destroyed or changing state, every refused or",
	"failed action with its full reason, and every failure, with the",
	"time hvtop saw it; kept for the session. End follows the newest.",
	NULL,
};

const struct tui_view_ops tui_view_events_ops = {
	.name = "events",
	.title = "Events",
	.keys = TUI_KEYS_GLOBAL,
	.parent = -1,
	.state_size = sizeof(struct events_view),
	.init = events_init,
	.draw = events_draw,
	.key = events_key,
	.help_text = events_help_text,
};
