/* SPDX-License-Identifier: MIT */
/*
 * What hvtop remembers of each cell this session, for the safe actions:
 * whether it has seen an image loaded into a cell since it was created
 * (start warns otherwise), and a destroyed cell's config and the images
 * hvtop loaded into it (one key creates, loads and starts it again).
 *
 * Only what hvtop saw counts: a cell that was there when hvtop started
 * is not taken for a fresh one, and a load by another tool is not seen
 * (the backend does not tell), so the start warning says "hvtop has seen
 * no image loaded". No curses here.
 */
#ifndef HVTOP_RECALL_H
#define HVTOP_RECALL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include <hvctl/hvctl.h>

#include "paths.h"

#define TUI_RECALL_IMAGES	8
#define TUI_RECALL_MAX		64

struct tui_recall_image {
	char path[TUI_PATH_MAX];
	uint64_t address;
};

struct tui_recall_cell {
	int id;				/* while it exists */
	char name[HVCTL_CELL_NAME_MAX + 1];
	bool fresh;			/* seen created, no load or run seen since */
	time_t created;			/* when it was seen created; 0: before hvtop */
	bool gone;			/* destroyed (or the hypervisor disabled) */
	time_t gone_at;
	struct hvctl_config *config;	/* a copy of its running config, or NULL */
	struct tui_recall_image images[TUI_RECALL_IMAGES];
	size_t num_images;
};

struct tui_recall {
	struct tui_recall_cell *cells;
	size_t count;
	bool have_snap;			/* a first snapshot was seen */
};

void tui_recall_free(struct tui_recall *r);
/*
 * Follow a snapshot (NULL: the backend is gone, which says nothing about
 * the cells): new cells are fresh unless they were there at the first
 * snapshot, a running cell is not fresh, a cell no longer there is gone,
 * configs are copied as they become known. 0 or -ENOMEM.
 */
int tui_recall_snapshot(struct tui_recall *r, const struct hvctl_snapshot *snap,
			time_t now);
/* The entry of the existing cell id, or NULL. */
struct tui_recall_cell *tui_recall_find(struct tui_recall *r, int id);
/* hvtop loaded an image into cell id: not fresh; the image is kept. */
void tui_recall_loaded(struct tui_recall *r, int id, const char *path, uint64_t address);
/* The cell destroyed last that can be created again (has a config), or NULL. */
const struct tui_recall_cell *tui_recall_last_gone(const struct tui_recall *r);
/* Forget a gone entry (it was created again). */
void tui_recall_forget(struct tui_recall *r, const struct tui_recall_cell *c);

#endif /* !HVTOP_RECALL_H */
