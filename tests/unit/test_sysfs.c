// SPDX-License-Identifier: MIT
/*
 * The sysfs parser: text primitives, and whole snapshots of the
 * hand-written trees in tests/fixtures/sysfs read through jailhouse:DIR
 * (the kernel transport without a device).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <hvabi/console.h>

#include "runtime_int.h"

#define FIX HVCTL_SOURCE_DIR "/tests/fixtures/sysfs"

static int clean_env(void **state)
{
	(void)state;
	unsetenv("HVCTL_URI");
	unsetenv("HVCTL_DEVICE");
	unsetenv("HVCTL_REGISTRY");
	return 0;
}

static void expect_list(const char *text, const unsigned int *want,
			unsigned int nwant)
{
	unsigned int *cpus = NULL, n = 99;

	assert_int_equal(sysfs_parse_cpulist(text, 4096, &cpus, &n), 0);
	assert_int_equal(n, nwant);
	if (nwant)
		assert_memory_equal(cpus, want, nwant * sizeof(*want));
	free(cpus);
}

static void expect_mask(const char *text, const unsigned int *want,
			unsigned int nwant)
{
	unsigned int *cpus = NULL, n = 99;

	assert_int_equal(sysfs_parse_cpumask(text, 4096, &cpus, &n), 0);
	assert_int_equal(n, nwant);
	if (nwant)
		assert_memory_equal(cpus, want, nwant * sizeof(*want));
	free(cpus);
}

static void sysfs__cpulist(void **state)
{
	static const unsigned int a[] = { 1, 4, 5, 6, 7 };
	static const unsigned int b[] = { 0, 1, 2, 3, 8 };
	static const unsigned int c[] = { 17 };
	static const char *const bad[] = {
		"3-1", "1,,2", "a", "1-", "1,", ",1", "2,1", "1-3,3", "0 1",
		"5000", "1\n2",
	};
	unsigned int *cpus = NULL, n, i;

	(void)state;
	expect_list("", NULL, 0);
	expect_list("\n", NULL, 0);
	expect_list("1,4-7\n", a, 5);
	expect_list("0-3,8", b, 5);
	expect_list("17", c, 1);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		cpus = NULL;
		assert_int_not_equal(sysfs_parse_cpulist(bad[i], 4096, &cpus, &n), 0);
		assert_null(cpus);
	}
}

static void sysfs__cpumask(void **state)
{
	static const unsigned int a[] = { 1, 2 };
	static const unsigned int b[] = { 1, 2, 35 };
	unsigned int all[64], *cpus = NULL, n, i;
	static const char *const bad[] = { "", "0,006", "xyz", "06,", ",06",
					   "1,0000000" };

	(void)state;
	for (i = 0; i < 64; i++)
		all[i] = i;
	expect_mask("0006\n", a, 2);
	expect_mask("06", a, 2);
	expect_mask("08,00000006", b, 3);
	expect_mask("ffffffff,FFFFFFFF", all, 64);
	expect_mask("00,00000000", NULL, 0);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_not_equal(sysfs_parse_cpumask(bad[i], 4096, &cpus, &n), 0);
	/* Beyond the limit. */
	assert_int_equal(sysfs_parse_cpumask("1,00000000", 32, &cpus, &n), -ERANGE);
}

