/* SPDX-License-Identifier: MIT */
/*
 * Console scrollback: raw console bytes in, sanitised lines out.
 *
 * A bounded ring of lines (the oldest are dropped), an unfinished last
 * line, markers for lost bytes and notes, search and saving. Lines are
 * numbered absolutely (the first line ever added is 0) so a reader that
 * scrolled back keeps its place while old lines are dropped.
 */
#ifndef HVTOP_CONBUF_H
#define HVTOP_CONBUF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "text.h"

/* Longer lines are broken; nobody reads 4 KiB of one line in a console. */
#define TUI_CONLINE_MAX	4096
#define TUI_TAB_WIDTH	8

enum tui_conline_kind {
	TUI_CONLINE_TEXT = 0,
	TUI_CONLINE_LOST,	/* "N bytes lost" marker */
	TUI_CONLINE_NOTE,	/* hvtop's own remark (reconnected, ...) */
};

struct tui_conline {
	char *text;
	unsigned int len;
	enum tui_conline_kind kind;
	time_t when;			/* when its first byte came */
};

struct tui_conbuf {
	struct tui_conline *lines;	/* ring of complete lines */
	unsigned int cap;
	unsigned int count;
	unsigned int first;		/* ring index of the oldest line */
	uint64_t dropped;		/* lines dropped from the front */

	struct hvctl_sanitizer san;
	char partial[TUI_CONLINE_MAX + 1];	/* the unfinished last line */
	unsigned int plen;
	time_t partial_when;			/* when its first byte came */

	uint64_t bytes_in;		/* console bytes fed */
	uint64_t lost_total;		/* bytes reported lost */
	size_t mem;			/* bytes held by line texts */
};

int tui_conbuf_init(struct tui_conbuf *cb, unsigned int cap_lines);
void tui_conbuf_free(struct tui_conbuf *cb);
/* Drop every line (the next line is numbered after the last one). */
void tui_conbuf_clear(struct tui_conbuf *cb);

/* Feed raw console bytes. 0 or -ENOMEM (the text is then cut short). */
int tui_conbuf_feed(struct tui_conbuf *cb, const char *data, size_t len);

/*
 * Bytes were lost before data could be read: ends the current line and
 * adds a marker line. n == UINT64_MAX means "an unknown number".
 */
int tui_conbuf_lost(struct tui_conbuf *cb, uint64_t n);

/* A note line (already plain text; sanitised again anyway). */
int tui_conbuf_note(struct tui_conbuf *cb, const char *text);

/*
 * Absolute numbers of the first line kept and one past the last line,
 * counting the unfinished line when it has text.
 */
uint64_t tui_conbuf_begin(const struct tui_conbuf *cb);
uint64_t tui_conbuf_end(const struct tui_conbuf *cb);

/* Line n (absolute); NULL when not kept. *len and *kind may be NULL. */
const char *tui_conbuf_line(const struct tui_conbuf *cb, uint64_t n,
			    unsigned int *len, enum tui_conline_kind *kind);

/* When line n's first byte came (wall clock); 0 when not kept. */
time_t tui_conbuf_line_time(const struct tui_conbuf *cb, uint64_t n);

/*
 * Search case-insensitively from line 'from' (absolute) in direction
 * dir (+1 or -1), not including 'from' itself; wraps around once.
 * Returns the line number, or -1.
 */
int64_t tui_conbuf_search(const struct tui_conbuf *cb, const char *needle,
			  uint64_t from, int dir);

/* Write every kept line (markers included) to path, atomically. */
int tui_conbuf_save(const struct tui_conbuf *cb, const char *path,
		    char *err, size_t errlen);

#endif /* !HVTOP_CONBUF_H */
