/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT */
/*
 * Fixed-width types for the shared ABI headers.
 *
 * The same headers are compiled into the Linux driver, the freestanding
 * hypervisor and user space, so they use only what all three have: the
 * kernel's <linux/types.h> (which also defines uintN_t) or <stdint.h>,
 * which gcc provides even under -ffreestanding.
 */
#ifndef HVABI_TYPES_H
#define HVABI_TYPES_H

#ifdef __KERNEL__
#include <linux/types.h>
#else
#include <stdint.h>
#endif

#define HV_PACKED __attribute__((packed))

/* Compile-time layout checks; the numbers come from spec/jailhouse-abi.md. */
#define HV_ABI_SIZE(type, size)                                              \
	_Static_assert(sizeof(type) == (size), #type " must be " #size " bytes")
#define HV_ABI_OFFSET(type, field, off)                                      \
	_Static_assert(__builtin_offsetof(type, field) == (off),             \
		       #type "." #field " must be at offset " #off)

#endif /* !HVABI_TYPES_H */
