// SPDX-License-Identifier: MIT
/*
 * Text helpers: CDK escaping, number formatting, filters.
 */
#include "text.h"

#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

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
	/* Not "0.0": some exits, too few to show in one decimal. */
	if (v < 0.05)
		return snprintf(buf, n, "<0.1");
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

int tui_addr_digits(uint64_t last)
{
	int digits = 8;

	while (digits < 16 && (last >> (digits * 4)))
		digits += 2;
	return digits;
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
