// SPDX-License-Identifier: MIT
/*
 * hvtop's event loop: poll() on the terminal, libhvctl's event fd and
 * the refresh timer; keys to actions; snapshots to the model; redraws
 * when something is dirty. Nothing busy-waits.
 */
#include "app.h"

#include <errno.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>


#include "dialog.h"

#define STATUS_INFO_MS	5000
#define STATUS_ERROR_MS	15000

uint64_t tui_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static void status_v(struct tui_app *app, enum tui_role role, int kind,
		     const char *fmt, va_list ap)
{
	char raw[2048];

	vsnprintf(raw, sizeof(raw), fmt, ap);
	/* The log keeps what the status line shows only for a while. */
	if (kind >= 0)
		tui_eventlog_add(&app->events, time(NULL), (enum tui_event_kind)kind, raw);
	/* Library messages can quote config or guest text: keep them plain. */
	hvctl_sanitize_str(app->status, sizeof(app->status), raw);
	app->status_role = role;
	app->status_until = tui_now_ms() +
		(role == TUI_ROLE_STATUS_ERROR ? STATUS_ERROR_MS : STATUS_INFO_MS);
	app->dirty |= TUI_DIRTY_FRAME;
}

void tui_app_status_as(struct tui_app *app, enum tui_role role, int kind,
		       const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	status_v(app, role, kind, fmt, ap);
	va_end(ap);
}

void tui_app_status(struct tui_app *app, enum tui_role role, const char *fmt, ...)
{
	int kind = role == TUI_ROLE_STATUS_ERROR ? TUI_EV_REFUSED :
		   role == TUI_ROLE_STATUS_OK ? TUI_EV_ACTION : -1;
	va_list ap;

	va_start(ap, fmt);
	status_v(app, role, kind, fmt, ap);
	va_end(ap);
}

/* A rate spans at least one whole refresh interval (model.h). */
static void set_min_interval(struct tui_app *app)
{
	/* A replay shows the recorded rates as they are (playback.c). */
	if (app->replay)
		return;
	app->model.min_interval = app->settings.refresh_ms / 1000.0;
}

/*
 * The next periodic refresh: one interval after the rate baseline, so
 * that refresh measures a whole interval however many refreshes came
 * in between (keys, events); without a baseline, one interval from now.
 */
static void schedule_refresh(struct tui_app *app)
{
	const struct hvctl_snapshot *base = tui_model_baseline(&app->model);
	uint64_t now = tui_now_ms();

	/* A replay keeps its own pace (playback.c). */
	if (app->replay)
		return;
	app->next_refresh = now + app->settings.refresh_ms;
	if (app->connected && base) {
		/* Rounded up: not a millisecond before the interval is whole. */
		uint64_t at = (base->time_ns + 999999u) / 1000000u + app->settings.refresh_ms;

		app->next_refresh = at > now ? at : now;
	}
}

void *tui_view_state(const struct tui_app *app, enum tui_view v)
{
	return app->view_state[(unsigned int)v < TUI_VIEW_COUNT ? v : TUI_VIEW_CELLS];
}

int tui_app_cpu_stats(const struct tui_app *app)
{
	const struct tui_view_ops *o = tui_view_ops(app->view);

	return o->cpu_stats ? o->cpu_stats(app, tui_view_state(app, app->view)) :
	       HVCTL_CPU_STATS_NONE;
}

enum tui_keyctx tui_app_keyctx(const struct tui_app *app)
{
	return tui_view_keyctx(app->view);
}

const struct tui_cell_row *tui_app_selected_cell(const struct tui_app *app)
{
	const struct tui_view_ops *o = tui_view_ops(app->view);

	if (o->cell)
		return o->cell(app, tui_view_state(app, app->view));
	return tui_model_cell(&app->model, app->cells_sel_id);
}

