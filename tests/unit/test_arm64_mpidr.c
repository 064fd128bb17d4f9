// SPDX-License-Identifier: MIT
/*
 * Host tests of CPU identity by MPIDR (hypervisor/arch/arm64/mpidr.c) and
 * of the GIC's encodings of an affinity (gic_regs.c: ICC_SGI1R_EL1,
 * GICD_IROUTER) with two real layouts: RK3588 (cores in Aff1, MT set: raw
 * MPIDR_EL1 = 0x81000000 | n << 8) and QEMU's virt board (cores in Aff0).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

/* The port's logic is compiled into the test itself (host build). */
#include "../../hypervisor/arch/arm64/mpidr.c"
#include "../../hypervisor/arch/arm64/gic_regs.c"

/* The SGI1R value names exactly that CPU (IRM clear). */
static bool sgi_names(uint64_t sgi1r, uint64_t mpidr)
{
	struct gic_sgi s;

	gic_sgi_decode(sgi1r, &s);
	return !s.irm && gic_sgi_targets(&s, mpidr);
}

#define RK3588_RAW(n)	(0x81000000ULL | ((uint64_t)(n) << 8))
#define QEMU_RAW(n)	(0x80000000ULL | (uint64_t)(n))
#define GICR_BASE	0xfe680000ULL

static int reset(void **state)
{
	(void)state;
	mpidr_reset();
	return 0;
}

static void register_rk3588(void)
{
	unsigned int n;

	for (n = 0; n < 8; n++)
		assert_int_equal(mpidr_register(n, RK3588_RAW(n)), 0);
}

static void test_rk3588_ids(void **state)
{
	unsigned int n;

	(void)state;
	register_rk3588();
	for (n = 0; n < 8; n++) {
		/* Linux's cpu_logical_map and the DT reg: 0x000 .. 0x700 */
		assert_int_equal(mpidr_of_cpu(n), (uint64_t)n << 8);
		/* PSCI CPU_ON / AFFINITY_INFO targets as Linux passes them */
		assert_int_equal(mpidr_to_cpu((uint64_t)n << 8), n);
		/* the raw register value with MT and RES1 names it too */
		assert_int_equal(mpidr_to_cpu(RK3588_RAW(n)), n);
	}
	/* An Aff0 numbering names no RK3588 core but cpu0's 0x000. */
	assert_int_equal(mpidr_to_cpu(0x0), 0);
	assert_int_equal(mpidr_to_cpu(0x1), -1);
	assert_int_equal(mpidr_to_cpu(0x3), -1);
	assert_int_equal(mpidr_to_cpu(0x800), -1);
	assert_int_equal(mpidr_to_cpu(0x10100), -1);	/* Aff2 differs */
	assert_int_equal(mpidr_to_cpu(0x100000100ULL), -1); /* Aff3 */
	assert_int_equal(mpidr_of_cpu(8), MPIDR_INVALID);
	assert_int_equal(mpidr_of_cpu(MPIDR_MAX_CPUS), MPIDR_INVALID);
	assert_int_equal(mpidr_register(MPIDR_MAX_CPUS, 0), -1);
}

static void test_rk3588_sgi(void **state)
{
	uint64_t v;
	unsigned int n, m;

	(void)state;
	register_rk3588();
	for (n = 0; n < 8; n++) {
		v = gic_sgi1r_for(1, mpidr_of_cpu(n));
		/* TargetList bit 0 (Aff0 = 0), Aff1 = n, INTID 1 */
		assert_int_equal(v, 0x1ULL | ((uint64_t)n << 16) | (1ULL << 24));
		for (m = 0; m < 8; m++)
			assert_int_equal(sgi_names(v, mpidr_of_cpu(m)), m == n);
	}
	/* What Linux writes for an IPI to cpu5 (SGI 3): decoded back. */
	assert_int_equal(mpidr_to_cpu(0x500), 5);
	assert_true(sgi_names(0x3050001ULL, 0x500));
	assert_false(sgi_names(0x3050001ULL, 0x400));
	assert_false(sgi_names(0x3050002ULL, 0x500));
}

