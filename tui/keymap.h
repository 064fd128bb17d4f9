/* SPDX-License-Identifier: MIT */
/*
 * Key tables: which key runs which action in which view. The help screen
 * and the key bar are generated from these tables, so what is shown is
 * what is bound. Users can rebind actions in the settings file.
 */
#ifndef HVTOP_KEYMAP_H
#define HVTOP_KEYMAP_H

#include <stdbool.h>
#include <stddef.h>

/* Key tables, searched view first, then global. */
enum tui_keyctx {
	TUI_KEYS_GLOBAL = 0,
	TUI_KEYS_CELLS,
	TUI_KEYS_CPUS,
	TUI_KEYS_MEMMAP,
	TUI_KEYS_IVSHMEM,
	TUI_KEYS_CONSOLE,
	TUI_KEYS_DETAIL,
	TUI_KEYS_COUNT
};

enum tui_action {
	TUI_ACT_NONE = 0,
	/* global */
	TUI_ACT_HELP,
	TUI_ACT_QUIT,
	TUI_ACT_BACK,
	TUI_ACT_NEXT_VIEW,
	TUI_ACT_PREV_VIEW,
	TUI_ACT_VIEW_DASHBOARD,	/* the view actions in enum tui_view order */
	TUI_ACT_VIEW_CELLS,
	TUI_ACT_VIEW_CPUS,
	TUI_ACT_VIEW_MEMMAP,
	TUI_ACT_VIEW_IVSHMEM,
	TUI_ACT_VIEW_CONSOLE,
	TUI_ACT_VIEW_EVENTS,
	TUI_ACT_PAUSE,
	TUI_ACT_SLOWER,
	TUI_ACT_FASTER,
	TUI_ACT_REPAINT,
	TUI_ACT_STEP,		/* replay: the next snapshot */
	TUI_ACT_UP,
	TUI_ACT_DOWN,
	TUI_ACT_PAGE_UP,
	TUI_ACT_PAGE_DOWN,
	TUI_ACT_HOME,
	TUI_ACT_END,
	TUI_ACT_LEFT,
	TUI_ACT_RIGHT,
	TUI_ACT_CREATE,
	TUI_ACT_ENABLE,
	TUI_ACT_DISABLE,
	TUI_ACT_RECREATE,
	/* lists */
	TUI_ACT_DETAIL,
	TUI_ACT_FILTER,
	TUI_ACT_SORT,
	TUI_ACT_SORT_REVERSE,
	TUI_ACT_SORT_PICK,
	TUI_ACT_CELL_CONSOLE,
	TUI_ACT_LOAD,
	TUI_ACT_START,
	TUI_ACT_STOP,
	TUI_ACT_DESTROY,
	/* cell detail */
	TUI_ACT_NEXT_CPU,
	TUI_ACT_EXPORT,
	TUI_ACT_DIFF,
	/* memory map */
	TUI_ACT_ZOOM_IN,
	TUI_ACT_ZOOM_OUT,
	/* console */
	TUI_ACT_SEARCH,
	TUI_ACT_SEARCH_NEXT,
	TUI_ACT_SEARCH_PREV,
	TUI_ACT_FOLLOW,
	TUI_ACT_SAVE,
	TUI_ACT_TIMESTAMPS,
	TUI_ACT_PREV_SOURCE,
	TUI_ACT_NEXT_SOURCE,
	TUI_ACT_COUNT
};

#define TUI_KEYMAP_MAX	64

struct tui_binding {
	int key;
	enum tui_action action;
};

struct tui_keymap {
	struct tui_binding table[TUI_KEYS_COUNT][TUI_KEYMAP_MAX];
	unsigned int count[TUI_KEYS_COUNT];
};

const char *tui_keyctx_name(enum tui_keyctx ctx);

/* "quit", "start", ...: the names used in the settings file. */
const char *tui_action_name(enum tui_action a);
enum tui_action tui_action_from_name(const char *name);
/* One line for the help screen. */
const char *tui_action_help(enum tui_action a);
/* A short word for the key bar, or NULL if the action is not on the bar. */
const char *tui_action_label(enum tui_action a);
/* Actions that change the system; hidden and refused in read-only mode. */
bool tui_action_mutates(enum tui_action a);
/* The table an action lives in when rebound. */
enum tui_keyctx tui_action_home(enum tui_action a);

void tui_keymap_defaults(struct tui_keymap *km);

/* The view's table first, then the global one. */
enum tui_action tui_keymap_lookup(const struct tui_keymap *km,
				  enum tui_keyctx ctx, int key);

/* Bind key to action in ctx, replacing what key did there. 0 or -ENOSPC. */
int tui_keymap_bind(struct tui_keymap *km, enum tui_keyctx ctx, int key,
		    enum tui_action action);

/*
 * Settings-file rebinding: the action's keys in its home table are
 * replaced by the keys listed in spec (names separated by spaces, see
 * tui_key_parse()). On error nothing changes and err says why.
 */
int tui_keymap_rebind(struct tui_keymap *km, const char *action,
		      const char *spec, char *err, size_t errlen);

/* Keys bound to action in ctx (not searching global), up to max. */
size_t tui_keymap_keys(const struct tui_keymap *km, enum tui_keyctx ctx,
		       enum tui_action action, int *keys, size_t max);

/*
 * Key names: a printable character stands for itself; "Tab", "S-Tab",
 * "Enter", "Esc", "Space", "Backspace", "Del", "Ins", "Up", "Down",
 * "Left", "Right", "PgUp", "PgDn", "Home", "End", "F1".."F12", and
 * "C-x" or "^X" for control characters. Parse returns -1 if unknown.
 */
int tui_key_parse(const char *name);
int tui_key_name(int key, char *buf, size_t n);

/* Keys as curses reports them, normalised (CR and KEY_ENTER are Enter). */
int tui_key_normalise(int key);

#endif /* !HVTOP_KEYMAP_H */
