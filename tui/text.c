// SPDX-License-Identifier: MIT
/*
 * Text helpers: sanitising, CDK escaping, number formatting, filters.
 */
#include "text.h"

#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

/* Give up on an escape sequence that never ends, so a guest cannot hide
 * the rest of its output inside one. */
#define CSI_MAX_LEN	64
#define STRING_MAX_LEN	1024

void tui_sanitize_reset(struct tui_sanitizer *s)
{
	memset(s, 0, sizeof(*s));
}

static int ground_control(struct tui_sanitizer *s, unsigned char c)
{
	switch (c) {
	case '\n':
		s->state = TUI_SAN_GROUND;
		return TUI_SAN_NEWLINE;
	case '\t':
		return TUI_SAN_TAB;
	case 0x1b:
		s->state = TUI_SAN_ESC;
		s->seq_len = 1;
		return TUI_SAN_SKIP;
	case 0x18: /* CAN and SUB abort a sequence */
	case 0x1a:
		s->state = TUI_SAN_GROUND;
		return TUI_SAN_SKIP;
	default:
		/* CR (CRLF line ends), BS, BEL and the rest: dropped. */
		return TUI_SAN_SKIP;
	}
}

int tui_sanitize_byte(struct tui_sanitizer *s, unsigned char c)
{
	if (c >= 0x80) {
		/* Non-ASCII: one '?' per UTF-8 sequence, and one per stray byte. */
		if (s->state != TUI_SAN_GROUND)
			return TUI_SAN_SKIP;
		if (c >= 0x80 && c <= 0xbf && s->utf8_left) {
			s->utf8_left--;
			return TUI_SAN_SKIP;
		}
		if (c >= 0xc2 && c <= 0xdf)
			s->utf8_left = 1;
		else if (c >= 0xe0 && c <= 0xef)
			s->utf8_left = 2;
		else if (c >= 0xf0 && c <= 0xf4)
			s->utf8_left = 3;
		else
			s->utf8_left = 0;
		return '?';
	}
	s->utf8_left = 0;

	switch (s->state) {
	case TUI_SAN_GROUND:
		if (c >= 0x20 && c < 0x7f)
			return c;
		return ground_control(s, c);
	case TUI_SAN_ESC:
		s->seq_len++;
		if (c == '[') {
			s->state = TUI_SAN_CSI;
		} else if (c == ']' || c == 'P' || c == 'X' || c == '^' ||
			   c == '_') {
			s->state = TUI_SAN_STRING;
		} else if (c >= 0x20 && c <= 0x2f) {
			/* intermediate byte, as in ESC ( B: keep waiting */
			if (s->seq_len > CSI_MAX_LEN)
				s->state = TUI_SAN_GROUND;
		} else if (c >= 0x30 && c <= 0x7e) {
			s->state = TUI_SAN_GROUND;
		} else {
			s->state = TUI_SAN_GROUND;
			return ground_control(s, c);
		}
		return TUI_SAN_SKIP;
	case TUI_SAN_CSI:
		s->seq_len++;
		if (c >= 0x40 && c <= 0x7e) {
			s->state = TUI_SAN_GROUND;
		} else if (c < 0x20 || c == 0x7f) {
			if (c == 0x1b || c == '\n' || c == 0x18 || c == 0x1a) {
				s->state = TUI_SAN_GROUND;
				return ground_control(s, c);
			}
		} else if (s->seq_len > CSI_MAX_LEN) {
			s->state = TUI_SAN_GROUND;
		}
		return TUI_SAN_SKIP;
	case TUI_SAN_STRING:
		s->seq_len++;
		if (c == 0x07 || c == 0x18 || c == 0x1a) {
			s->state = TUI_SAN_GROUND;
		} else if (c == 0x1b) {
			s->state = TUI_SAN_STRING_ESC;
		} else if (c == '\n') {
			s->state = TUI_SAN_GROUND;
			return TUI_SAN_NEWLINE;
		} else if (s->seq_len > STRING_MAX_LEN) {
			s->state = TUI_SAN_GROUND;
		}
		return TUI_SAN_SKIP;
	case TUI_SAN_STRING_ESC:
		/* ESC \ is the string terminator; any other ESC x starts anew. */
		if (c == '\\') {
			s->state = TUI_SAN_GROUND;
			return TUI_SAN_SKIP;
		}
		s->state = TUI_SAN_ESC;
		s->seq_len = 1;
		return tui_sanitize_byte(s, c);
	}
	s->state = TUI_SAN_GROUND;
	return TUI_SAN_SKIP;
}

