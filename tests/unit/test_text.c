// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * libhvctl text: the terminal sanitiser hvtop and hvctl share (escape
 * sequences split across feeds, UTF-8, controls, C1), names, and the
 * escaping of JSON and Prometheus output.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <json-c/json.h>

#include <errno.h>

#include <hvctl/common.h>
#include <hvctl/text.h>

/* Feed bytes one call at a time and collect what a line would show. */
static void run(struct hvctl_sanitizer *s, const char *in, size_t len, char *out)
{
	size_t i, n = strlen(out);

	for (i = 0; i < len; i++) {
		int c = hvctl_sanitize_byte(s, (unsigned char)in[i]);

		if (c >= 0)
			out[n++] = (char)c;
		else if (c == HVCTL_SAN_NEWLINE)
			out[n++] = '|';
		else if (c == HVCTL_SAN_TAB)
			out[n++] = '_';
	}
	out[n] = '\0';
}

static void text__strips_escape_sequences(void **state)
{
	struct hvctl_sanitizer s;
	char out[256] = "";
	const char in[] = "a\x1b[1;31mred\x1b[0m b\x1b]0;title\x07" "c\x1b]2;x\x1b\\d"
			  "\x1b(Be\x1bPdcs\x1b\\f\x1b" "7g";

	(void)state;
	hvctl_sanitize_reset(&s);
	run(&s, in, sizeof(in) - 1, out);
	assert_string_equal(out, "ared bcdefg");
}

static void text__sequence_split_across_feeds(void **state)
{
	struct hvctl_sanitizer s;
	char out[64] = "";

	(void)state;
	hvctl_sanitize_reset(&s);
	run(&s, "x\x1b", 2, out);
	run(&s, "[3", 2, out);
	run(&s, "1mY\x1b]", 5, out);
	run(&s, "evil", 4, out);
	run(&s, "\x07Z", 2, out);
	assert_string_equal(out, "xYZ");
}

static void text__controls_and_lines(void **state)
{
	struct hvctl_sanitizer s;
	char out[64] = "";

	(void)state;
	hvctl_sanitize_reset(&s);
	run(&s, "a\r\nb\tc\x07\x08" "d\x7f" "e\n", 12, out);
	assert_string_equal(out, "a|b_cde|");
}

static void text__utf8_is_one_question_mark(void **state)
{
	struct hvctl_sanitizer s;
	char out[64] = "";

	(void)state;
	hvctl_sanitize_reset(&s);
	/* é (2 bytes), € (3 bytes), an emoji (4 bytes), a stray continuation */
	run(&s, "\xc3\xa9-\xe2\x82\xac-\xf0\x9f\x98\x80-\x80.", 15, out);
	assert_string_equal(out, "?-?-?-?.");
}

static void text__endless_sequence_gives_up(void **state)
{
	struct hvctl_sanitizer s;
	char in[200], out[256] = "";

	(void)state;
	hvctl_sanitize_reset(&s);
	in[0] = 0x1b;
	in[1] = '[';
	memset(in + 2, '1', sizeof(in) - 2);
	run(&s, in, sizeof(in), out);
	/* Not everything after ESC [ may vanish. */
	assert_true(strlen(out) > 100);
}

static void text__sanitize_str(void **state)
{
	char out[16];

	(void)state;
	assert_int_equal(hvctl_sanitize_str(out, sizeof(out), "ab\ncd\x1b[2Jef"), 7);
	assert_string_equal(out, "ab cdef");
	hvctl_sanitize_str(out, 4, "abcdef");
	assert_string_equal(out, "abc");
	hvctl_sanitize_name(out, sizeof(out), "a\tb\x1b[1m\nc\r\n", HVCTL_SAN_KEEP_LINES);
	assert_string_equal(out, "a\tb?\nc?\n");
}

/* hvctl console's path: the buffer form keeps newline and tab. */
static void text__buf_keeps_lines(void **state)
{
	struct hvctl_sanitizer s;
	char out[64];
	size_t n;

	(void)state;
	hvctl_sanitize_init(&s, 0);
	n = hvctl_sanitize_buf(&s, "a\r\nb\tc\x07\x1b]52;c;ZXZpbA==\x07" "d\x1b[2J\n", 29, out);
	assert_int_equal(n, 7);
	assert_memory_equal(out, "a\nb\tcd\n", 7);
}

static void text__buf_utf8_kept_c1_dropped(void **state)
{
	struct hvctl_sanitizer s;
	/* é, €, an emoji, U+009B (C1 CSI in UTF-8), raw 0x9b, a broken
	 * sequence, an overlong '/', a surrogate; € split across feeds. */
	const char a[] = "\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80 \xc2\x9b[2J \x9b" "1m"
			 " \xe2\x82x \xc0\xaf \xed\xa0\x80 \xe2";
	const char b[] = "\x82\xac.";
	char out[128];
	size_t n;

	(void)state;
	hvctl_sanitize_init(&s, HVCTL_SAN_KEEP_UTF8);
	n = hvctl_sanitize_buf(&s, a, sizeof(a) - 1, out);
	n += hvctl_sanitize_buf(&s, b, sizeof(b) - 1, out + n);
	out[n] = '\0';
	assert_string_equal(out, "\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80 ?[2J ?1m ?x ?? ??? \xe2\x82\xac.");
	assert_null(memchr(out, 0x1b, n));
}

static void text__buf_ascii_mode(void **state)
{
	struct hvctl_sanitizer s;
	char out[32];
	size_t n;

	(void)state;
	hvctl_sanitize_init(&s, 0);
	n = hvctl_sanitize_buf(&s, "\xc3\xa9\x9b" "x\x07", 5, out);
	assert_int_equal(n, 3);
	assert_memory_equal(out, "??x", 3);
}

