// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The file cache behind snapshots. Files read on every snapshot stay
 * open (within a descriptor budget) and are re-read with pread at offset
 * 0; the cells directory is stat()ed to notice a changed set of cells,
 * and only then are names, CPU sets and configs read again (rescan).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <hvabi/hypercall.h>

#include "runtime_int.h"

#define NUM_BUF		64

void fd_budget_init(struct fd_budget *b)
{
	struct rlimit rl;
	rlim_t soft = 1024, reserve;

	if (!getrlimit(RLIMIT_NOFILE, &rl) && rl.rlim_cur != RLIM_INFINITY)
		soft = rl.rlim_cur;
	else if (!getrlimit(RLIMIT_NOFILE, &rl))
		soft = 65536;
	/* Leave room for the application's own descriptors. */
	reserve = soft / 8 < 64 ? 64 : soft / 8;
	b->used = 0;
	b->max = soft > reserve ? (unsigned int)(soft - reserve) : 0;
	if (b->max > 65536)
		b->max = 65536;
}

int tree_open_root(struct hvctl_ctx *ctx)
{
	struct tree *t = &ctx->tree;
	int fd;

	if (t->root_fd >= 0)
		return 0;
	/* Where the tree is, and what its absence means, is the transport's. */
	fd = ctx->tr->tree_open(ctx);
	if (fd < 0)
		return fd;
	t->root_fd = fd;
	return 0;
}

/* Open rel below the tree's root for reading: a descriptor or -errno. */
static int tree_open_file(struct hvctl_ctx *ctx, const char *rel)
{
	int fd, ret;

	ret = tree_open_root(ctx);
	if (ret)
		return ret;
	fd = openat(ctx->tree.root_fd, rel, O_RDONLY | O_CLOEXEC);
	return fd < 0 ? -errno : fd;
}

int tree_read_file(struct hvctl_ctx *ctx, const char *rel, char *buf,
		   size_t size, size_t *len)
{
	ssize_t n;
	int fd, ret;

	fd = tree_open_file(ctx, rel);
	if (fd < 0)
		return fd;
	n = read(fd, buf, size - 1);
	ret = n < 0 ? -errno : 0;
	close(fd);
	if (ret)
		return ret;
	buf[n] = '\0';
	*len = (size_t)n;
	return 0;
}

int tree_read_blob(struct hvctl_ctx *ctx, const char *rel, uint8_t **data,
		   size_t *size)
{
	uint8_t *buf = NULL;
	size_t len = 0, cap = 0;
	int fd, ret = 0;

	fd = tree_open_file(ctx, rel);
	if (fd < 0)
		return fd;
	for (;;) {
		ssize_t n;

		if (len == cap) {
			/* Configs are at most 16 pages; refuse absurd files. */
			if (len >= (64u << 20)) {
				ret = -EFBIG;
				break;
			}
			if (hvctl_grow(&buf, &cap, len + 4096, 1)) {
				ret = -ENOMEM;
				break;
			}
		}
		n = read(fd, buf + len, cap - len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			ret = -errno;
			break;
		}
		if (!n)
			break;
		len += (size_t)n;
	}
	close(fd);
	if (ret) {
		free(buf);
		return ret;
	}
	*data = buf;
	*size = len;
	return 0;
}

/* Counter display order: arm64 first, then the other architectures'. */
static const char *const known_stats[] = {
#define STAT_NAME(name, file) file,
	HV_ARM64_STATS(STAT_NAME)
#undef STAT_NAME
	"vmexits_cp15", "vmexits_pio", "vmexits_xapic", "vmexits_cr",
	"vmexits_cpuid", "vmexits_xsetbv", "vmexits_exception",
	"vmexits_msr_other", "vmexits_msr_x2apic_icr",
};

/* ---- The file cache ---- */

void tree_init(struct tree *t)
{
	unsigned int i;

	memset(t, 0, sizeof(*t));
	t->root_fd = -1;
	t->fd_enabled = -1;
	t->fd_stats_all = -1;
	for (i = 0; i < 4; i++)
		t->fd_pool[i] = -1;
	fd_budget_init(&t->budget);
}

static void close_fd(struct tree *t, int *fd)
{
	if (*fd < 0)
		return;
	close(*fd);
	t->budget.used--;
	*fd = -1;
}

