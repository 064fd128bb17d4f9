// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The statistics report (include/hvabi/stats.h, doc/statistics.md): the
 * tree's statistics_all file, which hvdrv and hvsim fill with one
 * hypercall. Where it exists, a snapshot takes cell states, failed CPUs,
 * pools, every counter and the ivshmem links from it. On the kernel the
 * driver's HV_IOC_STATS_READ hands it over in one ioctl; else one pread of
 * a descriptor kept open (one per page on the kernel's sysfs); where
 * neither is there (upstream's driver, or HVCTL_NO_STATS_ALL set), the
 * files.
 *
 * The file comes from outside the library: every size and count is
 * checked before use, records are copied out, never cast in place.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <hvabi/stats.h>

#include "runtime_int.h"

#define STATS_FILE		"statistics_all"
#define STATS_FIRST_CAP		(64 * 1024)
#define STATS_MAX		(16u << 20)
#define STATS_ATTEMPTS		3

static bool disabled_by_env(void)
{
	const char *e = getenv("HVCTL_NO_STATS_ALL");

	return e && *e && strcmp(e, "0");
}

static int grow(struct tree *t, size_t cap)
{
	uint8_t *b;

	if (cap <= t->stats_cap)
		return 0;
	b = realloc(t->stats_buf, cap);
	if (!b)
		return -ENOMEM;
	t->stats_buf = b;
	t->stats_cap = cap;
	return 0;
}

/* Reads the report into t->stats_buf; *len bytes. */
static int read_once(struct hvctl_ctx *ctx, size_t *len)
{
	struct tree *t = &ctx->tree;
	size_t off = 0, total = 0;
	ssize_t n;

	if (grow(t, STATS_FIRST_CAP))
		return -ENOMEM;
	for (;;) {
		if (off == t->stats_cap && grow(t, t->stats_cap * 2))
			return -ENOMEM;
		n = pread(t->fd_stats_all, t->stats_buf + off,
			  t->stats_cap - off, (off_t)off);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return rt_fail(ctx, -errno, "%s/%s: %s", ctx->tree_path,
				       STATS_FILE, strerror(errno));
		}
		if (!n)
			break;
		off += (size_t)n;
		if (!total && off >= 12) {
			uint32_t ts;

			memcpy(&ts, t->stats_buf + 8, sizeof(ts));
			if (ts > STATS_MAX)
				return rt_fail(ctx, -EIO, "%s/%s: total_size %u is more than %u",
					       ctx->tree_path, STATS_FILE, ts,
					       STATS_MAX);
			total = ts ? ts : 1;
			if (grow(t, total))
				return -ENOMEM;
		}
		/* A regular file arrives whole; sysfs a page per read. */
		if (total && off >= total)
			break;
		if (off > STATS_MAX)
			return rt_fail(ctx, -EIO, "%s/%s: more than %u bytes",
				       ctx->tree_path, STATS_FILE, STATS_MAX);
	}
	*len = off;
	return 0;
}

/*
 * 0: a whole report (rep filled); -EAGAIN: pieces of two reports or one
 * being rewritten (read again); 1: a format this library does not know
 * (use the files); other -errno: malformed.
 */
static int parse(struct hvctl_ctx *ctx, size_t len, struct stats_report *rep,
		 bool ioc)
{
	/* Where the report came from, for the messages. */
	const char *src = ioc ? ctx->device : ctx->tree_path;
	const char *srcw = ioc ? ": HV_IOC_STATS_READ" : "/" STATS_FILE;
	const uint8_t *b = ctx->tree.stats_buf;
	struct hv_stats_header h;
	struct hv_stats_trailer tr;
	uint64_t expect;
	unsigned int i;

	if (len < sizeof(h))
		return -EAGAIN;
	memcpy(&h, b, sizeof(h));
	if (h.magic != HV_STATS_MAGIC || h.version != HV_STATS_VERSION ||
	    h.num_stats != HV_NUM_CPU_STATS ||
	    h.max_peers > HV_IVSHMEM_MAX_PEERS)
		return 1;
	if (h.header_size < sizeof(h) ||
	    h.cell_size < sizeof(struct hv_stats_cell) ||
	    h.cpu_size < sizeof(struct hv_stats_cpu) ||
	    h.link_size < offsetof(struct hv_stats_link, peers) +
			  (size_t)h.max_peers * sizeof(struct hv_stats_peer) ||
	    h.num_cpus > HV_STATS_MAX_CPUS)
		return rt_fail(ctx, -EIO, "%s%s: impossible record sizes or counts",
			       src, srcw);
	expect = (uint64_t)h.header_size +
		 (uint64_t)h.num_cells * h.cell_size +
		 (uint64_t)h.num_cpus * h.cpu_size +
		 (uint64_t)h.num_links * h.link_size + sizeof(tr);
	if (h.total_size != expect || len != expect)
		return -EAGAIN;
	memcpy(&tr, b + len - sizeof(tr), sizeof(tr));
	if (tr.magic != HV_STATS_TRAILER_MAGIC || tr.sequence != h.sequence)
		return -EAGAIN;
	rep->hdr = h;
	rep->buf = b;
	rep->cells_off = h.header_size;
	rep->cpus_off = rep->cells_off + (size_t)h.num_cells * h.cell_size;
	rep->links_off = rep->cpus_off + (size_t)h.num_cpus * h.cpu_size;
	for (i = 0; i < h.num_cpus; i++) {
		struct hv_stats_cpu c;

		memcpy(&c, b + rep->cpus_off + (size_t)i * h.cpu_size, sizeof(c));
		if (c.cpu_id != i)
			return rt_fail(ctx, -EIO, "%s%s: CPU record %u names CPU %u",
				       src, srcw, i, c.cpu_id);
	}
	rep->valid = true;
	return 0;
}

/*
 * The report through the transport's one call (the kernel's
 * HV_IOC_STATS_READ) into t->stats_buf: 0 with *len, 1 when there is no
 * such call, -errno. A buffer too small grows to the size the call names.
 */
static int ioc_once(struct hvctl_ctx *ctx, size_t *len)
{
	struct tree *t = &ctx->tree;
	size_t needed = 0;
	int ret;

	if (grow(t, STATS_FIRST_CAP))
		return -ENOMEM;
	ret = ctx->tr->stats_read(ctx, t->stats_buf, t->stats_cap, len,
				  &needed);
	if (ret != -ENOSPC)
		return ret;
	if (needed > STATS_MAX || needed <= t->stats_cap)
		return rt_fail(ctx, -EIO, "%s: HV_IOC_STATS_READ needs %zu bytes (buffer %zu, limit %u)",
			       ctx->device, needed, t->stats_cap, STATS_MAX);
	/* Room for a few more cells before the next resize. */
	if (grow(t, needed + 4096))
		return -ENOMEM;
	ret = ctx->tr->stats_read(ctx, t->stats_buf, t->stats_cap, len,
				  &needed);
	/* Grown again between the two calls: the caller's loop tries anew. */
	if (ret == -ENOSPC) {
		*len = 0;
		return -EAGAIN;
	}
	return ret;
}

static int read_ioc(struct hvctl_ctx *ctx, struct stats_report *rep)
{
	unsigned int attempt;
	size_t len = 0;
	int ret;

	for (attempt = 0; attempt < STATS_ATTEMPTS; attempt++) {
		ret = ioc_once(ctx, &len);
		if (ret == -EAGAIN)
			continue;
		if (ret)
			return ret;
		if (!len)
			return 0;	/* disabled: nothing to report */
		ret = parse(ctx, len, rep, true);
		if (ret == 1) {
			ctx->tree.stats_all = STATS_ALL_ABSENT;
			return 0;
		}
		if (ret != -EAGAIN)
			return ret;
	}
	return rt_fail(ctx, -EIO, "%s: HV_IOC_STATS_READ: the report changed during each of %d calls",
		       ctx->device, STATS_ATTEMPTS);
}

int stats_all_read(struct hvctl_ctx *ctx, struct stats_report *rep)
{
	struct tree *t = &ctx->tree;
	unsigned int attempt;
	size_t len = 0;
	int fd, ret;

	memset(rep, 0, sizeof(*rep));
	if (t->stats_all == STATS_ALL_ABSENT)
		return 0;
	if (t->stats_all == STATS_ALL_UNKNOWN && disabled_by_env()) {
		t->stats_all = STATS_ALL_ABSENT;
		return 0;
	}
	/* One call on the device where the driver has it (not on hvsim). */
	if (ctx->tr->stats_read && ctx->stats_ioc >= 0) {
		ret = read_ioc(ctx, rep);
		if (ret != 1)
			return ret;
	}
	if (t->stats_all == STATS_ALL_UNKNOWN) {
		fd = openat(t->root_fd, STATS_FILE, O_RDONLY | O_CLOEXEC);
		if (fd < 0) {
			if (errno != ENOENT)
				return rt_fail(ctx, -errno, "%s/%s: %s",
					       ctx->tree_path, STATS_FILE,
					       strerror(errno));
			t->stats_all = STATS_ALL_ABSENT;	/* upstream's driver */
			return 0;
		}
		t->fd_stats_all = fd;
		t->budget.used++;
		t->stats_all = STATS_ALL_PRESENT;
	}
	for (attempt = 0; attempt < STATS_ATTEMPTS; attempt++) {
		ret = read_once(ctx, &len);
		if (ret)
			return ret;
		if (!len)
			return 0;	/* disabled: nothing to report */
		ret = parse(ctx, len, rep, false);
		if (ret == 1) {
			/* Another version: the files still say everything. */
			t->stats_all = STATS_ALL_ABSENT;
			return 0;
		}
		if (ret != -EAGAIN)
			return ret;
	}
	return rt_fail(ctx, -EIO, "%s/%s: changed during each of %d reads",
		       ctx->tree_path, STATS_FILE, STATS_ATTEMPTS);
}

bool stats_all_cell(struct stats_report *rep, int id,
		    struct hv_stats_cell *out)
{
	unsigned int i, n = rep->hdr.num_cells;

	/*
	 * Cells are looked up in ID order and the report has them in
	 * creation order, mostly the same: start after the last one found.
	 */
	for (i = 0; i < n; i++) {
		unsigned int k = (rep->next_cell + i) % n;
		const uint8_t *rec = rep->buf + rep->cells_off +
				     (size_t)k * rep->hdr.cell_size;
		uint32_t rid;

		memcpy(&rid, rec + offsetof(struct hv_stats_cell, id),
		       sizeof(rid));
		if ((int64_t)rid != id)
			continue;
		memcpy(out, rec, sizeof(*out));
		rep->next_cell = k + 1;
		return true;
	}
	return false;
}

bool stats_all_cpu(const struct stats_report *rep, unsigned int cpu,
		   struct hv_stats_cpu *out)
{
	if (cpu >= rep->hdr.num_cpus)
		return false;
	memcpy(out, rep->buf + rep->cpus_off + (size_t)cpu * rep->hdr.cpu_size,
	       sizeof(*out));
	return true;
}

int stats_all_ivshmem(const struct stats_report *rep,
		      struct hvctl_ivshmem_peer **out, size_t *num)
{
	struct hvctl_ivshmem_peer *peers = NULL;
	size_t n = 0, cap = 0;
	unsigned int l, p;

	for (l = 0; l < rep->hdr.num_links; l++) {
		struct hv_stats_link link;
		size_t off = rep->links_off + (size_t)l * rep->hdr.link_size;

		memset(&link, 0, sizeof(link));
		memcpy(&link, rep->buf + off,
		       offsetof(struct hv_stats_link, peers) +
		       (size_t)rep->hdr.max_peers * sizeof(struct hv_stats_peer));
		for (p = 0; p < rep->hdr.max_peers; p++) {
			const struct hv_stats_peer *s = &link.peers[p];
			struct hvctl_ivshmem_peer *d;

			if (s->cell_id < 0)
				continue;
			if (hvctl_grow(&peers, &cap, n + 1, sizeof(*peers))) {
				free(peers);
				return -ENOMEM;
			}
			d = &peers[n++];
			memset(d, 0, sizeof(*d));
			d->domain = link.domain;
			d->bdf = link.bdf;
			d->dev_id = p;
			d->max_peers = link.max_peers;
			d->cell_id = s->cell_id;
			d->state = s->state;
			d->interrupts = s->int_ctrl & 1;
			d->doorbells = s->doorbells_received;
		}
	}
	*out = peers;
	*num = n;
	return 0;
}
