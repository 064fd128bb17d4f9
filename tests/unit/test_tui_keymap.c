// SPDX-License-Identifier: MIT
/*
 * hvtop key maps: the default tables, lookups (view first, then global),
 * key names, and rebinding from the settings file.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>
#include <ncurses.h>

#include "keymap.h"
#include "view.h"

static void keymap__defaults_from_the_brief(void **state)
{
	struct tui_keymap km;

	(void)state;
	tui_keymap_defaults(&km);
	assert_int_equal(tui_keymap_lookup(&km, TUI_KEYS_CELLS, '?'), TUI_ACT_HELP);
	assert_int_equal(tui_keymap_lookup(&km, TUI_KEYS_CELLS, KEY_F(1)), TUI_ACT_HELP);
	assert_int_equal(tui_keymap_lookup(&km, TUI_KEYS_CELLS, 'q'), TUI_ACT_QUIT);
	assert_int_equal(tui_keymap_lookup(&km, TUI_KEYS_CELLS, 27), TUI_ACT_BACK);
	assert_int_equal(tui_keymap_lookup(&km, TUI_KEYS_CELLS, '\t'), TUI_ACT_NEXT_VIEW);
	assert_int_equal(tui_keymap_lookup(&km, TUI_KEYS_CELLS, '1'), TUI_ACT_VIEW_CELLS);
	assert_int_equal(tui_keymap_lookup(&km, TUI_KEYS_CELLS, '5'), TUI_ACT_VIEW_CONSOLE);
	assert_int_equal(tui_keymap_lookup(&km, TUI_KEYS_CELLS, 'n'), TUI_ACT_CREATE);
	assert_int_equal(tui_keymap_lookup(&km, TUI_KEYS_CELLS, 'L'), TUI_ACT_LOAD);
	assert_int_equal(tui_keymap_lookup(&km, TUI_KEYS_CELLS, 'S'), TUI_ACT_START);
	assert_int_equal(tui_keymap_lookup(&km, TUI_KEYS_CELLS, 'x'), TUI_ACT_STOP);
	assert_int_equal(tui_keymap_lookup(&km, TUI_KEYS_CELLS, 'D'), TUI_ACT_DESTROY);
	assert_int_equal(tui_keymap_lookup(&km, TUI_KEYS_CELLS, 'E'), TUI_ACT_ENABLE);
	assert_int_equal(tui_keymap_lookup(&km, TUI_KEYS_CELLS, 'X'), TUI_ACT_DISABLE);
	assert_int_equal(tui_keymap_lookup(&km, TUI_KEYS_CELLS, '/'), TUI_ACT_FILTER);
	assert_int_equal(tui_keymap_lookup(&km, TUI_KEYS_CELLS, 'p'), TUI_ACT_PAUSE);
	assert_int_equal(tui_keymap_lookup(&km, TUI_KEYS_CELLS, '+'), TUI_ACT_SLOWER);
	assert_int_equal(tui_keymap_lookup(&km, TUI_KEYS_CELLS, '-'), TUI_ACT_FASTER);
	assert_int_equal(tui_keymap_lookup(&km, TUI_KEYS_CELLS, 12), TUI_ACT_REPAINT);
	assert_int_equal(tui_keymap_lookup(&km, TUI_KEYS_MEMMAP, '<'), TUI_ACT_ZOOM_OUT);
	assert_int_equal(tui_keymap_lookup(&km, TUI_KEYS_MEMMAP, '>'), TUI_ACT_ZOOM_IN);
	/* Enter in its three spellings. */
	assert_int_equal(tui_keymap_lookup(&km, TUI_KEYS_CELLS, '\n'), TUI_ACT_DETAIL);
	assert_int_equal(tui_keymap_lookup(&km, TUI_KEYS_CELLS, '\r'), TUI_ACT_DETAIL);
	assert_int_equal(tui_keymap_lookup(&km, TUI_KEYS_CELLS, KEY_ENTER), TUI_ACT_DETAIL);
	/* The view's table wins: in the console '/' searches, 'n' finds next. */
	assert_int_equal(tui_keymap_lookup(&km, TUI_KEYS_CONSOLE, '/'), TUI_ACT_SEARCH);
	assert_int_equal(tui_keymap_lookup(&km, TUI_KEYS_CONSOLE, 'n'), TUI_ACT_SEARCH_NEXT);
	assert_int_equal(tui_keymap_lookup(&km, TUI_KEYS_CONSOLE, 'q'), TUI_ACT_QUIT);
	assert_int_equal(tui_keymap_lookup(&km, TUI_KEYS_CELLS, 'Z'), TUI_ACT_NONE);
}

