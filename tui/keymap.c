// SPDX-License-Identifier: MIT
/*
 * Default key tables, key names and rebinding.
 */
#include "keymap.h"

#include <ctype.h>
#include <errno.h>
#include <ncurses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define KEY_ESC		27
#define KEY_TAB		9
#define KEY_NL		10
#define CTRL(c)		((c) & 0x1f)

struct action_info {
	const char *name;
	const char *help;
	const char *label;
	enum tui_keyctx home;
	bool mutates;
};

static const struct action_info actions[TUI_ACT_COUNT] = {
	[TUI_ACT_NONE]		= { "none", "", NULL, TUI_KEYS_GLOBAL, false },
	[TUI_ACT_HELP]		= { "help", "Show help for the current view", "Help", TUI_KEYS_GLOBAL, false },
	[TUI_ACT_QUIT]		= { "quit", "Quit hvtop", "Quit", TUI_KEYS_GLOBAL, false },
	[TUI_ACT_BACK]		= { "back", "Back out of the detail, a prompt or the filter", NULL, TUI_KEYS_GLOBAL, false },
	[TUI_ACT_NEXT_VIEW]	= { "next-view", "Next view", NULL, TUI_KEYS_GLOBAL, false },
	[TUI_ACT_PREV_VIEW]	= { "prev-view", "Previous view", NULL, TUI_KEYS_GLOBAL, false },
	[TUI_ACT_VIEW_DASHBOARD]	= { "view-dashboard", "Dashboard view", NULL, TUI_KEYS_GLOBAL, false },
	[TUI_ACT_VIEW_CELLS]	= { "view-cells", "Cells view", NULL, TUI_KEYS_GLOBAL, false },
	[TUI_ACT_VIEW_CPUS]	= { "view-cpus", "CPUs view", NULL, TUI_KEYS_GLOBAL, false },
	[TUI_ACT_VIEW_MEMMAP]	= { "view-memory", "Memory map view", NULL, TUI_KEYS_GLOBAL, false },
	[TUI_ACT_VIEW_IVSHMEM]	= { "view-ivshmem", "ivshmem links view", NULL, TUI_KEYS_GLOBAL, false },
	[TUI_ACT_VIEW_CONSOLE]	= { "view-console", "Console view", NULL, TUI_KEYS_GLOBAL, false },
	[TUI_ACT_VIEW_EVENTS]	= { "view-events", "Event log view", NULL, TUI_KEYS_GLOBAL, false },
	[TUI_ACT_PAUSE]		= { "pause", "Pause or resume updates", "Pause", TUI_KEYS_GLOBAL, false },
	[TUI_ACT_SLOWER]	= { "slower", "Refresh less often (longer interval)", NULL, TUI_KEYS_GLOBAL, false },
	[TUI_ACT_FASTER]	= { "faster", "Refresh more often (shorter interval)", NULL, TUI_KEYS_GLOBAL, false },
	[TUI_ACT_REPAINT]	= { "repaint", "Repaint the screen and refresh now", NULL, TUI_KEYS_GLOBAL, false },
	[TUI_ACT_STEP]		= { "step", "Replay: show the next recorded snapshot (and pause)", NULL, TUI_KEYS_GLOBAL, false },
	[TUI_ACT_UP]		= { "up", "Move up", NULL, TUI_KEYS_GLOBAL, false },
	[TUI_ACT_DOWN]		= { "down", "Move down", NULL, TUI_KEYS_GLOBAL, false },
	[TUI_ACT_PAGE_UP]	= { "page-up", "Page up", NULL, TUI_KEYS_GLOBAL, false },
	[TUI_ACT_PAGE_DOWN]	= { "page-down", "Page down", NULL, TUI_KEYS_GLOBAL, false },
	[TUI_ACT_HOME]		= { "home", "First line", NULL, TUI_KEYS_GLOBAL, false },
	[TUI_ACT_END]		= { "end", "Last line", NULL, TUI_KEYS_GLOBAL, false },
	[TUI_ACT_LEFT]		= { "left", "Scroll left", NULL, TUI_KEYS_GLOBAL, false },
	[TUI_ACT_RIGHT]		= { "right", "Scroll right", NULL, TUI_KEYS_GLOBAL, false },
	[TUI_ACT_CREATE]	= { "create", "Create a cell from a config file", "New", TUI_KEYS_GLOBAL, true },
	[TUI_ACT_ENABLE]	= { "enable", "Enable the hypervisor with a system config", "Enable", TUI_KEYS_GLOBAL, true },
	[TUI_ACT_DISABLE]	= { "disable", "Disable the hypervisor (destroys every cell)", "Disable", TUI_KEYS_GLOBAL, true },
	[TUI_ACT_RECREATE]	= { "recreate", "Create the cell destroyed last again: its config, the images hvtop loaded, start", NULL, TUI_KEYS_GLOBAL, true },
	[TUI_ACT_DETAIL]	= { "detail", "Open the selected cell's detail", "Detail", TUI_KEYS_CELLS, false },
	[TUI_ACT_FILTER]	= { "filter", "Filter rows by name (a leading ! inverts)", "Filter", TUI_KEYS_CELLS, false },
	[TUI_ACT_SORT]		= { "sort", "Sort by the next column", "Sort", TUI_KEYS_CELLS, false },
	[TUI_ACT_SORT_REVERSE]	= { "sort-reverse", "Reverse the sort order", NULL, TUI_KEYS_CELLS, false },
	[TUI_ACT_SORT_PICK]	= { "sort-by", "Choose the sort column from a list", "SortBy", TUI_KEYS_CELLS, false },
	[TUI_ACT_CELL_CONSOLE]	= { "cell-console", "Show the selected cell's console", "Console", TUI_KEYS_CELLS, false },
	[TUI_ACT_LOAD]		= { "load", "Load an image into the selected cell", "Load", TUI_KEYS_CELLS, true },
	[TUI_ACT_START]		= { "start", "Start the selected cell", "Start", TUI_KEYS_CELLS, true },
	[TUI_ACT_STOP]		= { "stop", "Stop (shut down) the selected cell", "Stop", TUI_KEYS_CELLS, true },
	[TUI_ACT_DESTROY]	= { "destroy", "Destroy the selected cell, returning its resources", "Destroy", TUI_KEYS_CELLS, true },
	[TUI_ACT_EXPORT]	= { "export", "Write the cell's running config to a file as JSON", "Export", TUI_KEYS_CELLS, false },
	[TUI_ACT_DIFF]		= { "diff", "Compare the cell's running config with a config file", "Diff", TUI_KEYS_CELLS, false },
	[TUI_ACT_NEXT_CPU]	= { "next-cpu", "Show the next CPU's counters (then all CPUs)", "CPU", TUI_KEYS_DETAIL, false },
	[TUI_ACT_ZOOM_IN]	= { "zoom-in", "Zoom in (fewer bytes per row)", "Zoom+", TUI_KEYS_MEMMAP, false },
	[TUI_ACT_ZOOM_OUT]	= { "zoom-out", "Zoom out (more bytes per row)", "Zoom-", TUI_KEYS_MEMMAP, false },
	[TUI_ACT_SEARCH]	= { "search", "Search the console text", "Search", TUI_KEYS_CONSOLE, false },
	[TUI_ACT_SEARCH_NEXT]	= { "search-next", "Next match", "Next", TUI_KEYS_CONSOLE, false },
	[TUI_ACT_SEARCH_PREV]	= { "search-prev", "Previous match", NULL, TUI_KEYS_CONSOLE, false },
	[TUI_ACT_FOLLOW]	= { "follow", "Jump to the end and follow new output", "Follow", TUI_KEYS_CONSOLE, false },
	[TUI_ACT_SAVE]		= { "save", "Save this console's text to a file", "Save", TUI_KEYS_CONSOLE, false },
	[TUI_ACT_TIMESTAMPS]	= { "timestamps", "Show or hide when each line came", "Times", TUI_KEYS_CONSOLE, false },
	[TUI_ACT_PREV_SOURCE]	= { "prev-source", "Previous console (hypervisor, then each cell)", NULL, TUI_KEYS_CONSOLE, false },
	[TUI_ACT_NEXT_SOURCE]	= { "next-source", "Next console", "Source", TUI_KEYS_CONSOLE, false },
};

