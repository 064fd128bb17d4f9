// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Field-level differences of two configs (hvctl_config_diff), behind
 * `hvctl config diff` and hvtop's diff key. Both configs are written by
 * the one JSON writer from their binary images alone and the two trees
 * compared, so every path and value is spelt as the format spells it
 * (names.h) and nothing the hypervisor does not see (region names) can
 * differ.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include <hvctl/config.h>

#include "config_internal.h"

#define PATH_MAX_TEXT	256

struct diff {
	struct hvctl_config_changes *out;
	size_t cap;
	const struct hvctl_config *old_cfg, *new_cfg;
	int ret;
};

/* A value as one line of the format's words: no quotes, lists joined. */
static char *value_text(struct json_object *v)
{
	json_type t = json_object_get_type(v);

	if (!v)
		return NULL;
	if (t == json_type_string)
		return strdup(json_object_get_string(v));
	if (t == json_type_array) {
		size_t n = json_object_array_length(v), i, len = 1;
		bool scalars = true;
		char *s;

		for (i = 0; i < n && scalars; i++) {
			json_type et = json_object_get_type(json_object_array_get_idx(v, i));

			scalars = et != json_type_array && et != json_type_object;
		}
		if (scalars) {
			for (i = 0; i < n; i++)
				len += strlen(json_object_get_string(
					json_object_array_get_idx(v, i))) + 1;
			s = malloc(len);
			if (!s)
				return NULL;
			s[0] = '\0';
			for (i = 0; i < n; i++) {
				if (i)
					strcat(s, ",");
				strcat(s, json_object_get_string(json_object_array_get_idx(v, i)));
			}
			return s;
		}
	}
	return strdup(json_object_to_json_string_ext(v, JSON_C_TO_STRING_PLAIN |
						     JSON_C_TO_STRING_NOSLASHESCAPE));
}

/* The name a region or device has in either config (JSON only). */
static const char *label_of(const struct diff *d, const char *array, size_t idx)
{
	const struct hvctl_config *c[2] = { d->new_cfg, d->old_cfg };
	int k;

	for (k = 0; k < 2; k++) {
		char **names = !strcmp(array, "memory_regions") ? c[k]->mem_names :
			       !strcmp(array, "pci_devices") ? c[k]->pci_names : NULL;
		size_t n = !strcmp(array, "memory_regions") ? c[k]->cell->num_memory_regions :
			   !strcmp(array, "pci_devices") ? c[k]->cell->num_pci_devices : 0;

		if (names && idx < n && names[idx] && names[idx][0])
			return names[idx];
	}
	return NULL;
}

static void add(struct diff *d, const char *path, const char *label,
		struct json_object *a, struct json_object *b)
{
	struct hvctl_config_changes *o = d->out;
	struct hvctl_config_change *c;

	if (d->ret)
		return;
	if (o->count == d->cap) {
		size_t cap = d->cap ? d->cap * 2 : 16;
		struct hvctl_config_change *n = realloc(o->items, cap * sizeof(*n));

		if (!n) {
			d->ret = -ENOMEM;
			return;
		}
		o->items = n;
		d->cap = cap;
	}
	c = &o->items[o->count];
	memset(c, 0, sizeof(*c));
	c->path = strdup(path);
	c->label = label ? strdup(label) : NULL;
	c->old_value = a ? value_text(a) : NULL;
	c->new_value = b ? value_text(b) : NULL;
	o->count++;
	if (!c->path || (label && !c->label) || (a && !c->old_value) ||
	    (b && !c->new_value))
		d->ret = -ENOMEM;
}

static bool scalar_array(struct json_object *v)
{
	size_t i, n;

	if (json_object_get_type(v) != json_type_array)
		return false;
	n = json_object_array_length(v);
	for (i = 0; i < n; i++) {
		json_type t = json_object_get_type(json_object_array_get_idx(v, i));

		if (t == json_type_array || t == json_type_object)
			return false;
	}
	return true;
}

static void walk(struct diff *d, const char *path, const char *label,
		 struct json_object *a, struct json_object *b);

/*
 * A cell's ID is the driver's choice, not the config's: create ignores
 * the one in the file, and the running config holds the one it got.
 */
static bool ignored(const char *path, const char *key)
{
	return !path[0] && !strcmp(key, "id");
}