void tui_app_set_view(struct tui_app *app, enum tui_view v)
{
	const struct tui_view_ops *o = tui_view_ops(v);
	int before = tui_app_cpu_stats(app);
	bool stats_change;

	app->view = v;
	app->help_open = false;
	app->prompt.active = false;
	app->picker.active = false;
	snprintf(app->settings.view, sizeof(app->settings.view), "%s",
		 tui_view_name(tui_view_tab(v)));
	app->settings.dirty = true;
	stats_change = before != tui_app_cpu_stats(app);
	/*
	 * Per-CPU rates need two readings a whole interval apart: take the
	 * first now (it becomes the baseline). A view that reads more with
	 * each snapshot gets its first reading now.
	 */
	if ((stats_change || o->update) && !app->paused) {
		tui_app_refresh(app);
		schedule_refresh(app);
	}
	app->dirty |= TUI_DIRTY_FRAME;
}

void tui_app_show_console(struct tui_app *app, int cell_id)
{
	size_t i;

	for (i = 0; i < app->num_cons; i++) {
		if (app->cons[i].cell_id == cell_id) {
			app->con_cur = i;
			break;
		}
	}
	tui_app_set_view(app, TUI_VIEW_CONSOLE);
}

bool tui_app_stale(const struct tui_app *app)
{
	return !app->connected && app->model.snap && !app->replay;
}

void tui_app_refresh(struct tui_app *app)
{
	struct hvctl_snapshot *snap = NULL;
	int cpu_stats = tui_app_cpu_stats(app);
	unsigned int what = HVCTL_READ_COUNTERS | HVCTL_READ_CONFIGS;
	int ret;

	if (app->replay) {
		tui_playback_show(app);
		return;
	}
	if (cpu_stats != HVCTL_CPU_STATS_NONE)
		what |= HVCTL_READ_CPU_COUNTERS;
	/* A backend that comes back is a new connection: no baseline. */
	ret = hvctl_snapshot(app->ctx, what, cpu_stats,
			     app->connected ? tui_model_baseline(&app->model) : NULL,
			     &snap);
	app->refreshes++;
	app->dirty |= TUI_DIRTY_FRAME;
	if (ret) {
		/* Marked in every console, so a gap in the output is explained. */
		if (app->connected) {
			char note[HVCTL_ERROR_MAX + 64];

			snprintf(note, sizeof(note), "--- backend lost: %s ---",
				 hvctl_errmsg(app->ctx));
			tui_consoles_note_all(app, note);
			tui_eventlog_add(&app->events, time(NULL), TUI_EV_SYSTEM, note + 4);
		}
		app->connected = false;
		snprintf(app->conn_msg, sizeof(app->conn_msg), "%s",
			 hvctl_errmsg(app->ctx)[0] ? hvctl_errmsg(app->ctx) : strerror(-ret));
		/*
		 * The model keeps the last state read: it stays on screen,
		 * dimmed and marked stale, until the backend answers again.
		 */
		tui_consoles_sync(app);
		return;
	}
	/* Back after a loss: the stale state goes before the new comes. */
	if (!app->connected && app->model.snap)
		tui_model_update(&app->model, NULL);
	app->last_good = time(NULL);
	if (!app->connected && app->was_connected) {
		tui_consoles_note_all(app, "--- backend reachable again ---");
		tui_eventlog_add(&app->events, time(NULL), TUI_EV_SYSTEM,
				 "backend reachable again");
	}
	app->connected = true;
	app->was_connected = true;
	app->conn_msg[0] = '\0';
	ret = tui_model_update(&app->model, snap);
	tui_eventlog_snapshot(&app->events, app->model.snap, time(NULL));
	if (!ret)
		ret = tui_recall_snapshot(&app->recall, app->model.snap, time(NULL));
	if (ret)
		tui_app_status(app, TUI_ROLE_STATUS_ERROR, "out of memory while updating");
	tui_consoles_sync(app);
	/* A console without notification is polled with each refresh. */
	if (!hvctl_console_notifies(app->ctx) || app->event_fd < 0)
		tui_consoles_read(app, -2);
	else
		/* The hypervisor's reason line for a failure that just came. */
		tui_consoles_read(app, HVCTL_CONSOLE_HYPERVISOR);
	tui_alarm_update(app);
	if (tui_view_ops(app->view)->update)
		tui_view_ops(app->view)->update(app, tui_view_state(app, app->view));
}

