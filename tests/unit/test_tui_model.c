// SPDX-License-Identifier: MIT
/*
 * hvtop's model: rows from a snapshot (owned memory, rates, tags),
 * sorting and filtering, rate histories and graph scaling, and the
 * memory map's rows at each zoom (the layout itself: test_layout.c).
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "history.h"
#include "memmap.h"
#include "model.h"

#define SIM_DIR HVCTL_SOURCE_DIR "/configs/sim/"

static struct hvctl_config *load(const char *name)
{
	struct hvctl_config *c = NULL;
	struct hvctl_error err = { { 0 } };
	char path[512];

	snprintf(path, sizeof(path), SIM_DIR "%s.json", name);
	if (hvctl_config_read_file(&c, path, &err))
		fail_msg("%s", err.msg);
	return c;
}

/* ---- a hand-made snapshot (the tests release it themselves) ---- */

static const char *const stat_names[] = {
	"vmexits_total", "vmexits_mmio", "vmexits_hypercall",
};

struct fake {
	struct hvctl_snapshot snap;
	struct hvctl_cell_info cells[4];
	struct hvctl_cpu_info cpus[8];
	unsigned int cpu_lists[4][4];
};

static void no_release(struct hvctl_snapshot *snap)
{
	(void)snap;
}

static void fake_cell(struct fake *f, int i, int id, const char *name,
		      enum hvctl_cell_state state, const char *state_name,
		      unsigned int first_cpu, unsigned int ncpu, uint64_t total,
		      double rate, bool valid)
{
	struct hvctl_cell_info *c = &f->cells[i];
	unsigned int k;

	c->id = id;
	snprintf(c->name, sizeof(c->name), "%s", name);
	c->is_root = !id;
	c->state = state;
	c->state_name = state_name;
	for (k = 0; k < ncpu; k++) {
		f->cpu_lists[i][k] = first_cpu + k;
		f->cpus[first_cpu + k].cell_id = id;
		f->cpus[first_cpu + k].cell = i;
	}
	c->cpus = f->cpu_lists[i];
	c->num_cpus = ncpu;
	c->cpus_list = "";
	c->failed_list = "";
	c->stats.value[0] = total;
	c->stats.rate[0] = rate;
	c->stats.rate_valid = valid;
	c->stats.interval = 2.0;
}

static void fake_init(struct fake *f)
{
	int i;

	memset(f, 0, sizeof(*f));
	for (i = 0; i < 8; i++) {
		f->cpus[i].cell_id = -1;
		f->cpus[i].cell = -1;
	}
	f->snap.system.enabled = true;
	f->snap.num_stats = 3;
	f->snap.stat_names = stat_names;
	f->snap.cells = f->cells;
	f->snap.cpus = f->cpus;
	f->snap.num_cpus = 8;
	f->snap.generation = 1;
	fake_cell(f, 0, 0, "root", HVCTL_CELL_RUNNING, "running", 0, 2, 500, 10.0, true);
	fake_cell(f, 1, 1, "rtos", HVCTL_CELL_RUNNING, "running", 2, 1, 9000, 300.0, true);
	fake_cell(f, 2, 3, "linux-demo", HVCTL_CELL_SHUT_DOWN, "shut down", 3, 2, 20, 0.0, true);
	fake_cell(f, 3, 4, "broken", HVCTL_CELL_FAILED, "failed", 5, 2, 77, 0.0, false);
	f->snap.num_cells = 4;
	f->cpus[6].failed = true;
}

static void model__rows_tags_and_rates(void **state)
{
	struct tui_model m;
	struct fake f;
	const struct tui_cell_row *r;

	(void)state;
	fake_init(&f);
	tui_model_init(&m);
	m.release = no_release;
	assert_int_equal(tui_model_update(&m, &f.snap), 0);
	assert_int_equal(m.num_cells, 4);
	assert_int_equal(m.total_index, 0);
	r = tui_model_cell(&m, 3);
	assert_non_null(r);
	assert_string_equal(r->cell->name, "linux-demo");
	assert_int_equal(r->tag, '3');
	assert_int_equal(r->owner_role, TUI_ROLE_OWNER3);
	assert_false(r->mem_known);		/* no config in this snapshot */
	r = tui_model_cell(&m, 4);
	assert_false(r->rate_valid);
	assert_int_equal(r->total, 77);
	assert_null(tui_model_cell(&m, 2));
	/* CPU rows follow their owners; 6 failed. */
	assert_ptr_equal(tui_model_cpu(&m, 2)->owner, tui_model_cell(&m, 1));
	assert_string_equal(tui_cpu_state_name(tui_model_cpu(&m, 2)), "running");
	assert_string_equal(tui_cpu_state_name(tui_model_cpu(&m, 3)), "parked");
	assert_string_equal(tui_cpu_state_name(tui_model_cpu(&m, 6)), "failed");
	assert_string_equal(tui_cpu_state_name(tui_model_cpu(&m, 5)), "stopped");
	assert_int_equal(tui_cpu_state_role(tui_model_cpu(&m, 6)), TUI_ROLE_CPU_FAILED);
	tui_model_free(&m);
}

