// SPDX-License-Identifier: MIT
/*
 * Console scrollback ring.
 */
#include "conbuf.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "paths.h"

int tui_conbuf_init(struct tui_conbuf *cb, unsigned int cap_lines)
{
	memset(cb, 0, sizeof(*cb));
	if (!cap_lines)
		return -EINVAL;
	cb->lines = calloc(cap_lines, sizeof(*cb->lines));
	if (!cb->lines)
		return -ENOMEM;
	cb->cap = cap_lines;
	hvctl_sanitize_reset(&cb->san);
	return 0;
}

void tui_conbuf_clear(struct tui_conbuf *cb)
{
	unsigned int i;

	for (i = 0; i < cb->count; i++)
		free(cb->lines[(cb->first + i) % cb->cap].text);
	cb->dropped += cb->count;
	cb->count = 0;
	cb->first = 0;
	cb->plen = 0;
	cb->mem = 0;
	hvctl_sanitize_reset(&cb->san);
}

void tui_conbuf_free(struct tui_conbuf *cb)
{
	if (!cb->lines)
		return;
	tui_conbuf_clear(cb);
	free(cb->lines);
	memset(cb, 0, sizeof(*cb));
}

static int push_line(struct tui_conbuf *cb, const char *text, unsigned int len,
		     enum tui_conline_kind kind, time_t when)
{
	struct tui_conline *l;
	char *copy;

	copy = malloc(len + 1);
	if (!copy)
		return -ENOMEM;
	memcpy(copy, text, len);
	copy[len] = '\0';
	if (cb->count == cb->cap) {
		l = &cb->lines[cb->first];
		cb->mem -= l->len + 1;
		free(l->text);
		cb->first = (cb->first + 1) % cb->cap;
		cb->count--;
		cb->dropped++;
	}
	l = &cb->lines[(cb->first + cb->count) % cb->cap];
	l->text = copy;
	l->len = len;
	l->kind = kind;
	l->when = when;
	cb->count++;
	cb->mem += len + 1;
	return 0;
}

static int end_partial(struct tui_conbuf *cb)
{
	int ret = push_line(cb, cb->partial, cb->plen, TUI_CONLINE_TEXT,
			    cb->plen ? cb->partial_when : time(NULL));

	cb->plen = 0;
	cb->partial[0] = '\0';
	return ret;
}

int tui_conbuf_feed(struct tui_conbuf *cb, const char *data, size_t len)
{
	size_t i;
	int ret = 0;

	cb->bytes_in += len;
	for (i = 0; i < len; i++) {
		int c = hvctl_sanitize_byte(&cb->san, (unsigned char)data[i]);

		if (c == HVCTL_SAN_SKIP)
			continue;
		if (c == HVCTL_SAN_NEWLINE) {
			ret = end_partial(cb);
			if (ret)
				return ret;
			continue;
		}
		if (!cb->plen)
			cb->partial_when = time(NULL);
		if (c == HVCTL_SAN_TAB) {
			do {
				cb->partial[cb->plen++] = ' ';
			} while (cb->plen % TUI_TAB_WIDTH && cb->plen < TUI_CONLINE_MAX);
		} else {
			cb->partial[cb->plen++] = (char)c;
		}
		cb->partial[cb->plen] = '\0';
		if (cb->plen >= TUI_CONLINE_MAX) {
			ret = end_partial(cb);
			if (ret)
				return ret;
		}
	}
	return 0;
}

int tui_conbuf_lost(struct tui_conbuf *cb, uint64_t n)
{
	char text[96];
	int ret;

	if (!n)
		return 0;
	if (cb->plen) {
		ret = end_partial(cb);
		if (ret)
			return ret;
	}
	/* What was cut off may have been the middle of an escape sequence. */
	hvctl_sanitize_reset(&cb->san);
	if (n == UINT64_MAX) {
		snprintf(text, sizeof(text),
			 "--- console output lost here (the ring wrapped before it was read) ---");
	} else {
		cb->lost_total += n;
		snprintf(text, sizeof(text), "--- %" PRIu64 " byte%s of console output lost ---",
			 n, n == 1 ? "" : "s");
	}
	return push_line(cb, text, (unsigned int)strlen(text), TUI_CONLINE_LOST, time(NULL));
}

