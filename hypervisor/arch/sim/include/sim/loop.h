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

#define NSEC_PER_USEC		1000ULL
#define NSEC_PER_MSEC		1000000ULL
#define NSEC_PER_SEC		1000000000ULL

int loop_init(void);
void loop_exit(void);
uint64_t loop_now(void);

int loop_add_fd(struct loop_fd *lf, uint32_t events);
int loop_mod_fd(struct loop_fd *lf, uint32_t events);
void loop_del_fd(struct loop_fd *lf);

void loop_timer_arm(struct loop_timer *t, uint64_t deadline);
void loop_timer_cancel(struct loop_timer *t);
static inline bool loop_timer_armed(const struct loop_timer *t)
{
	return t->heap_idx != 0;
}

/*
 * Waits for at most until `deadline` (0 = no limit) for one batch of fd
 * events, then runs the expired timers.
 */
void loop_run_once(uint64_t deadline);
bool loop_nested(void);

#endif /* !SIM_LOOP_H */
