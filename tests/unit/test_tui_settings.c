// SPDX-License-Identifier: MIT
/*
 * hvtop settings: XDG location, parsing with messages that name the
 * file and field, atomic save, unknown keys kept, bad and newer files
 * never overwritten, the refresh ladder.
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
#include "settings.h"

struct tmpdir {
	char path[64];
};

static int setup(void **state)
{
	struct tmpdir *t = calloc(1, sizeof(*t));

	if (!t)
		return -1;
	snprintf(t->path, sizeof(t->path), "/tmp/hvtop-settings-XXXXXX");
	if (!mkdtemp(t->path))
		return -1;
	*state = t;
	return 0;
}

static int teardown(void **state)
{
	struct tmpdir *t = *state;
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", t->path);
	if (system(cmd))
		return -1;
	free(t);
	return 0;
}

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static void settings__xdg_path(void **state)
{
	char buf[512];

	(void)state;
	setenv("XDG_CONFIG_HOME", "/x/cfg", 1);
	assert_int_equal(tui_settings_path(buf, sizeof(buf)), 0);
	assert_string_equal(buf, "/x/cfg/hvtop/config.json");
	/* A relative XDG_CONFIG_HOME is ignored, as the spec says. */
	setenv("XDG_CONFIG_HOME", "rel", 1);
	setenv("HOME", "/home/op", 1);
	assert_int_equal(tui_settings_path(buf, sizeof(buf)), 0);
	assert_string_equal(buf, "/home/op/.config/hvtop/config.json");
	unsetenv("XDG_CONFIG_HOME");
	unsetenv("HOME");
	assert_int_equal(tui_settings_path(buf, sizeof(buf)), -ENOENT);
}

static void settings__parse_values(void **state)
{
	struct tui_settings s;
	char err[256] = "", warn[256] = "";

	(void)state;
	tui_settings_defaults(&s);
	assert_int_equal(s.refresh_ms, 2000);
	assert_int_equal(tui_settings_parse(&s,
		"{ \"version\": 1, \"refresh_seconds\": 0.5, \"view\": \"memory\","
		"  \"cells_sort\": \"rate\", \"cells_sort_reverse\": true,"
		"  \"theme\": \"dark\", \"color\": false, \"ascii\": true,"
		"  \"console_lines\": 500, \"keys\": { \"quit\": \"Q F10\" },"
		"  \"future_thing\": [1, 2] }", "c.json", err, sizeof(err),
		warn, sizeof(warn)), 0);
	assert_int_equal(s.refresh_ms, 500);
	assert_string_equal(s.view, "memory");
	assert_string_equal(s.cells_sort, "rate");
	assert_true(s.cells_sort_reverse);
	assert_string_equal(s.theme, "dark");
	assert_false(s.color);
	assert_true(s.ascii);
	assert_int_equal(s.console_lines, 500);
	assert_int_equal(s.num_keys, 1);
	assert_string_equal(s.keys[0].action, "quit");
	assert_string_equal(s.keys[0].keys, "Q F10");
	assert_string_equal(warn, "c.json: unknown setting \"future_thing\" ignored");
	assert_false(s.no_save);
	tui_settings_free(&s);
}

static void settings__errors_name_field_and_change_nothing(void **state)
{
	static const struct {
		const char *text;
		const char *msg;
	} bad[] = {
		{ "{ \"refresh_seconds\": 0.01 }",
		  "c.json: refresh_seconds: 0.01 is out of range (0.2 to 60 seconds)" },
		{ "{ \"refresh_seconds\": \"fast\" }",
		  "c.json: refresh_seconds: must be a number of seconds" },
		{ "{ \"view\": \"procs\" }",
		  "c.json: view: must be one of cells, cpus, memory, ivshmem, console" },
		{ "{ \"cpus_sort\": \"name\" }",
		  "c.json: cpus_sort: must be one of cpu, owner, state, rate" },
		{ "{ \"color\": 1 }", "c.json: color: must be true or false" },
		{ "{ \"console_lines\": 5 }",
		  "c.json: console_lines: 5 is out of range (100 to 1000000)" },
		{ "{ \"theme\": \"my theme\" }", "c.json: theme: \"my theme\" is not a valid theme name" },
		{ "{ \"keys\": { \"quit\": \"Hyper-q\" } }",
		  "c.json: keys.quit: unknown key \"Hyper-q\"" },
		{ "{ \"keys\": { \"qiut\": \"q\" } }", "c.json: keys: unknown action \"qiut\"" },
		{ "{ \"version\": 7 }",
		  "c.json: version: written by a newer hvtop (version 7, this one reads 1)" },
		{ "[1]", "c.json: the top level must be a JSON object" },
		{ "{ \"view\": \"cells\",\n  \"color\": tru }", "c.json:2:15: not valid JSON: boolean expected" },
	};
	struct tui_settings s, before;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char err[256] = "";

		tui_settings_defaults(&s);
		before = s;
		assert_int_equal(tui_settings_parse(&s, bad[i].text, "c.json", err, sizeof(err),
						    NULL, 0), -EINVAL);
		if (strncmp(err, bad[i].msg, strlen(bad[i].msg)))
			fail_msg("got \"%s\", want \"%s\"", err, bad[i].msg);
		/* Nothing taken over, and the file is marked not to be saved. */
		assert_true(s.no_save);
		s.no_save = false;
		assert_memory_equal(&s, &before, sizeof(s));
	}
}

