// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Events: one epoll descriptor for the caller's poll() loop, with
 *   - a timerfd (tick_ms): kernel backend checks of the device node, the
 *     enabled flag and the cells directory; reconnects to a restarted
 *     hvsim; TICK events for console polling;
 *   - a libudev monitor on the misc subsystem (the jailhouse device
 *     appearing and going away), when the kernel backend is the real one;
 *   - hvsim's SUBSCRIBE connection for the sim backend.
 * Also the ivshmem PCI device list, which is libudev work as well.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/timerfd.h>
#include <unistd.h>

#include <libudev.h>

#include <hvabi/sim-protocol.h>

#include "runtime_int.h"

struct rt_events {
	int epfd;
	int timerfd;
	struct udev *udev;
	struct udev_monitor *mon;
	int sub_fd;			/* hvsim subscription, -1 */
	bool sub_ever;			/* a subscription worked once */
	unsigned char sub_buf[sizeof(struct hvsim_event)];
	size_t sub_len;

	/* Kernel backend: what the last tick saw. */
	bool dev_present;
	bool enabled;
	int *ids;
	size_t num_ids;
	struct stat cells_st;
	bool have_cells_st;

	struct hvctl_event *q;
	size_t q_len;
	size_t q_cap;
	size_t q_head;
};

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

static int push(struct rt_events *ev, enum hvctl_event_type type, int cell_id)
{
	if (ev->q_head && ev->q_head == ev->q_len)
		ev->q_head = ev->q_len = 0;
	/* A caller that never drains must not grow us forever. */
	if (ev->q_len >= 65536)
		return -ENOSPC;
	if (rt_grow(&ev->q, &ev->q_cap, ev->q_len + 1, sizeof(*ev->q)))
		return -ENOMEM;
	ev->q[ev->q_len].type = type;
	ev->q[ev->q_len].cell_id = cell_id;
	ev->q_len++;
	return 0;
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
	if (ev->mon)
		udev_monitor_unref(ev->mon);
	if (ev->udev)
		udev_unref(ev->udev);
	if (ev->sub_fd >= 0)
		close(ev->sub_fd);
	if (ev->timerfd >= 0)
		close(ev->timerfd);
	if (ev->epfd >= 0)
		close(ev->epfd);
	free(ev->ids);
	free(ev->q);
	free(ev);
	ctx->events = NULL;
}

static int watch(struct rt_events *ev, int fd)
{
	struct epoll_event e = { .events = EPOLLIN, .data.fd = fd };

	return epoll_ctl(ev->epfd, EPOLL_CTL_ADD, fd, &e) ? -errno : 0;
}

/* ---- sim: the subscription ---- */

static void sub_close(struct rt_events *ev)
{
	if (ev->sub_fd < 0)
		return;
	epoll_ctl(ev->epfd, EPOLL_CTL_DEL, ev->sub_fd, NULL);
	close(ev->sub_fd);
	ev->sub_fd = -1;
	ev->sub_len = 0;
}

static int sub_open(struct hvctl_ctx *ctx, struct rt_events *ev)
{
	char saved[HVCTL_ERROR_MAX];
	bool unreachable = ctx->unreachable;
	int fd, ret;

	/* Attempts on a timer must not clobber the caller's last message. */
	memcpy(saved, ctx->errmsg, sizeof(saved));
	ret = sim_connect(ctx, &fd);
	if (!ret) {
		ret = sim_roundtrip(ctx, fd, HVSIM_CMD_SUBSCRIBE, NULL, 0, NULL,
				    0, NULL, 0, NULL, NULL, 0);
		if (!ret) {
			int fl = fcntl(fd, F_GETFL);

			if (fl < 0 || fcntl(fd, F_SETFL, fl | O_NONBLOCK))
				ret = -errno;
		}
		if (!ret)
			ret = watch(ev, fd);
		if (ret)
			close(fd);
	}
	memcpy(ctx->errmsg, saved, sizeof(saved));
	ctx->unreachable = unreachable;
	if (ret)
		return ret;
	ev->sub_fd = fd;
	ev->sub_len = 0;
	return 0;
}

