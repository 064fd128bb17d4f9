/* SPDX-License-Identifier: MIT */
/*
 * Themes: a colour and attribute style for every semantic role hvtop
 * draws. Drawing code names roles only; theme files map roles to styles.
 *
 * Theme file format (files NAME.theme under themes/), one rule per line:
 *
 *	# comment
 *	role  FG  BG  [ATTR...]
 *
 * FG and BG: default, black, red, green, yellow, blue, magenta, cyan,
 * white, bright-<colour>, or colorN (0..255). ATTR: bold, dim,
 * underline, reverse, standout, blink, italic, normal. Roles not named
 * keep the built-in default theme's style.
 */
#ifndef HVTOP_THEME_H
#define HVTOP_THEME_H

#include <stdbool.h>
#include <stddef.h>

#include "paths.h"

enum tui_role {
	TUI_ROLE_NORMAL = 0,
	TUI_ROLE_TITLE,
	TUI_ROLE_HEADER,
	TUI_ROLE_HEADER_SORT,
	TUI_ROLE_SELECTED,
	TUI_ROLE_BORDER,
	TUI_ROLE_DIM,
	TUI_ROLE_LABEL,
	TUI_ROLE_VALUE,
	TUI_ROLE_KEYBAR_KEY,
	TUI_ROLE_KEYBAR_LABEL,
	TUI_ROLE_STATUS,
	TUI_ROLE_STATUS_ERROR,
	TUI_ROLE_STATUS_OK,
	TUI_ROLE_WARNING,
	TUI_ROLE_STATE_RUNNING,
	TUI_ROLE_STATE_LOCKED,
	TUI_ROLE_STATE_SHUTDOWN,
	TUI_ROLE_STATE_FAILED,
	TUI_ROLE_STATE_OTHER,
	TUI_ROLE_GAUGE_FILL,
	TUI_ROLE_GAUGE_HIGH,
	TUI_ROLE_GAUGE_EMPTY,
	TUI_ROLE_GRAPH,
	TUI_ROLE_CPU_FREE,
	TUI_ROLE_CPU_FAILED,
	TUI_ROLE_OWNER0,
	TUI_ROLE_OWNER1,
	TUI_ROLE_OWNER2,
	TUI_ROLE_OWNER3,
	TUI_ROLE_OWNER4,
	TUI_ROLE_OWNER5,
	TUI_ROLE_OWNER6,
	TUI_ROLE_OWNER7,
	TUI_ROLE_MEM_HYPERVISOR,
	TUI_ROLE_MEM_ROOTSHARED,
	TUI_ROLE_MEM_IVSHMEM,
	TUI_ROLE_MEM_COMM,
	TUI_ROLE_MEM_IO,
	TUI_ROLE_MEM_GAP,
	TUI_ROLE_CONSOLE_TEXT,
	TUI_ROLE_CONSOLE_LOST,
	TUI_ROLE_CONSOLE_NOTE,
	TUI_ROLE_CONSOLE_MATCH,
	TUI_ROLE_HELP_KEY,
	TUI_ROLE_HELP_TEXT,
	TUI_ROLE_TOO_SMALL,
	TUI_ROLE_COUNT
};

#define TUI_OWNER_COLOURS	8

/* Attribute bits (mapped to curses attributes by the screen). */
#define TUI_ATTR_BOLD		0x01u
#define TUI_ATTR_DIM		0x02u
#define TUI_ATTR_UNDERLINE	0x04u
#define TUI_ATTR_REVERSE	0x08u
#define TUI_ATTR_STANDOUT	0x10u
#define TUI_ATTR_BLINK		0x20u
#define TUI_ATTR_ITALIC		0x40u

#define TUI_COLOR_DEFAULT	(-1)

struct tui_style {
	short fg;		/* TUI_COLOR_DEFAULT or 0..255 */
	short bg;
	unsigned int attrs;	/* TUI_ATTR_* */
};

#define TUI_THEME_NAME_MAX	64

struct tui_theme {
	char name[TUI_THEME_NAME_MAX];
	struct tui_style style[TUI_ROLE_COUNT];
};

const char *tui_role_name(enum tui_role role);
/* Returns the role or -1. */
int tui_role_from_name(const char *name);

/* Colour name to number (TUI_COLOR_DEFAULT, 0..255); -2 when unknown. */
int tui_color_from_name(const char *name);

/*
 * A colour for a terminal with ncolors colours: bright colours become
 * their base colour plus bold, colours of the 256-colour cube and grey
 * ramp the nearest of the eight basic ones. *bold (may be NULL) is set
 * when bold should make up for the lost brightness.
 */
short tui_color_fit(short color, int ncolors, bool *bold);

void tui_theme_builtin_default(struct tui_theme *t);
/* Attributes only: for --no-color, NO_COLOR and terminals without colour. */
void tui_theme_builtin_mono(struct tui_theme *t);

/*
 * Apply the rules in text on top of t. On error nothing in t changes and
 * err says "source:line: reason". Returns 0 or -EINVAL.
 */
int tui_theme_parse(struct tui_theme *t, const char *text, const char *source,
		    char *err, size_t errlen);

/* Built-in default, then the file's rules. -errno with err filled. */
int tui_theme_load_file(struct tui_theme *t, const char *path,
			char *err, size_t errlen);

/*
 * Where the theme called name lives: name itself when it contains a '/',
 * else NAME.theme in, in order, $XDG_CONFIG_HOME/hvtop/themes (or
 * ~/.config/hvtop/themes), the themes/ directory next to the executable
 * or up to two levels above it (build tree), and
 * <exe_dir>/../share/hvtop/themes (install prefix). exe_dir may be NULL.
 * Returns 0 with the path in out, or -ENOENT with err listing where it
 * looked.
 */
int tui_theme_find(char *out, size_t outlen, const char *name,
		   const char *exe_dir, char *err, size_t errlen);

/* The directories tui_theme_find() searches, for listing themes. */
size_t tui_theme_dirs(char (*dirs)[TUI_PATH_MAX], size_t max,
		      const char *exe_dir);

#endif /* !HVTOP_THEME_H */
