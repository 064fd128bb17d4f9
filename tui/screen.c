// SPDX-License-Identifier: MIT
/*
 * Curses and CDK set-up, colours, drawing primitives.
 */
#include "screen.h"

#include <errno.h>
#include <locale.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "layout.h"

/* Find out how this CDK build treats "\<" (see tui_cdk_escape()). */
static enum tui_cdk_escape_mode probe_cdk_escape(void)
{
	int len = 0, align = 0;
	chtype *c = char2Chtype("\\<x", &len, &align);

	freeChtype(c);
	return len == 1 ? TUI_CDK_ESCAPE_SWALLOW : TUI_CDK_ESCAPE_PLAIN;
}

/*
 * --ascii: every line-drawing character, ours and CDK's, comes from
 * acs_map, so rewriting its entries switches the whole program.
 */
static void use_ascii_lines(void)
{
	static const char map[][2] = {
		{ 'l', '+' }, { 'k', '+' }, { 'm', '+' }, { 'j', '+' },
		{ 't', '+' }, { 'u', '+' }, { 'v', '+' }, { 'w', '+' },
		{ 'n', '+' }, { 'q', '-' }, { 'x', '|' }, { 'a', '#' },
		{ '0', '#' }, { '~', 'o' }, { '`', '+' }, { 'f', '\'' },
		{ 'g', '#' }, { ',', '<' }, { '+', '>' }, { '.', 'v' },
		{ '-', '^' }, { 'h', '#' }, { 'o', '-' }, { 's', '_' },
	};
	size_t i;

	for (i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		acs_map[(unsigned char)map[i][0]] = (chtype)(unsigned char)map[i][1];
}

int tui_screen_open(struct tui_screen *s, bool want_color, bool ascii,
		    bool *mono, char *err, size_t errlen)
{
	memset(s, 0, sizeof(*s));
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		snprintf(err, errlen, "hvtop needs a terminal on stdin and stdout "
			 "(use -b for batch output)");
		return -ENOTTY;
	}
	setlocale(LC_ALL, "");
	s->term = newterm(NULL, stdout, stdin);
	if (!s->term) {
		snprintf(err, errlen, "cannot initialise the terminal (TERM=%s)",
			 getenv("TERM") ? getenv("TERM") : "unset");
		return -EIO;
	}
	cbreak();
	noecho();
	keypad(stdscr, TRUE);
	nodelay(stdscr, TRUE);
	/* Esc must feel immediate; 50 ms still holds arrow sequences on
	 * SSH. ESCDELAY in the environment wins for slower links. */
	if (!getenv("ESCDELAY"))
		set_escdelay(50);
	curs_set(0);
	s->cdk = initCDKScreen(stdscr);
	if (!s->cdk) {
		endwin();
		delscreen(s->term);
		snprintf(err, errlen, "cannot initialise CDK");
		return -EIO;
	}
	s->cdk_escape = probe_cdk_escape();
	s->ascii = ascii;
	if (ascii)
		use_ascii_lines();
	s->color = want_color && has_colors();
	if (s->color) {
		start_color();
		use_default_colors();
		if (COLOR_PAIRS <= TUI_ROLE_COUNT)
			s->color = false;
	}
	*mono = !s->color;
	s->active = true;
	s->cols = COLS;
	s->rows = LINES;
	return 0;
}

void tui_screen_close(struct tui_screen *s)
{
	if (!s->active)
		return;
	destroyCDKScreen(s->cdk);
	s->cdk = NULL;
	curs_set(1);
	endwin();
	delscreen(s->term);
	s->term = NULL;
	s->active = false;
}

static chtype tui_attrs(unsigned int a)
{
	chtype r = A_NORMAL;

	if (a & TUI_ATTR_BOLD)
		r |= A_BOLD;
	if (a & TUI_ATTR_DIM)
		r |= A_DIM;
	if (a & TUI_ATTR_UNDERLINE)
		r |= A_UNDERLINE;
	if (a & TUI_ATTR_REVERSE)
		r |= A_REVERSE;
	if (a & TUI_ATTR_STANDOUT)
		r |= A_STANDOUT;
	if (a & TUI_ATTR_BLINK)
		r |= A_BLINK;
#ifdef A_ITALIC
	if (a & TUI_ATTR_ITALIC)
		r |= A_ITALIC;
#endif
	return r;
}

void tui_screen_apply_theme(struct tui_screen *s, const struct tui_theme *t)
{
	int i;

	for (i = 0; i < TUI_ROLE_COUNT; i++) {
		const struct tui_style *st = &t->style[i];
		chtype a = tui_attrs(st->attrs);

		if (s->color) {
			bool bold_fg = false, bold_bg = false;
			short fg = tui_color_fit(st->fg, COLORS, &bold_fg);
			short bg = tui_color_fit(st->bg, COLORS, &bold_bg);

			init_pair((short)(i + 1), fg, bg);
			a |= COLOR_PAIR(i + 1);
			if (bold_fg)
				a |= A_BOLD;
		}
		s->attr[i] = a;
	}
	bkgdset(' ' | s->attr[TUI_ROLE_NORMAL]);
}

void tui_screen_resize(struct tui_screen *s)
{
	s->cols = COLS;
	s->rows = LINES;
}

chtype tui_attr(const struct tui_screen *s, enum tui_role role)
{
	return (unsigned int)role < TUI_ROLE_COUNT ? s->attr[role] : A_NORMAL;
}

