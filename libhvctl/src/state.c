// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Snapshots of the sysfs-shaped tree, with the file cache that keeps them
 * cheap: the files read on every snapshot (enabled, pools, each cell's
 * state, failed CPUs and counters) stay open and are re-read with pread
 * at offset 0; the cells directory is stat()ed to notice a changed set
 * of cells, and only then are names, CPU sets and configs read again.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <hvabi/hypercall.h>

#include "runtime_int.h"

#define NUM_BUF		64
/* A delta this large within one interval is a counter restart. */
#define RESET_THRESHOLD	(1u << 30)

static const char *const pool_files[4] = {
	"mem_pool_size", "mem_pool_used", "remap_pool_size", "remap_pool_used",
};

/* Counter display order: arm64 first, then the other architectures'. */
static const char *const known_stats[] = {
#define STAT_NAME(name, file) file,
	HV_ARM64_STATS(STAT_NAME)
#undef STAT_NAME
	"vmexits_cp15", "vmexits_pio", "vmexits_xapic", "vmexits_cr",
	"vmexits_cpuid", "vmexits_xsetbv", "vmexits_exception",
	"vmexits_msr_other", "vmexits_msr_x2apic_icr",
};

/* ---- Snapshot memory: one arena per snapshot ---- */

struct chunk {
	struct chunk *next;
	size_t used;
	size_t cap;
	_Alignas(16) unsigned char data[];
};

struct snap_priv {
	struct hvctl_snapshot pub;
	struct chunk *chunks;
	struct cfg_ref **refs;
	size_t num_refs;
};

static void *arena_alloc(struct snap_priv *sp, size_t size)
{
	struct chunk *c = sp->chunks;
	void *p;

	size = (size + 15) & ~(size_t)15;
	if (!c || c->cap - c->used < size) {
		size_t cap = size > 16384 ? size : 16384;

		c = malloc(sizeof(*c) + cap);
		if (!c)
			return NULL;
		c->used = 0;
		c->cap = cap;
		c->next = sp->chunks;
		sp->chunks = c;
	}
	p = c->data + c->used;
	c->used += size;
	return p;
}

static char *arena_strdup(struct snap_priv *sp, const char *s)
{
	size_t len = strlen(s) + 1;
	char *p = arena_alloc(sp, len);

	if (p)
		memcpy(p, s, len);
	return p;
}

void hvctl_snapshot_free(struct hvctl_snapshot *snap)
{
	struct snap_priv *sp = (struct snap_priv *)snap;
	struct chunk *c, *next;
	size_t i;

	if (!snap)
		return;
	for (i = 0; i < sp->num_refs; i++)
		cfg_ref_put(sp->refs[i]);
	for (c = sp->chunks; c; c = next) {
		next = c->next;
		free(c);
	}
	free(sp);
}

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
static int kept_read(struct hvctl_ctx *ctx, int *fd, char *buf, size_t size,
		     size_t *len, const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));

