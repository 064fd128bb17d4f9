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

static int tree_open_root(struct hvctl_ctx *ctx)
{
	struct tree *t = &ctx->tree;

	if (t->root_fd >= 0)
		return 0;
	t->root_fd = open(ctx->tree_path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (t->root_fd < 0) {
		int err = -errno;

		if (ctx->backend == HVCTL_BACKEND_KERNEL && !ctx->dir &&
		    err == -ENOENT)
			return rt_fail(ctx, -ENODEV,
				       "the jailhouse driver is not loaded (no %s)",
				       ctx->tree_path);
		return rt_fail(ctx, err, "cannot open %s: %s", ctx->tree_path,
			       strerror(-err));
	}
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
			size_t ncap = cap ? cap * 2 : 4096;
			uint8_t *nb;

			/* Configs are at most 16 pages; refuse absurd files. */
			if (ncap > (64u << 20)) {
				ret = -EFBIG;
				break;
			}
			nb = realloc(buf, ncap);
			if (!nb) {
				ret = -ENOMEM;
				break;
			}
			buf = nb;
			cap = ncap;
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
	free(c->prev_cpus);
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
	for (i = 0; i < 4; i++)
		close_fd(t, &t->fd_pool[i]);
	if (t->root_fd >= 0)
		close(t->root_fd);
	t->root_fd = -1;
	t->dir_valid = false;
	t->dirty = true;
	/* A new tree (hvsim restarted, driver reloaded): old history is moot. */
	free(t->cpu_prev);
	t->cpu_prev = NULL;
	t->cpu_prev_size = 0;
	cfg_ref_put(t->system_config);
	t->system_config = NULL;
}

void tree_free(struct tree *t)
{
	unsigned int i;

	tree_reset(t);
	for (i = 0; i < t->num_stats; i++)
		free(t->stat_names[i]);
	t->num_stats = 0;
}

/*
 * Read a file kept open in *fd (opened from the formatted path relative
 * to the tree root on first use). When the descriptor budget is spent
 * the file is opened, read and closed each time instead.
 */
int tree_kept_read(struct hvctl_ctx *ctx, int *fd, char *buf, size_t size,
		     size_t *len, const char *fmt, ...)
{
	struct tree *t = &ctx->tree;
	bool transient = false;
	int f = *fd;
	ssize_t n;

	if (f < 0) {
		char rel[256];
		va_list ap;

		va_start(ap, fmt);
		vsnprintf(rel, sizeof(rel), fmt, ap);
		va_end(ap);
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

/* Learn the counter names from one cell's statistics directory. */
static int scan_stat_names(struct hvctl_ctx *ctx, int cell_id)
{
	struct tree *t = &ctx->tree;
	char *names[HVCTL_STATS_MAX];
	unsigned int n = 0, i;
	struct dirent *de;
	char rel[64];
	DIR *d;
	int dfd;

	snprintf(rel, sizeof(rel), "cells/%d/statistics", cell_id);
	dfd = openat(t->root_fd, rel, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0)
		return -errno;
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
	return 0;
}

int tree_read_cpus(struct hvctl_ctx *ctx, int id, const char *what,
		     unsigned int **cpus, unsigned int *num, char **text)
{
	bool is_list = true;
	uint8_t *data;
	size_t size;
	char rel[64], *s;
	int ret;

	snprintf(rel, sizeof(rel), "cells/%d/%s_list", id, what);
	ret = tree_read_blob(ctx, rel, &data, &size);
	if (ret == -ENOENT) {
		/* No list file: fall back to the mask. */
		is_list = false;
		snprintf(rel, sizeof(rel), "cells/%d/%s", id, what);
		ret = tree_read_blob(ctx, rel, &data, &size);
	}
	if (ret)
		return ret;
	s = realloc(data, size + 1);
	if (!s) {
		free(data);
		return -ENOMEM;
	}
	s[size] = '\0';
	sysfs_chomp(s, size);
	if (is_list)
		ret = sysfs_parse_cpulist(s, SYSFS_CPU_LIMIT, cpus, num);
	else
		ret = sysfs_parse_cpumask(s, SYSFS_CPU_LIMIT, cpus, num);
	if (ret) {
		free(s);
		return rt_fail(ctx, -EIO, "%s/%s: not a CPU %s", ctx->tree_path,
			       rel, is_list ? "list" : "mask");
	}
	if (!is_list) {
		free(s);
		s = sysfs_format_cpulist(*cpus, *num);
		if (!s) {
			free(*cpus);
			*cpus = NULL;
			return -ENOMEM;
		}
	}
	if (text)
		*text = s;
	else
		free(s);
	return 0;
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

static int open_cell(struct hvctl_ctx *ctx, struct tree_cell *c, int id)
{
	struct tree *t = &ctx->tree;
	char buf[NUM_BUF], rel[64];
	struct stat st;
	size_t len;
	unsigned int i;
	int fd, ret;

	memset(c, 0, sizeof(*c));
	c->id = id;
	c->fd_state = c->fd_failed = -1;
	for (i = 0; i < HVCTL_STATS_MAX; i++)
		c->fd_stat[i] = -1;

	snprintf(rel, sizeof(rel), "cells/%d/state", id);
	fd = openat(t->root_fd, rel, O_RDONLY | O_CLOEXEC);
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

	snprintf(rel, sizeof(rel), "cells/%d/name", id);
	ret = tree_read_file(ctx, rel, buf, sizeof(buf), &len);
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

static int cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;

	return (x > y) - (x < y);
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

static int ensure_cpu_prev(struct tree *t, unsigned int num_cpus)
{
	struct tree_cpu_prev *n;

	if (num_cpus <= t->cpu_prev_size)
		return 0;
	n = realloc(t->cpu_prev, num_cpus * sizeof(*n));
	if (!n)
		return -ENOMEM;
	memset(n + t->cpu_prev_size, 0,
	       (num_cpus - t->cpu_prev_size) * sizeof(*n));
	t->cpu_prev = n;
	t->cpu_prev_size = num_cpus;
	return 0;
}

/* Read the set of cells again: names, CPU sets, configs. */
int tree_rescan(struct hvctl_ctx *ctx)
{
	struct tree *t = &ctx->tree;
	struct tree_cell *nc = NULL;
	int *ids = NULL;
	size_t nids = 0, cap = 0, n = 0, i, j;
	struct dirent *de;
	struct stat st;
	bool changed, lost_one = false;
	DIR *d;
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
	d = fdopendir(dfd);
	if (!d) {
		ret = -errno;
		close(dfd);
		return ret;
	}
	while ((de = readdir(d))) {
		char *end;
		long v;

		if (de->d_name[0] < '0' || de->d_name[0] > '9')
			continue;
		v = strtol(de->d_name, &end, 10);
		if (*end || v < 0 || v > 0x7fffffff)
			continue;
		if (nids == cap) {
			size_t ncap = cap ? cap * 2 : 16;
			int *nn = realloc(ids, ncap * sizeof(*nn));

			if (!nn) {
				ret = -ENOMEM;
				break;
			}
			ids = nn;
			cap = ncap;
		}
		ids[nids++] = (int)v;
	}
	closedir(d);
	if (ret)
		goto out;
	if (nids)
		qsort(ids, nids, sizeof(*ids), cmp_int);

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

	if (n) {
		ret = scan_stat_names(ctx, nc[0].id);
		if (ret && !tree_vanished(ret))
			goto out;
		ret = 0;
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
			/* Same cell as before: keep its rate history and config. */
			c->prev_valid = o->prev_valid;
			c->prev_time_ns = o->prev_time_ns;
			memcpy(c->prev, o->prev, sizeof(c->prev));
			c->prev_cpus = o->prev_cpus;
			c->prev_num_cpus = o->prev_num_cpus;
			o->prev_cpus = NULL;
			c->config = o->config;
			c->config_origin = o->config_origin;
			o->config = NULL;
			break;
		}
		if (!c->config)
			load_cell_config(ctx, c);
	}
	if (ctx->num_cpus > max_cpu)
		max_cpu = ctx->num_cpus;
	ret = ensure_cpu_prev(t, max_cpu);
	if (ret)
		goto out;

	free_cells(t);
	t->cells = nc;
	t->num_cells = n;
	t->num_cpus = max_cpu;
	nc = NULL;
	if (changed)
		ctx->generation++;

	/* The recorded system config, checked against the running root. */
	cfg_ref_put(t->system_config);
	t->system_config = NULL;
	if (n && t->cells[0].id == 0) {
		unsigned int *all = NULL, nall = 0;

		if (max_cpu) {
			all = malloc(max_cpu * sizeof(*all));
			if (!all) {
				ret = -ENOMEM;
				goto out;
			}
		}
		for (i = 0; i < n; i++)
			for (j = 0; j < t->cells[i].num_cpus; j++)
				all[nall++] = t->cells[i].cpus[j];
		qsort(all, nall, sizeof(*all), cmp_int);
		{
			struct hvctl_config *sys =
				registry_lookup_system(ctx, t->cells[0].name,
						       all, nall);

			if (sys)
				t->system_config = cfg_ref_new(sys);
		}
		free(all);
		if (!t->cells[0].config && t->system_config) {
			t->cells[0].config = cfg_ref_get(t->system_config);
			t->cells[0].config_origin = HVCTL_CONFIG_FROM_REGISTRY;
		}
	}
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
