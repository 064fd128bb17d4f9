// SPDX-License-Identifier: GPL-2.0
/*
 * DIR/sysfs, shaped like /sys/devices/jailhouse (spec §2).
 *
 * Every file is created once (mode 0444; a cell's console and config 0440,
 * for the operator group only) and its write descriptor kept, so
 * hvsim can rewrite it in place without needing write permission later:
 * pwrite at offset 0, then ftruncate when the text got shorter. Readers
 * holding a file open keep seeing the current value; directories of CPUs
 * move between cells with rename(2), their files staying the same inodes.
 * A new cell directory is assembled in DIR/.hvsim-build and renamed into
 * cells/ complete; a removed one leaves the same way.
 *
 * All paths are relative to DIR and resolved by simdir (no link is ever
 * followed).
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <hvabi/hypercall.h>
#include <hvabi/sim-protocol.h>
#include <hvabi/stats.h>

#include <hv/cell.h>
#include <hv/ivshmem.h>
#include <hv/lib.h>
#include <hv/percpu.h>
#include <hv/pool.h>

#include <sim/board.h>
#include <sim/driver.h>
#include <sim/sim.h>
#include <sim/simdir.h>
#include <sim/sysfs.h>

#define BUILD_DIR	".hvsim-build"

static const char *const stat_names[HV_NUM_CPU_STATS] = {
#define HV_STAT_NAME(name, file) file,
	HV_ARM64_STATS(HV_STAT_NAME)
#undef HV_STAT_NAME
};

static const char *const state_names[] = HV_CELL_STATE_NAMES;

struct sfile {
	int fd;
	size_t len;
};

struct sys_cpu {
	int dir_cell;			/* cell whose statistics/ holds cpuN */
	struct sfile stat[HV_NUM_CPU_STATS];
	uint32_t val[HV_NUM_CPU_STATS];
};

struct sys_cell {
	bool present;
	struct sfile name, state, assigned, assigned_list, failed,
		     failed_list, failure, config, console;
	struct sfile total[HV_NUM_CPU_STATS];
	uint64_t total_val[HV_NUM_CPU_STATS];
	uint32_t state_val;
	unsigned long *assigned_bits, *failed_bits;
	uint64_t con_tail;
	uint32_t con_gen;
};

#define TEXT_BUF_SIZE	8192

/*
 * The ivshmem file: one line per present peer of every link, "DDDD:BB:DD.F
 * PEER MAX_PEERS CELL_ID STATE INT_CTRL DOORBELLS" (decimal), rewritten
 * when it changed. At most IVSHMEM_MAX_LINKS * HV_IVSHMEM_MAX_PEERS lines.
 */
#define IVSHMEM_LINE_MAX	80
#define IVSHMEM_TEXT_MAX	(IVSHMEM_MAX_LINKS * HV_IVSHMEM_MAX_PEERS * \
				 IVSHMEM_LINE_MAX)

static const char sys_path[] = HVSIM_SYSFS_DIR, build_path[] = BUILD_DIR;

/* The tree's state (struct sim_board.sysfs). */
struct sim_sysfs {
	struct sfile f_enabled, f_mem_size, f_mem_used, f_remap_size,
		     f_remap_used, f_console, f_ivshmem, f_stats_all;
	/* Something statistics_all shows changed since it was written. */
	bool report_dirty;
	uint8_t *report_buf;
	struct sys_cpu *cpus;
	struct sys_cell *cells;	/* indexed by cell id, board.cpus + 1 */
	unsigned int bitmap_longs;
	uint64_t hv_con_tail;
	bool enabled;
	/* Room for a 1024-CPU list or mask, or a console ring. */
	char text[TEXT_BUF_SIZE];
	/* The ivshmem file's text: [0] being built, [1] as written. */
	char ivshmem_text[2][IVSHMEM_TEXT_MAX];
	size_t ivshmem_len;
};

static void write_report(struct sim_board *sb);

static void sf_init(struct sfile *f)
{
	f->fd = -1;
	f->len = 0;
}

