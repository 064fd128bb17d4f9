// SPDX-License-Identifier: MIT
/*
 * Host tests of the hypervisor's debug UART (hypervisor/arch/arm64/uart.c)
 * against register models: an 8250/16550 (divisor latch behind LCR.DLAB,
 * LSR.THRE busy for a while after every byte) at register distance 4 with
 * 32-bit accesses (RK3588's UART2 at 0xfeb50000) and at distance 1 with
 * 8-bit accesses, and a PL011 (FR.TXFF). A byte written while the model
 * is busy, an access of the wrong width, or one off the register grid
 * fails the test.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

/* The port's logic is compiled into the test itself (host build). */
#include "../../hypervisor/arch/arm64/uart.c"

#define BUSY_POLLS	3

static struct model {
	uint16_t type;
	uint64_t base;
	unsigned int width, shift;
	uint8_t lcr, dll, dlm;
	unsigned int busy;	/* status reads left that say "busy" */
	char out[256];
	unsigned int out_len;
	unsigned int polls, bad_accesses, overruns;
} m;

static void model_reset(uint16_t type, uint64_t base, unsigned int width,
			unsigned int shift)
{
	memset(&m, 0, sizeof(m));
	m.type = type;
	m.base = base;
	m.width = width;
	m.shift = shift;
}

/* The register number an access names, or -1 when it is off the grid. */
static int model_reg(uint64_t addr, unsigned int width)
{
	uint64_t off = addr - m.base;

	if (addr < m.base || width != m.width ||
	    (off & ((1u << m.shift) - 1)) || off >= 0x100) {
		m.bad_accesses++;
		return -1;
	}
	return (int)(off >> m.shift);
}

static void model_tx(uint32_t value)
{
	if (m.busy)
		m.overruns++;
	if (m.out_len < sizeof(m.out) - 1)
		m.out[m.out_len++] = (char)value;
	m.busy = BUSY_POLLS;
}

static uint32_t model_read(uint64_t addr, unsigned int width)
{
	int reg;

	if (m.type == HV_CON_TYPE_PL011) {
		if (width != 4 || addr != m.base + 0x18) {
			m.bad_accesses++;
			return 0;
		}
		m.polls++;
		if (m.busy) {
			m.busy--;
			return 1u << 5;		/* TXFF */
		}
		return 0;
	}
	reg = model_reg(addr, width);
	if (reg == 5) {				/* LSR */
		m.polls++;
		if (m.busy) {
			m.busy--;
			return 0x00;
		}
		return 0x60;			/* THRE | TEMT */
	}
	if (reg == 3)
		return m.lcr;
	return 0;
}

static void model_write(uint64_t addr, unsigned int width, uint32_t value)
{
	int reg;

	if (m.type == HV_CON_TYPE_PL011) {
		if (width != 4 || addr != m.base)
			m.bad_accesses++;
		else
			model_tx(value);
		return;
	}
	reg = model_reg(addr, width);
	switch (reg) {
	case 0:
		if (m.lcr & 0x80)
			m.dll = (uint8_t)value;
		else
			model_tx(value);
		break;
	case 1:
		if (m.lcr & 0x80)
			m.dlm = (uint8_t)value;
		break;
	case 3:
		m.lcr = (uint8_t)value;
		break;
	default:
		break;
	}
}

static const struct uart_io model_io = { model_read, model_write };

static struct hv_console console(uint16_t type, uint64_t address,
				 uint16_t flags, uint32_t divider)
{
	struct hv_console c;

	memset(&c, 0, sizeof(c));
	c.address = address;
	c.size = 0x1000;
	c.type = type;
	c.flags = flags;
	c.divider = divider;
	return c;
}

static void test_8250_regdist_4(void **state)
{
	struct hv_console c = console(HV_CON_TYPE_8250, 0xfeb50000,
				      HV_CON_ACCESS_MMIO | HV_CON_REGDIST_4, 0);
	struct uart_dev dev;

	(void)state;
	model_reset(HV_CON_TYPE_8250, 0xfeb50000, 4, 2);
	assert_int_equal(uart_dev_init(&dev, &c, &model_io), 0);
	/* divider 0: the bootloader's setup is kept, nothing written */
	assert_int_equal(m.lcr, 0);
	uart_dev_write(&dev, "ok\nz", 4);
	assert_int_equal(m.out_len, 5);
	assert_memory_equal(m.out, "ok\r\nz", 5);
	assert_int_equal(m.bad_accesses, 0);
	assert_int_equal(m.overruns, 0);
	/* it waited for THRE before every byte but the first */
	assert_true(m.polls >= 5 + 4 * BUSY_POLLS);
}

static void test_8250_regdist_1_divider(void **state)
{
	struct hv_console c = console(HV_CON_TYPE_8250, 0x1c28000,
				      HV_CON_ACCESS_MMIO, 0x1234);
	struct uart_dev dev;

	(void)state;
	model_reset(HV_CON_TYPE_8250, 0x1c28000, 1, 0);
	assert_int_equal(uart_dev_init(&dev, &c, &model_io), 0);
	/* 8N1 at the divisor, latch closed again */
	assert_int_equal(m.dll, 0x34);
	assert_int_equal(m.dlm, 0x12);
	assert_int_equal(m.lcr, 0x03);
	assert_int_equal(m.out_len, 0);	/* the divisor was no output */
	uart_dev_write(&dev, "hv", 2);
	assert_memory_equal(m.out, "hv", 2);
	assert_int_equal(m.bad_accesses, 0);
	assert_int_equal(m.overruns, 0);
}

static void test_pl011(void **state)
{
	struct hv_console c = console(HV_CON_TYPE_PL011, 0x09000000,
				      HV_CON_ACCESS_MMIO | HV_CON_REGDIST_4, 0);
	struct uart_dev dev;

	(void)state;
	model_reset(HV_CON_TYPE_PL011, 0x09000000, 4, 0);
	assert_int_equal(uart_dev_init(&dev, &c, &model_io), 0);
	uart_dev_write(&dev, "a\n", 2);
	assert_int_equal(m.out_len, 3);
	assert_memory_equal(m.out, "a\r\n", 3);
	assert_int_equal(m.bad_accesses, 0);
	assert_int_equal(m.overruns, 0);
	assert_true(m.polls >= 3 + 2 * BUSY_POLLS);
}

static void test_refused_consoles(void **state)
{
	struct hv_console c;
	struct uart_dev dev;

	(void)state;
	c = console(HV_CON_TYPE_NONE, 0x09000000, HV_CON_ACCESS_MMIO, 0);
	assert_int_equal(uart_dev_init(&dev, &c, &model_io), -1);
	/* port I/O does not exist on arm64 */
	c = console(HV_CON_TYPE_8250, 0x3f8, 0, 0);
	assert_int_equal(uart_dev_init(&dev, &c, &model_io), -1);
	c = console(HV_CON_TYPE_8250, 0, HV_CON_ACCESS_MMIO, 0);
	assert_int_equal(uart_dev_init(&dev, &c, &model_io), -1);
	c = console(HV_CON_TYPE_IMX, 0x30860000, HV_CON_ACCESS_MMIO, 0);
	assert_int_equal(uart_dev_init(&dev, &c, &model_io), -1);
	/* and the hypervisor's console then stays silent */
	uart_init(&c);
	arch_console_write("x", 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_8250_regdist_4),
		cmocka_unit_test(test_8250_regdist_1_divider),
		cmocka_unit_test(test_pl011),
		cmocka_unit_test(test_refused_consoles),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
