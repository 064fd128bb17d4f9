// SPDX-License-Identifier: GPL-2.0
/*
 * The hardware debug console: the core's printk hands its bytes to
 * arch_console_write, which drives the system config's PL011 (other UART
 * types are left to the console ring alone).
 */
#include <hv/arch.h>

#include "include/arm64.h"

#define PL011_DR	0x00
#define PL011_FR	0x18
#define PL011_FR_TXFF	(1u << 5)

static volatile uint32_t *uart;

void uart_init(uint64_t base, uint16_t type, uint16_t flags)
{
	if (type == HV_CON_TYPE_PL011 && (flags & HV_CON_ACCESS_MMIO))
		uart = (volatile uint32_t *)base;
}

static void uart_putc(char c)
{
	while (uart[PL011_FR / 4] & PL011_FR_TXFF)
		cpu_relax();
	uart[PL011_DR / 4] = (uint8_t)c;
}

void arch_console_write(const char *text, unsigned int len)
{
	unsigned int n;

	if (!uart)
		return;
	for (n = 0; n < len; n++) {
		if (text[n] == '\n')
			uart_putc('\r');
		uart_putc(text[n]);
	}
}
