/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The simulated board's context: all state hvsim's parts share, made once
 * (by hvsim's main() or a test, through sim_board_new()) and passed down.
 *
 * The parts call only downwards, never back up:
 *
 *   hvsim.c, process.c  (assembly: main loop, hooks, orderly exit)
 *     -> server.c       (control socket)   -> driver.c
 *     -> sysfs.c        (DIR/sysfs)        -> driver.c, simdir.c
 *     -> driver.c       (the /dev/jailhouse emulation) -> guest.c, simmem.c
 *     -> guest.c        (guest interpreter) -> loop.c, simmem.c
 *     -> loop.c, simdir.c, simmem.c, board.c
 *   arch.c (the core's arch_* hooks) -> guest.c, loop.c, simmem.c
 *
 * Where a lower part has news for an upper one (the driver enabled, a
 * cell's state changed, an event for subscribers, termination asked for
 * inside a nested loop), it calls through `hooks`, which the assembler
 * fills in (sim_board_new() wires them to sysfs.c and server.c).
 */
#ifndef SIM_SIM_H
#define SIM_SIM_H

#include <stdbool.h>
#include <stdint.h>

#include <sim/board.h>
#include <sim/guest.h>
#include <sim/loop.h>
#include <sim/simdir.h>
#include <sim/simmem.h>

struct cell;
struct sim_board;
struct sim_drv;
struct sim_sysfs;
struct sim_server;

struct sim_hooks {
	/* The driver enabled or disabled the hypervisor. */
	void (*enabled)(struct sim_board *sb);
	void (*disabled)(struct sim_board *sb);
	/* The driver created a cell (its config copy), or is removing one. */
	void (*cell_added)(struct sim_board *sb, struct cell *cell,
			   const void *config, uint64_t size);
	void (*cell_removed)(struct sim_board *sb, unsigned int id,
			     const unsigned long *cpus);
	/* A cell's state or CPUs may have changed (driver, guests). */
	void (*cell_status)(struct sim_board *sb, struct cell *cell);
	/* The pools' use may have changed (driver). */
	void (*pools)(struct sim_board *sb);
	/* An event for the socket's subscribers (driver, sysfs). */
	void (*event)(struct sim_board *sb, uint32_t type, int32_t cell_id);
	/* Termination was asked for while the core waits (arch). */
	void (*exit)(struct sim_board *sb, int status)
		__attribute__((noreturn));
};

struct sim_board {
	/* The board file's description; fixed once the parts are set up. */
	struct board board;
	const struct sim_hooks *hooks;
	struct sim_loop loop;
	struct simdir dir;
	struct simmem mem;
	struct sim_guest guest;
	/* The parts' own state, private to their files; NULL until init. */
	struct sim_drv *drv;
	struct sim_sysfs *sysfs;
	struct sim_server *server;
	/* Set by SIGTERM/SIGINT; the loops end and hvsim cleans up. */
	volatile bool terminate;
	/* -v: copy the hypervisor's UART output to stderr. */
	bool verbose;
	/* signalfd for SIGTERM/SIGINT (closed by sim_board_free). */
	struct loop_fd sig_lfd;
	/* Statistics and console refresh while enabled (hvsim.c). */
	struct loop_timer tick;
	uint64_t last_tick;
};

/*
 * The board the core's arch_* hooks act on (arch.c). The core is one per
 * process and its hooks carry no context (arch_phys_read(),
 * arch_shutdown(), ...), so arch.c keeps this one pointer: set by
 * sim_board_new(), cleared by sim_board_free(), nothing else.
 */
void sim_arch_attach(struct sim_board *sb);

#endif /* !SIM_SIM_H */