static const char *const ctx_names[TUI_KEYS_COUNT] = {
	[TUI_KEYS_GLOBAL]	= "global",
	[TUI_KEYS_CELLS]	= "cells",
	[TUI_KEYS_CPUS]		= "cpus",
	[TUI_KEYS_MEMMAP]	= "memory",
	[TUI_KEYS_IVSHMEM]	= "ivshmem",
	[TUI_KEYS_CONSOLE]	= "console",
	[TUI_KEYS_DETAIL]	= "detail",
};

const char *tui_keyctx_name(enum tui_keyctx ctx)
{
	return (unsigned int)ctx < TUI_KEYS_COUNT ? ctx_names[ctx] : "?";
}

const char *tui_action_name(enum tui_action a)
{
	return (unsigned int)a < TUI_ACT_COUNT ? actions[a].name : "?";
}

enum tui_action tui_action_from_name(const char *name)
{
	int i;

	for (i = 1; i < TUI_ACT_COUNT; i++)
		if (!strcmp(actions[i].name, name))
			return (enum tui_action)i;
	return TUI_ACT_NONE;
}

const char *tui_action_help(enum tui_action a)
{
	return (unsigned int)a < TUI_ACT_COUNT ? actions[a].help : "";
}

const char *tui_action_label(enum tui_action a)
{
	return (unsigned int)a < TUI_ACT_COUNT ? actions[a].label : NULL;
}