static void model__sort_and_filter(void **state)
{
	struct tui_model m;
	struct fake f;
	size_t idx[4], n;

	(void)state;
	fake_init(&f);
	tui_model_init(&m);
	m.release = no_release;
	assert_int_equal(tui_model_update(&m, &f.snap), 0);

	n = tui_model_cell_order(&m, TUI_CELL_SORT_ID, false, NULL, idx);
	assert_int_equal(n, 4);
	assert_int_equal(m.cells[idx[3]].cell->id, 4);
	n = tui_model_cell_order(&m, TUI_CELL_SORT_NAME, false, NULL, idx);
	assert_string_equal(m.cells[idx[0]].cell->name, "broken");
	assert_string_equal(m.cells[idx[3]].cell->name, "rtos");
	/* By rate, highest first when reversed; an unknown rate goes last. */
	n = tui_model_cell_order(&m, TUI_CELL_SORT_RATE, true, NULL, idx);
	assert_string_equal(m.cells[idx[0]].cell->name, "rtos");
	assert_string_equal(m.cells[idx[1]].cell->name, "root");
	assert_string_equal(m.cells[idx[3]].cell->name, "broken");
	/* Ties by ID, always ascending. */
	n = tui_model_cell_order(&m, TUI_CELL_SORT_STATE, false, NULL, idx);
	assert_int_equal(m.cells[idx[0]].cell->id, 0);
	assert_int_equal(m.cells[idx[1]].cell->id, 1);
	assert_int_equal(m.cells[idx[2]].cell->id, 3);
	n = tui_model_cell_order(&m, TUI_CELL_SORT_CPUS, true, NULL, idx);
	assert_string_equal(m.cells[idx[0]].cell->name, "root");	/* 2 CPUs, lowest ID */
	assert_string_equal(m.cells[idx[3]].cell->name, "rtos");
	n = tui_model_cell_order(&m, TUI_CELL_SORT_TOTAL, true, NULL, idx);
	assert_string_equal(m.cells[idx[0]].cell->name, "rtos");

	/* Filter on name, state and ID; '!' inverts. */
	n = tui_model_cell_order(&m, TUI_CELL_SORT_ID, false, "RUN", idx);
	assert_int_equal(n, 2);
	n = tui_model_cell_order(&m, TUI_CELL_SORT_ID, false, "!run", idx);
	assert_int_equal(n, 2);
	assert_string_equal(m.cells[idx[0]].cell->name, "linux-demo");
	n = tui_model_cell_order(&m, TUI_CELL_SORT_ID, false, "failed", idx);
	assert_int_equal(n, 1);
	n = tui_model_cell_order(&m, TUI_CELL_SORT_ID, false, "zzz", idx);
	assert_int_equal(n, 0);

	{
		size_t cidx[8];

		n = tui_model_cpu_order(&m, TUI_CPU_SORT_OWNER, true, NULL, cidx);
		assert_int_equal(n, 8);
		assert_int_equal(m.cpus[cidx[0]].cpu, 7);	/* free CPU 7: no owner */
		n = tui_model_cpu_order(&m, TUI_CPU_SORT_CPU, false, "linux", cidx);
		assert_int_equal(n, 2);
		assert_int_equal(m.cpus[cidx[0]].cpu, 3);
		n = tui_model_cpu_order(&m, TUI_CPU_SORT_CPU, false, "free", cidx);
		assert_int_equal(n, 1);
	}
	tui_model_free(&m);
}

