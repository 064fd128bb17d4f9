// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * One pass over JSON config text before json-c builds its tree, for what
 * json-c cannot tell or would tell too late:
 *
 * - Duplicate keys. json-c keeps the last value of a repeated key without
 *   a word, so "name" given twice would compile as the second. Keys are
 *   compared as json-c stores them (escapes decoded, cut at a NUL), per
 *   object, through one hash table for the whole text: linear time.
 * - Size. A cell's arrays are counted while they are read, and the scan
 *   stops at the first entry that takes the binary past what the
 *   hypervisor (cell file: 16 pages) or the driver (system config: 1 MiB)
 *   accepts, before any memory is spent on a tree of a million regions.
 *   A cap on the number of values bounds everything else.
 *
 * The scan follows json-c's non-strict syntax (comments, single-quoted
 * strings). Where it meets text it does not understand it stops and says
 * where; the caller lets json-c report the syntax error, and refuses the
 * file if json-c accepts what the scan could not check.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hvabi/cell-config.h>

#include "config_internal.h"

/* Deeper than json-c's default limit (32), which refuses such text anyway. */
#define SCAN_MAX_DEPTH	64
#define SCAN_PATH_MAX	256

enum frame_state {
	F_KEY,		/* object: a key or '}' */
	F_COLON,	/* object: ':' after a key */
	F_VALUE,	/* a value (or ']' in an array) */
	F_COMMA,	/* ',' or the closing bracket */
};

/* What the elements of a counted array add to a config's binary size. */
enum budget_group { G_NONE = 0, G_CELL, G_ROOT };

struct frame {
	bool is_obj;
	enum frame_state state;
	uint64_t serial;	/* of an object, for the key table */
	size_t count;		/* array elements so far */
	size_t path_len;	/* the path up to this container */
	unsigned int elem_size;	/* counted array: bytes per element */
	enum budget_group group;
	const char *key;	/* counted array: its key */
};

struct key_entry {
	uint64_t serial;	/* 0: free slot */
	uint32_t hash;
	uint32_t off;		/* the decoded key in the arena */
	uint32_t len;
	uint32_t pos;		/* byte offset of the key in the text */
};

struct scan {
	const char *text;
	size_t len;
	size_t i;
	const char *file;
	struct hvctl_error *err;

	struct frame stack[SCAN_MAX_DEPTH];
	unsigned int depth;
	uint64_t next_serial;
	size_t values;

	char path[SCAN_PATH_MAX];
	size_t path_len;

	/* The last key read, decoded, and where it started. */
	char *key;
	size_t key_len, key_cap;
	size_t key_pos;

	/* Keys of all objects: a hash table and the arena holding them. */
	struct key_entry *table;
	size_t table_cap, table_used;
	char *arena;
	size_t arena_len, arena_cap;

	uint64_t bytes[3];	/* per budget group */
};

static const struct {
	const char *key;
	unsigned int size;
} counted_arrays[] = {
	{ "memory_regions", sizeof(struct hv_memory) },
	{ "cache_regions", sizeof(struct hv_cache) },
	{ "irqchips", sizeof(struct hv_irqchip) },
	{ "pio_regions", sizeof(struct hv_pio) },
	{ "pci_devices", sizeof(struct hv_pci_device) },
	{ "pci_caps", sizeof(struct hv_pci_capability) },
	{ "stream_ids", sizeof(union hv_stream_id) },
};

static void position(const struct scan *s, size_t off, unsigned int *line,
		     unsigned int *col)
{
	size_t i;

	*line = 1;
	*col = 1;
	for (i = 0; i < off && i < s->len; i++) {
		if (s->text[i] == '\n') {
			(*line)++;
			*col = 1;
		} else {
			(*col)++;
		}
	}
}

/* ---- the key table ---- */

static uint32_t key_hash(const char *k, size_t len, uint64_t serial)
{
	uint64_t h = 0xcbf29ce484222325ull ^ (serial * 0x9e3779b97f4a7c15ull);
	size_t i;

	for (i = 0; i < len; i++) {
		h ^= (unsigned char)k[i];
		h *= 0x100000001b3ull;
	}
	return (uint32_t)(h ^ (h >> 32));
}

static int table_grow(struct scan *s)
{
	size_t cap = s->table_cap ? s->table_cap * 2 : 256, i;
	struct key_entry *t = calloc(cap, sizeof(*t));

	if (!t)
		return -ENOMEM;
	for (i = 0; i < s->table_cap; i++) {
		const struct key_entry *e = &s->table[i];
		size_t j;

		if (!e->serial)
			continue;
		for (j = e->hash & (cap - 1); t[j].serial; j = (j + 1) & (cap - 1))
			;
		t[j] = *e;
	}
	free(s->table);
	s->table = t;
	s->table_cap = cap;
	return 0;
}

