// SPDX-License-Identifier: MIT
/*
 * Fuzz hvtop --replay's parser (tui/replay.c). Whatever it accepts must
 * hold together as the views read it: every CPU's owner lists that CPU,
 * cells ascend by ID, lists match their counts; whatever it refuses
 * names the file and a line, and leaves nothing behind.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "replay.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(const struct tui_replay_frame *f)
{
	const struct hvctl_snapshot *s = &f->snap;
	size_t i;
	unsigned int k;

	for (i = 0; i < s->num_cells; i++) {
		const struct hvctl_cell_info *c = &s->cells[i];

		if (i && c->id <= s->cells[i - 1].id)
			abort();
		if (!c->state_name || !c->cpus_list || !c->failed_list)
			abort();
		for (k = 0; k < c->num_cpus; k++)
			if (c->cpus[k] >= s->num_cpus || s->cpus[c->cpus[k]].cell != (int)i)
				abort();
		for (k = 0; k < c->num_failed; k++)
			if (!s->cpus[c->failed_cpus[k]].failed)
				abort();
		if (c->stats.rate_valid && !s->num_stats)
			abort();
	}
	for (k = 0; k < s->num_cpus; k++)
		if (s->cpus[k].cell >= (int)s->num_cells)
			abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tui_replay r;
	char err[512];
	size_t i;

	if (tui_replay_parse(&r, (const char *)data, size, "fuzz.json", err, sizeof(err))) {
		if (strncmp(err, "fuzz.json:", 10) || r.count || r.frames)
			abort();
		return 0;
	}
	if (!r.count)
		abort();
	for (i = 0; i < r.count; i++) {
		check(&r.frames[i]);
		(void)tui_replay_gap_ms(&r, i);
	}
	tui_replay_free(&r);
	return 0;
}
