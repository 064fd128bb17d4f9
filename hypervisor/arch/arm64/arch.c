// SPDX-License-Identifier: GPL-2.0
/*
 * The arm64 implementation of the core's arch hooks (hv/arch.h): stage-2
 * maps through the core's paging, VMIDs, TLB maintenance, CPU park/reset
 * in EL2, event delivery (SEV for CPUs waiting in EL2, SGI 1 for CPUs
 * running a cell), physical memory access and ivshmem interrupts.
 */
#include <hv/arch.h>
#include <hv/cell.h>
#include <hv/control.h>
#include <hv/errno.h>
#include <hv/ivshmem.h>
#include <hv/lib.h>
#include <hv/paging.h>
#include <hv/pool.h>
#include <hv/printk.h>

#include "include/arm64.h"
#include "include/gic.h"
#include "include/gic_regs.h"

#define MAX_VMID		255

/* What the root cell sees of hypervisor memory besides the console rings. */
static void *root_empty_page;

int arch_check_platform(const struct hv_system *sys)
{
	const struct hv_platform_arm *arm = &sys->platform_info.arm;

	if (arm->gic_version != 3 || !arm->gicd_base || !arm->gicr_base) {
		hv_set_error("the arm64 port needs a GICv3 (gic_version 3 with gicd_base and gicr_base), config has version %u",
			     arm->gic_version);
		return -EINVAL;
	}
	if ((arm->gicd_base | arm->gicr_base) & PAGE_OFFS_MASK) {
		hv_set_error("GIC bases must be page aligned");
		return -EINVAL;
	}
	return gic_check_platform(sys);
}

static bool offset_is_console(uint64_t off)
{
	uint64_t con = (uint8_t *)&hv_console_ring - __image_start;
	uint64_t cells = (uint8_t *)hv_cell_consoles - __image_start;
	uint64_t cells_end = cells + sizeof(struct hv_cell_console) *
				     HV_NUM_CELL_CONSOLES;

	return (off >= (con & PAGE_MASK) && off < con + sizeof(hv_console_ring)) ||
	       (off >= (cells & PAGE_MASK) && off < cells_end);
}

/*
 * The GIC is emulated for the root as for every cell (gic.c), so it is
 * not mapped. Hypervisor memory is one empty read-only page for the root,
 * except the console rings that the driver reads.
 */
static int root_cell_extra_maps(struct cell *cell)
{
	uint64_t off;
	int err = 0;

	gic_root_init();
	root_empty_page = page_alloc(&mem_pool, 1);
	if (!root_empty_page)
		return -ENOMEM;
	for (off = 0; off < hv_mem_size && !err; off += PAGE_SIZE)
		err = paging_map(&cell->stage2, hv_phys_base + off,
				 offset_is_console(off) ?
				 hv_phys_base + off :
				 paging_hvirt2phys(root_empty_page),
				 PAGE_SIZE, HV_MEM_READ | HV_MEM_NO_HUGEPAGES);
	return err;
}

/*
 * Cleans and invalidates a cell's RAM to the point of coherency, page by
 * page through the EL2 window: after loading (the cell starts with its
 * MMU and caches off) and before the memory goes back to the root.
 */
static void cell_mem_flush(const struct cell *cell)
{
	const struct hv_memory *m = cfg_mem(cell->config);
	unsigned int n;

	for (n = 0; n < cell->config->num_memory_regions; n++) {
		uint64_t off;

		if (!m[n].size || (m[n].flags & (HV_MEM_IO | HV_MEM_COMM_REGION)))
			continue;
		for (off = 0; off < m[n].size; off += PAGE_SIZE) {
			uint8_t *win = el2_map_window(m[n].phys_start + off);
			unsigned int line;

			if (!win)
				break;
			win = (uint8_t *)((uint64_t)win & PAGE_MASK);
			for (line = 0; line < PAGE_SIZE; line += 64)
				asm volatile("dc civac, %0"
					     : : "r"(win + line) : "memory");
			dsb(ish);
			el2_unmap_window();
		}
	}
	/* Code was written there: no stale instructions anywhere. */
	asm volatile("ic ialluis" : : : "memory");
	dsb(ish);
	isb();
}

int arch_cell_create(struct cell *cell)
{
	if (cell->id > MAX_VMID) {
		hv_set_error("cell id %u exceeds the 8-bit VMID", cell->id);
		return -ERANGE;
	}
	if (cell == &root_cell)
		return root_cell_extra_maps(cell);
	return 0;
}

void arch_cell_destroy(struct cell *cell)
{
	/* Nothing of the cell's data may linger in caches for the root. */
	if (cell != &root_cell)
		cell_mem_flush(cell);
	if (cell == &root_cell && root_empty_page) {
		page_free(&mem_pool, root_empty_page, 1);
		root_empty_page = NULL;
	}
}

int arch_map_memory_region(struct cell *cell, const struct hv_memory *region)
{
	return paging_map(&cell->stage2, region->virt_start,
			  region->phys_start, region->size, region->flags);
}

