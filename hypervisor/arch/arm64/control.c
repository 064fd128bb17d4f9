// SPDX-License-Identifier: GPL-2.0
/*
 * Hypercalls of the root cell on the arm64 port: disable, information and
 * statistics, and the debug console. Cell management is the portable
 * core's (hypervisor/core); until the port is linked with it, the
 * management calls answer -ENOSYS so the driver reports them as
 * unsupported.
 */
#include "include/arm64.h"
#include "include/errno.h"

static long cpu_get_info(unsigned long cpu, unsigned long type)
{
	struct per_cpu *pc;

	if (cpu >= hv_num_cpus || !cpu_in_root(cpu))
		return -EINVAL;
	pc = per_cpu_of(cpu);
	if (type == HV_CPU_INFO_STATE)
		return pc->failed ? HV_CPU_FAILED : HV_CPU_RUNNING;
	if (type >= HV_CPU_INFO_STAT_BASE &&
	    type < HV_CPU_INFO_STAT_BASE + HV_NUM_CPU_STATS)
		return pc->stats[type - HV_CPU_INFO_STAT_BASE] &
		       HV_CPU_STAT_MASK;
	return -EINVAL;
}

long hypercall(struct trap_regs *regs, unsigned long code,
	       unsigned long arg1, unsigned long arg2)
{
	switch (code) {
	case HV_HC_DISABLE:
		return arch_disable(regs);
	case HV_HC_HYPERVISOR_GET_INFO:
		switch (arg1) {
		case HV_INFO_MEM_POOL_SIZE:
			return hv_pool.pages;
		case HV_INFO_MEM_POOL_USED:
			return hv_pool.used;
		case HV_INFO_REMAP_POOL_SIZE:
		case HV_INFO_REMAP_POOL_USED:
			return 0;
		case HV_INFO_NUM_CELLS:
			return 1;
		default:
			return -EINVAL;
		}
	case HV_HC_CELL_GET_STATE:
		return arg1 == 0 ? HV_CELL_RUNNING : -ENOENT;
	case HV_HC_CPU_GET_INFO:
		return cpu_get_info(arg1, arg2);
	case HV_HC_DEBUG_CONSOLE_PUTC:
		if (!(hv_config->root_cell.flags &
		      HV_CELL_VIRTUAL_CONSOLE_PERMITTED))
			return -EPERM;
		cell_console_putc(0, (char)arg1);
		return 0;
	default:
		return -ENOSYS;
	}
}
