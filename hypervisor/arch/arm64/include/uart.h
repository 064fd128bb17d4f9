/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The hypervisor's debug UART, chosen by the system config's debug_console:
 *   pl011  MMIO, 32-bit registers (QEMU's virt board)
 *   8250   8250/16550 class (RK3588's dw-apb UARTs), MMIO; register n at
 *          n * 4 with 32-bit accesses when the console flags have
 *          regdist_4, else at n with 8-bit accesses (upstream's meaning of
 *          the flag). A non-zero divider programs 8N1 at that divisor;
 *          zero keeps what the firmware or Linux set up.
 * Register accesses go through a struct uart_io, so the host unit tests
 * drive the same code against a register model.
 */
#ifndef ARM64_UART_H
#define ARM64_UART_H

#include <stdbool.h>
#include <stdint.h>

#include <hvabi/cell-config.h>

struct uart_io {
	uint32_t (*read)(uint64_t addr, unsigned int width);
	void (*write)(uint64_t addr, unsigned int width, uint32_t value);
};

struct uart_dev {
	const struct uart_io *io;
	uint64_t base;
	uint16_t type;
	unsigned int width;	/* access width in bytes: 1 or 4 */
	unsigned int shift;	/* register n at base + (n << shift) */
};

/*
 * Sets up dev for the console (and programs the divider, if any).
 * Returns 0, or -1 for a console this port cannot drive (type none or
 * not PL011/8250, port I/O, no address); dev is then unusable.
 */
int uart_dev_init(struct uart_dev *dev, const struct hv_console *con,
		  const struct uart_io *io);
/* Writes text, '\n' as CR LF, waiting for room before each byte. */
void uart_dev_write(const struct uart_dev *dev, const char *text,
		    unsigned int len);

/* The hypervisor's console (uart.c): MMIO at the console's address. */
void uart_init(const struct hv_console *con);

#endif /* !ARM64_UART_H */
