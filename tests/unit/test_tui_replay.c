// SPDX-License-Identifier: MIT
/*
 * hvtop --replay's parser: a recorded session (tests/fixtures/replay,
 * written by hvtop -b --json on hvsim) comes back as the snapshots it
 * was; hostile files are refused naming file, line and member, and a
 * cut-off last snapshot is left out with a warning.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "replay.h"

#define SESSION HVCTL_SOURCE_DIR "/tests/fixtures/replay/session.json"

static const char *cell_state(const struct tui_replay_frame *f, const char *name)
{
	size_t i;

	for (i = 0; i < f->snap.num_cells; i++)
		if (!strcmp(f->snap.cells[i].name, name))
			return f->snap.cells[i].state_name;
	return "absent";
}

static void replay__session(void **state)
{
	static const char *const want[] = {
		"absent", "absent", "absent", "shut down", "shut down", "running", "running",
		"shut down", "shut down", "shut down", "absent", "absent",
	};
	struct tui_replay r;
	char err[512];
	const struct tui_replay_frame *f;
	size_t i;

	(void)state;
	assert_int_equal(tui_replay_load(&r, SESSION, err, sizeof(err)), 0);
	assert_int_equal(r.count, 12);
	assert_string_equal(r.warning, "");
	for (i = 0; i < r.count; i++) {
		assert_string_equal(cell_state(&r.frames[i], "rtos"), want[i]);
		assert_int_equal(r.frames[i].line, i + 1);
	}
	f = &r.frames[5];
	assert_int_equal(f->time, 1796426889);
	assert_string_equal(f->uri, "sim:/run/hvsim");
	assert_true(f->snap.system.enabled);
	assert_int_equal(f->snap.num_cpus, 8);
	assert_int_equal(f->snap.num_stats, 9);
	assert_string_equal(f->snap.stat_names[0], "vmexits_total");
	assert_int_equal(f->snap.cells[1].id, 1);
	assert_int_equal(f->snap.cells[1].num_cpus, 1);
	assert_string_equal(f->snap.cells[1].cpus_list, "1");
	assert_string_equal(f->snap.cells[0].cpus_list, "0,2-7");
	assert_int_equal(f->snap.cpus[1].cell_id, 1);
	assert_int_equal(f->snap.cpus[1].cell, 1);
	assert_int_equal(f->snap.cpus[0].cell_id, 0);
	assert_true(f->snap.cells[0].stats.rate_valid);
	assert_true(f->snap.cells[0].stats.interval > 0.4);
	assert_int_equal(f->mem_owned[1], 1048576);
	assert_int_equal(f->mem_shared[1], 57344);
	assert_int_equal(f->mem_owned[0], 1067450368);
	/* The cell set changed between frames 3 and 4: a new generation. */
	assert_true(r.frames[3].snap.generation != r.frames[2].snap.generation);
	assert_int_equal(r.frames[4].snap.generation, r.frames[3].snap.generation);
	/* Paced by each snapshot's interval (0.5 s recorded). */
	assert_in_range(tui_replay_gap_ms(&r, 0), 450, 550);
	assert_int_equal(tui_replay_gap_ms(&r, 11), 1000);
	tui_replay_free(&r);
	assert_int_equal(r.count, 0);
}

/* Parse text; returns the status and leaves the message in err. */
static int parse(const char *text, struct tui_replay *r, char *err, size_t n)
{
	return tui_replay_parse(r, text, strlen(text), "rec.json", err, n);
}

#define SNAP(cells) "{\"schema_version\":1,\"time\":100,\"enabled\":true,\"num_cpus\":4," \
		    "\"cells\":[" cells "]}"
#define ROOT "{\"id\":0,\"name\":\"root\",\"state\":\"running\",\"cpus\":[0,2,3]}"

