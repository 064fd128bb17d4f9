// SPDX-License-Identifier: MIT
/*
 * Console output through the hypervisor's DEBUG_CONSOLE_PUTC hypercall,
 * and a small printk.
 */
#include <stdarg.h>

#include "inmate.h"

void console_putc(char c)
{
	register uint64_t x0 asm("x0") = HV_HC_DEBUG_CONSOLE_PUTC;
	register uint64_t x1 asm("x1") = (uint8_t)c;

	asm volatile("hvc #0x4a48" : "+r"(x0), "+r"(x1) : : "memory");
}

void console_puts(const char *s)
{
	while (*s)
		console_putc(*s++);
}

static void put_number(uint64_t v, unsigned int base, bool negative)
{
	char buf[24];
	unsigned int n = 0;

	if (negative)
		console_putc('-');
	do {
		unsigned int d = (unsigned int)(v % base);

		buf[n++] = (char)(d < 10 ? '0' + d : 'a' + d - 10);
		v /= base;
	} while (v);
	while (n)
		console_putc(buf[--n]);
}

void printk(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	for (; *fmt; fmt++) {
		unsigned int longs = 0;
		uint64_t v;

		if (*fmt != '%') {
			console_putc(*fmt);
			continue;
		}
		fmt++;
		while (*fmt == 'l') {
			longs++;
			fmt++;
		}
		switch (*fmt) {
		case 'u':
		case 'x':
			v = longs ? va_arg(ap, uint64_t) : va_arg(ap, unsigned int);
			put_number(v, *fmt == 'u' ? 10 : 16, false);
			break;
		case 'd': {
			int64_t s = longs ? va_arg(ap, int64_t) : va_arg(ap, int);

			put_number(s < 0 ? (uint64_t)-s : (uint64_t)s, 10, s < 0);
			break;
		}
		case 's':
			console_puts(va_arg(ap, const char *));
			break;
		case '%':
			console_putc('%');
			break;
		default:
			console_putc('?');
			break;
		}
		if (!*fmt)
			break;
	}
	va_end(ap);
}
