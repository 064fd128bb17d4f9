// SPDX-License-Identifier: GPL-2.0
/*
 * The event loop: epoll for descriptors, a binary heap of timers.
 */
#include <errno.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <time.h>
#include <unistd.h>

#include <sim/loop.h>

int loop_init(struct sim_loop *l)
{
	l->epfd = epoll_create1(EPOLL_CLOEXEC);
	return l->epfd < 0 ? -errno : 0;
}

void loop_exit(struct sim_loop *l)
{
	if (l->epfd >= 0)
		close(l->epfd);
	l->epfd = -1;
	free(l->heap);
	l->heap = NULL;
	l->heap_len = l->heap_cap = 0;
}

uint64_t loop_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * NSEC_PER_SEC + (uint64_t)ts.tv_nsec;
}

int loop_add_fd(struct sim_loop *l, struct loop_fd *lf, uint32_t events)
{
	struct epoll_event ev = { .events = events, .data.ptr = lf };

	return epoll_ctl(l->epfd, EPOLL_CTL_ADD, lf->fd, &ev) ? -errno : 0;
}

int loop_mod_fd(struct sim_loop *l, struct loop_fd *lf, uint32_t events)
{
	struct epoll_event ev = { .events = events, .data.ptr = lf };

	return epoll_ctl(l->epfd, EPOLL_CTL_MOD, lf->fd, &ev) ? -errno : 0;
}

void loop_del_fd(struct sim_loop *l, struct loop_fd *lf)
{
	epoll_ctl(l->epfd, EPOLL_CTL_DEL, lf->fd, NULL);
}

static bool before(const struct loop_timer *a, const struct loop_timer *b)
{
	return a->deadline < b->deadline;
}

static void heap_set(struct sim_loop *l, unsigned int i, struct loop_timer *t)
{
	l->heap[i] = t;
	t->heap_idx = i + 1;
}

static void sift_up(struct sim_loop *l, unsigned int i)
{
	struct loop_timer *t = l->heap[i];

	while (i) {
		unsigned int parent = (i - 1) / 2;

		if (!before(t, l->heap[parent]))
			break;
		heap_set(l, i, l->heap[parent]);
		i = parent;
	}
	heap_set(l, i, t);
}

static void sift_down(struct sim_loop *l, unsigned int i)
{
	struct loop_timer *t = l->heap[i];

	for (;;) {
		unsigned int c = 2 * i + 1;

		if (c >= l->heap_len)
			break;
		if (c + 1 < l->heap_len && before(l->heap[c + 1], l->heap[c]))
			c++;
		if (!before(l->heap[c], t))
			break;
		heap_set(l, i, l->heap[c]);
		i = c;
	}
	heap_set(l, i, t);
}

void loop_timer_cancel(struct sim_loop *l, struct loop_timer *t)
{
	unsigned int i;

	if (!t->heap_idx)
		return;
	i = t->heap_idx - 1;
	t->heap_idx = 0;
	l->heap_len--;
	if (i == l->heap_len)
		return;
	heap_set(l, i, l->heap[l->heap_len]);
	sift_down(l, i);
	sift_up(l, l->heap[i]->heap_idx - 1);
}

void loop_timer_arm(struct sim_loop *l, struct loop_timer *t,
		    uint64_t deadline)
{
	loop_timer_cancel(l, t);
	if (l->heap_len == l->heap_cap) {
		unsigned int cap = l->heap_cap ? l->heap_cap * 2 : 64;
		struct loop_timer **n = realloc(l->heap, cap * sizeof(*n));

		if (!n)
			abort();	/* a lost timer would stall a CPU */
		l->heap = n;
		l->heap_cap = cap;
	}
	t->deadline = deadline;
	heap_set(l, l->heap_len, t);
	l->heap_len++;
	sift_up(l, l->heap_len - 1);
}

bool loop_nested(const struct sim_loop *l)
{
	return l->depth > 1;
}

void loop_run_once(struct sim_loop *l, uint64_t deadline)
{
	struct epoll_event evs[32];
	uint64_t now = loop_now(), until = deadline;
	int timeout = -1, n, i;
	unsigned int budget;

	if (l->heap_len && (!until || l->heap[0]->deadline < until))
		until = l->heap[0]->deadline;
	if (until) {
		uint64_t ms = until > now ?
			      (until - now + NSEC_PER_MSEC - 1) / NSEC_PER_MSEC : 0;

		timeout = ms > 60000 ? 60000 : (int)ms;
	}
	l->depth++;
	n = epoll_wait(l->epfd, evs, 32, timeout);
	for (i = 0; i < n; i++) {
		struct loop_fd *lf = evs[i].data.ptr;

		lf->fn(lf, evs[i].events);
	}
	/*
	 * Expired timers; a bounded batch so a timer that keeps re-arming
	 * itself in the past cannot starve the descriptors.
	 */
	now = loop_now();
	for (budget = 4096; l->heap_len && l->heap[0]->deadline <= now && budget;
	     budget--) {
		struct loop_timer *t = l->heap[0];

		loop_timer_cancel(l, t);
		t->fn(t);
	}
	l->depth--;
}
