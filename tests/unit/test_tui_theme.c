// SPDX-License-Identifier: MIT
/*
 * hvtop themes: the parser and its messages, colour fitting for small
 * terminals, the shipped theme files, and the search path.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "paths.h"
#include "theme.h"

#define THEMES_DIR HVCTL_SOURCE_DIR "/themes"

static void theme__role_names_round_trip(void **state)
{
	int i;

	(void)state;
	for (i = 0; i < TUI_ROLE_COUNT; i++) {
		assert_string_not_equal(tui_role_name((enum tui_role)i), "?");
		assert_int_equal(tui_role_from_name(tui_role_name((enum tui_role)i)), i);
	}
	assert_int_equal(tui_role_from_name("state.runing"), -1);
}

static void theme__parse_rules(void **state)
{
	struct tui_theme t;
	char err[256] = "";

	(void)state;
	tui_theme_builtin_default(&t);
	assert_int_equal(tui_theme_parse(&t, "# comment\n\n"
					 "state.running  bright-green color17 bold underline\n"
					 "  title default white   # trailing comment\n",
					 "x.theme", err, sizeof(err)), 0);
	assert_int_equal(t.style[TUI_ROLE_STATE_RUNNING].fg, 10);
	assert_int_equal(t.style[TUI_ROLE_STATE_RUNNING].bg, 17);
	assert_int_equal(t.style[TUI_ROLE_STATE_RUNNING].attrs,
			 TUI_ATTR_BOLD | TUI_ATTR_UNDERLINE);
	assert_int_equal(t.style[TUI_ROLE_TITLE].fg, TUI_COLOR_DEFAULT);
	assert_int_equal(t.style[TUI_ROLE_TITLE].bg, 7);
	assert_int_equal(t.style[TUI_ROLE_TITLE].attrs, 0);
}

static void theme__errors_name_line_and_change_nothing(void **state)
{
	static const struct {
		const char *text;
		const char *msg;
	} bad[] = {
		{ "normal red black\nbogus red black\n", "f.theme:2: unknown role \"bogus\"" },
		{ "title grean default\n", "f.theme:1: unknown foreground colour \"grean\"" },
		{ "title red blak\n", "f.theme:1: unknown background colour \"blak\"" },
		{ "title red\n", "f.theme:1: role title needs a foreground and a background colour" },
		{ "\n\ntitle red black blinking\n", "f.theme:3: unknown attribute \"blinking\"" },
		{ "title color256 black\n", "f.theme:1: unknown foreground colour \"color256\"" },
	};
	struct tui_theme t, before;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char err[256] = "";

		tui_theme_builtin_default(&t);
		before = t;
		assert_int_equal(tui_theme_parse(&t, bad[i].text, "f.theme", err, sizeof(err)),
				 -EINVAL);
		assert_string_equal(err, bad[i].msg);
		assert_memory_equal(&t, &before, sizeof(t));
	}
}

static void theme__color_fit(void **state)
{
	bool bold;

	(void)state;
	assert_int_equal(tui_color_fit(TUI_COLOR_DEFAULT, 8, &bold), TUI_COLOR_DEFAULT);
	assert_int_equal(tui_color_fit(3, 8, &bold), 3);
	assert_false(bold);
	assert_int_equal(tui_color_fit(12, 256, &bold), 12);
	assert_int_equal(tui_color_fit(12, 8, &bold), 4);	/* bright blue */
	assert_true(bold);
	assert_int_equal(tui_color_fit(196, 8, &bold), 1);	/* cube red */
	assert_true(bold);
	assert_int_equal(tui_color_fit(16, 8, &bold), 0);	/* cube black */
	assert_int_equal(tui_color_fit(231, 8, &bold), 7);	/* cube white */
	assert_int_equal(tui_color_fit(114, 8, &bold), 2);	/* soft green */
	assert_int_equal(tui_color_fit(232, 8, &bold), 0);	/* grey ramp */
	assert_int_equal(tui_color_fit(255, 8, &bold), 7);
	assert_true(bold);
	assert_int_equal(tui_color_fit(5, 0, &bold), TUI_COLOR_DEFAULT);
}

