/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Constants shared by the assembly entry code and C: layout of the image
 * header, the system config, the per-CPU area and the trap frame.
 */
#ifndef ARM64_ASM_DEFS_H
#define ARM64_ASM_DEFS_H

#define PERCPU_STACK_SIZE	16384
#define FRAME_SIZE		256	/* struct trap_regs */

/* struct hv_image_header */
#define HDR_CORE_SIZE		8
#define HDR_PERCPU_SIZE		16
#define HDR_MAX_CPUS		48

/* struct hv_system: hypervisor_memory.phys_start / .size */
#define SYS_HV_PHYS_START	12
#define SYS_HV_SIZE		28

/* Kinds of lower-EL exceptions that fail a cell (arch_handle_lower_fault) */
#define LOWER_FIQ		0
#define LOWER_SERROR		1
#define LOWER_AARCH32		2

/* EL2 register values while the hypervisor runs */
#define MAIR_EL2_VALUE		0x4404ff	/* 0: WB, 1: nGnRE, 2: NC */
#define SCTLR_EL2_RES1		0x30c50830
#define SCTLR_EL2_MMU_ON	0x30c51835	/* RES1 | M | C | I */

#endif /* !ARM64_ASM_DEFS_H */
