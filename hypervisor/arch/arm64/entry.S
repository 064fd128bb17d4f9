/* SPDX-License-Identifier: GPL-2.0 */
/*
 * arm64 entry and exit of the hypervisor.
 *
 * arch_entry runs at EL1 in the driver's mapping of hypervisor memory, so
 * it only uses PC-relative addressing. It installs the bootstrap vectors
 * through Linux's hyp stub (HVC_SET_VECTORS) and traps into them with a
 * second HVC. At EL2, still with the MMU off, every CPU writes the same
 * bootstrap page tables (identity map of the trampoline, link-address map
 * of hypervisor memory), turns the MMU on and continues at the link
 * address in C. Linux's x19-x30 and SP_EL1 are untouched until the frame
 * is saved, so returning from EL2 resumes arch_entry's caller.
 */
#include "include/asm-defs.h"

#define ESR_EC_SHIFT	26
#define EC_HVC64	0x16
/* Bootstrap block descriptor: normal WB, inner shareable, AF, AP[1]. */
#define BOOT_BLOCK	0x741
#define TABLE_DESC	0x3
#define SZ_2M		0x200000

.macro mov_q reg, val
	movz	\reg, #:abs_g3:\val
	movk	\reg, #:abs_g2_nc:\val
	movk	\reg, #:abs_g1_nc:\val
	movk	\reg, #:abs_g0_nc:\val
.endm

