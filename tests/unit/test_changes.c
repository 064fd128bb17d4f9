// SPDX-License-Identifier: MIT
/*
 * hvctl_snapshot_diff: the lifecycle changes between snapshots that hvctl
 * events prints and hvtop logs (created, destroyed, state, enable and
 * disable with the root cell's mid-read disagreement, failures once).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <hvctl/hvctl.h>

static struct hvctl_cell_info cells[3];
static struct hvctl_snapshot snap;

static void set_cell(int i, int id, const char *name,
		     enum hvctl_cell_state st)
{
	memset(&cells[i], 0, sizeof(cells[i]));
	cells[i].id = id;
	strcpy(cells[i].name, name);
	cells[i].state = st;
}

static const struct hvctl_snapshot *snap_of(size_t n, bool enabled)
{
	memset(&snap, 0, sizeof(snap));
	snap.system.enabled = enabled;
	snap.num_cells = n;
	snap.cells = cells;
	return &snap;
}

/* The changes of the next snapshot as text, one line each. */
static char *diff_text(struct hvctl_snapshot_diff *d,
		       const struct hvctl_snapshot *s)
{
	static char out[4096];
	struct hvctl_change *ch;
	size_t n, i, o = 0;
	char line[512];

	assert_int_equal(hvctl_snapshot_diff(d, s, &ch, &n), 0);
	out[0] = '\0';
	for (i = 0; i < n; i++) {
		hvctl_change_text(&ch[i], line, sizeof(line));
		o += (size_t)snprintf(out + o, sizeof(out) - o, "%d|%s\n",
				      (int)ch[i].kind, line);
	}
	hvctl_changes_free(ch, n);
	return out;
}

static void changes__lifecycle(void **state)
{
	struct hvctl_snapshot_diff *d;
	char want[1024];

	(void)state;
	assert_int_equal(hvctl_snapshot_diff_new(&d), 0);
	/* Disabled, then the first snapshot is the baseline: nothing. */
	assert_string_equal(diff_text(d, snap_of(0, false)), "");
	assert_string_equal(diff_text(d, snap_of(0, false)), "");
	/* Mid-enable: "enabled" says 1 but no root cell yet: still off. */
	assert_string_equal(diff_text(d, snap_of(0, true)), "");
	set_cell(0, 0, "root", HVCTL_CELL_RUNNING);
	snprintf(want, sizeof(want), "%d|hypervisor enabled\n%d|cell \"root\" (ID 0) created: running\n",
		 HVCTL_CHANGE_ENABLED, HVCTL_CHANGE_CREATED);
	assert_string_equal(diff_text(d, snap_of(1, true)), want);
	/* A cell appears, then changes state. */
	set_cell(1, 1, "rtos", HVCTL_CELL_SHUT_DOWN);
	snprintf(want, sizeof(want), "%d|cell \"rtos\" (ID 1) created: shut down\n",
		 HVCTL_CHANGE_CREATED);
	assert_string_equal(diff_text(d, snap_of(2, true)), want);
	cells[1].state = HVCTL_CELL_RUNNING;
	snprintf(want, sizeof(want), "%d|cell \"rtos\" (ID 1): shut down -> running\n",
		 HVCTL_CHANGE_STATE);
	assert_string_equal(diff_text(d, snap_of(2, true)), want);
	/* Nothing changed: nothing said. */
	assert_string_equal(diff_text(d, snap_of(2, true)), "");
	/* Gone. */
	snprintf(want, sizeof(want), "%d|cell \"rtos\" (ID 1) destroyed\n",
		 HVCTL_CHANGE_DESTROYED);
	assert_string_equal(diff_text(d, snap_of(1, true)), want);
	/* Mid-disable the root is gone but "enabled" still 1: the disable. */
	snprintf(want, sizeof(want), "%d|hypervisor disabled\n",
		 HVCTL_CHANGE_DISABLED);
	assert_string_equal(diff_text(d, snap_of(0, true)), want);
	assert_string_equal(diff_text(d, snap_of(0, false)), "");
	hvctl_snapshot_diff_free(d);
}

static void changes__failure_once(void **state)
{
	struct hvctl_snapshot_diff *d;
	char want[1024];

	(void)state;
	assert_int_equal(hvctl_snapshot_diff_new(&d), 0);
	set_cell(0, 0, "root", HVCTL_CELL_RUNNING);
	set_cell(1, 1, "rtos", HVCTL_CELL_RUNNING);
	assert_string_equal(diff_text(d, snap_of(2, true)), "");
	/* CPU 2 fails without a recorded reason, the state with it. */
	cells[1].state = HVCTL_CELL_FAILED;
	cells[1].num_failed = 1;
	cells[1].failed_list = "2";
	snprintf(want, sizeof(want), "%d|cell \"rtos\" (ID 1): running -> failed\n"
		 "%d|cell \"rtos\" (ID 1), CPU 2: no reason recorded (see hvctl console)\n",
		 HVCTL_CHANGE_STATE, HVCTL_CHANGE_FAILED);
	assert_string_equal(diff_text(d, snap_of(2, true)), want);
	/* Still failed, same record: said once only. */
	assert_string_equal(diff_text(d, snap_of(2, true)), "");
	/* The record appears: news again, with the reason. */
	cells[1].failure = "2 data-abort 0x80000000\n";
	snprintf(want, sizeof(want), "%d|cell \"rtos\" (ID 1), CPU 2: 2 data-abort 0x80000000\n\n",
		 HVCTL_CHANGE_FAILED);
	assert_string_equal(diff_text(d, snap_of(2, true)), want);
	assert_string_equal(diff_text(d, snap_of(2, true)), "");
	/* The snapshot the diff saw may go: it kept its own copy. */
	cells[1].failure = NULL;
	cells[1].num_failed = 0;
	cells[1].failed_list = NULL;
	cells[1].state = HVCTL_CELL_SHUT_DOWN;
	strcpy(cells[1].name, "x\033[2J");
	snprintf(want, sizeof(want), "%d|cell \"x\033[2J\" (ID 1): failed -> shut down\n",
		 HVCTL_CHANGE_STATE);
	assert_string_equal(diff_text(d, snap_of(2, true)), want);
	hvctl_snapshot_diff_free(d);
	/* Freeing nothing is fine. */
	hvctl_snapshot_diff_free(NULL);
	hvctl_changes_free(NULL, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(changes__lifecycle),
		cmocka_unit_test(changes__failure_once),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
