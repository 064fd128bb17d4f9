// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Snapshots: one reading of the tree (through the file cache of tree.c)
 * of what the caller asked for, rates against the baseline the caller
 * passed, and the caller's self-contained copy in one arena.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <hvabi/hypercall.h>

#include "runtime_int.h"

#define NUM_BUF		64
/* A delta this large within one interval is a counter restart. */
#define RESET_THRESHOLD	(1u << 30)

static const char *const pool_files[4] = {
	"mem_pool_size", "mem_pool_used", "remap_pool_size", "remap_pool_used",
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
	/* Which context and connection it comes from, for use as a baseline. */
	uint64_t ctx_serial;
	uint64_t epoch;
	/* Per cell (like pub.cells): tells a re-created cell apart. */
	uint64_t *keys;
};

/*
 * The largest chunk of the last snapshot freed, kept for the next one: a
 * big board's snapshot is ~200 KiB, and freeing it each time makes malloc
 * give the heap's top back and take it again (some brk() calls per
 * snapshot, more than its reads with statistics_all). One slot for the
 * process, exchanged atomically; released at exit.
 */
#define CHUNK_KEEP_MIN	(64 * 1024)
static struct chunk *kept_chunk;

static struct chunk *chunk_new(size_t cap)
{
	struct chunk *c = __atomic_exchange_n(&kept_chunk, NULL,
					      __ATOMIC_ACQ_REL);

	if (c && c->cap >= cap)
		return c;
	free(c);
	c = malloc(sizeof(*c) + cap);
	if (c)
		c->cap = cap;
	return c;
}

static void chunk_free(struct chunk *c)
{
	struct chunk *old;

	if (c->cap < CHUNK_KEEP_MIN) {
		free(c);
		return;
	}
	old = __atomic_exchange_n(&kept_chunk, c, __ATOMIC_ACQ_REL);
	if (old && old->cap > c->cap) {
		/* Keep the bigger one. */
		old = __atomic_exchange_n(&kept_chunk, old, __ATOMIC_ACQ_REL);
	}
	free(old);
}

__attribute__((destructor)) static void chunk_release(void)
{
	free(__atomic_exchange_n(&kept_chunk, NULL, __ATOMIC_ACQ_REL));
}

static void *arena_alloc(struct snap_priv *sp, size_t size)
{
	struct chunk *c = sp->chunks;
	void *p;

	size = (size + 15) & ~(size_t)15;
	if (!c || c->cap - c->used < size) {
		size_t cap = size > 16384 ? size : 16384;

		c = chunk_new(cap);
		if (!c)
			return NULL;
		c->used = 0;
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
		chunk_free(c);
	}
	free(sp);
}

/* ---- Reading one snapshot's worth ---- */

struct cell_now {
	enum hvctl_cell_state state;
	unsigned int *failed;
	unsigned int num_failed;
	char *failed_list;
	char *failure;			/* cells/<id>/failure, or NULL */
	uint64_t totals[HVCTL_STATS_MAX];
	bool cpus_read;
};

struct reading {
	bool enabled;
	bool ivshmem_reported;
	struct hvctl_ivshmem_peer *ivshmem;
	size_t num_ivshmem;
	uint64_t pool[4];
	struct cell_now *cells;
	size_t num_cells;
	/* Per-CPU values (num_cpus x num_stats) where cpu_read[cpu]. */
	uint32_t *cpu_val;
	bool *cpu_read;
	/* statistics_all, where the tree has it: states, pools, counters. */
	struct stats_report rep;
};

static void reading_free(struct reading *r)
{
	size_t i;

	if (r->cells)
		for (i = 0; i < r->num_cells; i++) {
			free(r->cells[i].failed);
			free(r->cells[i].failed_list);
			free(r->cells[i].failure);
		}
	free(r->cells);
	free(r->cpu_val);
	free(r->cpu_read);
	free(r->ivshmem);
	memset(r, 0, sizeof(*r));
}

