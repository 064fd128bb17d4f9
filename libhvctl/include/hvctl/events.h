/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Events and devices.
 *
 * hvctl_event_fd() gives one file descriptor a UI can sleep on in poll()
 * (POLLIN). When it is readable, hvctl_event_process() drains what
 * happened:
 *   - the backend appeared or went away (the jailhouse misc device, seen
 *     through a libudev monitor, or hvsim stopping and starting again:
 *     the context reconnects on its own),
 *   - the hypervisor was enabled or disabled, cells were added or
 *     removed, a cell changed state (hvsim reports these as they happen;
 *     on the kernel backend a timer checks the cells directory cheaply),
 *   - console output arrived (hvsim) or the timer ticked (time to poll
 *     the kernel console, which offers no readiness notification).
 *
 * Also here: the ivshmem PCI devices the root cell sees.
 */
#ifndef HVCTL_EVENTS_H
#define HVCTL_EVENTS_H

#include <stddef.h>
#include <stdint.h>

#include <hvctl/common.h>
#include <hvctl/runtime.h>

enum hvctl_event_type {
	HVCTL_EVENT_BACKEND_UP = 1,	/* device node appeared / hvsim answers */
	HVCTL_EVENT_BACKEND_DOWN,	/* device node removed / hvsim gone */
	HVCTL_EVENT_ENABLED,
	HVCTL_EVENT_DISABLED,
	HVCTL_EVENT_CELL_ADDED,		/* cell_id, or -1 when not known */
	HVCTL_EVENT_CELL_REMOVED,	/* cell_id, or -1 when not known */
	HVCTL_EVENT_CELL_STATE,		/* state or failed CPUs of cell_id */
	HVCTL_EVENT_CONSOLE,		/* new console output (cell_id or -1) */
	HVCTL_EVENT_TICK,		/* the timer fired */
};

struct hvctl_event {
	enum hvctl_event_type type;
	int cell_id;
};

/*
 * The pollable descriptor (owned by ctx; do not close it). Created on the
 * first call. Returns the fd or a negative errno.
 */
HVCTL_EXPORT int hvctl_event_fd(struct hvctl_ctx *ctx);

/*
 * Without blocking, collect pending events into ev[0..max) and set *num.
 * Events beyond max stay queued for the next call (and do not make the
 * descriptor readable): call again while *num == max. A lost hvsim is an
 * event (BACKEND_DOWN), not an error.
 */
HVCTL_EXPORT int hvctl_event_process(struct hvctl_ctx *ctx,
				     struct hvctl_event *ev, size_t max,
				     size_t *num);

HVCTL_EXPORT const char *hvctl_event_name(enum hvctl_event_type type);

/* ---- ivshmem devices in the root cell ---- */

struct hvctl_ivshmem_device {
	char *syspath;		/* /sys/devices/... */
	char *slot;		/* PCI address, "0001:00:00.0" */
	uint16_t vendor;	/* 0x110a */
	uint16_t device;	/* 0x4106 */
	uint32_t class_code;	/* 0xff0001 for ivshmem-net, ... */
	uint16_t protocol;	/* class interface + subclass */
	char *driver;		/* bound driver name, or NULL */
};

struct hvctl_ivshmem_list {
	size_t count;
	struct hvctl_ivshmem_device *items;
};

/*
 * Enumerate ivshmem PCI devices (vendor 0x110a, device 0x4106) with
 * libudev. An empty list is normal on a machine without them, and for
 * sim: and jailhouse:DIR backends, which have no PCI bus of their own.
 */
HVCTL_EXPORT int hvctl_ivshmem_list(struct hvctl_ctx *ctx,
				    struct hvctl_ivshmem_list **out);
HVCTL_EXPORT void hvctl_ivshmem_list_free(struct hvctl_ivshmem_list *list);

#endif /* !HVCTL_EVENTS_H */
