// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Boot profiles (hvctl/profile.h, doc/profiles.md): reading, checking,
 * and bringing a board up and down with rollback.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <json-c/json.h>

#include <hvctl/console.h>
#include <hvctl/profile.h>
#include <hvctl/state.h>

#include "profile_int.h"
#include "runtime_int.h"

/* Largest profile file: far beyond any board's list of cells. */
#define PROFILE_TEXT_MAX	(1u << 20)
/* How often a health check looks at the board. */
#define HEALTH_POLL_NS		50000000ull

/* ---- Reading ---- */

struct reader {
	const char *file;	/* the profile, for messages */
	char *dir;		/* its directory, for relative names */
	struct hvctl_error *err;
};

static int read_all(const char *path, size_t max, char **data, size_t *size,
		    const char *what, struct reader *r)
{
	struct stat st;
	size_t done = 0;
	int fd, e;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st)) {
		e = errno;
		rt_error(r->err, "%s: %s %s: %s", r->file, what, path,
			 strerror(e));
		if (fd >= 0)
			close(fd);
		return -e;
	}
	if (!S_ISREG(st.st_mode)) {
		rt_error(r->err, "%s: %s %s: not a regular file", r->file, what,
			 path);
		close(fd);
		return -EINVAL;
	}
	if ((uintmax_t)st.st_size > max) {
		rt_error(r->err, "%s: %s %s: larger than %zu bytes", r->file,
			 what, path, max);
		close(fd);
		return -EFBIG;
	}
	*size = (size_t)st.st_size;
	/* One more byte: text gets its NUL. */
	*data = malloc(*size + 1);
	if (!*data) {
		close(fd);
		rt_error(r->err, "%s: out of memory", r->file);
		return -ENOMEM;
	}
	while (done < *size) {
		ssize_t n = read(fd, *data + done, *size - done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			e = n < 0 ? errno : EIO;
			rt_error(r->err, "%s: %s %s: %s", r->file, what, path,
				 n < 0 ? strerror(e) : "file shrank while reading");
			close(fd);
			free(*data);
			*data = NULL;
			return -e;
		}
		done += (size_t)n;
	}
	(*data)[*size] = '\0';
	close(fd);
	return 0;
}

/* A name from the profile, relative to the profile's directory. */
static char *resolve(struct reader *r, const char *name)
{
	char *path;

	if (name[0] == '/' || !r->dir)
		return strdup(name);
	if (asprintf(&path, "%s/%s", r->dir, name) < 0)
		return NULL;
	return path;
}

