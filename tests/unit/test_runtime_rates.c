// SPDX-License-Identifier: MIT
/*
 * Rate maths: 31-bit wrap, restarts when a CPU changes cell, re-created
 * cells. First the pure functions, then whole snapshots of a copy of the
 * upstream-3cells fixture whose counter files the test rewrites between
 * two snapshots.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "runtime_int.h"

#define FIX HVCTL_SOURCE_DIR "/tests/fixtures/sysfs/upstream-3cells"
#define W31 0x80000000u

static void rates__pure(void **state)
{
	struct rate_cpu_sample s[3] = {
		{ .cpu = 0, .prev = 100, .now = 150 },
		{ .cpu = 1, .prev = W31 - 10, .now = 20 },	/* wrapped */
		{ .cpu = 2, .moved = true, .prev = 999999, .now = 7 },
	};

	(void)state;
	assert_int_equal(rate_delta31(10, 15), 5);
	assert_int_equal(rate_delta31(W31 - 1, 0), 1);
	assert_int_equal(rate_delta31(W31 - 5, 5), 10);
	assert_int_equal(rate_delta31(7, 7), 0);
	/* A cell total over two CPUs, one of which wrapped. */
	assert_int_equal(rate_delta_total(5000ull + (W31 - 10), 5000ull + 20 + 40),
			 70);
	assert_int_equal(rate_delta_total(3 * (uint64_t)W31 - 3, 3 * (uint64_t)W31),
			 3);
	/* Moved-in CPUs count from zero; the others modulo 2^31. */
	assert_int_equal(rate_cell_from_cpus(s, 3), 50 + 30 + 7);
	assert_true(fabs(rate_per_second(500, 2000000000ull) - 250.0) < 1e-9);
	assert_true(rate_per_second(500, 0) == 0.0);
}

/* ---- snapshots of a tree the test rewrites ---- */

struct tree_fix {
	char dir[64];
	struct hvctl_ctx *ctx;
};

static void put(struct tree_fix *f, const char *rel, uint64_t value)
{
	char path[4096];
	FILE *fp;

	snprintf(path, sizeof(path), "%s/%s", f->dir, rel);
	/* In place, as hvsim and sysfs do: kept descriptors see it. */
	fp = fopen(path, "r+");
	if (!fp)
		fp = fopen(path, "w");
	assert_non_null(fp);
	assert_int_equal(ftruncate(fileno(fp), 0), 0);
	fprintf(fp, "%llu\n", (unsigned long long)value);
	fclose(fp);
}

static void put_text(struct tree_fix *f, const char *rel, const char *text)
{
	char path[4096];
	FILE *fp;

	snprintf(path, sizeof(path), "%s/%s", f->dir, rel);
	fp = fopen(path, "w");
	assert_non_null(fp);
	fputs(text, fp);
	fclose(fp);
}

static void sh(const char *fmt, ...)
{
	char cmd[4096];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	assert_int_equal(system(cmd), 0);
}

static int setup(void **state)
{
	struct tree_fix *f = calloc(1, sizeof(*f));
	char uri[128];

	strcpy(f->dir, "/tmp/hvctl-test-rates-XXXXXX");
	if (!mkdtemp(f->dir))
		return -1;
	sh("cp -r " FIX "/. %s", f->dir);
	snprintf(uri, sizeof(uri), "jailhouse:%s", f->dir);
	if (hvctl_open(&f->ctx, uri, NULL))
		return -1;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct tree_fix *f = *state;

	hvctl_close(f->ctx);
	sh("rm -rf %s", f->dir);
	free(f);
	return 0;
}

