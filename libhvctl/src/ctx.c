// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The runtime context: URI resolution, messages, cell references and the
 * reference-counted configs shared between the cache and snapshots.
 */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "runtime_int.h"

#define DEFAULT_TICK_MS	500

/* Contexts opened so far in this process (contexts may live in threads). */
static uint64_t open_serial;

void rt_error(struct hvctl_error *err, const char *fmt, ...)
{
	va_list ap;

	if (!err)
		return;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
}

void rt_set_err(struct hvctl_ctx *ctx, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(ctx->errmsg, sizeof(ctx->errmsg), fmt, ap);
	va_end(ap);
}

int rt_fail(struct hvctl_ctx *ctx, int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(ctx->errmsg, sizeof(ctx->errmsg), fmt, ap);
	va_end(ap);
	return err;
}

void rt_clear_err(struct hvctl_ctx *ctx)
{
	ctx->errmsg[0] = '\0';
	ctx->unreachable = false;
}

uint64_t rt_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

int hvctl_grow(void *arrp, size_t *cap, size_t need, size_t elem)
{
	size_t ncap = *cap ? *cap : 16;
	void *arr, *n;

	if (need <= *cap)
		return 0;
	while (ncap < need) {
		if (ncap > SIZE_MAX / 2 / elem)
			return -ENOMEM;
		ncap *= 2;
	}
	/* Through memcpy: *arrp is some T *, not a void *. */
	memcpy(&arr, arrp, sizeof(arr));
	n = realloc(arr, ncap * elem);
	if (!n)
		return -ENOMEM;
	memcpy(arrp, &n, sizeof(n));
	*cap = ncap;
	return 0;
}

struct cfg_ref *cfg_ref_new(struct hvctl_config *config)
{
	struct cfg_ref *ref = malloc(sizeof(*ref));

	if (!ref) {
		hvctl_config_free(config);
		return NULL;
	}
	ref->refs = 1;
	ref->config = config;
	return ref;
}

struct cfg_ref *cfg_ref_get(struct cfg_ref *ref)
{
	if (ref)
		ref->refs++;
	return ref;
}

void cfg_ref_put(struct cfg_ref *ref)
{
	if (!ref || --ref->refs)
		return;
	hvctl_config_free(ref->config);
	free(ref);
}

/*
 * Every backend, by URI scheme. A new one is its transport_*.c file (a
 * struct rt_transport, see runtime_int.h) and its line here.
 */
extern const struct rt_transport rt_transport_kernel, rt_transport_sim;

static const struct rt_transport *const transports[] = {
	&rt_transport_kernel,
	&rt_transport_sim,
};

char *rt_absolute_dir(const char *dir)
{
	char cwd[PATH_MAX];
	char *out;
	size_t len = strlen(dir);

	while (len > 1 && dir[len - 1] == '/')
		len--;
	if (dir[0] == '/')
		return strndup(dir, len);
	if (!getcwd(cwd, sizeof(cwd)))
		return NULL;
	if (asprintf(&out, "%s/%.*s", cwd, (int)len, dir) < 0)
		return NULL;
	return out;
}

static int parse_uri(struct hvctl_ctx *ctx, const char *uri,
		     const char *device, char **def_registry,
		     struct hvctl_error *err)
{
	size_t i, n;

	for (i = 0; i < sizeof(transports) / sizeof(transports[0]); i++) {
		n = strlen(transports[i]->scheme);
		if (strncmp(uri, transports[i]->scheme, n))
			continue;
		ctx->tr = transports[i];
		return ctx->tr->open(ctx, uri + n, uri, device, def_registry,
				     err);
	}
	rt_error(err, "unknown backend in URI '%s' (use jailhouse:, jailhouse:DIR or sim:DIR)",
		 uri);
	return -EINVAL;
}

int hvctl_open_opts(struct hvctl_ctx **out, const struct hvctl_open_opts *opts,
		    struct hvctl_error *err)
{
	struct hvctl_ctx *ctx;
	const char *uri, *registry, *device;
	char *def_registry = NULL;
	int ret;

	if (!out)
		return -EINVAL;
	*out = NULL;
	if (!opts || opts->version != HVCTL_OPEN_OPTS_VERSION) {
		rt_error(err, "hvctl_open_opts: unsupported options version %u",
			 opts ? opts->version : 0);
		return -EINVAL;
	}
	uri = opts->uri;
	if (!uri || !*uri)
		uri = getenv("HVCTL_URI");
	if (!uri || !*uri)
		uri = HVCTL_DEFAULT_URI;
	device = opts->device ? opts->device : getenv("HVCTL_DEVICE");
	registry = opts->registry ? opts->registry : getenv("HVCTL_REGISTRY");

