/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Helpers of the runtime commands (enable, disable, cell, console):
 * opening the backend and reporting refusals in one format,
 *   hvctl: OPERATION [CELL]: EXPLANATION (errno text)
 * with exit status 1 for a refusal and 3 for an unreachable backend.
 */
#ifndef HVCTL_CLI_RUNTIME_H
#define HVCTL_CLI_RUNTIME_H

#include <stdbool.h>

#include <hvctl/hvctl.h>

#include "cli.h"

/* Open cli->uri (or $HVCTL_URI, or the default). Exit status on failure. */
int cli_rt_open(struct cli *cli, const char *op, struct hvctl_ctx **ctx);

/*
 * Print why a call on ctx failed with err and return the exit status.
 * who names the cell or file the operation was about (may be NULL).
 */
int cli_rt_fail(struct hvctl_ctx *ctx, const char *op, const char *who,
		int err);

/* Parse CELL (an ID or a name; by_name forces a name). Exit status. */
int cli_rt_cell_ref(const char *op, const char *text, bool by_name,
		    struct hvctl_cell_ref *ref);

#endif /* !HVCTL_CLI_RUNTIME_H */
