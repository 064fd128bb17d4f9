// SPDX-License-Identifier: MIT
/*
 * Console sources: the hypervisor console and each cell's own console,
 * read through libhvctl's console readers into scrollback buffers. All
 * of them are read all the time, not only the one on screen, because the
 * rings behind them are 2 KiB and would otherwise lose output.
 */
#include "app.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define READ_CHUNK	4096
/* Per source and turn; the ring holds 2 KiB, so this is plenty. */
#define READ_ROUNDS	16

struct tui_console_src *tui_console_current(struct tui_app *app)
{
	if (!app->num_cons)
		return NULL;
	if (app->con_cur >= app->num_cons)
		app->con_cur = 0;
	return &app->cons[app->con_cur];
}

static void src_close(struct tui_console_src *src)
{
	hvctl_console_close(src->reader);
	src->reader = NULL;
}

static void src_open(struct tui_app *app, struct tui_console_src *src)
{
	int ret;

	if (src->reader)
		return;
	if (!app->ctx) {
		snprintf(src->why, sizeof(src->why), "a replay has no console output: "
			 "hvtop -b --json records snapshots only");
		return;
	}
	ret = hvctl_console_open(app->ctx, src->cell_id, &src->reader);
	if (!ret) {
		src->why[0] = '\0';
		return;
	}
	src->reader = NULL;
	if (ret == -ENOTSUP)
		snprintf(src->why, sizeof(src->why), "this backend offers no console for %s",
			 src->cell_id < 0 ? "the hypervisor" : "this cell");
	else
		snprintf(src->why, sizeof(src->why), "%.150s", hvctl_errmsg(app->ctx)[0] ?
			 hvctl_errmsg(app->ctx) : strerror(-ret));
}

static struct tui_console_src *src_add(struct tui_app *app, int cell_id, const char *name)
{
	struct tui_console_src *n, *src;
	struct tui_console_src *cur = tui_console_current(app);
	int cur_id = cur ? cur->cell_id : HVCTL_CONSOLE_HYPERVISOR;
	size_t i;

	n = realloc(app->cons, (app->num_cons + 1) * sizeof(*n));
	if (!n)
		return NULL;
	app->cons = n;
	src = &app->cons[app->num_cons];
	memset(src, 0, sizeof(*src));
	if (tui_conbuf_init(&src->buf, app->settings.console_lines))
		return NULL;
	src->cell_id = cell_id;
	hvctl_sanitize_str(src->name, sizeof(src->name), name);
	src->follow = true;
	src->match = -1;
	src->present = true;
	app->num_cons++;
	/* realloc may have moved the current source: find it again. */
	for (i = 0; i < app->num_cons; i++)
		if (app->cons[i].cell_id == cur_id)
			app->con_cur = i;
	return src;
}

void tui_consoles_sync(struct tui_app *app)
{
	const struct tui_model *m = &app->model;
	struct tui_console_src *cur = tui_console_current(app);
	int cur_id = cur ? cur->cell_id : HVCTL_CONSOLE_HYPERVISOR;
	size_t i, j;

	if (!app->num_cons && !src_add(app, HVCTL_CONSOLE_HYPERVISOR, "hypervisor"))
		return;
	if (!app->connected)
		return;
	for (i = 1; i < app->num_cons; i++)
		app->cons[i].present = false;
	for (i = 0; i < m->num_cells; i++) {
		const struct hvctl_cell_info *c = m->cells[i].cell;
		struct tui_console_src *src = NULL;

		for (j = 1; j < app->num_cons; j++)
			if (app->cons[j].cell_id == c->id)
				src = &app->cons[j];
		if (src && strcmp(src->name, c->name)) {
			/* The ID was reused by another cell while we looked away. */
			char note[96];

			snprintf(note, sizeof(note), "--- cell %d is now \"%s\" ---", c->id, c->name);
			tui_conbuf_note(&src->buf, note);
			hvctl_sanitize_str(src->name, sizeof(src->name), c->name);
		}
		if (!src) {
			src = src_add(app, c->id, c->name);
			if (!src)
				return;
		}
		src->present = true;
	}
	/* Gone cells: keep the one on screen (its last words), drop the rest. */
	for (i = 1, j = 1; i < app->num_cons; i++) {
		struct tui_console_src *src = &app->cons[i];

		if (!src->present && src->reader) {
			tui_consoles_read(app, src->cell_id);
			tui_conbuf_note(&src->buf, "--- cell destroyed ---");
			src_close(src);
		}
		if (!src->present && src->cell_id != cur_id) {
			tui_conbuf_free(&src->buf);
			continue;
		}
		app->cons[j++] = app->cons[i];
	}
	app->num_cons = j;
	app->con_cur = 0;
	for (i = 0; i < app->num_cons; i++)
		if (app->cons[i].cell_id == cur_id)
			app->con_cur = i;
	for (i = 0; i < app->num_cons; i++) {
		if (!app->cons[i].present || app->cons[i].reader)
			continue;
		src_open(app, &app->cons[i]);
		if (app->cons[i].reader)
			tui_consoles_read(app, app->cons[i].cell_id);
	}
}

static void read_src(struct tui_app *app, struct tui_console_src *src)
{
	char buf[READ_CHUNK];
	int round;

	if (!src->reader)
		return;
	for (round = 0; round < READ_ROUNDS; round++) {
		uint64_t before = tui_conbuf_end(&src->buf);
		uint64_t lost = 0;
		size_t len = 0;
		int ret;

		ret = hvctl_console_read(src->reader, buf, sizeof(buf), &len, &lost);
		if (ret == -EAGAIN)
			return;		/* nothing there yet (never enabled) */
		if (ret) {
			snprintf(src->why, sizeof(src->why), "%.150s",
				 hvctl_errmsg(app->ctx)[0] ? hvctl_errmsg(app->ctx) :
				 strerror(-ret));
			if (ret == -ENOENT)
				src_close(src);
			return;
		}
		src->why[0] = '\0';
		if (lost)
			tui_conbuf_lost(&src->buf, lost);
		if (len)
			tui_conbuf_feed(&src->buf, buf, len);
		if (!src->follow)
			src->unseen += tui_conbuf_end(&src->buf) - before;
		if (lost || len)
			app->dirty |= TUI_DIRTY_FRAME;
		if (!len)
			return;
	}
}

void tui_consoles_read(struct tui_app *app, int cell_id)
{
	size_t i;

	for (i = 0; i < app->num_cons; i++)
		if (cell_id == -2 || app->cons[i].cell_id == cell_id)
			read_src(app, &app->cons[i]);
}

void tui_consoles_note_all(struct tui_app *app, const char *text)
{
	size_t i;

	for (i = 0; i < app->num_cons; i++)
		tui_conbuf_note(&app->cons[i].buf, text);
	app->dirty |= TUI_DIRTY_FRAME;
}

void tui_consoles_free(struct tui_app *app)
{
	size_t i;

	for (i = 0; i < app->num_cons; i++) {
		src_close(&app->cons[i]);
		tui_conbuf_free(&app->cons[i].buf);
	}
	free(app->cons);
	app->cons = NULL;
	app->num_cons = 0;
}
