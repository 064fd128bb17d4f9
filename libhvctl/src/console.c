// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Console readers. The transport fetches new bytes its own way (hvsim:
 * CONSOLE_READ with a cursor; the jailhouse device: read() on an own
 * descriptor whose cursor the driver keeps), or has us read the tree's
 * console file (a tree without device, a cell's console): the ring's
 * current content, compared with what we saw last time. Whatever was
 * fetched but did not fit the caller's buffer waits in pending for the
 * next read.
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

#define FETCH_MAX	(HV_CONSOLE_SIZE + 128)

struct hvctl_console {
	struct hvctl_ctx *ctx;
	int cell_id;
	struct rt_console rc;	/* the transport's part */

	/* From the tree: the ring content seen last time, and its file's
	 * inode (a cell re-created under the same ID has a new one). */
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
	int ret;

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
	con->rc.cell_id = cell_id;
	con->rc.fd = -1;
	ret = ctx->tr->console_open(ctx, &con->rc);
	if (ret) {
		free(con);
		return ret;
	}
	if (con->rc.from_tree && cell_id >= 0) {
		char full[4096];

		file_path(con, rel, sizeof(rel));
		snprintf(full, sizeof(full), "%s/%s", ctx->tree_path, rel);
		if (stat(full, &st)) {
			free(con);
			return rt_fail(ctx, -ENOTSUP,
				       "%s offers no console for cell %d",
				       ctx->uri, cell_id);
		}
	}
	*out = con;
	return 0;
}

void hvctl_console_close(struct hvctl_console *con)
{
	if (!con)
		return;
	if (con->rc.fd >= 0)
		close(con->rc.fd);
	free(con);
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
	int fd, ret;

	file_path(con, rel, sizeof(rel));
	ret = tree_open_root(ctx);
	if (ret)
		return ret;
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
			return rt_fail(ctx, -EPERM, RT_MSG_NO_DEBUG_CONSOLE);
		return rt_fail(ctx, -err, "cannot open %s/%s: %s",
			       ctx->tree_path, rel, strerror(err));
	}
	n = read(fd, now, sizeof(now));
	if (n < 0 || fstat(fd, &st)) {
		int err = errno;

		close(fd);
		if (err == EPERM)
			return rt_fail(ctx, -EPERM, RT_MSG_NO_DEBUG_CONSOLE);
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

static int fetch_transport(struct hvctl_console *con)
{
	struct hvctl_ctx *ctx = con->ctx;
	uint64_t lost = 0;
	size_t len = 0;
	int ret;

	ret = ctx->tr->console_fetch(ctx, &con->rc, con->pending,
				     sizeof(con->pending), &len, &lost);
	if (ret)
		return ret;
	con->pending_len = len;
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
		ret = con->rc.from_tree ? fetch_file(con) : fetch_transport(con);
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
