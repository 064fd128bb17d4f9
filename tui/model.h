/* SPDX-License-Identifier: MIT */
/*
 * hvtop's model: the latest libhvctl snapshot plus what the screen needs
 * derived from it (rows with owned memory and rates, rate histories,
 * the memory layout and ivshmem links from libhvctl), and sorting and
 * filtering.
 *
 * No curses here: the model is updated and tested on its own, and the
 * views only read it.
 */
#ifndef HVTOP_MODEL_H
#define HVTOP_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <hvctl/hvctl.h>

#include "history.h"
#include "memmap.h"
#include "sort.h"
#include "theme.h"

#define TUI_HISTORY_LEN		120
/*
 * A rate is only shown when it spans at least tui_model.min_interval
 * seconds (hvtop: one whole refresh interval). A snapshot taken sooner
 * after the baseline (a view switch, Ctrl-L, a state change) keeps the
 * rates of the last whole interval and leaves the baseline alone, so a
 * rate is never measured over a moment (0, or a burst blown up).
 */
#define TUI_RATE_MIN_INTERVAL	1.0

struct tui_cell_hist {
	int id;
	char name[HVCTL_CELL_NAME_MAX + 1];
	bool seen;
	struct tui_history total;
	struct tui_history reason[HVCTL_STATS_MAX];
};

struct tui_cell_row {
	const struct hvctl_cell_info *cell;
	char tag;			/* one character for the CPU strip */
	enum tui_role owner_role;
	bool mem_known;			/* the cell's config is known */
	uint64_t mem_owned;		/* bytes it has alone */
	uint64_t mem_shared;		/* bytes shared (root-shared, ivshmem) */
	bool rate_valid;
	double rate;			/* VM exits per second */
	uint64_t total;			/* VM exits */
	struct hvctl_counters stats;
	struct tui_cell_hist *hist;
};

struct tui_cpu_row {
	unsigned int cpu;
	const struct hvctl_cpu_info *info;
	const struct tui_cell_row *owner;	/* NULL when free */
	bool rate_valid;
	double rate;
	uint64_t total;
	struct hvctl_counters stats;
};

struct tui_model {
	struct hvctl_snapshot *snap;	/* owned; NULL before the first */
	/*
	 * The rate baseline, owned like snap (it may be snap itself): the
	 * latest snapshot taken min_interval or more after the baseline
	 * before it, or one that read counters that baseline lacked.
	 */
	struct hvctl_snapshot *base;
	/* Rates over a shorter interval are not shown (0: all are). */
	double min_interval;
	/* How snapshots are released: hvctl_snapshot_free(), or the tests'. */
	void (*release)(struct hvctl_snapshot *snap);
	int total_index;		/* of "vmexits_total", or -1 */

	struct tui_cell_row *cells;	/* like snap->cells */
	size_t num_cells;
	struct tui_cpu_row *cpus;	/* like snap->cpus */
	size_t num_cpus;

	struct tui_cell_hist *hist;
	size_t num_hist, cap_hist;
	struct tui_history *cpu_hist;	/* per CPU number */
	int *cpu_hist_owner;
	size_t num_cpu_hist;

	/* Rebuilt when the cell set or the configs known change. */
	uint64_t derived_sig;
	bool derived_valid;
	struct hvctl_layout memmap;
	struct hvctl_links links;
	/*
	 * Hex digits of an address column (tui_addr_digits() of the largest
	 * address in the layout, physical or guest-physical): the memory
	 * map and the detail view print every address this wide.
	 */
	int addr_digits;
};

void tui_model_init(struct tui_model *m);
void tui_model_free(struct tui_model *m);

/*
 * Take snap (ownership passes, also on error) and refresh everything
 * derived from it. snap may be NULL: the backend is gone; rows empty,
 * histories kept. 0 or -ENOMEM.
 */
int tui_model_update(struct tui_model *m, struct hvctl_snapshot *snap);

/* The baseline the next snapshot's rates are measured from, or NULL. */
const struct hvctl_snapshot *tui_model_baseline(const struct tui_model *m);

const struct tui_cell_row *tui_model_cell(const struct tui_model *m, int id);
const struct tui_cpu_row *tui_model_cpu(const struct tui_model *m, unsigned int cpu);

/*
 * The rows to show, in order: indices into m->cells (m->cpus), filtered
 * by filter (see tui_filter_match(); matched against "ID NAME STATE",
 * for CPUs "CPU OWNER STATE"). idx must hold num_cells (num_cpus).
 * Returns the count.
 */
size_t tui_model_cell_order(const struct tui_model *m, enum tui_cell_sort key,
			    bool reverse, const char *filter, size_t *idx);
size_t tui_model_cpu_order(const struct tui_model *m, enum tui_cpu_sort key,
			   bool reverse, const char *filter, size_t *idx);

/* '0'..'9', 'a'..'z', 'A'..'Z', then '*'. */
char tui_cell_tag(int id);
enum tui_role tui_state_role(enum hvctl_cell_state state);
/* "running", "parked", "failed", "stopped", "free" */
const char *tui_cpu_state_name(const struct tui_cpu_row *row);
enum tui_role tui_cpu_state_role(const struct tui_cpu_row *row);

#endif /* !HVTOP_MODEL_H */
