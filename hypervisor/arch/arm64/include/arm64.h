/* SPDX-License-Identifier: GPL-2.0 */
/*
 * arm64 port internals: EL2 register values, per-CPU data, the trap frame
 * and the functions the port's files share.
 */
#ifndef ARM64_ARM64_H
#define ARM64_ARM64_H

#include <stdbool.h>
#include <stdint.h>

#include <hvabi/cell-config.h>
#include <hvabi/console.h>
#include <hvabi/header.h>
#include <hvabi/hypercall.h>

#include "asm-defs.h"
#include "paging.h"

#define HCR_VM		(1ULL << 0)
#define HCR_TSC		(1ULL << 19)
#define HCR_RW		(1ULL << 31)
/* Root cell while the hypervisor runs: stage 2, SMC trapped, GIC direct. */
#define HCR_ROOT	(HCR_VM | HCR_TSC | HCR_RW)
#define HCR_STUB	HCR_RW
#define VTCR_RES1	(1ULL << 31)

#define SPSR_EL1H_MASKED	0x3c5ULL	/* D, A, I, F masked, EL1h */
#define SCTLR_EL1_RESET		0x30d00800ULL	/* RES1 only: MMU, caches off */

#define MPIDR_AFF_MASK		0xff00ffffffULL

#define CPU_RUNNING		0
#define CPU_PARKED		1
#define CPU_WAKING		2

/* Saved general registers of the interrupted EL1 context. */
struct trap_regs {
	uint64_t x[31];
	uint64_t pad;
};

_Static_assert(sizeof(struct trap_regs) == FRAME_SIZE, "trap frame size");

struct per_cpu {
	uint8_t stack[PERCPU_STACK_SIZE];
	unsigned int cpu_id;
	uint64_t mpidr;
	/* PSCI: a CPU_OFF'd CPU waits in EL2 (PARKED) until a CPU_ON moves
	 * it to WAKING with an entry point and context. */
	uint32_t psci_state;
	uint64_t wake_entry;
	uint64_t wake_context;
	volatile bool failed;
	uint32_t stats[HV_NUM_CPU_STATS];
} __attribute__((aligned(4096)));

_Static_assert(__builtin_offsetof(struct per_cpu, stack) == 0,
	       "the stack starts the per-CPU area");

#define read_sysreg(r) ({                                                    \
	uint64_t __v;                                                        \
	asm volatile("mrs %0, " #r : "=r"(__v));                             \
	__v;                                                                 \
})
#define write_sysreg(v, r) do {                                              \
	uint64_t __v = (uint64_t)(v);                                        \
	asm volatile("msr " #r ", %0" : : "r"(__v));                         \
} while (0)

#define isb()		asm volatile("isb" : : : "memory")
#define dsb(opt)	asm volatile("dsb " #opt : : : "memory")
#define sev()		asm volatile("sev" : : : "memory")
#define wfe()		asm volatile("wfe" : : : "memory")
#define cpu_relax()	asm volatile("yield" : : : "memory")

static inline struct per_cpu *this_cpu(void)
{
	return (struct per_cpu *)read_sysreg(tpidr_el2);
}

/* Image layout (linker script) */
extern struct hv_image_header hv_header;
extern uint8_t __image_start[], __text_end[], __trampoline_start[],
	__trampoline_end[], __console_start[], __cell_consoles_start[],
	__image_end[];
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
extern const struct hv_system *hv_config;
extern struct page_pool hv_pool;
extern struct paging hv_s1;		/* EL2 stage 1 */
extern struct paging root_s2;		/* root cell stage 2 */
extern uint64_t hv_phys_base, hv_mem_size;
extern unsigned int hv_num_cpus;	/* max_cpus from the header */
uint64_t hv_virt_to_phys(const void *v);
struct per_cpu *per_cpu_of(unsigned int cpu);
bool cpu_in_root(unsigned int cpu);
void __attribute__((noreturn)) hv_entry_c(unsigned int cpu_id,
					   struct trap_regs *regs);
void __attribute__((noreturn)) arch_cpu_shutdown(struct trap_regs *regs,
						  long result);
/* Called by the DISABLE hypercall on each root CPU. */
long arch_disable(struct trap_regs *regs);

/* traps.c */
void arch_handle_trap(struct trap_regs *regs);
void __attribute__((noreturn)) arch_handle_hyp_fault(struct trap_regs *regs);
void arch_park_cpu(struct trap_regs *regs);
long arch_handle_smc(struct trap_regs *regs);

/* printk.c */
void uart_init(uint64_t base, uint16_t type, uint16_t flags);
void hv_putc(char c);
void hv_printk(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void cell_console_putc(unsigned int cell_id, char c);
void cell_consoles_init(void);

/* control.c */
long hypercall(struct trap_regs *regs, unsigned long code,
	       unsigned long arg1, unsigned long arg2);

#endif /* !ARM64_ARM64_H */