static int read_number(struct hvctl_ctx *ctx, int *fd, uint64_t *value,
		       const char *rel)
{
	char buf[NUM_BUF];
	size_t len;
	int ret;

	ret = tree_kept_read(ctx, fd, rel, buf, sizeof(buf), &len);
	if (ret)
		return ret;
	if (sysfs_parse_u64(buf, value))
		return rt_fail(ctx, -EIO, "%s/%s: not a number: '%.20s'",
			       ctx->tree_path, rel, buf);
	return 0;
}

/*
 * The tree's "ivshmem" report (hvsim, PROTOCOL.md §2): per line
 * "DDDD:BB:DD.F PEER MAX CELL STATE INT_CTRL DOORBELLS". No file: not
 * reported. Anything malformed is refused with its line number.
 */
#define IVSHMEM_REPORT_MAX	(64 * 1024)
#define IVSHMEM_REPORT_LINES	1024

static int parse_ivshmem_line(const char *line, struct hvctl_ivshmem_peer *p)
{
	unsigned int dom, bus, dev, fn, id, max, st, ic;
	unsigned long long bells;
	int cell, end = -1;

	if (sscanf(line, "%4x:%2x:%2x.%1x %u %u %d %u %u %llu%n", &dom, &bus,
		   &dev, &fn, &id, &max, &cell, &st, &ic, &bells, &end) != 10 ||
	    end < 0 || line[end] || dev > 0x1f || fn > 7 || cell < 0 ||
	    id >= HV_IVSHMEM_MAX_PEERS || !max || max > HV_IVSHMEM_MAX_PEERS ||
	    line[0] == ' ' || strchr(line, '-'))
		return -EIO;
	p->domain = (uint16_t)dom;
	p->bdf = (uint16_t)(bus << 8 | dev << 3 | fn);
	p->dev_id = id;
	p->max_peers = max;
	p->cell_id = cell;
	p->state = st;
	p->interrupts = ic & 1;
	p->doorbells = bells;
	return 0;
}

static int read_ivshmem(struct hvctl_ctx *ctx, struct reading *r)
{
	char *buf, *line, *next;
	size_t len = 0, lines = 0;
	ssize_t n;
	int fd, ret = 0;

	fd = openat(ctx->tree.root_fd, "ivshmem", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return errno == ENOENT ? 0 :
		       rt_fail(ctx, -errno, "%s/ivshmem: %s", ctx->tree_path,
			       strerror(errno));
	buf = malloc(IVSHMEM_REPORT_MAX + 1);
	if (!buf) {
		close(fd);
		return -ENOMEM;
	}
	while (len < IVSHMEM_REPORT_MAX &&
	       (n = pread(fd, buf + len, IVSHMEM_REPORT_MAX - len,
			  (off_t)len)) > 0)
		len += (size_t)n;
	if (n < 0)
		ret = rt_fail(ctx, -errno, "%s/ivshmem: %s", ctx->tree_path,
			      strerror(errno));
	close(fd);
	if (!ret && len == IVSHMEM_REPORT_MAX)
		ret = rt_fail(ctx, -EIO, "%s/ivshmem: larger than %d bytes",
			      ctx->tree_path, IVSHMEM_REPORT_MAX);
	buf[len] = '\0';
	for (line = buf; !ret && *line; line = next) {
		next = strchr(line, '\n');
		if (!next) {
			ret = rt_fail(ctx, -EIO, "%s/ivshmem: line %zu has no end",
				      ctx->tree_path, lines + 1);
			break;
		}
		*next++ = '\0';
		if (lines == IVSHMEM_REPORT_LINES) {
			ret = rt_fail(ctx, -EIO, "%s/ivshmem: more than %d lines",
				      ctx->tree_path, IVSHMEM_REPORT_LINES);
			break;
		}
		if (!r->ivshmem) {
			r->ivshmem = calloc(IVSHMEM_REPORT_LINES,
					    sizeof(*r->ivshmem));
			if (!r->ivshmem) {
				ret = -ENOMEM;
				break;
			}
		}
		if (parse_ivshmem_line(line, &r->ivshmem[lines]))
			ret = rt_fail(ctx, -EIO, "%s/ivshmem: line %zu: not 'DDDD:BB:DD.F PEER MAX CELL STATE INT_CTRL DOORBELLS': '%.60s'",
				      ctx->tree_path, lines + 1, line);
		lines++;
	}
	free(buf);
	if (ret)
		return ret;
	r->num_ivshmem = lines;
	r->ivshmem_reported = true;
	return 0;
}

/* State and failed CPUs from the cell's files (upstream's way). */
static int cell_from_files(struct hvctl_ctx *ctx, struct tree_cell *c,
			   struct cell_now *now)
{
	char buf[8192], rel[TREE_REL_MAX];
	size_t len;
	int ret;

	ret = tree_kept_read(ctx, &c->fd_state, tree_rel(rel, c->id, "state"),
			     buf, sizeof(buf), &len);
	if (ret)
		return ret;
	now->state = sysfs_parse_state(buf);

	ret = tree_kept_read(ctx, &c->fd_failed,
			     tree_rel(rel, c->id, "cpus_failed_list"), buf,
			     sizeof(buf), &len);
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
		ret = tree_read_cpus(ctx, c->id, "cpus_failed", &now->failed,
				&now->num_failed, &now->failed_list);
		if (ret)
			return ret;
	} else {
		return ret;
	}
	return 0;
}

