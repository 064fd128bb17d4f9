// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Events: one epoll descriptor for the caller's poll() loop, with a
 * timerfd (tick_ms) for TICK events and whatever the transport watches
 * (its events_* operations: hvsim's subscription, the kernel's periodic
 * check and udev monitor), and the queue they fill.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/timerfd.h>
#include <unistd.h>

#include "runtime_int.h"

const char *hvctl_event_name(enum hvctl_event_type type)
{
	switch (type) {
	case HVCTL_EVENT_BACKEND_UP:
		return "backend-up";
	case HVCTL_EVENT_BACKEND_DOWN:
		return "backend-down";
	case HVCTL_EVENT_ENABLED:
		return "enabled";
	case HVCTL_EVENT_DISABLED:
		return "disabled";
	case HVCTL_EVENT_CELL_ADDED:
		return "cell-added";
	case HVCTL_EVENT_CELL_REMOVED:
		return "cell-removed";
	case HVCTL_EVENT_CELL_STATE:
		return "cell-state";
	case HVCTL_EVENT_CONSOLE:
		return "console";
	case HVCTL_EVENT_TICK:
		return "tick";
	}
	return "unknown";
}

int events_push(struct rt_events *ev, enum hvctl_event_type type, int cell_id)
{
	if (ev->q_head && ev->q_head == ev->q_len)
		ev->q_head = ev->q_len = 0;
	/* A caller that never drains must not grow us forever. */
	if (ev->q_len >= 65536)
		return -ENOSPC;
	if (hvctl_grow(&ev->q, &ev->q_cap, ev->q_len + 1, sizeof(*ev->q)))
		return -ENOMEM;
	ev->q[ev->q_len].type = type;
	ev->q[ev->q_len].cell_id = cell_id;
	ev->q_len++;
	return 0;
}

int events_watch(struct rt_events *ev, int fd)
{
	struct epoll_event e = { .events = EPOLLIN, .data.fd = fd };

	return epoll_ctl(ev->epfd, EPOLL_CTL_ADD, fd, &e) ? -errno : 0;
}

void events_unwatch(struct rt_events *ev, int fd)
{
	epoll_ctl(ev->epfd, EPOLL_CTL_DEL, fd, NULL);
}

void events_note_change(struct hvctl_ctx *ctx)
{
	/* Directory timestamps may not change on sysfs: rescan anyway. */
	ctx->tree.dirty = true;
}

void events_free(struct hvctl_ctx *ctx)
{
	struct rt_events *ev = ctx->events;

	if (!ev)
		return;
	ctx->tr->events_stop(ctx, ev);
	if (ev->timerfd >= 0)
		close(ev->timerfd);
	if (ev->epfd >= 0)
		close(ev->epfd);
	free(ev->q);
	free(ev);
	ctx->events = NULL;
}

int hvctl_event_fd(struct hvctl_ctx *ctx)
{
	struct rt_events *ev = ctx->events;
	struct itimerspec its;
	int ret;

	if (ev)
		return ev->epfd;
	rt_clear_err(ctx);
	ev = calloc(1, sizeof(*ev));
	if (!ev)
		return rt_fail(ctx, -ENOMEM, "out of memory");
	ev->epfd = ev->timerfd = -1;
	ctx->events = ev;

	ev->epfd = epoll_create1(EPOLL_CLOEXEC);
	if (ev->epfd < 0) {
		ret = -errno;
		goto fail;
	}
	ev->timerfd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
	if (ev->timerfd < 0) {
		ret = -errno;
		goto fail;
	}
	memset(&its, 0, sizeof(its));
	its.it_interval.tv_sec = ctx->tick_ms / 1000;
	its.it_interval.tv_nsec = (long)(ctx->tick_ms % 1000) * 1000000L;
	its.it_value = its.it_interval;
	if (timerfd_settime(ev->timerfd, 0, &its, NULL)) {
		ret = -errno;
		goto fail;
	}
	ret = events_watch(ev, ev->timerfd);
	if (!ret)
		ret = ctx->tr->events_start(ctx, ev);
	if (ret)
		goto fail;
	return ev->epfd;

fail:
	events_free(ctx);
	return rt_fail(ctx, ret, "setting up events: %s", strerror(-ret));
}

static void handle_tick(struct hvctl_ctx *ctx, struct rt_events *ev)
{
	uint64_t expirations;

	if (read(ev->timerfd, &expirations, sizeof(expirations)) < 0)
		return;
	ctx->tr->events_tick(ctx, ev);
	events_push(ev, HVCTL_EVENT_TICK, -1);
}

int hvctl_event_process(struct hvctl_ctx *ctx, struct hvctl_event *out,
			size_t max, size_t *num)
{
	struct epoll_event evs[8];
	struct rt_events *ev;
	size_t n = 0;
	int i, got, ret;

	if (!num || (max && !out))
		return -EINVAL;
	*num = 0;
	ret = hvctl_event_fd(ctx);
	if (ret < 0)
		return ret;
	ev = ctx->events;

	do {
		got = epoll_wait(ev->epfd, evs, 8, 0);
		if (got < 0) {
			if (errno == EINTR)
				continue;
			return rt_fail(ctx, -errno, "epoll_wait: %s",
				       strerror(errno));
		}
		for (i = 0; i < got; i++) {
			int fd = evs[i].data.fd;

			if (fd == ev->timerfd)
				handle_tick(ctx, ev);
			else
				ctx->tr->events_ready(ctx, ev, fd);
		}
	} while (got == 8);

	while (n < max && ev->q_head < ev->q_len)
		out[n++] = ev->q[ev->q_head++];
	*num = n;
	return 0;
}

/* ---- ivshmem devices ---- */

void hvctl_ivshmem_list_free(struct hvctl_ivshmem_list *list)
{
	size_t i;

	if (!list)
		return;
	for (i = 0; i < list->count; i++) {
		free(list->items[i].syspath);
		free(list->items[i].slot);
		free(list->items[i].driver);
	}
	free(list->items);
	free(list);
}

int hvctl_ivshmem_list(struct hvctl_ctx *ctx, struct hvctl_ivshmem_list **out)
{
	struct hvctl_ivshmem_list *list;
	int ret;

	if (!out)
		return -EINVAL;
	*out = NULL;
	rt_clear_err(ctx);
	list = calloc(1, sizeof(*list));
	if (!list)
		return rt_fail(ctx, -ENOMEM, "out of memory");
	/* A backend without a PCI bus of its own lists none. */
	if (ctx->tr->ivshmem_list) {
		ret = ctx->tr->ivshmem_list(ctx, list);
		if (ret) {
			hvctl_ivshmem_list_free(list);
			return ret;
		}
	}
	*out = list;
	return 0;
}
