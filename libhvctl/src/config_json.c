// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * JSON -> binary config compiler (format: configs/README.md).
 *
 * The JSON tree is walked once; each cell is collected into typed arrays
 * and then laid out back-to-back exactly as spec §3.2 orders them. Every
 * error names the file, the JSON path and the reason.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "config_internal.h"

const struct config_bar_preset config_bar_presets[] = {
	{ "intx", { 0xfffff000, 0, 0, 0, 0, 0 } },
	{ "intx_64k", { 0xffff0000, 0, 0, 0, 0, 0 } },
	{ "msix", { 0xfffff000, 0xfffff000, 0, 0, 0, 0 } },
	{ "msix_64k", { 0xffff0000, 0xffff0000, 0, 0, 0, 0 } },
	{ NULL, { 0 } },
};

/* Parser state: where we are, for messages. */
struct jp {
	const char *file;
	struct hvctl_error *err;
	char path[256];
	size_t plen;
};

/* A cell being collected; arrays have desc's counts. */
struct cell_build {
	struct hv_cell_desc desc;
	uint8_t *cpu_set;
	struct hv_memory *mem;
	char **mem_names;
	struct hv_cache *cache;
	struct hv_irqchip *irqchips;
	struct hv_pio *pio;
	struct hv_pci_device *pci;
	char **pci_names;
	struct hv_pci_capability *caps;
	union hv_stream_id *sids;
	uint32_t array_len;	/* of the array being parsed */
};

#define TRY(expr)				\
	do {					\
		int _ret = (expr);		\
		if (_ret)			\
			return _ret;		\
	} while (0)

/* Read an integer key of the given width into an lvalue (packed fields). */
#define GET_NUM(p, obj, key, bits, lval)				\
	({								\
		uint64_t _v = 0;					\
		int _r = get_num(p, obj, key, bits, &_v);		\
		if (!_r)						\
			(lval) = _v;					\
		_r;							\
	})

#define GET_FLAGS(p, obj, key, table, bits, lval)			\
	({								\
		uint64_t _v = 0;					\
		int _r = get_flags(p, obj, key, table, bits, &_v);	\
		if (!_r)						\
			(lval) = _v;					\
		_r;							\
	})

#define GET_ENUM(p, obj, key, table, bits, lval)			\
	({								\
		uint64_t _v = 0;					\
		int _r = get_enum(p, obj, key, table, bits, &_v);	\
		if (!_r)						\
			(lval) = _v;					\
		_r;							\
	})

/* ---- Messages and paths ---- */

