/* SPDX-License-Identifier: MIT */
/*
 * Replay (hvtop --replay FILE): the snapshots a session recorded with
 * `hvtop -b --json` (one JSON object per line, in the schema of
 * doc/snapshot-schema.json; pretty-printed objects one after the other
 * are read too) turned back into snapshots the model can show.
 *
 * The file is hostile input: a size cap, a snapshot cap, NUL bytes and
 * every member checked for type and range, and an error names the file,
 * the line and the member. A last object cut off by the end of the file
 * (a recording that was killed) is left out with a warning; anything
 * else malformed refuses the whole file. No curses here, so the parser
 * is unit-tested and fuzzed on its own.
 */
#ifndef HVTOP_REPLAY_H
#define HVTOP_REPLAY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include <hvctl/hvctl.h>

/* Limits for a recording: far above any real session, well below harm. */
#define TUI_REPLAY_MAX_BYTES	(256u << 20)
#define TUI_REPLAY_MAX_FRAMES	200000u
#define TUI_REPLAY_MAX_CELLS	1024u
#define TUI_REPLAY_MAX_CPUS	4096u

/* One recorded snapshot. */
struct tui_replay_frame {
	struct hvctl_snapshot snap;	/* what the model is given */
	time_t time;			/* recorded wall clock; 0: not recorded */
	unsigned long line;		/* where it starts in the file */
	double interval;		/* seconds its rates span; 0: none */
	char uri[128];			/* the recorded backend */
	/* Per cell, as recorded (memory_bytes, shared_bytes); -1: null/absent. */
	int64_t *mem_owned, *mem_shared;
	/* Storage the snapshot points into. */
	struct hvctl_cell_info *cells;
	struct hvctl_cpu_info *cpus;
	const char **stat_names;
	void **owned;			/* CPU arrays and strings, each malloc'd */
	size_t num_owned, cap_owned;
};

struct tui_replay {
	char path[4096];
	struct tui_replay_frame *frames;
	size_t count;
	/* Set when the last object was cut off and left out. */
	char warning[4400];
};

/*
 * Parse text (len bytes, need not be NUL-terminated) named name in
 * messages. On error r is left empty and err says "NAME:LINE: why".
 * 0, -EINVAL (malformed), -E2BIG (over a limit) or -ENOMEM.
 */
int tui_replay_parse(struct tui_replay *r, const char *text, size_t len,
		     const char *name, char *err, size_t errlen);
/* Read and parse a file (at most TUI_REPLAY_MAX_BYTES). */
int tui_replay_load(struct tui_replay *r, const char *path, char *err, size_t errlen);
void tui_replay_free(struct tui_replay *r);

/* The snapshot's recorded pause before frame i + 1, in ms (1000 when unknown). */
unsigned int tui_replay_gap_ms(const struct tui_replay *r, size_t i);

#endif /* !HVTOP_REPLAY_H */