static int bad(struct reader *r, const char *member, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int bad(struct reader *r, const char *member, const char *fmt, ...)
{
	char why[HVCTL_ERROR_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	rt_error(r->err, "%s: %s: %s", r->file, member, why);
	return -EINVAL;
}

/* Members other than those named are refused, so a typo is not ignored. */
static int only_members(struct reader *r, const char *where,
			json_object *obj, const char *const *names)
{
	json_object_object_foreach(obj, key, val) {
		const char *const *n;

		(void)val;
		for (n = names; *n; n++)
			if (!strcmp(*n, key))
				break;
		if (!*n)
			return bad(r, where, "unknown member \"%s\"", key);
	}
	return 0;
}

static int get_string(struct reader *r, const char *member, json_object *v,
		      const char **out)
{
	if (!json_object_is_type(v, json_type_string) ||
	    !json_object_get_string_len(v))
		return bad(r, member, "expected a non-empty string");
	*out = json_object_get_string(v);
	if (strlen(*out) != (size_t)json_object_get_string_len(v))
		return bad(r, member, "the string contains a NUL character");
	return 0;
}

/* A number, or a string with a decimal or 0x hex number. */
static int get_address(struct reader *r, const char *member, json_object *v,
		       uint64_t *out)
{
	const char *s;
	char *end;

	if (json_object_is_type(v, json_type_int)) {
		int64_t i = json_object_get_int64(v);

		if (i < 0)
			return bad(r, member, "an address cannot be negative");
		*out = (uint64_t)i;
		return 0;
	}
	if (!json_object_is_type(v, json_type_string))
		return bad(r, member, "expected an address (a number or \"0x...\")");
	s = json_object_get_string(v);
	if (!*s || *s == '-' || *s == '+' || *s == ' ')
		return bad(r, member, "invalid address \"%s\"", s);
	errno = 0;
	*out = strtoull(s, &end, 0);
	if (*end || errno)
		return bad(r, member, "invalid address \"%s\"", s);
	return 0;
}

static int read_image(struct reader *r, const char *member, json_object *obj,
		      struct hvctl_image *img)
{
	static const char *const names[] = { "file", "string", "address", NULL };
	json_object *file = NULL, *str = NULL, *addr = NULL;
	char m[96];
	const char *s;
	char *data = NULL, *path, *label;
	size_t size;
	int ret;

	if (!json_object_is_type(obj, json_type_object))
		return bad(r, member, "expected an object with \"file\" or \"string\"");
	ret = only_members(r, member, obj, names);
	if (ret)
		return ret;
	json_object_object_get_ex(obj, "file", &file);
	json_object_object_get_ex(obj, "string", &str);
	json_object_object_get_ex(obj, "address", &addr);
	if (!file == !str)
		return bad(r, member, "needs exactly one of \"file\" and \"string\"");
	if (addr) {
		snprintf(m, sizeof(m), "%s.address", member);
		ret = get_address(r, m, addr, &img->address);
		if (ret)
			return ret;
	}
	if (str) {
		snprintf(m, sizeof(m), "%s.string", member);
		if (!json_object_is_type(str, json_type_string))
			return bad(r, m, "expected a string");
		s = json_object_get_string(str);
		if (strlen(s) != (size_t)json_object_get_string_len(str))
			return bad(r, m, "the string contains a NUL character");
		/* Loaded with its terminating NUL, as 'cell load -s' does. */
		size = strlen(s) + 1;
		data = strdup(s);
		label = strdup(m);
		if (!data || !label) {
			free(data);
			free(label);
			rt_error(r->err, "%s: out of memory", r->file);
			return -ENOMEM;
		}
		img->label = label;
	} else {
		snprintf(m, sizeof(m), "%s.file", member);
		ret = get_string(r, m, file, &s);
		if (ret)
			return ret;
		path = resolve(r, s);
		if (!path) {
			rt_error(r->err, "%s: out of memory", r->file);
			return -ENOMEM;
		}
		ret = read_all(path, HVCTL_PROFILE_IMAGE_MAX, &data, &size,
			       "image", r);
		if (ret) {
			free(path);
			return ret;
		}
		img->label = path;
	}
	img->data = data;
	img->size = size;
	return 0;
}

static int read_config(struct reader *r, const char *member, json_object *v,
		       bool system, struct hvctl_config **out)
{
	struct hvctl_error cerr = { .msg = "" };
	const char *s;
	char *path;
	int ret;

	ret = get_string(r, member, v, &s);
	if (ret)
		return ret;
	path = resolve(r, s);
	if (!path) {
		rt_error(r->err, "%s: out of memory", r->file);
		return -ENOMEM;
	}
	ret = hvctl_config_read_file(out, path, &cerr);
	if (ret) {
		rt_error(r->err, "%s: %s: %s", r->file, member,
			 cerr.msg[0] ? cerr.msg : strerror(-ret));
	} else if ((*out)->is_system != system) {
		ret = bad(r, member, "%s is a %s config, expected a %s config",
			  path, (*out)->is_system ? "system" : "cell",
			  system ? "system" : "cell");
		hvctl_config_free(*out);
		*out = NULL;
	}
	free(path);
	return ret;
}

static int read_health(struct reader *r, const char *member, json_object *obj,
		       struct hvctl_profile_cell *c)
{
	static const char *const names[] = { "timeout", "console", NULL };
	json_object *t = NULL, *con = NULL;
	char m[96];
	const char *s;
	double d;
	int ret;

	if (!json_object_is_type(obj, json_type_object))
		return bad(r, member, "expected an object");
	ret = only_members(r, member, obj, names);
	if (ret)
		return ret;
	if (!json_object_object_get_ex(obj, "timeout", &t))
		return bad(r, member, "needs \"timeout\" (seconds)");
	snprintf(m, sizeof(m), "%s.timeout", member);
	if (!json_object_is_type(t, json_type_int) &&
	    !json_object_is_type(t, json_type_double))
		return bad(r, m, "expected a number of seconds");
	d = json_object_get_double(t);
	if (!isfinite(d) || d <= 0 || d > HVCTL_PROFILE_TIMEOUT_MAX)
		return bad(r, m, "%g is not within (0, %g] seconds", d,
			   HVCTL_PROFILE_TIMEOUT_MAX);
	c->timeout = d;
	if (json_object_object_get_ex(obj, "console", &con)) {
		snprintf(m, sizeof(m), "%s.console", member);
		ret = get_string(r, m, con, &s);
		if (ret)
			return ret;
		if (strlen(s) > HVCTL_PROFILE_CONSOLE_MAX)
			return bad(r, m, "longer than %d bytes",
				   HVCTL_PROFILE_CONSOLE_MAX);
		if (strchr(s, '\n') || strchr(s, '\r'))
			return bad(r, m, "must be part of one line (no line breaks)");
		c->console = strdup(s);
		if (!c->console) {
			rt_error(r->err, "%s: out of memory", r->file);
			return -ENOMEM;
		}
	}
	return 0;
}

static int read_cell(struct reader *r, size_t i, json_object *obj,
		     struct hvctl_profile_cell *c)
{
	static const char *const names[] = { "config", "images", "start",
					     "health", NULL };
	json_object *v;
	char member[32], m[64];
	size_t k, n;
	int ret;

	snprintf(member, sizeof(member), "cells[%zu]", i);
	c->start = true;
	if (!json_object_is_type(obj, json_type_object))
		return bad(r, member, "expected an object");
	ret = only_members(r, member, obj, names);
	if (ret)
		return ret;
	if (!json_object_object_get_ex(obj, "config", &v))
		return bad(r, member, "needs \"config\" (a cell config file)");
	snprintf(m, sizeof(m), "%s.config", member);
	ret = read_config(r, m, v, false, &c->config);
	if (ret)
		return ret;
	memcpy(c->name, c->config->cell->name, HVCTL_CELL_NAME_MAX);
	c->name[HVCTL_CELL_NAME_MAX] = '\0';
	if (json_object_object_get_ex(obj, "start", &v)) {
		snprintf(m, sizeof(m), "%s.start", member);
		if (!json_object_is_type(v, json_type_boolean))
			return bad(r, m, "expected true or false");
		c->start = json_object_get_boolean(v);
	}
	if (json_object_object_get_ex(obj, "images", &v)) {
		snprintf(m, sizeof(m), "%s.images", member);
		if (!json_object_is_type(v, json_type_array))
			return bad(r, m, "expected a list of images");
		n = json_object_array_length(v);
		c->images = calloc(n ? n : 1, sizeof(*c->images));
		if (!c->images) {
			rt_error(r->err, "%s: out of memory", r->file);
			return -ENOMEM;
		}
		for (k = 0; k < n; k++) {
			snprintf(m, sizeof(m), "%s.images[%zu]", member, k);
			ret = read_image(r, m, json_object_array_get_idx(v, k),
					 &c->images[k]);
			if (ret)
				return ret;
			c->num_images++;
		}
	}
	if (json_object_object_get_ex(obj, "health", &v)) {
		snprintf(m, sizeof(m), "%s.health", member);
		if (!c->start)
			return bad(r, m, "a cell that is not started has no health check");
		ret = read_health(r, m, v, c);
		if (ret)
			return ret;
	}
	return 0;
}

static int parse_profile(struct reader *r, const char *text,
			 struct hvctl_profile *p)
{
	static const char *const names[] = { "profile", "system", "cells", NULL };
	struct json_tokener *tok;
	enum json_tokener_error jerr;
	json_object *root, *v, *cells;
	size_t i, n, len = strlen(text);
	int ret;

	tok = json_tokener_new();
	if (!tok) {
		rt_error(r->err, "%s: out of memory", r->file);
		return -ENOMEM;
	}
	root = json_tokener_parse_ex(tok, text, (int)len);
	jerr = json_tokener_get_error(tok);
	if (root && jerr == json_tokener_success &&
	    json_tokener_get_parse_end(tok) < len) {
		const char *rest = text + json_tokener_get_parse_end(tok);

		rest += strspn(rest, " \t\r\n");
		if (*rest)
			jerr = json_tokener_error_parse_unexpected;
	}
	json_tokener_free(tok);
	if (!root || jerr != json_tokener_success) {
		json_object_put(root);
		rt_error(r->err, "%s: not a JSON profile: %s", r->file,
			 jerr == json_tokener_success ||
			 jerr == json_tokener_continue ?
			 "the text ends early" : json_tokener_error_desc(jerr));
		return -EINVAL;
	}
	ret = -EINVAL;
	if (!json_object_is_type(root, json_type_object)) {
		bad(r, "top level", "expected an object");
		goto out;
	}
	ret = only_members(r, "top level", root, names);
	if (ret)
		goto out;
	ret = -EINVAL;
	if (!json_object_object_get_ex(root, "profile", &v) ||
	    !json_object_is_type(v, json_type_int) ||
	    json_object_get_int64(v) != HVCTL_PROFILE_VERSION) {
		bad(r, "profile", "expected \"profile\": %d (the format version)",
		    HVCTL_PROFILE_VERSION);
		goto out;
	}
	if (!json_object_object_get_ex(root, "system", &v)) {
		bad(r, "top level", "needs \"system\" (a system config file)");
		goto out;
	}
	ret = read_config(r, "system", v, true, &p->system);
	if (ret)
		goto out;
	ret = -EINVAL;
	if (!json_object_object_get_ex(root, "cells", &cells)) {
		ret = 0;
		goto out;
	}
	if (!json_object_is_type(cells, json_type_array)) {
		bad(r, "cells", "expected a list of cells");
		goto out;
	}
	n = json_object_array_length(cells);
	p->cells = calloc(n ? n : 1, sizeof(*p->cells));
	if (!p->cells) {
		rt_error(r->err, "%s: out of memory", r->file);
		ret = -ENOMEM;
		goto out;
	}
	for (i = 0; i < n; i++) {
		p->num_cells++;
		ret = read_cell(r, i, json_object_array_get_idx(cells, i),
				&p->cells[i]);
		if (ret)
			goto out;
	}
	ret = 0;
out:
	json_object_put(root);
	return ret;
}

int hvctl_profile_read(struct hvctl_profile **out, const char *path,
		       struct hvctl_error *err)
{
	struct reader r = { .file = path, .err = err };
	struct hvctl_profile *p;
	const char *slash;
	char *text = NULL;
	size_t size;
	int ret;

	*out = NULL;
	slash = strrchr(path, '/');
	p = calloc(1, sizeof(*p));
	if (!p || !(p->path = strdup(path)) ||
	    (slash && !(r.dir = strndup(path, (size_t)(slash - path) + 1)))) {
		free(p ? p->path : NULL);
		free(p);
		rt_error(err, "%s: out of memory", path);
		return -ENOMEM;
	}
	/* "dir/" keeps "/" itself a directory when the profile is at the root. */
	if (r.dir && strlen(r.dir) > 1)
		r.dir[strlen(r.dir) - 1] = '\0';
	ret = read_all(path, PROFILE_TEXT_MAX, &text, &size, "profile", &r);
	if (!ret && strlen(text) != size)
		ret = bad(&r, "top level", "the file contains a NUL byte");
	if (!ret)
		ret = parse_profile(&r, text, p);
	free(text);
	free(r.dir);
	if (ret) {
		hvctl_profile_free(p);
		return ret;
	}
	*out = p;
	return 0;
}

void hvctl_profile_free(struct hvctl_profile *profile)
{
	size_t i, k;

	if (!profile)
		return;
	for (i = 0; i < profile->num_cells; i++) {
		struct hvctl_profile_cell *c = &profile->cells[i];

		for (k = 0; k < c->num_images; k++) {
			free((void *)c->images[k].data);
			free((void *)c->images[k].label);
		}
		free(c->images);
		free(c->console);
		hvctl_config_free(c->config);
	}
	free(profile->cells);
	hvctl_config_free(profile->system);
	free(profile->path);
	free(profile);
}

/* ---- Checking ---- */

static int add_finding(struct hvctl_findings *f, const char *file,
		       const char *path, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static int add_finding(struct hvctl_findings *f, const char *file,
		       const char *path, const char *fmt, ...)
{
	struct hvctl_finding *items, *it;
	va_list ap;
	int n;

	items = realloc(f->items, (f->count + 1) * sizeof(*items));
	if (!items)
		return -ENOMEM;
	f->items = items;
	it = &items[f->count];
	it->file = strdup(file);
	it->path = strdup(path);
	va_start(ap, fmt);
	n = vasprintf(&it->message, fmt, ap);
	va_end(ap);
	if (n < 0)
		it->message = NULL;
	if (!it->file || !it->path || !it->message) {
		free(it->file);
		free(it->path);
		free(it->message);
		return -ENOMEM;
	}
	f->count++;
	return 0;
}

/* The image must lie inside one region of the cell that takes images. */
static int check_image(struct hvctl_findings *f, const char *file,
		       const struct hvctl_profile_cell *c, size_t i, size_t k)
{
	const struct hvctl_image *img = &c->images[k];
	const struct hvctl_config *cfg = c->config;
	uint32_t r, n = cfg->cell->num_memory_regions;
	char path[64];

	snprintf(path, sizeof(path), "cells[%zu].images[%zu]", i, k);
	for (r = 0; r < n; r++) {
		const struct hv_memory *m = &cfg->mem[r];
		uint64_t vs = m->virt_start, sz = m->size;

		if (m->flags & HV_MEM_COMM_REGION)
			continue;
		if (img->address < vs || img->address - vs >= sz)
			continue;
		if (img->size > sz - (img->address - vs))
			return add_finding(f, file, path,
				"%s: %s (0x%zx bytes at 0x%" PRIx64 ") runs past the end of memory region %u of cell '%s' (0x%" PRIx64 "-0x%" PRIx64 ")",
				path, img->label, img->size, img->address, r,
				c->name, vs, vs + sz - 1);
		if ((m->flags & (HV_MEM_WRITE | HV_MEM_LOADABLE)) !=
		    (HV_MEM_WRITE | HV_MEM_LOADABLE))
			return add_finding(f, file, path,
				"%s: %s targets memory region %u of cell '%s', which is not loadable (needs the write and loadable flags)",
				path, img->label, r, c->name);
		return 0;
	}
	if (!img->size)
		return 0;
	return add_finding(f, file, path,
		"%s: %s (0x%zx bytes at 0x%" PRIx64 ") is outside every memory region of cell '%s'",
		path, img->label, img->size, img->address, c->name);
}

int hvctl_profile_check(const struct hvctl_profile *profile,
			struct hvctl_findings **out)
{
	const struct hvctl_config **cells;
	struct hvctl_findings *f;
	size_t i, j, k;
	int ret;

	*out = NULL;
	cells = calloc(profile->num_cells ? profile->num_cells : 1,
		       sizeof(*cells));
	if (!cells)
		return -ENOMEM;
	for (i = 0; i < profile->num_cells; i++)
		cells[i] = profile->cells[i].config;
	ret = hvctl_config_check(profile->system, cells, profile->num_cells,
				 &f);
	free(cells);
	if (ret)
		return ret;
	for (i = 0; i < profile->num_cells && !ret; i++) {
		const struct hvctl_profile_cell *c = &profile->cells[i];
		char path[32];

		snprintf(path, sizeof(path), "cells[%zu]", i);
		for (j = 0; j < i && !ret; j++)
			if (!strcmp(profile->cells[j].name, c->name))
				ret = add_finding(f, profile->path, path,
					"%s: cell name '%s' is also the name of cells[%zu]; names must be unique",
					path, c->name, j);
		for (k = 0; k < c->num_images && !ret; k++)
			ret = check_image(f, profile->path, c, i, k);
	}
	if (ret) {
		hvctl_findings_free(f);
		return ret;
	}
	*out = f;
	return 0;
}

/* ---- Up and down ---- */

struct run {
	struct hvctl_ctx *ctx;
	hvctl_profile_log_fn *log;
	void *arg;
};

static void say(struct run *run, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void say(struct run *run, const char *fmt, ...)
{
	char line[HVCTL_ERROR_MAX];
	va_list ap;

	if (!run->log)
		return;
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	run->log(run->arg, line);
}

/* The library's message of the last failure, or the errno text. */
static void reason(struct run *run, int err, char *buf, size_t len)
{
	const char *msg = hvctl_errmsg(run->ctx);

	if (msg[0])
		snprintf(buf, len, "%s (%s)", msg, strerror(-err));
	else
		snprintf(buf, len, "%s", strerror(-err));
}

void profile_match_init(struct profile_match *m, const char *needle)
{
	memset(m, 0, sizeof(*m));
	m->needle = needle;
	m->len = needle ? strlen(needle) : 0;
}

void profile_match_feed(struct profile_match *m, const char *data, size_t n)
{
	size_t i;

	if (!m->len)
		return;
	for (i = 0; i < n && !m->found; i++) {
		if (data[i] == '\n' || data[i] == '\r') {
			m->fill = 0;
			continue;
		}
		if (m->fill == sizeof(m->buf)) {
			/* Keep the last len - 1 bytes: a match may still end later. */
			size_t keep = m->len - 1;

			memmove(m->buf, m->buf + m->fill - keep, keep);
			m->fill = keep;
		}
		m->buf[m->fill++] = data[i];
		if (m->fill >= m->len &&
		    !memcmp(m->buf + m->fill - m->len, m->needle, m->len))
			m->found = true;
	}
}

/* Read what is new on con into lm; 0 or the read's error. */
static int match_drain(struct hvctl_console *con, struct profile_match *lm)
{
	char buf[1024];
	size_t len;
	int ret;

	do {
		ret = hvctl_console_read(con, buf, sizeof(buf), &len, NULL);
		if (ret)
			return ret;
		if (lm)
			profile_match_feed(lm, buf, len);
	} while (len == sizeof(buf));
	return 0;
}

static void sleep_ns(uint64_t ns)
{
	struct timespec ts = {
		.tv_sec = (time_t)(ns / 1000000000ull),
		.tv_nsec = (long)(ns % 1000000000ull),
	};

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

/*
 * Wait until cell id is running and, if asked, its console showed the
 * line. The console reader was opened before the cell started. 0, or
 * -ETIME / -EIO with why filled.
 */
static int health(struct run *run, const struct hvctl_profile_cell *c, int id,
		  struct hvctl_console *con, char *why, size_t len)
{
	struct profile_match lm;
	uint64_t start = rt_now_ns();
	uint64_t limit = (uint64_t)(c->timeout * 1e9);
	const char *state = "unknown";
	bool running = false;
	int ret;

	profile_match_init(&lm, c->console);
	for (;;) {
		struct hvctl_snapshot *snap;
		const struct hvctl_cell_info *ci;

		if (con && !lm.found) {
			ret = match_drain(con, &lm);
			if (ret) {
				reason(run, ret, why, len);
				return ret;
			}
		}
		ret = hvctl_snapshot(run->ctx, HVCTL_READ_CELLS,
				     HVCTL_CPU_STATS_NONE, NULL, &snap);
		if (ret) {
			reason(run, ret, why, len);
			return ret;
		}
		ci = hvctl_snapshot_cell(snap, id);
		if (!ci) {
			hvctl_snapshot_free(snap);
			snprintf(why, len, "the cell disappeared");
			return -ENOENT;
		}
		state = hvctl_cell_state_name(ci->state);
		running = ci->state == HVCTL_CELL_RUNNING ||
			  ci->state == HVCTL_CELL_RUNNING_LOCKED;
		if (ci->state == HVCTL_CELL_FAILED ||
		    ci->state == HVCTL_CELL_FAILED_COMM_REV) {
			snprintf(why, len, "the cell is in state '%s'", state);
			hvctl_snapshot_free(snap);
			return -EIO;
		}
		hvctl_snapshot_free(snap);
		if (running && (!c->console || lm.found)) {
			say(run, "cell '%s': healthy after %.1f s (state running%s)",
			    c->name, (double)(rt_now_ns() - start) / 1e9,
			    c->console ? ", console line seen" : "");
			return 0;
		}
		if (rt_now_ns() - start >= limit)
			break;
		sleep_ns(HEALTH_POLL_NS);
	}
	if (!running)
		snprintf(why, len, "the cell is in state '%s', not 'running', after %g s",
			 state, c->timeout);
	else
		snprintf(why, len, "no console line containing \"%s\" within %g s",
			 c->console, c->timeout);
	return -ETIME;
}

static const struct hvctl_cell_info *find_name(const struct hvctl_snapshot *snap,
					       const char *name)
{
	size_t i;

	for (i = 0; i < snap->num_cells; i++)
		if (!strcmp(snap->cells[i].name, name))
			return &snap->cells[i];
	return NULL;
}

/* Refuse what up cannot do, before it changes anything. */
static int up_precheck(struct run *run, const struct hvctl_profile *profile,
		       bool *enabled)
{
	const struct hvctl_config *sys = profile->system;
	struct hvctl_snapshot *snap;
	const struct hvctl_cell_info *ci;
	size_t i;
	int ret;

	/* The recorded system config, to compare with the profile's. */
	ret = hvctl_snapshot(run->ctx, HVCTL_READ_CONFIGS, HVCTL_CPU_STATS_NONE,
			     NULL, &snap);
	if (ret)
		return ret;
	*enabled = snap->system.enabled;
	if (snap->system.enabled && snap->system_config &&
	    (snap->system_config->size != sys->size ||
	     memcmp(snap->system_config->data, sys->data, sys->size))) {
		ret = rt_fail(run->ctx, -EBUSY,
			      "the hypervisor runs with another system config (%s), not %s; 'hvctl down' or 'hvctl disable' first",
			      snap->system_config->source ?
			      snap->system_config->source : "recorded",
			      sys->source ? sys->source : "the profile's");
		goto out;
	}
	for (i = 0; i < profile->num_cells; i++) {
		ci = find_name(snap, profile->cells[i].name);
		if (ci) {
			ret = rt_fail(run->ctx, -EEXIST,
				      "cell '%s' (cells[%zu]) already exists with ID %d; nothing was changed",
				      ci->name, i, ci->id);
			goto out;
		}
	}
out:
	hvctl_snapshot_free(snap);
	return ret;
}

int hvctl_profile_up(struct hvctl_ctx *ctx, const struct hvctl_profile *profile,
		     hvctl_profile_log_fn *log, void *arg)
{
	struct run run = { .ctx = ctx, .log = log, .arg = arg };
	struct hvctl_console *con = NULL;
	struct hvctl_cell_ref ref;
	char step[160], why[HVCTL_ERROR_MAX], undo[HVCTL_ERROR_MAX];
	bool was_enabled, enabled_by_us = false;
	int *created;
	size_t num_created = 0, i, used;
	int ret, id;

	rt_clear_err(ctx);
	ret = up_precheck(&run, profile, &was_enabled);
	if (ret)
		return ret;
	created = calloc(profile->num_cells ? profile->num_cells : 1,
			 sizeof(*created));
	if (!created)
		return rt_fail(ctx, -ENOMEM, "out of memory");
	if (!was_enabled) {
		snprintf(step, sizeof(step), "enable the hypervisor with %s",
			 profile->system->source);
		say(&run, "%s", step);
		ret = hvctl_enable(ctx, profile->system);
		if (ret) {
			reason(&run, ret, why, sizeof(why));
			goto fail;
		}
		enabled_by_us = true;
	} else {
		say(&run, "the hypervisor runs with this system config already; kept");
	}
	for (i = 0; i < profile->num_cells; i++) {
		const struct hvctl_profile_cell *c = &profile->cells[i];

		snprintf(step, sizeof(step), "create cell '%s' (cells[%zu])",
			 c->name, i);
		say(&run, "%s", step);
		ret = hvctl_cell_create(ctx, c->config, &id);
		if (ret) {
			reason(&run, ret, why, sizeof(why));
			goto fail;
		}
		created[num_created++] = id;
		hvctl_cell_ref_id(&ref, id);
		if (c->num_images) {
			snprintf(step, sizeof(step), "load cell '%s' (%zu image%s)",
				 c->name, c->num_images,
				 c->num_images == 1 ? "" : "s");
			say(&run, "%s", step);
			ret = hvctl_cell_load(ctx, &ref, c->images,
					      c->num_images);
			if (ret) {
				reason(&run, ret, why, sizeof(why));
				goto fail;
			}
		}
		if (!c->start)
			continue;
		if (c->console) {
			/*
			 * Open before the start so nothing is missed. Without
			 * cell consoles, cells print into the hypervisor's:
			 * skip what it held before.
			 */
			snprintf(step, sizeof(step), "open the console of cell '%s'",
				 c->name);
			ret = hvctl_console_open(ctx, id, &con);
			if (ret == -ENOTSUP) {
				ret = hvctl_console_open(ctx, HVCTL_CONSOLE_HYPERVISOR,
							 &con);
				if (!ret)
					ret = match_drain(con, NULL);
			}
			if (ret) {
				reason(&run, ret, why, sizeof(why));
				goto fail;
			}
		}
		snprintf(step, sizeof(step), "start cell '%s'", c->name);
		say(&run, "%s", step);
		ret = hvctl_cell_start(ctx, &ref);
		if (ret) {
			reason(&run, ret, why, sizeof(why));
			goto fail;
		}
		if (c->timeout > 0) {
			snprintf(step, sizeof(step), "health check of cell '%s'",
				 c->name);
			ret = health(&run, c, id, con, why, sizeof(why));
			if (ret)
				goto fail;
		}
		hvctl_console_close(con);
		con = NULL;
	}
	free(created);
	say(&run, "%zu cell%s running as declared", profile->num_cells,
	    profile->num_cells == 1 ? "" : "s");
	rt_clear_err(ctx);
	return 0;

fail:
	hvctl_console_close(con);
	say(&run, "%s failed: %s", step, why);
	/* Back to the state before: our cells newest first, then disable. */
	used = (size_t)snprintf(undo, sizeof(undo), "%s",
				num_created || enabled_by_us ? "" : "nothing to undo");
	while (num_created) {
		struct hvctl_snapshot *snap = NULL;
		const struct hvctl_cell_info *ci = NULL;
		char name[HVCTL_CELL_NAME_MAX + 1] = "?";
		int err;

		id = created[--num_created];
		if (!hvctl_snapshot(ctx, HVCTL_READ_CELLS, HVCTL_CPU_STATS_NONE,
				    NULL, &snap) &&
		    (ci = hvctl_snapshot_cell(snap, id)))
			snprintf(name, sizeof(name), "%s", ci->name);
		hvctl_snapshot_free(snap);
		hvctl_cell_ref_id(&ref, id);
		say(&run, "rollback: destroy cell '%s' (ID %d)", name, id);
		err = hvctl_cell_destroy(ctx, &ref);
		if (err) {
			char r2[HVCTL_ERROR_MAX];

			reason(&run, err, r2, sizeof(r2));
			used += (size_t)snprintf(undo + used, used < sizeof(undo) ?
						 sizeof(undo) - used : 0,
						 "%sdestroying cell '%s' (ID %d) FAILED: %s",
						 used ? ", " : "", name, id, r2);
		} else {
			used += (size_t)snprintf(undo + used, used < sizeof(undo) ?
						 sizeof(undo) - used : 0,
						 "%sdestroyed cell '%s'",
						 used ? ", " : "", name);
		}
	}
	if (enabled_by_us) {
		int err;

		say(&run, "rollback: disable the hypervisor");
		err = hvctl_disable(ctx);
		if (err) {
			char r2[HVCTL_ERROR_MAX];

			reason(&run, err, r2, sizeof(r2));
			used += (size_t)snprintf(undo + used, used < sizeof(undo) ?
						 sizeof(undo) - used : 0,
						 "%sdisabling the hypervisor FAILED: %.200s",
						 used ? ", " : "", r2);
		} else {
			used += (size_t)snprintf(undo + used, used < sizeof(undo) ?
						 sizeof(undo) - used : 0,
						 "%sdisabled the hypervisor",
						 used ? ", " : "");
		}
	}
	free(created);
	return rt_fail(ctx, ret, "%s failed: %s; rolled back: %s", step, why,
		       undo);
}

int hvctl_profile_down(struct hvctl_ctx *ctx,
		       const struct hvctl_profile *profile,
		       hvctl_profile_log_fn *log, void *arg)
{
	struct run run = { .ctx = ctx, .log = log, .arg = arg };
	struct hvctl_snapshot *snap;
	const struct hvctl_cell_info *ci;
	struct hvctl_cell_ref ref;
	char why[HVCTL_ERROR_MAX];
	size_t i;
	int ret;

	rt_clear_err(ctx);
	ret = hvctl_snapshot(ctx, HVCTL_READ_CELLS, HVCTL_CPU_STATS_NONE, NULL,
			     &snap);
	if (ret)
		return ret;
	if (!snap->system.enabled) {
		hvctl_snapshot_free(snap);
		say(&run, "the hypervisor is disabled already");
		return 0;
	}
	for (i = profile->num_cells; i-- > 0;) {
		const char *name = profile->cells[i].name;

		ci = find_name(snap, name);
		if (!ci)
			continue;
		say(&run, "destroy cell '%s' (ID %d)", name, ci->id);
		hvctl_cell_ref_id(&ref, ci->id);
		ret = hvctl_cell_destroy(ctx, &ref);
		if (ret) {
			reason(&run, ret, why, sizeof(why));
			hvctl_snapshot_free(snap);
			return rt_fail(ctx, ret, "destroy cell '%s' failed: %s",
				       name, why);
		}
	}
	hvctl_snapshot_free(snap);
	say(&run, "disable the hypervisor");
	ret = hvctl_disable(ctx);
	if (ret) {
		reason(&run, ret, why, sizeof(why));
		return rt_fail(ctx, ret, "disable the hypervisor failed: %s", why);
	}
	rt_clear_err(ctx);
	return 0;
}
