// SPDX-License-Identifier: MIT
/*
 * Role-annotated text documents.
 */
#include "doc.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void tui_doc_init(struct tui_doc *d)
{
	memset(d, 0, sizeof(*d));
}

void tui_doc_free(struct tui_doc *d)
{
	free(d->lines);
	tui_doc_init(d);
}

void tui_doc_newline(struct tui_doc *d)
{
	if (d->failed)
		return;
	if (hvctl_grow(&d->lines, &d->cap, d->count + 1, sizeof(*d->lines))) {
		d->failed = 1;
		return;
	}
	d->lines[d->count].len = 0;
	d->lines[d->count].text[0] = '\0';
	d->count++;
}

static struct tui_doc_line *cur(struct tui_doc *d)
{
	if (!d->count)
		tui_doc_newline(d);
	return d->count ? &d->lines[d->count - 1] : NULL;
}

static void put_char(struct tui_doc_line *l, enum tui_role role, char c)
{
	if (l->len >= TUI_DOC_WIDTH)
		return;
	l->text[l->len] = c;
	l->role[l->len] = (unsigned char)role;
	l->len++;
	l->text[l->len] = '\0';
}

void tui_doc_add(struct tui_doc *d, enum tui_role role, const char *text)
{
	struct tui_doc_line *l = cur(d);

	if (!l)
		return;
	for (; *text; text++)
		put_char(l, role, *text);
}

void tui_doc_addf(struct tui_doc *d, enum tui_role role, const char *fmt, ...)
{
	char buf[TUI_DOC_WIDTH + 1];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	tui_doc_add(d, role, buf);
}

void tui_doc_pad(struct tui_doc *d, unsigned int col)
{
	struct tui_doc_line *l = cur(d);

	while (l && l->len < col && l->len < TUI_DOC_WIDTH)
		put_char(l, TUI_ROLE_NORMAL, ' ');
}

void tui_doc_blocks(struct tui_doc *d, enum tui_role role, unsigned int n)
{
	struct tui_doc_line *l = cur(d);

	while (l && n--)
		put_char(l, role, TUI_DOC_BLOCK);
}

void tui_doc_scan(struct tui_doc *d, enum tui_role role, unsigned int level)
{
	struct tui_doc_line *l = cur(d);

	if (l)
		put_char(l, role, (char)(TUI_DOC_SCAN0 +
					 (level < TUI_DOC_SCANS ? level : TUI_DOC_SCANS - 1)));
}

/* A character drawn as a glyph of its own (block, line marks). */
static bool special(char c)
{
	return c >= TUI_DOC_BLOCK && c < TUI_DOC_SCAN0 + TUI_DOC_SCANS;
}

void tui_doc_draw(const struct tui_doc *d, const struct tui_screen *s,
		  int y, int x, int w, int h, size_t top)
{
	int row;

	for (row = 0; row < h && top + (size_t)row < d->count; row++) {
		const struct tui_doc_line *l = &d->lines[top + (size_t)row];
		unsigned int i = 0;
		/* A line wider than w keeps its last column for the cut mark. */
		bool cut = w > 0 && l->len > (unsigned int)w;
		int lim = cut ? w - 1 : w;

		while (i < l->len && (int)i < lim) {
			unsigned int j = i;
			char run[TUI_DOC_WIDTH + 1];

			while (j < l->len && (int)j < lim && l->role[j] == l->role[i] &&
			       (special(l->text[i]) ? l->text[j] == l->text[i] :
				!special(l->text[j])))
				j++;
			if (l->text[i] == TUI_DOC_BLOCK) {
				tui_fill(s, y + row, x + (int)i, (int)(j - i), l->role[i],
					 tui_block_char(s));
			} else if (special(l->text[i])) {
				tui_fill(s, y + row, x + (int)i, (int)(j - i), l->role[i],
					 tui_scan_char(s, (unsigned int)(l->text[i] - TUI_DOC_SCAN0)));
			} else {
				memcpy(run, l->text + i, j - i);
				run[j - i] = '\0';
				tui_put(s, y + row, x + (int)i, (int)(j - i), l->role[i], run);
			}
			i = j;
		}
		if (cut)
			tui_put(s, y + row, x + w - 1, 1, l->role[w - 1], ">");
	}
}