static void model__histories_follow_cells(void **state)
{
	struct tui_model m;
	struct fake f;
	const struct tui_cell_row *r;
	int i;

	(void)state;
	fake_init(&f);
	tui_model_init(&m);
	m.release = no_release;
	for (i = 0; i < 5; i++) {
		f.cells[1].stats.rate[0] = 100.0 * (i + 1);
		assert_int_equal(tui_model_update(&m, &f.snap), 0);
	}
	r = tui_model_cell(&m, 1);
	assert_int_equal(r->hist->total.len, 5);
	assert_true(tui_history_last(&r->hist->total) == 500.0);
	/* No sample while the rate is not valid. */
	assert_int_equal(tui_model_cell(&m, 4)->hist->total.len, 0);

	/* Cell 1 destroyed and ID 1 reused by another cell: history restarts. */
	snprintf(f.cells[1].name, sizeof(f.cells[1].name), "other");
	assert_int_equal(tui_model_update(&m, &f.snap), 0);
	assert_int_equal(tui_model_cell(&m, 1)->hist->total.len, 1);
	/* A cell that is gone loses its history. */
	f.snap.num_cells = 2;
	assert_int_equal(tui_model_update(&m, &f.snap), 0);
	assert_int_equal(m.num_hist, 2);
	/* The backend gone: no rows, nothing crashes. */
	assert_int_equal(tui_model_update(&m, NULL), 0);
	assert_int_equal(m.num_cells, 0);
	assert_null(tui_model_cell(&m, 0));
	tui_model_free(&m);
}

/*
 * Rates span a whole interval (min_interval, 1 s here): a snapshot taken
 * sooner after the baseline keeps the last whole interval's rates and
 * leaves the baseline alone; one that read counters the baseline lacked
 * becomes the baseline all the same.
 */
static void model__baseline_choice(void **state)
{
	struct tui_model m;
	struct fake f[5];
	const struct tui_cell_row *r;
	const uint64_t s = 1000000000ull;
	int i;

	(void)state;
	for (i = 0; i < 5; i++) {
		fake_init(&f[i]);
		f[i].snap.what = HVCTL_READ_COUNTERS;
	}
	f[0].snap.time_ns = 10 * s;
	f[1].snap.time_ns = 11 * s;
	f[1].cells[1].stats.interval = 1.0;
	f[1].cells[1].stats.rate[0] = 100.0;
	f[2].snap.time_ns = 11 * s + s / 10;
	f[2].cells[1].stats.interval = 0.1;
	f[2].cells[1].stats.rate[0] = 250.0;
	f[3].snap.time_ns = 11 * s + 7 * s / 10;
	f[3].snap.what |= HVCTL_READ_CPU_COUNTERS;
	f[3].cells[1].stats.interval = 0.7;
	f[3].cells[1].stats.rate[0] = 0.0;
	f[3].cpus[2].has_stats = true;
	f[3].cpus[2].stats.rate_valid = true;
	f[3].cpus[2].stats.interval = 0.7;
	f[3].cpus[2].stats.rate[0] = 42.0;
	f[4].snap.time_ns = 12 * s + 7 * s / 10;
	f[4].snap.what = f[3].snap.what;
	f[4].cells[1].stats.interval = 1.0;
	f[4].cells[1].stats.rate[0] = 120.0;
	f[4].cpus[2].has_stats = true;
	f[4].cpus[2].stats.rate_valid = true;
	f[4].cpus[2].stats.interval = 1.0;
	f[4].cpus[2].stats.rate[0] = 120.0;
	tui_model_init(&m);
	assert_true(m.min_interval == 1.0);
	m.release = no_release;
	assert_null(tui_model_baseline(&m));

	/* The first: no whole interval behind its rates (2 s in fake_init). */
	f[0].cells[1].stats.interval = 0.3;
	assert_int_equal(tui_model_update(&m, &f[0].snap), 0);
	assert_ptr_equal(tui_model_baseline(&m), &f[0].snap);
	assert_false(tui_model_cell(&m, 1)->rate_valid);
	assert_int_equal(tui_model_cell(&m, 1)->hist->total.len, 0);
	assert_true(tui_model_cell(&m, 0)->rate_valid);

	/* A whole interval later: shown, and the next baseline. */
	assert_int_equal(tui_model_update(&m, &f[1].snap), 0);
	assert_ptr_equal(tui_model_baseline(&m), &f[1].snap);
	r = tui_model_cell(&m, 1);
	assert_true(r->rate_valid && r->rate == 100.0);
	assert_int_equal(r->hist->total.len, 1);

	/* 0.1 s later (a key): the last whole interval's rate, no sample. */
	assert_int_equal(tui_model_update(&m, &f[2].snap), 0);
	r = tui_model_cell(&m, 1);
	assert_true(r->rate_valid && r->rate == 100.0);
	assert_true(r->stats.rate[0] == 100.0 && r->stats.interval == 1.0);
	assert_int_equal(r->total, 9000);
	assert_int_equal(r->hist->total.len, 1);
	assert_ptr_equal(tui_model_baseline(&m), &f[1].snap);

	/*
	 * Soon, but with per-CPU counters its baseline lacked: the next
	 * baseline; the cell keeps its whole rate, the CPU has none yet.
	 */
	assert_int_equal(tui_model_update(&m, &f[3].snap), 0);
	assert_ptr_equal(tui_model_baseline(&m), &f[3].snap);
	assert_true(tui_model_cell(&m, 1)->rate == 100.0);
	assert_false(tui_model_cpu(&m, 2)->rate_valid);

	/* A whole interval after that: both measured anew. */
	assert_int_equal(tui_model_update(&m, &f[4].snap), 0);
	assert_ptr_equal(tui_model_baseline(&m), &f[4].snap);
	assert_true(tui_model_cell(&m, 1)->rate == 120.0);
	assert_true(tui_model_cpu(&m, 2)->rate_valid);
	assert_true(tui_model_cpu(&m, 2)->rate == 120.0);
	tui_model_free(&m);
	assert_null(m.base);
}

