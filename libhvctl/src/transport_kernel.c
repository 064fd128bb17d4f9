// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The kernel transport: real ioctls on /dev/jailhouse (or the device
 * named for a jailhouse:DIR tree), /sys/devices/jailhouse (or DIR) as
 * the tree. The device is opened on first use and kept; its console
 * cursor is not used there (each console reader opens its own
 * descriptor). Events: a timer compares the device node, the enabled flag
 * and the cells directory with the last tick, and a libudev monitor sees
 * the device come and go (on the real system only). The root cell's
 * ivshmem devices are on its PCI bus, found through libudev.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <libudev.h>
#include <linux/capability.h>

#include "runtime_int.h"

static int kernel_open(struct hvctl_ctx *ctx, const char *rest,
		       const char *uri, const char *device,
		       char **def_registry, struct hvctl_error *err)
{
	(void)uri;
	(void)err;
	*def_registry = strdup(HVCTL_DEFAULT_REGISTRY);
	if (!*def_registry)
		return -ENOMEM;
	if (!*rest) {
		ctx->tree_path = strdup(HV_SYSFS_PATH);
		ctx->device = strdup(HV_DEVICE_PATH);
		return ctx->tree_path && ctx->device ? 0 : -ENOMEM;
	}
	ctx->dir = rt_absolute_dir(rest);
	if (!ctx->dir)
		return -ENOMEM;
	ctx->tree_path = strdup(ctx->dir);
	if (!ctx->tree_path)
		return -ENOMEM;
	if (device && *device) {
		ctx->device = strdup(device);
		if (!ctx->device)
			return -ENOMEM;
	}
	return 0;
}

static int kernel_tree_open(struct hvctl_ctx *ctx)
{
	int fd = open(ctx->tree_path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	int err;

	if (fd >= 0)
		return fd;
	err = -errno;
	/* No /sys/devices/jailhouse: no driver (a DIR is just missing). */
	if (!ctx->dir && err == -ENOENT)
		return rt_fail(ctx, -ENODEV,
			       "the jailhouse driver is not loaded (no %s)",
			       ctx->tree_path);
	return rt_fail(ctx, err, "cannot open %s: %s", ctx->tree_path,
		       strerror(-err));
}

/* CAP_SYS_ADMIN in the effective set: what hvdrv asks of every ioctl. */
static bool has_sys_admin(void)
{
	struct __user_cap_header_struct hdr = {
		.version = _LINUX_CAPABILITY_VERSION_3,
	};
	struct __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3];

	memset(data, 0, sizeof(data));
	if (syscall(SYS_capget, &hdr, data))
		return true;	/* cannot tell: trying will */
	return data[CAP_SYS_ADMIN / 32].effective &
	       (1u << (CAP_SYS_ADMIN % 32));
}

static bool kernel_may_control(struct hvctl_ctx *ctx, char *why, size_t size)
{
	struct stat st;

	if (!ctx->device) {
		snprintf(why, size,
			 "a jailhouse:DIR tree without HVCTL_DEVICE is read-only");
		return false;
	}
	/* A device not there yet (driver not loaded) may come: try then. */
	if (access(ctx->device, F_OK) == 0 && access(ctx->device, W_OK) != 0) {
		snprintf(why, size, "cannot open %s for writing (root needed; the operator group may only read)",
			 ctx->device);
		return false;
	}
	/* A node in a fixture tree (jailhouse:DIR) is no driver's. */
	if (!stat(ctx->device, &st) && S_ISCHR(st.st_mode) && !has_sys_admin()) {
		snprintf(why, size,
			 "changing the hypervisor needs CAP_SYS_ADMIN (root); this process may only read");
		return false;
	}
	return true;
}

static int kernel_check(struct hvctl_ctx *ctx)
{
	struct stat st;

	/* A tree without a device (a copy, a fixture) is always "there". */
	if (ctx->dir)
		return 0;
	if (stat(ctx->tree_path, &st)) {
		ctx->unreachable = true;
		return rt_fail(ctx, -ENODEV,
			       "the jailhouse driver is not loaded (no %s)",
			       ctx->tree_path);
	}
	return 0;
}

static int open_device(struct hvctl_ctx *ctx)
{
	int fd;

	if (ctx->ctl_fd >= 0)
		return 0;
	if (!ctx->device)
		return rt_fail(ctx, -EROFS,
			       "%s is read-only (set HVCTL_DEVICE to a device node to control it)",
			       ctx->uri);
	fd = open(ctx->device, O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		int err = errno;

		if (err == ENOENT || err == ENXIO || err == ENODEV) {
			ctx->unreachable = true;
			return rt_fail(ctx, -ENODEV,
				       "the jailhouse driver is not loaded (no %s)",
				       ctx->device);
		}
		if (err == EACCES || err == EPERM)
			return rt_fail(ctx, -err,
				       "cannot open %s: %s (root needed)",
				       ctx->device, strerror(err));
		return rt_fail(ctx, -err, "cannot open %s: %s", ctx->device,
			       strerror(err));
	}
	ctx->ctl_fd = fd;
	ctx->epoch++;
	return 0;
}

