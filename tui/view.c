// SPDX-License-Identifier: MIT
/*
 * The table of views (one line per view in TUI_VIEWS, view.h) and what
 * the frame asks of it.
 */
#include "view.h"

#include <string.h>

static const struct tui_view_ops *const views[TUI_VIEW_COUNT] = {
#define TUI_VIEW_TABLE(id, file)	[TUI_VIEW_##id] = &tui_view_##file##_ops,
	TUI_VIEWS(TUI_VIEW_TABLE)
#undef TUI_VIEW_TABLE
};

const struct tui_view_ops *tui_view_ops(enum tui_view v)
{
	return views[(unsigned int)v < TUI_VIEW_COUNT ? v : TUI_VIEW_CELLS];
}

const char *tui_view_name(enum tui_view v)
{
	return (unsigned int)v < TUI_VIEW_COUNT ? views[v]->name : "?";
}

const char *tui_view_title(enum tui_view v)
{
	return (unsigned int)v < TUI_VIEW_COUNT ? views[v]->title : "?";
}

int tui_view_from_name(const char *name)
{
	int i;

	for (i = 0; i < TUI_VIEW_COUNT; i++)
		if (!strcmp(name, views[i]->name))
			return i;
	return -1;
}

enum tui_keyctx tui_view_keyctx(enum tui_view v)
{
	return (unsigned int)v < TUI_VIEW_COUNT ? views[v]->keys : TUI_KEYS_GLOBAL;
}

enum tui_view tui_view_tab(enum tui_view v)
{
	const struct tui_view_ops *o = tui_view_ops(v);

	return o->parent >= 0 ? (enum tui_view)o->parent : v;
}

enum tui_view tui_view_next_tab(enum tui_view v, int dir)
{
	int i = (int)tui_view_tab(v), n;

	for (n = 0; n < TUI_VIEW_COUNT; n++) {
		i = (i + (dir < 0 ? TUI_VIEW_COUNT - 1 : 1)) % TUI_VIEW_COUNT;
		if (views[i]->parent < 0)
			return (enum tui_view)i;
	}
	return v;
}
