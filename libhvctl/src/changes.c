// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Lifecycle changes between snapshots (hvctl/changes.h).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hvctl/changes.h>

/* What the diff keeps of a cell of the last snapshot. */
struct seen {
	int id;
	char name[HVCTL_CELL_NAME_MAX + 1];
	enum hvctl_cell_state state;
	unsigned int num_failed;
	char *failure;
};

struct hvctl_snapshot_diff {
	struct seen *cells;
	size_t num;
	bool have, enabled;
};

struct list {
	struct hvctl_change *v;
	size_t n, cap;
	int err;
};

int hvctl_snapshot_diff_new(struct hvctl_snapshot_diff **out)
{
	*out = calloc(1, sizeof(**out));
	return *out ? 0 : -ENOMEM;
}

static void seen_free(struct seen *cells, size_t num)
{
	size_t i;

	for (i = 0; i < num; i++)
		free(cells[i].failure);
	free(cells);
}

void hvctl_snapshot_diff_free(struct hvctl_snapshot_diff *d)
{
	if (!d)
		return;
	seen_free(d->cells, d->num);
	free(d);
}

void hvctl_changes_free(struct hvctl_change *changes, size_t count)
{
	size_t i;

	for (i = 0; changes && i < count; i++) {
		free(changes[i].failed_list);
		free(changes[i].failure);
	}
	free(changes);
}

static const struct seen *find(const struct hvctl_snapshot_diff *d, int id)
{
	size_t i;

	for (i = 0; i < d->num; i++)
		if (d->cells[i].id == id)
			return &d->cells[i];
	return NULL;
}

static bool in_snap(const struct hvctl_snapshot *s, int id)
{
	size_t i;

	for (i = 0; i < s->num_cells; i++)
		if (s->cells[i].id == id)
			return true;
	return false;
}

static struct hvctl_change *add(struct list *l, enum hvctl_change_kind kind,
				int id, const char *name)
{
	struct hvctl_change *c;

	if (l->err || hvctl_grow(&l->v, &l->cap, l->n + 1, sizeof(*l->v))) {
		l->err = -ENOMEM;
		return NULL;
	}
	c = &l->v[l->n++];
	memset(c, 0, sizeof(*c));
	c->kind = kind;
	c->id = id;
	snprintf(c->name, sizeof(c->name), "%s", name ? name : "");
	return c;
}

/* A failure is news once: when CPUs first fail, or the record changes. */
static bool failure_is_news(const struct seen *old,
			    const struct hvctl_cell_info *c)
{
	if (!c->num_failed)
		return false;
	return !old || !old->num_failed || !old->failure != !c->failure ||
	       (c->failure && strcmp(old->failure, c->failure));
}

int hvctl_snapshot_diff(struct hvctl_snapshot_diff *d,
			const struct hvctl_snapshot *s,
			struct hvctl_change **out, size_t *count)
{
	bool enabled = s->system.enabled && in_snap(s, 0);
	struct list l = { NULL, 0, 0, 0 };
	struct seen *next;
	size_t i;

	*out = NULL;
	*count = 0;
	if (d->have && enabled != d->enabled)
		add(&l, enabled ? HVCTL_CHANGE_ENABLED : HVCTL_CHANGE_DISABLED,
		    -1, NULL);
	for (i = 0; d->have && i < d->num; i++) {
		const struct seen *o = &d->cells[i];
		struct hvctl_change *c;

		if (in_snap(s, o->id) || (o->id == 0 && !enabled))
			continue;
		c = add(&l, HVCTL_CHANGE_DESTROYED, o->id, o->name);
		if (c)
			c->old_state = c->state = o->state;
	}
	next = calloc(s->num_cells ? s->num_cells : 1, sizeof(*next));
	if (!next)
		l.err = -ENOMEM;
	for (i = 0; next && i < s->num_cells; i++) {
		const struct hvctl_cell_info *ci = &s->cells[i];
		const struct seen *old = find(d, ci->id);
		struct hvctl_change *c = NULL;

		if (d->have && !old)
			c = add(&l, HVCTL_CHANGE_CREATED, ci->id, ci->name);
		else if (d->have && old->state != ci->state)
			c = add(&l, HVCTL_CHANGE_STATE, ci->id, ci->name);
		if (c) {
			c->old_state = old ? old->state : ci->state;
			c->state = ci->state;
		}
		if (d->have && failure_is_news(old, ci)) {
			c = add(&l, HVCTL_CHANGE_FAILED, ci->id, ci->name);
			if (c) {
				c->old_state = c->state = ci->state;
				c->failed_list = strdup(ci->failed_list ?
							ci->failed_list : "");
				c->failure = ci->failure ? strdup(ci->failure) :
					     NULL;
				if (!c->failed_list ||
				    (ci->failure && !c->failure))
					l.err = -ENOMEM;
			}
		}
		next[i].id = ci->id;
		snprintf(next[i].name, sizeof(next[i].name), "%s", ci->name);
		next[i].state = ci->state;
		next[i].num_failed = ci->num_failed;
		next[i].failure = ci->failure ? strdup(ci->failure) : NULL;
		if (ci->failure && !next[i].failure)
			l.err = -ENOMEM;
	}
	if (l.err) {
		/* Refused: d still holds the last snapshot, nothing is lost. */
		if (next)
			seen_free(next, s->num_cells);
		hvctl_changes_free(l.v, l.n);
		return l.err;
	}
	seen_free(d->cells, d->num);
	d->cells = next;
	d->num = s->num_cells;
	d->enabled = enabled;
	d->have = true;
	*out = l.v;
	*count = l.n;
	return 0;
}

int hvctl_change_text(const struct hvctl_change *c, char *buf, size_t size)
{
	switch (c->kind) {
	case HVCTL_CHANGE_ENABLED:
		return snprintf(buf, size, "hypervisor enabled");
	case HVCTL_CHANGE_DISABLED:
		return snprintf(buf, size, "hypervisor disabled");
	case HVCTL_CHANGE_DESTROYED:
		return snprintf(buf, size, "cell \"%s\" (ID %d) destroyed",
				c->name, c->id);
	case HVCTL_CHANGE_CREATED:
		return snprintf(buf, size, "cell \"%s\" (ID %d) created: %s",
				c->name, c->id,
				hvctl_cell_state_name(c->state));
	case HVCTL_CHANGE_STATE:
		return snprintf(buf, size, "cell \"%s\" (ID %d): %s -> %s",
				c->name, c->id,
				hvctl_cell_state_name(c->old_state),
				hvctl_cell_state_name(c->state));
	case HVCTL_CHANGE_FAILED:
		return snprintf(buf, size, "cell \"%s\" (ID %d), CPU %s: %s",
				c->name, c->id,
				c->failed_list ? c->failed_list : "?",
				c->failure ? c->failure :
				"no reason recorded (see hvctl console)");
	}
	return snprintf(buf, size, "?");
}
