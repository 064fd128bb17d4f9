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

static int epfd = -1;
static struct loop_timer **heap;
static unsigned int heap_len, heap_cap;
static unsigned int depth;

int loop_init(void)
{
	epfd = epoll_create1(EPOLL_CLOEXEC);
	return epfd < 0 ? -errno : 0;
}

void loop_exit(void)
{
	if (epfd >= 0)
		close(epfd);
	epfd = -1;
	free(heap);
	heap = NULL;
	heap_len = heap_cap = 0;
}

uint64_t loop_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * NSEC_PER_SEC + (uint64_t)ts.tv_nsec;
}

int loop_add_fd(struct loop_fd *lf, uint32_t events)
{
	struct epoll_event ev = { .events = events, .data.ptr = lf };

	return epoll_ctl(epfd, EPOLL_CTL_ADD, lf->fd, &ev) ? -errno : 0;
}

int loop_mod_fd(struct loop_fd *lf, uint32_t events)
{
	struct epoll_event ev = { .events = events, .data.ptr = lf };

	return epoll_ctl(epfd, EPOLL_CTL_MOD, lf->fd, &ev) ? -errno : 0;
}

void loop_del_fd(struct loop_fd *lf)
{
	epoll_ctl(epfd, EPOLL_CTL_DEL, lf->fd, NULL);
}

static bool before(const struct loop_timer *a, const struct loop_timer *b)
{
	return a->deadline < b->deadline;
}

static void heap_set(unsigned int i, struct loop_timer *t)
{
	heap[i] = t;
	t->heap_idx = i + 1;
}

static void sift_up(unsigned int i)
{
	struct loop_timer *t = heap[i];

	while (i) {
		unsigned int parent = (i - 1) / 2;

		if (!before(t, heap[parent]))
			break;
		heap_set(i, heap[parent]);
		i = parent;
	}
	heap_set(i, t);
}

static void sift_down(unsigned int i)
{
	struct loop_timer *t = heap[i];

	for (;;) {
		unsigned int c = 2 * i + 1;

		if (c >= heap_len)
			break;
		if (c + 1 < heap_len && before(heap[c + 1], heap[c]))
			c++;
		if (!before(heap[c], t))
			break;
		heap_set(i, heap[c]);
		i = c;
	}
	heap_set(i, t);
}

void loop_timer_cancel(struct loop_timer *t)
{
	unsigned int i;

	if (!t->heap_idx)
		return;
	i = t->heap_idx - 1;
	t->heap_idx = 0;
	heap_len--;
	if (i == heap_len)
		return;
	heap_set(i, heap[heap_len]);
	sift_down(i);
	sift_up(heap[i]->heap_idx - 1);
}

void loop_timer_arm(struct loop_timer *t, uint64_t deadline)
{
	loop_timer_cancel(t);
	if (heap_len == heap_cap) {
		unsigned int cap = heap_cap ? heap_cap * 2 : 64;
		struct loop_timer **n = realloc(heap, cap * sizeof(*n));

		if (!n)
			abort();	/* a lost timer would stall a CPU */
		heap = n;
		heap_cap = cap;
	}
	t->deadline = deadline;
	heap_set(heap_len, t);
	heap_len++;
	sift_up(heap_len - 1);
}

bool loop_nested(void)
{
	return depth > 1;
}

void loop_run_once(uint64_t deadline)
{
	struct epoll_event evs[32];
	uint64_t now = loop_now(), until = deadline;
	int timeout = -1, n, i;
	unsigned int budget;

	if (heap_len && (!until || heap[0]->deadline < until))
		until = heap[0]->deadline;
	if (until) {
		uint64_t ms = until > now ?
			      (until - now + NSEC_PER_MSEC - 1) / NSEC_PER_MSEC : 0;

		timeout = ms > 60000 ? 60000 : (int)ms;
	}
	depth++;
	n = epoll_wait(epfd, evs, 32, timeout);
	for (i = 0; i < n; i++) {
		struct loop_fd *lf = evs[i].data.ptr;

		lf->fn(lf, evs[i].events);
	}
	/*
	 * Expired timers; a bounded batch so a timer that keeps re-arming
	 * itself in the past cannot starve the descriptors.
	 */
	now = loop_now();
	for (budget = 4096; heap_len && heap[0]->deadline <= now && budget;
	     budget--) {
		struct loop_timer *t = heap[0];

		loop_timer_cancel(t);
		t->fn(t);
	}
	depth--;
}