static void load_theme(struct tui_app *app, char *msg, size_t msglen)
{
	const char *name = app->opts.theme ? app->opts.theme : app->settings.theme;
	bool chosen = app->opts.theme || strcmp(name, "default");
	char path[TUI_PATH_MAX], err[512];
	int i;

	msg[0] = '\0';
	if (app->mono && !chosen)
		name = "mono";
	if (!tui_theme_find(path, sizeof(path), name, app->exe_dir, err, sizeof(err)) &&
	    !tui_theme_load_file(&app->theme, path, err, sizeof(err))) {
		/* themes found */
	} else {
		snprintf(msg, msglen, "%s; using the built-in theme", err);
		if (app->mono)
			tui_theme_builtin_mono(&app->theme);
		else
			tui_theme_builtin_default(&app->theme);
	}
	if (app->mono) {
		/* Monochrome: whatever theme, attributes only. */
		for (i = 0; i < TUI_ROLE_COUNT; i++) {
			app->theme.style[i].fg = TUI_COLOR_DEFAULT;
			app->theme.style[i].bg = TUI_COLOR_DEFAULT;
		}
	}
}

/* "sim:rel/dir" must not change meaning when the file selector moves cwd. */
static void absolute_uri(const char *uri, char *out, size_t n)
{
	const char *colon = uri ? strchr(uri, ':') : NULL;
	char cwd[TUI_PATH_MAX];

	if (!colon || !colon[1] || colon[1] == '/' || !getcwd(cwd, sizeof(cwd))) {
		snprintf(out, n, "%s", uri ? uri : "");
		return;
	}
	snprintf(out, n, "%.*s%s/%s", (int)(colon - uri + 1), uri, cwd, colon + 1);
}

/*
 * Read-only when asked, or when the library says this caller may not
 * control the backend; a refused action later (EROFS, EACCES) switches to
 * read-only too (see actions.c).
 */
static void decide_readonly(struct tui_app *app)
{
	char why[HVCTL_ERROR_MAX];

	if (app->opts.readonly)
		tui_app_set_readonly(app, "started with --readonly");
	else if (!hvctl_may_control(app->ctx, why, sizeof(why)))
		tui_app_set_readonly(app, why);
}

