// SPDX-License-Identifier: MIT
/*
 * The session's event log (eventlog.h).
 */
#include "eventlog.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void tui_eventlog_init(struct tui_eventlog *l)
{
	memset(l, 0, sizeof(*l));
}

void tui_eventlog_free(struct tui_eventlog *l)
{
	size_t i;

	for (i = 0; i < l->count; i++)
		free(l->ev[(l->first + i) % l->cap].text);
	free(l->ev);
	hvctl_snapshot_diff_free(l->diff);
	memset(l, 0, sizeof(*l));
}

int tui_eventlog_add(struct tui_eventlog *l, time_t when, enum tui_event_kind kind,
		     const char *text)
{
	size_t len = strlen(text) + 1;
	struct tui_event *e;
	char *copy;

	if (!l->ev) {
		l->ev = calloc(TUI_EVENTLOG_MAX, sizeof(*l->ev));
		if (!l->ev)
			return -ENOMEM;
		l->cap = TUI_EVENTLOG_MAX;
	}
	copy = malloc(len);
	if (!copy)
		return -ENOMEM;
	/* Messages can quote guest or config text: keep them plain. */
	hvctl_sanitize_str(copy, len, text);
	if (l->count == l->cap) {
		free(l->ev[l->first].text);
		l->first = (l->first + 1) % l->cap;
		l->count--;
		l->dropped++;
	}
	e = &l->ev[(l->first + l->count) % l->cap];
	e->when = when;
	e->kind = kind;
	e->text = copy;
	l->count++;
	return 0;
}

const struct tui_event *tui_eventlog_get(const struct tui_eventlog *l, size_t i)
{
	return i < l->count ? &l->ev[(l->first + i) % l->cap] : NULL;
}

const char *tui_event_kind_name(enum tui_event_kind kind)
{
	switch (kind) {
	case TUI_EV_CHANGE:
		return "change";
	case TUI_EV_REFUSED:
		return "error";
	case TUI_EV_FAILURE:
		return "FAILED";
	case TUI_EV_SYSTEM:
		return "system";
	case TUI_EV_ACTION:
		return "action";
	}
	return "?";
}

void tui_eventlog_snapshot(struct tui_eventlog *l, const struct hvctl_snapshot *snap,
			   time_t when)
{
	char msg[2 * HVCTL_CELL_NAME_MAX + 128];
	struct hvctl_change *changes;
	size_t n, i;

	if (!snap)
		return;
	if (!l->diff && hvctl_snapshot_diff_new(&l->diff))
		return;
	if (hvctl_snapshot_diff(l->diff, snap, &changes, &n))
		return;
	for (i = 0; i < n; i++) {
		/* alarm.c logs failures, with the alarm they raise. */
		if (changes[i].kind == HVCTL_CHANGE_FAILED)
			continue;
		hvctl_change_text(&changes[i], msg, sizeof(msg));
		tui_eventlog_add(l, when, changes[i].kind == HVCTL_CHANGE_ENABLED ||
				 changes[i].kind == HVCTL_CHANGE_DISABLED ?
				 TUI_EV_SYSTEM : TUI_EV_CHANGE, msg);
	}
	hvctl_changes_free(changes, n);
}
