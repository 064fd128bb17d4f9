// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Console readers. Three ways to get at a console ring, one interface:
 *   - hvsim: CONSOLE_READ with our cursor (exact lost count);
 *   - a jailhouse device: read() on our own non-blocking descriptor (the
 *     driver keeps the cursor per open file and reports lost bytes as a
 *     "<missed N bytes of console log>" line);
 *   - a sysfs console file (a tree without device, or a cell's console):
 *     the ring's current content, compared with what we saw last time.
 * Whatever was fetched but did not fit the caller's buffer waits in
 * pending for the next read.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <hvabi/console.h>

#include "runtime_int.h"

enum con_kind {
	CON_SIM,
	CON_DEVICE,
	CON_FILE,
};

#define FETCH_MAX	(HV_CONSOLE_SIZE + 128)

struct hvctl_console {
	struct hvctl_ctx *ctx;
	int cell_id;
	enum con_kind kind;

	/* CON_SIM */
	uint64_t head;
	uint32_t generation;

	/* CON_DEVICE */
	int fd;

	/* CON_FILE: the ring content seen last time, and its file's inode
	 * (a cell re-created under the same ID has a new one). */
	char seen[FETCH_MAX];
	size_t seen_len;
	ino_t ino;
	bool have_ino;

	/* Fetched, not yet handed out. */
	char pending[FETCH_MAX];
	size_t pending_len;
	size_t pending_off;
	uint64_t pending_lost;
};

static void file_path(const struct hvctl_console *con, char *buf, size_t len)
{
	if (con->cell_id < 0)
		snprintf(buf, len, "console");
	else
		snprintf(buf, len, "cells/%d/console", con->cell_id);
}

int hvctl_console_open(struct hvctl_ctx *ctx, int cell_id,
		       struct hvctl_console **out)
{
	struct hvctl_console *con;
	struct stat st;
	char rel[64];

	if (!out)
		return -EINVAL;
	*out = NULL;
	rt_clear_err(ctx);
	if (cell_id < HVCTL_CONSOLE_HYPERVISOR)
		return rt_fail(ctx, -EINVAL, "invalid cell %d for a console",
			       cell_id);
	con = calloc(1, sizeof(*con));
	if (!con)
		return rt_fail(ctx, -ENOMEM, "out of memory");
	con->ctx = ctx;
	con->cell_id = cell_id;
	con->fd = -1;

	if (ctx->backend == HVCTL_BACKEND_SIM) {
		con->kind = CON_SIM;
	} else if (cell_id < 0 && ctx->device) {
		con->kind = CON_DEVICE;
		con->fd = open(ctx->device, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
		if (con->fd < 0) {
			int err = errno;

			free(con);
			if (err == ENOENT || err == ENODEV || err == ENXIO) {
				ctx->unreachable = true;
				return rt_fail(ctx, -ENODEV,
					       "the jailhouse driver is not loaded (no %s)",
					       ctx->device);
			}
			return rt_fail(ctx, -err, "cannot open %s: %s",
				       ctx->device, strerror(err));
		}
	} else {
		con->kind = CON_FILE;
		file_path(con, rel, sizeof(rel));
		if (cell_id >= 0) {
			char full[4096];

			snprintf(full, sizeof(full), "%s/%s", ctx->tree_path, rel);
			if (stat(full, &st)) {
				free(con);
				return rt_fail(ctx, -ENOTSUP,
					       "%s offers no console for cell %d",
					       ctx->uri, cell_id);
			}
		}
	}
	*out = con;
	return 0;
}

void hvctl_console_close(struct hvctl_console *con)
{
	if (!con)
		return;
	if (con->fd >= 0)
		close(con->fd);
	free(con);
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

static int fetch_device(struct hvctl_console *con)
{
	struct hvctl_ctx *ctx = con->ctx;
	int round;

	/* A notice read is followed by the data, in a second read. */
	for (round = 0; round < 2; round++) {
		ssize_t n = read(con->fd, con->pending, sizeof(con->pending));
		uint64_t lost;

		if (n < 0) {
			if (errno == EINTR) {
				round--;
				continue;
			}
			/* Not enabled and nothing left from before: no news. */
			if (errno == EAGAIN)
				return 0;
			if (errno == EPERM)
				return rt_fail(ctx, -EPERM,
					       "the system config does not let the root cell read the hypervisor console (no virtual debug console flag)");
			return rt_fail(ctx, -errno, "reading %s: %s",
				       ctx->device, strerror(errno));
		}
		if (missed_notice(con->pending, (size_t)n, &lost)) {
			con->pending_lost += lost;
			continue;
		}
		con->pending_len = (size_t)n;
		return 0;
	}
	return 0;
}

/* Length of the longest suffix of a that is a prefix of b. */
static size_t overlap(const char *a, size_t alen, const char *b, size_t blen)
{
	size_t k = alen < blen ? alen : blen;

	for (; k; k--)
		if (!memcmp(a + alen - k, b, k))
			return k;
	return 0;
}

static int fetch_file(struct hvctl_console *con)
{
	struct hvctl_ctx *ctx = con->ctx;
	char rel[64], now[FETCH_MAX];
	struct stat st;
	size_t len, k, ring;
	ssize_t n;
	int fd;

	file_path(con, rel, sizeof(rel));
	fd = -1;
	if (ctx->tree.root_fd < 0) {
		ctx->tree.root_fd = open(ctx->tree_path,
					 O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (ctx->tree.root_fd < 0)
			return rt_fail(ctx, -errno, "cannot open %s: %s",
				       ctx->tree_path, strerror(errno));
	}
	fd = openat(ctx->tree.root_fd, rel, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		int err = errno;
		uint64_t en = 0;
		char buf[16];

		if (err == ENOENT && con->cell_id >= 0)
			return rt_fail(ctx, -ENOENT, "no cell with ID %d",
				       con->cell_id);
		/* hvsim drops the file when the flag is missing (§2). */
		if (err == ENOENT && !tree_read_file(ctx, "enabled", buf,
						     sizeof(buf), &len) &&
		    !sysfs_parse_u64(buf, &en) && en)
			err = EPERM;
		if (err == EPERM)
			return rt_fail(ctx, -EPERM,
				       "the system config does not let the root cell read the hypervisor console (no virtual debug console flag)");
		return rt_fail(ctx, -err, "cannot open %s/%s: %s",
			       ctx->tree_path, rel, strerror(err));
	}
	n = read(fd, now, sizeof(now));
	if (n < 0 || fstat(fd, &st)) {
		int err = errno;

		close(fd);
		if (err == EPERM)
			return rt_fail(ctx, -EPERM,
				       "the system config does not let the root cell read the hypervisor console (no virtual debug console flag)");
		return rt_fail(ctx, -err, "reading %s/%s: %s", ctx->tree_path,
			       rel, strerror(err));
	}
	close(fd);
	len = (size_t)n;

	/* A new cell under the same ID: its ring starts afresh. */
	if (con->cell_id >= 0 && con->have_ino && st.st_ino != con->ino)
		con->seen_len = 0;
	con->ino = st.st_ino;
	con->have_ino = true;

	ring = con->cell_id < 0 ? HV_CONSOLE_SIZE : HV_CELL_CONSOLE_SIZE;
	k = overlap(con->seen, con->seen_len, now, len);
	if (!k && con->seen_len && len) {
		/*
		 * Nothing in common: either the ring went round more than
		 * once since we looked (a full ring), or it restarted.
		 */
		if (len >= ring)
			con->pending_lost = HVCTL_CONSOLE_LOST_UNKNOWN;
	}
	memcpy(con->pending, now + k, len - k);
	con->pending_len = len - k;
	memcpy(con->seen, now, len);
	con->seen_len = len;
	return 0;
}

static int fetch_sim(struct hvctl_console *con)
{
	struct hvctl_ctx *ctx = con->ctx;
	size_t len = 0;
	uint64_t lost = 0;
	int ret;

	ret = ctx->tr->console_read(ctx, con->cell_id, &con->head,
				    &con->generation, con->pending,
				    sizeof(con->pending), &len, &lost);
	if (ret == -EAGAIN)
		return 0;	/* never enabled: nothing yet */
	if (ret < 0) {
		if (ctx->errmsg[0])
			return ret;
		switch (ret) {
		case -EPERM:
			return rt_fail(ctx, ret,
				       "the system config does not let the root cell read the hypervisor console (no virtual debug console flag)");
		case -ENOENT:
			return rt_fail(ctx, ret, "no cell with ID %d",
				       con->cell_id);
		case -EINVAL:
			return rt_fail(ctx, ret, "the hypervisor is not enabled");
		default:
			return rt_fail(ctx, ret, "reading the console: %s",
				       strerror(-ret));
		}
	}
	con->pending_len = len;
	if (lost)
		con->pending_lost += lost;
	return 0;
}

int hvctl_console_read(struct hvctl_console *con, char *buf, size_t size,
		       size_t *len, uint64_t *lost)
{
	struct hvctl_ctx *ctx;
	size_t take;
	int ret = 0;

	if (!con || !len || (size && !buf))
		return -EINVAL;
	ctx = con->ctx;
	rt_clear_err(ctx);
	*len = 0;
	if (lost)
		*lost = 0;
	if (con->pending_off == con->pending_len) {
		con->pending_off = con->pending_len = 0;
		switch (con->kind) {
		case CON_SIM:
			ret = fetch_sim(con);
			break;
		case CON_DEVICE:
			ret = fetch_device(con);
			break;
		case CON_FILE:
			ret = fetch_file(con);
			break;
		}
		if (ret)
			return ret;
	}
	take = con->pending_len - con->pending_off;
	if (take > size)
		take = size;
	memcpy(buf, con->pending + con->pending_off, take);
	con->pending_off += take;
	*len = take;
	if (lost)
		*lost = con->pending_lost;
	con->pending_lost = 0;
	return 0;
}
