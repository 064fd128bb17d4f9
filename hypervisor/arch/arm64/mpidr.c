// SPDX-License-Identifier: GPL-2.0
/*
 * CPU ids and MPIDR affinities (include/mpidr.h): a table filled by every
 * CPU at enable from its own MPIDR_EL1, and the encodings of an affinity
 * in the GIC's registers.
 */
#include "include/mpidr.h"

#define SGI1R_TARGETS_MASK	0xffffULL
#define SGI1R_AFF1_SHIFT	16
#define SGI1R_INTID_SHIFT	24
#define SGI1R_AFF2_SHIFT	32
#define SGI1R_AFF3_SHIFT	48
#define IROUTER_AFF_MASK	0xff00ffffffULL	/* same places as MPIDR */

static uint64_t cpu_mpidr[MPIDR_MAX_CPUS];
static bool cpu_known[MPIDR_MAX_CPUS];

int mpidr_register(unsigned int cpu_id, uint64_t mpidr)
{
	if (cpu_id >= MPIDR_MAX_CPUS)
		return -1;
	cpu_mpidr[cpu_id] = mpidr_aff(mpidr);
	cpu_known[cpu_id] = true;
	return 0;
}

void mpidr_reset(void)
{
	unsigned int n;

	for (n = 0; n < MPIDR_MAX_CPUS; n++) {
		cpu_known[n] = false;
		cpu_mpidr[n] = 0;
	}
}

uint64_t mpidr_of_cpu(unsigned int cpu_id)
{
	if (cpu_id >= MPIDR_MAX_CPUS || !cpu_known[cpu_id])
		return MPIDR_INVALID;
	return cpu_mpidr[cpu_id];
}

int mpidr_to_cpu(uint64_t mpidr)
{
	uint64_t aff = mpidr_aff(mpidr);
	unsigned int n;

	for (n = 0; n < MPIDR_MAX_CPUS; n++)
		if (cpu_known[n] && cpu_mpidr[n] == aff)
			return (int)n;
	return -1;
}

int mpidr_sgi1r(uint64_t mpidr, unsigned int intid, uint64_t *sgi1r)
{
	unsigned int aff0 = mpidr_aff_level(mpidr, 0);

	if (aff0 >= 16 || intid >= 16)
		return -1;
	*sgi1r = (1ULL << aff0) |
		 ((uint64_t)mpidr_aff_level(mpidr, 1) << SGI1R_AFF1_SHIFT) |
		 ((uint64_t)intid << SGI1R_INTID_SHIFT) |
		 ((uint64_t)mpidr_aff_level(mpidr, 2) << SGI1R_AFF2_SHIFT) |
		 ((uint64_t)mpidr_aff_level(mpidr, 3) << SGI1R_AFF3_SHIFT);
	return 0;
}

bool mpidr_sgi1r_targets(uint64_t sgi1r, uint64_t mpidr)
{
	unsigned int aff0 = mpidr_aff_level(mpidr, 0);

	return aff0 < 16 && (sgi1r & SGI1R_TARGETS_MASK & (1ULL << aff0)) &&
	       ((sgi1r >> SGI1R_AFF1_SHIFT) & 0xff) == mpidr_aff_level(mpidr, 1) &&
	       ((sgi1r >> SGI1R_AFF2_SHIFT) & 0xff) == mpidr_aff_level(mpidr, 2) &&
	       ((sgi1r >> SGI1R_AFF3_SHIFT) & 0xff) == mpidr_aff_level(mpidr, 3);
}

uint64_t mpidr_irouter(uint64_t mpidr)
{
	/* IROUTER keeps Aff3 at 39:32 and Aff2..0 at 23:0, as MPIDR does. */
	return mpidr_aff(mpidr);
}

uint64_t mpidr_from_irouter(uint64_t irouter)
{
	return irouter & IROUTER_AFF_MASK;
}

int mpidr_find_gicr(uint64_t gicr_base, unsigned int max_frames,
		    uint64_t mpidr, uint64_t (*read_typer)(uint64_t addr),
		    uint64_t *frame)
{
	uint32_t aff = mpidr_affinity_packed(mpidr);
	uint64_t base = gicr_base, typer;
	unsigned int n;

	for (n = 0; n < max_frames; n++, base += GICR_FRAME_STRIDE) {
		typer = read_typer(base + GICR_TYPER_OFFSET);
		if ((uint32_t)(typer >> 32) == aff) {
			*frame = base;
			return 0;
		}
		if (typer & GICR_TYPER_LAST)
			break;
	}
	return -1;
}