/*
 * Enter the current key into the table of object serial: 0, 1 if the
 * object has it already (*first: where), or -ENOMEM.
 */
static int key_add(struct scan *s, uint64_t serial, size_t *first)
{
	size_t klen = strnlen(s->key, s->key_len);	/* json-c cuts at NUL */
	uint32_t h = key_hash(s->key, klen, serial);
	size_t j;

	if ((s->table_used + 1) * 2 > s->table_cap && table_grow(s))
		return -ENOMEM;
	for (j = h & (s->table_cap - 1); s->table[j].serial;
	     j = (j + 1) & (s->table_cap - 1)) {
		const struct key_entry *e = &s->table[j];

		if (e->serial == serial && e->hash == h && e->len == klen &&
		    !memcmp(s->arena + e->off, s->key, klen)) {
			*first = e->pos;
			return 1;
		}
	}
	if (hvctl_grow(&s->arena, &s->arena_cap, s->arena_len + klen, 1))
		return -ENOMEM;
	if (s->arena_len + klen > UINT32_MAX || s->key_pos > UINT32_MAX)
		return -EFBIG;
	memcpy(s->arena + s->arena_len, s->key, klen);
	s->table[j].serial = serial;
	s->table[j].hash = h;
	s->table[j].off = (uint32_t)s->arena_len;
	s->table[j].len = (uint32_t)klen;
	s->table[j].pos = (uint32_t)s->key_pos;
	s->arena_len += klen;
	s->table_used++;
	return 0;
}

/* ---- lexing ---- */

/* Skip blanks and comments; false at the end of the text. */
static bool skip_ws(struct scan *s)
{
	while (s->i < s->len) {
		char c = s->text[s->i];

		if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
			s->i++;
		} else if (c == '/' && s->i + 1 < s->len &&
			   s->text[s->i + 1] == '/') {
			while (s->i < s->len && s->text[s->i] != '\n')
				s->i++;
		} else if (c == '/' && s->i + 1 < s->len &&
			   s->text[s->i + 1] == '*') {
			const char *end = memmem(s->text + s->i + 2,
						 s->len - s->i - 2, "*/", 2);

			if (!end) {
				s->i = s->len;
				return false;
			}
			s->i = (size_t)(end - s->text) + 2;
		} else {
			return true;
		}
	}
	return false;
}

static int key_put(struct scan *s, const char *b, size_t n)
{
	if (hvctl_grow(&s->key, &s->key_cap, s->key_len + n, 1))
		return -ENOMEM;
	memcpy(s->key + s->key_len, b, n);
	s->key_len += n;
	return 0;
}

static int hex4(const char *p, uint32_t *v)
{
	int i;

	*v = 0;
	for (i = 0; i < 4; i++) {
		char c = p[i];

		*v <<= 4;
		if (c >= '0' && c <= '9')
			*v |= (uint32_t)(c - '0');
		else if (c >= 'a' && c <= 'f')
			*v |= (uint32_t)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			*v |= (uint32_t)(c - 'A' + 10);
		else
			return -1;
	}
	return 0;
}

/*
 * A string at s->i (quote " or '). With keep, decode it into s->key.
 * 1 when read, 0 when the text is not what json-c takes (stop), or a
 * negative errno.
 */