static void cell_close_files(struct tree *t, struct tree_cell *c)
{
	unsigned int i;

	close_fd(t, &c->fd_state);
	close_fd(t, &c->fd_failed);
	for (i = 0; i < HVCTL_STATS_MAX; i++)
		close_fd(t, &c->fd_stat[i]);
	if (c->fd_cpu_stat) {
		for (i = 0; i < c->num_cpus * t->num_stats; i++)
			close_fd(t, &c->fd_cpu_stat[i]);
		free(c->fd_cpu_stat);
		c->fd_cpu_stat = NULL;
	}
}

static void cell_free(struct tree *t, struct tree_cell *c)
{
	cell_close_files(t, c);
	free(c->cpus);
	free(c->cpus_list);
	cfg_ref_put(c->config);
	memset(c, 0, sizeof(*c));
}

static void free_cells(struct tree *t)
{
	size_t i;

	for (i = 0; i < t->num_cells; i++)
		cell_free(t, &t->cells[i]);
	free(t->cells);
	t->cells = NULL;
	t->num_cells = 0;
}

void tree_reset(struct tree *t)
{
	unsigned int i;

	free_cells(t);
	close_fd(t, &t->fd_enabled);
	close_fd(t, &t->fd_stats_all);
	t->stats_all = STATS_ALL_UNKNOWN;
	for (i = 0; i < 4; i++)
		close_fd(t, &t->fd_pool[i]);
	if (t->root_fd >= 0)
		close(t->root_fd);
	t->root_fd = -1;
	t->dir_valid = false;
	t->dirty = true;
	t->stats_scanned = false;
	cfg_ref_put(t->system_config);
	t->system_config = NULL;
	t->system_read = false;
}

void tree_free(struct tree *t)
{
	unsigned int i;

	tree_reset(t);
	for (i = 0; i < t->num_stats; i++)
		free(t->stat_names[i]);
	t->num_stats = 0;
	free(t->stats_buf);
	t->stats_buf = NULL;
	t->stats_cap = 0;
}

