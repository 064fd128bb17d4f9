// SPDX-License-Identifier: GPL-2.0
/*
 * Formatted output and the console rings.
 */
#include <hv/arch.h>
#include <hv/cell.h>
#include <hv/lib.h>
#include <hv/printk.h>

static struct hv_virt_console *hv_console;
static struct hv_cell_console *cell_consoles;
static unsigned int num_cell_consoles;

struct fmt_out {
	char *buf;
	size_t size;
	size_t len;	/* would-be length, as snprintf reports */
};

static void out_char(struct fmt_out *o, char c)
{
	if (o->len + 1 < o->size)
		o->buf[o->len] = c;
	o->len++;
}

static void out_number(struct fmt_out *o, unsigned long long v, bool neg,
		       unsigned int base, bool upper, int width, bool zero,
		       bool left)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char tmp[24];
	int n = 0, pad;

	do {
		tmp[n++] = digits[v % base];
		v /= base;
	} while (v);
	pad = width - n - (neg ? 1 : 0);
	if (!left && !zero)
		for (; pad > 0; pad--)
			out_char(o, ' ');
	if (neg)
		out_char(o, '-');
	if (!left && zero)
		for (; pad > 0; pad--)
			out_char(o, '0');
	while (n)
		out_char(o, tmp[--n]);
	if (left)
		for (; pad > 0; pad--)
			out_char(o, ' ');
}

int hv_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct fmt_out o = { .buf = buf, .size = size, .len = 0 };

	for (; *fmt; fmt++) {
		bool zero = false, left = false;
		int width = 0, lng = 0;
		unsigned long long u;
		long long s;
		const char *str;

		if (*fmt != '%') {
			out_char(&o, *fmt);
			continue;
		}
		fmt++;
		for (;; fmt++) {
			if (*fmt == '0')
				zero = true;
			else if (*fmt == '-')
				left = true;
			else
				break;
		}
		while (*fmt >= '0' && *fmt <= '9')
			width = width * 10 + (*fmt++ - '0');
		while (*fmt == 'l' || *fmt == 'z') {
			lng++;	/* z: size_t is long on LP64 */
			fmt++;
		}
		switch (*fmt) {
		case 'c':
			out_char(&o, (char)va_arg(ap, int));
			break;
		case 's':
			str = va_arg(ap, const char *);
			if (!str)
				str = "(null)";
			s = (long long)hv_strnlen(str, 4096);
			if (!left)
				for (; width > s; width--)
					out_char(&o, ' ');
			while (*str)
				out_char(&o, *str++);
			for (; width > s; width--)
				out_char(&o, ' ');
			break;
		case 'd':
		case 'i':
			if (lng >= 2)
				s = va_arg(ap, long long);
			else if (lng == 1)
				s = va_arg(ap, long);
			else
				s = va_arg(ap, int);
			u = s < 0 ? -(unsigned long long)s : (unsigned long long)s;
			out_number(&o, u, s < 0, 10, false, width, zero, left);
			break;
		case 'u':
		case 'x':
		case 'X':
			if (lng >= 2)
				u = va_arg(ap, unsigned long long);
			else if (lng == 1)
				u = va_arg(ap, unsigned long);
			else
				u = va_arg(ap, unsigned int);
			out_number(&o, u, false, *fmt == 'u' ? 10 : 16,
				   *fmt == 'X', width, zero, left);
			break;
		case 'p':
			out_char(&o, '0');
			out_char(&o, 'x');
			out_number(&o, (uintptr_t)va_arg(ap, void *), false, 16,
				   false, width, zero, left);
			break;
		case '%':
			out_char(&o, '%');
			break;
		case 0:
			fmt--;
			break;
		default:
			out_char(&o, '%');
			out_char(&o, *fmt);
			break;
		}
	}
	if (size)
		buf[o.len < size ? o.len : size - 1] = 0;
	return (int)o.len;
}

int hv_snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = hv_vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

void console_ring_append(volatile uint32_t *busy, volatile uint32_t *tail,
			 char *content, uint32_t size, const char *text,
			 unsigned int len)
{
	uint32_t t;

	*busy = 1;
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	t = *tail;
	while (len--) {
		content[t & (size - 1)] = *text++;
		t++;
	}
	*tail = t;
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	*busy = 0;
}

void console_write(const char *text, unsigned int len)
{
	if (hv_console)
		console_ring_append(&hv_console->busy, &hv_console->tail,
				    hv_console->content, HV_CONSOLE_SIZE, text,
				    len);
	arch_console_write(text, len);
}

void printk(const char *fmt, ...)
{
	char buf[256];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = hv_vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n >= (int)sizeof(buf))
		n = sizeof(buf) - 1;
	console_write(buf, (unsigned int)n);
}

void console_init(struct hv_virt_console *ring,
		  struct hv_cell_console *cell_rings, unsigned int num_cell_rings)
{
	unsigned int i;

	hv_console = ring;
	if (ring)
		hv_memset(ring, 0, sizeof(*ring));
	cell_consoles = cell_rings;
	num_cell_consoles = cell_rings ? num_cell_rings : 0;
	for (i = 0; i < num_cell_consoles; i++) {
		hv_memset(&cell_consoles[i], 0, sizeof(cell_consoles[i]));
		cell_consoles[i].cell_id = HV_CELL_CONSOLE_FREE;
	}
}

void console_cell_attach(struct cell *cell)
{
	struct hv_cell_console *ring;
	unsigned int i;

	cell->console = NULL;
	for (i = 0; i < num_cell_consoles; i++) {
		ring = &cell_consoles[i];
		if (ring->cell_id != HV_CELL_CONSOLE_FREE)
			continue;
		/* Readers tell a new ring from an old one by the generation. */
		ring->busy = 1;
		__atomic_thread_fence(__ATOMIC_SEQ_CST);
		ring->tail = 0;
		ring->generation++;
		ring->cell_id = cell->id;
		__atomic_thread_fence(__ATOMIC_SEQ_CST);
		ring->busy = 0;
		cell->console = ring;
		return;
	}
}

void console_cell_detach(struct cell *cell)
{
	if (!cell->console)
		return;
	cell->console->cell_id = HV_CELL_CONSOLE_FREE;
	cell->console = NULL;
}

void console_cell_putc(struct cell *cell, char c)
{
	struct hv_cell_console *ring = cell->console;

	if (ring)
		console_ring_append(&ring->busy, &ring->tail, ring->content,
				    HV_CELL_CONSOLE_SIZE, &c, 1);
	console_write(&c, 1);
}
