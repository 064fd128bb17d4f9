// SPDX-License-Identifier: MIT
/*
 * The model behind every view: snapshot, rows, histories, derived maps.
 */
#include "model.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "text.h"

static const char *const cell_sort_names[TUI_CELL_SORT_COUNT] = {
	"id", "name", "state", "cpus", "memory", "rate", "total",
};

static const char *const cpu_sort_names[TUI_CPU_SORT_COUNT] = {
	"cpu", "owner", "state", "rate",
};

const char *tui_cell_sort_name(enum tui_cell_sort s)
{
	return (unsigned int)s < TUI_CELL_SORT_COUNT ? cell_sort_names[s] : "?";
}

bool tui_cell_sort_desc_first(enum tui_cell_sort s)
{
	return s == TUI_CELL_SORT_CPUS || s == TUI_CELL_SORT_MEMORY ||
	       s == TUI_CELL_SORT_RATE || s == TUI_CELL_SORT_TOTAL;
}

bool tui_cpu_sort_desc_first(enum tui_cpu_sort s)
{
	return s == TUI_CPU_SORT_RATE;
}

/* Index of name in names[0..n), or -1. */
static int name_index(const char *const *names, int n, const char *name)
{
	int i;

	for (i = 0; i < n; i++)
		if (!strcmp(name, names[i]))
			return i;
	return -1;
}

int tui_cell_sort_from_name(const char *name)
{
	return name_index(cell_sort_names, TUI_CELL_SORT_COUNT, name);
}

const char *tui_cpu_sort_name(enum tui_cpu_sort s)
{
	return (unsigned int)s < TUI_CPU_SORT_COUNT ? cpu_sort_names[s] : "?";
}

int tui_cpu_sort_from_name(const char *name)
{
	return name_index(cpu_sort_names, TUI_CPU_SORT_COUNT, name);
}

char tui_cell_tag(int id)
{
	static const char tags[] =
		"0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";

	if (id >= 0 && (size_t)id < sizeof(tags) - 1)
		return tags[id];
	return '*';
}

enum tui_role tui_state_role(enum hvctl_cell_state state)
{
	switch (state) {
	case HVCTL_CELL_RUNNING:
		return TUI_ROLE_STATE_RUNNING;
	case HVCTL_CELL_RUNNING_LOCKED:
		return TUI_ROLE_STATE_LOCKED;
	case HVCTL_CELL_SHUT_DOWN:
		return TUI_ROLE_STATE_SHUTDOWN;
	case HVCTL_CELL_FAILED:
	case HVCTL_CELL_FAILED_COMM_REV:
		return TUI_ROLE_STATE_FAILED;
	default:
		return TUI_ROLE_STATE_OTHER;
	}
}

const char *tui_cpu_state_name(const struct tui_cpu_row *row)
{
	if (row->info && row->info->failed)
		return "failed";
	if (!row->owner)
		return "free";
	switch (row->owner->cell->state) {
	case HVCTL_CELL_RUNNING:
	case HVCTL_CELL_RUNNING_LOCKED:
		return "running";
	case HVCTL_CELL_SHUT_DOWN:
		return "parked";
	default:
		return "stopped";
	}
}

enum tui_role tui_cpu_state_role(const struct tui_cpu_row *row)
{
	if (row->info && row->info->failed)
		return TUI_ROLE_CPU_FAILED;
	if (!row->owner)
		return TUI_ROLE_CPU_FREE;
	return tui_state_role(row->owner->cell->state);
}

void tui_model_init(struct tui_model *m)
{
	memset(m, 0, sizeof(*m));
	m->total_index = -1;
	m->release = hvctl_snapshot_free;
	m->min_interval = TUI_RATE_MIN_INTERVAL;
	m->addr_digits = tui_addr_digits(0);
}

static void hist_free(struct tui_cell_hist *h)
{
	unsigned int i;

	tui_history_free(&h->total);
	for (i = 0; i < HVCTL_STATS_MAX; i++)
		tui_history_free(&h->reason[i]);
}

static int hist_init(struct tui_cell_hist *h, int id, const char *name)
{
	unsigned int i;

	memset(h, 0, sizeof(*h));
	h->id = id;
	snprintf(h->name, sizeof(h->name), "%s", name);
	if (tui_history_init(&h->total, TUI_HISTORY_LEN))
		goto fail;
	for (i = 0; i < HVCTL_STATS_MAX; i++)
		if (tui_history_init(&h->reason[i], TUI_HISTORY_LEN))
			goto fail;
	return 0;
fail:
	hist_free(h);
	return -ENOMEM;
}