/* A snapshot with counters (per-CPU ones of which), rates against prev. */
static struct hvctl_snapshot *snap(struct tree_fix *f, int which,
				   const struct hvctl_snapshot *prev)
{
	struct hvctl_snapshot *s;
	struct timespec ts = { 0, 2000000 };
	unsigned int what = HVCTL_READ_COUNTERS;

	if (which != HVCTL_CPU_STATS_NONE)
		what |= HVCTL_READ_CPU_COUNTERS;
	/* Keep consecutive snapshots measurably apart. */
	nanosleep(&ts, NULL);
	assert_int_equal(hvctl_snapshot(f->ctx, what, which, prev, &s), 0);
	return s;
}

/* rate x interval is the increase, within floating point. */
static void assert_increase(const struct hvctl_counters *c, unsigned int k,
			    double increase)
{
	assert_true(c->rate_valid);
	assert_true(c->interval > 0);
	assert_true(c->rate[k] >= 0);
	assert_true(fabs(c->rate[k] * c->interval - increase) <=
		    1e-6 * (increase + 1));
}

static void assert_no_negative(const struct hvctl_snapshot *s)
{
	size_t i;
	unsigned int k, c;

	for (i = 0; i < s->num_cells; i++)
		for (k = 0; k < s->num_stats; k++)
			assert_true(!s->cells[i].stats.rate_valid ||
				    s->cells[i].stats.rate[k] >= 0);
	for (c = 0; c < s->num_cpus; c++)
		for (k = 0; k < s->num_stats; k++)
			assert_true(!s->cpus[c].stats.rate_valid ||
				    s->cpus[c].stats.rate[k] >= 0);
}

static void rates__simple_increase(void **state)
{
	struct tree_fix *f = *state;
	struct hvctl_snapshot *a, *b;

	a = snap(f, HVCTL_CPU_STATS_NONE, NULL);
	assert_false(a->cells[1].stats.rate_valid);
	/* Cell 1 (CPU 1): 500 more MMIO exits. */
	put(f, "cells/1/statistics/cpu1/vmexits_mmio", 1011 + 500);
	put(f, "cells/1/statistics/vmexits_mmio", 1011 + 500);
	b = snap(f, HVCTL_CPU_STATS_NONE, a);
	assert_int_equal(b->cells[1].stats.value[1], 1511);
	assert_increase(&b->cells[1].stats, 1, 500);
	assert_increase(&b->cells[1].stats, 0, 0);
	assert_increase(&b->cells[0].stats, 1, 0);
	assert_int_equal(a->generation, b->generation);
	hvctl_snapshot_free(a);
	hvctl_snapshot_free(b);
}

static void rates__wrap(void **state)
{
	struct tree_fix *f = *state;
	struct hvctl_snapshot *a, *b;
	int which;

	for (which = HVCTL_CPU_STATS_ALL; which <= HVCTL_CPU_STATS_NONE; which++) {
		/* CPU 1's MMIO counter just below 2^31 ... */
		put(f, "cells/1/statistics/cpu1/vmexits_mmio", W31 - 10);
		put(f, "cells/1/statistics/vmexits_mmio", W31 - 10);
		a = snap(f, which, NULL);
		/* ... then past it: the hypervisor masks to 31 bits. */
		put(f, "cells/1/statistics/cpu1/vmexits_mmio", 20);
		put(f, "cells/1/statistics/vmexits_mmio", 20);
		b = snap(f, which, a);
		assert_increase(&b->cells[1].stats, 1, 30);
		if (which == HVCTL_CPU_STATS_ALL)
			assert_increase(&b->cpus[1].stats, 1, 30);
		assert_no_negative(b);
		hvctl_snapshot_free(a);
		hvctl_snapshot_free(b);
	}
}

/*
 * Cell 2 is destroyed: CPUs 2 and 3 go back to the root cell with their
 * counters restarted (5 and 7 MMIO exits since).
 */
