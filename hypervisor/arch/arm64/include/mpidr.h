/* SPDX-License-Identifier: GPL-2.0 */
/*
 * CPU identity by MPIDR: the one place that maps the hypervisor's CPU ids
 * (Linux's logical CPU numbers, as the configs' CPU bitmaps use them) to
 * the affinity values the hardware speaks, and back, for PSCI targets and
 * redistributor lookup. How an affinity is written into ICC_SGI1R_EL1 and
 * GICD_IROUTER is the GIC's part (gic_regs.h: gic_sgi1r_for,
 * gic_sgi_targets, gic_irouter_of, gic_irouter_affinity); the unit test
 * checks both with RK3588's layout.
 *
 * Nothing here assumes a layout: QEMU's virt numbers cores in Aff0
 * (0x0, 0x1, ...), RK3588 in Aff1 with the MT bit set (0x81000000 |
 * 0x000, 0x100 ... 0x700). Each CPU registers the MPIDR it reads itself.
 * Plain logic, so the host unit tests build it.
 */
#ifndef ARM64_MPIDR_H
#define ARM64_MPIDR_H

#include <stdbool.h>
#include <stdint.h>

/* Aff3 (39:32) and Aff2..Aff0 (23:0): what identifies a CPU. Linux's
 * MPIDR_HWID_BITMASK; the MT (24), U (30) and RES1 (31) bits are not. */
#define MPIDR_AFF_MASK		0xff00ffffffULL
#define MPIDR_MT		(1ULL << 24)
#define MPIDR_INVALID		(~0ULL)
#define MPIDR_MAX_CPUS		256

#define GICR_FRAME_STRIDE	0x20000ULL	/* GICv3: RD_base + SGI_base */
#define GICR_TYPER_OFFSET	0x8
#define GICR_TYPER_LAST		(1ULL << 4)

static inline uint64_t mpidr_aff(uint64_t mpidr)
{
	return mpidr & MPIDR_AFF_MASK;
}

static inline unsigned int mpidr_aff_level(uint64_t mpidr, unsigned int n)
{
	return (unsigned int)(mpidr >> (n == 3 ? 32 : 8 * n)) & 0xff;
}

/* Aff3.Aff2.Aff1.Aff0 as GICR_TYPER[63:32] holds it. */
static inline uint32_t mpidr_affinity_packed(uint64_t mpidr)
{
	return (uint32_t)(((mpidr >> 8) & 0xff000000) | (mpidr & 0xffffff));
}

/* Records the MPIDR a CPU read from itself; -1 for a bad id. */
int mpidr_register(unsigned int cpu_id, uint64_t mpidr);
/* Forgets every CPU (the hypervisor is gone). */
void mpidr_reset(void);
/* The registered affinity of a CPU id, or MPIDR_INVALID. */
uint64_t mpidr_of_cpu(unsigned int cpu_id);
/* The CPU id with that affinity (non-affinity bits ignored), or -1. */
int mpidr_to_cpu(uint64_t mpidr);

/*
 * The redistributor frame of a CPU: walks frames from gicr_base in
 * GICv3 steps, comparing GICR_TYPER[63:32] with the CPU's affinity, up to
 * max_frames or the frame marked Last. read_typer reads the 64-bit
 * GICR_TYPER at an address (a device read at EL2, a model in tests).
 * Returns 0 with *frame set, or -1 when no frame matches.
 */
int mpidr_find_gicr(uint64_t gicr_base, unsigned int max_frames,
		    uint64_t mpidr, uint64_t (*read_typer)(uint64_t addr),
		    uint64_t *frame);

#endif /* !ARM64_MPIDR_H */
