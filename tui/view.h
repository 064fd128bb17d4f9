/* SPDX-License-Identifier: MIT */
/*
 * hvtop's views. A view is one file, tui/view_NAME.c, that keeps its own
 * state and exports one table of operations, struct tui_view_ops, named
 * tui_view_NAME_ops; TUI_VIEWS below lists every view once.
 *
 * Adding a view: write tui/view_NAME.c with its state struct and its ops,
 * and add one line X(ID, NAME) to TUI_VIEWS. The enum value TUI_VIEW_ID,
 * the declaration of the ops and the app's table come from that line;
 * the frame (tabs, Tab/Shift-Tab, --view NAME, the saved view, the help
 * screen, the key bar, the refresh) reads everything else from the ops.
 * (A number key of its own is one more action in keymap.c; a view may
 * also use an existing key table.)
 *
 * The app owns the views' states: state_size zeroed bytes each, made
 * before init and kept for the whole run, so a view finds its selection
 * and scroll position as it left them. Only the current view is drawn,
 * updated and given keys.
 */
#ifndef HVTOP_VIEW_H
#define HVTOP_VIEW_H

#include <stdbool.h>
#include <stddef.h>

#include "keymap.h"

/*
 * Tabs in this order first; views with a parent (not tabs) after them.
 * A tab's number (its key, 0..) is its place here.
 */
#define TUI_VIEWS(X)			\
	X(DASHBOARD, dashboard)		\
	X(CELLS, cells)			\
	X(CPUS, cpus)			\
	X(MEMMAP, memmap)		\
	X(IVSHMEM, ivshmem)		\
	X(CONSOLE, console)		\
	X(EVENTS, events)		\
	X(DETAIL, detail)

enum tui_view {
#define TUI_VIEW_ENUM(id, file)	TUI_VIEW_##id,
	TUI_VIEWS(TUI_VIEW_ENUM)
#undef TUI_VIEW_ENUM
	TUI_VIEW_COUNT
};

struct tui_app;
struct tui_cell_row;

struct tui_view_ops {
	const char *name;	/* for --view and the settings: "cells" */
	const char *title;	/* on its tab and the help screen: "Cells" */
	enum tui_keyctx keys;	/* the key table while it is shown */
	/*
	 * -1: a tab of its own. Else the tab it opens from: that tab is
	 * highlighted, Back returns to it, and it stands in for this view in
	 * --view and the settings (the cell detail is a child of Cells).
	 */
	int parent;
	size_t state_size;	/* its own state (may be 0) */

	/* Optional: defaults from the settings; fini frees what it holds. */
	void (*init)(struct tui_app *app, void *state);
	void (*fini)(struct tui_app *app, void *state);
	/* Optional: after each snapshot while shown (and when it is chosen). */
	void (*update)(struct tui_app *app, void *state);
	/* The body, rows y .. y + h - 1. Drawing changes no system state. */
	void (*draw)(struct tui_app *app, void *state, int y, int h);
	/* A key's action: true when the view used it (else the frame's). */
	bool (*key)(struct tui_app *app, void *state, enum tui_action a);
	/* Optional: fixed lines for the help screen, under its heading,
	 * ending with NULL; then what help() adds for the view's state. */
	const char *const *help_text;
	/* Optional: lines for the help screen that depend on the state. */
	size_t (*help)(const struct tui_app *app, const void *state,
		       char (*lines)[160], size_t max);
	/* Optional: whose per-CPU counters it shows (HVCTL_CPU_STATS_* or a
	 * cell ID); none when NULL. */
	int (*cpu_stats)(const struct tui_app *app, const void *state);
	/* Optional: the cell it is about, for actions like start and stop;
	 * the app's selected cell when NULL. */
	const struct tui_cell_row *(*cell)(const struct tui_app *app, const void *state);
};

#define TUI_VIEW_EXTERN(id, file)	extern const struct tui_view_ops tui_view_##file##_ops;
TUI_VIEWS(TUI_VIEW_EXTERN)
#undef TUI_VIEW_EXTERN

/* The ops of view v (v < TUI_VIEW_COUNT). */
const struct tui_view_ops *tui_view_ops(enum tui_view v);
/* "dashboard", "cells", "cpus", ..., "events", "memory", "ivshmem", "console", "detail" */
const char *tui_view_name(enum tui_view v);
/* "Cells", "CPUs", "Memory map", ... */
const char *tui_view_title(enum tui_view v);
/* The view or -1. */
int tui_view_from_name(const char *name);
enum tui_keyctx tui_view_keyctx(enum tui_view v);
/* The tab v belongs to: v itself, or its parent. */
enum tui_view tui_view_tab(enum tui_view v);
/* The next (dir 1) or previous (dir -1) tab after tab v, round. */
enum tui_view tui_view_next_tab(enum tui_view v, int dir);

#endif /* !HVTOP_VIEW_H */
