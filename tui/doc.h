/* SPDX-License-Identifier: MIT */
/*
 * A scrollable document: lines of text where every character carries a
 * theme role. The cell detail and the help screen are built as documents
 * and drawn from any scroll offset.
 */
#ifndef HVTOP_DOC_H
#define HVTOP_DOC_H

#include <stddef.h>

#include "screen.h"
#include "theme.h"

#define TUI_DOC_WIDTH	240
/* In a document, this character is drawn as a solid block. */
#define TUI_DOC_BLOCK	'\x01'
/* These four, a horizontal line low to high in the row (tui_scan_char). */
#define TUI_DOC_SCAN0	'\x02'
#define TUI_DOC_SCANS	4

struct tui_doc_line {
	char text[TUI_DOC_WIDTH + 1];
	unsigned char role[TUI_DOC_WIDTH];
	unsigned int len;
};

struct tui_doc {
	struct tui_doc_line *lines;
	size_t count, cap;
	int failed;		/* an allocation failed; the rest is missing */
};

void tui_doc_init(struct tui_doc *d);
void tui_doc_free(struct tui_doc *d);
/* Start a new line; later appends go to it. */
void tui_doc_newline(struct tui_doc *d);
/* Append to the current line (a line is started if there is none). */
void tui_doc_add(struct tui_doc *d, enum tui_role role, const char *text);
void tui_doc_addf(struct tui_doc *d, enum tui_role role, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* A line mark at level 0 (bottom of the row) .. TUI_DOC_SCANS - 1 (top). */
void tui_doc_scan(struct tui_doc *d, enum tui_role role, unsigned int level);
/* Pad the current line with spaces up to column col. */
void tui_doc_pad(struct tui_doc *d, unsigned int col);
/* Append n block characters. */
void tui_doc_blocks(struct tui_doc *d, enum tui_role role, unsigned int n);

/* Draw lines [top, top + h) at y, x, w columns wide. */
void tui_doc_draw(const struct tui_doc *d, const struct tui_screen *s,
		  int y, int x, int w, int h, size_t top);

#endif /* !HVTOP_DOC_H */
