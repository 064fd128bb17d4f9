/* SPDX-License-Identifier: GPL-2.0 */
/*
 * hvsim's one event loop: file descriptors through epoll, timers in a heap
 * (all simulated CPUs share it; there is no thread per CPU).
 *
 * The loop may be entered again from inside a handler (loop_run_once with
 * nested = true) while the hypervisor waits for a cell's answer; code that
 * must not run nested checks loop_nested().
 */
#ifndef SIM_LOOP_H
#define SIM_LOOP_H

#include <stdbool.h>
#include <stdint.h>

struct loop_fd {
	int fd;
	void (*fn)(struct loop_fd *lf, uint32_t events);
};

struct loop_timer {
	uint64_t deadline;	/* ns, CLOCK_MONOTONIC */
	unsigned int heap_idx;	/* 0 = not armed, else index + 1 */
	void (*fn)(struct loop_timer *t);
};

/* The loop's state, one per board (struct sim_board.loop). */
struct sim_loop {
	int epfd;		/* -1 before loop_init() */
	struct loop_timer **heap;
	unsigned int heap_len, heap_cap;
	unsigned int depth;	/* loop_run_once() calls in progress */
};

#define NSEC_PER_USEC		1000ULL
#define NSEC_PER_MSEC		1000000ULL
#define NSEC_PER_SEC		1000000000ULL

int loop_init(struct sim_loop *l);
void loop_exit(struct sim_loop *l);
uint64_t loop_now(void);

int loop_add_fd(struct sim_loop *l, struct loop_fd *lf, uint32_t events);
int loop_mod_fd(struct sim_loop *l, struct loop_fd *lf, uint32_t events);
void loop_del_fd(struct sim_loop *l, struct loop_fd *lf);

void loop_timer_arm(struct sim_loop *l, struct loop_timer *t,
		    uint64_t deadline);
void loop_timer_cancel(struct sim_loop *l, struct loop_timer *t);
static inline bool loop_timer_armed(const struct loop_timer *t)
{
	return t->heap_idx != 0;
}

/*
 * Waits for at most until `deadline` (0 = no limit) for one batch of fd
 * events, then runs the expired timers.
 */
void loop_run_once(struct sim_loop *l, uint64_t deadline);
bool loop_nested(const struct sim_loop *l);

#endif /* !SIM_LOOP_H */
