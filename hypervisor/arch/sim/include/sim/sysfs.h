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

/* Builds the disabled tree under DIR/sysfs (simdir_open() first). */
int sysfs_init(void);
/* Removes the tree and hvsim's scratch directory. */
void sysfs_exit(void);

/* Enable done: pools, enabled, cells/0. */
void sysfs_enabled(void);
/* Disable done: cells/0 gone, pools zero. */
void sysfs_disabled(void);
void sysfs_cell_added(struct cell *cell, const void *config, uint64_t size);
/* Before the core frees the cell: moves its CPU directories back. */
void sysfs_cell_removed(unsigned int id, const unsigned long *cpus);
/* State and failed CPUs; writes and sends an event when they changed. */
void sysfs_cell_status(struct cell *cell);
/* Pools (after create/destroy/load). */
void sysfs_pools(void);
/* Periodic: counters and console files that changed, console events. */
void sysfs_flush(void);

#endif /* !SIM_SYSFS_H */