static int kept_read(struct hvctl_ctx *ctx, int *fd, char *buf, size_t size,
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
static bool vanished(int err)
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

static int read_cpus(struct hvctl_ctx *ctx, int id, const char *what,
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

	return read_cpus(ctx, id, "cpus_assigned", &c->cpus, &c->num_cpus,
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

static bool same_cpus(const unsigned int *a, unsigned int na,
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
static int rescan(struct hvctl_ctx *ctx)
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
			if (vanished(ret)) {
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
		if (ret && !vanished(ret))
			goto out;
		ret = 0;
	}

	/* Same cells (instances and CPU sets) as before, in the same order? */
	changed = n != t->num_cells;
	for (i = 0; i < n && !changed; i++)
		changed = !same_instance(&nc[i], &t->cells[i]) ||
			  !same_cpus(nc[i].cpus, nc[i].num_cpus,
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
static int cells_changed(struct hvctl_ctx *ctx, bool *changed)
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

/* ---- Reading one snapshot's worth ---- */

struct cell_now {
	enum hvctl_cell_state state;
	unsigned int *failed;
	unsigned int num_failed;
	char *failed_list;
	uint64_t totals[HVCTL_STATS_MAX];
	bool cpus_read;
};

struct reading {
	bool enabled;
	uint64_t pool[4];
	struct cell_now *cells;
	size_t num_cells;
	/* Per-CPU values (num_cpus x num_stats) where cpu_read[cpu]. */
	uint32_t *cpu_val;
	bool *cpu_read;
};

static void reading_free(struct reading *r)
{
	size_t i;

	if (r->cells)
		for (i = 0; i < r->num_cells; i++) {
			free(r->cells[i].failed);
			free(r->cells[i].failed_list);
		}
	free(r->cells);
	free(r->cpu_val);
	free(r->cpu_read);
	memset(r, 0, sizeof(*r));
}

static int read_number(struct hvctl_ctx *ctx, int *fd, uint64_t *value,
		       const char *rel)
{
	char buf[NUM_BUF];
	size_t len;
	int ret;

	ret = kept_read(ctx, fd, buf, sizeof(buf), &len, "%s", rel);
	if (ret)
		return ret;
	if (sysfs_parse_u64(buf, value))
		return rt_fail(ctx, -EIO, "%s/%s: not a number: '%.20s'",
			       ctx->tree_path, rel, buf);
	return 0;
}

static int read_cell(struct hvctl_ctx *ctx, struct tree_cell *c,
		     struct cell_now *now, struct reading *r, bool per_cpu)
{
	struct tree *t = &ctx->tree;
	char buf[8192];
	size_t len;
	unsigned int k, i;
	int ret;

	ret = kept_read(ctx, &c->fd_state, buf, sizeof(buf), &len,
			"cells/%d/state", c->id);
	if (ret)
		return ret;
	now->state = sysfs_parse_state(buf);

	ret = kept_read(ctx, &c->fd_failed, buf, sizeof(buf), &len,
			"cells/%d/cpus_failed_list", c->id);
	if (!ret) {
		sysfs_chomp(buf, len);
		ret = sysfs_parse_cpulist(buf, SYSFS_CPU_LIMIT, &now->failed,
					  &now->num_failed);
		if (ret)
			return rt_fail(ctx, -EIO,
				       "%s/cells/%d/cpus_failed_list: not a CPU list",
				       ctx->tree_path, c->id);
		now->failed_list = strdup(buf);
		if (!now->failed_list)
			return -ENOMEM;
	} else if (ret == -ENOENT) {
		ret = read_cpus(ctx, c->id, "cpus_failed", &now->failed,
				&now->num_failed, &now->failed_list);
		if (ret)
			return ret;
	} else {
		return ret;
	}

	for (k = 0; k < t->num_stats; k++) {
		ret = kept_read(ctx, &c->fd_stat[k], buf, NUM_BUF, &len,
				"cells/%d/statistics/%s", c->id,
				t->stat_names[k]);
		if (ret == -ENOENT && c->fd_stat[k] < 0) {
			now->totals[k] = 0;	/* this cell lacks the counter */
			continue;
		}
		if (ret)
			return ret;
		if (sysfs_parse_u64(buf, &now->totals[k]))
			return rt_fail(ctx, -EIO,
				       "%s/cells/%d/statistics/%s: not a number",
				       ctx->tree_path, c->id, t->stat_names[k]);
	}

	if (!per_cpu || !t->num_stats)
		return 0;
	if (!c->fd_cpu_stat) {
		size_t n = (size_t)c->num_cpus * t->num_stats;

		c->fd_cpu_stat = malloc((n ? n : 1) * sizeof(int));
		if (!c->fd_cpu_stat)
			return -ENOMEM;
		for (i = 0; i < n; i++)
			c->fd_cpu_stat[i] = -1;
	}
	for (i = 0; i < c->num_cpus; i++) {
		unsigned int cpu = c->cpus[i];

		for (k = 0; k < t->num_stats; k++) {
			uint64_t v;

			ret = kept_read(ctx, &c->fd_cpu_stat[i * t->num_stats + k],
					buf, NUM_BUF, &len,
					"cells/%d/statistics/cpu%u/%s", c->id,
					cpu, t->stat_names[k]);
			if (ret == -ENOENT)
				v = 0;
			else if (ret)
				return ret;
			else if (sysfs_parse_u64(buf, &v))
				return rt_fail(ctx, -EIO,
					       "%s/cells/%d/statistics/cpu%u/%s: not a number",
					       ctx->tree_path, c->id, cpu,
					       t->stat_names[k]);
			r->cpu_val[(size_t)cpu * t->num_stats + k] =
				(uint32_t)(v & HV_CPU_STAT_MASK);
		}
		r->cpu_read[cpu] = true;
	}
	now->cpus_read = true;
	return 0;
}

static int read_all(struct hvctl_ctx *ctx, int cpu_stats_cell,
		    struct reading *r)
{
	struct tree *t = &ctx->tree;
	uint64_t enabled;
	bool changed = false;
	size_t i;
	int ret;

	ret = read_number(ctx, &t->fd_enabled, &enabled, "enabled");
	if (ret)
		return ret;
	r->enabled = enabled != 0;
	for (i = 0; i < 4; i++) {
		ret = read_number(ctx, &t->fd_pool[i], &r->pool[i],
				  pool_files[i]);
		if (ret)
			return ret;
	}
	ret = cells_changed(ctx, &changed);
	if (ret)
		return ret;
	if (changed) {
		ret = rescan(ctx);
		if (ret)
			return ret;
	}

	r->num_cells = t->num_cells;
	if (t->num_cells) {
		r->cells = calloc(t->num_cells, sizeof(*r->cells));
		if (!r->cells)
			return -ENOMEM;
	}
	if (cpu_stats_cell != HVCTL_CPU_STATS_NONE && t->num_cpus) {
		r->cpu_val = calloc((size_t)t->num_cpus * (t->num_stats ? t->num_stats : 1),
				    sizeof(*r->cpu_val));
		r->cpu_read = calloc(t->num_cpus, sizeof(*r->cpu_read));
		if (!r->cpu_val || !r->cpu_read)
			return -ENOMEM;
	}
	for (i = 0; i < t->num_cells; i++) {
		struct tree_cell *c = &t->cells[i];
		bool per_cpu = r->cpu_read &&
			       (cpu_stats_cell == HVCTL_CPU_STATS_ALL ||
				cpu_stats_cell == c->id);

		ret = read_cell(ctx, c, &r->cells[i], r, per_cpu);
		if (ret)
			return ret;
	}
	return 0;
}

/* ---- Rates ---- */

static void cpu_rates(struct tree *t, const struct tree_cell *c,
		      unsigned int cpu, const uint32_t *val, uint64_t now_ns,
		      struct hvctl_counters *out)
{
	const struct tree_cpu_prev *p = &t->cpu_prev[cpu];
	unsigned int k;

	out->rate_valid = false;
	out->interval = 0;
	for (k = 0; k < t->num_stats; k++)
		out->value[k] = val[k];
	if (!p->valid || p->owner != c->id || p->owner_key != c->key ||
	    now_ns <= p->time_ns)
		return;
	for (k = 0; k < t->num_stats; k++) {
		uint32_t d = rate_delta31(p->value[k], val[k]);

		if (d >= RESET_THRESHOLD)
			return;
		out->rate[k] = rate_per_second(d, now_ns - p->time_ns);
	}
	out->rate_valid = true;
	out->interval = (double)(now_ns - p->time_ns) / 1e9;
}

static void cell_rates(struct tree *t, const struct tree_cell *c,
		       const struct cell_now *now, const struct reading *r,
		       uint64_t now_ns, uint64_t prev_generation,
		       uint64_t generation, struct hvctl_counters *out)
{
	uint64_t interval;
	unsigned int k, i;
	bool exact = false;

	out->rate_valid = false;
	out->interval = 0;
	for (k = 0; k < t->num_stats; k++)
		out->value[k] = now->totals[k];
	if (!c->prev_valid || now_ns <= c->prev_time_ns)
		return;
	interval = now_ns - c->prev_time_ns;

	/* Per-CPU samples from both ends of the interval give exact sums. */
	if (now->cpus_read) {
		exact = true;
		for (i = 0; i < c->num_cpus && exact; i++) {
			const struct tree_cpu_prev *p = &t->cpu_prev[c->cpus[i]];

			if (!p->valid || p->time_ns != c->prev_time_ns)
				exact = false;
		}
	}
	if (exact) {
		for (k = 0; k < t->num_stats; k++) {
			uint64_t sum = 0;

			for (i = 0; i < c->num_cpus; i++) {
				unsigned int cpu = c->cpus[i];
				const struct tree_cpu_prev *p = &t->cpu_prev[cpu];
				struct rate_cpu_sample s = {
					.cpu = cpu,
					.moved = p->owner != c->id ||
						 p->owner_key != c->key,
					.prev = p->value[k],
					.now = r->cpu_val[(size_t)cpu * t->num_stats + k],
				};

				if (!s.moved &&
				    rate_delta31(s.prev, s.now) >= RESET_THRESHOLD)
					return;
				sum += rate_cell_from_cpus(&s, 1);
			}
			out->rate[k] = rate_per_second(sum, interval);
		}
		out->rate_valid = true;
		out->interval = (double)interval / 1e9;
		return;
	}

	/*
	 * Totals only: valid while the CPU set is the one of the previous
	 * reading. The root cell's set can change and change back between
	 * two readings; after a change of the cell set it waits one round.
	 */
	if (!same_cpus(c->cpus, c->num_cpus, c->prev_cpus, c->prev_num_cpus))
		return;
	if (c->id == 0 && prev_generation != generation)
		return;
	for (k = 0; k < t->num_stats; k++) {
		uint64_t d = rate_delta_total(c->prev[k], now->totals[k]);

		if (d >= RESET_THRESHOLD)
			return;
		out->rate[k] = rate_per_second(d, interval);
	}
	out->rate_valid = true;
	out->interval = (double)interval / 1e9;
}

/* ---- Building the snapshot ---- */

static int add_ref(struct snap_priv *sp, struct cfg_ref *ref, size_t max)
{
	if (!ref)
		return 0;
	if (sp->num_refs == max)
		return -ENOMEM;
	sp->refs[sp->num_refs++] = cfg_ref_get(ref);
	return 0;
}

static int build(struct hvctl_ctx *ctx, const struct reading *r,
		 uint64_t now_ns, uint64_t prev_generation,
		 struct hvctl_snapshot **out)
{
	struct tree *t = &ctx->tree;
	struct hvctl_cell_info *cells = NULL;
	struct hvctl_cpu_info *cpus = NULL;
	struct snap_priv *sp;
	const char **names;
	size_t i, max_refs = t->num_cells + 1;
	unsigned int k, j;

	sp = calloc(1, sizeof(*sp));
	if (!sp)
		return -ENOMEM;
	sp->refs = arena_alloc(sp, max_refs * sizeof(*sp->refs));
	names = arena_alloc(sp, (t->num_stats + 1) * sizeof(*names));
	if (t->num_cells)
		cells = arena_alloc(sp, t->num_cells * sizeof(*cells));
	if (t->num_cpus)
		cpus = arena_alloc(sp, t->num_cpus * sizeof(*cpus));
	if (!sp->refs || !names || (t->num_cells && !cells) ||
	    (t->num_cpus && !cpus))
		goto oom;

	for (k = 0; k < t->num_stats; k++) {
		names[k] = arena_strdup(sp, t->stat_names[k]);
		if (!names[k])
			goto oom;
	}
	for (j = 0; j < t->num_cpus; j++) {
		memset(&cpus[j], 0, sizeof(cpus[j]));
		cpus[j].cell_id = -1;
		cpus[j].cell = -1;
	}

	for (i = 0; i < t->num_cells; i++) {
		const struct tree_cell *c = &t->cells[i];
		const struct cell_now *now = &r->cells[i];
		struct hvctl_cell_info *ci = &cells[i];
		unsigned int *cl = NULL, *fl = NULL;

		memset(ci, 0, sizeof(*ci));
		ci->id = c->id;
		memcpy(ci->name, c->name, sizeof(ci->name));
		ci->is_root = c->id == 0;
		ci->state = now->state;
		ci->state_name = hvctl_cell_state_name(now->state);
		if (c->num_cpus) {
			cl = arena_alloc(sp, c->num_cpus * sizeof(*cl));
			if (!cl)
				goto oom;
			memcpy(cl, c->cpus, c->num_cpus * sizeof(*cl));
		}
		if (now->num_failed) {
			fl = arena_alloc(sp, now->num_failed * sizeof(*fl));
			if (!fl)
				goto oom;
			memcpy(fl, now->failed, now->num_failed * sizeof(*fl));
		}
		ci->num_cpus = c->num_cpus;
		ci->cpus = cl;
		ci->cpus_list = arena_strdup(sp, c->cpus_list ? c->cpus_list : "");
		ci->num_failed = now->num_failed;
		ci->failed_cpus = fl;
		ci->failed_list = arena_strdup(sp, now->failed_list ?
						    now->failed_list : "");
		if (!ci->cpus_list || !ci->failed_list)
			goto oom;
		cell_rates(t, c, now, r, now_ns, prev_generation,
			   ctx->generation, &ci->stats);
		ci->config = c->config ? c->config->config : NULL;
		ci->config_origin = c->config ? c->config_origin :
						HVCTL_CONFIG_UNKNOWN;
		if (add_ref(sp, c->config, max_refs))
			goto oom;

		for (j = 0; j < c->num_cpus; j++) {
			unsigned int cpu = c->cpus[j];

			if (cpu >= t->num_cpus)
				continue;
			cpus[cpu].cell_id = c->id;
			cpus[cpu].cell = (int)i;
			if (r->cpu_read && r->cpu_read[cpu]) {
				cpus[cpu].has_stats = true;
				cpu_rates(t, c, cpu,
					  &r->cpu_val[(size_t)cpu * t->num_stats],
					  now_ns, &cpus[cpu].stats);
			}
		}
		for (j = 0; j < now->num_failed; j++)
			if (now->failed[j] < t->num_cpus)
				cpus[now->failed[j]].failed = true;
	}
	if (add_ref(sp, t->system_config, max_refs))
		goto oom;

	sp->pub.time_ns = now_ns;
	sp->pub.generation = ctx->generation;
	sp->pub.system.enabled = r->enabled;
	sp->pub.system.mem_pool_size = r->pool[0];
	sp->pub.system.mem_pool_used = r->pool[1];
	sp->pub.system.remap_pool_size = r->pool[2];
	sp->pub.system.remap_pool_used = r->pool[3];
	sp->pub.num_cells = t->num_cells;
	sp->pub.cells = cells;
	sp->pub.num_stats = t->num_stats;
	sp->pub.stat_names = names;
	sp->pub.system_config = t->system_config ?
				t->system_config->config : NULL;
	sp->pub.num_cpus = t->num_cpus;
	sp->pub.cpus = cpus;
	*out = &sp->pub;
	return 0;

oom:
	hvctl_snapshot_free(&sp->pub);
	return -ENOMEM;
}

/* Remember this reading as the base of the next rates. */
static int remember(struct hvctl_ctx *ctx, const struct reading *r,
		    uint64_t now_ns)
{
	struct tree *t = &ctx->tree;
	size_t i;
	unsigned int j;

	for (i = 0; i < t->num_cells; i++) {
		struct tree_cell *c = &t->cells[i];

		c->prev_valid = true;
		c->prev_time_ns = now_ns;
		memcpy(c->prev, r->cells[i].totals, sizeof(c->prev));
		if (!same_cpus(c->cpus, c->num_cpus, c->prev_cpus,
			       c->prev_num_cpus)) {
			unsigned int *pc = NULL;

			if (c->num_cpus) {
				pc = malloc(c->num_cpus * sizeof(*pc));
				if (!pc)
					return -ENOMEM;
				memcpy(pc, c->cpus, c->num_cpus * sizeof(*pc));
			}
			free(c->prev_cpus);
			c->prev_cpus = pc;
			c->prev_num_cpus = c->num_cpus;
		}
		if (!r->cpu_read)
			continue;
		for (j = 0; j < c->num_cpus; j++) {
			unsigned int cpu = c->cpus[j];
			struct tree_cpu_prev *p;

			if (cpu >= t->cpu_prev_size || !r->cpu_read[cpu])
				continue;
			p = &t->cpu_prev[cpu];
			p->valid = true;
			p->owner = c->id;
			p->owner_key = c->key;
			p->time_ns = now_ns;
			memcpy(p->value, &r->cpu_val[(size_t)cpu * t->num_stats],
			       t->num_stats * sizeof(p->value[0]));
		}
	}
	return 0;
}

int hvctl_snapshot(struct hvctl_ctx *ctx, int cpu_stats_cell,
		   struct hvctl_snapshot **out)
{
	struct tree *t = &ctx->tree;
	struct reading r;
	uint64_t now_ns, prev_generation;
	int ret, attempt;

	if (!out)
		return -EINVAL;
	*out = NULL;
	if (cpu_stats_cell < HVCTL_CPU_STATS_ALL)
		return rt_fail(ctx, -EINVAL, "invalid cell %d for CPU statistics",
			       cpu_stats_cell);
	rt_clear_err(ctx);
	ret = ctx->tr->check(ctx);
	if (ret)
		return ret;
	if (t->epoch != ctx->epoch) {
		tree_reset(t);
		t->epoch = ctx->epoch;
	}
	prev_generation = ctx->generation;

	for (attempt = 0;; attempt++) {
		memset(&r, 0, sizeof(r));
		if (t->root_fd < 0) {
			t->root_fd = open(ctx->tree_path,
					  O_RDONLY | O_DIRECTORY | O_CLOEXEC);
			if (t->root_fd < 0) {
				ret = -errno;
				if (ctx->backend == HVCTL_BACKEND_KERNEL &&
				    !ctx->dir && ret == -ENOENT)
					return rt_fail(ctx, -ENODEV,
						       "the jailhouse driver is not loaded (no %s)",
						       ctx->tree_path);
				return rt_fail(ctx, ret, "cannot open %s: %s",
					       ctx->tree_path, strerror(-ret));
			}
		}
		now_ns = rt_now_ns();
		ret = read_all(ctx, cpu_stats_cell, &r);
		if (!ret)
			break;
		reading_free(&r);
		if (!vanished(ret) || attempt == 2) {
			if (!ctx->errmsg[0])
				rt_set_err(ctx, "reading %s: %s", ctx->tree_path,
					   strerror(-ret));
			return ret;
		}
		/* A cell (or the whole tree) went away under us: start over. */
		if (attempt == 1)
			tree_reset(t);
		else
			t->dirty = true;
		rt_clear_err(ctx);
	}

	ret = build(ctx, &r, now_ns, prev_generation, out);
	if (!ret) {
		ret = remember(ctx, &r, now_ns);
		if (ret) {
			hvctl_snapshot_free(*out);
			*out = NULL;
		}
	}
	reading_free(&r);
	if (ret == -ENOMEM)
		rt_set_err(ctx, "out of memory");
	return ret;
}

const struct hvctl_cell_info *hvctl_snapshot_cell(const struct hvctl_snapshot *snap,
						  int id)
{
	size_t i;

	for (i = 0; i < snap->num_cells; i++)
		if (snap->cells[i].id == id)
			return &snap->cells[i];
	return NULL;
}

const struct hvctl_cell_info *hvctl_snapshot_find(const struct hvctl_snapshot *snap,
						  const struct hvctl_cell_ref *ref)
{
	size_t i;

	if (ref->id >= 0)
		return hvctl_snapshot_cell(snap, ref->id);
	for (i = 0; i < snap->num_cells; i++)
		if (!strcmp(snap->cells[i].name, ref->name))
			return &snap->cells[i];
	return NULL;
}

int hvctl_snapshot_stat_index(const struct hvctl_snapshot *snap,
			      const char *name)
{
	unsigned int k;

	for (k = 0; k < snap->num_stats; k++)
		if (!strcmp(snap->stat_names[k], name))
			return (int)k;
	return -1;
}
