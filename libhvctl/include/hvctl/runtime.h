/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The runtime context: which hypervisor to talk to, and the control
 * operations (enable, disable, cell create/load/start/shutdown/destroy).
 *
 * A backend is named by a URI:
 *   "jailhouse:"      the kernel driver: /dev/jailhouse + /sys/devices/jailhouse
 *   "jailhouse:DIR"   a sysfs-shaped tree at DIR (a copy, a fixture); read-only
 *                     unless HVCTL_DEVICE (or opts.device) names a device node
 *   "sim:DIR"         hvsim running in DIR: DIR/sysfs + DIR/control.sock
 * Precedence: the URI passed in (the tools' -c), then $HVCTL_URI, then
 * "jailhouse:".
 *
 * Opening does not contact the backend: a UI may start before the driver
 * is loaded or hvsim is running. Every call that needs the backend
 * (re)connects as needed; an unreachable backend gives -ENOTCONN,
 * -ECONNREFUSED or -ENODEV with a message naming it.
 *
 * Refusals (-EBUSY, -EEXIST, -ENOENT, -EINVAL, -EPERM, ...) come with an
 * explanation derived from the current state and the config, e.g.
 * "CPU 3 is owned by cell 'rtos'", in hvctl_errmsg(). The message does not
 * repeat the operation or the errno text; callers add those.
 */
#ifndef HVCTL_RUNTIME_H
#define HVCTL_RUNTIME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <hvctl/common.h>
#include <hvctl/config.h>

struct hvctl_ctx;

#define HVCTL_DEFAULT_URI	"jailhouse:"
#define HVCTL_DEFAULT_REGISTRY	"/run/hvctl"

#define HVCTL_OPEN_OPTS_VERSION	1

/*
 * Options for hvctl_open_opts(). Zero-initialise, set version to
 * HVCTL_OPEN_OPTS_VERSION and fill what you need; NULL/0 fields take the
 * documented default.
 */
struct hvctl_open_opts {
	unsigned int version;
	/* Backend URI; NULL: $HVCTL_URI, then HVCTL_DEFAULT_URI. */
	const char *uri;
	/*
	 * Where our tools record the config of each cell they create, so a
	 * later snapshot can show it. NULL: $HVCTL_REGISTRY, then
	 * HVCTL_DEFAULT_REGISTRY for jailhouse: URIs and DIR/registry for
	 * sim:DIR (each simulated board keeps its own).
	 */
	const char *registry;
	/*
	 * Device node for control of a jailhouse:DIR tree. NULL:
	 * $HVCTL_DEVICE; without one such a tree is read-only. Ignored for
	 * other URIs ("jailhouse:" always uses /dev/jailhouse).
	 */
	const char *device;
	/*
	 * Period of the event timer in milliseconds (cell-set checks on the
	 * kernel backend, reconnect attempts to a restarted hvsim, console
	 * polling ticks). 0: 500.
	 */
	unsigned int tick_ms;
};

/*
 * Open a context. On failure *out is NULL and err (may be NULL) says why:
 * -EINVAL for a malformed URI, -ENOMEM.
 */
HVCTL_EXPORT int hvctl_open(struct hvctl_ctx **out, const char *uri,
			    struct hvctl_error *err);
HVCTL_EXPORT int hvctl_open_opts(struct hvctl_ctx **out,
				 const struct hvctl_open_opts *opts,
				 struct hvctl_error *err);

/* Close a context and everything it holds open; NULL is fine. */
HVCTL_EXPORT void hvctl_close(struct hvctl_ctx *ctx);

/* The message of the last failed call on ctx ("" when none). */
HVCTL_EXPORT const char *hvctl_errmsg(const struct hvctl_ctx *ctx);

/*
 * Whether the last failed call failed because the backend could not be
 * reached at all (driver not loaded, hvsim not running or gone), as
 * opposed to a refusal. Tools map this to their "unreachable" exit code.
 */
HVCTL_EXPORT bool hvctl_backend_unreachable(const struct hvctl_ctx *ctx);

/* The URI the context resolved to, e.g. "sim:/tmp/board". */
HVCTL_EXPORT const char *hvctl_uri(const struct hvctl_ctx *ctx);

/*
 * What differs between backends is asked of the library, never worked
 * out from which backend it is (there is no call that says): whether
 * this caller may control it, whether consoles announce output, which
 * shipped configs fit its boards.
 */

/*
 * May this caller change anything (enable, create, load, ...)? false when
 * it certainly may not, with the reason in why (size bytes; may be NULL),
 * for example "a jailhouse:DIR tree without HVCTL_DEVICE is read-only",
 * a process without CAP_SYS_ADMIN on the kernel backend, or a member of
 * hvsim's operator group who is not its owner; true when it may, or when
 * only trying will tell (a refusal then comes as -EACCES, -EPERM or
 * -EROFS with a message). The kernel backend asks only the local system;
 * a sim: backend asks hvsim once (its ACCESS request), when reachable.
 */
HVCTL_EXPORT bool hvctl_may_control(struct hvctl_ctx *ctx, char *why,
				    size_t size);

/*
 * Does the backend announce console output (HVCTL_EVENT_CONSOLE)? When
 * it does not, consoles are read on HVCTL_EVENT_TICK (polling).
 */
HVCTL_EXPORT bool hvctl_console_notifies(const struct hvctl_ctx *ctx);

/*
 * The name of the shipped configs' directory for this backend's boards
 * ("sim" for hvsim's: configs/sim), or NULL when the backend's board is
 * not one of ours (a real board, QEMU: the caller chooses).
 */
HVCTL_EXPORT const char *hvctl_config_family(const struct hvctl_ctx *ctx);

/*
 * Check that the backend answers: hvsim accepts a connection and the
 * protocol version matches, or the kernel's sysfs tree exists (and, for
 * control, the device node). 0 or a negative errno with a message.
 */
HVCTL_EXPORT int hvctl_ping(struct hvctl_ctx *ctx);

/* ---- Naming a cell ---- */

#define HVCTL_CELL_NAME_MAX	31
#define HVCTL_CELL_BY_NAME	(-1)

/* A cell by ID (id >= 0) or by name (id == HVCTL_CELL_BY_NAME). */
struct hvctl_cell_ref {
	int id;
	char name[HVCTL_CELL_NAME_MAX + 1];
};

/*
 * Parse "3" or "rtos" the way upstream's tool does: a number (decimal,
 * 0x hex or 0 octal) that is >= 0 selects the ID, anything else is a
 * name. Names longer than HVCTL_CELL_NAME_MAX are refused (-EINVAL).
 */
HVCTL_EXPORT int hvctl_cell_ref_parse(struct hvctl_cell_ref *ref,
				      const char *text,
				      struct hvctl_error *err);
/* Select by name even when it looks like a number (upstream's --name). */
HVCTL_EXPORT int hvctl_cell_ref_name(struct hvctl_cell_ref *ref,
				     const char *name,
				     struct hvctl_error *err);
HVCTL_EXPORT void hvctl_cell_ref_id(struct hvctl_cell_ref *ref, int id);
/* "'rtos'" or "3": how messages name the cell; returns buf. */
HVCTL_EXPORT const char *hvctl_cell_ref_str(const struct hvctl_cell_ref *ref,
					    char *buf, size_t len);

/* ---- Control ---- */

/*
 * Enable the hypervisor with a system config (config->is_system). The
 * config is recorded in the registry; earlier cell records are dropped.
 */
HVCTL_EXPORT int hvctl_enable(struct hvctl_ctx *ctx,
			      const struct hvctl_config *system);
/* Disable the hypervisor (destroys all non-root cells first). */
HVCTL_EXPORT int hvctl_disable(struct hvctl_ctx *ctx);

/*
 * Create a cell. On success *id (may be NULL) is the ID the driver gave
 * it and the config is recorded in the registry (best effort: a registry
 * that cannot be written does not fail the call).
 */
HVCTL_EXPORT int hvctl_cell_create(struct hvctl_ctx *ctx,
				   const struct hvctl_config *cell, int *id);

/* One image for hvctl_cell_load(). The bytes stay the caller's. */
struct hvctl_image {
	const void *data;
	size_t size;
	uint64_t address;	/* guest-physical load address in the cell */
	const char *label;	/* for messages ("rtos.bin"); may be NULL */
};

/*
 * Stop the cell and load images in array order (later ones overwrite
 * overlapping bytes). With num == 0 this is exactly a shutdown.
 */
HVCTL_EXPORT int hvctl_cell_load(struct hvctl_ctx *ctx,
				 const struct hvctl_cell_ref *cell,
				 const struct hvctl_image *images, size_t num);
HVCTL_EXPORT int hvctl_cell_start(struct hvctl_ctx *ctx,
				  const struct hvctl_cell_ref *cell);
HVCTL_EXPORT int hvctl_cell_shutdown(struct hvctl_ctx *ctx,
				     const struct hvctl_cell_ref *cell);
HVCTL_EXPORT int hvctl_cell_destroy(struct hvctl_ctx *ctx,
				    const struct hvctl_cell_ref *cell);

#endif /* !HVCTL_RUNTIME_H */