static void text__name_shows_escapes(void **state)
{
	char out[32];

	(void)state;
	/* A name made only of escapes does not vanish. */
	hvctl_sanitize_name(out, sizeof(out), "\x1b[2J\x1b]0;t\x07", 0);
	assert_string_equal(out, "??");
	hvctl_sanitize_name(out, sizeof(out), "r\x1b[31mtos\x07\n", 0);
	assert_string_equal(out, "r?tos??");
	hvctl_sanitize_name(out, sizeof(out), "caf\xc3\xa9\xc2\x85\xff", 0);
	assert_string_equal(out, "caf???");
	hvctl_sanitize_name(out, sizeof(out), "caf\xc3\xa9\xc2\x85\xff",
			    HVCTL_SAN_KEEP_UTF8);
	assert_string_equal(out, "caf\xc3\xa9??");
	/* A character that does not fit is left out whole. */
	hvctl_sanitize_name(out, 5, "abc\xe2\x82\xac", HVCTL_SAN_KEEP_UTF8);
	assert_string_equal(out, "abc");
	hvctl_sanitize_name(out, sizeof(out), "a\tb\x1b[1m\nc\r\n", HVCTL_SAN_KEEP_LINES);
	assert_string_equal(out, "a\tb?\nc?\n");
}

static void text__is_clean(void **state)
{
	(void)state;
	assert_true(hvctl_text_is_clean("rtos-1 caf\xc3\xa9", 12));
	assert_true(hvctl_text_is_clean("", 0));
	assert_false(hvctl_text_is_clean("a\x1b[1m", 5));
	assert_false(hvctl_text_is_clean("a\tb", 3));
	assert_false(hvctl_text_is_clean("a\x7f", 2));
	assert_false(hvctl_text_is_clean("\xc2\x9b", 2));
	assert_false(hvctl_text_is_clean("\xff", 1));
	assert_false(hvctl_text_is_clean("\xc3", 1));
	assert_false(hvctl_text_is_clean("\xed\xa0\x80", 3));
}

/* What json-c writes for a hostile name, cleaned, parses again. */
static void text__json_clean_parses(void **state)
{
	const char name[] = "x\x1b]52;c;AA==\x07\xff\xc2\x9b\x7f\xc3\xa9\"\\";
	json_object *o = json_object_new_object(), *back, *v;
	const char *text;
	char *clean;

	(void)state;
	json_object_object_add(o, "name", json_object_new_string(name));
	text = json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN);
	clean = hvctl_json_clean(text);
	assert_non_null(clean);
	assert_true(hvctl_text_is_clean(clean, strlen(clean)));
	assert_string_equal(clean, "{\"name\":\"x\\u001b]52;c;AA==\\u0007\\ufffd\\u009b\\u007f\xc3\xa9\\\"\\\\\"}");
	back = json_tokener_parse(clean);
	assert_non_null(back);
	assert_true(json_object_object_get_ex(back, "name", &v));
	assert_string_equal(json_object_get_string(v),
			    "x\x1b]52;c;AA==\x07\xef\xbf\xbd\xc2\x9b\x7f\xc3\xa9\"\\");
	json_object_put(back);
	json_object_put(o);
	free(clean);
}

static void text__prom_label(void **state)
{
	char out[64];

	(void)state;
	assert_int_equal(hvctl_prom_label(out, sizeof(out), "a\"b\\c\nd"), 10);
	assert_string_equal(out, "a\\\"b\\\\c\\nd");
	hvctl_prom_label(out, sizeof(out), "x\x1b[1m\xff\xc3\xa9");
	assert_string_equal(out, "x\xef\xbf\xbd[1m\xef\xbf\xbd\xc3\xa9");
	/* Cut only between whole pieces, never inside an escape. */
	assert_int_equal(hvctl_prom_label(out, 3, "a\"b"), 4);
	assert_string_equal(out, "a");
}

/* The one grow-by-realloc: doubles from 16, keeps what was there. */
static void text__grow(void **state)
{
	uint32_t *a = NULL;
	size_t cap = 0, i;

	(void)state;
	assert_int_equal(hvctl_grow(&a, &cap, 1, sizeof(*a)), 0);
	assert_int_equal(cap, 16);
	for (i = 0; i < 16; i++)
		a[i] = (uint32_t)i * 7;
	/* Room enough already: nothing moves. */
	assert_int_equal(hvctl_grow(&a, &cap, 16, sizeof(*a)), 0);
	assert_int_equal(cap, 16);
	assert_int_equal(hvctl_grow(&a, &cap, 100, sizeof(*a)), 0);
	assert_int_equal(cap, 128);
	for (i = 0; i < 16; i++)
		assert_int_equal(a[i], i * 7);
	/* A size that would overflow is refused and leaves the array. */
	assert_int_equal(hvctl_grow(&a, &cap, SIZE_MAX / 2, sizeof(*a)),
			 -ENOMEM);
	assert_int_equal(cap, 128);
	assert_int_equal(a[15], 105);
	free(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(text__grow),
		cmocka_unit_test(text__strips_escape_sequences),
		cmocka_unit_test(text__sequence_split_across_feeds),
		cmocka_unit_test(text__controls_and_lines),
		cmocka_unit_test(text__utf8_is_one_question_mark),
		cmocka_unit_test(text__endless_sequence_gives_up),
		cmocka_unit_test(text__sanitize_str),
		cmocka_unit_test(text__buf_keeps_lines),
		cmocka_unit_test(text__buf_utf8_kept_c1_dropped),
		cmocka_unit_test(text__buf_ascii_mode),
		cmocka_unit_test(text__name_shows_escapes),
		cmocka_unit_test(text__is_clean),
		cmocka_unit_test(text__json_clean_parses),
		cmocka_unit_test(text__prom_label),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
