/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT */
/*
 * The ivshmem v2 device as a guest sees it (spec/jailhouse-abi.md 6.1,
 * 6.2): its emulated PCI config space and its BAR0 registers. Shared by
 * the hypervisor that emulates it, the root's drivers and the inmates.
 * Vendor and device ID are in cell-config.h (HV_IVSHMEM_VENDOR_ID/_DEVICE_ID).
 */
#ifndef HVABI_IVSHMEM_H
#define HVABI_IVSHMEM_H

#include "types.h"

/* Config space: 0x80 bytes emulated; reads beyond return all ones. */
#define HV_IVSHMEM_CFG_SIZE		0x80
#define HV_IVSHMEM_CFG_VNDR_CAP		0x40	/* vendor-specific capability */
#define HV_IVSHMEM_CFG_VNDR_LEN		0x20
#define HV_IVSHMEM_CFG_PRIV_CNTL	0x43	/* bit 0: one-shot interrupts */
#define HV_IVSHMEM_CFG_STATE_TAB_SZ	0x44	/* u32 */
#define HV_IVSHMEM_CFG_RW_SECTION_SZ	0x48	/* u64 */
#define HV_IVSHMEM_CFG_OUTPUT_SECTION_SZ 0x50	/* u64 */
#define HV_IVSHMEM_CFG_ADDRESS		0x58	/* u64, guest-physical */
#define HV_IVSHMEM_PRIV_CNTL_ONESHOT_INT 0x01
/* The class code: base 0xff, protocol as subclass and interface. */
#define HV_IVSHMEM_CLASS_BASE		0xff

/* BAR0 registers: aligned 32-bit accesses only. */
#define HV_IVSHMEM_REG_ID		0x00	/* RO: own peer id */
#define HV_IVSHMEM_REG_MAX_PEERS	0x04	/* RO */
#define HV_IVSHMEM_REG_INT_CTRL		0x08	/* RW: bit 0 enables */
#define HV_IVSHMEM_REG_DOORBELL		0x0c	/* WO: peer << 16 | vector */
#define HV_IVSHMEM_REG_STATE		0x10	/* RW: own state */
#define HV_IVSHMEM_REG_END		0x14
#define HV_IVSHMEM_INT_ENABLE		0x01
#define HV_IVSHMEM_DOORBELL(peer, vector) \
	(((uint32_t)(peer) << 16) | ((uint32_t)(vector) & 0xffff))

/* BAR0 size when the config's bar_mask[0] is 0: one 4 KiB page. */
#define HV_IVSHMEM_BAR0_DEFAULT_MASK	0xfffff000u

#endif /* !HVABI_IVSHMEM_H */