static int kernel_request(struct hvctl_ctx *ctx, struct rt_request *req)
{
	unsigned long arg;
	int ret;

	ret = open_device(ctx);
	if (ret)
		return ret;
	/*
	 * ENABLE takes the config pointer itself, DISABLE nothing, the
	 * others their argument struct.
	 */
	if (req->cmd == HV_IOC_ENABLE)
		arg = (unsigned long)req->data[0].iov_base;
	else if (req->cmd == HV_IOC_DISABLE)
		arg = 0;
	else
		arg = (unsigned long)req->arg;
	do {
		ret = ioctl(ctx->ctl_fd, req->cmd, arg);
	} while (ret < 0 && errno == EINTR);
	if (ret < 0) {
		ret = -errno;
		if (ret == -ENODEV || ret == -ENXIO) {
			/* The module went away under an open descriptor. */
			close(ctx->ctl_fd);
			ctx->ctl_fd = -1;
		}
		return ret;
	}
	return 0;
}

/* ---- The statistics report in one call ---- */

static bool stats_ioctl_disabled_by_env(void)
{
	const char *e = getenv("HVCTL_NO_STATS_IOCTL");

	return e && *e && strcmp(e, "0");
}

static void stats_ioctl_absent(struct hvctl_ctx *ctx)
{
	ctx->stats_ioc = -1;
	if (ctx->stats_fd >= 0)
		close(ctx->stats_fd);
	ctx->stats_fd = -1;
}

/*
 * HV_IOC_STATS_READ on the device: the descriptor the context controls
 * through when it has one, else one opened read-only once (what the
 * operator group may do). A tree named by jailhouse:DIR keeps its files.
 * Upstream's driver answers the unknown command with EINVAL (ENOTTY from
 * anything that is no driver of ours): remembered, the attribute or the
 * files serve from then on.
 */
