/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * State snapshots: the system, every cell, CPU ownership, pools and,
 * when asked for, statistics and configs, with per-second rates from real
 * (monotonic) elapsed time.
 *
 * A snapshot is one self-contained, read-only block owned by the caller:
 * it stays valid after later snapshots and after hvctl_close(), until
 * hvctl_snapshot_free(). Taking one is cheap enough for a screen that
 * refreshes every second or two: files stay open between snapshots and
 * are re-read at offset 0; names, CPU sets and configs are re-read only
 * when the set of cells changed. The caller says what it needs
 * (HVCTL_READ_*), and nothing else is read.
 *
 * Rates. A snapshot's rates are measured against the baseline the caller
 * passes (prev: an earlier snapshot of the same context); nothing in the
 * context moves between snapshots, so any number of snapshots, the
 * library's own included, leave the caller's baseline alone.
 * Hypervisor counters are 31 bits wide and a CPU's counters restart at
 * zero when it moves to another cell. A rate is the counter's increase
 * modulo 2^31 since prev. When the counter may have restarted in between
 * (the cell was re-created, its CPU set changed, the CPU moved) and no
 * per-CPU values allow an exact answer, rate_valid is false instead of
 * showing a bogus or negative rate. A cell's rate uses per-CPU values when
 * both snapshots read them, so a cell that gains or loses a CPU keeps a
 * valid rate. An increase of 2^30 or more within one interval (far beyond
 * what any CPU does in a refresh period) is taken for an unseen restart,
 * too.
 */
#ifndef HVCTL_STATE_H
#define HVCTL_STATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <hvctl/common.h>
#include <hvctl/config.h>
#include <hvctl/runtime.h>

/* More than any architecture has (arm64 9, 32-bit ARM 10, x86 12). */
#define HVCTL_STATS_MAX		16

enum hvctl_cell_state {
	HVCTL_CELL_RUNNING = 0,
	HVCTL_CELL_RUNNING_LOCKED = 1,
	HVCTL_CELL_SHUT_DOWN = 2,
	HVCTL_CELL_FAILED = 3,
	HVCTL_CELL_FAILED_COMM_REV = 4,
	HVCTL_CELL_INVALID = 5,
};

/* The sysfs spelling: "running", "shut down", ..., "invalid". */
HVCTL_EXPORT const char *hvctl_cell_state_name(enum hvctl_cell_state state);

/* Where a cell's config came from. */
enum hvctl_config_origin {
	HVCTL_CONFIG_UNKNOWN = 0,
	HVCTL_CONFIG_FROM_SYSFS,	/* cells/<id>/config */
	HVCTL_CONFIG_FROM_REGISTRY,	/* recorded by our tools at create/enable */
};

struct hvctl_counters {
	/* Indexed like hvctl_snapshot.stat_names. */
	uint64_t value[HVCTL_STATS_MAX];
	double rate[HVCTL_STATS_MAX];	/* per second */
	bool rate_valid;		/* false: first reading, or a reset */
	double interval;		/* seconds the rates span (0: none) */
};

struct hvctl_cell_info {
	int id;
	char name[HVCTL_CELL_NAME_MAX + 1];
	bool is_root;			/* ID 0 */
	enum hvctl_cell_state state;
	const char *state_name;		/* as sysfs spells it */

	/* Assigned and failed CPUs, ascending, and as sysfs lists ("2-3"). */
	unsigned int num_cpus;
	const unsigned int *cpus;
	const char *cpus_list;
	unsigned int num_failed;
	const unsigned int *failed_cpus;
	const char *failed_list;

	struct hvctl_counters stats;	/* totals over the cell's CPUs */

	/*
	 * The cell's config; NULL when unknown. For the root cell this is
	 * its cell part (cells/0/config) or else the system config.
	 */
	const struct hvctl_config *config;
	enum hvctl_config_origin config_origin;

	/*
	 * Why its CPUs failed, from cells/<id>/failure (an extension of
	 * hvdrv and hvsim): one line per failed CPU, "CPU FAULT ADDRESS"
	 * ("2 data-abort 0x80000000"; ADDRESS "-" when the fault has none).
	 * NULL when no CPU failed or the backend does not say (upstream's
	 * driver).
	 */
	const char *failure;
};

struct hvctl_cpu_info {
	int cell_id;		/* owner, or -1 when no cell has it */
	int cell;		/* index into hvctl_snapshot.cells, or -1 */
	bool failed;
	bool has_stats;		/* per-CPU counters were read */
	struct hvctl_counters stats;
};

struct hvctl_system_info {
	bool enabled;
	/* Hypervisor pools in 4 KiB pages (0 when disabled). */
	uint64_t mem_pool_size;
	uint64_t mem_pool_used;
	uint64_t remap_pool_size;
	uint64_t remap_pool_used;
};

