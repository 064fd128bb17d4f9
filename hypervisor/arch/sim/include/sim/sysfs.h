/* SPDX-License-Identifier: GPL-2.0 */
/*
 * DIR/sysfs: the /sys/devices/jailhouse-shaped tree (PROTOCOL.md §2).
 * Files are rewritten in place (pwrite + ftruncate), never renamed.
 */
#ifndef SIM_SYSFS_H
#define SIM_SYSFS_H

#include <stdbool.h>
#include <stdint.h>

struct cell;
struct sim_board;

/*
 * Builds the disabled tree under DIR/sysfs (simdir_open() first); its
 * events go out through sb->hooks->event.
 */
int sysfs_init(struct sim_board *sb);
/* Removes the tree and hvsim's scratch directory. */
void sysfs_exit(struct sim_board *sb);

/* What the driver tells (through sb->hooks, see sim/sim.h): */
/* Enable done: pools, enabled, cells/0. */
void sysfs_enabled(struct sim_board *sb);
/* Disable done: cells/0 gone, pools zero. */
void sysfs_disabled(struct sim_board *sb);
void sysfs_cell_added(struct sim_board *sb, struct cell *cell,
		      const void *config, uint64_t size);
/* Before the core frees the cell: moves its CPU directories back. */
void sysfs_cell_removed(struct sim_board *sb, unsigned int id,
			const unsigned long *cpus);
/* State and failed CPUs; writes and sends an event when they changed. */
void sysfs_cell_status(struct sim_board *sb, struct cell *cell);
/* Pools (after create/destroy/load). */
void sysfs_pools(struct sim_board *sb);
/* Periodic: counters and console files that changed, console events. */
void sysfs_flush(struct sim_board *sb);

#endif /* !SIM_SYSFS_H */
