/* SPDX-License-Identifier: GPL-2.0 */
/*
 * GICv3 partitioning: every physical interrupt is taken at EL2 and
 * injected into the owning cell through the list registers; the
 * distributor and redistributors are emulated, filtered by ownership;
 * SGIs are forwarded only inside the sender's cell.
 */
#ifndef ARM64_GIC_H
#define ARM64_GIC_H

#include <stdbool.h>
#include <stdint.h>

struct arm64_cpu;
struct cell;
struct per_cpu;
struct trap_regs;
struct hv_system;

/* Checks the platform's GIC fields (maintenance interrupt). */
int gic_check_platform(const struct hv_system *sys);
/* On each CPU at enable, before it runs guest code with IMO set. */
int gic_cpu_init(struct arm64_cpu *ac);
/* On each CPU leaving the hypervisor: pending virtual IRQs go back. */
void gic_cpu_shutdown(struct arm64_cpu *ac);
/* On a CPU being reset: no virtual or physical state of before. */
void gic_cpu_reset(struct arm64_cpu *ac);

/* The root cell's interrupts at enable (no hardware change). */
void gic_root_init(void);
/* Moves SPIs whose owner changed (after create/destroy). */
void gic_sync_ownership(void);
/* A cell stopped for good (failed): its SPIs are masked. */
void gic_cell_quiesce(struct cell *cell);

/* IRQ exception from a lower EL. */
void gic_handle_irq(void);
/* Trapped ICC_SGI*R_EL1 write; false when the register is not one. */
bool gic_handle_sysreg(struct trap_regs *regs, uint64_t esr);
/*
 * An access to the emulated distributor or redistributors; false when
 * addr lies outside both. Called without the big lock.
 */
bool gic_mmio_access(struct per_cpu *cpu, uint64_t addr, unsigned int size,
		     bool is_write, uint64_t *value);

/* Prints the CPU's pending report of ignored writes; under the big lock. */
void gic_print_report(struct per_cpu *cpu);

/* Injects virq (not hardware-linked) into the CPU, local or remote. */
void gic_send_virq(struct per_cpu *target, unsigned int virq);
/* Sends the hypervisor's SGI to a CPU. */
void gic_send_hyp_sgi(struct arm64_cpu *target, unsigned int sgi);

#endif /* !ARM64_GIC_H */