int tui_put(const struct tui_screen *s, int y, int x, int w, enum tui_role role,
	    const char *text)
{
	int len;

	if (y < 0 || y >= s->rows || x >= s->cols || x < 0)
		return 0;
	if (w < 0 || x + w > s->cols)
		w = s->cols - x;
	len = (int)strnlen(text, (size_t)w);
	if (len <= 0)
		return 0;
	attrset(tui_attr(s, role));
	/* The bottom-right cell cannot be written without scrolling. */
	if (y == s->rows - 1 && x + len == s->cols)
		len--;
	mvaddnstr(y, x, text, len);
	attrset(A_NORMAL);
	return len;
}

int tui_put_clip(const struct tui_screen *s, int y, int x, int w, enum tui_role role,
		 const char *text)
{
	int used;

	if (w < 0 || x + w > s->cols)
		w = s->cols - x;
	if (w <= 0)
		return 0;
	if ((int)strnlen(text, (size_t)w + 1) <= w)
		return tui_put(s, y, x, w, role, text);
	used = tui_put(s, y, x, w - 1, role, text);
	return used + tui_put(s, y, x + used, 1, role, ">");
}

int tui_putf(const struct tui_screen *s, int y, int x, int w, enum tui_role role,
	     const char *fmt, ...)
{
	char buf[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	return tui_put_clip(s, y, x, w, role, buf);
}

void tui_fill(const struct tui_screen *s, int y, int x, int w, enum tui_role role,
	      chtype ch)
{
	int i;

	if (y < 0 || y >= s->rows || x < 0)
		return;
	if (x + w > s->cols)
		w = s->cols - x;
	if (y == s->rows - 1 && x + w == s->cols)
		w--;
	attrset(tui_attr(s, role));
	for (i = 0; i < w; i++)
		mvaddch(y, x + i, ch ? ch : ' ');
	attrset(A_NORMAL);
}

void tui_put_pad(const struct tui_screen *s, int y, int x, int w,
		 enum tui_role role, const char *text, bool right)
{
	int len = (int)strlen(text);

	if (w <= 0)
		return;
	tui_fill(s, y, x, w, role, 0);
	if (len > w) {
		/* Too long, aligned either way: its start, and '>' for the cut. */
		tui_put_clip(s, y, x, w, role, text);
		return;
	}
	if (right)
		tui_put(s, y, x + w - len, len, role, text);
	else
		tui_put(s, y, x, w, role, text);
}

void tui_put_header(const struct tui_screen *s, int y, int x, int w,
		    enum tui_role role, const char *title, bool right, int dir)
{
	int len = (int)strlen(title), at;
	chtype arrow;

	if (!dir || w < 2) {
		tui_put_pad(s, y, x, w, role, title, right);
		return;
	}
	/* The arrow keeps the last column free for itself. */
	tui_put_pad(s, y, x, w - 1, role, title, right);
	tui_fill(s, y, x + w - 1, 1, role, 0);
	at = right || len >= w - 1 ? x + w - 1 : x + len;
	if (s->ascii)
		arrow = dir < 0 ? 'v' : '^';
	else
		arrow = dir < 0 ? ACS_DARROW : ACS_UARROW;
	tui_fill(s, y, at, 1, role, arrow);
}

void tui_dim(const struct tui_screen *s, int y, int h)
{
	/* A terminal without dim (TERM=screen) gets the picture without colour. */
	bool dim = termattrs() & A_DIM;
	int r, x;

	for (r = y; r < y + h && r < s->rows; r++) {
		for (x = 0; x < s->cols; x++) {
			chtype c = mvinch(r, x);

			/* Bold and standout would undo the dimming on most terminals. */
			mvaddch(r, x, dim ? (c & ~(A_BOLD | A_STANDOUT)) | A_DIM :
				c & (A_CHARTEXT | A_ALTCHARSET));
		}
	}
}

chtype tui_hline_char(const struct tui_screen *s)
{
	return s->ascii ? '-' : ACS_HLINE;
}

chtype tui_vline_char(const struct tui_screen *s)
{
	return s->ascii ? '|' : ACS_VLINE;
}

chtype tui_block_char(const struct tui_screen *s)
{
	return s->ascii ? '#' : ' ' | A_REVERSE;
}

chtype tui_scan_char(const struct tui_screen *s, unsigned int level)
{
	static const char ascii[] = "_.-'";

	if (level > 3)
		level = 3;
	if (s->ascii)
		return (chtype)(unsigned char)ascii[level];
	/* The VT100 scan lines; curses falls back to ASCII where there are none. */
	switch (level) {
	case 0:
		return ACS_S9;
	case 1:
		return ACS_S7;
	case 2:
		return ACS_S3;
	default:
		return ACS_S1;
	}
}

void tui_gauge(const struct tui_screen *s, int y, int x, int w,
	       uint64_t used, uint64_t total, const char *label)
{
	int lw = (int)strlen(label), bar = w - lw - 3, fill;
	enum tui_role role;

	if (bar < 4) {
		tui_put(s, y, x, w, TUI_ROLE_VALUE, label);
		return;
	}
	fill = tui_gauge_fill(used, total, bar);
	role = total && used * 10 >= total * 9 ? TUI_ROLE_GAUGE_HIGH : TUI_ROLE_GAUGE_FILL;
	tui_put(s, y, x, 1, TUI_ROLE_BORDER, "[");
	tui_fill(s, y, x + 1, fill, role, '|');
	tui_fill(s, y, x + 1 + fill, bar - fill, TUI_ROLE_GAUGE_EMPTY, ' ');
	tui_put(s, y, x + 1 + bar, 1, TUI_ROLE_BORDER, "]");
	tui_put(s, y, x + bar + 3, lw, TUI_ROLE_VALUE, label);
}

void tui_cdk_text(const struct tui_screen *s, char *dst, size_t n, const char *src)
{
	char clean[1024];

	hvctl_sanitize_str(clean, sizeof(clean), src);
	tui_cdk_escape(dst, n, clean, s->cdk_escape);
}
