// SPDX-License-Identifier: MIT
/*
 * The statistics report (statistics_all) against upstream's files, on a
 * copy of a running hvsim's tree read through the kernel transport: the
 * same snapshot either way (states, failed CPUs, pools, every counter of
 * every cell and CPU, the ivshmem peers), the report actually used when
 * present and not when HVCTL_NO_STATS_ALL is set, and hostile reports:
 * another version falls back to the files, a torn or inconsistent one is
 * refused with the file's name.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <hvabi/stats.h>

#include "runtime_int.h"

#define SIM_CONFIGS	HVCTL_SOURCE_DIR "/configs/sim"

static char dir[64];
static pid_t sim_pid = -1;

static void sh(const char *fmt, ...)
{
	char cmd[4096];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	assert_int_equal(system(cmd), 0);
}

static void build_dir(char *buf, size_t len)
{
	char exe[PATH_MAX];
	ssize_t n;

	/* BUILD/tests/test_runtime_stats_all -> BUILD */
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	assert_true(n > 0);
	exe[n] = '\0';
	*strrchr(exe, '/') = '\0';
	*strrchr(exe, '/') = '\0';
	snprintf(buf, len, "%s", exe);
}

static void spawn_hvsim(void)
{
	char build[PATH_MAX], bin[PATH_MAX + 8], sock[128], board[128];
	struct timespec ts = { 0, 5000000 };
	struct stat st;
	int i;

	build_dir(build, sizeof(build));
	snprintf(bin, sizeof(bin), "%s/hvsim", build);
	snprintf(sock, sizeof(sock), "%s/control.sock", dir);
	snprintf(board, sizeof(board), "%s/board.json", dir);
	/* The shipped board without the root's background activity. */
	sh("sed 's/\"root_activity\": *[0-9]*/\"root_activity\": 0/' %s/board.json > %s",
	   SIM_CONFIGS, board);
	sim_pid = fork();
	assert_true(sim_pid >= 0);
	if (!sim_pid) {
		int null = open("/dev/null", O_WRONLY);

		if (null >= 0)
			dup2(null, 2);
		execl(bin, bin, "--board", board, dir, (char *)NULL);
		_exit(127);
	}
	for (i = 0; i < 2000; i++) {
		if (!stat(sock, &st))
			return;
		nanosleep(&ts, NULL);
	}
	fail_msg("hvsim did not start");
}

static struct hvctl_config *config(const char *name)
{
	struct hvctl_config *c;
	struct hvctl_error err = { "" };
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/%s", SIM_CONFIGS, name);
	if (hvctl_config_read_file(&c, path, &err))
		fail_msg("%s", err.msg);
	return c;
}

static void create(struct hvctl_ctx *ctx, const char *name, int *id)
{
	struct hvctl_config *c = config(name);

	if (hvctl_cell_create(ctx, c, id))
		fail_msg("create %s: %s", name, hvctl_errmsg(ctx));
	hvctl_config_free(c);
}

static void run(struct hvctl_ctx *ctx, int id, const char *script)
{
	struct hvctl_image img = { script, strlen(script) + 1, 0, "guest" };
	struct hvctl_cell_ref ref;

	hvctl_cell_ref_id(&ref, id);
	if (hvctl_cell_load(ctx, &ref, &img, 1) || hvctl_cell_start(ctx, &ref))
		fail_msg("run cell %d: %s", id, hvctl_errmsg(ctx));
}

static struct hvctl_snapshot *take_as(const char *uri, bool files,
				      int expect)
{
	struct hvctl_snapshot *s;
	struct hvctl_ctx *ctx;

	if (files)
		setenv("HVCTL_NO_STATS_ALL", "1", 1);
	else
		unsetenv("HVCTL_NO_STATS_ALL");
	assert_int_equal(hvctl_open(&ctx, uri, NULL), 0);
	if (hvctl_snapshot(ctx, HVCTL_READ_ALL, HVCTL_CPU_STATS_ALL, NULL, &s))
		fail_msg("snapshot of %s: %s", uri, hvctl_errmsg(ctx));
	/* Which way it went: the report only when present and wanted. */
	assert_int_equal(ctx->tree.stats_all, expect);
	hvctl_close(ctx);
	unsetenv("HVCTL_NO_STATS_ALL");
	return s;
}

static struct hvctl_snapshot *take(const char *uri, bool files)
{
	return take_as(uri, files, files ? STATS_ALL_ABSENT : STATS_ALL_PRESENT);
}