static void sub_event(struct hvctl_ctx *ctx, struct rt_events *ev,
		      const struct hvsim_event *e)
{
	if (e->magic != HVSIM_MAGIC)
		return;
	switch (e->type) {
	case HVSIM_EV_ENABLED:
		push(ev, HVCTL_EVENT_ENABLED, -1);
		break;
	case HVSIM_EV_DISABLED:
		ctx->tree.dirty = true;
		push(ev, HVCTL_EVENT_DISABLED, -1);
		break;
	case HVSIM_EV_CELL_ADD:
		ctx->tree.dirty = true;
		push(ev, HVCTL_EVENT_CELL_ADDED, e->cell_id);
		break;
	case HVSIM_EV_CELL_REMOVE:
		ctx->tree.dirty = true;
		push(ev, HVCTL_EVENT_CELL_REMOVED, e->cell_id);
		break;
	case HVSIM_EV_CELL_STATE:
		push(ev, HVCTL_EVENT_CELL_STATE, e->cell_id);
		break;
	case HVSIM_EV_CONSOLE:
		push(ev, HVCTL_EVENT_CONSOLE, e->cell_id);
		break;
	case HVSIM_EV_SHUTDOWN:
		/* The close follows; BACKEND_DOWN is pushed then. */
		break;
	default:
		break;
	}
}

static void sub_drain(struct hvctl_ctx *ctx, struct rt_events *ev)
{
	for (;;) {
		ssize_t n = recv(ev->sub_fd, ev->sub_buf + ev->sub_len,
				 sizeof(ev->sub_buf) - ev->sub_len, 0);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return;
		if (n <= 0) {
			/* hvsim went away (or dropped a slow subscriber). */
			sub_close(ev);
			ctx->tree.dirty = true;
			push(ev, HVCTL_EVENT_BACKEND_DOWN, -1);
			return;
		}
		ev->sub_len += (size_t)n;
		if (ev->sub_len == sizeof(ev->sub_buf)) {
			struct hvsim_event e;

			memcpy(&e, ev->sub_buf, sizeof(e));
			ev->sub_len = 0;
			sub_event(ctx, ev, &e);
		}
	}
}

/* ---- kernel: the periodic check ---- */

static int list_cells(struct hvctl_ctx *ctx, int **out, size_t *num)
{
	char path[4096];
	int dfd;

	*out = NULL;
	*num = 0;
	snprintf(path, sizeof(path), "%s/cells", ctx->tree_path);
	dfd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0)
		return 0;
	return tree_list_cell_ids(dfd, out, num);
}

static bool read_enabled(struct hvctl_ctx *ctx)
{
	char path[4096], buf[8] = "";
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "%s/enabled", ctx->tree_path);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	return n > 0 && buf[0] == '1';
}

static bool dev_present(struct hvctl_ctx *ctx)
{
	struct stat st;

	if (!ctx->dir)
		return !stat(ctx->device, &st) && !stat(ctx->tree_path, &st);
	return !stat(ctx->tree_path, &st);
}

