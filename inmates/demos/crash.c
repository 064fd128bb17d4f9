// SPDX-License-Identifier: MIT
/*
 * crash: runs for a few seconds, then writes to memory its cell does not
 * own (the root cell's RAM at 0x40000000). The hypervisor must stop it:
 * the cell becomes "failed" and the root and other cells run on.
 */
#include "inmate.h"

#define FOREIGN_RAM	0x40000000UL
#define SECONDS		3

void inmate_main(unsigned int cpu_index)
{
	uint64_t freq = timer_freq(), end;

	(void)cpu_index;
	printk("crash: writing to 0x%lx in %u s\n", FOREIGN_RAM, SECONDS);
	end = timer_count() + SECONDS * freq;
	while (timer_count() < end)
		if (comm_poll())
			inmate_stop();
	printk("crash: now\n");
	mmio_write32(FOREIGN_RAM, 0xdead);
	printk("crash: still running, the write went through\n");
	for (;;)
		wfi();
}
