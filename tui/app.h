/* SPDX-License-Identifier: MIT */
/*
 * hvtop's application state and the pieces that act on it: the event
 * loop (app.c), the frame (draw.c), the views (view.h: one file and one
 * table of operations each, view_*.c), console sources
 * (consoles.c), dialogs (dialog.c), actions (actions.c), batch output
 * (batch.c) and the demo (demo.c).
 *
 * Data flows one way: events and timers update the model, keys change
 * view state or start actions, and a frame is drawn from both when
 * something is dirty. Drawing never changes state.
 */
#ifndef HVTOP_APP_H
#define HVTOP_APP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include <hvctl/hvctl.h>

#include "conbuf.h"
#include "eventlog.h"
#include "keymap.h"
#include "layout.h"
#include "model.h"
#include "recall.h"
#include "replay.h"
#include "screen.h"
#include "settings.h"
#include "sort.h"
#include "theme.h"
#include "view.h"

struct tui_options {
	const char *uri;		/* -c */
	unsigned int refresh_ms;	/* -d; 0: from settings */
	bool batch;			/* -b */
	long iterations;		/* -n; 0: unlimited */
	bool json;			/* --json */
	bool readonly;			/* --readonly */
	bool no_color;			/* -C, --no-color, NO_COLOR */
	bool ascii;			/* --ascii */
	const char *theme;		/* --theme */
	const char *view;		/* --view */
	bool no_config;			/* --no-config */
	bool demo;			/* --demo */
	const char *demo_board;		/* --demo=NAME: configs/NAME; NULL: sim */
	bool no_mouse;			/* --no-mouse */
	const char *replay;		/* --replay FILE */
};

/* Where the last cell table was drawn, for mouse clicks. */
#define TUI_HIT_ROWS	256
#define TUI_HIT_COLS	16
struct tui_table_hit {
	int header_y;			/* -1: none drawn */
	int first_y, rows;		/* rows of cells from first_y */
	int ids[TUI_HIT_ROWS];		/* the cell ID on each */
	int ncols;
	int col_x[TUI_HIT_COLS], col_w[TUI_HIT_COLS];
	int col_sort[TUI_HIT_COLS];	/* enum tui_cell_sort, -1: none */
};

struct tui_console_src {
	int cell_id;			/* HVCTL_CONSOLE_HYPERVISOR or a cell */
	char name[HVCTL_CELL_NAME_MAX + 1];
	struct hvctl_console *reader;	/* NULL: not open */
	struct tui_conbuf buf;
	bool present;			/* the cell still exists */
	char why[160];			/* why there is no reader, or "" */
	bool follow;
	uint64_t top;			/* first line shown when not following */
	int hscroll;
	int64_t match;			/* line of the current search hit, -1 */
	uint64_t unseen;		/* lines added while not followed */
};

struct tui_prompt {
	bool active;
	enum tui_action kind;		/* TUI_ACT_FILTER or TUI_ACT_SEARCH */
	char text[128];
	char saved[128];		/* restored by Esc */
};

struct tui_dialog;

/* F6's list of sort columns, over the table it sorts (sortpick.c). */
struct tui_sort_picker {
	bool active;
	bool cpus;			/* the CPUs table, else the cells table */
	int sel;			/* the highlighted sort key */
	int y, x, w, rows;		/* where it was drawn, for clicks */
};

/* A cell in alarm as last seen: a new failure is announced once. */
#define TUI_ALARMS_MAX	256
struct tui_alarm {
	int id;
	unsigned int failed;		/* failed CPUs, +1 when the cell failed */
};

/* Redraw flags, drained once per loop turn. */
#define TUI_DIRTY_FRAME		0x1u
#define TUI_DIRTY_FULL		0x2u	/* clearok: the terminal may be garbled */
#define TUI_DIRTY_LAYOUT	0x4u	/* size changed: rebuild dialogs too */

struct tui_app {
	struct tui_options opts;
	char exe_dir[TUI_PATH_MAX];