static void destroy_cell2(struct tree_fix *f)
{
	static const char *const names[] = {
		"vmexits_total", "vmexits_mmio", "vmexits_management",
		"vmexits_hypercall", "vmexits_maintenance", "vmexits_virt_irq",
		"vmexits_virt_sgi", "vmexits_psci", "vmexits_smccc",
	};
	char rel[128];
	unsigned int k;

	sh("mv %s/cells/2/statistics/cpu2 %s/cells/2/statistics/cpu3 %s/cells/0/statistics/",
	   f->dir, f->dir, f->dir);
	sh("rm -r %s/cells/2", f->dir);
	for (k = 0; k < 9; k++) {
		uint64_t v2 = k == 1 ? 5 : (k == 0 ? 5 : 0);
		uint64_t v3 = k == 1 ? 7 : (k == 0 ? 7 : 0);
		uint64_t v0 = k == 0 ? 368 : 10 * k + 1;

		snprintf(rel, sizeof(rel), "cells/0/statistics/cpu2/%s", names[k]);
		put(f, rel, v2);
		snprintf(rel, sizeof(rel), "cells/0/statistics/cpu3/%s", names[k]);
		put(f, rel, v3);
		snprintf(rel, sizeof(rel), "cells/0/statistics/%s", names[k]);
		put(f, rel, v0 + v2 + v3);
	}
	put_text(f, "cells/0/cpus_assigned_list", "0,2-3\n");
	put_text(f, "cells/0/cpus_assigned", "d\n");
}

static void rates__cpu_moved_totals_only(void **state)
{
	struct tree_fix *f = *state;
	struct hvctl_snapshot *a, *b;

	a = snap(f, HVCTL_CPU_STATS_NONE, NULL);
	destroy_cell2(f);
	b = snap(f, HVCTL_CPU_STATS_NONE, a);
	assert_int_equal(b->num_cells, 2);
	assert_int_not_equal(a->generation, b->generation);
	assert_string_equal(b->cells[0].cpus_list, "0,2-3");
	assert_int_equal(b->cpus[3].cell_id, 0);
	/* The root's set changed and no per-CPU values: no rate, not a wrong one. */
	assert_false(b->cells[0].stats.rate_valid);
	assert_increase(&b->cells[1].stats, 1, 0);
	assert_no_negative(b);
	hvctl_snapshot_free(a);
	hvctl_snapshot_free(b);
}

static void rates__cpu_moved_per_cpu(void **state)
{
	struct tree_fix *f = *state;
	struct hvctl_snapshot *a, *b;

	a = snap(f, HVCTL_CPU_STATS_ALL, NULL);
	destroy_cell2(f);
	b = snap(f, HVCTL_CPU_STATS_ALL, a);
	/* Exact from per-CPU values: CPU 0 unchanged, CPUs 2 and 3 moved in. */
	assert_increase(&b->cells[0].stats, 1, 5 + 7);
	assert_increase(&b->cells[0].stats, 0, 5 + 7);
	assert_increase(&b->cpus[0].stats, 1, 0);
	assert_false(b->cpus[2].stats.rate_valid);
	assert_false(b->cpus[3].stats.rate_valid);
	assert_int_equal(b->cpus[3].stats.value[1], 7);
	assert_no_negative(b);
	hvctl_snapshot_free(a);
	hvctl_snapshot_free(b);

	/* And the next interval is ordinary again. */
	a = snap(f, HVCTL_CPU_STATS_ALL, NULL);
	put(f, "cells/0/statistics/cpu3/vmexits_mmio", 7 + 40);
	put(f, "cells/0/statistics/vmexits_mmio", 11 + 5 + 7 + 40);
	b = snap(f, HVCTL_CPU_STATS_ALL, a);
	assert_increase(&b->cpus[3].stats, 1, 40);
	assert_increase(&b->cells[0].stats, 1, 40);
	hvctl_snapshot_free(a);
	hvctl_snapshot_free(b);
}