static void sysfs__numbers_and_states(void **state)
{
	uint64_t v;
	char *s;
	static const unsigned int cpus[] = { 0, 1, 2, 5, 7, 8, 9 };

	(void)state;
	assert_int_equal(sysfs_parse_u64("123\n", &v), 0);
	assert_int_equal(v, 123);
	assert_int_equal(sysfs_parse_u64("18446744073709551615", &v), 0);
	assert_true(v == UINT64_MAX);
	assert_int_equal(sysfs_parse_u64("18446744073709551616", &v), -ERANGE);
	/* Per-CPU files print %d; the driver clamps negatives to 0. */
	assert_int_equal(sysfs_parse_u64("-5\n", &v), 0);
	assert_int_equal(v, 0);
	assert_int_not_equal(sysfs_parse_u64("", &v), 0);
	assert_int_not_equal(sysfs_parse_u64("12a", &v), 0);
	assert_int_not_equal(sysfs_parse_u64("1\n\n", &v), 0);

	assert_int_equal(sysfs_parse_state("running\n"), HVCTL_CELL_RUNNING);
	assert_int_equal(sysfs_parse_state("running/locked\n"),
			 HVCTL_CELL_RUNNING_LOCKED);
	assert_int_equal(sysfs_parse_state("shut down"), HVCTL_CELL_SHUT_DOWN);
	assert_int_equal(sysfs_parse_state("failed\n"), HVCTL_CELL_FAILED);
	assert_int_equal(sysfs_parse_state("Comm ABI mismatch\n"),
			 HVCTL_CELL_FAILED_COMM_REV);
	assert_int_equal(sysfs_parse_state("runnin"), HVCTL_CELL_INVALID);
	assert_string_equal(hvctl_cell_state_name(HVCTL_CELL_SHUT_DOWN), "shut down");
	assert_string_equal(hvctl_cell_state_name(HVCTL_CELL_INVALID), "invalid");

	s = sysfs_format_cpulist(cpus, 7);
	assert_string_equal(s, "0-2,5,7-9");
	free(s);
	s = sysfs_format_cpulist(NULL, 0);
	assert_string_equal(s, "");
	free(s);
}

static struct hvctl_ctx *open_ok(const char *uri)
{
	struct hvctl_error err = { "" };
	struct hvctl_ctx *ctx = NULL;

	assert_int_equal(hvctl_open(&ctx, uri, &err), 0);
	assert_non_null(ctx);
	return ctx;
}

static void sysfs__upstream_tree(void **state)
{
	struct hvctl_ctx *ctx = open_ok("jailhouse:" FIX "/upstream-3cells");
	struct hvctl_snapshot *snap;
	const struct hvctl_cell_info *c;
	struct hvctl_cell_ref ref;
	int k;

	(void)state;
	assert_null(hvctl_config_family(ctx));
	assert_int_equal(hvctl_snapshot(ctx, HVCTL_READ_COUNTERS | HVCTL_READ_CONFIGS,
			     HVCTL_CPU_STATS_NONE, NULL, &snap), 0);
	assert_true(snap->system.enabled);
	assert_int_equal(snap->system.mem_pool_size, 1009);
	assert_int_equal(snap->system.mem_pool_used, 165);
	assert_int_equal(snap->system.remap_pool_size, 1024);
	assert_int_equal(snap->system.remap_pool_used, 28);
	assert_int_equal(snap->num_cells, 3);
	assert_int_equal(snap->num_cpus, 4);
	assert_int_equal(snap->num_stats, 9);
	assert_string_equal(snap->stat_names[0], "vmexits_total");
	assert_string_equal(snap->stat_names[8], "vmexits_smccc");

	c = &snap->cells[0];
	assert_int_equal(c->id, 0);
	assert_true(c->is_root);
	assert_string_equal(c->name, "qemu-arm64");
	assert_int_equal(c->state, HVCTL_CELL_RUNNING);
	assert_int_equal(c->num_cpus, 1);
	assert_int_equal(c->cpus[0], 0);
	assert_string_equal(c->cpus_list, "0");
	assert_null(c->config);
	assert_int_equal(c->config_origin, HVCTL_CONFIG_UNKNOWN);
	assert_false(c->stats.rate_valid);

	c = &snap->cells[2];
	assert_int_equal(c->id, 2);
	assert_string_equal(c->name, "linux-demo");
	assert_int_equal(c->state, HVCTL_CELL_FAILED);
	assert_string_equal(c->state_name, "failed");
	assert_string_equal(c->cpus_list, "2-3");
	assert_int_equal(c->num_failed, 1);
	assert_int_equal(c->failed_cpus[0], 3);
	assert_string_equal(c->failed_list, "3");
	/* Totals are the sums of the per-CPU values (see the README). */
	assert_int_equal(c->stats.value[0], 16368 + 24368);
	k = hvctl_snapshot_stat_index(snap, "vmexits_mmio");
	assert_int_equal(k, 1);
	assert_int_equal(c->stats.value[k], 2011 + 3011);
	assert_int_equal(hvctl_snapshot_stat_index(snap, "vmexits_cr"), -1);

	/* CPU ownership strip. */
	assert_int_equal(snap->cpus[0].cell_id, 0);
	assert_int_equal(snap->cpus[1].cell_id, 1);
	assert_int_equal(snap->cpus[3].cell_id, 2);
	assert_int_equal(snap->cpus[3].cell, 2);
	assert_true(snap->cpus[3].failed);
	assert_false(snap->cpus[2].failed);
	assert_false(snap->cpus[2].has_stats);

	assert_int_equal(hvctl_cell_ref_parse(&ref, "inmate-demo", NULL), 0);
	c = hvctl_snapshot_find(snap, &ref);
	assert_non_null(c);
	assert_int_equal(c->id, 1);
	assert_int_equal(hvctl_cell_ref_parse(&ref, "0x2", NULL), 0);
	assert_int_equal(hvctl_snapshot_find(snap, &ref)->id, 2);
	assert_int_equal(hvctl_cell_ref_parse(&ref, "nope", NULL), 0);
	assert_null(hvctl_snapshot_find(snap, &ref));

	/* A snapshot outlives its context. */
	hvctl_close(ctx);
	assert_string_equal(snap->cells[1].name, "inmate-demo");
	hvctl_snapshot_free(snap);
}

