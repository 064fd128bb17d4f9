// SPDX-License-Identifier: MIT
/*
 * tick: a 1 kHz timer interrupt from the EL1 virtual timer. Once a second
 * it prints the tick count and the interrupt latency it measured (counter
 * at handler entry minus the programmed compare value: min/avg/max in ns),
 * plus any interrupt that is not its timer's (there should be none).
 * The line is short: each character costs a hypercall. The tick count
 * is also kept at REPORT_BASE for the root to compare with the
 * hypervisor's statistics.
 */
#include "inmate.h"

#define TICK_HZ		1000

static uint64_t period, cval;
static volatile uint64_t ticks, others;
static uint64_t lat_min = ~0ULL, lat_max, lat_sum, lat_n;

static void on_irq(unsigned int irq)
{
	uint64_t now, lat;

	if (irq != TIMER_VIRT_IRQ) {
		others++;
		mmio_write32(REPORT_BASE + 4, (uint32_t)others);
		return;
	}
	now = timer_count();
	lat = now - cval;
	ticks++;
	mmio_write32(REPORT_BASE, (uint32_t)ticks);
	if (lat < lat_min)
		lat_min = lat;
	if (lat > lat_max)
		lat_max = lat;
	lat_sum += lat;
	lat_n++;
	cval += period;
	/* Behind by a whole period (a slow emulator): skip, do not storm. */
	if (cval <= now)
		cval = now + period;
	timer_arm(cval);
}

void inmate_main(unsigned int cpu_index)
{
	uint64_t freq = timer_freq(), second;

	(void)cpu_index;
	period = freq / TICK_HZ;
	printk("tick: %u Hz from the virtual timer, counter %lu Hz\n",
	       TICK_HZ, freq);
	inmate_irq_handler = on_irq;
	gic_enable_irq(TIMER_VIRT_IRQ);
	cval = timer_count() + period;
	timer_arm(cval);
	second = timer_count() + freq;
	irqs_enable();
	for (;;) {
		uint64_t mn, mx, sum, n, t, o;

		wfi();
		if (comm_poll()) {
			printk("tick: shutdown after %lu ticks\n", ticks);
			inmate_stop();
		}
		if (timer_count() < second)
			continue;
		second += freq;
		irqs_disable();
		mn = lat_min;
		mx = lat_max;
		sum = lat_sum;
		n = lat_n;
		t = ticks;
		o = others;
		lat_min = ~0ULL;
		lat_max = lat_sum = lat_n = 0;
		irqs_enable();
		if (!n)
			continue;
		if (o)
			printk("tick %lu: %lu/%lu/%lu ns, %lu other irqs\n", t,
			       ticks_to_ns(mn), ticks_to_ns(sum / n),
			       ticks_to_ns(mx), o);
		else
			printk("tick %lu: %lu/%lu/%lu ns\n", t, ticks_to_ns(mn),
			       ticks_to_ns(sum / n), ticks_to_ns(mx));
	}
}
