/* SPDX-License-Identifier: MIT */
/*
 * Inmate start-up: the hypervisor starts a cell's first CPU at address 0
 * (EL1, MMU and caches off, interrupts masked, x0 = 0); further CPUs come
 * through PSCI CPU_ON with x0 = the context, used as the CPU's index in the
 * cell. Each CPU gets its own stack; the first clears .bss.
 */
#define STACK_SIZE	16384

	.section .text.start, "ax"
	.global _start
_start:
	mov	x19, x0
	adr	x1, __stacks_end
	mov	x2, #STACK_SIZE
	msub	x1, x2, x19, x1
	mov	sp, x1
	adr	x1, vectors
	msr	vbar_el1, x1
	isb
	cbnz	x19, 2f
	adr	x1, __bss_start
	adr	x2, __bss_end
1:	cmp	x1, x2
	b.hs	2f
	str	xzr, [x1], #8
	b	1b
2:	mov	x0, x19
	bl	inmate_entry
3:	wfi
	b	3b

/* Caller-saved registers around a C handler. */
.macro save
	sub	sp, sp, #176
	stp	x0, x1, [sp, #0]
	stp	x2, x3, [sp, #16]
	stp	x4, x5, [sp, #32]
	stp	x6, x7, [sp, #48]
	stp	x8, x9, [sp, #64]
	stp	x10, x11, [sp, #80]
	stp	x12, x13, [sp, #96]
	stp	x14, x15, [sp, #112]
	stp	x16, x17, [sp, #128]
	stp	x18, x29, [sp, #144]
	str	x30, [sp, #160]
.endm

.macro restore
	ldp	x0, x1, [sp, #0]
	ldp	x2, x3, [sp, #16]
	ldp	x4, x5, [sp, #32]
	ldp	x6, x7, [sp, #48]
	ldp	x8, x9, [sp, #64]
	ldp	x10, x11, [sp, #80]
	ldp	x12, x13, [sp, #96]
	ldp	x14, x15, [sp, #112]
	ldp	x16, x17, [sp, #128]
	ldp	x18, x29, [sp, #144]
	ldr	x30, [sp, #160]
	add	sp, sp, #176
.endm

.macro vec label
	.align	7
	b	\label
.endm

	.align	11
vectors:
	vec	exc_fault		/* current EL, SP0 */
	vec	exc_fault
	vec	exc_fault
	vec	exc_fault
	vec	exc_fault		/* current EL, SPx: sync */
	vec	exc_irq			/* IRQ */
	vec	exc_fault		/* FIQ */
	vec	exc_fault		/* SError */
	.rept	8
	vec	exc_fault		/* lower ELs: not used */
	.endr

exc_irq:
	save
	bl	inmate_irq
	restore
	eret

exc_fault:
	mrs	x0, esr_el1
	mrs	x1, elr_el1
	mrs	x2, far_el1
	bl	inmate_fault
4:	wfi
	b	4b
