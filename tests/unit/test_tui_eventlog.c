// SPDX-License-Identifier: MIT
/*
 * hvtop's event log: what a change between two snapshots logs, plain
 * text for hostile names, and the session bound.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "eventlog.h"

static struct hvctl_cell_info cells[3];

static void set_cell(int i, int id, const char *name, enum hvctl_cell_state st)
{
	memset(&cells[i], 0, sizeof(cells[i]));
	cells[i].id = id;
	strcpy(cells[i].name, name);
	cells[i].state = st;
}

static void snap_of(struct hvctl_snapshot *s, size_t n, bool enabled)
{
	memset(s, 0, sizeof(*s));
	s->system.enabled = enabled;
	s->num_cells = n;
	s->cells = cells;
}

static void eventlog__changes(void **state)
{
	struct tui_eventlog l;
	struct hvctl_snapshot s;

	(void)state;
	tui_eventlog_init(&l);
	set_cell(0, 0, "root", HVCTL_CELL_RUNNING);
	set_cell(1, 1, "rtos", HVCTL_CELL_SHUT_DOWN);
	snap_of(&s, 2, true);
	/* The first snapshot is the baseline: nothing logged. */
	tui_eventlog_snapshot(&l, &s, 100);
	assert_int_equal(l.count, 0);
	/* rtos starts, a cell "x\e[2J" appears. */
	cells[1].state = HVCTL_CELL_RUNNING;
	set_cell(2, 2, "x\033[2J", HVCTL_CELL_SHUT_DOWN);
	snap_of(&s, 3, true);
	tui_eventlog_snapshot(&l, &s, 101);
	assert_int_equal(l.count, 2);
	assert_string_equal(tui_eventlog_get(&l, 0)->text,
			    "cell \"rtos\" (ID 1): shut down -> running");
	assert_int_equal(tui_eventlog_get(&l, 0)->when, 101);
	assert_int_equal(tui_eventlog_get(&l, 0)->kind, TUI_EV_CHANGE);
	assert_null(strchr(tui_eventlog_get(&l, 1)->text, '\033'));
	assert_non_null(strstr(tui_eventlog_get(&l, 1)->text, "(ID 2) created: shut down"));
	/* rtos fails, the new cell goes, the hypervisor is disabled. */
	cells[1].state = HVCTL_CELL_FAILED;
	snap_of(&s, 2, true);
	tui_eventlog_snapshot(&l, &s, 102);
	assert_int_equal(l.count, 4);
	assert_string_equal(tui_eventlog_get(&l, 3)->text,
			    "cell \"rtos\" (ID 1): running -> failed");
	assert_non_null(strstr(tui_eventlog_get(&l, 2)->text, "(ID 2) destroyed"));
	/*
	 * Read in the middle of the disable: the root cell is gone while
	 * "enabled" still says 1. That is the disable (logged once), not the
	 * root cell destroyed; rtos going with it is logged.
	 */
	memmove(&cells[0], &cells[1], sizeof(cells[0]));
	snap_of(&s, 0, true);
	tui_eventlog_snapshot(&l, &s, 103);
	assert_string_equal(tui_eventlog_get(&l, 4)->text, "hypervisor disabled");
	assert_int_equal(tui_eventlog_get(&l, 4)->kind, TUI_EV_SYSTEM);
	assert_int_equal(l.count, 6);
	assert_non_null(strstr(tui_eventlog_get(&l, 5)->text, "\"rtos\" (ID 1) destroyed"));
	snap_of(&s, 0, false);
	tui_eventlog_snapshot(&l, &s, 104);
	assert_int_equal(l.count, 6);
	/* The backend gone: nothing to compare, nothing logged. */
	tui_eventlog_snapshot(&l, NULL, 105);
	assert_int_equal(l.count, 6);
	tui_eventlog_free(&l);
}

static void eventlog__bounded(void **state)
{
	struct tui_eventlog l;
	char text[32];
	unsigned int i;

	(void)state;
	tui_eventlog_init(&l);
	for (i = 0; i < TUI_EVENTLOG_MAX + 10; i++) {
		snprintf(text, sizeof(text), "event %u", i);
		assert_int_equal(tui_eventlog_add(&l, i, TUI_EV_REFUSED, text), 0);
	}
	assert_int_equal(l.count, TUI_EVENTLOG_MAX);
	assert_int_equal(l.dropped, 10);
	assert_string_equal(tui_eventlog_get(&l, 0)->text, "event 10");
	assert_null(tui_eventlog_get(&l, TUI_EVENTLOG_MAX));
	assert_string_equal(tui_event_kind_name(TUI_EV_REFUSED), "error");
	tui_eventlog_free(&l);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(eventlog__changes),
		cmocka_unit_test(eventlog__bounded),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
