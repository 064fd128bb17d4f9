// SPDX-License-Identifier: MIT
/*
 * refuse: a cell that will not be shut down, for the shutdown handshake.
 * It denies the first two shutdown requests (REQUEST_DENIED) and leaves
 * every later one unanswered, so the hypervisor's bounded wait runs out
 * and stops it. It confirms RECONFIG_COMPLETED like any cell and prints
 * a line a second, so the root can see it run on after a refusal. A
 * 100 Hz virtual timer wakes it to look at the comm region.
 */
#include "inmate.h"

#define WAKE_HZ		100
#define DENIALS		2

static uint64_t period, cval;

static void on_irq(unsigned int irq)
{
	if (irq != TIMER_VIRT_IRQ)
		return;
	cval += period;
	if (cval <= timer_count())
		cval = timer_count() + period;
	timer_arm(cval);
}

void inmate_main(unsigned int cpu_index)
{
	uint64_t freq = timer_freq(), second;
	unsigned int requests = 0;
	unsigned long alive = 0;

	(void)cpu_index;
	printk("refuse: denying %u shutdown requests, then not answering\n",
	       DENIALS);
	period = freq / WAKE_HZ;
	inmate_irq_handler = on_irq;
	gic_enable_irq(TIMER_VIRT_IRQ);
	cval = timer_count() + period;
	timer_arm(cval);
	second = timer_count() + freq;
	irqs_enable();
	for (;;) {
		uint32_t msg;

		wfi();
		msg = comm_message();
		if (msg == HV_MSG_SHUTDOWN_REQUEST) {
			requests++;
			if (requests <= DENIALS) {
				comm_reply(HV_MSG_REQUEST_DENIED);
				printk("refuse: denied shutdown request %u\n",
				       requests);
			} else {
				comm_ignore();
				printk("refuse: not answering shutdown request %u\n",
				       requests);
			}
		} else if (msg == HV_MSG_RECONFIG_COMPLETED) {
			comm_reply(HV_MSG_RECEIVED);
		} else if (msg != HV_MSG_NONE) {
			comm_reply(HV_MSG_UNKNOWN);
		}
		if (timer_count() < second)
			continue;
		second += freq;
		printk("refuse: alive %lu\n", ++alive);
	}
}
