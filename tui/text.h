/* SPDX-License-Identifier: MIT */
/*
 * Text helpers for hvtop: escaping CDK markup, formatting sizes and
 * rates, and the filter match.
 *
 * None of this touches curses, so it is unit-tested on its own.
 */
#ifndef HVTOP_TEXT_H
#define HVTOP_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <hvctl/text.h>

/*
 * Sanitising untrusted bytes is the library's (hvctl/text.h:
 * hvctl_sanitize_byte() for console streams, hvctl_sanitize_str() for
 * names), shared with hvctl.
 */

/*
 * CDK interprets "<...>" sequences as markup in every string handed to
 * a widget. tui_cdk_escape() makes src (already sanitised) literal.
 * How a backslash escape behaves differs between CDK releases (older
 * ones swallow the character after "\<"), so the caller passes what
 * tui_cdk_probe_escape() found for the linked library.
 */
enum tui_cdk_escape_mode {
	TUI_CDK_ESCAPE_PLAIN = 0,	/* "\<" yields "<" */
	TUI_CDK_ESCAPE_SWALLOW,		/* "\<" yields "<" and eats one more */
};

size_t tui_cdk_escape(char *dst, size_t n, const char *src,
		      enum tui_cdk_escape_mode mode);

/* "4 KiB", "512 MiB", "1.5 GiB"; exact units when they divide evenly. */
int tui_fmt_size(char *buf, size_t n, uint64_t bytes);

/* A rate or count in at most 6 columns: "0", "12.3", "1234", "12.3k", "4.56M". */
int tui_fmt_rate(char *buf, size_t n, double v);
int tui_fmt_count(char *buf, size_t n, uint64_t v);

/*
 * Hex digits an address column needs so that every address up to last
 * is shown whole: whole bytes, at least 8 (a 32-bit board), at most 16.
 * A board whose memory ends below 4 GiB gets 8, one with 40-bit physical
 * addresses 10.
 */
int tui_addr_digits(uint64_t last);

/*
 * Filter match as the "/" prompt uses it: case-insensitive substring;
 * a leading '!' inverts. An empty pattern (or a lone '!') matches all.
 */
bool tui_filter_match(const char *pattern, const char *text);

/* Case-insensitive substring search; returns the offset or -1. */
long tui_strcasestr_off(const char *hay, size_t hay_len, const char *needle);

#endif /* !HVTOP_TEXT_H */
