// SPDX-License-Identifier: GPL-2.0
/*
 * The hardware debug console (include/uart.h): the core's printk hands
 * its bytes to arch_console_write, which drives the system config's PL011
 * or 8250-class UART. Other console types are left to the console ring.
 */
#include <hv/arch.h>

#include "include/uart.h"

#define PL011_DR		0x00
#define PL011_FR		0x18
#define PL011_FR_TXFF		(1u << 5)

/* 8250 registers (numbers, spaced by the register distance) */
#define UART8250_THR		0	/* DLL with LCR.DLAB */
#define UART8250_DLM		1	/* with LCR.DLAB */
#define UART8250_LCR		3
#define UART8250_LCR_8N1	0x03
#define UART8250_LCR_DLAB	0x80
#define UART8250_LSR		5
#define UART8250_LSR_THRE	0x20

static uint32_t reg_in(const struct uart_dev *dev, unsigned int reg)
{
	return dev->io->read(dev->base + (reg << dev->shift), dev->width);
}

static void reg_out(const struct uart_dev *dev, unsigned int reg,
		    uint32_t value)
{
	dev->io->write(dev->base + (reg << dev->shift), dev->width, value);
}

int uart_dev_init(struct uart_dev *dev, const struct hv_console *con,
		  const struct uart_io *io)
{
	dev->io = io;
	dev->base = con->address;
	dev->type = con->type;
	if (!(con->flags & HV_CON_ACCESS_MMIO) || !con->address)
		return -1;
	switch (con->type) {
	case HV_CON_TYPE_PL011:
		/* Its registers are 32 bits wide and 4 bytes apart. */
		dev->width = 4;
		dev->shift = 0;
		return 0;
	case HV_CON_TYPE_8250:
		if (con->flags & HV_CON_REGDIST_4) {
			dev->width = 4;
			dev->shift = 2;
		} else {
			dev->width = 1;
			dev->shift = 0;
		}
		if (con->divider) {
			reg_out(dev, UART8250_LCR, UART8250_LCR_DLAB);
			reg_out(dev, UART8250_THR, con->divider & 0xff);
			reg_out(dev, UART8250_DLM, (con->divider >> 8) & 0xff);
			reg_out(dev, UART8250_LCR, UART8250_LCR_8N1);
		}
		return 0;
	default:
		return -1;
	}
}

static void uart_dev_putc(const struct uart_dev *dev, char c)
{
	if (dev->type == HV_CON_TYPE_PL011) {
		while (dev->io->read(dev->base + PL011_FR, 4) & PL011_FR_TXFF)
			;
		dev->io->write(dev->base + PL011_DR, 4, (uint8_t)c);
	} else {
		while (!(reg_in(dev, UART8250_LSR) & UART8250_LSR_THRE))
			;
		reg_out(dev, UART8250_THR, (uint8_t)c);
	}
}

void uart_dev_write(const struct uart_dev *dev, const char *text,
		    unsigned int len)
{
	unsigned int n;

	for (n = 0; n < len; n++) {
		if (text[n] == '\n')
			uart_dev_putc(dev, '\r');
		uart_dev_putc(dev, text[n]);
	}
}

/* Device accesses at EL2: the console page is mapped Device-nGnRE. */
static uint32_t mmio_read(uint64_t addr, unsigned int width)
{
	if (width == 1)
		return *(volatile uint8_t *)(uintptr_t)addr;
	return *(volatile uint32_t *)(uintptr_t)addr;
}

static void mmio_write(uint64_t addr, unsigned int width, uint32_t value)
{
	if (width == 1)
		*(volatile uint8_t *)(uintptr_t)addr = (uint8_t)value;
	else
		*(volatile uint32_t *)(uintptr_t)addr = value;
}

static const struct uart_io mmio_io = { mmio_read, mmio_write };
static struct uart_dev hv_uart;
static bool hv_uart_ready;

void uart_init(const struct hv_console *con)
{
	hv_uart_ready = !uart_dev_init(&hv_uart, con, &mmio_io);
}

void arch_console_write(const char *text, unsigned int len)
{
	if (hv_uart_ready)
		uart_dev_write(&hv_uart, text, len);
}
