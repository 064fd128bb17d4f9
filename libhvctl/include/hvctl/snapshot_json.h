/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * A snapshot as JSON: the one writer behind `hvctl cell list --json`,
 * `hvctl cell stats --json` and `hvtop -b --json`, so scripts read one
 * schema (doc/snapshot-schema.json, described in doc/hvctl.1 under "JSON
 * output"). The text is valid UTF-8 whatever bytes cell names hold.
 *
 * What the snapshot read decides what is written: counters and rates
 * when it read counters, per-CPU counters for the cells it read them
 * for, memory owned when it read configs. Members are only ever added;
 * a change that renames or removes one raises HVCTL_SNAPSHOT_SCHEMA.
 */
#ifndef HVCTL_SNAPSHOT_JSON_H
#define HVCTL_SNAPSHOT_JSON_H

#include <stdint.h>

#include <hvctl/common.h>
#include <hvctl/state.h>

/* The "schema_version" every snapshot object carries. */
#define HVCTL_SNAPSHOT_SCHEMA	1

/* Indented over several lines (else one line, as for a log). */
#define HVCTL_JSON_PRETTY	(1u << 0)

struct hvctl_snapshot_json {
	unsigned int flags;	/* HVCTL_JSON_* */
	const char *uri;	/* the backend, as hvctl_uri() names it */
	int64_t time;		/* seconds since the epoch; 0: no "time" member */
	double interval;	/* seconds the rates span; <= 0: null */
	int only_cell;		/* write only the cell of this ID; -1: all */
};

/*
 * Write snap as one JSON object (no trailing newline) into *out, which
 * the caller frees with free(). 0 or -ENOMEM.
 */
HVCTL_EXPORT int hvctl_snapshot_to_json(const struct hvctl_snapshot *snap,
					const struct hvctl_snapshot_json *opts,
					char **out);

#endif /* !HVCTL_SNAPSHOT_JSON_H */