/* Decimal digits of v at p; returns the end. */
static char *put_uint(char *p, unsigned int v)
{
	char tmp[10];
	int n = 0;

	do {
		tmp[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	while (n)
		*p++ = tmp[--n];
	return p;
}

/* Copy s to p (not terminated); returns the end. */
static char *put_str(char *p, const char *s)
{
	size_t n = strlen(s);

	memcpy(p, s, n);
	return p + n;
}

/*
 * Snapshots build thousands of these paths: by hand, as snprintf() alone
 * would cost more than the reads (leaf names come from the tree, at most
 * NAME_MAX bytes; rel holds TREE_REL_MAX).
 */
const char *tree_rel(char *rel, int id, const char *leaf)
{
	char *p = put_str(rel, "cells/");

	p = put_uint(p, (unsigned int)id);
	*p++ = '/';
	p = put_str(p, leaf);
	*p = '\0';
	return rel;
}

const char *tree_rel_stat(char *rel, int id, long cpu, const char *stat)
{
	char *p = put_str(rel, "cells/");

	p = put_uint(p, (unsigned int)id);
	p = put_str(p, "/statistics/");
	if (cpu >= 0) {
		p = put_str(p, "cpu");
		p = put_uint(p, (unsigned int)cpu);
		*p++ = '/';
	}
	p = put_str(p, stat);
	*p = '\0';
	return rel;
}

/*
 * Read a file kept open in *fd (opened from rel, relative to the tree
 * root, on first use). When the descriptor budget is spent the file is
 * opened, read and closed each time instead.
 */
int tree_kept_read(struct hvctl_ctx *ctx, int *fd, const char *rel, char *buf,
		   size_t size, size_t *len)
{
	struct tree *t = &ctx->tree;
	bool transient = false;
	int f = *fd;
	ssize_t n;

	if (f < 0) {
		f = openat(t->root_fd, rel, O_RDONLY | O_CLOEXEC);
		if (f < 0)
			return -errno;
		if (t->budget.used < t->budget.max) {
			*fd = f;
			t->budget.used++;
		} else {
			transient = true;
		}
	}
	n = pread(f, buf, size - 1, 0);
	if (n < 0) {
		int err = -errno;

		if (transient)
			close(f);
		return err;
	}
	if (transient)
		close(f);
	buf[n] = '\0';
	*len = (size_t)n;
	return 0;
}

/* A cell directory's name: decimal digits only, at most INT_MAX. */
static bool cell_dir_id(const char *name, int *id)
{
	uint64_t v = 0;
	const char *p;

	for (p = name; *p >= '0' && *p <= '9'; p++) {
		v = v * 10 + (uint64_t)(*p - '0');
		if (v > 0x7fffffff)
			return false;
	}
	if (p == name || *p)
		return false;
	*id = (int)v;
	return true;
}

static int cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;

	return (x > y) - (x < y);
}

/*
 * Sort IDs ascending, dropping repeats (as "7" and "07" would be); returns
 * the count. Cell IDs are small numbers in practice: a bitmap orders
 * them in one pass, where qsort() costs more than reading the cells'
 * states (issue 10's cost floor); large ones go to qsort().
 */
static size_t sort_ids(int *ids, size_t n)
{
	uint64_t bits[64] = { 0 };	/* IDs below 4096 */
	size_t i, k = 0;
	unsigned int w;

	for (i = 0; i < n; i++)
		if (ids[i] >= 64 * 64)
			break;
	if (i < n) {
		qsort(ids, n, sizeof(*ids), cmp_int);
		for (i = 0; i < n; i++)
			if (!k || ids[k - 1] != ids[i])
				ids[k++] = ids[i];
		return k;
	}
	for (i = 0; i < n; i++)
		bits[ids[i] / 64] |= 1ull << (ids[i] % 64);
	for (w = 0; w < 64; w++) {
		uint64_t b = bits[w];

		while (b) {
			ids[k++] = (int)(w * 64 + (unsigned int)__builtin_ctzll(b));
			b &= b - 1;
		}
	}
	return k;
}

int tree_list_cell_ids(int dfd, int **out, size_t *num)
{
	struct dirent *de;
	int *ids = NULL, id;
	size_t n = 0, cap = 0;
	DIR *d;

	d = fdopendir(dfd);
	if (!d) {
		int err = -errno;

		close(dfd);
		return err;
	}
	while ((de = readdir(d))) {
		if (!cell_dir_id(de->d_name, &id))
			continue;
		if (hvctl_grow(&ids, &cap, n + 1, sizeof(*ids))) {
			closedir(d);
			free(ids);
			return -ENOMEM;
		}
		ids[n++] = id;
	}
	closedir(d);
	n = sort_ids(ids, n);
	*out = ids;
	*num = n;
	return 0;
}

/* Errors that mean "this file or its cell is gone": rescan and retry. */
bool tree_vanished(int err)
{
	return err == -ENOENT || err == -ENODEV || err == -ESTALE;
}

static int stat_rank(const char *name)
{
	unsigned int i;

	for (i = 0; i < sizeof(known_stats) / sizeof(known_stats[0]); i++)
		if (!strcmp(known_stats[i], name))
			return (int)i;
	return 1000;
}

static int cmp_stat_names(const void *a, const void *b)
{
	const char *x = *(const char *const *)a, *y = *(const char *const *)b;
	int rx = stat_rank(x), ry = stat_rank(y);

	if (rx != ry)
		return rx < ry ? -1 : 1;
	return strcmp(x, y);
}

/*
 * The report's counters are the arm64 set in its order: the names the
 * files have, as tree_scan_stats would sort them.
 */
int tree_report_stats(struct hvctl_ctx *ctx)
{
	static const char *const arm64[] = {
#define STAT_NAME(name, file) file,
		HV_ARM64_STATS(STAT_NAME)
#undef STAT_NAME
	};
	struct tree *t = &ctx->tree;
	char *names[HV_NUM_CPU_STATS];
	unsigned int i;

	if (t->stats_scanned && t->num_stats == HV_NUM_CPU_STATS) {
		for (i = 0; i < HV_NUM_CPU_STATS; i++)
			if (strcmp(t->stat_names[i], arm64[i]))
				break;
		if (i == HV_NUM_CPU_STATS)
			return 0;
	}
	for (i = 0; i < HV_NUM_CPU_STATS; i++) {
		names[i] = strdup(arm64[i]);
		if (!names[i]) {
			while (i)
				free(names[--i]);
			return -ENOMEM;
		}
	}
	for (i = 0; i < t->num_stats; i++)
		free(t->stat_names[i]);
	memcpy(t->stat_names, names, sizeof(names));
	t->num_stats = HV_NUM_CPU_STATS;
	t->stats_scanned = true;
	return 0;
}

/* Learn the counter names from the first cell's statistics directory. */
int tree_scan_stats(struct hvctl_ctx *ctx)
{
	struct tree *t = &ctx->tree;
	char *names[HVCTL_STATS_MAX];
	unsigned int n = 0, i;
	struct dirent *de;
	char rel[64];
	DIR *d;
	int dfd;

	if (t->stats_scanned || !t->num_cells)
		return 0;
	snprintf(rel, sizeof(rel), "cells/%d/statistics", t->cells[0].id);
	dfd = openat(t->root_fd, rel, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0) {
		/* Gone with its cell: the next snapshot rescans. */
		if (tree_vanished(-errno)) {
			t->dirty = true;
			return 0;
		}
		return -errno;
	}
	d = fdopendir(dfd);
	if (!d) {
		close(dfd);
		return -errno;
	}
	while ((de = readdir(d)) && n < HVCTL_STATS_MAX) {
		if (strncmp(de->d_name, "vmexits_", 8))
			continue;
		if (de->d_type != DT_REG && de->d_type != DT_UNKNOWN)
			continue;
		names[n] = strdup(de->d_name);
		if (!names[n]) {
			closedir(d);
			while (n)
				free(names[--n]);
			return -ENOMEM;
		}
		n++;
	}
	closedir(d);
	qsort(names, n, sizeof(names[0]), cmp_stat_names);
	for (i = 0; i < t->num_stats; i++)
		free(t->stat_names[i]);
	memcpy(t->stat_names, names, n * sizeof(names[0]));
	t->num_stats = n;
	t->stats_scanned = true;
	return 0;
}

/*
 * A small file read whole into buf (one read: sysfs hands an attribute
 * over in one piece, and so does a regular file this short), or into
 * *big (caller frees) when it does not fit. *text is where it is.
 */
static int read_small_or_blob(struct hvctl_ctx *ctx, const char *rel,
			      char *buf, size_t size, char **big,
			      char **text)
{
	uint8_t *data;
	size_t len;
	int ret;

	*big = NULL;
	ret = tree_read_file(ctx, rel, buf, size, &len);
	if (ret)
		return ret;
	if (len < size - 1) {
		*text = buf;
		return 0;
	}
	ret = tree_read_blob(ctx, rel, &data, &len);
	if (ret)
		return ret;
	*big = realloc(data, len + 1);
	if (!*big) {
		free(data);
		return -ENOMEM;
	}
	(*big)[len] = '\0';
	*text = *big;
	return 0;
}

int tree_read_cpus(struct hvctl_ctx *ctx, int id, const char *what,
		     unsigned int **cpus, unsigned int *num, char **text)
{
	bool is_list = true;
	char buf[512], rel[TREE_REL_MAX], *big, *s;
	size_t n;
	int ret;

	n = strlen(tree_rel(rel, id, what));
	memcpy(rel + n, "_list", sizeof("_list"));
	ret = read_small_or_blob(ctx, rel, buf, sizeof(buf), &big, &s);
	if (ret == -ENOENT) {
		/* No list file: fall back to the mask. */
		is_list = false;
		rel[n] = '\0';
		ret = read_small_or_blob(ctx, rel, buf, sizeof(buf), &big, &s);
	}
	if (ret)
		return ret;
	sysfs_chomp(s, strlen(s));
	if (is_list)
		ret = sysfs_parse_cpulist(s, SYSFS_CPU_LIMIT, cpus, num);
	else
		ret = sysfs_parse_cpumask(s, SYSFS_CPU_LIMIT, cpus, num);
	if (ret) {
		free(big);
		return rt_fail(ctx, -EIO, "%s/%s: not a CPU %s", ctx->tree_path,
			       rel, is_list ? "list" : "mask");
	}
	if (!is_list) {
		free(big);
		big = NULL;
		s = sysfs_format_cpulist(*cpus, *num);
	} else if (!big) {
		s = strdup(s);
	}
	if (!s) {
		free(*cpus);
		*cpus = NULL;
		return -ENOMEM;
	}
	if (text)
		*text = s;
	else
		free(s);
	return 0;
}

static int cmp_uint(const void *a, const void *b)
{
	unsigned int x = *(const unsigned int *)a, y = *(const unsigned int *)b;

	return (x > y) - (x < y);
}

static void load_cell_config(struct hvctl_ctx *ctx, struct tree_cell *c)
{
	struct hvctl_config *cfg = NULL;
	struct hvctl_error err;
	uint8_t *data;
	size_t size;
	char rel[64];

	snprintf(rel, sizeof(rel), "cells/%d/config", c->id);
	if (!tree_read_blob(ctx, rel, &data, &size)) {
		char src[96];

		snprintf(src, sizeof(src), "cells/%d/config", c->id);
		if (hvctl_config_parse_binary(&cfg, data, size, src, &err))
			cfg = NULL;
		free(data);
		if (cfg) {
			c->config = cfg_ref_new(cfg);
			c->config_origin = c->config ? HVCTL_CONFIG_FROM_SYSFS :
						       HVCTL_CONFIG_UNKNOWN;
			return;
		}
	}
	if (c->id == 0)
		return;		/* the root's comes from the system record */
	cfg = registry_lookup_cell(ctx, c->name, c->cpus, c->num_cpus);
	if (cfg) {
		c->config = cfg_ref_new(cfg);
		c->config_origin = c->config ? HVCTL_CONFIG_FROM_REGISTRY :
					       HVCTL_CONFIG_UNKNOWN;
	}
}

/* The system config recorded at enable, if it matches the running root. */
static int read_system_config(struct hvctl_ctx *ctx)
{
	struct tree *t = &ctx->tree;
	struct hvctl_config *sys;
	unsigned int *all = NULL, nall = 0;
	size_t i, j;

	t->system_read = true;
	if (!t->num_cells || t->cells[0].id != 0)
		return 0;
	if (t->num_cpus) {
		all = malloc(t->num_cpus * sizeof(*all));
		if (!all)
			return -ENOMEM;
	}
	for (i = 0; i < t->num_cells; i++)
		for (j = 0; j < t->cells[i].num_cpus; j++)
			all[nall++] = t->cells[i].cpus[j];
	qsort(all, nall, sizeof(*all), cmp_uint);
	sys = registry_lookup_system(ctx, t->cells[0].name, all, nall);
	free(all);
	if (sys)
		t->system_config = cfg_ref_new(sys);
	return 0;
}

int tree_read_configs(struct hvctl_ctx *ctx)
{
	struct tree *t = &ctx->tree;
	size_t i;
	int ret;

	for (i = 0; i < t->num_cells; i++) {
		struct tree_cell *c = &t->cells[i];

		if (c->config_read)
			continue;
		load_cell_config(ctx, c);
		c->config_read = true;
	}
	if (t->system_read)
		return 0;
	ret = read_system_config(ctx);
	if (ret)
		return ret;
	if (t->num_cells && t->cells[0].id == 0 && !t->cells[0].config &&
	    t->system_config) {
		t->cells[0].config = cfg_ref_get(t->system_config);
		t->cells[0].config_origin = HVCTL_CONFIG_FROM_REGISTRY;
	}
	return 0;
}

static int open_cell(struct hvctl_ctx *ctx, struct tree_cell *c, int id)
{
	struct tree *t = &ctx->tree;
	char buf[NUM_BUF], rel[TREE_REL_MAX];
	struct stat st;
	size_t len;
	unsigned int i;
	int fd, ret;

	memset(c, 0, sizeof(*c));
	c->id = id;
	c->fd_state = c->fd_failed = -1;
	for (i = 0; i < HVCTL_STATS_MAX; i++)
		c->fd_stat[i] = -1;

	fd = openat(t->root_fd, tree_rel(rel, id, "state"), O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st)) {
		ret = -errno;
		close(fd);
		return ret;
	}
	c->key = ((uint64_t)st.st_dev << 40) ^ (uint64_t)st.st_ino;
	if (t->budget.used < t->budget.max) {
		c->fd_state = fd;
		t->budget.used++;
	} else {
		close(fd);
	}

	ret = tree_read_file(ctx, tree_rel(rel, id, "name"), buf, sizeof(buf),
			     &len);
	if (ret)
		return ret;
	len = sysfs_chomp(buf, len);
	if (len > HVCTL_CELL_NAME_MAX)
		len = HVCTL_CELL_NAME_MAX;
	memcpy(c->name, buf, len);
	c->name[len] = '\0';

	return tree_read_cpus(ctx, id, "cpus_assigned", &c->cpus, &c->num_cpus,
			 &c->cpus_list);
}