/* Every shipped theme loads; default.theme is the built-in default. */
static void theme__shipped_files(void **state)
{
	static const char *const names[] = { "default", "dark", "light", "high-contrast", "mono" };
	struct tui_theme t, builtin;
	char path[512], err[512];
	size_t i;
	int r;

	(void)state;
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s.theme", THEMES_DIR, names[i]);
		err[0] = '\0';
		if (tui_theme_load_file(&t, path, err, sizeof(err)))
			fail_msg("%s", err);
		assert_string_equal(t.name, names[i]);
		/* The header, its sort column and the selected row look apart. */
		assert_memory_not_equal(&t.style[TUI_ROLE_HEADER], &t.style[TUI_ROLE_SELECTED],
					sizeof(t.style[0]));
		assert_memory_not_equal(&t.style[TUI_ROLE_HEADER_SORT],
					&t.style[TUI_ROLE_SELECTED], sizeof(t.style[0]));
		assert_memory_not_equal(&t.style[TUI_ROLE_HEADER], &t.style[TUI_ROLE_HEADER_SORT],
					sizeof(t.style[0]));
	}
	snprintf(path, sizeof(path), "%s/default.theme", THEMES_DIR);
	assert_int_equal(tui_theme_load_file(&t, path, err, sizeof(err)), 0);
	tui_theme_builtin_default(&builtin);
	assert_memory_equal(t.style, builtin.style, sizeof(t.style));

	snprintf(path, sizeof(path), "%s/mono.theme", THEMES_DIR);
	assert_int_equal(tui_theme_load_file(&t, path, err, sizeof(err)), 0);
	tui_theme_builtin_mono(&builtin);
	assert_memory_equal(t.style, builtin.style, sizeof(t.style));
	for (r = 0; r < TUI_ROLE_COUNT; r++) {
		assert_int_equal(t.style[r].fg, TUI_COLOR_DEFAULT);
		assert_int_equal(t.style[r].bg, TUI_COLOR_DEFAULT);
	}
	/* Monochrome still tells the states apart. */
	assert_int_not_equal(t.style[TUI_ROLE_STATE_RUNNING].attrs,
			     t.style[TUI_ROLE_STATE_SHUTDOWN].attrs);
	assert_int_not_equal(t.style[TUI_ROLE_STATE_FAILED].attrs,
			     t.style[TUI_ROLE_STATE_RUNNING].attrs);
}

static void theme__search_path(void **state)
{
	char tmp[] = "/tmp/hvtop-theme-XXXXXX", dir[512], path[4096], err[2048];
	char exe[512];
	FILE *f;

	(void)state;
	assert_non_null(mkdtemp(tmp));
	/* A user theme in XDG_CONFIG_HOME wins over the shipped one. */
	snprintf(dir, sizeof(dir), "%s/hvtop/themes", tmp);
	assert_int_equal(tui_mkdir_p(dir, 0755), 0);
	snprintf(path, sizeof(path), "%s/dark.theme", dir);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs("title red black\n", f);
	fclose(f);
	setenv("XDG_CONFIG_HOME", tmp, 1);
	/* The build tree: an executable in BUILD/ finds ../themes. */
	snprintf(exe, sizeof(exe), "%s/build", HVCTL_SOURCE_DIR);
	assert_int_equal(tui_theme_find(path, sizeof(path), "dark", exe, err, sizeof(err)), 0);
	assert_true(strstr(path, tmp) == path);
	assert_int_equal(tui_theme_find(path, sizeof(path), "light", exe, err, sizeof(err)), 0);
	assert_string_equal(path, THEMES_DIR "/light.theme");
	assert_int_equal(tui_theme_find(path, sizeof(path), "nope", exe, err, sizeof(err)),
			 -ENOENT);
	assert_non_null(strstr(err, "theme \"nope\" not found (looked in"));
	assert_int_equal(tui_theme_find(path, sizeof(path), "../etc/passwd", exe, err,
					sizeof(err)), -ENOENT);
	assert_int_equal(tui_theme_find(path, sizeof(path), ".hidden", exe, err, sizeof(err)),
			 -EINVAL);
	unsetenv("XDG_CONFIG_HOME");
	unlink(path);
	snprintf(path, sizeof(path), "%s/dark.theme", dir);
	unlink(path);
	rmdir(dir);
	snprintf(dir, sizeof(dir), "%s/hvtop", tmp);
	rmdir(dir);
	rmdir(tmp);
}

static void theme__load_file_errors(void **state)
{
	struct tui_theme t;
	char err[512];

	(void)state;
	assert_int_equal(tui_theme_load_file(&t, "/nonexistent/x.theme", err, sizeof(err)),
			 -ENOENT);
	assert_string_equal(err, "/nonexistent/x.theme: No such file or directory");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(theme__role_names_round_trip),
		cmocka_unit_test(theme__parse_rules),
		cmocka_unit_test(theme__errors_name_line_and_change_nothing),
		cmocka_unit_test(theme__color_fit),
		cmocka_unit_test(theme__shipped_files),
		cmocka_unit_test(theme__search_path),
		cmocka_unit_test(theme__load_file_errors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