	struct tui_settings settings;
	char settings_path[TUI_PATH_MAX];
	struct tui_keymap keys;
	struct tui_theme theme;
	bool mono;
	struct tui_screen scr;
	struct tui_layout lay;

	bool readonly;
	char readonly_why[160];

	struct hvctl_ctx *ctx;
	int event_fd;			/* -1: poll on the timer only */
	bool connected;
	bool was_connected;		/* at some time since start */
	char conn_msg[HVCTL_ERROR_MAX];
	/*
	 * Wall clock of the last snapshot read. While the backend is gone
	 * the model keeps that snapshot, and the views show it dimmed as
	 * "stale since" this time (tui_app_stale()).
	 */
	time_t last_good;
	struct tui_model model;
	uint64_t refreshes;

	enum tui_view view;
	void *view_state[TUI_VIEW_COUNT];	/* each view's own (view.h) */
	bool help_open;
	int help_top;

	int cells_sel_id;		/* the selected cell, followed across views */
	struct tui_table_hit hit;	/* the current view's cell table */
	char filter[TUI_VIEW_COUNT][128];
	struct tui_prompt prompt;
	struct tui_sort_picker picker;

	struct tui_console_src *cons;
	size_t num_cons;
	size_t con_cur;
	char search[128];

	struct tui_dialog *dialog;	/* the modal dialog, or NULL */

	bool paused;
	time_t paused_at;		/* wall clock when paused */
	bool quit;
	uint64_t next_refresh;		/* monotonic ms */
	unsigned int dirty;
	bool relayout_pending;		/* dialog to rebuild when it fits */

	struct tui_eventlog events;	/* this session's (view_events.c) */
	struct tui_recall recall;	/* cells seen created, loaded, destroyed */
	bool dir_chosen;		/* a file was chosen in a selector this session */
	struct tui_alarm alarms[TUI_ALARMS_MAX];
	size_t num_alarms;

	char status[512];
	enum tui_role status_role;
	uint64_t status_until;		/* monotonic ms; 0: until replaced */

	/* --replay: the recording shown instead of a backend (ctx is NULL) */
	struct tui_replay *replay;
	size_t replay_cur;		/* the frame on screen */
	int replay_speed;		/* 2^replay_speed times the recorded pace */

	/* --demo: the simulated board hvtop started (its configs/NAME is demo_cfg) */
	int demo_pid;
	char demo_dir[TUI_PATH_MAX];
	char demo_cfg[TUI_PATH_MAX];	/* configs/NAME the board comes from */
};

/* ---- app.c ---- */
uint64_t tui_now_ms(void);
int tui_app_init(struct tui_app *app, const struct tui_options *opts,
		 char *err, size_t errlen);
