// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The registry: where our tools record the config of each cell they
 * create (and the system config at enable), so that a snapshot can show
 * a running cell's config when the backend does not offer
 * cells/<id>/config (upstream's driver does not).
 *
 * Layout: REGISTRY/system.json and REGISTRY/cell-<name>.json, the configs
 * as JSON (which, unlike the binary format, keeps the names of memory
 * regions and PCI devices for messages and displays). A record only counts for a running cell with the same name and
 * the same CPU set, so a record left from an earlier enable (or by a tool
 * that crashed) is not mistaken for the running cell's. Enable drops all
 * cell records, destroy drops the cell's. Writing is best effort.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "runtime_int.h"

#define CELL_PREFIX	"cell-"
#define SUFFIX		".json"

/* Cell names may hold any byte but NUL; keep file names plain. */
static void record_path(const struct hvctl_ctx *ctx, const char *name,
			char *buf, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	char enc[3 * HVCTL_CELL_NAME_MAX + 1];
	size_t o = 0;
	const unsigned char *p;

	for (p = (const unsigned char *)name; *p && o + 4 < sizeof(enc); p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || *p == '-' || *p == '_') {
			enc[o++] = (char)*p;
		} else {
			enc[o++] = '%';
			enc[o++] = hex[*p >> 4];
			enc[o++] = hex[*p & 15];
		}
	}
	enc[o] = '\0';
	snprintf(buf, len, "%s/" CELL_PREFIX "%s" SUFFIX, ctx->registry, enc);
}

static int make_dir(const char *path)
{
	char tmp[4096];
	size_t i, len = strlen(path);

	if (len >= sizeof(tmp))
		return -ENAMETOOLONG;
	memcpy(tmp, path, len + 1);
	for (i = 1; i <= len; i++) {
		if (tmp[i] != '/' && tmp[i] != '\0')
			continue;
		tmp[i] = '\0';
		if (mkdir(tmp, 0755) && errno != EEXIST)
			return -errno;
		tmp[i] = path[i];
	}
	return 0;
}

/* Write text to path atomically: a temporary file, then rename. */
static int write_atomic(const char *path, const char *text)
{
	size_t len = strlen(text), done = 0;
	char tmp[4200];
	int fd, ret = 0;

	snprintf(tmp, sizeof(tmp), "%s.XXXXXX", path);
	fd = mkstemp(tmp);
	if (fd < 0)
		return -errno;
	while (done < len) {
		ssize_t n = write(fd, text + done, len - done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			ret = -errno;
			break;
		}
		done += (size_t)n;
	}
	if (!ret && fchmod(fd, 0644))
		ret = -errno;
	if (close(fd) && !ret)
		ret = -errno;
	if (!ret && rename(tmp, path))
		ret = -errno;
	if (ret)
		unlink(tmp);
	return ret;
}

static int record(struct hvctl_ctx *ctx, const struct hvctl_config *config,
		  const char *path)
{
	struct hvctl_error err;
	char *text;
	int ret;

	ret = make_dir(ctx->registry);
	if (ret)
		return ret;
	ret = hvctl_config_to_json(config, &text, &err);
	if (ret)
		return ret;
	ret = write_atomic(path, text);
	free(text);
	return ret;
}

int registry_record_cell(struct hvctl_ctx *ctx,
			 const struct hvctl_config *config)
{
	char name[HVCTL_CELL_NAME_MAX + 1], path[4096];

	memcpy(name, config->cell->name, HVCTL_CELL_NAME_MAX);
	name[HVCTL_CELL_NAME_MAX] = '\0';
	record_path(ctx, name, path, sizeof(path));
	return record(ctx, config, path);
}

int registry_record_system(struct hvctl_ctx *ctx,
			   const struct hvctl_config *config)
{
	char path[4096];

	snprintf(path, sizeof(path), "%s/system" SUFFIX, ctx->registry);
	return record(ctx, config, path);
}

void registry_forget_cell(struct hvctl_ctx *ctx, const char *name)
{
	char path[4096];

	record_path(ctx, name, path, sizeof(path));
	unlink(path);
}

void registry_clear(struct hvctl_ctx *ctx)
{
	size_t plen = strlen(CELL_PREFIX), slen = strlen(SUFFIX);
	struct dirent *de;
	char path[4096];
	DIR *d;

	d = opendir(ctx->registry);
	if (!d)
		return;
	while ((de = readdir(d))) {
		size_t len = strlen(de->d_name);

		if (len <= plen + slen || strncmp(de->d_name, CELL_PREFIX, plen) ||
		    strcmp(de->d_name + len - slen, SUFFIX))
			continue;
		snprintf(path, sizeof(path), "%s/%s", ctx->registry, de->d_name);
		unlink(path);
	}
	closedir(d);
	snprintf(path, sizeof(path), "%s/system" SUFFIX, ctx->registry);
	unlink(path);
}

/* Does the config's CPU set hold exactly these CPUs (ascending)? */
static bool cpus_match(const struct hvctl_config *config,
		       const unsigned int *cpus, unsigned int num)
{
	uint32_t size = config->cell->cpu_set_size;
	unsigned int i = 0, cpu;

	for (cpu = 0; cpu < size * 8u; cpu++) {
		if (!(config->cpu_set[cpu / 8] & (1u << (cpu % 8))))
			continue;
		if (i == num || cpus[i] != cpu)
			return false;
		i++;
	}
	return i == num;
}

static struct hvctl_config *lookup(const char *path, bool system,
				   const char *name, const unsigned int *cpus,
				   unsigned int num)
{
	struct hvctl_config *config;
	struct hvctl_error err;
	char cname[HVCTL_CELL_NAME_MAX + 1];

	if (access(path, R_OK))
		return NULL;
	if (hvctl_config_read_file(&config, path, &err))
		return NULL;
	memcpy(cname, config->cell->name, HVCTL_CELL_NAME_MAX);
	cname[HVCTL_CELL_NAME_MAX] = '\0';
	if (config->is_system != system || strcmp(cname, name) ||
	    !cpus_match(config, cpus, num)) {
		hvctl_config_free(config);
		return NULL;
	}
	return config;
}

struct hvctl_config *registry_lookup_cell(struct hvctl_ctx *ctx,
					  const char *name,
					  const unsigned int *cpus,
					  unsigned int num_cpus)
{
	char path[4096];

	record_path(ctx, name, path, sizeof(path));
	return lookup(path, false, name, cpus, num_cpus);
}

struct hvctl_config *registry_lookup_system(struct hvctl_ctx *ctx,
					    const char *root_name,
					    const unsigned int *cpus,
					    unsigned int num_cpus)
{
	char path[4096];

	snprintf(path, sizeof(path), "%s/system" SUFFIX, ctx->registry);
	return lookup(path, true, root_name, cpus, num_cpus);
}
