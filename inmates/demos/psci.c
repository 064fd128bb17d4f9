// SPDX-License-Identifier: MIT
/*
 * psci: the PSCI a cell gets. On its first boot it asks VERSION, FEATURES,
 * AFFINITY_INFO of itself, and tries what a cell may not do (CPU_SUSPEND,
 * MIGRATE_INFO_TYPE, CPU_ON of CPU 0, which is not the cell's), prints the
 * answers on one line, and after a second resets itself (SYSTEM_RESET).
 * Booted again, it counts the boot and after a second powers itself off
 * (SYSTEM_OFF): the cell ends "shut down" while everything else runs on.
 * The boot count lives in .data, which a reset leaves as it is (the image
 * is not loaded again) while the start-up code clears .bss.
 */
#include "inmate.h"

static volatile uint32_t boots = 1;

static void wait_a_second(void)
{
	uint64_t end = timer_count() + timer_freq();

	while (timer_count() < end) {
		delay_us(10000);
		comm_poll();	/* a RECONFIG_COMPLETED may come meanwhile */
	}
}

void inmate_main(unsigned int cpu_index)
{
	uint32_t boot = boots++;

	(void)cpu_index;
	printk("psci: boot %u on CPU 0x%lx\n", boot, cpu_mpidr());
	if (boot == 1) {
		printk("psci: version 0x%lx, features SYSTEM_RESET %ld CPU_SUSPEND %ld, affinity_info(self) %ld, cpu_suspend %ld, migrate_info_type %ld, cpu_on(CPU 0) %ld\n",
		       psci_call(PSCI_FN_VERSION, 0, 0, 0),
		       psci_call(PSCI_FN_FEATURES, PSCI_FN_SYSTEM_RESET, 0, 0),
		       psci_call(PSCI_FN_FEATURES, PSCI_FN64_CPU_SUSPEND, 0, 0),
		       psci_call(PSCI_FN64_AFFINITY_INFO, cpu_mpidr(), 0, 0),
		       psci_call(PSCI_FN64_CPU_SUSPEND, 0, 0, 0),
		       psci_call(PSCI_FN_MIGRATE_INFO_TYPE, 0, 0, 0),
		       psci_cpu_on(0, 0, 0));
		wait_a_second();
		printk("psci: SYSTEM_RESET\n");
		psci_call(PSCI_FN_SYSTEM_RESET, 0, 0, 0);
		printk("psci: SYSTEM_RESET returned\n");
	} else {
		wait_a_second();
		printk("psci: SYSTEM_OFF\n");
		psci_call(PSCI_FN_SYSTEM_OFF, 0, 0, 0);
		printk("psci: SYSTEM_OFF returned\n");
	}
	for (;;)
		wfi();
}
