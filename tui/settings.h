/* SPDX-License-Identifier: MIT */
/*
 * hvtop settings: ~/.config/hvtop/config.json (XDG_CONFIG_HOME honoured).
 *
 * The file is JSON and may be edited by hand. Keys hvtop does not know
 * are kept when it saves; a file that fails to parse, or was written by
 * a newer hvtop, is never overwritten. Saving replaces the file
 * atomically. The command line wins over the file for one run and is
 * not saved; what the user changes with keys is saved on exit.
 */
#ifndef HVTOP_SETTINGS_H
#define HVTOP_SETTINGS_H

#include <stdbool.h>
#include <stddef.h>

#include "paths.h"

#define TUI_SETTINGS_VERSION	1
#define TUI_REFRESH_MIN_MS	200
#define TUI_REFRESH_MAX_MS	60000
#define TUI_REFRESH_DEFAULT_MS	2000
#define TUI_CONSOLE_LINES_MIN	100
#define TUI_CONSOLE_LINES_MAX	1000000
#define TUI_CONSOLE_LINES_DEFAULT 10000
#define TUI_SETTINGS_MAX_KEYS	32

struct json_object;

struct tui_key_override {
	char action[32];
	char keys[96];
};

struct tui_settings {
	unsigned int refresh_ms;
	char view[16];			/* "cells", "cpus", ... */
	char cells_sort[16];
	bool cells_sort_reverse;
	char cpus_sort[16];
	bool cpus_sort_reverse;
	char theme[64];
	bool color;
	bool ascii;
	unsigned int console_lines;
	char config_dir[TUI_PATH_MAX];	/* last directory of the create dialog */
	char image_dir[TUI_PATH_MAX];	/* last directory of the load dialog */
	struct tui_key_override keys[TUI_SETTINGS_MAX_KEYS];
	unsigned int num_keys;

	/* The file as read, so unknown keys survive a save. */
	struct json_object *raw;
	/* Never write the file back (bad or newer file, or --no-config). */
	bool no_save;
	/* Something was changed by the user since loading. */
	bool dirty;
};

void tui_settings_defaults(struct tui_settings *s);
void tui_settings_free(struct tui_settings *s);

/* Default location of the file. 0 or -ENOENT (no HOME, no XDG_CONFIG_HOME). */
int tui_settings_path(char *buf, size_t n);

/*
 * Parse JSON text into s. On error s keeps its previous values, no_save
 * is set and err says "source: field: reason". Unknown keys are not an
 * error; warn (may be NULL) names the first one.
 */
int tui_settings_parse(struct tui_settings *s, const char *text,
		       const char *source, char *err, size_t errlen,
		       char *warn, size_t warnlen);

/* Read the file; a missing file leaves the defaults and returns 0. */
int tui_settings_load(struct tui_settings *s, const char *path,
		      char *err, size_t errlen, char *warn, size_t warnlen);

/* The JSON text to save (caller frees), or NULL without memory. */
char *tui_settings_to_json(const struct tui_settings *s);

/* Create the directory if needed and replace the file atomically. */
int tui_settings_save(const struct tui_settings *s, const char *path,
		      char *err, size_t errlen);

/* Step the refresh interval along 0.2 .. 60 s; dir > 0 means longer. */
unsigned int tui_refresh_step(unsigned int ms, int dir);

#endif /* !HVTOP_SETTINGS_H */