/* Save x0-x30 at sp (struct trap_regs). */
.macro save_frame
	stp	x0, x1, [sp, #0]
	stp	x2, x3, [sp, #16]
	stp	x4, x5, [sp, #32]
	stp	x6, x7, [sp, #48]
	stp	x8, x9, [sp, #64]
	stp	x10, x11, [sp, #80]
	stp	x12, x13, [sp, #96]
	stp	x14, x15, [sp, #112]
	stp	x16, x17, [sp, #128]
	stp	x18, x19, [sp, #144]
	stp	x20, x21, [sp, #160]
	stp	x22, x23, [sp, #176]
	stp	x24, x25, [sp, #192]
	stp	x26, x27, [sp, #208]
	stp	x28, x29, [sp, #224]
	str	x30, [sp, #240]
.endm

/* Load x3-x30 from the frame at \base. */
.macro load_x3_x30 base
	ldr	x3, [\base, #24]
	ldp	x4, x5, [\base, #32]
	ldp	x6, x7, [\base, #48]
	ldp	x8, x9, [\base, #64]
	ldp	x10, x11, [\base, #80]
	ldp	x12, x13, [\base, #96]
	ldp	x14, x15, [\base, #112]
	ldp	x16, x17, [\base, #128]
	ldp	x18, x19, [\base, #144]
	ldp	x20, x21, [\base, #160]
	ldp	x22, x23, [\base, #176]
	ldp	x24, x25, [\base, #192]
	ldp	x26, x27, [\base, #208]
	ldp	x28, x29, [\base, #224]
	ldr	x30, [\base, #240]
.endm

	.section .text.entry, "ax"

/* int arch_entry(unsigned int cpu_id), called at EL1 with IRQs off. */
	.global arch_entry
	.type	arch_entry, %function
arch_entry:
	stp	x0, x30, [sp, #-16]!
	adr	x9, __image_start
	/* system config = image + core_size + max_cpus * percpu_size */
	ldr	x10, [x9, #HDR_CORE_SIZE]
	ldr	x11, [x9, #HDR_PERCPU_SIZE]
	ldr	w12, [x9, #HDR_MAX_CPUS]
	madd	x10, x11, x12, x10
	add	x10, x10, x9
	ldr	w11, [x10, #SYS_HV_PHYS_START]
	ldr	w12, [x10, #SYS_HV_PHYS_START + 4]
	orr	x11, x11, x12, lsl #32
	/* x1 = physical address of the bootstrap vectors */
	adr	x1, bootstrap_vectors
	sub	x1, x1, x9
	add	x1, x1, x11
	mov	x0, #0			/* HVC_SET_VECTORS */
	hvc	#0
	ldp	x0, x30, [sp], #16
	hvc	#0			/* now lands in bootstrap_vectors */
	ret
	.size	arch_entry, . - arch_entry

/*
 * The trampoline page: identity-mapped while the hypervisor runs, because
 * the MMU is switched on and off here.
 */
	.section .trampoline, "ax"
	.align	11
bootstrap_vectors:
	.rept	8
	.align	7
	b	.
	.endr
	.align	7			/* 0x400: synchronous, lower EL, AArch64 */
	b	el2_bootstrap
	.rept	7
	.align	7
	b	.
	.endr

/* EL2, MMU off, running at the physical address. x0 = CPU id. */
el2_bootstrap:
	mov	x17, x0
	mrs	x1, esr_el2
	lsr	x1, x1, #ESR_EC_SHIFT
	cmp	x1, #EC_HVC64
	b.ne	.
	adr	x1, __image_start	/* physical base */
	mov	x0, #-22		/* -EINVAL: base not 2 MiB aligned */
	tst	x1, #(SZ_2M - 1)
	b.ne	bootstrap_fail	/* (a logical immediate: no range issue) */
	lsr	x2, x1, #39
	cbnz	x2, bootstrap_fail	/* identity map needs PA < 512 GiB */

	/* hypervisor memory size from the config, in 2 MiB blocks */
	ldr	x2, [x1, #HDR_CORE_SIZE]
	ldr	x3, [x1, #HDR_PERCPU_SIZE]
	ldr	w4, [x1, #HDR_MAX_CPUS]
	madd	x2, x3, x4, x2
	add	x2, x2, x1
	ldr	w3, [x2, #SYS_HV_SIZE]
	ldr	w4, [x2, #SYS_HV_SIZE + 4]
	orr	x3, x3, x4, lsl #32
	mov	x4, #(SZ_2M - 1)
	add	x3, x3, x4
	lsr	x3, x3, #21
	cmp	x3, #511
	b.hi	bootstrap_fail

	adr	x4, boot_l0
	adr	x5, boot_l1_id
	adr	x6, boot_l2_id
	adr	x7, boot_l1_hi
	adr	x8, boot_l2_hi
	/* identity: L0[0] -> L1_id[pa >> 30] -> L2_id[pa >> 21] = block */
	orr	x9, x5, #TABLE_DESC
	str	x9, [x4]
	ubfx	x10, x1, #30, #9
	orr	x9, x6, #TABLE_DESC
	str	x9, [x5, x10, lsl #3]
	ubfx	x10, x1, #21, #9
	mov	x9, #BOOT_BLOCK
	orr	x9, x9, x1
	str	x9, [x6, x10, lsl #3]
	/* link address 0xffffc0200000: L0[511] -> L1[511] -> L2[1 + i] */
	orr	x9, x7, #TABLE_DESC
	str	x9, [x4, #(511 * 8)]
	orr	x9, x8, #TABLE_DESC
	str	x9, [x7, #(511 * 8)]
	mov	x9, #BOOT_BLOCK
	orr	x9, x9, x1
	add	x10, x8, #8
1:	str	x9, [x10], #8
	add	x9, x9, #SZ_2M
	subs	x3, x3, #1
	b.ne	1b

	/* Drop any stale cached copy of the tables before walks use them. */
	mov	x9, x4
	add	x10, x4, #(5 * 4096)
2:	dc	ivac, x9
	add	x9, x9, #64
	cmp	x9, x10
	b.lo	2b
	dsb	sy

	mov_q	x9, MAIR_EL2_VALUE
	msr	mair_el2, x9
	/* TCR_EL2: T0SZ 16, WB-WA walks, inner shareable, 4K, PS = PARange */
	mrs	x9, id_aa64mmfr0_el1
	and	x9, x9, #0xf
	cmp	x9, #5
	mov	x10, #5
	csel	x9, x9, x10, ls
	lsl	x9, x9, #16
	mov_q	x10, 0x80803510
	orr	x9, x9, x10
	msr	tcr_el2, x9
	msr	ttbr0_el2, x4
	isb
	tlbi	alle2
	dsb	nsh
	mov_q	x9, SCTLR_EL2_MMU_ON
	msr	sctlr_el2, x9
	isb
	ldr	x9, =el2_virt_entry
	br	x9

bootstrap_fail:
	/* Still in the stub's world: back to EL1 with the error in x0. */
	ldr	x1, [x1, #64]		/* header.arm_linux_hyp_vectors */
	msr	vbar_el2, x1
	eret

/*
 * Leave EL2 for good on this CPU: x0 = physical address of the trap frame
 * (already cleaned to the PoC), VBAR_EL2 already the stub's.
 */
shutdown_trampoline:
	mrs	x1, sctlr_el2
	mov_q	x2, SCTLR_EL2_RES1
	and	x1, x1, x2
	msr	sctlr_el2, x1
	isb
	msr	ttbr0_el2, xzr
	msr	tcr_el2, xzr
	msr	mair_el2, xzr
	tlbi	alle2
	dsb	nsh
	isb
	ldr	x2, [x0, #16]
	ldr	x1, [x0, #8]
	ldr	x0, [x0]
	eret

	.ltorg

	.global shutdown_trampoline
	.global bootstrap_vectors

	.text
/* At the link address now; x17 = CPU id. */
el2_virt_entry:
	adr	x1, __image_start
	ldr	x2, [x1, #HDR_CORE_SIZE]
	ldr	x3, [x1, #HDR_PERCPU_SIZE]
	madd	x2, x3, x17, x2
	add	x2, x2, x1		/* this CPU's struct per_cpu */
	msr	tpidr_el2, x2
	add	x3, x2, x3		/* stack top: end of the area */
	mov	sp, x3
	adr	x3, hv_vectors
	msr	vbar_el2, x3
	isb
	sub	sp, sp, #FRAME_SIZE
	save_frame
	mov	x0, x17
	mov	x1, sp
	bl	hv_entry_c
	b	.

/* void vmreturn(struct trap_regs *regs): resume EL1 with regs. */
	.global vmreturn
	.type	vmreturn, %function
vmreturn:
	mov	sp, x0
	load_x3_x30 sp
	ldp	x0, x1, [sp, #0]
	ldr	x2, [sp, #16]
	add	sp, sp, #FRAME_SIZE
	eret
	.size	vmreturn, . - vmreturn

/*
 * void el2_shutdown(regs, regs_phys, trampoline_phys, stub_vectors)
 */
	.global el2_shutdown
	.type	el2_shutdown, %function
el2_shutdown:
	msr	vbar_el2, x3
	mov	x9, x0
	add	x10, x0, #(FRAME_SIZE + 64)
1:	dc	civac, x9
	add	x9, x9, #64
	cmp	x9, x10
	b.lo	1b
	dsb	sy
	load_x3_x30 x0
	mov	x0, x1
	br	x2
	.size	el2_shutdown, . - el2_shutdown

.macro vector label
	.align	7
	b	\label
.endm

	.align	11
hv_vectors:
	vector	hyp_fault		/* current EL, SP0 */
	vector	hyp_fault
	vector	hyp_fault
	vector	hyp_fault
	vector	hyp_fault		/* current EL, SPx */
	vector	hyp_fault
	vector	hyp_fault
	vector	hyp_fault
	vector	lower_sync		/* lower EL, AArch64 */
	vector	lower_irq
	vector	lower_fiq
	vector	lower_serror
	vector	lower_aarch32		/* lower EL, AArch32 */
	vector	lower_aarch32
	vector	lower_aarch32
	vector	lower_aarch32

lower_sync:
	sub	sp, sp, #FRAME_SIZE
	save_frame
	mov	x0, sp
	bl	arch_handle_trap
	mov	x0, sp
	b	vmreturn

lower_irq:
	sub	sp, sp, #FRAME_SIZE
	save_frame
	mov	x0, sp
	bl	arch_handle_irq
	mov	x0, sp
	b	vmreturn

/* Guest faults the hypervisor does not serve: the CPU's cell fails. */
.macro lower_fault kind
	sub	sp, sp, #FRAME_SIZE
	save_frame
	mov	x0, sp
	mov	x1, #\kind
	bl	arch_handle_lower_fault
	mov	x0, sp
	b	vmreturn
.endm

lower_fiq:
	lower_fault LOWER_FIQ
lower_serror:
	lower_fault LOWER_SERROR
lower_aarch32:
	lower_fault LOWER_AARCH32

hyp_fault:
	sub	sp, sp, #FRAME_SIZE
	save_frame
	mov	x0, sp
	bl	arch_handle_hyp_fault
	b	.

/* Bootstrap page tables, written by every CPU with the same values. */
	.section .bss.boot_pt, "aw", %nobits
	.align	12
boot_l0:	.space	4096
boot_l1_id:	.space	4096
boot_l2_id:	.space	4096
boot_l1_hi:	.space	4096
boot_l2_hi:	.space	4096