int tui_app_init(struct tui_app *app, const struct tui_options *opts,
		 char *err, size_t errlen)
{
	struct hvctl_open_opts oo = { .version = HVCTL_OPEN_OPTS_VERSION };
	struct hvctl_error herr = { { 0 } };
	char serr[512] = "", swarn[512] = "", terr[600] = "", kerr[256] = "";
	char uri[TUI_PATH_MAX + 32];
	unsigned int i;
	int ret, v;

	memset(app, 0, sizeof(*app));
	app->opts = *opts;
	app->event_fd = -1;
	app->cells_sel_id = -1;
	app->hit.header_y = -1;
	app->demo_pid = -1;
	tui_model_init(&app->model);
	if (tui_exe_dir(app->exe_dir, sizeof(app->exe_dir)))
		app->exe_dir[0] = '\0';

	tui_settings_defaults(&app->settings);
	if (opts->no_config) {
		app->settings.no_save = true;
	} else if (!tui_settings_path(app->settings_path, sizeof(app->settings_path))) {
		tui_settings_load(&app->settings, app->settings_path, serr, sizeof(serr),
				  swarn, sizeof(swarn));
	} else {
		app->settings.no_save = true;
	}
	/* The command line wins for this run and is not saved. */
	if (opts->refresh_ms)
		app->settings.refresh_ms = opts->refresh_ms;
	v = tui_view_from_name(opts->view ? opts->view : app->settings.view);
	app->view = v >= 0 ? tui_view_tab((enum tui_view)v) : TUI_VIEW_DASHBOARD;
	/* Each view's own state, with its defaults from the settings. */
	for (v = 0; v < TUI_VIEW_COUNT; v++) {
		const struct tui_view_ops *o = tui_view_ops((enum tui_view)v);

		app->view_state[v] = calloc(1, o->state_size ? o->state_size : 1);
		if (!app->view_state[v]) {
			snprintf(err, errlen, "out of memory");
			return -ENOMEM;
		}
		if (o->init)
			o->init(app, app->view_state[v]);
	}

	tui_keymap_defaults(&app->keys);
	for (i = 0; i < app->settings.num_keys; i++)
		if (tui_keymap_rebind(&app->keys, app->settings.keys[i].action,
				      app->settings.keys[i].keys, kerr, sizeof(kerr)))
			break;

	if (opts->replay) {
		/* A recording instead of a backend: no context at all. */
		ret = tui_playback_open(app, opts->replay, err, errlen);
		if (ret)
			return ret;
	} else {
		if (opts->demo) {
			ret = tui_demo_start(app, uri, sizeof(uri), err, errlen);
			if (ret)
				return ret;
		} else {
			absolute_uri(opts->uri, uri, sizeof(uri));
		}
		oo.uri = uri[0] ? uri : NULL;
		ret = hvctl_open_opts(&app->ctx, &oo, &herr);
		if (ret) {
			snprintf(err, errlen, "cannot open %s: %s", uri[0] ? uri : "the backend",
				 herr.msg[0] ? herr.msg : strerror(-ret));
			return ret;
		}
		decide_readonly(app);
		ret = hvctl_event_fd(app->ctx);
		app->event_fd = ret >= 0 ? ret : -1;
		set_min_interval(app);
	}
	ret = tui_screen_open(&app->scr, !opts->no_color && app->settings.color,
			      opts->ascii || app->settings.ascii, &app->mono, err, errlen);
	if (ret)
		return ret;
	if (!opts->no_mouse) {
		mousemask(BUTTON1_PRESSED | BUTTON4_PRESSED | BUTTON5_PRESSED, NULL);
		/* Presses as they come: no waiting to tell a click from a drag. */
		mouseinterval(0);
	}
	load_theme(app, terr, sizeof(terr));
	tui_screen_apply_theme(&app->scr, &app->theme);
	tui_layout_compute(&app->lay, app->scr.cols, app->scr.rows);

	if (opts->demo) {
		ret = tui_demo_populate(app, err, errlen);
		if (ret)
			return ret;
	}
	if (app->replay) {
		tui_playback_start(app);
	} else {
		tui_app_refresh(app);
		schedule_refresh(app);
	}
	/* The demo opens on the dashboard, where the cells' start-up shows
	 * in the console lines beside their rows. */
	if (opts->demo && !opts->view)
		app->view = TUI_VIEW_DASHBOARD;

	/* Startup problems go to the status line, most important last. */
	if (swarn[0])
		tui_app_status(app, TUI_ROLE_WARNING, "%s", swarn);
	if (terr[0])
		tui_app_status(app, TUI_ROLE_STATUS_ERROR, "%s", terr);
	if (kerr[0])
		tui_app_status(app, TUI_ROLE_STATUS_ERROR, "%s: %s", app->settings_path, kerr);
	if (serr[0])
		tui_app_status(app, TUI_ROLE_STATUS_ERROR, "%s (defaults used, file left alone)",
			       serr);
	app->dirty |= TUI_DIRTY_FRAME | TUI_DIRTY_FULL;
	return 0;
}

void tui_app_fini(struct tui_app *app)
{
	char err[512];
	int i;

	tui_dialog_close(app);
	tui_screen_close(&app->scr);
	if (app->settings.dirty && !app->settings.no_save && app->settings_path[0] &&
	    tui_settings_save(&app->settings, app->settings_path, err, sizeof(err)))
		fprintf(stderr, "hvtop: %s\n", err);
	tui_consoles_free(app);
	tui_eventlog_free(&app->events);
	tui_recall_free(&app->recall);
	tui_playback_close(app);
	for (i = 0; i < TUI_VIEW_COUNT; i++) {
		const struct tui_view_ops *o = tui_view_ops((enum tui_view)i);

		if (app->view_state[i] && o->fini)
			o->fini(app, app->view_state[i]);
		free(app->view_state[i]);
		app->view_state[i] = NULL;
	}
	tui_model_free(&app->model);
	hvctl_close(app->ctx);
	app->ctx = NULL;
	tui_demo_stop(app);
	tui_settings_free(&app->settings);
}

/* ---- keys ---- */

