/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Assembling a simulated board: the context with its hooks wired to the
 * parts above the driver (sysfs.c, server.c), and its orderly end.
 */
#ifndef SIM_HVSIM_H
#define SIM_HVSIM_H

#include <sim/sim.h>

/*
 * A context for board `b` with nothing open yet (no loop, directory,
 * driver, tree or socket: the caller sets them up in that order), hooks
 * wired to sysfs.c and server.c, the core's hooks attached to it. NULL
 * without memory.
 */
struct sim_board *sim_board_new(const struct board *b);
/*
 * Closes whatever is open (socket, tree, directory, cells, driver,
 * signalfd, loop) and frees sb.
 */
void sim_board_free(struct sim_board *sb);
/* sim_board_free() and exit; usable from any loop depth. */
void hvsim_exit(struct sim_board *sb, int status) __attribute__((noreturn));

#endif /* !SIM_HVSIM_H */