static void sysfs__per_cpu_stats(void **state)
{
	struct hvctl_ctx *ctx = open_ok("jailhouse:" FIX "/upstream-3cells");
	struct hvctl_snapshot *snap;
	unsigned int cpu;

	(void)state;
	assert_int_equal(hvctl_snapshot(ctx, HVCTL_READ_ALL, 2, NULL, &snap), 0);
	assert_false(snap->cpus[0].has_stats);
	assert_false(snap->cpus[1].has_stats);
	for (cpu = 2; cpu < 4; cpu++) {
		assert_true(snap->cpus[cpu].has_stats);
		assert_int_equal(snap->cpus[cpu].stats.value[0], 8000 * cpu + 368);
		assert_int_equal(snap->cpus[cpu].stats.value[8], 1000 * cpu + 81);
	}
	hvctl_snapshot_free(snap);

	assert_int_equal(hvctl_snapshot(ctx, HVCTL_READ_ALL, HVCTL_CPU_STATS_ALL, NULL, &snap), 0);
	for (cpu = 0; cpu < 4; cpu++) {
		assert_true(snap->cpus[cpu].has_stats);
		assert_int_equal(snap->cpus[cpu].stats.value[1], 1000 * cpu + 11);
	}
	hvctl_snapshot_free(snap);
	assert_int_equal(hvctl_snapshot(ctx, HVCTL_READ_ALL, -7, NULL, &snap), -EINVAL);
	hvctl_close(ctx);
}

static void sysfs__disabled_tree(void **state)
{
	struct hvctl_ctx *ctx = open_ok("jailhouse:" FIX "/disabled");
	struct hvctl_snapshot *snap;

	(void)state;
	assert_int_equal(hvctl_snapshot(ctx, HVCTL_READ_ALL, HVCTL_CPU_STATS_ALL, NULL, &snap), 0);
	assert_false(snap->system.enabled);
	assert_int_equal(snap->num_cells, 0);
	assert_int_equal(snap->num_cpus, 0);
	assert_int_equal(snap->system.mem_pool_size, 0);
	hvctl_snapshot_free(snap);
	hvctl_close(ctx);
}