/* Compare with the previous tick and queue what changed. */
static void kernel_tick(struct hvctl_ctx *ctx, struct rt_events *ev, bool first)
{
	char path[4096];
	struct stat st;
	bool present, en, same;
	int *ids;
	size_t n, i, j;

	present = dev_present(ctx);
	if (!first && present != ev->dev_present)
		push(ev, present ? HVCTL_EVENT_BACKEND_UP : HVCTL_EVENT_BACKEND_DOWN,
		     -1);
	ev->dev_present = present;

	en = present && read_enabled(ctx);
	if (!first && en != ev->enabled)
		push(ev, en ? HVCTL_EVENT_ENABLED : HVCTL_EVENT_DISABLED, -1);
	ev->enabled = en;

	snprintf(path, sizeof(path), "%s/cells", ctx->tree_path);
	if (stat(path, &st)) {
		memset(&st, 0, sizeof(st));
	}
	same = ev->have_cells_st && st.st_ino == ev->cells_st.st_ino &&
	       st.st_nlink == ev->cells_st.st_nlink &&
	       st.st_mtim.tv_sec == ev->cells_st.st_mtim.tv_sec &&
	       st.st_mtim.tv_nsec == ev->cells_st.st_mtim.tv_nsec;
	if (same && !first)
		return;
	ev->cells_st = st;
	ev->have_cells_st = true;
	if (list_cells(ctx, &ids, &n))
		return;
	if (!first) {
		/* Both lists ascending: a merge gives removals and additions. */
		for (i = 0, j = 0; i < ev->num_ids || j < n;) {
			if (j == n || (i < ev->num_ids && ev->ids[i] < ids[j])) {
				push(ev, HVCTL_EVENT_CELL_REMOVED, ev->ids[i++]);
			} else if (i == ev->num_ids || ids[j] < ev->ids[i]) {
				push(ev, HVCTL_EVENT_CELL_ADDED, ids[j++]);
			} else {
				i++;
				j++;
			}
		}
		ctx->tree.dirty = true;
	}
	free(ev->ids);
	ev->ids = ids;
	ev->num_ids = n;
}

/* ---- The descriptor ---- */

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
	ev->epfd = ev->timerfd = ev->sub_fd = -1;
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
	ret = watch(ev, ev->timerfd);
	if (ret)
		goto fail;

	if (ctx->backend == HVCTL_BACKEND_SIM) {
		/* hvsim may not run yet: the timer retries. */
		if (!sub_open(ctx, ev))
			ev->sub_ever = true;
	} else {
		if (!ctx->dir) {
			/*
			 * Where netlink is not permitted (some containers), the
			 * tick's check of the device node stands in.
			 */
			ev->udev = udev_new();
			if (ev->udev)
				ev->mon = udev_monitor_new_from_netlink(ev->udev, "udev");
			if (ev->mon &&
			    (udev_monitor_filter_add_match_subsystem_devtype(ev->mon, "misc", NULL) ||
			     udev_monitor_enable_receiving(ev->mon) ||
			     watch(ev, udev_monitor_get_fd(ev->mon)))) {
				udev_monitor_unref(ev->mon);
				ev->mon = NULL;
			}
		}
		kernel_tick(ctx, ev, true);
	}
	return ev->epfd;

fail:
	events_free(ctx);
	return rt_fail(ctx, ret, "setting up events: %s", strerror(-ret));
}

static void handle_udev(struct rt_events *ev)
{
	struct udev_device *dev;

	while ((dev = udev_monitor_receive_device(ev->mon))) {
		const char *name = udev_device_get_sysname(dev);
		const char *action = udev_device_get_action(dev);

		if (name && action && !strcmp(name, HV_DEVICE_NAME)) {
			if (!strcmp(action, "add")) {
				ev->dev_present = true;
				push(ev, HVCTL_EVENT_BACKEND_UP, -1);
			} else if (!strcmp(action, "remove")) {
				ev->dev_present = false;
				push(ev, HVCTL_EVENT_BACKEND_DOWN, -1);
			}
		}
		udev_device_unref(dev);
	}
}

