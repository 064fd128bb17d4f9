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

/* Sets up the simulated CPUs of the board (once, at start). */
int drv_init(void);

int drv_enable(const void *config, size_t size, char *msg);
int drv_disable(char *msg);
int drv_cell_create(const struct hv_ioc_cell_create *arg, const void *config,
		    size_t size, int32_t *id, char *msg);
int drv_cell_load(const struct hv_ioc_cell_load *arg, size_t arg_size,
		  const uint8_t *data, size_t data_size, char *msg);
int drv_cell_start(const struct hv_ioc_cell_id *arg, char *msg);
int drv_cell_destroy(const struct hv_ioc_cell_id *arg, char *msg);

bool drv_enabled(void);
/* The driver's copy of a cell's config (and its size), or NULL. */
const void *drv_cell_config(unsigned int id, uint64_t *size);
/*
 * Console read as CONSOLE_READ defines it: fills hdr and points *bytes at
 * up to HV_CONSOLE_SIZE bytes (copied into buf). Returns 0 or -errno.
 */
int drv_console_read(int32_t cell_id, uint64_t head,
		     struct hvsim_console_data *hdr, char *buf, size_t *len,
		     char *msg);
/* Tracks 64-bit console tails; call at least every few seconds. */
void drv_console_poll(void);
/* Releases everything (hvsim exit). */
void drv_exit(void);

/* The cell's console as text, for sysfs; returns bytes (at most 2048). */
size_t drv_cell_console_text(unsigned int id, char *buf);
/* The hypervisor console as text for sysfs (empty while disabled). */
size_t drv_hv_console_text(char *buf);
/* The system config has the console flag. */
bool drv_console_permitted(void);

#endif /* !SIM_DRIVER_H */