static void history__ring_and_bars(void **state)
{
	struct tui_history h;
	unsigned int bars[8];
	double scale;
	int i;

	(void)state;
	assert_int_equal(tui_history_init(&h, 4), 0);
	scale = tui_history_bars(&h, 8, 5, 0.0, bars);
	assert_true(scale == 0.0);
	for (i = 1; i <= 6; i++)
		tui_history_push(&h, i);
	assert_int_equal(h.len, 4);
	assert_true(tui_history_get(&h, 0) == 3.0);
	assert_true(tui_history_last(&h) == 6.0);
	assert_true(tui_history_max(&h) == 6.0);
	scale = tui_history_bars(&h, 8, 6, 0.0, bars);
	assert_true(scale == 6.0);
	/* Newest at the right; empty columns on the left. */
	assert_int_equal(bars[0], 0);
	assert_int_equal(bars[3], 0);
	assert_int_equal(bars[4], 3);
	assert_int_equal(bars[7], 6);
	/* A floor keeps small noise small; a tiny value is still visible. */
	tui_history_clear(&h);
	tui_history_push(&h, 0.01);
	tui_history_push(&h, 0.0);
	tui_history_push(&h, -5.0);		/* nonsense is stored as 0 */
	scale = tui_history_bars(&h, 3, 10, 100.0, bars);
	assert_true(scale == 100.0);
	assert_int_equal(bars[0], 1);
	assert_int_equal(bars[1], 0);
	assert_int_equal(bars[2], 0);
	tui_history_free(&h);
	assert_int_equal(tui_history_init(&h, 0), -EINVAL);
}

/* ---- memory map rows from configs/sim ---- */

struct sim {
	struct hvctl_config *sys, *rtos, *linux_demo, *a, *b;
	struct hvctl_layout_cell cells[5];
};

static int sim_setup(void **state)
{
	struct sim *s = calloc(1, sizeof(*s));
	struct hvctl_error err = { { 0 } };

	if (!s)
		return -1;
	s->sys = load("system");
	s->rtos = load("rtos");
	s->linux_demo = load("linux-demo");
	s->a = load("ivshmem-a");
	s->b = load("ivshmem-b");
	(void)err;
	s->cells[0] = (struct hvctl_layout_cell){ 0, "sim-root", s->sys };
	s->cells[1] = (struct hvctl_layout_cell){ 1, "rtos", s->rtos };
	s->cells[2] = (struct hvctl_layout_cell){ 2, "linux-demo", s->linux_demo };
	s->cells[3] = (struct hvctl_layout_cell){ 3, "ivshmem-a", s->a };
	s->cells[4] = (struct hvctl_layout_cell){ 4, "ivshmem-b", s->b };
	*state = s;
	return 0;
}

static int sim_teardown(void **state)
{
	struct sim *s = *state;

	hvctl_config_free(s->sys);
	hvctl_config_free(s->rtos);
	hvctl_config_free(s->linux_demo);
	hvctl_config_free(s->a);
	hvctl_config_free(s->b);
	free(s);
	return 0;
}