static void test_rk3588_irouter(void **state)
{
	unsigned int n;

	(void)state;
	register_rk3588();
	for (n = 0; n < 8; n++) {
		uint64_t r = gic_irouter_of(RK3588_RAW(n));

		/* MT and RES1 of the raw register stay out of IROUTER */
		assert_int_equal(r, (uint64_t)n << 8);
		assert_int_equal(gic_irouter_affinity(r),
				 mpidr_affinity_packed(mpidr_of_cpu(n)));
		assert_int_equal(mpidr_to_cpu(r), n);
	}
	/* IRM (bit 31) is no affinity: the CPU is still the one named. */
	assert_int_equal(gic_irouter_affinity(0x80000300ULL), 0x300);
	/* Aff3 at 39:32 packs to 31:24 */
	assert_int_equal(gic_irouter_affinity(0x2000000700ULL), 0x20000700);
}

/* A GIC-600 redistributor region: 8 frames, TYPER affinity = n << 8,
 * Processor_Number n, Last on the eighth. */
static unsigned int typer_reads;

static uint64_t rk3588_typer(uint64_t addr)
{
	uint64_t n = (addr - GICR_BASE - GICR_TYPER_OFFSET) / GICR_FRAME_STRIDE;

	typer_reads++;
	assert_int_equal((addr - GICR_BASE - GICR_TYPER_OFFSET) %
			 GICR_FRAME_STRIDE, 0);
	assert_true(n < 8);
	return ((n << 8) << 32) | (n << 8) | (n == 7 ? GICR_TYPER_LAST : 0);
}

static void test_rk3588_gicr(void **state)
{
	uint64_t frame;
	unsigned int n;

	(void)state;
	register_rk3588();
	for (n = 0; n < 8; n++) {
		assert_int_equal(mpidr_find_gicr(GICR_BASE, 8, mpidr_of_cpu(n),
						 rk3588_typer, &frame), 0);
		assert_int_equal(frame, GICR_BASE + n * GICR_FRAME_STRIDE);
	}
	/* An Aff0 guess (0x3) is no RK3588 core: the walk stops at Last. */
	typer_reads = 0;
	assert_int_equal(mpidr_find_gicr(GICR_BASE, 64, 0x3, rk3588_typer,
					 &frame), -1);
	assert_int_equal(typer_reads, 8);
	/* Fewer frames than cores: never reads past max_frames. */
	typer_reads = 0;
	assert_int_equal(mpidr_find_gicr(GICR_BASE, 4, 0x500, rk3588_typer,
					 &frame), -1);
	assert_int_equal(typer_reads, 4);
}

static uint64_t qemu_typer(uint64_t addr)
{
	uint64_t n = (addr - 0x080a0000ULL - GICR_TYPER_OFFSET) /
		     GICR_FRAME_STRIDE;

	/* measured: 0x0000000301000311 for CPU 3 of 4 */
	return (n << 32) | 0x01000001ULL | (n << 8) |
	       (n == 3 ? GICR_TYPER_LAST : 0);
}

static void test_qemu_layout(void **state)
{
	uint64_t v, frame;
	unsigned int n;

	(void)state;
	assert_int_equal(qemu_typer(0x080a0000ULL + 3 * 0x20000 + 8),
			 0x0000000301000311ULL);
	for (n = 0; n < 4; n++)
		assert_int_equal(mpidr_register(n, QEMU_RAW(n)), 0);
	for (n = 0; n < 4; n++) {
		assert_int_equal(mpidr_to_cpu(n), n);
		v = gic_sgi1r_for(1, mpidr_of_cpu(n));
		assert_int_equal(v, (1ULL << n) | (1ULL << 24));
		assert_true(sgi_names(v, mpidr_of_cpu(n)));
		assert_int_equal(mpidr_find_gicr(0x080a0000ULL, 4,
						 mpidr_of_cpu(n), qemu_typer,
						 &frame), 0);
		assert_int_equal(frame, 0x080a0000ULL + n * 0x20000);
	}
	/* RK3588's cpu1 value names nothing here. */
	assert_int_equal(mpidr_to_cpu(0x100), -1);
	/* Aff0 16 and up: target list bit Aff0 % 16 with the range selector */
	v = gic_sgi1r_for(1, 0x13);
	assert_true(sgi_names(v, 0x13));
	assert_false(sgi_names(v, 0x3));
	mpidr_reset();
	assert_int_equal(mpidr_to_cpu(0), -1);
	assert_int_equal(mpidr_of_cpu(0), MPIDR_INVALID);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_rk3588_ids, reset),
		cmocka_unit_test_setup(test_rk3588_sgi, reset),
		cmocka_unit_test_setup(test_rk3588_irouter, reset),
		cmocka_unit_test_setup(test_rk3588_gicr, reset),
		cmocka_unit_test_setup(test_qemu_layout, reset),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
