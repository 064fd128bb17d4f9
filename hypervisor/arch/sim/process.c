// SPDX-License-Identifier: GPL-2.0
/*
 * The board context's assembly and orderly end, apart from main() so the
 * unit tests build their boards the same way.
 */
#include <stdlib.h>
#include <unistd.h>

#include <hv/arch.h>
#include <hv/cell.h>

#include <sim/driver.h>
#include <sim/hvsim.h>
#include <sim/loop.h>
#include <sim/server.h>
#include <sim/sim.h>
#include <sim/simdir.h>
#include <sim/sysfs.h>

/* What the driver, the guests and the core's hooks tell the upper parts. */
static const struct sim_hooks board_hooks = {
	.enabled = sysfs_enabled,
	.disabled = sysfs_disabled,
	.cell_added = sysfs_cell_added,
	.cell_removed = sysfs_cell_removed,
	.cell_status = sysfs_cell_status,
	.pools = sysfs_pools,
	.event = server_event,
	.exit = hvsim_exit,
};

struct sim_board *sim_board_new(const struct board *b)
{
	struct sim_board *sb = calloc(1, sizeof(*sb));

	if (!sb)
		return NULL;
	sb->board = *b;
	sb->hooks = &board_hooks;
	sb->loop.epfd = -1;
	simdir_init(&sb->dir);
	sb->mem.board = &sb->board;
	sb->sig_lfd.fd = -1;
	sim_arch_attach(sb);
	return sb;
}

void sim_board_free(struct sim_board *sb)
{
	server_exit(sb);
	sysfs_exit(sb);
	simdir_close(&sb->dir);
	if (drv_enabled(sb)) {
		struct cell *cell;

		/* Port state of the cells lives outside hypervisor memory. */
		arch_shutdown();
		for_each_cell(cell)
			arch_cell_destroy(cell);
	}
	drv_exit(sb);
	if (sb->sig_lfd.fd >= 0)
		close(sb->sig_lfd.fd);
	loop_exit(&sb->loop);
	sim_arch_attach(NULL);
	free(sb);
}

void hvsim_exit(struct sim_board *sb, int status)
{
	sim_board_free(sb);
	exit(status);
}