/*
 * What a snapshot reads. The system (enabled, pools), the cells, their
 * names, states and CPU sets are always read; these add to it.
 */
#define HVCTL_READ_CELLS	0u
#define HVCTL_READ_COUNTERS	(1u << 0)	/* each cell's counter totals */
#define HVCTL_READ_CPU_COUNTERS	(1u << 1)	/* and per-CPU counters */
/*
 * Cell and system configs, and what the hypervisor reports about their
 * ivshmem links (hvctl_snapshot.ivshmem) where the backend reports it.
 */
#define HVCTL_READ_CONFIGS	(1u << 2)
#define HVCTL_READ_ALL		(HVCTL_READ_COUNTERS | HVCTL_READ_CPU_COUNTERS | \
				 HVCTL_READ_CONFIGS)

/* One present peer of an ivshmem link, as the hypervisor reports it. */
struct hvctl_ivshmem_peer {
	uint16_t domain;
	uint16_t bdf;
	unsigned int dev_id;		/* the peer's ID on the link */
	unsigned int max_peers;		/* the link's shmem_peers */
	int cell_id;
	uint32_t state;			/* its State register */
	bool interrupts;		/* Interrupt Control bit 0 */
	uint64_t doorbells;		/* doorbells it has received */
};

struct hvctl_snapshot {
	uint64_t time_ns;		/* CLOCK_MONOTONIC */
	/* HVCTL_READ_* that were read; what was not read is zero/NULL. */
	unsigned int what;
	/* Bumped each time this context saw the set of cells change. */
	uint64_t generation;

	struct hvctl_system_info system;

	size_t num_cells;		/* 0 while disabled */
	const struct hvctl_cell_info *cells;	/* ascending ID; root first */

	/*
	 * Counter names ("vmexits_total" first), num_stats <= HVCTL_STATS_MAX;
	 * 0 unless counters were read.
	 */
	unsigned int num_stats;
	const char *const *stat_names;

	/*
	 * The system config recorded when our tools enabled the hypervisor,
	 * if it matches the running root cell; NULL otherwise.
	 */
	const struct hvctl_config *system_config;

	/* Every CPU a cell owns, indexed by CPU number (highest + 1). */
	unsigned int num_cpus;
	const struct hvctl_cpu_info *cpus;

	/*
	 * With HVCTL_READ_CONFIGS: every present peer of every ivshmem link,
	 * by link and peer ID, when the backend reports them (hvsim's
	 * sysfs/ivshmem); ivshmem_reported is false where it does not
	 * (upstream's driver and hvdrv today), and while disabled.
	 */
	bool ivshmem_reported;
	size_t num_ivshmem;
	const struct hvctl_ivshmem_peer *ivshmem;
};

/* Which cells' per-CPU counters HVCTL_READ_CPU_COUNTERS reads. */
#define HVCTL_CPU_STATS_NONE	(-1)
#define HVCTL_CPU_STATS_ALL	(-2)

/*
 * Take a snapshot of what (HVCTL_READ_*; HVCTL_READ_CPU_COUNTERS implies
 * HVCTL_READ_COUNTERS and reads the per-CPU counters of the cell with ID
 * cpu_stats_cell, or of every cell for HVCTL_CPU_STATS_ALL; without it
 * cpu_stats_cell is ignored). Rates are computed against prev, an earlier
 * snapshot of this context that read counters; with prev NULL (or one
 * from another context or connection) every rate_valid is false. A
 * disabled hypervisor is not an error (enabled is false, no cells); a
 * missing driver or a stopped hvsim is (-ENODEV, -ENOTCONN, -ECONNREFUSED
 * with a message).
 */
HVCTL_EXPORT int hvctl_snapshot(struct hvctl_ctx *ctx, unsigned int what,
				int cpu_stats_cell,
				const struct hvctl_snapshot *prev,
				struct hvctl_snapshot **out);
HVCTL_EXPORT void hvctl_snapshot_free(struct hvctl_snapshot *snap);

/* Look up a cell; NULL if the snapshot has none such. */
HVCTL_EXPORT const struct hvctl_cell_info *
hvctl_snapshot_find(const struct hvctl_snapshot *snap,
		    const struct hvctl_cell_ref *ref);
HVCTL_EXPORT const struct hvctl_cell_info *
hvctl_snapshot_cell(const struct hvctl_snapshot *snap, int id);

/* Index of a counter name in stat_names, or -1. */
HVCTL_EXPORT int hvctl_snapshot_stat_index(const struct hvctl_snapshot *snap,
					   const char *name);

#endif /* !HVCTL_STATE_H */
