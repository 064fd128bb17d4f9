/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Per-CPU data. Each CPU's struct per_cpu lives in the per-CPU area of
 * hypervisor memory (after the image, percpu_size bytes per CPU).
 */
#ifndef HV_PERCPU_H
#define HV_PERCPU_H

#include <stdbool.h>
#include <stdint.h>

#include <hvabi/hypercall.h>

struct cell;

struct per_cpu {
	unsigned int cpu_id;
	/* The CPU took part in the enable (it is "online"). */
	bool online;
	struct cell *cell;
	/* Counters in HV_ARM64_STATS order; read back masked to 31 bits. */
	uint32_t stats[HV_NUM_CPU_STATS];
	/* CPU_GET_INFO state FAILED: parked after a fatal trap. */
	bool failed;
	/* Why (HV_CPU_FAULT_*) and where (HV_CPU_FAULT_HAS_ADDR), until reset. */
	uint32_t fail_fault;
	uint64_t fail_addr;
	/* Stopped by the hypervisor (parked) until the next reset. */
	bool parked;
	/* After a reset: waits for PSCI CPU_ON (all but a cell's first CPU). */
	bool wait_for_poweron;
	/* Management requests, handled by hv_cpu_handle_events on the CPU. */
	volatile bool park_requested;
	volatile bool reset_requested;
	/* Entry point handed over by PSCI CPU_ON (0 = cpu_reset_address). */
	uint64_t cpu_on_entry;
	uint64_t cpu_on_context;
	/* Called DISABLE during the current shutdown attempt. */
	bool shutdown_called;
	/* Port-private data. */
	void *arch;
};

extern unsigned int hv_max_cpus;

/* NULL for an id not below hv_max_cpus. */
struct per_cpu *per_cpu(unsigned int cpu_id);

#define for_each_cpu_id(cpu)						     \
	for ((cpu) = 0; (cpu) < hv_max_cpus; (cpu)++)

/* A VM exit of the given reason: bumps vmexits_total and that counter. */
static inline void cpu_stat_exit(struct per_cpu *cpu, unsigned int reason)
{
	cpu->stats[HV_STAT_TOTAL]++;
	if (reason != HV_STAT_TOTAL)
		cpu->stats[reason]++;
}

/* Counter value as CPU_GET_INFO reports it (31 bits). */
static inline uint32_t cpu_stat_read(const struct per_cpu *cpu,
				     unsigned int idx)
{
	return cpu->stats[idx] & HV_CPU_STAT_MASK;
}

#endif /* !HV_PERCPU_H */