static void rates__recreated_cell(void **state)
{
	struct tree_fix *f = *state;
	struct hvctl_snapshot *a, *b;

	a = snap(f, HVCTL_CPU_STATS_NONE, NULL);
	/* Destroyed and created again with the same ID, name and CPU. */
	sh("mkdir %s/new && cp -r %s/cells/1/. %s/new && rm -r %s/cells/1 && mv %s/new %s/cells/1",
	   f->dir, f->dir, f->dir, f->dir, f->dir, f->dir);
	put(f, "cells/1/statistics/vmexits_mmio", 3);
	put(f, "cells/1/statistics/vmexits_total", 4);
	b = snap(f, HVCTL_CPU_STATS_NONE, a);
	assert_int_equal(b->cells[1].stats.value[1], 3);
	assert_false(b->cells[1].stats.rate_valid);
	assert_no_negative(b);
	hvctl_snapshot_free(a);
	hvctl_snapshot_free(b);
}

static void rates__unseen_restart(void **state)
{
	struct tree_fix *f = *state;
	struct hvctl_snapshot *a, *b;

	/*
	 * A counter going backwards without any visible change of the cells
	 * (a move and back between two snapshots): treated as a restart,
	 * not as two billion exits.
	 */
	a = snap(f, HVCTL_CPU_STATS_NONE, NULL);
	put(f, "cells/0/statistics/vmexits_mmio", 5);
	b = snap(f, HVCTL_CPU_STATS_NONE, a);
	assert_false(b->cells[0].stats.rate_valid);
	assert_no_negative(b);
	hvctl_snapshot_free(a);
	hvctl_snapshot_free(b);
}

/*
 * The baseline is what the caller passes: snapshots in between (the
 * library's own, another screen's) do not move it.
 */
static void rates__explicit_baseline(void **state)
{
	struct tree_fix *f = *state;
	struct hvctl_snapshot *a, *mid, *b, *c;

	a = snap(f, HVCTL_CPU_STATS_NONE, NULL);
	put(f, "cells/1/statistics/vmexits_mmio", 1011 + 500);
	mid = snap(f, HVCTL_CPU_STATS_NONE, NULL);
	assert_false(mid->cells[1].stats.rate_valid);
	put(f, "cells/1/statistics/vmexits_mmio", 1011 + 800);
	b = snap(f, HVCTL_CPU_STATS_NONE, a);
	assert_increase(&b->cells[1].stats, 1, 800);
	c = snap(f, HVCTL_CPU_STATS_NONE, mid);
	assert_increase(&c->cells[1].stats, 1, 300);
	/* The interval is the baseline's, not the last snapshot's. */
	assert_true(b->cells[1].stats.interval >
		    (double)(b->time_ns - mid->time_ns) / 1e9);
	hvctl_snapshot_free(a);
	hvctl_snapshot_free(mid);
	hvctl_snapshot_free(b);
	hvctl_snapshot_free(c);
}

/* A baseline without counters, or from another context, gives no rates. */
static void rates__unusable_baseline(void **state)
{
	struct tree_fix *f = *state;
	struct hvctl_snapshot *a, *b, *other;
	struct hvctl_ctx *ctx2;
	char uri[128];

	assert_int_equal(hvctl_snapshot(f->ctx, HVCTL_READ_CELLS,
					HVCTL_CPU_STATS_NONE, NULL, &a), 0);
	assert_int_equal(a->what, HVCTL_READ_CELLS);
	assert_int_equal(a->num_stats, 0);
	b = snap(f, HVCTL_CPU_STATS_NONE, a);
	assert_false(b->cells[1].stats.rate_valid);
	hvctl_snapshot_free(a);

	snprintf(uri, sizeof(uri), "jailhouse:%s", f->dir);
	assert_int_equal(hvctl_open(&ctx2, uri, NULL), 0);
	assert_int_equal(hvctl_snapshot(ctx2, HVCTL_READ_COUNTERS,
					HVCTL_CPU_STATS_NONE, NULL, &other), 0);
	a = snap(f, HVCTL_CPU_STATS_NONE, other);
	assert_false(a->cells[1].stats.rate_valid);
	hvctl_snapshot_free(a);
	hvctl_snapshot_free(other);
	hvctl_snapshot_free(b);
	hvctl_close(ctx2);
}

