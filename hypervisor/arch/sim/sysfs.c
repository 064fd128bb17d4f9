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

#include <hv/cell.h>
#include <hv/ivshmem.h>
#include <hv/lib.h>
#include <hv/percpu.h>
#include <hv/pool.h>

#include <sim/board.h>
#include <sim/driver.h>
#include <sim/server.h>
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

static const char sys_path[] = HVSIM_SYSFS_DIR, build_path[] = BUILD_DIR;
static struct sfile f_enabled = { .fd = -1 }, f_mem_size = { .fd = -1 },
		    f_mem_used = { .fd = -1 }, f_remap_size = { .fd = -1 },
		    f_remap_used = { .fd = -1 }, f_console = { .fd = -1 },
		    f_ivshmem = { .fd = -1 };
static struct sys_cpu *cpus;
static struct sys_cell *cells;	/* indexed by cell id, board.cpus + 1 */
static unsigned int bitmap_longs;
static uint64_t hv_con_tail;
static bool enabled;

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

static int sf_create_mode(struct sfile *f, const char *path, mode_t mode,
			  const void *buf, size_t len)
{
	f->fd = simdir_create(path, mode);
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

static int sf_create(struct sfile *f, const char *path, const void *buf,
		     size_t len)
{
	return sf_create_mode(f, path, 0444, buf, len);
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

static void rm_tree(const char *path)
{
	int err = simdir_rm_tree(path);

	if (err)
		fprintf(stderr, "hvsim: cannot remove DIR/%s: %s\n", path,
			strerror(-err));
}

/* Linux %*pb: 32-bit hex groups, most significant first. */
static size_t fmt_mask(const unsigned long *bits, char *buf)
{
	unsigned int nbits = board.cpus, groups = (nbits + 31) / 32;
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
static size_t fmt_list(const unsigned long *bits, char *buf)
{
	unsigned int cpu = 0, end;
	size_t o = 0;

	while (cpu < board.cpus) {
		if (!test_bit(cpu, bits)) {
			cpu++;
			continue;
		}
		for (end = cpu; end + 1 < board.cpus && test_bit(end + 1, bits);
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

#define TEXT_BUF_SIZE	8192

static char *text_buf(void)
{
	/* Room for a 1024-CPU list or mask, or a console ring. */
	static char buf[TEXT_BUF_SIZE];

	return buf;
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

int sysfs_init(void)
{
	struct rlimit rl;
	char p[PATH_MAX];
	unsigned int cpu, i;
	int err;

	/* A descriptor per file: 9 per CPU and about 20 per cell. */
	if (!getrlimit(RLIMIT_NOFILE, &rl) && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
	bitmap_longs = BITMAP_LONGS(board.cpus);
	cpus = calloc(board.cpus, sizeof(*cpus));
	cells = calloc(board.cpus + 1, sizeof(*cells));
	if (!cpus || !cells)
		return -ENOMEM;
	for (cpu = 0; cpu < board.cpus; cpu++) {
		cpus[cpu].dir_cell = -1;
		for (i = 0; i < HV_NUM_CPU_STATS; i++)
			sf_init(&cpus[cpu].stat[i]);
	}
	for (i = 0; i <= board.cpus; i++) {
		cell_files_init(&cells[i]);
		cells[i].assigned_bits = calloc(bitmap_longs, sizeof(long));
		cells[i].failed_bits = calloc(bitmap_longs, sizeof(long));
		if (!cells[i].assigned_bits || !cells[i].failed_bits)
			return -ENOMEM;
	}

	sf_init(&f_enabled);
	sf_init(&f_mem_size);
	sf_init(&f_mem_used);
	sf_init(&f_remap_size);
	sf_init(&f_remap_used);
	sf_init(&f_console);
	sf_init(&f_ivshmem);
	rm_tree(sys_path);
	rm_tree(build_path);
	if ((err = simdir_mkdir(sys_path, 0755)) ||
	    (err = simdir_mkdir(build_path, 0755)) ||
	    (err = simdir_mkdir(path_of(p, sizeof(p), "%s/cells", sys_path),
				0755))) {
		fprintf(stderr, "hvsim: cannot create DIR/%s: %s\n", sys_path,
			strerror(-err));
		return err;
	}
	if (sf_create(&f_enabled, path_of(p, sizeof(p), "%s/enabled", sys_path),
		      "0\n", 2) ||
	    sf_create(&f_mem_size, path_of(p, sizeof(p), "%s/mem_pool_size",
					   sys_path), "0\n", 2) ||
	    sf_create(&f_mem_used, path_of(p, sizeof(p), "%s/mem_pool_used",
					   sys_path), "0\n", 2) ||
	    sf_create(&f_remap_size, path_of(p, sizeof(p), "%s/remap_pool_size",
					     sys_path), "0\n", 2) ||
	    sf_create(&f_remap_used, path_of(p, sizeof(p), "%s/remap_pool_used",
					     sys_path), "0\n", 2) ||
	    sf_create(&f_console, path_of(p, sizeof(p), "%s/console",
					  sys_path), "", 0) ||
	    sf_create(&f_ivshmem, path_of(p, sizeof(p), "%s/ivshmem",
					  sys_path), "", 0))
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

void sysfs_exit(void)
{
	unsigned int i;

	if (cpus)
		for (i = 0; i < board.cpus; i++)
			close_cpu_files(&cpus[i]);
	if (cells)
		for (i = 0; i <= board.cpus; i++) {
			close_cell_files(&cells[i]);
			free(cells[i].assigned_bits);
			free(cells[i].failed_bits);
		}
	sf_close(&f_enabled);
	sf_close(&f_mem_size);
	sf_close(&f_mem_used);
	sf_close(&f_remap_size);
	sf_close(&f_remap_used);
	sf_close(&f_console);
	sf_close(&f_ivshmem);
	if (simdir_fd >= 0) {
		rm_tree(sys_path);
		rm_tree(build_path);
	}
	free(cpus);
	free(cells);
	cpus = NULL;
	cells = NULL;
}

void sysfs_pools(void)
{
	if (!enabled)
		return;
	sf_printf(&f_mem_size, "%lu\n", mem_pool.pages);
	sf_printf(&f_mem_used, "%lu\n", mem_pool.used);
	sf_printf(&f_remap_size, "%lu\n", remap_pool.pages);
	sf_printf(&f_remap_used, "%lu\n", remap_pool.used);
}

static void write_cpu_stats(unsigned int cpu, bool force)
{
	struct sys_cpu *sc = &cpus[cpu];
	struct per_cpu *pc = per_cpu(cpu);
	unsigned int i;

	for (i = 0; i < HV_NUM_CPU_STATS; i++) {
		uint32_t v = cpu_stat_read(pc, i);

		if (force || v != sc->val[i]) {
			sc->val[i] = v;
			sf_printf(&sc->stat[i], "%d\n", (int)v);
		}
	}
}

static void write_totals(unsigned int id, bool force)
{
	struct sys_cell *c = &cells[id];
	uint64_t sum[HV_NUM_CPU_STATS] = { 0 };
	unsigned int cpu, i;

	for (cpu = 0; cpu < board.cpus; cpu++)
		if (cpus[cpu].dir_cell == (int)id)
			for (i = 0; i < HV_NUM_CPU_STATS; i++)
				sum[i] += cpus[cpu].val[i];
	for (i = 0; i < HV_NUM_CPU_STATS; i++)
		if (force || sum[i] != c->total_val[i]) {
			c->total_val[i] = sum[i];
			sf_printf(&c->total[i], "%" PRIu64 "\n", sum[i]);
		}
}

/* Creates cpuN with fresh files in the statistics directory `stats`. */
static int create_cpu_dir(const char *stats, unsigned int cpu)
{
	char p[PATH_MAX];
	unsigned int i;

	int err = simdir_mkdir(path_of(p, sizeof(p), "%s/cpu%u", stats, cpu),
			       0755);

	if (err)
		return err;
	for (i = 0; i < HV_NUM_CPU_STATS; i++) {
		cpus[cpu].val[i] = 0;
		if (sf_create(&cpus[cpu].stat[i],
			      path_of(p, sizeof(p), "%s/cpu%u/%s", stats, cpu,
				      stat_names[i]), "0\n", 2))
			return -EIO;
	}
	return 0;
}

static void cell_bits(const struct cell *cell, unsigned long *assigned,
		      unsigned long *failed)
{
	unsigned int cpu;

	memset(assigned, 0, bitmap_longs * sizeof(long));
	memset(failed, 0, bitmap_longs * sizeof(long));
	for (cpu = 0; cpu < board.cpus; cpu++)
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
static size_t fmt_failure(const unsigned long *failed, char *buf, size_t size)
{
	size_t len = 0;
	unsigned int cpu;

	buf[0] = '\0';
	for (cpu = 0; cpu < board.cpus && len + 64 < size; cpu++) {
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

void sysfs_cell_added(struct cell *cell, const void *config, uint64_t size)
{
	struct sys_cell *c = &cells[cell->id];
	char p[PATH_MAX], q[PATH_MAX], stats[PATH_MAX], *buf = text_buf();
	unsigned int cpu, i;
	size_t len;
	int err;

	close_cell_files(c);
	path_of(q, sizeof(q), "%s/%u", build_path, cell->id);
	rm_tree(q);
	path_of(stats, sizeof(stats), "%s/statistics", q);
	if ((err = simdir_mkdir(q, 0755)) || (err = simdir_mkdir(stats, 0755))) {
		fprintf(stderr, "hvsim: cannot create DIR/%s: %s\n", q,
			strerror(-err));
		return;
	}
	cell_bits(cell, c->assigned_bits, c->failed_bits);
	c->state_val = cell_get_state(cell);
	len = (size_t)snprintf(buf, 64, "%s\n", cell->config->name);
	sf_create(&c->name, path_of(p, sizeof(p), "%s/name", q), buf, len);
	len = (size_t)snprintf(buf, 64, "%s\n", state_text(c->state_val));
	sf_create(&c->state, path_of(p, sizeof(p), "%s/state", q), buf, len);
	sf_create(&c->assigned, path_of(p, sizeof(p), "%s/cpus_assigned", q),
		  buf, fmt_mask(c->assigned_bits, buf));
	sf_create(&c->assigned_list,
		  path_of(p, sizeof(p), "%s/cpus_assigned_list", q), buf,
		  fmt_list(c->assigned_bits, buf));
	sf_create(&c->failed, path_of(p, sizeof(p), "%s/cpus_failed", q), buf,
		  fmt_mask(c->failed_bits, buf));
	sf_create(&c->failed_list,
		  path_of(p, sizeof(p), "%s/cpus_failed_list", q), buf,
		  fmt_list(c->failed_bits, buf));
	sf_create(&c->failure, path_of(p, sizeof(p), "%s/failure", q), buf,
		  fmt_failure(c->failed_bits, buf, TEXT_BUF_SIZE));
	/* What a cell prints and its config are for the operator group. */
	sf_create_mode(&c->config, path_of(p, sizeof(p), "%s/config", q), 0440,
		       config, size);
	c->con_gen = cell->console ? cell->console->generation : 0;
	c->con_tail = 0;
	sf_create_mode(&c->console, path_of(p, sizeof(p), "%s/console", q),
		       0440, "", 0);
	for (i = 0; i < HV_NUM_CPU_STATS; i++)
		sf_create(&c->total[i], path_of(p, sizeof(p), "%s/%s", stats,
						stat_names[i]), "0\n", 2);

	for (cpu = 0; cpu < board.cpus; cpu++) {
		struct sys_cpu *sc = &cpus[cpu];

		if (!cell_owns_cpu(cell, cpu))
			continue;
		if (sc->dir_cell < 0) {
			create_cpu_dir(stats, cpu);
		} else {
			simdir_rename(path_of(p, sizeof(p),
					      "%s/cells/%d/statistics/cpu%u",
					      sys_path, sc->dir_cell, cpu),
				      path_of(q, sizeof(q), "%s/cpu%u", stats,
					      cpu));
			write_cpu_stats(cpu, true);
			write_totals((unsigned int)sc->dir_cell, false);
		}
		sc->dir_cell = (int)cell->id;
	}
	write_totals(cell->id, true);
	c->present = true;
	simdir_rename(path_of(q, sizeof(q), "%s/%u", build_path, cell->id),
		      path_of(p, sizeof(p), "%s/cells/%u", sys_path, cell->id));
}

void sysfs_cell_removed(unsigned int id, const unsigned long *moved)
{
	struct sys_cell *c = &cells[id];
	char p[PATH_MAX], q[PATH_MAX];
	unsigned int cpu;

	if (!c->present)
		return;
	for (cpu = 0; cpu < board.cpus; cpu++) {
		if (cpus[cpu].dir_cell != (int)id)
			continue;
		if (moved && test_bit(cpu, moved) && cells[0].present) {
			simdir_rename(path_of(p, sizeof(p),
					      "%s/cells/%u/statistics/cpu%u",
					      sys_path, id, cpu),
				      path_of(q, sizeof(q),
					      "%s/cells/0/statistics/cpu%u",
					      sys_path, cpu));
			cpus[cpu].dir_cell = 0;
			write_cpu_stats(cpu, true);
		} else {
			close_cpu_files(&cpus[cpu]);
		}
	}
	c->present = false;
	close_cell_files(c);
	path_of(q, sizeof(q), "%s/gone-%u", build_path, id);
	rm_tree(q);
	if (!simdir_rename(path_of(p, sizeof(p), "%s/cells/%u", sys_path, id),
			   q))
		rm_tree(q);
	if (id != 0 && cells[0].present)
		write_totals(0, false);
}

/*
 * The ivshmem file: one line per present peer of every link, "DDDD:BB:DD.F
 * PEER MAX_PEERS CELL_ID STATE INT_CTRL DOORBELLS" (decimal), rewritten
 * when it changed. At most IVSHMEM_MAX_LINKS * HV_IVSHMEM_MAX_PEERS lines.
 */
#define IVSHMEM_LINE_MAX	80
static char ivshmem_text[2][IVSHMEM_MAX_LINKS * HV_IVSHMEM_MAX_PEERS *
			    IVSHMEM_LINE_MAX];
static size_t ivshmem_len;

static void write_ivshmem(void)
{
	char *buf = ivshmem_text[0], *old = ivshmem_text[1];
	size_t o = 0;
	unsigned int l, n;

	for (l = 0; enabled && l < IVSHMEM_MAX_LINKS; l++) {
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
	if (o == ivshmem_len && !memcmp(buf, old, o))
		return;
	memcpy(old, buf, o);
	ivshmem_len = o;
	sf_write(&f_ivshmem, buf, o);
}

void sysfs_cell_status(struct cell *cell)
{
	struct sys_cell *c;
	unsigned long *assigned, *failed;
	char *buf = text_buf();
	bool changed = false;
	uint32_t state;

	if (!cell || cell->id > board.cpus || !cells[cell->id].present)
		return;
	c = &cells[cell->id];
	assigned = calloc(bitmap_longs, sizeof(long));
	failed = calloc(bitmap_longs, sizeof(long));
	if (!assigned || !failed)
		goto out;
	cell_bits(cell, assigned, failed);
	if (memcmp(assigned, c->assigned_bits, bitmap_longs * sizeof(long))) {
		memcpy(c->assigned_bits, assigned, bitmap_longs * sizeof(long));
		sf_write(&c->assigned, buf, fmt_mask(assigned, buf));
		sf_write(&c->assigned_list, buf, fmt_list(assigned, buf));
	}
	if (memcmp(failed, c->failed_bits, bitmap_longs * sizeof(long))) {
		memcpy(c->failed_bits, failed, bitmap_longs * sizeof(long));
		sf_write(&c->failed, buf, fmt_mask(failed, buf));
		sf_write(&c->failed_list, buf, fmt_list(failed, buf));
		sf_write(&c->failure, buf, fmt_failure(failed, buf, TEXT_BUF_SIZE));
		changed = true;
	}
	state = cell_get_state(cell);
	if (state != c->state_val) {
		c->state_val = state;
		sf_printf(&c->state, "%s\n", state_text(state));
		changed = true;
	}
	if (changed)
		server_event(HVSIM_EV_CELL_STATE, (int32_t)cell->id);
	write_ivshmem();
out:
	free(assigned);
	free(failed);
}

void sysfs_enabled(void)
{
	char p[PATH_MAX];
	uint64_t size;
	const void *cfg = drv_cell_config(0, &size);

	enabled = true;
	hv_con_tail = 0;
	sf_write(&f_enabled, "1\n", 2);
	sysfs_pools();
	sf_write(&f_console, "", 0);
	if (!drv_console_permitted()) {
		/* Where the driver answers EPERM, the file is absent. */
		sf_close(&f_console);
		simdir_unlink(path_of(p, sizeof(p), "%s/console", sys_path));
	}
	sysfs_cell_added(&root_cell, cfg, size);
	sysfs_flush();
}

void sysfs_disabled(void)
{
	char p[PATH_MAX];

	sysfs_cell_removed(0, NULL);
	enabled = false;
	sf_write(&f_enabled, "0\n", 2);
	sf_write(&f_mem_size, "0\n", 2);
	sf_write(&f_mem_used, "0\n", 2);
	sf_write(&f_remap_size, "0\n", 2);
	sf_write(&f_remap_used, "0\n", 2);
	if (f_console.fd < 0)
		sf_create(&f_console, path_of(p, sizeof(p), "%s/console",
					      sys_path), "", 0);
	else
		sf_write(&f_console, "", 0);
	write_ivshmem();
}

void sysfs_flush(void)
{
	struct hvsim_console_data hdr;
	char *buf = text_buf(), msg[DRV_MSG_LEN];
	unsigned int cpu, id;
	size_t len;

	if (!enabled)
		return;
	for (cpu = 0; cpu < board.cpus; cpu++)
		if (cpus[cpu].dir_cell >= 0)
			write_cpu_stats(cpu, false);
	for (id = 0; id <= board.cpus; id++)
		if (cells[id].present)
			write_totals(id, false);
	write_ivshmem();

	if (!drv_console_read(-1, hv_con_tail, &hdr, buf, &len, msg) &&
	    hdr.tail != hv_con_tail) {
		hv_con_tail = hdr.tail;
		sf_write(&f_console, buf, drv_hv_console_text(buf));
		server_event(HVSIM_EV_CONSOLE, -1);
	} else if (!drv_console_permitted()) {
		/* No ring to show; the tail still tells about output. */
		drv_console_poll();
	}
	for (id = 0; id <= board.cpus; id++) {
		struct sys_cell *c = &cells[id];

		if (!c->present ||
		    drv_console_read((int32_t)id, c->con_tail, &hdr, buf,
				     &len, msg))
			continue;
		if (hdr.tail == c->con_tail && hdr.generation == c->con_gen)
			continue;
		c->con_tail = hdr.tail;
		c->con_gen = hdr.generation;
		sf_write(&c->console, buf, drv_cell_console_text(id, buf));
		server_event(HVSIM_EV_CONSOLE, (int32_t)id);
	}
}