bool tui_action_mutates(enum tui_action a)
{
	return (unsigned int)a < TUI_ACT_COUNT && actions[a].mutates;
}

enum tui_keyctx tui_action_home(enum tui_action a)
{
	return (unsigned int)a < TUI_ACT_COUNT ? actions[a].home : TUI_KEYS_GLOBAL;
}

int tui_keymap_bind(struct tui_keymap *km, enum tui_keyctx ctx, int key,
		    enum tui_action action)
{
	unsigned int i;

	for (i = 0; i < km->count[ctx]; i++) {
		if (km->table[ctx][i].key == key) {
			km->table[ctx][i].action = action;
			return 0;
		}
	}
	if (km->count[ctx] >= TUI_KEYMAP_MAX)
		return -ENOSPC;
	km->table[ctx][km->count[ctx]].key = key;
	km->table[ctx][km->count[ctx]].action = action;
	km->count[ctx]++;
	return 0;
}

static void bind_list(struct tui_keymap *km, enum tui_keyctx ctx,
		      const struct tui_binding *list, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		tui_keymap_bind(km, ctx, list[i].key, list[i].action);
}

/* Bindings of the cell actions, shared by the lists that show cells. */
static const struct tui_binding cell_keys[] = {
	{ KEY_NL, TUI_ACT_DETAIL },
	{ 'c', TUI_ACT_CELL_CONSOLE },
	{ 'L', TUI_ACT_LOAD },
	{ 'S', TUI_ACT_START },
	{ 'x', TUI_ACT_STOP },
	{ 'D', TUI_ACT_DESTROY },
	{ 'J', TUI_ACT_EXPORT },
	{ 'd', TUI_ACT_DIFF },
};

