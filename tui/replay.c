// SPDX-License-Identifier: MIT
/*
 * The replay parser: recorded snapshot JSON back into snapshots (see
 * replay.h). Objects are read one after the other with json-c's
 * tokener, so one per line (what `hvtop -b --json` writes) and
 * pretty-printed ones both work, and an error can name the line where
 * the object starts.
 */
#include "replay.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <json-c/json.h>

/* Deep enough for the schema; a deeper file is refused, not recursed. */
#define JSON_DEPTH		16
#define FAILURE_MAX		4096
#define STAT_NAME_MAX		64

struct parse {
	const char *name;
	unsigned long line;
	char *err;
	size_t errlen;
};

static int fail(struct parse *p, int ret, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int fail(struct parse *p, int ret, const char *fmt, ...)
{
	char why[400];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	snprintf(p->err, p->errlen, "%s:%lu: %s", p->name, p->line, why);
	return ret;
}

static void frame_free(struct tui_replay_frame *f)
{
	size_t i;

	for (i = 0; i < f->num_owned; i++)
		free(f->owned[i]);
	free(f->owned);
	free(f->cells);
	free(f->cpus);
	free(f->stat_names);
	free(f->mem_owned);
	free(f->mem_shared);
	memset(f, 0, sizeof(*f));
}

void tui_replay_free(struct tui_replay *r)
{
	size_t i;

	for (i = 0; i < r->count; i++)
		frame_free(&r->frames[i]);
	free(r->frames);
	r->frames = NULL;
	r->count = 0;
	r->warning[0] = '\0';
}

/* Keep p until the frame goes; NULL (and p freed) without memory. */
static void *own(struct tui_replay_frame *f, void *p)
{
	if (!p)
		return NULL;
	if (hvctl_grow(&f->owned, &f->cap_owned, f->num_owned + 1,
		       sizeof(*f->owned))) {
		free(p);
		return NULL;
	}
	f->owned[f->num_owned++] = p;
	return p;
}

static const char *type_word(json_type t)
{
	switch (t) {
	case json_type_boolean:
		return "true or false";
	case json_type_int:
		return "an integer";
	case json_type_double:
		return "a number";
	case json_type_string:
		return "a string";
	case json_type_array:
		return "an array";
	case json_type_object:
		return "an object";
	default:
		return "null";
	}
}

/*
 * Member key of o as type t: 1 and *out when present (null counts as
 * absent when nullable), 0 when absent and optional, or an error.
 */
static int member(struct parse *p, struct json_object *o, const char *where,
		  const char *key, json_type t, bool required, bool nullable,
		  struct json_object **out)
{
	struct json_object *v = NULL;
	json_type vt;

	*out = NULL;
	if (!json_object_object_get_ex(o, key, &v)) {
		if (required)
			return fail(p, -EINVAL, "%s: member \"%s\" is missing", where, key);
		return 0;
	}
	if (!v) {
		if (nullable)
			return 0;
		return fail(p, -EINVAL, "%s: \"%s\" is null, not %s", where, key,
			    type_word(t));
	}
	vt = json_object_get_type(v);
	/* A whole number written as 3 is still a number. */
	if (vt != t && !(t == json_type_double && vt == json_type_int))
		return fail(p, -EINVAL, "%s: \"%s\" is %s, not %s", where, key,
			    type_word(vt), type_word(t));
	*out = v;
	return 1;
}

/* An integer in [lo, hi]; json-c clamps huge values, so those fail too. */
static int int_in(struct parse *p, struct json_object *v, const char *where,
		  const char *key, int64_t lo, int64_t hi, int64_t *out)
{
	int64_t x;

	errno = 0;
	x = json_object_get_int64(v);
	if (errno || x < lo || x > hi)
		return fail(p, -EINVAL, "%s: \"%s\" is %s, not an integer from %" PRId64
			    " to %" PRId64, where, key, json_object_to_json_string(v), lo, hi);
	*out = x;
	return 0;
}

static int int_member(struct parse *p, struct json_object *o, const char *where,
		      const char *key, bool required, bool nullable, int64_t lo, int64_t hi,
		      int64_t *out)
{
	struct json_object *v;
	int ret = member(p, o, where, key, json_type_int, required, nullable, &v);

	if (ret <= 0)
		return ret;
	ret = int_in(p, v, where, key, lo, hi, out);
	return ret ? ret : 1;
}

static char *dup_str(struct tui_replay_frame *f, const char *s, size_t max)
{
	size_t len = strnlen(s, max);
	char *d = malloc(len + 1);

	if (!d)
		return NULL;
	memcpy(d, s, len);
	d[len] = '\0';
	return own(f, d);
}

static int cmp_uint(const void *a, const void *b)
{
	unsigned int x = *(const unsigned int *)a, y = *(const unsigned int *)b;

	return x < y ? -1 : x > y;
}

/* "0-3,6" from an ascending list, as sysfs writes it. */
static char *cpu_list_str(struct tui_replay_frame *f, const unsigned int *c, unsigned int n)
{
	size_t cap = (size_t)n * 11 + 1, used = 0;
	char *s = malloc(cap);
	unsigned int i = 0;

	if (!s)
		return NULL;
	s[0] = '\0';
	while (i < n) {
		unsigned int j = i;

		while (j + 1 < n && c[j + 1] == c[j] + 1)
			j++;
		used += (size_t)snprintf(s + used, cap - used, j > i ? "%s%u-%u" : "%s%u",
					 used ? "," : "", c[i], c[j]);
		i = j + 1;
	}
	return own(f, s);
}

/* An array of distinct CPU numbers below num_cpus, sorted. */
static int cpu_array(struct parse *p, struct tui_replay_frame *f, struct json_object *cell,
		     const char *where, const char *key, unsigned int num_cpus,
		     const unsigned int **out, unsigned int *num)
{
	struct json_object *a;
	unsigned int *cpus;
	size_t n, i;
	int ret;

	*out = NULL;
	*num = 0;
	ret = member(p, cell, where, key, json_type_array, false, false, &a);
	if (ret <= 0)
		return ret;
	n = json_object_array_length(a);
	if (n > num_cpus)
		return fail(p, -EINVAL, "%s: \"%s\" lists %zu CPUs, more than num_cpus %u",
			    where, key, n, num_cpus);
	if (!n)
		return 0;
	cpus = own(f, malloc(n * sizeof(*cpus)));
	if (!cpus)
		return fail(p, -ENOMEM, "out of memory");
	for (i = 0; i < n; i++) {
		struct json_object *v = json_object_array_get_idx(a, i);
		int64_t x;

		if (json_object_get_type(v) != json_type_int)
			return fail(p, -EINVAL, "%s: \"%s\"[%zu] is %s, not a CPU number", where,
				    key, i, type_word(json_object_get_type(v)));
		ret = int_in(p, v, where, key, 0, (int64_t)num_cpus - 1, &x);
		if (ret)
			return ret;
		cpus[i] = (unsigned int)x;
	}
	qsort(cpus, n, sizeof(*cpus), cmp_uint);
	for (i = 1; i < n; i++)
		if (cpus[i] == cpus[i - 1])
			return fail(p, -EINVAL, "%s: \"%s\" lists CPU %u twice", where, key,
				    cpus[i]);
	*out = cpus;
	*num = (unsigned int)n;
	return 0;
}

/* counters or rates: each counter name to a value; absent names are 0. */
static int counter_values(struct parse *p, struct json_object *o, const char *where,
			  const char *key, const struct hvctl_snapshot *s,
			  struct hvctl_counters *c, bool rates)
{
	struct json_object *obj, *v;
	unsigned int k;
	int ret;

	ret = member(p, o, where, key, json_type_object, false, true, &obj);
	if (ret <= 0)
		return ret;
	if (!s->num_stats)
		return fail(p, -EINVAL, "%s: \"%s\" without the snapshot's counter_names",
			    where, key);
	json_object_object_foreach(obj, name, val) {
		for (k = 0; k < s->num_stats && strcmp(s->stat_names[k], name); k++)
			;
		if (k == s->num_stats)
			return fail(p, -EINVAL, "%s: %s: \"%s\" is not in counter_names",
				    where, key, name);
		(void)val;
	}
	for (k = 0; k < s->num_stats; k++) {
		if (!json_object_object_get_ex(obj, s->stat_names[k], &v))
			continue;
		if (rates) {
			double d;

			if (json_object_get_type(v) != json_type_double &&
			    json_object_get_type(v) != json_type_int)
				return fail(p, -EINVAL, "%s: rates: \"%s\" is %s, not a number",
					    where, s->stat_names[k],
					    type_word(json_object_get_type(v)));
			d = json_object_get_double(v);
			if (!isfinite(d) || d < 0 || d > 1e15)
				return fail(p, -EINVAL, "%s: rates: \"%s\" is %s, not a rate",
					    where, s->stat_names[k],
					    json_object_to_json_string(v));
			c->rate[k] = d;
		} else {
			int64_t x;

			if (json_object_get_type(v) != json_type_int)
				return fail(p, -EINVAL, "%s: counters: \"%s\" is %s, not a count",
					    where, s->stat_names[k],
					    type_word(json_object_get_type(v)));
			ret = int_in(p, v, where, s->stat_names[k], 0, INT64_MAX, &x);
			if (ret)
				return ret;
			c->value[k] = (uint64_t)x;
		}
	}
	if (rates)
		c->rate_valid = true;
	return 1;
}

static int parse_state(struct parse *p, const char *where, const char *text,
		       enum hvctl_cell_state *out)
{
	int s;

	for (s = HVCTL_CELL_RUNNING; s < HVCTL_CELL_INVALID; s++) {
		if (!strcmp(text, hvctl_cell_state_name((enum hvctl_cell_state)s))) {
			*out = (enum hvctl_cell_state)s;
			return 0;
		}
	}
	return fail(p, -EINVAL, "%s: state \"%.40s\" is not a cell state (running, "
		    "running/locked, shut down, failed, ...)", where, text);
}

static int parse_cell(struct parse *p, struct tui_replay_frame *f, struct json_object *o,
		      size_t i, double interval)
{
	struct hvctl_snapshot *s = &f->snap;
	struct hvctl_cell_info *c = &f->cells[i];
	struct json_object *v;
	char where[32];
	int64_t x;
	unsigned int k;
	int ret;

	snprintf(where, sizeof(where), "cells[%zu]", i);
	if (json_object_get_type(o) != json_type_object)
		return fail(p, -EINVAL, "%s is %s, not an object", where,
			    type_word(json_object_get_type(o)));
	ret = int_member(p, o, where, "id", true, false, 0, 0xffff, &x);
	if (ret < 0)
		return ret;
	c->id = (int)x;
	if (i && c->id <= f->cells[i - 1].id)
		return fail(p, -EINVAL, "%s: id %d after id %d: cells must be in ascending "
			    "ID order", where, c->id, f->cells[i - 1].id);
	ret = member(p, o, where, "name", json_type_string, true, false, &v);
	if (ret < 0)
		return ret;
	/* The writer made the name valid UTF-8, which can make it longer. */
	snprintf(c->name, sizeof(c->name), "%s", json_object_get_string(v));
	ret = member(p, o, where, "state", json_type_string, true, false, &v);
	if (ret < 0)
		return ret;
	ret = parse_state(p, where, json_object_get_string(v), &c->state);
	if (ret)
		return ret;
	c->state_name = hvctl_cell_state_name(c->state);
	c->is_root = c->id == 0;
	ret = member(p, o, where, "root", json_type_boolean, false, false, &v);
	if (ret < 0)
		return ret;
	if (ret && json_object_get_boolean(v) != c->is_root)
		return fail(p, -EINVAL, "%s: \"root\" is %s for cell ID %d; the root cell "
			    "is ID 0", where, c->is_root ? "false" : "true", c->id);
	ret = cpu_array(p, f, o, where, "cpus", s->num_cpus, &c->cpus, &c->num_cpus);
	if (ret)
		return ret;
	ret = cpu_array(p, f, o, where, "failed_cpus", s->num_cpus, &c->failed_cpus,
			&c->num_failed);
	if (ret)
		return ret;
	c->cpus_list = cpu_list_str(f, c->cpus, c->num_cpus);
	c->failed_list = cpu_list_str(f, c->failed_cpus, c->num_failed);
	if (!c->cpus_list || !c->failed_list)
		return fail(p, -ENOMEM, "out of memory");
	for (k = 0; k < c->num_cpus; k++) {
		struct hvctl_cpu_info *ci = &f->cpus[c->cpus[k]];

		if (ci->cell >= 0)
			return fail(p, -EINVAL, "%s: CPU %u is also listed by cell ID %d", where,
				    c->cpus[k], ci->cell_id);
		ci->cell_id = c->id;
		ci->cell = (int)i;
	}
	for (k = 0; k < c->num_failed; k++) {
		if (f->cpus[c->failed_cpus[k]].cell != (int)i)
			return fail(p, -EINVAL, "%s: failed CPU %u is not one of its cpus", where,
				    c->failed_cpus[k]);
		f->cpus[c->failed_cpus[k]].failed = true;
	}
	ret = member(p, o, where, "failure", json_type_string, false, true, &v);
	if (ret < 0)
		return ret;
	if (ret) {
		c->failure = dup_str(f, json_object_get_string(v), FAILURE_MAX);
		if (!c->failure)
			return fail(p, -ENOMEM, "out of memory");
	}
	f->mem_owned[i] = f->mem_shared[i] = -1;
	ret = int_member(p, o, where, "memory_bytes", false, true, 0, INT64_MAX, &x);
	if (ret < 0)
		return ret;
	if (ret > 0)
		f->mem_owned[i] = x;
	ret = int_member(p, o, where, "shared_bytes", false, true, 0, INT64_MAX, &x);
	if (ret < 0)
		return ret;
	if (ret > 0)
		f->mem_shared[i] = x;
	ret = counter_values(p, o, where, "counters", s, &c->stats, false);
	if (ret < 0)
		return ret;
	ret = counter_values(p, o, where, "rates", s, &c->stats, true);
	if (ret < 0)
		return ret;
	c->stats.interval = c->stats.rate_valid ? interval : 0.0;
	return 0;
}

static int parse_pool(struct parse *p, struct json_object *pools, const char *key,
		      uint64_t *size, uint64_t *used)
{
	struct json_object *o;
	char where[32];
	int64_t x;
	int ret;

	ret = member(p, pools, "pools", key, json_type_object, true, false, &o);
	if (ret < 0)
		return ret;
	snprintf(where, sizeof(where), "pools.%s", key);
	ret = int_member(p, o, where, "size", true, false, 0, INT64_MAX, &x);
	if (ret < 0)
		return ret;
	*size = (uint64_t)x;
	ret = int_member(p, o, where, "used", true, false, 0, (int64_t)*size, &x);
	if (ret < 0)
		return ret;
	*used = (uint64_t)x;
	return 0;
}

static int parse_frame(struct parse *p, struct tui_replay_frame *f, struct json_object *o,
		       const struct tui_replay_frame *prev, size_t index)
{
	struct hvctl_snapshot *s = &f->snap;
	struct json_object *v, *cells;
	double interval = 0.0;
	int64_t x;
	size_t n, i;
	int ret;

	if (json_object_get_type(o) != json_type_object)
		return fail(p, -EINVAL, "a snapshot is a JSON object, not %s",
			    type_word(json_object_get_type(o)));
	ret = int_member(p, o, "snapshot", "schema_version", true, false, INT32_MIN, INT32_MAX, &x);
	if (ret < 0)
		return ret;
	if (x != HVCTL_SNAPSHOT_SCHEMA)
		return fail(p, -EINVAL, "schema_version %" PRId64 " is not %d, the one this "
			    "hvtop reads", x, HVCTL_SNAPSHOT_SCHEMA);
	ret = int_member(p, o, "snapshot", "time", false, false, 1, INT64_MAX / 2000000000, &x);
	if (ret < 0)
		return ret;
	f->time = ret ? (time_t)x : 0;
	ret = member(p, o, "snapshot", "uri", json_type_string, false, false, &v);
	if (ret < 0)
		return ret;
	snprintf(f->uri, sizeof(f->uri), "%s", ret ? json_object_get_string(v) : "");
	ret = member(p, o, "snapshot", "enabled", json_type_boolean, true, false, &v);
	if (ret < 0)
		return ret;
	s->system.enabled = json_object_get_boolean(v);
	ret = member(p, o, "snapshot", "pools", json_type_object, false, false, &v);
	if (ret < 0)
		return ret;
	if (ret && (parse_pool(p, v, "mem", &s->system.mem_pool_size,
			       &s->system.mem_pool_used) ||
		    parse_pool(p, v, "remap", &s->system.remap_pool_size,
			       &s->system.remap_pool_used)))
		return -EINVAL;
	ret = int_member(p, o, "snapshot", "num_cpus", true, false, 0, TUI_REPLAY_MAX_CPUS, &x);
	if (ret < 0)
		return ret;
	s->num_cpus = (unsigned int)x;
	ret = member(p, o, "snapshot", "interval", json_type_double, false, true, &v);
	if (ret < 0)
		return ret;
	if (ret) {
		interval = json_object_get_double(v);
		if (!isfinite(interval) || interval <= 0 || interval > 1e6)
			return fail(p, -EINVAL, "snapshot: \"interval\" is %s, not a number of "
				    "seconds", json_object_to_json_string(v));
	}
	ret = member(p, o, "snapshot", "counter_names", json_type_array, false, false, &v);
	if (ret < 0)
		return ret;
	if (ret) {
		n = json_object_array_length(v);
		if (!n || n > HVCTL_STATS_MAX)
			return fail(p, -EINVAL, "snapshot: counter_names has %zu names, not 1 "
				    "to %d", n, HVCTL_STATS_MAX);
		f->stat_names = calloc(n, sizeof(*f->stat_names));
		if (!f->stat_names)
			return fail(p, -ENOMEM, "out of memory");
		for (i = 0; i < n; i++) {
			struct json_object *e = json_object_array_get_idx(v, i);
			size_t k;

			if (json_object_get_type(e) != json_type_string ||
			    !json_object_get_string_len(e) ||
			    json_object_get_string_len(e) > STAT_NAME_MAX)
				return fail(p, -EINVAL, "snapshot: counter_names[%zu] is not a "
					    "counter name (a string of 1 to %d bytes)", i,
					    STAT_NAME_MAX);
			f->stat_names[i] = dup_str(f, json_object_get_string(e), STAT_NAME_MAX);
			if (!f->stat_names[i])
				return fail(p, -ENOMEM, "out of memory");
			for (k = 0; k < i; k++)
				if (!strcmp(f->stat_names[k], f->stat_names[i]))
					return fail(p, -EINVAL, "snapshot: counter_names lists "
						    "\"%s\" twice", f->stat_names[i]);
		}
		s->num_stats = (unsigned int)n;
		s->stat_names = f->stat_names;
		s->what |= HVCTL_READ_COUNTERS;
	}
	ret = member(p, o, "snapshot", "cells", json_type_array, true, false, &cells);
	if (ret < 0)
		return ret;
	n = json_object_array_length(cells);
	if (n > TUI_REPLAY_MAX_CELLS)
		return fail(p, -E2BIG, "snapshot: %zu cells, more than %u", n,
			    TUI_REPLAY_MAX_CELLS);
	if (n && !s->system.enabled)
		return fail(p, -EINVAL, "snapshot: cells listed while \"enabled\" is false");
	f->cells = calloc(n ? n : 1, sizeof(*f->cells));
	f->cpus = calloc(s->num_cpus ? s->num_cpus : 1, sizeof(*f->cpus));
	f->mem_owned = calloc(n ? n : 1, sizeof(*f->mem_owned));
	f->mem_shared = calloc(n ? n : 1, sizeof(*f->mem_shared));
	if (!f->cells || !f->cpus || !f->mem_owned || !f->mem_shared)
		return fail(p, -ENOMEM, "out of memory");
	for (i = 0; i < s->num_cpus; i++) {
		f->cpus[i].cell_id = -1;
		f->cpus[i].cell = -1;
	}
	for (i = 0; i < n; i++) {
		ret = parse_cell(p, f, json_object_array_get_idx(cells, i), i, interval);
		if (ret)
			return ret;
	}
	if (n && f->cells[0].id != 0)
		return fail(p, -EINVAL, "snapshot: cells without the root cell (ID 0) first");
	s->num_cells = n;
	s->cells = f->cells;
	s->cpus = f->cpus;
	/* Recorded seconds as the clock rates and baselines go by. */
	s->time_ns = (f->time ? (uint64_t)f->time : (uint64_t)index) * 1000000000ull;
	f->interval = interval;
	/* A new generation whenever the set of cells differs from the last. */
	s->generation = prev ? prev->snap.generation : 1;
	if (prev) {
		bool same = prev->snap.num_cells == n;

		for (i = 0; same && i < n; i++)
			same = prev->cells[i].id == f->cells[i].id &&
			       !strcmp(prev->cells[i].name, f->cells[i].name);
		if (!same)
			s->generation++;
	}
	return 0;
}

static unsigned long line_at(const char *text, size_t from, size_t to, unsigned long line)
{
	const char *q = text + from, *end = text + to;

	while ((q = memchr(q, '\n', (size_t)(end - q))) != NULL) {
		line++;
		q++;
	}
	return line;
}

static bool blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

int tui_replay_parse(struct tui_replay *r, const char *text, size_t len,
		     const char *name, char *err, size_t errlen)
{
	struct parse p = { .name = name, .line = 1, .err = err, .errlen = errlen };
	struct json_tokener *tok = NULL;
	const char *nul;
	size_t pos = 0, cap = 0;
	unsigned long line = 1;
	int ret = 0;

	r->frames = NULL;
	r->count = 0;
	r->warning[0] = '\0';
	err[0] = '\0';
	if (len > TUI_REPLAY_MAX_BYTES) {
		p.line = 1;
		return fail(&p, -E2BIG, "%zu bytes, more than a recording may have (%u MiB)",
			    len, TUI_REPLAY_MAX_BYTES >> 20);
	}
	nul = memchr(text, '\0', len);
	if (nul) {
		p.line = line_at(text, 0, (size_t)(nul - text), 1);
		return fail(&p, -EINVAL, "a NUL byte: this is not a JSON recording");
	}
	tok = json_tokener_new_ex(JSON_DEPTH);
	if (!tok)
		return fail(&p, -ENOMEM, "out of memory");
	for (;;) {
		struct json_object *o;
		enum json_tokener_error je;
		size_t start, used;

		start = pos;
		while (pos < len && blank(text[pos]))
			pos++;
		line = line_at(text, start, pos, line);
		if (pos == len)
			break;
		p.line = line;
		if (r->count == TUI_REPLAY_MAX_FRAMES) {
			ret = fail(&p, -E2BIG, "more than %u snapshots", TUI_REPLAY_MAX_FRAMES);
			break;
		}
		json_tokener_reset(tok);
		o = json_tokener_parse_ex(tok, text + pos, (int)(len - pos > INT32_MAX ?
								  INT32_MAX : len - pos));
		je = json_tokener_get_error(tok);
		used = json_tokener_get_parse_end(tok);
		if (!o && je == json_tokener_continue) {
			/* Cut off by the end of the file: a recording that was killed. */
			if (!r->count) {
				ret = fail(&p, -EINVAL, "the file ends inside the first snapshot "
					   "(truncated)");
				break;
			}
			snprintf(r->warning, sizeof(r->warning),
				 "%.3900s:%lu: the last snapshot is cut off (truncated file); "
				 "replaying the %zu before it", name, line, r->count);
			break;
		}
		if (!o) {
			p.line = line_at(text, pos, pos + used, line);
			ret = fail(&p, -EINVAL, "not JSON: %s", json_tokener_error_desc(je));
			break;
		}
		if (hvctl_grow(&r->frames, &cap, r->count + 1,
			       sizeof(*r->frames))) {
			json_object_put(o);
			ret = fail(&p, -ENOMEM, "out of memory");
			break;
		}
		memset(&r->frames[r->count], 0, sizeof(r->frames[0]));
		r->frames[r->count].line = line;
		ret = parse_frame(&p, &r->frames[r->count], o,
				  r->count ? &r->frames[r->count - 1] : NULL, r->count);
		json_object_put(o);
		r->count++;
		if (ret)
			break;
		/* json-c also eats a blank after the object: step back over it. */
		used = used > len - pos ? len - pos : used;
		while (used && blank(text[pos + used - 1]))
			used--;
		start = pos;
		pos += used;
		line = line_at(text, start, pos, line);
		/* One object per line: what follows on its line must be blank. */
		while (pos < len && (text[pos] == ' ' || text[pos] == '\t' || text[pos] == '\r'))
			pos++;
		if (pos < len && text[pos] != '\n') {
			p.line = line;
			ret = fail(&p, -EINVAL, "text after the snapshot object");
			break;
		}
	}
	json_tokener_free(tok);
	if (!ret && !r->count)
		ret = fail(&p, -EINVAL, "no snapshot in the file (record one with "
			   "hvtop -b --json)");
	if (ret) {
		tui_replay_free(r);
		return ret;
	}
	return 0;
}

int tui_replay_load(struct tui_replay *r, const char *path, char *err, size_t errlen)
{
	struct stat st;
	char *buf = NULL;
	size_t len = 0, cap = 0;
	int fd, ret;

	memset(r, 0, sizeof(*r));
	snprintf(r->path, sizeof(r->path), "%s", path);
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0) {
		ret = -errno;
		snprintf(err, errlen, "%s: %s", path, strerror(-ret));
		return ret;
	}
	if (fstat(fd, &st) || S_ISDIR(st.st_mode)) {
		ret = S_ISDIR(st.st_mode) ? -EISDIR : -errno;
		snprintf(err, errlen, "%s: %s", path, strerror(-ret));
		close(fd);
		return ret;
	}
	/* A regular file too large is refused before a byte is read. */
	if (S_ISREG(st.st_mode) && (uint64_t)st.st_size > TUI_REPLAY_MAX_BYTES) {
		snprintf(err, errlen, "%s: larger than %u MiB, more than a recording may "
			 "have", path, TUI_REPLAY_MAX_BYTES >> 20);
		close(fd);
		return -E2BIG;
	}
	/* Read in chunks: a pipe or a growing file has no size to trust. */
	for (;;) {
		ssize_t got;

		if (len == cap) {
			size_t ncap = cap ? cap * 2 : 65536;
			char *nb;

			if (len > TUI_REPLAY_MAX_BYTES) {
				snprintf(err, errlen, "%s: larger than %u MiB, more than a "
					 "recording may have", path, TUI_REPLAY_MAX_BYTES >> 20);
				free(buf);
				close(fd);
				return -E2BIG;
			}
			/* One byte past the limit is enough to know. */
			if (ncap > (size_t)TUI_REPLAY_MAX_BYTES + 1)
				ncap = (size_t)TUI_REPLAY_MAX_BYTES + 1;
			nb = realloc(buf, ncap + 1);
			if (!nb) {
				snprintf(err, errlen, "%s: out of memory", path);
				free(buf);
				close(fd);
				return -ENOMEM;
			}
			buf = nb;
			cap = ncap;
		}
		got = read(fd, buf + len, cap - len);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			ret = -errno;
			snprintf(err, errlen, "%s: %s", path, strerror(-ret));
			free(buf);
			close(fd);
			return ret;
		}
		if (!got)
			break;
		len += (size_t)got;
	}
	close(fd);
	ret = tui_replay_parse(r, buf ? buf : "", len, path, err, errlen);
	free(buf);
	snprintf(r->path, sizeof(r->path), "%s", path);
	return ret;
}

unsigned int tui_replay_gap_ms(const struct tui_replay *r, size_t i)
{
	time_t a, b;
	double iv;

	if (i + 1 >= r->count)
		return 1000;
	/*
	 * The next snapshot's rates span the time since this one (batch mode
	 * measures each against the one before): finer than the seconds of
	 * "time". Without it, the difference of the recorded times.
	 */
	iv = r->frames[i + 1].interval;
	if (iv > 0)
		return iv > 60.0 ? 60000 : (unsigned int)(iv * 1000.0 + 0.5);
	a = r->frames[i].time;
	b = r->frames[i + 1].time;
	if (!a || !b || b <= a)
		return 1000;
	/* A recording left idle for hours replays its pause as a minute. */
	return b - a > 60 ? 60000 : (unsigned int)(b - a) * 1000;
}