static bool same_instance(const struct tree_cell *a, const struct tree_cell *b)
{
	return a->id == b->id && a->key == b->key && !strcmp(a->name, b->name);
}

bool tree_same_cpus(const unsigned int *a, unsigned int na,
		      const unsigned int *b, unsigned int nb)
{
	return na == nb && (!na || !memcmp(a, b, na * sizeof(*a)));
}

/* Read the set of cells again: names and CPU sets. */
int tree_rescan(struct hvctl_ctx *ctx)
{
	struct tree *t = &ctx->tree;
	struct tree_cell *nc = NULL;
	int *ids = NULL;
	size_t nids = 0, n = 0, i, j;
	struct stat st;
	bool changed, lost_one = false;
	int dfd, ret = 0;
	unsigned int max_cpu = 0;

	dfd = openat(t->root_fd, "cells", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0)
		return rt_fail(ctx, -errno, "cannot open %s/cells: %s",
			       ctx->tree_path, strerror(errno));
	if (fstat(dfd, &st)) {
		ret = -errno;
		close(dfd);
		return ret;
	}
	ret = tree_list_cell_ids(dfd, &ids, &nids);
	if (ret)
		goto out;

	if (nids) {
		nc = calloc(nids, sizeof(*nc));
		if (!nc) {
			ret = -ENOMEM;
			goto out;
		}
	}
	for (i = 0; i < nids; i++) {
		ret = open_cell(ctx, &nc[n], ids[i]);
		if (ret) {
			cell_free(t, &nc[n]);
			if (tree_vanished(ret)) {
				/* Destroyed while we looked: skip it, look again next time. */
				ret = 0;
				lost_one = true;
				continue;
			}
			goto out;
		}
		n++;
	}

	/* Same cells (instances and CPU sets) as before, in the same order? */
	changed = n != t->num_cells;
	for (i = 0; i < n && !changed; i++)
		changed = !same_instance(&nc[i], &t->cells[i]) ||
			  !tree_same_cpus(nc[i].cpus, nc[i].num_cpus,
				     t->cells[i].cpus, t->cells[i].num_cpus);
	for (i = 0; i < n; i++) {
		struct tree_cell *c = &nc[i];

		if (c->num_cpus && c->cpus[c->num_cpus - 1] + 1 > max_cpu)
			max_cpu = c->cpus[c->num_cpus - 1] + 1;
		for (j = 0; j < t->num_cells; j++) {
			struct tree_cell *o = &t->cells[j];

			if (!same_instance(c, o))
				continue;
			/* Same cell as before: keep its config. */
			c->config_read = o->config_read;
			c->config = o->config;
			c->config_origin = o->config_origin;
			o->config = NULL;
			break;
		}
	}
	if (ctx->num_cpus > max_cpu)
		max_cpu = ctx->num_cpus;

	free_cells(t);
	t->cells = nc;
	t->num_cells = n;
	t->num_cpus = max_cpu;
	nc = NULL;
	if (changed)
		ctx->generation++;

	t->stats_scanned = false;
	/* The root's CPU set may differ: look the system record up again. */
	if (t->system_config && t->num_cells && t->cells[0].id == 0 &&
	    t->cells[0].config == t->system_config) {
		cfg_ref_put(t->cells[0].config);
		t->cells[0].config = NULL;
		t->cells[0].config_read = false;
	}
	cfg_ref_put(t->system_config);
	t->system_config = NULL;
	t->system_read = false;
	t->dir_valid = true;
	t->dir_mtime = st.st_mtim;
	t->dir_ctime = st.st_ctim;
	t->dir_ino = st.st_ino;
	t->dir_nlink = st.st_nlink;
	t->dirty = lost_one;

out:
	if (nc) {
		for (i = 0; i < n; i++)
			cell_free(t, &nc[i]);
		free(nc);
	}
	free(ids);
	return ret;
}

static bool ts_equal(const struct timespec *a, const struct timespec *b)
{
	return a->tv_sec == b->tv_sec && a->tv_nsec == b->tv_nsec;
}

/* Has the set of cells changed since the last rescan? One fstatat. */
int tree_cells_changed(struct hvctl_ctx *ctx, bool *changed)
{
	struct tree *t = &ctx->tree;
	struct stat st;

	if (fstatat(t->root_fd, "cells", &st, 0))
		return -errno;
	*changed = t->dirty || !t->dir_valid || st.st_ino != t->dir_ino ||
		   st.st_nlink != t->dir_nlink ||
		   !ts_equal(&st.st_mtim, &t->dir_mtime) ||
		   !ts_equal(&st.st_ctim, &t->dir_ctime);
	return 0;
}
