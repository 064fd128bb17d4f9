/* SPDX-License-Identifier: GPL-2.0 */
/*
 * GICv3 register decoding and the ownership filter of the emulated
 * distributor and redistributors, as plain logic (no hardware access), so
 * it is unit-tested on the host. gic.c applies it to the real GIC.
 */
#ifndef ARM64_GIC_REGS_H
#define ARM64_GIC_REGS_H

#include <stdbool.h>
#include <stdint.h>

#define GIC_NUM_INTIDS		1024
#define GIC_BITMAP_WORDS	(GIC_NUM_INTIDS / 32)
#define GIC_FIRST_SPI		32
#define GIC_MAX_SPI		1019

#define GICD_SIZE		0x10000ULL
#define GICR_STRIDE		0x20000ULL	/* RD_base + SGI_base frames */
#define GICR_SGI_BASE		0x10000ULL

#define GICD_CTLR		0x0000
#define GICD_TYPER		0x0004
#define GICD_IIDR		0x0008
#define GICD_TYPER2		0x000c
#define GICD_IGROUPR		0x0080
#define GICD_ISENABLER		0x0100
#define GICD_ICENABLER		0x0180
#define GICD_ISPENDR		0x0200
#define GICD_ICPENDR		0x0280
#define GICD_ISACTIVER		0x0300
#define GICD_ICACTIVER		0x0380
#define GICD_IPRIORITYR		0x0400
#define GICD_ICFGR		0x0c00
#define GICD_IGRPMODR		0x0d00
#define GICD_IROUTER		0x6000
#define GIC_ID_REGS		0xffd0		/* PIDR4 .. CIDR3 */
#define GIC_PIDR2		0xffe8

#define GICR_CTLR		0x0000
#define GICR_IIDR		0x0004
#define GICR_TYPER		0x0008
#define GICR_STATUSR		0x0010
#define GICR_WAKER		0x0014
#define GICR_TYPER_LAST		(1ULL << 4)

#define GICD_IROUTER_IRM	(1ULL << 31)

/* The hypervisor's own interrupts on every CPU, never the cells'. */
#define SGI_INJECT		14	/* drain this CPU's injection queue */
#define SGI_EVENT		15	/* management event (park, reset) */
#define GIC_HYP_PRIVATE_MASK(maint) \
	((1u << SGI_INJECT) | (1u << SGI_EVENT) | (1u << (maint)))

/* What an access to an emulated register does. */
enum gic_reg_kind {
	GIC_REG_IGNORED,	/* reads as zero, writes ignored */
	GIC_REG_ID,		/* read from the hardware, writes ignored */
	GIC_REG_SETCLR,		/* write-1-to-set/clear bitmap: masked write */
	GIC_REG_RMW,		/* read-modify-write of the owned fields */
	GIC_REG_IROUTER,	/* SPI routing (distributor only) */
	GIC_REG_PRIVATE,	/* redistributor control of the CPU (own frame) */
	GIC_REG_TYPER,		/* GICR_TYPER, low (0x8) or high (0xc) word */
};

struct gic_reg {
	enum gic_reg_kind kind;
	unsigned int first_irq;	/* INTID of the lowest field */
	unsigned int bits;	/* bits per INTID: 1, 2, 8 (64 for IROUTER) */
};

/* Distributor register at off (0 .. 64K), access of size bytes. */
void gicd_decode(uint64_t off, unsigned int size, struct gic_reg *r);
/*
 * Redistributor register at off inside one CPU's 128 KiB (RD_base frame,
 * then SGI_base frame).
 */
void gicr_decode(uint64_t off, unsigned int size, struct gic_reg *r);

static inline bool gic_bitmap_test(const uint32_t *bitmap, unsigned int irq)
{
	return irq < GIC_NUM_INTIDS && ((bitmap[irq / 32] >> (irq % 32)) & 1);
}

static inline void gic_bitmap_set(uint32_t *bitmap, unsigned int irq)
{
	if (irq < GIC_NUM_INTIDS)
		bitmap[irq / 32] |= 1u << (irq % 32);
}

/*
 * The bits of a register value (size bytes, fields of r->bits per INTID
 * from r->first_irq) that belong to INTIDs set in owned: what a cell may
 * see and change.
 */
uint64_t gic_owned_mask(const struct gic_reg *r, unsigned int size,
			const uint32_t *owned);

/* New value of a read-modify-write register: the owned bits from write. */
static inline uint64_t gic_merge(uint64_t hw, uint64_t write, uint64_t mask)
{
	return (hw & ~mask) | (write & mask);
}

/*
 * GICR_TYPER as a cell sees it: the hardware value with Last set only on
 * the frame of the cell's highest CPU.
 */
static inline uint64_t gicr_typer_view(uint64_t hw, bool last)
{
	return (hw & ~GICR_TYPER_LAST) | (last ? GICR_TYPER_LAST : 0);
}

/* Affinity of an IROUTER value, packed as MPIDR's Aff3:Aff2:Aff1:Aff0. */
static inline uint32_t gic_irouter_affinity(uint64_t irouter)
{
	return (uint32_t)(((irouter >> 8) & 0xff000000) |
			  (irouter & 0xffffff));
}

static inline uint64_t gic_irouter_of(uint64_t mpidr)
{
	return mpidr & 0xff00ffffffULL;
}

/* A write of ICC_SGI1R_EL1, decoded. */
struct gic_sgi {
	unsigned int intid;
	bool irm;		/* all CPUs but the sender */
	uint32_t aff321;	/* Aff3:Aff2:Aff1 packed, Aff0 = 0 */
	unsigned int rs;	/* range selector: Aff0 = rs * 16 + n */
	uint16_t targets;	/* TargetList */
};

void gic_sgi_decode(uint64_t sgi1r, struct gic_sgi *s);
/* Whether the SGI names the CPU with this MPIDR (IRM aside). */
bool gic_sgi_targets(const struct gic_sgi *s, uint64_t mpidr);
/* ICC_SGI1R_EL1 value that sends intid to the CPU with this MPIDR. */
uint64_t gic_sgi1r_for(unsigned int intid, uint64_t mpidr);

/* List registers (ICH_LR<n>_EL2) */
#define ICH_LR_PENDING		(1ULL << 62)
#define ICH_LR_ACTIVE		(1ULL << 63)
#define ICH_LR_STATE		(3ULL << 62)
#define ICH_LR_HW		(1ULL << 61)
#define ICH_LR_GROUP1		(1ULL << 60)
#define ICH_LR_PRIO_SHIFT	48
#define ICH_LR_PINTID_SHIFT	32
/* One priority for injected interrupts (Linux's default, 5 bits). */
#define GIC_VIRQ_PRIORITY	0xa0

/*
 * A pending group-1 list register entry for virq; hw links it to the
 * physical INTID of the same number (its deactivation follows the guest's).
 */
uint64_t gic_lr_make(unsigned int virq, bool hw);

static inline unsigned int gic_lr_virq(uint64_t lr)
{
	return (unsigned int)(lr & 0xffffffff);
}

#endif /* !ARM64_GIC_REGS_H */
