// SPDX-License-Identifier: MIT
/*
 * hvtop text handling: CDK markup escaping as the linked CDK reads it,
 * number formatting and the filter (the sanitiser is tested with the
 * library, test_text.c).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>
#include <cdk/cdk.h>

#include "text.h"

/* What the linked CDK shows for markup text. */
static void cdk_shows(const char *markup, char *out, size_t n)
{
	int len = 0, align = 0, i;
	chtype *c = char2Chtype(markup, &len, &align);

	for (i = 0; i < len && (size_t)i + 1 < n; i++)
		out[i] = (char)(c[i] & A_CHARTEXT);
	out[i] = '\0';
	freeChtype(c);
}

static void text__cdk_escape_is_literal(void **state)
{
	static const char *const cases[] = {
		"a<b", "</B>bold<!B>", "<C>centre", "x<#HL(5)>y", "<B=x>", "<<<",
		"\\<", "tail<", "</31>colour",
	};
	int len = 0, align = 0;
	chtype *probe = char2Chtype("\\<x", &len, &align);
	enum tui_cdk_escape_mode mode = len == 1 ? TUI_CDK_ESCAPE_SWALLOW :
					TUI_CDK_ESCAPE_PLAIN;
	size_t i;

	(void)state;
	freeChtype(probe);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char esc[128], shown[128];

		tui_cdk_escape(esc, sizeof(esc), cases[i], mode);
		cdk_shows(esc, shown, sizeof(shown));
		assert_string_equal(shown, cases[i]);
	}
}

static void text__cdk_escape_never_cut_in_half(void **state)
{
	char esc[5];

	(void)state;
	tui_cdk_escape(esc, sizeof(esc), "ab<c", TUI_CDK_ESCAPE_SWALLOW);
	assert_string_equal(esc, "ab");
}

static void text__sizes(void **state)
{
	char b[32];

	(void)state;
	tui_fmt_size(b, sizeof(b), 0);
	assert_string_equal(b, "0 B");
	tui_fmt_size(b, sizeof(b), 4096);
	assert_string_equal(b, "4 KiB");
	tui_fmt_size(b, sizeof(b), 0x100000);
	assert_string_equal(b, "1 MiB");
	tui_fmt_size(b, sizeof(b), 3ull << 30);
	assert_string_equal(b, "3 GiB");
	tui_fmt_size(b, sizeof(b), 1536);
	assert_string_equal(b, "1.5 KiB");
	tui_fmt_size(b, sizeof(b), (1ull << 30) + (512ull << 20));
	assert_string_equal(b, "1.5 GiB");
	tui_fmt_size(b, sizeof(b), (1ull << 30) + 1);
	assert_string_equal(b, "1.0 GiB");
	tui_fmt_size(b, sizeof(b), 1000);
	assert_string_equal(b, "1000 B");
}

static void text__rates_and_counts(void **state)
{
	char b[32];

	(void)state;
	tui_fmt_rate(b, sizeof(b), 0.0);
	assert_string_equal(b, "0");
	tui_fmt_rate(b, sizeof(b), 0.0 / 0.0);
	assert_string_equal(b, "0");
	/* A few exits are not shown as "0.0". */
	tui_fmt_rate(b, sizeof(b), 0.04);
	assert_string_equal(b, "<0.1");
	tui_fmt_rate(b, sizeof(b), 0.05);
	assert_string_equal(b, "0.1");
	tui_fmt_rate(b, sizeof(b), 12.34);
	assert_string_equal(b, "12.3");
	tui_fmt_rate(b, sizeof(b), 1234.4);
	assert_string_equal(b, "1234");
	tui_fmt_rate(b, sizeof(b), 12345.0);
	assert_string_equal(b, "12.3k");
	tui_fmt_rate(b, sizeof(b), 4560000.0);
	assert_string_equal(b, "4.56M");
	tui_fmt_rate(b, sizeof(b), 999999.0);
	assert_string_equal(b, "1.00M");
	tui_fmt_count(b, sizeof(b), 999999);
	assert_string_equal(b, "999999");
	tui_fmt_count(b, sizeof(b), 2147483647);
	assert_string_equal(b, "2.15G");
}

static void text__filter(void **state)
{
	(void)state;
	assert_true(tui_filter_match(NULL, "x"));
	assert_true(tui_filter_match("", "x"));
	assert_true(tui_filter_match("!", "x"));
	assert_true(tui_filter_match("RTos", "2 rtos running"));
	assert_false(tui_filter_match("linux", "2 rtos running"));
	assert_true(tui_filter_match("!linux", "2 rtos running"));
	assert_false(tui_filter_match("!run", "2 rtos running"));
	assert_int_equal(tui_strcasestr_off("Hello World", 11, "WORLD"), 6);
	assert_int_equal(tui_strcasestr_off("Hello", 3, "llo"), -1);
}

static void text__addr_digits(void **state)
{
	(void)state;
	/* The sim board's RAM ends at 0x7f9fffff; rk3588's MMIO at 0xa_413fffff. */
	assert_int_equal(tui_addr_digits(0), 8);
	assert_int_equal(tui_addr_digits(0x7f9fffffULL), 8);
	assert_int_equal(tui_addr_digits(0xffffffffULL), 8);
	assert_int_equal(tui_addr_digits(0x100000000ULL), 10);
	assert_int_equal(tui_addr_digits(0xa413fffffULL), 10);
	assert_int_equal(tui_addr_digits(0xffffffffffULL), 10);
	assert_int_equal(tui_addr_digits(0x10000000000ULL), 12);
	assert_int_equal(tui_addr_digits(UINT64_MAX), 16);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(text__cdk_escape_is_literal),
		cmocka_unit_test(text__cdk_escape_never_cut_in_half),
		cmocka_unit_test(text__sizes),
		cmocka_unit_test(text__rates_and_counts),
		cmocka_unit_test(text__filter),
		cmocka_unit_test(text__addr_digits),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