	ctx = calloc(1, sizeof(*ctx));
	if (!ctx)
		return -ENOMEM;
	ctx->ctl_fd = -1;
	ctx->stats_fd = -1;
	ctx->serial = __atomic_add_fetch(&open_serial, 1, __ATOMIC_RELAXED);
	ctx->tick_ms = opts->tick_ms ? opts->tick_ms : DEFAULT_TICK_MS;
	tree_init(&ctx->tree);

	ret = parse_uri(ctx, uri, device, &def_registry, err);
	if (ret)
		goto fail;
	ctx->uri = strdup(uri);
	if (registry && *registry) {
		ctx->registry = strdup(registry);
		free(def_registry);
	} else {
		ctx->registry = def_registry;
	}
	def_registry = NULL;
	if (!ctx->uri || !ctx->registry) {
		ret = -ENOMEM;
		goto fail;
	}
	*out = ctx;
	return 0;

fail:
	if (ret == -ENOMEM)
		rt_error(err, "out of memory");
	free(def_registry);
	hvctl_close(ctx);
	return ret;
}

int hvctl_open(struct hvctl_ctx **out, const char *uri, struct hvctl_error *err)
{
	struct hvctl_open_opts opts = {
		.version = HVCTL_OPEN_OPTS_VERSION,
		.uri = uri,
	};

	return hvctl_open_opts(out, &opts, err);
}

void hvctl_close(struct hvctl_ctx *ctx)
{
	if (!ctx)
		return;
	events_free(ctx);
	tree_free(&ctx->tree);
	if (ctx->tr)
		ctx->tr->close(ctx);
	free(ctx->uri);
	free(ctx->dir);
	free(ctx->tree_path);
	free(ctx->device);
	free(ctx->sock_path);
	free(ctx->registry);
	free(ctx);
}

const char *hvctl_errmsg(const struct hvctl_ctx *ctx)
{
	return ctx ? ctx->errmsg : "no context";
}

const char *hvctl_uri(const struct hvctl_ctx *ctx)
{
	return ctx->uri;
}

bool hvctl_may_control(struct hvctl_ctx *ctx, char *why, size_t size)
{
	char buf[HVCTL_ERROR_MAX];

	if (!why || !size) {
		why = buf;
		size = sizeof(buf);
	}
	why[0] = '\0';
	return ctx->tr->may_control(ctx, why, size);
}

bool hvctl_console_notifies(const struct hvctl_ctx *ctx)
{
	return ctx->tr->console_events;
}

const char *hvctl_config_family(const struct hvctl_ctx *ctx)
{
	return ctx->tr->config_family;
}

bool hvctl_backend_unreachable(const struct hvctl_ctx *ctx)
{
	return ctx && ctx->unreachable;
}

int hvctl_ping(struct hvctl_ctx *ctx)
{
	rt_clear_err(ctx);
	return ctx->tr->check(ctx);
}

/* ---- Cell references ---- */

int hvctl_cell_ref_name(struct hvctl_cell_ref *ref, const char *name,
			struct hvctl_error *err)
{
	size_t len = strlen(name);

	if (!len) {
		rt_error(err, "empty cell name");
		return -EINVAL;
	}
	if (len > HVCTL_CELL_NAME_MAX) {
		rt_error(err, "cell name '%s' is longer than %d characters",
			 name, HVCTL_CELL_NAME_MAX);
		return -EINVAL;
	}
	memset(ref, 0, sizeof(*ref));
	ref->id = HVCTL_CELL_BY_NAME;
	memcpy(ref->name, name, len);
	return 0;
}

void hvctl_cell_ref_id(struct hvctl_cell_ref *ref, int id)
{
	memset(ref, 0, sizeof(*ref));
	ref->id = id;
}

int hvctl_cell_ref_parse(struct hvctl_cell_ref *ref, const char *text,
			 struct hvctl_error *err)
{
	long long value;
	char *end;

	if (!text || !*text) {
		rt_error(err, "empty cell name or ID");
		return -EINVAL;
	}
	errno = 0;
	value = strtoll(text, &end, 0);
	if (!*end && !errno && value >= 0 && value <= INT_MAX) {
		hvctl_cell_ref_id(ref, (int)value);
		return 0;
	}
	return hvctl_cell_ref_name(ref, text, err);
}

const char *hvctl_cell_ref_str(const struct hvctl_cell_ref *ref, char *buf,
			       size_t len)
{
	if (ref->id >= 0)
		snprintf(buf, len, "%d", ref->id);
	else
		snprintf(buf, len, "'%s'", ref->name);
	return buf;
}