static void assert_same(const struct hvctl_snapshot *a,
			const struct hvctl_snapshot *b)
{
	size_t i;
	unsigned int k;

	assert_int_equal(a->system.enabled, b->system.enabled);
	assert_int_equal(a->system.mem_pool_size, b->system.mem_pool_size);
	assert_int_equal(a->system.mem_pool_used, b->system.mem_pool_used);
	assert_int_equal(a->system.remap_pool_size, b->system.remap_pool_size);
	assert_int_equal(a->system.remap_pool_used, b->system.remap_pool_used);
	assert_int_equal(a->num_stats, b->num_stats);
	for (k = 0; k < a->num_stats; k++)
		assert_string_equal(a->stat_names[k], b->stat_names[k]);
	assert_int_equal(a->num_cells, b->num_cells);
	for (i = 0; i < a->num_cells; i++) {
		const struct hvctl_cell_info *x = &a->cells[i], *y = &b->cells[i];

		assert_int_equal(x->id, y->id);
		assert_string_equal(x->name, y->name);
		assert_int_equal(x->state, y->state);
		assert_string_equal(x->cpus_list, y->cpus_list);
		assert_string_equal(x->failed_list, y->failed_list);
		assert_int_equal(x->num_failed, y->num_failed);
		for (k = 0; k < a->num_stats; k++)
			assert_int_equal(x->stats.value[k], y->stats.value[k]);
	}
	assert_int_equal(a->num_cpus, b->num_cpus);
	for (i = 0; i < a->num_cpus; i++) {
		const struct hvctl_cpu_info *x = &a->cpus[i], *y = &b->cpus[i];

		assert_int_equal(x->cell_id, y->cell_id);
		assert_int_equal(x->failed, y->failed);
		assert_int_equal(x->has_stats, y->has_stats);
		for (k = 0; k < a->num_stats; k++)
			assert_int_equal(x->stats.value[k], y->stats.value[k]);
	}
	assert_int_equal(a->ivshmem_reported, b->ivshmem_reported);
	assert_int_equal(a->num_ivshmem, b->num_ivshmem);
	if (a->num_ivshmem)
		assert_memory_equal(a->ivshmem, b->ivshmem,
				    a->num_ivshmem * sizeof(*a->ivshmem));
}

/* Copies hvsim's tree once two snapshots around the copy agree. */
static void copy_still_tree(const char *sim_uri)
{
	int tries;

	for (tries = 0; tries < 30; tries++) {
		struct hvctl_snapshot *x, *y;
		struct hvctl_ctx *ctx;
		bool still = true;
		size_t i;
		unsigned int k;

		assert_int_equal(hvctl_open(&ctx, sim_uri, NULL), 0);
		assert_int_equal(hvctl_snapshot(ctx, HVCTL_READ_ALL,
						HVCTL_CPU_STATS_ALL, NULL, &x), 0);
		usleep(500000);	/* past hvsim's next flush */
		sh("rm -rf %s/copy && cp -r %s/sysfs %s/copy", dir, dir, dir);
		assert_int_equal(hvctl_snapshot(ctx, HVCTL_READ_ALL,
						HVCTL_CPU_STATS_ALL, NULL, &y), 0);
		for (i = 0; i < x->num_cpus && i < y->num_cpus; i++)
			for (k = 0; k < x->num_stats; k++)
				still &= x->cpus[i].stats.value[k] ==
					 y->cpus[i].stats.value[k];
		still &= x->num_cpus == y->num_cpus;
		hvctl_snapshot_free(x);
		hvctl_snapshot_free(y);
		hvctl_close(ctx);
		if (still)
			return;
	}
	fail_msg("the board never stood still");
}

static int setup(void **state)
{
	struct hvctl_config *sys;
	struct hvctl_ctx *ctx;
	char uri[96];
	int a, b, r;

	(void)state;
	unsetenv("HVCTL_URI");
	unsetenv("HVCTL_REGISTRY");
	strcpy(dir, "/tmp/hvctl-test-stats-XXXXXX");
	if (!mkdtemp(dir))
		return -1;
	spawn_hvsim();
	snprintf(uri, sizeof(uri), "sim:%s", dir);
	assert_int_equal(hvctl_open(&ctx, uri, NULL), 0);
	sys = config("system.json");
	if (hvctl_enable(ctx, sys))
		fail_msg("enable: %s", hvctl_errmsg(ctx));
	hvctl_config_free(sys);
	create(ctx, "ivshmem-a.json", &a);
	create(ctx, "ivshmem-b.json", &b);
	create(ctx, "rtos.json", &r);
	/* b waits for a's doorbell; a rings once; rtos fails on a fault. */
	run(ctx, b, "#!hvsim-guest\nivshmem 00:01.0 state 2\nivshmem 00:01.0 enable\nwait_irq\nprint rung\n");
	run(ctx, a, "#!hvsim-guest\nivshmem 00:01.0 state 1\nivshmem 00:01.0 enable\nprint ringing\nivshmem 00:01.0 ring 1\n");
	run(ctx, r, "#!hvsim-guest\nprint going\nwrite 0x7f000000 1\n");
	hvctl_close(ctx);
	copy_still_tree(uri);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	if (sim_pid > 0) {
		kill(sim_pid, SIGTERM);
		waitpid(sim_pid, NULL, 0);
	}
	sh("rm -rf %s", dir);
	return 0;
}