int arch_unmap_memory_region(struct cell *cell,
			     const struct hv_memory *region)
{
	return paging_unmap(&cell->stage2, region->virt_start, region->size);
}

void arch_config_commit(struct cell *cell_added_removed)
{
	/* Created, or loaded and about to start: its memory to the PoC. */
	if (cell_added_removed && cell_added_removed != &root_cell &&
	    !cell_added_removed->loadable)
		cell_mem_flush(cell_added_removed);
	/* Stage-2 entries of every VMID on every CPU: a change is rare. */
	dsb(ishst);
	asm volatile("tlbi alle1is" : : : "memory");
	dsb(ish);
	isb();
	/* SPIs follow the configs of the cells that exist now. */
	gic_sync_ownership();
}

/* Stage 2, VMID and trap setup of the CPU's current cell. */
void arm64_cpu_enter_cell(struct arm64_cpu *ac)
{
	struct cell *cell = ac->core.cell;

	write_sysreg(vtcr_value, vtcr_el2);
	write_sysreg(paging_hvirt2phys(cell->stage2.root) |
		     ((uint64_t)cell->id << 48), vttbr_el2);
	isb();
	asm volatile("tlbi vmalls12e1" : : : "memory");
	dsb(nsh);
	/* A cell's SErrors fail it; the root's stay Linux's own. */
	write_sysreg(cell == &root_cell ? HCR_GUEST : HCR_GUEST | HCR_AMO,
		     hcr_el2);
	isb();
}

static bool cpu_in_guest(struct per_cpu *pc)
{
	return !arm64_cpu_of(pc)->in_park_loop;
}

void arch_send_event(struct per_cpu *target)
{
	struct arm64_cpu *ac = arm64_cpu_of(target);
	uint32_t done = __atomic_load_n(&ac->events_done, __ATOMIC_ACQUIRE);

	dsb(ish);
	if (cpu_in_guest(target)) {
		/* Root CPUs are parked by Linux (PSCI) before the core sends
		 * them anything. */
		if (target->cell == &root_cell)
			return;
		gic_send_hyp_sgi(ac, SGI_EVENT);
	} else {
		sev();
	}
	while (__atomic_load_n(&ac->events_done, __ATOMIC_ACQUIRE) == done)
		cpu_relax();
}

/*
 * On the CPU itself: stay in EL2 until a reset lets it run again. Events
 * arriving meanwhile are handled here; a park while parked changes
 * nothing.
 */
void arch_park_cpu(struct per_cpu *cpu)
{
	struct arm64_cpu *ac = arm64_cpu_of(cpu);

	if (ac->in_park_loop)
		return;
	/* A failed cell's devices stop interrupting (returned at destroy). */
	if (cpu->failed)
		gic_cell_quiesce(cpu->cell);
	/* Parked from a trap that holds the lock (a failing cell CPU):
	 * others need it, and this trap ends in a reset anyway. */
	hv_unlock();
	ac->in_park_loop = true;
	__atomic_add_fetch(&ac->events_done, 1, __ATOMIC_RELEASE);
	for (;;) {
		if (__atomic_load_n(&cpu->park_requested, __ATOMIC_ACQUIRE) ||
		    __atomic_load_n(&cpu->reset_requested, __ATOMIC_ACQUIRE)) {
			hv_cpu_handle_events(cpu);
			__atomic_add_fetch(&ac->events_done, 1,
					   __ATOMIC_RELEASE);
		}
		if (!cpu->parked)
			break;
		wfe();
	}
	ac->in_park_loop = false;
}

/*
 * Every EL1 register a guest can see, at its architectural reset value (or
 * 0 where that is UNKNOWN): translation, exception, thread-ID, debug and
 * floating-point access state of whoever ran here before.
 */
static void el1_regs_reset(void)
{
	write_sysreg(0, ttbr0_el1);
	write_sysreg(0, ttbr1_el1);
	write_sysreg(0, tcr_el1);
	write_sysreg(0, mair_el1);
	write_sysreg(0, amair_el1);
	write_sysreg(0, contextidr_el1);
	write_sysreg(0, vbar_el1);
	write_sysreg(0, esr_el1);
	write_sysreg(0, far_el1);
	write_sysreg(0, par_el1);
	write_sysreg(0, afsr0_el1);
	write_sysreg(0, afsr1_el1);
	write_sysreg(0, elr_el1);
	write_sysreg(0, spsr_el1);
	write_sysreg(0, sp_el0);
	write_sysreg(0, sp_el1);
	write_sysreg(0, tpidr_el0);
	write_sysreg(0, tpidrro_el0);
	write_sysreg(0, tpidr_el1);
	write_sysreg(0, cpacr_el1);
	write_sysreg(0, csselr_el1);
	write_sysreg(0, mdscr_el1);
	write_sysreg(0, cntp_cval_el0);
	write_sysreg(0, cntv_cval_el0);
	isb();
}