static void sf_write(struct sfile *f, const void *buf, size_t len)
{
	if (f->fd < 0)
		return;
	if (len && pwrite(f->fd, buf, len, 0) != (ssize_t)len)
		fprintf(stderr, "hvsim: sysfs write: %s\n", strerror(errno));
	if (len < f->len && ftruncate(f->fd, (off_t)len))
		fprintf(stderr, "hvsim: sysfs truncate: %s\n", strerror(errno));
	f->len = len;
}

static void sf_printf(struct sfile *f, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void sf_printf(struct sfile *f, const char *fmt, ...)
{
	char buf[128];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	sf_write(f, buf, (size_t)n);
}

static int sf_create_mode(struct sim_board *sb, struct sfile *f,
			  const char *path, mode_t mode,
			  const void *buf, size_t len)
{
	f->fd = simdir_create(&sb->dir, path, mode);
	f->len = 0;
	if (f->fd < 0) {
		int err = f->fd;

		fprintf(stderr, "hvsim: cannot create DIR/%s: %s\n", path,
			strerror(-err));
		f->fd = -1;
		return err;
	}
	sf_write(f, buf, len);
	return 0;
}

static int sf_create(struct sim_board *sb, struct sfile *f, const char *path,
		     const void *buf,
		     size_t len)
{
	return sf_create_mode(sb, f, path, 0444, buf, len);
}

static void sf_close(struct sfile *f)
{
	if (f->fd >= 0)
		close(f->fd);
	sf_init(f);
}

static char *path_of(char *buf, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static char *path_of(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return buf;
}

static void rm_tree(struct sim_board *sb, const char *path)
{
	int err = simdir_rm_tree(&sb->dir, path);

	if (err)
		fprintf(stderr, "hvsim: cannot remove DIR/%s: %s\n", path,
			strerror(-err));
}

/* Linux %*pb: 32-bit hex groups, most significant first. */
static size_t fmt_mask(struct sim_board *sb, const unsigned long *bits,
		       char *buf)
{
	unsigned int nbits = sb->board.cpus, groups = (nbits + 31) / 32;
	unsigned int first = nbits % 32 ? nbits % 32 : 32;
	size_t o = 0;
	int g;

	for (g = (int)groups - 1; g >= 0; g--) {
		uint32_t val = 0;
		unsigned int b, width = g == (int)groups - 1 ?
					(first + 3) / 4 : 8;

		for (b = 0; b < 32 && g * 32u + b < nbits; b++)
			if (test_bit(g * 32u + b, bits))
				val |= 1u << b;
		o += (size_t)sprintf(buf + o, "%s%0*x", o ? "," : "",
				     (int)width, val);
	}
	buf[o++] = '\n';
	return o;
}

/* Linux %*pbl: ranges like 0-3,5. */
static size_t fmt_list(struct sim_board *sb, const unsigned long *bits,
		       char *buf)
{
	unsigned int cpu = 0, end;
	size_t o = 0;

	while (cpu < sb->board.cpus) {
		if (!test_bit(cpu, bits)) {
			cpu++;
			continue;
		}
		for (end = cpu; end + 1 < sb->board.cpus && test_bit(end + 1, bits);
		     end++)
			;
		if (o)
			buf[o++] = ',';
		o += (size_t)(end == cpu ? sprintf(buf + o, "%u", cpu) :
			      sprintf(buf + o, "%u-%u", cpu, end));
		cpu = end + 1;
	}
	buf[o++] = '\n';
	return o;
}

/* Descriptors start closed (-1): calloc's 0 would be stdin. */
static void cell_files_init(struct sys_cell *c)
{
	unsigned int i;

	sf_init(&c->name);
	sf_init(&c->state);
	sf_init(&c->assigned);
	sf_init(&c->assigned_list);
	sf_init(&c->failed);
	sf_init(&c->failed_list);
	sf_init(&c->failure);
	sf_init(&c->config);
	sf_init(&c->console);
	for (i = 0; i < HV_NUM_CPU_STATS; i++)
		sf_init(&c->total[i]);
}

int sysfs_init(struct sim_board *sb)
{
	struct sim_sysfs *fs = calloc(1, sizeof(*fs));
	struct rlimit rl;
	char p[PATH_MAX];
	unsigned int cpu, i;
	int err;

	if (!fs)
		return -ENOMEM;
	sb->sysfs = fs;
	/* Descriptors start closed (-1): calloc's 0 would be stdin. */
	sf_init(&fs->f_enabled);
	sf_init(&fs->f_mem_size);
	sf_init(&fs->f_mem_used);
	sf_init(&fs->f_remap_size);
	sf_init(&fs->f_remap_used);
	sf_init(&fs->f_console);
	sf_init(&fs->f_ivshmem);
	sf_init(&fs->f_stats_all);
	/* A descriptor per file: 9 per CPU and about 20 per cell. */
	if (!getrlimit(RLIMIT_NOFILE, &rl) && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
	fs->bitmap_longs = BITMAP_LONGS(sb->board.cpus);
	fs->cpus = calloc(sb->board.cpus, sizeof(*fs->cpus));
	fs->cells = calloc(sb->board.cpus + 1, sizeof(*fs->cells));
	if (!fs->cpus || !fs->cells)
		return -ENOMEM;
	for (cpu = 0; cpu < sb->board.cpus; cpu++) {
		fs->cpus[cpu].dir_cell = -1;
		for (i = 0; i < HV_NUM_CPU_STATS; i++)
			sf_init(&fs->cpus[cpu].stat[i]);
	}
	for (i = 0; i <= sb->board.cpus; i++)
		cell_files_init(&fs->cells[i]);
	for (i = 0; i <= sb->board.cpus; i++) {
		fs->cells[i].assigned_bits = calloc(fs->bitmap_longs, sizeof(long));
		fs->cells[i].failed_bits = calloc(fs->bitmap_longs, sizeof(long));
		if (!fs->cells[i].assigned_bits || !fs->cells[i].failed_bits)
			return -ENOMEM;
	}
	rm_tree(sb, sys_path);
	rm_tree(sb, build_path);
	if ((err = simdir_mkdir(&sb->dir, sys_path, 0755)) ||
	    (err = simdir_mkdir(&sb->dir, build_path, 0755)) ||
	    (err = simdir_mkdir(&sb->dir, path_of(p, sizeof(p), "%s/cells", sys_path),
				0755))) {
		fprintf(stderr, "hvsim: cannot create DIR/%s: %s\n", sys_path,
			strerror(-err));
		return err;
	}
	if (sf_create(sb, &fs->f_enabled, path_of(p, sizeof(p), "%s/enabled", sys_path),
		      "0\n", 2) ||
	    sf_create(sb, &fs->f_mem_size, path_of(p, sizeof(p), "%s/mem_pool_size",
					   sys_path), "0\n", 2) ||
	    sf_create(sb, &fs->f_mem_used, path_of(p, sizeof(p), "%s/mem_pool_used",
					   sys_path), "0\n", 2) ||
	    sf_create(sb, &fs->f_remap_size, path_of(p, sizeof(p), "%s/remap_pool_size",
					     sys_path), "0\n", 2) ||
	    sf_create(sb, &fs->f_remap_used, path_of(p, sizeof(p), "%s/remap_pool_used",
					     sys_path), "0\n", 2) ||
	    sf_create(sb, &fs->f_console, path_of(p, sizeof(p), "%s/console",
					  sys_path), "", 0) ||
	    sf_create(sb, &fs->f_ivshmem, path_of(p, sizeof(p), "%s/ivshmem",
					  sys_path), "", 0) ||
	    sf_create(sb, &fs->f_stats_all,
		      path_of(p, sizeof(p), "%s/statistics_all", sys_path),
		      "", 0))
		return -EIO;
	return 0;
}

static void close_cell_files(struct sys_cell *c)
{
	unsigned int i;

	sf_close(&c->name);
	sf_close(&c->state);
	sf_close(&c->assigned);
	sf_close(&c->assigned_list);
	sf_close(&c->failed);
	sf_close(&c->failed_list);
	sf_close(&c->failure);
	sf_close(&c->config);
	sf_close(&c->console);
	for (i = 0; i < HV_NUM_CPU_STATS; i++)
		sf_close(&c->total[i]);
}

static void close_cpu_files(struct sys_cpu *sc)
{
	unsigned int i;

	for (i = 0; i < HV_NUM_CPU_STATS; i++)
		sf_close(&sc->stat[i]);
	sc->dir_cell = -1;
}

void sysfs_exit(struct sim_board *sb)
{
	struct sim_sysfs *fs = sb->sysfs;
	unsigned int i;

	if (!fs)
		return;
	if (fs->cpus)
		for (i = 0; i < sb->board.cpus; i++)
			close_cpu_files(&fs->cpus[i]);
	if (fs->cells)
		for (i = 0; i <= sb->board.cpus; i++) {
			close_cell_files(&fs->cells[i]);
			free(fs->cells[i].assigned_bits);
			free(fs->cells[i].failed_bits);
		}
	sf_close(&fs->f_enabled);
	sf_close(&fs->f_mem_size);
	sf_close(&fs->f_mem_used);
	sf_close(&fs->f_remap_size);
	sf_close(&fs->f_remap_used);
	sf_close(&fs->f_console);
	sf_close(&fs->f_ivshmem);
	sf_close(&fs->f_stats_all);
	free(fs->report_buf);
	if (sb->dir.fd >= 0) {
		rm_tree(sb, sys_path);
		rm_tree(sb, build_path);
	}
	free(fs->cpus);
	free(fs->cells);
	free(fs);
	sb->sysfs = NULL;
}

void sysfs_pools(struct sim_board *sb)
{
	struct sim_sysfs *fs = sb->sysfs;

	if (!fs->enabled)
		return;
	sf_printf(&fs->f_mem_size, "%lu\n", mem_pool.pages);
	sf_printf(&fs->f_mem_used, "%lu\n", mem_pool.used);
	sf_printf(&fs->f_remap_size, "%lu\n", remap_pool.pages);
	sf_printf(&fs->f_remap_used, "%lu\n", remap_pool.used);
	fs->report_dirty = true;
	write_report(sb);
}

static void write_cpu_stats(struct sim_board *sb, unsigned int cpu, bool force)
{
	struct sim_sysfs *fs = sb->sysfs;
	struct sys_cpu *sc = &fs->cpus[cpu];
	struct per_cpu *pc = per_cpu(cpu);
	unsigned int i;

	for (i = 0; i < HV_NUM_CPU_STATS; i++) {
		uint32_t v = cpu_stat_read(pc, i);

		if (force || v != sc->val[i]) {
			sc->val[i] = v;
			sf_printf(&sc->stat[i], "%d\n", (int)v);
			fs->report_dirty = true;
		}
	}
}

static void write_totals(struct sim_board *sb, unsigned int id, bool force)
{
	struct sim_sysfs *fs = sb->sysfs;
	struct sys_cell *c = &fs->cells[id];
	uint64_t sum[HV_NUM_CPU_STATS] = { 0 };
	unsigned int cpu, i;

	for (cpu = 0; cpu < sb->board.cpus; cpu++)
		if (fs->cpus[cpu].dir_cell == (int)id)
			for (i = 0; i < HV_NUM_CPU_STATS; i++)
				sum[i] += fs->cpus[cpu].val[i];
	for (i = 0; i < HV_NUM_CPU_STATS; i++)
		if (force || sum[i] != c->total_val[i]) {
			c->total_val[i] = sum[i];
			sf_printf(&c->total[i], "%" PRIu64 "\n", sum[i]);
		}
}

/* Creates cpuN with fresh files in the statistics directory `stats`. */
static int create_cpu_dir(struct sim_board *sb, const char *stats,
			  unsigned int cpu)
{
	struct sim_sysfs *fs = sb->sysfs;
	char p[PATH_MAX];
	unsigned int i;

	int err = simdir_mkdir(&sb->dir, path_of(p, sizeof(p), "%s/cpu%u", stats, cpu),
			       0755);

	if (err)
		return err;
	for (i = 0; i < HV_NUM_CPU_STATS; i++) {
		fs->cpus[cpu].val[i] = 0;
		if (sf_create(sb, &fs->cpus[cpu].stat[i],
			      path_of(p, sizeof(p), "%s/cpu%u/%s", stats, cpu,
				      stat_names[i]), "0\n", 2))
			return -EIO;
	}
	return 0;
}

static void cell_bits(struct sim_board *sb, const struct cell *cell,
		      unsigned long *assigned,
		      unsigned long *failed)
{
	struct sim_sysfs *fs = sb->sysfs;
	unsigned int cpu;

	memset(assigned, 0, fs->bitmap_longs * sizeof(long));
	memset(failed, 0, fs->bitmap_longs * sizeof(long));
	for (cpu = 0; cpu < sb->board.cpus; cpu++)
		if (cell_owns_cpu(cell, cpu)) {
			set_bit(cpu, assigned);
			if (per_cpu(cpu)->failed)
				set_bit(cpu, failed);
		}
}

static const char *const fault_names[HV_NUM_CPU_FAULTS] = {
#define FAULT_NAME(n, s)	[HV_CPU_FAULT_##n] = s,
	HV_CPU_FAULTS(FAULT_NAME)
#undef FAULT_NAME
};

/* cells/<id>/failure: "CPU FAULT ADDRESS" per failed CPU (PROTOCOL.md §2). */
static size_t fmt_failure(struct sim_board *sb, const unsigned long *failed,
			  char *buf, size_t size)
{
	size_t len = 0;
	unsigned int cpu;

	buf[0] = '\0';
	for (cpu = 0; cpu < sb->board.cpus && len + 64 < size; cpu++) {
		const struct per_cpu *pc = per_cpu(cpu);
		uint32_t f = pc->fail_fault < HV_NUM_CPU_FAULTS ? pc->fail_fault :
			     HV_CPU_FAULT_OTHER;

		if (!test_bit(cpu, failed))
			continue;
		if (HV_CPU_FAULT_HAS_ADDR(f))
			len += (size_t)snprintf(buf + len, size - len, "%u %s 0x%" PRIx64 "\n",
						cpu, fault_names[f], pc->fail_addr);
		else
			len += (size_t)snprintf(buf + len, size - len, "%u %s -\n", cpu,
						fault_names[f]);
	}
	return len;
}

static const char *state_text(uint32_t state)
{
	return state < sizeof(state_names) / sizeof(state_names[0]) ?
	       state_names[state] : HV_CELL_STATE_INVALID_NAME;
}

void sysfs_cell_added(struct sim_board *sb, struct cell *cell,
		      const void *config, uint64_t size)
{
	struct sim_sysfs *fs = sb->sysfs;
	struct sys_cell *c = &fs->cells[cell->id];
	char p[PATH_MAX], q[PATH_MAX], stats[PATH_MAX], *buf = fs->text;
	unsigned int cpu, i;
	size_t len;
	int err;

	close_cell_files(c);
	path_of(q, sizeof(q), "%s/%u", build_path, cell->id);
	rm_tree(sb, q);
	path_of(stats, sizeof(stats), "%s/statistics", q);
	if ((err = simdir_mkdir(&sb->dir, q, 0755)) ||
	    (err = simdir_mkdir(&sb->dir, stats, 0755))) {
		fprintf(stderr, "hvsim: cannot create DIR/%s: %s\n", q,
			strerror(-err));
		return;
	}
	cell_bits(sb, cell, c->assigned_bits, c->failed_bits);
	c->state_val = cell_get_state(cell);
	len = (size_t)snprintf(buf, 64, "%s\n", cell->config->name);
	sf_create(sb, &c->name, path_of(p, sizeof(p), "%s/name", q), buf, len);
	len = (size_t)snprintf(buf, 64, "%s\n", state_text(c->state_val));
	sf_create(sb, &c->state, path_of(p, sizeof(p), "%s/state", q), buf, len);
	sf_create(sb, &c->assigned, path_of(p, sizeof(p), "%s/cpus_assigned", q),
		  buf, fmt_mask(sb, c->assigned_bits, buf));
	sf_create(sb, &c->assigned_list,
		  path_of(p, sizeof(p), "%s/cpus_assigned_list", q), buf,
		  fmt_list(sb, c->assigned_bits, buf));
	sf_create(sb, &c->failed, path_of(p, sizeof(p), "%s/cpus_failed", q), buf,
		  fmt_mask(sb, c->failed_bits, buf));
	sf_create(sb, &c->failed_list,
		  path_of(p, sizeof(p), "%s/cpus_failed_list", q), buf,
		  fmt_list(sb, c->failed_bits, buf));
	sf_create(sb, &c->failure, path_of(p, sizeof(p), "%s/failure", q), buf,
		  fmt_failure(sb, c->failed_bits, buf, TEXT_BUF_SIZE));
	/* What a cell prints and its config are for the operator group. */
	sf_create_mode(sb, &c->config, path_of(p, sizeof(p), "%s/config", q), 0440,
		       config, size);
	c->con_gen = cell->console ? cell->console->generation : 0;
	c->con_tail = 0;
	sf_create_mode(sb, &c->console, path_of(p, sizeof(p), "%s/console", q),
		       0440, "", 0);
	for (i = 0; i < HV_NUM_CPU_STATS; i++)
		sf_create(sb, &c->total[i], path_of(p, sizeof(p), "%s/%s", stats,
						stat_names[i]), "0\n", 2);

	for (cpu = 0; cpu < sb->board.cpus; cpu++) {
		struct sys_cpu *sc = &fs->cpus[cpu];

		if (!cell_owns_cpu(cell, cpu))
			continue;
		if (sc->dir_cell < 0) {
			create_cpu_dir(sb, stats, cpu);
		} else {
			simdir_rename(&sb->dir, path_of(p, sizeof(p),
					      "%s/cells/%d/statistics/cpu%u",
					      sys_path, sc->dir_cell, cpu),
				      path_of(q, sizeof(q), "%s/cpu%u", stats,
					      cpu));
			write_cpu_stats(sb, cpu, true);
			write_totals(sb, (unsigned int)sc->dir_cell, false);
		}
		sc->dir_cell = (int)cell->id;
	}
	write_totals(sb, cell->id, true);
	c->present = true;
	simdir_rename(&sb->dir, path_of(q, sizeof(q), "%s/%u", build_path, cell->id),
		      path_of(p, sizeof(p), "%s/cells/%u", sys_path, cell->id));
	sb->sysfs->report_dirty = true;
	write_report(sb);
}

void sysfs_cell_removed(struct sim_board *sb, unsigned int id,
			const unsigned long *moved)
{
	struct sim_sysfs *fs = sb->sysfs;
	struct sys_cell *c = &fs->cells[id];
	char p[PATH_MAX], q[PATH_MAX];
	unsigned int cpu;

	if (!c->present)
		return;
	for (cpu = 0; cpu < sb->board.cpus; cpu++) {
		if (fs->cpus[cpu].dir_cell != (int)id)
			continue;
		if (moved && test_bit(cpu, moved) && fs->cells[0].present) {
			simdir_rename(&sb->dir, path_of(p, sizeof(p),
					      "%s/cells/%u/statistics/cpu%u",
					      sys_path, id, cpu),
				      path_of(q, sizeof(q),
					      "%s/cells/0/statistics/cpu%u",
					      sys_path, cpu));
			fs->cpus[cpu].dir_cell = 0;
			write_cpu_stats(sb, cpu, true);
		} else {
			close_cpu_files(&fs->cpus[cpu]);
		}
	}
	c->present = false;
	close_cell_files(c);
	path_of(q, sizeof(q), "%s/gone-%u", build_path, id);
	rm_tree(sb, q);
	if (!simdir_rename(&sb->dir, path_of(p, sizeof(p), "%s/cells/%u", sys_path, id),
			   q))
		rm_tree(sb, q);
	if (id != 0 && fs->cells[0].present)
		write_totals(sb, 0, false);
	sb->sysfs->report_dirty = true;
	write_report(sb);
}

static void write_ivshmem(struct sim_board *sb)
{
	struct sim_sysfs *fs = sb->sysfs;
	char *buf = fs->ivshmem_text[0], *old = fs->ivshmem_text[1];
	size_t o = 0;
	unsigned int l, n;

	for (l = 0; fs->enabled && l < IVSHMEM_MAX_LINKS; l++) {
		const struct ivshmem_link *link = ivshmem_link_at(l);

		for (n = 0; link && n < HV_IVSHMEM_MAX_PEERS; n++) {
			const struct ivshmem_endpoint *ep = &link->eps[n];

			if (!ep->cell)
				continue;
			o += (size_t)snprintf(buf + o, IVSHMEM_LINE_MAX,
					      "%04x:%02x:%02x.%x %u %u %u %" PRIu32
					      " %" PRIu32 " %" PRIu64 "\n",
					      link->domain, link->bdf >> 8,
					      (link->bdf >> 3) & 0x1f,
					      link->bdf & 7, n, link->peers,
					      ep->cell->id, ep->state,
					      ep->int_ctrl, ep->doorbells_received);
		}
	}
	if (o == fs->ivshmem_len && !memcmp(buf, old, o))
		return;
	memcpy(old, buf, o);
	fs->ivshmem_len = o;
	sf_write(&fs->f_ivshmem, buf, o);
	fs->report_dirty = true;
}

/*
 * statistics_all: the report of HV_HC_STATS_READ (hvabi/stats.h), as
 * hvdrv's attribute gives it, rewritten whenever something it shows
 * changed. The hypercall counts one exit on a root CPU; the CPUs' files
 * (and the totals) are written again right after, so the files and the
 * report agree and an idle board stays idle.
 */
static void write_report(struct sim_board *sb)
{
	struct sim_sysfs *fs = sb->sysfs;
	size_t len, cap = HV_STATS_MAX_SIZE(sb->board.cpus);
	unsigned int cpu, id;

	if (!fs->enabled || !fs->report_dirty || fs->f_stats_all.fd < 0)
		return;
	if (!fs->report_buf) {
		fs->report_buf = malloc(cap);
		if (!fs->report_buf)
			return;
	}
	if (drv_stats_report(sb, fs->report_buf, cap, &len))
		return;
	sf_write(&fs->f_stats_all, fs->report_buf, len);
	for (cpu = 0; cpu < sb->board.cpus; cpu++)
		if (fs->cpus[cpu].dir_cell >= 0)
			write_cpu_stats(sb, cpu, false);
	for (id = 0; id <= sb->board.cpus; id++)
		if (fs->cells[id].present)
			write_totals(sb, id, false);
	fs->report_dirty = false;
}

void sysfs_cell_status(struct sim_board *sb, struct cell *cell)
{
	struct sim_sysfs *fs = sb->sysfs;
	struct sys_cell *c;
	unsigned long *assigned, *failed;
	char *buf = fs->text;
	bool changed = false;
	uint32_t state;

	if (!cell || cell->id > sb->board.cpus || !fs->cells[cell->id].present)
		return;
	c = &fs->cells[cell->id];
	assigned = calloc(fs->bitmap_longs, sizeof(long));
	failed = calloc(fs->bitmap_longs, sizeof(long));
	if (!assigned || !failed)
		goto out;
	cell_bits(sb, cell, assigned, failed);
	if (memcmp(assigned, c->assigned_bits, fs->bitmap_longs * sizeof(long))) {
		memcpy(c->assigned_bits, assigned, fs->bitmap_longs * sizeof(long));
		fs->report_dirty = true;
		sf_write(&c->assigned, buf, fmt_mask(sb, assigned, buf));
		sf_write(&c->assigned_list, buf, fmt_list(sb, assigned, buf));
	}
	if (memcmp(failed, c->failed_bits, fs->bitmap_longs * sizeof(long))) {
		memcpy(c->failed_bits, failed, fs->bitmap_longs * sizeof(long));
		fs->report_dirty = true;
		sf_write(&c->failed, buf, fmt_mask(sb, failed, buf));
		sf_write(&c->failed_list, buf, fmt_list(sb, failed, buf));
		sf_write(&c->failure, buf, fmt_failure(sb, failed, buf, TEXT_BUF_SIZE));
		changed = true;
	}
	state = cell_get_state(cell);
	if (state != c->state_val) {
		c->state_val = state;
		fs->report_dirty = true;
		sf_printf(&c->state, "%s\n", state_text(state));
		changed = true;
	}
	write_ivshmem(sb);
	/* The report first: a reader woken by the event must find it new. */
	write_report(sb);
	if (changed)
		sb->hooks->event(sb, HVSIM_EV_CELL_STATE, (int32_t)cell->id);
out:
	free(assigned);
	free(failed);
}

void sysfs_enabled(struct sim_board *sb)
{
	struct sim_sysfs *fs = sb->sysfs;
	char p[PATH_MAX];
	uint64_t size;
	const void *cfg = drv_cell_config(sb, 0, &size);

	fs->enabled = true;
	fs->hv_con_tail = 0;
	sf_write(&fs->f_enabled, "1\n", 2);
	sysfs_pools(sb);
	sf_write(&fs->f_console, "", 0);
	if (!drv_console_permitted(sb)) {
		/* Where the driver answers EPERM, the file is absent. */
		sf_close(&fs->f_console);
		simdir_unlink(&sb->dir, path_of(p, sizeof(p), "%s/console", sys_path));
	}
	sysfs_cell_added(sb, &root_cell, cfg, size);
	sysfs_flush(sb);
}

void sysfs_disabled(struct sim_board *sb)
{
	struct sim_sysfs *fs = sb->sysfs;
	char p[PATH_MAX];

	sysfs_cell_removed(sb, 0, NULL);
	fs->enabled = false;
	sf_write(&fs->f_enabled, "0\n", 2);
	sf_write(&fs->f_mem_size, "0\n", 2);
	sf_write(&fs->f_mem_used, "0\n", 2);
	sf_write(&fs->f_remap_size, "0\n", 2);
	sf_write(&fs->f_remap_used, "0\n", 2);
	if (fs->f_console.fd < 0)
		sf_create(sb, &fs->f_console, path_of(p, sizeof(p), "%s/console",
					      sys_path), "", 0);
	else
		sf_write(&fs->f_console, "", 0);
	write_ivshmem(sb);
	sf_write(&fs->f_stats_all, "", 0);
}

void sysfs_flush(struct sim_board *sb)
{
	struct sim_sysfs *fs = sb->sysfs;
	struct hvsim_console_data hdr;
	char *buf = fs->text, msg[DRV_MSG_LEN];
	unsigned int cpu, id;
	size_t len;

	if (!fs->enabled)
		return;
	for (cpu = 0; cpu < sb->board.cpus; cpu++)
		if (fs->cpus[cpu].dir_cell >= 0)
			write_cpu_stats(sb, cpu, false);
	for (id = 0; id <= sb->board.cpus; id++)
		if (fs->cells[id].present)
			write_totals(sb, id, false);
	write_ivshmem(sb);

	if (!drv_console_read(sb, -1, fs->hv_con_tail, &hdr, buf, &len, msg) &&
	    hdr.tail != fs->hv_con_tail) {
		fs->hv_con_tail = hdr.tail;
		sf_write(&fs->f_console, buf, drv_hv_console_text(sb, buf));
		sb->hooks->event(sb, HVSIM_EV_CONSOLE, -1);
	} else if (!drv_console_permitted(sb)) {
		/* No ring to show; the tail still tells about output. */
		drv_console_poll(sb);
	}
	for (id = 0; id <= sb->board.cpus; id++) {
		struct sys_cell *c = &fs->cells[id];

		if (!c->present ||
		    drv_console_read(sb, (int32_t)id, c->con_tail, &hdr, buf,
				     &len, msg))
			continue;
		if (hdr.tail == c->con_tail && hdr.generation == c->con_gen)
			continue;
		c->con_tail = hdr.tail;
		c->con_gen = hdr.generation;
		sf_write(&c->console, buf, drv_cell_console_text(sb, id, buf));
		sb->hooks->event(sb, HVSIM_EV_CONSOLE, (int32_t)id);
	}
	write_report(sb);
}
