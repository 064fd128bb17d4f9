// SPDX-License-Identifier: MIT
/*
 * From start-up to the demo: comm region and GIC CPU interface, PSCI for
 * further CPUs, and the report of an exception the demo did not expect.
 */
#include "inmate.h"

void inmate_entry(unsigned int cpu_index);
void inmate_fault(uint64_t esr, uint64_t elr, uint64_t far);

void inmate_entry(unsigned int cpu_index)
{
	if (cpu_index == 0 && !comm_init()) {
		console_puts("inmate: no comm region at 0x80000000\n");
		return;
	}
	gic_cpu_init();
	inmate_main(cpu_index);
}

void inmate_fault(uint64_t esr, uint64_t elr, uint64_t far)
{
	printk("inmate: unexpected exception, ESR 0x%lx ELR 0x%lx FAR 0x%lx\n",
	       esr, elr, far);
	comm_region->cell_state = HV_CELL_FAILED;
}

int64_t psci_call(uint32_t fn, uint64_t a1, uint64_t a2, uint64_t a3)
{
	register uint64_t x0 asm("x0") = fn;
	register uint64_t x1 asm("x1") = a1;
	register uint64_t x2 asm("x2") = a2;
	register uint64_t x3 asm("x3") = a3;

	asm volatile("smc #0" : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3)
		     : : "memory");
	return (int64_t)x0;
}

int64_t psci_cpu_on(uint64_t mpidr, uint64_t entry, uint64_t context)
{
	return psci_call(PSCI_FN64_CPU_ON, mpidr, entry, context);
}
