/* SPDX-License-Identifier: MIT */
/*
 * Modal dialogs built from CDK widgets (confirmation, file selection,
 * text entry, information), driven by hvtop's own event loop: keys are
 * injected one at a time, so refreshes, events and resizes go on while a
 * dialog is open. On resize the widget is rebuilt with its state.
 */
#ifndef HVTOP_DIALOG_H
#define HVTOP_DIALOG_H

#include <stdbool.h>

#include "app.h"

enum tui_dialog_kind {
	TUI_DLG_CONFIRM = 0,	/* message and buttons */
	TUI_DLG_INFO,		/* message and OK */
	TUI_DLG_FILE,		/* CDK file selector */
	TUI_DLG_ENTRY,		/* one line of text */
};

/* FILE: which files the selector lists (directories always). */
enum tui_file_filter {
	TUI_FILES_ALL = 0,
	TUI_FILES_CONFIGS,	/* *.json and *.cell */
	TUI_FILES_IMAGES,	/* anything but configs */
};

/* Is name (a file, not a directory) one filter f lists? */
bool tui_file_fits(enum tui_file_filter f, const char *name);

#define TUI_DLG_MAX_LINES	40
#define TUI_DLG_MAX_BUTTONS	3

/*
 * Called once when the dialog ends: ok is false for Esc or a "cancel"
 * button; button is the index chosen (CONFIRM), value the path (FILE) or
 * text (ENTRY). The callback may open the next dialog.
 */
typedef void (*tui_dialog_done)(struct tui_app *app, bool ok, int button,
				const char *value, void *data);

struct tui_dialog_spec {
	enum tui_dialog_kind kind;
	const char *title;
	/* Message lines, plain text (escaped for CDK here). */
	const char *lines[TUI_DLG_MAX_LINES];
	unsigned int num_lines;
	/* CONFIRM: button labels; the last one cancels. */
	const char *buttons[TUI_DLG_MAX_BUTTONS];
	unsigned int num_buttons;
	unsigned int default_button;
	const char *dir;	/* FILE: where to start */
	enum tui_file_filter filter;	/* FILE: what it lists */
	const char *label;	/* ENTRY: label left of the field */
	const char *initial;	/* ENTRY: initial text */
};

/* Open a dialog (replacing any). data is freed with free_data (may be NULL). */
int tui_dialog_open(struct tui_app *app, const struct tui_dialog_spec *spec,
		    tui_dialog_done done, void *data, void (*free_data)(void *));
/* One key for the dialog; may finish it (and call done). */
void tui_dialog_key(struct tui_app *app, int key);
/* Draw it over the frame just drawn. */
void tui_dialog_draw(struct tui_app *app);
/* Rebuild for a new terminal size. */
void tui_dialog_relayout(struct tui_app *app);
/* Cancel without calling done (quitting). */
void tui_dialog_close(struct tui_app *app);

/*
 * A file selector on the directory configs were last chosen from, else
 * the shipped configs (actions.c), listing what filter lets through.
 */
void tui_choose_file(struct tui_app *app, const char *title, enum tui_file_filter filter,
		     tui_dialog_done done, void *data, void (*free_data)(void *));

#endif /* !HVTOP_DIALOG_H */
