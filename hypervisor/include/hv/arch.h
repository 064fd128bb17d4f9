/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The contract between the portable core and a port (arch/sim, arch/arm64).
 * The core calls these hooks; every port implements all of them. The core
 * includes no port header: port state hangs off the "arch" pointers of
 * struct cell and struct per_cpu.
 *
 * Unless noted, hooks run on the CPU that issued the hypercall, with no
 * other management operation in progress (the core is entered for
 * management by one root CPU at a time).
 */
#ifndef HV_ARCH_H
#define HV_ARCH_H

#include <stdbool.h>
#include <stdint.h>

#include <hvabi/cell-config.h>

struct cell;
struct per_cpu;
struct ivshmem_endpoint;

/*
 * Checks the platform part of the system config (GIC version and bases,
 * debug console) against the hardware. Called by hv_init before anything is
 * set up; returns 0 or -EINVAL/-ENODEV with hv_set_error().
 */
int arch_check_platform(const struct hv_system *sys);

/*
 * Port-specific setup of a cell (also called for the root cell at enable,
 * after its stage-2 tables are built): e.g. a VMID, interrupt routing, the
 * sim's guest state. May fail with -ENOMEM; arch_cell_destroy() is then not
 * called.
 */
int arch_cell_create(struct cell *cell);
/* Undoes arch_cell_create; the cell's CPUs are parked. */
void arch_cell_destroy(struct cell *cell);

/*
 * Stage-2 mapping of a config memory region into a cell, and removal. The
 * port builds the translation with the core's paging helpers and does what
 * its hardware needs besides (cache maintenance, TLB invalidation).
 * region->virt_start is the guest-physical address in that cell.
 */
int arch_map_memory_region(struct cell *cell, const struct hv_memory *region);
int arch_unmap_memory_region(struct cell *cell,
			     const struct hv_memory *region);

/*
 * A configuration change is complete (cell created, destroyed, started or
 * made loadable): stale translations of the cell and of the root cell must
 * go. cell_added_removed is the cell that changed, or NULL.
 */
void arch_config_commit(struct cell *cell_added_removed);

/*
 * Makes the target CPU enter the hypervisor and call hv_cpu_handle_events()
 * (arm64: an SGI). Returns once the target has handled the event, so the
 * caller may rely on a requested park having happened.
 */
void arch_send_event(struct per_cpu *target);

/*
 * Runs on the CPU itself from hv_cpu_handle_events: stop executing guest
 * code until the next reset (park), or reset to the cell's entry state.
 * After reset, a CPU with wait_for_poweron set waits for PSCI CPU_ON; the
 * others start at cpu->cpu_on_entry or the cell's cpu_reset_address.
 */
void arch_park_cpu(struct per_cpu *cpu);
void arch_reset_cpu(struct per_cpu *cpu);

/*
 * Waits for a cell's reply in its comm region: at most `budget` units
 * (0 = no limit; a port's unit: arm64 waits in microseconds, so
 * msg_reply_timeout is a time there) and returns the number used; returns
 * earlier when the reply or the cell state may have changed. The core
 * rechecks the comm region after each call. Called with the core's
 * management lock held; a port may let it go while waiting.
 */
uint64_t arch_comm_wait(struct cell *cell, uint64_t budget);

/* Sends interrupt `vector` of the endpoint to its cell. */
void arch_ivshmem_trigger_interrupt(struct ivshmem_endpoint *ep,
				    unsigned int vector);

/*
 * Copies to/from physical memory outside hypervisor memory (cell RAM, e.g.
 * a config in the root cell or an ivshmem state table). Returns 0 or -EFAULT
 * when there is no memory at the address.
 */
int arch_phys_read(void *dst, uint64_t phys, uint64_t len);
int arch_phys_write(uint64_t phys, const void *src, uint64_t len);

/* Hypervisor console bytes for the hardware debug UART. */
void arch_console_write(const char *text, unsigned int len);

/* The hypervisor is being disabled; all cells but root are gone. */
void arch_shutdown(void);

#endif /* !HV_ARCH_H */
