/* SPDX-License-Identifier: MIT */
/*
 * Text helpers for hvtop: sanitising untrusted bytes (guest console
 * output, cell and file names) into printable ASCII, escaping CDK
 * markup, formatting sizes and rates, and the filter match.
 *
 * None of this touches curses, so it is unit-tested on its own.
 */
#ifndef HVTOP_TEXT_H
#define HVTOP_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * A byte-at-a-time sanitiser. Escape sequences (CSI, OSC, DCS and the
 * two-byte ESC forms) are dropped whole, even when split across feeds;
 * other control bytes and anything outside printable ASCII become '?'
 * or vanish, so nothing reaches the terminal that could move the cursor,
 * change colours or retitle the window.
 */
enum tui_san_state {
	TUI_SAN_GROUND = 0,
	TUI_SAN_ESC,		/* after ESC */
	TUI_SAN_CSI,		/* ESC [ ... final byte 0x40-0x7e */
	TUI_SAN_STRING,		/* ESC ] / P / X / ^ / _ ... BEL or ESC \ */
	TUI_SAN_STRING_ESC,	/* ESC seen inside a string */
};

struct tui_sanitizer {
	enum tui_san_state state;
	unsigned int utf8_left;	/* continuation bytes still to swallow */
	unsigned int seq_len;	/* bytes in the current escape sequence */
};

/* What tui_sanitize_byte() asks the caller to do. */
#define TUI_SAN_SKIP	(-1)	/* nothing */
#define TUI_SAN_NEWLINE	(-2)	/* end the line */
#define TUI_SAN_TAB	(-3)	/* advance to the next tab stop */

void tui_sanitize_reset(struct tui_sanitizer *s);

/* Returns a printable ASCII character (0x20..0x7e) or a TUI_SAN_* code. */
int tui_sanitize_byte(struct tui_sanitizer *s, unsigned char c);

/*
 * One-shot: copy src into dst (size n, always NUL-terminated) keeping
 * printable ASCII only; controls and line breaks become a space, other
 * bytes '?'. Returns the length written.
 */
size_t tui_sanitize_str(char *dst, size_t n, const char *src);

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
 * Filter match as the "/" prompt uses it: case-insensitive substring;
 * a leading '!' inverts. An empty pattern (or a lone '!') matches all.
 */
bool tui_filter_match(const char *pattern, const char *text);

/* Case-insensitive substring search; returns the offset or -1. */
long tui_strcasestr_off(const char *hay, size_t hay_len, const char *needle);

#endif /* !HVTOP_TEXT_H */
