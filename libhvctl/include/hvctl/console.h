/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Console streams: the hypervisor console (every hypervisor message) and,
 * where the backend offers them, per-cell consoles (what a cell printed
 * through the debug-console hypercall).
 *
 * A struct hvctl_console is a reader with its own cursor: each read
 * returns only what is new since the previous one. The rings are small
 * (2 KiB), so a slow reader can miss bytes; each read says how many.
 *
 * How each backend is read:
 *   sim:DIR          CONSOLE_READ requests on the control socket (exact)
 *   jailhouse:       /dev/jailhouse, non-blocking, with its own file cursor;
 *                    the driver's "<missed N bytes of console log>" line
 *                    becomes the lost count (exact)
 *   jailhouse:DIR    the sysfs console file (cells/<id>/console for a
 *                    cell), compared against what was seen before; a gap
 *                    is reported with HVCTL_CONSOLE_LOST_UNKNOWN when its
 *                    size cannot be told
 * There is no input: the hypervisor console is output only.
 */
#ifndef HVCTL_CONSOLE_H
#define HVCTL_CONSOLE_H

#include <stddef.h>
#include <stdint.h>

#include <hvctl/common.h>
#include <hvctl/runtime.h>

/* cell_id for hvctl_console_open(): the hypervisor console. */
#define HVCTL_CONSOLE_HYPERVISOR	(-1)
/* *lost value when bytes were lost but how many is not known. */
#define HVCTL_CONSOLE_LOST_UNKNOWN	UINT64_MAX

struct hvctl_console;

/*
 * Open a reader on the hypervisor console or on cell cell_id's console.
 * The first read returns what the ring still holds. The reader uses ctx
 * for transport and messages and must be closed before it.
 * -ENOTSUP when the backend offers no console for that cell.
 */
HVCTL_EXPORT int hvctl_console_open(struct hvctl_ctx *ctx, int cell_id,
				    struct hvctl_console **out);

/*
 * Read new output into buf (not NUL-terminated). Never blocks: *len is 0
 * when nothing is new. *lost (may be NULL) is the number of bytes that
 * were overwritten before they could be read, since the previous call.
 * A cell console whose cell was destroyed and whose ID was reused starts
 * over with the new cell's output.
 */
HVCTL_EXPORT int hvctl_console_read(struct hvctl_console *con, char *buf,
				    size_t size, size_t *len, uint64_t *lost);

HVCTL_EXPORT void hvctl_console_close(struct hvctl_console *con);

#endif /* !HVCTL_CONSOLE_H */
