/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Simulated guests: a loaded image is a small script (GUEST.md) run by the
 * simulated CPUs of a cell. Guest actions go through the hypervisor core as
 * VM exits (hypercalls, MMIO, PSCI, SGIs), so counters and permissions are
 * the real ones.
 */
#ifndef SIM_GUEST_H
#define SIM_GUEST_H

#include <stdbool.h>
#include <stdint.h>

#include <sim/loop.h>

struct cell;
struct ivshmem_endpoint;
struct per_cpu;
struct guest_prog;
struct sim_board;

#define GUEST_MAGIC		"#!hvsim-guest"
#define GUEST_MAX_SIZE		(64 * 1024)
#define GUEST_LOOP_DEPTH	8
#define GUEST_MSG_MAX		128

enum guest_state {
	G_OFF,		/* parked, off, or waiting for CPU_ON */
	G_RUN,		/* runnable: its timer runs the next statements */
	G_SLEEP,	/* sleeping until its timer */
	G_WAIT_IRQ,	/* halted until an interrupt (or its timeout) */
	G_IDLE,		/* no program or program ended: spins, no exits */
};

struct guest_loop {
	unsigned int start;	/* index of the repeat/forever statement */
	uint64_t left;		/* iterations left, UINT64_MAX = forever */
	uint64_t count;		/* current iteration, from 1 */
};

struct guest_cpu {
	enum guest_state state;
	unsigned int pc;
	struct guest_loop loops[GUEST_LOOP_DEPTH];
	unsigned int depth;
	int64_t ret;
	char msg[GUEST_MSG_MAX];
	bool irq_pending;
	uint64_t started;	/* ns */
};

enum guest_reply_policy {
	POLICY_APPROVE,
	POLICY_DENY,
	POLICY_IGNORE,
};

/* Per-cell sim state (cell->arch). */
struct sim_cell {
	struct sim_board *sb;
	struct cell *cell;
	struct guest_prog *prog;	/* NULL: no script, CPUs spin */
	enum guest_reply_policy policy;
	uint64_t reply_delay;		/* ns */
	struct loop_timer reply_timer;
	uint32_t reply_value;
	/* The cell's status as last published (sysfs and events). */
	uint32_t shown_state;
	uint64_t shown_failed_hash;
};

/* Per-CPU sim state (per_cpu->arch). */
struct sim_cpu {
	struct sim_board *sb;
	unsigned int id;
	struct per_cpu *pc;
	/* Root cell CPU running the root OS (background exits). */
	bool root_running;
	struct guest_cpu g;
	struct loop_timer timer;
	/* One-entry translation cache, dropped on every config commit. */
	bool tlb_valid;
	uint64_t tlb_gen;
	uint64_t tlb_virt;
	uint64_t tlb_phys;
	uint64_t tlb_flags;
};

/* The guests of a board (struct sim_board.guest). */
struct sim_guest {
	struct sim_cpu *cpus;		/* one per board CPU */
	/* Bumped on every config commit: drops cached translations. */
	uint64_t tlb_gen;
	/* The endpoint whose doorbell write is being handled (for $msg). */
	struct ivshmem_endpoint *ringing_ep;
	uint64_t rng_state;		/* root activity jitter */
};

/* Allocates the board's CPUs (once, at start); 0 or -ENOMEM. */
int guest_init(struct sim_board *sb);
void guest_exit(struct sim_board *sb);

int guest_parse(const char *text, unsigned int len, struct guest_prog **out,
		unsigned int *err_line, char *err, unsigned int errlen);
void guest_prog_free(struct guest_prog *prog);
/* Statement index of a label, or -1. */
int guest_prog_label(const struct guest_prog *prog, const char *name);

/* CPU lifecycle, from the arch hooks. */
void guest_cpu_stop(struct sim_cpu *sc);
void guest_cpu_reset(struct sim_cpu *sc);
/* Interrupt for the cell: taken by its first running CPU. */
void guest_cell_irq(struct cell *cell, const char *msg);
/* The hypervisor sent a comm region message: schedule the answer. */
void guest_comm_check(struct cell *cell);
void guest_cell_init(struct sim_board *sb, struct sim_cell *scell,
		     struct cell *cell);
void guest_cell_exit(struct sim_cell *scell);

/* Root cell background activity, once per tick of `ns` nanoseconds. */
void guest_root_tick(struct sim_board *sb, uint64_t ns);

/* Reads a NUL-terminated string through the cell's stage 2. */
bool guest_read_string(struct sim_board *sb, struct cell *cell, uint64_t addr,
		       char *buf, unsigned int size);

#endif /* !SIM_GUEST_H */