/* The current view's own keys. */
static bool view_action(struct tui_app *app, enum tui_action a)
{
	return tui_view_ops(app->view)->key(app, tui_view_state(app, app->view), a);
}

static void prompt_start(struct tui_app *app, enum tui_action kind)
{
	const char *cur = kind == TUI_ACT_SEARCH ? app->search : app->filter[app->view];

	app->prompt.active = true;
	app->prompt.kind = kind;
	snprintf(app->prompt.saved, sizeof(app->prompt.saved), "%s", cur);
	/*
	 * A search starts empty (what is typed is the new query; n repeats
	 * the last one); a filter is edited in place, as it stays applied.
	 */
	snprintf(app->prompt.text, sizeof(app->prompt.text), "%s",
		 kind == TUI_ACT_SEARCH ? "" : cur);
	app->dirty |= TUI_DIRTY_FRAME;
}

static void prompt_apply(struct tui_app *app)
{
	if (app->prompt.kind == TUI_ACT_FILTER)
		snprintf(app->filter[app->view], sizeof(app->filter[0]), "%s", app->prompt.text);
}

static void prompt_key(struct tui_app *app, int key)
{
	struct tui_prompt *p = &app->prompt;
	size_t len = strlen(p->text);

	key = tui_key_normalise(key);
	if (key == 27) {
		snprintf(p->text, sizeof(p->text), "%s", p->saved);
		prompt_apply(app);
		p->active = false;
	} else if (key == '\n') {
		p->active = false;
		if (p->kind == TUI_ACT_SEARCH) {
			snprintf(app->search, sizeof(app->search), "%s", p->text);
			view_action(app, TUI_ACT_SEARCH_NEXT);
		} else {
			prompt_apply(app);
		}
	} else if (key == KEY_BACKSPACE || key == KEY_DC) {
		if (len)
			p->text[len - 1] = '\0';
		prompt_apply(app);
	} else if (key == 0x15) {	/* ^U clears the line */
		p->text[0] = '\0';
		prompt_apply(app);
	} else if (key >= 0x20 && key < 0x7f && len + 1 < sizeof(p->text)) {
		p->text[len] = (char)key;
		p->text[len + 1] = '\0';
		prompt_apply(app);
	}
	app->dirty |= TUI_DIRTY_FRAME;
}

static void help_key(struct tui_app *app, enum tui_action a, int key)
{
	/* draw_help() clamps the end to the last page. */
	int top = tui_scroll_move(app->help_top, a, app->lay.body_h,
				  TUI_SCROLL_END);

	if (top >= 0) {
		app->help_top = top;
		app->dirty |= TUI_DIRTY_FRAME;
		return;
	}
	switch (a) {
	case TUI_ACT_QUIT:
	case TUI_ACT_BACK:
	case TUI_ACT_HELP:
		app->help_open = false;
		break;
	default:
		if (key == 27)
			app->help_open = false;
		break;
	}
	if (app->help_top < 0)
		app->help_top = 0;
	app->dirty |= TUI_DIRTY_FRAME;
}

static void set_refresh(struct tui_app *app, unsigned int ms)
{
	app->settings.refresh_ms = ms;
	set_min_interval(app);
	app->settings.dirty = true;
	schedule_refresh(app);
	tui_app_status(app, TUI_ROLE_STATUS, "refresh every %.1f s", ms / 1000.0);
}

/*
 * ncurses mouse: a click on a tab shows its view, on a cell row selects
 * it, on a column header sorts by it (again: reversed); the wheel moves
 * as Up and Down do. Off with --no-mouse.
 */
static void handle_mouse(struct tui_app *app)
{
	MEVENT ev;
	int i;

	if (getmouse(&ev) != OK || app->dialog || app->prompt.active || app->help_open)
		return;
	if (ev.bstate & (BUTTON4_PRESSED | BUTTON5_PRESSED)) {
		for (i = 0; i < 3; i++)
			tui_view_ops(app->view)->key(app, tui_view_state(app, app->view),
						     ev.bstate & BUTTON4_PRESSED ? TUI_ACT_UP :
						     TUI_ACT_DOWN);
		app->dirty |= TUI_DIRTY_FRAME;
		return;
	}
	if (!(ev.bstate & (BUTTON1_PRESSED | BUTTON1_CLICKED)))
		return;
	if (app->picker.active) {
		tui_sortpick_click(app, ev.y, ev.x);
		return;
	}
	if (ev.y == app->lay.tabs_y) {
		int v = tui_tab_at(app, ev.x);

		if (v >= 0)
			tui_app_set_view(app, (enum tui_view)v);
		return;
	}
	if (tui_cells_click(app, ev.y, ev.x))
		app->dirty |= TUI_DIRTY_FRAME;
}

