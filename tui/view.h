/* SPDX-License-Identifier: MIT */
/*
 * The numbered views and their names (used by keys, settings and the
 * title line).
 */
#ifndef HVTOP_VIEW_H
#define HVTOP_VIEW_H

#include "keymap.h"

enum tui_view {
	TUI_VIEW_CELLS = 0,
	TUI_VIEW_CPUS,
	TUI_VIEW_MEMMAP,
	TUI_VIEW_IVSHMEM,
	TUI_VIEW_CONSOLE,
	TUI_VIEW_COUNT
};

/* "cells", "cpus", "memory", "ivshmem", "console" */
const char *tui_view_name(enum tui_view v);
/* "Cells", "CPUs", "Memory map", ... */
const char *tui_view_title(enum tui_view v);
/* The view or -1. */
int tui_view_from_name(const char *name);
enum tui_keyctx tui_view_keyctx(enum tui_view v);

#endif /* !HVTOP_VIEW_H */
