/* SPDX-License-Identifier: MIT */
/*
 * The inmate library: bare-metal programs for arm64 cells. Output goes
 * through the hypervisor's debug-console hypercall (it appears in
 * cells/<id>/console and `hvctl console --cell`), interrupts through the
 * GICv3 CPU interface's system registers (virtualised by the hypervisor),
 * time from the generic timer's virtual counter, and the cell talks to the
 * hypervisor through the communication region upstream Jailhouse defines.
 *
 * Inmates run with the MMU off: every data access is Device memory, so the
 * library is built with strict alignment and uses no atomics.
 */
#ifndef INMATE_H
#define INMATE_H

#include <stdbool.h>
#include <stdint.h>

#include <hvabi/hypercall.h>

/* Where the cell configs map the comm region. */
#define COMM_REGION_BASE	0x80000000UL
/*
 * The last page of the demos' 128 KiB of RAM: figures a demo leaves for
 * the root cell, which reads them once the cell is stopped (its loadable
 * RAM is then mapped back into the root).
 */
#define REPORT_BASE		0x1f000UL
#define comm_region \
	((volatile struct hv_comm_region_arm64 *)COMM_REGION_BASE)

#define read_sysreg(r) ({                                                    \
	uint64_t __v;                                                        \
	asm volatile("mrs %0, " #r : "=r"(__v));                             \
	__v;                                                                 \
})
#define write_sysreg(v, r) do {                                              \
	uint64_t __w = (uint64_t)(v);                                        \
	asm volatile("msr " #r ", %0" : : "r"(__w));                         \
} while (0)

static inline void mmio_write32(uint64_t addr, uint32_t v)
{
	*(volatile uint32_t *)addr = v;
}

static inline uint32_t mmio_read32(uint64_t addr)
{
	return *(volatile uint32_t *)addr;
}

static inline uint64_t mmio_read64(uint64_t addr)
{
	return *(volatile uint64_t *)addr;
}

static inline void irqs_enable(void)
{
	asm volatile("msr daifclr, #2" : : : "memory");
}

static inline void irqs_disable(void)
{
	asm volatile("msr daifset, #2" : : : "memory");
}

static inline void wfi(void)
{
	asm volatile("wfi" : : : "memory");
}

/* Entry of every demo, on each of its CPUs (index 0 first). */
void inmate_main(unsigned int cpu_index);
/* Called by the library for each interrupt acknowledged. */
extern void (*inmate_irq_handler)(unsigned int irq);

/* console.c */
void console_putc(char c);
void console_puts(const char *s);
/* %u %d %x %s, with l or ll for 64 bits */
void printk(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* gic.c */
void gic_cpu_init(void);
void gic_enable_irq(unsigned int irq);
/* SGI to the CPU of the cell with this MPIDR, or to all others. */
void gic_send_sgi(unsigned int sgi, uint64_t mpidr);
void gic_send_sgi_others(unsigned int sgi);
uint64_t cpu_mpidr(void);

/* timer.c: the EL1 virtual timer (PPI 27) */
#define TIMER_VIRT_IRQ		27
uint64_t timer_freq(void);
static inline uint64_t timer_count(void)
{
	asm volatile("isb" : : : "memory");
	return read_sysreg(cntvct_el0);
}
void timer_arm(uint64_t cval);
void timer_stop(void);
uint64_t ticks_to_ns(uint64_t ticks);
void delay_us(uint64_t us);

/* comm.c */
/* Announces the cell running; false when the comm region is missing. */
bool comm_init(void);
/* Answers pending messages; true once a shutdown was approved. */
bool comm_poll(void);
/* For a demo that answers itself: the pending message (HV_MSG_*), the
 * answer to it (HV_MSG_REQUEST_DENIED, ...), or taking it unanswered. */
uint32_t comm_message(void);
void comm_reply(uint32_t answer);
void comm_ignore(void);
/* Ends the cell: state "shut down", the CPU halts. */
void __attribute__((noreturn)) inmate_stop(void);

/* main.c: PSCI through SMC (the hypervisor answers a cell's calls) */
#define PSCI_FN_VERSION			0x84000000u
#define PSCI_FN64_CPU_SUSPEND		0xc4000001u
#define PSCI_FN64_CPU_ON		0xc4000003u
#define PSCI_FN64_AFFINITY_INFO		0xc4000004u
#define PSCI_FN_MIGRATE_INFO_TYPE	0x84000006u
#define PSCI_FN_SYSTEM_OFF		0x84000008u
#define PSCI_FN_SYSTEM_RESET		0x84000009u
#define PSCI_FN_FEATURES		0x8400000au
int64_t psci_call(uint32_t fn, uint64_t a1, uint64_t a2, uint64_t a3);
int64_t psci_cpu_on(uint64_t mpidr, uint64_t entry, uint64_t context);

#endif /* !INMATE_H */