static void copy_uri(char *uri, size_t len)
{
	snprintf(uri, len, "jailhouse:%s/copy", dir);
}

/* One board, read both ways: the same snapshot. */
static void same_snapshot(void **state)
{
	struct hvctl_snapshot *rep, *files;
	char uri[128];
	size_t i;
	bool failed = false;

	(void)state;
	copy_uri(uri, sizeof(uri));
	rep = take(uri, false);
	files = take(uri, true);
	assert_same(rep, files);
	/* What the board has, so the comparison compares something. */
	assert_int_equal(rep->num_cells, 4);
	assert_true(rep->num_ivshmem >= 3);
	for (i = 0; i < rep->num_cells; i++)
		failed |= rep->cells[i].num_failed > 0;
	assert_true(failed);
	for (i = 0; i < rep->num_ivshmem; i++)
		if (rep->ivshmem[i].bdf == 0x0008 && rep->ivshmem[i].dev_id == 1)
			assert_true(rep->ivshmem[i].doorbells >= 1);
	assert_true(rep->cells[0].stats.value[0] > 0);
	hvctl_snapshot_free(rep);
	hvctl_snapshot_free(files);
}

static void write_report(const uint8_t *data, size_t len)
{
	char path[128];
	FILE *f;

	snprintf(path, sizeof(path), "%s/copy/statistics_all", dir);
	f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
}

static uint8_t *read_report(size_t *len)
{
	char path[128];
	uint8_t *data = malloc(1 << 20);
	FILE *f;

	snprintf(path, sizeof(path), "%s/copy/statistics_all", dir);
	f = fopen(path, "rb");
	assert_non_null(f);
	*len = fread(data, 1, 1 << 20, f);
	fclose(f);
	assert_true(*len > sizeof(struct hv_stats_header));
	return data;
}

static int snapshot_err(const char *uri, char *msg, size_t len)
{
	struct hvctl_snapshot *s = NULL;
	struct hvctl_ctx *ctx;
	int ret;

	assert_int_equal(hvctl_open(&ctx, uri, NULL), 0);
	ret = hvctl_snapshot(ctx, HVCTL_READ_ALL, HVCTL_CPU_STATS_ALL, NULL, &s);
	snprintf(msg, len, "%s", hvctl_errmsg(ctx));
	hvctl_snapshot_free(s);
	hvctl_close(ctx);
	return ret;
}

/* Hostile or foreign reports: refused by name, or left for the files. */
static void hostile_reports(void **state)
{
	struct hvctl_snapshot *files, *s;
	struct hv_stats_header h;
	char uri[128], msg[512];
	uint8_t *orig, *bad;
	size_t len;

	(void)state;
	copy_uri(uri, sizeof(uri));
	orig = read_report(&len);
	bad = malloc(len);
	files = take(uri, true);

	/* Another version: the files say it all, the same snapshot. */
	memcpy(bad, orig, len);
	memcpy(&h, bad, sizeof(h));
	h.version = HV_STATS_VERSION + 1;
	memcpy(bad, &h, sizeof(h));
	write_report(bad, len);
	s = take_as(uri, false, STATS_ALL_ABSENT);
	assert_same(s, files);
	hvctl_snapshot_free(s);

	/* Torn: the trailer is another report's. */
	memcpy(bad, orig, len);
	bad[len - 1] ^= 0x55;
	write_report(bad, len);
	assert_int_equal(snapshot_err(uri, msg, sizeof(msg)), -EIO);
	assert_non_null(strstr(msg, "statistics_all: changed during each of 3 reads"));

	/* Cut short. */
	write_report(orig, len - 100);
	assert_int_equal(snapshot_err(uri, msg, sizeof(msg)), -EIO);
	assert_non_null(strstr(msg, "statistics_all"));

	/* Record sizes smaller than the layout's. */
	memcpy(bad, orig, len);
	memcpy(&h, bad, sizeof(h));
	h.cpu_size = 8;
	memcpy(bad, &h, sizeof(h));
	write_report(bad, len);
	assert_int_equal(snapshot_err(uri, msg, sizeof(msg)), -EIO);
	assert_non_null(strstr(msg, "impossible record sizes"));

	/* A total size far beyond any board. */
	memcpy(bad, orig, len);
	memcpy(&h, bad, sizeof(h));
	h.total_size = 0x7fffffff;
	memcpy(bad, &h, sizeof(h));
	write_report(bad, len);
	assert_int_equal(snapshot_err(uri, msg, sizeof(msg)), -EIO);
	assert_non_null(strstr(msg, "total_size"));

	/* Back to the real one: the same as the files again. */
	write_report(orig, len);
	s = take(uri, false);
	assert_same(s, files);
	hvctl_snapshot_free(s);
	hvctl_snapshot_free(files);
	free(orig);
	free(bad);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(same_snapshot),
		cmocka_unit_test(hostile_reports),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