void tui_keymap_defaults(struct tui_keymap *km)
{
	static const struct tui_binding global[] = {
		{ '?', TUI_ACT_HELP },
		{ KEY_F(1), TUI_ACT_HELP },
		{ 'h', TUI_ACT_HELP },
		{ 'q', TUI_ACT_QUIT },
		{ KEY_F(10), TUI_ACT_QUIT },
		{ KEY_ESC, TUI_ACT_BACK },
		{ KEY_TAB, TUI_ACT_NEXT_VIEW },
		{ KEY_BTAB, TUI_ACT_PREV_VIEW },
		{ '0', TUI_ACT_VIEW_DASHBOARD },
		{ '1', TUI_ACT_VIEW_CELLS },
		{ '2', TUI_ACT_VIEW_CPUS },
		{ '3', TUI_ACT_VIEW_MEMMAP },
		{ '4', TUI_ACT_VIEW_IVSHMEM },
		{ '5', TUI_ACT_VIEW_CONSOLE },
		{ '6', TUI_ACT_VIEW_EVENTS },
		{ 'p', TUI_ACT_PAUSE },
		{ '+', TUI_ACT_SLOWER },
		{ '-', TUI_ACT_FASTER },
		{ CTRL('l'), TUI_ACT_REPAINT },
		{ '.', TUI_ACT_STEP },
		{ KEY_UP, TUI_ACT_UP },
		{ 'k', TUI_ACT_UP },
		{ KEY_DOWN, TUI_ACT_DOWN },
		{ 'j', TUI_ACT_DOWN },
		{ KEY_PPAGE, TUI_ACT_PAGE_UP },
		{ KEY_NPAGE, TUI_ACT_PAGE_DOWN },
		{ KEY_HOME, TUI_ACT_HOME },
		{ KEY_END, TUI_ACT_END },
		{ KEY_LEFT, TUI_ACT_LEFT },
		{ KEY_RIGHT, TUI_ACT_RIGHT },
		{ 'n', TUI_ACT_CREATE },
		{ 'R', TUI_ACT_RECREATE },
		{ 'E', TUI_ACT_ENABLE },
		{ 'X', TUI_ACT_DISABLE },
	};
	static const struct tui_binding lists[] = {
		{ '/', TUI_ACT_FILTER },
		{ 's', TUI_ACT_SORT },
		{ 'I', TUI_ACT_SORT_REVERSE },
		/* htop's function keys where the meaning carries over. */
		{ KEY_F(4), TUI_ACT_FILTER },
		{ KEY_F(6), TUI_ACT_SORT_PICK },
	};
	static const struct tui_binding detail[] = {
		{ 'C', TUI_ACT_NEXT_CPU },
	};
	static const struct tui_binding memmap[] = {
		{ '>', TUI_ACT_ZOOM_IN },
		{ '<', TUI_ACT_ZOOM_OUT },
		{ '/', TUI_ACT_FILTER },
		{ KEY_F(4), TUI_ACT_FILTER },
		{ KEY_NL, TUI_ACT_DETAIL },
	};
	static const struct tui_binding ivshmem[] = {
		{ '/', TUI_ACT_FILTER },
		{ KEY_F(4), TUI_ACT_FILTER },
		{ KEY_NL, TUI_ACT_DETAIL },
	};
	static const struct tui_binding console[] = {
		{ '/', TUI_ACT_SEARCH },
		{ KEY_F(3), TUI_ACT_SEARCH },
		{ 'n', TUI_ACT_SEARCH_NEXT },
		{ 'N', TUI_ACT_SEARCH_PREV },
		{ 'F', TUI_ACT_FOLLOW },
		{ 'w', TUI_ACT_SAVE },
		{ 't', TUI_ACT_TIMESTAMPS },
		{ '[', TUI_ACT_PREV_SOURCE },
		{ ']', TUI_ACT_NEXT_SOURCE },
	};

	memset(km, 0, sizeof(*km));
	bind_list(km, TUI_KEYS_GLOBAL, global, sizeof(global) / sizeof(global[0]));
	bind_list(km, TUI_KEYS_CELLS, cell_keys, sizeof(cell_keys) / sizeof(cell_keys[0]));
	bind_list(km, TUI_KEYS_CELLS, lists, sizeof(lists) / sizeof(lists[0]));
	bind_list(km, TUI_KEYS_CPUS, lists, sizeof(lists) / sizeof(lists[0]));
	tui_keymap_bind(km, TUI_KEYS_CPUS, KEY_NL, TUI_ACT_DETAIL);
	bind_list(km, TUI_KEYS_DETAIL, cell_keys + 1,
		  sizeof(cell_keys) / sizeof(cell_keys[0]) - 1);
	bind_list(km, TUI_KEYS_DETAIL, detail, sizeof(detail) / sizeof(detail[0]));
	bind_list(km, TUI_KEYS_MEMMAP, memmap, sizeof(memmap) / sizeof(memmap[0]));
	bind_list(km, TUI_KEYS_IVSHMEM, ivshmem, sizeof(ivshmem) / sizeof(ivshmem[0]));
	bind_list(km, TUI_KEYS_CONSOLE, console, sizeof(console) / sizeof(console[0]));
}

enum tui_action tui_keymap_lookup(const struct tui_keymap *km,
				  enum tui_keyctx ctx, int key)
{
	unsigned int i;

	key = tui_key_normalise(key);
	if ((unsigned int)ctx < TUI_KEYS_COUNT)
		for (i = 0; i < km->count[ctx]; i++)
			if (km->table[ctx][i].key == key)
				return km->table[ctx][i].action;
	for (i = 0; i < km->count[TUI_KEYS_GLOBAL]; i++)
		if (km->table[TUI_KEYS_GLOBAL][i].key == key)
			return km->table[TUI_KEYS_GLOBAL][i].action;
	return TUI_ACT_NONE;
}

size_t tui_keymap_keys(const struct tui_keymap *km, enum tui_keyctx ctx,
		       enum tui_action action, int *keys, size_t max)
{
	size_t n = 0;
	unsigned int i;

	for (i = 0; i < km->count[ctx] && n < max; i++)
		if (km->table[ctx][i].action == action)
			keys[n++] = km->table[ctx][i].key;
	return n;
}

/* Cell actions live in several tables; rebinding moves them in each. */
static bool action_in_ctx(const struct tui_keymap *km, enum tui_keyctx ctx,
			  enum tui_action a)
{
	unsigned int i;

	for (i = 0; i < km->count[ctx]; i++)
		if (km->table[ctx][i].action == a)
			return true;
	return false;
}