__attribute__((format(printf, 3, 4)))
static int jp_fail(struct jp *p, const char *key, const char *fmt, ...)
{
	char msg[HVCTL_ERROR_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (!p->plen && !key)
		config_error(p->err, "%s: %s", p->file, msg);
	else
		config_error(p->err, "%s: %s%s%s: %s", p->file, p->path,
			     p->plen && key ? "." : "", key ? key : "", msg);
	return -EINVAL;
}

static size_t jp_push_key(struct jp *p, const char *key)
{
	size_t save = p->plen;
	int n;

	n = snprintf(p->path + p->plen, sizeof(p->path) - p->plen, "%s%s",
		     p->plen ? "." : "", key);
	if (n > 0)
		p->plen += (size_t)n;
	if (p->plen >= sizeof(p->path))
		p->plen = sizeof(p->path) - 1;
	return save;
}

static size_t jp_push_index(struct jp *p, size_t index)
{
	size_t save = p->plen;
	int n;

	n = snprintf(p->path + p->plen, sizeof(p->path) - p->plen, "[%zu]",
		     index);
	if (n > 0)
		p->plen += (size_t)n;
	if (p->plen >= sizeof(p->path))
		p->plen = sizeof(p->path) - 1;
	return save;
}

static void jp_pop(struct jp *p, size_t save)
{
	p->plen = save;
	p->path[save] = '\0';
}

static const char *type_name(json_object *v)
{
	switch (json_object_get_type(v)) {
	case json_type_null:
		return "null";
	case json_type_boolean:
		return "a boolean";
	case json_type_double:
		return "a fractional number";
	case json_type_int:
		return "an integer";
	case json_type_object:
		return "an object";
	case json_type_array:
		return "an array";
	case json_type_string:
		return "a string";
	}
	return "something else";
}

/* ---- Keys ---- */

static bool key_in(const char *key, const char *const *list)
{
	for (; list && *list; list++)
		if (!strcmp(key, *list))
			return true;
	return false;
}

/* obj must be an object whose keys all appear in one of the lists. */
static int check_object(struct jp *p, json_object *obj, const char *what,
			const char *const *keys, const char *const *more)
{
	if (!json_object_is_type(obj, json_type_object))
		return jp_fail(p, NULL, "expected %s object, found %s", what,
			       type_name(obj));
	json_object_object_foreach(obj, key, val) {
		if (!key_in(key, keys) && !key_in(key, more))
			return jp_fail(p, NULL, "unknown key \"%s\"", key);
		/* json-c cannot tell a null value from a missing key later. */
		if (!val)
			return jp_fail(p, key, "null is not a value here; leave the key out for the default");
	}
	return 0;
}

static json_object *get_key(json_object *obj, const char *key)
{
	json_object *v;

	return json_object_object_get_ex(obj, key, &v) ? v : NULL;
}

/* ---- Values ---- */

static int number_value(struct jp *p, const char *key, json_object *v,
			unsigned int bits, uint64_t *out)
{
	uint64_t max = bits == 64 ? UINT64_MAX : ((uint64_t)1 << bits) - 1;
	uint64_t val;
	const char *s;
	int ret;

	switch (json_object_get_type(v)) {
	case json_type_int:
		if (json_object_get_int64(v) < 0)
			return jp_fail(p, key, "value %" PRId64 " is negative",
				       json_object_get_int64(v));
		val = json_object_get_uint64(v);
		/* json-c clamps larger integers to this; refuse the doubt. */
		if (val == UINT64_MAX)
			return jp_fail(p, key, "integer %s is too large for JSON; write it as a \"0x...\" string",
				       json_object_to_json_string(v));
		break;
	case json_type_string:
		s = json_object_get_string(v);
		ret = config_parse_number(s, &val);
		if (ret == -ERANGE)
			return jp_fail(p, key, "number \"%s\" does not fit in 64 bits",
				       s);
		if (ret)
			return jp_fail(p, key, "bad number \"%s\" (expected decimal, \"0x\" hex, or a K/M/G suffix)",
				       s);
		break;
	default:
		return jp_fail(p, key, "expected a number, found %s",
			       type_name(v));
	}
	if (val > max)
		return jp_fail(p, key, "value 0x%" PRIx64 " does not fit in %u bits (maximum 0x%" PRIx64 ")",
			       val, bits, max);
	*out = val;
	return 0;
}

/* An optional number; *out stays as it is when key is absent. */
static int get_num(struct jp *p, json_object *obj, const char *key,
		   unsigned int bits, uint64_t *out)
{
	json_object *v = get_key(obj, key);

	return v ? number_value(p, key, v, bits, out) : 0;
}

static int get_bool(struct jp *p, json_object *obj, const char *key,
		    bool *out)
{
	json_object *v = get_key(obj, key);

	if (!v)
		return 0;
	if (!json_object_is_type(v, json_type_boolean))
		return jp_fail(p, key, "expected true or false, found %s",
			       type_name(v));
	*out = json_object_get_boolean(v);
	return 0;
}

/* An optional string; NULL when absent. */
static int get_string(struct jp *p, json_object *obj, const char *key,
		      const char **out, size_t *len)
{
	json_object *v = get_key(obj, key);

	*out = NULL;
	if (!v)
		return 0;
	if (!json_object_is_type(v, json_type_string))
		return jp_fail(p, key, "expected a string, found %s",
			       type_name(v));
	*out = json_object_get_string(v);
	*len = (size_t)json_object_get_string_len(v);
	return 0;
}

static void list_names(char *buf, size_t len, const struct config_enum_name *e,
		       const struct config_flag_name *f)
{
	size_t pos = 0;

	buf[0] = '\0';
	for (; e && e->name && pos < len; e++)
		pos += (size_t)snprintf(buf + pos, len - pos, "%s%s",
					pos ? ", " : "", e->name);
	for (; f && f->name && pos < len; f++)
		pos += (size_t)snprintf(buf + pos, len - pos, "%s%s",
					pos ? ", " : "", f->name);
}

static int get_flags(struct jp *p, json_object *obj, const char *key,
		     const struct config_flag_name *table, unsigned int bits,
		     uint64_t *out)
{
	json_object *arr = get_key(obj, key);
	uint64_t flags = 0, bit;
	char known[256];
	size_t i, n, save;

	if (!arr)
		return 0;
	if (!json_object_is_type(arr, json_type_array))
		return jp_fail(p, key, "expected an array of flag names, found %s",
			       type_name(arr));
	save = jp_push_key(p, key);
	n = json_object_array_length(arr);
	for (i = 0; i < n; i++) {
		json_object *v = json_object_array_get_idx(arr, i);
		const char *s;

		if (json_object_is_type(v, json_type_string)) {
			s = json_object_get_string(v);
			if (!config_flag_from_name(table, s, &bit)) {
				flags |= bit;
				continue;
			}
			if (config_parse_number(s, &bit)) {
				list_names(known, sizeof(known), NULL, table);
				jp_pop(p, save);
				return jp_fail(p, key, "unknown flag \"%s\" (known: %s; other bits as \"0x...\")",
					       s, known);
			}
		} else if (json_object_is_type(v, json_type_int)) {
			size_t save2 = jp_push_index(p, i);

			if (number_value(p, NULL, v, 64, &bit))
				return -EINVAL;
			jp_pop(p, save2);
		} else {
			jp_pop(p, save);
			return jp_fail(p, key, "flags must be names or \"0x...\" strings, found %s",
				       type_name(v));
		}
		flags |= bit;
	}
	jp_pop(p, save);
	if (bits < 64 && flags >> bits)
		return jp_fail(p, key, "bits 0x%" PRIx64 " do not fit in the %u-bit field",
			       flags & ~(((uint64_t)1 << bits) - 1), bits);
	*out = flags;
	return 0;
}

static int get_enum(struct jp *p, json_object *obj, const char *key,
		    const struct config_enum_name *table, unsigned int bits,
		    uint64_t *out)
{
	json_object *v = get_key(obj, key);
	char known[256];
	uint32_t val;
	const char *s;

	if (!v)
		return 0;
	if (json_object_is_type(v, json_type_string)) {
		s = json_object_get_string(v);
		if (!config_enum_from_name(table, s, &val)) {
			*out = val;
			return 0;
		}
		if (config_parse_number(s, out)) {
			list_names(known, sizeof(known), table, NULL);
			return jp_fail(p, key, "unknown value \"%s\" (known: %s, or a number)",
				       s, known);
		}
	}
	return number_value(p, key, v, bits, out);
}

/* "BB:DD.F" (hex) or a number. */
static int get_bdf(struct jp *p, json_object *obj, const char *key,
		   uint16_t *out)
{
	json_object *v = get_key(obj, key);
	unsigned int bus, dev, fn;
	uint64_t num;
	const char *s;
	int end = 0;

	if (!v)
		return 0;
	if (json_object_is_type(v, json_type_string)) {
		s = json_object_get_string(v);
		if (strchr(s, ':')) {
			if (sscanf(s, "%2x:%2x.%1x%n", &bus, &dev, &fn, &end) != 3 ||
			    s[end] || strspn(s, "0123456789abcdefABCDEF:.") != strlen(s))
				return jp_fail(p, key, "bad PCI address \"%s\" (expected bus:device.function in hex, e.g. \"00:01.0\")",
					       s);
			if (dev > 31 || fn > 7)
				return jp_fail(p, key, "bad PCI address \"%s\": device is at most 1f and function at most 7",
					       s);
			*out = (uint16_t)(bus << 8 | dev << 3 | fn);
			return 0;
		}
	}
	TRY(number_value(p, key, v, 16, &num));
	*out = (uint16_t)num;
	return 0;
}

/* A hex byte string of exactly len bytes, in file order. */
static int get_raw(struct jp *p, json_object *obj, const char *key,
		   uint8_t *dst, size_t len)
{
	const char *s;
	size_t slen, i;

	TRY(get_string(p, obj, key, &s, &slen));
	if (!s)
		return 0;
	if (slen != 2 * len)
		return jp_fail(p, key, "expected %zu hex digits (%zu bytes), found %zu characters",
			       2 * len, len, slen);
	for (i = 0; i < 2 * len; i++) {
		if (!strchr("0123456789abcdefABCDEF", s[i]) || !s[i])
			return jp_fail(p, key, "\"%s\" is not a hex byte string",
				       s);
	}
	for (i = 0; i < len; i++) {
		char byte[3] = { s[2 * i], s[2 * i + 1], '\0' };

		dst[i] = (uint8_t)strtoul(byte, NULL, 16);
	}
	return 0;
}

/*
 * Walk a list like "0-3,6" (decimal, blanks allowed around items),
 * calling fn for every range. what names the list in messages.
 */
typedef int (*range_fn)(struct jp *p, const char *key, uint64_t lo,
			uint64_t hi, void *ctx);

static const char *skip_blanks(const char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	return s;
}

static int parse_list_number(const char **sp, uint64_t *out)
{
	const char *s = *sp;
	uint64_t v = 0;

	if (*s < '0' || *s > '9')
		return -EINVAL;
	for (; *s >= '0' && *s <= '9'; s++) {
		unsigned int d = (unsigned int)(*s - '0');

		if (v > (UINT64_MAX - d) / 10)
			return -ERANGE;
		v = v * 10 + d;
	}
	*sp = s;
	*out = v;
	return 0;
}

static int walk_list(struct jp *p, const char *key, const char *text,
		     const char *what, range_fn fn, void *ctx)
{
	const char *s = skip_blanks(text);
	uint64_t lo, hi;

	if (!*s)
		return 0;
	for (;;) {
		if (parse_list_number(&s, &lo))
			goto bad;
		s = skip_blanks(s);
		hi = lo;
		if (*s == '-') {
			s = skip_blanks(s + 1);
			if (parse_list_number(&s, &hi))
				goto bad;
			s = skip_blanks(s);
			if (hi < lo)
				return jp_fail(p, key, "bad %s \"%s\": range %" PRIu64 "-%" PRIu64 " goes backwards",
					       what, text, lo, hi);
		}
		TRY(fn(p, key, lo, hi, ctx));
		if (!*s)
			return 0;
		if (*s != ',')
			goto bad;
		s = skip_blanks(s + 1);
	}
bad:
	return jp_fail(p, key, "bad %s \"%s\" at \"%s\" (expected numbers and ranges like \"0-3,6\")",
		       what, text, s);
}

/* ---- CPU set ---- */

struct cpu_ctx {
	uint64_t limit;		/* CPUs that fit */
	uint64_t ncpus;		/* highest CPU + 1 */
	uint8_t *bits;
};

static int cpu_range(struct jp *p, const char *key, uint64_t lo, uint64_t hi,
		     void *ctx)
{
	struct cpu_ctx *c = ctx;
	uint64_t n;

	if (hi >= c->limit)
		return jp_fail(p, key, "CPU %" PRIu64 " does not fit in a CPU set of %" PRIu64 " bytes",
			       hi, c->limit / 8);
	if (hi + 1 > c->ncpus)
		c->ncpus = hi + 1;
	if (!c->bits)
		return 0;
	/* Whole bytes at once: a range may span millions of CPUs. */
	for (n = lo; n <= hi && n % 8; n++)
		c->bits[n / 8] |= (uint8_t)(1u << (n % 8));
	if (n + 8 <= hi + 1) {
		memset(c->bits + n / 8, 0xff, (hi + 1 - n) / 8);
		n += (hi + 1 - n) / 8 * 8;
	}
	for (; n <= hi; n++)
		c->bits[n / 8] |= (uint8_t)(1u << (n % 8));
	return 0;
}

static int parse_cpu_set(struct jp *p, json_object *obj, struct cell_build *b)
{
	json_object *sizev = get_key(obj, "cpu_set_size");
	struct cpu_ctx ctx = { 0 };
	const char *text;
	uint64_t size = 0;
	size_t len;

	TRY(get_string(p, obj, "cpu_set", &text, &len));
	if (!text)
		return jp_fail(p, NULL, "missing key \"cpu_set\" (a CPU list such as \"1-3\")");
	if (strlen(text) != len)
		return jp_fail(p, "cpu_set", "contains a NUL character");
	if (sizev) {
		TRY(number_value(p, "cpu_set_size", sizev, 32, &size));
		if (size > CONFIG_CPU_SET_SIZE_LIMIT)
			return jp_fail(p, "cpu_set_size", "%" PRIu64 " bytes is over the limit of %u",
				       size, CONFIG_CPU_SET_SIZE_LIMIT);
		ctx.limit = size * 8;
	} else {
		ctx.limit = (uint64_t)CONFIG_CPU_SET_SIZE_LIMIT * 8;
	}
	/* First pass finds the highest CPU, second sets the bits. */
	TRY(walk_list(p, "cpu_set", text, "CPU list", cpu_range, &ctx));
	if (!sizev)
		size = config_cpu_set_default_size(ctx.ncpus);
	b->desc.cpu_set_size = (uint32_t)size;
	b->cpu_set = calloc(1, size ? size : 1);
	if (!b->cpu_set)
		return -ENOMEM;
	ctx.bits = b->cpu_set;
	return walk_list(p, "cpu_set", text, "CPU list", cpu_range, &ctx);
}

/* ---- Objects ---- */

static const char *const console_keys[] = {
	"address", "size", "type", "flags", "divider", "gate_nr", "clock_reg",
	NULL
};

static int parse_console(struct jp *p, json_object *parent, const char *key,
			 struct hv_console *con)
{
	json_object *obj = get_key(parent, key);
	size_t save;

	if (!obj)
		return 0;
	save = jp_push_key(p, key);
	TRY(check_object(p, obj, "a console", console_keys, NULL));
	TRY(GET_NUM(p, obj, "address", 64, con->address));
	TRY(GET_NUM(p, obj, "size", 32, con->size));
	TRY(GET_ENUM(p, obj, "type", config_console_types, 16, con->type));
	TRY(GET_FLAGS(p, obj, "flags", config_console_flags, 16, con->flags));
	TRY(GET_NUM(p, obj, "divider", 32, con->divider));
	TRY(GET_NUM(p, obj, "gate_nr", 32, con->gate_nr));
	TRY(GET_NUM(p, obj, "clock_reg", 64, con->clock_reg));
	jp_pop(p, save);
	return 0;
}

static const char *const mem_keys[] = {
	"name", "phys_start", "virt_start", "size", "flags", NULL
};

static int parse_memory(struct jp *p, json_object *obj, struct hv_memory *m,
			char **name)
{
	const char *s, *field;
	size_t len;

	TRY(check_object(p, obj, "a memory region", mem_keys, NULL));
	TRY(get_string(p, obj, "name", &s, &len));
	if (s) {
		char why[160];

		if (!len || strlen(s) != len)
			return jp_fail(p, "name", "region names must be non-empty text");
		if (config_text_problem(s, len, why, sizeof(why)))
			return jp_fail(p, "name", "%s", why);
		*name = strdup(s);
		if (!*name)
			return -ENOMEM;
	}
	TRY(GET_NUM(p, obj, "phys_start", 64, m->phys_start));
	TRY(GET_NUM(p, obj, "virt_start", 64, m->virt_start));
	TRY(GET_NUM(p, obj, "size", 64, m->size));
	TRY(GET_FLAGS(p, obj, "flags", config_mem_flags, 64, m->flags));
	s = config_comm_problem(m, &field);
	if (s)
		return jp_fail(p, field, "%s", s);
	return 0;
}

static const char *const cache_keys[] = {
	"start", "size", "type", "flags", "padding", NULL
};

static int parse_cache(struct jp *p, json_object *obj, struct hv_cache *c)
{
	TRY(check_object(p, obj, "a cache region", cache_keys, NULL));
	TRY(GET_NUM(p, obj, "start", 32, c->start));
	TRY(GET_NUM(p, obj, "size", 32, c->size));
	TRY(GET_ENUM(p, obj, "type", config_cache_types, 8, c->type));
	TRY(GET_NUM(p, obj, "padding", 8, c->padding));
	TRY(GET_FLAGS(p, obj, "flags", config_cache_flags, 16, c->flags));
	return 0;
}

static int irq_set(struct hv_irqchip *chip, uint64_t irq)
{
	uint64_t k = irq - chip->pin_base;

	chip->pin_bitmap[k / 32] |= (uint32_t)1 << (k % 32);
	return 0;
}

static int irq_range(struct jp *p, const char *key, uint64_t lo, uint64_t hi,
		     void *ctx)
{
	struct hv_irqchip *chip = ctx;
	uint64_t first = chip->pin_base;
	uint64_t last = first + HV_IRQCHIP_PINS - 1;
	uint64_t n;

	if (lo < first || hi > last)
		return jp_fail(p, key, "interrupt %" PRIu64 " is outside this irqchip's range %" PRIu64 "-%" PRIu64 " (pin_base + 0..127)",
			       lo < first ? lo : hi, first, last);
	for (n = lo; n <= hi; n++)
		irq_set(chip, n);
	return 0;
}

static const char *const irqchip_keys[] = {
	"address", "id", "pin_base", "interrupts", NULL
};

static int parse_irqchip(struct jp *p, json_object *obj,
			 struct hv_irqchip *chip)
{
	json_object *irqs;
	uint64_t irq;
	size_t i, n, save;

	TRY(check_object(p, obj, "an irqchip", irqchip_keys, NULL));
	TRY(GET_NUM(p, obj, "address", 64, chip->address));
	TRY(GET_NUM(p, obj, "id", 32, chip->id));
	TRY(GET_NUM(p, obj, "pin_base", 32, chip->pin_base));
	irqs = get_key(obj, "interrupts");
	if (!irqs)
		return 0;
	if (json_object_is_type(irqs, json_type_string)) {
		const char *s = json_object_get_string(irqs);

		if (strlen(s) != (size_t)json_object_get_string_len(irqs))
			return jp_fail(p, "interrupts", "contains a NUL character");
		return walk_list(p, "interrupts", s, "interrupt list",
				 irq_range, chip);
	}
	if (!json_object_is_type(irqs, json_type_array))
		return jp_fail(p, "interrupts", "expected a list string or an array of numbers, found %s",
			       type_name(irqs));
	save = jp_push_key(p, "interrupts");
	n = json_object_array_length(irqs);
	for (i = 0; i < n; i++) {
		size_t save2 = jp_push_index(p, i);

		TRY(number_value(p, NULL, json_object_array_get_idx(irqs, i),
				 64, &irq));
		TRY(irq_range(p, NULL, irq, irq, chip));
		jp_pop(p, save2);
	}
	jp_pop(p, save);
	return 0;
}

static const char *const pio_keys[] = { "base", "length", NULL };

static int parse_pio(struct jp *p, json_object *obj, struct hv_pio *pio)
{
	TRY(check_object(p, obj, "a PIO region", pio_keys, NULL));
	TRY(GET_NUM(p, obj, "base", 16, pio->base));
	TRY(GET_NUM(p, obj, "length", 16, pio->length));
	return 0;
}

static const char *const pci_keys[] = {
	"name", "type", "iommu", "domain", "bdf", "bar_mask", "caps_start",
	"num_caps", "num_msi_vectors", "msi_64bits", "msi_maskable",
	"num_msix_vectors", "msix_region_size", "msix_address",
	"shmem_regions_start", "shmem_dev_id", "shmem_peers",
	"shmem_protocol", "padding", NULL
};

static int parse_bar_mask(struct jp *p, json_object *obj,
			  struct hv_pci_device *dev)
{
	json_object *v = get_key(obj, "bar_mask");
	const struct config_bar_preset *preset;
	uint64_t mask;
	size_t i, save;

	if (!v)
		return 0;
	if (json_object_is_type(v, json_type_string)) {
		const char *s = json_object_get_string(v);

		for (preset = config_bar_presets; preset->name; preset++) {
			if (!strcmp(preset->name, s)) {
				memcpy(dev->bar_mask, preset->mask,
				       sizeof(dev->bar_mask));
				return 0;
			}
		}
		return jp_fail(p, "bar_mask", "unknown preset \"%s\" (known: intx, intx_64k, msix, msix_64k, or an array of 6 masks)",
			       s);
	}
	if (!json_object_is_type(v, json_type_array) ||
	    json_object_array_length(v) != 6)
		return jp_fail(p, "bar_mask", "expected a preset name or an array of 6 masks");
	save = jp_push_key(p, "bar_mask");
	for (i = 0; i < 6; i++) {
		size_t save2 = jp_push_index(p, i);

		TRY(number_value(p, NULL, json_object_array_get_idx(v, i), 32,
				 &mask));
		dev->bar_mask[i] = (uint32_t)mask;
		jp_pop(p, save2);
	}
	jp_pop(p, save);
	return 0;
}

/* shmem_regions_start: an index, or the name of one memory region. */
static int parse_shmem_start(struct jp *p, json_object *obj,
			     const struct cell_build *b,
			     struct hv_pci_device *dev)
{
	json_object *v = get_key(obj, "shmem_regions_start");
	uint64_t index;
	uint32_t i, found = UINT32_MAX;
	const char *s;

	if (!v)
		return 0;
	if (json_object_is_type(v, json_type_string)) {
		s = json_object_get_string(v);
		if (config_parse_number(s, &index)) {
			for (i = 0; b->mem_names &&
				    i < b->desc.num_memory_regions; i++) {
				if (!b->mem_names[i] ||
				    strcmp(b->mem_names[i], s))
					continue;
				if (found != UINT32_MAX)
					return jp_fail(p, "shmem_regions_start", "region name \"%s\" is ambiguous (memory_regions[%u] and [%u])",
						       s, found, i);
				found = i;
			}
			if (found == UINT32_MAX)
				return jp_fail(p, "shmem_regions_start", "no memory region is named \"%s\"",
					       s);
			dev->shmem_regions_start = found;
			return 0;
		}
	}
	TRY(number_value(p, "shmem_regions_start", v, 32, &index));
	dev->shmem_regions_start = (uint32_t)index;
	return 0;
}

static int parse_pci(struct jp *p, json_object *obj, const struct cell_build *b,
		     struct hv_pci_device *dev, char **name)
{
	bool msi64 = false, maskable = false;
	uint16_t bdf = 0;
	uint64_t pad = 0;
	char why[160];
	const char *s;
	size_t len;

	TRY(check_object(p, obj, "a PCI device", pci_keys, NULL));
	TRY(get_string(p, obj, "name", &s, &len));
	if (s) {
		if (!len || strlen(s) != len)
			return jp_fail(p, "name", "device names must be non-empty text");
		if (config_text_problem(s, len, why, sizeof(why)))
			return jp_fail(p, "name", "%s", why);
		*name = strdup(s);
		if (!*name)
			return -ENOMEM;
	}
	TRY(GET_ENUM(p, obj, "type", config_pci_types, 8, dev->type));
	TRY(GET_NUM(p, obj, "iommu", 8, dev->iommu));
	TRY(GET_NUM(p, obj, "domain", 16, dev->domain));
	TRY(get_bdf(p, obj, "bdf", &bdf));
	dev->bdf = bdf;
	TRY(parse_bar_mask(p, obj, dev));
	TRY(GET_NUM(p, obj, "caps_start", 16, dev->caps_start));
	TRY(GET_NUM(p, obj, "num_caps", 16, dev->num_caps));
	TRY(GET_NUM(p, obj, "num_msi_vectors", 8, dev->num_msi_vectors));
	TRY(get_bool(p, obj, "msi_64bits", &msi64));
	TRY(get_bool(p, obj, "msi_maskable", &maskable));
	TRY(get_num(p, obj, "padding", 8, &pad));
	if (pad & (HV_PCI_MSI_64BITS | HV_PCI_MSI_MASKABLE))
		return jp_fail(p, "padding", "bits 0x3 of this byte are msi_64bits and msi_maskable; use those keys");
	dev->msi_flags = (uint8_t)(pad | (msi64 ? HV_PCI_MSI_64BITS : 0) |
				   (maskable ? HV_PCI_MSI_MASKABLE : 0));
	TRY(GET_NUM(p, obj, "num_msix_vectors", 16, dev->num_msix_vectors));
	TRY(GET_NUM(p, obj, "msix_region_size", 16, dev->msix_region_size));
	TRY(GET_NUM(p, obj, "msix_address", 64, dev->msix_address));
	TRY(parse_shmem_start(p, obj, b, dev));
	TRY(GET_NUM(p, obj, "shmem_dev_id", 8, dev->shmem_dev_id));
	TRY(GET_NUM(p, obj, "shmem_peers", 8, dev->shmem_peers));
	TRY(GET_ENUM(p, obj, "shmem_protocol", config_shmem_protocols, 16,
		     dev->shmem_protocol));
	return 0;
}

static const char *const cap_keys[] = { "id", "start", "len", "flags", NULL };

static int parse_cap(struct jp *p, json_object *obj,
		     struct hv_pci_capability *cap)
{
	TRY(check_object(p, obj, "a PCI capability", cap_keys, NULL));
	TRY(GET_NUM(p, obj, "id", 16, cap->id));
	TRY(GET_NUM(p, obj, "start", 16, cap->start));
	TRY(GET_NUM(p, obj, "len", 16, cap->len));
	TRY(GET_FLAGS(p, obj, "flags", config_pcicap_flags, 16, cap->flags));
	return 0;
}

/*
 * An optional array under key: allocates *items (count elements of size
 * elem) and calls fn on each element with the path set.
 */
typedef int (*elem_fn)(struct jp *p, json_object *obj, void *item, size_t i,
		       struct cell_build *b);

static int parse_array(struct jp *p, json_object *parent, const char *key,
		       size_t elem, void **items, uint32_t *count, elem_fn fn,
		       struct cell_build *b)
{
	json_object *arr = get_key(parent, key);
	size_t i, n, save;
	uint8_t *buf;

	*items = NULL;
	*count = 0;
	if (!arr)
		return 0;
	if (!json_object_is_type(arr, json_type_array))
		return jp_fail(p, key, "expected an array, found %s",
			       type_name(arr));
	n = json_object_array_length(arr);
	if (n > UINT32_MAX)
		return jp_fail(p, key, "too many entries");
	if (!n)
		return 0;
	buf = calloc(n, elem);
	if (!buf)
		return -ENOMEM;
	*items = buf;
	*count = (uint32_t)n;
	b->array_len = (uint32_t)n;
	save = jp_push_key(p, key);
	for (i = 0; i < n; i++) {
		size_t save2 = jp_push_index(p, i);

		TRY(fn(p, json_object_array_get_idx(arr, i), buf + i * elem, i,
		       b));
		jp_pop(p, save2);
	}
	jp_pop(p, save);
	return 0;
}

static int names_slot(char ***names, uint32_t count, size_t i, char **name)
{
	if (!*name)
		return 0;
	if (!*names) {
		*names = calloc(count, sizeof(char *));
		if (!*names) {
			free(*name);
			return -ENOMEM;
		}
	}
	(*names)[i] = *name;
	return 0;
}

static int mem_elem(struct jp *p, json_object *obj, void *item, size_t i,
		    struct cell_build *b)
{
	char *name = NULL;
	int ret;

	ret = parse_memory(p, obj, item, &name);
	if (ret) {
		free(name);
		return ret;
	}
	return names_slot(&b->mem_names, b->array_len, i, &name);
}

static int cache_elem(struct jp *p, json_object *obj, void *item, size_t i,
		      struct cell_build *b)
{
	(void)i;
	(void)b;
	return parse_cache(p, obj, item);
}

static int irqchip_elem(struct jp *p, json_object *obj, void *item, size_t i,
		struct cell_build *b)
{
	(void)i;
	(void)b;
	return parse_irqchip(p, obj, item);
}

static int pio_elem(struct jp *p, json_object *obj, void *item, size_t i,
		    struct cell_build *b)
{
	(void)i;
	(void)b;
	return parse_pio(p, obj, item);
}

static int pci_elem(struct jp *p, json_object *obj, void *item, size_t i,
		    struct cell_build *b)
{
	char *name = NULL;
	int ret;

	ret = parse_pci(p, obj, b, item, &name);
	if (ret) {
		free(name);
		return ret;
	}
	return names_slot(&b->pci_names, b->array_len, i, &name);
}

static int cap_elem(struct jp *p, json_object *obj, void *item, size_t i,
		    struct cell_build *b)
{
	(void)i;
	(void)b;
	return parse_cap(p, obj, item);
}

static int sid_elem(struct jp *p, json_object *obj, void *item, size_t i,
		    struct cell_build *b)
{
	union hv_stream_id *sid = item;
	uint64_t v;

	(void)i;
	(void)b;
	TRY(number_value(p, NULL, obj, 32, &v));
	sid->id = (uint32_t)v;
	return 0;
}

static const char *const cell_keys[] = {
	"name", "id", "flags", "cpu_set", "cpu_set_size", "vpci_irq_base",
	"cpu_reset_address", "msg_reply_timeout", "console", "memory_regions",
	"cache_regions", "irqchips", "pio_regions", "pci_devices", "pci_caps",
	"stream_ids", NULL
};
static const char *const root_cell_extra_keys[] = {
	"signature", "architecture", "revision", NULL
};
static const char *const cell_file_extra_keys[] = {
	"type", "architecture", "revision", NULL
};

static int parse_root_signature(struct jp *p, json_object *obj,
				struct hv_cell_desc *desc)
{
	const char *s;
	size_t len;

	TRY(get_string(p, obj, "signature", &s, &len));
	if (!s)
		return 0;
	if (len > HV_SIGNATURE_LEN)
		return jp_fail(p, "signature", "at most %d bytes", HV_SIGNATURE_LEN);
	memcpy(desc->signature, s, len);
	return 0;
}

/* Counts go through a local: the descriptor's fields are packed. */
#define PARSE_ARRAY(key, items, count_field, fn)			\
	({								\
		uint32_t _n = 0;					\
		int _r = parse_array(p, obj, key, sizeof(*(items)),	\
				     (void **)&(items), &_n, fn, b);	\
		b->desc.count_field = _n;				\
		_r;							\
	})

static int parse_cell(struct jp *p, json_object *obj, struct cell_build *b,
		      bool is_root)
{
	struct hv_cell_desc *d = &b->desc;
	char why[160];
	const char *name;
	size_t len;

	if (is_root) {
		TRY(check_object(p, obj, "a cell", cell_keys,
				 root_cell_extra_keys));
		TRY(parse_root_signature(p, obj, d));
		TRY(GET_ENUM(p, obj, "architecture", config_arch_names, 8,
			     d->architecture));
		TRY(GET_NUM(p, obj, "revision", 16, d->revision));
	} else {
		TRY(check_object(p, obj, "a cell", cell_keys,
				 cell_file_extra_keys));
	}
	TRY(get_string(p, obj, "name", &name, &len));
	if (!name)
		return jp_fail(p, NULL, "missing key \"name\"");
	if (!len || strlen(name) != len)
		return jp_fail(p, "name", "must be non-empty text");
	if (len > HV_CELL_NAME_MAXLEN)
		return jp_fail(p, "name", "\"%s\" is %zu bytes long; cell names have at most %d",
			       name, len, HV_CELL_NAME_MAXLEN);
	/* Names reach terminals, JSON and the hypervisor's messages. */
	if (config_text_problem(name, len, why, sizeof(why)))
		return jp_fail(p, "name", "%s", why);
	memcpy(d->name, name, len);
	TRY(GET_NUM(p, obj, "id", 32, d->id));
	TRY(GET_FLAGS(p, obj, "flags", config_cell_flags, 32, d->flags));
	TRY(parse_cpu_set(p, obj, b));
	TRY(GET_NUM(p, obj, "vpci_irq_base", 32, d->vpci_irq_base));
	TRY(GET_NUM(p, obj, "cpu_reset_address", 64, d->cpu_reset_address));
	TRY(GET_NUM(p, obj, "msg_reply_timeout", 64, d->msg_reply_timeout));
	TRY(parse_console(p, obj, "console", &d->console));

	TRY(PARSE_ARRAY("memory_regions", b->mem, num_memory_regions,
			mem_elem));
	TRY(PARSE_ARRAY("cache_regions", b->cache, num_cache_regions,
			cache_elem));
	TRY(PARSE_ARRAY("irqchips", b->irqchips, num_irqchips, irqchip_elem));
	TRY(PARSE_ARRAY("pio_regions", b->pio, num_pio_regions, pio_elem));
	TRY(PARSE_ARRAY("pci_devices", b->pci, num_pci_devices, pci_elem));
	TRY(PARSE_ARRAY("pci_caps", b->caps, num_pci_caps, cap_elem));
	TRY(PARSE_ARRAY("stream_ids", b->sids, num_stream_ids, sid_elem));
	return 0;
}

/* ---- System parts ---- */

static const char *const hv_mem_keys[] = {
	"phys_start", "virt_start", "size", "flags", NULL
};

static int parse_hv_memory(struct jp *p, json_object *parent,
			   struct hv_memory *m)
{
	json_object *obj = get_key(parent, "hypervisor_memory");
	size_t save;

	if (!obj)
		return 0;
	save = jp_push_key(p, "hypervisor_memory");
	TRY(check_object(p, obj, "a memory", hv_mem_keys, NULL));
	TRY(GET_NUM(p, obj, "phys_start", 64, m->phys_start));
	TRY(GET_NUM(p, obj, "virt_start", 64, m->virt_start));
	TRY(GET_NUM(p, obj, "size", 64, m->size));
	TRY(GET_FLAGS(p, obj, "flags", config_mem_flags, 64, m->flags));
	jp_pop(p, save);
	return 0;
}

static const char *const iommu_keys[] = {
	"type", "base", "size", "raw", NULL
};
static const char *const iommu_amd_keys[] = {
	"amd_bdf", "amd_base_cap", "amd_msi_cap", "amd_features", NULL
};
static const char *const iommu_pvu_keys[] = {
	"tipvu_tlb_base", "tipvu_tlb_size", NULL
};

static int iommu_elem(struct jp *p, json_object *obj, struct hv_iommu *u)
{
	uint16_t bdf = 0;

	/* The union's keys depend on the type, so read the type first. */
	if (!json_object_is_type(obj, json_type_object))
		return check_object(p, obj, "an IOMMU", iommu_keys, NULL);
	TRY(GET_ENUM(p, obj, "type", config_iommu_types, 32, u->type));
	json_object_object_foreach(obj, key, val) {
		if (!val)
			return jp_fail(p, key, "null is not a value here; leave the key out for the default");
		if (key_in(key, iommu_keys))
			continue;
		if (key_in(key, iommu_amd_keys) && u->type != HV_IOMMU_AMD)
			return jp_fail(p, key, "only for IOMMUs of type \"amd\"");
		if (key_in(key, iommu_pvu_keys) && u->type != HV_IOMMU_PVU)
			return jp_fail(p, key, "only for IOMMUs of type \"pvu\"");
		if (!key_in(key, iommu_amd_keys) &&
		    !key_in(key, iommu_pvu_keys))
			return jp_fail(p, NULL, "unknown key \"%s\"", key);
	}
	TRY(GET_NUM(p, obj, "base", 64, u->base));
	TRY(GET_NUM(p, obj, "size", 32, u->size));
	switch (u->type) {
	case HV_IOMMU_AMD:
		TRY(get_bdf(p, obj, "amd_bdf", &bdf));
		u->amd.bdf = bdf;
		TRY(GET_NUM(p, obj, "amd_base_cap", 8, u->amd.base_cap));
		TRY(GET_NUM(p, obj, "amd_msi_cap", 8, u->amd.msi_cap));
		TRY(GET_NUM(p, obj, "amd_features", 32, u->amd.features));
		TRY(get_raw(p, obj, "raw", u->raw + CONFIG_IOMMU_AMD_RAW_OFFSET,
			    sizeof(u->raw) - CONFIG_IOMMU_AMD_RAW_OFFSET));
		break;
	case HV_IOMMU_PVU:
		if (get_key(obj, "raw"))
			return jp_fail(p, "raw", "type \"pvu\" uses every byte; set tipvu_tlb_base and tipvu_tlb_size");
		TRY(GET_NUM(p, obj, "tipvu_tlb_base", 64, u->tipvu.tlb_base));
		TRY(GET_NUM(p, obj, "tipvu_tlb_size", 32, u->tipvu.tlb_size));
		break;
	default:
		TRY(get_raw(p, obj, "raw", u->raw, sizeof(u->raw)));
		break;
	}
	return 0;
}

static const char *const arm_keys[] = {
	"maintenance_irq", "gic_version", "padding", "gicd_base", "gicc_base",
	"gich_base", "gicv_base", "gicr_base", NULL
};
static const char *const x86_keys[] = {
	"pm_timer_address", "apic_mode", "padding", "vtd_interrupt_limit",
	"tsc_khz", "apic_khz", "raw", NULL
};
static const char *const platform_keys[] = {
	"pci_mmconfig_base", "pci_mmconfig_end_bus", "pci_is_virtual",
	"pci_domain", "iommu_units", "arm", "x86", NULL
};

static int parse_platform_arch(struct jp *p, json_object *parent,
			       uint8_t arch, struct hv_platform_info *pi)
{
	const char *want = arch == HV_ARCH_X86 ? "x86" : "arm";
	const char *other = arch == HV_ARCH_X86 ? "arm" : "x86";
	json_object *obj;
	uint64_t pad = 0;
	size_t save;

	if (get_key(parent, other))
		return jp_fail(p, other, "does not match architecture \"%s\"; use \"%s\"",
			       config_arch_name(arch), want);
	obj = get_key(parent, want);
	if (!obj)
		return 0;
	save = jp_push_key(p, want);
	if (arch == HV_ARCH_X86) {
		struct hv_platform_x86 *x = &pi->x86;

		TRY(check_object(p, obj, "an x86 platform", x86_keys, NULL));
		TRY(GET_NUM(p, obj, "pm_timer_address", 16,
			    x->pm_timer_address));
		TRY(GET_NUM(p, obj, "apic_mode", 8, x->apic_mode));
		TRY(GET_NUM(p, obj, "padding", 8, x->padding));
		TRY(GET_NUM(p, obj, "vtd_interrupt_limit", 32,
			    x->vtd_interrupt_limit));
		TRY(GET_NUM(p, obj, "tsc_khz", 32, x->tsc_khz));
		TRY(GET_NUM(p, obj, "apic_khz", 32, x->apic_khz));
		TRY(get_raw(p, obj, "raw", pi->raw + CONFIG_X86_RAW_OFFSET,
			    sizeof(pi->raw) - CONFIG_X86_RAW_OFFSET));
	} else {
		struct hv_platform_arm *a = &pi->arm;

		TRY(check_object(p, obj, "an ARM platform", arm_keys, NULL));
		TRY(GET_NUM(p, obj, "maintenance_irq", 8, a->maintenance_irq));
		TRY(GET_NUM(p, obj, "gic_version", 8, a->gic_version));
		TRY(get_num(p, obj, "padding", 16, &pad));
		a->padding[0] = (uint8_t)pad;
		a->padding[1] = (uint8_t)(pad >> 8);
		TRY(GET_NUM(p, obj, "gicd_base", 64, a->gicd_base));
		TRY(GET_NUM(p, obj, "gicc_base", 64, a->gicc_base));
		TRY(GET_NUM(p, obj, "gich_base", 64, a->gich_base));
		TRY(GET_NUM(p, obj, "gicv_base", 64, a->gicv_base));
		TRY(GET_NUM(p, obj, "gicr_base", 64, a->gicr_base));
	}
	jp_pop(p, save);
	return 0;
}

static int parse_platform(struct jp *p, json_object *parent, uint8_t arch,
			  struct hv_platform_info *pi)
{
	json_object *obj = get_key(parent, "platform_info"), *units;
	size_t i, n, save, save2;

	if (!obj)
		return 0;
	save = jp_push_key(p, "platform_info");
	TRY(check_object(p, obj, "a platform_info", platform_keys, NULL));
	TRY(GET_NUM(p, obj, "pci_mmconfig_base", 64, pi->pci_mmconfig_base));
	TRY(GET_NUM(p, obj, "pci_mmconfig_end_bus", 8,
		    pi->pci_mmconfig_end_bus));
	TRY(GET_NUM(p, obj, "pci_is_virtual", 8, pi->pci_is_virtual));
	TRY(GET_NUM(p, obj, "pci_domain", 16, pi->pci_domain));
	units = get_key(obj, "iommu_units");
	if (units) {
		if (!json_object_is_type(units, json_type_array))
			return jp_fail(p, "iommu_units", "expected an array, found %s",
				       type_name(units));
		n = json_object_array_length(units);
		if (n > HV_MAX_IOMMU_UNITS)
			return jp_fail(p, "iommu_units", "%zu units; the format has room for %d",
				       n, HV_MAX_IOMMU_UNITS);
		save2 = jp_push_key(p, "iommu_units");
		for (i = 0; i < n; i++) {
			size_t save3 = jp_push_index(p, i);

			TRY(iommu_elem(p, json_object_array_get_idx(units, i),
				       &pi->iommu_units[i]));
			jp_pop(p, save3);
		}
		jp_pop(p, save2);
	}
	TRY(parse_platform_arch(p, obj, arch, pi));
	jp_pop(p, save);
	return 0;
}

/* ---- Top level ---- */

static void build_free(struct cell_build *b)
{
	uint32_t i;

	free(b->cpu_set);
	free(b->mem);
	if (b->mem_names)
		for (i = 0; i < b->desc.num_memory_regions; i++)
			free(b->mem_names[i]);
	free(b->mem_names);
	free(b->cache);
	free(b->irqchips);
	free(b->pio);
	free(b->pci);
	if (b->pci_names)
		for (i = 0; i < b->desc.num_pci_devices; i++)
			free(b->pci_names[i]);
	free(b->pci_names);
	free(b->caps);
	free(b->sids);
}

static uint8_t *put(uint8_t *dst, const void *src, uint64_t len)
{
	if (len)
		memcpy(dst, src, len);
	return dst + len;
}

/* Lay the image out and hand it to config_from_image(). */
static int build_image(struct jp *p, const struct hv_system *sys,
		       struct cell_build *b, struct hvctl_config **out)
{
	const struct hv_cell_desc *d = &b->desc;
	uint64_t size = hv_cell_config_size(d);
	uint8_t *data, *q;
	int ret;

	if (sys)
		size += offsetof(struct hv_system, root_cell);
	/* What the hypervisor (cell) or the driver (system) would refuse is
	 * refused here; the scan caught big arrays before they were read. */
	if (size > (sys ? (uint64_t)HV_SYSTEM_CONFIG_MAX_SIZE :
		    (uint64_t)HV_CELL_CONFIG_MAX_PAGES * HV_PAGE_SIZE)) {
		config_error(p->err, "%s: the config would be %" PRIu64 " bytes, more than the %s (%u bytes)",
			     p->file, size,
			     sys ? "driver takes for a system config" :
				   "hypervisor takes for a cell (16 pages)",
			     sys ? HV_SYSTEM_CONFIG_MAX_SIZE :
				   HV_CELL_CONFIG_MAX_PAGES * HV_PAGE_SIZE);
		return -E2BIG;
	}
	data = malloc(size);
	if (!data)
		return -ENOMEM;
	if (sys) {
		memcpy(data, sys, offsetof(struct hv_system, root_cell));
		q = data + offsetof(struct hv_system, root_cell);
	} else {
		q = data;
	}
	q = put(q, d, sizeof(*d));
	q = put(q, b->cpu_set, d->cpu_set_size);
	q = put(q, b->mem, (uint64_t)d->num_memory_regions * sizeof(*b->mem));
	q = put(q, b->cache, (uint64_t)d->num_cache_regions * sizeof(*b->cache));
	q = put(q, b->irqchips,
		(uint64_t)d->num_irqchips * sizeof(*b->irqchips));
	q = put(q, b->pio, (uint64_t)d->num_pio_regions * sizeof(*b->pio));
	q = put(q, b->pci, (uint64_t)d->num_pci_devices * sizeof(*b->pci));
	q = put(q, b->caps, (uint64_t)d->num_pci_caps * sizeof(*b->caps));
	put(q, b->sids, (uint64_t)d->num_stream_ids * sizeof(*b->sids));

	ret = config_from_image(out, data, size, p->file, p->err);
	if (ret)
		return ret;
	(*out)->mem_names = b->mem_names;
	(*out)->pci_names = b->pci_names;
	b->mem_names = NULL;
	b->pci_names = NULL;
	return 0;
}

static const char *const system_keys[] = {
	"type", "architecture", "revision", "flags", "hypervisor_memory",
	"debug_console", "platform_info", "root_cell", NULL
};

static int parse_top(struct jp *p, json_object *root,
		     struct hvctl_config **out)
{
	struct cell_build b;
	struct hv_system sys;
	json_object *v;
	uint64_t arch = 0, revision = HV_CONFIG_REVISION;
	bool is_system;
	const char *type;
	size_t len, save;
	int ret;

	if (!json_object_is_type(root, json_type_object))
		return jp_fail(p, NULL, "expected a JSON object at the top, found %s",
			       type_name(root));
	TRY(get_string(p, root, "type", &type, &len));
	if (!type)
		return jp_fail(p, NULL, "missing key \"type\" (\"system\" or \"cell\")");
	if (!strcmp(type, "system"))
		is_system = true;
	else if (!strcmp(type, "cell"))
		is_system = false;
	else
		return jp_fail(p, "type", "\"%s\" is neither \"system\" nor \"cell\"",
			       type);
	if (!get_key(root, "architecture"))
		return jp_fail(p, NULL, "missing key \"architecture\" (x86, arm or arm64)");
	TRY(get_enum(p, root, "architecture", config_arch_names, 8, &arch));
	if (arch > HV_ARCH_ARM64)
		return jp_fail(p, "architecture", "unknown architecture %" PRIu64 " (known: x86, arm, arm64)",
			       arch);
	TRY(get_num(p, root, "revision", 16, &revision));
	if (revision != HV_CONFIG_REVISION)
		return jp_fail(p, "revision", "revision %" PRIu64 " is not supported; only %d",
			       revision, HV_CONFIG_REVISION);

	memset(&b, 0, sizeof(b));
	if (!is_system) {
		memcpy(b.desc.signature, HV_CELL_SIGNATURE, HV_SIGNATURE_LEN);
		b.desc.architecture = (uint8_t)arch;
		b.desc.revision = HV_CONFIG_REVISION;
		ret = parse_cell(p, root, &b, false);
		if (!ret)
			ret = build_image(p, NULL, &b, out);
		build_free(&b);
		return ret;
	}

	memset(&sys, 0, sizeof(sys));
	memcpy(sys.signature, HV_SYSTEM_SIGNATURE, HV_SIGNATURE_LEN);
	sys.architecture = (uint8_t)arch;
	sys.revision = HV_CONFIG_REVISION;
	ret = check_object(p, root, "a system", system_keys, NULL);
	if (!ret)
		ret = GET_FLAGS(p, root, "flags", config_sys_flags, 32,
				sys.flags);
	if (!ret)
		ret = parse_hv_memory(p, root, &sys.hypervisor_memory);
	if (!ret)
		ret = parse_console(p, root, "debug_console",
				    &sys.debug_console);
	if (!ret)
		ret = parse_platform(p, root, (uint8_t)arch,
				     &sys.platform_info);
	if (ret)
		return ret;
	v = get_key(root, "root_cell");
	if (!v)
		return jp_fail(p, NULL, "missing key \"root_cell\"");
	save = jp_push_key(p, "root_cell");
	ret = parse_cell(p, v, &b, true);
	jp_pop(p, save);
	if (!ret)
		ret = build_image(p, &sys, &b, out);
	build_free(&b);
	return ret;
}

/* Skip blanks and comments after the top-level value (up to end). */
static const char *skip_trailer(const char *s, const char *end)
{
	while (s < end) {
		if (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r') {
			s++;
		} else if (end - s >= 2 && s[0] == '/' && s[1] == '/') {
			const char *nl = memchr(s, '\n', (size_t)(end - s));

			s = nl ? nl : end;
		} else if (end - s >= 2 && s[0] == '/' && s[1] == '*') {
			const char *close = memmem(s + 2, (size_t)(end - s - 2),
						   "*/", 2);

			if (!close)
				return s;
			s = close + 2;
		} else {
			return s;
		}
	}
	return end;
}

static void text_position(const char *text, size_t off, unsigned int *line,
			  unsigned int *col)
{
	size_t i;

	*line = 1;
	*col = 1;
	for (i = 0; i < off; i++) {
		if (text[i] == '\n') {
			(*line)++;
			*col = 1;
		} else {
			(*col)++;
		}
	}
}

int config_parse_json_len(struct hvctl_config **out, const char *text,
			  size_t len, const char *name,
			  struct hvctl_error *err)
{
	struct jp p = { .file = name ? name : "config", .err = err };
	struct json_tokener *tok;
	enum json_tokener_error jerr;
	json_object *root;
	unsigned int line, col;
	size_t end, stopped;
	const char *rest;
	int ret;

	*out = NULL;
	if (len > INT32_MAX) {
		config_error(err, "%s: JSON text too large", p.file);
		return -EFBIG;
	}
	/* Duplicate keys and the size limits, before json-c spends memory. */
	ret = config_json_scan(text, len, p.file, err, &stopped);
	if (ret)
		return ret;
	if (memchr(text, '\0', len)) {
		config_error(err, "%s: JSON text contains a NUL byte", p.file);
		return -EINVAL;
	}
	tok = json_tokener_new();
	if (!tok) {
		config_error(err, "%s: out of memory", p.file);
		return -ENOMEM;
	}
	root = json_tokener_parse_ex(tok, text, (int)len);
	jerr = json_tokener_get_error(tok);
	end = json_tokener_get_parse_end(tok);
	json_tokener_free(tok);
	if (!root || jerr != json_tokener_success) {
		json_object_put(root);
		if (jerr == json_tokener_continue || jerr == json_tokener_success) {
			config_error(err, "%s: JSON text ends early (unclosed object, array or string)",
				     p.file);
		} else {
			text_position(text, end, &line, &col);
			config_error(err, "%s:%u:%u: JSON syntax error: %s",
				     p.file, line, col,
				     json_tokener_error_desc(jerr));
		}
		return -EINVAL;
	}
	rest = skip_trailer(text + end, text + len);
	if (rest < text + len) {
		json_object_put(root);
		text_position(text, (size_t)(rest - text), &line, &col);
		config_error(err, "%s:%u:%u: unexpected text after the JSON object",
			     p.file, line, col);
		return -EINVAL;
	}
	if (stopped != SIZE_MAX) {
		/* json-c took text the scan could not read: keys unchecked. */
		json_object_put(root);
		text_position(text, stopped, &line, &col);
		config_error(err, "%s:%u:%u: cannot check the text here for duplicate keys; write it as plain JSON",
			     p.file, line, col);
		return -EINVAL;
	}
	ret = parse_top(&p, root, out);
	json_object_put(root);
	if (ret == -ENOMEM)
		config_error(err, "%s: out of memory", p.file);
	return ret;
}

int hvctl_config_parse_json(struct hvctl_config **out, const char *text,
			    const char *name, struct hvctl_error *err)
{
	return config_parse_json_len(out, text, strlen(text), name, err);
}
