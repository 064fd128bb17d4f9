// SPDX-License-Identifier: MIT
/*
 * Host tests of the GICv3 emulation's plain logic: which distributor and
 * redistributor register an access hits, which bits of it a cell may see
 * and change given the interrupts it owns, GICR_TYPER as a cell sees it,
 * ICC_SGI1R_EL1 decoding and targeting, list register values.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

/* The port's logic is compiled into the test itself (host build). */
#include "../../hypervisor/arch/arm64/gic_regs.c"

static void expect_reg(const struct gic_reg *r, enum gic_reg_kind kind,
		       unsigned int first, unsigned int bits)
{
	assert_int_equal(r->kind, kind);
	if (kind == GIC_REG_IGNORED || kind == GIC_REG_ID)
		return;
	assert_int_equal(r->first_irq, first);
	assert_int_equal(r->bits, bits);
}

static void test_gicd_decode(void **state)
{
	struct gic_reg r;

	(void)state;
	gicd_decode(GICD_CTLR, 4, &r);
	expect_reg(&r, GIC_REG_ID, 0, 0);
	gicd_decode(GICD_TYPER, 4, &r);
	expect_reg(&r, GIC_REG_ID, 0, 0);
	gicd_decode(GIC_PIDR2, 4, &r);
	expect_reg(&r, GIC_REG_ID, 0, 0);
	gicd_decode(GICD_CTLR, 8, &r);		/* wrong width */
	expect_reg(&r, GIC_REG_IGNORED, 0, 0);

	gicd_decode(GICD_ISENABLER + 4, 4, &r);	/* INTIDs 32-63 */
	expect_reg(&r, GIC_REG_SETCLR, 32, 1);
	gicd_decode(GICD_ICENABLER + 4, 4, &r);
	expect_reg(&r, GIC_REG_SETCLR, 32, 1);
	gicd_decode(GICD_ICACTIVER + 0x1c, 4, &r);
	expect_reg(&r, GIC_REG_SETCLR, 224, 1);
	/* Word 0 (SGIs and PPIs) is reserved in the distributor. */
	gicd_decode(GICD_ISENABLER, 4, &r);
	expect_reg(&r, GIC_REG_IGNORED, 0, 0);
	gicd_decode(GICD_IPRIORITYR + 28, 4, &r);
	expect_reg(&r, GIC_REG_IGNORED, 0, 0);
	/* Bitmaps are 32-bit only, priorities also byte by byte. */
	gicd_decode(GICD_ISENABLER + 4, 1, &r);
	expect_reg(&r, GIC_REG_IGNORED, 0, 0);
	gicd_decode(GICD_ISENABLER + 6, 4, &r);
	expect_reg(&r, GIC_REG_IGNORED, 0, 0);
	gicd_decode(GICD_IPRIORITYR + 34, 1, &r);
	expect_reg(&r, GIC_REG_RMW, 34, 8);
	gicd_decode(GICD_IPRIORITYR + 32, 4, &r);
	expect_reg(&r, GIC_REG_RMW, 32, 8);
	gicd_decode(GICD_IPRIORITYR + 34, 2, &r);
	expect_reg(&r, GIC_REG_IGNORED, 0, 0);
	gicd_decode(GICD_ICFGR + 8, 4, &r);	/* INTIDs 32-47 */
	expect_reg(&r, GIC_REG_RMW, 32, 2);
	gicd_decode(GICD_IGROUPR + 4, 4, &r);
	expect_reg(&r, GIC_REG_RMW, 32, 1);
	gicd_decode(GICD_IGRPMODR + 8, 4, &r);
	expect_reg(&r, GIC_REG_RMW, 64, 1);

	/* IROUTER: 64 bits per SPI, either half on its own. */
	gicd_decode(GICD_IROUTER + 8 * 34, 8, &r);
	expect_reg(&r, GIC_REG_IROUTER, 34, 64);
	gicd_decode(GICD_IROUTER + 8 * 34 + 4, 4, &r);
	expect_reg(&r, GIC_REG_IROUTER, 34, 64);
	gicd_decode(GICD_IROUTER + 8 * 34 + 4, 8, &r);
	expect_reg(&r, GIC_REG_IGNORED, 0, 0);
	gicd_decode(GICD_IROUTER + 8 * 5, 8, &r);	/* no SGI routing */
	expect_reg(&r, GIC_REG_IGNORED, 0, 0);
	gicd_decode(GICD_IROUTER + 8 * 1020, 8, &r);
	expect_reg(&r, GIC_REG_IGNORED, 0, 0);
	gicd_decode(0x0f00, 4, &r);			/* GICD_SGIR */
	expect_reg(&r, GIC_REG_IGNORED, 0, 0);
	gicd_decode(GICD_SIZE, 4, &r);
	expect_reg(&r, GIC_REG_IGNORED, 0, 0);
}

