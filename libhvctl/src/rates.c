// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Counter arithmetic for rates. The hypervisor masks every per-CPU
 * counter to 31 bits and restarts it at 0 when the CPU changes cell; the
 * sysfs totals are plain sums of those per-CPU values.
 */
#include <hvabi/hypercall.h>

#include "runtime_int.h"

uint32_t rate_delta31(uint32_t old_value, uint32_t new_value)
{
	return (new_value - old_value) & HV_CPU_STAT_MASK;
}

uint64_t rate_delta_total(uint64_t old_value, uint64_t new_value)
{
	/*
	 * Each CPU's contribution wraps at 2^31 on its own, so the sum can
	 * drop by multiples of 2^31; modulo 2^31 the difference is still the
	 * true increase while that stays below 2^31 per interval (over two
	 * billion exits: far beyond any refresh period).
	 */
	return (new_value - old_value) & HV_CPU_STAT_MASK;
}

uint64_t rate_cell_from_cpus(const struct rate_cpu_sample *s, size_t n)
{
	uint64_t sum = 0;
	size_t i;

	for (i = 0; i < n; i++) {
		if (s[i].moved)
			sum += s[i].now & HV_CPU_STAT_MASK;
		else
			sum += rate_delta31(s[i].prev, s[i].now);
	}
	return sum;
}

double rate_per_second(uint64_t delta, uint64_t interval_ns)
{
	if (!interval_ns)
		return 0.0;
	return (double)delta * 1e9 / (double)interval_ns;
}
