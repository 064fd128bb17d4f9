// SPDX-License-Identifier: MIT
/*
 * Batch mode (-b): snapshots printed to stdout as text tables or, with
 * --json, one JSON object per line, every -d seconds, -n times. Like
 * xentop -b, for scripts and logs.
 */
#include "app.h"

#include <errno.h>
#include <inttypes.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static void print_text(const struct tui_model *m, const char *uri, bool first)
{
	const struct hvctl_snapshot *s = m->snap;
	char when[32], mem[32], rate[32], total[32];
	time_t now = time(NULL);
	struct tm tm;
	size_t i;

	localtime_r(&now, &tm);
	strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S", &tm);
	if (!first)
		printf("\n");
	printf("hvtop - %s - %s - %s, %zu cell%s, %u CPUs\n", uri, when,
	       s->system.enabled ? "enabled" : "disabled", s->num_cells,
	       s->num_cells == 1 ? "" : "s", s->num_cpus);
	if (!s->system.enabled)
		return;
	printf("Hypervisor memory: %" PRIu64 "/%" PRIu64 " pages  Remap pool: %" PRIu64
	       "/%" PRIu64 " pages\n", s->system.mem_pool_used, s->system.mem_pool_size,
	       s->system.remap_pool_used, s->system.remap_pool_size);
	printf("%3s %-16s %-14s %-12s %-8s %9s %9s %12s\n", "ID", "NAME", "STATE", "CPUS",
	       "FAILED", "MEMORY", "EXITS/S", "EXITS");
	for (i = 0; i < m->num_cells; i++) {
		const struct tui_cell_row *r = &m->cells[i];
		char name[HVCTL_CELL_NAME_MAX + 1];

		hvctl_sanitize_str(name, sizeof(name), r->cell->name);
		if (r->mem_known)
			tui_fmt_size(mem, sizeof(mem), r->mem_owned + r->mem_shared);
		else
			snprintf(mem, sizeof(mem), "?");
		if (r->rate_valid)
			snprintf(rate, sizeof(rate), "%.1f", r->rate);
		else
			snprintf(rate, sizeof(rate), "-");
		snprintf(total, sizeof(total), "%" PRIu64, r->total);
		printf("%3d %-16s %-14s %-12s %-8s %9s %9s %12s\n", r->cell->id, name,
		       r->cell->state_name, r->cell->cpus_list[0] ? r->cell->cpus_list : "-",
		       r->cell->num_failed ? r->cell->failed_list : "-", mem, rate, total);
	}
}

/* One line per snapshot, in the library's schema (doc/snapshot-schema.json). */
static void print_json(const struct tui_model *m, const char *uri)
{
	const struct hvctl_snapshot *s = m->snap;
	struct hvctl_snapshot_json opts = {
		.uri = uri,
		.time = (int64_t)time(NULL),
		.only_cell = -1,
	};
	char *text;
	size_t i;

	/* The interval the rates span: the same for every cell that has one. */
	for (i = 0; i < s->num_cells; i++)
		if (s->cells[i].stats.rate_valid && opts.interval <= 0)
			opts.interval = s->cells[i].stats.interval;
	if (hvctl_snapshot_to_json(s, &opts, &text)) {
		fputs("hvtop: out of memory for the JSON snapshot\n", stderr);
		return;
	}
	printf("%s\n", text);
	free(text);
}

/* Sleep ms, or less when a stop signal arrives. */
static void nap(unsigned int ms)
{
	uint64_t end = tui_now_ms() + ms;

	while (!tui_stop_signal) {
		uint64_t now = tui_now_ms();

		if (now >= end)
			break;
		poll(NULL, 0, (int)(end - now));
	}
}

int tui_batch_run(const struct tui_options *opts)
{
	struct tui_settings settings;
	struct hvctl_error herr = { { 0 } };
	struct hvctl_ctx *ctx = NULL;
	struct tui_model model;
	unsigned int delay;
	long i;
	int ret, status = 0;

	tui_settings_defaults(&settings);
	delay = opts->refresh_ms ? opts->refresh_ms : settings.refresh_ms;
	ret = hvctl_open(&ctx, opts->uri, &herr);
	if (ret) {
		fprintf(stderr, "hvtop: %s\n", herr.msg[0] ? herr.msg : strerror(-ret));
		return 1;
	}
	tui_model_init(&model);
	/* Every interval here is the one asked for: show its rates. */
	model.min_interval = 0.0;
	for (i = 0; !opts->iterations || i < opts->iterations; i++) {
		struct hvctl_snapshot *snap;

		if (i)
			nap(delay);
		if (tui_stop_signal)
			break;
		ret = hvctl_snapshot(ctx, HVCTL_READ_COUNTERS | HVCTL_READ_CONFIGS,
				     HVCTL_CPU_STATS_NONE, model.snap, &snap);
		if (ret) {
			fprintf(stderr, "hvtop: %s: %s\n", hvctl_uri(ctx),
				hvctl_errmsg(ctx)[0] ? hvctl_errmsg(ctx) : strerror(-ret));
			status = 1;
			break;
		}
		if (tui_model_update(&model, snap)) {
			fprintf(stderr, "hvtop: out of memory\n");
			status = 1;
			break;
		}
		if (opts->json)
			print_json(&model, hvctl_uri(ctx));
		else
			print_text(&model, hvctl_uri(ctx), !i);
		if (fflush(stdout) || ferror(stdout)) {
			/* The reader went away (a pipe closed): stop quietly. */
			status = errno == EPIPE ? 0 : 1;
			break;
		}
	}
	tui_model_free(&model);
	hvctl_close(ctx);
	return status;
}