static void handle_key(struct tui_app *app, int key)
{
	enum tui_action a;

	if (key == KEY_MOUSE) {
		if (!app->lay.too_small)
			handle_mouse(app);
		return;
	}
	if (key == KEY_RESIZE) {
		tui_screen_resize(&app->scr);
		tui_layout_compute(&app->lay, app->scr.cols, app->scr.rows);
		app->dirty |= TUI_DIRTY_FRAME | TUI_DIRTY_FULL | TUI_DIRTY_LAYOUT;
		return;
	}
	if (app->lay.too_small) {
		/* Only leaving works on the "too small" screen. */
		a = tui_keymap_lookup(&app->keys, TUI_KEYS_GLOBAL, key);
		if (a == TUI_ACT_QUIT)
			app->quit = true;
		else if (a == TUI_ACT_REPAINT)
			app->dirty |= TUI_DIRTY_FRAME | TUI_DIRTY_FULL;
		return;
	}
	if (app->dialog) {
		tui_dialog_key(app, key);
		return;
	}
	if (app->prompt.active) {
		prompt_key(app, key);
		return;
	}
	a = tui_keymap_lookup(&app->keys, tui_app_keyctx(app), key);
	if (app->picker.active) {
		tui_sortpick_key(app, a, key);
		return;
	}
	if (app->help_open) {
		help_key(app, a, key);
		return;
	}
	if (a == TUI_ACT_NONE)
		return;
	if (app->replay && tui_playback_key(app, a)) {
		app->dirty |= TUI_DIRTY_FRAME;
		return;
	}
	if (tui_action_mutates(a)) {
		tui_action_run(app, a);
		return;
	}
	if (view_action(app, a))
		return;

	switch (a) {
	case TUI_ACT_HELP:
		app->help_open = true;
		app->help_top = 0;
		break;
	case TUI_ACT_QUIT:
		app->quit = true;
		break;
	case TUI_ACT_BACK:
		if (app->filter[app->view][0]) {
			app->filter[app->view][0] = '\0';
			tui_app_status(app, TUI_ROLE_STATUS, "filter cleared");
		}
		break;
	case TUI_ACT_NEXT_VIEW:
		tui_app_set_view(app, tui_view_next_tab(app->view, 1));
		break;
	case TUI_ACT_PREV_VIEW:
		tui_app_set_view(app, tui_view_next_tab(app->view, -1));
		break;
	case TUI_ACT_VIEW_DASHBOARD:
	case TUI_ACT_VIEW_CELLS:
	case TUI_ACT_VIEW_CPUS:
	case TUI_ACT_VIEW_MEMMAP:
	case TUI_ACT_VIEW_IVSHMEM:
	case TUI_ACT_VIEW_CONSOLE:
	case TUI_ACT_VIEW_EVENTS:
		tui_app_set_view(app, (enum tui_view)(a - TUI_ACT_VIEW_DASHBOARD));
		break;
	case TUI_ACT_PAUSE:
		app->paused = !app->paused;
		app->paused_at = time(NULL);
		if (!app->paused) {
			tui_app_refresh(app);
			schedule_refresh(app);
		}
		tui_app_status(app, TUI_ROLE_STATUS, app->paused ?
			       "updates paused (p resumes)" : "updates resumed");
		break;
	case TUI_ACT_SLOWER:
		set_refresh(app, tui_refresh_step(app->settings.refresh_ms, +1));
		break;
	case TUI_ACT_FASTER:
		set_refresh(app, tui_refresh_step(app->settings.refresh_ms, -1));
		break;
	case TUI_ACT_REPAINT:
		tui_app_refresh(app);
		app->dirty |= TUI_DIRTY_FULL;
		break;
	case TUI_ACT_STEP:
		tui_app_status(app, TUI_ROLE_STATUS, "stepping is for a replay "
			       "(hvtop --replay FILE); p pauses the live view");
		break;
	case TUI_ACT_FILTER:
	case TUI_ACT_SEARCH:
		prompt_start(app, a);
		break;
	default:
		break;
	}
	app->dirty |= TUI_DIRTY_FRAME;
}