/*
 * Release the snapshots in old[] that the model no longer holds (as
 * snapshot or baseline), each once: the same one may be listed twice.
 */
static void drop(struct tui_model *m, struct hvctl_snapshot *const *old, size_t n)
{
	size_t i, j;

	for (i = 0; i < n; i++) {
		struct hvctl_snapshot *s = old[i];

		if (!s || s == m->snap || s == m->base)
			continue;
		for (j = 0; j < i && old[j] != s; j++)
			;
		if (j == i)
			m->release(s);
	}
}

void tui_model_free(struct tui_model *m)
{
	size_t i;

	void (*release)(struct hvctl_snapshot *) = m->release;
	struct hvctl_snapshot *old[2] = { m->snap, m->base };

	m->snap = m->base = NULL;
	drop(m, old, 2);
	free(m->cells);
	free(m->cpus);
	for (i = 0; i < m->num_hist; i++)
		hist_free(&m->hist[i]);
	free(m->hist);
	for (i = 0; i < m->num_cpu_hist; i++)
		tui_history_free(&m->cpu_hist[i]);
	free(m->cpu_hist);
	free(m->cpu_hist_owner);
	hvctl_layout_free(&m->memmap);
	hvctl_links_free(&m->links);
	double min_interval = m->min_interval;

	tui_model_init(m);
	m->release = release;
	m->min_interval = min_interval;
}

/* The history of cell id/name, created if new; NULL without memory. */
static struct tui_cell_hist *hist_get(struct tui_model *m, int id, const char *name)
{
	struct tui_cell_hist *h;
	size_t i;

	for (i = 0; i < m->num_hist; i++) {
		h = &m->hist[i];
		if (h->id != id)
			continue;
		if (!strcmp(h->name, name))
			return h;
		/* Same ID, another cell: its history starts over. */
		hist_free(h);
		return hist_init(h, id, name) ? NULL : h;
	}
	/* rows point into hist; they are rebuilt right after */
	if (hvctl_grow(&m->hist, &m->cap_hist, m->num_hist + 1,
		       sizeof(*m->hist)))
		return NULL;
	h = &m->hist[m->num_hist];
	if (hist_init(h, id, name))
		return NULL;
	m->num_hist++;
	return h;
}

static void hist_push(struct tui_cell_hist *h, const struct hvctl_counters *c,
		      unsigned int num_stats, int total_index)
{
	unsigned int i;

	if (!c->rate_valid)
		return;
	tui_history_push(&h->total, total_index >= 0 ? c->rate[total_index] : 0.0);
	for (i = 0; i < num_stats && i < HVCTL_STATS_MAX; i++)
		tui_history_push(&h->reason[i], c->rate[i]);
}

/* Cheap fingerprint of what the memory map and links are built from. */
static uint64_t derived_signature(const struct hvctl_snapshot *s)
{
	uint64_t sig = s->generation * 1000003u + s->num_cells;
	size_t i;

	for (i = 0; i < s->num_cells; i++)
		sig = sig * 31 + (uint64_t)(s->cells[i].id + 1) * 2 +
		      (s->cells[i].config ? 1 : 0);
	return sig * 2 + (s->system_config ? 1 : 0);
}

static uint64_t seg_last(uint64_t start, uint64_t size)
{
	return size ? start + (size - 1) : start;
}

static int layout_addr_digits(const struct hvctl_layout *mm)
{
	uint64_t last = 0, a;
	size_t i;

	for (i = 0; i < mm->count; i++) {
		a = seg_last(mm->segs[i].start, mm->segs[i].size);
		last = a > last ? a : last;
		if (mm->segs[i].kind != HVCTL_REGION_GAP) {
			a = seg_last(mm->segs[i].virt, mm->segs[i].size);
			last = a > last ? a : last;
		}
	}
	for (i = 0; i < mm->num_comm; i++) {
		a = seg_last(mm->comm[i].start, mm->comm[i].size);
		last = a > last ? a : last;
	}
	return tui_addr_digits(last);
}

