// SPDX-License-Identifier: MIT
/*
 * Console rings: the hypervisor console and the per-cell rings, wrap and
 * lost-byte accounting, generations, permissions, the state after disable,
 * and the core's own formatter.
 */
#include "hv_test.h"

#include <hv/printk.h>

static int read_ring(int32_t id, uint64_t head, struct hvsim_console_data *h,
		     char *buf)
{
	size_t len = 0;
	int err = drv_console_read(hvt_sb, id, head, h, buf, &len, hvt_msg);

	buf[len] = 0;
	return err ? err : (int)len;
}

static void putc_n(unsigned int cpu, const char *s, unsigned int times)
{
	unsigned int i;
	const char *p;

	for (i = 0; i < times; i++)
		for (p = s; *p; p++)
			assert_int_equal(hv_hypercall(per_cpu(cpu),
						      HV_HC_DEBUG_CONSOLE_PUTC,
						      (unsigned char)*p, 0), 0);
}

static void test_cell_rings(void **state)
{
	static char buf[8192];
	struct hvsim_console_data h;
	struct hvt_cell a, b;
	uint64_t tail;
	int ia, ib, n;

	(void)state;
	assert_int_equal(read_ring(-1, 0, &h, buf), -EAGAIN);
	assert_int_equal(hvt_enable(), 0);
	hvt_small_cell(&a, "a", 1, 0x7f000000);
	hvt_small_cell(&b, "b", 2, 0x7e000000);
	ia = hvt_create(&a);
	ib = hvt_create(&b);
	putc_n(1, "from a\n", 1);
	putc_n(2, "from b\n", 1);
	assert_int_equal(read_ring(ia, 0, &h, buf), 7);
	assert_string_equal(buf, "from a\n");
	assert_int_equal(read_ring(ib, 0, &h, buf), 7);
	assert_string_equal(buf, "from b\n");
	n = read_ring(-1, 0, &h, buf);
	assert_true(n > 14);
	assert_non_null(strstr(buf, "from a\nfrom b\n"));
	assert_int_equal(h.generation, 0);

	/* 3000 bytes wrap a 2048-byte ring. */
	putc_n(1, "0123456789", 300);
	n = read_ring(ia, 0, &h, buf);
	assert_int_equal(n, 2048);
	assert_int_equal(h.tail, 3007);
	assert_int_equal(h.lost, 3007 - 2048);
	assert_memory_equal(buf + 2048 - 10, "0123456789", 10);
	/* From a cursor inside the ring: only the new bytes, none lost. */
	n = read_ring(ia, 3000, &h, buf);
	assert_int_equal(n, 7);
	assert_int_equal(h.lost, 0);
	assert_string_equal(buf, "3456789");
	n = read_ring(ia, 3007, &h, buf);
	assert_int_equal(n, 0);
	/* A cursor beyond the tail (a new ring) reads from the start. */
	n = read_ring(ia, 9999, &h, buf);
	assert_int_equal(n, 2048);
	/* The sysfs file holds the last 2048 bytes. */
	sysfs_flush(hvt_sb);
	hvt_sysfs("cells/1/console", buf, sizeof(buf));
	assert_int_equal(strlen(buf), 2048);

	/* Recreated under the same id: a new generation, a new ring. */
	assert_int_equal(read_ring(ia, 0, &h, buf), 2048);
	tail = h.generation;
	assert_int_equal(hvt_destroy(ia), 0);
	assert_int_equal(read_ring(ia, 0, &h, buf), -ENOENT);
	assert_int_equal(hvt_create(&a), ia);
	assert_int_equal(read_ring(ia, 0, &h, buf), 0);
	assert_int_equal(h.tail, 0);
	assert_true(h.generation != tail);
	assert_int_equal(read_ring(-2, 0, &h, buf), -EINVAL);
	assert_int_equal(read_ring(7, 0, &h, buf), -ENOENT);
}

static void test_hv_ring_after_disable(void **state)
{
	static char buf[8192];
	struct hvsim_console_data h;
	struct hvt_cell a;
	int n;

	(void)state;
	assert_int_equal(hvt_enable(), 0);
	hvt_small_cell(&a, "a", 1, 0x7f000000);
	assert_int_equal(hvt_create(&a), 1);
	assert_int_equal(drv_disable(hvt_sb, hvt_msg), 0);
	/* The last ring stays readable (the driver's snapshot)... */
	n = read_ring(-1, 0, &h, buf);
	assert_true(n > 0);
	assert_non_null(strstr(buf, "Shutting down hypervisor"));
	/* ...but not the cells, and the sysfs file is empty. */
	assert_int_equal(read_ring(0, 0, &h, buf), -EINVAL);
	assert_string_equal(hvt_sysfs("console", buf, sizeof(buf)), "");
	/* Enabling again starts a fresh ring. */
	assert_int_equal(hvt_enable(), 0);
	n = read_ring(-1, 0, &h, buf);
	assert_int_equal(h.tail, (uint64_t)n);
	assert_null(strstr(buf, "Shutting down"));
}

static void test_console_permission(void **state)
{
	static char buf[8192];
	struct hvsim_console_data h;

	(void)state;
	assert_int_equal(hvt_enable_flags(0), 0);
	assert_int_equal(read_ring(-1, 0, &h, buf), -EPERM);
	/* Where the driver says EPERM, the sysfs file is absent. */
	assert_null(hvt_sysfs("console", buf, sizeof(buf)));
	/* Cell rings do not depend on the flag. */
	assert_int_equal(read_ring(0, 0, &h, buf), 0);
	assert_int_equal(drv_disable(hvt_sb, hvt_msg), 0);
	assert_non_null(hvt_sysfs("console", buf, sizeof(buf)));
}

static void test_formatter(void **state)
{
	char buf[64];

	(void)state;
	assert_int_equal(hv_snprintf(buf, sizeof(buf), "%d|%5u|%-4s|%04x|%c",
				     -42, 7u, "ab", 0xbeefu, 'z'), 21);
	assert_string_equal(buf, "-42|    7|ab  |beef|z");
	hv_snprintf(buf, sizeof(buf), "%llx %lu %zu %%", 0x123456789abcULL,
		    (unsigned long)99, (size_t)3);
	assert_string_equal(buf, "123456789abc 99 3 %");
	/* Truncation still terminates and reports the full length. */
	assert_int_equal(hv_snprintf(buf, 5, "%s", "abcdefgh"), 8);
	assert_string_equal(buf, "abcd");
	hv_snprintf(buf, sizeof(buf), "%lld",
		    (long long)-9223372036854775807LL - 1);
	assert_string_equal(buf, "-9223372036854775808");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_cell_rings, hvt_setup,
						hvt_teardown),
		cmocka_unit_test_setup_teardown(test_hv_ring_after_disable,
						hvt_setup, hvt_teardown),
		cmocka_unit_test_setup_teardown(test_console_permission,
						hvt_setup, hvt_teardown),
		cmocka_unit_test(test_formatter),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
