// SPDX-License-Identifier: MIT
/*
 * hvtop console scrollback: lines from raw bytes, the bounded ring with
 * absolute line numbers, lost-byte markers, search and saving.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "conbuf.h"
#include "paths.h"

static const char *line(const struct tui_conbuf *cb, uint64_t n)
{
	const char *t = tui_conbuf_line(cb, n, NULL, NULL);

	return t ? t : "(none)";
}

static void conbuf__lines_and_partial(void **state)
{
	struct tui_conbuf cb;

	(void)state;
	assert_int_equal(tui_conbuf_init(&cb, 10), 0);
	assert_int_equal(tui_conbuf_end(&cb), 0);
	tui_conbuf_feed(&cb, "Created cell \"rtos\"\r\nPage pool", 30);
	assert_int_equal(tui_conbuf_end(&cb), 2);
	assert_string_equal(line(&cb, 0), "Created cell \"rtos\"");
	assert_string_equal(line(&cb, 1), "Page pool");
	tui_conbuf_feed(&cb, " usage\n", 7);
	assert_int_equal(tui_conbuf_end(&cb), 2);
	assert_string_equal(line(&cb, 1), "Page pool usage");
	tui_conbuf_feed(&cb, "a\tb\x1b[31mc\n", 11);
	assert_string_equal(line(&cb, 2), "a       bc");
	assert_int_equal(cb.bytes_in, 48);
	tui_conbuf_free(&cb);
}

static void conbuf__ring_drops_oldest_keeps_numbers(void **state)
{
	struct tui_conbuf cb;
	char buf[32];
	int i;

	(void)state;
	assert_int_equal(tui_conbuf_init(&cb, 100), 0);
	for (i = 0; i < 250; i++) {
		int len = snprintf(buf, sizeof(buf), "line %d\n", i);

		tui_conbuf_feed(&cb, buf, (size_t)len);
	}
	assert_int_equal(tui_conbuf_begin(&cb), 150);
	assert_int_equal(tui_conbuf_end(&cb), 250);
	assert_string_equal(line(&cb, 150), "line 150");
	assert_string_equal(line(&cb, 249), "line 249");
	assert_null(tui_conbuf_line(&cb, 149, NULL, NULL));
	assert_null(tui_conbuf_line(&cb, 250, NULL, NULL));
	/* Memory accounting follows what is kept. */
	assert_int_equal(cb.mem, 10 * 9 + 90 * 9);
	tui_conbuf_clear(&cb);
	assert_int_equal(tui_conbuf_begin(&cb), 250);
	assert_int_equal(tui_conbuf_end(&cb), 250);
	assert_int_equal(cb.mem, 0);
	tui_conbuf_free(&cb);
}

static void conbuf__lost_marker_never_silent(void **state)
{
	struct tui_conbuf cb;
	enum tui_conline_kind kind;

	(void)state;
	assert_int_equal(tui_conbuf_init(&cb, 10), 0);
	tui_conbuf_feed(&cb, "half a li", 9);
	tui_conbuf_lost(&cb, 1234);
	tui_conbuf_feed(&cb, "ne\n", 3);
	tui_conbuf_lost(&cb, 0);		/* nothing lost: no marker */
	tui_conbuf_lost(&cb, UINT64_MAX);
	assert_int_equal(tui_conbuf_end(&cb), 4);
	assert_string_equal(line(&cb, 0), "half a li");
	tui_conbuf_line(&cb, 1, NULL, &kind);
	assert_int_equal(kind, TUI_CONLINE_LOST);
	assert_string_equal(line(&cb, 1), "--- 1234 bytes of console output lost ---");
	assert_string_equal(line(&cb, 2), "ne");
	tui_conbuf_line(&cb, 3, NULL, &kind);
	assert_int_equal(kind, TUI_CONLINE_LOST);
	assert_non_null(strstr(line(&cb, 3), "lost here"));
	assert_int_equal(cb.lost_total, 1234);
	/* A marker cuts a half-read escape sequence: no garbage leaks. */
	tui_conbuf_feed(&cb, "x\x1b[3", 4);
	tui_conbuf_lost(&cb, 7);
	tui_conbuf_feed(&cb, "1mok\n", 5);
	assert_string_equal(line(&cb, 6), "1mok");
	tui_conbuf_note(&cb, "--- reconnected \x1b[2J---");
	tui_conbuf_line(&cb, 7, NULL, &kind);
	assert_int_equal(kind, TUI_CONLINE_NOTE);
	assert_string_equal(line(&cb, 7), "--- reconnected ---");
	tui_conbuf_free(&cb);
}

