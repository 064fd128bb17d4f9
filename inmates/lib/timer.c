// SPDX-License-Identifier: MIT
/*
 * The EL1 virtual timer. The hypervisor sets a cell's virtual offset so
 * its count starts near zero when the cell starts.
 */
#include "inmate.h"

uint64_t timer_freq(void)
{
	return read_sysreg(cntfrq_el0);
}

void timer_arm(uint64_t cval)
{
	write_sysreg(cval, cntv_cval_el0);
	write_sysreg(1, cntv_ctl_el0);			/* enabled, unmasked */
	asm volatile("isb");
}

void timer_stop(void)
{
	write_sysreg(0, cntv_ctl_el0);
	asm volatile("isb");
}

uint64_t ticks_to_ns(uint64_t ticks)
{
	uint64_t f = timer_freq();

	return f ? ticks * 1000000000ULL / f : 0;
}

void delay_us(uint64_t us)
{
	uint64_t end = timer_count() + us * timer_freq() / 1000000;

	while (timer_count() < end)
		;
}