/* Every action has a name, help text and is reachable from some table. */
static void keymap__every_action_bound_and_described(void **state)
{
	struct tui_keymap km;
	int a, c, keys[4];

	(void)state;
	tui_keymap_defaults(&km);
	for (a = 1; a < TUI_ACT_COUNT; a++) {
		size_t n = 0;

		assert_string_not_equal(tui_action_name((enum tui_action)a), "?");
		assert_int_equal(tui_action_from_name(tui_action_name((enum tui_action)a)), a);
		assert_true(strlen(tui_action_help((enum tui_action)a)) > 5);
		for (c = 0; c < TUI_KEYS_COUNT; c++)
			n += tui_keymap_keys(&km, (enum tui_keyctx)c, (enum tui_action)a, keys, 4);
		if (!n)
			fail_msg("action %s has no key", tui_action_name((enum tui_action)a));
	}
	assert_true(tui_action_mutates(TUI_ACT_DESTROY));
	assert_true(tui_action_mutates(TUI_ACT_ENABLE));
	assert_false(tui_action_mutates(TUI_ACT_DETAIL));
	assert_false(tui_action_mutates(TUI_ACT_SAVE));
}

/* No key in a view's table is bound twice (the table is a function). */
static void keymap__no_duplicate_keys(void **state)
{
	struct tui_keymap km;
	unsigned int c, i, j;

	(void)state;
	tui_keymap_defaults(&km);
	for (c = 0; c < TUI_KEYS_COUNT; c++)
		for (i = 0; i < km.count[c]; i++)
			for (j = i + 1; j < km.count[c]; j++)
				assert_int_not_equal(km.table[c][i].key, km.table[c][j].key);
}

static void keymap__key_names(void **state)
{
	static const char *const names[] = {
		"q", "?", "Tab", "S-Tab", "Enter", "Esc", "Space", "Up", "PgDn", "Home",
		"F1", "F10", "^L", "Backspace", "Del",
	};
	char buf[16];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		int key = tui_key_parse(names[i]);

		assert_true(key > 0);
		tui_key_name(key, buf, sizeof(buf));
		assert_string_equal(buf, names[i]);
	}
	assert_int_equal(tui_key_parse("C-l"), 12);
	assert_int_equal(tui_key_parse("c-L"), 12);
	assert_int_equal(tui_key_parse("enter"), '\n');
	assert_int_equal(tui_key_parse("F13"), -1);
	assert_int_equal(tui_key_parse("C-1"), -1);
	assert_int_equal(tui_key_parse("Hyper-x"), -1);
	assert_int_equal(tui_key_parse(""), -1);
	assert_int_equal(tui_key_normalise(KEY_ENTER), '\n');
	assert_int_equal(tui_key_normalise(0x7f), KEY_BACKSPACE);
}

static void keymap__rebind(void **state)
{
	struct tui_keymap km, before;
	char err[128];
	int keys[4];

	(void)state;
	tui_keymap_defaults(&km);
	assert_int_equal(tui_keymap_rebind(&km, "start", "s F5", err, sizeof(err)), 0);
	/* start moved to s and F5 in both tables that had it... */
	assert_int_equal(tui_keymap_lookup(&km, TUI_KEYS_CELLS, 's'), TUI_ACT_START);
	assert_int_equal(tui_keymap_lookup(&km, TUI_KEYS_DETAIL, KEY_F(5)), TUI_ACT_START);
	/* ...its old key does nothing there now, and s no longer sorts (F6,
	 * htop's sort key, still picks a column). */
	assert_int_equal(tui_keymap_lookup(&km, TUI_KEYS_CELLS, 'S'), TUI_ACT_NONE);
	assert_int_equal(tui_keymap_keys(&km, TUI_KEYS_CELLS, TUI_ACT_SORT, keys, 4), 0);
	assert_int_equal(tui_keymap_keys(&km, TUI_KEYS_CELLS, TUI_ACT_SORT_PICK, keys, 4), 1);
	assert_int_equal(keys[0], KEY_F(6));

	before = km;
	assert_int_equal(tui_keymap_rebind(&km, "strat", "s", err, sizeof(err)), -EINVAL);
	assert_string_equal(err, "keys: unknown action \"strat\"");
	assert_int_equal(tui_keymap_rebind(&km, "quit", "Q Hyper-q", err, sizeof(err)),
			 -EINVAL);
	assert_string_equal(err, "keys.quit: unknown key \"Hyper-q\"");
	assert_int_equal(tui_keymap_rebind(&km, "quit", "  ", err, sizeof(err)), -EINVAL);
	assert_string_equal(err, "keys.quit: no key given");
	assert_memory_equal(&km, &before, sizeof(km));
}

static void keymap__views(void **state)
{
	int v;

	(void)state;
	for (v = 0; v < TUI_VIEW_COUNT; v++)
		assert_int_equal(tui_view_from_name(tui_view_name((enum tui_view)v)), v);
	assert_int_equal(tui_view_from_name("memory"), TUI_VIEW_MEMMAP);
	assert_int_equal(tui_view_from_name("mem"), -1);
	assert_int_equal(tui_view_keyctx(TUI_VIEW_CONSOLE), TUI_KEYS_CONSOLE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(keymap__defaults_from_the_brief),
		cmocka_unit_test(keymap__every_action_bound_and_described),
		cmocka_unit_test(keymap__no_duplicate_keys),
		cmocka_unit_test(keymap__key_names),
		cmocka_unit_test(keymap__rebind),
		cmocka_unit_test(keymap__views),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