static void sysfs__masks_only(void **state)
{
	struct hvctl_ctx *ctx = open_ok("jailhouse:" FIX "/masks-only");
	struct hvctl_snapshot *snap;
	const struct hvctl_cell_info *c;

	(void)state;
	assert_int_equal(hvctl_snapshot(ctx, HVCTL_READ_COUNTERS | HVCTL_READ_CONFIGS,
			     HVCTL_CPU_STATS_NONE, NULL, &snap), 0);
	assert_int_equal(snap->num_cells, 2);
	assert_int_equal(snap->num_cpus, 40);
	c = &snap->cells[0];
	assert_int_equal(c->num_cpus, 36);
	assert_string_equal(c->cpus_list, "4-39");
	c = &snap->cells[1];
	assert_int_equal(c->id, 10);
	assert_string_equal(c->name, "quad");
	assert_int_equal(c->state, HVCTL_CELL_RUNNING_LOCKED);
	assert_string_equal(c->cpus_list, "0-3");
	assert_int_equal(c->num_failed, 1);
	assert_string_equal(c->failed_list, "1");
	assert_int_equal(snap->cpus[2].cell, 1);
	assert_true(snap->cpus[1].failed);
	hvctl_snapshot_free(snap);
	hvctl_close(ctx);
}

static void sysfs__bad_cpulist(void **state)
{
	struct hvctl_ctx *ctx = open_ok("jailhouse:" FIX "/bad-cpulist");
	struct hvctl_snapshot *snap = (void *)1;

	(void)state;
	assert_int_equal(hvctl_snapshot(ctx, HVCTL_READ_COUNTERS | HVCTL_READ_CONFIGS,
			     HVCTL_CPU_STATS_NONE, NULL, &snap), -EIO);
	assert_null(snap);
	assert_non_null(strstr(hvctl_errmsg(ctx), "cells/0/cpus_assigned_list"));
	assert_non_null(strstr(hvctl_errmsg(ctx), "not a CPU list"));
	assert_false(hvctl_backend_unreachable(ctx));
	hvctl_close(ctx);
}

static void sysfs__missing_tree(void **state)
{
	struct hvctl_ctx *ctx = open_ok("jailhouse:" FIX "/no-such-tree");
	struct hvctl_snapshot *snap;

	(void)state;
	assert_int_equal(hvctl_snapshot(ctx, HVCTL_READ_COUNTERS | HVCTL_READ_CONFIGS,
			     HVCTL_CPU_STATS_NONE, NULL, &snap), -ENOENT);
	assert_non_null(strstr(hvctl_errmsg(ctx), "no-such-tree"));
	hvctl_close(ctx);
}

static void sysfs__read_only(void **state)
{
	struct hvctl_ctx *ctx = open_ok("jailhouse:" FIX "/upstream-3cells");
	struct hvctl_cell_ref ref;

	(void)state;
	hvctl_cell_ref_id(&ref, 1);
	assert_int_equal(hvctl_cell_start(ctx, &ref), -EROFS);
	assert_non_null(strstr(hvctl_errmsg(ctx), "read-only"));
	assert_non_null(strstr(hvctl_errmsg(ctx), "HVCTL_DEVICE"));
	assert_int_equal(hvctl_disable(ctx), -EROFS);
	hvctl_close(ctx);
}