static void handle_tick(struct hvctl_ctx *ctx, struct rt_events *ev)
{
	uint64_t expirations;

	if (read(ev->timerfd, &expirations, sizeof(expirations)) < 0)
		return;
	if (ctx->backend == HVCTL_BACKEND_SIM) {
		if (ev->sub_fd < 0 && !sub_open(ctx, ev)) {
			/* Back (or there for the first time): reread everything. */
			ctx->tree.dirty = true;
			push(ev, HVCTL_EVENT_BACKEND_UP, -1);
			ev->sub_ever = true;
		}
	} else {
		kernel_tick(ctx, ev, false);
	}
	push(ev, HVCTL_EVENT_TICK, -1);
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
			else if (fd == ev->sub_fd)
				sub_drain(ctx, ev);
			else if (ev->mon && fd == udev_monitor_get_fd(ev->mon))
				handle_udev(ev);
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

static unsigned long sysattr_num(struct udev_device *dev, const char *name)
{
	const char *v = udev_device_get_sysattr_value(dev, name);

	return v ? strtoul(v, NULL, 0) : 0;
}

int hvctl_ivshmem_list(struct hvctl_ctx *ctx, struct hvctl_ivshmem_list **out)
{
	struct hvctl_ivshmem_list *list;
	struct udev_list_entry *e;
	struct udev_enumerate *en = NULL;
	struct udev *udev = NULL;
	char vendor[8], device[8];
	int ret = 0;

	if (!out)
		return -EINVAL;
	*out = NULL;
	rt_clear_err(ctx);
	list = calloc(1, sizeof(*list));
	if (!list)
		return rt_fail(ctx, -ENOMEM, "out of memory");
	/* Only the real kernel backend has a PCI bus of its own. */
	if (ctx->backend != HVCTL_BACKEND_KERNEL || ctx->dir) {
		*out = list;
		return 0;
	}
	udev = udev_new();
	if (!udev) {
		ret = rt_fail(ctx, -ENOMEM, "libudev: cannot create a context");
		goto out;
	}
	en = udev_enumerate_new(udev);
	snprintf(vendor, sizeof(vendor), "0x%04x", HV_IVSHMEM_VENDOR_ID);
	snprintf(device, sizeof(device), "0x%04x", HV_IVSHMEM_DEVICE_ID);
	if (!en || udev_enumerate_add_match_subsystem(en, "pci") ||
	    udev_enumerate_add_match_sysattr(en, "vendor", vendor) ||
	    udev_enumerate_add_match_sysattr(en, "device", device)) {
		ret = rt_fail(ctx, -ENOMEM, "libudev: cannot set up enumeration");
		goto out;
	}
	/* Without a sysfs PCI bus (some containers) the list is empty. */
	udev_enumerate_scan_devices(en);
	udev_list_entry_foreach(e, udev_enumerate_get_list_entry(en)) {
		struct hvctl_ivshmem_device *d, *items;
		struct udev_device *dev;
		const char *drv;

		dev = udev_device_new_from_syspath(udev, udev_list_entry_get_name(e));
		if (!dev)
			continue;
		items = realloc(list->items, (list->count + 1) * sizeof(*items));
		if (!items) {
			udev_device_unref(dev);
			ret = rt_fail(ctx, -ENOMEM, "out of memory");
			goto out;
		}
		list->items = items;
		d = &items[list->count];
		memset(d, 0, sizeof(*d));
		d->syspath = strdup(udev_device_get_syspath(dev));
		d->slot = strdup(udev_device_get_sysname(dev));
		drv = udev_device_get_driver(dev);
		d->driver = drv ? strdup(drv) : NULL;
		d->vendor = (uint16_t)sysattr_num(dev, "vendor");
		d->device = (uint16_t)sysattr_num(dev, "device");
		d->class_code = (uint32_t)sysattr_num(dev, "class");
		d->protocol = (uint16_t)(d->class_code & 0xffff);
		list->count++;
		udev_device_unref(dev);
		if (!d->syspath || !d->slot || (drv && !d->driver)) {
			ret = rt_fail(ctx, -ENOMEM, "out of memory");
			goto out;
		}
	}
out:
	if (en)
		udev_enumerate_unref(en);
	if (udev)
		udev_unref(udev);
	if (ret) {
		hvctl_ivshmem_list_free(list);
		return ret;
	}
	*out = list;
	return 0;
}