/* On the CPU itself: restart at EL1 with the MMU off in the current cell. */
void arch_reset_cpu(struct per_cpu *cpu)
{
	struct arm64_cpu *ac = arm64_cpu_of(cpu);
	struct trap_regs *regs = ac->regs;
	uint64_t entry = cpu->cpu_on_entry ? cpu->cpu_on_entry :
			 cpu->cell->config->cpu_reset_address;
	unsigned int n;

	for (n = 0; n < 31; n++)
		regs->x[n] = 0;
	regs->x[0] = cpu->cpu_on_context;
	cpu->cpu_on_entry = 0;
	cpu->cpu_on_context = 0;
	write_sysreg(entry, elr_el2);
	write_sysreg(SPSR_EL1H_MASKED, spsr_el2);
	write_sysreg(SCTLR_EL1_RESET, sctlr_el1);
	el1_regs_reset();
	/* The EL1 timers start off; a cell's virtual count starts at 0,
	 * the root's stays the physical count as Linux expects. */
	write_sysreg(0, cntv_ctl_el0);
	write_sysreg(0, cntp_ctl_el0);
	write_sysreg(0, cntkctl_el1);
	isb();
	write_sysreg(cpu->cell == &root_cell ? 0 : read_sysreg(cntpct_el0),
		     cntvoff_el2);
	gic_cpu_reset(ac);
	arm64_cpu_enter_cell(ac);
	/* Nothing of the old EL1 translation regime may survive. */
	asm volatile("tlbi vmalle1" : : : "memory");
	asm volatile("ic iallu" : : : "memory");
	dsb(nsh);
	isb();
	/* Not parked after all (no wait for CPU_ON): acknowledge now, as
	 * arch_park_cpu's loop will not run for this event. */
	if (!ac->in_park_loop)
		__atomic_add_fetch(&ac->events_done, 1, __ATOMIC_RELEASE);
}

/*
 * One unit of a comm-region wait is a microsecond of the generic counter,
 * so msg_reply_timeout bounds the wait in time. The big lock is let go
 * meanwhile: the cell may need it to answer (its console hypercalls), and
 * its other CPUs' traps must not stall behind a wait.
 */
uint64_t arch_comm_wait(struct cell *cell, uint64_t budget)
{
	uint64_t freq = read_sysreg(cntfrq_el0), chunk = 1000, start;

	(void)cell;
	if (budget && budget < chunk)
		chunk = budget;
	hv_unlock();
	start = read_sysreg(cntpct_el0);
	while ((read_sysreg(cntpct_el0) - start) * 1000000 < chunk * freq)
		cpu_relax();
	hv_lock();
	return chunk;
}

/* INTx of the endpoint's device, injected into its cell's first CPU. */
void arch_ivshmem_trigger_interrupt(struct ivshmem_endpoint *ep,
				    unsigned int vector)
{
	unsigned int irq;
	int cpu;

	(void)vector;	/* INTx: one line per device */
	if (!ep->cell || !(ep->int_ctrl & 1))
		return;
	cpu = cell_first_cpu(ep->cell);
	if (cpu < 0)
		return;
	irq = 32 + ep->cell->config->vpci_irq_base + ((ep->dev->bdf >> 3) & 3);
	gic_send_virq(per_cpu((unsigned int)cpu), irq);
}

/* Physical memory that some root cell region describes as RAM. */
static bool phys_is_cell_ram(uint64_t phys, uint64_t len)
{
	const struct hv_cell_desc *rc = &hv_sys->root_cell;
	const struct hv_memory *m = cfg_mem(rc);
	unsigned int n;

	if (paging_phys_is_hv(phys, len))
		return false;
	for (n = 0; n < rc->num_memory_regions; n++)
		if (!(m[n].flags & HV_MEM_IO) && phys >= m[n].phys_start &&
		    phys - m[n].phys_start < m[n].size &&
		    len <= m[n].size - (phys - m[n].phys_start))
			return true;
	return false;
}

static int phys_copy(void *buf, uint64_t phys, uint64_t len, bool write)
{
	uint8_t *b = buf;

	if (!len)
		return 0;
	if (phys + len < phys || !phys_is_cell_ram(phys, len))
		return -EFAULT;
	while (len) {
		uint64_t chunk = PAGE_SIZE - (phys & PAGE_OFFS_MASK);
		uint8_t *win;

		if (chunk > len)
			chunk = len;
		win = el2_map_window(phys);
		if (!win)
			return -EFAULT;
		if (write)
			hv_memcpy(win, b, chunk);
		else
			hv_memcpy(b, win, chunk);
		el2_unmap_window();
		b += chunk;
		phys += chunk;
		len -= chunk;
	}
	return 0;
}

int arch_phys_read(void *dst, uint64_t phys, uint64_t len)
{
	return phys_copy(dst, phys, len, false);
}

int arch_phys_write(uint64_t phys, const void *src, uint64_t len)
{
	return phys_copy((void *)src, phys, len, true);
}

void arch_shutdown(void)
{
	/*
	 * Nothing global to undo: every CPU restores its own EL2 state
	 * (HCR, stage 2, MMU, vectors) when it leaves, and hypervisor memory
	 * goes back to Linux as a whole.
	 */
}