static void walk_object(struct diff *d, const char *path, const char *label,
			struct json_object *a, struct json_object *b)
{
	char sub[PATH_MAX_TEXT];

	/* Members of a, in the writer's order, then those only b has. */
	json_object_object_foreach(a, key, va) {
		struct json_object *vb = NULL;

		if (ignored(path, key))
			continue;
		snprintf(sub, sizeof(sub), "%s%s%s", path, path[0] ? "." : "", key);
		if (!json_object_object_get_ex(b, key, &vb))
			add(d, sub, label, va, NULL);
		else
			walk(d, sub, label, va, vb);
	}
	json_object_object_foreach(b, key2, vb2) {
		if (json_object_object_get_ex(a, key2, NULL) || ignored(path, key2))
			continue;
		snprintf(sub, sizeof(sub), "%s%s%s", path, path[0] ? "." : "", key2);
		add(d, sub, label, NULL, vb2);
	}
}

static void walk(struct diff *d, const char *path, const char *label,
		 struct json_object *a, struct json_object *b)
{
	json_type ta = json_object_get_type(a), tb = json_object_get_type(b);
	char sub[PATH_MAX_TEXT];
	size_t i, na, nb;

	if (d->ret || json_object_equal(a, b))
		return;
	if (ta == json_type_object && tb == json_type_object) {
		walk_object(d, path, label, a, b);
		return;
	}
	/* Lists of records (regions, devices) by position; lists of words whole. */
	if (ta == json_type_array && tb == json_type_array &&
	    !(scalar_array(a) && scalar_array(b))) {
		na = json_object_array_length(a);
		nb = json_object_array_length(b);
		for (i = 0; i < na || i < nb; i++) {
			const char *l = label_of(d, path, i);

			snprintf(sub, sizeof(sub), "%s[%zu]", path, i);
			walk(d, sub, l, i < na ? json_object_array_get_idx(a, i) : NULL,
			     i < nb ? json_object_array_get_idx(b, i) : NULL);
		}
		return;
	}
	add(d, path, label, a, b);
}

/* The config as JSON from its binary image alone, parsed. */
static int tree_of(const struct hvctl_config *c, struct json_object **out,
		   struct hvctl_error *err)
{
	struct hvctl_config *bare;
	char *text;
	int ret;

	ret = hvctl_config_parse_binary(&bare, c->data, c->size, c->source, err);
	if (ret)
		return ret;
	ret = hvctl_config_to_json(bare, &text, err);
	hvctl_config_free(bare);
	if (ret)
		return ret;
	*out = json_tokener_parse(text);
	free(text);
	if (!*out) {
		config_error(err, "%s: the JSON writer's text did not parse back",
			     c->source ? c->source : "config");
		return -EINVAL;
	}
	return 0;
}

int hvctl_config_diff(const struct hvctl_config *old_config,
		      const struct hvctl_config *new_config,
		      struct hvctl_config_changes **out, struct hvctl_error *err)
{
	struct json_object *a = NULL, *b = NULL;
	struct diff d = { .old_cfg = old_config, .new_cfg = new_config };
	int ret;

	*out = NULL;
	d.out = calloc(1, sizeof(*d.out));
	if (!d.out) {
		config_error(err, "out of memory");
		return -ENOMEM;
	}
	/* The same bytes are the same config: nothing to walk. */
	if (old_config->size == new_config->size &&
	    !memcmp(old_config->data, new_config->data, old_config->size)) {
		*out = d.out;
		return 0;
	}
	ret = tree_of(old_config, &a, err);
	if (!ret)
		ret = tree_of(new_config, &b, err);
	if (!ret) {
		walk(&d, "", NULL, a, b);
		ret = d.ret;
		if (ret)
			config_error(err, "out of memory");
	}
	json_object_put(a);
	json_object_put(b);
	if (ret) {
		hvctl_config_changes_free(d.out);
		return ret;
	}
	*out = d.out;
	return 0;
}

void hvctl_config_changes_free(struct hvctl_config_changes *changes)
{
	size_t i;

	if (!changes)
		return;
	for (i = 0; i < changes->count; i++) {
		free(changes->items[i].path);
		free(changes->items[i].label);
		free(changes->items[i].old_value);
		free(changes->items[i].new_value);
	}
	free(changes->items);
	free(changes);
}
