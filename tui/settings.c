// SPDX-License-Identifier: MIT
/*
 * Settings file: defaults, parsing with precise messages, atomic save.
 */
#include "settings.h"

#include <errno.h>
#include <json-c/json.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "keymap.h"
#include "sort.h"
#include "theme.h"
#include "view.h"

void tui_settings_defaults(struct tui_settings *s)
{
	memset(s, 0, sizeof(*s));
	s->refresh_ms = TUI_REFRESH_DEFAULT_MS;
	snprintf(s->view, sizeof(s->view), "dashboard");
	snprintf(s->cells_sort, sizeof(s->cells_sort), "id");
	snprintf(s->cpus_sort, sizeof(s->cpus_sort), "cpu");
	snprintf(s->theme, sizeof(s->theme), "default");
	s->color = true;
	s->console_lines = TUI_CONSOLE_LINES_DEFAULT;
}

void tui_settings_free(struct tui_settings *s)
{
	if (s->raw)
		json_object_put(s->raw);
	s->raw = NULL;
}

int tui_settings_path(char *buf, size_t n)
{
	char dir[TUI_PATH_MAX];
	int ret = tui_config_home(dir, sizeof(dir));

	if (ret)
		return ret;
	if ((size_t)snprintf(buf, n, "%s/config.json", dir) >= n)
		return -ENAMETOOLONG;
	return 0;
}