/*
 * State, failed CPUs (the cell's CPUs the report says failed, as the
 * driver's cpus_failed_list) from the report. A cell the report lacks was
 * created or destroyed between the two readings: look again.
 */
static int cell_from_report(struct hvctl_ctx *ctx, struct tree_cell *c,
			    struct cell_now *now, struct reading *r,
			    struct hv_stats_cell *rec)
{
	static const enum hvctl_cell_state states[] = {
		HVCTL_CELL_RUNNING, HVCTL_CELL_RUNNING_LOCKED,
		HVCTL_CELL_SHUT_DOWN, HVCTL_CELL_FAILED,
		HVCTL_CELL_FAILED_COMM_REV,
	};
	unsigned int i;

	if (!stats_all_cell(&r->rep, c->id, rec)) {
		ctx->tree.dirty = true;
		return -ENOENT;
	}
	now->state = rec->state < sizeof(states) / sizeof(states[0]) ?
		     states[rec->state] : HVCTL_CELL_INVALID;
	for (i = 0; i < c->num_cpus; i++) {
		struct hv_stats_cpu cpu;

		if (!stats_all_cpu(&r->rep, c->cpus[i], &cpu) ||
		    cpu.state != HV_CPU_FAILED)
			continue;
		if (!now->failed) {
			now->failed = malloc(c->num_cpus * sizeof(*now->failed));
			if (!now->failed)
				return -ENOMEM;
		}
		now->failed[now->num_failed++] = c->cpus[i];
	}
	/* Most cells have no failed CPU: no list to format ("" in build()). */
	if (!now->num_failed)
		return 0;
	now->failed_list = sysfs_format_cpulist(now->failed, now->num_failed);
	return now->failed_list ? 0 : -ENOMEM;
}

/* Totals and per-CPU values from the report (names: tree_report_stats). */
static int counters_from_report(const struct tree *t, const struct tree_cell *c,
				struct cell_now *now, struct reading *r,
				const struct hv_stats_cell *rec, bool per_cpu)
{
	unsigned int k, i;

	for (k = 0; k < t->num_stats; k++)
		now->totals[k] = rec->stats[k];
	if (!per_cpu)
		return 0;
	for (i = 0; i < c->num_cpus; i++) {
		unsigned int cpu = c->cpus[i];
		struct hv_stats_cpu rc;

		/* A CPU the report lacks reads 0, as a missing file does. */
		if (!stats_all_cpu(&r->rep, cpu, &rc))
			memset(&rc, 0, sizeof(rc));
		for (k = 0; k < t->num_stats; k++)
			r->cpu_val[(size_t)cpu * t->num_stats + k] =
				rc.stats[k] & HV_CPU_STAT_MASK;
		r->cpu_read[cpu] = true;
	}
	now->cpus_read = true;
	return 0;
}

