// SPDX-License-Identifier: MIT
/*
 * Batch mode (-b): snapshots printed to stdout as text tables or, with
 * --json, one JSON object per line, every -d seconds, -n times. Like
 * xentop -b, for scripts and logs.
 */
#include "app.h"

#include <errno.h>
#include <inttypes.h>
#include <json-c/json.h>
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

static struct json_object *cpu_array(const unsigned int *cpus, unsigned int n)
{
	struct json_object *a = json_object_new_array();
	unsigned int i;

	for (i = 0; a && i < n; i++)
		json_object_array_add(a, json_object_new_int((int)cpus[i]));
	return a;
}

static void print_json(const struct tui_model *m, const char *uri)
{
	const struct hvctl_snapshot *s = m->snap;
	struct json_object *root = json_object_new_object(), *cells, *pool;
	const char *text;
	char *clean;
	size_t i;
	unsigned int k;

	if (!root)
		return;
	json_object_object_add(root, "time", json_object_new_int64((int64_t)time(NULL)));
	json_object_object_add(root, "uri", json_object_new_string(uri));
	json_object_object_add(root, "enabled", json_object_new_boolean(s->system.enabled));
	pool = json_object_new_object();
	json_object_object_add(pool, "size_pages", json_object_new_int64((int64_t)s->system.mem_pool_size));
	json_object_object_add(pool, "used_pages", json_object_new_int64((int64_t)s->system.mem_pool_used));
	json_object_object_add(root, "mem_pool", pool);
	pool = json_object_new_object();
	json_object_object_add(pool, "size_pages", json_object_new_int64((int64_t)s->system.remap_pool_size));
	json_object_object_add(pool, "used_pages", json_object_new_int64((int64_t)s->system.remap_pool_used));
	json_object_object_add(root, "remap_pool", pool);
	json_object_object_add(root, "num_cpus", json_object_new_int((int)s->num_cpus));
	cells = json_object_new_array();
	for (i = 0; i < m->num_cells; i++) {
		const struct tui_cell_row *r = &m->cells[i];
		const struct hvctl_cell_info *c = r->cell;
		struct json_object *o = json_object_new_object(), *ctr = json_object_new_object();

		json_object_object_add(o, "id", json_object_new_int(c->id));
		json_object_object_add(o, "name", json_object_new_string(c->name));
		json_object_object_add(o, "state", json_object_new_string(c->state_name));
		json_object_object_add(o, "cpus", cpu_array(c->cpus, c->num_cpus));
		json_object_object_add(o, "failed_cpus", cpu_array(c->failed_cpus, c->num_failed));
		json_object_object_add(o, "memory_bytes", r->mem_known ?
				       json_object_new_int64((int64_t)r->mem_owned) : NULL);
		json_object_object_add(o, "shared_bytes", r->mem_known ?
				       json_object_new_int64((int64_t)r->mem_shared) : NULL);
		json_object_object_add(o, "vmexits", json_object_new_int64((int64_t)r->total));
		json_object_object_add(o, "vmexits_per_sec", r->rate_valid ?
				       json_object_new_double(r->rate) : NULL);
		for (k = 0; k < s->num_stats; k++) {
			struct json_object *one = json_object_new_object();

			json_object_object_add(one, "value",
					       json_object_new_int64((int64_t)c->stats.value[k]));
			json_object_object_add(one, "per_sec", c->stats.rate_valid ?
					       json_object_new_double(c->stats.rate[k]) : NULL);
			json_object_object_add(ctr, s->stat_names[k], one);
		}
		json_object_object_add(o, "counters", ctr);
		json_object_array_add(cells, o);
	}
	json_object_object_add(root, "cells", cells);
	text = json_object_to_json_string_ext(root, JSON_C_TO_STRING_PLAIN |
					      JSON_C_TO_STRING_NOSLASHESCAPE);
	/* Names come from cells: valid UTF-8 whatever bytes they hold. */
	clean = text ? hvctl_json_clean(text) : NULL;
	if (clean)
		printf("%s\n", clean);
	else
		fputs("hvtop: out of memory for the JSON snapshot\n", stderr);
	free(clean);
	json_object_put(root);
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