static int rebuild_derived(struct tui_model *m)
{
	int ret;

	hvctl_layout_free(&m->memmap);
	hvctl_links_free(&m->links);
	m->derived_valid = false;
	ret = hvctl_layout_snapshot(&m->memmap, &m->links, m->snap);
	if (ret)
		return ret;
	m->derived_sig = derived_signature(m->snap);
	m->derived_valid = true;
	m->addr_digits = layout_addr_digits(&m->memmap);
	return 0;
}

static bool too_short(const struct tui_model *m, const struct hvctl_counters *c)
{
	return c->rate_valid && c->interval < m->min_interval;
}

static int update_cpu_hist(struct tui_model *m)
{
	size_t i, n = m->num_cpus;

	if (n > m->num_cpu_hist) {
		struct tui_history *nh = realloc(m->cpu_hist, n * sizeof(*nh));
		int *no;

		if (!nh)
			return -ENOMEM;
		m->cpu_hist = nh;
		no = realloc(m->cpu_hist_owner, n * sizeof(*no));
		if (!no)
			return -ENOMEM;
		m->cpu_hist_owner = no;
		for (i = m->num_cpu_hist; i < n; i++) {
			m->cpu_hist_owner[i] = -1;
			if (tui_history_init(&m->cpu_hist[i], TUI_HISTORY_LEN)) {
				m->num_cpu_hist = i;
				return -ENOMEM;
			}
		}
		m->num_cpu_hist = n;
	}
	for (i = 0; i < n; i++) {
		const struct tui_cpu_row *r = &m->cpus[i];
		int owner = r->info ? r->info->cell_id : -1;

		if (owner != m->cpu_hist_owner[i]) {
			tui_history_clear(&m->cpu_hist[i]);
			m->cpu_hist_owner[i] = owner;
		}
		if (r->rate_valid && r->info->has_stats && !too_short(m, &r->info->stats))
			tui_history_push(&m->cpu_hist[i], r->rate);
	}
	return 0;
}

static double seconds_since(const struct hvctl_snapshot *s, uint64_t now_ns)
{
	return now_ns > s->time_ns ? (double)(now_ns - s->time_ns) / 1e9 : 0.0;
}

const struct hvctl_snapshot *tui_model_baseline(const struct tui_model *m)
{
	return m->base;
}

/*
 * snap becomes the baseline when it is a whole interval after the
 * current one (its rates are shown), or when it read counters the
 * baseline lacked (per-CPU ones after a change of view): then the next
 * whole interval has them at both ends.
 */
static struct hvctl_snapshot *take_baseline(struct tui_model *m,
					    struct hvctl_snapshot *snap)
{
	struct hvctl_snapshot *old;

	if (m->base && seconds_since(m->base, snap->time_ns) < m->min_interval &&
	    !(snap->what & ~m->base->what))
		return NULL;
	old = m->base;
	m->base = snap;
	return old;	/* released by the caller unless still held */
}

/*
 * The rates of c, unless they span less than a whole interval: then the
 * last whole interval's (prev, from the row this one replaces), or none.
 */
static void keep_whole_rates(const struct tui_model *m, struct hvctl_counters *c,
			     const struct hvctl_counters *prev)
{
	if (!too_short(m, c))
		return;
	if (prev && prev->rate_valid && !too_short(m, prev)) {
		memcpy(c->rate, prev->rate, sizeof(c->rate));
		c->interval = prev->interval;
		return;
	}
	c->rate_valid = false;
}

static const struct tui_cell_row *old_cell_row(const struct tui_cell_row *rows, size_t n,
					       const struct hvctl_cell_info *c)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (rows[i].cell->id == c->id && !strcmp(rows[i].cell->name, c->name))
			return &rows[i];
	return NULL;
}

