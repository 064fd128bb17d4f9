// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * libhvctl profiles: the health check's console line search, fed the way
 * console reads arrive (a line split over reads, lines longer than the
 * window, line breaks, NULs and escape bytes from a hostile guest).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "profile_int.h"

static bool feed_all(const char *needle, const char *const *chunks,
		     const size_t *lens, size_t n)
{
	struct profile_match m;
	size_t i;

	profile_match_init(&m, needle);
	for (i = 0; i < n; i++)
		profile_match_feed(&m, chunks[i],
				   lens ? lens[i] : strlen(chunks[i]));
	return m.found;
}

static bool feed_one(const char *needle, const char *text)
{
	return feed_all(needle, &text, NULL, 1);
}

static void match__in_one_read(void **state)
{
	(void)state;
	assert_true(feed_one("ready", "[rtos] ready\n"));
	assert_true(feed_one("ready", "ready"));
	assert_true(feed_one("[tick] 1 s", "boot\n[tick] 1 s\n"));
	assert_false(feed_one("ready", "[rtos] read\n"));
	assert_false(feed_one("ready", ""));
}

static void match__split_over_reads(void **state)
{
	static const char *const a[] = { "[rtos] sched", "uler run", "ning\n" };
	static const char *const b[] = { "r", "e", "a", "d", "y" };

	(void)state;
	assert_true(feed_all("scheduler running", a, NULL, 3));
	assert_true(feed_all("ready", b, NULL, 5));
}

static void match__not_across_line_breaks(void **state)
{
	static const char *const a[] = { "rea", "\n", "dy" };

	(void)state;
	assert_false(feed_one("ready", "rea\ndy"));
	assert_false(feed_one("ready", "rea\rdy"));
	assert_false(feed_all("ready", a, NULL, 3));
	/* A match after the break still counts. */
	assert_true(feed_one("ready", "re\nready"));
}

static void match__long_lines(void **state)
{
	char line[4000];
	const char *chunks[2];
	size_t lens[2];
	char needle[HVCTL_PROFILE_CONSOLE_MAX + 1];

	(void)state;
	/* Far longer than the window, the text at its very end. */
	memset(line, 'x', sizeof(line));
	memcpy(line + sizeof(line) - 5, "ready", 5);
	chunks[0] = line;
	lens[0] = sizeof(line);
	assert_true(feed_all("ready", chunks, lens, 1));

	/*
	 * A needle of the longest size, all but its last 6 bytes at the end
	 * of a full window: the shift must keep them.
	 */
	memset(needle, 'n', sizeof(needle) - 1);
	needle[0] = 'N';
	needle[sizeof(needle) - 1] = '\0';
	memset(line, 'x', HVCTL_PROFILE_CONSOLE_MAX + 6);
	memcpy(line + HVCTL_PROFILE_CONSOLE_MAX + 6, needle,
	       HVCTL_PROFILE_CONSOLE_MAX - 6);
	chunks[0] = line;
	lens[0] = 2 * HVCTL_PROFILE_CONSOLE_MAX;
	chunks[1] = needle + HVCTL_PROFILE_CONSOLE_MAX - 6;
	lens[1] = 6;
	assert_true(feed_all(needle, chunks, lens, 2));
	/* One byte short of it is no match. */
	lens[1]--;
	assert_false(feed_all(needle, chunks, lens, 2));
}

static void match__hostile_bytes(void **state)
{
	static const char nul[] = "rea\0dy";
	const char *chunks[1] = { nul };
	size_t lens[1] = { sizeof(nul) - 1 };

	(void)state;
	/* A NUL is a byte like any other: it breaks the text. */
	assert_false(feed_all("ready", chunks, lens, 1));
	/* Escape sequences around the text do not hide it. */
	assert_true(feed_one("ready", "\x1b[31mready\x1b[0m"));
	assert_false(feed_one("ready", "rea\x1b[0mdy"));
	/* No needle: never found. */
	assert_false(feed_one(NULL, "anything"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(match__in_one_read),
		cmocka_unit_test(match__split_over_reads),
		cmocka_unit_test(match__not_across_line_breaks),
		cmocka_unit_test(match__long_lines),
		cmocka_unit_test(match__hostile_bytes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
