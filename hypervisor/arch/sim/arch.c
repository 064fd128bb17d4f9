// SPDX-License-Identifier: GPL-2.0
/*
 * The sim port's side of the core contract (hv/arch.h): stage 2 through the
 * core's tables, events delivered at once (the target "takes the SGI"
 * before the sender continues), the comm-region wait as a nested run of the
 * event loop, memory through simmem.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <unistd.h>

#include <hv/arch.h>
#include <hv/cell.h>
#include <hv/control.h>
#include <hv/paging.h>
#include <hv/percpu.h>

#include <sim/board.h>
#include <sim/guest.h>
#include <sim/loop.h>
#include <sim/sim.h>
#include <sim/simmem.h>

/*
 * The one board the core runs on (see sim_arch_attach() in sim/sim.h): the
 * core is a singleton and the hooks below that get neither a cell nor a
 * CPU have no other way to reach it.
 */
static struct sim_board *arch_sb;

void sim_arch_attach(struct sim_board *sb)
{
	arch_sb = sb;
}

int arch_check_platform(const struct hv_system *sys)
{
	const struct hv_platform_info *pi = &sys->platform_info;
	const struct board *board = &arch_sb->board;

	if (pi->arm.gic_version != 3) {
		hv_set_error("GIC version %u: the board has a GICv3",
			     pi->arm.gic_version);
		return -EINVAL;
	}
	if (pi->arm.gicd_base != board->gicd.start) {
		hv_set_error("GICD at 0x%" PRIx64 ": the board's is at 0x%" PRIx64,
			     (uint64_t)pi->arm.gicd_base, board->gicd.start);
		return -EINVAL;
	}
	if (pi->arm.gicr_base != board->gicr.start) {
		hv_set_error("GICR at 0x%" PRIx64 ": the board's is at 0x%" PRIx64,
			     (uint64_t)pi->arm.gicr_base, board->gicr.start);
		return -EINVAL;
	}
	if (pi->pci_is_virtual && pi->pci_mmconfig_base &&
	    pi->pci_mmconfig_base != board->pci_ecam) {
		hv_set_error("virtual PCI ECAM at 0x%" PRIx64 ": the board's window is at 0x%" PRIx64,
			     (uint64_t)pi->pci_mmconfig_base, board->pci_ecam);
		return -EINVAL;
	}
	if (sys->debug_console.type != HV_CON_TYPE_NONE &&
	    (sys->debug_console.address != board->uart.start ||
	     !board->uart.size)) {
		hv_set_error("debug console at 0x%" PRIx64 ": the board has no UART there",
			     (uint64_t)sys->debug_console.address);
		return -ENODEV;
	}
	return 0;
}

int arch_cell_create(struct cell *cell)
{
	struct sim_cell *scell = malloc(sizeof(*scell));

	if (!scell)
		return -ENOMEM;
	guest_cell_init(arch_sb, scell, cell);
	cell->arch = scell;
	return 0;
}

void arch_cell_destroy(struct cell *cell)
{
	struct sim_cell *scell = cell->arch;

	if (!scell)
		return;
	guest_cell_exit(scell);
	free(scell);
	cell->arch = NULL;
}

int arch_map_memory_region(struct cell *cell, const struct hv_memory *region)
{
	return paging_map(&cell->stage2, region->virt_start, region->phys_start,
			  region->size, region->flags);
}

int arch_unmap_memory_region(struct cell *cell,
			     const struct hv_memory *region)
{
	return paging_unmap(&cell->stage2, region->virt_start, region->size);
}

void arch_config_commit(struct cell *cell_added_removed)
{
	(void)cell_added_removed;
	/* Every CPU's cached translation goes, like a TLBI VMALLS12E1IS. */
	arch_sb->guest.tlb_gen++;
}

void arch_send_event(struct per_cpu *target)
{
	hv_cpu_handle_events(target);
}

void arch_park_cpu(struct per_cpu *cpu)
{
	guest_cpu_stop(cpu->arch);
}

void arch_reset_cpu(struct per_cpu *cpu)
{
	guest_cpu_reset(cpu->arch);
}

uint64_t arch_comm_wait(struct cell *cell, uint64_t budget)
{
	struct sim_board *sb = ((struct sim_cell *)cell->arch)->sb;
	volatile struct hv_comm_region_arm64 *comm =
		&cell->comm_page->comm_region;
	uint32_t reply = comm->reply_from_cell, state = comm->cell_state;
	uint64_t start = loop_now(), deadline = 0, used;

	guest_comm_check(cell);
	if (budget)
		deadline = start + budget * NSEC_PER_USEC;
	/* Guests, timers and the socket keep running while we wait. */
	while (!sb->terminate && comm->reply_from_cell == reply &&
	       comm->cell_state == state &&
	       (!deadline || loop_now() < deadline)) {
		loop_run_once(&sb->loop, deadline);
		guest_comm_check(cell);
	}
	if (sb->terminate)
		sb->hooks->exit(sb, 0);
	used = (loop_now() - start) / NSEC_PER_USEC;
	return used ? used : 1;
}

int arch_phys_read(void *dst, uint64_t phys, uint64_t len)
{
	return simmem_read(&arch_sb->mem, dst, phys, len);
}

int arch_phys_write(uint64_t phys, const void *src, uint64_t len)
{
	return simmem_write(&arch_sb->mem, phys, src, len);
}

void arch_console_write(const char *text, unsigned int len)
{
	/* The core may print before a board is attached (unit tests). */
	if (arch_sb && arch_sb->verbose && write(STDERR_FILENO, text, len) < 0)
		arch_sb->verbose = false;
}

void arch_shutdown(void)
{
	unsigned int cpu;

	for (cpu = 0; cpu < arch_sb->board.cpus; cpu++)
		guest_cpu_stop(&arch_sb->guest.cpus[cpu]);
}
