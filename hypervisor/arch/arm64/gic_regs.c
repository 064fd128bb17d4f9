// SPDX-License-Identifier: GPL-2.0
/*
 * GICv3 register decoding and the ownership filter (see gic_regs.h).
 *
 * The distributor's per-INTID tables and the redistributor's SGI_base
 * frame share their offsets; the redistributor holds only the first
 * register of each table (INTIDs 0-31, the CPU's SGIs and PPIs), the
 * distributor's first register is reserved with affinity routing.
 */
#include "include/gic_regs.h"

struct gic_table {
	uint32_t base, len;
	unsigned int bits;
	enum gic_reg_kind kind;
};

static const struct gic_table gic_tables[] = {
	{ GICD_IGROUPR, 0x80, 1, GIC_REG_RMW },
	{ GICD_ISENABLER, 0x80, 1, GIC_REG_SETCLR },
	{ GICD_ICENABLER, 0x80, 1, GIC_REG_SETCLR },
	{ GICD_ISPENDR, 0x80, 1, GIC_REG_SETCLR },
	{ GICD_ICPENDR, 0x80, 1, GIC_REG_SETCLR },
	{ GICD_ISACTIVER, 0x80, 1, GIC_REG_SETCLR },
	{ GICD_ICACTIVER, 0x80, 1, GIC_REG_SETCLR },
	{ GICD_IPRIORITYR, 0x400, 8, GIC_REG_RMW },
	{ GICD_ICFGR, 0x100, 2, GIC_REG_RMW },
	{ GICD_IGRPMODR, 0x80, 1, GIC_REG_RMW },
};

static void set_ignored(struct gic_reg *r)
{
	r->kind = GIC_REG_IGNORED;
	r->first_irq = 0;
	r->bits = 0;
}

static bool is_id_reg(uint64_t off, unsigned int size)
{
	return size == 4 && !(off & 3) && off >= GIC_ID_REGS && off < 0x10000;
}

/* A per-INTID table register; false when off is in none of them. */
static bool decode_table(uint64_t off, unsigned int size, struct gic_reg *r)
{
	unsigned int n;

	for (n = 0; n < sizeof(gic_tables) / sizeof(gic_tables[0]); n++) {
		const struct gic_table *t = &gic_tables[n];

		if (off < t->base || off - t->base >= t->len)
			continue;
		/* Byte access only to the priority bytes; else 32 bits. */
		if (!(size == 4 || (size == 1 && t->bits == 8)) ||
		    (off & (size - 1))) {
			set_ignored(r);
			return true;
		}
		r->kind = t->kind;
		r->bits = t->bits;
		r->first_irq = (unsigned int)((off - t->base) * 8 / t->bits);
		return true;
	}
	return false;
}

void gicd_decode(uint64_t off, unsigned int size, struct gic_reg *r)
{
	set_ignored(r);
	if (off >= GICD_SIZE)
		return;
	if (off < 0x10) {
		if (size == 4 && !(off & 3))
			r->kind = GIC_REG_ID;
		return;
	}
	if (is_id_reg(off, size)) {
		r->kind = GIC_REG_ID;
		return;
	}
	if (off >= GICD_IROUTER + 8 * GIC_FIRST_SPI &&
	    off < GICD_IROUTER + 8 * (GIC_MAX_SPI + 1)) {
		if ((size == 8 || size == 4) && !(off & (size - 1))) {
			r->kind = GIC_REG_IROUTER;
			r->bits = 64;
			r->first_irq = (unsigned int)((off - GICD_IROUTER) / 8);
		}
		return;
	}
	if (decode_table(off, size, r) && r->first_irq < GIC_FIRST_SPI)
		set_ignored(r);	/* SGIs and PPIs live in the redistributors */
}

void gicr_decode(uint64_t off, unsigned int size, struct gic_reg *r)
{
	set_ignored(r);
	if (off >= GICR_STRIDE)
		return;
	if (off < GICR_SGI_BASE) {
		if (is_id_reg(off, size) || (off == GICR_IIDR && size == 4)) {
			r->kind = GIC_REG_ID;
		} else if ((off == GICR_TYPER && (size == 8 || size == 4)) ||
			   (off == GICR_TYPER + 4 && size == 4)) {
			r->kind = GIC_REG_TYPER;
		} else if ((off == GICR_CTLR || off == GICR_STATUSR ||
			    off == GICR_WAKER) && size == 4) {
			r->kind = GIC_REG_PRIVATE;
		}
		return;
	}
	if (!decode_table(off - GICR_SGI_BASE, size, r) ||
	    r->first_irq >= GIC_FIRST_SPI)
		set_ignored(r);
}

uint64_t gic_owned_mask(const struct gic_reg *r, unsigned int size,
			const uint32_t *owned)
{
	uint64_t field, mask = 0;
	unsigned int n, fields;

	if (r->kind != GIC_REG_SETCLR && r->kind != GIC_REG_RMW &&
	    r->kind != GIC_REG_IROUTER)
		return 0;
	if (r->kind == GIC_REG_IROUTER) {
		fields = 1;
		field = size == 8 ? ~0ULL : 0xffffffffULL;
	} else {
		fields = size * 8 / r->bits;
		field = (1ULL << r->bits) - 1;
	}
	for (n = 0; n < fields; n++)
		if (gic_bitmap_test(owned, r->first_irq + n))
			mask |= field << (n * r->bits % 64);
	return mask;
}

void gic_sgi_decode(uint64_t v, struct gic_sgi *s)
{
	s->targets = (uint16_t)(v & 0xffff);
	s->intid = (unsigned int)((v >> 24) & 0xf);
	s->irm = (v >> 40) & 1;
	s->rs = (unsigned int)((v >> 44) & 0xf);
	s->aff321 = (uint32_t)(((v >> 16) & 0xff) << 8 |
			       ((v >> 32) & 0xff) << 16 |
			       ((v >> 48) & 0xff) << 24);
}

bool gic_sgi_targets(const struct gic_sgi *s, uint64_t mpidr)
{
	uint32_t aff = (uint32_t)(((mpidr >> 8) & 0xff000000) |
				  (mpidr & 0xffffff));
	unsigned int aff0 = aff & 0xff;

	if ((aff & ~0xffu) != s->aff321 || aff0 / 16 != s->rs)
		return false;
	return (s->targets >> (aff0 % 16)) & 1;
}

uint64_t gic_sgi1r_for(unsigned int intid, uint64_t mpidr)
{
	return (1ULL << (mpidr & 0xf)) |
	       (((mpidr >> 8) & 0xff) << 16) |
	       ((uint64_t)(intid & 0xf) << 24) |
	       (((mpidr >> 16) & 0xff) << 32) |
	       ((uint64_t)((mpidr & 0xff) / 16) << 44) |
	       (((mpidr >> 32) & 0xff) << 48);
}

uint64_t gic_lr_make(unsigned int virq, bool hw)
{
	uint64_t lr = ICH_LR_PENDING | ICH_LR_GROUP1 |
		      ((uint64_t)GIC_VIRQ_PRIORITY << ICH_LR_PRIO_SHIFT) | virq;

	if (hw)
		lr |= ICH_LR_HW | ((uint64_t)virq << ICH_LR_PINTID_SHIFT);
	return lr;
}
