/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Boot profiles: a JSON file naming a system config and the cells to
 * create, load and start on it, in order, each with an optional health
 * check. The format is documented in doc/profiles.md.
 *
 * hvctl_profile_read() reads the profile and every file it names (configs
 * and images) at once, so bringing a board up never fails half-way for a
 * file that cannot be read. hvctl_profile_check() checks the profile's
 * configs and images against each other without any backend.
 * hvctl_profile_up() brings the board to the declared state or, when a
 * step fails, back to exactly the state it found (cells it created are
 * destroyed, a hypervisor it enabled is disabled); hvctl_profile_down()
 * reverses a profile.
 */
#ifndef HVCTL_PROFILE_H
#define HVCTL_PROFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <hvctl/common.h>
#include <hvctl/config.h>
#include <hvctl/runtime.h>

/* Version of the profile format ("profile": 1). */
#define HVCTL_PROFILE_VERSION		1
/* Longest console line a health check may wait for, in bytes. */
#define HVCTL_PROFILE_CONSOLE_MAX	256
/* Longest health-check timeout, in seconds. */
#define HVCTL_PROFILE_TIMEOUT_MAX	3600.0
/* Largest image a profile may name, in bytes. */
#define HVCTL_PROFILE_IMAGE_MAX		(512u << 20)

struct hvctl_profile_cell {
	struct hvctl_config *config;
	char name[HVCTL_CELL_NAME_MAX + 1];	/* from the config */
	/* Images in load order; data and labels belong to the profile. */
	struct hvctl_image *images;
	size_t num_images;
	bool start;			/* "start" (default true) */
	/* Health check: only for started cells; timeout 0 means none. */
	double timeout;			/* seconds */
	char *console;			/* text a console line must contain, or NULL */
};

/* A profile as read; read-only for the caller. */
struct hvctl_profile {
	char *path;			/* as given to hvctl_profile_read() */
	struct hvctl_config *system;
	size_t num_cells;
	struct hvctl_profile_cell *cells;
};

/*
 * Read a profile and every config and image it names (relative names are
 * relative to the profile's directory). -EINVAL with a message naming the
 * file and the member ("board.json: cells[1].health.timeout: ...") for a
 * malformed profile, -ENOENT and so on for files that cannot be read.
 */
HVCTL_EXPORT int hvctl_profile_read(struct hvctl_profile **out,
				    const char *path,
				    struct hvctl_error *err);
HVCTL_EXPORT void hvctl_profile_free(struct hvctl_profile *profile);

/*
 * Check the profile without a backend: the system config and the cell
 * configs against each other (hvctl_config_check()), cell names that
 * appear twice, and each image against the memory of its cell (inside one
 * region that is writable and loadable). Findings name the profile member
 * or config they are about. 0 and a (possibly empty) list, or -ENOMEM.
 */
HVCTL_EXPORT int hvctl_profile_check(const struct hvctl_profile *profile,
				     struct hvctl_findings **out);

/*
 * Progress of up and down, one line per step ("create cell 'rtos'"),
 * without a trailing newline. May be NULL.
 */
typedef void hvctl_profile_log_fn(void *arg, const char *line);

/*
 * Bring the board up: enable the hypervisor with the profile's system
 * config (kept when it already runs with that config), then for each
 * cell in order create, load, start and check its health. Refused before
 * any change (-EEXIST) when a cell of the profile already exists, and
 * (-EBUSY) when the hypervisor runs with another recorded system config.
 * When a step fails, the cells this call created are destroyed in
 * reverse order and a hypervisor it enabled is disabled; the message
 * names the failing step, its reason and what was rolled back.
 */
HVCTL_EXPORT int hvctl_profile_up(struct hvctl_ctx *ctx,
				  const struct hvctl_profile *profile,
				  hvctl_profile_log_fn *log, void *arg);

/*
 * Take the board down: destroy the profile's cells that exist, in
 * reverse order, then disable the hypervisor (which destroys any other
 * cell too). A disabled hypervisor is not an error.
 */
HVCTL_EXPORT int hvctl_profile_down(struct hvctl_ctx *ctx,
				    const struct hvctl_profile *profile,
				    hvctl_profile_log_fn *log, void *arg);

#endif /* !HVCTL_PROFILE_H */
