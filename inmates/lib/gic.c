// SPDX-License-Identifier: MIT
/*
 * The GICv3 seen from a cell: the CPU interface through the ICC system
 * registers (the hypervisor backs them with its virtual interface), the
 * distributor and this CPU's redistributor through MMIO that the
 * hypervisor emulates for the interrupts the cell owns. The redistributor
 * is found the way Linux finds it: by walking the frames for the one whose
 * GICR_TYPER affinity (read as two 32-bit halves) is this CPU's.
 */
#include "inmate.h"

#define GICR_STRIDE		0x20000
#define GICR_SGI_BASE		0x10000
#define GICR_TYPER		0x8
#define GICR_TYPER_LAST		(1u << 4)
#define GICD_ISENABLER		0x100
#define GICD_IPRIORITYR		0x400
#define IRQ_PRIORITY		0xa0
#define MAX_GICR_FRAMES		64

/* This CPU's redistributor, by Aff0 (the cells here are small). */
static uint64_t rdist_of[16];

void (*inmate_irq_handler)(unsigned int irq);

uint64_t cpu_mpidr(void)
{
	return read_sysreg(mpidr_el1) & 0xff00ffffffULL;
}

static uint32_t affinity_packed(uint64_t mpidr)
{
	return (uint32_t)(((mpidr >> 8) & 0xff000000) | (mpidr & 0xffffff));
}

static uint64_t find_rdist(void)
{
	uint64_t frame = comm_region->gicr_base;
	uint32_t aff = affinity_packed(cpu_mpidr());
	unsigned int n;

	for (n = 0; n < MAX_GICR_FRAMES; n++, frame += GICR_STRIDE) {
		uint32_t lo = mmio_read32(frame + GICR_TYPER);
		uint32_t hi = mmio_read32(frame + GICR_TYPER + 4);

		if (hi == aff)
			return frame;
		if (lo & GICR_TYPER_LAST)
			break;
	}
	printk("gic: no redistributor for affinity 0x%x (%u frames)\n", aff,
	       n + 1);
	return 0;
}

void gic_cpu_init(void)
{
	write_sysreg(read_sysreg(s3_0_c12_c12_5) | 1, s3_0_c12_c12_5);
	asm volatile("isb");
	write_sysreg(0xf0, s3_0_c4_c6_0);		/* ICC_PMR_EL1 */
	write_sysreg(0, s3_0_c12_c12_4);		/* ICC_CTLR_EL1: EOI deactivates */
	write_sysreg(1, s3_0_c12_c12_7);		/* ICC_IGRPEN1_EL1 */
	asm volatile("isb");
	rdist_of[cpu_mpidr() & 0xf] = find_rdist();
}

void gic_enable_irq(unsigned int irq)
{
	uint64_t base = irq < 32 ? rdist_of[cpu_mpidr() & 0xf] + GICR_SGI_BASE :
				   comm_region->gicd_base;

	if (!base)
		return;
	*(volatile uint8_t *)(base + GICD_IPRIORITYR + irq) = IRQ_PRIORITY;
	mmio_write32(base + GICD_ISENABLER + (irq / 32) * 4, 1u << (irq % 32));
}

void gic_send_sgi(unsigned int sgi, uint64_t mpidr)
{
	uint64_t v = (1ULL << (mpidr & 0xf)) | (((mpidr >> 8) & 0xff) << 16) |
		     ((uint64_t)(sgi & 0xf) << 24) |
		     (((mpidr >> 16) & 0xff) << 32) |
		     (((mpidr >> 32) & 0xff) << 48);

	write_sysreg(v, s3_0_c12_c11_5);		/* ICC_SGI1R_EL1 */
	asm volatile("isb");
}

void gic_send_sgi_others(unsigned int sgi)
{
	write_sysreg((1ULL << 40) | ((uint64_t)(sgi & 0xf) << 24),
		     s3_0_c12_c11_5);
	asm volatile("isb");
}

void inmate_irq(void);

/* From the IRQ vector: every pending interrupt, then back. */
void inmate_irq(void)
{
	for (;;) {
		unsigned int irq = (unsigned int)read_sysreg(s3_0_c12_c12_0);

		if (irq >= 1020)
			break;
		if (inmate_irq_handler)
			inmate_irq_handler(irq);
		write_sysreg(irq, s3_0_c12_c12_1);	/* ICC_EOIR1_EL1 */
	}
}
