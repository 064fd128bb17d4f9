// SPDX-License-Identifier: MIT
/*
 * hvtop --replay FILE: a recorded session (replay.c parses it) shown in
 * the full UI instead of a live backend. The snapshots come at the pace
 * they were recorded at (faster or slower with the refresh keys), p
 * pauses, '.' steps one snapshot; the title says REPLAY and the recorded
 * time. Read-only: every action is refused, naming the replay.
 */
#include "app.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Speed is 2^speed_exp: from a quarter to 32 times the recorded pace. */
#define SPEED_MIN	(-2)
#define SPEED_MAX	5
#define GAP_MIN_MS	50

/* The replay owns its snapshots; the model only borrows them. */
static void keep_snapshot(struct hvctl_snapshot *snap)
{
	(void)snap;
}

int tui_playback_open(struct tui_app *app, const char *path, char *err, size_t errlen)
{
	char why[160];
	int ret;

	app->replay = calloc(1, sizeof(*app->replay));
	if (!app->replay) {
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	ret = tui_replay_load(app->replay, path, err, errlen);
	if (ret) {
		free(app->replay);
		app->replay = NULL;
		return ret;
	}
	app->replay_cur = 0;
	app->replay_speed = 0;
	app->model.release = keep_snapshot;
	/* Each recorded interval is the one to show a rate for. */
	app->model.min_interval = 0.0;
	app->connected = true;
	app->was_connected = true;
	snprintf(why, sizeof(why), "this is a replay of %.120s", path);
	tui_app_set_readonly(app, why);
	return 0;
}

void tui_playback_close(struct tui_app *app)
{
	if (!app->replay)
		return;
	/* The model's snapshots point into the frames: it goes first. */
	tui_model_free(&app->model);
	tui_replay_free(app->replay);
	free(app->replay);
	app->replay = NULL;
}

const struct tui_replay_frame *tui_playback_frame(const struct tui_app *app)
{
	if (!app->replay || !app->replay->count)
		return NULL;
	return &app->replay->frames[app->replay_cur];
}

/* The current frame to the model, once: showing it again adds no history. */
void tui_playback_show(struct tui_app *app)
{
	struct tui_replay_frame *f = &app->replay->frames[app->replay_cur];
	size_t i;

	app->dirty |= TUI_DIRTY_FRAME;
	if (app->model.snap == &f->snap)
		return;
	app->refreshes++;
	if (tui_model_update(&app->model, &f->snap))
		tui_app_status(app, TUI_ROLE_STATUS_ERROR, "out of memory while updating");
	/* The memory each cell had, as recorded (no configs are recorded). */
	for (i = 0; i < app->model.num_cells && i < f->snap.num_cells; i++) {
		struct tui_cell_row *r = &app->model.cells[i];

		if (f->mem_owned[i] < 0)
			continue;
		r->mem_known = true;
		r->mem_owned = (uint64_t)f->mem_owned[i];
		r->mem_shared = f->mem_shared[i] > 0 ? (uint64_t)f->mem_shared[i] : 0;
	}
	tui_eventlog_snapshot(&app->events, app->model.snap, f->time ? f->time : time(NULL));
	tui_consoles_sync(app);
	tui_alarm_update(app);
	if (tui_view_ops(app->view)->update)
		tui_view_ops(app->view)->update(app, tui_view_state(app, app->view));
}

static unsigned int gap_ms(const struct tui_app *app)
{
	unsigned int g = tui_replay_gap_ms(app->replay, app->replay_cur);

	g = app->replay_speed >= 0 ? g >> app->replay_speed : g << -app->replay_speed;
	return g < GAP_MIN_MS ? GAP_MIN_MS : g;
}

static void at_end(struct tui_app *app)
{
	app->paused = true;
	app->paused_at = time(NULL);
	tui_app_status_as(app, TUI_ROLE_STATUS, -1, "end of the replay (%zu snapshot%s); "
			  "q quits", app->replay->count, app->replay->count == 1 ? "" : "s");
}

/* Time for the next snapshot. */
void tui_playback_advance(struct tui_app *app)
{
	if (app->replay_cur + 1 >= app->replay->count) {
		at_end(app);
		return;
	}
	app->replay_cur++;
	tui_playback_show(app);
	if (app->replay_cur + 1 >= app->replay->count)
		at_end(app);
	else
		app->next_refresh = tui_now_ms() + gap_ms(app);
}

/* The first snapshot, and the timer for the second. */
void tui_playback_start(struct tui_app *app)
{
	tui_playback_show(app);
	if (app->replay->warning[0])
		tui_app_status(app, TUI_ROLE_WARNING, "%s", app->replay->warning);
	if (app->replay->count == 1)
		at_end(app);
	else
		app->next_refresh = tui_now_ms() + gap_ms(app);
}

static void say_speed(struct tui_app *app)
{
	tui_app_status_as(app, TUI_ROLE_STATUS, -1, "replaying at %g times the recorded pace",
			  app->replay_speed >= 0 ? (double)(1 << app->replay_speed) :
			  1.0 / (1 << -app->replay_speed));
}

bool tui_playback_key(struct tui_app *app, enum tui_action a)
{
	switch (a) {
	case TUI_ACT_PAUSE:
		if (app->paused && app->replay_cur + 1 >= app->replay->count) {
			tui_app_status_as(app, TUI_ROLE_STATUS, -1, "the replay is at its end "
					  "(%zu snapshots); q quits", app->replay->count);
			return true;
		}
		app->paused = !app->paused;
		app->paused_at = time(NULL);
		if (!app->paused)
			app->next_refresh = tui_now_ms() + gap_ms(app);
		tui_app_status_as(app, TUI_ROLE_STATUS, -1, app->paused ?
				  "replay paused (p resumes, . steps)" : "replay resumed");
		return true;
	case TUI_ACT_STEP:
		if (app->replay_cur + 1 >= app->replay->count) {
			at_end(app);
			return true;
		}
		app->paused = true;
		app->paused_at = time(NULL);
		app->replay_cur++;
		tui_playback_show(app);
		tui_app_status_as(app, TUI_ROLE_STATUS, -1, "snapshot %zu of %zu (p resumes)",
				  app->replay_cur + 1, app->replay->count);
		return true;
	case TUI_ACT_FASTER:
	case TUI_ACT_SLOWER:
		if (a == TUI_ACT_FASTER && app->replay_speed < SPEED_MAX)
			app->replay_speed++;
		else if (a == TUI_ACT_SLOWER && app->replay_speed > SPEED_MIN)
			app->replay_speed--;
		if (!app->paused)
			app->next_refresh = tui_now_ms() + gap_ms(app);
		say_speed(app);
		return true;
	default:
		return false;
	}
}

void tui_playback_title(const struct tui_app *app, char *left, size_t nl,
			char *right, size_t nr, char *when, size_t nw)
{
	const struct tui_replay_frame *f = tui_playback_frame(app);
	char speed[16] = "";
	struct tm tm;

	snprintf(left, nl, "hvtop  REPLAY %s", app->replay->path);
	if (app->replay_speed)
		snprintf(speed, sizeof(speed), "  x%g", app->replay_speed > 0 ?
			 (double)(1 << app->replay_speed) : 1.0 / (1 << -app->replay_speed));
	snprintf(right, nr, "%s%zu/%zu%s", app->paused ? "PAUSED  " : "",
		 app->replay_cur + 1, app->replay->count, speed);
	when[0] = '\0';
	if (f && f->time) {
		time_t t = f->time;

		localtime_r(&t, &tm);
		strftime(when, nw, "%Y-%m-%d %H:%M:%S", &tm);
	} else {
		snprintf(when, nw, "(no time recorded)");
	}
}