static void memmap__rows_and_zoom(void **state)
{
	struct sim *s = *state;
	struct hvctl_layout mm;
	struct tui_mmrow rows[4096];
	size_t n1, n2, n3, i, hidden;
	bool *show;

	assert_int_equal(hvctl_layout_build(&mm, s->cells, 5, 0x7fc00000, 0x400000), 0);
	n1 = tui_memmap_rows(&mm, 0, NULL, rows, 4096);
	assert_int_equal(n1, mm.count);
	for (i = 0; i < n1; i++)
		assert_true(rows[i].first);
	n2 = tui_memmap_rows(&mm, 4, NULL, rows, 4096);	/* 128 MiB per row */
	n3 = tui_memmap_rows(&mm, 8, NULL, rows, 4096);	/* 8 MiB per row */
	assert_true(n2 > n1);
	assert_true(n3 > n2);
	assert_int_equal(tui_zoom_bytes_per_row(4), 128u << 20);
	/* The 768 MiB root RAM takes 6 rows at 128 MiB, spread evenly. */
	n2 = tui_memmap_rows(&mm, 4, NULL, rows, 4096);
	for (i = 0; i < n2; i++)
		if (rows[i].first && mm.segs[rows[i].seg].start == 0x40000000)
			break;
	assert_true(i + 5 < n2);
	assert_int_equal(rows[i + 5].addr, 0x40000000 + 5 * (128u << 20));
	assert_false(rows[i + 5].first);
	/*
	 * Every row of a segment is exactly 128 MiB after the one before,
	 * also in a capped one, whose last row says what it leaves out.
	 */
	hidden = 0;
	for (i = 1; i < n2; i++) {
		const struct hvctl_segment *sg = &mm.segs[rows[i].seg];

		if (!rows[i].first)
			assert_int_equal(rows[i].addr - rows[i - 1].addr, 128u << 20);
		if (rows[i].hidden) {
			assert_int_equal(sg->kind, HVCTL_REGION_GAP);
			assert_int_equal(rows[i].addr, sg->start + 2 * (128ull << 20));
			assert_int_equal(rows[i].hidden, sg->size - 3 * (128ull << 20));
			hidden++;
		}
	}
	assert_true(hidden > 0);
	/* Only the shown segments count; max limits what is written. */
	show = calloc(mm.count, sizeof(*show));
	show[0] = true;
	assert_int_equal(tui_memmap_rows(&mm, 0, show, rows, 4096), 1);
	assert_int_equal(tui_memmap_rows(&mm, 8, NULL, rows, 2), n3);
	free(show);
	hvctl_layout_free(&mm);
}

/* Each snapshot the model held is released exactly once. */
static struct hvctl_snapshot *released[8];
static int num_released;

static void count_release(struct hvctl_snapshot *snap)
{
	int i;

	for (i = 0; i < num_released; i++)
		assert_ptr_not_equal(released[i], snap);
	assert_true(num_released < 8);
	released[num_released++] = snap;
}

static void model__releases_once(void **state)
{
	struct tui_model m;
	struct fake f[3];
	const uint64_t s = 1000000000ull;
	int i;

	(void)state;
	for (i = 0; i < 3; i++) {
		fake_init(&f[i]);
		f[i].snap.what = HVCTL_READ_COUNTERS;
		f[i].snap.time_ns = (uint64_t)(i + 1) * s;
	}
	num_released = 0;
	tui_model_init(&m);
	m.release = count_release;
	assert_int_equal(tui_model_update(&m, &f[0].snap), 0);
	assert_int_equal(tui_model_update(&m, &f[1].snap), 0);
	/* A whole interval later, the second is the baseline: the first goes. */
	assert_int_equal(num_released, 1);
	/* The backend went away: snapshot and baseline go, once each. */
	assert_int_equal(tui_model_update(&m, NULL), 0);
	assert_int_equal(num_released, 2);
	assert_null(m.base);
	assert_int_equal(tui_model_update(&m, &f[2].snap), 0);
	tui_model_free(&m);
	assert_int_equal(num_released, 3);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(model__rows_tags_and_rates),
		cmocka_unit_test(model__sort_and_filter),
		cmocka_unit_test(model__histories_follow_cells),
		cmocka_unit_test(model__baseline_choice),
		cmocka_unit_test(model__releases_once),
		cmocka_unit_test(history__ring_and_bars),
		cmocka_unit_test_setup_teardown(memmap__rows_and_zoom, sim_setup, sim_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