static void replay__pretty_and_lines(void **state)
{
	struct tui_replay r;
	char err[512];

	(void)state;
	/* Pretty-printed, several lines per object, and a blank line. */
	assert_int_equal(parse("{\n  \"schema_version\": 1,\n  \"enabled\": false,\n"
			       "  \"num_cpus\": 0,\n  \"cells\": []\n}\n\n" SNAP(ROOT) "\n",
			       &r, err, sizeof(err)), 0);
	assert_int_equal(r.count, 2);
	assert_int_equal(r.frames[0].line, 1);
	assert_int_equal(r.frames[1].line, 8);
	assert_false(r.frames[0].snap.system.enabled);
	assert_string_equal(r.frames[1].snap.cells[0].cpus_list, "0,2-3");
	assert_int_equal(r.frames[1].snap.cpus[1].cell_id, -1);
	tui_replay_free(&r);
}

static void expect_error(const char *text, const char *msg)
{
	struct tui_replay r;
	char err[512];

	assert_int_not_equal(parse(text, &r, err, sizeof(err)), 0);
	if (!strstr(err, msg))
		fail_msg("\"%s\" lacks \"%s\"", err, msg);
	/* Refused means nothing to show. */
	assert_int_equal(r.count, 0);
	assert_null(r.frames);
}

static void replay__hostile(void **state)
{
	(void)state;
	expect_error("", "rec.json:1: no snapshot in the file");
	expect_error(SNAP(ROOT) "\n" SNAP(ROOT) "\nnot json\n", "rec.json:3: not JSON");
	expect_error(SNAP(ROOT) "\n[1,2]\n", "rec.json:2: a snapshot is a JSON object, not an array");
	expect_error(SNAP(ROOT) " {}\n", "rec.json:1: text after the snapshot object");
	expect_error("{\"schema_version\":2,\"enabled\":true,\"num_cpus\":1,\"cells\":[]}\n",
		     "rec.json:1: schema_version 2 is not 1");
	expect_error("{\"schema_version\":1,\"num_cpus\":1,\"cells\":[]}\n",
		     "rec.json:1: snapshot: member \"enabled\" is missing");
	expect_error("{\"schema_version\":1,\"enabled\":\"yes\",\"num_cpus\":1,\"cells\":[]}\n",
		     "snapshot: \"enabled\" is a string, not true or false");
	expect_error("{\"schema_version\":1,\"enabled\":true,\"num_cpus\":99999,\"cells\":[]}\n",
		     "\"num_cpus\" is 99999, not an integer from 0 to 4096");
	expect_error(SNAP("{\"id\":0,\"name\":\"root\",\"state\":\"dancing\"}"),
		     "cells[0]: state \"dancing\" is not a cell state");
	expect_error(SNAP(ROOT ",{\"id\":1,\"name\":\"a\",\"state\":\"running\",\"cpus\":[3]}"),
		     "cells[1]: CPU 3 is also listed by cell ID 0");
	expect_error(SNAP("{\"id\":0,\"name\":\"r\",\"state\":\"running\",\"cpus\":[1,1]}"),
		     "cells[0]: \"cpus\" lists CPU 1 twice");
	expect_error(SNAP("{\"id\":0,\"name\":\"r\",\"state\":\"running\",\"cpus\":[7]}"),
		     "cells[0]: \"cpus\" is 7, not an integer from 0 to 3");
	expect_error(SNAP(ROOT ",{\"id\":0,\"name\":\"a\",\"state\":\"running\"}"),
		     "cells[1]: id 0 after id 0");
	expect_error(SNAP("{\"id\":2,\"name\":\"a\",\"state\":\"running\"}"),
		     "cells without the root cell (ID 0) first");
	expect_error(SNAP("{\"id\":0,\"name\":\"r\",\"state\":\"running\",\"failed_cpus\":[1]}"),
		     "failed CPU 1 is not one of its cpus");
	expect_error(SNAP("{\"id\":0,\"name\":\"r\",\"state\":\"running\","
			  "\"counters\":{\"x\":1}}"),
		     "\"counters\" without the snapshot's counter_names");
	expect_error("{\"schema_version\":1,\"enabled\":true,\"num_cpus\":1,\"interval\":-1,"
		     "\"counter_names\":[\"vmexits_total\"],\"cells\":[]}",
		     "\"interval\" is -1, not a number of seconds");
	expect_error("{\"schema_version\":1,\"enabled\":true,\"num_cpus\":1,\"interval\":1,"
		     "\"counter_names\":[\"t\"],\"cells\":[{\"id\":0,\"name\":\"r\","
		     "\"state\":\"running\",\"rates\":{\"t\":\"fast\"}}]}",
		     "rates: \"t\" is a string, not a number");
	expect_error("{\"a\":" "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]}",
		     "rec.json:1: not JSON");
	expect_error("{\"schema_version\":1", "rec.json:1: the file ends inside the first snapshot");
}

