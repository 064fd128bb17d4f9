// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The snapshot JSON writer (doc/snapshot-schema.json). Every tool that
 * prints a snapshot as JSON comes through here, so the schema, its
 * version and the UTF-8 clean-up live in one place.
 */
#include <hvctl/snapshot_json.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include <json-c/json.h>

#include <hvctl/layout.h>
#include <hvctl/names.h>
#include <hvctl/text.h>

static const char *origin_name(enum hvctl_config_origin o)
{
	switch (o) {
	case HVCTL_CONFIG_FROM_SYSFS:
		return "sysfs";
	case HVCTL_CONFIG_FROM_REGISTRY:
		return "registry";
	default:
		return "unknown";
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

static struct json_object *pool(uint64_t size, uint64_t used)
{
	struct json_object *o = json_object_new_object();

	json_object_object_add(o, "size", json_object_new_int64((int64_t)size));
	json_object_object_add(o, "used", json_object_new_int64((int64_t)used));
	return o;
}

/*
 * A rate with two decimals ("544.60"), not every digit a double has: the
 * counters it comes from are integers read a moment apart.
 */
static struct json_object *rate_number(double v)
{
	char text[40];

	if (!(v >= 0.0) || v > 1e15)	/* also NaN */
		v = 0.0;
	snprintf(text, sizeof(text), "%.2f", v);
	return json_object_new_double_s(v, text);
}

/* Counter name to value, or (rates) to events per second. */
static struct json_object *counters(const struct hvctl_snapshot *snap,
				    const struct hvctl_counters *c, bool rates)
{
	struct json_object *o = json_object_new_object();
	unsigned int k;

	for (k = 0; k < snap->num_stats; k++)
		json_object_object_add(o, snap->stat_names[k], rates ?
				       rate_number(c->rate[k]) :
				       json_object_new_int64((int64_t)c->value[k]));
	return o;
}

static void add_counters(struct json_object *o, const struct hvctl_snapshot *snap,
			 const struct hvctl_counters *c)
{
	json_object_object_add(o, "counters", counters(snap, c, false));
	json_object_object_add(o, "rates", c->rate_valid ?
			       counters(snap, c, true) : NULL);
}

/* The cell's per-CPU counters, or NULL when none of its CPUs had them read. */
static struct json_object *per_cpu(const struct hvctl_snapshot *snap,
				   const struct hvctl_cell_info *c)
{
	struct json_object *arr = NULL;
	unsigned int j;

	for (j = 0; j < c->num_cpus; j++) {
		unsigned int cpu = c->cpus[j];
		struct json_object *po;

		if (cpu >= snap->num_cpus || !snap->cpus[cpu].has_stats)
			continue;
		if (!arr)
			arr = json_object_new_array();
		po = json_object_new_object();
		json_object_object_add(po, "cpu", json_object_new_int((int)cpu));
		json_object_object_add(po, "failed",
				       json_object_new_boolean(snap->cpus[cpu].failed));
		add_counters(po, snap, &snap->cpus[cpu].stats);
		json_object_array_add(arr, po);
	}
	return arr;
}

/* What the hypervisor reports of each present ivshmem peer. */
static struct json_object *ivshmem_peers(const struct hvctl_snapshot *snap)
{
	struct json_object *a = json_object_new_array();
	size_t i;

	for (i = 0; a && i < snap->num_ivshmem; i++) {
		const struct hvctl_ivshmem_peer *p = &snap->ivshmem[i];
		struct json_object *o = json_object_new_object();
		char bdf[16];

		hvctl_bdf_str(bdf, sizeof(bdf), 0, p->bdf, false);
		json_object_object_add(o, "domain", json_object_new_int(p->domain));
		json_object_object_add(o, "bdf", json_object_new_string(bdf));
		json_object_object_add(o, "peer", json_object_new_int((int)p->dev_id));
		json_object_object_add(o, "max_peers",
				       json_object_new_int((int)p->max_peers));
		json_object_object_add(o, "cell_id", json_object_new_int(p->cell_id));
		json_object_object_add(o, "state",
				       json_object_new_int64((int64_t)p->state));
		json_object_object_add(o, "interrupts",
				       json_object_new_boolean(p->interrupts));
		json_object_object_add(o, "doorbells",
				       json_object_new_int64((int64_t)p->doorbells));
		json_object_array_add(a, o);
	}
	return a;
}

static struct json_object *cell(const struct hvctl_snapshot *snap,
				const struct hvctl_cell_info *c,
				const struct hvctl_layout *layout)
{
	struct json_object *o = json_object_new_object(), *cpus;
	bool mem = layout && c->config;

	json_object_object_add(o, "id", json_object_new_int(c->id));
	json_object_object_add(o, "name", json_object_new_string(c->name));
	json_object_object_add(o, "state", json_object_new_string(c->state_name));
	json_object_object_add(o, "cpus", cpu_array(c->cpus, c->num_cpus));
	json_object_object_add(o, "cpus_list", json_object_new_string(c->cpus_list));
	json_object_object_add(o, "failed_cpus",
			       cpu_array(c->failed_cpus, c->num_failed));
	json_object_object_add(o, "failed_list", json_object_new_string(c->failed_list));
	if (c->failure)
		json_object_object_add(o, "failure", json_object_new_string(c->failure));
	json_object_object_add(o, "root", json_object_new_boolean(c->is_root));
	json_object_object_add(o, "config",
			       json_object_new_string(origin_name(c->config_origin)));
	if (layout) {
		json_object_object_add(o, "memory_bytes", mem ? json_object_new_int64(
			(int64_t)hvctl_layout_owned(layout, c->id, false)) : NULL);
		json_object_object_add(o, "shared_bytes", mem ? json_object_new_int64(
			(int64_t)hvctl_layout_owned(layout, c->id, true)) : NULL);
	}
	if (snap->what & HVCTL_READ_COUNTERS)
		add_counters(o, snap, &c->stats);
	cpus = per_cpu(snap, c);
	if (cpus)
		json_object_object_add(o, "per_cpu", cpus);
	return o;
}

int hvctl_snapshot_to_json(const struct hvctl_snapshot *snap,
			   const struct hvctl_snapshot_json *opts, char **out)
{
	struct json_object *root = json_object_new_object(), *pools, *cells;
	struct hvctl_layout layout, *lay = NULL;
	const char *text;
	unsigned int k;
	size_t i;

	*out = NULL;
	if (!root)
		return -ENOMEM;
	if ((snap->what & HVCTL_READ_CONFIGS) && !hvctl_layout_snapshot(&layout, NULL, snap))
		lay = &layout;
	json_object_object_add(root, "schema_version",
			       json_object_new_int(HVCTL_SNAPSHOT_SCHEMA));
	if (opts->time > 0)
		json_object_object_add(root, "time", json_object_new_int64(opts->time));
	json_object_object_add(root, "uri", json_object_new_string(opts->uri ? opts->uri : ""));
	json_object_object_add(root, "enabled", json_object_new_boolean(snap->system.enabled));
	pools = json_object_new_object();
	json_object_object_add(pools, "mem", pool(snap->system.mem_pool_size,
						  snap->system.mem_pool_used));
	json_object_object_add(pools, "remap", pool(snap->system.remap_pool_size,
						    snap->system.remap_pool_used));
	json_object_object_add(root, "pools", pools);
	json_object_object_add(root, "num_cpus", json_object_new_int((int)snap->num_cpus));
	if (snap->what & HVCTL_READ_COUNTERS) {
		struct json_object *names = json_object_new_array();

		json_object_object_add(root, "interval", opts->interval > 0 ?
				       json_object_new_double(opts->interval) : NULL);
		for (k = 0; k < snap->num_stats; k++)
			json_object_array_add(names,
					      json_object_new_string(snap->stat_names[k]));
		json_object_object_add(root, "counter_names", names);
	}
	cells = json_object_new_array();
	for (i = 0; i < snap->num_cells; i++)
		if (opts->only_cell < 0 || snap->cells[i].id == opts->only_cell)
			json_object_array_add(cells, cell(snap, &snap->cells[i], lay));
	json_object_object_add(root, "cells", cells);
	if (snap->ivshmem_reported)
		json_object_object_add(root, "ivshmem", ivshmem_peers(snap));
	if (lay)
		hvctl_layout_free(lay);

	text = json_object_to_json_string_ext(root, JSON_C_TO_STRING_NOSLASHESCAPE |
		(opts->flags & HVCTL_JSON_PRETTY ?
		 JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED : JSON_C_TO_STRING_PLAIN));
	/* json-c passes bytes above 0x7f as they are: make it valid UTF-8. */
	*out = text ? hvctl_json_clean(text) : NULL;
	json_object_put(root);
	return *out ? 0 : -ENOMEM;
}
