// SPDX-License-Identifier: GPL-2.0
/*
 * Hypervisor output: every message goes to the console ring (read by the
 * driver) and to the debug UART when the system config names a PL011.
 * Cell output from DEBUG_CONSOLE_PUTC also lands in that cell's own ring.
 */
#include <stdarg.h>

#include "include/arm64.h"

#define PL011_DR	0x00
#define PL011_FR	0x18
#define PL011_FR_TXFF	(1u << 5)

static volatile uint32_t *uart;
static uint32_t print_lock;

void uart_init(uint64_t base, uint16_t type, uint16_t flags)
{
	/* Only the PL011 has a driver here; others just use the ring. */
	if (type == HV_CON_TYPE_PL011 && (flags & HV_CON_ACCESS_MMIO))
		uart = (volatile uint32_t *)base;
}

static void spin_lock(uint32_t *lock)
{
	while (__atomic_exchange_n(lock, 1, __ATOMIC_ACQUIRE))
		while (__atomic_load_n(lock, __ATOMIC_RELAXED))
			cpu_relax();
}

static void spin_unlock(uint32_t *lock)
{
	__atomic_store_n(lock, 0, __ATOMIC_RELEASE);
}

static void ring_putc(volatile uint32_t *busy, volatile uint32_t *tail,
		      volatile char *content, uint32_t size, char c)
{
	*busy = 1;
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	content[*tail & (size - 1)] = c;
	*tail = *tail + 1;
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	*busy = 0;
}

static void putc_locked(char c)
{
	ring_putc(&hv_console_ring.busy, &hv_console_ring.tail,
		  hv_console_ring.content, HV_CONSOLE_SIZE, c);
	if (!uart)
		return;
	if (c == '\n')
		putc_locked('\r');
	while (uart[PL011_FR / 4] & PL011_FR_TXFF)
		cpu_relax();
	uart[PL011_DR / 4] = (uint8_t)c;
}

void hv_putc(char c)
{
	spin_lock(&print_lock);
	putc_locked(c);
	spin_unlock(&print_lock);
}

void cell_consoles_init(void)
{
	unsigned int n;

	for (n = 0; n < HV_NUM_CELL_CONSOLES; n++) {
		hv_cell_consoles[n].cell_id = HV_CELL_CONSOLE_FREE;
		hv_cell_consoles[n].tail = 0;
		hv_cell_consoles[n].busy = 0;
	}
	/* The root cell always has slot 0. */
	hv_cell_consoles[0].cell_id = 0;
	hv_cell_consoles[0].generation++;
}

void cell_console_putc(unsigned int cell_id, char c)
{
	unsigned int n;

	spin_lock(&print_lock);
	for (n = 0; n < HV_NUM_CELL_CONSOLES; n++) {
		struct hv_cell_console *cc = &hv_cell_consoles[n];

		if (cc->cell_id == cell_id) {
			ring_putc(&cc->busy, &cc->tail, cc->content,
				  HV_CELL_CONSOLE_SIZE, c);
			break;
		}
	}
	putc_locked(c);
	spin_unlock(&print_lock);
}

static void put_str(const char *s)
{
	while (*s)
		putc_locked(*s++);
}

static void put_num(uint64_t v, unsigned int base, int width, char pad,
		    bool negative)
{
	char buf[24];
	int n = 0;

	do {
		buf[n++] = "0123456789abcdef"[v % base];
		v /= base;
	} while (v);
	if (negative)
		buf[n++] = '-';
	while (width-- > n)
		putc_locked(pad);
	while (n)
		putc_locked(buf[--n]);
}

/* A small printf: %s %c %d %u %x %p with 0-padding, width and l/ll. */
void hv_printk(const char *fmt, ...)
{
	va_list ap;
	int width, longs;
	char pad;
	int64_t sv;
	uint64_t uv;

	va_start(ap, fmt);
	spin_lock(&print_lock);
	for (; *fmt; fmt++) {
		if (*fmt != '%') {
			putc_locked(*fmt);
			continue;
		}
		fmt++;
		pad = ' ';
		if (*fmt == '0') {
			pad = '0';
			fmt++;
		}
		for (width = 0; *fmt >= '0' && *fmt <= '9'; fmt++)
			width = width * 10 + (*fmt - '0');
		for (longs = 0; *fmt == 'l'; fmt++)
			longs++;
		switch (*fmt) {
		case 's':
			put_str(va_arg(ap, const char *));
			break;
		case 'c':
			putc_locked((char)va_arg(ap, int));
			break;
		case 'd':
			sv = longs ? va_arg(ap, int64_t) : va_arg(ap, int);
			put_num(sv < 0 ? -(uint64_t)sv : (uint64_t)sv, 10,
				width, pad, sv < 0);
			break;
		case 'u':
		case 'x':
			uv = longs ? va_arg(ap, uint64_t) : va_arg(ap, unsigned int);
			put_num(uv, *fmt == 'u' ? 10 : 16, width, pad, false);
			break;
		case 'p':
			put_str("0x");
			put_num((uint64_t)va_arg(ap, void *), 16, 16, '0',
				false);
			break;
		case '%':
			putc_locked('%');
			break;
		default:
			putc_locked('%');
			if (*fmt)
				putc_locked(*fmt);
			else
				fmt--;
			break;
		}
	}
	spin_unlock(&print_lock);
	va_end(ap);
}