/* Report "source: field: reason". */
#define FIELD_ERR(fmt, ...)						\
	do {								\
		snprintf(err, errlen, "%s: %s: " fmt, source, key,	\
			 ##__VA_ARGS__);				\
		goto fail;						\
	} while (0)

static const char *const known_keys[] = {
	"version", "refresh_seconds", "view", "cells_sort",
	"cells_sort_reverse", "cpus_sort", "cpus_sort_reverse", "theme",
	"color", "ascii", "console_lines", "config_dir", "image_dir", "keys",
};

static bool is_known(const char *key)
{
	size_t i;

	for (i = 0; i < sizeof(known_keys) / sizeof(known_keys[0]); i++)
		if (!strcmp(known_keys[i], key))
			return true;
	return false;
}

static int copy_string(char *dst, size_t n, struct json_object *v)
{
	const char *str = json_object_get_string(v);

	if (strlen(str) >= n)
		return -ENAMETOOLONG;
	strcpy(dst, str);
	return 0;
}

int tui_settings_parse(struct tui_settings *s, const char *text,
		       const char *source, char *err, size_t errlen,
		       char *warn, size_t warnlen)
{
	struct tui_settings work = *s;
	struct json_tokener *tok;
	struct json_object *root;
	enum json_tokener_error jerr;
	const char *key = "";

	if (warn && warnlen)
		warn[0] = '\0';
	tok = json_tokener_new();
	if (!tok) {
		snprintf(err, errlen, "%s: out of memory", source);
		return -ENOMEM;
	}
	root = json_tokener_parse_ex(tok, text, (int)strlen(text));
	jerr = json_tokener_get_error(tok);
	if (!root || jerr != json_tokener_success) {
		size_t off = json_tokener_get_parse_end(tok), i;
		unsigned int line = 1, col = 1;

		for (i = 0; i < off && text[i]; i++) {
			if (text[i] == '\n') {
				line++;
				col = 1;
			} else {
				col++;
			}
		}
		snprintf(err, errlen, "%s:%u:%u: not valid JSON: %s", source,
			 line, col, root ? "trailing data" :
			 json_tokener_error_desc(jerr == json_tokener_continue ?
						 json_tokener_error_parse_eof : jerr));
		json_tokener_free(tok);
		if (root)
			json_object_put(root);
		s->no_save = true;
		return -EINVAL;
	}
	json_tokener_free(tok);
	if (!json_object_is_type(root, json_type_object)) {
		snprintf(err, errlen, "%s: the top level must be a JSON object", source);
		goto fail;
	}

	json_object_object_foreach(root, k, v) {
		key = k;
		if (!strcmp(k, "version")) {
			if (!json_object_is_type(v, json_type_int) ||
			    json_object_get_int64(v) < 1)
				FIELD_ERR("must be a positive integer");
			if (json_object_get_int64(v) > TUI_SETTINGS_VERSION)
				FIELD_ERR("written by a newer hvtop (version %lld, this one reads %d)",
					  (long long)json_object_get_int64(v),
					  TUI_SETTINGS_VERSION);
		} else if (!strcmp(k, "refresh_seconds")) {
			double sec;

			if (!json_object_is_type(v, json_type_double) &&
			    !json_object_is_type(v, json_type_int))
				FIELD_ERR("must be a number of seconds");
			sec = json_object_get_double(v);
			if (!isfinite(sec) || sec * 1000.0 < TUI_REFRESH_MIN_MS - 0.5 ||
			    sec * 1000.0 > TUI_REFRESH_MAX_MS + 0.5)
				FIELD_ERR("%g is out of range (%.1f to %d seconds)", sec,
					  TUI_REFRESH_MIN_MS / 1000.0,
					  TUI_REFRESH_MAX_MS / 1000);
			work.refresh_ms = (unsigned int)lround(sec * 1000.0);
		} else if (!strcmp(k, "view")) {
			if (!json_object_is_type(v, json_type_string) ||
			    tui_view_from_name(json_object_get_string(v)) < 0)
				FIELD_ERR("must be one of cells, cpus, memory, ivshmem, console");
			copy_string(work.view, sizeof(work.view), v);
		} else if (!strcmp(k, "cells_sort") || !strcmp(k, "cpus_sort")) {
			bool cells = k[1] == 'e';

			if (!json_object_is_type(v, json_type_string) ||
			    (cells ? tui_cell_sort_from_name(json_object_get_string(v)) :
			     tui_cpu_sort_from_name(json_object_get_string(v))) < 0)
				FIELD_ERR("must be one of %s", cells ?
					  "id, name, state, cpus, memory, rate, total" :
					  "cpu, owner, state, rate");
			if (cells)
				copy_string(work.cells_sort, sizeof(work.cells_sort), v);
			else
				copy_string(work.cpus_sort, sizeof(work.cpus_sort), v);
		} else if (!strcmp(k, "cells_sort_reverse") || !strcmp(k, "cpus_sort_reverse") ||
			   !strcmp(k, "color") || !strcmp(k, "ascii")) {
			bool b;

			if (!json_object_is_type(v, json_type_boolean))
				FIELD_ERR("must be true or false");
			b = json_object_get_boolean(v);
			if (!strcmp(k, "color"))
				work.color = b;
			else if (!strcmp(k, "ascii"))
				work.ascii = b;
			else if (k[1] == 'e')
				work.cells_sort_reverse = b;
			else
				work.cpus_sort_reverse = b;
		} else if (!strcmp(k, "theme")) {
			const char *t;
			char path[TUI_PATH_MAX], msg[16];

			if (!json_object_is_type(v, json_type_string))
				FIELD_ERR("must be a theme name");
			t = json_object_get_string(v);
			/* Only the name's shape here; whether it exists is
			 * checked (and reported) when the theme is loaded. */
			if (!*t || strlen(t) >= sizeof(work.theme) ||
			    (!strchr(t, '/') &&
			     tui_theme_find(path, sizeof(path), t, NULL, msg, sizeof(msg)) == -EINVAL))
				FIELD_ERR("\"%s\" is not a valid theme name", t);
			copy_string(work.theme, sizeof(work.theme), v);
		} else if (!strcmp(k, "console_lines")) {
			int64_t n;

			if (!json_object_is_type(v, json_type_int))
				FIELD_ERR("must be an integer");
			n = json_object_get_int64(v);
			if (n < TUI_CONSOLE_LINES_MIN || n > TUI_CONSOLE_LINES_MAX)
				FIELD_ERR("%lld is out of range (%d to %d)", (long long)n,
					  TUI_CONSOLE_LINES_MIN, TUI_CONSOLE_LINES_MAX);
			work.console_lines = (unsigned int)n;
		} else if (!strcmp(k, "config_dir") || !strcmp(k, "image_dir")) {
			char *dst = k[0] == 'c' ? work.config_dir : work.image_dir;

			if (!json_object_is_type(v, json_type_string))
				FIELD_ERR("must be a directory path");
			if (copy_string(dst, TUI_PATH_MAX, v))
				FIELD_ERR("path too long");
		} else if (!strcmp(k, "keys")) {
			char kerr[256];
			struct tui_keymap km;

			if (!json_object_is_type(v, json_type_object))
				FIELD_ERR("must be an object of action: \"keys\"");
			work.num_keys = 0;
			tui_keymap_defaults(&km);
			json_object_object_foreach(v, action, spec) {
				struct tui_key_override *o;

				if (work.num_keys == TUI_SETTINGS_MAX_KEYS)
					FIELD_ERR("more than %d actions rebound",
						  TUI_SETTINGS_MAX_KEYS);
				if (!json_object_is_type(spec, json_type_string))
					FIELD_ERR("%s: must be a string of key names", action);
				/* Checked against a scratch key map here so a
				 * mistake is reported with the file's name. */
				if (tui_keymap_rebind(&km, action, json_object_get_string(spec),
						      kerr, sizeof(kerr)))
				{
					snprintf(err, errlen, "%s: %s", source, kerr);
					goto fail;
				}
				o = &work.keys[work.num_keys++];
				if (strlen(action) >= sizeof(o->action) ||
				    copy_string(o->keys, sizeof(o->keys), spec))
					FIELD_ERR("%s: too long", action);
				strcpy(o->action, action);
			}
		} else if (warn && warnlen && !warn[0] && !is_known(k)) {
			snprintf(warn, warnlen, "%s: unknown setting \"%s\" ignored",
				 source, k);
		}
	}
	if (work.raw)
		json_object_put(work.raw);
	work.raw = root;
	*s = work;
	return 0;
fail:
	json_object_put(root);
	s->no_save = true;
	return -EINVAL;
}

int tui_settings_load(struct tui_settings *s, const char *path,
		      char *err, size_t errlen, char *warn, size_t warnlen)
{
	size_t len;
	char *text;
	int ret;

	if (warn && warnlen)
		warn[0] = '\0';
	ret = tui_read_file(path, &text, &len, 1u << 20);
	if (ret == -ENOENT)
		return 0;
	if (ret) {
		snprintf(err, errlen, "%s: %s", path, strerror(-ret));
		s->no_save = true;
		return ret;
	}
	if (strlen(text) != len) {
		snprintf(err, errlen, "%s: not a text file (contains NUL bytes)", path);
		free(text);
		s->no_save = true;
		return -EINVAL;
	}
	ret = tui_settings_parse(s, text, path, err, errlen, warn, warnlen);
	free(text);
	return ret;
}

char *tui_settings_to_json(const struct tui_settings *s)
{
	struct json_object *root = NULL, *keys;
	const char *text;
	char *out = NULL;
	unsigned int i;

	/* Start from the file as read so unknown keys are kept (json-c wants
	 * the destination NULL). */
	if (s->raw) {
		if (json_object_deep_copy(s->raw, &root, NULL))
			return NULL;
	} else {
		root = json_object_new_object();
		if (!root)
			return NULL;
	}
	json_object_object_add(root, "version", json_object_new_int(TUI_SETTINGS_VERSION));
	json_object_object_add(root, "refresh_seconds",
			       json_object_new_double(s->refresh_ms / 1000.0));
	json_object_object_add(root, "view", json_object_new_string(s->view));
	json_object_object_add(root, "cells_sort", json_object_new_string(s->cells_sort));
	json_object_object_add(root, "cells_sort_reverse",
			       json_object_new_boolean(s->cells_sort_reverse));
	json_object_object_add(root, "cpus_sort", json_object_new_string(s->cpus_sort));
	json_object_object_add(root, "cpus_sort_reverse",
			       json_object_new_boolean(s->cpus_sort_reverse));
	json_object_object_add(root, "theme", json_object_new_string(s->theme));
	json_object_object_add(root, "color", json_object_new_boolean(s->color));
	json_object_object_add(root, "ascii", json_object_new_boolean(s->ascii));
	json_object_object_add(root, "console_lines", json_object_new_int64(s->console_lines));
	json_object_object_add(root, "config_dir", json_object_new_string(s->config_dir));
	json_object_object_add(root, "image_dir", json_object_new_string(s->image_dir));
	keys = json_object_new_object();
	for (i = 0; keys && i < s->num_keys; i++)
		json_object_object_add(keys, s->keys[i].action,
				       json_object_new_string(s->keys[i].keys));
	json_object_object_add(root, "keys", keys);

	text = json_object_to_json_string_ext(root, JSON_C_TO_STRING_PRETTY |
					      JSON_C_TO_STRING_SPACED |
					      JSON_C_TO_STRING_NOSLASHESCAPE);
	if (text) {
		size_t len = strlen(text);

		out = malloc(len + 2);
		if (out) {
			memcpy(out, text, len);
			out[len] = '\n';
			out[len + 1] = '\0';
		}
	}
	json_object_put(root);
	return out;
}

int tui_settings_save(const struct tui_settings *s, const char *path,
		      char *err, size_t errlen)
{
	char dir[TUI_PATH_MAX], *slash, *text;
	int ret;

	if (s->no_save) {
		snprintf(err, errlen, "%s: not saved (the file could not be read as settings)",
			 path);
		return -EPERM;
	}
	snprintf(dir, sizeof(dir), "%s", path);
	slash = strrchr(dir, '/');
	if (slash && slash != dir) {
		*slash = '\0';
		ret = tui_mkdir_p(dir, 0755);
		if (ret) {
			snprintf(err, errlen, "%s: cannot create the directory: %s",
				 dir, strerror(-ret));
			return ret;
		}
	}
	text = tui_settings_to_json(s);
	if (!text) {
		snprintf(err, errlen, "%s: out of memory", path);
		return -ENOMEM;
	}
	ret = tui_write_atomic(path, text, strlen(text), err, errlen);
	free(text);
	return ret;
}

unsigned int tui_refresh_step(unsigned int ms, int dir)
{
	static const unsigned int ladder[] = {
		200, 500, 1000, 1500, 2000, 3000, 5000, 10000, 20000, 30000, 60000,
	};
	const size_t n = sizeof(ladder) / sizeof(ladder[0]);
	size_t i;

	if (dir > 0) {
		for (i = 0; i < n; i++)
			if (ladder[i] > ms)
				return ladder[i];
		return ladder[n - 1];
	}
	for (i = n; i > 0; i--)
		if (ladder[i - 1] < ms)
			return ladder[i - 1];
	return ladder[0];
}