static void drain_keys(struct tui_app *app)
{
	int key, n = 0;

	/* Bounded so a flood of input cannot starve the screen. */
	while (n++ < 256 && (key = getch()) != ERR) {
		handle_key(app, key);
		if (app->quit)
			break;
	}
}

static void handle_events(struct tui_app *app)
{
	struct hvctl_event ev[32];
	bool refresh = false, all_consoles = false;
	bool notified = hvctl_console_notifies(app->ctx);
	size_t n, i;

	do {
		if (hvctl_event_process(app->ctx, ev, 32, &n))
			return;
		for (i = 0; i < n; i++) {
			switch (ev[i].type) {
			case HVCTL_EVENT_BACKEND_UP:
			case HVCTL_EVENT_BACKEND_DOWN:
			case HVCTL_EVENT_ENABLED:
			case HVCTL_EVENT_DISABLED:
			case HVCTL_EVENT_CELL_ADDED:
			case HVCTL_EVENT_CELL_REMOVED:
			case HVCTL_EVENT_CELL_STATE:
				refresh = true;
				break;
			case HVCTL_EVENT_CONSOLE:
				tui_consoles_read(app, ev[i].cell_id);
				break;
			case HVCTL_EVENT_TICK:
				/* A console that announces nothing: poll. */
				if (!notified)
					all_consoles = true;
				/* While disconnected, find out when it is back. */
				if (!app->connected && tui_now_ms() >= app->next_refresh)
					refresh = true;
				break;
			}
		}
	} while (n == 32);
	/* State changes show at once, also while paused: they are facts, not noise. */
	if (refresh) {
		tui_app_refresh(app);
		if (!app->paused)
			schedule_refresh(app);
	}
	if (all_consoles)
		tui_consoles_read(app, -2);
}

int tui_app_run(struct tui_app *app)
{
	struct pollfd fds[2];

	while (!app->quit && !tui_stop_signal) {
		uint64_t now = tui_now_ms();
		int timeout = -1, nfds = 1, ret;

		if (!app->paused && now >= app->next_refresh) {
			if (app->replay) {
				tui_playback_advance(app);
			} else {
				tui_app_refresh(app);
				schedule_refresh(app);
			}
		}
		if (app->status[0] && app->status_until && now >= app->status_until) {
			app->status[0] = '\0';
			app->dirty |= TUI_DIRTY_FRAME;
		}
		if (app->dirty)
			tui_draw_frame(app);

		if (!app->paused)
			timeout = app->next_refresh > now ? (int)(app->next_refresh - now) : 0;
		if (app->status[0] && app->status_until) {
			int t = app->status_until > now ? (int)(app->status_until - now) : 0;

			if (timeout < 0 || t < timeout)
				timeout = t;
		}
		fds[0].fd = STDIN_FILENO;
		fds[0].events = POLLIN;
		if (app->event_fd >= 0) {
			fds[1].fd = app->event_fd;
			fds[1].events = POLLIN;
			nfds = 2;
		}
		ret = poll(fds, (nfds_t)nfds, timeout);
		if (ret < 0 && errno != EINTR)
			break;
		if (ret > 0 && (fds[0].revents & (POLLHUP | POLLERR)) &&
		    !(fds[0].revents & POLLIN))
			break;	/* the terminal is gone */
		/*
		 * Keys, and KEY_RESIZE after a SIGWINCH. Looked for on every
		 * pass: a SIGWINCH that came while drawing (a slow refresh over
		 * ssh on the board) interrupted no poll(), and curses holds
		 * it until the next getch().
		 */
		drain_keys(app);
		if (nfds == 2 && ret > 0 && (fds[1].revents & POLLIN))
			handle_events(app);
	}
	return 0;
}
