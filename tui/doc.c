// SPDX-License-Identifier: MIT
/*
 * Role-annotated text documents.
 */
#include "doc.h"

#include <stdarg.h>
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
	if (d->count == d->cap) {
		size_t cap = d->cap ? d->cap * 2 : 64;
		struct tui_doc_line *n = realloc(d->lines, cap * sizeof(*n));

		if (!n) {
			d->failed = 1;
			return;
		}
		d->lines = n;
		d->cap = cap;
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

void tui_doc_draw(const struct tui_doc *d, const struct tui_screen *s,
		  int y, int x, int w, int h, size_t top)
{
	int row;

	for (row = 0; row < h && top + (size_t)row < d->count; row++) {
		const struct tui_doc_line *l = &d->lines[top + (size_t)row];
		unsigned int i = 0;

		while (i < l->len && (int)i < w) {
			unsigned int j = i;
			char run[TUI_DOC_WIDTH + 1];

			while (j < l->len && (int)j < w && l->role[j] == l->role[i] &&
			       (l->text[j] == TUI_DOC_BLOCK) == (l->text[i] == TUI_DOC_BLOCK))
				j++;
			if (l->text[i] == TUI_DOC_BLOCK) {
				tui_fill(s, y + row, x + (int)i, (int)(j - i), l->role[i],
					 tui_block_char(s));
			} else {
				memcpy(run, l->text + i, j - i);
				run[j - i] = '\0';
				tui_put(s, y + row, x + (int)i, (int)(j - i), l->role[i], run);
			}
			i = j;
		}
	}
}