static void settings__save_load_round_trip(void **state)
{
	struct tmpdir *t = *state;
	struct tui_settings s, back;
	char path[256], err[256] = "", *text = NULL;
	struct stat st;

	tui_settings_defaults(&s);
	snprintf(path, sizeof(path), "%s/deep/er/config.json", t->path);
	s.refresh_ms = 5000;
	snprintf(s.view, sizeof(s.view), "console");
	s.num_keys = 1;
	snprintf(s.keys[0].action, sizeof(s.keys[0].action), "start");
	snprintf(s.keys[0].keys, sizeof(s.keys[0].keys), "s");
	assert_int_equal(tui_settings_save(&s, path, err, sizeof(err)), 0);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0644);

	tui_settings_defaults(&back);
	assert_int_equal(tui_settings_load(&back, path, err, sizeof(err), NULL, 0), 0);
	assert_int_equal(back.refresh_ms, 5000);
	assert_string_equal(back.view, "console");
	assert_string_equal(back.keys[0].keys, "s");
	tui_settings_free(&back);

	/* No temporary file is left next to it. */
	assert_int_equal(tui_read_file(path, &text, NULL, 1 << 20), 0);
	assert_non_null(strstr(text, "\"refresh_seconds\": 5.0"));
	free(text);
}

static void settings__unknown_keys_survive_a_save(void **state)
{
	struct tmpdir *t = *state;
	struct tui_settings s;
	char path[256], err[256], *text = NULL;

	snprintf(path, sizeof(path), "%s/config.json", t->path);
	write_file(path, "{ \"mine\": { \"a\": 1 }, \"view\": \"cpus\" }");
	tui_settings_defaults(&s);
	assert_int_equal(tui_settings_load(&s, path, err, sizeof(err), NULL, 0), 0);
	snprintf(s.view, sizeof(s.view), "ivshmem");
	assert_int_equal(tui_settings_save(&s, path, err, sizeof(err)), 0);
	tui_settings_free(&s);
	assert_int_equal(tui_read_file(path, &text, NULL, 1 << 20), 0);
	assert_non_null(strstr(text, "\"mine\""));
	assert_non_null(strstr(text, "\"view\": \"ivshmem\""));
	free(text);
}

static void settings__bad_file_is_left_alone(void **state)
{
	struct tmpdir *t = *state;
	struct tui_settings s;
	const char *orig = "{ \"version\": 9, \"view\": \"cells\" }";
	char path[256], err[256] = "", *text = NULL;

	snprintf(path, sizeof(path), "%s/config.json", t->path);
	write_file(path, orig);
	tui_settings_defaults(&s);
	assert_int_equal(tui_settings_load(&s, path, err, sizeof(err), NULL, 0), -EINVAL);
	assert_non_null(strstr(err, "written by a newer hvtop"));
	s.dirty = true;
	assert_int_equal(tui_settings_save(&s, path, err, sizeof(err)), -EPERM);
	assert_int_equal(tui_read_file(path, &text, NULL, 1 << 20), 0);
	assert_string_equal(text, orig);
	free(text);
	tui_settings_free(&s);

	/* A missing file is not an error: the defaults stand. */
	snprintf(path, sizeof(path), "%s/none.json", t->path);
	tui_settings_defaults(&s);
	assert_int_equal(tui_settings_load(&s, path, err, sizeof(err), NULL, 0), 0);
	assert_false(s.no_save);
}

static void settings__write_atomic_failure_keeps_old(void **state)
{
	struct tmpdir *t = *state;
	char path[256], err[256] = "", *text = NULL;

	snprintf(path, sizeof(path), "%s/ro", t->path);
	assert_int_equal(mkdir(path, 0755), 0);
	snprintf(path, sizeof(path), "%s/ro/file", t->path);
	write_file(path, "old");
	snprintf(path, sizeof(path), "%s/ro", t->path);
	chmod(path, 0555);
	snprintf(path, sizeof(path), "%s/ro/file", t->path);
	/* Root ignores directory permissions; only check when they apply. */
	if (geteuid() != 0) {
		assert_true(tui_write_atomic(path, "new", 3, err, sizeof(err)) < 0);
		assert_non_null(strstr(err, path));
	}
	assert_int_equal(tui_read_file(path, &text, NULL, 1 << 20), 0);
	assert_string_equal(text, "old");
	free(text);
	snprintf(path, sizeof(path), "%s/ro", t->path);
	chmod(path, 0755);
	/* Writing over a directory fails and says why. */
	assert_true(tui_write_atomic(path, "x", 1, err, sizeof(err)) < 0);
	assert_non_null(strstr(err, "cannot write"));
}

static void settings__refresh_ladder(void **state)
{
	(void)state;
	assert_int_equal(tui_refresh_step(2000, +1), 3000);
	assert_int_equal(tui_refresh_step(2000, -1), 1500);
	assert_int_equal(tui_refresh_step(2500, -1), 2000);
	assert_int_equal(tui_refresh_step(2500, +1), 3000);
	assert_int_equal(tui_refresh_step(200, -1), 200);
	assert_int_equal(tui_refresh_step(60000, +1), 60000);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(settings__xdg_path),
		cmocka_unit_test(settings__parse_values),
		cmocka_unit_test(settings__errors_name_field_and_change_nothing),
		cmocka_unit_test_setup_teardown(settings__save_load_round_trip, setup, teardown),
		cmocka_unit_test_setup_teardown(settings__unknown_keys_survive_a_save, setup,
						teardown),
		cmocka_unit_test_setup_teardown(settings__bad_file_is_left_alone, setup, teardown),
		cmocka_unit_test_setup_teardown(settings__write_atomic_failure_keeps_old, setup,
						teardown),
		cmocka_unit_test(settings__refresh_ladder),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