int tui_model_update(struct tui_model *m, struct hvctl_snapshot *snap)
{
	/* What the model held before, released at the end unless kept. */
	struct hvctl_snapshot *old[2] = { m->snap, NULL };
	struct tui_cell_row *old_cells = m->cells;
	struct tui_cpu_row *old_cpus = m->cpus;
	size_t old_num_cells = m->num_cells, old_num_cpus = m->num_cpus;
	const struct hvctl_snapshot *s;
	size_t i, j;
	int ret = 0;

	m->snap = snap;
	m->cells = NULL;
	m->cpus = NULL;
	m->num_cells = 0;
	m->num_cpus = 0;
	if (!snap) {
		/* A backend that comes back is a new connection: no baseline. */
		old[1] = m->base;
		m->base = NULL;
		goto out;
	}
	s = snap;
	old[1] = take_baseline(m, snap);
	m->total_index = hvctl_snapshot_stat_index(s, "vmexits_total");

	if (s->num_cells) {
		m->cells = calloc(s->num_cells, sizeof(*m->cells));
		if (!m->cells) {
			ret = -ENOMEM;
			goto out;
		}
	}
	if (s->num_cpus) {
		m->cpus = calloc(s->num_cpus, sizeof(*m->cpus));
		if (!m->cpus) {
			ret = -ENOMEM;
			goto out;
		}
	}

	for (i = 0; i < m->num_hist; i++)
		m->hist[i].seen = false;
	/* All histories first: growing the array moves them. */
	for (i = 0; i < s->num_cells; i++) {
		struct tui_cell_hist *h = hist_get(m, s->cells[i].id, s->cells[i].name);

		if (!h) {
			ret = -ENOMEM;
			goto out;
		}
		h->seen = true;
		if (!too_short(m, &s->cells[i].stats))
			hist_push(h, &s->cells[i].stats, s->num_stats, m->total_index);
	}
	/* Forget cells that are gone. */
	for (i = 0, j = 0; i < m->num_hist; i++) {
		if (m->hist[i].seen)
			m->hist[j++] = m->hist[i];
		else
			hist_free(&m->hist[i]);
	}
	m->num_hist = j;

	if (!m->derived_valid || m->derived_sig != derived_signature(s))
		ret = rebuild_derived(m);

	for (i = 0; i < s->num_cells; i++) {
		const struct hvctl_cell_info *c = &s->cells[i];
		struct tui_cell_row *r = &m->cells[i];

		r->cell = c;
		r->tag = tui_cell_tag(c->id);
		r->owner_role = TUI_ROLE_OWNER0 + (c->id % TUI_OWNER_COLOURS);
		r->mem_known = c->config && m->derived_valid;
		if (r->mem_known) {
			r->mem_owned = hvctl_layout_owned(&m->memmap, c->id, false);
			r->mem_shared = hvctl_layout_owned(&m->memmap, c->id, true);
		}
		r->stats = c->stats;
		{
			const struct tui_cell_row *o = old_cell_row(old_cells, old_num_cells, c);

			keep_whole_rates(m, &r->stats, o ? &o->stats : NULL);
		}
		if (m->total_index >= 0) {
			r->total = r->stats.value[m->total_index];
			r->rate_valid = r->stats.rate_valid;
			r->rate = r->stats.rate_valid ? r->stats.rate[m->total_index] : 0.0;
		}
		for (j = 0; j < m->num_hist; j++)
			if (m->hist[j].id == c->id)
				r->hist = &m->hist[j];
	}
	m->num_cells = s->num_cells;

	for (i = 0; i < s->num_cpus; i++) {
		const struct hvctl_cpu_info *ci = &s->cpus[i];
		struct tui_cpu_row *r = &m->cpus[i];

		r->cpu = (unsigned int)i;
		r->info = ci;
		if (ci->cell >= 0 && (size_t)ci->cell < s->num_cells)
			r->owner = &m->cells[ci->cell];
		if (!ci->has_stats)
			continue;
		r->stats = ci->stats;
		/* The same CPU with the same owner: its last whole rate. */
		keep_whole_rates(m, &r->stats,
				 i < old_num_cpus && old_cpus[i].info->has_stats &&
				 old_cpus[i].info->cell_id == ci->cell_id ?
				 &old_cpus[i].stats : NULL);
		if (m->total_index >= 0) {
			r->total = r->stats.value[m->total_index];
			r->rate_valid = r->stats.rate_valid;
			r->rate = r->stats.rate_valid ? r->stats.rate[m->total_index] : 0.0;
		}
	}
	m->num_cpus = s->num_cpus;
	if (!ret)
		ret = update_cpu_hist(m);
out:
	/* The old rows pointed into the old snapshot: both go together. */
	free(old_cells);
	free(old_cpus);
	drop(m, old, 2);
	return ret;
}

const struct tui_cell_row *tui_model_cell(const struct tui_model *m, int id)
{
	size_t i;

	for (i = 0; i < m->num_cells; i++)
		if (m->cells[i].cell->id == id)
			return &m->cells[i];
	return NULL;
}

