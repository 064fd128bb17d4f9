/* SPDX-License-Identifier: MIT */
/*
 * The session's event log: every lifecycle change, refusal and failure
 * hvtop saw, with its wall-clock time, kept for the whole session (the
 * oldest go only past TUI_EVENTLOG_MAX, and the count of those is kept).
 * No curses here: filled by the app, read by the events view, tested on
 * its own.
 */
#ifndef HVTOP_EVENTLOG_H
#define HVTOP_EVENTLOG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include <hvctl/hvctl.h>

#define TUI_EVENTLOG_MAX	4096

enum tui_event_kind {
	TUI_EV_CHANGE = 0,	/* a cell appeared, went, or changed state */
	TUI_EV_REFUSED,		/* an action was refused or failed ("error") */
	TUI_EV_FAILURE,		/* a cell or CPU failed */
	TUI_EV_SYSTEM,		/* backend lost/back, enabled, disabled */
	TUI_EV_ACTION,		/* an action hvtop carried out */
};

struct tui_event {
	time_t when;
	enum tui_event_kind kind;
	char *text;		/* plain text, may be long (a full reason) */
};

struct tui_eventlog {
	struct tui_event *ev;	/* ring of cap entries */
	size_t cap, count, first;
	uint64_t dropped;
	/* What changed since the last snapshot: the library's diff. */
	struct hvctl_snapshot_diff *diff;
};

void tui_eventlog_init(struct tui_eventlog *l);
void tui_eventlog_free(struct tui_eventlog *l);
/* Add one entry (text is copied and made plain). 0 or -ENOMEM. */
int tui_eventlog_add(struct tui_eventlog *l, time_t when, enum tui_event_kind kind,
		     const char *text);
/*
 * Compare snap (may be NULL: the backend is gone) with the one before and
 * log what changed (hvctl_snapshot_diff, as hvctl events prints it): cells
 * created and destroyed, state changes, enable and disable; failures are
 * the alarm's to log. The first snapshot logs nothing but is remembered.
 */
void tui_eventlog_snapshot(struct tui_eventlog *l, const struct hvctl_snapshot *snap,
			   time_t when);
/* Entry i, 0 the oldest kept; NULL past the end. */
const struct tui_event *tui_eventlog_get(const struct tui_eventlog *l, size_t i);
/* "change", "error", "FAILED", "system", "action" */
const char *tui_event_kind_name(enum tui_event_kind kind);

#endif /* !HVTOP_EVENTLOG_H */
