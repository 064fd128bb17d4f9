/* SPDX-License-Identifier: MIT */
/*
 * The big board the snapshot and hvtop benchmarks run on: hvsim with 256
 * CPUs, the root cell and 63 cells of 4 CPUs each, in a temporary
 * directory of its own.
 *
 *   static struct bench_board board;
 *
 *   bench_board_start(&board, "bench_foo", false);
 *   bench_board_populate(&board);
 *   ... measure against board.uri ...
 *   bench_board_stop(&board);
 *
 * Any failure of these calls goes through bench_die(): a message, the
 * board stopped and removed, exit status 1.
 */
#ifndef BENCH_BOARD_H
#define BENCH_BOARD_H

#include <limits.h>
#include <stdbool.h>
#include <sys/types.h>

#define BENCH_NUM_CPUS		256
#define BENCH_NUM_CELLS		64	/* root + 63 */
#define BENCH_CELL_CPUS		4
#define BENCH_ROOT_CPUS		(BENCH_NUM_CPUS - \
				 (BENCH_NUM_CELLS - 1) * BENCH_CELL_CPUS)

struct bench_board {
	const char *prog;	/* names the messages */
	char dir[64];		/* board.json and hvsim's files */
	char build[PATH_MAX];	/* BUILD, where hvsim and hvtop are */
	char uri[128];		/* "sim:" + dir */
	pid_t hvsim_pid;	/* -1 when not running */
};

/*
 * Find BUILD from the running BUILD/bench/PROG, create the directory,
 * write the board there and start hvsim on it (its stderr thrown away
 * when quiet); returns once hvsim is ready.
 */
void bench_board_start(struct bench_board *b, const char *prog, bool quiet);

/* Enable the hypervisor and create the 63 cells. */
void bench_board_populate(struct bench_board *b);

/* Stop hvsim and remove the directory; safe to call more than once. */
void bench_board_stop(struct bench_board *b);

/* "PROG: what" on stderr, the board stopped, exit status 1. */
void bench_die(struct bench_board *b, const char *what)
	__attribute__((noreturn));

#endif /* !BENCH_BOARD_H */
