// SPDX-License-Identifier: MIT
/*
 * hvtop's memory of cells this session (recall.h).
 */
#include "recall.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void entry_free(struct tui_recall_cell *c)
{
	hvctl_config_free(c->config);
	c->config = NULL;
}

void tui_recall_free(struct tui_recall *r)
{
	size_t i;

	for (i = 0; i < r->count; i++)
		entry_free(&r->cells[i]);
	free(r->cells);
	memset(r, 0, sizeof(*r));
}

static void remove_at(struct tui_recall *r, size_t i)
{
	entry_free(&r->cells[i]);
	memmove(&r->cells[i], &r->cells[i + 1], (r->count - i - 1) * sizeof(r->cells[0]));
	r->count--;
}

struct tui_recall_cell *tui_recall_find(struct tui_recall *r, int id)
{
	size_t i;

	for (i = 0; i < r->count; i++)
		if (!r->cells[i].gone && r->cells[i].id == id)
			return &r->cells[i];
	return NULL;
}

/* Room for one more: the oldest gone entry makes way when full. */
static struct tui_recall_cell *add(struct tui_recall *r)
{
	struct tui_recall_cell *n;
	size_t i;

	if (r->count == TUI_RECALL_MAX) {
		for (i = 0; i < r->count && !r->cells[i].gone; i++)
			;
		if (i == r->count)
			return NULL;
		remove_at(r, i);
	}
	n = realloc(r->cells, (r->count + 1) * sizeof(*n));
	if (!n)
		return NULL;
	r->cells = n;
	n = &r->cells[r->count++];
	memset(n, 0, sizeof(*n));
	return n;
}

static void copy_config(struct tui_recall_cell *e, const struct hvctl_config *c)
{
	struct hvctl_error err;

	if (e->config || !c || c->is_system)
		return;
	/* A copy: the snapshot's goes with the snapshot. Best effort. */
	if (hvctl_config_parse_binary(&e->config, c->data, c->size, c->source, &err))
		e->config = NULL;
}

int tui_recall_snapshot(struct tui_recall *r, const struct hvctl_snapshot *snap,
			time_t now)
{
	size_t i, j;
	int ret = 0;

	if (!snap)
		return 0;
	/* Whatever is no longer there (all of it after a disable) is gone. */
	for (i = 0; i < r->count; i++) {
		struct tui_recall_cell *e = &r->cells[i];
		bool there = false;

		if (e->gone)
			continue;
		for (j = 0; j < snap->num_cells && !there; j++)
			there = snap->cells[j].id == e->id &&
				!strcmp(snap->cells[j].name, e->name);
		if (!there) {
			e->gone = true;
			e->gone_at = now;
		}
	}
	for (j = 0; j < snap->num_cells; j++) {
		const struct hvctl_cell_info *c = &snap->cells[j];
		struct tui_recall_cell *e;

		if (c->is_root)
			continue;
		e = tui_recall_find(r, c->id);
		if (!e) {
			e = add(r);
			if (!e) {
				ret = -ENOMEM;
				continue;
			}
			e->id = c->id;
			snprintf(e->name, sizeof(e->name), "%s", c->name);
			/* Cells there from the start: hvtop cannot tell. */
			e->fresh = r->have_snap;
			e->created = r->have_snap ? now : 0;
		}
		if (c->state == HVCTL_CELL_RUNNING || c->state == HVCTL_CELL_RUNNING_LOCKED)
			e->fresh = false;
		copy_config(e, c->config);
	}
	r->have_snap = true;
	return ret;
}

void tui_recall_loaded(struct tui_recall *r, int id, const char *path, uint64_t address)
{
	struct tui_recall_cell *e = tui_recall_find(r, id);
	size_t i;

	if (!e)
		return;
	e->fresh = false;
	for (i = 0; i < e->num_images; i++)
		if (e->images[i].address == address && !strcmp(e->images[i].path, path))
			return;
	if (e->num_images == TUI_RECALL_IMAGES) {
		/* The oldest goes: later loads overwrite earlier ones anyway. */
		memmove(&e->images[0], &e->images[1], (TUI_RECALL_IMAGES - 1) *
			sizeof(e->images[0]));
		e->num_images--;
	}
	snprintf(e->images[e->num_images].path, sizeof(e->images[0].path), "%s", path);
	e->images[e->num_images].address = address;
	e->num_images++;
}

const struct tui_recall_cell *tui_recall_last_gone(const struct tui_recall *r)
{
	const struct tui_recall_cell *best = NULL;
	size_t i;

	for (i = 0; i < r->count; i++) {
		const struct tui_recall_cell *e = &r->cells[i];

		if (e->gone && e->config && (!best || e->gone_at >= best->gone_at))
			best = e;
	}
	return best;
}

void tui_recall_forget(struct tui_recall *r, const struct tui_recall_cell *c)
{
	size_t i;

	for (i = 0; i < r->count; i++)
		if (&r->cells[i] == c) {
			remove_at(r, i);
			return;
		}
}