static int kernel_stats_read(struct hvctl_ctx *ctx, void *buf, size_t cap,
			     size_t *len, size_t *needed)
{
	struct hv_ioc_stats_read req;
	int fd, ret, err;

	if (ctx->dir || !ctx->device || ctx->stats_ioc < 0)
		return 1;
	if (stats_ioctl_disabled_by_env()) {
		ctx->stats_ioc = -1;
		return 1;
	}
	fd = ctx->ctl_fd >= 0 ? ctx->ctl_fd : ctx->stats_fd;
	if (fd < 0) {
		fd = open(ctx->device, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
		if (fd < 0) {
			err = errno;
			/* Not loaded yet: it may come. Not ours to open: never. */
			if (err != ENOENT && err != ENXIO && err != ENODEV)
				ctx->stats_ioc = -1;
			return 1;
		}
		ctx->stats_fd = fd;
	}
	memset(&req, 0, sizeof(req));
	req.version = HV_IOC_STATS_READ_VERSION;
	req.buffer = (uintptr_t)buf;
	req.size = cap;
	do {
		ret = ioctl(fd, HV_IOC_STATS_READ, &req);
	} while (ret < 0 && errno == EINTR);
	if (ret >= 0) {
		if ((uint64_t)ret != req.needed || (size_t)ret > cap)
			return rt_fail(ctx, -EIO, "%s: HV_IOC_STATS_READ returned %d bytes for %zu (needed %llu)",
				       ctx->device, ret, cap,
				       (unsigned long long)req.needed);
		ctx->stats_ioc = 1;
		*len = (size_t)ret;
		return 0;
	}
	err = errno;
	if (err == ENOSPC) {
		ctx->stats_ioc = 1;
		*needed = req.needed;
		return -ENOSPC;
	}
	if (err == EINVAL || err == ENOTTY) {
		stats_ioctl_absent(ctx);
		return 1;
	}
	if (err == ENODEV || err == ENXIO) {
		/* The driver went away under the descriptor. */
		if (fd == ctx->stats_fd) {
			close(ctx->stats_fd);
			ctx->stats_fd = -1;
		}
		return 1;
	}
	return rt_fail(ctx, -err, "%s: HV_IOC_STATS_READ: %s", ctx->device,
		       strerror(err));
}

/* ---- Consoles ---- */

/*
 * The hypervisor console through the device: our own non-blocking
 * descriptor, whose cursor the driver keeps. Cell consoles and trees
 * without a device: the tree's console files (console.c).
 */
static int kernel_console_open(struct hvctl_ctx *ctx, struct rt_console *rc)
{
	int err;

	if (rc->cell_id >= 0 || !ctx->device) {
		rc->from_tree = true;
		return 0;
	}
	rc->fd = open(ctx->device, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (rc->fd >= 0)
		return 0;
	err = errno;
	if (err == ENOENT || err == ENODEV || err == ENXIO) {
		ctx->unreachable = true;
		return rt_fail(ctx, -ENODEV,
			       "the jailhouse driver is not loaded (no %s)",
			       ctx->device);
	}
	return rt_fail(ctx, -err, "cannot open %s: %s", ctx->device,
		       strerror(err));
}

/* Parse the driver's "<missed N bytes of console log>\n" notice. */
static bool missed_notice(const char *buf, size_t len, uint64_t *lost)
{
	static const char head[] = "<missed ", tail[] = " bytes of console log>\n";
	char tmp[64];
	char *end;
	size_t hl = sizeof(head) - 1, tl = sizeof(tail) - 1;

	if (len <= hl + tl || len >= sizeof(tmp) || memcmp(buf, head, hl) ||
	    memcmp(buf + len - tl, tail, tl))
		return false;
	memcpy(tmp, buf + hl, len - hl - tl);
	tmp[len - hl - tl] = '\0';
	if (tmp[0] < '0' || tmp[0] > '9')
		return false;
	*lost = strtoull(tmp, &end, 10);
	return !*end;
}

static int kernel_console_fetch(struct hvctl_ctx *ctx, struct rt_console *rc,
				char *buf, size_t size, size_t *len,
				uint64_t *lost)
{
	int round;

	*len = 0;
	*lost = 0;
	/* A notice read is followed by the data, in a second read. */
	for (round = 0; round < 2; round++) {
		ssize_t n = read(rc->fd, buf, size);
		uint64_t missed;

		if (n < 0) {
			if (errno == EINTR) {
				round--;
				continue;
			}
			/* Not enabled and nothing left from before: no news. */
			if (errno == EAGAIN)
				return 0;
			if (errno == EPERM)
				return rt_fail(ctx, -EPERM, RT_MSG_NO_DEBUG_CONSOLE);
			return rt_fail(ctx, -errno, "reading %s: %s",
				       ctx->device, strerror(errno));
		}
		if (missed_notice(buf, (size_t)n, &missed)) {
			*lost += missed;
			continue;
		}
		*len = (size_t)n;
		return 0;
	}
	return 0;
}

/* ---- Events: the periodic check and the udev monitor ---- */

struct kernel_events {
	struct udev *udev;
	struct udev_monitor *mon;
	/* What the last tick saw. */
	bool dev_present;
	bool enabled;
	int *ids;
	size_t num_ids;
	struct stat cells_st;
	bool have_cells_st;
};

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
static void check_tree(struct hvctl_ctx *ctx, struct rt_events *ev, bool first)
{
	struct kernel_events *ke = ev->tr;
	char path[4096];
	struct stat st;
	bool present, en, same;
	int *ids;
	size_t n, i, j;

	present = dev_present(ctx);
	if (!first && present != ke->dev_present)
		events_push(ev, present ? HVCTL_EVENT_BACKEND_UP :
					  HVCTL_EVENT_BACKEND_DOWN, -1);
	ke->dev_present = present;

	en = present && read_enabled(ctx);
	if (!first && en != ke->enabled)
		events_push(ev, en ? HVCTL_EVENT_ENABLED : HVCTL_EVENT_DISABLED,
			    -1);
	ke->enabled = en;

	snprintf(path, sizeof(path), "%s/cells", ctx->tree_path);
	if (stat(path, &st))
		memset(&st, 0, sizeof(st));
	same = ke->have_cells_st && st.st_ino == ke->cells_st.st_ino &&
	       st.st_nlink == ke->cells_st.st_nlink &&
	       st.st_mtim.tv_sec == ke->cells_st.st_mtim.tv_sec &&
	       st.st_mtim.tv_nsec == ke->cells_st.st_mtim.tv_nsec;
	if (same && !first)
		return;
	ke->cells_st = st;
	ke->have_cells_st = true;
	if (list_cells(ctx, &ids, &n))
		return;
	if (!first) {
		/* Both lists ascending: a merge gives removals and additions. */
		for (i = 0, j = 0; i < ke->num_ids || j < n;) {
			if (j == n || (i < ke->num_ids && ke->ids[i] < ids[j])) {
				events_push(ev, HVCTL_EVENT_CELL_REMOVED,
					    ke->ids[i++]);
			} else if (i == ke->num_ids || ids[j] < ke->ids[i]) {
				events_push(ev, HVCTL_EVENT_CELL_ADDED, ids[j++]);
			} else {
				i++;
				j++;
			}
		}
		ctx->tree.dirty = true;
	}
	free(ke->ids);
	ke->ids = ids;
	ke->num_ids = n;
}

static int kernel_events_start(struct hvctl_ctx *ctx, struct rt_events *ev)
{
	struct kernel_events *ke = calloc(1, sizeof(*ke));

	if (!ke)
		return -ENOMEM;
	ev->tr = ke;
	if (!ctx->dir) {
		/*
		 * Where netlink is not permitted (some containers), the
		 * tick's check of the device node stands in.
		 */
		ke->udev = udev_new();
		if (ke->udev)
			ke->mon = udev_monitor_new_from_netlink(ke->udev, "udev");
		if (ke->mon &&
		    (udev_monitor_filter_add_match_subsystem_devtype(ke->mon, "misc", NULL) ||
		     udev_monitor_enable_receiving(ke->mon) ||
		     events_watch(ev, udev_monitor_get_fd(ke->mon)))) {
			udev_monitor_unref(ke->mon);
			ke->mon = NULL;
		}
	}
	check_tree(ctx, ev, true);
	return 0;
}

static void kernel_events_tick(struct hvctl_ctx *ctx, struct rt_events *ev)
{
	check_tree(ctx, ev, false);
}

static void kernel_events_ready(struct hvctl_ctx *ctx, struct rt_events *ev,
				int fd)
{
	struct kernel_events *ke = ev->tr;
	struct udev_device *dev;

	(void)ctx;
	if (!ke->mon || fd != udev_monitor_get_fd(ke->mon))
		return;
	while ((dev = udev_monitor_receive_device(ke->mon))) {
		const char *name = udev_device_get_sysname(dev);
		const char *action = udev_device_get_action(dev);

		if (name && action && !strcmp(name, HV_DEVICE_NAME)) {
			if (!strcmp(action, "add")) {
				ke->dev_present = true;
				events_push(ev, HVCTL_EVENT_BACKEND_UP, -1);
			} else if (!strcmp(action, "remove")) {
				ke->dev_present = false;
				events_push(ev, HVCTL_EVENT_BACKEND_DOWN, -1);
			}
		}
		udev_device_unref(dev);
	}
}

static void kernel_events_stop(struct hvctl_ctx *ctx, struct rt_events *ev)
{
	struct kernel_events *ke = ev->tr;

	(void)ctx;
	if (!ke)
		return;
	if (ke->mon)
		udev_monitor_unref(ke->mon);
	if (ke->udev)
		udev_unref(ke->udev);
	free(ke->ids);
	free(ke);
	ev->tr = NULL;
}

/* ---- ivshmem devices ---- */

static unsigned long sysattr_num(struct udev_device *dev, const char *name)
{
	const char *v = udev_device_get_sysattr_value(dev, name);

	return v ? strtoul(v, NULL, 0) : 0;
}

/* The root's ivshmem PCI devices (a jailhouse:DIR tree has no bus of its own). */
static int kernel_ivshmem_list(struct hvctl_ctx *ctx,
			       struct hvctl_ivshmem_list *list)
{
	struct udev_list_entry *e;
	struct udev_enumerate *en = NULL;
	struct udev *udev;
	char vendor[8], device[8];
	size_t cap = 0;
	int ret = 0;

	if (ctx->dir)
		return 0;
	udev = udev_new();
	if (!udev)
		return rt_fail(ctx, -ENOMEM, "libudev: cannot create a context");
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
		struct hvctl_ivshmem_device *d;
		struct udev_device *dev;
		const char *drv;

		dev = udev_device_new_from_syspath(udev, udev_list_entry_get_name(e));
		if (!dev)
			continue;
		if (hvctl_grow(&list->items, &cap, list->count + 1,
			    sizeof(*list->items))) {
			udev_device_unref(dev);
			ret = rt_fail(ctx, -ENOMEM, "out of memory");
			goto out;
		}
		d = &list->items[list->count];
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
	udev_unref(udev);
	return ret;
}

static void kernel_close(struct hvctl_ctx *ctx)
{
	if (ctx->ctl_fd >= 0)
		close(ctx->ctl_fd);
	ctx->ctl_fd = -1;
	if (ctx->stats_fd >= 0)
		close(ctx->stats_fd);
	ctx->stats_fd = -1;
}

const struct rt_transport rt_transport_kernel = {
	.scheme = "jailhouse:",
	.open = kernel_open,
	.check = kernel_check,
	.tree_open = kernel_tree_open,
	.request = kernel_request,
	.may_control = kernel_may_control,
	.console_open = kernel_console_open,
	.console_fetch = kernel_console_fetch,
	.events_start = kernel_events_start,
	.events_tick = kernel_events_tick,
	.events_ready = kernel_events_ready,
	.events_stop = kernel_events_stop,
	.ivshmem_list = kernel_ivshmem_list,
	.stats_read = kernel_stats_read,
	.close = kernel_close,
};
