/* SPDX-License-Identifier: MIT */
/*
 * The terminal: curses and CDK set-up, colours from the theme, line
 * drawing (ACS or ASCII), and clipped drawing primitives on stdscr.
 */
#ifndef HVTOP_SCREEN_H
#define HVTOP_SCREEN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cdk/cdk.h>

#include "text.h"
#include "theme.h"

struct tui_screen {
	bool active;
	bool color;		/* colour pairs in use */
	bool ascii;		/* plain ASCII instead of line drawing */
	int cols, rows;
	SCREEN *term;
	CDKSCREEN *cdk;
	enum tui_cdk_escape_mode cdk_escape;
	chtype attr[TUI_ROLE_COUNT];
};

/*
 * Start curses on the terminal (stdin/stdout) and CDK on top. want_color
 * false, or a terminal without colours, gives monochrome (*mono set).
 * Returns 0, or -ENOTTY / -EIO with err filled.
 */
int tui_screen_open(struct tui_screen *s, bool want_color, bool ascii,
		    bool *mono, char *err, size_t errlen);
void tui_screen_close(struct tui_screen *s);

/* Colour pairs and attributes for every role. */
void tui_screen_apply_theme(struct tui_screen *s, const struct tui_theme *t);

/* After KEY_RESIZE: pick up the new size. */
void tui_screen_resize(struct tui_screen *s);

chtype tui_attr(const struct tui_screen *s, enum tui_role role);

/* Text clipped to width w (w < 0: to the screen edge); returns columns used. */
int tui_put(const struct tui_screen *s, int y, int x, int w, enum tui_role role,
	    const char *text);
/* As tui_put, but text cut short ends in '>' so the cut shows. */
int tui_put_clip(const struct tui_screen *s, int y, int x, int w, enum tui_role role,
		 const char *text);
/* Formatted, then as tui_put_clip: a cut is marked. */
int tui_putf(const struct tui_screen *s, int y, int x, int w, enum tui_role role,
	     const char *fmt, ...) __attribute__((format(printf, 6, 7)));
/* Exactly w columns: text left- or right-aligned, padded with spaces. */
void tui_put_pad(const struct tui_screen *s, int y, int x, int w,
		 enum tui_role role, const char *text, bool right);
/*
 * A column header, w columns: its title aligned as the column is, and
 * when the table is sorted by it (dir 1 ascending, -1 descending, 0
 * not), an arrow after the title (ASCII '^' and 'v' with --ascii).
 */
void tui_put_header(const struct tui_screen *s, int y, int x, int w,
		    enum tui_role role, const char *title, bool right, int dir);
/* Rows y .. y + h - 1 as drawn so far, dimmed (a stale picture). */
void tui_dim(const struct tui_screen *s, int y, int h);
/* w columns of ch (ch 0: spaces). */
void tui_fill(const struct tui_screen *s, int y, int x, int w, enum tui_role role,
	      chtype ch);
/* Lines that follow --ascii. */
chtype tui_hline_char(const struct tui_screen *s);
chtype tui_vline_char(const struct tui_screen *s);
chtype tui_block_char(const struct tui_screen *s);
/* A horizontal line at level 0 (bottom of the cell) .. 3 (top). */
chtype tui_scan_char(const struct tui_screen *s, unsigned int level);

/* "[|||||     ] " gauge with the label right of it, w columns in all. */
void tui_gauge(const struct tui_screen *s, int y, int x, int w,
	       uint64_t used, uint64_t total, const char *label);

/* CDK-safe copy of untrusted text (sanitised, markup escaped). */
void tui_cdk_text(const struct tui_screen *s, char *dst, size_t n, const char *src);

#endif /* !HVTOP_SCREEN_H */