static int read_string(struct scan *s, bool keep)
{
	char quote = s->text[s->i++];

	if (keep)
		s->key_len = 0;
	while (s->i < s->len) {
		char c = s->text[s->i];
		size_t start = s->i;
		uint32_t cp, lo;
		char u[4];
		int n;

		if (c == quote) {
			s->i++;
			return 1;
		}
		if (c != '\\') {
			/* A run of plain bytes at once. */
			while (s->i < s->len && s->text[s->i] != quote &&
			       s->text[s->i] != '\\')
				s->i++;
			if (keep && key_put(s, s->text + start, s->i - start))
				return -ENOMEM;
			continue;
		}
		if (s->i + 1 >= s->len)
			return 0;
		c = s->text[s->i + 1];
		s->i += 2;
		switch (c) {
		case 'b': u[0] = '\b'; n = 1; break;
		case 'f': u[0] = '\f'; n = 1; break;
		case 'n': u[0] = '\n'; n = 1; break;
		case 'r': u[0] = '\r'; n = 1; break;
		case 't': u[0] = '\t'; n = 1; break;
		case '"': case '\'': case '\\': case '/':
			u[0] = c;
			n = 1;
			break;
		case 'u':
			if (s->i + 4 > s->len || hex4(s->text + s->i, &cp))
				return 0;
			s->i += 4;
			/* A surrogate pair makes one code point. */
			if (cp >= 0xd800 && cp <= 0xdbff && s->i + 6 <= s->len &&
			    s->text[s->i] == '\\' && s->text[s->i + 1] == 'u' &&
			    !hex4(s->text + s->i + 2, &lo) &&
			    lo >= 0xdc00 && lo <= 0xdfff) {
				cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
				s->i += 6;
			}
			if (cp < 0x80) {
				u[0] = (char)cp;
				n = 1;
			} else if (cp < 0x800) {
				u[0] = (char)(0xc0 | cp >> 6);
				u[1] = (char)(0x80 | (cp & 0x3f));
				n = 2;
			} else if (cp < 0x10000) {
				u[0] = (char)(0xe0 | cp >> 12);
				u[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
				u[2] = (char)(0x80 | (cp & 0x3f));
				n = 3;
			} else {
				u[0] = (char)(0xf0 | cp >> 18);
				u[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
				u[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
				u[3] = (char)(0x80 | (cp & 0x3f));
				n = 4;
			}
			break;
		default:
			return 0;
		}
		if (keep && key_put(s, u, (size_t)n))
			return -ENOMEM;
	}
	return 0;
}

/* A number or a literal (true, null, NaN, ...): up to a delimiter. */
static bool read_bare(struct scan *s)
{
	size_t start = s->i;

	while (s->i < s->len && !strchr(" \t\r\n,:[]{}/\"'", s->text[s->i]))
		s->i++;
	return s->i > start;
}

/* ---- paths and limits ---- */

static void path_key(struct scan *s)
{
	int n = snprintf(s->path + s->path_len, sizeof(s->path) - s->path_len,
			 "%s%.*s", s->path_len ? "." : "",
			 (int)strnlen(s->key, s->key_len), s->key);

	if (n > 0)
		s->path_len += (size_t)n;
	if (s->path_len >= sizeof(s->path))
		s->path_len = sizeof(s->path) - 1;
}

static void path_index(struct scan *s, size_t idx)
{
	int n = snprintf(s->path + s->path_len, sizeof(s->path) - s->path_len,
			 "[%zu]", idx);

	if (n > 0)
		s->path_len += (size_t)n;
	if (s->path_len >= sizeof(s->path))
		s->path_len = sizeof(s->path) - 1;
}

__attribute__((format(printf, 3, 4)))
static int scan_fail(struct scan *s, int ret, const char *fmt, ...)
{
	char msg[HVCTL_ERROR_MAX];
	unsigned int line, col;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	position(s, s->i, &line, &col);
	config_error(s->err, "%s:%u:%u: %.*s%s%s", s->file, line, col,
		     (int)s->path_len, s->path, s->path_len ? ": " : "", msg);
	return ret;
}

/* Is the array being opened one whose entries make up a cell's binary? */
static void classify_array(struct scan *s, struct frame *f)
{
	const struct frame *parent = s->depth >= 2 ? &s->stack[s->depth - 2] : NULL;
	size_t k;

	f->group = G_NONE;
	if (!parent || !parent->is_obj)
		return;
	/* A cell file's arrays sit in the top object, the root cell's in
	 * the object under "root_cell". */
	if (s->depth == 2)
		f->group = G_CELL;
	else if (s->depth == 3 && s->stack[0].is_obj &&
		 !strncmp(s->path, "root_cell.", 10) &&
		 !strchr(s->path + 10, '.') && !strchr(s->path, '['))
		f->group = G_ROOT;
	else
		return;
	for (k = 0; k < sizeof(counted_arrays) / sizeof(counted_arrays[0]); k++) {
		if (strlen(counted_arrays[k].key) == s->key_len &&
		    !memcmp(counted_arrays[k].key, s->key, s->key_len)) {
			f->elem_size = counted_arrays[k].size;
			f->key = counted_arrays[k].key;
			return;
		}
	}
	f->group = G_NONE;
}

/* One more entry of a counted array: still within the limit? */
static int count_entry(struct scan *s, struct frame *f)
{
	uint64_t base, limit;
	const char *what;

	if (f->group == G_NONE)
		return 0;
	s->bytes[f->group] += f->elem_size;
	if (f->group == G_CELL) {
		/* The descriptor and the smallest CPU set come on top. */
		base = sizeof(struct hv_cell_desc) + 8;
		limit = (uint64_t)HV_CELL_CONFIG_MAX_PAGES * HV_PAGE_SIZE;
		what = "the hypervisor takes (16 pages)";
	} else {
		base = sizeof(struct hv_system) + 8;
		limit = HV_SYSTEM_CONFIG_MAX_SIZE;
		what = "the driver takes for a system config";
	}
	if (base + s->bytes[f->group] <= limit)
		return 0;
	return scan_fail(s, -E2BIG, "entry %zu makes the config larger than the %" PRIu64
			 " bytes %s; the binary would be at least %" PRIu64 " bytes",
			 f->count - 1, limit, what, base + s->bytes[f->group]);
}

/* ---- the walk ---- */

static int push(struct scan *s, bool is_obj)
{
	struct frame *f;

	if (s->depth == SCAN_MAX_DEPTH)
		return scan_fail(s, -EINVAL, "nested more than %d levels deep",
				 SCAN_MAX_DEPTH);
	f = &s->stack[s->depth++];
	memset(f, 0, sizeof(*f));
	f->is_obj = is_obj;
	f->state = is_obj ? F_KEY : F_VALUE;
	f->path_len = s->path_len;
	if (is_obj)
		f->serial = ++s->next_serial;
	else
		classify_array(s, f);
	s->i++;
	return 0;
}

/* A value ended: the container wants ',' or its end; the path drops it. */
static void value_done(struct scan *s)
{
	if (!s->depth)
		return;
	s->stack[s->depth - 1].state = F_COMMA;
	s->path_len = s->stack[s->depth - 1].path_len;
	s->path[s->path_len] = '\0';
}

/*
 * 0: the text was walked (or the walk stopped at a syntax problem, with
 * *stopped set to its offset); negative errno with err filled for a
 * duplicate key, an oversized config or no memory.
 */
static int walk(struct scan *s, size_t *stopped)
{
	bool top_done = false;
	int r;

	*stopped = SIZE_MAX;
	while (!top_done || s->depth) {
		struct frame *f = s->depth ? &s->stack[s->depth - 1] : NULL;
		char c;

		if (!skip_ws(s))
			break;
		c = s->text[s->i];

		if (f && (c == '}' || c == ']')) {
			if ((c == '}') != f->is_obj ||
			    f->state == F_COLON ||
			    (f->is_obj && f->state == F_VALUE))
				break;
			s->depth--;
			s->i++;
			value_done(s);
			if (!s->depth)
				top_done = true;
			continue;
		}
		if (f && f->state == F_COMMA) {
			if (c != ',')
				break;
			f->state = f->is_obj ? F_KEY : F_VALUE;
			s->i++;
			continue;
		}
		if (f && f->is_obj && f->state == F_KEY) {
			size_t first;

			if (c != '"' && c != '\'')
				break;
			s->key_pos = s->i;
			r = read_string(s, true);
			if (r <= 0) {
				if (r < 0)
					return r;
				break;
			}
			r = key_add(s, f->serial, &first);
			if (r < 0)
				return r;
			if (r) {
				unsigned int l1, c1;
				size_t here = s->i;

				position(s, first, &l1, &c1);
				s->i = s->key_pos;
				path_key(s);
				r = scan_fail(s, -EINVAL, "duplicate key \"%.*s\" (first at line %u, column %u); each key may appear once",
					      (int)strnlen(s->key, s->key_len), s->key, l1, c1);
				s->i = here;
				return r;
			}
			f->state = F_COLON;
			continue;
		}
		if (f && f->is_obj && f->state == F_COLON) {
			if (c != ':')
				break;
			path_key(s);
			f->state = F_VALUE;
			s->i++;
			continue;
		}
		/* A value: at the top, after a key, or in an array. */
		if (top_done && !s->depth)
			break;
		if (f && !f->is_obj) {
			f->count++;
			path_index(s, f->count - 1);
			r = count_entry(s, f);
			if (r)
				return r;
		}
		if (++s->values > CONFIG_JSON_MAX_VALUES)
			return scan_fail(s, -E2BIG, "more than %d JSON values; no config is that large",
					 CONFIG_JSON_MAX_VALUES);
		if (c == '{' || c == '[') {
			/* An array's key is the last one read. */
			r = push(s, c == '{');
			if (r)
				return r;
			continue;
		}
		if (c == '"' || c == '\'') {
			r = read_string(s, false);
			if (r < 0)
				return r;
			if (!r)
				break;
		} else if (!read_bare(s)) {
			break;
		}
		value_done(s);
		if (!s->depth)
			top_done = true;
	}
	if (!top_done || s->depth)
		*stopped = s->i;
	return 0;
}

int config_json_scan(const char *text, size_t len, const char *file,
		     struct hvctl_error *err, size_t *stopped)
{
	struct scan *s = calloc(1, sizeof(*s));
	int ret;

	if (!s)
		return -ENOMEM;
	s->text = text;
	s->len = len;
	s->file = file;
	s->err = err;
	ret = walk(s, stopped);
	if (ret == -ENOMEM)
		config_error(err, "%s: out of memory", file);
	free(s->key);
	free(s->table);
	free(s->arena);
	free(s);
	return ret;
}