static void sysfs__uris(void **state)
{
	struct hvctl_error err = { "" };
	struct hvctl_ctx *ctx = (void *)1;
	struct hvctl_open_opts opts = { .version = 99 };
	struct hvctl_cell_ref ref;

	(void)state;
	assert_int_equal(hvctl_open(&ctx, "xen:foo", &err), -EINVAL);
	assert_null(ctx);
	assert_non_null(strstr(err.msg, "xen:foo"));
	assert_int_equal(hvctl_open(&ctx, "sim:", &err), -EINVAL);
	assert_non_null(strstr(err.msg, "sim:DIR"));
	assert_int_equal(hvctl_open_opts(&ctx, &opts, &err), -EINVAL);

	/* The argument beats $HVCTL_URI, which beats the default. */
	setenv("HVCTL_URI", "sim:/tmp/somewhere", 1);
	ctx = open_ok(NULL);
	assert_string_equal(hvctl_uri(ctx), "sim:/tmp/somewhere");
	assert_string_equal(hvctl_config_family(ctx), "sim");
	hvctl_close(ctx);
	ctx = open_ok("jailhouse:");
	assert_string_equal(hvctl_uri(ctx), "jailhouse:");
	assert_null(hvctl_config_family(ctx));
	hvctl_close(ctx);
	unsetenv("HVCTL_URI");
	ctx = open_ok(NULL);
	assert_string_equal(hvctl_uri(ctx), HVCTL_DEFAULT_URI);
	hvctl_close(ctx);
	hvctl_close(NULL);

	assert_int_equal(hvctl_cell_ref_parse(&ref, "3", NULL), 0);
	assert_int_equal(ref.id, 3);
	assert_int_equal(hvctl_cell_ref_parse(&ref, "010", NULL), 0);
	assert_int_equal(ref.id, 8);
	assert_int_equal(hvctl_cell_ref_parse(&ref, "-1", NULL), 0);
	assert_int_equal(ref.id, HVCTL_CELL_BY_NAME);
	assert_string_equal(ref.name, "-1");
	assert_int_equal(hvctl_cell_ref_parse(&ref, "rtos", NULL), 0);
	assert_int_equal(ref.id, HVCTL_CELL_BY_NAME);
	assert_string_equal(ref.name, "rtos");
	assert_int_equal(hvctl_cell_ref_name(&ref, "7", NULL), 0);
	assert_int_equal(ref.id, HVCTL_CELL_BY_NAME);
	assert_int_equal(hvctl_cell_ref_parse(&ref,
			 "a-name-that-is-much-longer-than-31", &err), -EINVAL);
	assert_non_null(strstr(err.msg, "longer than 31"));
	assert_int_equal(hvctl_cell_ref_parse(&ref, "", &err), -EINVAL);
}

/* The one ring copy the driver and hvsim share (hvabi/console.h). */
static void sysfs__console_ring_copy(void **state)
{
	char ring[8], out[9];
	unsigned int i;

	(void)state;
	/* 11 bytes written into 8: "abcdefghijk" leaves "ijkdefgh". */
	for (i = 0; i < 11; i++)
		ring[i & 7] = (char)('a' + i);
	memset(out, 0, sizeof(out));
	assert_int_equal(hv_console_ring_copy(out, ring, 8, 3, 11), 8);
	assert_string_equal(out, "defghijk");
	memset(out, 0, sizeof(out));
	assert_int_equal(hv_console_ring_copy(out, ring, 8, 9, 11), 2);
	assert_string_equal(out, "jk");
	assert_int_equal(hv_console_ring_copy(out, ring, 8, 5, 5), 0);
	/* Positions past 2^32, as a 32-bit tail wraps: the same bytes. */
	memset(out, 0, sizeof(out));
	assert_int_equal(hv_console_ring_copy(out, ring, 8,
					      (1ull << 32) + 9,
					      (1ull << 32) + 11), 2);
	assert_string_equal(out, "jk");
}

