// SPDX-License-Identifier: GPL-2.0
/*
 * CPU ids and MPIDR affinities (include/mpidr.h): a table filled by every
 * CPU at enable from its own MPIDR_EL1, and the redistributor of an
 * affinity.
 */
#include "include/mpidr.h"

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