/* A snapshot reads only what it was asked for. */
static void rates__reads_what_asked(void **state)
{
	struct tree_fix *f = *state;
	struct hvctl_snapshot *s;

	/* A counter that cannot be read: only counter readings notice. */
	sh("rm %s/cells/1/statistics/vmexits_mmio && mkdir %s/cells/1/statistics/vmexits_mmio",
	   f->dir, f->dir);
	assert_int_equal(hvctl_snapshot(f->ctx, HVCTL_READ_CELLS,
					HVCTL_CPU_STATS_NONE, NULL, &s), 0);
	assert_int_equal(s->num_cells, 3);
	assert_int_equal(s->num_stats, 0);
	assert_string_equal(s->cells[2].cpus_list, "2-3");
	assert_string_equal(s->cells[2].failed_list, "3");
	hvctl_snapshot_free(s);
	s = (void *)1;
	assert_int_equal(hvctl_snapshot(f->ctx, HVCTL_READ_COUNTERS,
					HVCTL_CPU_STATS_NONE, NULL, &s), -EISDIR);
	assert_null(s);
	/* Per-CPU counters want a cell. */
	assert_int_equal(hvctl_snapshot(f->ctx, HVCTL_READ_CPU_COUNTERS,
					HVCTL_CPU_STATS_NONE, NULL, &s), -EINVAL);
	assert_int_equal(hvctl_snapshot(f->ctx, 1u << 7, HVCTL_CPU_STATS_NONE,
					NULL, &s), -EINVAL);
	assert_non_null(strstr(hvctl_errmsg(f->ctx), "0x80"));
}

/* Cells come in ascending ID order, small IDs and large ones alike. */
static void rates__cell_order(void **state)
{
	struct tree_fix *f = *state;
	struct hvctl_snapshot *s;

	s = snap(f, HVCTL_CPU_STATS_NONE, NULL);
	assert_int_equal(s->num_cells, 3);
	assert_int_equal(s->cells[0].id, 0);
	assert_int_equal(s->cells[1].id, 1);
	assert_int_equal(s->cells[2].id, 2);
	hvctl_snapshot_free(s);
	/* An ID beyond the bitmap's, and a copy under "01", listed once. */
	sh("mv %s/cells/2 %s/cells/5000 && cp -r %s/cells/1 %s/cells/01",
	   f->dir, f->dir, f->dir, f->dir);
	s = snap(f, HVCTL_CPU_STATS_NONE, NULL);
	assert_int_equal(s->num_cells, 3);
	assert_int_equal(s->cells[0].id, 0);
	assert_int_equal(s->cells[1].id, 1);
	assert_int_equal(s->cells[2].id, 5000);
	assert_string_equal(s->cells[2].name, "linux-demo");
	hvctl_snapshot_free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(rates__pure),
		cmocka_unit_test_setup_teardown(rates__simple_increase, setup, teardown),
		cmocka_unit_test_setup_teardown(rates__wrap, setup, teardown),
		cmocka_unit_test_setup_teardown(rates__explicit_baseline, setup, teardown),
		cmocka_unit_test_setup_teardown(rates__unusable_baseline, setup, teardown),
		cmocka_unit_test_setup_teardown(rates__reads_what_asked, setup, teardown),
		cmocka_unit_test_setup_teardown(rates__cell_order, setup, teardown),
		cmocka_unit_test_setup_teardown(rates__cpu_moved_totals_only, setup, teardown),
		cmocka_unit_test_setup_teardown(rates__cpu_moved_per_cpu, setup, teardown),
		cmocka_unit_test_setup_teardown(rates__recreated_cell, setup, teardown),
		cmocka_unit_test_setup_teardown(rates__unseen_restart, setup, teardown),
	};

	unsetenv("HVCTL_URI");
	return cmocka_run_group_tests_name("runtime rates", tests, NULL, NULL);
}