/* Whether this caller may control: the transport answers, with a reason. */
static void sysfs__may_control(void **state)
{
	struct hvctl_open_opts opts = { .version = HVCTL_OPEN_OPTS_VERSION };
	char dir[] = "/tmp/hvctl-test-ctl-XXXXXX", path[128], why[256];
	struct hvctl_ctx *ctx;
	FILE *f;

	(void)state;
	unsetenv("HVCTL_DEVICE");
	ctx = open_ok("jailhouse:" FIX "/upstream-3cells");
	assert_false(hvctl_may_control(ctx, why, sizeof(why)));
	assert_string_equal(why, "a jailhouse:DIR tree without HVCTL_DEVICE is read-only");
	assert_false(hvctl_may_control(ctx, NULL, 0));
	assert_false(hvctl_console_notifies(ctx));
	assert_null(hvctl_config_family(ctx));
	hvctl_close(ctx);

	/* A device node given: as far as this machine can tell, yes. */
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/jailhouse", dir);
	f = fopen(path, "w");
	assert_non_null(f);
	fclose(f);
	opts.uri = "jailhouse:" FIX "/upstream-3cells";
	opts.device = path;
	assert_int_equal(hvctl_open_opts(&ctx, &opts, NULL), 0);
	assert_true(hvctl_may_control(ctx, why, sizeof(why)));
	/* One it cannot write (unless root, whom nothing stops). */
	assert_int_equal(chmod(path, 0444), 0);
	if (access(path, W_OK)) {
		assert_false(hvctl_may_control(ctx, why, sizeof(why)));
		assert_non_null(strstr(why, path));
		assert_non_null(strstr(why, "for writing"));
	}
	hvctl_close(ctx);

	/* hvsim: its socket's permission decides; not there yet: try. */
	snprintf(path, sizeof(path), "sim:%s", dir);
	ctx = open_ok(path);
	assert_true(hvctl_may_control(ctx, why, sizeof(why)));
	assert_true(hvctl_console_notifies(ctx));
	assert_string_equal(hvctl_config_family(ctx), "sim");
	hvctl_close(ctx);
	snprintf(path, sizeof(path), "%s/jailhouse", dir);
	unlink(path);
	rmdir(dir);
}

static void sysfs__ivshmem_empty_here(void **state)
{
	struct hvctl_ctx *ctx = open_ok("jailhouse:");
	struct hvctl_ivshmem_list *list = NULL;

	(void)state;
	/* No ivshmem device on a build machine: an empty list, no error. */
	assert_int_equal(hvctl_ivshmem_list(ctx, &list), 0);
	assert_non_null(list);
	assert_int_equal(list->count, 0);
	hvctl_ivshmem_list_free(list);
	hvctl_close(ctx);

	ctx = open_ok("jailhouse:" FIX "/upstream-3cells");
	assert_int_equal(hvctl_ivshmem_list(ctx, &list), 0);
	assert_int_equal(list->count, 0);
	hvctl_ivshmem_list_free(list);
	hvctl_close(ctx);
}

static void write_file(const char *dir, const char *name, const char *text,
		       size_t len)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	assert_non_null(f);
	assert_int_equal(fwrite(text, 1, len, f), len);
	fclose(f);
}