size_t tui_sanitize_str(char *dst, size_t n, const char *src)
{
	struct tui_sanitizer s;
	size_t len = 0;

	if (!n)
		return 0;
	tui_sanitize_reset(&s);
	for (; src && *src && len + 1 < n; src++) {
		int c = tui_sanitize_byte(&s, (unsigned char)*src);

		if (c == TUI_SAN_NEWLINE || c == TUI_SAN_TAB)
			c = ' ';
		if (c >= 0)
			dst[len++] = (char)c;
	}
	dst[len] = '\0';
	return len;
}

size_t tui_cdk_escape(char *dst, size_t n, const char *src,
		      enum tui_cdk_escape_mode mode)
{
	size_t len = 0;

	if (!n)
		return 0;
	for (; *src; src++) {
		const char *rep;
		char one[2] = { *src, '\0' };
		size_t rlen;

		if (*src == '<')
			rep = mode == TUI_CDK_ESCAPE_SWALLOW ? "\\<<" : "\\<";
		else
			rep = one;
		rlen = strlen(rep);
		/* Never cut an escape in half. */
		if (len + rlen + 1 > n)
			break;
		memcpy(dst + len, rep, rlen);
		len += rlen;
	}
	dst[len] = '\0';
	return len;
}

int tui_fmt_size(char *buf, size_t n, uint64_t bytes)
{
	static const char *const unit[] = { "B", "KiB", "MiB", "GiB", "TiB", "PiB" };
	unsigned int u = 0;

	/* Largest unit that divides exactly gives an exact integer. */
	while (u < 5 && bytes && !(bytes & ((UINT64_C(1) << (10 * (u + 1))) - 1)))
		u++;
	if (bytes >> (10 * u) < 1024 || u == 5)
		return snprintf(buf, n, "%" PRIu64 " %s", bytes >> (10 * u), unit[u]);

	/* Otherwise one decimal in the largest unit that keeps it >= 1. */
	for (u = 5; u > 0; u--)
		if (bytes >= UINT64_C(1) << (10 * u))
			break;
	return snprintf(buf, n, "%.1f %s",
			(double)bytes / (double)(UINT64_C(1) << (10 * u)), unit[u]);
}

static int fmt_scaled(char *buf, size_t n, double v)
{
	static const char suffix[] = "kMGTP";
	unsigned int i;

	for (i = 0; i < sizeof(suffix) - 1; i++) {
		v /= 1000.0;
		if (v < 999.95)
			break;
	}
	if (i == sizeof(suffix) - 1)
		i--;
	if (v < 9.995)
		return snprintf(buf, n, "%.2f%c", v, suffix[i]);
	if (v < 99.95)
		return snprintf(buf, n, "%.1f%c", v, suffix[i]);
	return snprintf(buf, n, "%.0f%c", v, suffix[i]);
}

int tui_fmt_rate(char *buf, size_t n, double v)
{
	if (!(v > 0.0))		/* also catches NaN */
		return snprintf(buf, n, "0");
	if (v < 99.95)
		return snprintf(buf, n, "%.1f", v);
	if (v < 9999.5)
		return snprintf(buf, n, "%.0f", v);
	return fmt_scaled(buf, n, v);
}

int tui_fmt_count(char *buf, size_t n, uint64_t v)
{
	if (v < 1000000)
		return snprintf(buf, n, "%" PRIu64, v);
	return fmt_scaled(buf, n, (double)v);
}

long tui_strcasestr_off(const char *hay, size_t hay_len, const char *needle)
{
	size_t nlen = strlen(needle);
	size_t i, j;

	if (!nlen)
		return 0;
	if (nlen > hay_len)
		return -1;
	for (i = 0; i + nlen <= hay_len; i++) {
		for (j = 0; j < nlen; j++)
			if (tolower((unsigned char)hay[i + j]) !=
			    tolower((unsigned char)needle[j]))
				break;
		if (j == nlen)
			return (long)i;
	}
	return -1;
}

bool tui_filter_match(const char *pattern, const char *text)
{
	bool invert = false;

	if (!pattern)
		return true;
	if (*pattern == '!') {
		invert = true;
		pattern++;
	}
	if (!*pattern)
		return true;
	return (tui_strcasestr_off(text, strlen(text), pattern) >= 0) != invert;
}