static int read_cell(struct hvctl_ctx *ctx, struct tree_cell *c,
		     struct cell_now *now, struct reading *r, bool counters,
		     bool per_cpu)
{
	struct tree *t = &ctx->tree;
	char buf[8192], rel[TREE_REL_MAX];
	struct hv_stats_cell rec;
	size_t len;
	unsigned int k, i;
	int ret;

	if (r->rep.valid) {
		ret = cell_from_report(ctx, c, now, r, &rec);
		if (ret)
			return ret;
	} else {
		ret = cell_from_files(ctx, c, now);
		if (ret)
			return ret;
	}
	/* Read only when something failed: absent on upstream's driver. */
	if (now->num_failed || now->state == HVCTL_CELL_FAILED) {
		ret = tree_read_file(ctx, tree_rel(rel, c->id, "failure"), buf,
				     sizeof(buf), &len);
		if (!ret && len) {
			sysfs_chomp(buf, len);
			now->failure = strdup(buf);
			if (!now->failure)
				return -ENOMEM;
		} else if (ret && ret != -ENOENT) {
			return ret;
		}
	}

	if (!counters)
		return 0;
	if (r->rep.valid)
		return counters_from_report(t, c, now, r, &rec, per_cpu);
	for (k = 0; k < t->num_stats; k++) {
		/* The path only matters for a file not open yet. */
		if (c->fd_stat[k] < 0)
			tree_rel_stat(rel, c->id, -1, t->stat_names[k]);
		ret = tree_kept_read(ctx, &c->fd_stat[k], rel, buf, NUM_BUF,
				     &len);
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

			int *fd = &c->fd_cpu_stat[i * t->num_stats + k];

			if (*fd < 0)
				tree_rel_stat(rel, c->id, cpu, t->stat_names[k]);
			ret = tree_kept_read(ctx, fd, rel, buf, NUM_BUF, &len);
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

static int read_all(struct hvctl_ctx *ctx, unsigned int what,
		    int cpu_stats_cell, struct reading *r)
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
	ret = stats_all_read(ctx, &r->rep);
	if (ret)
		return ret;
	ret = tree_cells_changed(ctx, &changed);
	if (ret)
		return ret;
	if (changed) {
		ret = tree_rescan(ctx);
		if (ret)
			return ret;
	}
	/* A report taken between a cell's coming or going and its files'. */
	for (i = 0; r->rep.valid && i < t->num_cells; i++) {
		struct hv_stats_cell rec;

		if (!stats_all_cell(&r->rep, t->cells[i].id, &rec))
			r->rep.valid = false;
	}
	if (r->rep.valid) {
		r->pool[0] = r->rep.hdr.mem_pool_size;
		r->pool[1] = r->rep.hdr.mem_pool_used;
		r->pool[2] = r->rep.hdr.remap_pool_size;
		r->pool[3] = r->rep.hdr.remap_pool_used;
	}
	for (i = 0; i < 4 && !r->rep.valid; i++) {
		ret = read_number(ctx, &t->fd_pool[i], &r->pool[i],
				  pool_files[i]);
		if (ret)
			return ret;
	}
	if (what & HVCTL_READ_COUNTERS) {
		ret = r->rep.valid ? tree_report_stats(ctx) :
				     tree_scan_stats(ctx);
		if (ret)
			return ret;
	}
	if (what & HVCTL_READ_CONFIGS) {
		ret = tree_read_configs(ctx);
		if (ret)
			return ret;
		if (r->rep.valid) {
			ret = stats_all_ivshmem(&r->rep, &r->ivshmem,
						&r->num_ivshmem);
			if (ret)
				return ret;
			r->ivshmem_reported = true;
		} else if (r->enabled) {
			ret = read_ivshmem(ctx, r);
			if (ret)
				return ret;
		}
	}

	r->num_cells = t->num_cells;
	if (t->num_cells) {
		r->cells = calloc(t->num_cells, sizeof(*r->cells));
		if (!r->cells)
			return -ENOMEM;
	}
	if ((what & HVCTL_READ_CPU_COUNTERS) && t->num_cpus) {
		/*
		 * Not cleared: a CPU's values are read only where cpu_read
		 * (or the cell's cpus_read) says all of them were written.
		 */
		r->cpu_val = malloc((size_t)t->num_cpus *
				    (t->num_stats ? t->num_stats : 1) *
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

		ret = read_cell(ctx, c, &r->cells[i], r,
				(what & HVCTL_READ_COUNTERS) != 0, per_cpu);
		if (ret)
			return ret;
	}
	return 0;
}

/* ---- Rates against the caller's baseline ---- */

/* The baseline's part the rates need, NULL-safe. */
struct base {
	const struct snap_priv *sp;	/* NULL: no usable baseline */
};

/* The baseline's cell that is the same instance as c, or -1. */
static long base_cell(const struct base *b, const struct tree_cell *c)
{
	const struct hvctl_snapshot *p;
	size_t i;

	if (!b->sp)
		return -1;
	p = &b->sp->pub;
	for (i = 0; i < p->num_cells; i++)
		if (p->cells[i].id == c->id)
			return b->sp->keys[i] == c->key &&
			       !strcmp(p->cells[i].name, c->name) ? (long)i : -1;
	return -1;
}

/* The baseline's reading of cpu, if it read its counters. */
static const struct hvctl_cpu_info *base_cpu(const struct base *b,
					     unsigned int cpu)
{
	const struct hvctl_cpu_info *ci;

	if (!b->sp || cpu >= b->sp->pub.num_cpus)
		return NULL;
	ci = &b->sp->pub.cpus[cpu];
	return ci->has_stats ? ci : NULL;
}

static void cpu_rates(const struct tree *t, const struct base *b, long bcell,
		      unsigned int cpu, const uint32_t *val, uint64_t now_ns,
		      struct hvctl_counters *out)
{
	const struct hvctl_cpu_info *p = base_cpu(b, cpu);
	uint64_t base_ns;
	unsigned int k;

	out->rate_valid = false;
	out->interval = 0;
	for (k = 0; k < t->num_stats; k++)
		out->value[k] = val[k];
	if (!p || bcell < 0 || p->cell != (int)bcell)
		return;
	base_ns = b->sp->pub.time_ns;
	if (now_ns <= base_ns)
		return;
	for (k = 0; k < t->num_stats; k++) {
		uint32_t d = rate_delta31((uint32_t)p->stats.value[k], val[k]);

		if (d >= RESET_THRESHOLD)
			return;
		out->rate[k] = rate_per_second(d, now_ns - base_ns);
	}
	out->rate_valid = true;
	out->interval = (double)(now_ns - base_ns) / 1e9;
}

static void cell_rates(const struct tree *t, const struct base *b, long bcell,
		       const struct tree_cell *c, const struct cell_now *now,
		       const struct reading *r, uint64_t now_ns,
		       uint64_t generation, struct hvctl_counters *out)
{
	const struct hvctl_snapshot *p;
	const struct hvctl_cell_info *pc;
	uint64_t interval;
	unsigned int k, i;
	bool exact = false;

	out->rate_valid = false;
	out->interval = 0;
	for (k = 0; k < t->num_stats; k++)
		out->value[k] = now->totals[k];
	if (bcell < 0)
		return;
	p = &b->sp->pub;
	pc = &p->cells[bcell];
	if (now_ns <= p->time_ns)
		return;
	interval = now_ns - p->time_ns;

	/* Per-CPU samples from both ends of the interval give exact sums. */
	if (now->cpus_read) {
		exact = true;
		for (i = 0; i < c->num_cpus && exact; i++)
			if (!base_cpu(b, c->cpus[i]))
				exact = false;
	}
	if (exact) {
		for (k = 0; k < t->num_stats; k++) {
			uint64_t sum = 0;

			for (i = 0; i < c->num_cpus; i++) {
				unsigned int cpu = c->cpus[i];
				const struct hvctl_cpu_info *pci = &p->cpus[cpu];
				struct rate_cpu_sample s = {
					.cpu = cpu,
					.moved = pci->cell != (int)bcell,
					.prev = (uint32_t)pci->stats.value[k],
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
	 * Totals only: valid while the CPU set is the baseline's. The root
	 * cell's set can change and change back between two readings; after
	 * a change of the cell set it waits one round.
	 */
	if (!tree_same_cpus(c->cpus, c->num_cpus, pc->cpus, pc->num_cpus))
		return;
	if (c->id == 0 && p->generation != generation)
		return;
	for (k = 0; k < t->num_stats; k++) {
		uint64_t d = rate_delta_total(pc->stats.value[k], now->totals[k]);

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

static int build(struct hvctl_ctx *ctx, unsigned int what,
		 const struct reading *r, uint64_t now_ns,
		 const struct base *b, struct hvctl_snapshot **out)
{
	struct tree *t = &ctx->tree;
	struct hvctl_cell_info *cells = NULL;
	struct hvctl_cpu_info *cpus = NULL;
	struct snap_priv *sp;
	const char **names;
	size_t i, max_refs = t->num_cells + 1;
	unsigned int k, j;
	unsigned int num_stats = (what & HVCTL_READ_COUNTERS) ? t->num_stats : 0;
	bool configs = (what & HVCTL_READ_CONFIGS) != 0;

	sp = calloc(1, sizeof(*sp));
	if (!sp)
		return -ENOMEM;
	sp->refs = arena_alloc(sp, max_refs * sizeof(*sp->refs));
	sp->keys = arena_alloc(sp, (t->num_cells + 1) * sizeof(*sp->keys));
	names = arena_alloc(sp, (num_stats + 1) * sizeof(*names));
	if (t->num_cells)
		cells = arena_alloc(sp, t->num_cells * sizeof(*cells));
	if (t->num_cpus)
		cpus = arena_alloc(sp, t->num_cpus * sizeof(*cpus));
	if (!sp->refs || !sp->keys || !names || (t->num_cells && !cells) ||
	    (t->num_cpus && !cpus))
		goto oom;

	for (k = 0; k < num_stats; k++) {
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

		long bcell = base_cell(b, c);

		memset(ci, 0, sizeof(*ci));
		sp->keys[i] = c->key;
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
		if (now->failure) {
			ci->failure = arena_strdup(sp, now->failure);
			if (!ci->failure)
				goto oom;
		}
		if (num_stats)
			cell_rates(t, b, bcell, c, now, r, now_ns,
				   ctx->generation, &ci->stats);
		if (configs && c->config) {
			ci->config = c->config->config;
			ci->config_origin = c->config_origin;
			if (add_ref(sp, c->config, max_refs))
				goto oom;
		}

		for (j = 0; j < c->num_cpus; j++) {
			unsigned int cpu = c->cpus[j];

			if (cpu >= t->num_cpus)
				continue;
			cpus[cpu].cell_id = c->id;
			cpus[cpu].cell = (int)i;
			if (r->cpu_read && r->cpu_read[cpu]) {
				cpus[cpu].has_stats = true;
				cpu_rates(t, b, bcell, cpu,
					  &r->cpu_val[(size_t)cpu * t->num_stats],
					  now_ns, &cpus[cpu].stats);
			}
		}
		for (j = 0; j < now->num_failed; j++)
			if (now->failed[j] < t->num_cpus)
				cpus[now->failed[j]].failed = true;
	}
	if (configs && add_ref(sp, t->system_config, max_refs))
		goto oom;

	sp->ctx_serial = ctx->serial;
	sp->epoch = ctx->epoch;
	sp->pub.what = what;
	sp->pub.time_ns = now_ns;
	sp->pub.generation = ctx->generation;
	sp->pub.system.enabled = r->enabled;
	sp->pub.system.mem_pool_size = r->pool[0];
	sp->pub.system.mem_pool_used = r->pool[1];
	sp->pub.system.remap_pool_size = r->pool[2];
	sp->pub.system.remap_pool_used = r->pool[3];
	sp->pub.num_cells = t->num_cells;
	sp->pub.cells = cells;
	sp->pub.num_stats = num_stats;
	sp->pub.stat_names = names;
	sp->pub.system_config = configs && t->system_config ?
				t->system_config->config : NULL;
	sp->pub.num_cpus = t->num_cpus;
	sp->pub.cpus = cpus;
	if (r->ivshmem_reported) {
		struct hvctl_ivshmem_peer *iv = NULL;

		if (r->num_ivshmem) {
			iv = arena_alloc(sp, r->num_ivshmem * sizeof(*iv));
			if (!iv)
				goto oom;
			memcpy(iv, r->ivshmem, r->num_ivshmem * sizeof(*iv));
		}
		sp->pub.ivshmem_reported = true;
		sp->pub.num_ivshmem = r->num_ivshmem;
		sp->pub.ivshmem = iv;
	}
	*out = &sp->pub;
	return 0;

oom:
	hvctl_snapshot_free(&sp->pub);
	return -ENOMEM;
}

/*
 * prev as a baseline: it must come from this context and connection (the
 * cell keys and generations mean nothing elsewhere) and have counters.
 */
static void base_init(struct base *b, const struct hvctl_ctx *ctx,
		      const struct hvctl_snapshot *prev)
{
	const struct snap_priv *sp = (const struct snap_priv *)prev;

	b->sp = NULL;
	if (sp && sp->ctx_serial == ctx->serial && sp->epoch == ctx->epoch &&
	    (prev->what & HVCTL_READ_COUNTERS))
		b->sp = sp;
}

int hvctl_snapshot(struct hvctl_ctx *ctx, unsigned int what,
		   int cpu_stats_cell, const struct hvctl_snapshot *prev,
		   struct hvctl_snapshot **out)
{
	struct tree *t = &ctx->tree;
	struct reading r;
	struct base b;
	uint64_t now_ns;
	int ret, attempt;

	if (!out)
		return -EINVAL;
	*out = NULL;
	if (what & ~HVCTL_READ_ALL)
		return rt_fail(ctx, -EINVAL, "unknown snapshot flags 0x%x",
			       what & ~HVCTL_READ_ALL);
	if (what & HVCTL_READ_CPU_COUNTERS) {
		what |= HVCTL_READ_COUNTERS;
		if (cpu_stats_cell < HVCTL_CPU_STATS_ALL ||
		    cpu_stats_cell == HVCTL_CPU_STATS_NONE)
			return rt_fail(ctx, -EINVAL,
				       "invalid cell %d for CPU statistics",
				       cpu_stats_cell);
	}
	rt_clear_err(ctx);
	ret = ctx->tr->check(ctx);
	if (ret)
		return ret;
	if (t->epoch != ctx->epoch) {
		tree_reset(t);
		t->epoch = ctx->epoch;
	}
	for (attempt = 0;; attempt++) {
		memset(&r, 0, sizeof(r));
		ret = tree_open_root(ctx);
		if (ret)
			return ret;
		now_ns = rt_now_ns();
		ret = read_all(ctx, what, cpu_stats_cell, &r);
		if (!ret)
			break;
		reading_free(&r);
		if (!tree_vanished(ret) || attempt == 2) {
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

	/* After the reading: a reconnection during it bumped the epoch. */
	base_init(&b, ctx, prev);
	ret = build(ctx, what, &r, now_ns, &b, out);
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
