// SPDX-License-Identifier: MIT
/*
 * smp: a two-CPU cell. The first CPU starts the second with PSCI CPU_ON;
 * each then sends SGI 1 to the other 100 times a second from its timer
 * (the first as "all but me", the second by affinity) and counts the SGIs
 * it receives. Once a second the first CPU prints both counts. It also
 * aims SGI 7 at CPU 0 outside the cell, which the hypervisor must drop.
 */
#include "inmate.h"

#define SGI_PING	1
#define SGI_STRAY	7
#define PING_HZ		100

static volatile uint64_t received[2], sent[2], others[2];
static uint64_t period, cval[2], partner;

static void on_irq(unsigned int irq)
{
	unsigned int me = (cpu_mpidr() == partner) ? 1 : 0;

	if (irq == SGI_PING) {
		received[me]++;
		return;
	}
	if (irq != TIMER_VIRT_IRQ) {
		others[me]++;
		return;
	}
	if (me == 0)
		gic_send_sgi_others(SGI_PING);
	else
		gic_send_sgi(SGI_PING, cpu_mpidr() - 1);
	sent[me]++;
	cval[me] += period;
	if (cval[me] <= timer_count())
		cval[me] = timer_count() + period;
	timer_arm(cval[me]);
}

void inmate_main(unsigned int cpu_index)
{
	uint64_t freq = timer_freq(), second;
	int64_t ret;

	period = freq / PING_HZ;
	if (cpu_index == 0) {
		/* The cell's CPUs are consecutive: the partner is next. */
		partner = cpu_mpidr() + 1;
		printk("smp: CPU 0x%lx starts CPU 0x%lx\n", cpu_mpidr(),
		       partner);
		ret = psci_cpu_on(partner, 0, 1);
		if (ret)
			printk("smp: CPU_ON failed (%ld)\n", ret);
	}
	inmate_irq_handler = on_irq;
	gic_enable_irq(SGI_PING);
	gic_enable_irq(TIMER_VIRT_IRQ);
	cval[cpu_index] = timer_count() + period;
	timer_arm(cval[cpu_index]);
	irqs_enable();
	if (cpu_index) {
		for (;;)
			wfi();
	}
	second = timer_count() + freq;
	for (;;) {
		wfi();
		if (comm_poll()) {
			printk("smp: shutdown\n");
			inmate_stop();
		}
		if (timer_count() < second)
			continue;
		second += freq;
		gic_send_sgi(SGI_STRAY, 0);
		printk("smp: CPU0 got %lu SGIs (CPU1 sent %lu), CPU1 got %lu (CPU0 sent %lu), other %lu/%lu\n",
		       received[0], sent[1], received[1], sent[0], others[0],
		       others[1]);
	}
}
