/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * What changed between two snapshots, as lifecycle news: the hypervisor
 * enabled or disabled, cells created and destroyed, a cell's state
 * changing, a cell's CPUs failing. `hvctl events` prints these and hvtop
 * logs them; both ask this module, so both tell the same story.
 *
 * A struct hvctl_snapshot_diff remembers what it needs of the snapshot it
 * saw last (the caller may free or reuse that snapshot at once):
 *
 *	hvctl_snapshot_diff_new(&d);
 *	for each snapshot s:
 *		hvctl_snapshot_diff(d, s, &changes, &n);
 *		for each change: hvctl_change_text(&changes[i], ...)
 *		hvctl_changes_free(changes, n);
 *	hvctl_snapshot_diff_free(d);
 */
#ifndef HVCTL_CHANGES_H
#define HVCTL_CHANGES_H

#include <stdbool.h>
#include <stddef.h>

#include <hvctl/common.h>
#include <hvctl/state.h>

enum hvctl_change_kind {
	HVCTL_CHANGE_ENABLED,		/* the hypervisor came on */
	HVCTL_CHANGE_DISABLED,		/* ... and went off */
	HVCTL_CHANGE_DESTROYED,		/* a cell went (id, name) */
	HVCTL_CHANGE_CREATED,		/* a cell came (id, name, state) */
	HVCTL_CHANGE_STATE,		/* old_state -> state */
	/*
	 * CPUs of the cell failed (failed_list), or the failure record
	 * changed: news once, not at every snapshot while they stay failed.
	 */
	HVCTL_CHANGE_FAILED,
};

struct hvctl_change {
	enum hvctl_change_kind kind;
	int id;				/* the cell; -1 for ENABLED/DISABLED */
	char name[HVCTL_CELL_NAME_MAX + 1];
	enum hvctl_cell_state old_state, state;
	char *failed_list;		/* FAILED: "2-3"; else NULL */
	char *failure;			/* FAILED: the record, or NULL */
};

struct hvctl_snapshot_diff;

HVCTL_EXPORT int hvctl_snapshot_diff_new(struct hvctl_snapshot_diff **out);
HVCTL_EXPORT void hvctl_snapshot_diff_free(struct hvctl_snapshot_diff *d);

/*
 * Compare snap with the snapshot d saw last and remember snap: the
 * changes, in this order: enabled or disabled, cells destroyed, then per
 * cell of snap created or changed state, and failed. The first snapshot
 * is the baseline and gives none. The root cell (ID 0) comes and goes
 * only with the hypervisor: a read in the middle of an enable or disable
 * can see "enabled" and the root cell disagree, so the hypervisor counts
 * as enabled once both say so, and the root's going is the disable, not
 * a destroy. *out (free with hvctl_changes_free) may be NULL when *count
 * is 0. 0, or -ENOMEM with d unchanged.
 */
HVCTL_EXPORT int hvctl_snapshot_diff(struct hvctl_snapshot_diff *d,
				     const struct hvctl_snapshot *snap,
				     struct hvctl_change **out, size_t *count);
HVCTL_EXPORT void hvctl_changes_free(struct hvctl_change *changes,
				     size_t count);

/*
 * The change as one line of text ("cell \"rtos\" (ID 1): running ->
 * shut down"), names as the snapshot had them (not yet made printable).
 * Returns what snprintf would.
 */
HVCTL_EXPORT int hvctl_change_text(const struct hvctl_change *c, char *buf,
				   size_t size);

#endif /* !HVCTL_CHANGES_H */
