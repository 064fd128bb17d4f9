// SPDX-License-Identifier: GPL-2.0
/*
 * Board file loader (JSON, PROTOCOL.md §6).
 */
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <json-c/json.h>

#include <hvabi/cell-config.h>

#include <sim/board.h>

struct ctx {
	const char *path;
	char *err;
	unsigned int errlen;
};

static int fail(struct ctx *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static int fail(struct ctx *c, const char *fmt, ...)
{
	int n = snprintf(c->err, c->errlen, "%s: ", c->path);
	va_list ap;

	if (n < 0 || (unsigned int)n >= c->errlen)
		return -EINVAL;
	va_start(ap, fmt);
	vsnprintf(c->err + n, c->errlen - n, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

/* A JSON integer or a string in decimal or 0x-hex. */
static int get_u64(struct ctx *c, json_object *o, const char *key,
		   uint64_t *out)
{
	const char *s;
	char *end;

	if (json_object_is_type(o, json_type_int)) {
		int64_t v = json_object_get_int64(o);

		if (v < 0)
			return fail(c, "\"%s\" must not be negative", key);
		*out = (uint64_t)v;
		return 0;
	}
	if (!json_object_is_type(o, json_type_string))
		return fail(c, "\"%s\" must be a number or a numeric string",
			    key);
	s = json_object_get_string(o);
	errno = 0;
	*out = strtoull(s, &end, 0);
	if (!*s || *end || errno || *s == '-')
		return fail(c, "\"%s\": \"%s\" is not a number", key, s);
	return 0;
}

static int check_keys(struct ctx *c, json_object *obj, const char *what,
		      const char *const *allowed)
{
	if (!json_object_is_type(obj, json_type_object))
		return fail(c, "%s must be an object", what);
	json_object_object_foreach(obj, key, val) {
		const char *const *a;

		(void)val;
		for (a = allowed; *a; a++)
			if (!strcmp(*a, key))
				break;
		if (!*a)
			return fail(c, "unknown key \"%s\" in %s", key, what);
	}
	return 0;
}

static int get_window(struct ctx *c, json_object *obj, const char *what,
		      struct board_window *w)
{
	static const char *const keys[] = { "start", "size", NULL };
	json_object *v;
	int err;

	err = check_keys(c, obj, what, keys);
	if (err)
		return err;
	if (!json_object_object_get_ex(obj, "start", &v))
		return fail(c, "%s lacks \"start\"", what);
	err = get_u64(c, v, "start", &w->start);
	if (err)
		return err;
	if (!json_object_object_get_ex(obj, "size", &v))
		return fail(c, "%s lacks \"size\"", what);
	err = get_u64(c, v, "size", &w->size);
	if (err)
		return err;
	if (!w->size || w->start + w->size < w->start)
		return fail(c, "%s: size 0 or wrapping window", what);
	return 0;
}

static int parse(struct ctx *c, json_object *root, struct board *b)
{
	static const char *const top_keys[] = { "name", "cpus", "ram", "gic",
		"uart", "pci", "root_activity", NULL };
	static const char *const gic_keys[] = { "version", "gicd", "gicr",
		NULL };
	static const char *const uart_keys[] = { "type", "start", "size",
		"irq", NULL };
	static const char *const pci_keys[] = { "ecam", "end_bus", "domain",
		NULL };
	json_object *v, *g, *w;
	uint64_t n;
	size_t i;
	int err;

	err = check_keys(c, root, "the board", top_keys);
	if (err)
		return err;
	if (!json_object_object_get_ex(root, "name", &v) ||
	    !json_object_is_type(v, json_type_string))
		return fail(c, "\"name\" (a string) is required");
	if (strlen(json_object_get_string(v)) > BOARD_NAMELEN ||
	    !*json_object_get_string(v))
		return fail(c, "\"name\" must have 1 to %d characters",
			    BOARD_NAMELEN);
	strcpy(b->name, json_object_get_string(v));

	if (!json_object_object_get_ex(root, "cpus", &v))
		return fail(c, "\"cpus\" is required");
	err = get_u64(c, v, "cpus", &n);
	if (err)
		return err;
	if (n < 1 || n > BOARD_MAX_CPUS)
		return fail(c, "\"cpus\": %" PRIu64 " is outside 1 to %d", n,
			    BOARD_MAX_CPUS);
	b->cpus = (unsigned int)n;

	if (!json_object_object_get_ex(root, "ram", &v) ||
	    !json_object_is_type(v, json_type_array) ||
	    !json_object_array_length(v))
		return fail(c, "\"ram\" (a non-empty array) is required");
	if (json_object_array_length(v) > BOARD_MAX_RAM)
		return fail(c, "\"ram\" has more than %d banks", BOARD_MAX_RAM);
	for (i = 0; i < json_object_array_length(v); i++) {
		err = get_window(c, json_object_array_get_idx(v, i),
				 "a \"ram\" bank", &b->ram[i]);
		if (err)
			return err;
	}
	b->num_ram = (unsigned int)i;

	if (!json_object_object_get_ex(root, "gic", &g))
		return fail(c, "\"gic\" is required");
	err = check_keys(c, g, "\"gic\"", gic_keys);
	if (err)
		return err;
	b->gic_version = 3;
	if (json_object_object_get_ex(g, "version", &v)) {
		err = get_u64(c, v, "version", &n);
		if (err)
			return err;
		if (n != 3)
			return fail(c, "\"gic\": only version 3 is simulated");
	}
	if (!json_object_object_get_ex(g, "gicd", &w))
		return fail(c, "\"gic\" lacks \"gicd\"");
	err = get_window(c, w, "\"gicd\"", &b->gicd);
	if (err)
		return err;
	if (!json_object_object_get_ex(g, "gicr", &w))
		return fail(c, "\"gic\" lacks \"gicr\"");
	err = get_window(c, w, "\"gicr\"", &b->gicr);
	if (err)
		return err;

	b->uart_type = HV_CON_TYPE_NONE;
	if (json_object_object_get_ex(root, "uart", &g)) {
		err = check_keys(c, g, "\"uart\"", uart_keys);
		if (err)
			return err;
		if (json_object_object_get_ex(g, "type", &v)) {
			const char *t = json_object_get_string(v);

			if (!strcmp(t, "pl011"))
				b->uart_type = HV_CON_TYPE_PL011;
			else if (!strcmp(t, "8250"))
				b->uart_type = HV_CON_TYPE_8250;
			else
				return fail(c, "\"uart\": unknown type \"%s\" (pl011 or 8250)",
					    t);
		} else {
			b->uart_type = HV_CON_TYPE_PL011;
		}
		if (!json_object_object_get_ex(g, "start", &v) ||
		    get_u64(c, v, "start", &b->uart.start) ||
		    !json_object_object_get_ex(g, "size", &v) ||
		    get_u64(c, v, "size", &b->uart.size) || !b->uart.size)
			return fail(c, "\"uart\" needs \"start\" and a non-zero \"size\"");
		if (json_object_object_get_ex(g, "irq", &v)) {
			err = get_u64(c, v, "irq", &n);
			if (err)
				return err;
			b->uart_irq = (unsigned int)n;
		}
	}

	if (json_object_object_get_ex(root, "pci", &g)) {
		err = check_keys(c, g, "\"pci\"", pci_keys);
		if (err)
			return err;
		if (!json_object_object_get_ex(g, "ecam", &v))
			return fail(c, "\"pci\" lacks \"ecam\"");
		err = get_u64(c, v, "ecam", &b->pci_ecam);
		if (err)
			return err;
		if (json_object_object_get_ex(g, "end_bus", &v)) {
			err = get_u64(c, v, "end_bus", &n);
			if (err)
				return err;
			if (n > 255)
				return fail(c, "\"end_bus\" must be below 256");
			b->pci_end_bus = (unsigned int)n;
		}
		if (json_object_object_get_ex(g, "domain", &v)) {
			err = get_u64(c, v, "domain", &n);
			if (err)
				return err;
			if (n > 0xffff)
				return fail(c, "\"domain\" must be below 65536");
			b->pci_domain = (unsigned int)n;
		}
	}

	b->root_activity = 100;
	if (json_object_object_get_ex(root, "root_activity", &v)) {
		err = get_u64(c, v, "root_activity", &n);
		if (err)
			return err;
		if (n > 1000)
			return fail(c, "\"root_activity\" must be 0 to 1000");
		b->root_activity = (unsigned int)n;
	}
	return 0;
}

int board_load(const char *path, struct board *b, char *err,
	       unsigned int errlen)
{
	struct ctx c = { .path = path, .err = err, .errlen = errlen };
	json_object *root;
	int ret;

	memset(b, 0, sizeof(*b));
	if (access(path, R_OK)) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -errno;
	}
	root = json_object_from_file(path);
	if (!root) {
		snprintf(err, errlen, "%s: not valid JSON (%s)", path,
			 json_util_get_last_err() ? json_util_get_last_err() :
			 "parse error");
		return -EINVAL;
	}
	ret = parse(&c, root, b);
	json_object_put(root);
	return ret;
}

const char *board_default_path(char *buf, unsigned int size)
{
	static const char *const rel[] = {
		"../configs/sim/board.json",
		"../../configs/sim/board.json",
		"../share/hvctl/board.json",
	};
	char exe[PATH_MAX], *slash;
	ssize_t n;
	size_t i;

	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n < 0)
		return NULL;
	exe[n] = 0;
	slash = strrchr(exe, '/');
	if (!slash)
		return NULL;
	*slash = 0;
	for (i = 0; i < sizeof(rel) / sizeof(rel[0]); i++) {
		snprintf(buf, size, "%s/%s", exe, rel[i]);
		if (!access(buf, R_OK))
			return buf;
	}
	return NULL;
}

static bool in_window(uint64_t start, uint64_t size,
		      const struct board_window *w)
{
	return w->size && start >= w->start && size <= w->size &&
	       start - w->start <= w->size - size;
}

bool board_range_in_ram(const struct board *b, uint64_t start, uint64_t size)
{
	unsigned int i;

	for (i = 0; i < b->num_ram; i++)
		if (in_window(start, size, &b->ram[i]))
			return true;
	return false;
}

bool board_range_in_device(const struct board *b, uint64_t start,
			   uint64_t size)
{
	struct board_window ecam = {
		.start = b->pci_ecam,
		.size = b->pci_ecam ? ((uint64_t)b->pci_end_bus + 1) << 20 : 0,
	};

	return in_window(start, size, &b->gicd) ||
	       in_window(start, size, &b->gicr) ||
	       in_window(start, size, &b->uart) ||
	       in_window(start, size, &ecam);
}
