// SPDX-License-Identifier: MIT
/*
 * The numbered views: names, titles, key tables.
 */
#include "view.h"

#include <string.h>

static const struct {
	const char *name;
	const char *title;
	enum tui_keyctx keys;
} views[TUI_VIEW_COUNT] = {
	[TUI_VIEW_CELLS]	= { "cells", "Cells", TUI_KEYS_CELLS },
	[TUI_VIEW_CPUS]		= { "cpus", "CPUs", TUI_KEYS_CPUS },
	[TUI_VIEW_MEMMAP]	= { "memory", "Memory map", TUI_KEYS_MEMMAP },
	[TUI_VIEW_IVSHMEM]	= { "ivshmem", "ivshmem", TUI_KEYS_IVSHMEM },
	[TUI_VIEW_CONSOLE]	= { "console", "Console", TUI_KEYS_CONSOLE },
};

const char *tui_view_name(enum tui_view v)
{
	return (unsigned int)v < TUI_VIEW_COUNT ? views[v].name : "?";
}

const char *tui_view_title(enum tui_view v)
{
	return (unsigned int)v < TUI_VIEW_COUNT ? views[v].title : "?";
}

int tui_view_from_name(const char *name)
{
	int i;

	for (i = 0; i < TUI_VIEW_COUNT; i++)
		if (!strcmp(name, views[i].name))
			return i;
	return -1;
}

enum tui_keyctx tui_view_keyctx(enum tui_view v)
{
	return (unsigned int)v < TUI_VIEW_COUNT ? views[v].keys : TUI_KEYS_GLOBAL;
}