/* A tree without a device: the console file is compared with the last read. */
static void sysfs__console_file(void **state)
{
	char dir[] = "/tmp/hvctl-test-sysfs-XXXXXX", uri[64], cmd[4200];
	char ring[HV_CONSOLE_SIZE], buf[4096];
	struct hvctl_console *con;
	struct hvctl_ctx *ctx;
	uint64_t lost;
	size_t len;
	unsigned int i;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(cmd, sizeof(cmd), "cp -r " FIX "/upstream-3cells/. %s", dir);
	assert_int_equal(system(cmd), 0);
	snprintf(uri, sizeof(uri), "jailhouse:%s", dir);
	ctx = open_ok(uri);

	write_file(dir, "console", "hello\n", 6);
	assert_int_equal(hvctl_console_open(ctx, HVCTL_CONSOLE_HYPERVISOR, &con), 0);
	assert_int_equal(hvctl_console_read(con, buf, sizeof(buf), &len, &lost), 0);
	assert_int_equal(len, 6);
	assert_memory_equal(buf, "hello\n", 6);
	assert_int_equal(lost, 0);
	assert_int_equal(hvctl_console_read(con, buf, sizeof(buf), &len, &lost), 0);
	assert_int_equal(len, 0);

	/* Appended output: only the new bytes, also through a small buffer. */
	write_file(dir, "console", "hello\nworld\n", 12);
	assert_int_equal(hvctl_console_read(con, buf, 3, &len, &lost), 0);
	assert_int_equal(len, 3);
	assert_memory_equal(buf, "wor", 3);
	assert_int_equal(hvctl_console_read(con, buf, sizeof(buf), &len, &lost), 0);
	assert_int_equal(len, 3);
	assert_memory_equal(buf, "ld\n", 3);

	/* A full ring with nothing in common: the gap's size is unknown. */
	for (i = 0; i < sizeof(ring); i++)
		ring[i] = (char)('A' + i % 23);
	write_file(dir, "console", ring, sizeof(ring));
	assert_int_equal(hvctl_console_read(con, buf, sizeof(buf), &len, &lost), 0);
	assert_int_equal(len, sizeof(ring));
	assert_true(lost == HVCTL_CONSOLE_LOST_UNKNOWN);
	hvctl_console_close(con);

	/* Enabled without a console file: the flag is missing (EPERM). */
	snprintf(cmd, sizeof(cmd), "%s/console", dir);
	unlink(cmd);
	assert_int_equal(hvctl_console_open(ctx, HVCTL_CONSOLE_HYPERVISOR, &con), 0);
	assert_int_equal(hvctl_console_read(con, buf, sizeof(buf), &len, &lost), -EPERM);
	assert_non_null(strstr(hvctl_errmsg(ctx), "debug console"));
	hvctl_console_close(con);

	/* No per-cell console in an upstream tree. */
	assert_int_equal(hvctl_console_open(ctx, 1, &con), -ENOTSUP);
	hvctl_close(ctx);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	assert_int_equal(system(cmd), 0);
}

/* The kernel backend's timer notices cells and the enabled flag change. */
static void sysfs__tree_events(void **state)
{
	char dir[] = "/tmp/hvctl-test-events-XXXXXX", uri[64], cmd[4200];
	struct hvctl_open_opts opts = {
		.version = HVCTL_OPEN_OPTS_VERSION,
		.uri = uri,
		.tick_ms = 20,
	};
	bool removed = false, disabled = false, ticked = false;
	struct hvctl_event ev[16];
	struct hvctl_ctx *ctx;
	size_t n, i;
	int fd, round;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(cmd, sizeof(cmd), "cp -r " FIX "/upstream-3cells/. %s", dir);
	assert_int_equal(system(cmd), 0);
	snprintf(uri, sizeof(uri), "jailhouse:%s", dir);
	assert_int_equal(hvctl_open_opts(&ctx, &opts, NULL), 0);
	fd = hvctl_event_fd(ctx);
	assert_true(fd >= 0);
	assert_int_equal(hvctl_event_fd(ctx), fd);

	/* Cell 2 destroyed, then the hypervisor disabled. */
	snprintf(cmd, sizeof(cmd), "rm -r %s/cells/2", dir);
	assert_int_equal(system(cmd), 0);
	write_file(dir, "enabled", "0\n", 2);
	for (round = 0; round < 100 && !(removed && disabled); round++) {
		struct pollfd p = { .fd = fd, .events = POLLIN };

		poll(&p, 1, 50);
		assert_int_equal(hvctl_event_process(ctx, ev, 16, &n), 0);
		for (i = 0; i < n; i++) {
			if (ev[i].type == HVCTL_EVENT_CELL_REMOVED) {
				assert_int_equal(ev[i].cell_id, 2);
				removed = true;
			}
			assert_int_not_equal(ev[i].type, HVCTL_EVENT_CELL_ADDED);
			disabled |= ev[i].type == HVCTL_EVENT_DISABLED;
			ticked |= ev[i].type == HVCTL_EVENT_TICK;
		}
	}
	assert_true(removed);
	assert_true(disabled);
	assert_true(ticked);
	assert_string_equal(hvctl_event_name(HVCTL_EVENT_CELL_REMOVED),
			    "cell-removed");
	hvctl_close(ctx);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	assert_int_equal(system(cmd), 0);
}