static void replay__nul_and_size(void **state)
{
	static const char text[] = SNAP(ROOT) "\n\n{\"sche\0ma_version\":1}";
	struct tui_replay r;
	char err[512];

	(void)state;
	assert_int_equal(tui_replay_parse(&r, text, sizeof(text) - 1, "rec.json", err,
					  sizeof(err)), -EINVAL);
	assert_string_equal(err, "rec.json:3: a NUL byte: this is not a JSON recording");
	/* The size is refused before a byte is looked at. */
	assert_int_equal(tui_replay_parse(&r, text, (size_t)TUI_REPLAY_MAX_BYTES + 1,
					  "rec.json", err, sizeof(err)), -E2BIG);
	assert_non_null(strstr(err, "more than a recording may have (256 MiB)"));
	assert_int_equal(r.count, 0);
}

/* A recording killed mid-write: what came before it is replayed. */
static void replay__truncated(void **state)
{
	struct tui_replay r;
	char err[512];

	(void)state;
	assert_int_equal(parse(SNAP(ROOT) "\n" SNAP(ROOT) "\n{\"schema_version\":1,\"ena",
			       &r, err, sizeof(err)), 0);
	assert_int_equal(r.count, 2);
	assert_string_equal(r.warning, "rec.json:3: the last snapshot is cut off (truncated "
			    "file); replaying the 2 before it");
	tui_replay_free(&r);
}

static void replay__files(void **state)
{
	struct tui_replay r;
	char err[512];

	(void)state;
	assert_int_equal(tui_replay_load(&r, "/nonexistent/rec.json", err, sizeof(err)),
			 -ENOENT);
	assert_string_equal(err, "/nonexistent/rec.json: No such file or directory");
	assert_int_equal(tui_replay_load(&r, HVCTL_SOURCE_DIR, err, sizeof(err)), -EISDIR);
}

/* A file over the limit is refused from its size, nothing read. */
static void replay__huge_file(void **state)
{
	char path[] = "/tmp/hvtop-replay-XXXXXX";
	struct tui_replay r;
	char err[600], want[600];
	int fd;

	(void)state;
	fd = mkstemp(path);
	assert_true(fd >= 0);
	/* Sparse: no disk used. */
	assert_int_equal(ftruncate(fd, (off_t)TUI_REPLAY_MAX_BYTES + 1), 0);
	close(fd);
	assert_int_equal(tui_replay_load(&r, path, err, sizeof(err)), -E2BIG);
	snprintf(want, sizeof(want), "%s: larger than 256 MiB, more than a recording may have",
		 path);
	assert_string_equal(err, want);
	assert_int_equal(r.count, 0);
	unlink(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(replay__session),
		cmocka_unit_test(replay__pretty_and_lines),
		cmocka_unit_test(replay__hostile),
		cmocka_unit_test(replay__nul_and_size),
		cmocka_unit_test(replay__truncated),
		cmocka_unit_test(replay__files),
		cmocka_unit_test(replay__huge_file),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