const struct tui_cpu_row *tui_model_cpu(const struct tui_model *m, unsigned int cpu)
{
	return cpu < m->num_cpus ? &m->cpus[cpu] : NULL;
}

struct sort_ctx {
	const struct tui_model *m;
	int key;
	bool reverse;
};

static int cmp_u64(uint64_t a, uint64_t b)
{
	return a < b ? -1 : a > b;
}

static int cmp_double(double a, double b)
{
	return a < b ? -1 : a > b;
}

static int cmp_cells(const void *a, const void *b, void *arg)
{
	const struct sort_ctx *sc = arg;
	const struct tui_cell_row *x = &sc->m->cells[*(const size_t *)a];
	const struct tui_cell_row *y = &sc->m->cells[*(const size_t *)b];
	int r = 0;

	switch (sc->key) {
	case TUI_CELL_SORT_NAME:
		r = strcmp(x->cell->name, y->cell->name);
		break;
	case TUI_CELL_SORT_STATE:
		r = (int)x->cell->state - (int)y->cell->state;
		break;
	case TUI_CELL_SORT_CPUS:
		r = (int)x->cell->num_cpus - (int)y->cell->num_cpus;
		break;
	case TUI_CELL_SORT_MEMORY:
		r = cmp_u64(x->mem_owned + x->mem_shared, y->mem_owned + y->mem_shared);
		break;
	case TUI_CELL_SORT_RATE:
		/* Unknown rates sort below every known one. */
		r = x->rate_valid != y->rate_valid ? (x->rate_valid ? 1 : -1) :
		    cmp_double(x->rate, y->rate);
		break;
	case TUI_CELL_SORT_TOTAL:
		r = cmp_u64(x->total, y->total);
		break;
	default:
		break;
	}
	if (sc->reverse)
		r = -r;
	/* Ties always by ID, ascending, so the order is stable. */
	return r ? r : x->cell->id - y->cell->id;
}

static int cmp_cpus(const void *a, const void *b, void *arg)
{
	const struct sort_ctx *sc = arg;
	const struct tui_cpu_row *x = &sc->m->cpus[*(const size_t *)a];
	const struct tui_cpu_row *y = &sc->m->cpus[*(const size_t *)b];
	int r = 0;

	switch (sc->key) {
	case TUI_CPU_SORT_OWNER:
		r = (x->owner ? x->owner->cell->id : 1 << 30) -
		    (y->owner ? y->owner->cell->id : 1 << 30);
		break;
	case TUI_CPU_SORT_STATE:
		r = strcmp(tui_cpu_state_name(x), tui_cpu_state_name(y));
		break;
	case TUI_CPU_SORT_RATE:
		r = x->rate_valid != y->rate_valid ? (x->rate_valid ? 1 : -1) :
		    cmp_double(x->rate, y->rate);
		break;
	default:
		break;
	}
	if (sc->reverse)
		r = -r;
	return r ? r : (int)x->cpu - (int)y->cpu;
}

size_t tui_model_cell_order(const struct tui_model *m, enum tui_cell_sort key,
			    bool reverse, const char *filter, size_t *idx)
{
	struct sort_ctx sc = { m, key, reverse };
	size_t i, n = 0;

	for (i = 0; i < m->num_cells; i++) {
		const struct tui_cell_row *r = &m->cells[i];
		char text[96];

		if (filter && *filter) {
			snprintf(text, sizeof(text), "%d %s %s", r->cell->id,
				 r->cell->name, r->cell->state_name);
			if (!tui_filter_match(filter, text))
				continue;
		}
		idx[n++] = i;
	}
	qsort_r(idx, n, sizeof(*idx), cmp_cells, &sc);
	return n;
}

size_t tui_model_cpu_order(const struct tui_model *m, enum tui_cpu_sort key,
			   bool reverse, const char *filter, size_t *idx)
{
	struct sort_ctx sc = { m, key, reverse };
	size_t i, n = 0;

	for (i = 0; i < m->num_cpus; i++) {
		const struct tui_cpu_row *r = &m->cpus[i];
		char text[96];

		if (filter && *filter) {
			snprintf(text, sizeof(text), "%u %s %s", r->cpu,
				 r->owner ? r->owner->cell->name : "-",
				 tui_cpu_state_name(r));
			if (!tui_filter_match(filter, text))
				continue;
		}
		idx[n++] = i;
	}
	qsort_r(idx, n, sizeof(*idx), cmp_cpus, &sc);
	return n;
}
