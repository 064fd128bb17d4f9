/* SPDX-License-Identifier: MIT */
/*
 * A bare-metal inmate for the QEMU test: started by the hypervisor at EL1
 * with the MMU off at address 0 of its cell, it prints a line through the
 * DEBUG_CONSOLE_PUTC hypercall (hvc #0x4a48, x0 = 8, x1 = character) and
 * then keeps issuing CPU_GET_INFO hypercalls for its own exit count, so
 * that destroying the cell meets a CPU busy in the hypervisor.
 */
	.text
	.global _start
_start:
	adr	x19, message
1:	ldrb	w1, [x19], #1
	cbz	w1, 2f
	mov	x0, #8
	hvc	#0x4a48
	b	1b
2:	mov	x0, #7			/* CPU_GET_INFO */
	mov	x1, #1			/* CPU 1 */
	mov	x2, #1000		/* vmexits_total */
	hvc	#0x4a48
	b	2b

message:
	.asciz	"Hello from the inmate on CPU 1\n"
