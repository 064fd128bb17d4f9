/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The hypercall instruction, shared by hvdrv and hvdbgcon. Codes and the
 * HVC immediate come from include/hvabi/hypercall.h.
 */
#ifndef HVDRV_HVCALL_H
#define HVDRV_HVCALL_H

#include <linux/stringify.h>

#include <hvabi/hypercall.h>

/*
 * What Linux's hyp stub answers to a call it does not know. While the
 * hypervisor is not enabled, a hypercall reaches that stub (it ignores
 * the immediate), so this value means "no hypervisor".
 */
#define HV_STUB_ERR		0xbadca11UL

/* Code in x0, arguments in x1 and x2, result in x0; x3 may be clobbered. */
static inline long hv_hvc(unsigned long code, unsigned long arg1,
			  unsigned long arg2)
{
	register unsigned long x0 asm("x0") = code;
	register unsigned long x1 asm("x1") = arg1;
	register unsigned long x2 asm("x2") = arg2;

	asm volatile("hvc #" __stringify(HV_HVC_IMMEDIATE)
		     : "+r"(x0), "+r"(x1), "+r"(x2)
		     :
		     : "x3", "memory");
	return (long)x0;
}

#endif
