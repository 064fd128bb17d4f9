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
	free(l->cells);
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

static int find_old(const struct tui_eventlog *l, int id)
{
	size_t i;

	for (i = 0; i < l->num_cells; i++)
		if (l->cells[i].id == id)
			return (int)i;
	return -1;
}

static bool in_snap(const struct hvctl_snapshot *snap, int id)
{
	size_t i;

	for (i = 0; i < snap->num_cells; i++)
		if (snap->cells[i].id == id)
			return true;
	return false;
}

void tui_eventlog_snapshot(struct tui_eventlog *l, const struct hvctl_snapshot *snap,
			   time_t when)
{
	char msg[2 * HVCTL_CELL_NAME_MAX + 128];
	bool enabled;
	size_t i;
	void *cells;

	if (!snap)
		return;
	/*
	 * As in hvctl events: a read in the middle of an enable or disable can
	 * see "enabled" and the root cell (ID 0) disagree; the hypervisor is
	 * on once both say so, and the root's going is the disable.
	 */
	enabled = snap->system.enabled && in_snap(snap, 0);
	if (l->have_snap && enabled != l->enabled)
		tui_eventlog_add(l, when, TUI_EV_SYSTEM, enabled ?
				 "hypervisor enabled" : "hypervisor disabled");
	if (l->have_snap) {
		for (i = 0; i < l->num_cells; i++) {
			if (in_snap(snap, l->cells[i].id) ||
			    (l->cells[i].id == 0 && !enabled))
				continue;
			snprintf(msg, sizeof(msg), "cell \"%s\" (ID %d) destroyed",
				 l->cells[i].name, l->cells[i].id);
			tui_eventlog_add(l, when, TUI_EV_CHANGE, msg);
		}
		for (i = 0; i < snap->num_cells; i++) {
			const struct hvctl_cell_info *c = &snap->cells[i];
			int o = find_old(l, c->id);

			if (o < 0) {
				snprintf(msg, sizeof(msg), "cell \"%s\" (ID %d) created: %s",
					 c->name, c->id, hvctl_cell_state_name(c->state));
				tui_eventlog_add(l, when, TUI_EV_CHANGE, msg);
			} else if (l->cells[o].state != c->state) {
				snprintf(msg, sizeof(msg), "cell \"%s\" (ID %d): %s -> %s",
					 c->name, c->id,
					 hvctl_cell_state_name(l->cells[o].state),
					 hvctl_cell_state_name(c->state));
				tui_eventlog_add(l, when, TUI_EV_CHANGE, msg);
			}
		}
	}
	/* Remember this one for the next comparison. */
	cells = realloc(l->cells, (snap->num_cells ? snap->num_cells : 1) * sizeof(*l->cells));
	if (!cells)
		return;
	l->cells = cells;
	for (i = 0; i < snap->num_cells; i++) {
		l->cells[i].id = snap->cells[i].id;
		snprintf(l->cells[i].name, sizeof(l->cells[i].name), "%s", snap->cells[i].name);
		l->cells[i].state = snap->cells[i].state;
		l->cells[i].num_failed = snap->cells[i].num_failed;
	}
	l->num_cells = snap->num_cells;
	l->enabled = enabled;
	l->have_snap = true;
}
