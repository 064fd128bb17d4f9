/* SPDX-License-Identifier: GPL-2.0 */
/*
 * arm64 port internals: EL2 register values, the port's per-CPU data
 * around the core's struct per_cpu, the trap frame, and the functions the
 * port's files share. The portable core (hypervisor/core) does cells,
 * hypercalls, statistics and the console; this port does EL2.
 */
#ifndef ARM64_ARM64_H
#define ARM64_ARM64_H

#include <stdbool.h>
#include <stdint.h>

#include <hvabi/cell-config.h>
#include <hvabi/console.h>
#include <hvabi/header.h>
#include <hvabi/hypercall.h>
#include <hv/percpu.h>

#include "asm-defs.h"
#include "mpidr.h"
#include "pt.h"
#include "uart.h"

#define HCR_VM		(1ULL << 0)
#define HCR_FMO		(1ULL << 3)
#define HCR_IMO		(1ULL << 4)
#define HCR_AMO		(1ULL << 5)
#define HCR_TSC		(1ULL << 19)
#define HCR_RW		(1ULL << 31)
/*
 * Every cell, the root included, while the hypervisor runs: stage 2, SMC
 * trapped, physical interrupts to EL2 (injected through the list
 * registers), SGI writes trapped.
 */
#define HCR_GUEST	(HCR_VM | HCR_TSC | HCR_RW | HCR_IMO | HCR_FMO)
#define HCR_STUB	HCR_RW
#define VTCR_RES1	(1ULL << 31)

#define SPSR_EL1H_MASKED	0x3c5ULL	/* D, A, I, F masked, EL1h */
#define SCTLR_EL1_RESET		0x30d00800ULL	/* RES1 only: MMU, caches off */


/* Saved general registers of the interrupted EL1 context. */
struct trap_regs {
	uint64_t x[31];
	uint64_t pad;
};

_Static_assert(sizeof(struct trap_regs) == FRAME_SIZE, "trap frame size");

/* Interrupts waiting for a free list register, per CPU. */
#define GIC_QUEUE_LEN		64
#define GIC_QUEUE_HW		(1u << 31)	/* hardware-linked entry */

struct gic_cpu {
	bool ready;
	unsigned int num_lrs, num_aprs;
	/* This CPU's redistributor (RD_base), identity-mapped at EL2. */
	uint64_t gicr;
	unsigned int gicr_index;
	/* Linux's ICC_CTLR_EL1, restored when the hypervisor leaves. */
	uint64_t saved_ctlr;
	/* The queue is filled by other CPUs too: under lock. */
	uint32_t lock;
	unsigned int q_head, q_len;
	uint32_t queue[GIC_QUEUE_LEN];
	uint32_t dropped;
	/* An ignored write to report under the big lock (gic_print_report). */
	const char *report_what;
	uint64_t report_off;
	uint32_t report_count;
};

/*
 * One CPU's part of the per-CPU area: the core's struct per_cpu first (the
 * core finds it at area start), the port's state, and the EL2 stack, which
 * grows down from the end of the area.
 */
struct arm64_cpu {
	struct per_cpu core;
	uint64_t mpidr;
	/* Frame of the trap being handled; a reset rewrites it. */
	struct trap_regs *regs;
	/* Inside the park loop (parking again must not nest). */
	bool in_park_loop;
	/* Event acknowledged: the target handled park/reset requests. */
	volatile uint32_t events_done;
	struct gic_cpu gic;
	uint8_t stack[PERCPU_STACK_SIZE];
} __attribute__((aligned(4096)));

#define read_sysreg(r) ({                                                    \
	uint64_t __v;                                                        \
	asm volatile("mrs %0, " #r : "=r"(__v));                             \
	__v;                                                                 \
})
#define write_sysreg(v, r) do {                                              \
	uint64_t __w = (uint64_t)(v);                                        \
	asm volatile("msr " #r ", %0" : : "r"(__w));                         \
} while (0)

#define isb()		asm volatile("isb" : : : "memory")
#define dsb(opt)	asm volatile("dsb " #opt : : : "memory")
#define sev()		asm volatile("sev" : : : "memory")
#define wfe()		asm volatile("wfe" : : : "memory")
#define cpu_relax()	asm volatile("yield" : : : "memory")

static inline struct arm64_cpu *this_cpu(void)
{
	return (struct arm64_cpu *)read_sysreg(tpidr_el2);
}

static inline struct arm64_cpu *arm64_cpu_of(struct per_cpu *pc)
{
	return (struct arm64_cpu *)pc;
}

/* Image layout (linker script) */
extern struct hv_image_header hv_header;
extern uint8_t __image_start[], __text_end[], __trampoline_start[],
	__trampoline_end[], __image_end[];
extern struct hv_virt_console hv_console_ring;
extern struct hv_cell_console hv_cell_consoles[];
#define HV_NUM_CELL_CONSOLES	8

/* entry.S */
int arch_entry(unsigned int cpu_id);
void __attribute__((noreturn)) vmreturn(struct trap_regs *regs);
void __attribute__((noreturn)) el2_shutdown(struct trap_regs *regs,
					     uint64_t regs_phys,
					     uint64_t trampoline_phys,
					     uint64_t stub_vectors);

/* setup.c */
extern struct pt_tables hv_s1;		/* EL2 stage 1 */
extern uint64_t hv_phys_base, hv_mem_size;
extern uint64_t vtcr_value;
uint64_t hv_virt_to_phys(const void *v);
void __attribute__((noreturn)) hv_entry_c(unsigned int cpu_id,
					   struct trap_regs *regs);
void __attribute__((noreturn)) arch_cpu_shutdown(struct trap_regs *regs,
						  long result);
/* Maps one page of physical memory at the EL2 window; returns its VA. */
void *el2_map_window(uint64_t phys);
void el2_unmap_window(void);

/* traps.c */
void arch_handle_trap(struct trap_regs *regs);
void arch_handle_irq(struct trap_regs *regs);
/* FIQ, SError or AArch32 from a guest (kind: LOWER_*). */
void arch_handle_lower_fault(struct trap_regs *regs, unsigned long kind);
void __attribute__((noreturn)) arch_handle_hyp_fault(struct trap_regs *regs);
void hv_lock(void);
void hv_unlock(void);

/* arch.c */
void arm64_cpu_enter_cell(struct arm64_cpu *ac);
void arm64_map_shared_root_pages(void);


#endif /* !ARM64_ARM64_H */
