// SPDX-License-Identifier: MIT
/*
 * irq-owner: owns QEMU virt's PL031 RTC (0x09010000, SPI 2 = INTID 34)
 * and its interrupt. It sets the RTC's alarm one second ahead, again at
 * each alarm, and counts the interrupts; once a second it prints the
 * count.
 */
#include "inmate.h"

#define RTC_BASE	0x09010000UL
#define RTC_DR		0x00	/* current seconds */
#define RTC_MR		0x04	/* match (alarm) */
#define RTC_IMSC	0x10	/* interrupt mask set/clear */
#define RTC_ICR		0x1c	/* interrupt clear */
#define RTC_IRQ		34

static volatile uint64_t count, others;

static void alarm_next(void)
{
	mmio_write32(RTC_BASE + RTC_MR, mmio_read32(RTC_BASE + RTC_DR) + 1);
}

static void on_irq(unsigned int irq)
{
	if (irq != RTC_IRQ) {
		others++;
		return;
	}
	mmio_write32(RTC_BASE + RTC_ICR, 1);
	count++;
	alarm_next();
}

void inmate_main(unsigned int cpu_index)
{
	uint64_t freq = timer_freq(), second;

	(void)cpu_index;
	printk("irq-owner: PL031 at 0x%lx, INTID %u\n", RTC_BASE, RTC_IRQ);
	inmate_irq_handler = on_irq;
	gic_enable_irq(RTC_IRQ);
	mmio_write32(RTC_BASE + RTC_ICR, 1);
	alarm_next();
	mmio_write32(RTC_BASE + RTC_IMSC, 1);
	irqs_enable();
	second = timer_count() + freq;
	for (;;) {
		/* No timer here: poll the counter between interrupts. */
		if (comm_poll()) {
			mmio_write32(RTC_BASE + RTC_IMSC, 0);
			printk("irq-owner: shutdown after %lu interrupts\n",
			       count);
			inmate_stop();
		}
		if (timer_count() < second)
			continue;
		second += freq;
		printk("irq-owner: INTID %u count %lu, other %lu\n", RTC_IRQ,
		       count, others);
	}
}
