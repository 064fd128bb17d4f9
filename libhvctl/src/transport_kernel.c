// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The kernel transport: real ioctls on /dev/jailhouse (or the device
 * named for a jailhouse:DIR tree). The device is opened on first use and
 * kept; its console cursor is not used here (console readers open their
 * own descriptor, see console.c).
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "runtime_int.h"

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

static void kernel_close(struct hvctl_ctx *ctx)
{
	if (ctx->ctl_fd >= 0)
		close(ctx->ctl_fd);
	ctx->ctl_fd = -1;
}

const struct rt_transport rt_transport_kernel = {
	.name = "kernel",
	.check = kernel_check,
	.request = kernel_request,
	.close = kernel_close,
};