int tui_conbuf_note(struct tui_conbuf *cb, const char *text)
{
	char clean[256];
	int ret;

	if (cb->plen) {
		ret = end_partial(cb);
		if (ret)
			return ret;
	}
	hvctl_sanitize_str(clean, sizeof(clean), text);
	return push_line(cb, clean, (unsigned int)strlen(clean), TUI_CONLINE_NOTE, time(NULL));
}

uint64_t tui_conbuf_begin(const struct tui_conbuf *cb)
{
	return cb->dropped;
}

uint64_t tui_conbuf_end(const struct tui_conbuf *cb)
{
	return cb->dropped + cb->count + (cb->plen ? 1 : 0);
}

time_t tui_conbuf_line_time(const struct tui_conbuf *cb, uint64_t n)
{
	if (n < cb->dropped)
		return 0;
	n -= cb->dropped;
	if (n == cb->count && cb->plen)
		return cb->partial_when;
	if (n >= cb->count)
		return 0;
	return cb->lines[(cb->first + n) % cb->cap].when;
}

const char *tui_conbuf_line(const struct tui_conbuf *cb, uint64_t n,
			    unsigned int *len, enum tui_conline_kind *kind)
{
	const struct tui_conline *l;

	if (n < cb->dropped)
		return NULL;
	n -= cb->dropped;
	if (n == cb->count && cb->plen) {
		if (len)
			*len = cb->plen;
		if (kind)
			*kind = TUI_CONLINE_TEXT;
		return cb->partial;
	}
	if (n >= cb->count)
		return NULL;
	l = &cb->lines[(cb->first + n) % cb->cap];
	if (len)
		*len = l->len;
	if (kind)
		*kind = l->kind;
	return l->text;
}

int64_t tui_conbuf_search(const struct tui_conbuf *cb, const char *needle,
			  uint64_t from, int dir)
{
	uint64_t begin = tui_conbuf_begin(cb), end = tui_conbuf_end(cb);
	uint64_t total = end - begin, i, n;

	if (!*needle || !total)
		return -1;
	if (from < begin || from >= end)
		from = dir > 0 ? end - 1 : begin;
	for (i = 1; i <= total; i++) {
		const char *text;
		unsigned int len;

		/* Step from 'from' with wrap-around inside [begin, end). */
		if (dir > 0)
			n = begin + (from - begin + i) % total;
		else
			n = begin + (from - begin + total - i % total) % total;
		text = tui_conbuf_line(cb, n, &len, NULL);
		if (text && tui_strcasestr_off(text, len, needle) >= 0)
			return (int64_t)n;
	}
	return -1;
}

int tui_conbuf_save(const struct tui_conbuf *cb, const char *path,
		    char *err, size_t errlen)
{
	uint64_t n, begin = tui_conbuf_begin(cb), end = tui_conbuf_end(cb);
	size_t size = 0, used = 0;
	char *buf;
	int ret;

	for (n = begin; n < end; n++) {
		unsigned int len = 0;

		tui_conbuf_line(cb, n, &len, NULL);
		size += len + 1;
	}
	buf = malloc(size + 1);
	if (!buf) {
		snprintf(err, errlen, "%s: out of memory", path);
		return -ENOMEM;
	}
	for (n = begin; n < end; n++) {
		unsigned int len = 0;
		const char *text = tui_conbuf_line(cb, n, &len, NULL);

		memcpy(buf + used, text, len);
		used += len;
		buf[used++] = '\n';
	}
	ret = tui_write_atomic(path, buf, used, err, errlen);
	free(buf);
	return ret;
}
