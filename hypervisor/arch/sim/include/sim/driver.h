/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The simulated /dev/jailhouse driver: the ioctl checks and errno of the
 * Jailhouse driver (spec §1.5), then the hypercalls of the core on a root
 * CPU. Every call fills msg with an explanation on failure.
 */
#ifndef SIM_DRIVER_H
#define SIM_DRIVER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <hvabi/ioctl.h>
#include <hvabi/sim-protocol.h>

#define DRV_MSG_LEN		256

struct sim_board;

/*
 * Sets up the driver's state and the simulated CPUs of the board (once, at
 * start). What changes is told through sb->hooks.
 */
int drv_init(struct sim_board *sb);

int drv_enable(struct sim_board *sb, const void *config, size_t size,
	       char *msg);
int drv_disable(struct sim_board *sb, char *msg);
int drv_cell_create(struct sim_board *sb,
		    const struct hv_ioc_cell_create *arg, const void *config,
		    size_t size, int32_t *id, char *msg);
int drv_cell_load(struct sim_board *sb, const struct hv_ioc_cell_load *arg,
		  size_t arg_size, const uint8_t *data, size_t data_size,
		  char *msg);
int drv_cell_start(struct sim_board *sb, const struct hv_ioc_cell_id *arg,
		   char *msg);
int drv_cell_destroy(struct sim_board *sb, const struct hv_ioc_cell_id *arg,
		     char *msg);

bool drv_enabled(struct sim_board *sb);
/* The driver's copy of a cell's config (and its size), or NULL. */
const void *drv_cell_config(struct sim_board *sb, unsigned int id,
			    uint64_t *size);
/*
 * Console read as CONSOLE_READ defines it: fills hdr and points *bytes at
 * up to HV_CONSOLE_SIZE bytes (copied into buf). Returns 0 or -errno.
 */
int drv_console_read(struct sim_board *sb, int32_t cell_id, uint64_t head,
		     struct hvsim_console_data *hdr, char *buf, size_t *len,
		     char *msg);
/* Tracks 64-bit console tails; call at least every few seconds. */
void drv_console_poll(struct sim_board *sb);
/* Releases everything (hvsim exit). */
void drv_exit(struct sim_board *sb);

/* The cell's console as text, for sysfs; returns bytes (at most 2048). */
size_t drv_cell_console_text(struct sim_board *sb, unsigned int id,
			     char *buf);
/* The hypervisor console as text for sysfs (empty while disabled). */
size_t drv_hv_console_text(struct sim_board *sb, char *buf);
/* The system config has the console flag. */
bool drv_console_permitted(struct sim_board *sb);
/*
 * The statistics report (hvabi/stats.h) into buf: one HV_HC_STATS_READ
 * through a root RAM buffer of cap bytes. 0 (*len bytes), or -errno:
 * -ENODEV while disabled, -E2BIG when cap is too small.
 */
int drv_stats_report(struct sim_board *sb, uint8_t *buf, size_t cap,
		     size_t *len);

#endif /* !SIM_DRIVER_H */