static void test_gicr_decode(void **state)
{
	struct gic_reg r;

	(void)state;
	gicr_decode(GICR_TYPER, 8, &r);
	expect_reg(&r, GIC_REG_TYPER, 0, 0);
	gicr_decode(GICR_TYPER, 4, &r);
	expect_reg(&r, GIC_REG_TYPER, 0, 0);
	gicr_decode(GICR_TYPER + 4, 4, &r);	/* affinity half */
	expect_reg(&r, GIC_REG_TYPER, 0, 0);
	gicr_decode(GICR_TYPER + 4, 8, &r);
	expect_reg(&r, GIC_REG_IGNORED, 0, 0);
	gicr_decode(GICR_IIDR, 4, &r);
	expect_reg(&r, GIC_REG_ID, 0, 0);
	gicr_decode(GIC_PIDR2, 4, &r);
	expect_reg(&r, GIC_REG_ID, 0, 0);
	gicr_decode(GICR_WAKER, 4, &r);
	expect_reg(&r, GIC_REG_PRIVATE, 0, 0);
	gicr_decode(GICR_CTLR, 4, &r);
	expect_reg(&r, GIC_REG_PRIVATE, 0, 0);
	gicr_decode(0x70, 8, &r);			/* PROPBASER: no LPIs */
	expect_reg(&r, GIC_REG_IGNORED, 0, 0);

	gicr_decode(GICR_SGI_BASE + GICD_ISENABLER, 4, &r);
	expect_reg(&r, GIC_REG_SETCLR, 0, 1);
	gicr_decode(GICR_SGI_BASE + GICD_ICACTIVER, 4, &r);
	expect_reg(&r, GIC_REG_SETCLR, 0, 1);
	/* Only INTIDs 0-31 live in a redistributor. */
	gicr_decode(GICR_SGI_BASE + GICD_ISENABLER + 4, 4, &r);
	expect_reg(&r, GIC_REG_IGNORED, 0, 0);
	gicr_decode(GICR_SGI_BASE + GICD_IPRIORITYR + 25, 1, &r);
	expect_reg(&r, GIC_REG_RMW, 25, 8);
	gicr_decode(GICR_SGI_BASE + GICD_IPRIORITYR + 32, 4, &r);
	expect_reg(&r, GIC_REG_IGNORED, 0, 0);
	gicr_decode(GICR_SGI_BASE + GICD_ICFGR + 4, 4, &r);
	expect_reg(&r, GIC_REG_RMW, 16, 2);
	gicr_decode(GICR_SGI_BASE + GICD_IROUTER + 8 * 34, 8, &r);
	expect_reg(&r, GIC_REG_IGNORED, 0, 0);
	gicr_decode(GICR_STRIDE, 4, &r);
	expect_reg(&r, GIC_REG_IGNORED, 0, 0);
}

static void test_owned_mask(void **state)
{
	uint32_t owned[GIC_BITMAP_WORDS] = { 0 };
	struct gic_reg r;

	(void)state;
	/* A cell owning INTID 34 only (QEMU's PL031 RTC). */
	gic_bitmap_set(owned, 34);
	gicd_decode(GICD_ICENABLER + 4, 4, &r);
	assert_int_equal(gic_owned_mask(&r, 4, owned), 1u << 2);
	gicd_decode(GICD_IPRIORITYR + 32, 4, &r);
	assert_int_equal(gic_owned_mask(&r, 4, owned), 0xffULL << 16);
	gicd_decode(GICD_IPRIORITYR + 34, 1, &r);
	assert_int_equal(gic_owned_mask(&r, 1, owned), 0xff);
	gicd_decode(GICD_IPRIORITYR + 35, 1, &r);
	assert_int_equal(gic_owned_mask(&r, 1, owned), 0);
	gicd_decode(GICD_ICFGR + 8, 4, &r);
	assert_int_equal(gic_owned_mask(&r, 4, owned), 3u << 4);
	gicd_decode(GICD_IROUTER + 8 * 34, 8, &r);
	assert_true(gic_owned_mask(&r, 8, owned) == ~0ULL);
	gicd_decode(GICD_IROUTER + 8 * 34 + 4, 4, &r);
	assert_true(gic_owned_mask(&r, 4, owned) == 0xffffffffULL);
	gicd_decode(GICD_IROUTER + 8 * 35, 8, &r);
	assert_true(gic_owned_mask(&r, 8, owned) == 0);
	gicd_decode(GICD_TYPER, 4, &r);
	assert_true(gic_owned_mask(&r, 4, owned) == 0);

	/* The root: all of 32-159 but 34. Its write to ICENABLER1 that
	 * names 34 and 33 keeps only 33. */
	owned[1] = 0xffffffffu & ~(1u << 2);
	gicd_decode(GICD_ICENABLER + 4, 4, &r);
	assert_int_equal(gic_owned_mask(&r, 4, owned) & ((1u << 2) | (1u << 1)),
			 1u << 1);
	assert_int_equal(gic_merge(0x00ff0000, 0x0000ff00, 0x0000ffff),
			 0x00ffff00);
	assert_int_equal(gic_merge(0x12345678, 0xffffffff, 0), 0x12345678);

	/* A CPU's own redistributor without the hypervisor's interrupts. */
	owned[0] = ~GIC_HYP_PRIVATE_MASK(25);
	gicr_decode(GICR_SGI_BASE + GICD_ICENABLER, 4, &r);
	assert_int_equal(gic_owned_mask(&r, 4, owned),
			 0xffffffffu & ~((1u << 14) | (1u << 15) | (1u << 25)));
	gicr_decode(GICR_SGI_BASE + GICD_IPRIORITYR + 12, 4, &r);
	assert_int_equal(gic_owned_mask(&r, 4, owned), 0x0000ffffULL);
}