static void conbuf__long_lines_are_broken(void **state)
{
	struct tui_conbuf cb;
	char *big = malloc(TUI_CONLINE_MAX * 2 + 10);
	unsigned int len;

	(void)state;
	assert_non_null(big);
	memset(big, 'x', TUI_CONLINE_MAX * 2 + 10);
	assert_int_equal(tui_conbuf_init(&cb, 10), 0);
	tui_conbuf_feed(&cb, big, TUI_CONLINE_MAX * 2 + 10);
	assert_int_equal(tui_conbuf_end(&cb), 3);
	tui_conbuf_line(&cb, 0, &len, NULL);
	assert_int_equal(len, TUI_CONLINE_MAX);
	tui_conbuf_line(&cb, 2, &len, NULL);
	assert_int_equal(len, 10);
	tui_conbuf_free(&cb);
	free(big);
}

static void conbuf__search_wraps(void **state)
{
	struct tui_conbuf cb;
	const char text[] = "boot\nFATAL: x\nok\nfatal again\npartial FaTaL";

	(void)state;
	assert_int_equal(tui_conbuf_init(&cb, 10), 0);
	tui_conbuf_feed(&cb, text, sizeof(text) - 1);
	assert_int_equal(tui_conbuf_search(&cb, "fatal", 0, 1), 1);
	assert_int_equal(tui_conbuf_search(&cb, "fatal", 1, 1), 3);
	assert_int_equal(tui_conbuf_search(&cb, "fatal", 3, 1), 4);	/* the partial line */
	assert_int_equal(tui_conbuf_search(&cb, "fatal", 4, 1), 1);	/* wrapped */
	assert_int_equal(tui_conbuf_search(&cb, "fatal", 1, -1), 4);	/* wrapped back */
	assert_int_equal(tui_conbuf_search(&cb, "fatal", 4, -1), 3);
	assert_int_equal(tui_conbuf_search(&cb, "absent", 0, 1), -1);
	assert_int_equal(tui_conbuf_search(&cb, "", 0, 1), -1);
	tui_conbuf_free(&cb);
}

static void conbuf__save(void **state)
{
	struct tui_conbuf cb;
	char dir[] = "/tmp/hvtop-conbuf-XXXXXX", path[128], err[256], *text = NULL;

	(void)state;
	assert_non_null(mkdtemp(dir));
	assert_int_equal(tui_conbuf_init(&cb, 10), 0);
	tui_conbuf_feed(&cb, "one\ntwo\nthr", 11);
	tui_conbuf_lost(&cb, 5);
	snprintf(path, sizeof(path), "%s/c.log", dir);
	assert_int_equal(tui_conbuf_save(&cb, path, err, sizeof(err)), 0);
	assert_int_equal(tui_read_file(path, &text, NULL, 1 << 20), 0);
	assert_string_equal(text, "one\ntwo\nthr\n--- 5 bytes of console output lost ---\n");
	free(text);
	snprintf(path, sizeof(path), "%s/no/such/dir/c.log", dir);
	assert_true(tui_conbuf_save(&cb, path, err, sizeof(err)) < 0);
	assert_non_null(strstr(err, "no/such/dir/c.log"));
	tui_conbuf_free(&cb);
	snprintf(path, sizeof(path), "%s/c.log", dir);
	unlink(path);
	rmdir(dir);
}

/* Each line keeps when its first byte came; the unfinished one too. */
static void conbuf__line_times(void **state)
{
	struct tui_conbuf cb;
	time_t before = time(NULL), after;

	(void)state;
	assert_int_equal(tui_conbuf_init(&cb, 2), 0);
	assert_int_equal(tui_conbuf_line_time(&cb, 0), 0);
	assert_int_equal(tui_conbuf_feed(&cb, "one\ntw", strlen("one\ntw")), 0);
	after = time(NULL);
	assert_true(tui_conbuf_line_time(&cb, 0) >= before);
	assert_true(tui_conbuf_line_time(&cb, 0) <= after);
	assert_true(tui_conbuf_line_time(&cb, 1) >= before);
	assert_int_equal(tui_conbuf_line_time(&cb, 2), 0);
	/* Dropped lines have none. */
	assert_int_equal(tui_conbuf_feed(&cb, "o\nthree\nfour\n", strlen("o\nthree\nfour\n")), 0);
	assert_int_equal(tui_conbuf_line_time(&cb, 0), 0);
	assert_true(tui_conbuf_line_time(&cb, 3) >= before);
	tui_conbuf_free(&cb);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(conbuf__lines_and_partial),
		cmocka_unit_test(conbuf__line_times),
		cmocka_unit_test(conbuf__ring_drops_oldest_keeps_numbers),
		cmocka_unit_test(conbuf__lost_marker_never_silent),
		cmocka_unit_test(conbuf__long_lines_are_broken),
		cmocka_unit_test(conbuf__search_wraps),
		cmocka_unit_test(conbuf__save),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