/* Run until quit; returns the exit status. */
int tui_app_run(struct tui_app *app);
void tui_app_fini(struct tui_app *app);
/* Take a snapshot now (also reconnects); updates model and consoles. */
void tui_app_refresh(struct tui_app *app);
/* The backend is gone and the model holds the last state it read. */
bool tui_app_stale(const struct tui_app *app);
/* A status message; errors and done actions also go to the event log. */
void tui_app_status(struct tui_app *app, enum tui_role role, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* The same, logged as kind instead (-1: not logged). */
void tui_app_status_as(struct tui_app *app, enum tui_role role, int kind,
		       const char *fmt, ...) __attribute__((format(printf, 4, 5)));
/* Which per-CPU statistics the current view needs. */
int tui_app_cpu_stats(const struct tui_app *app);
/* The key table for what is on screen now. */
enum tui_keyctx tui_app_keyctx(const struct tui_app *app);
/* The cell the user means: the current view's, or the selected one. */
const struct tui_cell_row *tui_app_selected_cell(const struct tui_app *app);
/* Switch view (closes help and prompt; refreshes when the view needs it). */
void tui_app_set_view(struct tui_app *app, enum tui_view v);
/* Show a cell's console in the console view. */
void tui_app_show_console(struct tui_app *app, int cell_id);
/* View v's own state (view.h). */
void *tui_view_state(const struct tui_app *app, enum tui_view v);

/* ---- draw.c ---- */
void tui_draw_frame(struct tui_app *app);
/* The tab drawn at column x of the tab line, or -1. */
int tui_tab_at(const struct tui_app *app, int x);
/* Help lines for the current context (for the help screen and tests). */
size_t tui_help_lines(const struct tui_app *app, char (*lines)[160], size_t max);

/* ---- helpers the views share (view_cells.c) ---- */
/*
 * The one scrolling rule: a row index (a selection or the first line
 * shown) after a movement action (up, down, page up/down by `page`, home,
 * end = `last`), kept within 0..last; -1 when `a` is not a movement.
 */
int tui_scroll_move(int idx, enum tui_action a, int page, int last);
/* Selection after a movement action in a list of count rows; -1: not one. */
int tui_list_move(int idx, int count, enum tui_action a, int page);
/*
 * First line shown of a page that its drawer clamps: End asks for the
 * last page (TUI_SCROLL_END, clamped when drawn).
 */
#define TUI_SCROLL_END	(1 << 20)
/* A message in the middle of the body (disconnected, disabled, empty). */
void tui_view_message(struct tui_app *app, int y, int h, enum tui_role role,
		      const char *line1, const char *line2);
/* False, with a message in the body, unless connected and enabled. */
bool tui_view_have_system(struct tui_app *app, int y, int h);
/* The CPU strip (a character per CPU) in at most max_rows; rows used. */
int tui_cells_strip(struct tui_app *app, int y, int max_rows);
/* The pool gauges on one line or two; returns the rows used. */
int tui_cells_gauges(struct tui_app *app, int y, bool two_lines);
/*
 * The cell table (header and rows) in rows y .. y + h - 1, sorted as the
 * cells view is, filtered by view fv's filter, scrolled by *top; with
 * history, a sparkline of each cell's exit rate when the width allows.
 * Returns the rows used.
 */
int tui_cells_table(struct tui_app *app, int y, int h, enum tui_view fv, int *top,
		    bool history);
/* A click on the cell table at y, x: select a row or sort by a column. */
bool tui_cells_click(struct tui_app *app, int y, int x);
/* A key for a cell table shown in view fv (page: rows per page). */
bool tui_cells_key(struct tui_app *app, enum tui_view fv, int page, enum tui_action a);

/* Sort the cell table by key: a new column in its own direction
 * (tui_cell_sort_desc_first()), the current one the other way round. */
void tui_cells_sort_choose(struct tui_app *app, enum tui_cell_sort key);
/* The cell table's sort key and whether it is descending. */
enum tui_cell_sort tui_cells_sort_key(const struct tui_app *app, bool *desc);
/* The title of the cell table's column for key. */
const char *tui_cells_sort_title(enum tui_cell_sort key);

/* ---- view_cpus.c ---- */
/* As the tui_cells_sort_* ones, for the CPUs table. */
void tui_cpus_sort_choose(struct tui_app *app, enum tui_cpu_sort key);
enum tui_cpu_sort tui_cpus_sort_key(const struct tui_app *app, bool *desc);
const char *tui_cpus_sort_title(enum tui_cpu_sort key);

/* ---- sortpick.c ---- */
/* Open F6's list of sort columns for the cells (cpus false) or CPUs table. */
void tui_sortpick_open(struct tui_app *app, bool cpus);
/* A key while the list is open (it takes every key). */
void tui_sortpick_key(struct tui_app *app, enum tui_action a, int key);
/* A click while it is open: an entry chooses it, elsewhere closes. */
void tui_sortpick_click(struct tui_app *app, int y, int x);
/* Draw it over the view. */
void tui_sortpick_draw(struct tui_app *app);

/* ---- view_detail.c ---- */
/* Show one cell in detail (cpu: one CPU's counters, or -1 for all). */
void tui_app_open_detail(struct tui_app *app, int cell_id, int cpu);
/* Leave the detail if it shows cell_id (-1: whatever it shows). */
void tui_app_close_detail(struct tui_app *app, int cell_id);

/* ---- consoles.c ---- */
/* Match the sources to the cells of the current snapshot. */
void tui_consoles_sync(struct tui_app *app);
/* Read new output of one source (cell_id) or all (-2). */
void tui_consoles_read(struct tui_app *app, int cell_id);
void tui_consoles_note_all(struct tui_app *app, const char *text);
void tui_consoles_free(struct tui_app *app);
struct tui_console_src *tui_console_current(struct tui_app *app);

/* ---- alarm.c ---- */
/* The cell failed, or one of its CPUs did. */
bool tui_alarm_cell(const struct hvctl_cell_info *ci);
/* Cells in alarm in the current snapshot. */
size_t tui_alarm_count(const struct tui_model *m);
/*
 * Why the cell is in alarm: its failure record (CPU FAULT ADDRESS per
 * line), else the hypervisor console's reason line, else a note that
 * none is known (then false). "" and false when it is not in alarm.
 */
bool tui_alarm_reason(const struct tui_app *app, const struct hvctl_cell_info *ci,
		      char *buf, size_t n);
/* After a snapshot: a new failure goes to the status line. */
void tui_alarm_update(struct tui_app *app);

/* ---- actions.c ---- */
/* Start an action that changes the system (dialogs as needed). */
void tui_action_run(struct tui_app *app, enum tui_action a);
/* Adopt read-only mode with a reason (shown when an action is tried). */
void tui_app_set_readonly(struct tui_app *app, const char *why);

/* ---- export.c ---- */
/* Ask for a file and write the cell's running config there as JSON. */
/* The row's cell ID for a dialog callback (the caller frees it); NULL,
 * said on the status line, when its running config is not known. */
int *tui_config_cell_id(struct tui_app *app, const struct tui_cell_row *row);
void tui_export_config(struct tui_app *app, const struct tui_cell_row *row);

/* ---- diff.c ---- */
/* Ask for a config file and show how the cell's running config differs. */
void tui_diff_config(struct tui_app *app, const struct tui_cell_row *row);

/* ---- playback.c ---- */
/* Load FILE for --replay; the app becomes read-only. */
int tui_playback_open(struct tui_app *app, const char *path, char *err, size_t errlen);
void tui_playback_close(struct tui_app *app);
const struct tui_replay_frame *tui_playback_frame(const struct tui_app *app);
/* Show the current recorded snapshot (what a refresh is in a replay). */
void tui_playback_show(struct tui_app *app);
/* The first snapshot; then each next one when its time has come. */
void tui_playback_start(struct tui_app *app);
void tui_playback_advance(struct tui_app *app);
/* Pause, step and speed keys; false for any other action. */
bool tui_playback_key(struct tui_app *app, enum tui_action a);
/* The title's parts: "hvtop  REPLAY FILE", position and speed, recorded time. */
void tui_playback_title(const struct tui_app *app, char *left, size_t nl,
			char *right, size_t nr, char *when, size_t nw);

/* ---- batch.c ---- */
int tui_batch_run(const struct tui_options *opts);

/* ---- demo.c ---- */
/*
 * Find configs/NAME (--demo=NAME, default sim) and start hvsim with its
 * board.json in a temporary directory; sets *uri to "sim:DIR".
 */
int tui_demo_start(struct tui_app *app, char *uri, size_t urilen,
		   char *err, size_t errlen);
/* Enable with NAME's system.json, then create, load and start its cells. */
int tui_demo_populate(struct tui_app *app, char *err, size_t errlen);
/* Stop hvsim and remove the directory; safe to call twice. */
void tui_demo_stop(struct tui_app *app);
/* SIGTERM/SIGHUP/SIGINT set this; the loop then exits and cleans up. */
extern volatile int tui_stop_signal;
void tui_install_stop_signals(void);

#endif /* !HVTOP_APP_H */