/* A device console: the driver's lost-bytes notice becomes a count. */
static void sysfs__device_console(void **state)
{
	char dir[] = "/tmp/hvctl-test-dev-XXXXXX", dev[128], buf[256];
	struct hvctl_open_opts opts = {
		.version = HVCTL_OPEN_OPTS_VERSION,
		.uri = "jailhouse:" FIX "/upstream-3cells",
		.device = dev,
	};
	struct hvctl_console *con;
	struct hvctl_ctx *ctx;
	uint64_t lost;
	size_t len;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(dev, sizeof(dev), "%s/device", dir);
	write_file(dir, "device", "<missed 1234 bytes of console log>\n", 35);
	assert_int_equal(hvctl_open_opts(&ctx, &opts, NULL), 0);
	assert_int_equal(hvctl_console_open(ctx, HVCTL_CONSOLE_HYPERVISOR, &con), 0);
	assert_int_equal(hvctl_console_read(con, buf, sizeof(buf), &len, &lost), 0);
	assert_int_equal(len, 0);
	assert_int_equal(lost, 1234);
	hvctl_console_close(con);

	/* Text that only looks like a notice at the start is data. */
	write_file(dir, "device", "<missed you> said the cell\n", 27);
	assert_int_equal(hvctl_console_open(ctx, HVCTL_CONSOLE_HYPERVISOR, &con), 0);
	assert_int_equal(hvctl_console_read(con, buf, sizeof(buf), &len, &lost), 0);
	assert_int_equal(len, 27);
	assert_int_equal(lost, 0);
	assert_memory_equal(buf, "<missed you> said the cell\n", 27);
	assert_int_equal(hvctl_console_read(con, buf, sizeof(buf), &len, &lost), 0);
	assert_int_equal(len, 0);
	hvctl_console_close(con);
	hvctl_close(ctx);

	/* No device node at all: the driver is not loaded (unreachable). */
	snprintf(dev, sizeof(dev), "%s/none", dir);
	assert_int_equal(hvctl_open_opts(&ctx, &opts, NULL), 0);
	assert_int_equal(hvctl_console_open(ctx, HVCTL_CONSOLE_HYPERVISOR, &con), -ENODEV);
	assert_true(hvctl_backend_unreachable(ctx));
	hvctl_close(ctx);
	snprintf(buf, sizeof(buf), "rm -rf %s", dir);
	assert_int_equal(system(buf), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(sysfs__cpulist),
		cmocka_unit_test(sysfs__cpumask),
		cmocka_unit_test(sysfs__numbers_and_states),
		cmocka_unit_test(sysfs__upstream_tree),
		cmocka_unit_test(sysfs__per_cpu_stats),
		cmocka_unit_test(sysfs__disabled_tree),
		cmocka_unit_test(sysfs__masks_only),
		cmocka_unit_test(sysfs__bad_cpulist),
		cmocka_unit_test(sysfs__missing_tree),
		cmocka_unit_test(sysfs__read_only),
		cmocka_unit_test(sysfs__uris),
		cmocka_unit_test(sysfs__may_control),
		cmocka_unit_test(sysfs__console_ring_copy),
		cmocka_unit_test(sysfs__ivshmem_empty_here),
		cmocka_unit_test(sysfs__console_file),
		cmocka_unit_test(sysfs__tree_events),
		cmocka_unit_test(sysfs__device_console),
	};

	return cmocka_run_group_tests_name("sysfs", tests, clean_env, NULL);
}