int tui_keymap_rebind(struct tui_keymap *km, const char *action,
		      const char *spec, char *err, size_t errlen)
{
	struct tui_keymap work = *km;
	enum tui_action a = tui_action_from_name(action);
	bool in_ctx[TUI_KEYS_COUNT];
	int keys[8];
	size_t nkeys = 0, k;
	char buf[128], *tok, *save = NULL;
	unsigned int c, i, j;

	if (a == TUI_ACT_NONE) {
		snprintf(err, errlen, "keys: unknown action \"%s\"", action);
		return -EINVAL;
	}
	if (strlen(spec) >= sizeof(buf)) {
		snprintf(err, errlen, "keys.%s: key list too long", action);
		return -EINVAL;
	}
	strcpy(buf, spec);
	for (tok = strtok_r(buf, " \t", &save); tok; tok = strtok_r(NULL, " \t", &save)) {
		int key = tui_key_parse(tok);

		if (key < 0) {
			snprintf(err, errlen, "keys.%s: unknown key \"%s\"", action, tok);
			return -EINVAL;
		}
		if (nkeys == sizeof(keys) / sizeof(keys[0])) {
			snprintf(err, errlen, "keys.%s: at most 8 keys", action);
			return -EINVAL;
		}
		keys[nkeys++] = key;
	}
	if (!nkeys) {
		snprintf(err, errlen, "keys.%s: no key given", action);
		return -EINVAL;
	}

	for (c = 0; c < TUI_KEYS_COUNT; c++)
		in_ctx[c] = c == tui_action_home(a) || action_in_ctx(&work, c, a);
	for (c = 0; c < TUI_KEYS_COUNT; c++) {
		if (!in_ctx[c])
			continue;
		/* drop the action's old keys */
		for (i = 0, j = 0; i < work.count[c]; i++)
			if (work.table[c][i].action != a)
				work.table[c][j++] = work.table[c][i];
		work.count[c] = j;
		for (k = 0; k < nkeys; k++) {
			if (tui_keymap_bind(&work, c, keys[k], a)) {
				snprintf(err, errlen, "keys.%s: too many bindings", action);
				return -ENOSPC;
			}
		}
	}
	*km = work;
	return 0;
}

static const struct {
	const char *name;
	int key;
} key_names[] = {
	{ "Tab", KEY_TAB },
	{ "S-Tab", KEY_BTAB },
	{ "Enter", KEY_NL },
	{ "Esc", KEY_ESC },
	{ "Space", ' ' },
	{ "Backspace", KEY_BACKSPACE },
	{ "Del", KEY_DC },
	{ "Ins", KEY_IC },
	{ "Up", KEY_UP },
	{ "Down", KEY_DOWN },
	{ "Left", KEY_LEFT },
	{ "Right", KEY_RIGHT },
	{ "PgUp", KEY_PPAGE },
	{ "PgDn", KEY_NPAGE },
	{ "Home", KEY_HOME },
	{ "End", KEY_END },
};

int tui_key_parse(const char *name)
{
	size_t i;
	char *end;
	long n;

	if (!name || !*name)
		return -1;
	if (!name[1] && isprint((unsigned char)name[0]))
		return (unsigned char)name[0];
	for (i = 0; i < sizeof(key_names) / sizeof(key_names[0]); i++)
		if (!strcasecmp(name, key_names[i].name))
			return key_names[i].key;
	if ((name[0] == 'F' || name[0] == 'f') && isdigit((unsigned char)name[1])) {
		n = strtol(name + 1, &end, 10);
		if (!*end && n >= 1 && n <= 12)
			return KEY_F((int)n);
	}
	if (((name[0] == 'C' || name[0] == 'c') && name[1] == '-' && name[2] && !name[3]) ||
	    (name[0] == '^' && name[1] && !name[2])) {
		int c = tolower((unsigned char)name[name[0] == '^' ? 1 : 2]);

		if (c >= 'a' && c <= 'z')
			return CTRL(c);
	}
	return -1;
}

int tui_key_name(int key, char *buf, size_t n)
{
	size_t i;

	key = tui_key_normalise(key);
	for (i = 0; i < sizeof(key_names) / sizeof(key_names[0]); i++)
		if (key == key_names[i].key)
			return snprintf(buf, n, "%s", key_names[i].name);
	if (key >= KEY_F(1) && key <= KEY_F(12))
		return snprintf(buf, n, "F%d", key - KEY_F0);
	if (key > 0 && key < 0x20)
		return snprintf(buf, n, "^%c", key + '@');
	if (key > 0x20 && key < 0x7f)
		return snprintf(buf, n, "%c", key);
	return snprintf(buf, n, "#%d", key);
}

int tui_key_normalise(int key)
{
	if (key == '\r' || key == KEY_ENTER)
		return KEY_NL;
	if (key == 0x7f || key == CTRL('h'))
		return KEY_BACKSPACE;
	return key;
}