static void test_typer_view(void **state)
{
	(void)state;
	/* CPU 3 of 4 on QEMU (measured): Last set in hardware. */
	assert_true(gicr_typer_view(0x0000000301000311ULL, false) ==
		    0x0000000301000301ULL);
	assert_true(gicr_typer_view(0x0000000201000201ULL, true) ==
		    0x0000000201000211ULL);
	assert_true(gicr_typer_view(0x0000000301000311ULL, true) ==
		    0x0000000301000311ULL);
	/* The affinity is in the upper word, as a 32-bit read sees it. */
	assert_int_equal(gicr_typer_view(0x0000000201000201ULL, true) >> 32, 2);
}

static void test_irouter(void **state)
{
	(void)state;
	assert_int_equal(gic_irouter_affinity(0x0000000003ULL), 3);
	assert_int_equal(gic_irouter_affinity(0x0500010203ULL), 0x05010203);
	assert_true(gic_irouter_of(0x80000002ULL) == 2);
	assert_true(gic_irouter_of(0x0580010203ULL) == 0x0500010203ULL);
}

static void test_sgi(void **state)
{
	struct gic_sgi s;
	uint64_t mpidr;

	(void)state;
	/* Linux: SGI 3 to CPU 2 (Aff0 2). */
	gic_sgi_decode((3ULL << 24) | (1u << 2), &s);
	assert_int_equal(s.intid, 3);
	assert_false(s.irm);
	assert_true(gic_sgi_targets(&s, 0x80000002ULL));
	assert_false(gic_sgi_targets(&s, 0x80000001ULL));
	assert_false(gic_sgi_targets(&s, 0x80000102ULL));	/* Aff1 1 */
	/* Aff0 18 needs range selector 1. */
	assert_false(gic_sgi_targets(&s, 0x80000012ULL));
	/* IRM: all but the sender, the target list aside. */
	gic_sgi_decode((1ULL << 40) | (5ULL << 24), &s);
	assert_true(s.irm);
	assert_int_equal(s.intid, 5);
	/* Round trips through the encoder for several affinities. */
	for (mpidr = 0; mpidr < 40; mpidr++) {
		uint64_t m = 0x80000000ULL | ((mpidr % 3) << 8) |
			     ((mpidr % 2) << 16) | ((mpidr % 5) << 32) | mpidr;

		gic_sgi_decode(gic_sgi1r_for(7, m), &s);
		assert_int_equal(s.intid, 7);
		assert_true(gic_sgi_targets(&s, m));
		assert_false(gic_sgi_targets(&s, m + 1));
		assert_false(gic_sgi_targets(&s, m ^ (1ULL << 8)));
	}
}

static void test_list_registers(void **state)
{
	uint64_t lr;

	(void)state;
	lr = gic_lr_make(30, true);		/* root's timer PPI */
	assert_true(lr & ICH_LR_PENDING);
	assert_false(lr & ICH_LR_ACTIVE);
	assert_true(lr & ICH_LR_HW);
	assert_true(lr & ICH_LR_GROUP1);
	assert_int_equal((lr >> ICH_LR_PINTID_SHIFT) & 0x3ff, 30);
	assert_int_equal((lr >> ICH_LR_PRIO_SHIFT) & 0xff, GIC_VIRQ_PRIORITY);
	assert_int_equal(gic_lr_virq(lr), 30);
	lr = gic_lr_make(3, false);		/* an SGI: no HW link */
	assert_false(lr & ICH_LR_HW);
	assert_int_equal((lr >> ICH_LR_PINTID_SHIFT) & 0x3ff, 0);
	assert_int_equal(gic_lr_virq(lr), 3);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_gicd_decode),
		cmocka_unit_test(test_gicr_decode),
		cmocka_unit_test(test_owned_mask),
		cmocka_unit_test(test_typer_view),
		cmocka_unit_test(test_irouter),
		cmocka_unit_test(test_sgi),
		cmocka_unit_test(test_list_registers),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
