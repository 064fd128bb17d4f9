// SPDX-License-Identifier: GPL-2.0
/*
 * Process-wide state of hvsim and its orderly exit, apart from main() so
 * the unit tests link the port without it.
 */
#include <stdlib.h>
#include <unistd.h>

#include <hv/arch.h>
#include <hv/cell.h>

#include <sim/driver.h>
#include <sim/hvsim.h>
#include <sim/loop.h>
#include <sim/server.h>
#include <sim/simdir.h>
#include <sim/sysfs.h>

volatile bool hvsim_terminate;
bool hvsim_verbose;
struct loop_fd hvsim_sig_lfd = { .fd = -1 };

void hvsim_exit(int status)
{
	server_exit();
	sysfs_exit();
	simdir_close();
	if (drv_enabled()) {
		struct cell *cell;

		/* Port state of the cells lives outside hypervisor memory. */
		arch_shutdown();
		for_each_cell(cell)
			arch_cell_destroy(cell);
	}
	drv_exit();
	if (hvsim_sig_lfd.fd >= 0)
		close(hvsim_sig_lfd.fd);
	loop_exit();
	exit(status);
}
