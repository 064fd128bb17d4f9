/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Hypervisor console: formatted output into the console ring (struct
 * hv_virt_console in the image) and to the port's debug UART, plus the
 * per-cell rings that keep each cell's DEBUG_CONSOLE_PUTC output apart.
 */
#ifndef HV_PRINTK_H
#define HV_PRINTK_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <hvabi/console.h>

struct cell;

/* Supports %c %s %d %i %u %x %X %p %% with l/ll/z, width, '0' and '-'. */
int hv_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
	__attribute__((format(printf, 3, 0)));
int hv_snprintf(char *buf, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

void printk(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Appends raw bytes to the hypervisor console ring and the UART. */
void console_write(const char *text, unsigned int len);

/*
 * Rings. console_init() points the core at the image's rings (either may be
 * NULL when the image has none); called at enable before the first printk.
 */
void console_init(struct hv_virt_console *ring,
		  struct hv_cell_console *cell_rings, unsigned int num_cell_rings);

/* Gives the cell a free per-cell ring (or none when all are taken). */
void console_cell_attach(struct cell *cell);
void console_cell_detach(struct cell *cell);
/* One character of the cell's DEBUG_CONSOLE_PUTC output. */
void console_cell_putc(struct cell *cell, char c);

/*
 * Low-level ring append with the busy/tail protocol of hvabi/console.h.
 * size must be a power of two.
 */
void console_ring_append(volatile uint32_t *busy, volatile uint32_t *tail,
			 char *content, uint32_t size, const char *text,
			 unsigned int len);

#endif /* !HV_PRINTK_H */
